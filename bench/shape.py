"""What the generated office looks like: scales, names, state mixes, levels, and the small SQL
helpers every part of the generator uses."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = "1"

SCALES = {
    "full": {
        "bureaus": 38,  # + the city government + the archive (the numbering organ) = 40 organs
        "people": 10_000,
        "outgoing": 1_000_000,
        "user_grants": 1_650_000,
        "grants_person": 30_000,
        "group_grants": 150_000,
        "countersign_share": 0.12,
        "incoming": 200_000,
        "incoming_user_grants": 150_000,
        "incoming_group_grants": 30_000,
        "items": 20_000,
        "deadlines": 100_000,
        "closed_deadlines": 50_000,
        "narrow_share": 0.004,
        "numbering_clerks": 8,
    },
    "small": {
        "bureaus": 4,
        "people": 200,
        "outgoing": 2_000,
        "user_grants": 3_300,
        "grants_person": 300,
        "group_grants": 300,
        "countersign_share": 0.12,
        "incoming": 400,
        "incoming_user_grants": 300,
        "incoming_group_grants": 60,
        "items": 40,
        "deadlines": 200,
        "closed_deadlines": 100,
        "narrow_share": 0.05,
        "numbering_clerks": 4,
    },
}

BUREAUS = [
    ("市发展和改革委员会", "发改"),
    ("市教育局", "教"),
    ("市科学技术局", "科"),
    ("市工业和信息化局", "工信"),
    ("市公安局", "公"),
    ("市民政局", "民"),
    ("市司法局", "司"),
    ("市财政局", "财"),
    ("市人力资源和社会保障局", "人社"),
    ("市自然资源和规划局", "自然"),
    ("市生态环境局", "环"),
    ("市住房和城乡建设局", "建"),
    ("市交通运输局", "交"),
    ("市水利局", "水"),
    ("市农业农村局", "农"),
    ("市商务局", "商"),
    ("市文化广电和旅游局", "文旅"),
    ("市卫生健康委员会", "卫健"),
    ("市退役军人事务局", "退役"),
    ("市应急管理局", "应急"),
    ("市审计局", "审"),
    ("市国有资产监督管理委员会", "国资"),
    ("市市场监督管理局", "市监"),
    ("市体育局", "体"),
    ("市统计局", "统"),
    ("市医疗保障局", "医保"),
    ("市林业局", "林"),
    ("市城市管理局", "城管"),
    ("市信访局", "信访"),
    ("市行政审批服务局", "审批"),
    ("市粮食和物资储备局", "粮"),
    ("市人民防空办公室", "人防"),
    ("市地方金融管理局", "金融"),
    ("市机关事务管理局", "机关"),
    ("市大数据局", "数据"),
    ("市外事办公室", "外"),
    ("市民族宗教事务局", "民宗"),
    ("市侨务办公室", "侨"),
]
SECTIONS = ["综合处", "政策法规处", "规划处", "财务处", "人事处", "监督检查处", "科技处", "行政审批处"]
CITY_SECTIONS = ["秘书一处", "秘书二处", "督查室", "文电处", "信息处"]

# Topics: the first ones are common, the last ones rare (the generator draws them skewed).
TOPICS = [
    "做好年度重点工作",
    "加强安全生产工作",
    "开展作风建设专项行动",
    "印发工作要点",
    "做好节假日期间值班",
    "进一步优化营商环境",
    "加强食品安全监管",
    "推进数字政府建设",
    "做好财政预算管理",
    "加强网络安全工作",
    "开展安全隐患排查整治",
    "做好信访工作",
    "推进乡村振兴",
    "加强生态环境保护",
    "做好就业创业服务",
    "加强政务公开",
    "做好统计调查工作",
    "推进城市更新",
    "加强耕地保护",
    "开展爱国卫生运动",
    "做好冬季供暖保障",
    "加强消防安全管理",
    "开展审计整改",
    "推进教育高质量发展",
    "做好医疗保障",
    "加强道路交通安全",
    "推进河湖长制",
    "做好森林防火",
    "开展文明城市创建",
    "做好防汛抗旱工作",
]
KINDS = [
    ("notice", "通知"),
    ("opinion", "意见"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("bulletin", "通报"),
    ("decision", "决定"),
    ("letter", "函"),
    ("minutes", "纪要"),
]
# The terms the search figures ask for: a common 2-character one, a rare 4-character one.
SEARCH_2 = "安全"
SEARCH_4 = "防汛抗旱"

BODY = (
    "各区人民政府，市政府各部门、各直属机构：\n"
    "为深入贯彻落实党中央、国务院和省委、省政府决策部署，结合本市实际，现就有关事项通知如下。\n"
    "一、提高思想认识\n各地各部门要充分认识做好此项工作的重要意义，切实加强组织领导，压实工作责任。\n"
    "二、突出工作重点\n（一）健全工作机制。（二）强化督促检查。（三）做好信息报送。\n"
    "三、加强保障措施\n各地各部门要按照本通知要求，抓好贯彻落实，重要情况及时报告。"
)

OUTGOING_STATES = [  # cumulative shares
    ("draft", 0.06),
    ("review", 0.08),
    ("countersign", 0.095),
    ("signoff", 0.11),
    ("recheck", 0.12),
    ("registered", 0.15),
    ("issued", 0.40),
    ("archived", 0.95),
    ("revoked", 0.97),
    ("abolished", 0.98),
    ("voided", 1.01),
]
NUMBERED = ("registered", "issued", "archived", "revoked", "abolished")
SIGNED = ("recheck", *NUMBERED)
INCOMING_STATES = [
    ("pending", 0.02),
    ("signed", 0.04),
    ("registered", 0.07),
    ("returned", 0.08),
    ("proposal", 0.10),
    ("instruction", 0.12),
    ("handling", 0.22),
    ("circulating", 0.25),
    ("done", 0.55),
    ("archived", 1.01),
]
CLASSIFICATION = (
    "CASE WHEN {r} < 0.25 THEN 0 WHEN {r} < 0.85 THEN 1 WHEN {r} < 0.97 THEN 2 WHEN {r} < 0.995 THEN 3 ELSE 4 END"
)


def _case(states, r: str) -> str:
    return "CASE " + " ".join(f"WHEN {r} < {share} THEN '{name}'" for name, share in states) + " END"


def _ints(values) -> str:
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::bigint[]"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array_text(values) -> str:
    return "ARRAY[" + ",".join(_quote(v) for v in values) + "]"
