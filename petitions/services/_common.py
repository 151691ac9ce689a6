"""What every family of petition actions shares: the lock, the clocks (opened from the statutory
presets, the case's ``due`` kept as the earliest open one), notices that never name a case to
someone outside it, the search text and the checks on texts and dates.

Private to ``petitions.services``; other modules use the names its ``__init__`` exports.
"""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from office import search
from office.org.models import Person
from office.reminders import presets
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState
from petitions.models import PetitionCase
from petitions.rules import CASE

STAGE_PRESET = {"first": "petition-handle", "review": "petition-review", "rereview": "petition-rereview"}
ANSWER_KINDS = ("petition", "petition-review")  # the clocks of an answer owed


def locked(case: PetitionCase) -> PetitionCase:
    return CASE.lock(case)


def notify(person: Person | None, verb: str, case: PetitionCase) -> None:
    """``verb`` names the case as ``%(title)s``, filled with what the recipient may see of it."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=case, link=f"/petitions/{case.pk}/")


def told_for(unit) -> list[Person]:
    """Who is told a case waits for ``unit``: its head, or (a 科室 with none named) its own people —
    not the organ's head above it, who is outside the case."""
    if unit is None:
        return []
    if unit.head_id:
        return [unit.head]
    return list(Person.objects.active().filter(unit=unit).select_related("user"))


def open_deadlines(case: PetitionCase, *kinds: str) -> list[Deadline]:
    return [
        d for d in reminders.deadlines_of(case) if d.state == DeadlineState.OPEN and (not kinds or d.kind_id in kinds)
    ]


def open_clock(actor, case: PetitionCase, code: str, start: date, *, person=None, unit=None) -> Deadline:
    """A statutory clock (``presets``) of the case, counted from ``start``."""
    deadline = presets.open_preset(
        code, actor=actor, subject=case, start=start, responsible_person=person, responsible_unit=unit
    )
    case.__dict__.pop("_deadlines", None)
    return deadline


def meet(actor, case: PetitionCase, *kinds: str, on: date | None = None) -> bool | None:
    """Meet the open clocks of ``kinds``; whether the (last) one was met on time."""
    on_time = None
    for deadline in open_deadlines(case, *kinds):
        deadline = reminders.deadline_meet(actor=actor, deadline=deadline, on=on)
        on_time = deadline.met_on_time
    case.__dict__.pop("_deadlines", None)
    return on_time


def cancel(actor, case: PetitionCase, reason: str, *kinds: str) -> None:
    for deadline in open_deadlines(case, *kinds):
        reminders.deadline_cancel(actor=actor, deadline=deadline, reason=reason)
    case.__dict__.pop("_deadlines", None)


def refresh_due(case: PetitionCase) -> None:
    """``case.due``: the earliest open clock's due date (the 台账 sorts and lights on it)."""
    dates = [d.due_date for d in open_deadlines(case) if d.due_date]
    case.due = min(dates) if dates else None
    case.save(update_fields=["due"])


def refresh_search(case: PetitionCase) -> None:
    """Search reads the number, summary, content and category — never a petitioner's identity (his
    name, ID number or phone are taken out of the content a 信访员 typed)."""
    parts = [case.number, case.title, case.content, str(case.category)]
    for link in case.petitioners.select_related("petitioner"):
        for value in (link.petitioner.name, link.petitioner.id_number, link.petitioner.phone):
            if len(value.strip()) >= 2:
                parts = [part.replace(value.strip(), " ") for part in parts]
    text = search.document_text(*parts)
    PetitionCase.objects.filter(pk=case.pk).update(search_vector=SearchVector(Value(text), config="simple"))


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def not_future(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day
