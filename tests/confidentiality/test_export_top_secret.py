"""The access and security log's exports leave 绝密 rows out, like every export (DESIGN.md,
"Classification": 绝密 is shown on screen only). A 保密员 cleared for 绝密 reads the events about a
绝密 carrier on the log's page; neither the page's .xlsx nor the API's ``export/`` carries them (an
event names its record: the title would leave on a file).

The organ, its 保密员 (绝密 clearance) and ``register`` come from ``conftest.py``.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from office.confidentiality import selectors
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOP_TITLE = "重大活动安全保卫方案"
SECRET_TITLE = "应急物资储备点位分布表"


@pytest.fixture
def carriers(security_officer, register):
    """A 绝密 and a 秘密 carrier registered by the 保密员: each leaves events in the log."""
    return {
        "top": register(security_officer, level=Level.TOP_SECRET, title=TOP_TITLE),
        "secret": register(security_officer, level=Level.CONFIDENTIAL, title=SECRET_TITLE),
    }


def cells(response) -> set[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    return {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}


def test_the_access_log_page_shows_top_secret_events_but_its_xlsx_does_not(security_officer, carriers):
    """GIVEN events about a 绝密 and a 秘密 carrier in the log
    WHEN the 保密员 (绝密 clearance) opens the log and downloads its .xlsx
    THEN the page shows both carriers' events; the file has the 秘密 one's and none of the 绝密 one's."""
    assert AuditEvent.objects.filter(object_repr=TOP_TITLE).exists()
    client = Client()
    client.force_login(security_officer.user)

    page = client.get("/confidentiality/access-log/").content.decode()
    exported = cells(client.get("/confidentiality/access-log/export.xlsx"))

    assert TOP_TITLE in page and SECRET_TITLE in page
    assert SECRET_TITLE in exported
    assert TOP_TITLE not in exported and "绝密" not in exported


def test_the_access_log_api_export_leaves_top_secret_events_out(security_officer, carriers):
    """GIVEN the same events WHEN the 保密员 lists the log through the API and exports it
    THEN the list has the 绝密 carrier's events, the file does not; the export's own event says how
    many rows left."""
    client = APIClient()
    client.force_authenticate(user=security_officer.user)

    listed = {row["object_repr"] for row in client.get("/api/v1/confidentiality/access-logs/").json()["results"]}
    in_scope = selectors.access_log(user=security_officer.user)
    shown = in_scope.exclude(classification=Level.TOP_SECRET).count()
    assert shown < in_scope.count()
    exported = cells(client.get("/api/v1/confidentiality/access-logs/export/"))

    assert {TOP_TITLE, SECRET_TITLE} <= listed
    assert SECRET_TITLE in exported
    assert TOP_TITLE not in exported and "绝密" not in exported
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["rows"] == shown
