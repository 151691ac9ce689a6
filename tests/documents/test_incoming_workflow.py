"""The 收文 workflow (STYLE.md §5, DOMAIN.md "收文"): every step ``incoming.ALLOWED`` permits and the
ones it refuses, who may take each, what each leaves behind (the 流转记录, the 收文编号, the 承办
rows and their deadlines, the units' and readers' visibility, the notifications), the internal
exchange from 核发, duplicate detection, 传阅 per reader with recall and the archive guard, and the
reminders and escalation the beat scan sends for reading and handling deadlines.

The receiving bureau, its people and the ``receive`` / ``advance`` helpers come from ``conftest.py``.
Dates that matter are fixed with ``time_machine`` at 09:00 Beijing time in March 2026 (no holiday):
Monday 2 March is the usual day of 批示 or 传阅.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents import incoming
from documents.incoming_selectors import incoming_list_visible
from documents.models import (
    Assignment,
    AssignmentRole,
    Channel,
    DocumentState,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
    ReaderState,
)
from office.confidentiality.levels import Level
from office.org.models import Person, Role
from office.reminders import services as reminders
from office.reminders.models import Audience, DeadlineState, Notification, Reminder
from office.workflow import TransitionNotAllowed
from tests.factories import OrganFactory, UnitFactory, make_person

S = IncomingState
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)
SECRET_TITLE = "关于某专项资金绩效评价问题线索的通报"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A moment of an office day in Beijing time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def transitions(document: IncomingDocument) -> list[tuple[str, str, str, str]]:
    return list(
        IncomingTransition.objects.filter(document=document)
        .order_by("id")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def notes_of(person: Person) -> list[str]:
    """The notifications a person has, oldest first."""
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def sees(person: Person, document: IncomingDocument) -> bool:
    return IncomingDocument.objects.visible_to(person.user).filter(pk=document.pk).exists()


def fresh(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.get(pk=document.pk)


@pytest.fixture
def issued(office, make_document, walk, bureau):
    """The office's notice walked to 核发: the IncomingDocument it delivered to the bureau."""
    outgoing = walk(make_document(), DocumentState.ISSUED)
    return IncomingDocument.objects.get(source_outgoing=outgoing, receiving_unit=bureau.organ)


@pytest.fixture
def other_clerk(db):
    """A 文秘 of another organ (测试市水务局): the right role in the wrong place."""
    water = OrganFactory(name="测试市水务局")
    return make_person(
        username="in-water-clerk",
        name="吕文秘",
        unit=UnitFactory(parent=water, name="水务局办公室"),
        roles=(Role.SECRETARY, Role.OFFICE_CHIEF),
        clearance=Level.TOP_SECRET,
    )


# --- 签收 ----------------------------------------------------------------------------------------------


def test_a_paper_document_is_signed_for_with_the_time(bureau, receive, time_machine):
    """GIVEN a paper notice from the province on the bureau's desk WHEN the 文秘 signs for it at 10:30
    THEN it is signed for by her at that moment, in the bureau's queue as 已签收, and the 签收 is the
    first entry of its 流转记录."""
    time_machine.move_to(at(MONDAY, 10, 30), tick=False)
    assert not IncomingDocument.objects.exists()

    document = receive(title="关于做好年度预算执行工作的通知", sender_number="测财发〔2026〕3号", copies_received=2)

    document = fresh(document)
    assert (document.state, document.channel, document.receiving_unit) == (S.SIGNED, Channel.PAPER, bureau.organ)
    assert (document.signed_for_by, document.signed_for_at) == (bureau.clerk, at(MONDAY, 10, 30))
    assert (document.sender_organ, document.sender_number, document.copies_received) == (
        "测试省财政厅",
        "测财发〔2026〕3号",
        2,
    )
    assert document.registration_text == ""
    assert transitions(document) == [("签收", S.SIGNED, S.SIGNED, "in-clerk")]


@pytest.mark.parametrize("who", ["reader", "leader", "other_clerk"])
def test_receiving_is_refused_to_anyone_but_the_units_office(bureau, receive, other_clerk, who):
    """GIVEN a person without the 文秘/办公室主任 role in the bureau, or another organ's 文秘 WHEN they
    sign for a document for the bureau THEN it is refused and nothing is received."""
    actor = {"reader": bureau.reader, "leader": bureau.leader, "other_clerk": other_clerk}[who]

    with pytest.raises(PermissionDenied):
        receive(actor=actor.user)

    assert not IncomingDocument.objects.exists()


def test_receiving_above_ones_clearance_is_refused(bureau, receive):
    """GIVEN the 文秘 cleared for 机密 WHEN she signs for a 绝密 document THEN it is refused; a 机密 one
    she signs for."""
    with pytest.raises(PermissionDenied):
        receive(level=Level.TOP_SECRET, basis="来文标注")

    document = receive(level=Level.SECRET, basis="来文标注")

    assert list(IncomingDocument.objects.values_list("pk", "classification")) == [(document.pk, Level.SECRET)]


@pytest.mark.parametrize("field", ["title", "sender_organ"])
def test_receiving_without_title_or_sender_is_refused(bureau, receive, field):
    """GIVEN a document whose title or sender is left empty WHEN the 文秘 signs for it THEN it is
    refused naming the field, and nothing is received."""
    with pytest.raises(ValidationError) as refused:
        receive(**{field: "  "})

    assert field in refused.value.message_dict
    assert not IncomingDocument.objects.exists()


def test_an_internally_delivered_document_is_signed_for_by_the_office(bureau, issued, time_machine):
    """GIVEN a notice the office issued to the bureau, waiting in its queue WHEN the bureau's 文秘
    signs for it THEN it is 已签收 by her with the time, after the 系统内送达 in the 流转记录."""
    assert issued.state == S.PENDING and issued.signed_for_by is None
    time_machine.move_to(at(MONDAY, 8, 45), tick=False)

    incoming.incoming_sign_for(actor=bureau.clerk.user, document=issued)

    document = fresh(issued)
    assert (document.state, document.signed_for_by, document.signed_for_at) == (
        S.SIGNED,
        bureau.clerk,
        at(MONDAY, 8, 45),
    )
    assert transitions(document) == [
        ("系统内送达", S.PENDING, S.PENDING, "doc-clerk"),
        ("签收", S.PENDING, S.SIGNED, "in-clerk"),
    ]


@pytest.mark.parametrize("who", ["budget_head", "leader", "reader"])
def test_signing_for_is_refused_to_anyone_but_the_receiving_office(bureau, issued, who):
    """GIVEN a delivered document WHEN a unit head, the 局长 or a reader signs for it THEN it is
    refused and it stays 待签收."""
    actor = getattr(bureau, who)

    with pytest.raises(PermissionDenied):
        incoming.incoming_sign_for(actor=actor.user, document=issued)

    assert fresh(issued).state == S.PENDING


def test_signing_for_twice_is_refused(bureau, issued):
    """GIVEN a delivered document already signed for WHEN the 办公室主任 signs for it again THEN the
    move is refused and the first 签收 stands."""
    incoming.incoming_sign_for(actor=bureau.clerk.user, document=issued)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_sign_for(actor=bureau.chief.user, document=issued)

    assert fresh(issued).signed_for_by == bureau.clerk


# --- 登记 and the 收文编号 -----------------------------------------------------------------------------


def test_registering_gives_the_receipt_number(bureau, receive, time_machine):
    """GIVEN a signed-for document WHEN the 文秘 registers it in 2026 THEN it is 已登记 as 收〔2026〕1号,
    registered by her, and the number is in its 流转记录."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = receive()

    incoming.incoming_register(actor=bureau.clerk.user, document=document)

    document = fresh(document)
    assert (document.state, document.registration_text, document.registered_by) == (
        S.REGISTERED,
        "收〔2026〕1号",
        bureau.clerk,
    )
    assert IncomingTransition.objects.filter(document=document, action="登记").get().comment == "收〔2026〕1号"


@pytest.mark.parametrize("who", ["budget_head", "leader"])
def test_registering_is_refused_to_anyone_but_the_office(bureau, receive, who):
    """GIVEN a signed-for document WHEN a unit head or the 局长 registers it THEN it is refused and
    it has no number."""
    document = receive()

    with pytest.raises(PermissionDenied):
        incoming.incoming_register(actor=getattr(bureau, who).user, document=document)

    assert (fresh(document).state, fresh(document).registration_sequence) == (S.SIGNED, None)


def test_registering_before_signing_for_or_twice_is_refused(bureau, issued, receive, advance):
    """GIVEN a delivered document not yet signed for, and one already registered WHEN the 文秘
    registers either THEN the move is refused and neither gets a (new) number."""
    registered = advance(receive(), S.REGISTERED)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_register(actor=bureau.clerk.user, document=issued)
    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_register(actor=bureau.clerk.user, document=registered)

    assert fresh(issued).registration_sequence is None
    assert fresh(registered).registration_sequence == 1


def test_receipt_numbers_are_gapless_per_receiving_unit_and_year(office, bureau, receive, advance, time_machine):
    """GIVEN documents received by the bureau late in 2026 (one refused registration among them),
    and one by the city government WHEN each is registered, then more in January 2027 THEN the
    bureau numbers 1, 2, 3 in 2026 without a gap, the government has its own 1, and 2027 starts
    again at 1."""
    time_machine.move_to(at(date(2026, 12, 30)), tick=True)
    first = advance(receive(), S.REGISTERED)
    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_register(actor=bureau.clerk.user, document=first)  # takes no number
    second = advance(receive(), S.REGISTERED)
    elsewhere = receive(actor=office.clerk.user, receiving_unit=office.organ)
    elsewhere = incoming.incoming_register(actor=office.clerk.user, document=elsewhere)
    third = advance(receive(), S.REGISTERED)
    time_machine.move_to(at(date(2027, 1, 4)), tick=True)
    next_year = advance(receive(), S.REGISTERED)

    numbers = [fresh(d).registration_text for d in (first, second, third, next_year)]
    assert numbers == ["收〔2026〕1号", "收〔2026〕2号", "收〔2026〕3号", "收〔2027〕1号"]
    assert fresh(elsewhere).registration_text == "收〔2026〕1号"


# --- 初审 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("handling", "state"), [("action", S.PROPOSAL), ("reading", S.CIRCULATING)])
def test_screening_takes_a_document_in_as_action_or_reading(bureau, receive, advance, handling, state):
    """GIVEN a registered document WHEN the 文秘 takes it in as 办件 or 阅件 THEN it goes to 拟办 or to
    传阅, with the kind of handling kept and the 初审 recorded."""
    document = advance(receive(), S.REGISTERED)

    incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=True, handling=handling)

    document = fresh(document)
    assert (document.state, document.handling) == (state, handling)
    assert transitions(document)[-1] == ("初审通过", S.REGISTERED, state, "in-clerk")


def test_urgent_and_important_documents_get_a_named_chaser(bureau, receive, advance):
    """GIVEN an urgent document, an important one and an ordinary one WHEN each is taken in (the
    important one naming the 办公室主任 as chaser) THEN the urgent one's chaser is the 文秘 who
    screened it, the important one's the 办公室主任, and the ordinary one has none."""
    urgent = advance(receive(urgency="urgent"), S.REGISTERED)
    important = advance(receive(), S.REGISTERED)
    ordinary = advance(receive(), S.REGISTERED)
    clerk = bureau.clerk.user

    incoming.incoming_screen(actor=clerk, document=urgent, accept=True)
    incoming.incoming_screen(actor=clerk, document=important, accept=True, important=True, chaser=bureau.chief)
    incoming.incoming_screen(actor=clerk, document=ordinary, accept=True)

    assert [fresh(d).chaser for d in (urgent, important, ordinary)] == [bureau.clerk, bureau.chief, None]
    assert fresh(important).important is True


def test_a_return_without_a_reason_is_refused(bureau, receive, advance):
    """GIVEN a registered document WHEN the 文秘 returns it with a blank reason THEN it is refused and
    the document stays registered."""
    document = advance(receive(), S.REGISTERED)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=False, reason="  ")

    assert "reason" in refused.value.message_dict
    assert fresh(document).state == S.REGISTERED


def test_a_paper_document_is_returned_with_its_reason(bureau, receive, advance):
    """GIVEN a registered paper document WHEN the 文秘 returns it with a reason THEN it is 已退回 with
    the reason kept and recorded; nobody inside the system is notified (the sender is outside)."""
    document = advance(receive(), S.REGISTERED)

    incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=False, reason="不属于本机关职责范围")

    document = fresh(document)
    assert (document.state, document.return_reason) == (S.RETURNED, "不属于本机关职责范围")
    assert transitions(document)[-1] == ("初审退回", S.REGISTERED, S.RETURNED, "in-clerk")
    assert not Notification.objects.exists()


def test_returning_an_internal_document_tells_its_drafter_why(office, bureau, issued, advance):
    """GIVEN a notice the office issued to the bureau, signed for and registered there WHEN the
    bureau's 文秘 returns it with a reason THEN the drafter of the outgoing document (and the head of
    the sending unit) get a notification carrying the reason, linked to the outgoing document."""
    document = advance(issued, S.REGISTERED)
    assert notes_of(office.drafter) == []

    incoming.incoming_screen(
        actor=bureau.clerk.user, document=document, accept=False, reason="请按规定附上附件后重新报送"
    )

    assert fresh(document).state == S.RETURNED
    [note] = Notification.objects.filter(recipient=office.drafter.user)
    assert "请按规定附上附件后重新报送" in note.verb and "退回" in note.verb
    assert note.link == f"/documents/outgoing/{document.source_outgoing_id}/"
    assert any("请按规定附上附件后重新报送" in verb for verb in notes_of(office.director))


def test_a_return_with_the_longest_reason_still_reaches_the_drafter(office, bureau, issued, advance):
    """GIVEN an internal document registered in the bureau WHEN it is returned with a reason as long
    as the field allows (300 characters) THEN it is returned and the drafter is notified (the
    notification text is cut to fit, not refused by the database)."""
    document = advance(issued, S.REGISTERED)
    reason = "格式不符合要求" * 42 + "请重报"

    incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=False, reason=reason)

    assert (fresh(document).state, fresh(document).return_reason) == (S.RETURNED, reason)
    assert len(notes_of(office.drafter)) == 1


def test_returning_a_classified_internal_document_does_not_spread_its_title(
    office, bureau, make_document, walk, advance, settings
):
    """GIVEN a 机密 notice the office issued to the bureau WHEN the bureau returns it THEN the drafter
    is told (with the reason) in a notification that does not carry the classified title."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.SECRET
    office.drafter.save()
    outgoing = walk(
        make_document(
            title=SECRET_TITLE,
            level=Level.SECRET,
            basis="范围",
            copies=1,
            disclosure="not_public",
            disclosure_reason="涉密",
        ),
        DocumentState.ISSUED,
    )
    document = advance(IncomingDocument.objects.get(source_outgoing=outgoing), S.REGISTERED)

    incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=False, reason="密级标注有误")

    [note] = Notification.objects.filter(recipient=office.drafter.user)
    assert "密级标注有误" in note.verb
    assert SECRET_TITLE not in note.verb and SECRET_TITLE not in note.subject_repr


@pytest.mark.parametrize("state", [S.PENDING, S.SIGNED, S.PROPOSAL, S.RETURNED])
def test_screening_outside_registered_is_refused(bureau, issued, advance, state):
    """GIVEN a document not (or no longer) in 已登记 WHEN the 文秘 screens it THEN the move is refused."""
    document = advance(issued, state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_screen(actor=bureau.clerk.user, document=document, accept=True)

    assert fresh(document).state == state


@pytest.mark.parametrize("who", ["budget_head", "leader"])
def test_screening_is_refused_to_anyone_but_the_office(bureau, receive, advance, who):
    """GIVEN a registered document WHEN a unit head or the 局长 screens it THEN it is refused."""
    document = advance(receive(), S.REGISTERED)

    with pytest.raises(PermissionDenied):
        incoming.incoming_screen(actor=getattr(bureau, who).user, document=document, accept=True)

    assert fresh(document).state == S.REGISTERED


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


# --- 协办意见 and 办结 -----------------------------------------------------------------------------------


def test_the_assisting_unit_reports_and_its_deadline_is_met(bureau, receive, advance):
    """GIVEN a document 承办中 (预算处 leading, 国库处 assisting) WHEN the head of 国库处 sends its input
    THEN its 承办 row is done with the note, its own deadline is met, the lead unit's is still open,
    and the input is recorded."""
    document = advance(receive(), S.HANDLING)

    incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="无意见")

    assist = Assignment.objects.get(document=document, unit=bureau.treasury)
    assert assist.done_at is not None and assist.note == "无意见"
    states = {d.responsible_unit_id: d.state for d in reminders.deadlines_of(document)}
    assert states == {bureau.treasury.pk: DeadlineState.MET, bureau.budget.pk: DeadlineState.OPEN}
    assert transitions(document)[-1] == ("协办意见", S.HANDLING, S.HANDLING, "in-treasury-head")
    assert fresh(document).state == S.HANDLING


def test_the_assisting_units_input_is_refused_from_the_wrong_unit_or_person(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN 国库处's head sends input for the lead unit (not an assisting one),
    or the head of 预算处 (who heads no assisting unit) for 国库处 THEN the first is refused as not
    an assisting unit, the second as the wrong person; 国库处's row stays open."""
    document = advance(receive(), S.HANDLING)

    with pytest.raises(ValidationError):
        incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.budget, note="意见")
    with pytest.raises(PermissionDenied):
        incoming.incoming_unit_done(actor=bureau.budget_head.user, document=document, unit=bureau.treasury, note="意见")

    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None


def test_the_assisting_units_input_needs_a_note_and_is_given_once(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of 国库处 sends a blank input THEN it is refused; a real
    one is taken, and sending again is refused as a move already made."""
    document = advance(receive(), S.HANDLING)
    actor = bureau.treasury_head.user

    with pytest.raises(ValidationError):
        incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="  ")
    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None

    incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="同意")
    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_unit_done(actor=actor, document=document, unit=bureau.treasury, note="补充意见")

    assert Assignment.objects.get(document=document, unit=bureau.treasury).note == "同意"


def test_the_assisting_units_input_after_the_document_is_done_is_refused(bureau, receive, advance):
    """GIVEN a document the lead unit has completed while 国库处 never sent its input WHEN 国库处's
    head sends it now THEN the move is refused (the document is no longer 承办中)."""
    document = advance(receive(), S.DONE)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_unit_done(
            actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="迟到的意见"
        )

    assert Assignment.objects.get(document=document, unit=bureau.treasury).done_at is None


def test_the_lead_unit_completes_the_document(bureau, receive, advance, time_machine):
    """GIVEN a document 承办中, due Friday 6 March WHEN the head of 预算处 records the result on
    Thursday THEN it is 已办结 on time with the result, the lead 承办 row is done, every handling
    deadline is met, and the 办结 is recorded."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(date(2026, 3, 5), 16), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已完成预算调整。")

    document = fresh(document)
    assert (document.state, document.result, document.done_at, document.done_on_time) == (
        S.DONE,
        "已完成预算调整。",
        at(date(2026, 3, 5), 16),
        True,
    )
    lead = Assignment.objects.get(document=document, role=AssignmentRole.LEAD)
    assert (lead.done_at, lead.note) == (at(date(2026, 3, 5), 16), "已完成预算调整。")
    assert {d.state for d in reminders.deadlines_of(document)} == {DeadlineState.MET}
    assert transitions(document)[-1] == ("办结", S.HANDLING, S.DONE, "in-budget-head")


@pytest.mark.parametrize(
    ("done_on", "on_time"),
    [(date(2026, 3, 5), True), (FRIDAY, True), (date(2026, 3, 9), False)],
    ids=["before", "on-the-day", "after"],
)
def test_done_on_time_is_against_the_time_limit(bureau, receive, advance, time_machine, done_on, on_time):
    """GIVEN a document instructed on Monday 2 March with Friday 6 March as its limit WHEN 预算处
    completes it on Thursday, on the Friday itself (at 17:30) or the following Monday THEN it is
    done on time, on time, and late — and the lead unit's deadline agrees."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(done_on, 17, 30), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理。")

    assert fresh(document).done_on_time is on_time
    [lead_deadline] = [d for d in reminders.deadlines_of(document) if d.responsible_unit == bureau.budget]
    assert (lead_deadline.state, lead_deadline.met_on_time) == (DeadlineState.MET, on_time)


def test_done_on_time_without_a_time_limit_follows_the_default_deadline(bureau, receive, advance, time_machine):
    """GIVEN an ordinary document instructed on Monday 2 March without a time limit (so the default
    15 working days, to Monday 23 March) WHEN 预算处 completes it on Tuesday 24 March THEN it is
    done late, as its deadline says."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.INSTRUCTION)
    incoming.incoming_instruct(actor=bureau.leader.user, document=document, instruction="办理", lead_unit=bureau.budget)
    time_machine.move_to(at(date(2026, 3, 24)), tick=False)

    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理。")

    [deadline] = reminders.deadlines_of(document)
    assert deadline.met_on_time is False
    assert fresh(document).done_on_time is False


def test_completing_is_refused_to_anyone_but_the_lead_unit(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of the assisting 国库处, the 文秘 or a reader completes it
    THEN it is refused and it stays 承办中."""
    document = advance(receive(), S.HANDLING)

    for actor in (bureau.treasury_head, bureau.clerk, bureau.reader):
        with pytest.raises(PermissionDenied):
            incoming.incoming_complete(actor=actor.user, document=document, result="已办理")

    assert fresh(document).state == S.HANDLING


def test_completing_without_a_result_is_refused(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the head of 预算处 completes it with a blank result THEN it is
    refused naming the result; its deadlines stay open."""
    document = advance(receive(), S.HANDLING)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result=" ")

    assert "result" in refused.value.message_dict
    assert fresh(document).state == S.HANDLING
    assert {d.state for d in reminders.deadlines_of(document)} == {DeadlineState.OPEN}


@pytest.mark.parametrize("state", [S.REGISTERED, S.PROPOSAL, S.INSTRUCTION, S.DONE, S.ARCHIVED])
def test_completing_outside_handling_or_circulation_is_refused(bureau, receive, advance, state):
    """GIVEN a document not 承办中 nor in 传阅 WHEN the 文秘 completes it THEN the move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_complete(actor=bureau.clerk.user, document=document, result="已办理")

    assert fresh(document).state == state


def test_a_reading_document_is_completed_by_the_office(bureau, receive, advance):
    """GIVEN a document taken in as 阅件 WHEN the 文秘 completes it THEN it is 已办结 (no time limit:
    on time); the head of 预算处 may not."""
    document = advance(receive(), S.CIRCULATING)

    with pytest.raises(PermissionDenied):
        incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已阅")
    incoming.incoming_complete(actor=bureau.clerk.user, document=document, result="已阅")

    assert (fresh(document).state, fresh(document).done_on_time) == (S.DONE, True)


def test_the_reply_to_an_internal_sender_reaches_its_drafter(office, bureau, issued, advance):
    """GIVEN a notice from the office handled by the bureau WHEN 预算处 completes it with a reply
    THEN the reply is kept and the drafter of the outgoing document is told."""
    document = advance(issued, S.HANDLING)

    incoming.incoming_complete(
        actor=bureau.budget_head.user, document=document, result="已落实", reply="已按通知要求完成年终总结。"
    )

    assert fresh(document).reply == "已按通知要求完成年终总结。"
    assert any("已按通知要求完成年终总结。" in verb for verb in notes_of(office.drafter))


# --- 归档 -----------------------------------------------------------------------------------------------


def test_a_done_document_is_archived_with_its_retention(bureau, receive, advance):
    """GIVEN a completed document WHEN the 文秘 archives it for 30 years THEN it is 已归档 with that
    retention and no override reason."""
    document = advance(receive(), S.DONE)

    incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="30年")

    document = fresh(document)
    assert (document.state, document.retention, document.archive_override) == (S.ARCHIVED, "30年", "")
    assert transitions(document)[-1] == ("归档", S.DONE, S.ARCHIVED, "in-clerk")


def test_archiving_with_an_unknown_retention_is_refused(bureau, receive, advance):
    """GIVEN a completed document WHEN it is archived for "5年" THEN it is refused naming the retention."""
    document = advance(receive(), S.DONE)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="5年")

    assert "retention" in refused.value.message_dict
    assert fresh(document).state == S.DONE


@pytest.mark.parametrize("state", [S.REGISTERED, S.HANDLING, S.CIRCULATING, S.RETURNED, S.ARCHIVED])
def test_archiving_before_done_is_refused(bureau, receive, advance, state):
    """GIVEN a document not 已办结 WHEN the 文秘 archives it THEN the move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")

    assert fresh(document).state == state


@pytest.mark.parametrize("who", ["budget_head", "leader"])
def test_archiving_is_refused_to_anyone_but_the_office(bureau, receive, advance, who):
    """GIVEN a completed document WHEN the head of 预算处 or the 局长 archives it THEN it is refused."""
    document = advance(receive(), S.DONE)

    with pytest.raises(PermissionDenied):
        incoming.incoming_archive(actor=getattr(bureau, who).user, document=document, retention="10年")

    assert fresh(document).state == S.DONE


def test_archiving_with_readers_pending_needs_a_reason_which_is_kept(bureau, receive, advance):
    """GIVEN a 阅件 completed while a reader has not read it WHEN the 文秘 archives it without a reason
    THEN it is refused naming the override; with one it is archived and the reason is kept."""
    document = advance(receive(), S.CIRCULATING)
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    document = advance(document, S.DONE)

    with pytest.raises(ValidationError) as refused:
        incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")
    assert "override_reason" in refused.value.message_dict
    assert fresh(document).state == S.DONE

    incoming.incoming_archive(
        actor=bureau.clerk.user, document=document, retention="10年", override_reason="阅读人长期外出，经主任同意归档"
    )

    document = fresh(document)
    assert (document.state, document.archive_override) == (S.ARCHIVED, "阅读人长期外出，经主任同意归档")


def test_archiving_after_every_reader_has_read_needs_no_reason(bureau, receive, advance):
    """GIVEN a 阅件 every reader has read WHEN the 文秘 archives it without a reason THEN it is archived."""
    document = advance(receive(), S.CIRCULATING)
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅"
    )
    reader = circulation.readers.get()
    incoming.circulation_open(actor=bureau.reader.user, reader=reader)
    incoming.circulation_read(actor=bureau.reader.user, reader=reader)
    document = advance(document, S.DONE)

    incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")

    assert (fresh(document).state, fresh(document).archive_override) == (S.ARCHIVED, "")


# --- 系统内交换 and duplicates ---------------------------------------------------------------------------


def test_an_issued_document_arrives_in_the_recipient_units_queue(office, bureau, make_document, walk):
    """GIVEN a notice from the office to the bureau, registered WHEN the office's 文秘 issues it THEN
    one incoming document is waiting in the bureau's queue (待签收), delivered through the system
    with the outgoing number as its 来文字号, the sending unit and the outgoing document linked, and
    nothing in the sender's own queue."""
    outgoing = walk(make_document(), DocumentState.REGISTERED)
    assert not IncomingDocument.objects.exists()

    outgoing = walk(outgoing, DocumentState.ISSUED)

    [document] = IncomingDocument.objects.all()
    assert (document.receiving_unit, document.state, document.channel) == (
        bureau.organ,
        S.PENDING,
        Channel.INTERNAL,
    )
    assert document.sender_number == outgoing.number_text and outgoing.number_text.startswith("测办发〔")
    assert (document.sender_unit, document.sender_organ, document.source_outgoing) == (
        office.office,
        office.office.name,
        outgoing,
    )
    assert (document.title, document.kind, document.copy_numbers) == (outgoing.title, outgoing.kind, "")
    assert sees(bureau.clerk, document) and not sees(office.drafter, document)


def test_a_classified_document_arrives_with_its_copy_number(office, bureau, make_document, walk, settings):
    """GIVEN a deployment whose ceiling is 绝密, and a 机密 notice to the bureau drafted by someone
    cleared for it WHEN it is issued THEN the bureau's incoming copy is 机密 with copy 000001 and
    the same secrecy term, and the bureau's 文秘 (cleared for 机密) sees it."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.SECRET
    office.drafter.save()
    outgoing = make_document(
        title=SECRET_TITLE,
        level=Level.SECRET,
        basis="范围",
        copies=1,
        disclosure="not_public",
        disclosure_reason="涉密",
    )

    outgoing = walk(outgoing, DocumentState.ISSUED)

    document = IncomingDocument.objects.get(source_outgoing=outgoing)
    assert (document.classification, document.copy_numbers, document.sender_number) == (
        Level.SECRET,
        "000001",
        outgoing.number_text,
    )
    assert (document.secrecy_term_unit, document.secrecy_term_amount, document.declassify_due) == (
        outgoing.secrecy_term_unit,
        outgoing.secrecy_term_amount,
        outgoing.declassify_due,
    )
    assert sees(bureau.clerk, document) and not sees(bureau.low_reader, document)


def test_the_same_sender_and_number_is_flagged_as_a_duplicate(bureau, receive):
    """GIVEN a document from the province as 测财发〔2026〕8号 already received WHEN the same organ and
    number arrive again, then a different number, then the same number from another organ THEN
    only the second one points to the first as a duplicate (and its 签收 says so)."""
    first = receive(sender_number="测财发〔2026〕8号")

    again = receive(sender_number=" 测财发〔2026〕8号 ")
    other_number = receive(sender_number="测财发〔2026〕9号")
    other_organ = receive(sender_organ="测试省审计厅", sender_number="测财发〔2026〕8号")

    assert fresh(again).duplicate_of == first
    assert fresh(other_number).duplicate_of is None and fresh(other_organ).duplicate_of is None
    assert fresh(first).duplicate_of is None
    assert IncomingTransition.objects.get(document=again).comment == "疑似重复来文"


def test_an_internal_delivery_already_received_on_paper_is_flagged_when_signed_for(
    office, bureau, make_document, walk, receive
):
    """GIVEN the office's notice received by the bureau on paper first (same organ and number) WHEN
    the system delivery of it is signed for THEN it points to the paper copy as a duplicate."""
    outgoing = walk(make_document(), DocumentState.REGISTERED)
    outgoing = walk(outgoing, DocumentState.ISSUED)
    paper = receive(sender_organ=office.office.name, sender_number=outgoing.number_text)
    delivered = IncomingDocument.objects.get(source_outgoing=outgoing)

    incoming.incoming_sign_for(actor=bureau.clerk.user, document=delivered)

    assert fresh(delivered).duplicate_of == paper


# --- 传阅 -----------------------------------------------------------------------------------------------


@pytest.fixture
def circulated(bureau, receive, advance, time_machine):
    """A 机密 阅件 sent round on Monday 2 March 2026 to two readers, to be read by Thursday 5 March."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"), S.CIRCULATING)
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user,
        document=document,
        readers=[bureau.reader, bureau.second_reader],
        note="请研究室阅知",
        due=date(2026, 3, 5),
    )
    return circulation


def reader_row(circulation, person):
    return circulation.readers.get(person=person)


def test_each_reader_receives_then_reads_with_the_times_and_a_comment(bureau, circulated, time_machine):
    """GIVEN a document sent round to two readers WHEN the first receives it at 10:00 and reads it
    at 15:00 with a comment THEN his row is 已阅 with both times and the comment, his reading
    deadline is met and his 已阅 is recorded; the second reader is still 已送达."""
    time_machine.move_to(at(MONDAY, 10), tick=False)
    first = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    assert (first.state, first.opened_at, first.read_at) == (ReaderState.OPENED, at(MONDAY, 10), None)
    time_machine.move_to(at(MONDAY, 15), tick=False)

    incoming.circulation_read(actor=bureau.reader.user, reader=first, comment="已阅，建议转预算处参考。")

    first = reader_row(circulated, bureau.reader)
    assert (first.state, first.opened_at, first.read_at, first.comment) == (
        ReaderState.READ,
        at(MONDAY, 10),
        at(MONDAY, 15),
        "已阅，建议转预算处参考。",
    )
    assert [d.state for d in reminders.deadlines_of(first)] == [DeadlineState.MET]
    assert reader_row(circulated, bureau.second_reader).state == ReaderState.SENT
    assert transitions(circulated.document)[-2:] == [
        ("传阅", S.CIRCULATING, S.CIRCULATING, "in-clerk"),
        ("已阅", S.CIRCULATING, S.CIRCULATING, "in-reader"),
    ]


def test_reading_before_receiving_is_refused(bureau, circulated):
    """GIVEN a reader who has not yet received the document WHEN he marks it read THEN the move is
    refused and his row is still 已送达 with no times."""
    row = reader_row(circulated, bureau.reader)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_read(actor=bureau.reader.user, reader=row, comment="已阅")

    row.refresh_from_db()
    assert (row.state, row.opened_at, row.read_at) == (ReaderState.SENT, None, None)


def test_receiving_or_reading_twice_is_refused(bureau, circulated):
    """GIVEN a reader who received and read the document WHEN he receives or reads it again THEN
    both moves are refused and his read time stands."""
    row = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    row = incoming.circulation_read(actor=bureau.reader.user, reader=row)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_open(actor=bureau.reader.user, reader=row)
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_read(actor=bureau.reader.user, reader=row)

    assert reader_row(circulated, bureau.reader).read_at == row.read_at


def test_only_the_reader_receives_and_reads_his_copy(bureau, circulated):
    """GIVEN a document sent round WHEN the second reader or the 文秘 receives or reads the first
    reader's copy THEN it is refused."""
    row = reader_row(circulated, bureau.reader)

    for actor in (bureau.second_reader, bureau.clerk):
        with pytest.raises(PermissionDenied):
            incoming.circulation_open(actor=actor.user, reader=row)
    incoming.circulation_open(actor=bureau.reader.user, reader=row)
    with pytest.raises(PermissionDenied):
        incoming.circulation_read(actor=bureau.second_reader.user, reader=row)

    assert reader_row(circulated, bureau.reader).state == ReaderState.OPENED


def test_a_circulation_gives_each_reader_visibility_and_a_reading_deadline(bureau, receive, advance, time_machine):
    """GIVEN a 机密 阅件 received by the bureau's 办公室 WHEN the 文秘 sends it to a reader in 政策研究室
    by Thursday THEN he sees it (he did not before) and has an open 公文传阅 deadline due Thursday;
    a colleague not chosen still does not see it."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(
        receive(receiving_unit=bureau.office, title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"),
        S.CIRCULATING,
    )
    assert not sees(bureau.reader, document)

    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅", due=date(2026, 3, 5)
    )

    assert sees(bureau.reader, document) and not sees(bureau.second_reader, document)
    [deadline] = reminders.deadlines_of(circulation.readers.get())
    assert (deadline.kind_id, deadline.responsible_person, deadline.due_date, deadline.state) == (
        "circulation",
        bureau.reader,
        date(2026, 3, 5),
        DeadlineState.OPEN,
    )


@pytest.mark.parametrize(
    ("readers", "note", "due_in", "field"),
    [
        ([], "请阅", 3, "readers"),
        (["reader"], "  ", 3, "note"),
        (["reader", "low_reader"], "请阅", 3, "readers"),
        (["reader"], "请阅", 0, "due"),
    ],
    ids=["no-readers", "no-note", "reader-not-cleared", "due-today"],
)
def test_an_incomplete_circulation_is_refused(bureau, receive, advance, readers, note, due_in, field):
    """GIVEN a 机密 阅件 WHEN the 文秘 sends it round without readers, without a note, to a reader not
    cleared for 机密, or due today THEN it is refused naming the field and nobody is sent it."""
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.CIRCULATING)

    with pytest.raises(ValidationError) as refused:
        incoming.circulation_start(
            actor=bureau.clerk.user,
            document=document,
            readers=[getattr(bureau, name) for name in readers],
            note=note,
            due=timezone.localdate() + timedelta(days=due_in),
        )

    assert field in refused.value.message_dict
    assert not document.circulations.exists()


@pytest.mark.parametrize("state", [S.SIGNED, S.REGISTERED, S.DONE, S.RETURNED])
def test_circulating_outside_handling_is_refused(bureau, receive, advance, state):
    """GIVEN a document not yet taken in, or done, or returned WHEN the 文秘 sends it round THEN the
    move is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")

    assert not document.circulations.exists()


def test_circulating_is_refused_to_anyone_but_the_office(bureau, receive, advance):
    """GIVEN a 阅件 WHEN the head of 预算处 sends it round THEN it is refused."""
    document = advance(receive(), S.CIRCULATING)

    with pytest.raises(PermissionDenied):
        incoming.circulation_start(
            actor=bureau.budget_head.user, document=document, readers=[bureau.reader], note="请阅"
        )

    assert not document.circulations.exists()


def test_a_handling_document_may_also_be_circulated(bureau, receive, advance):
    """GIVEN a 办件 承办中 WHEN the 文秘 also sends it round to a reader THEN it stays 承办中 with that
    reader pending."""
    document = advance(receive(), S.HANDLING)

    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请参阅")

    assert fresh(document).state == S.HANDLING
    assert [r.person for r in incoming.pending_readers(document)] == [bureau.reader]


def test_pending_readers_show_in_pending_readers_and_the_list(bureau, receive, advance, circulated):
    """GIVEN a document sent round to two readers, and another not sent round WHEN one reader reads
    THEN the other is still pending and the list marks the document 传阅中; WHEN the second reads too
    THEN nobody is pending and the list no longer marks it."""
    quiet = advance(receive(), S.CIRCULATING)
    document = circulated.document

    def circulating() -> dict[int, bool]:
        return {d.pk: d.circulating for d in incoming_list_visible(user=bureau.clerk.user)}

    assert {r.person for r in incoming.pending_readers(document)} == {bureau.reader, bureau.second_reader}
    assert circulating() == {document.pk: True, quiet.pk: False}

    for person in (bureau.reader, bureau.second_reader):
        row = incoming.circulation_open(actor=person.user, reader=reader_row(circulated, person))
        incoming.circulation_read(actor=person.user, reader=row)
        if person == bureau.reader:
            assert [r.person for r in incoming.pending_readers(document)] == [bureau.second_reader]
            assert circulating()[document.pk] is True

    assert not incoming.pending_readers(document).exists() and incoming.is_circulating(document) is False
    assert circulating() == {document.pk: False, quiet.pk: False}


def test_a_recall_releases_the_pending_readers(bureau, circulated, time_machine):
    """GIVEN a document sent round, the first reader has read it, the second not WHEN the 文秘 recalls
    the circulation with a reason THEN it is recalled at that time, the second reader's row is
    收回 and his reading deadline cancelled; the first stays 已阅 with his deadline met; nobody is
    pending and the list no longer marks it 传阅中; the recall is recorded."""
    row = incoming.circulation_open(actor=bureau.reader.user, reader=reader_row(circulated, bureau.reader))
    incoming.circulation_read(actor=bureau.reader.user, reader=row)
    time_machine.move_to(at(MONDAY, 11), tick=False)

    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="来文单位已撤回")

    circulated.refresh_from_db()
    assert circulated.recalled_at == at(MONDAY, 11)
    first, second = reader_row(circulated, bureau.reader), reader_row(circulated, bureau.second_reader)
    assert (first.state, second.state) == (ReaderState.READ, ReaderState.RECALLED)
    assert [d.state for d in reminders.deadlines_of(first)] == [DeadlineState.MET]
    assert [d.state for d in reminders.deadlines_of(second)] == [DeadlineState.CANCELLED]
    assert not incoming.pending_readers(circulated.document).exists()
    [row] = incoming_list_visible(user=bureau.clerk.user)
    assert row.circulating is False
    assert transitions(circulated.document)[-1] == ("收回传阅", S.CIRCULATING, S.CIRCULATING, "in-clerk")
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_open(actor=bureau.second_reader.user, reader=second)


def test_a_recall_needs_a_reason_the_office_and_happens_once(bureau, circulated):
    """GIVEN a document sent round WHEN it is recalled without a reason, or by a reader THEN both are
    refused; once recalled, recalling again is refused as a move already made."""
    with pytest.raises(ValidationError):
        incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason=" ")
    with pytest.raises(PermissionDenied):
        incoming.circulation_recall(actor=bureau.reader.user, circulation=circulated, reason="收回")
    assert incoming.pending_readers(circulated.document).count() == 2

    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="收回")
    with pytest.raises(TransitionNotAllowed):
        incoming.circulation_recall(actor=bureau.chief.user, circulation=circulated, reason="再次收回")


# --- Reminders and escalation ---------------------------------------------------------------------------


def scan_and_send(time_machine, day: date) -> list[Reminder]:
    """The beat at 09:00 on ``day``: claim what is due and deliver each; the reminders handed out."""
    time_machine.move_to(at(day), tick=False)
    ids = reminders.scan()
    for reminder_id in ids:
        reminders.send(reminder_id)
    return list(Reminder.objects.filter(pk__in=ids).select_related("recipient"))


def test_a_late_reader_is_reminded_without_the_classified_title(bureau, circulated, time_machine):
    """GIVEN a 机密 document sent round on Monday to two readers, to be read by Thursday 5 March, the
    second of whom reads it on Wednesday WHEN the beat runs on Friday 6 March THEN the first reader
    gets an overdue reminder whose text does not carry the classified title; the second gets none."""
    time_machine.move_to(at(date(2026, 3, 4)), tick=False)
    row = incoming.circulation_open(
        actor=bureau.second_reader.user, reader=reader_row(circulated, bureau.second_reader)
    )
    incoming.circulation_read(actor=bureau.second_reader.user, reader=row)
    assert notes_of(bureau.reader) == []

    handed_out = scan_and_send(time_machine, FRIDAY)

    assert {(r.recipient, r.audience) for r in handed_out} == {(bureau.reader.user, Audience.RESPONSIBLE)}
    [note] = Notification.objects.filter(recipient=bureau.reader.user)
    assert "逾期" in note.verb and "2026年3月5日" in note.verb
    assert SECRET_TITLE not in note.verb and SECRET_TITLE not in note.subject_repr
    assert notes_of(bureau.second_reader) == []


def test_recalled_readers_are_not_reminded(bureau, circulated, time_machine):
    """GIVEN a document sent round and recalled before anyone read it WHEN the beat runs after the
    reading deadline THEN neither reader is reminded."""
    incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulated, reason="收回")

    handed_out = scan_and_send(time_machine, FRIDAY)

    assert handed_out == []
    assert notes_of(bureau.reader) == notes_of(bureau.second_reader) == []


def test_overdue_handling_is_escalated_to_the_unit_head_and_the_leader(bureau, receive, advance, time_machine):
    """GIVEN a 机密 document the 局长 instructed on Monday 2 March for 预算处 to lead by Friday 6 March
    WHEN the beat runs on Thursday 12 March (4 working days late) THEN 预算处's head is reminded
    (as 承办 and as unit head) but nobody is asked to supervise yet; WHEN it runs on Monday 16 March
    (past the 5 working days of 严重逾期) THEN the 局长 — the leader on the deadline — gets a
    supervision reminder, and no text carries the classified title."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"), S.INSTRUCTION)
    incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=document,
        instruction="请按期办结",
        lead_unit=bureau.budget,
        time_limit=FRIDAY,
    )
    [deadline] = reminders.deadlines_of(document)
    assert (deadline.leader, deadline.due_date) == (bureau.leader, FRIDAY)

    early = scan_and_send(time_machine, date(2026, 3, 12))

    assert {(r.recipient, r.audience) for r in early} == {
        (bureau.budget_head.user, Audience.RESPONSIBLE),
        (bureau.budget_head.user, Audience.UNIT_HEAD),
    }

    late = scan_and_send(time_machine, date(2026, 3, 16))

    assert (bureau.budget_head.user, Audience.UNIT_HEAD) in {(r.recipient, r.audience) for r in late}
    assert [(r.recipient, r.audience) for r in late if r.audience == Audience.SUPERVISION] == [
        (bureau.leader.user, Audience.SUPERVISION)
    ]
    [supervision] = Notification.objects.filter(recipient=bureau.leader.user, reminder__isnull=False)
    assert "严重逾期" in supervision.verb
    texts = Notification.objects.filter(reminder__deadline=deadline).values_list("verb", "subject_repr")
    assert texts and not any(SECRET_TITLE in verb or SECRET_TITLE in subject for verb, subject in texts)


def test_a_completed_document_is_no_longer_reminded(bureau, receive, advance, time_machine):
    """GIVEN a document due Friday 6 March completed by 预算处 on Thursday WHEN the beat runs the
    following Monday THEN nobody is reminded."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(), S.HANDLING, time_limit=FRIDAY)
    time_machine.move_to(at(date(2026, 3, 5)), tick=False)
    incoming.incoming_complete(actor=bureau.budget_head.user, document=document, result="已办理")

    assert scan_and_send(time_machine, date(2026, 3, 9)) == []


# --- 催办 -----------------------------------------------------------------------------------------------


def test_chasing_notifies_the_pending_parties_and_is_recorded(bureau, receive, advance):
    """GIVEN a document 承办中 where 国库处 has sent its input and 预算处 not, also sent round to two
    readers of whom one has read WHEN the 文秘 chases with a message THEN the head of 预算处 and the
    reader who has not read are notified with the message, nobody else; the 催办 is recorded and the
    state does not change."""
    document = advance(receive(), S.HANDLING)
    incoming.incoming_unit_done(actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="同意")
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader, bureau.second_reader], note="请参阅"
    )
    row = incoming.circulation_open(actor=bureau.second_reader.user, reader=circulation.readers.get(order=2))
    incoming.circulation_read(actor=bureau.second_reader.user, reader=row)
    before = Notification.objects.count()

    incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="请于本周五前报送办理结果")

    chased = Notification.objects.order_by("id")[before:]
    assert sorted(n.recipient.username for n in chased) == ["in-budget-head", "in-reader"]
    assert all("请于本周五前报送办理结果" in n.verb and n.verb.startswith("催办") for n in chased)
    entry = IncomingTransition.objects.filter(document=document).order_by("id").last()
    assert (entry.action, entry.from_state, entry.to_state, entry.comment) == (
        "催办",
        S.HANDLING,
        S.HANDLING,
        "请于本周五前报送办理结果",
    )
    assert fresh(document).state == S.HANDLING


def test_chasing_an_instruction_notifies_the_leader(bureau, receive, advance):
    """GIVEN a document waiting for the 局长's 批示 WHEN the 办公室主任 chases it THEN the 局长 is
    notified (after his 请批示)."""
    document = advance(receive(), S.INSTRUCTION)

    incoming.incoming_chase(actor=bureau.chief.user, document=document, message="请尽快批示")

    assert len(notes_of(bureau.leader)) == 2
    assert "请尽快批示" in notes_of(bureau.leader)[-1]


def test_the_named_chaser_may_chase(bureau, receive, advance):
    """GIVEN an important document whose named chaser is a member of 预算处 (not the office) WHEN he
    chases it THEN the head of 预算处 is notified; a reader who is not the chaser is refused."""
    document = advance(receive(), S.REGISTERED)
    incoming.incoming_screen(
        actor=bureau.clerk.user, document=document, accept=True, important=True, chaser=bureau.budget_staff
    )
    document = advance(document, S.HANDLING)

    with pytest.raises(PermissionDenied):
        incoming.incoming_chase(actor=bureau.reader.user, document=document, message="请抓紧")
    incoming.incoming_chase(actor=bureau.budget_staff.user, document=document, message="请抓紧")

    assert any("请抓紧" in verb for verb in notes_of(bureau.budget_head))
    assert transitions(document)[-1] == ("催办", S.HANDLING, S.HANDLING, "in-budget-staff")


def test_chasing_without_a_message_is_refused(bureau, receive, advance):
    """GIVEN a document 承办中 WHEN the 文秘 chases with a blank message THEN it is refused and nothing
    is recorded."""
    document = advance(receive(), S.HANDLING)
    recorded = IncomingTransition.objects.filter(document=document).count()

    with pytest.raises(ValidationError):
        incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="  ")

    assert IncomingTransition.objects.filter(document=document).count() == recorded


@pytest.mark.parametrize("state", [S.REGISTERED, S.PROPOSAL, S.DONE, S.ARCHIVED])
def test_chasing_what_waits_for_nobody_is_refused(bureau, receive, advance, state):
    """GIVEN a document not waiting for a 批示, a unit or a reader WHEN the 文秘 chases it THEN the move
    is refused."""
    document = advance(receive(), state)

    with pytest.raises(TransitionNotAllowed):
        incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="请抓紧")


# --- The transitions table -----------------------------------------------------------------------------


def test_the_table_has_no_way_out_of_returned_or_archived():
    """GIVEN the transitions table THEN returned and archived documents are ends, and every state a
    move leads to is a known state."""
    assert S.RETURNED not in incoming.ALLOWED and S.ARCHIVED not in incoming.ALLOWED
    assert all(to in S.values for targets in incoming.ALLOWED.values() for to in targets)


def test_an_anonymous_caller_is_refused(bureau, receive):
    """GIVEN an anonymous caller WHEN it signs for a document THEN it is refused (no person behind it)."""
    with pytest.raises(PermissionDenied):
        receive(actor=AnonymousUser())
