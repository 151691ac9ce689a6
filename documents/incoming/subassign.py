"""分办 inside a 承办单位: the unit passes its assignment on to a 科室 and a named 承办人, who records his
办理情况 and reports back; the unit's head sends it up (an assisting unit's 协办意见; the lead unit's
answer, which 办结 waits for) or returns it with a reason.

Every step is checked by ``documents.incoming.rules`` — 分办 is the document machine's ``subassign``;
报送, 上报 and 退回 are ``subassignment_machine``'s — then the input is validated, then the row moves and
the document's 流转记录 records the step with the names. The 承办人's time limit is a ``Deadline`` on
his row (kind ``document``), on or before his unit's.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.incoming import rules
from documents.incoming.services import _meet_unit_deadlines, _notify, machine
from documents.models import (
    OPEN_SUBASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    IncomingDocument,
    SubassignmentState,
    UnitAssignment,
)
from office.org.models import Person, Unit, User
from office.reminders import services as reminders
from office.sheets import chinese_date
from office.workdays.services import PeriodUnit
from office.workflow import TransitionNotAllowed

rows_machine = rules.subassignment_machine
U = SubassignmentState


def _link(document: IncomingDocument) -> str:
    return f"/documents/incoming/{document.pk}/"


def unit_due(assignment: Assignment) -> date | None:
    """The unit's own time limit: the 批示's, else the due date of its open handling deadline."""
    if assignment.due is not None:
        return assignment.due
    for deadline in reminders.deadlines_of(assignment.document):
        mine = deadline.kind_id == "document" and deadline.responsible_unit_id == assignment.unit_id
        if mine and deadline.state == "open":
            return deadline.due_date
    return None


def sections_of(unit: Unit):
    """The 科室 a unit may pass its assignment to: the unit itself and every active unit below it."""
    return Unit.objects.active().filter(pk__in=unit.subtree_ids()).order_by("sort_order", "pk")


def handlers_of(unit: Unit, document: IncomingDocument):
    """The people a unit may name as 承办人: active, in it or below it, cleared for the document."""
    return (
        Person.objects.active()
        .filter(unit__in=unit.subtree_ids(), clearance__gte=document.classification)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


def _open_handler_deadline(actor: User, row: UnitAssignment, leader: Person | None) -> None:
    today = timezone.localdate()
    if row.due <= today:
        return  # already due: the row stays overdue on its page, no new clock
    reminders.deadline_open(
        actor=actor,
        subject=row,
        kind="document",
        start=today,
        amount=(row.due - today).days,
        unit=PeriodUnit.CALENDAR_DAYS,
        responsible_person=row.handler,
        responsible_unit=row.section,
        leader=leader,
    )


def _close_handler_deadline(actor: User, row: UnitAssignment) -> None:
    for deadline in reminders.deadlines_of(row):
        if deadline.state == "open":
            reminders.deadline_meet(actor=actor, deadline=deadline)


@transaction.atomic
def unit_subassign(
    *,
    actor: User,
    document: IncomingDocument,
    unit: Unit,
    section: Unit,
    handler: Person,
    due: date | None,
    instruction: str = "",
) -> UnitAssignment:
    """分办: ``unit`` (a lead or assisting unit of the document) passes its assignment on to ``section``
    (the unit or a 科室 below it) and ``handler`` (a person there), due on or before the unit's own
    time limit (any day ahead once the unit's own has passed: it is overdue already)."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "subassign")
    assignment = document.assignments.filter(unit=unit).select_related("unit", "document").first()
    if assignment is None:
        raise ValidationError({"unit": _("该单位不是本文的承办单位。")})
    if unit not in rules.units_to_subassign(taker, document):
        if assignment.done_at is not None:
            raise TransitionNotAllowed(_("该单位的承办已办完，不能再分办。"))
        raise PermissionDenied(_("分办由承办单位的负责人或收文员办理。"))
    if section.pk not in unit.subtree_ids() or not section.active:
        raise ValidationError({"section": _("承办科室须为%(unit)s或其下属科室。") % {"unit": unit.name}})
    if not handler.active or handler.unit_id not in section.subtree_ids():
        raise ValidationError({"handler": _("承办人须为%(section)s的在职人员。") % {"section": section.name}})
    if handler.clearance < document.classification:
        raise ValidationError({"handler": _("%(name)s的涉密等级低于来文密级。") % {"name": handler.name}})
    today = timezone.localdate()
    if due is None:
        raise ValidationError({"due": _("请填写承办人的办理时限。")})
    if due <= today:
        raise ValidationError({"due": _("办理时限应晚于今天。")})
    limit = unit_due(assignment)
    # Inside the unit's limit; a unit already past it can only ask for the earliest it can get.
    if limit is not None and limit > today and due > limit:
        raise ValidationError(
            {"due": _("承办人的办理时限不能晚于本单位的办理时限（%(due)s）。") % {"due": chinese_date(limit)}}
        )
    instruction = instruction.strip()
    row = UnitAssignment.objects.create(
        assignment=assignment,
        section=section,
        handler=handler,
        due=due,
        instruction=instruction,
        assigned_by=taker.person,
    )
    _open_handler_deadline(actor, row, leader=unit.head)
    comment = _("%(unit)s分办%(section)s %(name)s，%(due)s前报送") % {
        "unit": unit.name,
        "section": section.name,
        "name": handler.name,
        "due": chinese_date(due),
    }
    if instruction:
        comment = f"{comment}：{instruction}"
    machine.record(document, actor=taker, action=N_("分办"), comment=comment)
    _notify(
        handler.user,
        _("分办：%(title)s，请于%(due)s前报送办理情况。"),
        document,
        link=_link(document),
        due=chinese_date(due),
    )
    return row


def _locked(row: UnitAssignment) -> tuple[IncomingDocument, UnitAssignment]:
    """The document's row lock first (as every step of the document takes it), then the row's."""
    document = machine.lock(row.assignment.document)
    return document, rows_machine.lock(row)


@transaction.atomic
def subassignment_report(*, actor: User, row: UnitAssignment, note: str) -> UnitAssignment:
    """报送: the 承办人 records his 办理情况 and reports it to his unit's head; his deadline is met."""
    document, row = _locked(row)
    taker = rows_machine.check(actor, row, "report")
    if not note.strip():
        raise ValidationError({"note": _("请填写办理情况。")})
    row.report, row.reported_at = note.strip(), timezone.now()
    rows_machine.move(row, U.REPORTED, actor=taker, action=N_("报送办理情况"), update_fields=["report", "reported_at"])
    _close_handler_deadline(actor, row)
    machine.record(
        document,
        actor=taker,
        action=N_("报送办理情况"),
        comment=f"{row.section.name} {row.handler.name}：{row.report}",
    )
    head = row.assignment.unit.head
    if head is not None:
        _notify(head.user, _("承办人已报送办理情况，请审核：%(title)s"), document, link=_link(document))
    return row


@transaction.atomic
def subassignment_accept(*, actor: User, row: UnitAssignment, note: str = "") -> UnitAssignment:
    """上报: the unit's head takes the 承办人's report as the unit's answer (``note`` when he words it
    himself). An assisting unit whose last open row this is sends its 协办意见 (its deadline met); the
    lead unit's answer is kept on its assignment for 办结, which waits for every row of it."""
    document, row = _locked(row)
    taker = rows_machine.check(actor, row, "accept")
    answer = (note or row.report).strip()
    row.decided_by, row.decided_at = taker.person, timezone.now()
    if note.strip():
        row.report = answer
    rows_machine.move(
        row, U.ACCEPTED, actor=taker, action=N_("上报办理情况"), update_fields=["decided_by", "decided_at", "report"]
    )
    assignment = row.assignment
    unit = assignment.unit
    machine.record(document, actor=taker, action=N_("上报办理情况"), comment=f"{unit.name}：{answer}")
    rows = assignment.subassignments.all()
    if rows.filter(state__in=OPEN_SUBASSIGNMENT_STATES).exists():
        return row  # the unit answers once every row it gave out is in
    joined = "；".join(r.report for r in rows.filter(state=U.ACCEPTED).order_by("decided_at", "id"))
    assignment.note = joined
    if assignment.role == AssignmentRole.ASSIST:
        assignment.done_at = timezone.now()
        assignment.save(update_fields=["note", "done_at"])
        _meet_unit_deadlines(document, unit, actor)
        machine.record(document, actor=taker, action=N_("协办意见"), comment=f"{unit.name}：{joined}")
    else:
        assignment.save(update_fields=["note"])
    return row


@transaction.atomic
def subassignment_return(*, actor: User, row: UnitAssignment, reason: str) -> UnitAssignment:
    """退回: the unit's head returns the report to the 承办人 with the reason; his deadline opens again
    while the due date lies ahead."""
    document, row = _locked(row)
    taker = rows_machine.check(actor, row, "return")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明退回理由。")})
    row.return_reason = reason.strip()
    rows_machine.move(row, U.RETURNED, actor=taker, action=N_("退回办理情况"), update_fields=["return_reason"])
    _open_handler_deadline(actor, row, leader=row.assignment.unit.head)
    machine.record(
        document,
        actor=taker,
        action=N_("退回办理情况"),
        comment=_("退回%(name)s：%(reason)s") % {"name": row.handler.name, "reason": row.return_reason},
    )
    _notify(
        row.handler.user,
        _("办理情况被退回：%(title)s。理由：%(reason)s"),
        document,
        link=_link(document),
        reason=row.return_reason,
    )
    return row


def subassignments_of(document: IncomingDocument) -> list[UnitAssignment]:
    """The document's 分办 rows, with their units and people, in the order given."""
    return list(
        UnitAssignment.objects.filter(assignment__document=document)
        .select_related("assignment__unit", "assignment__document", "section", "handler__unit", "assigned_by")
        .order_by("assigned_at", "id")
    )
