"""``/api/v1/documents/incoming/``: 签收 from outside and every workflow step as an action — 签收 of a
delivery, 登记, 初审, 拟办, 批示, 协办意见, 办结, 归档, 催办 — each done, refused by the workflow
with 409, refused to the wrong person with 403, or given bad input with 400 and nothing changed.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``issued`` / ``circulating``
fixtures come from ``conftest.py``; the client, URL, ``snapshot`` and answer checks from
``incoming_api_helpers.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Assignment, IncomingDocument
from office.reminders.models import Notification
from tests.documents.incoming_api_helpers import (
    BASE,
    S,
    as_,
    assert_conflict,
    assert_forbidden,
    assert_invalid,
    fresh,
    post,
    snapshot,
)

pytestmark = pytest.mark.django_db


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
