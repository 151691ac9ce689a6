"""Deadlines: open, suspend, resume, extend, meet, cancel — and the reminders the scan claims.

Domain services call these inside their own transactions (they check who may act on their
record); every change recomputes the due date from the clock and writes a DeadlineEvent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.org.models import Person, Role, Unit, User
from office.reminders import clock, selectors
from office.reminders.models import (
    Audience,
    Deadline,
    DeadlineEvent,
    DeadlineKind,
    DeadlineState,
    Extension,
    Notification,
    Reminder,
    ReminderStage,
    ReminderState,
    Suspension,
)
from office.workdays.services import PeriodUnit, WorkCalendar, format_date
from office.workflow import TransitionNotAllowed

logger = logging.getLogger("shuniu.reminders")

# A reminder claimed but not sent within this long is handed to a worker again.
RECLAIM_AFTER = timedelta(minutes=10)
MAX_SEND_ATTEMPTS = 4
VERB_LENGTH = Notification._meta.get_field("verb").max_length
SUBJECT_LENGTH = Notification._meta.get_field("subject_repr").max_length


# --- The deadline's life -----------------------------------------------------------------------


def recompute(deadline: Deadline) -> None:
    """Due date, derivation and suspended flag from the clock (never set by hand)."""
    saved = deadline.pk is not None
    pauses = (
        [clock.Pause(s.start, s.end, s.restarts_clock, s.reason) for s in deadline.suspensions.all()] if saved else []
    )
    extras = [clock.Extra(e.amount, e.unit, e.reason) for e in deadline.extensions.all()] if saved else []
    computed = clock.compute(deadline.start, deadline.amount, deadline.unit, pauses, extras)
    deadline.due_date = computed.due_date
    deadline.derivation = computed.derivation
    deadline.calendar_complete = computed.calendar_complete
    deadline.suspended = computed.suspended


def _event(deadline: Deadline, action: str, actor: User | None, reason: str = "", due_before=None) -> None:
    DeadlineEvent.objects.create(
        deadline=deadline,
        action=action,
        actor=actor,
        reason=reason,
        due_before=due_before,
        due_after=deadline.due_date,
    )


def _locked_open(deadline: Deadline) -> Deadline:
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.state != DeadlineState.OPEN:
        raise TransitionNotAllowed(_("期限已%(state)s，不能再变更。") % {"state": deadline.get_state_display()})
    return deadline


@transaction.atomic
def deadline_open(
    *,
    actor: User | None,
    subject,
    kind: str,
    start: date,
    amount: int,
    unit: str,
    responsible_person: Person | None = None,
    responsible_unit: Unit | None = None,
    leader: Person | None = None,
) -> Deadline:
    """Open the due date of ``subject`` (any record, or a part of one).

    A named 承办人 must be inside the record's 知悉范围 (``visible_to``): he could not open what he
    is reminded of, so the calling flow grants him first or names someone who may see it."""
    if responsible_person is None and responsible_unit is None:
        raise ValidationError(_("期限须有承办人或承办单位。"))
    if responsible_person is not None and not selectors.may_see_subject(subject, responsible_person.user):
        raise ValidationError(
            _("%(name)s不在该事项的知悉范围内（或涉密等级不足），不能作为承办人：请先将其纳入知悉范围，或另选承办人。")
            % {"name": responsible_person.name}
        )
    PeriodUnit(unit)
    deadline = Deadline(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        subject_repr=str(subject)[:200],
        kind=DeadlineKind.objects.get(code=kind),
        start=start,
        amount=amount,
        unit=unit,
        responsible_person=responsible_person,
        responsible_unit=responsible_unit or (responsible_person.unit if responsible_person else None),
        leader=leader,
    )
    recompute(deadline)
    deadline.save()
    _event(deadline, "open", actor)
    return deadline


@transaction.atomic
def deadline_suspend(
    *, actor: User | None, deadline: Deadline, on: date, reason: str, restarts_clock: bool = False
) -> Deadline:
    """Stop the clock from ``on`` (a hearing, a third party, a correction requested)."""
    deadline = _locked_open(deadline)
    if deadline.suspended:
        raise TransitionNotAllowed(_("期限已在中止中。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明中止理由。")})
    if on < deadline.start:
        raise ValidationError({"on": _("中止日不能早于起算日。")})
    before = deadline.due_date
    Suspension.objects.create(deadline=deadline, start=on, reason=reason.strip(), restarts_clock=restarts_clock)
    recompute(deadline)
    deadline.save()
    _event(deadline, "suspend", actor, reason, before)
    return deadline


@transaction.atomic
def deadline_resume(*, actor: User | None, deadline: Deadline, on: date, reason: str = "") -> Deadline:
    """Start the clock again on ``on`` (the day the correction or the third party's answer arrived)."""
    deadline = _locked_open(deadline)
    pause = deadline.suspensions.filter(end__isnull=True).first()
    if pause is None:
        raise TransitionNotAllowed(_("期限没有中止，无需恢复。"))
    if on < pause.start:
        raise ValidationError({"on": _("恢复日不能早于中止日。")})
    pause.end = on
    pause.save(update_fields=["end"])
    recompute(deadline)
    deadline.save()
    _event(deadline, "resume", actor, reason)
    return deadline


@transaction.atomic
def deadline_extend(
    *, actor: User | None, deadline: Deadline, amount: int, reason: str, approved_by: Person, unit: str | None = None
) -> Deadline:
    """Extend by ``amount`` (in the clock's unit unless given), within the kind's cap."""
    deadline = _locked_open(deadline)
    kind = deadline.kind
    unit = unit or deadline.unit
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期理由。")})
    if amount < 1:
        raise ValidationError({"amount": _("延长期限应至少为1。")})
    previous = list(deadline.extensions.all())
    if len(previous) >= kind.max_extensions:
        raise ValidationError(
            {"amount": _("%(kind)s最多延期%(n)d次。") % {"kind": kind.name, "n": kind.max_extensions}}
        )
    if kind.extension_cap_amount is not None:
        if unit != kind.extension_cap_unit:
            raise ValidationError(
                {
                    "unit": _("%(kind)s的延期以“%(unit)s”计。")
                    % {"kind": kind.name, "unit": PeriodUnit(kind.extension_cap_unit).label}
                }
            )
        total = amount + sum(e.amount for e in previous)
        if total > kind.extension_cap_amount:
            raise ValidationError(
                {
                    "amount": _("%(kind)s延期合计不得超过%(n)d%(unit)s。")
                    % {
                        "kind": kind.name,
                        "n": kind.extension_cap_amount,
                        "unit": PeriodUnit(kind.extension_cap_unit).label,
                    }
                }
            )
    before = deadline.due_date
    Extension.objects.create(
        deadline=deadline, amount=amount, unit=unit, reason=reason.strip(), approved_by=approved_by
    )
    recompute(deadline)
    deadline.save()
    _event(deadline, "extend", actor, reason, before)
    return deadline


@transaction.atomic
def deadline_meet(*, actor: User | None, deadline: Deadline, on: date | None = None, reason: str = "") -> Deadline:
    """The thing was done: on time if by the due date."""
    deadline = _locked_open(deadline)
    on = on or timezone.localdate()
    deadline.state, deadline.met_on = DeadlineState.MET, on
    deadline.met_on_time = deadline.due_date is None or on <= deadline.due_date
    deadline.suspended = False
    deadline.save()
    _event(deadline, "meet", actor, reason, deadline.due_date)
    return deadline


@transaction.atomic
def deadline_cancel(*, actor: User | None, deadline: Deadline, reason: str) -> Deadline:
    deadline = _locked_open(deadline)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销理由。")})
    deadline.state, deadline.suspended = DeadlineState.CANCELLED, False
    deadline.save()
    _event(deadline, "cancel", actor, reason, deadline.due_date)
    return deadline


def deadlines_of(subject) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        ).select_related("kind")
    )


# --- The scan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    deadline_id: int
    stage_key: str
    recipient_id: int
    audience: str
    for_due_date: date


def _fire_date(stage: ReminderStage, deadline: Deadline, cal: WorkCalendar) -> date:
    offset = stage.offset
    if stage.audience == Audience.SUPERVISION:
        offset = deadline.kind.very_overdue_after
        return _shift_workdays(deadline.due_date, offset, cal)
    if stage.offset_unit == PeriodUnit.WORKING_DAYS:
        return _shift_workdays(deadline.due_date, offset, cal)
    return deadline.due_date + timedelta(days=offset)


def _shift_workdays(day: date, offset: int, cal: WorkCalendar) -> date:
    step = 1 if offset > 0 else -1
    for _i in range(abs(offset)):
        day += timedelta(days=step)
        while not cal.is_workday(day):
            day += timedelta(days=step)
    return day


def _recipients(deadline: Deadline, audience: str) -> set[int]:
    if audience == Audience.RESPONSIBLE:
        if deadline.responsible_person is not None:
            return {deadline.responsible_person.user_id}
        head = deadline.responsible_unit.head if deadline.responsible_unit else None
        return {head.user_id} if head else set()
    if audience == Audience.UNIT_HEAD:
        unit = deadline.responsible_unit
        head = unit.head if unit else None
        return {head.user_id} if head and head != deadline.responsible_person else set()
    people = set()
    if deadline.leader is not None:
        people.add(deadline.leader.user_id)
    office = deadline.kind.supervising_unit
    if office is not None:
        people |= set(
            Person.objects.filter(
                unit=office, user__groups__name=Role.SUPERVISOR.value, user__is_active=True
            ).values_list("user_id", flat=True)
        )
        if office.head is not None:
            people.add(office.head.user_id)
    return people


def _horizon(today: date, stages: list[ReminderStage], cal: WorkCalendar, lookahead_days: int) -> date:
    """The latest due date any stage fires for by ``today``. A stage N working days before reaches
    further than N calendar days across weekends and long holidays (国庆, 春节), and administrators
    may add earlier stages, so the window follows the stages rather than a fixed number of days."""
    horizon = today + timedelta(days=lookahead_days)
    for stage in stages:
        if stage.offset >= 0 or stage.audience == Audience.SUPERVISION:
            continue
        if stage.offset_unit == PeriodUnit.WORKING_DAYS:
            reach = _shift_workdays(today, -stage.offset, cal)
        else:
            reach = today + timedelta(days=-stage.offset)
        horizon = max(horizon, reach)
    return horizon


def due_reminders(today: date, *, lookahead_days: int = 10) -> list[Due]:
    """Which (deadline, stage, recipient) are due today. Per audience only the latest due stage
    counts, so a system that was down for days sends one reminder, not the whole backlog."""
    cal = WorkCalendar()
    stages: dict[str, list[ReminderStage]] = {}
    for stage in ReminderStage.objects.filter(active=True):
        stages.setdefault(stage.kind_id, []).append(stage)
    found: list[Due] = []
    horizon = _horizon(today, [stage for kind in stages.values() for stage in kind], cal, lookahead_days)
    deadlines = Deadline.objects.filter(
        state=DeadlineState.OPEN, suspended=False, due_date__lte=horizon
    ).select_related("kind", "responsible_person", "responsible_unit__head", "leader", "kind__supervising_unit__head")
    for deadline in deadlines:
        latest: dict[str, tuple[date, str]] = {}
        for stage in stages.get(deadline.kind_id, []):
            fire = _fire_date(stage, deadline, cal)
            if fire > today:
                continue
            key = stage.code
            if stage.repeat_every_days:
                occurrence = (today - fire).days // stage.repeat_every_days
                fire = fire + timedelta(days=occurrence * stage.repeat_every_days)
                key = f"{stage.code}-{occurrence + 1}"
            if stage.audience not in latest or fire >= latest[stage.audience][0]:
                latest[stage.audience] = (fire, key)
        for audience, (_fire, key) in latest.items():
            for recipient in _recipients(deadline, audience):
                found.append(Due(deadline.pk, key, recipient, audience, deadline.due_date))
    return found


def claim(due: list[Due], now: datetime) -> list[int]:
    """Insert the reminder rows; the unique key makes each exist once, ever. Returns the ids
    of rows this call created (``INSERT … ON CONFLICT DO NOTHING RETURNING id``)."""
    if not due:
        return []
    table = Reminder._meta.db_table
    rows = [(d.deadline_id, d.stage_key, d.recipient_id, d.audience, d.for_due_date) for d in due]
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, 'pending', %s, 0, '')"] * len(rows))
    params = [value for row in rows for value in (*row, now)]
    sql = (
        f"INSERT INTO {table} (deadline_id, stage_key, recipient_id, audience, for_due_date, state, claimed_at, "  # noqa: S608 - table name is ours
        f"attempts, last_error) VALUES {placeholders} "
        "ON CONFLICT (deadline_id, stage_key, recipient_id, for_due_date) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


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
    (the caller fans them out after commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        new = claim(due_reminders(timezone.localdate(now)), now)
        stale = reclaim_stale(now)
    return new + stale


# --- Sending -------------------------------------------------------------------------------------


def _subject_text(deadline: Deadline, recipient: User) -> str:
    """The subject as ``recipient`` may read it in a text that is stored and mailed, decided when the
    text is composed (at send time, through ``visible_to``): a record he may not see is never named,
    a classified one he may see is named only in the system."""
    return selectors.travelling_title(deadline.subject, recipient, title=deadline.subject_repr)


def _message(reminder: Reminder, what: str) -> str:
    deadline = reminder.deadline
    due = format_date(deadline.due_date)
    if reminder.audience == Audience.SUPERVISION:
        return _("严重逾期：%(what)s已于%(due)s届满，请督办。") % {"what": what, "due": due}
    if reminder.audience == Audience.UNIT_HEAD:
        return _("逾期：本单位承办的%(what)s已于%(due)s届满。") % {"what": what, "due": due}
    today = timezone.localdate()
    if deadline.due_date < today:
        return _("逾期：%(what)s已于%(due)s届满，请尽快办理。") % {"what": what, "due": due}
    if deadline.due_date == today:
        return _("今日届满：%(what)s（%(due)s）。") % {"what": what, "due": due}
    return _("期限将至：%(what)s将于%(due)s届满。") % {"what": what, "due": due}


class SendFailed(Exception):
    """Sending failed and may be tried again."""


def send(reminder_id: int, *, final_attempt: bool = False) -> str:
    """Deliver one reminder: the in-app notification (once) and the email (once it succeeds).

    Returns what happened: ``sent``, ``skipped`` or ``failed``. Raises :class:`SendFailed` when the
    email failed and another attempt may follow (the attempt and its error are kept)."""
    error = None
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True)
            .select_related("deadline__kind", "recipient")
            .filter(pk=reminder_id, state=ReminderState.PENDING)
            .first()
        )
        if reminder is None:
            return "skipped"  # gone, done, or another worker holds it
        if reminder.deadline.state != DeadlineState.OPEN or reminder.deadline.suspended:
            # Closed, or its clock stopped (no due date to tell) since the scan claimed it.
            reminder.state, reminder.sent_at = ReminderState.SENT, timezone.now()
            reminder.last_error = (
                "deadline suspended before sending"
                if reminder.deadline.state == DeadlineState.OPEN
                else "deadline closed before sending"
            )
            reminder.save(update_fields=["state", "sent_at", "last_error"])
            return "skipped"
        what = _subject_text(reminder.deadline, reminder.recipient)
        text = _message(reminder, what)
        Notification.objects.get_or_create(
            reminder=reminder,
            defaults={
                "recipient": reminder.recipient,
                "verb": text[:VERB_LENGTH],
                "subject_repr": what[:SUBJECT_LENGTH],
                "link": "/reminders/",
            },
        )
        reminder.attempts += 1
        address = reminder.recipient.email or getattr(getattr(reminder.recipient, "person", None), "email", "")
        if address and reminder.email_sent_at is None:
            try:
                send_mail(
                    _("【枢纽】期限提醒"),
                    text + "\n" + _("请登录枢纽系统查看。"),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                )
                reminder.email_sent_at = timezone.now()
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
        if error is None:
            reminder.state, reminder.sent_at, reminder.last_error = ReminderState.SENT, timezone.now(), ""
        else:
            reminder.last_error = error
            if final_attempt or reminder.attempts >= MAX_SEND_ATTEMPTS:
                reminder.state = ReminderState.FAILED
        reminder.save(update_fields=["attempts", "email_sent_at", "state", "sent_at", "last_error"])
    if error is None:
        return "sent"
    if reminder.state == ReminderState.FAILED:
        logger.error("reminder %s failed after %s attempts: %s", reminder.pk, reminder.attempts, error)
        return "failed"
    raise SendFailed(error)


# --- Notifications ---------------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("只能标记自己的通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def notifications_redact() -> int:
    """Re-compose the stored texts of reminders sent before texts were composed for their recipient
    (they named any record up to 内部, whoever it went to): a subject the recipient may not see now
    is masked in both columns. Idempotent; returns how many notifications changed. Notifications
    outside the reminder stages keep no link to their record and are left as they are."""
    changed = 0
    rows = Notification.objects.filter(reminder__isnull=False).select_related("reminder__deadline", "recipient")
    for notification in rows.iterator(chunk_size=500):
        deadline = notification.reminder.deadline
        what = _subject_text(deadline, notification.recipient)
        verb = notification.verb.replace(deadline.subject_repr, what) if deadline.subject_repr else notification.verb
        if (verb, what) != (notification.verb, notification.subject_repr):
            notification.verb, notification.subject_repr = verb[:VERB_LENGTH], what[:SUBJECT_LENGTH]
            notification.save(update_fields=["verb", "subject_repr"])
            changed += 1
    return changed


def notify(*, recipient: User, verb: str, subject=None, link: str = "", **values: str) -> Notification:
    """A notification outside the reminder stages (a manual 催办, a returned document, …).

    With ``subject`` (the record it is about, or a part of one) ``verb`` names it as ``%(title)s``,
    filled here for ``recipient`` through ``visible_to`` (``selectors.travelling_title``): the stored
    text never holds a title he may not see, nor a classified one. ``values`` fill the verb's other
    placeholders (a reason, a message: text the sender typed). Both columns are cut to their size."""
    subject_repr = ""
    if subject is not None:
        subject_repr = selectors.travelling_title(subject, recipient)
        verb = verb % {**values, "title": subject_repr}
    elif values:
        verb = verb % values
    return Notification.objects.create(
        recipient=recipient,
        verb=verb[:VERB_LENGTH],
        subject_repr=subject_repr[:SUBJECT_LENGTH],
        link=link,
    )
