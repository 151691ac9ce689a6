"""``/api/v1/documents/outgoing/``: the workflow, step by step — the whole line through the API (送核,
核稿, 会签, 签发, 登记, 核发, 归档), then each step (withdraw, review blocked by the checker's
errors, countersign, sign by the principal leader, register's next number, issue, archive, end,
void, void the number) done, refused to the wrong person with 403, given bad input with 400 or
refused by the workflow with 409 — and the 流转记录 written by the services.

The people are those of the ``office`` fixture, with ``make_document`` / ``walk`` to draft and move
a document (``conftest.py``); the client, URLs, ``draft_body`` and answer checks come from
``outgoing_api_helpers.py``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from documents.models import DocumentNumber, NumberState, OutgoingDocument, Transition
from tests.documents.outgoing_api_helpers import (
    BASE,
    S,
    as_,
    assert_conflict,
    assert_invalid,
    draft_body,
    fresh,
    post,
    url,
)
from tests.factories import make_person

pytestmark = pytest.mark.django_db


# --- The workflow, step by step ---------------------------------------------------------------


def test_the_whole_line_through_the_api(office):
    """GIVEN a draft with a countersign unit WHEN each person takes their step through the API
    (送核, 核稿, 会签, 签发, 登记, 核发, 归档) THEN the document ends archived with its number, 成文日期,
    signer and the full 流转记录; the recipient organ reads it only once it is issued."""
    created = as_(office.drafter).post(
        BASE, draft_body(office, countersign_units=[office.countersign_unit.pk]), format="json"
    )
    document = OutgoingDocument.objects.get(pk=created.json()["id"])
    steps = [
        (office.drafter, "submit", {"comment": "请核稿"}, "review"),
        (office.clerk, "review", {"approve": True, "comment": "格式规范"}, "countersign"),
        (office.countersign_head, "countersign", {"unit": office.countersign_unit.pk, "agree": True}, "signoff"),
        (office.director, "sign", {"approve": True, "opinion": "同意印发"}, "recheck"),
        (office.clerk, "register", {"copies": 5}, "registered"),
    ]
    for person, action, body, state in steps:
        response = post(person, document, action, body)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["state"] == state, action
    assert as_(office.bureau_staff).get(url(document)).status_code == 404

    issued = post(office.clerk, document, "issue")
    archived = post(office.clerk, document, "archive", {"retention": "30年"})

    assert issued.status_code == 200 and issued.json()["state"] == "issued"
    assert archived.status_code == 200, archived.content
    data = archived.json()
    year = timezone.localdate().year
    assert data["state"] == "archived" and data["retention"] == "30年"
    assert data["number"] == f"测办发〔{year}〕1号"
    assert data["copies"] == 5
    assert data["signed_by_name"] == "赵主任" and data["sign_opinion"] == "同意印发"
    assert data["written_date"] == timezone.localdate().isoformat()
    assert data["countersigns"][0]["state"] == "agreed"
    assert [t["action"] for t in data["transitions"]] == [
        "拟稿",
        "送核稿",
        "核稿通过",
        "会签完毕",
        "签发",
        "登记编号",
        "核发",
        "归档",
    ]
    assert as_(office.bureau_staff).get(url(document)).status_code == 200


def test_submit_is_the_drafters_and_happens_once(office, make_document):
    """GIVEN a draft WHEN the clerk submits it THEN 403; WHEN the drafter submits it twice THEN the
    first moves it to 核稿 and the second is a 409."""
    document = make_document()

    assert post(office.clerk, document, "submit").status_code == 403
    assert fresh(document).state == S.DRAFT
    assert post(office.drafter, document, "submit").json()["state"] == "review"
    assert_conflict(post(office.drafter, document, "submit"))
    assert fresh(document).state == S.REVIEW


def test_withdraw_before_the_next_step(office, make_document, walk):
    """GIVEN a submitted document WHEN the clerk tries to withdraw it THEN 403; WHEN the drafter
    withdraws it THEN it is a draft again; a draft cannot be withdrawn (409)."""
    document = walk(make_document(), S.REVIEW)

    assert post(office.clerk, document, "withdraw").status_code == 403
    response = post(office.drafter, document, "withdraw", {"reason": "补充材料"})
    assert response.status_code == 200 and response.json()["state"] == "draft"
    assert response.json()["transitions"][-1]["comment"] == "补充材料"
    assert_conflict(post(office.drafter, document, "withdraw"))


def test_review_returns_need_a_comment(office, make_document, walk):
    """GIVEN a document in 核稿 WHEN the clerk returns it without a comment THEN 400 on ``comment``
    and it stays in 核稿; WHEN the drafter reviews it THEN 403; WHEN the clerk returns it with a
    comment THEN it is a draft, and reviewing a draft is a 409."""
    document = walk(make_document(), S.REVIEW)

    assert_invalid(post(office.clerk, document, "review", {"approve": False}), "comment")
    assert fresh(document).state == S.REVIEW
    assert post(office.drafter, document, "review", {"approve": True}).status_code == 403
    assert_invalid(post(office.clerk, document, "review", {}), "approve")
    returned = post(office.clerk, document, "review", {"approve": False, "comment": "请精简正文"})
    assert returned.status_code == 200 and returned.json()["state"] == "draft"
    assert_conflict(post(office.clerk, document, "review", {"approve": True}))


def test_review_is_blocked_by_checker_errors(office, make_document, walk):
    """GIVEN a 请示 addressed to two organs (the checker's error) in 核稿 WHEN the clerk passes it
    THEN 400 lists the finding and it stays in 核稿."""
    document = walk(
        make_document(
            kind="request",
            title="测试办公室关于增加编制的请示",
            main_to_units=[office.bureau, office.organ],
            body="妥否，请批示。",
        ),
        S.REVIEW,
    )

    errors = assert_invalid(post(office.clerk, document, "review", {"approve": True}), "findings")
    assert any("主送" in message for message in errors["findings"])
    assert fresh(document).state == S.REVIEW


def test_countersign_by_the_units_head_only(office, make_document, walk):
    """GIVEN a document in 会签 WHEN a unit not asked is named THEN 400 on ``unit``; WHEN a member
    of the unit who is not its head agrees THEN 403; WHEN the head returns it without an opinion
    THEN 400; with an opinion THEN it goes back to the drafter; and 会签 of a draft is a 409."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), S.COUNTERSIGN)
    member = make_person(username="doc-fagui2", name="政策法规处科员", unit=office.countersign_unit)
    unit = office.countersign_unit.pk

    assert_invalid(
        post(office.countersign_head, document, "countersign", {"unit": office.bureau.pk, "agree": True}), "unit"
    )
    assert post(member, document, "countersign", {"unit": unit, "agree": True}).status_code == 403
    assert_invalid(post(office.countersign_head, document, "countersign", {"unit": unit, "agree": False}), "opinion")
    assert fresh(document).state == S.COUNTERSIGN
    returned = post(
        office.countersign_head, document, "countersign", {"unit": unit, "agree": False, "opinion": "请修改第二条"}
    )
    assert returned.status_code == 200 and returned.json()["state"] == "draft"
    assert_conflict(post(office.countersign_head, document, "countersign", {"unit": unit, "agree": True}))


def test_sign_by_the_principal_leader_for_important_documents(office, make_document, walk):
    """GIVEN an important document waiting for 签发 WHEN the deputy signs THEN 403 naming the
    principal leader; WHEN the drafter signs THEN 403; WHEN the director returns it without an
    opinion THEN 400; WHEN the director signs THEN it goes to 复核 with the signer and the 成文日期."""
    document = walk(make_document(important=True), S.SIGNOFF)

    refused = post(office.deputy, document, "sign", {"approve": True})
    assert refused.status_code == 403 and "赵主任" in refused.json()["detail"]
    assert post(office.drafter, document, "sign", {"approve": True}).status_code == 403
    assert_invalid(post(office.director, document, "sign", {"approve": False}), "opinion")
    assert fresh(document).state == S.SIGNOFF
    signed = post(office.director, document, "sign", {"approve": True})
    assert signed.status_code == 200, signed.content
    assert (signed.json()["state"], signed.json()["signed_by"]) == ("recheck", office.director.pk)
    assert signed.json()["written_date"] == timezone.localdate().isoformat()
    assert_conflict(post(office.director, document, "sign", {"approve": True}))


def test_register_takes_the_next_number(office, make_document, walk):
    """GIVEN a signed document WHEN the drafter registers it THEN 403; WHEN copies is 0 THEN 400;
    WHEN the clerk registers it THEN it has the series' next number; registering again is a 409."""
    document = walk(make_document(), S.RECHECK)

    assert post(office.drafter, document, "register").status_code == 403
    assert_invalid(post(office.clerk, document, "register", {"copies": 0}), "copies")
    assert fresh(document).number_id is None
    registered = post(office.clerk, document, "register", {})
    assert registered.status_code == 200, registered.content
    assert registered.json()["number"] == f"测办发〔{timezone.localdate().year}〕1号"
    assert_conflict(post(office.clerk, document, "register"))
    assert DocumentNumber.objects.count() == 1


def test_issue_refuses_unregistered_documents_and_bodies(office, make_document, walk):
    """GIVEN a signed document WHEN the clerk issues it before registering THEN 409; WHEN the
    drafter issues a registered one THEN 403; a body with fields is a 400; WHEN the clerk issues
    it THEN the recipient organ can read it."""
    document = walk(make_document(), S.RECHECK)

    assert_conflict(post(office.clerk, document, "issue"))
    walk(document, S.REGISTERED)
    assert post(office.drafter, document, "issue").status_code == 403
    assert_invalid(post(office.clerk, document, "issue", {"to": "all"}), "to")
    assert post(office.clerk, document, "issue").json()["state"] == "issued"
    assert as_(office.bureau_staff).get(url(document)).status_code == 200


def test_archive_with_a_valid_retention(office, make_document, walk):
    """GIVEN an issued document WHEN it is archived for 5年 THEN 400; by the drafter THEN 403; an
    unissued one is a 409; WHEN the clerk archives it 永久 THEN it is archived."""
    draft = make_document()
    document = walk(make_document(title="测试办公室关于另一事项的通知"), S.ISSUED)

    assert_invalid(post(office.clerk, document, "archive", {"retention": "5年"}), "retention")
    assert post(office.drafter, document, "archive", {"retention": "永久"}).status_code == 403
    assert_conflict(post(office.clerk, draft, "archive", {"retention": "永久"}))
    archived = post(office.clerk, document, "archive", {"retention": "永久"})
    assert (archived.json()["state"], archived.json()["retention"]) == ("archived", "永久")


def test_end_revokes_or_abolishes_issued_documents(office, make_document, walk):
    """GIVEN an issued document WHEN the drafter ends it THEN 403; without a reason THEN 400; a
    draft cannot be ended (409); WHEN the director abolishes it THEN it is 已废止 with the reason."""
    draft = make_document()
    document = walk(make_document(title="测试办公室关于另一事项的通知"), S.ISSUED)

    assert post(office.drafter, document, "end", {"abolish": True, "reason": "已过时"}).status_code == 403
    assert_invalid(post(office.director, document, "end", {"abolish": True}), "reason")
    assert_conflict(post(office.director, draft, "end", {"abolish": False, "reason": "误发"}))
    ended = post(office.director, document, "end", {"abolish": True, "reason": "政策已调整"})
    assert (ended.json()["state"], ended.json()["state_reason"]) == ("abolished", "政策已调整")


def test_void_a_draft_keeps_it_on_record(office, make_document, walk):
    """GIVEN a draft WHEN the clerk voids it THEN 403; without a reason THEN 400; WHEN the drafter
    voids it THEN it is 已作废 and still readable; a submitted document cannot be voided (409)."""
    draft = make_document()
    submitted = walk(make_document(title="测试办公室关于另一事项的通知"), S.REVIEW)

    assert post(office.clerk, draft, "void", {"reason": "重复"}).status_code == 403
    assert_invalid(post(office.drafter, draft, "void", {}), "reason")
    voided = post(office.drafter, draft, "void", {"reason": "重复拟稿"})
    assert (voided.json()["state"], voided.json()["state_reason"]) == ("voided", "重复拟稿")
    assert as_(office.drafter).get(url(draft)).status_code == 200
    assert_conflict(post(office.drafter, submitted, "void", {"reason": "不发了"}))


def test_void_number_keeps_it_in_the_ledger(office, make_document, walk):
    """GIVEN a registered document WHEN the drafter voids its number THEN 403; WHEN the clerk does
    THEN the document has no number and the ledger keeps it as void; a document without a number
    is a 400; an issued document's number cannot be voided (409)."""
    document = walk(make_document(), S.REGISTERED)
    issued = walk(make_document(title="测试办公室关于另一事项的通知"), S.ISSUED)
    number = document.number

    assert post(office.drafter, document, "void-number", {"reason": "错号"}).status_code == 403
    voided = post(office.clerk, document, "void-number", {"reason": "错号"})
    assert voided.status_code == 200, voided.content
    assert voided.json()["number"] is None
    assert DocumentNumber.objects.get(pk=number.pk).state == NumberState.VOID
    assert_invalid(post(office.clerk, document, "void-number", {"reason": "再作废"}), "number")
    assert_conflict(post(office.clerk, issued, "void-number", {"reason": "错号"}))


def test_actions_on_unknown_documents_are_404(office):
    """GIVEN no document 987654 WHEN an action is posted to it THEN 404."""
    assert as_(office.clerk).post(f"{BASE}987654/submit/", {}, format="json").status_code == 404


def test_transitions_are_written_by_the_services(office, make_document):
    """GIVEN a draft submitted through the API THEN the 流转记录 row names the API caller."""
    document = make_document()

    post(office.drafter, document, "submit", {"comment": "请审核"})

    line = Transition.objects.filter(document=document).last()
    assert (line.actor_id, line.comment, line.to_state) == (office.drafter.user.pk, "请审核", S.REVIEW)
