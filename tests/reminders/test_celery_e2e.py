"""End to end with a real Celery worker and beat: beat ticks, the worker scans the Deadline table,
claims the reminder and sends it, and the notification appears in the bell.

The worker and beat are separate processes on the test database (committed rows: a transactional
test) and on Redis logical database 8 (``SHUNIU_TESTING=1``), away from a running demo. Polling for
the outcome is deliberate here: this proves the processes work together, it does not time them.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from office import health
from office.reminders.models import Notification
from office.workdays.services import format_date

STARTUP_AND_DELIVERY_LIMIT = 60  # seconds; a loaded 2-core machine needs well under half of it
POLL_EVERY = 0.5
TITLE = "关于背街小巷路灯不亮的来信"
WORKER_ARGS = [
    *("worker", "--loglevel", "INFO", "--concurrency", "1", "--pool", "solo"),
    # Alone on the broker: no waiting to sync with, or chatting to, other workers.
    *("--without-mingle", "--without-gossip", "--hostname", f"e2e-{os.getpid()}@%h"),
]


def worker_database_url() -> str:
    """The pytest database as a URL for the worker: same server and user, the test database's name.
    A unix socket directory travels as ``?host=`` (django-environ keeps it in OPTIONS)."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    port = db.get("PORT") or db.get("OPTIONS", {}).get("port", "")
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    if str(host).startswith("/"):
        query = f"?host={quote(str(host), safe='/')}" + (f"&port={port}" if port else "")
        return f"postgres://{user}{password}@/{db['NAME']}{query}"
    return f"postgres://{user}{password}@{host}{f':{port}' if port else ''}/{db['NAME']}"


def start(name: str, args: list[str], env: dict[str, str], logs: Path) -> tuple[subprocess.Popen, Path]:
    log = logs / f"{name}.log"
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "office", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, log


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_deliver_a_reminder_due_today(open_deadline, office, tmp_path):
    """GIVEN a deadline of 14 days opened two weeks ago for 李承办, so due today, and a real Celery
    worker and beat scanning every 2 seconds
    WHEN the processes run
    THEN within a minute 李承办 has a notification in the app telling that the matter is due today
    (or, on a rest day, that it is due on the next working day), and the health page already
    reads the workers as alive (beat's first heartbeat is sent as it starts)."""
    today = timezone.localdate()
    deadline = open_deadline(start=today - timedelta(days=14), amount=14, unit="calendar_days", title=TITLE)
    if deadline.due_date == today:
        expected = f"今日届满：{TITLE}（{format_date(today)}）。"
    else:  # today is a rest day: the period ends on the next working day (§203)
        expected = f"期限将至：{TITLE}将于{format_date(deadline.due_date)}届满。"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SHUNIU_TESTING": "1",
        "SHUNIU_SCAN_INTERVAL": "2",
        "SECRET_KEY": "celery-e2e-not-secret",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SHUNIU_AUDIT_ANCHOR_FILE": str(tmp_path / "audit-anchors.log"),
        "PYTHONUNBUFFERED": "1",
    }
    processes = []
    began = time.monotonic()
    note = None
    try:
        processes.append(start("worker", WORKER_ARGS, env, tmp_path))
        beat_args = ["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "celerybeat-schedule")]
        processes.append(start("beat", beat_args, env, tmp_path))
        while time.monotonic() - began < STARTUP_AND_DELIVERY_LIMIT:
            note = Notification.objects.filter(recipient=office.handler.user).first()
            if note is not None:
                break
            exited = [log.stem for process, log in processes if process.poll() is not None]
            assert not exited, f"celery {', '.join(exited)} exited early"
            time.sleep(POLL_EVERY)

        assert note is not None, f"no notification within {STARTUP_AND_DELIVERY_LIMIT} s"
        assert note.verb == expected
        assert note.subject_repr == TITLE
        assert note.reminder.deadline_id == deadline.pk
        # Beat's first heartbeat goes out as it starts, not a minute later (the scheduled one): the
        # health page reads the machinery as alive already. The worker writes it under its own
        # test key prefix (``test<pid>``: settings.CACHES), so it is read there.
        worker_key = f"test{processes[0][0].pid}:1:{health.HEARTBEAT_KEY}"
        assert cache._cache.get_client().exists(worker_key), "no heartbeat from beat's start"
        print(f"celery e2e: notification after {time.monotonic() - began:.1f} s")
    except BaseException:
        for process, log in processes:
            stop(process)
            print(f"----- celery {log.stem} (exit {process.returncode}) -----")
            print(log.read_text(errors="replace"))
        raise
    finally:
        for process, _log in processes:
            stop(process)
