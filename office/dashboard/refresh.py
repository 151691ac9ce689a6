"""The organisation-wide snapshot after a transition: every workflow move (``workflow.moved``)
schedules one refresh ``DELAY`` seconds after its commit — however many moves come meanwhile —
so the 全局 figures (and the readers' own) are not stale until the beat's next round, and no
request computes them; a grant given or taken drops the readers' own figures at once.

The debounce is one cache (Redis) key: the first move takes it and queues the task; the task
gives it back before it reads, so a move committed after that queues the next refresh."""

from __future__ import annotations

import contextlib
import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

DELAY = 30  # seconds: the moves of one burst (a batch, a 分办 to ten units) share one refresh
KEY = "dashboard:snapshot-refresh-pending"
HOLD = DELAY + 15 * 60  # a task lost with its worker blocks the next one no longer than this


def on_move(moved) -> None:
    """``workflow.moved``'s receiver: nothing is queued for a move that is rolled back."""
    transaction.on_commit(schedule)


def schedule() -> bool:
    """Queue ``tasks.refresh`` in ``DELAY`` seconds unless one is pending; True when queued. A
    broker or cache that is down loses only this early refresh (the beat's round still comes)."""
    from office.dashboard import tasks

    try:
        if not cache.add(KEY, 1, timeout=HOLD):
            return False
        tasks.refresh.apply_async(countdown=DELAY)
    except Exception:  # the move is committed: never fail the request for its side effect
        logger.warning("dashboard: could not schedule the snapshot refresh", exc_info=True)
        with contextlib.suppress(Exception):
            cache.delete(KEY)
        return False
    return True


def release() -> None:
    """The refresh is starting: a move committed from now on schedules the next one."""
    cache.delete(KEY)


def on_scope_change(sender, instance=None, **kwargs) -> None:
    """A grant given or taken (any ``Classified`` model's guardian tables): the readers' own figures
    are dropped after the commit, so nobody counts a record he may no longer see."""
    from office.dashboard import service

    transaction.on_commit(service.forget_own)
