"""The beat's scan: which reminders fire now, claimed once (``services`` opens and moves the
deadlines; this reads only those with something to claim today)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from office.org.models import Person, Role, Unit
from office.reminders.models import (
    Audience,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Reminder,
    ReminderStage,
    ReminderState,
    ScanState,
)
from office.workdays.models import CalendarDay
from office.workdays.services import PeriodUnit, WorkCalendar, current_calendar

logger = logging.getLogger("shuniu.reminders")

logger = logging.getLogger("shuniu.reminders")

# A reminder claimed but not sent within this long is handed to a worker again (its worker died).
RECLAIM_AFTER = timedelta(seconds=settings.SHUNIU_REMINDER_RECLAIM_SECONDS)
SCAN_LOCK = 0x53480001  # one scan at a time, whatever number of beats or workers run it


# --- The scan ------------------------------------------------------------------------------------
#
# Each open deadline keeps ``next_fire_on``: the first day its claimed reminders may change (a stage's
# first day, or a repeat's). The services set it to the deadline's earliest stage day whenever the due
# date or the clock's state changes (``recompute``), clear it when the deadline closes, and the scan
# moves it on past today as it claims. So a tick reads only the deadlines with something to claim now,
# through a partial index, and works out their stages with one calendar and one table of stage days.
# A date earlier than the truth only costs a claim that finds its rows already there; the scan fixes
# every date again when the stages or the holiday calendar they were computed from change.


@dataclass(frozen=True)
class Due:
    deadline_id: int
    stage_key: str
    recipient_id: int
    audience: str
    for_due_date: date


def _stage_day(stage: ReminderStage, due: date, very_overdue_after: int, cal: WorkCalendar) -> date:
    """The day ``stage`` first fires for a deadline due ``due``."""
    if stage.audience == Audience.SUPERVISION:
        return _shift_workdays(due, very_overdue_after, cal)
    if stage.offset_unit == PeriodUnit.WORKING_DAYS:
        return _shift_workdays(due, stage.offset, cal)
    return due + timedelta(days=stage.offset)


def _fire_date(stage: ReminderStage, deadline: Deadline, cal: WorkCalendar) -> date:
    return _stage_day(stage, deadline.due_date, deadline.kind.very_overdue_after, cal)


def _shift_workdays(day: date, offset: int, cal: WorkCalendar) -> date:
    step = 1 if offset > 0 else -1
    for _i in range(abs(offset)):
        day += timedelta(days=step)
        while not cal.is_workday(day):
            day += timedelta(days=step)
    return day


class StageDays:
    """The active stages by kind and the days they fire, worked out once per (stage, due date) over
    one ``WorkCalendar``: a tick, a refill or a migration computes working-day offsets once, not per
    deadline. ``stages`` are ReminderStage rows (live or historical) with their kind loaded, in the
    order the stages table sorts them (kind, offset), which decides ties as it always did."""

    def __init__(self, stages, cal: WorkCalendar | None = None) -> None:
        self.cal = cal or current_calendar()  # a request's own (its due dates were read from it)
        self.by_kind: dict[str, list] = {}
        self.kinds: dict[str, DeadlineKind] = {}
        for stage in stages:
            self.by_kind.setdefault(stage.kind_id, []).append(stage)
            self.kinds[stage.kind_id] = stage.kind
        self._days: dict[tuple[int, date], date] = {}

    @classmethod
    def load(cls, stage_model=ReminderStage) -> StageDays:
        stages = stage_model.objects.filter(active=True).select_related("kind__supervising_unit__head")
        return cls(stages.order_by("kind", "offset", "pk"))

    def day(self, stage, due: date) -> date:
        key = (stage.pk, due)
        if key not in self._days:
            self._days[key] = _stage_day(stage, due, stage.kind.very_overdue_after, self.cal)
        return self._days[key]

    def first(self, kind_id: str, due: date | None) -> date | None:
        """The first day any stage fires for a deadline of ``kind_id`` due ``due`` (what ``recompute``
        stores: nothing of a new due date has been claimed yet)."""
        days = [self.day(stage, due) for stage in self.by_kind.get(kind_id, [])] if due is not None else []
        return min(days, default=None)

    def latest(
        self, kind_id: str, due: date, today: date, since: date | None = None
    ) -> tuple[dict[str, str], date | None]:
        """Per audience the key of the latest stage due by ``today`` (so a system that was down for days
        sends one reminder, not the whole backlog), and the next day after ``today`` a key changes.

        With ``since`` (the stored next fire day: no key changed between the last claim and it) only the
        audiences whose key changed on or after it: the others' reminders were claimed already."""
        latest: dict[str, tuple[date, str]] = {}
        following: date | None = None
        for stage in self.by_kind.get(kind_id, []):
            fire = self.day(stage, due)
            if fire > today:
                upcoming = fire
            else:
                key = stage.code
                upcoming = None
                if stage.repeat_every_days:
                    occurrence = (today - fire).days // stage.repeat_every_days
                    fire = fire + timedelta(days=occurrence * stage.repeat_every_days)
                    key = f"{stage.code}-{occurrence + 1}"
                    upcoming = fire + timedelta(days=stage.repeat_every_days)
                if stage.audience not in latest or fire >= latest[stage.audience][0]:
                    latest[stage.audience] = (fire, key)
            if upcoming is not None and (following is None or upcoming < following):
                following = upcoming
        keys = {audience: key for audience, (fire, key) in latest.items() if since is None or fire >= since}
        return keys, following

    def fingerprint(self) -> str:
        """What the stored dates depend on: the active stages, ``very_overdue_after``, the calendar."""
        stages = [
            (kind, s.pk, s.code, s.offset, s.offset_unit, s.repeat_every_days, s.audience, s.kind.very_overdue_after)
            for kind, rows in sorted(self.by_kind.items())
            for s in rows
        ]
        with connection.cursor() as cursor:
            table = CalendarDay._meta.db_table
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(date::text || ':' || is_workday::text, ',' ORDER BY date), '')) FROM {table}"  # noqa: S608, E501 - table name is ours
            )
            calendar_digest = cursor.fetchone()[0]
        return hashlib.sha256(repr((stages, calendar_digest)).encode()).hexdigest()


def next_fire_on(deadline: Deadline, days: StageDays | None = None) -> date | None:
    """The ``next_fire_on`` a deadline gets when its due date or its clock's state is set: the first
    day of its earliest stage (perhaps past: the next tick claims what is due by then), or none."""
    if deadline.state != DeadlineState.OPEN or deadline.suspended or deadline.due_date is None:
        return None
    if days is None:
        stages = ReminderStage.objects.filter(kind_id=deadline.kind_id, active=True).select_related("kind")
        days = StageDays(stages.order_by("kind", "offset", "pk"))
    return days.first(deadline.kind_id, deadline.due_date)


def refill_next_fire(days: StageDays, deadline_model=Deadline, *, only_missing: bool = False, batch: int = 2000) -> int:
    """Set ``next_fire_on`` of every open, running deadline from its kind and due date, set-based: one
    computation per distinct (kind, due date), one UPDATE per batch of them. Used by the scan when the
    stages or the calendar changed, and by the migration that added the column; ``only_missing``: only
    the rows without one (loaded by SQL, after ``migrate``). Returns rows updated."""
    running = deadline_model.objects.filter(state=DeadlineState.OPEN, suspended=False, due_date__isnull=False)
    if only_missing:
        running = running.filter(next_fire_on__isnull=True)
    pairs = sorted(set(running.values_list("kind_id", "due_date")))
    table = deadline_model._meta.db_table
    missing = "AND d.next_fire_on IS NULL " if only_missing else ""
    updated = 0
    with connection.cursor() as cursor:
        for begin in range(0, len(pairs), batch):
            chunk = pairs[begin : begin + batch]
            rows = ", ".join(["(%s, %s::date, %s::date)"] * len(chunk))
            params = [value for kind, due in chunk for value in (kind, due, days.first(kind, due))]
            cursor.execute(
                f"UPDATE {table} AS d SET next_fire_on = v.next_fire_on FROM (VALUES {rows}) "  # noqa: S608 - ours
                "AS v(kind_id, due_date, next_fire_on) WHERE d.kind_id = v.kind_id AND d.due_date = v.due_date "
                f"AND d.state = 'open' AND NOT d.suspended {missing}AND d.next_fire_on IS DISTINCT FROM v.next_fire_on",
                params,
            )
            updated += cursor.rowcount
        cursor.execute(
            f"UPDATE {table} SET next_fire_on = NULL "  # noqa: S608 - ours
            "WHERE next_fire_on IS NOT NULL AND (state <> 'open' OR suspended OR due_date IS NULL)"
        )
        updated += cursor.rowcount
    return updated


def fill_missing_next_fire(sender=None, **kwargs) -> None:
    """After ``migrate`` (and a test flush): open, running deadlines written without the services (loaded
    by SQL, as the bench generator does) get their next fire day. A no-op when every one has it (or
    when migrated back to before the column)."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Deadline._meta.db_table)
    if "next_fire_on" not in {column.name for column in columns}:
        return
    if Deadline.objects.filter(state=DeadlineState.OPEN, suspended=False, next_fire_on__isnull=True).exists():
        refill_next_fire(StageDays.load(), only_missing=True)


def _fresh_stage_days() -> StageDays:
    """This tick's stages and calendar; every stored date computed again if they changed since the last."""
    days = StageDays.load()
    fingerprint = days.fingerprint()
    state = ScanState.objects.filter(pk=1).first()
    if state is None or state.fingerprint != fingerprint:
        refilled = refill_next_fire(days)
        ScanState.objects.update_or_create(pk=1, defaults={"fingerprint": fingerprint, "refreshed_at": timezone.now()})
        logger.info("stages or calendar changed: next fire dates of %s deadlines computed again", refilled)
    return days


class _Recipients:
    """Who hears each audience: from the deadline's own row, and the supervising office's 督查员 looked
    up once per office per tick."""

    def __init__(self, days: StageDays) -> None:
        self.days = days
        self._supervisors: dict[int, set[int]] | None = None

    def _office_people(self, office: Unit) -> set[int]:
        if self._supervisors is None:
            offices = {kind.supervising_unit_id for kind in self.days.kinds.values() if kind.supervising_unit_id}
            self._supervisors = {office_id: set() for office_id in offices}
            rows = Person.objects.filter(
                unit_id__in=offices, user__groups__name=Role.SUPERVISOR.value, user__is_active=True
            ).values_list("unit_id", "user_id")
            for unit_id, user_id in rows:
                self._supervisors[unit_id].add(user_id)
        people = set(self._supervisors.get(office.pk, set()))
        if office.head is not None:
            people.add(office.head.user_id)
        return people

    def of(self, row: dict, audience: str) -> set[int]:
        if audience == Audience.RESPONSIBLE:
            if row["responsible_person_id"] is not None:
                return {row["responsible_person__user_id"]}
            return {row["responsible_unit__head__user_id"]} if row["responsible_unit__head_id"] else set()
        if audience == Audience.UNIT_HEAD:
            head = row["responsible_unit__head_id"]
            return {row["responsible_unit__head__user_id"]} if head and head != row["responsible_person_id"] else set()
        people = {row["leader__user_id"]} if row["leader_id"] is not None else set()
        office = self.days.kinds[row["kind_id"]].supervising_unit
        if office is not None:
            people |= self._office_people(office)
        return people


@dataclass
class Plan:
    """What one tick claims, and where each deadline it read goes next."""

    due: list[Due]
    # (deadline id, next_fire_on read, due date read, next_fire_on to store)
    moves: list[tuple[int, date, date, date | None]]


def plan(today: date) -> Plan:
    """The reminders due ``today``, read from the deadlines whose ``next_fire_on`` has come (an index
    range over the open, running ones): a handful of queries whatever the number of deadlines."""
    days = _fresh_stage_days()
    rows = Deadline.objects.filter(
        state=DeadlineState.OPEN, suspended=False, next_fire_on__lte=today, due_date__isnull=False
    ).values(
        "id",
        "kind_id",
        "due_date",
        "next_fire_on",
        "responsible_person_id",
        "responsible_person__user_id",
        "responsible_unit__head_id",
        "responsible_unit__head__user_id",
        "leader_id",
        "leader__user_id",
    )
    recipients = _Recipients(days)
    found: list[Due] = []
    moves: list[tuple[int, date, date, date | None]] = []
    for row in rows:
        keys, following = days.latest(row["kind_id"], row["due_date"], today, since=row["next_fire_on"])
        for audience, key in keys.items():
            for recipient in recipients.of(row, audience):
                found.append(Due(row["id"], key, recipient, audience, row["due_date"]))
        moves.append((row["id"], row["next_fire_on"], row["due_date"], following))
    return Plan(found, moves)


def due_reminders(today: date) -> list[Due]:
    """Which (deadline, stage, recipient) are due today and not claimed on an earlier tick. Per
    audience only the latest due stage counts, so a system that was down for days sends one
    reminder, not the whole backlog."""
    return plan(today).due


def move_on(moves: list[tuple[int, date, date, date | None]], *, batch: int = 20000) -> None:
    """Store each read deadline's next fire day, unless a service changed its due date or its next
    fire day since it was read (that service's value stands: the UPDATE re-reads the row it waited for)."""
    table = Deadline._meta.db_table
    with connection.cursor() as cursor:
        for begin in range(0, len(moves), batch):
            chunk = moves[begin : begin + batch]
            cursor.execute(
                f"UPDATE {table} AS d SET next_fire_on = v.following "  # noqa: S608 - ours
                "FROM unnest(%s::bigint[], %s::date[], %s::date[], %s::date[]) AS v(id, was, due_date, following) "
                "WHERE d.id = v.id AND d.next_fire_on = v.was AND d.due_date = v.due_date "
                "AND d.state = 'open' AND NOT d.suspended",
                [[move[column] for move in chunk] for column in range(4)],
            )


def claim(due: list[Due], now: datetime, *, batch: int = 20000) -> list[int]:
    """Insert the reminder rows; the unique key makes each exist once, ever. Returns the ids
    of rows this call created (``INSERT … ON CONFLICT DO NOTHING RETURNING id``), the rows passed
    as one array per column (a statement per ``batch`` rows, whatever their number)."""
    table = Reminder._meta.db_table
    created: list[int] = []
    with connection.cursor() as cursor:
        for begin in range(0, len(due), batch):
            chunk = due[begin : begin + batch]
            cursor.execute(
                f"INSERT INTO {table} (deadline_id, stage_key, recipient_id, audience, for_due_date, state, "  # noqa: S608 - ours
                "claimed_at, attempts, last_error) "
                "SELECT d, k, r, a, f, 'pending', %s, 0, '' "
                "FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::date[]) AS v(d, k, r, a, f) "
                "ON CONFLICT (deadline_id, stage_key, recipient_id, for_due_date) DO NOTHING RETURNING id",
                [
                    now,
                    [d.deadline_id for d in chunk],
                    [d.stage_key for d in chunk],
                    [d.recipient_id for d in chunk],
                    [d.audience for d in chunk],
                    [d.for_due_date for d in chunk],
                ],
            )
            created += [row[0] for row in cursor.fetchall()]
    return created


def reclaim_stale(now: datetime, *, batch: int = 500) -> list[int]:
    """Reminders claimed but never sent (a worker died): hand them out again."""
    stale = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(state=ReminderState.PENDING, claimed_at__lt=now - RECLAIM_AFTER)
        .values_list("pk", flat=True)[:batch]
    )
    Reminder.objects.filter(pk__in=stale).update(claimed_at=now)
    return stale


def scan(now: datetime | None = None) -> list[int]:
    """One beat tick: claim today's due reminders and re-hand stale ones. Returns the ids to send
    (the caller fans them out after commit).

    One scan runs at a time: a second one (an accidental second beat, two workers each taking a
    tick) finds the scan lock held and returns at once with nothing; the running one does the work."""
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, 0)", [SCAN_LOCK])
            if not cursor.fetchone()[0]:
                logger.info("scan skipped: another scan holds the lock")
                return []
        planned = plan(timezone.localdate(now))
        new = claim(planned.due, now)
        move_on(planned.moves)
        stale = reclaim_stale(now)
    return new + stale
