"""Reads of meetings, 议题 and the 领导活动安排, always from ``visible_to(user)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import (
    HOLDING,
    Attendee,
    AttendeeRole,
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


# --- who came --------------------------------------------------------------------------------------------


def seat_counts(meetings) -> dict[int, dict]:
    """Per meeting, its seats as ``services.attendance`` counts them: 出席 and 列席 (not 工作人员), a 代会
    substitute's own row folded into his principal's (signed in when either is): ``invited``,
    ``on_leave`` (请假, not signed in) and ``present``."""
    counted = Attendee.objects.filter(meeting__in=meetings).exclude(role=AttendeeRole.STAFF)
    stands_in = counted.filter(meeting=OuterRef("meeting"), substitute=OuterRef("person"), reply=Reply.SUBSTITUTE)
    stand_in_signed = counted.filter(
        meeting=OuterRef("meeting"), person=OuterRef("substitute"), checked_in_at__isnull=False
    )
    came = ExpressionWrapper(
        Q(checked_in_at__isnull=False) | Q(reply=Reply.SUBSTITUTE) & Q(Exists(stand_in_signed)),
        output_field=BooleanField(),
    )
    rows = (
        counted.exclude(Exists(stands_in))
        .annotate(came=came)
        .values("meeting")
        .annotate(
            invited=Count("id"),
            on_leave=Count("id", filter=Q(reply=Reply.LEAVE, came=False)),
            present=Count("id", filter=Q(came=True)),
        )
    )
    return {row["meeting"]: row for row in rows}


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


def _slot_title(meeting: Meeting) -> str:
    if meeting.classification > Level.INTERNAL:
        return _("涉密会议（%(level)s）") % {"level": meeting.level.label}
    return meeting.title


def room_calendar(*, user, organ, first: date, last: date) -> list[Slot]:
    """The held bookings (待审批, 已预订) of the organ's rooms from ``first`` to ``last`` (local dates)."""
    first, last = max(first, date(1900, 1, 1)), min(last, date(9998, 12, 31))  # no overflow at the ends
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
            # The calendars are printed and shown in passing: a classified title stays on its meeting's page.
            title=_slot_title(b.meeting) if b.meeting_id in seen else _("已预订"),
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


# --- 座次 and 参会证 (the logistics reads) -----------------------------------------------------------------

PODIUM_ROW_SEATS = 10  # 列席 rows below the 主席台, this many seats a row


def _seated(meeting: Meeting) -> list[dict]:
    """The people who come, in rank order (排序, then their unit's 排序, then the list's): not one on
    an approved 请假; a 代会 substitute in the seat (and rank, group) of the one he stands for."""
    from meetings.models import Attendee

    rows = list(
        Attendee.objects.filter(meeting=meeting).select_related(
            "person__unit", "substitute__unit", "group", "person__user"
        )
    )
    own = {row.person_id for row in rows}
    stand_ins = {row.substitute_id for row in rows if row.reply == Reply.SUBSTITUTE and row.substitute_id in own}
    seated = []
    for row in rows:
        if row.person_id in stand_ins or (row.reply == Reply.LEAVE and row.leave_approved is True):
            continue
        substituted = row.reply == Reply.SUBSTITUTE and row.substitute_id is not None
        person = row.substitute if substituted else row.person
        seated.append(
            {
                "row": row,
                "attendee": row.pk,
                "name": person.name,
                "unit": person.unit.name,
                "post": person.post,
                "substitute_for": row.person.name if substituted else "",
                "key": (row.precedence, row.person.unit.sort_order, row.pk),
            }
        )
    seated.sort(key=lambda seat: seat["key"])
    return seated


def podium_order(count: int) -> list[int]:
    """The ranks 1..``count`` on the 主席台, left to right *as the hall sees it* (facing the podium).

    The Chinese rule, from the podium facing the hall: No.1 in the centre, No.2 on his left, No.3 on
    his right, and so on outwards; with an even count No.1 and No.2 take the two centre seats, No.1
    on the left of centre. Seen from the hall, left and right swap: 5 → 5 3 1 2 4, 6 → 6 4 2 1 3 5."""
    from_podium: list[int] = []  # left to right for those sitting on it
    for rank in range(1, count + 1):
        if rank == 1 or (count % 2 == 0 and rank == 2):
            from_podium.append(rank)
        elif (rank % 2 == 0) == (count % 2 == 1):  # outwards: to the left, then to the right
            from_podium.insert(0, rank)
        else:
            from_podium.append(rank)
    return list(reversed(from_podium))


def seating(meeting: Meeting) -> dict:
    """The 座次图: ``podium``, the 出席 people on the 主席台 left to right as the hall sees it (each seat:
    rank, attendee id, name, unit, post, substitute_for, column, seat label); ``rows``, the 列席 people
    in rows of ``PODIUM_ROW_SEATS`` below it, in rank order from the left; the counts."""
    from meetings.models import AttendeeRole

    seated = _seated(meeting)
    attending = [seat for seat in seated if seat["row"].role == AttendeeRole.ATTEND]
    sitting_in = [seat for seat in seated if seat["row"].role == AttendeeRole.SIT_IN]

    def shown(seat: dict, rank: int, column: int, label: str) -> dict:
        values = {k: v for k, v in seat.items() if k not in ("row", "key")}
        return {**values, "rank": rank, "column": column, "seat": label}

    podium = []
    for column, rank in enumerate(podium_order(len(attending)), start=1):
        label = _("主席台左起第%(n)d座") % {"n": column}
        podium.append(shown(attending[rank - 1], rank, column, label))
    rows = []
    for start in range(0, len(sitting_in), PODIUM_ROW_SEATS):
        number = start // PODIUM_ROW_SEATS + 1
        rows.append(
            [
                shown(seat, start + i + 1, i + 1, _("列席第%(row)d排左起第%(n)d座") % {"row": number, "n": i + 1})
                for i, seat in enumerate(sitting_in[start : start + PODIUM_ROW_SEATS])
            ]
        )
    return {"podium": podium, "rows": rows, "attending": len(attending), "sitting_in": len(sitting_in)}


def badges(meeting: Meeting) -> list[dict]:
    """The 参会证 list: everyone who comes (出席, then 列席, then 工作人员, each in rank order), numbered
    001…, with unit, post, role, 讨论组 and seat (the 主席台 or a 列席 row; none for the 工作人员)."""
    from meetings.models import AttendeeRole

    chart = seating(meeting)
    seats = {seat["attendee"]: seat["seat"] for seat in chart["podium"]}
    seats.update({seat["attendee"]: seat["seat"] for row in chart["rows"] for seat in row})
    order = {AttendeeRole.ATTEND: 0, AttendeeRole.SIT_IN: 1, AttendeeRole.STAFF: 2}
    seated = sorted(_seated(meeting), key=lambda seat: (order.get(seat["row"].role, 3), seat["key"]))
    return [
        {
            "number": f"{n:03d}",
            "attendee": seat["attendee"],
            "name": seat["name"],
            "unit": seat["unit"],
            "post": seat["post"],
            "role": seat["row"].role,
            "role_display": seat["row"].get_role_display(),
            "substitute_for": seat["substitute_for"],
            "group": seat["row"].group.name if seat["row"].group_id else "",
            "seat": seats.get(seat["attendee"], ""),
        }
        for n, seat in enumerate(seated, start=1)
    ]
