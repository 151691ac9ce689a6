"""What every family of supervision actions shares: the Deadline kinds, who counts as the item's
督查员 or a task's lead unit, the locks (item first, then task), the 流转记录 and notices, the Deadline
moves that keep ``task.due`` and ``task.report_due`` in step, and the checks on texts and dates.

Private to ``supervision.services``; other modules use the names its ``__init__`` exports.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.org.models import Person, Unit, User
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState
from office.workdays.services import MAX_AMOUNT, PeriodUnit, add_months
from supervision.models import Cadence, SupervisionItem, SupervisionTask, TaskState
from supervision.rules import ITEM, TASK, in_unit, is_lead_of, is_supervisor_of

__all__ = ["is_lead_of", "is_supervisor_of"]  # decided in supervision.rules

TASK_KIND = "supervision"  # a task's 办结时限, a milestone, an assisting unit's input, the split
REPORT_KIND = "supervision-report"  # an expected progress report
CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}


def _in_unit(person: Person, unit: Unit) -> bool:
    return in_unit(person, unit)


def _notify(person: Person | None, verb: str, item: SupervisionItem) -> None:
    """``verb`` names the item as ``%(title)s``, filled for the recipient with what he may see of it
    (never a title outside his 知悉范围, never a classified one in a stored text)."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=item, link=f"/supervision/{item.pk}/")


def _locked_task(task: SupervisionTask) -> tuple[SupervisionItem, SupervisionTask]:
    """The item first, then the task: every action takes the locks in that order."""
    item = ITEM.lock(task.item)
    task = TASK.lock(task)
    task.item = item
    return item, task


def _open_deadline(actor, subject, *, kind: str, due: date, person=None, unit=None, leader=None) -> Deadline:
    """A Deadline that falls due on ``due`` (moved past a rest day by 民法典 §203 like any other)."""
    today = timezone.localdate()
    return reminders.deadline_open(
        actor=actor,
        subject=subject,
        kind=kind,
        start=today,
        amount=max((due - today).days, 0),
        unit=PeriodUnit.CALENDAR_DAYS,
        responsible_person=person,
        responsible_unit=unit,
        leader=leader,
    )


def _open_deadlines(subject, kind: str = TASK_KIND) -> list[Deadline]:
    return [d for d in reminders.deadlines_of(subject) if d.state == DeadlineState.OPEN and d.kind_id == kind]


def _close(subject, actor, *, kind: str = TASK_KIND, cancel_reason: str = "") -> None:
    for deadline in _open_deadlines(subject, kind):
        if cancel_reason:
            reminders.deadline_cancel(actor=actor, deadline=deadline, reason=cancel_reason)
        else:
            reminders.deadline_meet(actor=actor, deadline=deadline)


def _follow_task_due(item: SupervisionItem, task: SupervisionTask) -> None:
    """An item is due when its last task is: a task given (or extended, or returned) past the item's
    date carries the item's date with it, so the ledger never shows an item due before its work."""
    if task.due > item.due:
        item.due = task.due
        item.save(update_fields=["due"])


def _refresh_report_due(task: SupervisionTask) -> None:
    """The next expected report: an open report Deadline or an unreached milestone, whichever first."""
    dates = [d.due_date for d in _open_deadlines(task, REPORT_KIND) if d.due_date]
    dates += [m.due for m in task.milestones.filter(reached_on__isnull=True)]
    task.report_due = min(dates) if task.state == TaskState.ASSIGNED and dates else None
    task.save(update_fields=["report_due"])


def _open_next_report(actor, task: SupervisionTask, after: date) -> None:
    """On a monthly or quarterly cadence, the report due one period after ``after`` (if before the task
    is due: the final report covers the last stretch)."""
    months = CADENCE_MONTHS.get(task.item.cadence)
    if months is None:
        return
    next_due = add_months(after, months)
    if next_due < task.due:
        _open_deadline(actor, task, kind=REPORT_KIND, due=next_due, person=task.responsible_person)


def above_ceiling(level) -> bool:
    """Above the deployment's ceiling an item is a register entry only: title, number, source, units,
    people and dates — no requirement, no report or input texts, no attachments (DESIGN.md)."""
    return Level(level) > Level(settings.SHUNIU_CLASSIFICATION_CEILING)


def _check_text(actor: User, item: SupervisionItem | None, level, text: str, field_name: str, message: str) -> None:
    """Content is required where it may be kept, and refused (with its audit row) where it may not."""
    if text.strip():
        secrecy.ensure_content_allowed(user=actor, level=level, record=item)
    elif not above_ceiling(level):
        raise ValidationError({field_name: message})


# The deadline clock counts at most this far ahead (office.workdays): a later date is a slip of the pen.
LATEST_DUE_DAYS = MAX_AMOUNT[PeriodUnit.CALENDAR_DAYS]
TOO_FAR = _lazy("时限不能晚于今天之后%(n)d日。")


def _too_far(day: date) -> bool:
    return (day - timezone.localdate()).days > LATEST_DUE_DAYS


def _require_future(day: date | None, field_name: str, message: str) -> None:
    if day is not None and day <= timezone.localdate():
        raise ValidationError({field_name: message})
    if day is not None and _too_far(day):
        raise ValidationError({field_name: TOO_FAR % {"n": LATEST_DUE_DAYS}})
