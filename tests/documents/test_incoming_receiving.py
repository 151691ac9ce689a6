"""The 收文 workflow's first steps (STYLE.md §5, DOMAIN.md "收文"): 签收 of a paper document and of one
the internal exchange delivered from 核发, 登记 with its gapless 收文编号 per receiving unit and year,
初审 taking a document in as 办件 or 阅件 (with a named chaser) or returning it with its reason (an
internal sender's drafter is told, never the classified title), duplicate detection, and the
transitions table itself — with each step's refusals to the wrong person, in the wrong state or
with bad input.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``issued`` fixtures come from
``conftest.py``; the dates, the 机密 title and the small reads (``transitions``, ``notes_of``,
``sees``, ``fresh``) from ``incoming_helpers.py``. Dates that matter are fixed with
``time_machine`` at 09:00 Beijing time (no holiday near).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.incoming import services as incoming
from documents.models import Channel, DocumentState, IncomingCounter, IncomingDocument, IncomingTransition
from office import search
from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.documents.incoming_helpers import MONDAY, SECRET_TITLE, S, at, fresh, notes_of, sees, transitions
from tests.factories import OrganFactory, UnitFactory, make_person


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


def test_registering_takes_the_number_last(bureau, receive, time_machine):
    """GIVEN a signed-for document WHEN the 文秘 registers it THEN the unit's counter row is locked
    (its one upsert) after the move is saved, and only the document's number with its search text
    (one UPDATE) and the 流转记录 naming it follow, so the next 登记 of the unit waits only for them."""
    time_machine.move_to(at(MONDAY), tick=False)
    document = receive()
    by_number = IncomingDocument.objects.filter(search_vector=search.query("收〔2026〕1号"))
    assert not by_number.exists()

    with CaptureQueriesContext(connection) as queries:
        incoming.incoming_register(actor=bureau.clerk.user, document=document)

    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    counter = [i for i, statement in enumerate(sql) if IncomingCounter._meta.db_table in statement]
    assert len(counter) == 1 and "ON CONFLICT" in sql[counter[0]]
    document_table, transition_table = IncomingDocument._meta.db_table, IncomingTransition._meta.db_table
    assert any(s.startswith(f'UPDATE "{document_table}"') and "state" in s for s in sql[: counter[0]])
    assert [s.split('"', 2)[:2] for s in sql[counter[0] + 1 :]] == [
        ["UPDATE ", document_table],
        ["INSERT INTO ", transition_table],
    ]
    assert transitions(document)[-1] == ("登记", S.SIGNED, S.REGISTERED, bureau.clerk.user.username)
    assert by_number.get() == document


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
