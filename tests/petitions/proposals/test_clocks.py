"""Every clock of a 建议提案 share over the 2026 working-day calendar (chinese-calendar), each date
counted by hand in the comments. A period does not count its start day (《民法典》第二百零一条); a
period in months ends on the corresponding day of the last month (第二百零二条) and, falling on a rest
day, runs to the next working day (第二百零三条).

- 答复: 3 months from 交办 (``proposal-answer``); one extension of up to 3 months, counted from 交办
  again (6 months in all), refused once the period has run out;
- 调整申请: 5 working days from 交办 (``proposal-adjust``);
- 会办意见: 1 month from 交办; 二次办理: 1 month from the 不满意 rating.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions.proposals import services
from petitions.proposals.rules import PROPOSAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():
    travellers, moving = [], []

    def _go(day: str):
        if moving:
            moving[0].move_to(f"{day} 10:00 +0800")
        else:
            travellers.append(time_machine.travel(f"{day} 10:00 +0800", tick=False))
            moving.append(travellers[0].start())

    yield _go
    for traveller in travellers:
        traveller.stop()


def clock(proposal, kind: str, unit=None):
    found = [d for d in deadlines_of(proposal) if d.kind_id == kind and (unit is None or d.responsible_unit == unit)]
    assert len(found) == 1, (kind, found)
    return found[0]


def extend(pc, proposal, months: int):
    return services.proposal_extend(
        actor=pc.office.user, proposal=proposal, months=months, reason="涉及多部门，情况复杂"
    )


def test_answer_three_months_from_assignment(proposal_city, make_proposal, proposal_flow, travel):
    travel("2026-03-09")  # a Monday
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    answer = clock(proposal, "proposal")
    # 9 March + 3 months = 9 June 2026, a Tuesday.
    assert (answer.start, answer.due_date, answer.responsible_unit) == (
        date(2026, 3, 9),
        date(2026, 6, 9),
        proposal_city.bureau,
    )
    assert "第二百零二条" in answer.derivation


def test_answer_ending_on_a_rest_day_runs_to_the_next_working_day(proposal_city, make_proposal, proposal_flow, travel):
    travel("2026-03-09")
    # 交办 at the 交办会 on Friday 6 March, entered on Monday: 6 June 2026 is a Saturday → Monday 8 June.
    proposal = proposal_flow.assign(make_proposal(submitted_on=date(2026, 1, 20)), assist_units=[], on=date(2026, 3, 6))
    answer = clock(proposal, "proposal")
    assert (answer.start, answer.due_date) == (date(2026, 3, 6), date(2026, 6, 8))
    assert "第二百零三条" in answer.derivation
    proposal.refresh_from_db()
    assert proposal.assigned_on == date(2026, 3, 6) and proposal.due == date(2026, 6, 8)


@pytest.mark.parametrize(("day", "on_time"), [("2026-06-09", True), ("2026-06-10", False)])
def test_answer_on_the_last_day_is_on_time(proposal_city, make_proposal, proposal_flow, travel, day, on_time):
    travel("2026-03-09")
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    travel(day)
    proposal_flow.answer(proposal)
    share = proposal_flow.share(proposal)
    assert share.replied_on == date.fromisoformat(day) and share.replied_on_time is on_time
    assert clock(proposal, "proposal").met_on_time is on_time


def test_extension_counts_six_months_from_assignment(proposal_city, make_proposal, proposal_flow, travel):
    pc = proposal_city
    travel("2026-03-09")
    proposal = proposal_flow.assign(make_proposal(submitted_on=date(2026, 1, 20)), assist_units=[], on=date(2026, 3, 6))
    travel("2026-05-20")
    with pytest.raises(ValidationError) as excinfo:  # beyond the cap: 3 + 4 > 6 months
        extend(pc, proposal, 4)
    assert "months" in excinfo.value.message_dict
    extend(pc, proposal, 3)
    answer = clock(proposal, "proposal")
    # 6 March + 6 months = 6 September 2026, a Sunday → Monday 7 September (not 8 June + 3 months).
    assert answer.due_date == date(2026, 9, 7)
    proposal.refresh_from_db()
    assert proposal.due == date(2026, 9, 7) and proposal_flow.share(proposal).due == date(2026, 9, 7)
    assert answer.extensions.get().approved_by == pc.office
    # One extension only.
    assert "extend" not in PROPOSAL.offered(pc.office.user, proposal)
    with pytest.raises(TransitionNotAllowed):
        extend(pc, proposal, 1)


def test_extension_refused_after_the_period_ran_out(proposal_city, make_proposal, proposal_flow, travel):
    travel("2026-03-09")
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    travel("2026-06-10")  # the day after 9 June
    with pytest.raises(TransitionNotAllowed):
        extend(proposal_city, proposal, 1)
    assert clock(proposal, "proposal").due_date == date(2026, 6, 9)


def test_only_the_office_extends(proposal_city, make_proposal, proposal_flow, travel):
    from django.core.exceptions import PermissionDenied

    travel("2026-03-09")
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    with pytest.raises(PermissionDenied):
        services.proposal_extend(actor=proposal_city.bureau_head.user, proposal=proposal, months=1, reason="复杂")


@pytest.mark.parametrize(("day", "allowed"), [("2026-03-16", True), ("2026-03-17", False)])
def test_adjust_window_is_five_working_days(proposal_city, make_proposal, proposal_flow, travel, day, allowed):
    travel("2026-03-09")  # 交办 on Monday 9 March: 10, 11, 12, 13, 16 March → the window ends Monday 16 March
    proposal = proposal_flow.assign(make_proposal())
    travel(day)
    clerk = proposal_city.bureau_clerk.user
    assert ("adjust_request" in PROPOSAL.offered(clerk, proposal)) is allowed
    if allowed:
        share = services.proposal_adjust_request(actor=clerk, proposal=proposal, reason="不属于本局职责")
        assert share.state == "adjusting"
    else:
        with pytest.raises(TransitionNotAllowed):
            services.proposal_adjust_request(actor=clerk, proposal=proposal, reason="不属于本局职责")


@pytest.mark.parametrize(("day", "on_time"), [("2026-04-09", True), ("2026-04-10", False)])
def test_assist_opinion_within_one_month(proposal_city, make_proposal, proposal_flow, travel, day, on_time):
    pc = proposal_city
    travel("2026-03-09")
    proposal = proposal_flow.assign(make_proposal())
    assist = clock(proposal, "proposal-assist", pc.finance)
    assert assist.due_date == date(2026, 4, 9)  # 9 March + 1 month, a Thursday
    travel(day)
    services.proposal_assist_opinion(actor=pc.finance_clerk.user, proposal=proposal, text="同意。")
    assist = clock(proposal, "proposal-assist", pc.finance)
    assert assist.state == DeadlineState.MET and assist.met_on_time is on_time


@pytest.mark.parametrize(("day", "on_time"), [("2026-04-20", True), ("2026-04-21", False)])
def test_rehandle_within_one_month_of_the_rating(proposal_city, make_proposal, proposal_flow, travel, day, on_time):
    travel("2026-03-09")
    proposal = proposal_flow.to(make_proposal(), "replied")
    travel("2026-03-20")  # a Friday: + 1 month = Monday 20 April
    proposal_flow.rate(proposal, satisfaction="unsatisfied")
    again = clock(proposal, "proposal-rehandle")
    assert (again.start, again.due_date) == (date(2026, 3, 20), date(2026, 4, 20))
    # The first answer's clock stays met on time; the rehandle clock is not extended by 延期.
    assert clock(proposal, "proposal").met_on_time is True
    travel(day)
    proposal_flow.answer(proposal)
    again = clock(proposal, "proposal-rehandle")
    assert again.state == DeadlineState.MET and again.met_on_time is on_time
    assert proposal_flow.share(proposal).replied_on_time is on_time
