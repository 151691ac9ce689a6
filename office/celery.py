"""The Celery app: Redis broker, JSON only, Asia/Shanghai, settings under ``CELERY_``."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

app = Celery("office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each beat entry expires just below its period: a backlog after an outage is dropped, not replayed.
SCAN_EVERY = float(os.environ.get("SHUNIU_SCAN_INTERVAL", "60"))


def audit_anchor_entry(every: str) -> dict:
    """The beat entry that copies the audit chain head outside the database: ``daily`` at 23:55
    (the default) or ``hourly`` at five to the hour (so 23:55 is still one of them). Hourly
    narrows the window in which the newest rows could go unnoticed."""
    schedules = {"daily": (crontab(hour=23, minute=55), 3600), "hourly": (crontab(minute=55), 3300)}
    if every not in schedules:
        raise ValueError(f"SHUNIU_AUDIT_ANCHOR_EVERY must be daily or hourly, not {every!r}")
    schedule, expires = schedules[every]
    return {
        "task": "office.confidentiality.tasks.write_audit_anchor",
        "schedule": schedule,
        "options": {"expires": expires},
    }


app.conf.beat_schedule = {
    "scan-deadlines": {
        "task": "office.reminders.tasks.scan_deadlines",
        "schedule": SCAN_EVERY,
        "options": {"expires": max(SCAN_EVERY - 5, 1)},
    },
    "audit-anchor": audit_anchor_entry(os.environ.get("SHUNIU_AUDIT_ANCHOR_EVERY", "daily").strip().lower()),
    "purge-expired-tokens": {
        "task": "office.tasks.purge_expired_tokens",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # The dashboard's organisation-wide figures of this year (office/dashboard/service.py).
    "dashboard-snapshot": {
        "task": "office.dashboard.tasks.refresh",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "worker-heartbeat": {
        "task": "office.tasks.record_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}


@beat_init.connect
def _first_heartbeat(sender=None, **kwargs) -> None:
    """Beat's first scheduled heartbeat comes a minute after it starts: send one at once, so the
    health page reads the machinery as alive as soon as beat, the broker and a worker are."""
    app.send_task("office.tasks.record_heartbeat", expires=55)
