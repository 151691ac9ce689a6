"""建议提案 on the desk and the dashboard (the clock frozen on Monday 9 March 2026): over items in
every state, each item on a person's desk offers its section's step and the service takes exactly
the offered ones; every item offering a desk step is on the desk; the desk's query count does not
grow with the items; someone outside sees nothing; the tiles are the hand counts of what one sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from office.dashboard import registry
from office.dashboard.registry import Scope
from office.desk import providers
from petitions.proposals import services
from petitions.proposals.dashboard import ProposalFigures, totals
from petitions.proposals.desk import SECTIONS, ProposalProvider, sections
from petitions.proposals.models import AssignmentState, Proposal, ProposalAssignment
from petitions.proposals.rules import OPEN, PROPOSAL, to_rate
from tests.reminders.conftest import at
from tests.workflow.harness import accepted

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)  # a Monday
DESK_STEPS = {step for _key, _label, steps in SECTIONS for step in steps}
SECTION_OF = {step: key for key, _label, steps in SECTIONS for step in steps}


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def items(proposal_city, make_proposal, proposal_flow) -> dict[str, Proposal]:
    """An item in each state a desk section waits on."""
    pc, flow = proposal_city, proposal_flow
    found = {state: flow.to(make_proposal(title=f"建议（{state}）"), state) for state in ("imported", "handling")}
    found["replied"] = flow.to(make_proposal(title="建议（已答复）"), "replied")
    found["rehandling"] = flow.to(make_proposal(title="建议（二次办理）"), "rehandling")
    found["closed"] = flow.to(make_proposal(title="建议（办结）"), "closed")
    rated = flow.to(make_proposal(title="建议（已征询）"), "replied")
    flow.rate(rated)
    found["rated"] = rated
    adjusting = flow.assign(make_proposal(title="建议（申请调整）"), assist_units=[])
    services.proposal_adjust_request(actor=pc.bureau_clerk.user, proposal=adjusting, reason="不属于本局职责")
    found["adjusting"] = adjusting
    drafted = flow.assign(make_proposal(title="建议（答复件拟稿中）"))
    flow.contact(drafted)
    flow.reply(drafted)
    found["drafted"] = drafted
    signed = flow.assign(make_proposal(title="建议（答复件已登记）"), mode="split")
    flow.contact(signed)
    flow.sign(flow.reply(signed).document)
    found["signed"] = signed
    return {key: Proposal.objects.get(pk=p.pk) for key, p in found.items()}


def _people(pc):
    return [
        pc.office,
        pc.bureau_head,
        pc.bureau_clerk,
        pc.finance_head,
        pc.finance_clerk,
        pc.bystander,
        pc.outsider,
        pc.leader,
    ]


def _attempt_for(flow):
    def attempt(step: str, user, proposal: Proposal) -> None:
        if step == "assign":
            services.proposal_assign(actor=user, proposal=proposal, mode="lead", lead_unit=flow.pc.bureau)
        elif step == "adjust_decide":
            share = proposal.assignments.get(state=AssignmentState.ADJUSTING)
            services.proposal_adjust_decide(actor=user, proposal=proposal, share=share, agree=False, note="不同意")
        elif step == "rate":
            share = (to_rate(proposal) or list(proposal.assignments.exclude(role="assist")))[0]
            services.proposal_rate(actor=user, proposal=proposal, share=share, satisfaction="basic", on=TODAY)
        elif step == "close":
            services.proposal_close(actor=user, proposal=proposal)
        elif step == "assist_opinion":
            services.proposal_assist_opinion(actor=user, proposal=proposal, text="同意主办单位意见。")
        elif step == "contact":
            services.proposal_contact(
                actor=user, proposal=proposal, method="phone", on=TODAY, people="赵科员", view="同意"
            )
        elif step == "reply":
            services.proposal_reply(
                actor=user, proposal=proposal, result_code="A", text="已解决。", series=flow.series(flow.pc.bureau)
            )
        elif step == "send":
            services.proposal_send(actor=user, proposal=proposal, on=TODAY)
        else:
            raise AssertionError(step)

    return attempt


def _desk(user) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for item in ProposalProvider().waiting(user):
        found.setdefault(item.section, set()).add(item.record.pk)
    return found


def test_every_item_on_the_desk_offers_its_steps_and_the_service_takes_them(proposal_city, proposal_flow, items):
    """GIVEN items in every state WHEN each person's desk lists his 建议提案 work THEN each item offers
    one of its section's steps, of those steps the service takes exactly the offered ones, and the item
    is one he may see; every section has work."""
    attempt = _attempt_for(proposal_flow)
    seen = set()
    for person in _people(proposal_city):
        user = person.user
        for item in providers.provider("proposals").waiting(user):
            proposal = Proposal.objects.get(pk=item.record.pk)
            offered = PROPOSAL.offered(user, proposal)
            assert set(item.steps) & set(offered), f"{person.name}: {item.section} {item.title} ({offered})"
            for step in item.steps:
                took = accepted(attempt, step, user, Proposal.objects.get(pk=proposal.pk))
                assert took == (step in offered), f"{person.name}: {item.section} {item.title} {step}"
            assert Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
            seen.add(item.section)
    assert seen == {key for key, _label, _steps in SECTIONS}


def test_every_item_offering_a_desk_step_is_on_the_desk(proposal_city, items):
    """GIVEN items in every state WHEN anyone is offered a desk step on an item he sees THEN the item
    is in that step's section of his desk (a 沟通联系 once the 答复件 is drafted is possible, not owed)."""
    for person in _people(proposal_city):
        user = person.user
        desk = _desk(user)
        for proposal in Proposal.objects.visible_to(user):
            offered = set(PROPOSAL.offered(user, Proposal.objects.get(pk=proposal.pk))) & DESK_STEPS
            if proposal.pk in (items["drafted"].pk, items["signed"].pk):
                offered.discard("contact")
            for step in offered:
                assert proposal.pk in desk.get(SECTION_OF[step], set()), f"{person.name}: {proposal.title} {step}"


def test_each_person_finds_the_work_that_is_his(proposal_city, items):
    """GIVEN the items WHEN the office, the 主办's 联络员 and the 会办's clerk open the desk THEN each
    finds his own steps: 交办, 审定调整, 征询, 办结; 沟通/答复件 and 送达; 会办意见."""
    pc = proposal_city
    office = _desk(pc.office.user)
    assert office["assign"] == {items["imported"].pk}
    assert office["adjust"] == {items["adjusting"].pk}
    assert office["rate"] == {items["replied"].pk}
    assert office["close"] == {items["rated"].pk}
    clerk = _desk(pc.bureau_clerk.user)
    assert clerk["reply"] == {items["handling"].pk, items["rehandling"].pk}
    assert clerk["send"] == {items["signed"].pk}
    finance = _desk(pc.finance_clerk.user)
    # the 会办 shares not given yet (the 二次办理 item's 会办 never gave one either)
    assert finance["opinion"] == {items["handling"].pk, items["drafted"].pk, items["rehandling"].pk}
    assert items["signed"].pk in finance["reply"]  # 分办: 财政局 answers for itself


def test_the_desk_is_a_fixed_number_of_queries_whatever_the_items(proposal_city, make_proposal, proposal_flow, items):
    """GIVEN the office's and the clerk's desks WHEN three more items are imported and assigned THEN
    three more wait for each and the desks take the same number of queries."""
    provider = ProposalProvider()
    users = (proposal_city.office.user, proposal_city.bureau_clerk.user)

    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            provider.waiting(user)
        return len(queries)

    before = [(len(provider.waiting(u)), count(u)) for u in users]
    for n in range(3):
        make_proposal(title=f"新导入（{n}）")
        proposal_flow.assign(make_proposal(title=f"新交办（{n}）"))
    after = [(len(provider.waiting(u)), count(u)) for u in users]
    assert after[0] == (before[0][0] + 3, before[0][1])
    assert after[1] == (before[1][0] + 3, before[1][1])


def test_an_outsider_has_nothing_on_the_desk_and_counts_nothing(proposal_city, items):
    """GIVEN the items WHEN the province's clerk (outside every item) and the 办公室's bystander (who
    sees them, as one of the 交办部门, but owes no step) open the desk THEN no 建议提案 waits; the
    province's clerk counts nothing on the dashboard."""
    for person in (proposal_city.outsider, proposal_city.bystander):
        user = person.user
        assert all(not qs.exists() for qs in sections(user).values())
        assert ProposalProvider().waiting(user) == []
    scope = Scope(user=proposal_city.outsider.user, start=TODAY - timedelta(days=30), end=TODAY)
    assert totals(scope) == {"open": 0, "overdue": 0, "rated": 0, "satisfied": 0}
    assert [p.value for p in ProposalFigures().panels(scope) if isinstance(p, registry.Tile)] == [0, 0]


def _hand_counts(user, scope: Scope) -> dict[str, int]:
    mine = [p for p in Proposal.objects.all() if Proposal.objects.visible_to(user).filter(pk=p.pk).exists()]
    shares = [
        s
        for s in ProposalAssignment.objects.filter(proposal__in=[p.pk for p in mine])
        if s.answers and s.state != "withdrawn" and s.satisfaction and scope.start <= s.rated_on <= scope.end
    ]
    return {
        "open": sum(p.state in OPEN for p in mine),
        "overdue": sum(p.state in OPEN and p.due is not None and p.due < scope.today for p in mine),
        "rated": len(shares),
        "satisfied": sum(s.satisfaction in ("satisfied", "basic") for s in shares),
    }


def test_the_tiles_are_the_hand_counts_of_what_the_person_sees(proposal_city, items):
    """GIVEN the items, one of them past its clock WHEN the office and 财政局's clerk open the dashboard
    THEN the 在办, 超期 and 满意率 figures are what one counts by hand over the items each may see; the
    live-only read answers no panel (the figures come from the snapshot)."""
    Proposal.objects.filter(pk=items["handling"].pk).update(due=TODAY - timedelta(days=1))
    for person in (proposal_city.office, proposal_city.finance_clerk, proposal_city.leader):
        user = person.user
        scope = Scope(user=user, start=TODAY - timedelta(days=30), end=TODAY)
        expected = _hand_counts(user, scope)
        assert totals(scope) == expected
        panels = {p.key: p for p in ProposalFigures().panels(scope)}
        assert isinstance(panels["proposals-open"], registry.Tile)
        assert panels["proposals-open"].value == expected["open"]
        assert panels["proposals-overdue"].value == expected["overdue"]
        assert panels["proposals-satisfaction"].table[1:] == [
            ["分子", expected["satisfied"]],
            ["分母", expected["rated"]],
        ]
        live = Scope(user=user, start=scope.start, end=scope.end, live_only=True)
        assert ProposalFigures().panels(live) == []
    office = totals(Scope(user=proposal_city.office.user, start=TODAY - timedelta(days=30), end=TODAY))
    assert office["open"] == 5 and office["overdue"] == 1 and (office["satisfied"], office["rated"]) == (2, 2)
