"""What every family of 政府信息公开 actions shares: the lock, the clocks (opened from the statutory
presets; the request's ``due`` kept as the open answer clock's), notices that never name a request to
someone outside it, the search text and the checks on texts and dates.

Private to ``petitions.disclosure.services``; other modules use the names its ``__init__`` exports.
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
from petitions.disclosure import rules
from petitions.disclosure.models import DisclosureRequest
from petitions.disclosure.rules import REQUEST

ANSWER = "disclosure"  # the answer clock's kind (preset ``disclosure-answer``)
CORRECTION = "disclosure-correction"
THIRD_PARTY = "disclosure-third-party"


def locked(request: DisclosureRequest) -> DisclosureRequest:
    return REQUEST.lock(request)


def forget(request: DisclosureRequest) -> None:
    rules.forget_clocks(request)


def notify(person: Person | None, verb: str, request: DisclosureRequest) -> None:
    """``verb`` names the request as ``%(title)s``, filled with what the recipient may see of it."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=request, link=request.get_absolute_url())


def open_deadlines(request: DisclosureRequest, *kinds: str) -> list[Deadline]:
    return [
        d
        for d in reminders.deadlines_of(request)
        if d.state == DeadlineState.OPEN and (not kinds or d.kind_id in kinds)
    ]


def open_clock(actor, subject, code: str, start: date, *, person=None, unit=None) -> Deadline:
    """A statutory clock (``presets``) of ``subject``, counted from ``start``."""
    deadline = presets.open_preset(
        code, actor=actor, subject=subject, start=start, responsible_person=person, responsible_unit=unit
    )
    if isinstance(subject, DisclosureRequest):
        forget(subject)
    return deadline


def answer_clock(request: DisclosureRequest) -> Deadline | None:
    clocks = open_deadlines(request, ANSWER)
    return clocks[0] if clocks else None


def require_answer_clock(request: DisclosureRequest) -> Deadline:
    clock = answer_clock(request)
    if clock is None:
        raise ValidationError(_("该申请没有正在计算的答复期限。"))
    return clock


def meet(actor, request: DisclosureRequest, *kinds: str, on: date | None = None) -> bool | None:
    """Meet the open clocks of ``kinds``; whether the (last) one was met on time."""
    on_time = None
    for deadline in open_deadlines(request, *kinds):
        deadline = reminders.deadline_meet(actor=actor, deadline=deadline, on=on)
        on_time = deadline.met_on_time
    forget(request)
    return on_time


def cancel(actor, request: DisclosureRequest, reason: str, *kinds: str) -> None:
    for deadline in open_deadlines(request, *kinds):
        reminders.deadline_cancel(actor=actor, deadline=deadline, reason=reason)
    forget(request)


def refresh_due(request: DisclosureRequest) -> None:
    """``request.due``: the open answer clock's due date (None while it is stopped or none runs)."""
    forget(request)
    clock = answer_clock(request)
    request.due = clock.due_date if clock else None
    request.save(update_fields=["due"])


def refresh_search(request: DisclosureRequest) -> None:
    """Search reads the 登记号, the description and the 名称或文号 — never the applicant's name, ID
    or phone (taken out of what the 政务公开员 typed)."""
    parts = [request.number, request.description, request.document_reference]
    for value in (request.applicant_name, request.id_document, request.contact_phone):
        value = (value or "").strip()
        if len(value) >= 2:
            parts = [part.replace(value, " ") for part in parts]
    id_number = (request.id_document or "").split()[-1:] or [""]
    if len(id_number[0]) >= 6:
        parts = [part.replace(id_number[0], " ") for part in parts]
    text = search.document_text(*parts)
    DisclosureRequest.objects.filter(pk=request.pk).update(search_vector=SearchVector(Value(text), config="simple"))


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
