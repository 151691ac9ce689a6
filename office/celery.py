"""The Celery app: Redis broker, JSON only, Asia/Shanghai, settings under ``CELERY_``."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

app = Celery("office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each beat entry expires just below its period: a backlog after an outage is dropped, not replayed.
SCAN_EVERY = float(os.environ.get("SHUNIU_SCAN_INTERVAL", "60"))

app.conf.beat_schedule = {
    "scan-deadlines": {
        "task": "office.reminders.tasks.scan_deadlines",
        "schedule": SCAN_EVERY,
        "options": {"expires": max(SCAN_EVERY - 5, 1)},
    },
    "audit-anchor": {
        "task": "office.confidentiality.tasks.write_audit_anchor",
        "schedule": crontab(hour=23, minute=55),
        "options": {"expires": 3600},
    },
    "worker-heartbeat": {
        "task": "office.tasks.record_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
