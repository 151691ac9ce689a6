"""Offered ⇔ accepted for ``rules.PROPOSAL``: for items in every state (and the handling variants
that open the other steps: an 调整申请 pending, a 沟通联系 recorded, a signed 答复件), built through the
services, for the office's 督查员, 住建局's clerk (主办), 财政局's clerk (会办), the office's bystander and
the outsider, every step is offered exactly when the service takes it (each attempt rolled back;
``tests.workflow.harness``) — and the item's page shows exactly the offered forms (a 404 to whom the
item does not concern)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from petitions.proposals import services
from petitions.proposals.models import AssignmentState, Proposal, ProposalState
from petitions.proposals.rules import PROPOSAL, adjusting, shares, to_rate, unsatisfied
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db


def attempt_for(pc, flow):
    def series_for(user):
        unit = pc.finance if user.pk == pc.finance_clerk.user.pk else pc.bureau
        return flow.series(unit)

    def attempt(step: str, user, record: Proposal) -> None:
        day = timezone.localdate()
        live = shares(record)
        any_share = live[0] if live else None
        if step == "assign":
            services.proposal_assign(
                actor=user, proposal=record, mode="lead", lead_unit=pc.bureau, assist_units=[pc.finance]
            )
        elif step == "adjust_request":
            services.proposal_adjust_request(actor=user, proposal=record, reason="不属于本单位职责")
        elif step == "adjust_decide":
            share = next(iter(adjusting(record)), any_share)
            services.proposal_adjust_decide(actor=user, proposal=record, share=share, agree=False, note="维持交办")
        elif step == "assist_opinion":
            services.proposal_assist_opinion(actor=user, proposal=record, text="同意主办单位意见。")
        elif step == "contact":
            services.proposal_contact(
                actor=user, proposal=record, method="phone", on=day, people="赵科员", view="同意办理思路。"
            )
        elif step == "reply":
            services.proposal_reply(
                actor=user, proposal=record, result_code="A", text="已纳入年度计划。", series=series_for(user)
            )
        elif step == "send":
            services.proposal_send(actor=user, proposal=record, on=day)
        elif step == "extend":
            services.proposal_extend(actor=user, proposal=record, months=1, reason="涉及多个部门")
        elif step == "rate":
            share = next(iter(to_rate(record)), any_share)
            services.proposal_rate(actor=user, proposal=record, share=share, satisfaction="satisfied", on=day)
        elif step == "rehandle":
            share = next(iter(unsatisfied(record)), any_share)
            services.proposal_rehandle(actor=user, proposal=record, share=share, note="重新办理")
        elif step == "close":
            services.proposal_close(actor=user, proposal=record)
        else:  # a step added to the machine needs its attempt here
            raise AssertionError(step)

    return attempt


def items_in_every_state(pc, flow, make_proposal) -> dict[str, Proposal]:
    found = {state: flow.to(make_proposal(), state) for state in ("imported", "handling", "replied", "rehandling")}
    found["closed"] = flow.to(make_proposal(), "closed")
    adjusting_item = flow.assign(make_proposal())
    services.proposal_adjust_request(actor=pc.finance_clerk.user, proposal=adjusting_item, reason="不属于本单位职责")
    found["adjusting"] = adjusting_item
    contacted = flow.assign(make_proposal())
    flow.contact(contacted)
    found["contacted"] = contacted
    signed = flow.assign(make_proposal())
    flow.contact(signed)
    flow.sign(flow.reply(signed).document)
    found["signed"] = signed
    rated = flow.to(make_proposal(), "replied")
    flow.rate(rated)  # 满意: ready for 办结 (a 不满意 rating starts 二次办理 at once)
    found["rated"] = rated
    return {name: Proposal.objects.get(pk=item.pk) for name, item in found.items()}


def test_every_step_is_offered_exactly_when_the_service_takes_it(client, proposal_city, proposal_flow, make_proposal):
    """GIVEN items imported, handling (plain, with a pending 调整申请, after a 沟通联系, with a signed
    答复件), replied (unrated and rated), rehandling and closed WHEN each person tries each step THEN what is offered is
    what the service takes, and the page shows exactly those forms (a 404 to whom it does not concern)."""
    pc = proposal_city
    records = items_in_every_state(pc, proposal_flow, make_proposal)
    assert {r.state for r in records.values()} == set(ProposalState.values)
    assert any(a.state == AssignmentState.ADJUSTING for a in records["adjusting"].assignments.all())
    people = [p.user for p in (pc.office, pc.bureau_clerk, pc.finance_clerk, pc.bystander, pc.outsider)]
    assert mismatches(PROPOSAL, list(records.values()), people, attempt_for(pc, proposal_flow)) == []

    offered_somewhere = set()
    for record in records.values():
        for user in people:
            offered = set(PROPOSAL.offered(user, Proposal.objects.get(pk=record.pk)))
            offered_somewhere |= offered
            client.force_login(user)
            response = client.get(f"/petitions/proposals/{record.pk}/")
            if response.status_code == 404:
                assert offered == set(), (record.state, user.username)
                continue
            assert response.status_code == 200
            shown = set(re.findall(r'data-testid="action-([a-z_]+)"', response.content.decode()))
            assert shown == offered, (record.state, user.username)
    # every step is met at least once (``rehandle`` has no state of its own: 不满意 re-handles at once)
    assert offered_somewhere == {step.name for step in PROPOSAL.steps} - {"rehandle"}
