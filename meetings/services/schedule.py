"""领导活动安排: each leader's week. The office (a 会务员 or 文秘 of the leader's organ) enters 调研,
接待, 外出 …; the meetings of this app put themselves on it (``sync_meeting``: the chair and every
attending leader, kept in step with the meeting's times and cancelled with it). ``week`` is the
office's view (what the reader may see), ``public_week`` the published 一周安排.

An overlap with another of the leader's activities is refused when entered by hand (unless the
office confirms it, ``allow_overlap``); a meeting is put on the schedule whatever else is there —
the clash is for the office to see, not a reason to leave the meeting off.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ActivityKind, AttendeeRole, Meeting, MeetingState, Reply, ScheduleEntry
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, User
from office.workflow import actor_of

__all__ = [
    "conflicts",
    "public_week",
    "schedule_add",
    "schedule_cancel",
    "schedule_edit",
    "sync_meeting",
    "week",
]

EDITABLE = {"kind", "title", "starts_at", "ends_at", "place", "public", "note"}
# A meeting's entry follows the meeting: only these are the office's to change.
MEETING_EDITABLE = {"public", "note"}
CLASSIFICATION_FIELDS = (
    "classification",
    "secrecy_term_unit",
    "secrecy_term_amount",
    "secrecy_until",
    "declassify_condition",
    "declassify_condition_met",
    "secrecy_from",
    "classification_basis",
    "classified_by",
    "classified_at",
    "declassify_due",
)


def _organ_of(person: Person) -> Unit:
    return person.unit.organ or person.unit


def _is_leader(person: Person) -> bool:
    return person.user_id is not None and person.user.has_role(Role.LEADER)


def _enters_for(actor: User, leader: Person) -> Person:
    """The acting person when he keeps ``leader``'s schedule: a 会务员 or 文秘 of the leader's organ."""
    person = actor_of(actor).person
    keeps = actor.has_role(Role.MEETING_OFFICER) or actor.has_role(Role.SECRETARY)
    if not keeps or _organ_of(person).pk != _organ_of(leader).pk:
        raise PermissionDenied(_("领导活动安排由本机关的会务员或文秘录入。"))
    return person


def conflicts(entry: ScheduleEntry) -> list[ScheduleEntry]:
    """The leader's other activities (not cancelled) overlapping ``entry``'s time."""
    others = ScheduleEntry.objects.filter(
        leader_id=entry.leader_id, cancelled=False, starts_at__lt=entry.ends_at, ends_at__gt=entry.starts_at
    )
    if entry.pk is not None:
        others = others.exclude(pk=entry.pk)
    return list(others.order_by("starts_at", "id"))


def _check(entry: ScheduleEntry, allow_overlap: bool, viewer=None) -> None:
    errors = {}
    if not entry.title.strip():
        errors["title"] = _("请填写活动内容。")
    if entry.kind not in ActivityKind.values:
        errors["kind"] = _("活动类别无效。")
    if entry.starts_at is None:
        errors["starts_at"] = _("请填写开始时间。")
    if entry.ends_at is None:
        errors["ends_at"] = _("请填写结束时间。")
    elif entry.starts_at is not None and entry.ends_at <= entry.starts_at:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    if errors:
        raise ValidationError(errors)
    if not allow_overlap and (clash := conflicts(entry)):
        first = clash[0]
        at = timezone.localtime(first.starts_at)
        # The other activity is named only to someone who may read it, and never when classified.
        named = viewer is not None and first.classification <= Level.INTERNAL
        named = named and ScheduleEntry.objects.visible_to(viewer).filter(pk=first.pk).exists()
        raise ValidationError(
            {
                "starts_at": _("与%(leader)s%(at)s的“%(title)s”冲突。")
                % {
                    "leader": entry.leader.name,
                    "at": f"{at.month}月{at.day}日 {at:%H:%M}",
                    "title": first.title if named else _("其他活动"),
                }
            }
        )


def _lock_leader(leader: Person) -> Person:
    """The leader's row, locked: two entries for him are checked for overlap one after the other."""
    return Person.objects.select_for_update(of=("self",)).select_related("unit", "user").get(pk=leader.pk)


@transaction.atomic
def schedule_add(
    *,
    actor: User,
    leader: Person,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    public: bool = False,
    note: str = "",
    allow_overlap: bool = False,
    level: Level = Level.INTERNAL,
    basis: str = "",
) -> ScheduleEntry:
    """The office enters an activity of ``leader`` (a person with the 领导 role of its organ)."""
    person = _enters_for(actor, leader)
    leader = _lock_leader(leader)
    if not _is_leader(leader):
        raise ValidationError({"leader": _("%(name)s不是本机关领导。") % {"name": leader.name}})
    if Level(level) > person.clearance:
        raise PermissionDenied(_("不能录入高于本人涉密等级的活动。"))
    entry = ScheduleEntry(
        organ=_organ_of(leader),
        leader=leader,
        kind=kind,
        title=(title or "").strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        public=public,
        note=note.strip(),
        entered_by=person,
    )
    _check(entry, allow_overlap, viewer=actor)
    if public and Level(level) > Level.INTERNAL:
        raise ValidationError({"public": _("涉密活动不能对外公布。")})
    secrecy.apply_classification(entry, actor=actor, level=level, basis=basis)
    entry.save()
    return entry


@transaction.atomic
def schedule_edit(*, actor: User, entry: ScheduleEntry, allow_overlap: bool = False, **fields) -> ScheduleEntry:
    """Change an activity; a meeting's own entry follows the meeting (only 备注 and 对外公布 here)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    entry = ScheduleEntry.objects.select_for_update(of=("self",)).select_related("leader__unit").get(pk=entry.pk)
    _enters_for(actor, entry.leader)
    if entry.cancelled:
        raise ValidationError(_("该活动已取消。"))
    if entry.meeting_id is not None and set(fields) - MEETING_EDITABLE:
        raise ValidationError(_("会议活动的时间、地点和内容随会议安排调整。"))
    _lock_leader(entry.leader)
    before = (entry.starts_at, entry.ends_at)
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    moved = (entry.starts_at, entry.ends_at) != before  # only a new time can clash anew
    _check(entry, allow_overlap or entry.meeting_id is not None or not moved, viewer=actor)
    if entry.public and entry.classification > Level.INTERNAL:
        raise ValidationError({"public": _("涉密活动不能对外公布。")})
    entry.save()
    return entry


@transaction.atomic
def schedule_cancel(*, actor: User, entry: ScheduleEntry, reason: str = "") -> ScheduleEntry:
    """取消 an activity entered by the office (a meeting's entry is cancelled with the meeting)."""
    entry = ScheduleEntry.objects.select_for_update(of=("self",)).select_related("leader__unit").get(pk=entry.pk)
    _enters_for(actor, entry.leader)
    if entry.meeting_id is not None:
        raise ValidationError(_("会议活动随会议取消；领导不参加请办理请假回执。"))
    if entry.cancelled:
        return entry
    entry.cancelled = True
    if reason.strip():
        entry.note = (_("取消：%(reason)s") % {"reason": reason.strip()})[:200]
    entry.save(update_fields=["cancelled", "note"])
    return entry


# --- Meetings on the schedule ---------------------------------------------------------------------------


def _meeting_leaders(meeting: Meeting) -> list[Person]:
    """The chair and every leader invited to attend (出席) who has not sent his regrets."""
    leaders = {meeting.chair_id: meeting.chair}
    attending = meeting.attendees.filter(
        role=AttendeeRole.ATTEND, person__user__groups__name=Role.LEADER, reply__in=(Reply.PENDING, Reply.ATTEND)
    ).select_related("person")
    for attendee in attending:
        leaders.setdefault(attendee.person_id, attendee.person)
    return list(leaders.values())


def sync_meeting(meeting: Meeting) -> None:
    """Put ``meeting`` on its leaders' schedules (kept in step with its time, place and 密级), and take
    it off (cancelled) for a leader no longer attending or when the meeting is cancelled. Idempotent.
    Reads ``meeting`` as given (its time, place, state and 密级) and its attendees from the database."""
    with transaction.atomic():
        existing = {
            entry.leader_id: entry for entry in ScheduleEntry.objects.select_for_update().filter(meeting=meeting)
        }
        live = meeting.state != MeetingState.CANCELLED
        leaders = _meeting_leaders(meeting) if live else []
        place = meeting.room.name if meeting.room_id else meeting.platform
        for leader in leaders:
            entry = existing.pop(leader.pk, None) or ScheduleEntry(
                meeting=meeting, leader=leader, entered_by=meeting.organizer
            )
            values = {
                "organ": meeting.organ,
                "kind": ActivityKind.MEETING,
                "title": meeting.title,
                "place": place[:100],
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "cancelled": False,
                **{name: getattr(meeting, name) for name in CLASSIFICATION_FIELDS},
            }
            if meeting.classification > Level.INTERNAL:
                values["public"] = False
            changed = entry.pk is None or any(getattr(entry, name) != value for name, value in values.items())
            for name, value in values.items():
                setattr(entry, name, value)
            if changed:
                entry.save()
        for entry in existing.values():
            if not entry.cancelled:
                entry.cancelled = True
                entry.save(update_fields=["cancelled"])


# --- The week -----------------------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _bounds(monday: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


def _leaders_of(organ: Unit) -> list[Person]:
    return list(
        Person.objects.filter(
            Q(unit=organ) | Q(unit__organ=organ), user__groups__name=Role.LEADER, user__is_active=True
        )
        .select_related("unit")
        .distinct()
        .order_by("unit__kind", "pk")
    )


def _grid(organ: Unit, monday: date, entries) -> list[dict]:
    days = [monday + timedelta(days=n) for n in range(7)]
    leaders = _leaders_of(organ)
    head = organ.head_id
    leaders.sort(key=lambda person: person.pk != head)  # the 主要领导 first
    rows = {leader.pk: {"leader": leader, "days": [{"day": d, "entries": []} for d in days]} for leader in leaders}
    for entry in entries:
        row = rows.get(entry.leader_id)
        if row is None:
            continue
        index = (timezone.localtime(entry.starts_at).date() - monday).days
        if 0 <= index < 7:
            row["days"][index]["entries"].append(entry)
    return list(rows.values())


def _in_week(queryset, organ: Unit, monday: date):
    start, end = _bounds(monday)
    return (
        queryset.filter(organ=organ, cancelled=False, starts_at__gte=start, starts_at__lt=end)
        .select_related("leader")
        .order_by("starts_at", "id")
    )


def week(*, user: User, organ: Unit, monday: date) -> list[dict]:
    """The organ's leaders' week, Monday to Sunday, from what ``user`` may see: one row per leader
    (``{"leader", "days": [{"day", "entries"}]}``), each day's entries in time order (``monday``: any
    day of the week)."""
    monday = _monday(monday)
    return _grid(organ, monday, _in_week(ScheduleEntry.objects.visible_to(user), organ, monday))


def public_week(*, organ: Unit, monday: date) -> list[dict]:
    """The published 一周安排: only entries marked 可对外公布 and not classified, without the 备注."""
    monday = _monday(monday)
    entries = list(
        _in_week(ScheduleEntry.objects.filter(public=True, classification__lte=Level.INTERNAL), organ, monday).defer(
            "note"
        )
    )
    for entry in entries:
        entry.note = ""
    return _grid(organ, monday, entries)
