"""``manage.py seed_demo`` loads 建议提案 of the 人大 and 政协 sessions in every state, walked there
through the services on days relative to today — so one is past its three months on whatever day
the demo is loaded — once however often it runs; the B answer's promise is under 督办."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState
from petitions.proposals.models import (
    AssignmentState,
    Body,
    Mode,
    Proposal,
    ProposalAssignment,
    ProposalContact,
    ProposalEvent,
    ProposalSession,
    ProposalState,
    ShareRole,
    UnitLiaison,
)
from petitions.rules import SIGNED_STATES
from supervision.models import Source, SupervisionItem

pytestmark = pytest.mark.django_db

DEMO = override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        "sessions": ProposalSession.objects.count(),
        "proposals": Proposal.objects.count(),
        "shares": ProposalAssignment.objects.count(),
        "contacts": ProposalContact.objects.count(),
        "events": ProposalEvent.objects.count(),
        "liaisons": UnitLiaison.objects.count(),
        "items": SupervisionItem.objects.filter(source=Source.PROPOSAL).count(),
        "deadlines": Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Proposal)).count(),
    }


@DEMO
def test_demo_has_both_sessions_and_every_state_and_a_second_run_adds_nothing():
    _seed()
    first = _counts()
    _seed()

    assert _counts() == first
    sessions = {s.body: s for s in ProposalSession.objects.all()}
    assert sessions[Body.NPC].name == "市十七届人大五次会议"
    assert sessions[Body.NPC].recipient_office == "市人大常委会选联工委"
    assert sessions[Body.CPPCC].recipient_office == "市政协提案委"
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == set(ProposalState.values)
    assert Proposal.objects.filter(state=ProposalState.IMPORTED).count() == 2
    shares = ProposalAssignment.objects.exclude(state=AssignmentState.WITHDRAWN)
    assert shares.filter(role=ShareRole.ASSIST, state=AssignmentState.OPINION_GIVEN).exists()
    assert shares.filter(state=AssignmentState.ADJUSTING).exclude(adjust_reason="").exists()
    split = Proposal.objects.get(mode=Mode.SPLIT)
    assert set(split.assignments.values_list("unit__code", flat=True)) == {"LJ-FGJ", "LJ-SWJ"}
    # Every bureau has its 联络员, copied onto its shares.
    assert set(UnitLiaison.objects.values_list("unit__code", flat=True)) >= {"LJ-FGJ", "LJ-SWJ", "LJ-CZJ", "LJ-ZJJ"}
    assert not shares.filter(liaison__isnull=True).exists()


@DEMO
def test_demo_answers_are_signed_the_b_promise_is_supervised_and_one_item_is_overdue():
    _seed()
    today = timezone.localdate()

    key = Proposal.objects.get(key=True)
    assert key.state == ProposalState.CLOSED and key.leading_leader.user.username == "vice_mayor"
    answered = ProposalAssignment.objects.exclude(result_code="").filter(document__isnull=False)
    assert answered.exists() and all(s.document.state in SIGNED_STATES for s in answered)
    assert ProposalContact.objects.filter(assignment__in=answered).count() >= answered.count()

    promise = ProposalAssignment.objects.get(result_code="B")
    assert promise.proposal.state == ProposalState.REPLIED and promise.promised_on > today
    item = promise.follow_up
    assert item.source == Source.PROPOSAL and item.source_id == promise.proposal_id
    assert SupervisionItem.objects.filter(source=Source.PROPOSAL, source_id=promise.proposal_id).count() == 1

    again = Proposal.objects.get(state=ProposalState.REHANDLING)
    share = again.assignments.get(state=AssignmentState.REHANDLING)
    assert share.rehandle_count == 1 and share.document_id is None
    assert any(d.kind_id == "proposal-rehandle" for d in reminders.deadlines_of(again))

    overdue = [
        p
        for p in Proposal.objects.filter(state=ProposalState.HANDLING)
        if any(d.state == DeadlineState.OPEN and d.due_date < today for d in reminders.deadlines_of(p))
    ]
    assert overdue and all(p.due < today for p in overdue)
