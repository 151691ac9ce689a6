"""What the administrators' home page says about the machinery behind the pages."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_KEY = "office:worker-heartbeat"
# Beat sends one heartbeat a minute; three missed ones mean the worker or beat is down.
HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


def last_heartbeat() -> datetime | None:
    value = cache.get(HEARTBEAT_KEY)
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Status:
    database: bool
    cache: bool
    last_heartbeat: datetime | None

    @property
    def workers_alive(self) -> bool:
        return self.last_heartbeat is not None and timezone.now() - self.last_heartbeat < HEARTBEAT_STALE_AFTER

    @property
    def ok(self) -> bool:
        return self.database and self.cache


def status() -> Status:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = True
    except Exception:
        database = False
    try:
        cache.get(HEARTBEAT_KEY)
        cache_ok = True
        heartbeat = last_heartbeat()
    except Exception:
        cache_ok, heartbeat = False, None
    return Status(database=database, cache=cache_ok, last_heartbeat=heartbeat)
