"""议定事项 and the 会议纪要: decisions numbered in the held meeting, the 纪要 drafted as a 发文 in its
official shape, and its 核发 opening one 督办 item per decision — once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.models import DocumentKind, DocumentState
from documents.outgoing import services as documents
from meetings.models import Attendee, AttendeeRole, Decision, MeetingState, Reply
from meetings.services import minutes
from office.workflow import TransitionNotAllowed
from supervision.models import Source, SupervisionItem

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 30)


@pytest.fixture
def held(meeting_city, make_meeting, today):
    """The 常务会议 held this morning (9:00–12:00 in 第一会议室): 刘市长 signed in, 李市长 replied 参加,
    周局长 on leave (出差), 钱主任 neither replied nor signed in, 孙科员 列席 (signed in)."""
    c = meeting_city
    starts = timezone.make_aware(datetime(2026, 3, 2, 9))
    meeting = make_meeting(starts_at=starts, state=MeetingState.HELD)
    now = timezone.now()
    Attendee.objects.create(meeting=meeting, person=c.mayor, checked_in_at=now)
    Attendee.objects.create(meeting=meeting, person=c.vice_mayor, reply=Reply.ATTEND)
    Attendee.objects.create(meeting=meeting, person=c.finance_head, reply=Reply.LEAVE, reason="出差")
    Attendee.objects.create(meeting=meeting, person=c.ndrc_head)
    Attendee.objects.create(meeting=meeting, person=c.ndrc_staff, role=AttendeeRole.SIT_IN, checked_in_at=now)
    return meeting


def decide(meeting_city, meeting, text="推进老旧小区改造，年内完成12个小区。", **fields):
    fields.setdefault("lead_unit", meeting_city.ndrc)
    fields.setdefault("due", DUE)
    return minutes.decision_add(actor=meeting_city.officer.user, meeting=meeting, text=text, **fields)


def test_decisions_are_numbered_in_their_meeting(meeting_city, held):
    """GIVEN a held meeting WHEN the 会务员 records three decisions THEN they are numbered 1, 2, 3 and
    each is in the meeting's 流转记录."""
    numbers = [decide(meeting_city, held, text=f"事项{n}").number for n in range(3)]
    assert numbers == [1, 2, 3]
    assert held.events.filter(action="记录议定事项").count() == 3


def test_decide_is_refused_before_the_meeting_is_held_and_to_others(meeting_city, make_meeting, held, today):
    """GIVEN a meeting still 已通知 WHEN a decision is recorded THEN 409; GIVEN the held one WHEN 吴科员
    (no role) records one THEN 403; a 完成时限 not after today or an empty text is refused."""
    notified = make_meeting(state=MeetingState.NOTIFIED)
    with pytest.raises(TransitionNotAllowed):
        decide(meeting_city, notified)
    with pytest.raises(PermissionDenied):
        minutes.decision_add(
            actor=meeting_city.low.user, meeting=held, text="某事", lead_unit=meeting_city.ndrc, due=DUE
        )
    with pytest.raises(ValidationError) as error:
        decide(meeting_city, held, due=timezone.localdate())
    assert "due" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        decide(meeting_city, held, text="  ")
    assert "text" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_decision_is_edited_until_the_minutes_are_issued(meeting_city, held):
    """GIVEN a decision WHEN the 会务员 changes its 牵头单位 and due date THEN it reads so; GIVEN the
    meeting 纪要已印发 WHEN he edits again THEN 409."""
    decision = decide(meeting_city, held)
    later = date(2026, 5, 15)
    minutes.decision_edit(
        actor=meeting_city.officer.user,
        decision=decision,
        lead_unit=meeting_city.finance,
        due=later,
        assist_units=[meeting_city.ndrc],
    )
    decision.refresh_from_db()
    assert (decision.lead_unit, decision.due) == (meeting_city.finance, later)
    assert list(decision.assist_units.all()) == [meeting_city.ndrc]
    held.state = MeetingState.MINUTED
    held.save(update_fields=["state"])
    with pytest.raises(TransitionNotAllowed):
        minutes.decision_edit(actor=meeting_city.officer.user, decision=decision, text="改了")


def test_the_minutes_draft_is_a_minutes_document_in_its_official_shape(meeting_city, held):
    """GIVEN the held meeting with two decisions WHEN the 会务员 drafts the 纪要 THEN it is a 纪要 draft
    in 测府纪要, titled after the meeting, its body naming who attended, who was on leave (with the
    reason) and who sat in, then the decisions 一、二、 with their 牵头单位 and 完成时限."""
    c = meeting_city
    decide(c, held, text="推进老旧小区改造", assist_units=[c.finance])
    decide(c, held, text="完善财政预算编制办法", lead_unit=c.finance, due=date(2026, 6, 30))
    document = minutes.minutes_draft(actor=c.officer.user, meeting=held)
    held.refresh_from_db()
    assert held.minutes_document == document
    assert document.kind == DocumentKind.MINUTES and document.state == DocumentState.DRAFT
    assert document.series == c.series and document.drafter == c.officer
    assert document.title == "测试市人民政府第12次常务会议纪要"
    assert document.classification == held.classification
    assert set(document.main_to_units.all()) == {c.ndrc, c.finance}
    lines = document.body.splitlines()
    assert lines[0].startswith("2026年3月2日9:00—12:00，刘市长在第一会议室主持召开测试市人民政府第12次常务会议。")
    assert "出席：刘市长、李市长" in lines
    assert "请假：周局长（出差）" in lines
    assert "列席：孙科员" in lines
    assert not any("钱主任" in line for line in lines)  # neither replied nor signed in
    start = lines.index("会议议定事项如下：")
    assert lines[start + 1].startswith("一、推进老旧小区改造。")
    assert f"牵头单位：{c.ndrc.name}" in lines[start + 1] and f"配合单位：{c.finance.name}" in lines[start + 1]
    assert "完成时限：2026年4月30日" in lines[start + 1]
    assert lines[start + 2].startswith("二、完善财政预算编制办法。") and "2026年6月30日" in lines[start + 2]
    assert held.events.filter(action="起草会议纪要").exists()
    with pytest.raises(TransitionNotAllowed):  # drafted once
        minutes.minutes_draft(actor=c.officer.user, meeting=held)


def issue(meeting_city, document):
    """The 纪要 through the 发文 flow: 送核稿 (its drafter), 核稿 (秘书甲), 签发 (李市长), 登记 and 核发."""
    c = meeting_city
    document = documents.outgoing_submit(actor=document.drafter.user, document=document)
    document = documents.outgoing_review(actor=c.secretary.user, document=document, approve=True)
    document = documents.outgoing_sign(actor=c.vice_mayor.user, document=document, approve=True)
    document = documents.outgoing_register(actor=c.secretary.user, document=document)
    return documents.outgoing_issue(actor=c.secretary.user, document=document)


def test_issuing_the_minutes_opens_one_item_per_decision_once(meeting_city, held):
    """GIVEN the 纪要 of a meeting with two decisions WHEN it is issued through the 发文 flow THEN the
    meeting is 纪要已印发 and each decision has its own 督办 item (source 会议决定事项, the decision as
    its source record, split to its 牵头单位 by its due date), linked both ways; WHEN the issue is
    replayed THEN nothing more is opened."""
    c = meeting_city
    first = decide(c, held, text="推进老旧小区改造", assist_units=[c.finance])
    second = decide(c, held, text="完善财政预算编制办法", lead_unit=c.finance, due=date(2026, 6, 30))
    document = issue(c, minutes.minutes_draft(actor=c.officer.user, meeting=held))
    assert document.state == DocumentState.ISSUED

    held.refresh_from_db()
    assert held.state == MeetingState.MINUTED
    assert held.events.filter(action="纪要印发", to_state=MeetingState.MINUTED).count() == 1
    items = SupervisionItem.objects.filter(source=Source.MEETING)
    assert items.count() == 2
    for decision in (first, second):
        decision.refresh_from_db()
        item = decision.item
        assert item is not None and item.source_record == decision
        assert item.source_text == f"测试市人民政府第12次常务会议议定事项第{decision.number}项"
        assert item.requirement == decision.text and item.due == decision.due
        task = item.tasks.get()
        assert (task.lead_unit, task.due) == (decision.lead_unit, decision.due)
    assert [a.unit for a in first.item.tasks.get().assists.all()] == [c.finance]

    assert minutes.minutes_issued(document, c.secretary.user) == held
    assert SupervisionItem.objects.filter(source=Source.MEETING).count() == 2
    assert held.events.filter(action="纪要印发").count() == 1


def test_other_documents_issued_leave_meetings_alone(meeting_city, held):
    """GIVEN a 发文 that is no meeting's 纪要 WHEN it is issued THEN no meeting moves and no item opens."""
    c = meeting_city
    decide(c, held)
    document = documents.outgoing_create(
        actor=c.officer.user,
        series=c.series,
        title="测试市人民政府第13次常务会议纪要",
        kind=DocumentKind.MINUTES,
        body="会议议定事项如下：",
    )
    issue(c, document)
    held.refresh_from_db()
    assert held.state == MeetingState.HELD
    assert not SupervisionItem.objects.exists()
    assert minutes.minutes_issued(document, c.secretary.user) is None


def test_a_decision_past_due_at_issue_stops_the_issue_with_its_number(meeting_city, held, today):
    """GIVEN a decision due 10 March WHEN the 纪要 is issued on 11 March THEN the 核发 is refused naming
    the decision, and nothing is issued or opened."""
    c = meeting_city
    decide(c, held, due=date(2026, 3, 10))
    document = minutes.minutes_draft(actor=c.officer.user, meeting=held)
    today.move_to(timezone.make_aware(datetime(2026, 3, 11, 10)) + timedelta(0))
    with pytest.raises(ValidationError) as error:
        issue(c, document)
    assert "议定事项第1项" in str(error.value)
    held.refresh_from_db()
    assert held.state == MeetingState.HELD
    assert not SupervisionItem.objects.exists()
