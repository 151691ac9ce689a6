"""The demo office's 政府信息公开: the 政务公开员 of the 综合科 (LJ-BGS-ZH, head 许文, the 公开工作机构负责人)
registers requests from every channel and walks each through ``petitions.disclosure.services`` on its
day (``office.demo.as_of``) to every state: 办理中 (当面), 待确认收到 (网络), 待补正, one whose 补正 came
in (its 20 working days restarted), one paused for a third party's opinion, one extended by the head,
视为放弃, answered 予以公开 / 部分公开 / 不予公开 / 已主动公开 / 不属于本机关, and one 办结 whose 行政复议
corrected it. Every 告知书 is a 信函 walked through ``documents`` (核稿, 签发, 登记) before it is served.

主动公开: the 发文 the documents demo issued 主动公开 each have their Publication (``publication``
hooks 核发); the 保密员 clears the oldest and the 政务公开员 publishes it, the next waits for review.

Dates are relative to today (the services count working days), so the demo works on any day. The
requests already there (by description) are skipped: a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from documents.models import DocumentSeries
from documents.models import DocumentState as D
from documents.outgoing import services as documents
from office import demo
from petitions.disclosure import publication as publishing
from petitions.disclosure import services
from petitions.disclosure.models import (
    AnswerType,
    ApplicantKind,
    Consultation,
    Delivery,
    DisclosureRequest,
    Medium,
    Outcome,
    Publication,
    PublicationState,
    RequestChannel,
    SecrecyReview,
)

OFFICER, HEAD = "disclosure_officer", "zh_chief"
# The 告知书's series: a 信函 of the 市政府 itself (the requests' organ; 临府办函 is the 办公室's), with
# who 核稿, 签发 and 登记 it.
LETTER = ("临府函", "ms_chief", "office_chief", "clerk")


@dataclass(frozen=True)
class Step:
    day: int
    action: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    description: str
    applicant: str
    arrived: int
    channel: str = RequestChannel.IN_PERSON
    kind: str = ApplicantKind.PERSON
    steps: tuple[Step, ...] = ()
    holding_unit: str = ""


def answered(day: int, answer_type: str, text: str, **extra) -> tuple[Step, ...]:
    """The answer and its 告知书 signed and registered on ``day``, served by post two days later."""
    return (Step(day, "answer", {"answer_type": answer_type, "text": text, **extra}), Step(day + 2, "deliver"))


REQUESTS = [
    Spec(
        "2026年度城东片区旧城改造项目征收补偿方案",
        "陈建国",
        -5,
        holding_unit="LJ-BGS-DC",
    ),
    Spec("临江市2025年度财政预算执行情况的审计报告", "林海燕", -1, RequestChannel.ONLINE),
    Spec(
        "江畔花园小区周边道路规划的有关文件",
        "王志刚",
        -4,
        RequestChannel.POST,
        steps=(Step(-3, "correct", {"items": "请写明所需规划文件的名称或文号", "until": 7}),),
    ),
    Spec(
        "城西污水处理厂扩建项目环境影响评价批复",
        "临江市绿源环保协会",
        -30,
        kind=ApplicantKind.NONPROFIT,
        steps=(
            Step(-28, "correct", {"items": "请写明所需批复的年份和项目名称", "until": 7}),
            Step(-22, "receive_correction"),
        ),
    ),
    Spec(
        "临江港口物流园区招商引资协议",
        "临江市港通贸易有限公司",
        -12,
        kind=ApplicantKind.BUSINESS,
        steps=(Step(-8, "consult", {"name": "临江港务集团有限公司"}),),
    ),
    Spec(
        "2021年至2025年市政府常务会议审议通过的规范性文件目录",
        "浙江临江律师事务所",
        -20,
        kind=ApplicantKind.LEGAL,
        steps=(Step(-2, "extend", {"days": 15, "reason": "申请内容涉及年份多、文件数量大，需逐件核查。"}),),
    ),
    Spec(
        "某小区物业维修基金使用明细",
        "赵红",
        -40,
        steps=(Step(-38, "correct", {"items": "请写明小区名称及所需信息的时间范围", "until": 8}),),
    ),
    Spec(
        "临江市优化营商环境若干措施全文",
        "钱伟",
        -26,
        steps=answered(-15, AnswerType.GRANTED, "现将《临江市优化营商环境若干措施》全文提供给你。"),
    ),
    Spec(
        "2025年度市级机关公务接待费用统计情况",
        "孙敏",
        -25,
        RequestChannel.POST,
        steps=answered(-14, AnswerType.PARTIAL, "现提供公务接待费用总额，其中涉及个人信息的部分不予公开。"),
    ),
    Spec(
        "市政府关于重点项目布局调整的研究过程材料",
        "周明",
        -24,
        steps=answered(-13, AnswerType.REFUSED, "所申请的信息属于研究过程中的讨论记录。", reason="process"),
    ),
    Spec(
        "2026年元旦春节期间值班工作安排",
        "吴丽",
        -23,
        steps=answered(
            -12,
            AnswerType.ALREADY_PUBLIC,
            "所申请的信息已主动公开。",
            public_where="临江市人民政府门户网站“政府信息公开”专栏",
        ),
    ),
    Spec(
        "城东区某地块国有土地使用权出让合同",
        "郑强",
        -22,
        steps=answered(
            -11, AnswerType.NOT_OURS, "所申请的信息不属于本机关公开职责。", competent_organ="临江市自然资源和规划局"
        ),
    ),
    Spec(
        "2025年市级财政专项资金分配的内部讨论记录",
        "冯涛",
        -60,
        steps=(
            *answered(-45, AnswerType.REFUSED, "所申请的信息属于内部讨论记录，不予公开。", reason="process"),
            Step(-40, "close"),
            Step(-10, "outcome", {"review": Outcome.CORRECTED}),
        ),
    ),
]


def seed(context: demo.DemoContext) -> None:
    """The requests, oldest first, then the 主动公开 of the issued 发文."""
    existing = set(DisclosureRequest.objects.values_list("description", flat=True))
    for spec in sorted(REQUESTS, key=lambda s: s.arrived):
        if spec.description not in existing:
            _walk(spec, context)
    abandon_overdue(context)
    _publications(context)


def _walk(spec: Spec, context: demo.DemoContext) -> DisclosureRequest:
    units, people = context.units, context.people
    actor = people[OFFICER].user
    with demo.as_of(spec.arrived):
        request = services.request_register(
            actor=actor,
            applicant_kind=spec.kind,
            applicant_name=spec.applicant,
            description=spec.description,
            medium=Medium.PAPER if spec.channel == RequestChannel.POST else Medium.ELECTRONIC,
            delivery=Delivery.POST if spec.channel == RequestChannel.POST else Delivery.EMAIL,
            channel=spec.channel,
            arrived_on=timezone.localdate(),
            id_document="居民身份证" if spec.kind == ApplicantKind.PERSON else "统一社会信用代码证",
            contact_phone="0571-87000000",
            contact_address="临江市城东区江滨路1号",
            contact_email="applicant@example.com",
            holding_unit=units[spec.holding_unit] if spec.holding_unit else None,
            handler=people[OFFICER],
        )
    for step in spec.steps:
        with demo.as_of(step.day):
            _act(DisclosureRequest.objects.get(pk=request.pk), step, context)
    return request


def _act(request: DisclosureRequest, step: Step, context: demo.DemoContext) -> None:
    people = context.people
    actor, args, on = people[OFFICER].user, step.args, timezone.localdate()
    if step.action == "correct":
        services.request_correct(
            actor=actor, request=request, items=args["items"], until=on + timedelta(days=args["until"]), on=on
        )
    elif step.action == "receive_correction":
        services.request_receive_correction(actor=actor, request=request, on=on)
    elif step.action == "consult":
        services.request_consult(
            actor=actor, request=request, party=Consultation.Party.THIRD_PARTY, name=args["name"], sent_on=on
        )
    elif step.action == "extend":
        services.request_extend(
            actor=people[HEAD].user,
            request=request,
            days=args["days"],
            reason=args["reason"],
            notice="已书面告知申请人延期理由和期限",
        )
    elif step.action == "answer":
        _answer(request, args, context)
    elif step.action == "deliver":
        services.request_deliver(actor=actor, request=request, on=on, method=request.delivery)
    elif step.action == "close":
        services.request_close(actor=actor, request=request)
    elif step.action == "outcome":
        services.request_outcome(actor=actor, request=request, review=args["review"])
    else:
        raise ValueError(f"unknown disclosure demo step {step.action!r}")


def _answer(request: DisclosureRequest, args: dict, context: demo.DemoContext) -> None:
    """The 告知书, a 信函 in the organ's letter series walked through 核稿, 签发 and 登记 the same day."""
    people = context.people
    code, reviewer, signer, registrar = LETTER
    series = DocumentSeries.objects.filter(code=code).first()
    if series is None:
        # Written directly, as ``petitions.demo`` does: series are reference data kept in the admin.
        series = DocumentSeries(
            code=code,
            organ=request.organ,
            office=context.units["LJ-BGS-MS"],
            issuer_name="临江市人民政府",
            template="letter",
        )
        series.full_clean()
        series.save()
    request = services.request_answer(actor=people[OFFICER].user, request=request, series=series, **args)
    document = documents.outgoing_submit(actor=people[OFFICER].user, document=request.document, comment="请核稿")
    document = documents.outgoing_review(
        actor=people[reviewer].user, document=document, approve=True, comment="内容、格式已审核"
    )
    if document.state == D.SIGNOFF:
        document = documents.outgoing_sign(actor=people[signer].user, document=document, approve=True, opinion="同意")
    if document.state == D.RECHECK:
        documents.outgoing_register(actor=people[registrar].user, document=document)


def abandon_overdue(context: demo.DemoContext) -> None:
    """视为放弃: the requests whose 补正期限 passed without the 补正, the day after it."""
    actor = context.people[OFFICER].user
    for request in DisclosureRequest.objects.filter(state="correcting", correction_until__lt=timezone.localdate()):
        with demo.as_of((request.correction_until + timedelta(days=1) - timezone.localdate()).days):
            services.request_abandon(actor=actor, request=request)


def _publications(context: demo.DemoContext) -> None:
    """The oldest 待保密审查 Publication cleared by the 保密员 and published; the next left for review."""
    people = context.people
    if Publication.objects.filter(state=PublicationState.PUBLISHED).exists():
        return
    pending = list(Publication.objects.filter(state=PublicationState.PENDING).order_by("id")[:2])
    if len(pending) < 2:
        return
    publication = pending[0]
    publishing.publication_review(
        actor=people["security_officer"].user,
        publication=publication,
        conclusion=SecrecyReview.Conclusion.PUBLIC,
        note="经审查，不涉及国家秘密和工作秘密，可以公开。",
    )
    publication.refresh_from_db()
    publishing.publication_publish(
        actor=people[OFFICER].user,
        publication=publication,
        on=timezone.localdate(),
        url="https://www.linjiang.gov.cn/zwgk/",
    )
