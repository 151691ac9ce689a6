"""What the families of 会议 actions share: the organ of a person, the notice to a person, the
overlap of two time ranges, the leaders' schedules kept in step, and the checks on texts.

Private to ``meetings.services``; other modules use the names its ``__init__`` exports.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone

from meetings.models import Meeting, Topic
from office.org.models import Person, Unit
from office.reminders import services as reminders

__all__: list[str] = []


def organ_of(person: Person) -> Unit:
    return person.unit.organ or person.unit


def unit_organ(unit: Unit) -> Unit:
    return unit.organ or unit


def overlapping(starts_at: datetime, ends_at: datetime, prefix: str = "") -> Q:
    """[starts, ends) ranges meeting ``[starts_at, ends_at)``: one ending as the other begins does not."""
    return Q(**{f"{prefix}starts_at__lt": ends_at, f"{prefix}ends_at__gt": starts_at})


def span(starts_at: datetime, ends_at: datetime) -> str:
    """“3月9日 09:00—12:00” (the end's day too when it is another day)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    first = f"{start.month}月{start.day}日 {start:%H:%M}"
    if start.date() == end.date():
        return f"{first}—{end:%H:%M}"
    return f"{first}—{end.month}月{end.day}日 {end:%H:%M}"


def require_text(value: str, field: str, message: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value[:limit] if limit else value


def notify(person: Person | None, verb: str, record: Meeting | Topic, **values: str) -> None:
    """``verb`` names the record as ``%(title)s``, filled with what the recipient may see of it."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=record, link=link(record), **values)


def link(record: Meeting | Topic) -> str:
    try:
        return record.get_absolute_url()
    except NoReverseMatch:  # the pages are not routed yet
        kind = "topics/" if isinstance(record, Topic) else ""
        return f"/meetings/{kind}{record.pk}/"


def sync_schedule(meeting: Meeting) -> None:
    """Put the meeting on (or take it off) its leaders' schedules (``services.schedule``)."""
    from meetings.services.schedule import sync_meeting  # it imports from here

    sync_meeting(meeting)
