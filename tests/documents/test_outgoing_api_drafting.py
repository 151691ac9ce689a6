"""``/api/v1/documents/outgoing/``: drafting (POST: a draft of the caller's unit, its level and
secrecy term, the ceiling and the drafter's own clearance, bad, unknown and read-only fields
refused with nothing stored) and editing a draft (PATCH by its drafter only, the search following
the new title, the countersign units replaced; no DELETE, no PUT; a 409 once it is signed off).

The people are those of the ``office`` fixture, with ``make_document`` / ``walk`` to draft and move
a document and ``ceiling_top_secret`` to raise the ceiling (``conftest.py``); the client, URLs,
``draft_body``, ``audit_events`` and answer checks come from ``outgoing_api_helpers.py``."""

from __future__ import annotations

import pytest

from documents.models import OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from tests.documents.outgoing_api_helpers import (
    BASE,
    S,
    as_,
    assert_conflict,
    assert_invalid,
    audit_events,
    draft_body,
    fresh,
    url,
)
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(office):
    """Another 承办人 of the drafter's 综合科: inside the scope, but not the drafter."""
    return make_person(username="doc-colleague", name="吴同事", unit=office.general_section, clearance=Level.SECRET)


@pytest.fixture
def cleared_drafter(office):
    """A drafter in 综合科 cleared for 机密."""
    return make_person(username="doc-cleared", name="郑机要", unit=office.general_section, clearance=Level.SECRET)


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


def test_patch_replaces_the_countersign_units_of_a_draft(office, make_document):
    """GIVEN a draft that asks 政策法规处 to countersign WHEN its drafter PATCHes another unit in
    THEN the countersign list is exactly the new unit."""
    document = make_document(countersign_units=[office.countersign_unit])
    other = UnitFactory(parent=office.organ, name="督查处")

    response = as_(office.drafter).patch(url(document), {"countersign_units": [other.pk]}, format="json")

    assert response.status_code == 200
    assert [c["unit"] for c in response.json()["countersigns"]] == [other.pk]
