"""The demo office's outgoing documents (发文): its four 发文代字 series and a document in every
state, each walked there through the services by the demo people whose step it is."""

from dataclasses import dataclass

from documents.models import CountersignState, DocumentSeries, OutgoingDocument
from documents.models import DocumentState as D
from documents.outgoing import services
from office import demo
from office.confidentiality.levels import Level
from office.org.models import Person


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
    level: Level = Level.INTERNAL
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
        level=Level.SECRET,
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        copies=5,
        disclosure="not_public",
        disclosure_reason="涉及国家秘密",
        drafter="ms_chief",
        reviewer="office_chief",
        registrar="ms_chief",
    ),
]


def seed(context: demo.DemoContext) -> None:
    """The series, then each document not there yet, drafted and walked to its state."""
    units = context.units
    for spec in DEMO_SERIES:
        if not DocumentSeries.objects.filter(code=spec.code).exists():
            # Written directly: series are reference data that administrators keep in the admin
            # (documents.outgoing.services has no action for them).
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
    for spec in DEMO_DOCUMENTS:
        if OutgoingDocument.objects.filter(title=spec.title).exists():
            continue
        _walk(_draft(spec, series[spec.series], context), spec, context.people)


def _draft(spec: DemoDocument, series: DocumentSeries, context: demo.DemoContext) -> OutgoingDocument:
    units, people = context.units, context.people
    return services.outgoing_create(
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
        body=demo.content(spec.body, spec.level),
        attachment_note=spec.attachment_note,
        note=spec.note,
        disclosure=spec.disclosure,
        disclosure_reason=spec.disclosure_reason,
        copies=spec.copies,
    )


def _walk(document: OutgoingDocument, spec: DemoDocument, people: dict[str, Person]) -> None:
    main_line = [D.DRAFT, D.REVIEW, D.COUNTERSIGN, D.SIGNOFF, D.RECHECK, D.REGISTERED, D.ISSUED, D.ARCHIVED]
    drafter, reviewer, registrar = (
        people[spec.drafter].user,
        people[spec.reviewer].user,
        people[spec.registrar].user,
    )
    signer = document.series.organ.head.user  # the principal leader of the series' organ
    if spec.state == D.VOIDED:
        services.outgoing_void_draft(actor=drafter, document=document, reason=spec.reason)
        return
    target = D.ISSUED if spec.state in (D.REVOKED, D.ABOLISHED) else spec.state
    if spec.returned_at_review:
        services.outgoing_submit(actor=drafter, document=document)
        services.outgoing_review(actor=reviewer, document=document, approve=False, comment=spec.returned_at_review)
    while main_line.index(document.state) < main_line.index(target):
        state = document.state
        if state == D.DRAFT:
            document = services.outgoing_submit(actor=drafter, document=document, comment="请审核")
        elif state == D.REVIEW:
            document = services.outgoing_review(
                actor=reviewer, document=document, approve=True, comment="内容、格式、文字已审核"
            )
        elif state == D.COUNTERSIGN:
            pending = document.countersigns.filter(state=CountersignState.PENDING).select_related("unit__head")
            for countersign in pending:
                document = services.outgoing_countersign(
                    actor=countersign.unit.head.user,
                    document=document,
                    unit=countersign.unit,
                    agree=True,
                    opinion="同意",
                )
        elif state == D.SIGNOFF:
            document = services.outgoing_sign(actor=signer, document=document, approve=True, opinion="同意印发")
        elif state == D.RECHECK:
            document = services.outgoing_register(actor=registrar, document=document)
        elif state == D.REGISTERED:
            document = services.outgoing_issue(actor=registrar, document=document)
        elif state == D.ISSUED:
            document = services.outgoing_archive(actor=registrar, document=document, retention=spec.retention)
    if spec.state in (D.REVOKED, D.ABOLISHED):
        services.outgoing_end(
            actor=people["office_chief"].user,
            document=document,
            abolish=spec.state == D.ABOLISHED,
            reason=spec.reason,
        )
