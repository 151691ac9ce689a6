"""Who may move a 政府信息公开申请 and a 主动公开, decided once (STYLE.md §5).

``REQUEST``: 收到 (网络/传真: 待确认) → 办理中, with 补正 once (待补正 stops and then restarts the
clock; none in time → 视为放弃), 征求意见 of a third party or another organ (the clock stops), one
extension approved by the 公开工作机构负责人, the 保密审查 when a classified or 不予公开 公文 is asked
for, fees, the answer with its 告知书 (a 信函 through ``documents``), its 送达 → 已答复 → 办结; 复议 and
诉讼 outcomes recorded after.

``PUBLICATION``: a 主动公开 发文, 待保密审查 → 待发布 (or 不予公开) → 已公开 → 已废止.

People: the **政务公开员** of the 公开工作机构 (``is_officer``), its **负责人** (``is_head``: the one
extension), the **保密员** named for the review (``is_reviewer``); for a publication, a 保密员 and a
政务公开员 of the document's organ.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from office.confidentiality.levels import Level
from office.org.models import Role, User
from office.workflow import Machine, Step, person_acting, user_acting
from office.workflow.machine import Actor
from petitions.disclosure.models import (
    AnswerType,
    DisclosureEvent,
    DisclosureRequest,
    Publication,
    PublicationState,
    RequestChannel,
    RequestState,
)

OPEN = (RequestState.RECEIVED, RequestState.HANDLING, RequestState.CORRECTING)
ENDED = (RequestState.CLOSED, RequestState.ABANDONED)
SIGNED_STATES = ("registered", "issued", "archived")
# Channels whose 收到日 is the day both sides confirm (not the day it arrived).
CONFIRMED_CHANNELS = (RequestChannel.ONLINE, RequestChannel.FAX)


def is_officer(user: User | Actor, request: DisclosureRequest) -> bool:
    """A 政务公开员 of the 公开工作机构 (or of a unit above it within the organ)."""
    person = person_acting(user)
    return (
        person is not None
        and user_acting(user).has_role(Role.DISCLOSURE_OFFICER)
        and request.intake_unit_id in person.units()
    )


def is_head(user: User | Actor, request: DisclosureRequest) -> bool:
    """The 公开工作机构负责人: the head of the 公开工作机构 (who approves the one extension)."""
    person = person_acting(user)
    return person is not None and request.intake_unit.head_id == person.pk


def is_reviewer(user: User | Actor, request: DisclosureRequest) -> bool:
    person = person_acting(user)
    return (
        person is not None
        and request.secrecy_reviewer_id == person.pk
        and user_acting(user).has_role(Role.SECURITY_OFFICER)
    )


# --- What the request allows now --------------------------------------------------------------------


def clocks(request: DisclosureRequest):
    from office.reminders import services as reminders

    if "_deadlines" not in request.__dict__:
        request.__dict__["_deadlines"] = reminders.deadlines_of(request)
    return request.__dict__["_deadlines"]


def forget_clocks(request: DisclosureRequest) -> None:
    request.__dict__.pop("_deadlines", None)


def open_clock(request: DisclosureRequest, kind: str):
    from office.reminders.models import DeadlineState

    return next((d for d in clocks(request) if d.kind_id == kind and d.state == DeadlineState.OPEN), None)


def answer_clock(request: DisclosureRequest):
    return open_clock(request, "disclosure")


def may_ask_correction(actor, request: DisclosureRequest) -> bool:
    """One 补正, within 7 working days of the 收到日 (its clock's due date)."""
    if request.correction_asked_on is not None:
        return False
    answer = answer_clock(request)
    if answer is not None and answer.suspended:  # a consultation or the fee is stopping it already
        return False
    clock = open_clock(request, "disclosure-correction")
    return clock is not None and clock.due_date is not None and timezone.localdate() <= clock.due_date


def correction_lapsed(request: DisclosureRequest) -> bool:
    """The applicant's 补正期限 has passed without a 补正: the request is taken as given up."""
    return request.correction_until is not None and timezone.localdate() > request.correction_until


def open_consultations(request: DisclosureRequest):
    return [c for c in request.consultations.all() if c.answered_on is None]


def may_extend(actor, request: DisclosureRequest) -> bool:
    """One extension, while the 20 working days run and the clock is not stopped."""
    clock = answer_clock(request)
    if clock is None or clock.suspended or clock.extensions.exists():
        return False
    return clock.due_date is None or timezone.localdate() <= clock.due_date


def needs_secrecy_review(request: DisclosureRequest) -> bool:
    """A request for a classified or 不予公开 公文 goes to the 保密员 before it is answered."""
    return any(
        document.classification > Level.INTERNAL or document.disclosure == "not_public"
        for document in request.requested_documents.all()
    )


def secrecy_reviewed(request: DisclosureRequest) -> bool:
    return request.secrecy_reviews.exists()


def may_answer(actor, request: DisclosureRequest) -> bool:
    if request.document_id is not None or open_consultations(request):
        return False
    if request.fee_notice_on and not request.fee_paid_on:
        return False
    return not needs_secrecy_review(request) or secrecy_reviewed(request)


def may_deliver(actor, request: DisclosureRequest) -> bool:
    return request.document_id is not None and request.document.state in SIGNED_STATES


def fee_lapsed(request: DisclosureRequest) -> bool:
    return bool(request.fee_until and not request.fee_paid_on and timezone.localdate() > request.fee_until)


def may_close(actor, request: DisclosureRequest) -> bool:
    """办结 after the 送达, or — unanswered — when the fee was not paid in time (其他处理)."""
    return request.state == RequestState.ANSWERED or fee_lapsed(request)


REQUEST = Machine(
    name="disclosure-request",
    model=DisclosureRequest,
    noun=N_("政府信息公开申请"),
    event_model=DisclosureEvent,
    event_for=lambda request: {"request": request},
    stamp_field="state_changed_at",
    lock_related=("intake_unit",),
    steps=[
        Step(
            "confirm",
            N_("确认收到"),
            sources=(RequestState.RECEIVED,),
            targets=(RequestState.HANDLING,),
            who=is_officer,
            refusal=N_("收到申请由政务公开员确认。"),
            deadline="双方确认之日为收到申请之日，起算20个工作日（disclosure-answer）",
        ),
        Step(
            "correct",
            N_("告知补正"),
            sources=(RequestState.HANDLING,),
            targets=(RequestState.CORRECTING,),
            who=is_officer,
            refusal=N_("补正告知由政务公开员办理。"),
            when=may_ask_correction,
            not_now=N_(
                "补正只能告知一次，须在收到申请之日起7个工作日内一次性告知，且不能在征求意见或等待缴费期间告知。"
            ),
            confirm=N_("告知补正后答复期限中止，自收到补正之日起重新计算。"),
        ),
        Step(
            "receive_correction",
            N_("收到补正"),
            sources=(RequestState.CORRECTING,),
            targets=(RequestState.HANDLING,),
            who=is_officer,
            refusal=N_("补正材料由政务公开员登记。"),
        ),
        Step(
            "abandon",
            N_("视为放弃"),
            sources=(RequestState.CORRECTING,),
            targets=(RequestState.ABANDONED,),
            who=is_officer,
            refusal=N_("视为放弃由政务公开员登记。"),
            when=lambda actor, request: correction_lapsed(request),
            not_now=N_("补正期限尚未届满，不能视为放弃申请。"),
            confirm=N_("申请人无正当理由逾期不补正的，视为放弃申请，本机关不再处理。"),
        ),
        Step(
            "consult",
            N_("征求意见"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("征求第三方或其他机关意见由政务公开员办理。"),
            when=lambda actor, request: request.document_id is None,
            not_now=N_("告知书已拟写，不能再征求意见。"),
        ),
        Step(
            "opinion",
            N_("登记意见"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("征求意见的答复由政务公开员登记。"),
            when=lambda actor, request: bool(open_consultations(request)),
            not_now=N_("没有尚未答复的征求意见。"),
        ),
        Step(
            "extend",
            N_("批准延期"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_head,
            refusal=N_("延长答复期限须经政府信息公开工作机构负责人同意。"),
            when=may_extend,
            not_now=N_("答复期限只能延长一次（不超过20个工作日），且须在期限届满前、期限未中止时批准。"),
            confirm=N_("批准后答复期限延长，并须告知申请人。"),
        ),
        Step(
            "ask_review",
            N_("送保密审查"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("保密审查由政务公开员送保密员。"),
            when=lambda actor, request: request.document_id is None,
            not_now=N_("告知书已拟写。"),
        ),
        Step(
            "secrecy_review",
            N_("保密审查"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_reviewer,
            refusal=N_("保密审查由送审的保密员办理。"),
            when=lambda actor, request: request.document_id is None,
            not_now=N_("告知书已拟写。"),
        ),
        Step(
            "fee",
            N_("信息处理费"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("信息处理费由政务公开员办理。"),
            when=lambda actor, request: request.document_id is None and not request.fee_paid_on,
            not_now=N_("费用已缴纳，或告知书已拟写。"),
        ),
        Step(
            "abnormal",
            N_("超出合理范围"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("由政务公开员登记。"),
            when=lambda actor, request: not request.abnormal and request.document_id is None,
            not_now=N_("已登记。"),
        ),
        Step(
            "answer",
            N_("拟写告知书"),
            sources=(RequestState.HANDLING,),
            targets=(),
            who=is_officer,
            refusal=N_("答复由政务公开员拟写。"),
            when=may_answer,
            not_now=N_("告知书已拟写；或尚有征求意见未答复、费用未缴纳，或涉密、不予公开的公文尚未经保密审查。"),
        ),
        Step(
            "deliver",
            N_("送达告知书"),
            sources=(RequestState.HANDLING,),
            targets=(RequestState.ANSWERED,),
            who=is_officer,
            refusal=N_("告知书由政务公开员送达。"),
            when=may_deliver,
            not_now=N_("告知书签发、登记后方可送达。"),
            confirm=N_("送达之日为答复之日，答复期限即告结束。"),
        ),
        Step(
            "close",
            N_("办结"),
            sources=(RequestState.ANSWERED, RequestState.HANDLING),
            targets=(RequestState.CLOSED,),
            who=is_officer,
            refusal=N_("办结由政务公开员确认。"),
            when=may_close,
            not_now=N_("告知书送达后方可办结；未答复的，只有逾期未缴纳信息处理费的可以办结。"),
            confirm=N_("办结后申请不能再变更。"),
        ),
        Step(
            "outcome",
            N_("登记复议诉讼"),
            sources=(RequestState.ANSWERED, RequestState.CLOSED, RequestState.ABANDONED),
            targets=(),
            who=is_officer,
            refusal=N_("行政复议、行政诉讼结果由政务公开员登记。"),
        ),
    ],
)


# --- 主动公开 ------------------------------------------------------------------------------------------


def _in_organ(user: User | Actor, publication: Publication, role: Role) -> bool:
    person = person_acting(user)
    return person is not None and user_acting(user).has_role(role) and publication.organ_id in person.units()


def is_publication_reviewer(user: User | Actor, publication: Publication) -> bool:
    """A 保密员 of the document's organ: the 公开前保密审查."""
    return _in_organ(user, publication, Role.SECURITY_OFFICER)


def is_publisher(user: User | Actor, publication: Publication) -> bool:
    """A 政务公开员 of the document's organ."""
    return _in_organ(user, publication, Role.DISCLOSURE_OFFICER)


PUBLICATION = Machine(
    name="publication",
    model=Publication,
    noun=N_("主动公开"),
    event_model=None,
    event_for=lambda publication: {},
    steps=[
        Step(
            "review",
            N_("公开前保密审查"),
            sources=(PublicationState.PENDING,),
            targets=(PublicationState.CLEARED, PublicationState.WITHHELD),
            who=is_publication_reviewer,
            refusal=N_("公开前保密审查由本机关保密员办理。"),
        ),
        Step(
            "publish",
            N_("发布"),
            sources=(PublicationState.CLEARED,),
            targets=(PublicationState.PUBLISHED,),
            who=is_publisher,
            refusal=N_("主动公开由本机关政务公开员发布。"),
            confirm=N_("发布后公文进入公开目录，向门户网站推送。"),
        ),
        Step(
            "repeal",
            N_("废止"),
            sources=(PublicationState.PUBLISHED,),
            targets=(PublicationState.REPEALED,),
            who=is_publisher,
            refusal=N_("废止由本机关政务公开员登记。"),
            confirm=N_("废止后公文在公开目录中标注“已废止”。"),
        ),
    ],
)


def answer_needs(answer_type: str) -> str:
    """What an answer type must name besides its text: a reason, where it is public, whose it is."""
    return {
        AnswerType.ALREADY_PUBLIC: "public_where",
        AnswerType.NOT_OURS: "competent_organ",
        AnswerType.REFUSED: "reason",
        AnswerType.UNAVAILABLE: "reason",
        AnswerType.NOT_PROCESSED: "reason",
    }.get(answer_type, "")
