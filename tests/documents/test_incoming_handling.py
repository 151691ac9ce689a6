"""The 收文 workflow from 承办 to its end (STYLE.md §5, DOMAIN.md "收文"): the assisting units' 协办意见
(each meeting its own deadline), 办结 by the lead unit (on time or late against the time limit or
the default deadline; a 阅件 completed by the office; a reply reaching an internal sender's
drafter), 归档 with its retention (readers still pending need a reason), and 催办 of whoever the
document waits for — with each step's refusals to the wrong person, in the wrong state or with
bad input.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``issued`` fixtures come from
``conftest.py``; the dates and the small reads (``transitions``, ``notes_of``, ``fresh``) from
``incoming_helpers.py``. Dates that matter are fixed with ``time_machine`` at 09:00 Beijing time in
March 2026 (no holiday): Monday 2 March is the usual day of 批示, Friday 6 March the usual time limit.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.incoming import services as incoming
from documents.models import Assignment, AssignmentRole, IncomingTransition
from office.reminders import services as reminders
from office.reminders.models import DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from tests.documents.incoming_helpers import FRIDAY, MONDAY, S, at, fresh, notes_of, transitions

# --- 协办意见 and 办结 -----------------------------------------------------------------------------------


def test_the_assisting_unit_reports_and_its_deadline_is_met(bureau, receive, advance):
    """GIVEN a document 承办中 (预算处 leading, 国库处 assisting) WHEN the head of 国库处 sends its input
    THEN its 承办 row is done with the note, its own deadline is met, the lead unit's is still open,
    and the input is recorded."""
    document = advance(receive(), S.HANDLING)

    incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="无意见")

    assist = Assignment.objects.get(document=document, unit=bureau.treasury)
    assert assist.done_at is not None and assist.note == "无意见"
    states = {d.responsible_unit_id: d.state for d in reminders.deadlines_of(document)}
    assert states == {bureau.treasury.pk: DeadlineState.MET, bureau.budget.pk: DeadlineState.OPEN}
    assert transitions(document)[-1] == ("协办意见", S.HANDLING, S.HANDLING, "in-treasury-head")
    assert fresh(document).state == S.HANDLING


def test_the_assisting_units_input_is_refused_from_the_wrong_unit_or_person(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN 国库处's head sends input for the lead unit (not an assisting one),
    or the head of 预算处 (who heads no assisting unit) for 国库处 THEN the first is refused as not
    an assisting unit, the second as the wrong person; 国库处's row stays open."""
    document = advance(receive(), S.HANDLING)

    with pytest.raises(ValidationError):
        incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.budget, note="意见")
    with pytest.raises(PermissionDenied):
        incoming.incoming_unit_done(actor=bureau.budget_head.user, document=document, unit=bureau.treasury, note="意见")

    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None


def test_the_assisting_units_input_needs_a_note_and_is_given_once(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of 国库处 sends a blank input THEN it is refused; a real
    one is taken, and sending again is refused as a move already made."""
    document = advance(receive(), S.HANDLING)
    actor = bureau.treasury_head.user

    with pytest.raises(ValidationError):
        incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="  ")
    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None

    incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="同意")
    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="补充意见")

    assert Assignment.objects.get(document=document, unit=bureau.treasury).note == "同意"


def test_the_assisting_units_input_after_the_document_is_done_is_refused(bureau, receive, advance):
    """GIVEN a document the lead unit has completed while 国库处 never sent its input WHEN 国库处's
    head sends it now THEN the move is refused (the document is no longer 承办中)."""
    document = advance(receive(), S.DONE)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_unit_done(
            actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="迟到的意见"
        )

    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None


def test_the_lead_unit_completes_the_document(bureau, receive, advance, time_machine):
    """GIVEN a document 承办中, due Friday 6 March WHEN the head of 预算处 records the result on
    Thursday THEN it is 已办结 on time with the result, the lead 承办 row is done, every handling
    deadline is met, and the 办结 is recorded."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(date(2026, 3, 5), 16), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已完成预算调整。")

    document = fresh(document)
    assert (document.state, document.result, document.done_at, document.done_on_time) == (
        S.DONE,
        "已完成预算调整。",
        at(date(2026, 3, 5), 16),
        True,
    )
    lead = Assignment.objects.get(document=document, role=AssignmentRole.LEAD)
    assert (lead.done_at, lead.note) == (at(date(2026, 3, 5), 16), "已完成预算调整。")
    assert {d.state for d in reminders.deadlines_of(document)} == {DeadlineState.MET}
    assert transitions(document)[-1] == ("办结", S.HANDLING, S.DONE, "in-budget-head")


@pytest.mark.parametrize(
    ("done_on", "on_time"),
    [(date(2026, 3, 5), True), (FRIDAY, True), (date(2026, 3, 9), False)],
    ids=["before", "on-the-day", "after"],
)
def test_done_on_time_is_against_the_time_limit(bureau, receive, advance, time_machine, done_on, on_time):
    """GIVEN a document instructed on Monday 2 March with Friday 6 March as its limit WHEN 预算处
    completes it on Thursday, on the Friday itself (at 17:30) or the following Monday THEN it is
    done on time, on time, and late — and the lead unit's deadline agrees."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(done_on, 17, 30), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理。")

    assert fresh(document).done_on_time is on_time
    [lead_deadline] = [d for d in reminders.deadlines_of(document) if d.responsible_unit == bureau.budget]
    assert (lead_deadline.state, lead_deadline.met_on_time) == (DeadlineState.MET, on_time)


def test_done_on_time_without_a_time_limit_follows_the_default_deadline(bureau, receive, advance, time_machine):
    """GIVEN an ordinary document instructed on Monday 2 March without a time limit (so the default
    15 working days, to Monday 23 March) WHEN 预算处 completes it on Tuesday 24 March THEN it is
    done late, as its deadline says."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.INSTRUCTION)
    incoming.incoming_instruct(actor=bureau.leader.user, document=document, instruction="办理", lead_unit=bureau.budget)
    time_machine.move_to(at(date(2026, 3, 24)), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理。")

    [deadline] = reminders.deadlines_of(document)
    assert deadline.met_on_time is False
    assert fresh(document).done_on_time is False


def test_completing_is_refused_to_anyone_but_the_lead_unit(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of the assisting 国库处, the 文秘 or a reader completes it
    THEN it is refused and it stays 承办中."""
    document = advance(receive(), S.HANDLING)

    for actor in (bureau.treasury_head, bureau.clerk, bureau.reader):
        with pytest.raises(PermissionDenied):
            incoming.incoming_complete(actor=actor.user, document=document, result="已办理")

    assert fresh(document).state == S.HANDLING


def test_completing_without_a_result_is_refused(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of 预算处 completes it with a blank result THEN it is
    refused naming the result; its deadlines stay open."""
    document = advance(receive(), S.HANDLING)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result=" ")

    assert "result" in refused.value.message_dict
    assert fresh(document).state == S.HANDLING
    assert {d.state for d in reminders.deadlines_of(document)} == {DeadlineState.OPEN}


@pytest.mark.parametrize("state", [S.REGISTERED, S.PROPOSAL, S.INSTRUCTION, S.DONE, S.ARCHIVED])
def test_completing_outside_handling_or_circulation_is_refused(bureau, receive, advance, state):
    """GIVEN a document not 承办中 nor in 传阅 WHEN the 文秘 completes it THEN the move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_complete(actor=bureau.clerk.user, document=document, result="已办理")

    assert fresh(document).state == state


def test_a_reading_document_is_completed_by_the_office(bureau, receive, advance):
    """GIVEN a document taken in as 阅件 WHEN the 文秘 completes it THEN it is 已办结 (no time limit:
    on time); the head of 预算处 may not."""
    document = advance(receive(), S.CIRCULATING)

    with pytest.raises(PermissionDenied):
        incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已阅")
    incoming.incoming_complete(actor=bureau.clerk.user, document=document, result="已阅")

    assert (fresh(document).state, fresh(document).done_on_time) == (S.DONE, True)


def test_the_reply_to_an_internal_sender_reaches_its_drafter(office, bureau, issued, advance):
    """GIVEN a notice from the office handled by the bureau WHEN 预算处 completes it with a reply
    THEN the reply is kept and the drafter of the outgoing document is told."""
    document = advance(issued, S.HANDLING)

    incoming.incoming_complete(
        actor=bureau.budget_head.user, document=document, result="已落实", reply="已按通知要求完成年终总结。"
    )

    assert fresh(document).reply == "已按通知要求完成年终总结。"
    assert any("已按通知要求完成年终总结。" in verb for verb in notes_of(office.drafter))


# --- 归档 -----------------------------------------------------------------------------------------------


def test_a_done_document_is_archived_with_its_retention(bureau, receive, advance):
    """GIVEN a completed document WHEN the 文秘 archives it for 30 years THEN it is 已归档 with that
    retention and no override reason."""
    document = advance(receive(), S.DONE)

    incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="30年")

    document = fresh(document)
    assert (document.state, document.retention, document.archive_override) == (S.ARCHIVED, "30年", "")
    assert transitions(document)[-1] == ("归档", S.DONE, S.ARCHIVED, "in-clerk")


def test_archiving_with_an_unknown_retention_is_refused(bureau, receive, advance):
    """GIVEN a completed document WHEN it is archived for "5年" THEN it is refused naming the retention."""
    document = advance(receive(), S.DONE)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="5年")

    assert "retention" in refused.value.message_dict
    assert fresh(document).state == S.DONE


@pytest.mark.parametrize("state", [S.REGISTERED, S.HANDLING, S.CIRCULATING, S.RETURNED, S.ARCHIVED])
def test_archiving_before_done_is_refused(bureau, receive, advance, state):
    """GIVEN a document not 已办结 WHEN the 文秘 archives it THEN the move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")

    assert fresh(document).state == state


@pytest.mark.parametrize("who", ["budget_head", "leader"])
def test_archiving_is_refused_to_anyone_but_the_office(bureau, receive, advance, who):
    """GIVEN a completed document WHEN the head of 预算处 or the 局长 archives it THEN it is refused."""
    document = advance(receive(), S.DONE)

    with pytest.raises(PermissionDenied):
        incoming.incoming_archive(actor=getattr(bureau, who).user, document=document, retention="10年")

    assert fresh(document).state == S.DONE


def test_archiving_with_readers_pending_needs_a_reason_which_is_kept(bureau, receive, advance):
    """GIVEN a 阅件 completed while a reader has not read it WHEN the 文秘 archives it without a reason
    THEN it is refused naming the override; with one it is archived and the reason is kept."""
    document = advance(receive(), S.CIRCULATING)
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    document = advance(document, S.DONE)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")
    assert "override_reason" in refused.value.message_dict
    assert fresh(document).state == S.DONE

    incoming.incoming_archive(
        actor=bureau.clerk.user, document=document, retention="10年", override_reason="阅读人长期外出，经主任同意归档"
    )

    document = fresh(document)
    assert (document.state, document.archive_override) == (S.ARCHIVED, "阅读人长期外出，经主任同意归档")


def test_archiving_after_every_reader_has_read_needs_no_reason(bureau, receive, advance):
    """GIVEN a 阅件 every reader has read WHEN the 文秘 archives it without a reason THEN it is archived."""
    document = advance(receive(), S.CIRCULATING)
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅"
    )
    reader = circulation.readers.get()
    incoming.circulation_open(actor=bureau.reader.user, reader=reader)
    incoming.circulation_read(actor=bureau.reader.user, reader=reader)
    document = advance(document, S.DONE)

    incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")

    assert (fresh(document).state, fresh(document).archive_override) == (S.ARCHIVED, "")


# --- 催办 -----------------------------------------------------------------------------------------------


def test_chasing_notifies_the_pending_parties_and_is_recorded(bureau, receive, advance):
    """GIVEN a document 承办中 where 国库处 has sent its input and 预算处 not, also sent round to two
    readers of whom one has read WHEN the 文秘 chases with a message THEN the head of 预算处 and the
    reader who has not read are notified with the message, nobody else; the 催办 is recorded and the
    state does not change."""
    document = advance(receive(), S.HANDLING)
    incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="同意")
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader, bureau.second_reader], note="请参阅"
    )
    row = incoming.circulation_open(actor=bureau.second_reader.user, reader=circulation.readers.get(order=2))
    incoming.circulation_read(actor=bureau.second_reader.user, reader=row)
    before = Notification.objects.count()

    incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="请于本周五前报送办理结果")

    chased = Notification.objects.order_by("id")[before:]
    assert sorted(n.recipient.username for n in chased) == ["in-budget-head", "in-reader"]
    assert all("请于本周五前报送办理结果" in n.verb and n.verb.startswith("催办") for n in chased)
    entry = IncomingTransition.objects.filter(document=document).order_by("id").last()
    assert (entry.action, entry.from_state, entry.to_state, entry.comment) == (
        "催办",
        S.HANDLING,
        S.HANDLING,
        "请于本周五前报送办理结果",
    )
    assert fresh(document).state == S.HANDLING


def test_chasing_an_instruction_notifies_the_leader(bureau, receive, advance):
    """GIVEN a document waiting for the 局长's 批示 WHEN the 办公室主任 chases it THEN the 局长 is
    notified (after his 请批示)."""
    document = advance(receive(), S.INSTRUCTION)

    incoming.incoming_chase(actor=bureau.chief.user, document=document, message="请尽快批示")

    assert len(notes_of(bureau.leader)) == 2
    assert "请尽快批示" in notes_of(bureau.leader)[-1]


def test_the_named_chaser_may_chase(bureau, receive, advance):
    """GIVEN an important document whose named chaser is a member of 预算处 (not the office) WHEN he
    chases it THEN the head of 预算处 is notified; a reader who is not the chaser is refused."""
    document = advance(receive(), S.REGISTERED)
    incoming.incoming_screen(
        actor=bureau.clerk.user, document=document, accept=True, important=True, chaser=bureau.budget_staff
    )
    document = advance(document, S.HANDLING)

    with pytest.raises(PermissionDenied):
        incoming.incoming_chase(actor=bureau.reader.user, document=document, message="请抓紧")
    incoming.incoming_chase(actor=bureau.budget_staff.user, document=document, message="请抓紧")

    assert any("请抓紧" in verb for verb in notes_of(bureau.budget_head))
    assert transitions(document)[-1] == ("催办", S.HANDLING, S.HANDLING, "in-budget-staff")


def test_chasing_without_a_message_is_refused(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the 文秘 chases with a blank message THEN it is refused and nothing
    is recorded."""
    document = advance(receive(), S.HANDLING)
    recorded = IncomingTransition.objects.filter(document=document).count()

    with pytest.raises(ValidationError):
        incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="  ")

    assert IncomingTransition.objects.filter(document=document).count() == recorded


@pytest.mark.parametrize("state", [S.REGISTERED, S.PROPOSAL, S.DONE, S.ARCHIVED])
def test_chasing_what_waits_for_nobody_is_refused(bureau, receive, advance, state):
    """GIVEN a document not waiting for a 批示, a unit or a reader WHEN the 文秘 chases it THEN the move
    is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="请抓紧")
