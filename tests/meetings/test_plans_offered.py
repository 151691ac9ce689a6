"""Offered ⇔ accepted for ``rules.PLAN``: for entries in every state (a 常务会议 and a 专题会议 拟订, 报批,
已批准 with and without a meeting still on it, 已退回, 已撤销, and a 机密 one 报批), for the meeting city's
people, every step is offered exactly when its service takes it (each attempt rolled back;
``tests.workflow.harness``)."""

from __future__ import annotations

import pytest

from meetings import services
from meetings.models import MeetingPlan, PlanState
from meetings.rules import PLAN
from office.confidentiality.levels import Level
from tests.meetings.conftest import next_monday
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def people(mc):
    return [
        p.user
        for p in (
            mc.mayor,
            mc.vice_mayor,
            mc.officer,
            mc.officer_low,
            mc.ndrc_head,
            mc.low,
            mc.outsider,
        )
    ]


def attempt(step: str, user, record: MeetingPlan) -> None:
    if step == "edit":
        services.plan_edit(actor=user, plan=record, title=f"{record.title}（调整）")
    elif step == "submit":
        services.plan_submit(actor=user, plan=record)
    elif step == "list":
        services.plan_list(actor=user, plan=record)
    elif step == "approve":
        services.plan_approve(actor=user, plan=record, opinion="同意")
    elif step == "return":
        services.plan_return(actor=user, plan=record, opinion="请说明必要性")
    elif step == "drop":
        services.plan_drop(actor=user, plan=record, reason="合并召开")
    else:  # a step added to PLAN needs its attempt here
        raise AssertionError(step)


def plans_in_every_state(mc, make_meeting) -> dict[str, MeetingPlan]:
    officer = mc.officer.user

    def entry(code="standing", **fields):
        values = {
            "year": 2026,
            "month": 4,
            "type": mc.type(code),
            "title": f"计划（{code}）",
            "organizing_unit": mc.services_unit,
            "reason": "工作需要。",
        }
        values.update(fields)
        return services.plan_create(actor=officer, **values)

    found = {"draft": entry(), "special_draft": entry("special")}
    found["submitted"] = services.plan_submit(actor=officer, plan=entry())
    found["approved"] = services.plan_approve(
        actor=mc.mayor.user, plan=services.plan_submit(actor=officer, plan=entry())
    )
    held_under = services.plan_approve(actor=mc.mayor.user, plan=services.plan_submit(actor=officer, plan=entry()))
    make_meeting(plan=held_under, starts_at=next_monday())
    found["approved_with_meeting"] = held_under
    found["listed"] = services.plan_list(actor=officer, plan=entry("special"))
    found["returned"] = services.plan_return(
        actor=mc.mayor.user, plan=services.plan_submit(actor=officer, plan=entry()), opinion="退回"
    )
    found["returned_special"] = services.plan_return(
        actor=mc.mayor.user, plan=services.plan_submit(actor=officer, plan=entry()), opinion="退回"
    )
    MeetingPlan.objects.filter(pk=found["returned_special"].pk).update(type=mc.type("special"))
    found["dropped"] = services.plan_drop(actor=officer, plan=entry(), reason="不再召开")
    secret = entry(level=Level.SECRET, basis="涉密", title="机密计划")
    found["secret_submitted"] = services.plan_submit(actor=officer, plan=secret)
    return {name: MeetingPlan.objects.get(pk=plan.pk) for name, plan in found.items()}


def test_every_plan_step_is_offered_exactly_when_the_service_takes_it(meeting_city, make_meeting):
    """GIVEN entries 拟订 (常务, 专题), 报批, 已批准 (free, under a meeting, listed), 已退回 (常务, 专题), 已撤销 and a
    机密 one 报批 WHEN each person tries each step THEN what is offered is what the service takes, and every
    step is met at least once."""
    mc = meeting_city
    records = plans_in_every_state(mc, make_meeting)
    assert {r.state for r in records.values()} == set(PlanState.values)
    found = mismatches(PLAN, list(records.values()), people(mc), attempt)
    assert found == []
    offered = {name for r in records.values() for u in people(mc) for name in PLAN.offered(u, r)}
    assert offered == {step.name for step in PLAN.steps}


def test_who_is_offered_what(meeting_city, make_meeting):
    """GIVEN the same entries WHEN the steps offered are read THEN the 会务员 drafts, reports, lists and
    drops; the 市长 alone approves and returns; 何会务 (内部) is offered nothing on the 机密 one; 吴科员, 钱主任
    and 郑科员 are offered nothing at all."""
    mc = meeting_city
    records = plans_in_every_state(mc, make_meeting)
    assert set(PLAN.offered(mc.officer.user, records["draft"])) == {"edit", "submit", "drop"}
    assert set(PLAN.offered(mc.officer.user, records["special_draft"])) == {"edit", "list", "drop"}
    assert set(PLAN.offered(mc.mayor.user, records["submitted"])) == {"approve", "return"}
    assert set(PLAN.offered(mc.officer.user, records["approved_with_meeting"])) == set()
    assert set(PLAN.offered(mc.mayor.user, records["secret_submitted"])) == {"approve", "return"}
    assert PLAN.offered(mc.officer_low.user, records["secret_submitted"]) == {}
    for person in (mc.low, mc.ndrc_head, mc.outsider, mc.vice_mayor):
        assert all(PLAN.offered(person.user, plan) == {} for plan in records.values()), person.name
