"""The 发文 machine: every step of an outgoing document, who may take it and when, decided once.

Services take a step with ``OUTGOING.check`` and ``OUTGOING.move``; the document's page (and any
list of what a person may do) shows ``OUTGOING.offered(user, document)`` and nothing else; the
selectors' queues use the same predicates as querysets (:func:`issuing_office_q`,
:func:`review_queue_q`), so what a person finds in 待核稿 is what he may 核稿.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.models import (
    CountersignState,
    Direction,
    DocumentNumber,
    DocumentSeries,
    DocumentState,
    NumberCounter,
    OutgoingDocument,
    Transition,
)
from office import navigation
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit
from office.workflow import Actor, Machine, Step, peek_next

S = DocumentState

# How long each step may take (working days), each a Deadline of kind "document".
STEP_DAYS = {S.REVIEW: 2, S.COUNTERSIGN: 3, S.SIGNOFF: 2, S.RECHECK: 1, S.REGISTERED: 1}


# --- The issuing office: one definition ---------------------------------------------------------


def _office_units(person: Person) -> tuple[set[int], set[int]]:
    """The person's unit with the units above it, and with the units below it, both within the
    organ (a bureau under the city government runs its own office); cached on the person."""
    cached = getattr(person, "_issuing_office_units", None)
    if cached is None:
        unit = person.unit
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Unit.objects.filter(organ_id=unit.organ_id).values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        below, frontier = {unit.pk}, [unit.pk]
        while frontier:
            frontier = [child for pk in frontier for child in children.get(pk, ()) if child not in below]
            below.update(frontier)
        cached = (set(unit.organ_lineage_ids()), below)
        person._issuing_office_units = cached
    return cached


def issuing_office_units(actor: Actor) -> set[int]:
    """The 办文部门 (``DocumentSeries.office``) whose series this person runs as the issuing office:
    a 文秘 those of his unit or a unit above it; the 办公室主任 those of his unit or a unit below it
    (the 秘书科 of his 办公室)."""
    above, below = _office_units(actor.person)
    units: set[int] = set()
    if actor.has_role(Role.SECRETARY):
        units |= above
    if actor.has_role(Role.OFFICE_CHIEF):
        units |= below
    return units


def runs_series(actor: Actor, series: DocumentSeries) -> bool:
    """Whether the person is the series' issuing office (核稿, 复核, 登记, 核发, 归档, 文号作废)."""
    return series.office_id in issuing_office_units(actor)


def is_issuing_office(actor: Actor, document: OutgoingDocument) -> bool:
    return runs_series(actor, document.series)


def issuing_office_q(actor: Actor) -> Q:
    """The documents of which the person is the issuing office: :func:`is_issuing_office` as a query."""
    return Q(series__office__in=issuing_office_units(actor))


def may_draft(user: User) -> bool:
    """拟稿 (the page and its link): a person whose organ has an active 发文代字 to draft in."""
    person = person_of(user)
    if person is None:
        return False
    return DocumentSeries.objects.filter(active=True, organ__organ=person.unit.organ_id).exists()


# --- The predicates of the steps ------------------------------------------------------------------


def is_drafter(actor: Actor, document: OutgoingDocument) -> bool:
    return document.drafter_id == actor.person.pk


def may_edit(actor: Actor, document: OutgoingDocument) -> bool:
    """The drafter edits her draft; the issuing office edits in 核稿 and 复核."""
    if document.state == S.DRAFT:
        return is_drafter(actor, document)
    return is_issuing_office(actor, document)


def _edit_refusal(actor: Actor, document: OutgoingDocument) -> str:
    if document.state == S.DRAFT:
        return _("只有拟稿人可以修改草稿。")
    return _("核稿、复核阶段只有办公室人员可以修改。")


def may_review(actor: Actor, document: OutgoingDocument) -> bool:
    """核稿: the named 核稿人, or (none named) the issuing office; never the drafter herself."""
    if is_drafter(actor, document) or not is_issuing_office(actor, document):
        return False
    return document.reviewer_id in (None, actor.person.pk)


def review_queue_q(actor: Actor) -> Q:
    """:func:`may_review` as a query (the 待核稿 queue, with the state)."""
    person = actor.person
    return (
        issuing_office_q(actor)
        & ~Q(drafter=person)
        & (Q(reviewer__isnull=True) | Q(reviewer=person))
        & Q(state=S.REVIEW)
    )


def may_be_reviewer(person: Person, document: OutgoingDocument) -> bool:
    """Whom the drafter may name as 核稿人: someone who could 核稿 it were nobody named."""
    if person.user_id is None or not person.user.is_active:
        return False
    return person.pk != document.drafter_id and is_issuing_office(Actor(user=person.user, person=person), document)


def _review_refusal(actor: Actor, document: OutgoingDocument) -> str:
    if is_drafter(actor, document) and is_issuing_office(actor, document):
        return _("拟稿人不能核自己起草的公文。")
    if document.reviewer_id is not None and is_issuing_office(actor, document):
        return _("本件指定由%(name)s核稿。") % {"name": document.reviewer.name}
    return _("核稿由发文机关办公室办理。")


def _in_issuing_organ(actor: Actor, document: OutgoingDocument) -> bool:
    return actor.person.unit.organ_id == document.series.organ.organ_id


def needs_principal(document: OutgoingDocument) -> bool:
    """Important and 上行 documents are signed by the organ's head (主要负责人)."""
    return document.important or document.direction == Direction.UPWARD


def may_sign(actor: Actor, document: OutgoingDocument) -> bool:
    if not (actor.has_role(Role.LEADER) and _in_issuing_organ(actor, document)):
        return False
    principal = document.series.organ.head_id
    return not needs_principal(document) or principal in (None, actor.person.pk)


def _sign_refusal(actor: Actor, document: OutgoingDocument) -> str:
    if actor.has_role(Role.LEADER) and _in_issuing_organ(actor, document):
        return _("重要公文和上行文由主要负责人%(name)s签发。") % {"name": document.series.organ.head.name}
    return _("签发由本机关领导办理。")


def countersign_units(actor: Actor, document: OutgoingDocument) -> list[Unit]:
    """The units still to countersign for which this person decides (their head, or a leader in it)."""
    person = actor.person
    leader = actor.has_role(Role.LEADER)
    return [
        countersign.unit
        for countersign in document.countersigns.select_related("unit").order_by("id")
        if countersign.state == CountersignState.PENDING
        and (countersign.unit.head_id == person.pk or (countersign.unit_id == person.unit_id and leader))
    ]


def _nobody_acted_since(actor: Actor, document: OutgoingDocument) -> bool:
    """撤回 only while the drafter's own step is the last one and no unit has countersigned."""
    last = document.transitions.order_by("-at", "-id").first()
    acted = document.countersigns.exclude(state=CountersignState.PENDING).exists()
    return last is not None and last.actor_id == actor.user.pk and not acted


def _may_end(actor: Actor, document: OutgoingDocument) -> bool:
    # A recipient organ's leaders can read the document, but only the issuing organ ends it.
    chief_or_leader = actor.has_role(Role.OFFICE_CHIEF) or actor.has_role(Role.LEADER)
    return _in_issuing_organ(actor, document) and chief_or_leader


def _register_confirm(actor: Actor, document: OutgoingDocument) -> str:
    """The number 登记 would take now (the counter peeked, not taken: another 登记 may come first)."""
    year = timezone.localdate().year
    number = DocumentNumber(
        series=document.series, year=year, sequence=peek_next(NumberCounter, year=year, series=document.series)
    )
    return _(
        "登记后将占用发文字号 %(number)s（以登记时实际编得的文号为准）；文号一经占用不再收回，作废的文号也不重用。"
    ) % {"number": number.text}


# --- Step deadlines -----------------------------------------------------------------------------------


def _step_deadlines(document: OutgoingDocument, from_state: str, actor: Actor | None) -> None:
    """Meet the step's open deadline and open the next step's (its person, or its organ)."""
    user = actor.user if actor is not None else None
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open":
            reminders.deadline_meet(actor=user, deadline=deadline, reason=_("已办理"))
    days = STEP_DAYS.get(document.state)
    if days is None:
        return
    opening = {"actor": user, "subject": document, "kind": "document", "start": timezone.localdate()}
    opening.update(amount=days, unit=PeriodUnit.WORKING_DAYS)
    if document.state == S.COUNTERSIGN:
        pending = document.countersigns.filter(state=CountersignState.PENDING).select_related("unit")
        for countersign in pending:
            reminders.deadline_open(**opening, responsible_unit=countersign.unit)
        return
    person = None
    if document.state == S.SIGNOFF:
        person = document.designated_signer or document.series.organ.head
    elif document.state == S.REVIEW:
        person = document.reviewer
    reminders.deadline_open(
        **opening, responsible_person=person, responsible_unit=None if person else document.series.organ
    )


# --- The machine ------------------------------------------------------------------------------------------

OUTGOING = Machine(
    name="outgoing",
    model=OutgoingDocument,
    event_model=Transition,
    event_for=lambda document: {"document": document},
    noun=N_("公文"),
    on_move=_step_deadlines,
    lock_related=("series__organ__head", "reviewer"),
    steps=[
        Step(
            "edit",
            N_("修改"),
            sources=(S.DRAFT, S.REVIEW, S.RECHECK),
            targets=(),  # records nothing (every version is kept); a 复核 edit may send it back
            who=may_edit,
            refusal=_edit_refusal,
        ),
        Step(
            "submit",
            N_("送核稿"),
            sources=(S.DRAFT,),
            targets=(S.REVIEW,),
            who=is_drafter,
            refusal=N_("只有拟稿人可以送核。"),
            deadline="核稿 2 个工作日，由指定的核稿人（未指定时由发文机关）办理",
        ),
        Step(
            "withdraw",
            N_("撤回"),
            sources=(S.REVIEW, S.COUNTERSIGN, S.SIGNOFF),
            targets=(S.DRAFT,),
            who=is_drafter,
            refusal=N_("只有拟稿人可以撤回。"),
            when=_nobody_acted_since,
            not_now=N_("下一环节已经办理，不能撤回。"),
            deadline="meets the open step's deadline",
        ),
        Step(
            "review",
            N_("核稿"),
            sources=(S.REVIEW,),
            targets=(S.COUNTERSIGN, S.SIGNOFF, S.DRAFT),
            who=may_review,
            refusal=_review_refusal,
            # 会签 and 签发 may also go back to the drafter, but only by their own step's people.
            wrong_state=N_("公文不在核稿环节。"),
            deadline="meets 核稿's; opens 会签 3 个工作日 per unit, or 签发 2 个工作日 for the signer",
        ),
        Step(
            "countersign",
            N_("会签"),
            sources=(S.COUNTERSIGN,),
            targets=(S.COUNTERSIGN, S.SIGNOFF, S.DRAFT),
            options=countersign_units,
            refusal=N_("会签由会签单位负责人办理。"),
            wrong_state=N_("公文不在会签环节。"),
            deadline="meets the unit's; the last opens 签发 2 个工作日 for the signer",
        ),
        Step(
            "sign",
            N_("签发"),
            sources=(S.SIGNOFF,),
            targets=(S.RECHECK, S.DRAFT),
            who=may_sign,
            refusal=_sign_refusal,
            wrong_state=N_("公文不在签发环节。"),
            deadline="meets 签发's; opens 复核 1 个工作日 for the organ",
            confirm=N_("签发后公文定稿，签发日期即成文日期；此后修改须退回签发人重新签发。"),
        ),
        Step(
            "send_back_to_signer",
            N_("实质性修改，退回签发人"),
            sources=(S.RECHECK,),
            targets=(S.SIGNOFF,),
            who=is_issuing_office,
            refusal=N_("核稿、复核阶段只有办公室人员可以修改。"),
            deadline="opens 签发 2 个工作日 again",
        ),
        Step(
            "register",
            N_("登记编号"),
            sources=(S.RECHECK,),
            targets=(S.REGISTERED,),
            who=is_issuing_office,
            refusal=N_("登记由发文机关办公室办理。"),
            wrong_state=N_("公文须经复核后登记。"),
            deadline="meets 复核's; opens 核发 1 个工作日",
            confirm=_register_confirm,
        ),
        Step(
            "void_number",
            N_("文号作废"),
            sources=(S.REGISTERED,),
            targets=(S.RECHECK,),
            who=is_issuing_office,
            refusal=N_("只有发文机关办公室可以作废文号。"),
            wrong_state=N_("已核发的公文不能作废文号，请撤销或废止公文。"),
            deadline="opens 复核 1 个工作日 again",
        ),
        Step(
            "issue",
            N_("核发"),
            sources=(S.REGISTERED,),
            targets=(S.ISSUED,),
            who=is_issuing_office,
            refusal=N_("核发由发文机关办公室办理。"),
            when=lambda actor, document: document.number_id is not None,
            not_now=N_("公文须先登记编号再核发。"),
            wrong_state=N_("公文须先登记编号再核发。"),
            deadline="meets 核发's",
            confirm=N_("核发后，系统内的主送、抄送单位即可查看本公文，核发不能撤回，只能撤销或废止公文。"),
        ),
        Step(
            "archive",
            N_("归档"),
            sources=(S.ISSUED,),
            targets=(S.ARCHIVED,),
            who=is_issuing_office,
            refusal=N_("归档由发文机关办公室办理。"),
        ),
        Step(
            "end",
            N_("撤销或废止"),
            sources=(S.ISSUED, S.ARCHIVED),
            targets=(S.REVOKED, S.ABOLISHED),
            who=_may_end,
            refusal=N_("撤销、废止须由发文机关的办公室主任或领导办理。"),
            confirm=N_("撤销或废止后公文不再有效，这一操作不能撤回。"),
        ),
        Step(
            "void",
            N_("作废"),
            sources=(S.DRAFT,),
            targets=(S.VOIDED,),
            who=is_drafter,
            refusal=N_("只有拟稿人可以作废草稿。"),
            confirm=N_("草稿作废后不能恢复，也不能再送核稿。"),
        ),
    ],
)

# What may follow what (STYLE.md §5), derived from the steps. Returns go back to the drafter.
ALLOWED = OUTGOING.allowed

navigation.offer("outgoing_create", may_draft)
