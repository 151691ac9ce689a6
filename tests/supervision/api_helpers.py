"""What the ``/api/v1/supervision/items/`` tests (``test_api_items.py``, ``_tasks``, ``_reads``,
``_bulletins``) share: a client logged in as a person, the URLs of an item and of a task's action, a
POST, a snapshot of all an action may change (to prove a refusal changed nothing), and the checks
of a 409 / 403 / 400 answer."""

from __future__ import annotations

from rest_framework.test import APIClient

from office.reminders.models import Deadline
from supervision.models import (
    ExtensionRequest,
    ProgressReport,
    ReportAttachment,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
)

BASE = "/api/v1/supervision/items/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4 progress report"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(item, action: str = "") -> str:
    return f"{BASE}{item.pk}/{action + '/' if action else ''}"


def task_url(task, action: str) -> str:
    return f"{BASE}{task.item_id}/tasks/{task.pk}/{action}/"


def post(person, path: str, body: dict | None = None):
    return as_(person).post(path, body or {}, format="json")


def snapshot(item) -> tuple:
    """What an action may change: the item, its tasks, reports, inputs, requests, events, deadlines."""
    item = SupervisionItem.objects.get(pk=item.pk)
    tasks = SupervisionTask.objects.filter(item=item)
    return (
        item.state,
        item.due,
        list(tasks.values_list("state", "due", "returns", "report_due")),
        ProgressReport.objects.filter(task__item=item).count(),
        ReportAttachment.objects.filter(report__task__item=item).count(),
        list(tasks.values_list("assists__sent_at", flat=True)),
        list(ExtensionRequest.objects.filter(task__item=item).values_list("state", "step")),
        SupervisionEvent.objects.filter(item=item).count(),
        Deadline.objects.count(),
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
