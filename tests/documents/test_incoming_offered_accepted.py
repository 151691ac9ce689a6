"""收文 and 传阅: what a page offers is what the service accepts, for both machines of
``documents.incoming.rules`` — every state × every demo person × step.

The demo office is loaded once (rolled back at the end); it holds a 收文 in every state of the
document machine. Two more are driven through the services: a 办件 the mayor gave to the city
government itself as lead unit with 市发展改革局 assisting (where a bureau's people, an organ of
their own under the city government, must not count the city government as one of "my units"),
and on the demo's 阅件 one round of 传阅 per reader state, each with a single reader, so that
recalling the round is recalling that reader. The demo's 收文 led by 市商务局 carries the 分办 rows:
the demo's own (待办理, with 郑浩) and one per other state of ``subassignment_machine``. Each attempt
takes the step through
``documents.incoming.services`` with valid input inside a savepoint that is rolled back
(``tests/workflow/harness.py``).
"""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from documents.incoming import rules as incoming_rules
from documents.incoming import services as incoming
from documents.incoming import subassign
from documents.incoming.rules import incoming_machine, reader_machine, subassignment_machine
from documents.models import (
    AssignmentRole,
    CirculationReader,
    Handling,
    IncomingDocument,
    IncomingState,
    ReaderState,
    SubassignmentState,
    UnitAssignment,
)
from office.org.models import Person, Unit
from office.workflow import actor_of
from tests.workflow.harness import demo_office, mismatches

S, R, U = IncomingState, ReaderState, SubassignmentState
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _people(*usernames: str) -> list[Person]:
    found = {p.user.username: p for p in Person.objects.filter(user__username__in=usernames).select_related("user")}
    return [found[username] for username in usernames]


def _city_led(people: dict[str, Person]) -> IncomingDocument:
    """A 办件 for 市政府, instructed with 市政府 itself as lead unit and 市发展改革局 assisting."""
    clerk, director = people["clerk"].user, people["director"]
    city = Unit.objects.get(code="LJ")
    document = incoming.incoming_receive(
        actor=clerk, receiving_unit=city, sender_organ="江东省人民政府", title="关于测试主办单位范围的通知"
    )
    document = incoming.incoming_register(actor=clerk, document=document)
    document = incoming.incoming_screen(actor=clerk, document=document, accept=True, handling=Handling.ACTION)
    document = incoming.incoming_propose(actor=clerk, document=document, proposal="请市长批示。", leader=director)
    return incoming.incoming_instruct(
        actor=director.user,
        document=document,
        instruction="请市政府办公室牵头，市发展改革局协办。",
        lead_unit=city,
        assisting_units=[Unit.objects.get(code="LJ-FGJ")],
        time_limit=timezone.localdate() + timedelta(days=10),
    )


def _single_reader_rounds(document: IncomingDocument, office: Person) -> list[CirculationReader]:
    """One round per reader state on ``document``, each with one reader."""
    sent, opened, read, recalled = _people("swj_director", "swj_sc_chief", "swj_my_chief", "director")
    rows = []
    for person, state in ((sent, R.SENT), (opened, R.OPENED), (read, R.READ), (recalled, R.RECALLED)):
        circulation = incoming.circulation_start(
            actor=office.user, document=document, readers=[person], note=f"请阅（{state}）"
        )
        row = circulation.readers.get()
        if state in (R.OPENED, R.READ):
            row = incoming.circulation_open(actor=person.user, reader=row)
        if state == R.READ:
            row = incoming.circulation_read(actor=person.user, reader=row, comment="已阅。")
        if state == R.RECALLED:
            incoming.circulation_recall(actor=office.user, circulation=circulation, reason="送错了")
            row.refresh_from_db()
        rows.append(row)
    return rows


def _subassignment_rows(people: dict[str, Person]) -> list[UnitAssignment]:
    """On the demo's 收文 led by 市商务局: its own row (待办理) and one per other state, each with
    another 承办人 of the bureau, passed on by its 办公室主任 and decided by its 局长."""
    row = UnitAssignment.objects.select_related("assignment__document", "assignment__unit").get(
        assignment__unit__code="LJ-SWJ", handler=people["staff"]
    )
    document, unit = row.assignment.document, row.assignment.unit
    office, head = people["swj_office"].user, people["swj_director"].user
    rows = [row]
    for username, state in (("swj_sc_chief", U.REPORTED), ("swj_my_chief", U.RETURNED), ("swj_director", U.ACCEPTED)):
        handler = people[username]
        made = subassign.unit_subassign(
            actor=office, document=document, unit=unit, section=handler.unit, handler=handler, due=row.due
        )
        made = subassign.subassignment_report(actor=handler.user, row=made, note=f"办理情况（{state}）")
        if state == U.RETURNED:
            made = subassign.subassignment_return(actor=head, row=made, reason="请补充数据")
        if state == U.ACCEPTED:
            made = subassign.subassignment_accept(actor=head, row=made)
        rows.append(made)
    return rows


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo office: a 收文 per state, the city-led 办件, the single-reader rounds and every
    person with a login."""
    with demo_office(django_db_blocker):
        try:
            people = {p.user.username: p for p in Person.objects.select_related("user", "unit")}
            reading = IncomingDocument.objects.filter(state=S.CIRCULATING, receiving_unit__code="LJ-SWJ").get()
            records = {S.CIRCULATING: reading}  # the 阅件 whose rounds are built below
            for document in IncomingDocument.objects.order_by("id"):
                records.setdefault(document.state, document)
            readers = _single_reader_rounds(reading, people["swj_office"])
            demo_readers = list(
                CirculationReader.objects.filter(circulation__document=reading)
                .exclude(pk__in=[row.pk for row in readers])
                .order_by("id")
            )
            subassignments = _subassignment_rows(people)
            yield {
                "records": [*records.values(), _city_led(people)],
                "readers": readers,
                "subassignments": subassignments,
                "demo_readers": demo_readers,
                "people": people,
                "users": [person.user for person in sorted(people.values(), key=lambda p: p.pk)],
            }
        finally:
            _director.cache_clear()


def _unit_to_report_for(user, document: IncomingDocument):
    """One the person may report for (a valid input), else any assisting unit, else any unit."""
    if document.state == S.HANDLING and (mine := incoming_rules.units_to_report_for(actor_of(user), document)):
        return mine[0]
    assisting = document.assignments.filter(role=AssignmentRole.ASSIST).select_related("unit").first()
    return assisting.unit if assisting else document.receiving_unit


def _subassignment_input(user, document: IncomingDocument) -> dict:
    """A unit the person may pass on (a valid input: its own 科室, a person cleared in it, a day inside
    its limit), else any unit of the document."""
    mine = incoming_rules.units_to_subassign(actor_of(user), document) if document.state == S.HANDLING else []
    if mine:
        unit = mine[0]
    else:
        assignment = document.assignments.select_related("unit").first()
        unit = assignment.unit if assignment else document.receiving_unit
    handler = subassign.handlers_of(unit, document).first() or _director()
    today = timezone.localdate()
    limit = next((subassign.unit_due(a) for a in document.assignments.filter(unit=unit)), None)
    due = limit if limit is not None and limit > today else today + timedelta(days=3)
    return {"unit": unit, "section": unit, "handler": handler, "due": due}


def _round_to_recall(user, document: IncomingDocument):
    """One the person may recall (a valid input), else the first round."""
    if mine := incoming_rules.recallable_rounds(actor_of(user), document):
        return mine[0]
    return document.circulations.order_by("id").first()


@functools.cache
def _director() -> Person:
    return Person.objects.select_related("user").get(user__username="director")


def attempt(step: str, user, document: IncomingDocument) -> None:
    """Take ``step`` through the service, with input the service accepts."""
    director = _director()  # 领导, 核心涉密: may instruct and read anything
    if step == "sign_for":
        incoming.incoming_sign_for(actor=user, document=document)
    elif step == "register":
        incoming.incoming_register(actor=user, document=document)
    elif step == "screen":
        incoming.incoming_screen(actor=user, document=document, accept=True, handling=Handling.ACTION)
    elif step == "propose":
        incoming.incoming_propose(actor=user, document=document, proposal="请领导批示。", leader=director)
    elif step == "instruct":
        incoming.incoming_instruct(
            actor=user,
            document=document,
            instruction="请办理。",
            lead_unit=document.receiving_unit,
            time_limit=timezone.localdate() + timedelta(days=10),
        )
    elif step == "subassign":
        subassign.unit_subassign(actor=user, document=document, **_subassignment_input(user, document))
    elif step == "scan":
        upload = SimpleUploadedFile("原件扫描.pdf", PDF_BYTES, content_type="application/pdf")
        incoming.incoming_attach_scan(actor=user, document=document, upload=upload)
    elif step == "unit_done":
        unit = _unit_to_report_for(user, document)
        incoming.incoming_unit_done(actor=user, document=document, unit=unit, note="已提供材料。")
    elif step == "complete":
        incoming.incoming_complete(actor=user, document=document, result="已办结。", reply="已答复来文单位。")
    elif step == "archive":
        incoming.incoming_archive(actor=user, document=document, retention="30年", override_reason="确需归档")
    elif step == "chase":
        incoming.incoming_chase(actor=user, document=document, message="请抓紧办理。")
    elif step == "circulate":
        incoming.circulation_start(actor=user, document=document, readers=[director], note="请阅")
    elif step == "recall":
        circulation = _round_to_recall(user, document)
        incoming.circulation_recall(actor=user, circulation=circulation, reason="收回重发")
    else:
        raise AssertionError(f"no attempt for {step}")


def attempt_as_reader(step: str, user, reader: CirculationReader) -> None:
    if step == "open":
        incoming.circulation_open(actor=user, reader=reader)
    elif step == "read":
        incoming.circulation_read(actor=user, reader=reader, comment="已阅。")
    elif step == "recall":
        incoming.circulation_recall(actor=user, circulation=reader.circulation, reason="收回重发")
    else:
        raise AssertionError(f"no attempt for {step}")


@pytest.mark.django_db
def test_every_document_step_offered_is_accepted_and_every_other_refused(demo):
    """GIVEN the demo office with a 收文 in every state of the machine (and the city-led 办件) WHEN
    each demo person tries each step on each THEN the page's offer and the service agree
    everywhere: offered ⇔ accepted (收回传阅 wherever the document has a round to name)."""
    records = demo["records"]
    assert {document.state for document in records} == set(S.values)
    steps = [step.name for step in incoming_machine.steps]
    with_rounds = [document for document in records if document.circulations.exists()]
    without = [document for document in records if not document.circulations.exists()]

    found = mismatches(incoming_machine, with_rounds, demo["users"], attempt)
    found += mismatches(incoming_machine, without, demo["users"], attempt, steps=[s for s in steps if s != "recall"])

    assert found == []
    assert not any("recall" in incoming_machine.offered(user, d) for d in without for user in demo["users"])


@pytest.mark.django_db
def test_every_reader_step_offered_is_accepted_and_every_other_refused(demo):
    """GIVEN a reader row in every state of the 传阅 machine, each alone in its round, and the demo's
    round of three WHEN each demo person tries 签收, 阅签 and 收回 THEN offered ⇔ accepted."""
    readers = demo["readers"]
    assert {reader.state for reader in readers} == set(R.values)

    found = mismatches(reader_machine, readers, demo["users"], attempt_as_reader)
    found += mismatches(reader_machine, demo["demo_readers"], demo["users"], attempt_as_reader, steps=["open", "read"])

    assert found == []


def attempt_on_subassignment(step: str, user, row: UnitAssignment) -> None:
    if step == "report":
        subassign.subassignment_report(actor=user, row=row, note="已办理。")
    elif step == "accept":
        subassign.subassignment_accept(actor=user, row=row)
    elif step == "return":
        subassign.subassignment_return(actor=user, row=row, reason="请补充。")
    else:
        raise AssertionError(f"no attempt for {step}")


@pytest.mark.django_db
def test_every_subassignment_step_offered_is_accepted_and_every_other_refused(demo):
    """GIVEN a 分办 row in every state of the 分办 machine (the demo's own with 郑浩 待办理, and one
    reported, one returned, one sent up) WHEN each demo person tries 报送, 上报 and 退回 on each THEN
    offered ⇔ accepted; the 承办人 alone is offered his 报送, the bureau's 局长 alone 上报 and 退回."""
    rows = demo["subassignments"]
    assert {row.state for row in rows} == set(U.values)

    found = mismatches(subassignment_machine, rows, demo["users"], attempt_on_subassignment)

    assert found == []
    offered = {
        (row.state, user.username, step)
        for row in rows
        for user in demo["users"]
        for step in subassignment_machine.offered(user, row)
    }
    assert offered == {
        (U.ASSIGNED, "staff", "report"),
        (U.RETURNED, "swj_my_chief", "report"),
        (U.REPORTED, "swj_director", "accept"),
        (U.REPORTED, "swj_director", "return"),
    }


@pytest.mark.django_db
def test_a_bureau_leader_does_not_count_the_city_government_among_his_units(demo):
    """GIVEN a 办件 of 市政府 with 市政府 itself as lead unit and 市发展改革局 assisting WHEN the
    bureau's 局长 (a leader in an organ of its own under the city government) tries to 办结 it THEN
    he is neither offered it nor accepted ("my units" stop at his organ, as ``visible_to`` counts);
    he is offered and may send his own bureau's 协办意见; the mayor may 办结."""
    document = next(d for d in demo["records"] if d.title == "关于测试主办单位范围的通知")
    bureau_leader, mayor = demo["people"]["fgj_director"], demo["people"]["director"]
    assert Unit.objects.get(code="LJ").pk not in bureau_leader.units()

    offered = incoming_machine.offered(bureau_leader.user, document)
    assert "complete" not in offered
    assert [unit.code for unit in offered["unit_done"]] == ["LJ-FGJ"]
    with pytest.raises(PermissionDenied, match="办结由主办单位负责人报送"), transaction.atomic():
        incoming.incoming_complete(actor=bureau_leader.user, document=document, result="已办结。")
    assert "complete" in incoming_machine.offered(mayor.user, document)
