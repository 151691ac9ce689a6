"""分办 inside a 承办单位 (``documents.incoming.subassign``): the unit passes its assignment on to a 科室
and a named 承办人 with a time limit inside its own; he reports his 办理情况; the unit's head sends it
up (the lead unit's answer, which 办结 waits for; an assisting unit's 协办意见) or returns it — each
with the refusals a person would meet, and nothing stored on a refusal.

The receiving bureau (预算处 leading, 国库处 assisting) and ``receive`` / ``advance`` come from
``conftest.py``. The 批示 is given on Monday 2 March 2026 with Friday 6 March as the time limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.incoming import selectors, subassign
from documents.incoming import services as incoming
from documents.models import Assignment, AssignmentRole, SubassignmentState, UnitAssignment
from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, UnitKind
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from office.workflow import TransitionNotAllowed
from tests.documents.incoming_helpers import FRIDAY, MONDAY, S, at, fresh, notes_of, transitions
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db
U = SubassignmentState
THURSDAY = date(2026, 3, 5)


@dataclass
class Sections:
    budget_one: Unit  # 预算一科, below 预算处
    handler: Person  # 吴科员 of 预算一科 (机密)
    low: Person  # 何办事员 of 预算一科 (内部 only)
    budget_clerk: Person  # 预算处's own 文秘 (its 收文员)
    treasury_staff: Person  # a 科员 of 国库处


@pytest.fixture
def sections(bureau) -> Sections:
    budget_one = UnitFactory(parent=bureau.budget, name="预算一科", kind=UnitKind.SECTION)
    return Sections(
        budget_one=budget_one,
        handler=make_person(username="in-b1-staff", name="吴科员", unit=budget_one, clearance=Level.SECRET),
        low=make_person(username="in-b1-low", name="何办事员", unit=budget_one),
        budget_clerk=make_person(
            username="in-b-clerk", name="孙文秘", unit=bureau.budget, roles=(Role.SECRETARY,), clearance=Level.SECRET
        ),
        treasury_staff=make_person(username="in-t-staff", name="钱科员", unit=bureau.treasury, clearance=Level.SECRET),
    )


@pytest.fixture
def handling(bureau, receive, advance, time_machine):
    """A 办件 instructed on Monday 2 March: 预算处 leads, 国库处 assists, due Friday 6 March."""
    time_machine.move_to(at(MONDAY), tick=False)
    return advance(receive(), S.HANDLING, time_limit=FRIDAY)


def _pass_on(bureau, sections, document, *, due=THURSDAY, actor=None, unit=None, handler=None, section=None):
    return subassign.unit_subassign(
        actor=(actor or bureau.budget_head).user,
        document=document,
        unit=unit or bureau.budget,
        section=section or sections.budget_one,
        handler=handler or sections.handler,
        due=due,
        instruction="请预算一科起草落实方案。",
    )


# --- 分办 ---------------------------------------------------------------------------------------------


def test_the_head_passes_the_assignment_on_and_the_handler_finds_it_in_his_inbox(bureau, sections, handling):
    """GIVEN a 办件 承办中 WHEN the head of 预算处 passes it on to 预算一科's 吴科员, due Thursday THEN the
    row waits with him (待办理), his 待办 lists the document under 分办给我的, he is notified, a
    deadline runs for him to Thursday, and the 流转记录 names the unit, the 科室 and the person."""
    row = _pass_on(bureau, sections, handling)

    assert (row.state, row.section, row.handler, row.due) == (
        U.ASSIGNED,
        sections.budget_one,
        sections.handler,
        THURSDAY,
    )
    inbox = selectors.incoming_inbox(user=sections.handler.user)
    assert list(inbox["subassigned"]) == [handling]
    assert any("分办" in note for note in notes_of(sections.handler))
    [deadline] = reminders.deadlines_of(row)
    assert (deadline.state, deadline.due_date, deadline.responsible_person) == (
        DeadlineState.OPEN,
        THURSDAY,
        sections.handler,
    )
    action, before, after, who = transitions(handling)[-1]
    assert (action, before, after, who) == ("分办", S.HANDLING, S.HANDLING, "in-budget-head")
    comment = handling.transitions.order_by("id").last().comment
    assert "预算处" in comment and "预算一科" in comment and "吴科员" in comment and "2026年3月5日" in comment


def test_the_units_own_clerk_may_pass_it_on_but_not_another_units(bureau, sections, handling):
    """GIVEN a 办件 承办中 WHEN 预算处's own 文秘 passes it on THEN it is taken; the bureau office's 文秘
    (not of 预算处) and 国库处's head (for 预算处) are refused as the wrong person, nothing stored."""
    _pass_on(bureau, sections, handling, actor=sections.budget_clerk)

    with pytest.raises(PermissionDenied, match="分办由承办单位的负责人或收文员办理"):
        _pass_on(bureau, sections, handling, actor=bureau.clerk)
    with pytest.raises(PermissionDenied):
        _pass_on(bureau, sections, handling, actor=bureau.treasury_head)

    assert UnitAssignment.objects.count() == 1


def test_the_handlers_time_limit_must_fall_inside_the_units(bureau, sections, handling):
    """GIVEN 预算处 due Friday 6 March WHEN its head gives the 承办人 Monday 9 March, today, or no date
    THEN each is refused with the reason in Chinese (the first naming the unit's date); Friday itself
    is taken."""
    with pytest.raises(ValidationError) as late:
        _pass_on(bureau, sections, handling, due=date(2026, 3, 9))
    assert late.value.message_dict["due"] == ["承办人的办理时限不能晚于本单位的办理时限（2026年3月6日）。"]
    with pytest.raises(ValidationError, match="办理时限应晚于今天"):
        _pass_on(bureau, sections, handling, due=MONDAY)
    with pytest.raises(ValidationError, match="请填写承办人的办理时限"):
        _pass_on(bureau, sections, handling, due=None)
    assert not UnitAssignment.objects.exists()

    assert _pass_on(bureau, sections, handling, due=FRIDAY).due == FRIDAY


def test_the_section_and_the_person_must_be_of_the_unit_and_cleared(bureau, sections, receive, advance, time_machine):
    """GIVEN a 机密 办件 承办中 WHEN 预算处's head names 国库处 as 科室, a person of 国库处, or a person of
    预算一科 without 机密 clearance THEN each is refused with the field and the reason; nothing stored."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.HANDLING, time_limit=FRIDAY)

    with pytest.raises(ValidationError) as section:
        _pass_on(bureau, sections, document, section=bureau.treasury, handler=sections.treasury_staff)
    with pytest.raises(ValidationError) as person:
        _pass_on(bureau, sections, document, handler=sections.treasury_staff)
    with pytest.raises(ValidationError) as cleared:
        _pass_on(bureau, sections, document, handler=sections.low)

    assert section.value.message_dict["section"] == ["承办科室须为预算处或其下属科室。"]
    assert person.value.message_dict["handler"] == ["承办人须为预算一科的在职人员。"]
    assert cleared.value.message_dict["handler"] == ["何办事员的涉密等级低于来文密级。"]
    assert not UnitAssignment.objects.exists()


def test_nothing_is_passed_on_outside_handling(bureau, sections, receive, advance):
    """GIVEN a 办件 still awaiting 批示, and one 已办结 WHEN 预算处's head passes either on THEN the
    move is refused (409): there is no assignment to pass on."""
    waiting = advance(receive(), S.INSTRUCTION)
    done = advance(receive(), S.DONE)

    for document in (waiting, done):
        with pytest.raises(TransitionNotAllowed):
            _pass_on(bureau, sections, document)
    assert not UnitAssignment.objects.exists()


# --- 报送, 上报, 退回 ------------------------------------------------------------------------------------


def test_the_handler_reports_and_the_head_is_asked_to_review(bureau, sections, handling):
    """GIVEN a row with 吴科员 WHEN he reports his 办理情况 THEN the row is 已报送 with the text and the
    time, his deadline is met, 预算处's head is notified, and the 流转记录 names 科室, person and text."""
    row = _pass_on(bureau, sections, handling)

    row = subassign.subassignment_report(actor=sections.handler.user, row=row, note="已起草方案初稿。")

    assert (row.state, row.report) == (U.REPORTED, "已起草方案初稿。") and row.reported_at == at(MONDAY)
    assert {d.state for d in reminders.deadlines_of(row)} == {DeadlineState.MET}
    assert any("请审核" in note for note in notes_of(bureau.budget_head))
    last = handling.transitions.order_by("id").last()
    assert (last.action, last.actor_name, last.comment) == (
        "报送办理情况",
        "吴科员",
        "预算一科 吴科员：已起草方案初稿。",
    )
    assert list(selectors.incoming_inbox(user=sections.handler.user)["subassigned"]) == []


def test_only_the_handler_reports_and_with_a_text(bureau, sections, handling):
    """GIVEN a row with 吴科员 WHEN 预算处's head reports for him, or he sends a blank report THEN the
    first is refused as the wrong person, the second as bad input; the row still waits with him."""
    row = _pass_on(bureau, sections, handling)

    with pytest.raises(PermissionDenied, match="只能报送分办给本人的事项"):
        subassign.subassignment_report(actor=bureau.budget_head.user, row=row, note="代报")
    with pytest.raises(ValidationError, match="请填写办理情况"):
        subassign.subassignment_report(actor=sections.handler.user, row=row, note="  ")

    assert UnitAssignment.objects.get(pk=row.pk).state == U.ASSIGNED


def test_the_head_returns_the_report_and_the_handler_reports_again(bureau, sections, handling):
    """GIVEN a reported row WHEN the head returns it with a reason THEN it is 已退回 with the reason, the
    handler is notified, a deadline to Thursday runs for him again and it is back in his 待办; a return
    without a reason is refused; he may report again."""
    row = subassign.subassignment_report(
        actor=sections.handler.user, row=_pass_on(bureau, sections, handling), note="初稿"
    )
    with pytest.raises(ValidationError, match="请写明退回理由"):
        subassign.subassignment_return(actor=bureau.budget_head.user, row=row, reason="")

    row = subassign.subassignment_return(actor=bureau.budget_head.user, row=row, reason="请补充资金测算。")

    assert (row.state, row.return_reason) == (U.RETURNED, "请补充资金测算。")
    assert any("请补充资金测算" in note for note in notes_of(sections.handler))
    assert [d.due_date for d in reminders.deadlines_of(row) if d.state == DeadlineState.OPEN] == [THURSDAY]
    assert list(selectors.incoming_inbox(user=sections.handler.user)["subassigned"]) == [handling]
    assert transitions(handling)[-1][0] == "退回办理情况"
    row = subassign.subassignment_report(actor=sections.handler.user, row=row, note="已补充资金测算。")
    assert row.state == U.REPORTED


def test_the_head_alone_decides_and_only_a_reported_row(bureau, sections, handling):
    """GIVEN a row not yet reported WHEN the head sends it up THEN 409 (nothing to send); once reported,
    the handler himself and 国库处's head may neither send it up nor return it (403)."""
    row = _pass_on(bureau, sections, handling)
    with pytest.raises(TransitionNotAllowed, match="承办人尚未报送办理情况"):
        subassign.subassignment_accept(actor=bureau.budget_head.user, row=row)
    row = subassign.subassignment_report(actor=sections.handler.user, row=row, note="已办")

    for person in (sections.handler, bureau.treasury_head):
        with pytest.raises(PermissionDenied):
            subassign.subassignment_accept(actor=person.user, row=row)
        with pytest.raises(PermissionDenied):
            subassign.subassignment_return(actor=person.user, row=row, reason="不行")
    assert UnitAssignment.objects.get(pk=row.pk).state == U.REPORTED


def test_the_lead_unit_completes_only_once_its_rows_are_sent_up(bureau, sections, handling):
    """GIVEN 预算处 passed its assignment on WHEN its head tries to 办结 before the report is sent up THEN
    409 with the reason; after 报送 and 上报 the lead unit's answer is on its row, the page's 办结 form
    starts from it, and 办结 is taken — with every 流转记录 step in order."""
    row = _pass_on(bureau, sections, handling)
    with pytest.raises(TransitionNotAllowed, match="主办单位的分办尚未办完"):
        incoming.incoming_complete(actor=bureau.budget_head.user, document=handling, result="已办")

    row = subassign.subassignment_report(actor=sections.handler.user, row=row, note="方案已印发执行。")
    row = subassign.subassignment_accept(actor=bureau.budget_head.user, row=row)
    lead = Assignment.objects.get(document=handling, role=AssignmentRole.LEAD)
    assert (row.state, lead.note, lead.done_at) == (U.ACCEPTED, "方案已印发执行。", None)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=handling, result=lead.note)

    assert fresh(handling).state == S.DONE
    actions = [action for action, *_ in transitions(handling)]
    assert actions[-4:] == ["分办", "报送办理情况", "上报办理情况", "办结"]


def test_an_assisting_units_report_sent_up_is_its_input(bureau, sections, handling):
    """GIVEN 国库处 (assisting) passed its assignment on to its 科员 WHEN he reports and 国库处's head
    sends it up in his own words THEN 国库处's 协办意见 is given with those words, its deadline is met,
    and no more rows can be passed on or reported for it."""
    row = _pass_on(
        bureau,
        sections,
        handling,
        actor=bureau.treasury_head,
        unit=bureau.treasury,
        section=bureau.treasury,
        handler=sections.treasury_staff,
    )
    row = subassign.subassignment_report(actor=sections.treasury_staff.user, row=row, note="国库资金已核对。")

    subassign.subassignment_accept(actor=bureau.treasury_head.user, row=row, note="同意，资金已到位。")

    assist = Assignment.objects.get(document=handling, unit=bureau.treasury)
    assert assist.done_at is not None and assist.note == "同意，资金已到位。"
    states = {d.responsible_unit_id: d.state for d in reminders.deadlines_of(handling)}
    assert states[bureau.treasury.pk] == DeadlineState.MET and states[bureau.budget.pk] == DeadlineState.OPEN
    assert [action for action, *_ in transitions(handling)][-2:] == ["上报办理情况", "协办意见"]
    with pytest.raises(TransitionNotAllowed):
        _pass_on(
            bureau,
            sections,
            handling,
            actor=bureau.treasury_head,
            unit=bureau.treasury,
            section=bureau.treasury,
            handler=sections.treasury_staff,
        )


def test_an_overdue_unit_may_still_pass_it_on(bureau, sections, handling, time_machine):
    """GIVEN 预算处 past its Friday limit (Tuesday 10 March) WHEN its head passes it on for Thursday 12
    March THEN it is taken: no day inside the limit is left, the 承办人 gets the earliest asked."""
    time_machine.move_to(at(date(2026, 3, 10)), tick=False)

    row = _pass_on(bureau, sections, handling, due=date(2026, 3, 12))

    assert row.due == date(2026, 3, 12)


def test_a_lead_units_combined_answer_is_kept_whole(bureau, sections, handling):
    """GIVEN 预算处 passed its assignment on to two 承办人 WHEN both long reports are sent up THEN the lead
    unit's answer holds both, word for word (it was cut at 300 characters once), ready for 办结."""
    second = make_person(username="in-b1-staff2", name="郑科员", unit=sections.budget_one, clearance=Level.SECRET)
    first_text, second_text = "甲" * 250 + "（一科）", "乙" * 250 + "（二组）"
    rows = [_pass_on(bureau, sections, handling), _pass_on(bureau, sections, handling, handler=second)]
    for row, person, text in zip(rows, (sections.handler, second), (first_text, second_text), strict=True):
        row = subassign.subassignment_report(actor=person.user, row=row, note=text)
        subassign.subassignment_accept(actor=bureau.budget_head.user, row=row)

    lead = Assignment.objects.get(document=handling, role=AssignmentRole.LEAD)
    assert lead.note == f"{first_text}；{second_text}"
