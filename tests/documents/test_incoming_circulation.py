"""The 收文 workflow's 传阅 per reader (STYLE.md §5, DOMAIN.md "收文"): sending a document round gives
each reader visibility and a reading deadline (a 办件 in 承办 may be sent round too); each reader
receives, then reads his own copy with the times and a comment; pending readers show in
``pending_readers`` and the list's 传阅中 flag; a recall releases the pending readers and cancels
their deadlines — with the refusals to the wrong person, in the wrong state or with bad input.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``circulated`` fixtures come
from ``conftest.py`` (``circulated``: a 机密 阅件 sent round on Monday 2 March 2026 to two readers,
to be read by Thursday 5 March); the dates, the 机密 title and the small reads (``transitions``,
``sees``, ``reader_row``, ``fresh``) from ``incoming_helpers.py``. Times are fixed with
``time_machine`` in Beijing time.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.incoming import services as incoming
from documents.incoming.selectors import incoming_list_visible
from documents.models import ReaderState
from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from office.workflow import TransitionNotAllowed
from tests.documents.incoming_helpers import MONDAY, SECRET_TITLE, S, at, fresh, reader_row, sees, transitions

# --- 传阅 -----------------------------------------------------------------------------------------------


def test_each_reader_receives_then_reads_with_the_times_and_a_comment(bureau, circulated, time_machine):
    """GIVEN a document sent round to two readers WHEN the first receives it at 10:00 and reads it
    at 15:00 with a comment THEN his row is 已阅 with both times and the comment, his reading
    deadline is met and his 已阅 is recorded; the second reader is still 已送达."""
    time_machine.move_to(at(MONDAY, 10), tick=False)
    first = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    assert (first.state, first.opened_at, first.read_at) == (ReaderState.OPENED, at(MONDAY, 10), None)
    time_machine.move_to(at(MONDAY, 15), tick=False)

    incoming.circulation_read(actor=bureau.reader.user, reader=first, comment="已阅，建议转预算处参考。")

    first = reader_row(circulated, bureau.reader)
    assert (first.state, first.opened_at, first.read_at, first.comment) == (
        ReaderState.READ,
        at(MONDAY, 10),
        at(MONDAY, 15),
        "已阅，建议转预算处参考。",
    )
    assert [d.state for d in reminders.deadlines_of(first)] == [DeadlineState.MET]
    assert reader_row(circulated, bureau.second_reader).state == ReaderState.SENT
    assert transitions(circulated.document)[-2:] == [
        ("传阅", S.CIRCULATING, S.CIRCULATING, "in-clerk"),
        ("已阅", S.CIRCULATING, S.CIRCULATING, "in-reader"),
    ]


def test_reading_before_receiving_is_refused(bureau, circulated):
    """GIVEN a reader who has not yet received the document WHEN he marks it read THEN the move is
    refused and his row is still 已送达 with no times."""
    row = reader_row(circulated, bureau.reader)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_read(actor=bureau.reader.user, reader=row, comment="已阅")

    row.refresh_from_db()
    assert (row.state, row.opened_at, row.read_at) == (ReaderState.SENT, None, None)


def test_receiving_or_reading_twice_is_refused(bureau, circulated):
    """GIVEN a reader who received and read the document WHEN he receives or reads it again THEN
    both moves are refused and his read time stands."""
    row = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    row = incoming.circulation_read(actor=bureau.reader.user, reader=row)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_open(actor=bureau.reader.user, reader=row)
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_read(actor=bureau.reader.user, reader=row)

    assert reader_row(circulated, bureau.reader).read_at == row.read_at


def test_only_the_reader_receives_and_reads_his_copy(bureau, circulated):
    """GIVEN a document sent round WHEN the second reader or the 文秘 receives or reads the first
    reader's copy THEN it is refused."""
    row = reader_row(circulated, bureau.reader)

    for actor in (bureau.second_reader, bureau.clerk):
        with pytest.raises(PermissionDenied):
            incoming.circulation_open(actor=actor.user, reader=row)
    incoming.circulation_open(actor=bureau.reader.user, reader=row)
    with pytest.raises(PermissionDenied):
        incoming.circulation_read(actor=bureau.second_reader.user, reader=row)

    assert reader_row(circulated, bureau.reader).state == ReaderState.OPENED


def test_a_circulation_gives_each_reader_visibility_and_a_reading_deadline(bureau, receive, advance, time_machine):
    """GIVEN a 机密 阅件 received by the bureau's 办公室 WHEN the 文秘 sends it to a reader in 政策研究室
    by Thursday THEN he sees it (he did not before) and has an open 公文传阅 deadline due Thursday;
    a colleague not chosen still does not see it."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(
        receive(receiving_unit=bureau.office, title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"),
        S.CIRCULATING,
    )
    assert not sees(bureau.reader, document)

    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅", due=date(2026, 3, 5)
    )

    assert sees(bureau.reader, document) and not sees(bureau.second_reader, document)
    [deadline] = reminders.deadlines_of(circulation.readers.get())
    assert (deadline.kind_id, deadline.responsible_person, deadline.due_date, deadline.state) == (
        "circulation",
        bureau.reader,
        date(2026, 3, 5),
        DeadlineState.OPEN,
    )


@pytest.mark.parametrize(
    ("readers", "note", "due_in", "field"),
    [
        ([], "请阅", 3, "readers"),
        (["reader"], "  ", 3, "note"),
        (["reader", "low_reader"], "请阅", 3, "readers"),
        (["reader"], "请阅", 0, "due"),
    ],
    ids=["no-readers", "no-note", "reader-not-cleared", "due-today"],
)
def test_an_incomplete_circulation_is_refused(bureau, receive, advance, readers, note, due_in, field):
    """GIVEN a 机密 阅件 WHEN the 文秘 sends it round without readers, without a note, to a reader not
    cleared for 机密, or due today THEN it is refused naming the field and nobody is sent it."""
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.CIRCULATING)

    with pytest.raises(ValidationError) as refused:
        incoming.circulation_start(
            actor=bureau.clerk.user,
            document=document,
            readers=[getattr(bureau, name) for name in readers],
            note=note,
            due=timezone.localdate() + timedelta(days=due_in),
        )

    assert field in refused.value.message_dict
    assert not document.circulations.exists()


@pytest.mark.parametrize("state", [S.SIGNED, S.REGISTERED, S.DONE, S.RETURNED])
def test_circulating_outside_handling_is_refused(bureau, receive, advance, state):
    """GIVEN a document not yet taken in, or done, or returned WHEN the 文秘 sends it round THEN the
    move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")

    assert not document.circulations.exists()


def test_circulating_is_refused_to_anyone_but_the_office(bureau, receive, advance):
    """GIVEN a 阅件 WHEN the head of 预算处 sends it round THEN it is refused."""
    document = advance(receive(), S.CIRCULATING)

    with pytest.raises(PermissionDenied):
        incoming.circulation_start(
            actor=bureau.budget_head.user, document=document, readers=[bureau.reader], note="请阅"
        )

    assert not document.circulations.exists()


def test_a_handling_document_may_also_be_circulated(bureau, receive, advance):
    """GIVEN a 办件 承办中 WHEN the 文秘 also sends it round to a reader THEN it stays 承办中 with that
    reader pending."""
    document = advance(receive(), S.HANDLING)

    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请参阅")

    assert fresh(document).state == S.HANDLING
    assert [r.person for r in incoming.pending_readers(document)] == [bureau.reader]


def test_pending_readers_show_in_pending_readers_and_the_list(bureau, receive, advance, circulated):
    """GIVEN a document sent round to two readers, and another not sent round WHEN one reader reads
    THEN the other is still pending and the list marks the document 传阅中; WHEN the second reads too
    THEN nobody is pending and the list no longer marks it."""
    quiet = advance(receive(), S.CIRCULATING)
    document = circulated.document

    def circulating() -> dict[int, bool]:
        return {d.pk: d.circulating for d in incoming_list_visible(user=bureau.clerk.user)}

    assert {r.person for r in incoming.pending_readers(document)} == {bureau.reader, bureau.second_reader}
    assert circulating() == {document.pk: True, quiet.pk: False}

    for person in (bureau.reader, bureau.second_reader):
        row = incoming.circulation_open(actor=person.user, reader=reader_row(circulated, person))
        incoming.circulation_read(actor=person.user, reader=row)
        if person == bureau.reader:
            assert [r.person for r in incoming.pending_readers(document)] == [bureau.second_reader]
            assert circulating()[document.pk] is True

    assert not incoming.pending_readers(document).exists() and incoming.is_circulating(document) is False
    assert circulating() == {document.pk: False, quiet.pk: False}


def test_a_recall_releases_the_pending_readers(bureau, circulated, time_machine):
    """GIVEN a document sent round, the first reader has read it, the second not WHEN the 文秘 recalls
    the circulation with a reason THEN it is recalled at that time, the second reader's row is
    收回 and his reading deadline cancelled; the first stays 已阅 with his deadline met; nobody is
    pending and the list no longer marks it 传阅中; the recall is recorded."""
    row = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    incoming.circulation_read(actor=bureau.reader.user, reader=row)
    time_machine.move_to(at(MONDAY, 11), tick=False)

    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="来文单位已撤回")

    circulated.refresh_from_db()
    assert circulated.recalled_at == at(MONDAY, 11)
    first, second = reader_row(circulated, bureau.reader), reader_row(circulated, bureau.second_reader)
    assert (first.state, second.state) == (ReaderState.READ, ReaderState.RECALLED)
    assert [d.state for d in reminders.deadlines_of(first)] == [DeadlineState.MET]
    assert [d.state for d in reminders.deadlines_of(second)] == [DeadlineState.CANCELLED]
    assert not incoming.pending_readers(circulated.document).exists()
    [row] = incoming_list_visible(user=bureau.clerk.user)
    assert row.circulating is False
    assert transitions(circulated.document)[-1] == ("收回传阅", S.CIRCULATING, S.CIRCULATING, "in-clerk")
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_open(actor=bureau.second_reader.user, reader=second)


def test_a_recall_needs_a_reason_the_office_and_happens_once(bureau, circulated):
    """GIVEN a document sent round WHEN it is recalled without a reason, or by a reader THEN both are
    refused; once recalled, recalling again is refused as a move already made."""
    with pytest.raises(ValidationError):
        incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason=" ")
    with pytest.raises(PermissionDenied):
        incoming.circulation_recall(actor=bureau.reader.user, circulation=circulated, reason="收回")
    assert incoming.pending_readers(circulated.document).count() == 2

    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="收回")
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_recall(actor=bureau.chief.user, circulation=circulated, reason="再次收回")
