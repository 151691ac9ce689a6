"""会议 figures of a year against hand counts: held by type and month, 议题, attendance, 落实率, video."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from meetings.figures import meeting_figures
from meetings.models import Attendee, AttendeeRole, Decision, Meeting, MeetingState, Reply, Topic, TopicState
from office.confidentiality.levels import Level
from supervision.models import ItemState
from tests.supervision.conftest import open_item  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def year_of_meetings(meeting_city, make_meeting, open_item, today):  # noqa: F811
    """2026 for the 会务员 (who sees the organ's 内部 meetings and his own):

    - a 常务会议 held 2 March: 刘市长 and 李市长 signed in, 周局长 on leave, 钱主任 absent, 何会务 staff
      (signed in, not counted) → 2 / (4 − 1); three decisions: one item 办结, one in hand, one none;
    - an 电视电话会议 纪要已印发 3 March: 钱主任 signed in → 1 / 1; one decision, its item 办结;
    - a 专题会议 归档 6 April, nobody invited (no attendance rate);
    - not counted: one 筹备中, one cancelled, one held in 2025, and a 机密 meeting held of 发改委's that
      the 会务员 is not in.
    """
    c = meeting_city
    now = timezone.now()
    standing = make_meeting(starts_at=at(2026, 3, 2), state=MeetingState.HELD)
    for person, fields in (
        (c.mayor, {"checked_in_at": now}),
        (c.vice_mayor, {"checked_in_at": now, "reply": Reply.ATTEND}),
        (c.finance_head, {"reply": Reply.LEAVE, "reason": "出差"}),
        (c.ndrc_head, {}),
        (c.officer_low, {"role": AttendeeRole.STAFF, "checked_in_at": now}),
    ):
        Attendee.objects.create(meeting=standing, person=person, **fields)
    video = make_meeting(
        type_code="video", title="全市安全生产电视电话会议", starts_at=at(2026, 3, 3), state=MeetingState.MINUTED
    )
    Attendee.objects.create(meeting=video, person=c.ndrc_head, checked_in_at=now)
    make_meeting(type_code="special", title="专题会议", starts_at=at(2026, 4, 6), state=MeetingState.CLOSED)
    make_meeting(title="筹备中", starts_at=at(2026, 5, 4))
    make_meeting(title="已取消", starts_at=at(2026, 5, 11), state=MeetingState.CANCELLED)
    make_meeting(title="去年", year=2025, starts_at=at(2025, 12, 1), state=MeetingState.HELD)
    make_meeting(
        title="机密会议",
        starts_at=at(2026, 3, 4),
        state=MeetingState.HELD,
        classification=Level.SECRET,
        classification_basis="涉密",
        chair=c.vice_mayor,
        organizer=c.ndrc_head,
        created_by=c.ndrc_head,
        organizing_unit=c.ndrc,
    )

    def decision(meeting, number, state=None):
        item = None
        if state is not None:
            item = open_item(title=f"事项{meeting.pk}-{number}")
            item.state = state
            item.save(update_fields=["state"])
        return Decision.objects.create(
            meeting=meeting, number=number, text="事项", lead_unit=c.ndrc, due=today_plus(30), item=item
        )

    decision(standing, 1, ItemState.DONE)
    decision(standing, 2, ItemState.ASSIGNED)
    decision(standing, 3)
    decision(video, 1, ItemState.DONE)

    for state, when in (
        (TopicState.APPROVED, at(2026, 2, 20)),
        (TopicState.PLACED, at(2026, 2, 21)),
        (TopicState.DISCUSSED, at(2026, 2, 22)),
        (TopicState.WITHDRAWN, at(2026, 2, 23)),
        (TopicState.RETURNED, at(2026, 2, 24)),
        (TopicState.SUBMITTED, at(2026, 2, 25)),
        (TopicState.DISCUSSED, at(2025, 11, 3)),
    ):
        Topic.objects.create(
            organ=c.organ,
            meeting_type=c.type(),
            title=f"议题{state}",
            summary="说明",
            unit=c.ndrc,
            presenter=c.ndrc_head,
            reviewing_leader=c.vice_mayor,
            submitted_by=c.ndrc_staff,
            submitted_at=when,
            state=state,
        )
    return c


def today_plus(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_the_years_figures_match_the_hand_counts(year_of_meetings):
    """GIVEN the year above WHEN the 会务员 reads the 2026 figures THEN three meetings were held (常务
    and 电视电话 in March, 专题 in April), three 议题 passed 定题 against one withdrawn and one returned,
    attendance averages (2/3 + 1) / 2, two of three decisions with an item are 办结, one meeting in three
    was by video."""
    figures = meeting_figures(user=year_of_meetings.officer.user, year=2026)
    assert figures["held"] == 3
    assert figures["by_month"] == [0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    by_type = {row["code"]: (row["count"], row["by_month"][2], row["by_month"][3]) for row in figures["by_type"]}
    assert by_type == {"standing": (1, 1, 0), "video": (1, 1, 0), "special": (1, 0, 1)}
    assert figures["topics"] == {"approved": 3, "withdrawn": 1, "returned": 1}
    assert figures["attendance_rate"] == round((2 / 3 + 1) / 2, 4)
    assert figures["decisions"] == {"total": 4, "with_item": 3, "done": 2, "rate": round(2 / 3, 4)}
    assert figures["video_share"] == round(1 / 3, 4)


def test_figures_of_an_empty_year_divide_by_nothing(year_of_meetings):
    """GIVEN no meeting in 2024 WHEN its figures are read THEN the counts are zero and the rates None."""
    figures = meeting_figures(user=year_of_meetings.officer.user, year=2024)
    assert (figures["held"], figures["by_type"], figures["attendance_rate"], figures["video_share"]) == (
        0,
        [],
        None,
        None,
    )
    assert figures["decisions"]["rate"] is None


# --- 精文减会: against last year, 会议费, the plan's execution -----------------------------------------------


def plan_entry(c, code, month, state, *, budget=None, unplanned=False, year=2026, **fields):
    from meetings.models import MeetingPlan

    values = {
        "organ": c.organ,
        "year": year,
        "month": month,
        "type": c.type(code),
        "title": f"{code}{month}月（{state}）",
        "organizing_unit": c.services_unit,
        "reason": "工作需要",
        "state": state,
        "budget": budget,
        "unplanned": unplanned,
        "submitted_by": c.officer,
    }
    values.update(fields)
    return MeetingPlan.objects.create(**values)


@pytest.fixture
def plans_and_costs(meeting_city, make_meeting, today):
    """2026 for the 会务员:

    - held: a 常务会议 (2 March, 会议费 1800.50) under entry A (approved, budget 2000); an 电视电话会议
      (3 March, 300) under entry B (计划外, approved, budget 500); a 专题会议 (4 March, no 会议费, no entry);
    - entries: C 常务 May approved (no meeting held: one 筹备中 under it), D 全体 June 报批 (budget 9000, not
      counted), E 工作 撤销, F 常务 退回, G 专题 列入计划; a 机密 entry of 发改委's (budget 99999) with a 机密
      meeting held under it, neither of which he sees;
    - 2025: two 常务会议 and a 专题会议 held, a 常务会议 cancelled.
    """
    from meetings.models import PlanState

    c = meeting_city
    a = plan_entry(c, "standing", 3, PlanState.APPROVED, budget="2000")
    b = plan_entry(c, "video", 3, PlanState.APPROVED, budget="500", unplanned=True)
    held = MeetingState.HELD
    make_meeting(starts_at=at(2026, 3, 2), state=held, plan=a, cost="1800.50")
    make_meeting(type_code="video", title="电视电话会议", starts_at=at(2026, 3, 3), state=MeetingState.CLOSED, plan=b)
    Meeting.objects.filter(plan=b).update(cost="300")
    make_meeting(type_code="special", title="专题会议", starts_at=at(2026, 3, 4), state=MeetingState.MINUTED)
    cplan = plan_entry(c, "standing", 5, PlanState.APPROVED)
    make_meeting(title="五月常务会议", starts_at=at(2026, 5, 4), plan=cplan)
    plan_entry(c, "plenary", 6, PlanState.SUBMITTED, budget="9000")
    plan_entry(c, "work", 7, PlanState.DROPPED, budget="30000")
    plan_entry(c, "standing", 8, PlanState.RETURNED)
    plan_entry(c, "special", 9, PlanState.APPROVED)
    hidden = plan_entry(
        c,
        "standing",
        3,
        PlanState.APPROVED,
        budget="99999",
        classification=Level.SECRET,
        classification_basis="涉密",
        submitted_by=c.ndrc_head,
        organizing_unit=c.ndrc,
    )
    make_meeting(
        title="机密会议",
        starts_at=at(2026, 3, 5),
        state=held,
        plan=hidden,
        cost="5000",
        classification=Level.SECRET,
        classification_basis="涉密",
        chair=c.vice_mayor,
        organizer=c.ndrc_head,
        created_by=c.ndrc_head,
        organizing_unit=c.ndrc,
    )
    for day, code in ((at(2025, 4, 1), "standing"), (at(2025, 5, 1), "standing"), (at(2025, 6, 1), "special")):
        make_meeting(type_code=code, title=f"去年{code}", year=2025, starts_at=day, state=held)
    make_meeting(title="去年取消", year=2025, starts_at=at(2025, 7, 1), state=MeetingState.CANCELLED)
    return c


def test_the_year_against_the_last_its_costs_and_its_plan(plans_and_costs):
    """GIVEN the year above WHEN the 会务员 reads 2026 THEN three meetings held against three last year
    (常务 1 vs 2, 电视电话 1 vs 0, 专题 1 vs 1), one by video; 2100.50元 spent on two meetings against the
    2500元 budgeted on two approved entries; six entries not 撤销, four approved of which two were held
    (50%), one 计划外, one waiting, one returned, one 撤销 — nothing of the 机密 entry or its meeting."""
    from decimal import Decimal

    figures = meeting_figures(user=plans_and_costs.officer.user, year=2026)
    assert figures["held"] == 3 and figures["video"] == 1 and figures["video_share"] == round(1 / 3, 4)
    versus = figures["versus_last_year"]
    assert (versus["last_year"], versus["change"]) == (3, 0)
    assert {row["code"]: (row["count"], row["last_year"], row["change"]) for row in versus["by_type"]} == {
        "standing": (1, 2, -1),
        "video": (1, 0, 1),
        "special": (1, 1, 0),
    }
    assert figures["cost"] == {
        "spent": Decimal("2100.50"),
        "with_cost": 2,
        "budget": Decimal("2500.00"),
        "budgeted": 2,
    }
    assert figures["plans"] == {
        "entries": 6,
        "approved": 4,
        "held": 2,
        "rate": 0.5,
        "unplanned": 1,
        "submitted": 1,
        "returned": 1,
        "dropped": 1,
    }


def test_an_outsider_counts_nothing(plans_and_costs):
    """GIVEN the year above WHEN 郑科员 of another city reads it THEN every count is zero, the amounts
    nothing and the rates None."""
    from decimal import Decimal

    figures = meeting_figures(user=plans_and_costs.outsider.user, year=2026)
    assert (figures["held"], figures["video"], figures["versus_last_year"]["by_type"]) == (0, 0, [])
    assert figures["cost"] == {"spent": Decimal("0.00"), "with_cost": 0, "budget": Decimal("0.00"), "budgeted": 0}
    assert set(figures["plans"].values()) == {0, None}
