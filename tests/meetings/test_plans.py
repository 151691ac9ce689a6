"""会议计划 through ``meetings.services``: 拟订 by the organ's 会务员, 报批 to the 主要领导 (a meeting in the
government's name) or 列入计划 at once (another type), 批准 / 退回 with the reason, 撤销; the notice of a
government-name meeting waits for its approved entry, and 计划外报批 gives a meeting without one its
own entry for the head to approve."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import services
from meetings.models import MeetingPlan, MeetingState, PlanState
from meetings.rules import MEETING
from office.confidentiality.levels import Level
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.meetings.conftest import approved_plan, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def draft(mc, code: str = "standing", actor=None, **fields) -> MeetingPlan:
    values = {
        "year": 2026,
        "month": 4,
        "type": mc.type(code),
        "title": "市政府常务会议（4月）",
        "organizing_unit": mc.services_unit,
        "reason": "研究一季度经济运行情况。",
    }
    values.update(fields)
    return services.plan_create(actor=(actor or mc.officer).user, **values)


def register(mc, code: str = "standing", **fields):
    """A meeting registered by the 会务员 in 第一会议室 with 钱主任 invited: ready but for its plan."""
    starts = next_monday()
    values = {
        "type": mc.type(code),
        "title": "测试市人民政府常务会议",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "chair": mc.mayor,
        "room": mc.room,
    }
    values.update(fields)
    meeting = services.meeting_create(actor=mc.officer.user, **values)
    services.attendee_invite(actor=mc.officer.user, meeting=meeting, people=[mc.ndrc_head])
    return meeting


def events(plan) -> list[str]:
    return list(plan.events.order_by("id").values_list("action", flat=True))


# --- The flow ---------------------------------------------------------------------------------------


def test_a_government_meeting_is_reported_and_approved_by_the_head(meeting_city):
    """GIVEN the 会务员 WHEN he drafts a 常务会议 entry, changes it and 报批 it THEN the 市长 is told and it
    waits; 列入计划 is refused (it needs approval); WHEN the 市长 批准 it with his opinion THEN it is 已批准,
    his name and opinion on it, the 会务员 told, and the 流转记录 reads 拟订 → 修改 → 报批 → 批准."""
    mc = meeting_city
    plan = draft(mc, budget="3000")
    assert (plan.state, plan.organ, plan.submitted_by, plan.budget) == (
        PlanState.DRAFT,
        mc.organ,
        mc.officer,
        Decimal("3000.00"),
    )
    services.plan_edit(actor=mc.officer.user, plan=plan, expected_size=40, days=1)
    services.plan_submit(actor=mc.officer.user, plan=plan)
    assert told(mc.mayor) == ["会议计划待审批：市政府常务会议（4月）"]
    with pytest.raises(TransitionNotAllowed):
        services.plan_list(actor=mc.officer.user, plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=mc.vice_mayor.user, plan=plan)
    services.plan_approve(actor=mc.mayor.user, plan=plan, opinion="同意。")
    plan.refresh_from_db()
    assert (plan.state, plan.decided_by, plan.opinion, plan.expected_size) == (
        PlanState.APPROVED,
        mc.mayor,
        "同意。",
        40,
    )
    assert told(mc.officer)[-1] == "会议计划已批准：市政府常务会议（4月）"
    assert events(plan) == ["拟订会议计划", "修改会议计划", "报批", "批准"]


def test_another_type_is_listed_at_once(meeting_city):
    """GIVEN a 专题会议 entry (not in the government's name) WHEN the 会务员 报批 it THEN refused: it needs
    none; WHEN he 列入计划 THEN it is 已批准 without the 市长 hearing of it."""
    mc = meeting_city
    plan = draft(mc, "special", title="城市更新专题会议")
    with pytest.raises(TransitionNotAllowed, match="无需报批"):
        services.plan_submit(actor=mc.officer.user, plan=plan)
    services.plan_list(actor=mc.officer.user, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.decided_by is None
    assert told(mc.mayor) == []


def test_a_return_needs_its_reason_and_the_entry_is_reported_again(meeting_city):
    """GIVEN a 报批 entry WHEN the 市长 退回 it without a reason THEN refused and it still waits; with one
    THEN 已退回, the 会务员 told; he changes it and 报批 it again."""
    mc = meeting_city
    plan = services.plan_submit(actor=mc.officer.user, plan=draft(mc))
    with pytest.raises(ValidationError) as error:
        services.plan_return(actor=mc.mayor.user, plan=plan, opinion="  ")
    assert "opinion" in error.value.message_dict
    assert MeetingPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED
    services.plan_return(actor=mc.mayor.user, plan=plan, opinion="可与专题会议合并召开。")
    plan.refresh_from_db()
    assert (plan.state, plan.opinion) == (PlanState.RETURNED, "可与专题会议合并召开。")
    assert told(mc.officer)[-1] == "会议计划被退回：市政府常务会议（4月）"
    services.plan_edit(actor=mc.officer.user, plan=plan, reason="一季度经济运行情况须专门研究。")
    services.plan_submit(actor=mc.officer.user, plan=plan)
    assert MeetingPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


def test_an_entry_under_a_meeting_still_on_is_not_dropped(meeting_city, make_meeting):
    """GIVEN an approved entry a coming meeting is held under WHEN the 会务员 撤销 it THEN refused; once
    the meeting is cancelled, a reason is still needed, then it is 已撤销 — and no meeting may be put
    under it again."""
    mc = meeting_city
    plan = approved_plan(mc, mc.type(), next_monday())
    meeting = make_meeting(plan=plan, attendees=[mc.ndrc_head])
    with pytest.raises(TransitionNotAllowed, match="请先取消会议"):
        services.plan_drop(actor=mc.officer.user, plan=plan, reason="合并召开")
    services.meeting_cancel(actor=mc.officer.user, meeting=meeting, reason="改期")
    with pytest.raises(ValidationError):
        services.plan_drop(actor=mc.officer.user, plan=plan, reason="")
    services.plan_drop(actor=mc.officer.user, plan=plan, reason="与全体会议合并召开")
    assert MeetingPlan.objects.get(pk=plan.pk).state == PlanState.DROPPED
    with pytest.raises(ValidationError) as error:
        register(mc, plan=MeetingPlan.objects.get(pk=plan.pk))
    assert "plan" in error.value.message_dict


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"year": 2020}, "year"),
        ({"month": 13}, "month"),
        ({"title": "  "}, "title"),
        ({"reason": ""}, "reason"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "12.345"}, "budget"),
        ({"budget": "很多"}, "budget"),
        ({"days": 0}, "days"),
        ({"expected_size": 0}, "expected_size"),
        ({"level": Level.SECRET}, "classification_basis"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(meeting_city, fields, key):
    """GIVEN the 会务员 WHEN an entry is drafted with a wrong year, month, empty name or reason, a
    negative or over-precise budget, no days or people, or 机密 without its 定密依据 THEN refused on that
    field, in Chinese, and nothing is stored."""
    with pytest.raises(ValidationError) as error:
        draft(meeting_city, **fields)
    assert key in error.value.message_dict
    assert all("\u4e00" <= ch <= "\u9fff" for ch in error.value.message_dict[key][0][:2])
    assert not MeetingPlan.objects.exists()


def test_only_a_meeting_officer_of_the_organ_drafts_within_his_clearance(meeting_city):
    """GIVEN 钱主任 (发改委, no 会务员 role), 吴科员 and 郑科员 WHEN they draft an entry THEN refused; 何会务
    (会务员, 内部) may not draft a 机密 one; a unit of another city is refused as 承办单位."""
    mc = meeting_city
    for person in (mc.ndrc_head, mc.low, mc.outsider):
        with pytest.raises(PermissionDenied):
            draft(mc, actor=person)
    with pytest.raises(PermissionDenied):
        draft(mc, actor=mc.officer_low, level=Level.SECRET, basis="涉密")
    with pytest.raises(ValidationError) as error:
        draft(mc, organizing_unit=mc.outsider.unit)
    assert "organizing_unit" in error.value.message_dict
    assert not MeetingPlan.objects.exists()


def test_a_classified_entry_is_read_by_the_head_it_goes_to_and_no_one_below(meeting_city):
    """GIVEN a 机密 entry drafted by 周会务 WHEN 报批 THEN the 市长 may read and approve it; 何会务 (内部) and
    吴科员 never see it, and the 市长 reads nothing of it before it is sent to him."""
    mc = meeting_city
    plan = draft(mc, level=Level.SECRET, basis="涉及重大项目布局", title="机密专题研究")
    assert not MeetingPlan.objects.visible_to(mc.mayor.user).filter(pk=plan.pk).exists()
    services.plan_submit(actor=mc.officer.user, plan=plan)
    assert MeetingPlan.objects.visible_to(mc.mayor.user).filter(pk=plan.pk).exists()
    for person in (mc.officer_low, mc.low, mc.outsider):
        assert not MeetingPlan.objects.visible_to(person.user).filter(pk=plan.pk).exists()
    services.plan_approve(actor=mc.mayor.user, plan=plan)
    assert MeetingPlan.objects.get(pk=plan.pk).state == PlanState.APPROVED


# --- The notice waits for the plan ---------------------------------------------------------------------


def test_a_government_meeting_without_an_approved_entry_is_not_notified(meeting_city):
    """GIVEN a 常务会议 registered without an entry (room and people set) WHEN the 会务员 looks THEN 发通知
    is not offered and is refused with the reason; a 专题会议 needs no entry and is notified."""
    mc = meeting_city
    meeting = register(mc)
    assert "notify" not in MEETING.offered(mc.officer.user, meeting)
    with pytest.raises(TransitionNotAllowed, match="会议计划"):
        services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    starts = next_monday(14)
    special = register(
        mc,
        "special",
        title="城市更新专题会议",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        room=mc.secure_room,
    )
    special = services.meeting_notify(actor=mc.officer.user, meeting=special)
    assert special.state == MeetingState.NOTIFIED


def test_an_unplanned_meeting_is_reported_approved_then_notified(meeting_city):
    """GIVEN that 常务会议 WHEN the 会务员 计划外报批 it without a reason THEN refused; with one THEN it has its
    own 计划外 entry of its month, 报批 (the 市长 told), the notice still waits; a second report is refused;
    WHEN the 市长 批准 THEN the notice goes out."""
    mc = meeting_city
    meeting = register(mc)
    with pytest.raises(ValidationError):
        services.meeting_report_unplanned(actor=mc.officer.user, meeting=meeting, reason=" ")
    assert not MeetingPlan.objects.exists()
    plan = services.meeting_report_unplanned(actor=mc.officer.user, meeting=meeting, reason="上级临时部署。")
    meeting.refresh_from_db()
    starts = meeting.starts_at.astimezone(meeting.starts_at.tzinfo)
    assert meeting.plan == plan
    assert (plan.unplanned, plan.state, plan.type, plan.year, plan.month, plan.title) == (
        True,
        PlanState.SUBMITTED,
        mc.type(),
        2026,
        starts.month,
        meeting.title,
    )
    assert told(mc.mayor) == ["计划外会议待审批：测试市人民政府常务会议"]
    assert "计划外报批" in list(meeting.events.values_list("action", flat=True))
    with pytest.raises(TransitionNotAllowed):
        services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    with pytest.raises(TransitionNotAllowed):
        services.meeting_report_unplanned(actor=mc.officer.user, meeting=meeting, reason="再报一次")
    services.plan_approve(actor=mc.mayor.user, plan=plan)
    meeting = services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    assert meeting.state == MeetingState.NOTIFIED


def test_only_the_meetings_officer_reports_it_and_only_when_it_needs_it(meeting_city, make_meeting):
    """GIVEN the 常务会议 WHEN 钱主任 (invited, not its 会务员) reports it THEN refused; a 专题会议 and a
    meeting already under an approved entry are refused as needing no report."""
    mc = meeting_city
    meeting = register(mc)
    with pytest.raises(PermissionDenied):
        services.meeting_report_unplanned(actor=mc.ndrc_head.user, meeting=meeting, reason="x")
    special = make_meeting(type_code="special", title="专题会议")
    planned = make_meeting(title="已列入计划的会议", starts_at=next_monday(15))
    for other in (special, planned):
        with pytest.raises(TransitionNotAllowed):
            services.meeting_report_unplanned(actor=mc.officer.user, meeting=other, reason="x")
    assert not MeetingPlan.objects.filter(unplanned=True).exists()


def test_a_meeting_is_put_under_an_entry_and_its_cost_recorded(meeting_city):
    """GIVEN the 常务会议 without an entry WHEN the 会务员 puts it under a 专题会议 entry THEN refused (another
    type); under this month's 常务会议 entry it is linked and may be notified; 会议费 is kept to the fen
    and never negative."""
    mc = meeting_city
    meeting = register(mc)
    other = approved_plan(mc, mc.type("special"), meeting.starts_at)
    with pytest.raises(ValidationError) as error:
        services.meeting_edit(actor=mc.officer.user, meeting=meeting, plan=other)
    assert "plan" in error.value.message_dict
    entry = approved_plan(mc, mc.type(), meeting.starts_at)
    services.meeting_edit(actor=mc.officer.user, meeting=meeting, plan=entry)
    with pytest.raises(ValidationError) as error:
        services.meeting_edit(actor=mc.officer.user, meeting=meeting, cost="-5")
    assert "cost" in error.value.message_dict
    services.meeting_edit(actor=mc.officer.user, meeting=meeting, cost="1234.5")
    meeting.refresh_from_db()
    assert (meeting.plan, meeting.cost) == (entry, Decimal("1234.50"))
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
