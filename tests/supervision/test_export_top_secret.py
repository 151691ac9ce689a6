"""绝密 rows are in no export: the 督办台账 page lists a 绝密 item to whoever may see it, its .xlsx and
the API's ``ledger/`` never do (DESIGN.md, "Classification": on screen only). The rule is kept by
the shared register download, not by the ledger's own views.

The city, its people and the helpers come from ``conftest.py``; the ceiling is raised to 绝密.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.factories import make_person

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOP_TITLE = "战备物资储备点位调整"
SECRET_TITLE = "某专项整治"
INTERNAL_TITLE = "推进老旧小区改造"


@pytest.fixture
def mayor(city, settings):
    """市长: 领导 with 绝密 clearance, the instructing leader of all three items."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    return make_person(
        username="sv-mayor", name="李市长", unit=city.organ, roles=(Role.LEADER,), clearance=Level.TOP_SECRET
    )


@pytest.fixture
def items(city, mayor, open_item, today):
    core = make_person(
        username="sv-core", name="冯督查", unit=city.supervision, roles=(Role.SUPERVISOR,), clearance=Level.TOP_SECRET
    )
    top = {"actor": core.user, "supervisor": core, "instructing_leader": mayor}
    return {
        "top": open_item(title=TOP_TITLE, level=Level.TOP_SECRET, basis="保密事项范围第1条", **top),
        "secret": open_item(
            title=SECRET_TITLE, level=Level.SECRET, basis="保密事项范围第3条", instructing_leader=mayor
        ),
        "internal": open_item(title=INTERNAL_TITLE, instructing_leader=mayor),
    }


def cells(response) -> set[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    return {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}


def test_the_ledger_page_lists_top_secret_but_its_xlsx_does_not(mayor, items):
    """GIVEN a 绝密, a 机密 and an 内部 item instructed by the 市长
    WHEN he opens the 督办台账 and downloads its .xlsx
    THEN the page lists all three; the file has the 机密 and 内部 rows and nothing of the 绝密 one, and
    the access log counts two rows."""
    client = Client()
    client.force_login(mayor.user)

    listing = client.get("/supervision/").content.decode()
    exported = cells(client.get("/supervision/ledger.xlsx"))

    assert TOP_TITLE in listing and SECRET_TITLE in listing and INTERNAL_TITLE in listing
    assert {SECRET_TITLE, INTERNAL_TITLE} <= exported
    assert TOP_TITLE not in exported and items["top"].number not in exported
    assert not any(cell.startswith("绝密") for cell in exported)
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["rows"] == 2


def test_the_ledger_api_export_leaves_top_secret_out(mayor, items):
    """GIVEN the same items WHEN the 市长 lists them through the API and exports ``ledger/``
    THEN the list has all three, the file only the 机密 and 内部 ones."""
    client = APIClient()
    client.force_authenticate(user=mayor.user)

    listed = {row["title"] for row in client.get("/api/v1/supervision/items/").json()["results"]}
    exported = cells(client.get("/api/v1/supervision/items/ledger/"))

    assert {TOP_TITLE, SECRET_TITLE, INTERNAL_TITLE} <= listed
    assert {SECRET_TITLE, INTERNAL_TITLE} <= exported
    assert TOP_TITLE not in exported and not any(cell.startswith("绝密") for cell in exported)
