"""What the ``/api/v1/documents/incoming/`` tests (``test_incoming_api_*.py``) share: a client
logged in as a person, the URLs and a POST to an action, the document fresh, a snapshot of all an
action may change (to prove a refusal changed nothing), the checks of a 409 / 403 / 400 answer, a
reader's row of a 传阅, and the rows of an exported sheet."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import (
    Assignment,
    Circulation,
    CirculationReader,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
)

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


def reader_of(document, person) -> CirculationReader:
    return CirculationReader.objects.get(circulation__document=document, person=person)


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
