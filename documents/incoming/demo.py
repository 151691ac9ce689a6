"""The demo office's incoming documents (收文) at every step: from outside the system (江东省 and
国务院办公厅), signed for by the office, and the demo office's issued documents (``documents.outgoing.demo``)
in the bureaus' queues, some signed for and moved along — each through the services by the people
whose step it is. Two are overdue (their lead unit's clock started in the past), and the mayor's
批示 列入督办 on one opens a 督办 item through the services."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from documents.incoming import services, subassign
from documents.models import Handling, IncomingDocument
from documents.models import IncomingState as IS
from office import demo
from office.confidentiality.levels import Level
from office.reminders import services as reminders


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
    # 分办 inside a 承办单位: (unit, 科室, 承办人, days ahead, who passes it on), left with the 承办人
    subassign: tuple[tuple[str, str, str, int, str], ...] = ()
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
    level: Level = Level.INTERNAL
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
        level=Level.SECRET,
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
        "handling",
        title="江东省商务厅关于开展2026年“消费提振年”促消费活动的通知",
        sender_organ="江东省商务厅",
        sender_number="江东商运〔2026〕5号",
        channel="electronic",
        proposal="建议由市商务局牵头制定活动方案，请市长批示。",
        instruction="请市商务局牵头制定我市促消费活动方案，按期报送。",
        lead="LJ-SWJ",
        time_limit_days=12,
        subassign=(("LJ-SWJ", "LJ-SWJ-SC", "staff", 8, "swj_office"),),
        body="一、活动时间：2026年4月至12月。\n二、活动内容：汽车、家电以旧换新，夜间消费季。\n"
        "三、工作要求：请各市于4月10日前报送活动方案。",
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


def seed(context: demo.DemoContext) -> None:
    """The documents from outside, each received and walked to its step, then the deliveries still
    待签收 in the bureaus' queues, signed for and walked to theirs. Skipped when the demo documents
    are there already."""
    if IncomingDocument.objects.filter(title__in=[spec.title for spec in DEMO_INCOMING]).exists():
        return
    units, people = context.units, context.people
    for spec in DEMO_INCOMING:
        document = services.incoming_receive(
            actor=people[spec.office].user,
            receiving_unit=units[spec.receiving_unit],
            sender_organ=spec.sender_organ,
            sender_number=spec.sender_number,
            title=spec.title,
            kind=spec.kind,
            urgency=spec.urgency,
            channel=spec.channel,
            body=demo.content(spec.body, spec.level),
            level=spec.level,
            basis=spec.basis,
        )
        _walk(document, spec, context)
    for spec in DEMO_DELIVERIES:
        delivered = IncomingDocument.objects.filter(
            source_outgoing__title=spec.outgoing_title, receiving_unit=units[spec.unit], state=IS.PENDING
        ).first()
        if delivered is not None:
            document = services.incoming_sign_for(actor=people[spec.office].user, document=delivered)
            _walk(document, spec, context)


def _walk(document: IncomingDocument, spec: IncomingSteps, context: demo.DemoContext) -> None:
    units, people = context.units, context.people
    office, leader = people[spec.office].user, people[spec.leader]
    today = timezone.localdate()
    if spec.state == IS.SIGNED:
        return
    document = services.incoming_register(actor=office, document=document)
    if spec.state == IS.REGISTERED:
        return
    if spec.state == IS.RETURNED:
        services.incoming_screen(actor=office, document=document, accept=False, reason=spec.return_reason)
        return
    document = services.incoming_screen(
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
        document = services.incoming_propose(actor=office, document=document, proposal=spec.proposal, leader=leader)
        if spec.state == IS.INSTRUCTION:
            return
        lead = units[spec.lead]
        document = services.incoming_instruct(
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
                    reminders.deadline_cancel(actor=office, deadline=deadline, reason="办理时限自来文签收之日起计算")
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
            document = services.incoming_chase(actor=chaser, document=document, message=spec.chase)
        for unit_code, section, handler, days, by in spec.subassign:
            subassign.unit_subassign(
                actor=people[by].user,
                document=document,
                unit=units[unit_code],
                section=units[section],
                handler=people[handler],
                due=today + timedelta(days=days),
                instruction="请市场运行科牵头起草活动方案，征求相关科室意见后报局领导审定。",
            )
        if spec.state == IS.HANDLING:
            return
        for code in spec.assisting:
            unit = units[code]
            document = services.incoming_unit_done(
                actor=unit.head.user, document=document, unit=unit, note="已提供相关材料，请主办单位汇总。"
            )
        completer = lead.head.user
    else:
        circulation = services.circulation_start(
            actor=office,
            document=document,
            readers=[people[reader[0]] for reader in spec.readers],
            note=spec.circulation_note,
        )
        for row in circulation.readers.select_related("person__user"):
            state = next(reader for reader in spec.readers if reader[0] == row.person.user.username)
            if state[1] in ("opened", "read"):
                row = services.circulation_open(actor=row.person.user, reader=row)
            if state[1] == "read":
                services.circulation_read(actor=row.person.user, reader=row, comment=state[2])
        if spec.state == IS.CIRCULATING:
            return
        completer = office
    document = services.incoming_complete(actor=completer, document=document, result=spec.result, reply=spec.reply)
    if spec.state == IS.DONE:
        return
    services.incoming_archive(actor=office, document=document, retention=spec.retention)
