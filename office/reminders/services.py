"""Deadlines: open, suspend, resume, extend, meet, cancel — the reminders the scan claims
(``scan.py``), their sending, and in-app notifications.

Domain services call these inside their own transactions (they check who may act on their
record); every change recomputes the due date from the clock and writes a DeadlineEvent.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError, connection, transaction
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
    ReminderState,
    Suspension,
)

# The scan lives in its own module; its names are the services' too.
from office.reminders.scan import (  # noqa: F401
    RECLAIM_AFTER,
    SCAN_LOCK,
    Due,
    StageDays,
    claim,
    due_reminders,
    fill_missing_next_fire,
    move_on,
    next_fire_on,
    plan,
    reclaim_stale,
    refill_next_fire,
    scan,
)
from office.workdays.services import MAX_AMOUNT, PeriodUnit, format_date
from office.workflow import TransitionNotAllowed

logger = logging.getLogger("shuniu.reminders")

# PostgreSQL advisory locks, keyed (which lock, which row). A lock belongs to a connection, so it goes
# the moment its worker dies, with no timeout to wait for and nothing kept in Redis.
SEND_LOCK = 0x53480002  # one worker at a time sends a given reminder
# A reminder whose email was handed to the mail server by a worker that died before hearing back.
EMAIL_OUTCOME_UNKNOWN = "email outcome unknown: the sending worker stopped mid-send; not sent again"
MAX_SEND_ATTEMPTS = 4
VERB_LENGTH = Notification._meta.get_field("verb").max_length
SUBJECT_LENGTH = Notification._meta.get_field("subject_repr").max_length


# --- The deadline's life -----------------------------------------------------------------------


def recompute(deadline: Deadline) -> None:
    """Due date, derivation and suspended flag from the clock (never set by hand)."""
    saved = deadline.pk is not None
    pauses = (
        [
            clock.Pause(s.start, s.end, s.restarts_clock, s.reason, s.counts_until, s.late_entry_reason)
            for s in deadline.suspensions.all()
        ]
        if saved
        else []
    )
    extras = [clock.Extra(e.amount, e.unit, e.reason) for e in deadline.extensions.all()] if saved else []
    computed = clock.compute(
        deadline.start, deadline.amount, deadline.unit, pauses, extras, basis=deadline.kind.legal_basis
    )
    deadline.due_date = computed.due_date
    deadline.derivation = computed.derivation
    deadline.calendar_complete = computed.calendar_complete
    deadline.suspended = computed.suspended
    # Every stage fires again for a new due date (the reminders' key holds it), and not while stopped.
    deadline.next_fire_on = next_fire_on(deadline)


def _event(deadline: Deadline, action: str, actor: User | None, reason: str = "", due_before=None) -> None:
    DeadlineEvent.objects.create(
        deadline=deadline,
        action=action,
        actor=actor,
        reason=reason,
        due_before=due_before,
        due_after=deadline.due_date,
    )


def _check_amount(amount, unit: PeriodUnit, field: str) -> None:
    """A period or an extension is a whole number of at least one unit: 0 would be due the day it
    starts, and a negative amount would move a due date back."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValidationError(
            {field: _("期限应为正整数（至少1%(unit)s），不能为0或负数。") % {"unit": clock.amount_unit(unit)}}
        )
    if amount > MAX_AMOUNT[unit]:
        raise ValidationError(
            {field: _("期限不能超过%(max)d%(unit)s。") % {"max": MAX_AMOUNT[unit], "unit": clock.amount_unit(unit)}}
        )


def _expired(deadline: Deadline, today: date) -> bool:
    """The period ran out: the due date (the last day it runs) is behind ``today``. A stopped clock has
    no due date and has not run out."""
    return deadline.due_date is not None and today > deadline.due_date


def _may_enter_late(actor: User | None, deadline: Deadline) -> bool:
    """补登 is the office chief's (办公室主任) of the organ the deadline's 承办单位 belongs to."""
    if actor is None or not actor.has_role(Role.OFFICE_CHIEF):
        return False
    person = Person.objects.filter(user=actor).select_related("unit").first()
    unit = deadline.responsible_unit
    return person is not None and unit is not None and person.unit.organ_id == unit.organ_id


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
    _check_amount(amount, PeriodUnit(unit), "amount")
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
    *,
    actor: User | None,
    deadline: Deadline,
    on: date,
    reason: str,
    restarts_clock: bool = False,
    late_entry_reason: str = "",
) -> Deadline:
    """Stop the clock from ``on`` (a hearing, a third party, a correction requested).

    Only while the period runs: once the due date has passed (or for a pause said to begin after
    it) the clock cannot be stopped any more — that would make an overdue answer look on time.
    The office chief may still record such a pause as a 补登 (``late_entry_reason``, why it was not
    recorded in time): it is kept and shown, but no day of it after the due date in force now is
    taken out of the clock (``Suspension.counts_until``), and it never stops the clock. A 补正
    (``restarts_clock``) cannot be entered late: it would begin the whole period again."""
    deadline = _locked_open(deadline)
    if deadline.suspended:
        raise TransitionNotAllowed(_("期限已在中止中。"))
    if deadline.suspensions.filter(end__isnull=True).exists():  # an open 补登 (it never stops the clock)
        raise TransitionNotAllowed(_("补登的中止尚未登记恢复日，请先登记恢复。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明中止理由。")})
    if on < deadline.start:
        raise ValidationError({"on": _("中止日不能早于起算日。")})
    last_end = deadline.suspensions.filter(end__isnull=False).order_by("-end").values_list("end", flat=True).first()
    if last_end is not None and on < last_end:
        raise ValidationError(
            {"on": _("中止日不能早于上一次中止的恢复日（%(day)s）。") % {"day": format_date(last_end)}}
        )
    before = deadline.due_date
    today = timezone.localdate()
    late = before is not None and (on > before or today > before)
    late_entry_reason = late_entry_reason.strip()
    if late and not late_entry_reason:
        values = {"due": format_date(before), "on": format_date(on)}
        if on > before:
            message = _(
                "期限已于%(due)s届满，%(on)s开始的中止在届满之后，不能使期限延后。"
                "确需记录的，由办公室主任写明理由补登（补登不延长期限）。"
            )
        else:
            message = _(
                "期限已于%(due)s届满，届满后不能再登记中止。确需记录的，由办公室主任写明理由补登"
                "（届满日之后的中止时间不计入期限）。"
            )
        raise ValidationError({"on": message % values})
    if late_entry_reason:
        if not late:
            raise ValidationError({"late_entry_reason": _("期限尚未届满，按一般中止登记即可，无需补登。")})
        if restarts_clock:
            raise ValidationError(
                {"restarts_clock": _("期限届满后不能补登补正：补正须在期限内告知，补登会使整个期限重新起算。")}
            )
        if not _may_enter_late(actor, deadline):
            raise PermissionDenied(_("期限届满后的中止只能由本机关办公室主任补登。"))
    Suspension.objects.create(
        deadline=deadline,
        start=on,
        reason=reason.strip(),
        restarts_clock=restarts_clock,
        late_entry_reason=late_entry_reason,
        counts_until=before if late_entry_reason else None,
    )
    recompute(deadline)
    deadline.save()
    if late_entry_reason:
        _event(deadline, "late-suspend", actor, f"{reason.strip()}（补登：{late_entry_reason}）"[:200], before)
    else:
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
    """Extend by ``amount`` (in the clock's unit unless given), within the kind's cap, and only while
    the period runs: an extension approved after the due date is refused (an expired period is not
    revived). On a month clock an extension in months lengthens the period counted from its start
    (``clock.compute``)."""
    deadline = _locked_open(deadline)
    if _expired(deadline, timezone.localdate()):
        raise TransitionNotAllowed(
            _("期限已于%(due)s届满，届满后不能再批准延期；请尽快办结，并如实说明逾期原因。")
            % {"due": format_date(deadline.due_date)}
        )
    kind = deadline.kind
    unit = PeriodUnit(unit or deadline.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期理由。")})
    _check_amount(amount, unit, "amount")
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
    deadline.suspended, deadline.next_fire_on = False, None
    deadline.save()
    _event(deadline, "meet", actor, reason, deadline.due_date)
    return deadline


@transaction.atomic
def deadline_cancel(*, actor: User | None, deadline: Deadline, reason: str) -> Deadline:
    deadline = _locked_open(deadline)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销理由。")})
    deadline.state, deadline.suspended, deadline.next_fire_on = DeadlineState.CANCELLED, False, None
    deadline.save()
    _event(deadline, "cancel", actor, reason, deadline.due_date)
    return deadline


def deadlines_of(subject) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        ).select_related("kind")
    )


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


def _send_lock_key(reminder_id: int) -> list[int]:
    # The second key is a 32-bit int: ids 2**31 apart share a lock, which only makes one wait its turn.
    return [SEND_LOCK, reminder_id % 2**31]


def reminder_message_id(reminder: Reminder) -> str:
    """The same Message-ID on every attempt: the mail server's log names the reminder, and a
    mail client shows a message it somehow got twice once."""
    return f"<shuniu-reminder-{reminder.pk}.{reminder.for_due_date:%Y%m%d}@{DNS_NAME}>"


def send(reminder_id: int, *, final_attempt: bool = False) -> str:
    """Deliver one reminder: the in-app notification (once) and the email (at most once).

    No email leaves from inside a transaction. First the claim is committed: the notification is
    written and ``email_sent_at`` stamped as the email is about to be handed to the mail server.
    Then the mail server is spoken to, then the outcome recorded. The worker holds the reminder's
    send lock throughout; whoever next gets that lock and finds the email stamped without an
    outcome knows its worker died mid-send, perhaps after the mail server accepted the message, and
    marks it sent without a second email (the notification is in the app either way).

    Returns what happened: ``sent``, ``skipped`` or ``failed``. Raises :class:`SendFailed` when the
    email failed and another attempt may follow (the attempt and its error are kept)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _send_lock_key(reminder_id))
        if not cursor.fetchone()[0]:
            return "skipped"  # another worker is sending it right now
    try:
        handover = _claim_for_sending(reminder_id)
        if isinstance(handover, str):
            return handover
        return _deliver_email(*handover, final_attempt=final_attempt)
    finally:
        # A broken connection has dropped the lock already.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _send_lock_key(reminder_id))


def _claim_for_sending(reminder_id: int) -> tuple[Reminder, str, str] | str:
    """The committed first step of :func:`send`: the notification, and the email stamped as handed
    over. Returns (reminder, text, address) for an email to send now, else what happened."""
    # Durable: the commit must happen here, before the mail server is spoken to.
    with transaction.atomic(durable=True):
        reminder = (
            # Only the reminder's own row: another transaction holding its deadline, its kind or its
            # recipient (a suspension, an admin edit, a login) must not hold up or skip the send.
            Reminder.objects.select_for_update(of=("self",))
            .select_related("deadline__kind", "recipient")
            .filter(pk=reminder_id, state=ReminderState.PENDING)
            .first()
        )
        if reminder is None:
            return "skipped"  # gone or done
        now = timezone.now()
        if reminder.deadline.state != DeadlineState.OPEN or reminder.deadline.suspended:
            # Closed, or its clock stopped (no due date to tell) since the scan claimed it.
            reminder.state, reminder.sent_at = ReminderState.SENT, now
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
        if reminder.email_sent_at is not None:
            logger.warning("reminder %s: %s", reminder.pk, EMAIL_OUTCOME_UNKNOWN)
            reminder.state, reminder.sent_at, reminder.last_error = ReminderState.SENT, now, EMAIL_OUTCOME_UNKNOWN
        elif address:
            reminder.email_sent_at = now
            reminder.save(update_fields=["attempts", "email_sent_at"])
            return reminder, text, address
        else:
            reminder.state, reminder.sent_at, reminder.last_error = ReminderState.SENT, now, ""
        reminder.save(update_fields=["attempts", "state", "sent_at", "last_error"])
        return "sent"


def _deliver_email(reminder: Reminder, text: str, address: str, *, final_attempt: bool) -> str:
    """Hand the email to the mail server, then record the outcome (each record one statement)."""
    email = EmailMessage(
        _("【枢纽】期限提醒"),
        text + "\n" + _("请登录枢纽系统查看。"),
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": reminder_message_id(reminder)},
    )
    try:
        email.send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    else:
        Reminder.objects.filter(pk=reminder.pk).update(state=ReminderState.SENT, sent_at=timezone.now(), last_error="")
        return "sent"
    # Refused (not accepted): nothing went, so the next attempt sends it.
    failed = final_attempt or reminder.attempts >= MAX_SEND_ATTEMPTS
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.PENDING).update(
        email_sent_at=None, last_error=error, state=ReminderState.FAILED if failed else ReminderState.PENDING
    )
    if failed:
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
