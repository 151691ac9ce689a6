"""The beat scan and sending: which reminders fire on which day, to whom; each exactly once, also
with two scans racing; a dead worker's reminders handed out again; sends that fail and retry.

The clock is moved with ``time_machine`` to 09:00 Beijing time on the days that matter. The usual
deadline is due on Thursday 19 June 2025 (no holiday near it): 3 working days before is Monday
16 June, 1 before is Wednesday 18 June, overdue starts Friday 20 June and repeats weekly, and 5
working days overdue (``very_overdue_after`` of 一般期限) is Thursday 26 June."""

import threading
from datetime import date, timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection

from office.reminders import services, tasks
from office.reminders.models import DeadlineKind, Notification, Reminder, ReminderStage, ReminderState
from tests.reminders.conftest import FAILING_EMAIL_BACKEND, at

DUE = date(2025, 6, 19)


def claimed(ids) -> list[tuple[str, str]]:
    """What a scan handed out: (stage, recipient's username), sorted."""
    rows = Reminder.objects.filter(pk__in=ids).values_list("stage_key", "recipient__username")
    return sorted(rows)


def deliver(ids) -> None:
    """What the workers do with the ids a scan hands out."""
    for reminder_id in ids:
        services.send(reminder_id)


def walk(time_machine, first: date, last: date) -> dict[date, list[tuple[str, str]]]:
    """Scan at 09:00 every day from ``first`` to ``last`` and deliver what is handed out; the days
    something was handed out, and what."""
    fired, day = {}, first
    while day <= last:
        time_machine.move_to(at(day), tick=False)
        if ids := services.scan():
            fired[day] = claimed(ids)
            deliver(ids)
        day += timedelta(days=1)
    return fired


@pytest.fixture
def due_on_the_19th(open_deadline, supervised):
    """A deadline due Thursday 19 June 2025 with a leader in charge, its kind supervised by the 督查室."""
    return open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days", leader=supervised.leader)


# --- Which stage fires when, to whom -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_stages_fire_on_their_days_to_their_people(due_on_the_19th, time_machine):
    """GIVEN a deadline due Thursday 19 June 2025, with a leader in charge and a supervising 督查室
    WHEN the scan runs every morning from 12 June to 4 July
    THEN the handler is reminded 3 and 1 working days before, on the day, and every week once overdue;
    the section head is told weekly once it is overdue; after 5 working days overdue the leader, the
    督查室's 督查员 and its head are told, weekly too; nothing fires on the other days."""
    assert due_on_the_19th.due_date == DUE
    supervision = [("very-overdue-{n}", "rem-inspector"), ("very-overdue-{n}", "rem-leader")]
    supervision.append(("very-overdue-{n}", "rem-sup-head"))

    fired = walk(time_machine, date(2025, 6, 12), date(2025, 7, 4))

    assert fired == {
        date(2025, 6, 16): [("before-3", "rem-handler")],
        date(2025, 6, 18): [("before-1", "rem-handler")],
        date(2025, 6, 19): [("due", "rem-handler")],
        date(2025, 6, 20): [("overdue-1", "rem-handler"), ("overdue-head-1", "rem-head")],
        date(2025, 6, 26): sorted((key.format(n=1), who) for key, who in supervision),
        date(2025, 6, 27): [("overdue-2", "rem-handler"), ("overdue-head-2", "rem-head")],
        date(2025, 7, 3): sorted((key.format(n=2), who) for key, who in supervision),
        date(2025, 7, 4): [("overdue-3", "rem-handler"), ("overdue-head-3", "rem-head")],
    }


@pytest.mark.django_db
def test_three_working_days_before_a_deadline_after_a_long_holiday_fire_before_the_holiday(open_deadline, time_machine):
    """GIVEN a deadline due Friday 10 October 2025, just after the National Day holiday (1–8 October)
    WHEN the scan runs every morning from 26 September to 10 October
    THEN the handler hears 3 working days before on Monday 29 September (9 Oct, 30 Sep, 29 Sep are the three
    working days before it), 1 working day before on Thursday 9 October, and on the day."""
    deadline = open_deadline(start=date(2025, 9, 10), amount=30, unit="calendar_days")
    assert deadline.due_date == date(2025, 10, 10)

    fired = walk(time_machine, date(2025, 9, 26), date(2025, 10, 10))

    assert fired == {
        date(2025, 9, 29): [("before-3", "rem-handler")],
        date(2025, 10, 9): [("before-1", "rem-handler")],
        date(2025, 10, 10): [("due", "rem-handler")],
    }


@pytest.mark.django_db
def test_after_a_long_outage_only_the_latest_reminder_of_each_audience_is_sent(due_on_the_19th, time_machine):
    """GIVEN a deadline due 19 June 2025 and a system that was down from 13 June to 29 June
    WHEN the scan runs again on Monday 30 June
    THEN each audience gets only its latest reminder — the handler the second overdue one, the section head
    its second, the supervisors the first very-overdue one — not the missed before/due/first-overdue backlog."""
    fired = walk(time_machine, date(2025, 6, 30), date(2025, 6, 30))

    assert fired == {
        date(2025, 6, 30): [
            ("overdue-2", "rem-handler"),
            ("overdue-head-2", "rem-head"),
            ("very-overdue-1", "rem-inspector"),
            ("very-overdue-1", "rem-leader"),
            ("very-overdue-1", "rem-sup-head"),
        ]
    }


@pytest.mark.django_db
def test_suspended_and_closed_deadlines_are_not_reminded(open_deadline, office, time_machine):
    """GIVEN four deadlines due 19 June 2025: one open, one suspended on 12 June, one met and one cancelled
    WHEN the scan runs on the due day and the day after
    THEN only the open one's handler is reminded."""
    handler = office.handler.user
    deadlines = {
        title: open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days", title=title)
        for title in ("进行中", "中止", "已办结", "已撤销")
    }
    time_machine.move_to(at(date(2025, 6, 12)), tick=False)  # recorded while the period runs
    services.deadline_suspend(actor=handler, deadline=deadlines["中止"], on=date(2025, 6, 12), reason="听证")
    services.deadline_meet(actor=handler, deadline=deadlines["已办结"], on=date(2025, 6, 17))
    services.deadline_cancel(actor=handler, deadline=deadlines["已撤销"], reason="来信人撤回")

    walk(time_machine, DUE, DUE + timedelta(days=1))

    reminded = set(Reminder.objects.values_list("deadline__subject_repr", flat=True))
    assert reminded == {"进行中"}


@pytest.mark.django_db
def test_the_stages_an_administrator_configures_are_the_ones_that_fire(due_on_the_19th, time_machine):
    """GIVEN an administrator who, for 一般期限, adds a stage 10 working days before, switches off the one
    1 working day before, and lets supervision step in after 2 working days overdue instead of 5
    WHEN the scan runs every morning from 2 June to 23 June
    THEN the handler hears on 5 June (10 working days before 19 June), 16 June (3 before) and the due day,
    not on 18 June, and the supervisors on Monday 23 June."""
    ReminderStage.objects.create(
        kind_id="general", code="before-10", name="届满前10个工作日", offset=-10, offset_unit="working_days"
    )
    ReminderStage.objects.filter(kind_id="general", code="before-1").update(active=False)
    DeadlineKind.objects.filter(code="general").update(very_overdue_after=2)

    fired = walk(time_machine, date(2025, 6, 2), date(2025, 6, 23))

    assert fired == {
        date(2025, 6, 5): [("before-10", "rem-handler")],
        date(2025, 6, 16): [("before-3", "rem-handler")],
        date(2025, 6, 19): [("due", "rem-handler")],
        date(2025, 6, 20): [("overdue-1", "rem-handler"), ("overdue-head-1", "rem-head")],
        date(2025, 6, 23): [
            ("very-overdue-1", "rem-inspector"),
            ("very-overdue-1", "rem-leader"),
            ("very-overdue-1", "rem-sup-head"),
        ],
    }


# --- Exactly once ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scanning_again_the_same_day_hands_out_nothing_new(due_on_the_19th, time_machine):
    """GIVEN the first overdue day of a deadline, already scanned once this morning
    WHEN the scan runs again at 09:01 and in the afternoon
    THEN nothing more is handed out and each reminder exists once."""
    first = walk(time_machine, DUE + timedelta(days=1), DUE + timedelta(days=1))
    assert first == {DUE + timedelta(days=1): [("overdue-1", "rem-handler"), ("overdue-head-1", "rem-head")]}

    time_machine.move_to(at(DUE + timedelta(days=1)) + timedelta(minutes=1), tick=False)
    again = services.scan()
    time_machine.move_to(at(DUE + timedelta(days=1), hour=16), tick=False)
    afternoon = services.scan()

    assert again == afternoon == []
    assert Reminder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_scans_racing_hand_out_each_reminder_once(open_deadline, supervised):
    """GIVEN twenty supervised deadlines due 19 June 2025, each with a handler, a section head and supervisors
    WHEN two beat ticks scan at the same moment on separate database connections, on each reminder day
    THEN no reminder id is handed out twice, and there is exactly one reminder per deadline, stage and person."""
    deadlines = [
        open_deadline(
            start=date(2025, 6, 9), amount=10, unit="calendar_days", title=f"来信{n}", leader=supervised.leader
        )
        for n in range(20)
    ]
    per_deadline = {
        date(2025, 6, 16): 1,  # before-3 → handler
        date(2025, 6, 18): 1,  # before-1 → handler
        date(2025, 6, 19): 1,  # due → handler
        date(2025, 6, 20): 2,  # overdue-1 → handler, overdue-head-1 → section head
        date(2025, 6, 26): 3,  # very-overdue-1 → leader, 督查员, 督查室主任
    }
    handed_out: list[int] = []

    for day in per_deadline:
        results, errors = race_scans(at(day))
        assert errors == []
        today = [reminder_id for ids in results for reminder_id in ids]
        handed_out += today
        deliver(today)

    assert len(handed_out) == len(set(handed_out))
    keys = list(Reminder.objects.values_list("deadline_id", "stage_key", "recipient_id"))
    assert len(keys) == len(set(keys)) == sum(per_deadline.values()) * len(deadlines)
    assert set(handed_out) == set(Reminder.objects.values_list("pk", flat=True))


def race_scans(now, contenders: int = 2):
    """Start ``contenders`` scans together, each in its own thread with its own database connection."""
    barrier = threading.Barrier(contenders)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def tick():
        try:
            barrier.wait(timeout=30)
            results.append(services.scan(now))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db
def test_a_reminder_a_dead_worker_never_sent_is_handed_out_again(open_deadline, time_machine):
    """GIVEN a reminder claimed at 09:00 on the due day whose worker died before sending it,
    and another claimed at 09:08 for a deadline opened later that morning
    WHEN the scan runs at 09:11, more than ten minutes after the first claim, and again at 09:12
    THEN at 09:11 the stale one is handed out again and the fresh one is not; at 09:12 neither is."""
    open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days", title="甲事项")
    time_machine.move_to(at(DUE), tick=False)
    [stale] = services.scan()

    open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days", title="乙事项")
    time_machine.move_to(at(DUE) + timedelta(minutes=8), tick=False)
    [fresh] = services.scan()

    time_machine.move_to(at(DUE) + services.RECLAIM_AFTER + timedelta(minutes=1), tick=False)
    assert services.scan() == [stale]
    time_machine.move_to(at(DUE) + services.RECLAIM_AFTER + timedelta(minutes=2), tick=False)
    assert services.scan() == []
    assert Reminder.objects.get(pk=fresh).state == ReminderState.PENDING


@pytest.mark.django_db
def test_a_sent_reminder_is_never_handed_out_again(due_on_the_19th, time_machine):
    """GIVEN a reminder claimed on the due day and sent
    WHEN the scan runs again an hour later
    THEN it is not handed out again."""
    time_machine.move_to(at(DUE), tick=False)
    [reminder_id] = services.scan()
    assert services.send(reminder_id) == "sent"

    time_machine.move_to(at(DUE, hour=10), tick=False)

    assert services.scan() == []


# --- Sending ------------------------------------------------------------------------------------------


@pytest.fixture
def due_today(due_on_the_19th, time_machine):
    """The due-day reminder of the deadline due 19 June, claimed at 09:00 on that day."""
    time_machine.move_to(at(DUE), tick=False)
    [reminder_id] = services.scan()
    return Reminder.objects.get(pk=reminder_id)


@pytest.mark.django_db
def test_a_reminder_reaches_the_handler_in_the_app_and_by_email(due_today, mailoutbox):
    """GIVEN the due-day reminder of 关于老旧小区加装电梯的来信 claimed for its handler, who has an email address
    WHEN it is sent
    THEN the handler has one notification and one email saying it is due today."""
    assert services.send(due_today.pk) == "sent"

    note = Notification.objects.get(recipient__username="rem-handler")
    assert note.verb == "今日届满：关于老旧小区加装电梯的来信（2025年6月19日）。"
    assert [message.to for message in mailoutbox] == [["licb@example.gov.cn"]]
    assert note.verb in mailoutbox[0].body


@pytest.mark.django_db
def test_a_send_that_keeps_failing_is_retried_then_marked_failed_with_one_notification(due_today, settings):
    """GIVEN a claimed reminder for a handler with an email address, and a mail server that refuses every message
    WHEN it is sent four times, as the task's retries would
    THEN the first three attempts fail and can be retried, each counted with the error kept; the fourth marks it
    failed; the handler has one in-app notification, not four; later attempts do nothing."""
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND

    for attempt in (1, 2, 3):
        with pytest.raises(services.SendFailed):
            services.send(due_today.pk)
        due_today.refresh_from_db()
        assert (due_today.state, due_today.attempts) == (ReminderState.PENDING, attempt)
        assert "ConnectionRefusedError: mail server unreachable" in due_today.last_error

    assert services.send(due_today.pk) == "failed"
    due_today.refresh_from_db()
    assert (due_today.state, due_today.attempts, due_today.email_sent_at) == (ReminderState.FAILED, 4, None)
    assert services.send(due_today.pk) == "skipped"
    assert Notification.objects.filter(recipient__username="rem-handler").count() == 1


@pytest.mark.django_db
def test_a_send_that_succeeds_after_a_transient_failure_emails_once(due_today, flaky_mail, mailoutbox):
    """GIVEN a claimed reminder and a mail server that refuses the first message only
    WHEN it is sent, retried, and (a redelivered task) sent once more
    THEN the retry delivers one email and marks it sent with no error left; the redelivery sends nothing,
    and there is one notification."""
    flaky_mail.failures_left = 1

    with pytest.raises(services.SendFailed):
        services.send(due_today.pk)
    assert mailoutbox == []
    assert services.send(due_today.pk) == "sent"
    assert services.send(due_today.pk) == "skipped"

    due_today.refresh_from_db()
    assert (due_today.state, due_today.attempts, due_today.last_error) == (ReminderState.SENT, 2, "")
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(reminder=due_today).count() == 1


@pytest.mark.django_db
def test_a_reminder_of_a_deadline_met_before_sending_is_dropped(due_today, office, mailoutbox):
    """GIVEN a due-day reminder claimed at 09:00
    WHEN the handler reports the matter done before the worker sends it
    THEN nothing reaches the handler: no notification, no email."""
    services.deadline_meet(actor=office.handler.user, deadline=due_today.deadline, on=DUE)

    assert services.send(due_today.pk) == "skipped"
    assert not Notification.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_reminder_of_a_deadline_suspended_before_sending_is_dropped(due_today, office, mailoutbox, time_machine):
    """GIVEN a due-day reminder claimed at 09:00
    WHEN the clock is stopped (a third party is consulted) before the worker sends it
    THEN nothing reaches the handler, and the reminder is not handed out again when the scan runs later."""
    services.deadline_suspend(actor=office.handler.user, deadline=due_today.deadline, on=DUE, reason="征求第三方意见")

    assert services.send(due_today.pk) == "skipped"
    assert not Notification.objects.exists()
    assert mailoutbox == []
    time_machine.move_to(at(DUE) + services.RECLAIM_AFTER * 2, tick=False)
    assert services.scan() == []


@pytest.mark.django_db
def test_an_extended_deadline_is_reminded_again_before_its_new_due_date(due_on_the_19th, office, time_machine):
    """GIVEN a deadline due Thursday 19 June 2025 whose 3-working-days-before reminder went out on 16 June
    WHEN on 17 June the leader approves 30 more days (the new due date is Monday 21 July)
    THEN the handler is reminded again 3 and 1 working days before 21 July and on that day."""
    walk(time_machine, date(2025, 6, 16), date(2025, 6, 16))
    services.deadline_extend(
        actor=office.admin.user, deadline=due_on_the_19th, amount=30, reason="情况复杂", approved_by=office.leader
    )
    assert Reminder.objects.get(stage_key="before-3").deadline.due_date == date(2025, 7, 21)

    fired = walk(time_machine, date(2025, 6, 17), date(2025, 7, 21))

    assert fired == {
        date(2025, 7, 16): [("before-3", "rem-handler")],
        date(2025, 7, 18): [("before-1", "rem-handler")],
        date(2025, 7, 21): [("due", "rem-handler")],
    }


# --- The tasks ----------------------------------------------------------------------------------------


def test_the_send_task_survives_a_dying_worker_and_retries_a_bounded_number_of_times():
    """GIVEN the send task's declaration
    WHEN its options are read
    THEN it is acknowledged only after it ran, requeued if the worker process is lost, and retried
    three times (four attempts in all, as the service counts them)."""
    task = tasks.send_reminder
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.max_retries == services.MAX_SEND_ATTEMPTS - 1 == 3


@pytest.mark.parametrize(("retries", "wait"), [(0, 60), (1, 120), (2, 240)])
def test_a_failed_send_is_retried_later_with_a_growing_wait(monkeypatch, retries, wait):
    """GIVEN a send that fails in a way worth retrying
    WHEN the task runs as its first, second or third attempt inside a worker
    THEN it asks Celery to retry it after 1, 2 or 4 minutes, and none of these attempts is the final one."""
    finals = []

    def failing_send(reminder_id, *, final_attempt):
        finals.append(final_attempt)
        raise services.SendFailed("ConnectionRefusedError: mail server busy")

    monkeypatch.setattr(services, "send", failing_send)
    # As a worker runs it: a plain .run() is a "direct call", for which Celery re-raises the original
    # error instead of scheduling a retry; an eager request lets retry() answer with its Retry.
    tasks.send_reminder.push_request(
        id="t-1", args=[7], kwargs={}, retries=retries, called_directly=False, is_eager=True
    )
    try:
        with pytest.raises(Retry) as retry:
            tasks.send_reminder.run(7)
    finally:
        tasks.send_reminder.pop_request()

    assert retry.value.when == wait
    assert finals == [False]


@pytest.mark.django_db
def test_the_send_task_gives_up_after_its_last_retry(due_today, settings):
    """GIVEN a claimed reminder and a mail server that refuses every message
    WHEN the send task runs with its retries (executed eagerly)
    THEN the reminder ends failed after four attempts with the error kept, and the handler has one notification."""
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND

    tasks.send_reminder.apply(args=[due_today.pk], throw=False)

    due_today.refresh_from_db()
    assert (due_today.state, due_today.attempts) == (ReminderState.FAILED, 4)
    assert "mail server unreachable" in due_today.last_error
    assert Notification.objects.filter(reminder=due_today).count() == 1


@pytest.mark.django_db
def test_the_send_task_delivers_once_after_a_transient_failure(due_today, flaky_mail, mailoutbox):
    """GIVEN a claimed reminder and a mail server that refuses the first two messages
    WHEN the send task runs with its retries (executed eagerly)
    THEN the third attempt delivers one email and the reminder is sent."""
    flaky_mail.failures_left = 2

    tasks.send_reminder.apply(args=[due_today.pk], throw=False)

    due_today.refresh_from_db()
    assert (due_today.state, due_today.attempts) == (ReminderState.SENT, 3)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_beat_task_hands_each_claimed_reminder_to_a_send_task_after_commit(
    due_on_the_19th, time_machine, monkeypatch, django_capture_on_commit_callbacks
):
    """GIVEN the first overdue day of a deadline (a handler and a section head to remind)
    WHEN the beat's scan task runs
    THEN one send task per claimed reminder is queued, and only once the claim is committed."""
    queued = []
    monkeypatch.setattr(tasks.send_reminder, "delay", queued.append)
    time_machine.move_to(at(DUE + timedelta(days=1)), tick=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = tasks.scan_deadlines()
        assert queued == []

    assert count == 2
    assert len(callbacks) == 1
    assert sorted(queued) == sorted(Reminder.objects.values_list("pk", flat=True))
