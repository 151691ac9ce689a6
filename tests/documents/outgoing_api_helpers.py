"""What the ``/api/v1/documents/outgoing/`` tests (``test_outgoing_api_*.py``) share: a client
logged in as a person, the URLs and a POST to an action, the document fresh, the checks of a 409 /
400 answer, the access-log events of a document, and the body of a clean draft to POST."""

from __future__ import annotations

from rest_framework.test import APIClient

from documents.models import DocumentState, OutgoingDocument
from office.confidentiality.models import AuditEvent

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
