"""The 收文 workflow's 拟办 and 批示 (STYLE.md §5, DOMAIN.md "收文"): the office proposes and names the
leader, who is asked to instruct (never by the classified title); the leader assigns a lead unit
and assisting units — each a 承办 row with its own deadline (the time limit, or 15 working days by
default; an urgent document must have one), and the units handling it can read it — or sends the
proposal back to be proposed again; with each step's refusals to the wrong person, in the wrong
state or without what it needs.

The receiving bureau, its people and the ``receive`` / ``advance`` fixtures come from
``conftest.py``; the dates, the 机密 title and the small reads (``transitions``, ``notes_of``,
``sees``, ``fresh``) from ``incoming_helpers.py``. Dates that matter are fixed with
``time_machine`` at 09:00 Beijing time in March 2026 (no holiday): Monday 2 March is the usual day
of 批示, Friday 6 March the usual time limit.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.incoming import services as incoming
from documents.models import Assignment, AssignmentRole
from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from office.workflow import TransitionNotAllowed
from tests.documents.incoming_helpers import FRIDAY, MONDAY, SECRET_TITLE, S, at, fresh, notes_of, sees, transitions
from tests.factories import make_person

# --- 拟办 -----------------------------------------------------------------------------------------------


def test_a_proposal_goes_to_the_chosen_leader(bureau, receive, advance):
    """GIVEN a document taken in as 办件 WHEN the 文秘 proposes how to handle it and names the 局长
    THEN it waits for his 批示 with the proposal kept, and he is asked to instruct."""
    document = advance(receive(), S.PROPOSAL)

    incoming.incoming_propose(
        actor=bureau.clerk.user, document=document, proposal="拟请预算处办理", leader=bureau.leader
    )

    document = fresh(document)
    assert (document.state, document.proposal, document.proposed_by, document.instructing_leader) == (
        S.INSTRUCTION,
        "拟请预算处办理",
        bureau.clerk,
        bureau.leader,
    )
    assert transitions(document)[-1] == ("拟办", S.PROPOSAL, S.INSTRUCTION, "in-clerk")
    assert notes_of(bureau.leader) == [f"请批示：{document.title}"]


def test_the_leader_is_asked_to_instruct_a_classified_document_without_its_title(bureau, receive, advance):
    """GIVEN a 机密 document taken in as 办件 WHEN it is proposed to the 局长 THEN his notification
    does not carry the title."""
    document = advance(receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"), S.PROPOSAL)

    incoming.incoming_propose(
        actor=bureau.clerk.user, document=document, proposal="拟请预算处办理", leader=bureau.leader
    )

    [verb] = notes_of(bureau.leader)
    assert verb.startswith("请批示") and SECRET_TITLE not in verb


@pytest.mark.parametrize(
    ("proposal", "leader", "field"),
    [("  ", "leader", "proposal"), ("拟请预算处办理", "budget_head", "leader")],
)
def test_a_proposal_without_text_or_leader_is_refused(bureau, receive, advance, proposal, leader, field):
    """GIVEN a document at 拟办 WHEN the 文秘 proposes with a blank proposal, or names someone who is
    not a leader THEN it is refused naming the field, and it stays at 拟办."""
    document = advance(receive(), S.PROPOSAL)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_propose(
            actor=bureau.clerk.user, document=document, proposal=proposal, leader=getattr(bureau, leader)
        )

    assert field in refused.value.message_dict
    assert fresh(document).state == S.PROPOSAL


def test_a_proposal_by_anyone_but_the_office_is_refused(bureau, receive, advance):
    """GIVEN a document at 拟办 WHEN the head of 预算处 proposes THEN it is refused."""
    document = advance(receive(), S.PROPOSAL)

    with pytest.raises(PermissionDenied):
        incoming.incoming_propose(
            actor=bureau.budget_head.user, document=document, proposal="拟办", leader=bureau.leader
        )

    assert fresh(document).state == S.PROPOSAL


@pytest.mark.parametrize("state", [S.REGISTERED, S.INSTRUCTION, S.CIRCULATING])
def test_a_proposal_outside_proposal_is_refused(bureau, receive, advance, state):
    """GIVEN a document not at 拟办 WHEN the 文秘 proposes THEN the move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_propose(actor=bureau.clerk.user, document=document, proposal="拟办", leader=bureau.leader)

    assert fresh(document).state == state


# --- 批示 and 承办 --------------------------------------------------------------------------------------


def test_the_instruction_assigns_lead_and_assisting_units_each_with_a_deadline(bureau, receive, advance, time_machine):
    """GIVEN a document waiting for the 局长's 批示 on Monday 2 March 2026 WHEN he instructs 预算处 to
    lead and 国库处 to assist by Friday 6 March THEN it is 承办中 with his instruction and the time
    limit, one 承办 row per unit with that due date, and one open 公文承办 deadline per unit due that
    Friday, with him as the leader in charge."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.INSTRUCTION)
    assert reminders.deadlines_of(document) == []

    incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=document,
        instruction="请预算处牵头，国库处配合，按期办结。",
        lead_unit=bureau.budget,
        assisting_units=[bureau.treasury],
        time_limit=FRIDAY,
        supervise=True,
    )

    document = fresh(document)
    assert (document.state, document.instruction, document.instructed_at, document.time_limit) == (
        S.HANDLING,
        "请预算处牵头，国库处配合，按期办结。",
        at(MONDAY),
        FRIDAY,
    )
    assert document.supervise is True
    assert sorted(Assignment.objects.filter(document=document).values_list("unit__name", "role", "due")) == [
        ("国库处", AssignmentRole.ASSIST, FRIDAY),
        ("预算处", AssignmentRole.LEAD, FRIDAY),
    ]
    deadlines = sorted(reminders.deadlines_of(document), key=lambda d: d.responsible_unit.name)
    assert [(d.responsible_unit, d.kind_id, d.due_date, d.state, d.leader) for d in deadlines] == [
        (bureau.treasury, "document", FRIDAY, DeadlineState.OPEN, bureau.leader),
        (bureau.budget, "document", FRIDAY, DeadlineState.OPEN, bureau.leader),
    ]
    assert transitions(document)[-1] == ("批示", S.INSTRUCTION, S.HANDLING, "in-leader")


def test_without_a_time_limit_each_unit_gets_the_default_fifteen_working_days(bureau, receive, advance, time_machine):
    """GIVEN an ordinary (not urgent) document at 批示 on Monday 2 March 2026 WHEN the 局长 names only
    the lead unit and no time limit THEN its one deadline runs 15 working days, to Monday 23 March."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.INSTRUCTION)

    incoming.incoming_instruct(
        actor=bureau.leader.user, document=document, instruction="请预算处办理。", lead_unit=bureau.budget
    )

    [deadline] = reminders.deadlines_of(document)
    assert (deadline.responsible_unit, deadline.amount, deadline.unit, deadline.due_date) == (
        bureau.budget,
        15,
        "working_days",
        date(2026, 3, 23),
    )
    assert fresh(document).time_limit is None


def test_the_units_handling_a_document_can_read_it(bureau, receive, advance):
    """GIVEN a 机密 document received by the bureau's 办公室 (not the whole bureau), at 批示 WHEN the
    局长 assigns it to 预算处 and 国库处 THEN a member of 预算处 and the head of 国库处 see it, which
    they did not before; a reader in 政策研究室 still does not."""
    document = advance(
        receive(receiving_unit=bureau.office, title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"),
        S.INSTRUCTION,
    )
    assert not sees(bureau.budget_staff, document) and not sees(bureau.treasury_head, document)

    advance(document, S.HANDLING)

    assert sees(bureau.budget_staff, document) and sees(bureau.treasury_head, document)
    assert not sees(bureau.reader, document)


def test_an_urgent_document_must_have_a_time_limit(bureau, receive, advance):
    """GIVEN an urgent (加急) document at 批示 WHEN the 局长 instructs without a time limit THEN it is
    refused naming the time limit; with one it is assigned."""
    document = advance(receive(urgency="urgent"), S.INSTRUCTION)
    arguments = {"actor": bureau.leader.user, "instruction": "加急办理", "lead_unit": bureau.budget}

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_instruct(document=document, **arguments)

    assert "time_limit" in refused.value.message_dict
    assert (fresh(document).state, Assignment.objects.count()) == (S.INSTRUCTION, 0)

    limit = timezone.localdate() + timedelta(days=3)
    incoming.incoming_instruct(document=document, time_limit=limit, **arguments)

    assert (fresh(document).state, fresh(document).time_limit) == (S.HANDLING, limit)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"instruction": "  "}, "instruction"),
        ({"lead_unit": None}, "lead_unit"),
        ({"assisting_units": ["budget"]}, "assisting_units"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": -1}, "time_limit"),
    ],
    ids=["no-instruction", "no-lead-unit", "lead-also-assisting", "limit-today", "limit-past"],
)
def test_an_incomplete_instruction_is_refused(bureau, receive, advance, overrides, field):
    """GIVEN a document at 批示 WHEN the 局长 instructs without text, without a lead unit, with the
    lead unit also assisting, or with a time limit not after today THEN it is refused naming the
    field; it stays at 批示 with no 承办 rows and no deadlines."""
    document = advance(receive(), S.INSTRUCTION)
    arguments = {
        "instruction": "请办理",
        "lead_unit": bureau.budget,
        "assisting_units": [],
        "time_limit": timezone.localdate() + timedelta(days=5),
    }
    for name, value in overrides.items():
        if name == "assisting_units":
            value = [getattr(bureau, unit) for unit in value]
        elif name == "time_limit":
            value = timezone.localdate() + timedelta(days=value)
        arguments[name] = value

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_instruct(actor=bureau.leader.user, document=document, **arguments)

    assert field in refused.value.message_dict
    assert fresh(document).state == S.INSTRUCTION
    assert not Assignment.objects.filter(document=document).exists()
    assert reminders.deadlines_of(document) == []


def test_an_instruction_by_anyone_but_the_chosen_leader_is_refused(office, bureau, receive, advance):
    """GIVEN a document proposed to the 局长 WHEN the 文秘, the head of 预算处 or another leader (of the
    bureau) instructs THEN it is refused."""
    deputy = make_person(
        username="in-deputy", name="施副局长", unit=bureau.organ, roles=(Role.LEADER,), clearance=Level.SECRET
    )
    document = advance(receive(), S.INSTRUCTION)

    for actor in (bureau.clerk, bureau.budget_head, deputy):
        with pytest.raises(PermissionDenied):
            incoming.incoming_instruct(
                actor=actor.user,
                document=document,
                instruction="同意",
                lead_unit=bureau.budget,
                time_limit=timezone.localdate() + timedelta(days=5),
            )

    assert fresh(document).state == S.INSTRUCTION


def test_the_leader_sends_a_proposal_back_and_the_office_proposes_again(bureau, receive, advance):
    """GIVEN a document at 批示 WHEN the 局长 sends it back with his opinion THEN it is at 拟办 again
    with no 承办 rows; the 文秘 proposes anew and it is back at 批示."""
    document = advance(receive(), S.INSTRUCTION)

    incoming.incoming_instruct(
        actor=bureau.leader.user, document=document, instruction="请征求国库处意见后重拟。", send_back=True
    )

    document = fresh(document)
    assert (document.state, document.instruction) == (S.PROPOSAL, "请征求国库处意见后重拟。")
    assert not Assignment.objects.filter(document=document).exists()
    assert transitions(document)[-1] == ("批示退回重拟", S.INSTRUCTION, S.PROPOSAL, "in-leader")

    incoming.incoming_propose(
        actor=bureau.clerk.user, document=document, proposal="拟请预算处牵头、国库处协办", leader=bureau.leader
    )

    assert fresh(document).state == S.INSTRUCTION


def test_sending_back_without_an_opinion_is_refused(bureau, receive, advance):
    """GIVEN a document at 批示 WHEN the 局长 sends it back with a blank opinion THEN it is refused."""
    document = advance(receive(), S.INSTRUCTION)

    with pytest.raises(ValidationError):
        incoming.incoming_instruct(actor=bureau.leader.user, document=document, instruction=" ", send_back=True)

    assert fresh(document).state == S.INSTRUCTION


def test_instructing_outside_instruction_is_refused(bureau, receive, advance):
    """GIVEN a document the 局长 sent back (at 拟办) and one he already assigned (承办中) WHEN he
    instructs either THEN the move is refused and nothing more is assigned."""
    sent_back = advance(receive(), S.INSTRUCTION)
    incoming.incoming_instruct(actor=bureau.leader.user, document=sent_back, instruction="重拟", send_back=True)
    handling = advance(receive(), S.HANDLING)

    for document in (sent_back, handling):
        with pytest.raises(TransitionNotAllowed):
            incoming.incoming_instruct(
                actor=bureau.leader.user,
                document=document,
                instruction="同意",
                lead_unit=bureau.budget,
                time_limit=timezone.localdate() + timedelta(days=5),
            )

    assert (fresh(sent_back).state, fresh(handling).state) == (S.PROPOSAL, S.HANDLING)
    assert Assignment.objects.filter(document=sent_back).count() == 0
    assert Assignment.objects.filter(document=handling).count() == 2
