"""Reads of meetings, 议题 and the 领导活动安排, always from ``visible_to(user)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import (
    HOLDING,
    Material,
    Meeting,
    MeetingState,
    Reply,
    Room,
    RoomBooking,
    ScheduleEntry,
    Topic,
    TopicState,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import ClassifiedCopy, CopyState
from office.confidentiality.visibility import person_of


def copies_out(meeting: Meeting) -> QuerySet[ClassifiedCopy]:
    """The numbered copies of the meeting's materials still held (issued or signed for, not back)."""
    return ClassifiedCopy.objects.filter(
        content_type=ContentType.objects.get_for_model(Material),
        object_id__in=meeting.materials.values("pk"),
        returned_at__isnull=True,
        destroyed_at__isnull=True,
    ).exclude(state__in=[CopyState.RETURNED, CopyState.DESTROYED])


# --- meetings ------------------------------------------------------------------------------------------

MEETING_FILTERS = ("type", "state", "year", "organ", "room", "chair")
TOPIC_FILTERS = ("meeting_type", "state", "unit", "meeting", "organ", "reviewing_leader")


def _clean(filters: dict | None, allowed: tuple[str, ...]) -> dict:
    return {k: v for k, v in dict(filters or {}).items() if k in allowed and v not in (None, "")}


def meeting_list_visible(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    """The visible meetings, newest first, filtered (``type``, ``state``, ``year``, ``organ``, ``room``,
    ``chair``; ``after``/``before``: dates of the start)."""
    given = dict(filters or {})
    meetings = Meeting.objects.visible_to(user).select_related("type", "room", "chair")
    if after := given.get("after"):
        meetings = meetings.filter(starts_at__date__gte=after)
    if before := given.get("before"):
        meetings = meetings.filter(starts_at__date__lte=before)
    return meetings.filter(**_clean(given, MEETING_FILTERS))


def my_meetings(*, user) -> QuerySet[Meeting]:
    """The meetings he attends, chairs or runs (not cancelled): the coming ones first (soonest
    first), then the past ones (latest first)."""
    person = person_of(user)
    if person is None:
        return Meeting.objects.none()
    now = timezone.now()
    return (
        Meeting.objects.visible_to(user)
        .filter(Q(attendees__person=person) | Q(chair=person) | Q(organizer=person))
        .exclude(state=MeetingState.CANCELLED)
        .distinct()
        .select_related("type", "room", "chair")
        .annotate(
            upcoming=Case(When(ends_at__gte=now, then=Value(0)), default=Value(1), output_field=IntegerField()),
            soon=Case(When(ends_at__gte=now, then=F("starts_at")), default=None),
        )
        .order_by("upcoming", "soon", "-starts_at", "-id")
    )


# --- 议题 ------------------------------------------------------------------------------------------------


def topic_list_visible(*, user, filters: dict | None = None) -> QuerySet[Topic]:
    """The visible 议题, filtered (``meeting_type``, ``state``, ``unit``, ``meeting``, ``organ``,
    ``reviewing_leader``)."""
    topics = Topic.objects.visible_to(user).select_related("meeting_type", "unit", "presenter", "meeting")
    return topics.filter(**_clean(filters, TOPIC_FILTERS))


def agenda(meeting: Meeting) -> QuerySet[Topic]:
    """The meeting's agenda: the 议题 placed on it (and, once held, discussed), in order."""
    return (
        Topic.objects.filter(meeting=meeting, state__in=(TopicState.PLACED, TopicState.DISCUSSED))
        .select_related("unit", "presenter")
        .order_by("order", "id")
    )


# --- 会议室 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One booking on the rooms' calendar: the meeting named only to whom may see it."""

    booking: RoomBooking
    room: Room
    starts_at: datetime
    ends_at: datetime
    state: str
    title: str
    meeting_id: int | None  # None when he may not see the meeting


def room_calendar(*, user, organ, first: date, last: date) -> list[Slot]:
    """The held bookings (待审批, 已预订) of the organ's rooms from ``first`` to ``last`` (local dates)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    bookings = list(
        RoomBooking.objects.filter(room__organ=organ, state__in=HOLDING, starts_at__lt=end, ends_at__gt=start)
        .select_related("room", "meeting")
        .order_by("room__name", "starts_at", "id")
    )
    seen = set(
        Meeting.objects.visible_to(user).filter(pk__in={b.meeting_id for b in bookings}).values_list("pk", flat=True)
    )
    return [
        Slot(
            booking=b,
            room=b.room,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            state=b.state,
            title=b.meeting.title if b.meeting_id in seen else _("已预订"),
            meeting_id=b.meeting_id if b.meeting_id in seen else None,
        )
        for b in bookings
    ]


def conflicts(meeting: Meeting, user=None) -> list[str]:
    """What clashes with the meeting, in sentences for its 会务员 ``user``: an attendee (or the chair)
    in another meeting at the same time, a leader's other activity then. Another meeting or activity
    is named only when it is 内部 or below and ``user`` may see it (else “另一会议”, “其他活动”)."""
    window = Q(starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at)
    people = {a.person_id: a.person for a in meeting.attendees.exclude(reply=Reply.LEAVE).select_related("person")}
    people.setdefault(meeting.chair_id, meeting.chair)
    found: list[str] = []

    seen_meetings = Meeting.objects.visible_to(user) if user is not None else Meeting.objects.none()
    seen_entries = ScheduleEntry.objects.visible_to(user) if user is not None else ScheduleEntry.objects.none()

    def named(other) -> str:
        shown = other.classification <= Level.INTERNAL and seen_meetings.filter(pk=other.pk).exists()
        return f"《{other.title}》" if shown else _("另一会议")

    others = (
        Meeting.objects.filter(window)
        .exclude(pk=meeting.pk)
        .exclude(state=MeetingState.CANCELLED)
        .filter(Q(chair__in=people) | Q(attendees__person__in=people))
        .distinct()
        .prefetch_related("attendees")
        .order_by("starts_at", "id")
    )
    for other in others:
        busy = {other.chair_id} | {a.person_id for a in other.attendees.all() if a.reply != Reply.LEAVE}
        for pk in sorted(busy & set(people)):
            found.append(
                _("%(name)s同时参加%(other)s（%(when)s）。")
                % {"name": people[pk].name, "other": named(other), "when": _span(other.starts_at, other.ends_at)}
            )
    entries = (
        ScheduleEntry.objects.filter(window, leader__in=people, cancelled=False)
        .exclude(meeting=meeting)
        .exclude(meeting__isnull=False, meeting__in=others)  # said above
        .select_related("leader")
        .order_by("starts_at", "id")
    )
    for entry in entries:
        shown = entry.classification <= Level.INTERNAL and seen_entries.filter(pk=entry.pk).exists()
        what = entry.title if shown else _("其他活动")
        found.append(
            _("%(name)s当时另有安排：%(what)s（%(when)s）。")
            % {"name": entry.leader.name, "what": what, "when": _span(entry.starts_at, entry.ends_at)}
        )
    return found


def _span(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    first = f"{start.month}月{start.day}日 {start:%H:%M}"
    if start.date() == end.date():
        return f"{first}—{end:%H:%M}"
    return f"{first}—{end.month}月{end.day}日 {end:%H:%M}"
