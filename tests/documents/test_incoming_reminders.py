"""The 收文 reminders and escalation the beat scan sends (STYLE.md §5, DOMAIN.md "收文"), for reading
and for handling deadlines: a late reader is reminded without the classified title, recalled
readers are not; overdue handling reminds the lead unit's head and, once 严重逾期, asks the leader
on the deadline to supervise; a completed document is no longer reminded.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``circulated`` fixtures come
from ``conftest.py`` (``circulated``: a 机密 阅件 sent round on Monday 2 March 2026 to two readers,
to be read by Thursday 5 March); the dates, the 机密 title and ``notes_of`` / ``reader_row`` from
``incoming_helpers.py``. Each beat runs at 09:00 Beijing time on the day named.
"""

from __future__ import annotations

from datetime import date

from documents.incoming import services as incoming
from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import Audience, Notification, Reminder
from tests.documents.incoming_helpers import FRIDAY, MONDAY, SECRET_TITLE, S, at, notes_of, reader_row

# --- Reminders and escalation ---------------------------------------------------------------------------


def scan_and_send(time_machine, day: date) -> list[Reminder]:
    """The beat at 09:00 on ``day``: claim what is due and deliver each; the reminders handed out."""
    time_machine.move_to(at(day), tick=False)
    ids = reminders.scan()
    for reminder_id in ids:
        reminders.send(reminder_id)
    return list(Reminder.objects.filter(pk__in=ids).select_related("recipient"))


def test_a_late_reader_is_reminded_without_the_classified_title(bureau, circulated, time_machine):
    """GIVEN a 机密 document sent round on Monday to two readers, to be read by Thursday 5 March, the
    second of whom reads it on Wednesday WHEN the beat runs on Friday 6 March THEN the first reader
    gets an overdue reminder whose text does not carry the classified title; the second gets none."""
    time_machine.move_to(at(date(2026, 3, 4)), tick=False)
    row = incoming.circulation_open(
        actor=bureau.second_reader.user, reader=reader_row(circulated, bureau.second_reader)
    )
    incoming.circulation_read(actor=bureau.second_reader.user, reader=row)
    assert notes_of(bureau.reader) == []

    handed_out = scan_and_send(time_machine, FRIDAY)

    assert {(r.recipient, r.audience) for r in handed_out} == {(bureau.reader.user, Audience.RESPONSIBLE)}
    [note] = Notification.objects.filter(recipient=bureau.reader.user)
    assert "逾期" in note.verb and "2026年3月5日" in note.verb
    assert SECRET_TITLE not in note.verb and SECRET_TITLE not in note.subject_repr
    assert notes_of(bureau.second_reader) == []


def test_recalled_readers_are_not_reminded(bureau, circulated, time_machine):
    """GIVEN a document sent round and recalled before anyone read it WHEN the beat runs after the
    reading deadline THEN neither reader is reminded."""
    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="收回")

    handed_out = scan_and_send(time_machine, FRIDAY)

    assert handed_out == []
    assert notes_of(bureau.reader) == notes_of(bureau.second_reader) == []


def test_overdue_handling_is_escalated_to_the_unit_head_and_the_leader(bureau, receive, advance, time_machine):
    """GIVEN a 机密 document the 局长 instructed on Monday 2 March for 预算处 to lead by Friday 6 March
    WHEN the beat runs on Thursday 12 March (4 working days late) THEN 预算处's head is reminded
    (as 承办 and as unit head) but nobody is asked to supervise yet; WHEN it runs on Monday 16 March
    (past the 5 working days of 严重逾期) THEN the 局长 — the leader on the deadline — gets a
    supervision reminder, and no text carries the classified title."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"), S.INSTRUCTION)
    incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=document,
        instruction="请按期办结",
        lead_unit=bureau.budget,
        time_limit=FRIDAY,
    )
    [deadline] = reminders.deadlines_of(document)
    assert (deadline.leader, deadline.due_date) == (bureau.leader, FRIDAY)

    early = scan_and_send(time_machine, date(2026, 3, 12))

    assert {(r.recipient, r.audience) for r in early} == {
        (bureau.budget_head.user, Audience.RESPONSIBLE),
        (bureau.budget_head.user, Audience.UNIT_HEAD),
    }

    late = scan_and_send(time_machine, date(2026, 3, 16))

    assert (bureau.budget_head.user, Audience.UNIT_HEAD) in {(r.recipient, r.audience) for r in late}
    assert [(r.recipient, r.audience) for r in late if r.audience == Audience.SUPERVISION] == [
        (bureau.leader.user, Audience.SUPERVISION)
    ]
    [supervision] = Notification.objects.filter(recipient=bureau.leader.user, reminder__isnull=False)
    assert "严重逾期" in supervision.verb
    texts = Notification.objects.filter(reminder__deadline=deadline).values_list("verb", "subject_repr")
    assert texts and not any(SECRET_TITLE in verb or SECRET_TITLE in subject for verb, subject in texts)


def test_a_completed_document_is_no_longer_reminded(bureau, receive, advance, time_machine):
    """GIVEN a document due Friday 6 March completed by 预算处 on Thursday WHEN the beat runs the
    following Monday THEN nobody is reminded."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(date(2026, 3, 5)), tick=False)
    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理")

    assert scan_and_send(time_machine, date(2026, 3, 9)) == []
