"""What the 收文 workflow tests (``test_incoming_receiving.py``, ``_instruction``, ``_handling``,
``_circulation``, ``_reminders``) share: the fixed days of March 2026 (Monday 2 March is the usual
day of 批示 or 传阅, Friday 6 March the usual time limit), a 机密 title that must never leak, a
moment of an office day in Beijing time, and short reads of what a step left behind — the 流转记录,
a person's notifications, who sees a document, a reader's row of a 传阅, the document fresh."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from documents.models import IncomingDocument, IncomingState, IncomingTransition
from office.org.models import Person
from office.reminders.models import Notification

S = IncomingState
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)
SECRET_TITLE = "关于某专项资金绩效评价问题线索的通报"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A moment of an office day in Beijing time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def transitions(document: IncomingDocument) -> list[tuple[str, str, str, str]]:
    return list(
        IncomingTransition.objects.filter(document=document)
        .order_by("id")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def notes_of(person: Person) -> list[str]:
    """The notifications a person has, oldest first."""
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def sees(person: Person, document: IncomingDocument) -> bool:
    return IncomingDocument.objects.visible_to(person.user).filter(pk=document.pk).exists()


def fresh(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.get(pk=document.pk)


def reader_row(circulation, person):
    return circulation.readers.get(person=person)
