"""Reminders arrive on time, once, whatever fails: a transaction holding the deadline, its kind or
the person; a worker killed after the mail server accepted the email; a copy of the send task
redelivered while the first still runs; a second beat; a worker killed with ``kill -9`` mid-run.

The fast tests drive the services on the test database, with a second connection holding what a
concurrent transaction would hold. The last runs real Celery workers and beat (see
``test_celery_e2e.py``) on their own queue, and polls for the outcome with a deadline.
"""

import contextlib
import os
import signal
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection, connections, transaction
from django.db.models import Count, Value
from django.db.models.functions import Concat
from django.utils import timezone

from office.org.models import User
from office.reminders import services, tasks
from office.reminders.models import Deadline, Notification, Reminder, ReminderState
from tests.reminders.conftest import at
from tests.reminders.spool_mail import delivered
from tests.reminders.test_celery_e2e import start, stop, worker_database_url

DUE = date(2025, 6, 19)
HERE = "tests.reminders.test_faults"


@pytest.fixture
def due_today(open_deadline, time_machine) -> Reminder:
    """The due-day reminder of a deadline due Thursday 19 June 2025, claimed at 09:00 that day."""
    open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    time_machine.move_to(at(DUE), tick=False)
    [reminder_id] = services.scan()
    return Reminder.objects.get(pk=reminder_id)


@contextlib.contextmanager
def other_transaction():
    """A second connection to the test database in an open transaction (another web process, the
    admin, a worker), rolled back at the end."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            yield cursor
            cursor.execute("ROLLBACK")
    finally:
        other.close()


@contextlib.contextmanager
def lock_waits_fail_after(seconds: int):
    """A lock this connection would wait for fails the statement instead of hanging the test."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{seconds}s'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


# --- Locks held elsewhere -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_sent_while_other_transactions_hold_its_deadline_its_kind_and_its_person(
    due_today, office, mailoutbox
):
    """GIVEN a claimed due-day reminder for 李承办, and another transaction that holds the deadline (a
    suspension being entered), its kind (an administrator editing 一般期限), 李承办's person row and his
    account (he is logging in: last_login is being written)
    WHEN a worker sends the reminder meanwhile
    THEN it is sent at once — the notification is in his bell and the email is out — instead of
    being skipped and left for the reclaim ten minutes later."""
    handler = office.handler
    with other_transaction() as other:
        other.execute("SELECT 1 FROM reminders_deadline WHERE id = %s FOR UPDATE", [due_today.deadline_id])
        other.execute("SELECT 1 FROM reminders_deadlinekind WHERE code = 'general' FOR UPDATE")
        other.execute("SELECT 1 FROM org_person WHERE id = %s FOR UPDATE", [handler.pk])
        other.execute("UPDATE org_user SET last_login = now() WHERE id = %s", [handler.user_id])

        with lock_waits_fail_after(5):
            outcome = services.send(due_today.pk)

    assert outcome == "sent"
    assert Reminder.objects.get(pk=due_today.pk).state == ReminderState.SENT
    assert Notification.objects.filter(recipient=handler.user, reminder=due_today).count() == 1
    assert [message.to for message in mailoutbox] == [["licb@example.gov.cn"]]


# --- The email: after commit, at most once --------------------------------------------------------------


class CommitWatchingBackend(LocmemEmailBackend):
    """Delivers to the outbox, noting what another connection could read at that moment."""

    seen: list[dict] = []

    def send_messages(self, messages):
        with other_transaction() as other:
            other.execute("SELECT count(*) FROM reminders_notification")
            notifications = other.fetchone()[0]
        CommitWatchingBackend.seen.append({"in_transaction": connection.in_atomic_block, "notes": notifications})
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_the_email_leaves_only_after_the_notification_is_committed(due_today, office, settings, mailoutbox):
    """GIVEN a claimed due-day reminder for 李承办
    WHEN it is sent
    THEN the mail server is spoken to with no transaction open, when the notification is already
    committed (another connection reads it), and one email goes."""
    settings.EMAIL_BACKEND = f"{HERE}.CommitWatchingBackend"
    CommitWatchingBackend.seen = []

    assert services.send(due_today.pk) == "sent"

    assert CommitWatchingBackend.seen == [{"in_transaction": False, "notes": 1}]
    assert len(mailoutbox) == 1


class WorkerKilled(BaseException):
    """The worker process dies (kill -9, out of memory): nothing after this point runs."""


class AcceptThenDieBackend(LocmemEmailBackend):
    """The mail server accepts the message; the worker dies before it hears the reply."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


@pytest.mark.django_db
def test_a_reminder_whose_worker_died_after_the_mail_server_accepted_it_is_not_emailed_twice(
    due_today, office, settings, mailoutbox, time_machine
):
    """GIVEN a claimed due-day reminder whose worker died right after the mail server accepted the email
    WHEN the scan hands it out again ten minutes later and another worker sends it
    THEN 李承办 has one email and one notification, and the reminder is done, noting the email's
    outcome was unknown rather than sending it a second time."""
    settings.EMAIL_BACKEND = f"{HERE}.AcceptThenDieBackend"
    with pytest.raises(WorkerKilled):
        services.send(due_today.pk)
    due_today.refresh_from_db()
    assert due_today.state == ReminderState.PENDING and due_today.email_sent_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(at(DUE) + services.RECLAIM_AFTER + timedelta(minutes=1), tick=False)
    assert services.scan() == [due_today.pk]
    assert services.send(due_today.pk) == "sent"

    due_today.refresh_from_db()
    assert (due_today.state, due_today.last_error) == (ReminderState.SENT, services.EMAIL_OUTCOME_UNKNOWN)
    assert [message.to for message in mailoutbox] == [["licb@example.gov.cn"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == services.reminder_message_id(due_today)
    assert Notification.objects.filter(reminder=due_today).count() == 1


class RedeliveringBackend(LocmemEmailBackend):
    """While the mail server holds the message, a redelivered copy of the send task runs in another
    worker (its own thread and connection); its answer is kept."""

    reminder_id = 0
    redelivery: list[str] = []

    def send_messages(self, messages):
        thread = threading.Thread(target=self._redeliver, args=[RedeliveringBackend.reminder_id])
        thread.start()
        thread.join(timeout=30)
        return super().send_messages(messages)

    @staticmethod
    def _redeliver(reminder_id: int) -> None:
        try:
            RedeliveringBackend.redelivery.append(services.send(reminder_id))
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_send_task_arriving_while_the_first_is_still_sending_does_nothing(
    due_today, settings, mailoutbox
):
    """GIVEN a claimed due-day reminder being sent: its worker is talking to the mail server
    WHEN a redelivered copy of the task runs in another worker meanwhile, and once more afterwards
    THEN both copies skip it: one email, one notification, and the reminder is sent."""
    settings.EMAIL_BACKEND = f"{HERE}.RedeliveringBackend"
    RedeliveringBackend.reminder_id, RedeliveringBackend.redelivery = due_today.pk, []

    assert services.send(due_today.pk) == "sent"
    assert services.send(due_today.pk) == "skipped"

    assert RedeliveringBackend.redelivery == ["skipped"]
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(reminder=due_today).count() == 1
    assert Reminder.objects.get(pk=due_today.pk).state == ReminderState.SENT


# --- One scan at a time -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_second_scan_while_one_runs_returns_at_once_and_the_first_does_the_work(
    open_deadline, supervised, time_machine, monkeypatch
):
    """GIVEN three supervised deadlines due 19 June 2025, on 26 June (overdue and very overdue), and a
    scan running on another connection, not yet committed (a second beat's tick, or a backlog of ticks)
    WHEN the beat's scan task runs meanwhile
    THEN it returns at once having claimed and queued nothing; the running scan claims every due
    reminder (5 per deadline), each once."""
    for n in range(3):
        open_deadline(
            start=date(2025, 6, 9), amount=10, unit="calendar_days", title=f"来信{n}", leader=supervised.leader
        )
    time_machine.move_to(at(date(2025, 6, 26)), tick=False)
    queued = []
    monkeypatch.setattr(tasks.send_reminder, "delay", queued.append)
    scanned, release, running = [], threading.Event(), threading.Event()

    def first_scan():
        try:
            with transaction.atomic():  # the scan's lock lasts until this commits
                scanned.extend(services.scan())
                running.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=first_scan)
    thread.start()
    try:
        assert running.wait(timeout=30)
        with lock_waits_fail_after(5):
            second = tasks.scan_deadlines()
        claimed_meanwhile = Reminder.objects.count()
    finally:
        release.set()
        thread.join(timeout=30)

    assert (second, queued, claimed_meanwhile) == (0, [], 0)
    assert len(scanned) == 15
    assert sorted(scanned) == sorted(Reminder.objects.values_list("pk", flat=True))


# --- Real workers, one killed ---------------------------------------------------------------------------

SCAN_INTERVAL = 2  # seconds, for the test; 60 in production
RECLAIM_AFTER = 4  # seconds, for the test; 600 in production
DEADLINES = 16  # five reminders each: handler, section head, leader, 督查员, 督查室主任
MAIL_LATENCY = 0.05  # seconds between the mail server accepting a message and its reply
STARTUP_LIMIT = 40
RUN_LIMIT = 60
POLL_EVERY = 0.1


def worker_args(name: str) -> list[str]:
    return [
        *("worker", "--loglevel", "INFO", "--concurrency", "1", "--pool", "solo"),
        *("--without-mingle", "--without-gossip", "--hostname", f"faults-{name}-{os.getpid()}@%h"),
    ]


def wait_for(what: str, predicate, limit: float, processes):
    """Poll ``predicate`` until it holds; fail when ``limit`` seconds pass or a process dies."""
    give_up = time.monotonic() + limit
    while not (value := predicate()):
        exited = [log.stem for process, log in processes if process.poll() is not None]
        assert not exited, f"celery {', '.join(exited)} exited while waiting for {what}"
        assert time.monotonic() < give_up, f"{what}: not within {limit} s"
        time.sleep(POLL_EVERY)
    return value


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_two_workers_one_killed_mid_run_every_due_reminder_is_sent_once(open_deadline, supervised, tmp_path):
    """GIVEN sixteen deadlines overdue for weeks, supervised: 80 reminders due now, 16 of them to 李承办,
    everyone with an email address; two real Celery workers and a beat scanning every 2 s, reminders
    reclaimed after 4 s
    WHEN one worker is killed with SIGKILL while the reminders are going out
    THEN every due reminder is sent: within the reclaim timeout and two scan intervals of the surviving
    worker finishing the rest, each has exactly one notification, no email went twice, and every email
    not in doubt (at most the one the killed worker was handing over) went exactly once."""
    today = timezone.localdate()
    for n in range(DEADLINES):
        open_deadline(start=today - timedelta(days=40), amount=10, unit="calendar_days", title=f"来信{n}")
    Deadline.objects.update(leader=supervised.leader)
    User.objects.update(email=Concat("username", Value("@example.gov.cn")))
    expected = {(due.deadline_id, due.stage_key, due.recipient_id) for due in services.due_reminders(today)}
    assert len(expected) == DEADLINES * 5

    spool = tmp_path / "spool"
    spool.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SHUNIU_TESTING": "1",
        "SHUNIU_CELERY_QUEUE": f"faults-{os.getpid()}",  # away from any other run's workers
        "SHUNIU_SCAN_INTERVAL": str(SCAN_INTERVAL),
        "SHUNIU_REMINDER_RECLAIM_SECONDS": str(RECLAIM_AFTER),
        "SECRET_KEY": "celery-faults-not-secret",
        "EMAIL_BACKEND": "tests.reminders.spool_mail.SpoolEmailBackend",
        "SHUNIU_TEST_MAIL_SPOOL": str(spool),
        "SHUNIU_TEST_MAIL_LATENCY": str(MAIL_LATENCY),
        "SHUNIU_AUDIT_ANCHOR_FILE": str(tmp_path / "audit-anchors.log"),
        "PYTHONUNBUFFERED": "1",
    }
    sent = Reminder.objects.filter(state=ReminderState.SENT)
    processes = []  # the ones alive
    logs = [tmp_path / f"{name}.log" for name in ("worker-a", "worker-b", "beat")]
    try:
        doomed = start("worker-a", worker_args("a"), env, tmp_path)
        processes += [doomed, start("worker-b", worker_args("b"), env, tmp_path)]
        for _process, log in processes:
            wait_for(
                f"{log.stem} ready",
                lambda log=log: " ready." in log.read_text(errors="replace"),
                STARTUP_LIMIT,
                processes,
            )
        processes.append(start("beat", ["beat", "--schedule", str(tmp_path / "celerybeat-schedule")], env, tmp_path))
        began = time.monotonic()

        wait_for("a fifth of the reminders sent", lambda: sent.count() >= len(expected) // 5, RUN_LIMIT, processes)
        os.kill(doomed[0].pid, signal.SIGKILL)
        doomed[0].wait(timeout=10)
        sent_when_killed = sent.count()
        processes.remove(doomed)

        pending = Reminder.objects.exclude(state=ReminderState.SENT)
        wait_for("all but the killed worker's reminder sent", lambda: pending.count() <= 1, RUN_LIMIT, processes)
        survivor_done = time.monotonic()
        recovery_limit = RECLAIM_AFTER + 2 * SCAN_INTERVAL + 3  # + one send and process start-up slack
        wait_for("every reminder sent", lambda: not pending.exists(), recovery_limit, processes)
        print(
            f"celery faults: killed after {sent_when_killed} sent; all {len(expected)} sent "
            f"{time.monotonic() - began:.1f} s after beat started, {time.monotonic() - survivor_done:.1f} s "
            "after the survivor finished the rest"
        )
    except BaseException:
        for process, _log in processes:
            stop(process)
        for log in filter(Path.exists, logs):
            print(f"----- celery {log.stem} -----")
            print(log.read_text(errors="replace")[-6000:])
        raise
    finally:
        for process, _log in processes:
            stop(process)

    assert 0 < sent_when_killed < len(expected), "the worker was killed mid-run"
    assert "send_reminder" in (tmp_path / "worker-a.log").read_text(errors="replace"), "it had been sending"
    reminders = list(Reminder.objects.select_related("recipient"))
    assert {(r.deadline_id, r.stage_key, r.recipient_id) for r in reminders} == expected
    assert {r.state for r in reminders} == {ReminderState.SENT}
    per_reminder = Notification.objects.values("reminder").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_reminder) == [1] * len(expected)

    emails = Counter(message_id for message_id, _to in delivered(spool))
    assert [message_id for message_id, n in emails.items() if n > 1] == [], "no email went twice"
    in_doubt = [r for r in reminders if r.last_error == services.EMAIL_OUTCOME_UNKNOWN]
    print(f"celery faults: {len(emails)} emails; in doubt (killed between handing over and the reply): {len(in_doubt)}")
    assert len(in_doubt) <= 1
    for reminder in reminders:
        if reminder not in in_doubt:
            assert emails[services.reminder_message_id(reminder)] == 1, reminder
    assert set(emails) <= {services.reminder_message_id(r) for r in reminders}, "no email but the reminders'"
