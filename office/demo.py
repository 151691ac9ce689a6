"""The demo office that ``manage.py seed_demo`` loads: what its parts share.

Each app keeps its part of the demo in a ``demo.py`` (``<flow>_demo.py`` when an app has more than
one) with one function, ``seed(context)``; ``settings.SHUNIU_DEMO_SEEDERS`` lists them in the order
they run, each using what the earlier ones made. Every part is idempotent: what exists is left as
it is.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.utils import timezone

from office.confidentiality.levels import Level
from office.org.models import Person, Unit

# 督办 items another app's demo opens from its own record (a 批示 on a 信访事项), by the item's title:
# that app registers the opener from its ``AppConfig.ready()``; the supervision demo asks here (the
# kernel names neither, and supervision never imports the app whose record is the source).
ITEM_OPENERS: dict[str, Callable] = {}


def open_items_from(title: str, opener: Callable) -> None:
    """``opener(context, *, leader, requirement, due, cadence)`` opens the demo item ``title``."""
    ITEM_OPENERS[title] = opener


@dataclass
class DemoContext:
    """What the parts share: the demo units by code and the demo people by username (both filled by
    ``office.org.demo``, which comes first), and the lines ``seed_demo`` prints when all are done."""

    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


def content(text: str, level: Level) -> str:
    """``text``, or nothing above the deployment's ceiling, where only the register is kept (the
    demo raises the ceiling to 绝密)."""
    return text if level <= settings.SHUNIU_CLASSIFICATION_CEILING else ""


@contextmanager
def as_of(days: int) -> Iterator[None]:
    """Act ``days`` days from now (negative: in the past), as the tests' time machine does: the services
    stamp their events, deadlines, reports and reviews with that day. Only the demo does this, so that
    on whatever day it is loaded some work is overdue, some due soon and some done on time or late."""
    if days == 0:
        yield
        return
    real_now, shift = timezone.now, timedelta(days=days)
    with mock.patch.object(timezone, "now", lambda: real_now() + shift):
        yield
