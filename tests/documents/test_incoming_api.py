"""``/api/v1/documents/incoming/``: 签收 from outside, every workflow step and 传阅 per reader as an
action (each: done, refused by the workflow with 409, refused to the wrong person with 403, bad
input 400 with nothing changed), the reads (list with filters and search, detail, inbox, figures),
the 收文登记簿 export, and the leak matrix: a document outside the caller's reach is a 404 on every
route and missing from every list.

The receiving bureau, its people and the ``receive`` / ``advance`` helpers come from ``conftest.py``."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents import incoming
from documents.models import (
    Assignment,
    Circulation,
    CirculationReader,
    DocumentState,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
    ReaderState,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from office.reminders.models import Notification
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db

S = IncomingState
BASE = "/api/v1/documents/incoming/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(document, action: str = "") -> str:
    return f"{BASE}{document.pk}/{action + '/' if action else ''}"


def post(person, document, action: str, body: dict | None = None):
    return as_(person).post(url(document, action), body or {}, format="json")


def fresh(document) -> IncomingDocument:
    return IncomingDocument.objects.get(pk=document.pk)


def snapshot(document) -> tuple:
    """What an action may change: the row, its 流转记录, 承办 and 传阅."""
    document = fresh(document)
    return (
        document.state,
        document.updated_at,
        IncomingTransition.objects.filter(document=document).count(),
        Assignment.objects.filter(document=document).count(),
        list(CirculationReader.objects.filter(circulation__document=document).values_list("state", flat=True)),
        list(Circulation.objects.filter(document=document).values_list("recalled_at", flat=True)),
    )


def assert_conflict(response) -> None:
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["detail"]


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.content
    assert response.json()["detail"]


def assert_invalid(response, *fields: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    for field in fields:
        assert field in body["errors"], body
    return body["errors"]


@pytest.fixture
def issued(office, make_document, walk, bureau):
    """The office's notice walked to 核发: the document delivered to the bureau's queue (待签收)."""
    outgoing = walk(make_document(), DocumentState.ISSUED)
    return IncomingDocument.objects.get(source_outgoing=outgoing, receiving_unit=bureau.organ)


@pytest.fixture
def circulating(bureau, receive, advance):
    """A 阅件 sent round to the two readers of 政策研究室."""
    document = advance(receive(), S.CIRCULATING)
    incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader, bureau.second_reader], note="请阅"
    )
    return fresh(document)


def reader_of(document, person) -> CirculationReader:
    return CirculationReader.objects.get(circulation__document=document, person=person)


# --- Creating (签收 from outside) ---------------------------------------------------------------


def test_create_signs_for_a_document_from_outside(bureau):
    """GIVEN the bureau's 文秘 WHEN they POST a paper document THEN it is 已签收 by them now, with its
    level mark and the 签收 line in the 流转记录."""
    response = as_(bureau.clerk).post(
        BASE,
        {
            "receiving_unit": bureau.organ.pk,
            "sender_organ": "测试省财政厅",
            "sender_number": "测财发〔2026〕8号",
            "title": "测试省财政厅关于加强预算管理的通知",
            "kind": "notice",
            "urgency": "urgent",
            "channel": "fax",
            "body": "请加强预算管理。",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "signed" and body["state_label"] == "已签收"
    assert body["signed_for_by_name"] == "郑文秘" and body["signed_for_at"]
    assert body["channel"] == "fax" and body["level_mark"] == "内部" and body["registration_text"] == ""
    assert body["body"] == "请加强预算管理。"
    assert [t["action"] for t in body["transitions"]] == ["签收"]
    assert body["circulating"] is False


def test_create_is_refused_to_someone_outside_the_office(bureau):
    """GIVEN a 预算处 staff member WHEN they POST a document THEN 403 and nothing is stored."""
    response = as_(bureau.budget_staff).post(
        BASE,
        {"receiving_unit": bureau.organ.pk, "sender_organ": "测试省财政厅", "title": "关于某事的通知"},
        format="json",
    )

    assert_forbidden(response)
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sender_organ": "测试省财政厅"}, "title"),
        ({"title": "关于某事的通知", "sender_organ": "测试省财政厅", "channel": "internal"}, "channel"),
        ({"title": "关于某事的通知", "sender_organ": "测试省财政厅", "clearence": "secret"}, "clearence"),
        ({"title": "关于某事的通知", "sender_organ": "测试省财政厅", "copies_received": 0}, "copies_received"),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(bureau, body, field):
    """GIVEN the 文秘 WHEN the body lacks a title, claims the internal exchange, misspells a field
    or counts no copies THEN 400 naming the field, and nothing is stored."""
    response = as_(bureau.clerk).post(BASE, {"receiving_unit": bureau.organ.pk, **body}, format="json")

    assert_invalid(response, field)
    assert not IncomingDocument.objects.exists()


# --- 签收 and 登记 ------------------------------------------------------------------------------------


def test_sign_for_an_internal_delivery(bureau, issued):
    """GIVEN a document delivered by the internal exchange WHEN the 文秘 signs for it THEN it is
    已签收 by them; signing again is a 409, by 预算处's head a 403, with a body a 400."""
    response = post(bureau.clerk, issued, "sign-for")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "signed" and response.json()["signed_for_by_name"] == "郑文秘"
    assert_conflict(post(bureau.clerk, issued, "sign-for"))


def test_sign_for_by_the_wrong_person_or_with_fields_changes_nothing(bureau, issued):
    """GIVEN a document waiting to be signed for WHEN 预算处's head tries, or the 文秘 sends a field
    THEN 403 and 400, and it is still 待签收."""
    before = snapshot(issued)

    assert_forbidden(post(bureau.budget_head, issued, "sign-for"))
    assert_invalid(post(bureau.clerk, issued, "sign-for", {"when": "now"}), "when")
    assert snapshot(issued) == before


def test_register_gives_the_receipt_number(bureau, receive, issued):
    """GIVEN a signed document WHEN the 文秘 registers it THEN it has 收〔year〕1号; registering a
    document still 待签收 is a 409, by 预算处's staff a 403, with a field a 400."""
    document = receive()
    year = timezone.localdate().year

    response = post(bureau.clerk, document, "register")

    assert response.status_code == 200, response.content
    assert response.json()["registration_text"] == f"收〔{year}〕1号"
    assert response.json()["state"] == "registered"
    assert_conflict(post(bureau.clerk, issued, "register"))
    other = receive()
    before = snapshot(other)
    assert_forbidden(post(bureau.budget_staff, other, "register"))
    assert_invalid(post(bureau.clerk, other, "register", {"sequence": 7}), "sequence")
    assert snapshot(other) == before


# --- 初审 --------------------------------------------------------------------------------------------


def test_screen_takes_it_in_or_returns_it(bureau, receive, advance):
    """GIVEN registered documents WHEN the 文秘 screens them THEN a 办件 goes to 拟办 (with its
    chaser), a 阅件 to 传阅, and a return keeps its reason."""
    action, reading, returned = (advance(receive(), S.REGISTERED) for _ in range(3))

    taken = post(bureau.clerk, action, "screen", {"accept": True, "important": True, "chaser": bureau.chief.pk})
    read = post(bureau.clerk, reading, "screen", {"accept": True, "handling": "reading"})
    back = post(bureau.clerk, returned, "screen", {"accept": False, "reason": "不属于本机关职责范围"})

    assert taken.json()["state"] == "proposal" and taken.json()["chaser_name"] == "冯主任"
    assert taken.json()["important"] is True
    assert read.json()["state"] == "circulating" and read.json()["handling"] == "reading"
    assert back.json()["state"] == "returned" and back.json()["return_reason"] == "不属于本机关职责范围"


def test_screen_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a signed and a registered document WHEN the signed one is screened (409), 预算处's head
    screens (403), a return has no reason or the handling is unknown (400) THEN nothing changes."""
    signed = receive()
    document = advance(receive(), S.REGISTERED)
    before = snapshot(document)

    assert_conflict(post(bureau.clerk, signed, "screen", {"accept": True}))
    assert_forbidden(post(bureau.budget_head, document, "screen", {"accept": True}))
    assert_invalid(post(bureau.clerk, document, "screen", {"accept": False}), "reason")
    assert_invalid(post(bureau.clerk, document, "screen", {"accept": True, "handling": "filing"}), "handling")
    assert snapshot(document) == before
    assert fresh(signed).state == S.SIGNED


# --- 拟办 and 批示 ------------------------------------------------------------------------------------


def test_propose_sends_it_to_the_leader(bureau, receive, advance):
    """GIVEN a document in 拟办 WHEN the 文秘 proposes THEN it waits for the leader's 批示 and the
    leader is told."""
    document = advance(receive(), S.PROPOSAL)

    response = post(bureau.clerk, document, "propose", {"proposal": "拟请预算处牵头办理。", "leader": bureau.leader.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "instruction" and body["instructing_leader_name"] == "陈局长"
    assert body["proposal"] == "拟请预算处牵头办理。" and body["proposed_by_name"] == "郑文秘"
    assert Notification.objects.filter(recipient=bureau.leader.user, verb__startswith="请批示").exists()


def test_propose_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a document in 拟办 WHEN it is proposed from 登记 (409), by 预算处's staff (403), to
    someone who is not a leader or without text (400) THEN nothing changes."""
    registered = advance(receive(), S.REGISTERED)
    document = advance(receive(), S.PROPOSAL)
    before = snapshot(document)
    good = {"proposal": "拟请预算处牵头办理。", "leader": bureau.leader.pk}

    assert_conflict(post(bureau.clerk, registered, "propose", good))
    assert_forbidden(post(bureau.budget_staff, document, "propose", good))
    assert_invalid(post(bureau.clerk, document, "propose", {**good, "leader": bureau.budget_head.pk}), "leader")
    assert_invalid(post(bureau.clerk, document, "propose", {"leader": bureau.leader.pk}), "proposal")
    assert snapshot(document) == before


def test_instruct_assigns_the_units_with_their_deadlines(bureau, receive, advance):
    """GIVEN a document waiting for the 局长's 批示 WHEN he instructs with a lead and an assisting
    unit and a time limit THEN it is 承办中 with both 承办 rows, each with a deadline."""
    document = advance(receive(), S.INSTRUCTION)
    limit = timezone.localdate() + timedelta(days=10)

    response = post(
        bureau.leader,
        document,
        "instruct",
        {
            "instruction": "请预算处牵头办理。",
            "lead_unit": bureau.budget.pk,
            "assisting_units": [bureau.treasury.pk],
            "time_limit": limit.isoformat(),
            "supervise": True,
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "handling" and body["supervise"] is True and body["time_limit"] == limit.isoformat()
    assert [(a["unit_name"], a["role"], a["due"]) for a in body["assignments"]] == [
        ("国库处", "assist", limit.isoformat()),
        ("预算处", "lead", limit.isoformat()),
    ]
    assert {(d["kind"], d["responsible_unit"], d["state"]) for d in body["deadlines"]} == {
        ("document", bureau.budget.pk, "open"),
        ("document", bureau.treasury.pk, "open"),
    }


def test_instruct_can_send_the_proposal_back(bureau, receive, advance):
    """GIVEN a document waiting for 批示 WHEN the 局长 sends it back THEN the office proposes again."""
    document = advance(receive(), S.INSTRUCTION)

    response = post(bureau.leader, document, "instruct", {"instruction": "请再研究。", "send_back": True})

    assert response.json()["state"] == "proposal"


def test_instruct_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a document waiting for 批示 WHEN the 文秘 instructs (403), the 局长 names no lead unit or
    a past time limit (400), or instructs a document already handled (409) THEN nothing changes."""
    document = advance(receive(), S.INSTRUCTION)
    handled = advance(receive(), S.HANDLING)
    before = snapshot(document)
    good = {"instruction": "请预算处牵头办理。", "lead_unit": bureau.budget.pk}

    assert_forbidden(post(bureau.clerk, document, "instruct", good))
    assert_invalid(post(bureau.leader, document, "instruct", {"instruction": "请办理。"}), "lead_unit")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert_invalid(post(bureau.leader, document, "instruct", {**good, "time_limit": yesterday}), "time_limit")
    assert_invalid(post(bureau.leader, document, "instruct", {**good, "lead_unit": 999_999}), "lead_unit")
    assert snapshot(document) == before
    assert_conflict(post(bureau.leader, handled, "instruct", good))


# --- 承办 and 办结 ------------------------------------------------------------------------------------


def test_unit_done_reports_the_assisting_units_input(bureau, receive, advance):
    """GIVEN a document in 承办 WHEN 国库处's head reports THEN the 协办 row is done with the note;
    reporting again is a 409."""
    document = advance(receive(), S.HANDLING)

    response = post(bureau.treasury_head, document, "unit-done", {"unit": bureau.treasury.pk, "note": "已提供数据。"})

    assert response.status_code == 200, response.content
    assist = next(a for a in response.json()["assignments"] if a["role"] == "assist")
    assert assist["done_at"] and assist["note"] == "已提供数据。"
    assert_conflict(post(bureau.treasury_head, document, "unit-done", {"unit": bureau.treasury.pk, "note": "再报"}))


def test_unit_done_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a document in 承办 WHEN 预算处's staff reports for 国库处 or 预算处's head (the lead unit's,
    heading no assisting unit) for 预算处 (403), 国库处's head for the lead unit or without a note
    (400) THEN nothing changes."""
    document = advance(receive(), S.HANDLING)
    before = snapshot(document)

    assert_forbidden(post(bureau.budget_staff, document, "unit-done", {"unit": bureau.treasury.pk, "note": "好"}))
    assert_forbidden(post(bureau.budget_head, document, "unit-done", {"unit": bureau.budget.pk, "note": "好"}))
    assert_invalid(post(bureau.treasury_head, document, "unit-done", {"unit": bureau.budget.pk, "note": "好"}), "unit")
    assert_invalid(post(bureau.treasury_head, document, "unit-done", {"unit": bureau.treasury.pk}), "note")
    assert snapshot(document) == before
    assert Assignment.objects.filter(document=document, done_at__isnull=False).count() == 0


def test_complete_records_the_result(bureau, receive, advance):
    """GIVEN a document in 承办 WHEN 预算处's head completes it THEN it is 已办结 on time with the
    result and reply, and its deadlines are met."""
    document = advance(receive(), S.HANDLING)

    response = post(bureau.budget_head, document, "complete", {"result": "已落实。", "reply": "已函复。"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done" and body["done_on_time"] is True
    assert body["result"] == "已落实。" and body["reply"] == "已函复。"
    assert {d["state"] for d in body["deadlines"]} == {"met"}


def test_complete_refusals_change_nothing(bureau, receive, advance):
    """GIVEN documents in 批示 and in 承办 WHEN the office completes the first (409), 预算处's staff
    the second (403) or its head without a result (400) THEN nothing changes."""
    waiting = advance(receive(), S.INSTRUCTION)
    document = advance(receive(), S.HANDLING)
    before = snapshot(document)

    assert_conflict(post(bureau.clerk, waiting, "complete", {"result": "已办。"}))
    assert_forbidden(post(bureau.budget_staff, document, "complete", {"result": "已办。"}))
    assert_invalid(post(bureau.budget_head, document, "complete", {"result": " "}), "result")
    assert snapshot(document) == before


def test_archive_files_a_done_document(bureau, receive, advance):
    """GIVEN a done document WHEN the 文秘 archives it for 10年 THEN it is 已归档 with its 保管期限."""
    document = advance(receive(), S.DONE)

    response = post(bureau.clerk, document, "archive", {"retention": "10年"})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "archived" and response.json()["retention"] == "10年"


def test_archive_refusals_change_nothing(bureau, receive, advance, circulating):
    """GIVEN a document in 承办 and done ones WHEN the first is archived (409), 预算处's head archives
    (403), the retention is unknown or readers are pending without a reason (400) THEN nothing
    changes."""
    handling = advance(receive(), S.HANDLING)
    document = advance(receive(), S.DONE)
    pending = advance(circulating, S.DONE)
    before, pending_before = snapshot(document), snapshot(pending)

    assert_conflict(post(bureau.clerk, handling, "archive", {"retention": "10年"}))
    assert_forbidden(post(bureau.budget_head, document, "archive", {"retention": "10年"}))
    assert_invalid(post(bureau.clerk, document, "archive", {"retention": "5年"}), "retention")
    assert_invalid(post(bureau.clerk, pending, "archive", {"retention": "10年"}), "override_reason")
    assert (snapshot(document), snapshot(pending)) == (before, pending_before)
    forced = post(bureau.clerk, pending, "archive", {"retention": "10年", "override_reason": "领导已当面传达"})
    assert forced.json()["state"] == "archived" and forced.json()["archive_override"] == "领导已当面传达"


def test_chase_notifies_the_units_and_is_recorded(bureau, receive, advance):
    """GIVEN a document in 承办 WHEN the 文秘 chases THEN the heads of the units still handling it
    are notified and the 催办 is in the 流转记录; chasing a done document is a 409."""
    document = advance(receive(), S.HANDLING)

    response = post(bureau.clerk, document, "chase", {"message": "请于本周内报送。"})

    assert response.status_code == 200, response.content
    assert response.json()["transitions"][-1]["action"] == "催办"
    for head in (bureau.budget_head, bureau.treasury_head):
        assert Notification.objects.filter(recipient=head.user, verb__contains="请于本周内报送").exists()
    done = advance(receive(), S.DONE)
    assert_conflict(post(bureau.clerk, done, "chase", {"message": "请报送。"}))


def test_chase_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a document in 承办 WHEN 预算处's staff chases (403) or the message is empty (400) THEN
    nothing is recorded and no one is notified."""
    document = advance(receive(), S.HANDLING)
    before, notes = snapshot(document), Notification.objects.count()

    assert_forbidden(post(bureau.budget_staff, document, "chase", {"message": "快"}))
    assert_invalid(post(bureau.clerk, document, "chase", {"message": ""}), "message")
    assert (snapshot(document), Notification.objects.count()) == (before, notes)


# --- 传阅 ---------------------------------------------------------------------------------------------


def test_circulate_sends_it_round_to_each_reader(bureau, receive, advance):
    """GIVEN a 阅件 WHEN the 文秘 circulates it THEN each reader has it (已送达) with the due date,
    and the document is 传阅中."""
    document = advance(receive(), S.CIRCULATING)
    due = timezone.localdate() + timedelta(days=5)

    response = post(
        bureau.clerk,
        document,
        "circulate",
        {"readers": [bureau.reader.pk, bureau.second_reader.pk], "note": "请研阅", "due": due.isoformat()},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["circulating"] is True
    [circulation] = body["circulations"]
    assert circulation["note"] == "请研阅" and circulation["due"] == due.isoformat()
    assert [(r["person_name"], r["state"]) for r in circulation["readers"]] == [
        ("尤研究员", "sent"),
        ("许研究员", "sent"),
    ]


def test_circulate_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a 机密 阅件 and a signed document WHEN the signed one is circulated (409), 预算处's head
    circulates (403), a reader's clearance is too low or no reader is named (400) THEN nothing
    changes."""
    signed = receive()
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.CIRCULATING)
    before = snapshot(document)

    assert_conflict(post(bureau.clerk, signed, "circulate", {"readers": [bureau.reader.pk], "note": "请阅"}))
    assert_forbidden(post(bureau.budget_head, document, "circulate", {"readers": [bureau.reader.pk], "note": "请阅"}))
    too_low = post(bureau.clerk, document, "circulate", {"readers": [bureau.low_reader.pk], "note": "请阅"})
    assert "何科员" in str(assert_invalid(too_low, "readers"))
    assert_invalid(post(bureau.clerk, document, "circulate", {"readers": [], "note": "请阅"}), "readers")
    assert snapshot(document) == before


def test_a_reader_receives_then_reads_with_a_comment(bureau, circulating):
    """GIVEN a circulation WHEN a reader opens it and then reads it with a comment THEN their row
    shows 已收到 then 已阅 with the times and comment; the other reader is still pending."""
    reader = reader_of(circulating, bureau.reader)

    opened = post(bureau.reader, circulating, f"readers/{reader.pk}/open")
    read = post(bureau.reader, circulating, f"readers/{reader.pk}/read", {"comment": "已阅，同意。"})

    assert opened.status_code == 200, opened.content
    assert read.status_code == 200, read.content
    rows = {r["person_name"]: r for r in read.json()["circulations"][0]["readers"]}
    assert rows["尤研究员"]["state"] == "read" and rows["尤研究员"]["comment"] == "已阅，同意。"
    assert rows["尤研究员"]["opened_at"] and rows["尤研究员"]["read_at"]
    assert rows["许研究员"]["state"] == "sent"
    assert read.json()["circulating"] is True


def test_reader_refusals_change_nothing(bureau, circulating):
    """GIVEN a circulation WHEN a reader reads before opening (409), opens someone else's copy (403),
    sends an overlong comment (400) or names a reader of another document (404) THEN nothing
    changes."""
    mine, theirs = reader_of(circulating, bureau.reader), reader_of(circulating, bureau.second_reader)
    before = snapshot(circulating)

    assert_conflict(post(bureau.reader, circulating, f"readers/{mine.pk}/read"))
    assert_forbidden(post(bureau.reader, circulating, f"readers/{theirs.pk}/open"))
    post(bureau.reader, circulating, f"readers/{mine.pk}/open")
    opened = snapshot(circulating)
    assert_invalid(post(bureau.reader, circulating, f"readers/{mine.pk}/read", {"comment": "阅" * 301}), "comment")
    assert post(bureau.reader, circulating, f"readers/{999_999}/open").status_code == 404
    assert snapshot(circulating) == opened
    assert before != opened  # only the open went through
    assert reader_of(circulating, bureau.reader).state == ReaderState.OPENED


def test_recall_releases_the_pending_readers(bureau, circulating):
    """GIVEN a circulation with one reader done WHEN the 文秘 recalls it THEN the other reader is
    已收回 and the document is no longer 传阅中; recalling again is a 409."""
    mine = reader_of(circulating, bureau.reader)
    post(bureau.reader, circulating, f"readers/{mine.pk}/open")
    post(bureau.reader, circulating, f"readers/{mine.pk}/read")
    circulation = Circulation.objects.get(document=circulating)

    response = post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {"reason": "误送"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["circulating"] is False and body["circulations"][0]["recalled_at"]
    assert {r["person_name"]: r["state"] for r in body["circulations"][0]["readers"]} == {
        "尤研究员": "read",
        "许研究员": "recalled",
    }
    assert_conflict(post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {"reason": "再收"}))


def test_recall_refusals_change_nothing(bureau, circulating):
    """GIVEN a circulation WHEN a reader recalls it (403), the reason is missing (400) or the
    circulation belongs to another document (404) THEN nothing changes."""
    circulation = Circulation.objects.get(document=circulating)
    before = snapshot(circulating)

    assert_forbidden(post(bureau.reader, circulating, f"circulations/{circulation.pk}/recall", {"reason": "收"}))
    assert_invalid(post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {}), "reason")
    assert post(bureau.clerk, circulating, "circulations/999999/recall", {"reason": "收"}).status_code == 404
    assert snapshot(circulating) == before


# --- Reads ---------------------------------------------------------------------------------------


def test_detail_shows_the_whole_record(bureau, receive, advance):
    """GIVEN a document in 承办 that is also being circulated WHEN the 文秘 reads it THEN the detail
    has its 承办 rows, the 传阅 with each reader's state and times, the deadlines and the 流转记录."""
    document = advance(receive(body="请认真落实。"), S.HANDLING)
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    reader = reader_of(document, bureau.reader)
    incoming.circulation_open(actor=bureau.reader.user, reader=reader)

    body = as_(bureau.clerk).get(url(document)).json()

    assert body["body"] == "请认真落实。" and body["registration_text"].startswith("收〔")
    assert {a["role"] for a in body["assignments"]} == {"lead", "assist"}
    [reader_row] = body["circulations"][0]["readers"]
    assert reader_row["state"] == "opened" and reader_row["state_label"] == "已收到" and reader_row["opened_at"]
    assert reader_row["read_at"] is None
    assert body["circulating"] is True
    assert [t["action"] for t in body["transitions"]] == ["签收", "登记", "初审通过", "拟办", "批示", "传阅"]
    assert {d["kind"] for d in body["deadlines"]} == {"document"}


def test_top_secret_detail_never_carries_the_body(bureau, settings):
    """GIVEN a 绝密 document with content (the ceiling allows it) WHEN a cleared 文秘 reads it
    through the API THEN the body is null; the read is in the access log."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    keeper = make_person(
        username="in-keeper", name="魏机要", unit=bureau.office, roles=(Role.SECRETARY,), clearance=Level.TOP_SECRET
    )
    document = incoming.incoming_receive(
        actor=keeper.user,
        receiving_unit=bureau.organ,
        sender_organ="测试省人民政府",
        title="关于某重大事项的通知",
        body="绝密内容",
        level=Level.TOP_SECRET,
        basis="来文标注",
    )

    body = as_(keeper).get(url(document)).json()

    assert body["level_mark"].startswith("绝密") and body["body"] is None
    assert "body" not in as_(keeper).get(BASE).json()["results"][0]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(document.pk)).exists()


def test_list_rows_carry_the_register_fields_and_the_circulating_flag(bureau, receive, advance, circulating):
    """GIVEN a registered document and a circulating one WHEN the 文秘 lists THEN each row has its
    收文编号, 传阅中 flag and level mark, and no body."""
    registered = advance(receive(body="正文"), S.REGISTERED)

    rows = {row["id"]: row for row in as_(bureau.clerk).get(BASE).json()["results"]}

    assert rows[circulating.pk]["circulating"] is True
    assert rows[registered.pk]["circulating"] is False
    assert rows[registered.pk]["registration_text"] == fresh(registered).registration_text
    assert rows[registered.pk]["level_mark"] == "内部"
    assert "body" not in rows[registered.pk]


def test_list_filters_and_search(bureau, receive, advance, issued):
    """GIVEN documents in different states, channels, levels and handling WHEN the list is filtered
    by each parameter THEN only the matching ones come back; bad parameters are a 400."""
    fax = receive(channel="fax", title="测试省财政厅关于绩效评价的通知")
    secret = advance(receive(level=Level.SECRET, basis="来文标注", title="关于专项审计的通报"), S.REGISTERED)
    reading = advance(receive(title="测试省财政厅关于学习文件的通知"), S.CIRCULATING)
    client = as_(bureau.clerk)
    today = timezone.localdate()

    def ids(**params) -> set[int]:
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(state="pending") == {issued.pk}
    assert ids(channel="fax") == {fax.pk}
    assert ids(channel="internal") == {issued.pk}
    assert ids(classification="secret") == {secret.pk}
    assert ids(handling="reading") == {reading.pk}
    assert ids(receiving_unit=bureau.organ.pk) == {fax.pk, secret.pk, reading.pk, issued.pk}
    assert ids(year=today.year) == {secret.pk, reading.pk}
    assert ids(date_from=today.isoformat(), date_to=today.isoformat()) == {fax.pk, secret.pk, reading.pk}
    assert ids(date_from=(today + timedelta(days=1)).isoformat()) == set()
    assert ids(q="绩效评价") == {fax.pk}
    assert ids(q=fresh(secret).registration_text) == {secret.pk}
    assert_invalid(client.get(BASE, {"state": "lost"}), "state")
    assert_invalid(client.get(BASE, {"colour": "red"}), "colour")
    assert_invalid(client.get(BASE, {"date_from": today.isoformat(), "date_to": "2000-01-01"}), "date_to")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE, {"page_size": 200})
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_documents(bureau, receive, advance):
    """GIVEN 5 then 20 documents (registered, circulating, in 承办) WHEN the 文秘 lists them THEN the
    list costs the same number of queries."""
    client = as_(bureau.clerk)

    def grow(n: int) -> None:
        for i in range(n):
            document = receive(title=f"测试省财政厅关于第{i}项工作的通知")
            if i % 3 == 1:
                advance(document, S.CIRCULATING)
            elif i % 3 == 2:
                advance(document, S.HANDLING)

    grow(5)
    client.get(BASE)
    small = _list_queries(client)
    grow(15)
    large = _list_queries(client)

    assert client.get(BASE).json()["count"] == 20
    assert small == large


def test_inbox_shows_what_waits_for_each_person(bureau, receive, advance, issued, circulating):
    """GIVEN a delivery to sign for, a document to propose, one waiting for 批示 and one in 承办
    WHEN the 文秘, the 局长, 预算处's head and a reader open their inbox THEN each sees their queue."""
    proposal = advance(receive(), S.PROPOSAL)
    waiting = advance(receive(), S.INSTRUCTION)
    handling = advance(receive(), S.HANDLING)

    def inbox(person) -> dict:
        response = as_(person).get(f"{BASE}inbox/")
        assert response.status_code == 200, response.content
        return {step: {row["id"] for row in queue["results"]} for step, queue in response.json().items()}

    clerk = inbox(bureau.clerk)
    assert clerk["sign_for"] == {issued.pk} and clerk["propose"] == {proposal.pk}
    assert inbox(bureau.leader)["instruct"] == {waiting.pk}
    assert inbox(bureau.budget_head)["handle"] == {handling.pk}
    reading = as_(bureau.reader).get(f"{BASE}inbox/").json()["read"]
    assert reading["count"] == 1 and reading["results"][0]["document"] == circulating.pk
    assert reading["results"][0]["state"] == "sent"


def test_figures_give_the_completion_rates_by_lead_unit(bureau, receive, advance):
    """GIVEN two documents assigned to 预算处 this year, one done WHEN the 局长 asks for the figures
    THEN 预算处 has 2 assigned, 1 done on time: 50%; an inverted period is a 400."""
    advance(receive(), S.DONE)
    advance(receive(), S.HANDLING)
    today = timezone.localdate()
    client = as_(bureau.leader)

    response = client.get(f"{BASE}figures/", {"start": today.replace(month=1, day=1).isoformat(), "end": today})

    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "unit": bureau.budget.pk,
            "unit_name": "预算处",
            "assigned": 2,
            "done": 1,
            "done_on_time": 1,
            "completion_rate": 0.5,
            "on_time_rate": 0.5,
        }
    ]
    assert client.get(f"{BASE}figures/").json()[0]["assigned"] == 2  # this year by default
    assert_invalid(client.get(f"{BASE}figures/", {"start": today.isoformat(), "end": "2000-01-01"}), "end")


# --- The 收文登记簿 export ---------------------------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_register_export_lays_out_the_register(bureau, receive, advance):
    """GIVEN a document in 承办 and one whose title starts with = WHEN the 登记簿 is exported THEN the
    sheet has the register's columns and rows (no body), the formula stays text, and the export
    is in the access log."""
    handling = advance(receive(body="不应导出的正文"), S.HANDLING)
    receive(title='=HYPERLINK("http://example.com","点此")')

    response = as_(bureau.clerk).get(f"{BASE}register/")
    rows = _sheet(response)

    assert rows[0][:6] == ("序号", "收文编号", "来文机关", "来文字号", "标题", "文种")
    assert rows[0][-4:] == ("主办单位", "办理时限", "状态", "办结日期")
    row = next(r for r in rows[1:] if r[4] == handling.title)
    assert row[1] == fresh(handling).registration_text and row[2] == "测试省财政厅"
    assert row[13] == "预算处" and row[15] == "承办中"
    assert all("不应导出的正文" not in str(cell) for r in rows for cell in r)
    formula = next(c for c in load_workbook(BytesIO(response.content)).active["E"] if str(c.value).startswith("="))
    assert formula.data_type == "s"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "incoming_register" and event.detail["rows"] == 2


def test_register_export_follows_the_list_filters(bureau, receive, advance):
    """GIVEN a registered and a signed document WHEN the 登记簿 is exported for state=registered
    (also as register.xlsx) THEN only the registered one is in it; a bad filter is a 400 in JSON."""
    registered = advance(receive(), S.REGISTERED)
    receive(title="测试省财政厅关于未登记事项的通知")
    client = as_(bureau.clerk)

    rows = _sheet(client.get(f"{BASE}register/", {"state": "registered"}))
    suffixed = _sheet(client.get(f"{BASE}register.xlsx", {"state": "registered"}))

    assert [row[4] for row in rows[1:]] == [registered.title]
    assert suffixed[1:] == rows[1:]
    assert_invalid(client.get(f"{BASE}register/", {"state": "lost"}), "state")


# --- Leaks ---------------------------------------------------------------------------------------


ACTIONS = [
    ("sign-for", {}),
    ("register", {}),
    ("screen", {"accept": True}),
    ("propose", {"proposal": "拟办", "leader": 0}),
    ("instruct", {"instruction": "同意", "lead_unit": 0}),
    ("unit-done", {"unit": 0, "note": "好"}),
    ("complete", {"result": "已办"}),
    ("archive", {"retention": "10年"}),
    ("chase", {"message": "请办理"}),
    ("circulate", {"readers": [0], "note": "请阅"}),
    ("readers/{reader}/open", {}),
    ("readers/{reader}/read", {}),
    ("circulations/{circulation}/recall", {"reason": "收回"}),
]


@pytest.fixture
def secret_document(bureau, receive, advance, settings):
    """A 机密 document with its content (the ceiling raised, as in the demo) in 承办 at the bureau,
    being circulated to a cleared reader."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    document = advance(
        receive(title="关于某专项资金问题线索的通报", level=Level.SECRET, basis="来文标注", body="线索内容"), S.HANDLING
    )
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    return fresh(document)


@pytest.fixture
def outsiders(office, bureau):
    """Who must never learn of the bureau's 机密 document: someone of another organ cleared for
    绝密, and someone inside the bureau without the clearance."""
    return {"another organ": office.director, "no clearance": bureau.low_reader}


@pytest.mark.parametrize("who", ["another organ", "no clearance"])
def test_an_invisible_document_is_a_404_everywhere_and_in_no_list(bureau, secret_document, outsiders, who):
    """GIVEN a 机密 document WHEN someone outside its reach asks for it in any way THEN the detail and
    every action are 404 (each a ``denied`` event), and it is in no list, search, inbox, figures or
    register export; the document is unchanged."""
    person = outsiders[who]
    client = as_(person)
    before = snapshot(secret_document)
    reader = reader_of(secret_document, bureau.reader)
    circulation = reader.circulation
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).count()

    assert client.get(url(secret_document)).status_code == 404
    for action, body in ACTIONS:
        path = action.format(reader=reader.pk, circulation=circulation.pk)
        response = client.post(url(secret_document, path), body, format="json")
        assert response.status_code == 404, (action, response.content)
    assert snapshot(secret_document) == before
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() > denied

    assert client.get(BASE).json()["count"] == 0
    assert client.get(BASE, {"q": "专项资金"}).json()["count"] == 0
    assert all(not queue["results"] for queue in client.get(f"{BASE}inbox/").json().values())
    assert client.get(f"{BASE}figures/").json() == []
    rows = _sheet(client.get(f"{BASE}register/"))
    assert rows[1:] == []


def test_the_cleared_reader_sees_the_document_the_low_one_does_not(bureau, secret_document):
    """GIVEN the 机密 document WHEN the cleared reader of the bureau and its 文秘 search THEN they find
    it, and the reader reads its body."""
    for person in (bureau.reader, bureau.clerk):
        assert [row["id"] for row in as_(person).get(BASE, {"q": "专项资金"}).json()["results"]] == [secret_document.pk]
    assert as_(bureau.reader).get(url(secret_document)).json()["body"] == "线索内容"


def test_anonymous_callers_get_nothing(secret_document):
    """GIVEN the 机密 document WHEN an anonymous caller asks THEN 401 on the list and the detail."""
    client = APIClient()
    assert client.get(BASE).status_code == 401
    assert client.get(url(secret_document)).status_code == 401


def test_a_reader_whose_clearance_is_lowered_no_longer_finds_the_document(bureau, secret_document):
    """GIVEN the 机密 document circulated to a cleared reader WHEN his clearance is lowered to 内部
    THEN it leaves his 待阅 queue and his list, and its detail and his reader actions are 404."""
    reader = reader_of(secret_document, bureau.reader)
    client = as_(bureau.reader)
    assert client.get(f"{BASE}inbox/").json()["read"]["count"] == 1

    bureau.reader.clearance = Level.INTERNAL
    bureau.reader.save(update_fields=["clearance"])

    queue = client.get(f"{BASE}inbox/").json()["read"]
    assert queue == {"count": 0, "results": []}
    assert client.get(BASE).json()["count"] == 0
    assert client.get(url(secret_document)).status_code == 404
    assert client.post(url(secret_document, f"readers/{reader.pk}/open")).status_code == 404


def test_the_office_of_an_organ_below_does_not_run_the_receiving_organs_mail(bureau, receive, advance):
    """GIVEN a branch bureau — an organ of its own under the receiving bureau — with its own 文秘
    WHEN that 文秘 registers or screens the bureau's documents THEN 404 (the bureau's mail is not the
    branch's business: it cannot even see it); receiving for the bureau is 403; and the bureau's
    documents are not in the branch's 待登记 queue."""
    branch = OrganFactory(name="测试市财政局直属分局", parent=bureau.organ)
    branch_clerk = make_person(username="in-branch-clerk", name="吕文秘", unit=branch, roles=(Role.SECRETARY,))
    signed = receive()
    registered = advance(receive(), S.REGISTERED)
    before = (snapshot(signed), snapshot(registered))

    assert post(branch_clerk, signed, "register").status_code == 404
    assert post(branch_clerk, registered, "screen", {"accept": True}).status_code == 404
    created = as_(branch_clerk).post(
        BASE,
        {"receiving_unit": bureau.organ.pk, "sender_organ": "测试省财政厅", "title": "关于某事的通知"},
        format="json",
    )
    assert_forbidden(created)
    assert as_(branch_clerk).get(f"{BASE}inbox/").json()["register"]["count"] == 0
    assert (snapshot(signed), snapshot(registered)) == before


def test_propose_refuses_a_leader_not_cleared_for_the_document(bureau, receive, advance):
    """GIVEN a 机密 document in 拟办 and a deputy leader cleared only for 内部 WHEN the 文秘 proposes it
    to him THEN 400 on ``leader`` (he could never open it to instruct), and it stays in 拟办."""
    deputy = make_person(username="in-deputy", name="严副局长", unit=bureau.organ, roles=(Role.LEADER,))
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.PROPOSAL)
    before = snapshot(document)

    refused = post(bureau.clerk, document, "propose", {"proposal": "拟请阅示。", "leader": deputy.pk})

    assert "涉密等级" in str(assert_invalid(refused, "leader"))
    assert snapshot(document) == before
