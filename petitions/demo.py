"""The demo office's 信访: the 信访科 (LJ-BGS-XF) registers letters, visits, calls and transfers from
every channel, and each case is walked through the services by the people whose step it is, on
its day (``office.demo.as_of``), to every state: 待处理, 待受理, 办理中 (one in 听证, one extended,
one past its 60 days), 已答复, 复查中, 复核中, 已办结, 不予受理 (诉访分离, and 不再受理 of a repeat after
the final 复核) and 已并案. Every answer's 答复意见书 is a 信函 walked through ``documents`` (核稿,
签发, 登记) before it is served.

Dates are relative to today, so on whatever day the demo is loaded some cases are past their clock.
Cases already there (by summary) are skipped: a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from documents.models import DocumentSeries, OutgoingDocument
from documents.models import DocumentState as D
from documents.outgoing import services as documents
from office import demo
from office.org import services as org
from office.org.models import Unit, UnitKind
from petitions import services
from petitions.disclosure import demo as disclosure_demo
from petitions.models import (
    Channel,
    Dispute,
    IssueCategory,
    Kind,
    LeaderCase,
    NoteKind,
    PetitionCase,
    PetitionerKind,
    Reception,
    RegistrationCounter,
    RoutingRule,
    Satisfaction,
    ServiceMethod,
)
from petitions.models import Route as R
from petitions.proposals import demo as proposals_demo

REPORTED_CASE = "城东安置小区房屋渗漏问题"  # 临信〔2026〕118号, the source of 督〔2026〕7号
REPORTED_SEQUENCE = 118

# 问题属地: the city's districts, each with its 信访局 (属地管理: where a district's matters may be
# sent). No demo people work there: the cases name them as where a matter arose.
DISTRICTS = (
    ("LJ-CD", "临江市城东区人民政府", "城东区", "城东区信访局"),
    ("LJ-CX", "临江市城西区人民政府", "城西区", "城西区信访局"),
)

# The letter series each answering organ drafts its 答复意见书 in, with who 核稿, 签发 and 登记.
LETTER_SERIES = {
    "LJ": ("临府办函", "ms_chief", "office_chief", "clerk"),
    "LJ-ZJJ": ("临建函", "zjj_office", "zjj_director", "zjj_office"),
}

# The routing table: (category code, area code or None) → unit code.
ROUTING = (
    ("construction-housing", "LJ-CD", "LJ-ZJJ"),
    ("construction-property", None, "LJ-ZJJ"),
    ("commerce-consumer", None, "LJ-SWJ"),
    ("economy-finance", None, "LJ-CZJ"),
)


@dataclass(frozen=True)
class P:
    """A 信访人 (fictional: the ID numbers fail no check but belong to nobody)."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    kind: str = PetitionerKind.PERSON
    representative: bool = False


@dataclass(frozen=True)
class Act:
    """One step, ``day`` days from today, by ``by`` (a demo username), with the service's arguments."""

    day: int
    action: str
    by: str = "petition_officer"
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoCase:
    title: str
    channel: str
    kind: str
    category: str
    content: str
    received: int
    petitioners: tuple[P, ...]
    steps: tuple[Act, ...] = ()
    area: str = ""
    headcount: int | None = None
    urgent: bool = False
    superior_number: str = ""
    accused_unit: str = ""
    beyond_level: str = ""
    registrar: str = "petition_officer"


WANG = P("王建民", "330102196505121234", "13805710001", "临江市城东区安居路8号")
ZHOU = P("周桂芳", "330103197203153327", "13905710002", "临江市城西区河畔新村12幢")
OFFICER, ZJJ = "petition_officer", "zjj_cj_chief"
FACTS = "经实地核查，反映的情况基本属实，相关单位已制定整改方案。"
BASIS = "《信访工作条例》第三十二条及相关政策规定。"


def reply(day: int, by: str = OFFICER, opinion: str = "support", facts: str = FACTS) -> Act:
    """The 答复意见 and its 答复意见书 signed and registered in ``documents`` the same day."""
    return Act(day, "reply", by, {"opinion": opinion, "facts": facts, "basis": BASIS})


def serve(day: int, by: str = OFFICER, method: str = ServiceMethod.POST) -> Act:
    return Act(day, "serve", by, {"method": method, "receipt": "邮政EMS回执已归档"})


def transfer(day: int, unit: str = "LJ-ZJJ", handler: str = ZJJ) -> Act:
    return Act(day, "route", args={"route": R.TRANSFER, "unit": unit, "handler": handler})


DIRECT = {"route": R.DIRECT, "unit": "LJ-BGS-XF", "handler": OFFICER}

DEMO_CASES = [
    # 已办结 after the final 复核: answered by 住建局, 复查 by the 办公室, 复核 by the 市政府.
    DemoCase(
        "要求解决安居路老旧小区加装电梯补贴问题",
        Channel.ONLINE,
        Kind.CLAIM,
        "construction-housing",
        "本人所住小区加装电梯已竣工，申请的加装电梯补贴至今未发放，要求按政策发放补贴。",
        -150,
        (WANG,),
        (
            transfer(-149),
            Act(-147, "accept", ZJJ),
            reply(-120, ZJJ, "partial", "小区加装电梯已验收，补贴申请材料缺少业主同意书，已告知补正。"),
            serve(-118, ZJJ),
            Act(-110, "review", args={"unit": "LJ-BGS", "reason": "对处理意见不服，请求复查。"}),
            reply(-95, opinion="reject", facts="补贴以材料齐全为前提，原处理意见并无不当。"),
            serve(-93),
            Act(-85, "review", args={"unit": "LJ", "reason": "对复查意见不服，请求复核。"}),
            reply(-70, opinion="reject", facts="经复核，原处理、复查意见认定事实清楚，维持复查意见。"),
            serve(-68),
            Act(-60, "close"),
        ),
        area="LJ-CD",
    ),
    # The same person, the same matter after the final 复核: 不再受理.
    DemoCase(
        "再次要求发放加装电梯补贴",
        Channel.PHONE,
        Kind.CLAIM,
        "construction-housing",
        "来电称加装电梯补贴仍未发放，要求再次处理。",
        -20,
        (WANG,),
        (
            Act(-19, "link", args={"original": "要求解决安居路老旧小区加装电梯补贴问题"}),
            Act(
                -18,
                "route",
                args={"route": R.REFUSE, "note": "该事项已经复核终结，信访人以同一事实和理由再次提出，不再受理。"},
            ),
        ),
        area="LJ-CD",
    ),
    # A 集体访: 30 people, 5 代表; the same matter by 12345 is merged into it.
    DemoCase(
        "江畔花园小区业主反映物业服务质量差",
        Channel.VISIT,
        Kind.CLAIM,
        "construction-property",
        "小区物业长期不履行维修义务，电梯多次困人，要求更换物业公司。",
        -9,
        (
            P("陈海涛", "330104198001011112", "13600000011", representative=True),
            P("林晓燕", "330104198203022225", "13600000012", representative=True),
            P("黄志强", "330104197505033338", "13600000013", representative=True),
            P("吴丽华", "33010419860704444X", "13600000014", representative=True),
            P("郑国庆", "330104196910055551", "13600000015", representative=True),
        ),
        (
            transfer(-8),
            Act(-6, "accept", ZJJ),
            Act(-3, "note", ZJJ, {"kind": NoteKind.INTERVIEW, "text": "约谈物业公司负责人，责令限期整改。"}),
            # waits for the 住建局 head's approval
            Act(-1, "ask", ZJJ, {"days": 30, "reason": "更换物业公司须经业主大会表决，需延期答复。"}),
        ),
        area="LJ-CX",
        headcount=30,
    ),
    DemoCase(
        "反映江畔花园小区电梯多次困人",
        Channel.HOTLINE,
        Kind.CLAIM,
        "construction-property",
        "12345转来：江畔花园小区电梯多次困人，物业不予维修。",
        -5,
        (P("何建军", phone="13700000021"),),
        (
            Act(
                -4,
                "merge",
                args={"into": "江畔花园小区业主反映物业服务质量差", "reason": "同一事项，随集体访一并办理。"},
            ),
        ),
        area="LJ-CX",
    ),
    # A 检举控告 against 商务局: nobody there may see it, whatever grants say.
    DemoCase(
        "检举市商务局工作人员在专项资金审批中收受好处",
        Channel.MAILBOX,
        Kind.ACCUSATION,
        "discipline-corruption",
        "反映市商务局某科室工作人员在外贸发展专项资金审批中收受企业好处费，附有转账记录。",
        -12,
        (P("匿名群众"),),
        (
            Act(-11, "route", args=DIRECT),
            Act(-7, "note", args={"kind": NoteKind.INVESTIGATION, "text": "已调取专项资金审批档案。"}),
        ),
        accused_unit="LJ-SWJ",
    ),
    # 诉访分离: a labour dispute belongs to arbitration.
    DemoCase(
        "反映某建筑公司拖欠农民工工资",
        Channel.EMAIL,
        Kind.CLAIM,
        "labour-wages",
        "在某建筑工地务工4个月，公司拖欠工资3.2万元，要求支付。",
        -12,
        (ZHOU,),
        (
            Act(
                -10,
                "route",
                args={"route": R.STATUTORY, "note": "属劳动争议，已告知信访人向劳动人事争议仲裁委员会申请仲裁。"},
            ),
        ),
    ),
    # 待处理: one past its 15 days, one just received from the province.
    DemoCase(
        "建议增设城西区社区养老服务站",
        Channel.LETTER,
        Kind.SUGGESTION,
        "civil-elderly",
        "城西区老年人口多，社区养老服务站少，建议增设并提供助餐服务。",
        -25,
        (P("刘美华", "330105195803146663", "13500000031"),),
        area="LJ-CX",
    ),
    DemoCase(
        "省信访局转送：反映城东区征地补偿标准偏低",
        Channel.SUPERIOR,
        Kind.CLAIM,
        "construction-demolition",
        "省信访局转送的来信，反映城东区某地块征地补偿标准低于周边地块。",
        -1,
        (P("赵永福", "330106196211217774", "13300000041"),),
        area="LJ-CD",
        superior_number="江东信转〔2026〕45号",
        beyond_level="province",
        urgent=True,
    ),
    # 待受理: one past its 15 days, one 交办 to 财政局 just now.
    DemoCase(
        "反映城西区道路施工噪声扰民",
        Channel.FAX,
        Kind.CLAIM,
        "environment-noise",
        "城西区某道路夜间施工至凌晨，噪声严重影响休息。",
        -27,
        (P("孙建华", "330107197811048885", "13200000051"),),
        (transfer(-25),),
        area="LJ-CX",
    ),
    DemoCase(
        "反映小微企业贷款贴息资金未兑现",
        Channel.SUPERIOR,
        Kind.CLAIM,
        "economy-finance",
        "市长热线交办：企业申请的贷款贴息资金审核通过半年仍未拨付。",
        -2,
        (P("临江市某科技有限公司", kind=PetitionerKind.ORGANISATION, phone="0571-86000061"),),
        (Act(-1, "route", args={"route": R.ASSIGN, "unit": "LJ-CZJ", "report_back": 30}),),
        superior_number="江东办交〔2026〕12号",
    ),
    # 办理中: past its 60 days; in 听证; extended; a signed answer to serve (the 集体访 waits for its extension).
    DemoCase(
        "要求落实退役士兵安置待遇",
        Channel.LETTER,
        Kind.CLAIM,
        "civil-veterans",
        "本人系退役士兵，安置待遇至今未落实，要求按政策安置。",
        -80,
        (P("钱卫国", "330108197001019996", "13100000071"),),
        (Act(-78, "route", args=DIRECT),),
    ),
    DemoCase(
        "对城东区拆迁安置房分配结果有异议",
        Channel.EMAIL,
        Kind.CLAIM,
        "construction-demolition",
        "认为拆迁安置房分配程序不公开，要求重新分配。",
        -40,
        (P("冯秀英", "330109196607072223", "13000000081"),),
        (
            Act(-38, "route", args=DIRECT),
            Act(-10, "hearing", args={"text": "就安置房分配程序举行听证，邀请人大代表、律师参加。"}),
        ),
        area="LJ-CD",
    ),
    DemoCase(
        "反映城东区老旧小区雨污管网改造进度慢",
        Channel.HOTLINE,
        Kind.SUGGESTION,
        "construction-planning",
        "12345转来：小区雨污管网改造开工半年，进度缓慢，雨天积水严重。",
        -55,
        (P("许志明", "330110198808083334", "18900000091"),),
        (
            transfer(-54),
            Act(-52, "accept", ZJJ),
            Act(-16, "ask", ZJJ, {"days": 30, "reason": "管网改造须待汛期后施工，需延期答复。"}),
            Act(-15, "extend", "zjj_director", {"days": 30, "reason": "管网改造须待汛期后施工，需延期答复。"}),
        ),
        area="LJ-CD",
    ),
    DemoCase(
        "要求公开市级预算执行情况",
        Channel.MAILBOX,
        Kind.SUGGESTION,
        "party-disclosure",
        "建议在政府网站公开市级预算执行情况和三公经费。",
        -42,
        (P("何文静", "330111199002024445", "18800000101"),),
        (
            Act(-40, "route", args=DIRECT),
            Act(-5, "note", args={"kind": NoteKind.INVESTIGATION, "text": "已函请财政局提供预算执行公开情况。"}),
        ),
    ),
    DemoCase(
        "反映城西区菜市场占道经营",
        Channel.FAX,
        Kind.CLAIM,
        "commerce-market",
        "菜市场周边占道经营严重，交通堵塞。",
        -22,
        (P("马丽", "330112198404046667", "18700000111"),),
        (transfer(-21), Act(-20, "accept", ZJJ), reply(-3, ZJJ)),
        area="LJ-CX",
    ),
    # 已答复 awaiting the rating; 复查中; 复核中; 已办结 and rated.
    DemoCase(
        "反映住宅小区地下车库渗水",
        Channel.ONLINE,
        Kind.CLAIM,
        "construction-housing",
        "小区地下车库长期渗水，车辆受损，开发商推诿。",
        -30,
        (P("杨帆", "330113198909098889", "18600000121"),),
        (transfer(-29), Act(-27, "accept", ZJJ), reply(-8, ZJJ), serve(-6, ZJJ)),
        area="LJ-CD",
    ),
    DemoCase(
        "对拆迁补偿处理意见不服",
        Channel.LETTER,
        Kind.CLAIM,
        "construction-demolition",
        "对住建局作出的拆迁补偿处理意见不服。",
        -70,
        (P("宋金宝", "330114196303031110", "18500000131"),),
        (
            transfer(-69),
            Act(-67, "accept", ZJJ),
            reply(-40, ZJJ, "reject"),
            serve(-38, ZJJ),
            Act(-10, "review", args={"unit": "LJ-BGS", "reason": "认为补偿面积计算有误，请求复查。"}),
        ),
        area="LJ-CD",
    ),
    DemoCase(
        "对物业维修基金使用处理意见不服",
        Channel.VISIT,
        Kind.CLAIM,
        "construction-property",
        "对小区物业维修基金使用的处理、复查意见不服。",
        -100,
        (ZHOU,),
        (
            transfer(-99),
            Act(-97, "accept", ZJJ),
            reply(-70, ZJJ, "partial"),
            serve(-68, ZJJ),
            Act(-50, "review", args={"unit": "LJ-BGS", "reason": "请求复查。"}),
            reply(-30, opinion="reject"),
            serve(-28),
            Act(-15, "review", args={"unit": "LJ", "reason": "请求复核。"}),
        ),
        area="LJ-CX",
    ),
    DemoCase(
        "反映公交站台破损",
        Channel.PHONE,
        Kind.SUGGESTION,
        "transport-services",
        "来电反映城西大道公交站台顶棚破损，雨天无法避雨。",
        -60,
        (P("唐伟", "330115197707077771", "18400000141"),),
        (
            Act(-58, "route", args=DIRECT),
            reply(-40, facts="公交站台已由公交公司修复。"),
            serve(-38, method=ServiceMethod.ELECTRONIC),
            Act(-35, "rate", args={"satisfaction": Satisfaction.SATISFIED, "revisit": "电话回访，信访人表示满意。"}),
            Act(-35, "close"),
        ),
        area="LJ-CX",
    ),
]


def seed(context: demo.DemoContext) -> None:
    """The 问题属地, the routing table and the 住建局's letter series; the case behind 督〔2026〕7号
    (if the supervision demo has not registered it already); the cases, oldest first; the 领导包案,
    接访日 and 矛盾纠纷 ledger."""
    _reference(context)
    reported_case(context)
    existing = set(PetitionCase.objects.filter(title__in=[c.title for c in DEMO_CASES]).values_list("title", flat=True))
    for spec in sorted(DEMO_CASES, key=lambda c: c.received):
        if spec.title not in existing:
            _walk(spec, context)
    _ledgers(context)
    # 建议提案 and 政府信息公开, after the 信访 cases (the same office, the same people).
    proposals_demo.seed(context)
    disclosure_demo.seed(context)


def _reference(context: demo.DemoContext) -> None:
    units, people = context.units, context.people
    for code, name, short, office in DISTRICTS:
        for unit_code, unit_name, unit_short, kind, parent in (
            (code, name, short, UnitKind.ORGAN, "LJ"),
            (f"{code}-XF", office, office, UnitKind.DEPARTMENT, code),
        ):
            if unit_code not in units:
                units[unit_code] = Unit.objects.filter(code=unit_code).first() or org.unit_create(
                    actor=people["sysadmin"].user,
                    code=unit_code,
                    name=unit_name,
                    short_name=unit_short,
                    kind=kind,
                    parent=units[parent],
                    sort_order=len(units),
                )
    # Written directly: the routing table and the series are reference data administrators keep in
    # the admin (no service acts on them).
    for category, area, unit in ROUTING:
        RoutingRule.objects.get_or_create(
            category=IssueCategory.objects.get(code=category),
            area=units[area] if area else None,
            defaults={"unit": units[unit]},
        )
    if not DocumentSeries.objects.filter(code="临建函").exists():
        series = DocumentSeries(
            code="临建函",
            organ=units["LJ-ZJJ"],
            office=units["LJ-ZJJ-BGS"],
            issuer_name="临江市住房和城乡建设局",
            template="letter",
        )
        series.full_clean()
        series.save()


def open_reported_item(context: demo.DemoContext, *, leader, requirement: str, due, cadence: str):
    """督〔2026〕7号 (asked by ``supervision.demo`` through ``demo.ITEM_OPENERS``): the 副市长's 批示 on
    临信〔2026〕118号 opens it, with the case as its source record."""
    return services.case_instruct(
        actor=leader, case=reported_case(context), text=requirement, supervise=True, due=due, cadence=cadence
    )


def reported_case(context: demo.DemoContext) -> PetitionCase:
    """临信〔2026〕118号, the 联名信 about the leaking resettlement flats that 副市长 张卫东's 批示 puts
    under 督办 (``supervision.demo``): registered 45 days ago, sent to 住建局 and accepted there.
    Reported to the leaders at once (紧急敏感), so that the 副市长 may instruct on it."""
    found = PetitionCase.objects.filter(title=REPORTED_CASE).first()
    if found is not None:
        return found
    if "LJ-CD" not in context.units:
        _reference(context)
    units = context.units
    today = timezone.localdate()
    year = (today - timedelta(days=45)).year
    # Registered before it, so that the numbers follow the days received.
    earlier = [
        spec
        for spec in sorted(DEMO_CASES, key=lambda c: c.received)
        if spec.received < -45 and not PetitionCase.objects.filter(title=spec.title).exists()
    ]
    this_year = sum(1 for spec in earlier if (today + timedelta(days=spec.received)).year == year)
    # The history before the system: the cases registered on paper earlier this year.
    counter, _created = RegistrationCounter.objects.get_or_create(organ=units["LJ"], year=year)
    if counter.last < REPORTED_SEQUENCE - 1 - this_year:
        counter.last = REPORTED_SEQUENCE - 1 - this_year
        counter.save(update_fields=["last"])
    for spec in earlier:
        _walk(spec, context)
    spec = DemoCase(
        REPORTED_CASE,
        Channel.LETTER,
        Kind.CLAIM,
        "construction-housing",
        "城东安置小区312户业主联名反映：交房三年来屋面、外墙渗漏严重，多次报修未果，要求彻底维修。",
        -45,
        (
            P("城东安置小区业主（联名）", kind=PetitionerKind.GROUP),
            P("李国华", "330102197104041236", "13805710121", representative=True),
            P("张秀兰", "330102196808082229", "13805710122", representative=True),
        ),
        (transfer(-44, handler="zjj_jz_chief"), Act(-42, "accept", "zjj_jz_chief")),
        area="LJ-CD",
        headcount=312,
        urgent=True,
    )
    return _walk(spec, context)


def _walk(spec: DemoCase, context: demo.DemoContext) -> PetitionCase:
    units, people = context.units, context.people
    today = timezone.localdate()
    with demo.as_of(spec.received):
        case = services.case_register(
            actor=people[spec.registrar].user,
            channel=spec.channel,
            received_on=today + timedelta(days=spec.received),
            kind=spec.kind,
            category=IssueCategory.objects.get(code=spec.category),
            title=spec.title,
            content=spec.content,
            petitioners=[
                services.PetitionerSpec(
                    name=p.name,
                    kind=p.kind,
                    id_number=p.id_number,
                    phone=p.phone,
                    address=p.address,
                    representative=p.representative,
                )
                for p in spec.petitioners
            ],
            area=units[spec.area] if spec.area else None,
            headcount=spec.headcount,
            urgent=spec.urgent,
            superior_number=spec.superior_number,
            accused_unit=units[spec.accused_unit] if spec.accused_unit else None,
            beyond_level=spec.beyond_level,
        )
    for act in spec.steps:
        with demo.as_of(act.day):
            case = _act(case, act, today + timedelta(days=act.day), context)
    return case


def _act(case: PetitionCase, act: Act, on: date, context: demo.DemoContext) -> PetitionCase:
    units, people = context.units, context.people
    actor, args = people[act.by].user, act.args
    case = PetitionCase.objects.get(pk=case.pk)
    if act.action == "route":
        report_back = args.get("report_back")
        return services.case_route(
            actor=actor,
            case=case,
            route=args["route"],
            unit=units[args["unit"]] if args.get("unit") else None,
            handler=people[args["handler"]] if args.get("handler") else None,
            note=args.get("note", ""),
            report_back_due=on + timedelta(days=report_back) if report_back else None,
        )
    if act.action == "accept":
        return services.case_accept(actor=actor, case=case, handler=people[act.by], note="已书面告知信访人受理。")
    if act.action == "link":
        return services.case_link(actor=actor, case=case, original=PetitionCase.objects.get(title=args["original"]))
    if act.action == "merge":
        into = PetitionCase.objects.get(title=args["into"])
        return services.case_merge(actor=actor, case=case, into=into, reason=args["reason"])
    if act.action == "note":
        services.case_note(actor=actor, case=case, kind=args["kind"], on=on, text=args["text"])
    elif act.action == "hearing":
        services.case_hearing(actor=actor, case=case, on=on, text=args["text"])
    elif act.action == "ask":
        return services.case_ask_extension(actor=actor, case=case, days=args["days"], reason=args["reason"])
    elif act.action == "extend":
        return services.case_extend(actor=actor, case=case, days=args["days"], reason=args["reason"])
    elif act.action == "reply":
        _answer(case, act, context)
    elif act.action == "serve":
        return services.case_serve(actor=actor, case=case, on=on, method=args["method"], receipt=args["receipt"])
    elif act.action == "review":
        return services.case_review_request(
            actor=actor, case=case, on=on, reviewing_unit=units[args["unit"]], reason=args["reason"]
        )
    elif act.action == "rate":
        return services.case_rate(
            actor=actor, case=case, satisfaction=args["satisfaction"], on=on, revisit=args["revisit"]
        )
    elif act.action == "close":
        return services.case_close(actor=actor, case=case)
    else:
        raise CommandError(f"unknown petition demo step {act.action!r}")
    return PetitionCase.objects.get(pk=case.pk)


def _answer(case: PetitionCase, act: Act, context: demo.DemoContext) -> OutgoingDocument:
    """The 答复意见 and its 答复意见书, a 信函 of the drafter's organ walked through 核稿, 签发, 登记."""
    people = context.people
    drafter = people[act.by]
    organ = drafter.unit.organ or drafter.unit
    code, reviewer, signer, registrar = LETTER_SERIES[organ.code]
    reply = services.case_reply(
        actor=drafter.user,
        case=case,
        opinion=act.args["opinion"],
        facts=act.args["facts"],
        basis=act.args["basis"],
        series=DocumentSeries.objects.get(code=code),
    )
    document = documents.outgoing_submit(actor=drafter.user, document=reply.document, comment="请核稿")
    document = documents.outgoing_review(
        actor=people[reviewer].user, document=document, approve=True, comment="内容、格式已审核"
    )
    if document.state == D.SIGNOFF:
        document = documents.outgoing_sign(actor=people[signer].user, document=document, approve=True, opinion="同意")
    if document.state == D.RECHECK:
        document = documents.outgoing_register(actor=people[registrar].user, document=document)
    return document


def _ledgers(context: demo.DemoContext) -> None:
    """领导包案 of the 118号 case, a 领导接访日 next week, two rows of the 矛盾纠纷排查化解 ledger.
    Written directly: these ledgers are kept by the 信访科 on their pages, with no workflow."""
    units, people = context.units, context.people
    today = timezone.localdate()
    reported = PetitionCase.objects.get(title=REPORTED_CASE)
    LeaderCase.objects.get_or_create(
        case=reported,
        defaults={
            "leader": people["vice_mayor"],
            "plan": "住建局牵头，城东区配合，雨季前完成312户渗漏维修，逐户回访。",
        },
    )
    day = today + timedelta(days=7 - today.weekday() + 2)  # Wednesday next week
    if not Reception.objects.filter(organ=units["LJ"], leader=people["director"], day__gte=today).exists():
        reception = Reception.objects.create(
            organ=units["LJ"],
            leader=people["director"],
            day=day,
            place="市民服务中心信访接待大厅",
            topic="城市建设和物业管理领域信访问题",
        )
        reception.cases.add(PetitionCase.objects.get(title="江畔花园小区业主反映物业服务质量差"))
    month = today.replace(day=1)
    for title, area, risk, unit, plan, due, backlog, case_title in (
        (
            "城东区征地拆迁补偿群体性矛盾",
            "LJ-CD",
            Dispute.Risk.HIGH,
            "LJ-ZJJ",
            "逐户核对补偿标准，公开测算依据，属地政府包片化解。",
            30,
            False,
            "省信访局转送：反映城东区征地补偿标准偏低",
        ),
        (
            "退役士兵安置待遇信访积案",
            "",
            Dispute.Risk.MEDIUM,
            "LJ-BGS-XF",
            "会同退役军人事务部门逐项落实政策，领导接访时当面答复。",
            -5,
            True,
            "要求落实退役士兵安置待遇",
        ),
    ):
        if Dispute.objects.filter(title=title).exists():
            continue
        Dispute.objects.create(
            organ=units["LJ"],
            month=month,
            title=title,
            area=units[area] if area else None,
            risk=risk,
            responsible_unit=units[unit],
            plan=plan,
            due=today + timedelta(days=due),
            backlog=backlog,
            case=PetitionCase.objects.filter(title=case_title).first(),
            recorded_by=people["petition_officer"],
        )
