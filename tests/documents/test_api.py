"""``/api/v1/documents/outgoing/``: drafting, editing, every workflow step, the reads (detail,
check, search, filters), the 发文登记簿 export and the rendered download, as the people of the
``office`` fixture (conftest.py) meet them."""

from __future__ import annotations

import re
import sys
import types
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import (
    Attachment,
    DocumentNumber,
    DocumentState,
    NumberState,
    OutgoingDocument,
    Transition,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db

S = DocumentState
BASE = "/api/v1/documents/outgoing/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(document, action: str = "") -> str:
    return f"{BASE}{document.pk}/{action + '/' if action else ''}"


def post(person, document, action: str, body: dict | None = None):
    return as_(person).post(url(document, action), body or {}, format="json")


def fresh(document) -> OutgoingDocument:
    return OutgoingDocument.objects.get(pk=document.pk)


def assert_conflict(response) -> None:
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["detail"]


def assert_invalid(response, *fields: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    for field in fields:
        assert field in body["errors"], body
    return body["errors"]


def audit_events(action: str, document=None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action=action)
    if document is not None:
        events = events.filter(object_id=str(document.pk), content_type__model="outgoingdocument")
    return list(events)


@pytest.fixture
def colleague(office):
    """Another 承办人 of the drafter's 综合科: inside the scope, but not the drafter."""
    return make_person(username="doc-colleague", name="吴同事", unit=office.general_section, clearance=Level.SECRET)


@pytest.fixture
def cleared_drafter(office):
    """A drafter in 综合科 cleared for 机密."""
    return make_person(username="doc-cleared", name="郑机要", unit=office.general_section, clearance=Level.SECRET)


@pytest.fixture
def cleared_clerk(office):
    return make_person(
        username="doc-clerk2", name="冯文秘", unit=office.secretariat, clearance=Level.SECRET, roles=(Role.SECRETARY,)
    )


@pytest.fixture
def ceiling_top_secret(settings):
    """The demo deployment's ceiling: classified content may be entered."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


@pytest.fixture
def fake_rendering(monkeypatch):
    """A stand-in for ``documents.rendering`` that records its calls; the API's contract with the
    renderer (document, reader, bytes back, ExportRefused) is what these tests pin."""
    module = types.ModuleType("documents.rendering")

    class ExportRefused(ValueError):
        pass

    module.calls = []
    module.refuse = None

    def _render(kind):
        def render(document, *, reader):
            module.calls.append((kind, document.pk, reader.pk))
            if module.refuse:
                raise ExportRefused(module.refuse)
            return f"{kind}:{document.title}".encode()

        return render

    module.ExportRefused = ExportRefused
    module.render_docx = _render("docx")
    module.render_pdf = _render("pdf")
    monkeypatch.setitem(sys.modules, "documents.rendering", module)
    return module


def draft_body(office, **overrides) -> dict:
    body = {
        "series": office.series.pk,
        "title": "测试办公室关于做好年终工作的通知",
        "kind": "notice",
        "main_to_units": [office.bureau.pk],
        "body": "各单位：\n请于2026年12月31日前报送年度总结。",
        "disclosure": "proactive",
    }
    body.update(overrides)
    return body


# --- Drafting -----------------------------------------------------------------------------------


def test_create_drafts_a_document_in_the_callers_unit(office):
    """GIVEN a 承办人 WHEN they POST a draft with recipients and a countersign unit THEN it is a
    draft of their unit, with its countersign pending, a 拟稿 line in the 流转记录 and the findings."""
    response = as_(office.drafter).post(
        BASE,
        draft_body(office, countersign_units=[office.countersign_unit.pk], cc_external="市审计局"),
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    document = OutgoingDocument.objects.get()
    assert data["id"] == document.pk
    assert (data["state"], data["drafting_unit"], data["drafter"]) == (
        "draft",
        office.general_section.pk,
        office.drafter.pk,
    )
    assert data["classification"] == "internal" and data["level_mark"] == "内部"
    assert data["number"] is None
    assert data["main_to_units"] == [office.bureau.pk]
    assert data["main_to_text"] == "测试市财政局"
    assert data["cc_text"] == "市审计局"
    assert [(c["unit"], c["state"]) for c in data["countersigns"]] == [(office.countersign_unit.pk, "pending")]
    assert [t["action"] for t in data["transitions"]] == ["拟稿"]
    assert isinstance(data["findings"], list)
    assert data["body"].startswith("各单位")


def test_create_refuses_bad_input_with_field_errors_and_stores_nothing(office):
    """GIVEN a draft without a title, with an unknown kind and a unit that does not exist WHEN it
    is POSTed THEN 400 names each field, and no document exists."""
    response = as_(office.drafter).post(
        BASE, draft_body(office, title="", kind="poem", main_to_units=[987654]), format="json"
    )

    assert_invalid(response, "title", "kind", "main_to_units")
    assert not OutgoingDocument.objects.exists()


def test_create_refuses_unknown_and_read_only_fields(office):
    """GIVEN a draft carrying a misspelt field and the read-only ``state`` WHEN it is POSTed THEN
    400 names both, rather than silently dropping them."""
    response = as_(office.drafter).post(BASE, draft_body(office, titel="错字", state="issued"), format="json")

    errors = assert_invalid(response, "titel", "state")
    assert errors["titel"] == ["未知字段或只读字段。"]
    assert not OutgoingDocument.objects.exists()


def test_create_classified_with_its_term(office, cleared_drafter, ceiling_top_secret):
    """GIVEN a ceiling that allows classified content WHEN a drafter cleared for 机密 drafts a 机密
    document for 10 years, and a 秘密 one until a condition THEN both carry their marks, the 定密 is
    logged and the returned detail is an access-log read."""
    client = as_(cleared_drafter)
    secret = client.post(
        BASE,
        draft_body(
            office,
            classification="secret",
            secrecy_term_unit="years",
            secrecy_term_amount=10,
            classification_basis="保密事项范围第5项",
            copies=3,
        ),
        format="json",
    )
    conditional = client.post(
        BASE,
        draft_body(
            office,
            title="测试办公室关于应急预案的通知",
            classification="confidential",
            secrecy_term_unit="condition",
            declassify_condition="预案公布后",
            classification_basis="保密事项范围第6项",
        ),
        format="json",
    )

    assert secret.status_code == 201, secret.content
    assert (secret.json()["classification"], secret.json()["level_mark"]) == ("secret", "机密★10年")
    assert secret.json()["copies"] == 3
    assert conditional.status_code == 201, conditional.content
    assert conditional.json()["level_mark"] == "秘密★解密条件"
    document = OutgoingDocument.objects.get(pk=secret.json()["id"])
    assert len(audit_events(AuditAction.CLASSIFY, document)) == 1
    assert len(audit_events(AuditAction.VIEW, document)) == 1


def test_create_refuses_classified_content_above_the_ceiling(office, cleared_drafter):
    """GIVEN the default ceiling (内部) WHEN a 秘密 draft with a body is POSTed THEN 400 says only
    the register may be kept, nothing is stored, and the refusal stays in the audit log."""
    response = as_(cleared_drafter).post(
        BASE,
        draft_body(office, classification="confidential", classification_basis="保密事项范围第5项"),
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "密级上限" in str(response.json()["errors"])
    assert not OutgoingDocument.objects.exists()
    assert len(audit_events(AuditAction.CEILING_REFUSED)) == 1


def test_create_above_the_ceiling_keeps_the_register_without_content(office, cleared_drafter):
    """GIVEN the default ceiling WHEN a 机密 draft without a body is POSTed THEN its register entry
    is created."""
    response = as_(cleared_drafter).post(
        BASE,
        draft_body(office, classification="secret", classification_basis="保密事项范围第5项", body=""),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["level_mark"] == "机密★20年"


def test_create_above_own_clearance_is_refused(office):
    """GIVEN a drafter cleared for 内部 only WHEN they draft a 机密 document THEN 403: they could not
    read it back."""
    response = as_(office.drafter).post(
        BASE,
        draft_body(office, classification="secret", classification_basis="保密事项范围第5项", body=""),
        format="json",
    )

    assert response.status_code == 403
    assert not OutgoingDocument.objects.exists()


# --- Editing ------------------------------------------------------------------------------------


def test_patch_edits_the_draft_and_the_search_follows(office, make_document):
    """GIVEN a draft WHEN its drafter PATCHes the title and the recipients THEN both change and the
    new title is what the full-text search finds."""
    document = make_document()

    response = as_(office.drafter).patch(
        url(document),
        {"title": "测试办公室关于做好冬季防火工作的通知", "cc_units": [office.countersign_unit.pk]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "测试办公室关于做好冬季防火工作的通知"
    assert response.json()["cc_units"] == [office.countersign_unit.pk]
    found = as_(office.drafter).get(BASE, {"q": "冬季防火"}).json()["results"]
    assert [row["id"] for row in found] == [document.pk]


def test_patch_by_someone_else_is_403_and_changes_nothing(office, make_document, colleague):
    """GIVEN a draft WHEN a colleague of the same unit (who can read it) PATCHes it THEN 403, and
    the title is as it was."""
    document = make_document()

    response = as_(colleague).patch(url(document), {"title": "改过的标题的通知"}, format="json")

    assert response.status_code == 403
    assert fresh(document).title == document.title


def test_patch_bad_input_is_400_and_changes_nothing(office, make_document):
    """GIVEN a draft WHEN it is PATCHed with an unknown kind and negative copies THEN 400 names both
    fields, and the stored document is unchanged."""
    document = make_document()

    response = as_(office.drafter).patch(url(document), {"kind": "poem", "copies": -1, "title": "新"}, format="json")

    assert_invalid(response, "kind", "copies")
    stored = fresh(document)
    assert (stored.kind, stored.copies, stored.title) == (document.kind, document.copies, document.title)


@pytest.mark.parametrize("field, value", [("classification", "secret"), ("state", "issued"), ("colour", "red")])
def test_patch_refuses_fields_it_does_not_edit(office, make_document, field, value):
    """GIVEN a draft WHEN a PATCH carries the level (changed through 定密变更), the state or an
    unknown field THEN 400 names it."""
    document = make_document()

    response = as_(office.drafter).patch(url(document), {field: value}, format="json")

    assert_invalid(response, field)
    assert fresh(document).updated_at == document.updated_at


def test_patch_after_signing_off_is_a_conflict(office, make_document, walk):
    """GIVEN a document waiting for 签发 WHEN its drafter PATCHes it THEN 409."""
    document = walk(make_document(), S.SIGNOFF)

    response = as_(office.drafter).patch(url(document), {"title": "新的标题的通知"}, format="json")

    assert_conflict(response)
    assert fresh(document).title == document.title


def test_nothing_is_deleted_or_replaced_wholesale(office, make_document):
    """GIVEN a draft WHEN its drafter sends DELETE or PUT THEN 405, and the draft is still there."""
    document = make_document()
    client = as_(office.drafter)

    assert client.delete(url(document)).status_code == 405
    assert client.put(url(document), draft_body(office), format="json").status_code == 405
    assert OutgoingDocument.objects.filter(pk=document.pk).exists()


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


# --- Reads --------------------------------------------------------------------------------------


def test_detail_shows_the_record_and_its_findings(office, make_document, walk):
    """GIVEN a document with an attachment its 附件说明 does not list WHEN its detail is read THEN
    it carries the countersigns, the 流转记录, the attachment's name and the checker's finding."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), S.COUNTERSIGN)
    Attachment.objects.create(
        document=document,
        name="年终工作安排表.xlsx",
        file="documents/2026/01/a.xlsx",
        size=1024,
        content_type=XLSX,
        uploaded_by=office.drafter,
    )

    data = as_(office.clerk).get(url(document)).json()

    assert [a["name"] for a in data["attachments"]] == ["年终工作安排表.xlsx"]
    assert "file" not in data["attachments"][0]
    assert data["countersigns"][0]["unit_name"] == "政策法规处"
    assert [t["action"] for t in data["transitions"]] == ["拟稿", "送核稿", "核稿通过"]
    assert data["transitions"][1]["actor_name"] == "李拟稿"
    assert {f["rule"] for f in data["findings"]} >= {"attachments_match"}
    assert data["state_label"] == "会签" and data["kind_label"] == "通知"


def test_check_lists_the_findings(office, make_document):
    """GIVEN a 批复 that does not name its 请示 WHEN ``check/`` is read THEN the error is listed."""
    document = make_document(kind="reply", title="测试办公室关于同意调整的批复")

    response = as_(office.drafter).get(url(document, "check"))

    assert response.status_code == 200
    assert {"rule": "reply_answers_request", "severity": "error"}.items() <= next(
        f for f in response.json() if f["rule"] == "reply_answers_request"
    ).items()


def test_top_secret_detail_never_carries_the_body(office, make_document, ceiling_top_secret):
    """GIVEN a 绝密 document with a body (the ceiling allows it) WHEN its drafter reads the detail
    THEN the body is null, the mark is shown and the read is in the access log."""
    document = make_document(
        actor=office.director.user,
        title="测试办公室关于重要事项的通知",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1项",
        term_amount=30,
        copies=2,
    )

    response = as_(office.director).get(url(document))

    assert response.status_code == 200
    assert response.json()["body"] is None
    assert response.json()["level_mark"] == "绝密★30年"
    assert len(audit_events(AuditAction.VIEW, document)) == 1


def test_list_filters(office, make_document, walk, cleared_clerk):
    """GIVEN documents of different states, kinds and levels WHEN the list is filtered THEN each
    filter keeps exactly its documents; a bad value or an unknown parameter is a 400."""
    notice = make_document()
    request = walk(make_document(kind="request", title="测试办公室关于增加经费的请示", body="妥否，请批示。"), S.REVIEW)
    secret = make_document(
        actor=make_person(username="doc-secret", unit=office.general_section, clearance=Level.SECRET).user,
        title="测试办公室关于内部审计的通知",
        level=Level.SECRET,
        basis="保密事项范围第2项",
        body="",
    )
    issued = walk(make_document(title="测试办公室关于节日值班的通知"), S.ISSUED)
    client = as_(cleared_clerk)

    def ids(**params) -> set[int]:
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {notice.pk, request.pk, secret.pk, issued.pk}
    assert ids(state="review") == {request.pk}
    assert ids(kind="request") == {request.pk}
    assert ids(classification="secret") == {secret.pk}
    assert ids(series=office.series.pk, drafting_unit=office.general_section.pk) == ids()
    assert ids(year=timezone.localdate().year) == ids()
    assert ids(year=2001) == set()
    today = timezone.localdate().isoformat()
    assert ids(date_from=today, date_to=today) == {issued.pk}
    assert ids(state="") == ids()  # an emptied filter is no filter

    assert_invalid(client.get(BASE, {"state": "lost"}), "state")
    assert_invalid(client.get(BASE, {"classification": "ultra"}), "classification")
    assert_invalid(client.get(BASE, {"date_from": "2026-02-01", "date_to": "2026-01-01"}), "date_to")
    assert_invalid(client.get(BASE, {"colour": "red"}), "colour")


def test_list_rows_carry_no_body(office, make_document):
    """GIVEN a document WHEN it is listed THEN its row has the register fields but not the body."""
    make_document()

    row = as_(office.drafter).get(BASE).json()["results"][0]

    assert "body" not in row
    assert row["series_code"] == "测办发" and row["drafter_name"] == "李拟稿"


def test_full_text_search_finds_words_inside_the_title(office, make_document):
    """GIVEN a document titled 关于做好防汛抗旱工作的通知 WHEN the list is searched for 防汛, for
    抗旱工作 and for 地震 THEN the first two find it and the third does not."""
    document = make_document(title="关于做好防汛抗旱工作的通知")
    make_document(title="关于开展安全生产检查的通知")
    client = as_(office.drafter)

    def found(text: str) -> list[int]:
        return [row["id"] for row in client.get(BASE, {"q": text}).json()["results"]]

    assert found("防汛") == [document.pk]
    assert found("抗旱工作") == [document.pk]
    assert found("地震") == []


def test_full_text_search_finds_the_number(office, make_document, walk):
    """GIVEN a registered document WHEN the list is searched for its number THEN it is found."""
    document = walk(make_document(), S.REGISTERED)
    other = make_document(title="测试办公室关于其他事项的通知")

    rows = as_(office.clerk).get(BASE, {"q": document.number.text}).json()["results"]

    assert [row["id"] for row in rows] == [document.pk]
    assert other.pk not in [row["id"] for row in rows]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE, {"page_size": 200})
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_documents(office, make_document, walk):
    """GIVEN 5 then 25 documents (some registered and signed, with recipients and countersigns)
    WHEN the clerk lists them THEN the list costs the same number of queries."""
    client = as_(office.clerk)

    def grow(n: int) -> None:
        for i in range(n):
            document = make_document(
                title=f"测试办公室关于第{i}项工作的通知",
                countersign_units=[office.countersign_unit],
                cc_units=[office.organ],
            )
            if i % 5 == 0:
                walk(document, S.REGISTERED)

    grow(5)
    client.get(BASE)  # the caller's person and unit chain, loaded once per login
    small = _list_queries(client)
    grow(20)
    large = _list_queries(client)

    assert client.get(BASE).json()["count"] == 25
    assert small == large


# --- The 发文登记簿 export -------------------------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_register_export_lays_out_the_register(office, make_document, walk):
    """GIVEN an issued document and a draft whose title starts with = WHEN the 登记簿 is exported
    THEN the sheet has the register's columns, the number, the Chinese 成文日期, the recipients and
    the state; the formula-like title stays text; the export is in the audit log."""
    issued = walk(make_document(), S.ISSUED)
    make_document(title='=HYPERLINK("http://example.com","点此")')

    response = as_(office.clerk).get(f"{BASE}register/")
    rows = _sheet(response)

    assert rows[0] == (
        "序号",
        "发文字号",
        "标题",
        "文种",
        "密级",
        "拟稿单位",
        "签发人",
        "成文日期",
        "主送",
        "份数",
        "状态",
    )
    by_title = {row[2]: row for row in rows[1:]}
    row = by_title[issued.title]
    day = issued.written_date
    assert row[1] == issued.number.text
    assert row[3:] == (
        "通知",
        "内部",
        "综合科",
        "赵主任",
        f"{day.year}年{day.month}月{day.day}日",
        "测试市财政局",
        None,
        "已核发",
    )
    assert re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", row[7])
    assert [r[0] for r in rows[1:]] == [1, 2]
    workbook = load_workbook(BytesIO(response.content))
    formula_cell = next(c for c in workbook.active["C"] if str(c.value).startswith("="))
    assert formula_cell.data_type == "s"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.detail["what"] == "outgoing_register" and event.detail["rows"] == 2


def test_register_export_follows_the_list_filters(office, make_document, walk):
    """GIVEN an issued document and a draft WHEN the 登记簿 is exported for state=issued, also as
    ``register.xlsx`` THEN only the issued one is in it; a bad filter is a 400 in JSON."""
    issued = walk(make_document(), S.ISSUED)
    make_document(title="测试办公室关于草稿事项的通知")
    client = as_(office.clerk)

    rows = _sheet(client.get(f"{BASE}register/", {"state": "issued"}))
    suffixed = _sheet(client.get(f"{BASE}register.xlsx", {"state": "issued"}))

    assert [row[2] for row in rows[1:]] == [issued.title]
    assert suffixed[1:] == rows[1:]
    assert_invalid(client.get(f"{BASE}register/", {"state": "lost"}), "state")


# --- Rendering ----------------------------------------------------------------------------------


def test_render_downloads_the_laid_out_document(office, make_document, walk, fake_rendering):
    """GIVEN a registered internal document WHEN it is rendered as docx and as pdf THEN the files
    come back named after the number, uncached, rendered for the reader; no access-log row (内部)."""
    document = walk(make_document(), S.REGISTERED)
    client = as_(office.clerk)

    docx = client.get(url(document, "render"), {"format": "docx"})
    pdf = client.get(url(document, "render"), {"format": "pdf"})
    default = client.get(url(document, "render"))

    assert docx.status_code == 200, docx.content
    assert docx["Content-Type"] == DOCX and docx.content == f"docx:{document.title}".encode()
    assert pdf["Content-Type"] == "application/pdf"
    assert default["Content-Type"] == DOCX
    assert "attachment" in docx["Content-Disposition"]
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    assert ".docx" in docx["Content-Disposition"] and ".pdf" in pdf["Content-Disposition"]
    assert docx["Cache-Control"] == "no-store"
    assert fake_rendering.calls[0] == ("docx", document.pk, office.clerk.user.pk)
    assert audit_events(AuditAction.DOWNLOAD) == []


def test_render_of_a_classified_document_is_logged(office, make_document, cleared_clerk, fake_rendering):
    """GIVEN a 机密 document WHEN it is rendered THEN the download is in the access log."""
    document = make_document(
        actor=make_person(username="doc-secret", unit=office.general_section, clearance=Level.SECRET).user,
        title="测试办公室关于内部审计的通知",
        level=Level.SECRET,
        basis="保密事项范围第2项",
        body="",
    )

    response = as_(cleared_clerk).get(url(document, "render"), {"format": "pdf"})

    assert response.status_code == 200
    assert [event.actor_id for event in audit_events(AuditAction.DOWNLOAD, document)] == [cleared_clerk.user.pk]


def test_render_refuses_top_secret_and_what_the_renderer_refuses(
    office, make_document, fake_rendering, ceiling_top_secret
):
    """GIVEN a 绝密 document WHEN its drafter renders it THEN 403 says it is read on screen only and
    the renderer is never called; GIVEN the renderer refuses a document THEN 403 with its message."""
    top = make_document(
        actor=office.director.user, title="测试办公室关于重要事项的通知", level=Level.TOP_SECRET, basis="第1项"
    )
    plain = make_document()

    refused = as_(office.director).get(url(top, "render"), {"format": "docx"})
    fake_rendering.refuse = "该公文不能导出。"
    by_renderer = as_(office.drafter).get(url(plain, "render"))

    assert refused.status_code == 403 and "绝密" in refused.json()["detail"]
    assert by_renderer.status_code == 403 and by_renderer.json()["detail"] == "该公文不能导出。"
    assert [call[1] for call in fake_rendering.calls] == [plain.pk]
    assert audit_events(AuditAction.DOWNLOAD) == []


def test_render_refuses_an_unknown_format(office, make_document, fake_rendering):
    """GIVEN a document WHEN it is rendered as odt THEN 400 on ``format`` (in JSON)."""
    document = make_document()

    assert_invalid(as_(office.drafter).get(url(document, "render"), {"format": "odt"}), "format")


def test_render_when_the_renderer_is_not_installed(office, make_document, monkeypatch):
    """GIVEN no renderer module WHEN a document is rendered THEN 503 with a clear code."""
    monkeypatch.setitem(sys.modules, "documents.rendering", None)  # import fails as for a missing module
    document = make_document()

    response = as_(office.drafter).get(url(document, "render"))

    assert response.status_code == 503
    assert response.json()["code"] == "rendering_unavailable"


def test_render_with_the_real_renderer(office, make_document, walk):
    """GIVEN the real renderer WHEN a registered document is rendered as docx THEN it is a zip
    (Office Open XML) file."""
    pytest.importorskip("documents.rendering")
    document = walk(make_document(), S.REGISTERED)

    response = as_(office.clerk).get(url(document, "render"), {"format": "docx"})

    assert response.status_code == 200, response.content[:500]
    assert response.content[:2] == b"PK"


# --- Series and the inbox -----------------------------------------------------------------------


def test_series_are_listed_for_drafters(office):
    """GIVEN the office's series WHEN a drafter lists the series THEN it is there with its organ."""
    rows = as_(office.drafter).get("/api/v1/documents/series/").json()["results"]

    assert [(row["code"], row["organ_name"]) for row in rows] == [("测办发", "测试市人民政府办公室")]


def test_inbox_shows_what_waits_for_the_caller(office, make_document, walk):
    """GIVEN a draft and a document in 核稿 WHEN the drafter and the clerk open their inbox THEN
    the drafter sees the draft and the clerk the one to review."""
    draft = make_document()
    in_review = walk(make_document(title="测试办公室关于另一事项的通知"), S.REVIEW)

    mine = as_(office.drafter).get(f"{BASE}inbox/").json()
    clerks = as_(office.clerk).get(f"{BASE}inbox/").json()

    assert [row["id"] for row in mine["drafts"]["results"]] == [draft.pk]
    assert clerks["review"]["count"] == 1
    assert [row["id"] for row in clerks["review"]["results"]] == [in_review.pk]


def test_transitions_are_written_by_the_services(office, make_document):
    """GIVEN a draft submitted through the API THEN the 流转记录 row names the API caller."""
    document = make_document()

    post(office.drafter, document, "submit", {"comment": "请审核"})

    line = Transition.objects.filter(document=document).last()
    assert (line.actor_id, line.comment, line.to_state) == (office.drafter.user.pk, "请审核", S.REVIEW)


def test_patch_replaces_the_countersign_units_of_a_draft(office, make_document):
    """GIVEN a draft that asks 政策法规处 to countersign WHEN its drafter PATCHes another unit in
    THEN the countersign list is exactly the new unit."""
    document = make_document(countersign_units=[office.countersign_unit])
    other = UnitFactory(parent=office.organ, name="督查处")

    response = as_(office.drafter).patch(url(document), {"countersign_units": [other.pk]}, format="json")

    assert response.status_code == 200
    assert [c["unit"] for c in response.json()["countersigns"]] == [other.pk]
