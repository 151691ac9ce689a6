"""绝密 rows are in no export (DESIGN.md, "Classification": 绝密 is shown on screen only — no
download, export or print). The 发文登记簿 and the 收文登记簿, as the page's .xlsx and the API's
``register/``, list every visible row except the 绝密 ones, which stay on the reader's list page; the
export's access-log row counts only what left.

The office, the bureau and the helpers come from ``conftest.py``; the ceiling is raised to 绝密 so
that the records can be made at all.
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
TOP_TITLE = "关于某战备工程选址的请示"
SECRET_TITLE = "关于某重点项目布局调整的请示"
INTERNAL_TITLE = "测试办公室关于做好年终工作的通知"


@pytest.fixture(autouse=True)
def _top_secret_ceiling(settings):
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


def cells(response) -> set[str]:
    """Every cell of the exported workbook, as text."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    return {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}


def exported_rows() -> int:
    return AuditEvent.objects.get(action=AuditAction.EXPORT).detail["rows"]


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


# --- 发文登记簿 ------------------------------------------------------------------------------------------


@pytest.fixture
def outgoing(office, make_document):
    """Drafts of the office director (绝密 clearance): one 绝密, one 机密, one 内部 — all his to see."""
    classified = {"actor": office.director.user, "disclosure": "not_public", "disclosure_reason": "涉密"}
    return {
        "top": make_document(title=TOP_TITLE, level=Level.TOP_SECRET, basis="保密事项范围第1条", **classified),
        "secret": make_document(title=SECRET_TITLE, level=Level.SECRET, basis="保密事项范围第3条", **classified),
        "internal": make_document(actor=office.director.user),
    }


def test_the_outgoing_register_page_lists_top_secret_but_its_xlsx_does_not(office, outgoing):
    """GIVEN a 绝密, a 机密 and an 内部 draft the office director may see
    WHEN he opens the 发文登记簿 and downloads its .xlsx
    THEN the page lists all three; the file holds the 机密 and the 内部 rows but nothing of the 绝密 one
    (title, level), and the access log counts the two rows that left."""
    client = browser(office.director)

    listing = client.get("/documents/outgoing/").content.decode()
    exported = cells(client.get("/documents/outgoing/register.xlsx"))

    assert TOP_TITLE in listing and SECRET_TITLE in listing and INTERNAL_TITLE in listing
    assert {SECRET_TITLE, INTERNAL_TITLE} <= exported
    assert TOP_TITLE not in exported and "绝密" not in exported
    assert exported_rows() == 2


def test_the_outgoing_register_api_export_leaves_top_secret_out(office, outgoing):
    """GIVEN the same three drafts WHEN the director lists them through the API and exports
    ``register/`` (and ``register.xlsx``) THEN the list has all three; neither file has the 绝密 one."""
    client = api(office.director)

    listed = {row["title"] for row in client.get("/api/v1/documents/outgoing/").json()["results"]}
    exported = cells(client.get("/api/v1/documents/outgoing/register/"))
    suffixed = cells(client.get("/api/v1/documents/outgoing/register.xlsx"))

    assert {TOP_TITLE, SECRET_TITLE, INTERNAL_TITLE} <= listed
    for sheet in (exported, suffixed):
        assert {SECRET_TITLE, INTERNAL_TITLE} <= sheet
        assert TOP_TITLE not in sheet and "绝密" not in sheet


def test_filtering_the_outgoing_export_for_top_secret_exports_an_empty_register(office, outgoing):
    """GIVEN the same drafts WHEN the director asks the API export for ``classification=top_secret``
    THEN the file is the heading row alone: asking by name does not bring 绝密 out."""
    exported = cells(api(office.director).get("/api/v1/documents/outgoing/register/", {"classification": "top_secret"}))

    assert TOP_TITLE not in exported
    assert exported_rows() == 0


# --- 收文登记簿 ------------------------------------------------------------------------------------------


@pytest.fixture
def core_clerk(bureau):
    """The bureau's 机要文秘, cleared for 绝密: signs for what the others may not."""
    return make_person(
        username="in-core", name="吕机要", unit=bureau.office, roles=(Role.SECRETARY,), clearance=Level.TOP_SECRET
    )


@pytest.fixture
def incoming(bureau, core_clerk, receive):
    """A 绝密, a 机密 and an 内部 document signed for by the 机要文秘 (inside all three's 知悉范围)."""
    return {
        "top": receive(actor=core_clerk.user, title=TOP_TITLE, level=Level.TOP_SECRET, basis="来文标注"),
        "secret": receive(actor=core_clerk.user, title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"),
        "internal": receive(actor=core_clerk.user, title=INTERNAL_TITLE),
    }


def test_the_incoming_register_page_lists_top_secret_but_its_xlsx_does_not(core_clerk, incoming):
    """GIVEN a 绝密, a 机密 and an 内部 incoming document the 机要文秘 may see
    WHEN he opens the 收文登记簿 and downloads its .xlsx
    THEN the page lists all three; the file has the 机密 and 内部 rows only."""
    client = browser(core_clerk)

    listing = client.get("/documents/incoming/").content.decode()
    exported = cells(client.get("/documents/incoming/register.xlsx"))

    assert TOP_TITLE in listing and SECRET_TITLE in listing and INTERNAL_TITLE in listing
    assert {SECRET_TITLE, INTERNAL_TITLE} <= exported
    assert TOP_TITLE not in exported and "绝密" not in exported
    assert exported_rows() == 2


def test_the_incoming_register_api_export_leaves_top_secret_out(core_clerk, incoming):
    """GIVEN the same documents WHEN the 机要文秘 lists them through the API and exports ``register/``
    THEN the list has all three, the file only the 机密 and 内部 ones."""
    client = api(core_clerk)

    listed = {row["title"] for row in client.get("/api/v1/documents/incoming/").json()["results"]}
    exported = cells(client.get("/api/v1/documents/incoming/register/"))

    assert {TOP_TITLE, SECRET_TITLE, INTERNAL_TITLE} <= listed
    assert {SECRET_TITLE, INTERNAL_TITLE} <= exported
    assert TOP_TITLE not in exported and "绝密" not in exported
    assert exported_rows() == 2
