"""Load the demo office: 临江市人民政府 with its office, a few bureaus, and the demo logins.

Idempotent: what exists is left as it is, so running it twice changes nothing. Refuses to run
outside demo mode (SHUNIU_DEMO=1), and demo accounts cannot log in outside demo mode anyway.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from office.confidentiality.levels import Level
from office.org import services
from office.org.models import Person, Role, Unit, UnitKind


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    unit: str
    post: str
    clearance: Level
    roles: tuple[Role, ...]
    head: bool = False
    login: str = ""  # what the login is for, printed by --print-logins (demo logins only)


ORGAN, DEPT, SECTION = UnitKind.ORGAN, UnitKind.DEPARTMENT, UnitKind.SECTION

UNITS = [
    DemoUnit("LJ", "临江市人民政府", "市政府", ORGAN, None),
    DemoUnit("LJ-BGS", "临江市人民政府办公室", "市政府办公室", DEPT, "LJ"),
    DemoUnit("LJ-BGS-MS", "秘书科", "秘书科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-DC", "督查科", "督查科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-XF", "信访科", "信访科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-BM", "保密办公室", "保密办", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-HW", "会务科", "会务科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-ZH", "综合科", "综合科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-FGJ", "临江市发展和改革局", "市发展改革局", ORGAN, "LJ"),
    DemoUnit("LJ-FGJ-BGS", "办公室", "发改局办公室", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-FGJ-GH", "综合规划科", "规划科", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-FGJ-TZ", "固定资产投资科", "投资科", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-SWJ", "临江市商务局", "市商务局", ORGAN, "LJ"),
    DemoUnit("LJ-SWJ-BGS", "办公室", "商务局办公室", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-SWJ-SC", "市场运行科", "市场运行科", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-SWJ-MY", "对外贸易科", "外贸科", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-CZJ", "临江市财政局", "市财政局", ORGAN, "LJ"),
    DemoUnit("LJ-CZJ-BGS", "办公室", "财政局办公室", SECTION, "LJ-CZJ"),
    DemoUnit("LJ-CZJ-YS", "预算科", "预算科", SECTION, "LJ-CZJ"),
    DemoUnit("LJ-ZJJ", "临江市住房和城乡建设局", "市住建局", ORGAN, "LJ"),
    DemoUnit("LJ-ZJJ-BGS", "办公室", "住建局办公室", SECTION, "LJ-ZJJ"),
    DemoUnit("LJ-ZJJ-JZ", "建筑业管理科", "建管科", SECTION, "LJ-ZJJ"),
    DemoUnit("LJ-ZJJ-CJ", "城市建设科", "城建科", SECTION, "LJ-ZJJ"),
]

L, CH, SEC, SUP, PET, MTG, SO, H, ADM, SADM, AUD = (
    Role.LEADER,
    Role.OFFICE_CHIEF,
    Role.SECRETARY,
    Role.SUPERVISOR,
    Role.PETITION_OFFICER,
    Role.MEETING_OFFICER,
    Role.SECURITY_OFFICER,
    Role.HANDLER,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDITOR,
)
TS, S, C, I = Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL

PEOPLE = [
    # The demo logins of DESIGN.md.
    DemoPerson(
        "director", "李明华", "LJ", "市长", TS, (L,), head=True, login="市长（机关主要负责人，领导），核心涉密人员"
    ),
    DemoPerson("office_chief", "王建国", "LJ-BGS", "办公室主任", S, (CH, L), head=True, login="办公室主任"),
    DemoPerson("clerk", "陈晓静", "LJ-BGS-MS", "文秘", C, (SEC,), login="文秘（收发文）"),
    DemoPerson("supervisor", "赵立新", "LJ-BGS-DC", "督查员", C, (SUP,), login="督查员"),
    DemoPerson("petition_officer", "孙丽", "LJ-BGS-XF", "信访员", I, (PET,), login="信访员"),
    DemoPerson("meeting_officer", "周涛", "LJ-BGS-HW", "会务员", C, (MTG,), login="会务员"),
    DemoPerson("security_officer", "吴敏", "LJ-BGS-BM", "保密员", S, (SO,), login="保密员"),
    DemoPerson("staff", "郑浩", "LJ-SWJ-SC", "科员", I, (H,), login="商务局承办人，无涉密资格"),
    # 三员分立: three people, one administrator role each.
    DemoPerson("sysadmin", "冯宇", "LJ-BGS-ZH", "信息化管理员", I, (ADM,), login="系统管理员（账号、单位、设置）"),
    DemoPerson("secadmin", "韩雪", "LJ-BGS-BM", "安全保密管理员", TS, (SADM,), login="安全保密管理员（涉密等级）"),
    DemoPerson("auditor", "蒋文", "LJ-BGS-ZH", "安全审计员", C, (AUD,), login="安全审计员（审计日志，只读）"),
    # A few more people per unit.
    DemoPerson("vice_mayor", "张卫东", "LJ", "副市长", S, (L,)),
    DemoPerson("secretary_general", "刘志刚", "LJ", "秘书长", S, (L,)),
    DemoPerson("ms_chief", "黄蕾", "LJ-BGS-MS", "科长", S, (SEC,), head=True),
    DemoPerson("ms_clerk2", "何佳", "LJ-BGS-MS", "科员", I, (SEC,)),
    DemoPerson("dc_chief", "马骏", "LJ-BGS-DC", "科长", S, (SUP,), head=True),
    DemoPerson("xf_chief", "罗红梅", "LJ-BGS-XF", "科长", C, (PET,), head=True),
    DemoPerson("xf_officer2", "梁斌", "LJ-BGS-XF", "科员", I, (PET,)),
    DemoPerson("bm_chief", "宋建平", "LJ-BGS-BM", "主任", TS, (SO,), head=True),
    DemoPerson("hw_chief", "唐静", "LJ-BGS-HW", "科长", C, (MTG,), head=True),
    DemoPerson("zh_chief", "许文", "LJ-BGS-ZH", "科长", I, (H,), head=True),
    DemoPerson("fgj_director", "韩磊", "LJ-FGJ", "局长", S, (L,), head=True),
    DemoPerson("fgj_office", "曹颖", "LJ-FGJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("fgj_gh_chief", "邓强", "LJ-FGJ-GH", "科长", C, (H,), head=True),
    DemoPerson("fgj_tz_chief", "彭飞", "LJ-FGJ-TZ", "科长", C, (H,), head=True),
    DemoPerson("fgj_staff", "曾雪", "LJ-FGJ-TZ", "科员", I, (H,)),
    DemoPerson("swj_director", "萧红", "LJ-SWJ", "局长", S, (L,), head=True),
    DemoPerson("swj_office", "田野", "LJ-SWJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("swj_sc_chief", "董明", "LJ-SWJ-SC", "科长", C, (H,), head=True),
    DemoPerson("swj_my_chief", "袁方", "LJ-SWJ-MY", "科长", C, (H,), head=True),
    DemoPerson("czj_director", "潘杰", "LJ-CZJ", "局长", S, (L,), head=True),
    DemoPerson("czj_office", "蒋琳", "LJ-CZJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("czj_ys_chief", "蔡亮", "LJ-CZJ-YS", "科长", C, (H,), head=True),
    DemoPerson("zjj_director", "余国强", "LJ-ZJJ", "局长", S, (L,), head=True),
    DemoPerson("zjj_office", "杜娟", "LJ-ZJJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("zjj_jz_chief", "叶峰", "LJ-ZJJ-JZ", "科长", C, (H,), head=True),
    DemoPerson("zjj_cj_chief", "程浩然", "LJ-ZJJ-CJ", "科长", C, (H,), head=True),
]

DEMO_LOGINS = [person for person in PEOPLE if person.login]


@dataclass(frozen=True)
class DemoCarrier:
    """A carrier in the 保密 register of ``unit``, granted to and copied for the named people (or
    units), with a 保密期限 of ``term_amount`` ``term_unit`` or until ``condition``."""

    title: str
    level: Level
    unit: str
    content: str
    kind: str = "paper"
    reference: str = ""
    source: str = ""
    basis: str = ""
    term_unit: str = ""
    term_amount: int | None = None
    condition: str = ""
    grant: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()


DEMO_CARRIERS = [
    DemoCarrier(
        title="关于全市重点项目布局调整的请示（送审稿）",
        level=S,
        unit="LJ-BGS-MS",
        reference="临发改〔2026〕31号",
        source="临江市发展和改革局",
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        content="一、调整的必要性……\n二、调整方案……",
        grant=("director", "office_chief"),
        copies=("director", "LJ-FGJ"),
    ),
    DemoCarrier(
        title="应急物资储备点位分布表",
        level=C,
        unit="LJ-BGS-ZH",
        kind="usb",
        term_unit="months",
        term_amount=6,
        basis="应急管理工作国家秘密范围",
        content="储备点位共12处，详见附表。",
        grant=("supervisor",),
        copies=("supervisor",),
    ),
    DemoCarrier(
        title="重大活动安全保卫方案",
        level=TS,
        unit="LJ-BGS-BM",
        basis="公安工作国家秘密范围",
        content="（绝密内容仅在屏幕上显示，带阅读人水印。）",
        grant=("director",),
        copies=("director",),
    ),
    DemoCarrier(
        title="市政府常务会议议题安排（内部）",
        level=I,
        unit="LJ-BGS-HW",
        content="第1项：审议《临江市优化营商环境若干措施》。",
    ),
    DemoCarrier(
        title="招商引资项目谈判底线",
        level=S,
        unit="LJ-SWJ-MY",
        term_unit="condition",
        condition="项目签约并公开发布后",
        basis="商务工作国家秘密范围",
        content="谈判底线见附件。",
    ),
]


@dataclass(frozen=True)
class DemoSeries:
    code: str
    organ: str
    office: str
    issuer_name: str
    template: str = "standard"


DEMO_SERIES = [
    DemoSeries("临府发", "LJ", "LJ-BGS-MS", "临江市人民政府文件"),
    DemoSeries("临府办发", "LJ-BGS", "LJ-BGS-MS", "临江市人民政府办公室文件"),
    DemoSeries("临府办函", "LJ-BGS", "LJ-BGS-MS", "临江市人民政府办公室", template="letter"),
    DemoSeries("临府纪要", "LJ", "LJ-BGS-MS", "临江市人民政府常务会议纪要", template="minutes"),
]

BUREAUS = ("LJ-FGJ", "LJ-SWJ", "LJ-CZJ", "LJ-ZJJ")


@dataclass(frozen=True)
class DemoDocument:
    """An outgoing document of the demo office, walked to ``state`` through the services by the
    people whose step it is: drafted by ``drafter``, 核稿 by ``reviewer``, 会签 by each countersign
    unit's head, 签发 by the series organ's head, 登记 and 核发 by ``registrar``, ended by the
    office director."""

    title: str
    series: str
    kind: str
    state: str
    body: str
    main_to: tuple[str, ...] = BUREAUS
    main_to_external: str = ""
    cc: tuple[str, ...] = ()
    cc_external: str = ""
    countersign: tuple[str, ...] = ()
    direction: str = "down"
    urgency: str = ""
    important: bool = False
    designated_signer: str = ""
    attachment_note: str = ""
    note: str = ""
    disclosure: str = "proactive"
    disclosure_reason: str = ""
    level: Level = I
    basis: str = ""
    copies: int = 0
    drafter: str = "clerk"
    reviewer: str = "ms_chief"
    registrar: str = "clerk"
    returned_at_review: str = ""  # a 核稿 return before the document goes on
    retention: str = "30年"
    reason: str = ""  # why it was revoked, abolished or voided


DEMO_DOCUMENTS = [
    DemoDocument(
        "临江市人民政府办公室关于做好2026年元旦春节期间值班工作的通知",
        "临府办发",
        "notice",
        "draft",
        "各单位要严格落实领导带班和24小时值班制度，确保通讯畅通、信息报送及时。\n"
        "一、值班安排\n"
        "元旦、春节期间，各单位值班表于2025年12月26日前报市政府办公室秘书科。\n"
        "二、信息报送\n"
        "遇有重大突发事件，应在30分钟内电话报告、1小时内书面报告。",
        urgency="urgent",
        attachment_note="1.元旦春节期间值班安排表",  # no file yet: the 核稿 checker flags it
    ),
    DemoDocument(
        "临江市人民政府办公室关于开展2026年度政务信息报送工作考核的通知",
        "临府办发",
        "notice",
        "review",
        "为进一步提高政务信息工作质量，市政府办公室决定开展2026年度政务信息报送工作考核。\n"
        "一、考核对象\n"
        "市政府各部门、各直属单位。\n"
        "二、考核内容\n"
        "（一）信息报送数量和采用情况；\n"
        "（二）重大紧急信息报送的时效；\n"
        "（三）信息工作制度建设情况。\n"
        "三、结果运用\n"
        "考核结果在全市通报，并作为年度综合考核的参考。",
    ),
    DemoDocument(
        "临江市人民政府办公室关于进一步加强市政府重点工作督查督办的通知",
        "临府办发",
        "notice",
        "countersign",
        "为推动市政府重点工作落地见效，现就进一步加强督查督办工作通知如下。\n"
        "一、明确责任分工\n"
        "各牵头单位主要负责人为第一责任人，分管负责人为直接责任人。\n"
        "二、实行清单管理\n"
        "市政府办公室督查科按月汇总重点工作进展，对滞后事项实行挂牌督办。\n"
        "三、强化结果运用\n"
        "督查结果纳入年度综合考核。",
        countersign=("LJ-BGS-DC",),
    ),
    DemoDocument(
        "临江市人民政府关于印发《临江市优化营商环境若干措施》的通知",
        "临府发",
        "notice",
        "signoff",
        "现将《临江市优化营商环境若干措施》印发给你们，请认真贯彻执行。\n"
        "一、总体要求\n"
        "坚持市场化、法治化、国际化，持续打造一流营商环境。\n"
        "二、主要措施\n"
        "（一）压减企业开办时间至1个工作日以内；\n"
        "（二）工程建设项目审批全流程不超过60个工作日；\n"
        "（三）全面推行“一网通办”。\n"
        "三、组织保障\n"
        "各部门要明确分管负责人和联络员，于2026年3月31日前报送落实方案。",
        countersign=("LJ-BGS-DC",),
        important=True,
        urgency="urgent",
    ),
    DemoDocument(
        "临江市人民政府关于申请设立临江综合保税区的请示",
        "临府发",
        "request",
        "signoff",
        "为加快建设内陆开放高地，临江市拟申请设立临江综合保税区。\n"
        "一、基本情况\n"
        "拟设区域位于临江港区北侧，规划面积2.1平方公里，紧邻铁路货运站和高速公路出入口。\n"
        "二、设立的必要性\n"
        "2025年全市进出口总额增长12.6%，加工贸易企业集聚，具备设区的产业基础。\n"
        "三、下一步工作\n"
        "获批后，市政府将成立建设领导小组，统筹推进规划、建设和招商。\n"
        "妥否，请批示。",
        main_to=(),
        main_to_external="中共临江市委",
        direction="up",
        designated_signer="director",
        disclosure="not_public",
        disclosure_reason="涉及尚未决策的事项",
        note="联系人：陈晓静，电话：0571-86100003",
    ),
    DemoDocument(
        "临江市人民政府办公室关于调整市政府办公室会议室使用安排的通知",
        "临府办发",
        "notice",
        "recheck",
        "因办公楼维修改造，自2026年1月5日起调整会议室使用安排。\n"
        "一、第一会议室暂停使用，相关会议改在第三会议室召开。\n"
        "二、会议室预约统一通过本系统办理，请提前1个工作日申请。",
        main_to=("LJ-BGS",),
        returned_at_review="请写明会议室预约的办理方式。",
    ),
    DemoDocument(
        "临江市人民政府办公室关于印发2026年市政府办公室公文处理规范的通知",
        "临府办发",
        "notice",
        "registered",
        "现将《2026年市政府办公室公文处理规范》印发给你们，请遵照执行。\n"
        "一、严格执行《党政机关公文处理工作条例》和《党政机关公文格式》国家标准。\n"
        "二、发文字号、成文日期一律使用阿拉伯数字，年份写全称。",
    ),
    DemoDocument(
        "临江市人民政府关于做好2026年度防汛准备工作的通知",
        "临府发",
        "notice",
        "issued",
        "当前已进入汛前准备关键期，为确保安全度汛，现就有关工作通知如下。\n"
        "一、压实防汛责任\n"
        "各地各部门要落实以行政首长负责制为核心的防汛责任制。\n"
        "二、开展隐患排查\n"
        "4月30日前完成水库、堤防、在建工程等重点部位隐患排查整改。\n"
        "三、做好应急准备\n"
        "备足防汛物资，加强24小时值班值守。",
        urgency="extra_urgent",
        cc_external="市防汛抗旱指挥部办公室",
    ),
    DemoDocument(
        "临江市人民政府办公室关于商请提供2025年度港口吞吐量统计数据的函",
        "临府办函",
        "letter",
        "issued",
        "为编制《临江市2026年政府工作报告》，请贵局于2026年1月15日前提供2025年度港口货物吞吐量、"
        "集装箱吞吐量等统计数据。\n"
        "感谢支持。",
        main_to=(),
        main_to_external="临江市统计局",
        direction="parallel",
    ),
    DemoDocument(
        "临江市人民政府第12次常务会议纪要",
        "临府纪要",
        "minutes",
        "issued",
        "2026年1月8日，市长李明华主持召开市政府第12次常务会议。\n"
        "一、审议通过《临江市优化营商环境若干措施》\n"
        "会议原则同意，由市发展改革局根据会议意见修改完善后，按程序印发。\n"
        "二、研究2026年度防汛准备工作\n"
        "会议要求各部门于4月30日前完成隐患排查整改。",
        main_to=(),
        cc=BUREAUS,
        disclosure="not_public",
        disclosure_reason="会议纪要按规定不予公开",
    ),
    DemoDocument(
        "临江市人民政府办公室关于表扬2025年度政务信息工作先进单位的通报",
        "临府办发",
        "bulletin",
        "archived",
        "2025年，各单位认真做好政务信息报送工作，涌现出一批先进单位。\n"
        "经综合考评，决定对市发展和改革局、市商务局等6个单位予以通报表扬。\n"
        "希望受表扬的单位再接再厉，其他单位以先进为榜样，进一步提高政务信息工作水平。",
        retention="10年",
    ),
    DemoDocument(
        "临江市人民政府办公室关于暂停部分政务服务事项线下办理的通知",
        "临府办发",
        "notice",
        "revoked",
        "因政务服务中心系统升级，2026年1月10日至1月12日暂停部分事项线下办理，可通过网上办理。",
        reason="系统升级推迟，通知内容有误，予以撤销",
    ),
    DemoDocument(
        "临江市人民政府关于印发《临江市市级机关公务接待管理办法》的通知",
        "临府发",
        "notice",
        "abolished",
        "现将《临江市市级机关公务接待管理办法》印发给你们，请认真遵照执行。\n"
        "一、公务接待坚持有利公务、务实节俭、严格标准、简化礼仪。\n"
        "二、接待单位应当严格控制陪餐人数。",
        reason="省里出台新的公务接待管理规定，本办法自即日起废止",
    ),
    DemoDocument(
        "临江市人民政府办公室关于召开全市安全生产工作会议的通知",
        "临府办发",
        "notice",
        "voided",
        "定于2026年1月20日召开全市安全生产工作会议，请各单位主要负责人参加。",
        reason="会议改由市安委会办公室通知",
    ),
    DemoDocument(
        "临江市人民政府关于全市重点项目布局调整方案的通知",
        "临府发",
        "notice",
        "registered",
        "一、调整原则\n"
        "统筹产业布局和空间资源，优先保障重大产业项目用地。\n"
        "二、调整方案\n"
        "（一）临江港区北片区调整为综合保税区备选用地；\n"
        "（二）城东工业园区调整为先进制造业集聚区。\n"
        "三、工作要求\n"
        "本方案在正式公布前严格控制知悉范围。",
        main_to=("LJ-FGJ", "LJ-ZJJ"),
        level=S,
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        copies=5,
        disclosure="not_public",
        disclosure_reason="涉及国家秘密",
        drafter="ms_chief",
        reviewer="office_chief",
        registrar="ms_chief",
    ),
]


@dataclass(frozen=True)
class IncomingSteps:
    """How far a demo incoming document goes and who moves it there: the receiving unit's office
    (``office``) signs for, registers, screens, proposes, circulates, completes a 阅件 and
    archives; ``leader`` instructs; each assisting unit's head reports; the lead unit's head
    completes a 办件."""

    state: str
    office: str = "clerk"
    handling: str = "action"
    important: bool = False
    chaser: str = ""
    return_reason: str = ""
    proposal: str = ""
    leader: str = "director"
    instruction: str = ""
    lead: str = ""
    assisting: tuple[str, ...] = ()
    time_limit_days: int | None = None  # a time limit this many days ahead
    overdue_since_days: int = 0  # the lead unit's clock started this many days ago …
    overdue_working_days: int = 0  # … for this many working days: it has run out
    supervise: bool = False
    readers: tuple[tuple[str, ...], ...] = ()  # (username, "sent" | "opened" | "read"[, comment])
    circulation_note: str = "请阅"
    chase: str = ""  # a 催办 by the chaser (or else the office)
    result: str = ""
    reply: str = ""
    retention: str = "30年"


@dataclass(frozen=True)
class DemoIncoming(IncomingSteps):
    """A document from outside the system, signed for by ``office`` for 临江市人民政府."""

    title: str = ""
    sender_organ: str = ""
    sender_number: str = ""
    kind: str = "notice"
    urgency: str = ""
    channel: str = "paper"
    body: str = ""
    level: Level = I
    basis: str = ""
    receiving_unit: str = "LJ"


@dataclass(frozen=True)
class DemoDelivery(IncomingSteps):
    """One of the demo office's issued documents as it arrived (系统内交换) in ``unit``'s queue."""

    outgoing_title: str = ""
    unit: str = ""


DEMO_INCOMING = [
    DemoIncoming(
        "signed",
        title="江东省应急管理厅关于做好近期强降雨天气防范应对工作的紧急通知",
        sender_organ="江东省应急管理厅",
        sender_number="江东应急〔2026〕21号",
        urgency="extra_urgent",
        channel="fax",
        body="据省气象台预报，未来三天我省将出现大范围强降雨过程。\n"
        "一、各地要立即启动防汛应急响应，加强值班值守。\n"
        "二、对山洪地质灾害隐患点、在建工地开展拉网式排查。",
    ),
    DemoIncoming(
        "registered",
        title="江东省商务厅关于组织参加第139届中国进出口商品交易会的通知",
        sender_organ="江东省商务厅",
        sender_number="江东商贸〔2026〕9号",
        channel="electronic",
        body="第139届中国进出口商品交易会定于2026年4月15日在广州开幕，请各市组织本地企业参展。",
    ),
    DemoIncoming(
        "returned",
        title="江东省发展和改革委员会关于报送2026年省重点项目建议清单的通知",
        sender_organ="江东省发展和改革委员会",
        sender_number="江东发改投资〔2026〕15号",
        channel="electronic",
        return_reason="来文所称附件《重点项目申报表》缺失，请补齐附件后重新报送。",
        body="请各市于2026年2月28日前报送2026年省重点项目建议清单（附件：重点项目申报表）。",
    ),
    DemoIncoming(
        "proposal",
        title="江东省住房和城乡建设厅关于开展城镇燃气安全专项整治的通知",
        sender_organ="江东省住房和城乡建设厅",
        sender_number="江东建城〔2026〕6号",
        important=True,
        chaser="supervisor",
        body="为切实防范化解城镇燃气安全风险，决定在全省开展城镇燃气安全专项整治。\n"
        "一、整治范围：燃气经营企业、餐饮等人员密集场所。\n"
        "二、时间安排：2026年3月至12月。",
    ),
    DemoIncoming(
        "instruction",
        title="江东省人民政府关于加快推进数字政府建设的实施意见",
        sender_organ="江东省人民政府",
        sender_number="江东政发〔2026〕2号",
        kind="opinion",
        proposal="建议由市发展改革局牵头，市财政局配合，研究提出我市贯彻落实意见，报市政府常务会议审议。",
        body="为全面提升政府数字化履职能力，现就加快推进数字政府建设提出如下实施意见。\n"
        "一、总体要求\n二、主要任务\n三、保障措施",
    ),
    DemoIncoming(
        "instruction",
        office="office_chief",
        title="江东省人民政府办公厅关于重大项目用地保障有关事项的通知",
        sender_organ="江东省人民政府办公厅",
        sender_number="江东政办发〔2026〕11号",
        level=S,
        basis="来文标注：机密★20年",
        proposal="建议送市长阅示，由市发展改革局会同市住建局研究落实。",
        body="一、用地指标安排……\n二、保障措施……",
    ),
    DemoIncoming(
        "handling",
        title="江东省人民政府办公厅关于做好2026年春季农业生产工作的通知",
        sender_organ="江东省人民政府办公厅",
        sender_number="江东政办发〔2026〕3号",
        urgency="urgent",
        chaser="supervisor",
        proposal="建议由市发展改革局牵头落实，市财政局做好资金保障，请李明华市长批示。",
        instruction="请市发展改革局牵头，市财政局配合，抓好春耕备耕各项工作，按时报送落实情况。",
        lead="LJ-FGJ",
        assisting=("LJ-CZJ",),
        time_limit_days=4,
        supervise=True,
        body="一、稳定粮食播种面积\n二、抓好农资供应\n三、做好气象灾害防御",
    ),
    DemoIncoming(
        "handling",
        title="江东省人民政府关于下达2026年度省重点项目投资计划的通知",
        sender_organ="江东省人民政府",
        sender_number="江东政发〔2026〕8号",
        important=True,
        chaser="supervisor",
        proposal="建议由市发展改革局牵头分解下达，市住建局配合做好项目建设推进。",
        instruction="同意。请市发展改革局尽快分解下达，确保一季度开工率。",
        lead="LJ-FGJ",
        assisting=("LJ-ZJJ",),
        overdue_since_days=30,
        overdue_working_days=10,
        chase="该文已超过办理时限，请市发展改革局抓紧办理并报送办理结果。",
        body="现将2026年度省重点项目投资计划下达给你们，请认真组织实施。",
    ),
    DemoIncoming(
        "handling",
        title="江东省财政厅关于开展2026年度预算执行情况检查的通知",
        sender_organ="江东省财政厅",
        sender_number="江东财监〔2026〕7号",
        channel="electronic",
        proposal="建议由市财政局办理。",
        instruction="请市财政局按要求组织自查并报送检查报告。",
        lead="LJ-CZJ",
        overdue_since_days=14,
        overdue_working_days=5,
        body="请各市于收文后5个工作日内完成预算执行情况自查，并报送自查报告。",
    ),
    DemoIncoming(
        "circulating",
        title="国务院办公厅关于进一步优化政务服务提升行政效能的意见",
        sender_organ="国务院办公厅",
        sender_number="国办发〔2026〕5号",
        kind="opinion",
        channel="electronic",
        handling="reading",
        circulation_note="国务院办公厅文件，请各位领导阅示",
        readers=(
            ("director", "read", "已阅。请市政府办公室结合我市实际，研究提出落实措施。"),
            ("vice_mayor", "opened"),
            ("secretary_general", "sent"),
            ("office_chief", "read", "已阅，办公室牵头研究落实。"),
        ),
        body="优化政务服务、提升行政效能，是深化“放管服”改革的重要举措。\n"
        "一、推进政务服务事项标准化\n二、深化“一网通办”\n三、强化监督评估",
    ),
    DemoIncoming(
        "done",
        title="江东省财政厅关于报送2025年度财政决算报表的通知",
        sender_organ="江东省财政厅",
        sender_number="江东财预〔2026〕12号",
        channel="electronic",
        proposal="建议由市财政局办理，市发展改革局提供项目资金执行数据。",
        instruction="请市财政局按时报送，市发展改革局配合。",
        lead="LJ-CZJ",
        assisting=("LJ-FGJ",),
        time_limit_days=10,
        result="已按要求编制并报送2025年度财政决算报表。",
        reply="已通过财政决算系统按时报送，纸质报表同步寄送省财政厅预算处。",
        body="请于2026年3月15日前报送2025年度财政决算报表。",
    ),
    DemoIncoming(
        "archived",
        title="江东省人民政府办公厅关于2025年度全省政务公开工作考核结果的通报",
        sender_organ="江东省人民政府办公厅",
        sender_number="江东政办函〔2026〕4号",
        kind="bulletin",
        channel="electronic",
        handling="reading",
        circulation_note="请阅知",
        readers=(("director", "read", "已阅。"), ("office_chief", "read", "已阅。")),
        result="已传阅完毕。",
        retention="10年",
        body="经考核，临江市2025年度政务公开工作考核结果为优秀。",
    ),
]

FLOOD_NOTICE = "临江市人民政府关于做好2026年度防汛准备工作的通知"

# The bureaus' queues after 核发: some signed for and moved along, the rest still 待签收.
DEMO_DELIVERIES = [
    DemoDelivery(
        "handling",
        outgoing_title=FLOOD_NOTICE,
        unit="LJ-FGJ",
        office="fgj_office",
        leader="fgj_director",
        proposal="建议由固定资产投资科牵头，对在建工程开展汛前隐患排查，综合规划科配合。",
        instruction="同意。请固定资产投资科牵头，4月30日前完成排查整改。",
        lead="LJ-FGJ-TZ",
        assisting=("LJ-FGJ-GH",),
        time_limit_days=6,
    ),
    DemoDelivery("registered", outgoing_title=FLOOD_NOTICE, unit="LJ-ZJJ", office="zjj_office"),
    DemoDelivery("signed", outgoing_title=FLOOD_NOTICE, unit="LJ-CZJ", office="czj_office"),
    DemoDelivery(
        "circulating",
        outgoing_title="临江市人民政府办公室关于表扬2025年度政务信息工作先进单位的通报",
        unit="LJ-SWJ",
        office="swj_office",
        handling="reading",
        circulation_note="市政府办公室通报，请阅",
        readers=(
            ("swj_director", "read", "已阅，请办公室继续做好信息报送。"),
            ("swj_sc_chief", "opened"),
            ("staff", "sent"),
        ),
    ),
    DemoDelivery(
        "done",
        outgoing_title="临江市人民政府第12次常务会议纪要",
        unit="LJ-SWJ",
        office="swj_office",
        handling="reading",
        circulation_note="市政府常务会议纪要，请阅",
        readers=(("swj_director", "read", "已阅。"),),
        result="已传阅完毕。",
    ),
]


@dataclass(frozen=True)
class Step:
    """One action on a demo supervision task, ``day`` days from today (negative: in the past), by
    ``by``: ``input`` (an assisting unit's 协办意见), ``report`` (进展反馈, of a milestone when
    named), ``final`` (办结报告), ``accept`` (审结), ``return`` (退回重办 until ``new_due``),
    ``extend`` (延期申请 to ``new_due``) and ``approve`` (the next step of the chain)."""

    day: int
    action: str
    by: str
    text: str = ""
    percent: int | None = None
    unit: str = ""  # input: the assisting unit
    milestone: str = ""  # report: the milestone reached
    new_due: int | None = None  # return, extend: days from today
    progress: str = ""  # extend: the progress so far


REPORTED_ITEM = "城东安置小区房屋渗漏问题"  # the subject of the demo 督查专报
SOON = 999  # a due date within 3 working days of today: the yellow light's boundary


@dataclass(frozen=True)
class DemoTask:
    """A task of the split: ``lead`` answers for it by ``due`` (days from today; the item's if None)."""

    lead: str
    title: str = ""
    due: int | None = None
    assisting: tuple[str, ...] = ()
    responsible: str = ""  # the lead unit's head if empty
    milestones: tuple[tuple[str, int], ...] = ()
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class DemoItem:
    """A supervised item, opened ``opened`` days from today by ``opener`` (a 督查员) and split at
    once; its tasks' steps then happen on their days. Dates are relative to today, so on whatever
    day the demo is loaded some tasks are overdue (red), some due soon or missing a report (yellow)."""

    title: str
    requirement: str
    source: str
    opened: int
    due: int | None  # the source's default period if None
    tasks: tuple[DemoTask, ...] = ()  # none: 已立项, waiting to be split
    source_text: str = ""
    leader: str = ""
    opener: str = "supervisor"
    priority: str = "normal"
    cadence: str = "final"
    level: Level = I
    basis: str = ""
    cancel: tuple[int, str, str] = ()  # (day, by, reason)


DEMO_ITEMS = [
    DemoItem(
        "开展汛前水库堤防和在建工程隐患排查整改",
        "4月30日前完成全市水库、堤防和在建工程汛前隐患排查，隐患整改销号率达到100%。",
        "meeting",
        opened=-40,
        due=-10,
        source_text="市政府第12次常务会议纪要第二项",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                "在建工程汛前隐患排查整改",
                assisting=("LJ-FGJ",),
                responsible="zjj_jz_chief",
                steps=(
                    Step(-30, "input", "fgj_tz_chief", "已提供全市在建重大项目清单46个。", unit="LJ-FGJ"),
                    Step(-13, "final", "zjj_jz_chief", "排查在建工程46个，发现隐患58处，已全部整改销号。"),
                    Step(-12, "accept", "supervisor", "整改到位，同意审结。"),
                ),
            ),
            DemoTask(
                "LJ-FGJ",
                "重大项目工地防汛隐患排查",
                responsible="fgj_tz_chief",
                steps=(
                    Step(-15, "final", "fgj_tz_chief", "12个重大项目工地完成防汛隐患排查，落实应急物资和值守人员。"),
                    Step(-14, "accept", "supervisor", "同意审结。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "江东省审计厅反馈政府投资项目审计问题整改",
        "对审计反馈的9个问题逐项整改，追回违规资金，建立长效机制，整改情况报省审计厅。",
        "superior",
        opened=-40,
        due=-20,
        source_text="江东省审计厅审计整改通知（江东审整〔2026〕3号）",
        leader="secretary_general",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                assisting=("LJ-CZJ",),
                responsible="fgj_tz_chief",
                steps=(
                    Step(-30, "input", "czj_director", "已核实违规拨付资金1260万元，提出追回方案。", unit="LJ-CZJ"),
                    Step(-17, "final", "fgj_tz_chief", "9个问题已全部整改，追回资金1260万元，修订投资项目管理办法。"),
                    Step(-16, "accept", "supervisor", "已整改到位，但超出整改时限，予以审结并计入逾期。"),
                ),
            ),
            DemoTask(
                "LJ-CZJ",
                "追回违规拨付资金",
                responsible="czj_ys_chief",
                steps=(
                    Step(-22, "final", "czj_ys_chief", "违规拨付资金1260万元已全部追回并上缴国库。"),
                    Step(-21, "accept", "supervisor", "资金已追回，同意审结。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "市人大代表建议第45号：加快建设城乡冷链物流体系",
        "研究代表建议，提出冷链物流设施建设项目和资金安排，办理前与代表沟通，3个月内书面答复。",
        "proposal",
        opened=-40,
        due=-12,
        source_text="市十七届人大五次会议第45号建议（领衔代表：陈国栋）",
        leader="vice_mayor",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                assisting=("LJ-FGJ",),
                responsible="swj_sc_chief",
                steps=(
                    Step(-25, "input", "fgj_tz_chief", "冷链物流园项目已列入市重点项目储备库。", unit="LJ-FGJ"),
                    Step(-14, "final", "swj_sc_chief", "已书面答复代表，代表表示基本满意。"),
                    Step(
                        -13,
                        "return",
                        "supervisor",
                        "答复未附冷链物流项目清单和资金安排，请补充完善，并再次征求代表意见后重新报送。",
                        new_due=20,
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "城镇燃气安全专项整治",
        "完成燃气经营企业和餐饮等人员密集场所燃气安全隐患排查整治，每月报送整治进展。",
        "superior",
        opened=-40,
        due=50,
        source_text="江东省人民政府督查室交办（江东督办〔2026〕23号）",
        leader="vice_mayor",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                assisting=("LJ-SWJ",),
                responsible="zjj_cj_chief",
                steps=(Step(-25, "input", "swj_sc_chief", "已督促全市餐饮企业开展燃气安全自查。", unit="LJ-SWJ"),),
            ),
        ),
    ),
    DemoItem(
        "市政协提案第112号：加快推进既有住宅加装电梯",
        "简化加装电梯审批流程，落实补助资金，年内完成加装电梯80部，答复提案人。",
        "proposal",
        opened=-38,
        due=-10,
        source_text="市政协十二届五次会议第112号提案（提案人：林晓）",
        leader="vice_mayor",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                assisting=("LJ-CZJ",),
                responsible="zjj_cj_chief",
                steps=(
                    Step(-20, "input", "czj_ys_chief", "市财政已安排加装电梯补助资金800万元。", unit="LJ-CZJ"),
                    Step(-14, "report", "zjj_cj_chief", "已完成加装电梯62部，正与提案人沟通答复意见。", percent=70),
                ),
            ),
        ),
    ),
    DemoItem(
        "落实《临江市优化营商环境若干措施》",
        "各项措施分解到责任单位，压减企业开办时间至1个工作日以内，按月报送落实进展。",
        "meeting",
        opened=-35,
        due=40,
        source_text="市政府第12次常务会议纪要第一项",
        leader="director",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                "制定落实方案并组织实施",
                assisting=("LJ-SWJ", "LJ-CZJ"),
                responsible="fgj_gh_chief",
                steps=(
                    Step(-20, "input", "swj_director", "已梳理外贸企业诉求12条，建议纳入落实方案。", unit="LJ-SWJ"),
                    Step(-6, "report", "fgj_gh_chief", "已印发落实方案，分解任务36项，完成11项。", percent=40),
                ),
            ),
            DemoTask(
                "LJ-SWJ",
                "压减企业开办时间至1个工作日以内",
                due=25,
                responsible="staff",
                steps=(Step(-4, "report", "staff", "已会同市场监管部门梳理开办流程，拟合并3个环节。", percent=60),),
            ),
        ),
    ),
    DemoItem(
        REPORTED_ITEM,
        "逐户排查渗漏情况，完成维修并回访群众，群众满意后书面答复信访人。",
        "petition",
        opened=-35,
        due=-12,  # ten days or more: past even when a long holiday ended just before today
        source_text="联名信访件（临信〔2026〕118号）",
        leader="vice_mayor",
        cadence="milestone",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                responsible="zjj_jz_chief",
                milestones=(("完成入户排查并制定维修方案", -25), ("完成维修并组织回访", -13)),
                steps=(
                    Step(
                        -26,
                        "report",
                        "zjj_jz_chief",
                        "已入户排查312户，其中渗漏89户，维修方案已报审。",
                        percent=30,
                        milestone="完成入户排查并制定维修方案",
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "综合保税区申报前期工作",
        "完成区位论证、规划方案和申报材料，按程序报省政府。",
        "instruction",
        opened=-30,
        due=5,
        source_text="张卫东副市长在《关于申请设立临江综合保税区的请示》上的批示",
        leader="vice_mayor",
        cadence="milestone",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                responsible="fgj_tz_chief",
                milestones=(("完成区位论证和规划方案", -10), ("完成申报材料初稿", 3)),
                steps=(
                    Step(
                        -11,
                        "report",
                        "fgj_tz_chief",
                        "区位论证和规划方案已完成，报市政府审定。",
                        percent=40,
                        milestone="完成区位论证和规划方案",
                    ),
                    Step(
                        -8,
                        "extend",
                        "fgj_tz_chief",
                        "海关总署调整综合保税区设立评估要求，需补充产业发展专题论证。",
                        new_due=30,
                        progress="区位论证和规划方案已完成，申报材料正在编制。",
                    ),
                    Step(-7, "approve", "fgj_director", "同意。"),
                    Step(-6, "approve", "supervisor", "理由充分，同意。"),
                    Step(-5, "approve", "vice_mayor", "同意延期，请抓紧推进。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "深化预算绩效管理改革",
        "完成市级部门整体支出绩效目标审核，开展重点项目绩效评价，结果与预算安排挂钩。",
        "instruction",
        opened=-25,
        due=6,
        source_text="李明华市长在《2026年预算执行情况报告》上的批示",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-CZJ",
                responsible="czj_ys_chief",
                steps=(
                    Step(-10, "report", "czj_ys_chief", "已完成32个部门整体支出绩效目标审核。", percent=50),
                    Step(
                        -2,
                        "extend",
                        "czj_ys_chief",
                        "需待省财政厅印发绩效评价指标体系后统一开展评价。",
                        new_due=40,
                        progress="绩效目标审核已完成，重点项目评价待指标体系印发后开展。",
                    ),
                    Step(-2, "approve", "czj_director", "同意。"),
                    Step(-1, "approve", "supervisor", "同意，报市长审批。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "研究提出优化政务服务提升行政效能的落实措施",
        "结合我市实际提出落实措施，形成实施方案送审稿。",
        "document",
        opened=-20,
        due=10,
        source_text="国务院办公厅关于进一步优化政务服务提升行政效能的意见（国办发〔2026〕5号）",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                responsible="fgj_office",
                steps=(
                    Step(
                        -1,
                        "final",
                        "fgj_office",
                        "已研究提出落实措施20条，形成《临江市优化政务服务提升行政效能实施方案（送审稿）》。",
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "全市重点项目布局调整方案落实",
        "按调整方案做好综合保税区备选用地和先进制造业集聚区的规划衔接，每季度报送进展。",
        "instruction",
        opened=-20,
        due=90,
        source_text="李明华市长批示",
        leader="director",
        opener="dc_chief",
        cadence="quarterly",
        level=S,
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        tasks=(DemoTask("LJ-FGJ", responsible="fgj_director"),),
    ),
    DemoItem(
        "筹办临江国际马拉松赛",
        "制定赛事方案，落实赛道、安保和医疗保障。",
        "instruction",
        opened=-15,
        due=30,
        source_text="张卫东副市长批示",
        leader="vice_mayor",
        tasks=(DemoTask("LJ-ZJJ", assisting=("LJ-SWJ",), responsible="zjj_cj_chief"),),
        cancel=(-5, "vice_mayor", "赛事经市政府研究延期至明年举办，本事项撤销。"),
    ),
    DemoItem(
        "招商引资重大项目签约推进",
        "按谈判方案推进重大项目签约，严格控制知悉范围，按节点报送进展。",
        "instruction",
        opened=-10,
        due=20,
        source_text="李明华市长批示",
        leader="director",
        cadence="milestone",
        level=C,
        basis="商务工作国家秘密范围",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                responsible="swj_my_chief",
                milestones=(("完成项目框架协议谈判", 8),),
                steps=(Step(-3, "report", "swj_my_chief", "已与投资方完成第三轮谈判。", percent=40),),
            ),
        ),
    ),
    DemoItem(
        "强降雨期间生活必需品市场保供",
        "启动重要民生商品日监测，确保粮油、蔬菜、肉蛋奶供应充足、价格基本稳定。",
        "instruction",
        opened=-2,
        due=SOON,
        source_text="李明华市长在《强降雨天气防范应对情况专报》上的批示",
        leader="director",
        priority="urgent",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                responsible="staff",
                steps=(Step(-1, "report", "staff", "已启动重要民生商品日监测，储备蔬菜300吨。", percent=50),),
            ),
        ),
    ),
    DemoItem(
        "加快推进城市更新行动",
        "梳理全市城市更新片区，提出2027年度实施计划和资金平衡方案，报市政府常务会议审议。",
        "instruction",
        opened=0,
        due=None,
        source_text="张卫东副市长在《城市更新工作情况汇报》上的批示",
        leader="vice_mayor",
    ),
]


@contextmanager
def _as_of(days: int) -> Iterator[None]:
    """Act ``days`` days from now (negative: in the past), as the tests' time machine does: the services
    stamp their events, deadlines, reports and reviews with that day. Only the demo does this, so that
    on whatever day it is loaded some work is overdue, some due soon and some done on time or late."""
    if days == 0:
        yield
        return
    real_now, shift = timezone.now, timedelta(days=days)
    with mock.patch.object(timezone, "now", lambda: real_now() + shift):
        yield


def _demo_people() -> dict[str, Person]:
    """The demo people by username."""
    return {p.user.username: p for p in Person.objects.filter(is_demo=True).select_related("user", "unit")}


def _content(text: str, level: Level) -> str:
    """``text``, or nothing above the deployment's ceiling, where only the register is kept (the
    demo raises the ceiling to 绝密)."""
    return text if level <= settings.SHUNIU_CLASSIFICATION_CEILING else ""


class Command(BaseCommand):
    help = "载入演示机关（临江市人民政府）及演示账号；可重复运行。仅在演示模式（SHUNIU_DEMO=1）下可用。"

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="只打印演示账号，不写数据库。")

    def handle(self, *args, print_logins: bool = False, **options):
        if not settings.SHUNIU_DEMO:
            raise CommandError("演示数据只能在演示模式下载入：请设置 SHUNIU_DEMO=1（make run 会设置）。")
        if print_logins:
            self._print_logins()
            return
        created_units, created_people = self._seed()
        self.stdout.write(
            f"demo office: {created_units} units and {created_people} people created "
            f"({Unit.objects.count()} units, {Person.objects.count()} people in all)"
        )

    @transaction.atomic
    def _seed(self) -> tuple[int, int]:
        units: dict[str, Unit] = {}
        created_units = 0
        for spec in UNITS:
            unit = Unit.objects.filter(code=spec.code).first()
            if unit is None:
                # Written directly: org.services.unit_create wants a 系统管理员, and there is none
                # before there are units to put people in (an installation starts the same way).
                unit = Unit(
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    parent=units.get(spec.parent),
                    sort_order=len(units),
                )
                unit.full_clean()
                unit.save()
                created_units += 1
            units[spec.code] = unit

        created_people = 0
        people: dict[str, Person] = {}
        for index, spec in enumerate(PEOPLE):
            person = Person.objects.filter(user__username=spec.username).first()
            if person is None:
                person = services.person_create(
                    actor=None,
                    username=spec.username,
                    name=spec.name,
                    unit=units[spec.unit],
                    post=spec.post,
                    clearance=spec.clearance,
                    roles=spec.roles,
                    password=settings.DEMO_PASSWORD,
                    is_demo=True,
                    phone=f"0571-8{6100001 + index:07d}",
                )
                created_people += 1
            people[spec.username] = person
        for spec in PEOPLE:
            unit = units[spec.unit]
            if spec.head and unit.head_id is None:
                units[spec.unit] = services.unit_update(
                    actor=people["sysadmin"].user, unit=unit, head=people[spec.username]
                )
        self._seed_confidentiality(units)
        self._seed_deadlines(units)
        self._seed_documents(units)
        self._seed_supervision_office(units)
        self._seed_supervision(units)
        self._seed_incoming(units)
        self._seed_supervision_drafts()
        return created_units, created_people

    def _seed_documents(self, units: dict[str, Unit]) -> None:
        """The 发文代字 series of the demo office and an outgoing document in every state, each
        walked there through the services by the demo people whose step it is."""
        from documents.models import DocumentSeries, OutgoingDocument

        for spec in DEMO_SERIES:
            if not DocumentSeries.objects.filter(code=spec.code).exists():
                # Written directly: series are reference data that administrators keep in the admin
                # (documents.services has no action for them).
                series = DocumentSeries(
                    code=spec.code,
                    organ=units[spec.organ],
                    office=units[spec.office],
                    issuer_name=spec.issuer_name,
                    template=spec.template,
                )
                series.full_clean()
                series.save()
        series = {s.code: s for s in DocumentSeries.objects.select_related("organ__head__user")}
        people = _demo_people()
        for spec in DEMO_DOCUMENTS:
            if OutgoingDocument.objects.filter(title=spec.title).exists():
                continue
            self._walk_document(self._draft_document(spec, series[spec.series], units, people), spec, people)

    def _draft_document(self, spec: DemoDocument, series, units: dict[str, Unit], people: dict[str, Person]):
        from documents import services as documents

        return documents.outgoing_create(
            actor=people[spec.drafter].user,
            series=series,
            title=spec.title,
            kind=spec.kind,
            level=spec.level,
            basis=spec.basis,
            main_to_units=[units[code] for code in spec.main_to],
            cc_units=[units[code] for code in spec.cc],
            countersign_units=[units[code] for code in spec.countersign],
            main_to_external=spec.main_to_external,
            cc_external=spec.cc_external,
            direction=spec.direction,
            urgency=spec.urgency,
            important=spec.important,
            designated_signer=people[spec.designated_signer] if spec.designated_signer else None,
            body=_content(spec.body, spec.level),
            attachment_note=spec.attachment_note,
            note=spec.note,
            disclosure=spec.disclosure,
            disclosure_reason=spec.disclosure_reason,
            copies=spec.copies,
        )

    def _walk_document(self, document, spec: DemoDocument, people: dict[str, Person]) -> None:
        from documents import services as documents
        from documents.models import CountersignState
        from documents.models import DocumentState as D

        main_line = [D.DRAFT, D.REVIEW, D.COUNTERSIGN, D.SIGNOFF, D.RECHECK, D.REGISTERED, D.ISSUED, D.ARCHIVED]
        drafter, reviewer, registrar = (
            people[spec.drafter].user,
            people[spec.reviewer].user,
            people[spec.registrar].user,
        )
        signer = document.series.organ.head.user  # the principal leader of the series' organ
        if spec.state == D.VOIDED:
            documents.outgoing_void_draft(actor=drafter, document=document, reason=spec.reason)
            return
        target = D.ISSUED if spec.state in (D.REVOKED, D.ABOLISHED) else spec.state
        if spec.returned_at_review:
            documents.outgoing_submit(actor=drafter, document=document)
            documents.outgoing_review(actor=reviewer, document=document, approve=False, comment=spec.returned_at_review)
        while main_line.index(document.state) < main_line.index(target):
            state = document.state
            if state == D.DRAFT:
                document = documents.outgoing_submit(actor=drafter, document=document, comment="请审核")
            elif state == D.REVIEW:
                document = documents.outgoing_review(
                    actor=reviewer, document=document, approve=True, comment="内容、格式、文字已审核"
                )
            elif state == D.COUNTERSIGN:
                pending = document.countersigns.filter(state=CountersignState.PENDING).select_related("unit__head")
                for countersign in pending:
                    document = documents.outgoing_countersign(
                        actor=countersign.unit.head.user,
                        document=document,
                        unit=countersign.unit,
                        agree=True,
                        opinion="同意",
                    )
            elif state == D.SIGNOFF:
                document = documents.outgoing_sign(actor=signer, document=document, approve=True, opinion="同意印发")
            elif state == D.RECHECK:
                document = documents.outgoing_register(actor=registrar, document=document)
            elif state == D.REGISTERED:
                document = documents.outgoing_issue(actor=registrar, document=document)
            elif state == D.ISSUED:
                document = documents.outgoing_archive(actor=registrar, document=document, retention=spec.retention)
        if spec.state in (D.REVOKED, D.ABOLISHED):
            documents.outgoing_end(
                actor=people["office_chief"].user,
                document=document,
                abolish=spec.state == D.ABOLISHED,
                reason=spec.reason,
            )

    def _seed_incoming(self, units: dict[str, Unit]) -> None:
        """Incoming documents at every step: from outside the system (江东省 and 国务院办公厅),
        signed for by the office, and the demo office's issued documents in the bureaus' queues,
        some signed for and moved along — each through the services by the people whose step it
        is. Two are overdue (their lead unit's clock started in the past). Skipped when the demo
        documents are there already."""
        from documents import incoming
        from documents.models import IncomingDocument, IncomingState

        if IncomingDocument.objects.filter(title__in=[spec.title for spec in DEMO_INCOMING]).exists():
            return
        people = _demo_people()
        for spec in DEMO_INCOMING:
            document = incoming.incoming_receive(
                actor=people[spec.office].user,
                receiving_unit=units[spec.receiving_unit],
                sender_organ=spec.sender_organ,
                sender_number=spec.sender_number,
                title=spec.title,
                kind=spec.kind,
                urgency=spec.urgency,
                channel=spec.channel,
                body=_content(spec.body, spec.level),
                level=spec.level,
                basis=spec.basis,
            )
            self._walk_incoming(document, spec, units, people)
        for spec in DEMO_DELIVERIES:
            delivered = IncomingDocument.objects.filter(
                source_outgoing__title=spec.outgoing_title, receiving_unit=units[spec.unit], state=IncomingState.PENDING
            ).first()
            if delivered is not None:
                document = incoming.incoming_sign_for(actor=people[spec.office].user, document=delivered)
                self._walk_incoming(document, spec, units, people)

    def _walk_incoming(self, document, spec: IncomingSteps, units: dict[str, Unit], people: dict[str, Person]):
        from documents import incoming
        from documents.models import Handling
        from documents.models import IncomingState as IS
        from office.reminders import services as reminders

        office, leader = people[spec.office].user, people[spec.leader]
        today = timezone.localdate()
        if spec.state == IS.SIGNED:
            return
        document = incoming.incoming_register(actor=office, document=document)
        if spec.state == IS.REGISTERED:
            return
        if spec.state == IS.RETURNED:
            incoming.incoming_screen(actor=office, document=document, accept=False, reason=spec.return_reason)
            return
        document = incoming.incoming_screen(
            actor=office,
            document=document,
            accept=True,
            handling=spec.handling,
            important=spec.important,
            chaser=people[spec.chaser] if spec.chaser else None,
        )
        if spec.handling == Handling.ACTION:
            if spec.state == IS.PROPOSAL:
                return
            document = incoming.incoming_propose(actor=office, document=document, proposal=spec.proposal, leader=leader)
            if spec.state == IS.INSTRUCTION:
                return
            lead = units[spec.lead]
            document = incoming.incoming_instruct(
                actor=leader.user,
                document=document,
                instruction=spec.instruction or "同意拟办意见。",
                lead_unit=lead,
                assisting_units=[units[code] for code in spec.assisting],
                time_limit=today + timedelta(days=spec.time_limit_days) if spec.time_limit_days else None,
                supervise=spec.supervise,
            )
            if spec.overdue_since_days:
                # The time limit runs from receipt, weeks ago: the lead unit's clock restarts there.
                for deadline in reminders.deadlines_of(document):
                    if deadline.state == "open" and deadline.responsible_unit_id == lead.pk:
                        reminders.deadline_cancel(
                            actor=office, deadline=deadline, reason="办理时限自来文签收之日起计算"
                        )
                reminders.deadline_open(
                    actor=office,
                    subject=document,
                    kind="document",
                    start=today - timedelta(days=spec.overdue_since_days),
                    amount=spec.overdue_working_days,
                    unit="working_days",
                    responsible_unit=lead,
                    leader=leader,
                )
            if spec.chase:
                chaser = people[spec.chaser].user if spec.chaser else office
                document = incoming.incoming_chase(actor=chaser, document=document, message=spec.chase)
            if spec.state == IS.HANDLING:
                return
            for code in spec.assisting:
                unit = units[code]
                document = incoming.incoming_unit_done(
                    actor=unit.head.user, document=document, unit=unit, note="已提供相关材料，请主办单位汇总。"
                )
            completer = lead.head.user
        else:
            circulation = incoming.circulation_start(
                actor=office,
                document=document,
                readers=[people[reader[0]] for reader in spec.readers],
                note=spec.circulation_note,
            )
            for row in circulation.readers.select_related("person__user"):
                state = next(reader for reader in spec.readers if reader[0] == row.person.user.username)
                if state[1] in ("opened", "read"):
                    row = incoming.circulation_open(actor=row.person.user, reader=row)
                if state[1] == "read":
                    incoming.circulation_read(actor=row.person.user, reader=row, comment=state[2])
            if spec.state == IS.CIRCULATING:
                return
            completer = office
        document = incoming.incoming_complete(actor=completer, document=document, result=spec.result, reply=spec.reply)
        if spec.state == IS.DONE:
            return
        incoming.incoming_archive(actor=office, document=document, retention=spec.retention)

    def _seed_supervision_office(self, units: dict[str, Unit]) -> None:
        """督查科 supervises: items are opened there, and very overdue tasks and reports are escalated
        to it (the 督查督办 deadline kinds' supervising unit). Written directly: deadline kinds are
        reference data that administrators set in the admin (office.reminders.services has no action
        for them)."""
        from office.reminders.models import DeadlineKind

        DeadlineKind.objects.filter(code__in=["supervision", "supervision-report"], supervising_unit=None).update(
            supervising_unit=units["LJ-BGS-DC"]
        )

    def _seed_supervision(self, units: dict[str, Unit]) -> None:
        """督查督办 items from every source and in every state, each opened, split, reported, reviewed,
        extended or cancelled through the services by the people whose step it is, on its day (see
        ``_as_of``), oldest first so that the 督办编号 follow the days they were opened. (The mayor's
        批示 列入督办 on an incoming document opens one more, today.) Items already there are skipped,
        and so are classified ones above the deployment's ceiling (an item's requirement is content)."""
        from supervision.models import SupervisionItem

        people = _demo_people()
        titles = [spec.title for spec in DEMO_ITEMS]
        existing = set(SupervisionItem.objects.filter(title__in=titles).values_list("title", flat=True))
        today = timezone.localdate()
        for spec in DEMO_ITEMS:
            if spec.title not in existing and spec.level <= settings.SHUNIU_CLASSIFICATION_CEILING:
                self._walk_item(spec, today, units, people)

    def _seed_supervision_drafts(self) -> None:
        """The 督查员's 通报 on the year so far and a 督查专报 on an overdue item, as outgoing drafts
        waiting for 核稿 like any document."""
        from documents.models import DocumentSeries, OutgoingDocument
        from supervision import services as supervision
        from supervision.models import SupervisionItem

        supervisor = Person.objects.select_related("user").get(user__username="supervisor")
        series = DocumentSeries.objects.get(code="临府办发")
        today = timezone.localdate()
        title = f"关于{today.year}年以来督查督办事项办理情况的通报"
        if not OutgoingDocument.objects.filter(title=title).exists():
            supervision.draft_bulletin(
                actor=supervisor.user, series=series, start=today.replace(month=1, day=1), end=today, title=title
            )
        item = SupervisionItem.objects.filter(title=REPORTED_ITEM).first()
        if item and not OutgoingDocument.objects.filter(kind="report", drafter=supervisor).exists():
            supervision.draft_report(actor=supervisor.user, series=series, items=[item])

    def _walk_item(self, spec: DemoItem, today: date, units: dict[str, Unit], people: dict[str, Person]) -> None:
        from supervision import selectors
        from supervision import services as supervision
        from supervision.models import ExtensionRequest, ExtensionState

        def day(offset: int) -> date:
            return selectors.soon_after(today) if offset == SOON else today + timedelta(days=offset)

        with _as_of(spec.opened):
            item = supervision.open_item(
                actor=people[spec.opener].user,
                title=spec.title,
                requirement=spec.requirement,
                source=spec.source,
                source_text=spec.source_text,
                instructing_leader=people[spec.leader] if spec.leader else None,
                priority=spec.priority,
                cadence=spec.cadence,
                due=None if spec.due is None else day(spec.due),
                level=spec.level,
                basis=spec.basis,
            )
            if not spec.tasks:
                return
            tasks = supervision.split_item(
                actor=people[spec.opener].user,
                item=item,
                tasks=[
                    supervision.TaskSpec(
                        lead_unit=units[task.lead],
                        title=task.title,
                        assisting_units=[units[code] for code in task.assisting],
                        responsible_person=people[task.responsible] if task.responsible else None,
                        due=None if task.due is None else day(task.due),
                        milestones=[(title, day(offset)) for title, offset in task.milestones],
                    )
                    for task in spec.tasks
                ],
            )
        steps = sorted(
            ((step, task) for task, task_spec in zip(tasks, spec.tasks, strict=True) for step in task_spec.steps),
            key=lambda pair: pair[0].day,
        )
        for step, task in steps:
            actor = people[step.by].user
            with _as_of(step.day):
                if step.action == "input":
                    supervision.send_input(actor=actor, task=task, unit=units[step.unit], text=step.text)
                elif step.action in ("report", "final"):
                    supervision.report_progress(
                        actor=actor,
                        task=task,
                        text=step.text,
                        percent=step.percent,
                        milestone=task.milestones.get(title=step.milestone) if step.milestone else None,
                        final=step.action == "final",
                    )
                elif step.action in ("accept", "return"):
                    supervision.review_task(
                        actor=actor,
                        task=task,
                        accept=step.action == "accept",
                        comment=step.text if step.action == "accept" else "",
                        missing=step.text if step.action == "return" else "",
                        new_due=day(step.new_due) if step.new_due is not None else None,
                    )
                elif step.action == "extend":
                    supervision.request_extension(
                        actor=actor, task=task, reason=step.text, new_due=day(step.new_due), progress=step.progress
                    )
                elif step.action == "approve":
                    request = ExtensionRequest.objects.get(task=task, state=ExtensionState.PENDING)
                    supervision.decide_extension(actor=actor, request=request, approve=True, comment=step.text)
                else:
                    raise CommandError(f"unknown demo step {step.action!r}")
        if spec.cancel:
            offset, by, reason = spec.cancel
            with _as_of(offset):
                supervision.cancel_item(actor=people[by].user, item=item, reason=reason)

    def _seed_deadlines(self, units: dict[str, Unit]) -> None:
        """A few due dates around today, so the reminders, badges and the bell have something to show."""
        from office.confidentiality import services as secrecy
        from office.confidentiality.models import Carrier
        from office.reminders import services as reminders

        subject = Carrier.objects.filter(title="市政府常务会议议题安排（内部）").first()
        if subject is None or reminders.deadlines_of(subject):
            return
        today = timezone.localdate()
        people = _demo_people()
        # The 会务科's agenda is the city government's own: the bureau's 承办人 who answers for its
        # materials is brought into its 知悉范围 first (a 承办人 must be able to open his subject).
        secrecy.grant(
            actor=subject.created_by.user, record=subject, person=people["staff"], reason="承办常务会议议题材料报送"
        )
        # due in two days, overdue by a week, and due in a month; opened as the office would.
        for person, start, amount, unit in [
            ("staff", today - timedelta(days=13), 15, "calendar_days"),
            ("staff", today - timedelta(days=37), 30, "calendar_days"),
            ("clerk", today, 20, "working_days"),
        ]:
            reminders.deadline_open(
                actor=None,
                subject=subject,
                kind="general",
                start=start,
                amount=amount,
                unit=unit,
                responsible_person=people[person],
                leader=people["office_chief"],
            )

    def _seed_confidentiality(self, units: dict[str, Unit]) -> None:
        """A few carriers in the 保密 register, with grants and numbered copies."""
        from office.confidentiality import services as secrecy
        from office.confidentiality.models import Carrier

        people = _demo_people()
        officer = people["security_officer"]
        for spec in DEMO_CARRIERS:
            if Carrier.objects.filter(title=spec.title).exists():
                continue
            carrier = secrecy.carrier_register(
                actor=officer.user if spec.level <= officer.clearance else people["director"].user,
                title=spec.title,
                unit=units[spec.unit],
                level=spec.level,
                kind=spec.kind,
                reference=spec.reference,
                source_organ=spec.source,
                content=_content(spec.content, spec.level),
                basis=spec.basis,
                term_unit=spec.term_unit,
                term_amount=spec.term_amount,
                condition=spec.condition,
            )
            registrar = carrier.created_by.user
            for username in spec.grant:
                secrecy.grant(actor=registrar, record=carrier, person=people[username], reason="工作需要")
            for holder in spec.copies:
                target = {"holder_person": people[holder]} if holder in people else {"holder_unit": units[holder]}
                secrecy.copy_issue(
                    actor=registrar, record=carrier, due_back=timezone.localdate() + timedelta(days=30), **target
                )

    def _print_logins(self) -> None:
        width = max(len(person.username) for person in DEMO_LOGINS)
        self.stdout.write(f"演示账号 / demo logins (password: {settings.DEMO_PASSWORD}):")
        for person in DEMO_LOGINS:
            self.stdout.write(f"  {person.username.ljust(width)}  {person.name}  {person.login}")
