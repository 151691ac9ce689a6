"""The 安全审计员 reads the access log beside the 保密员, and search terms are shown only to a
安全审计员 cleared as high as the person who typed them (page, API and both exports)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

TERMS = "绝密检索词"
HIDDEN = "（检索词已隐藏）"
LOG = "/api/v1/confidentiality/access-logs/"


@pytest.fixture
def office_a(organ_a):
    return UnitFactory(parent=organ_a, name="甲机关办公室")


@pytest.fixture
def readers(office_a):
    """A 机密 保密员, a 机密 安全审计员 and a 绝密 安全审计员 of 甲机关."""
    return {
        "secret_officer": make_person(
            username="baomi_jimi", unit=office_a, clearance=Level.SECRET, roles=(Role.SECURITY_OFFICER,)
        ),
        "secret_auditor": make_person(
            username="shenji_jimi", unit=office_a, clearance=Level.SECRET, roles=(Role.AUDITOR,)
        ),
        "top_auditor": make_person(
            username="shenji_juemi", unit=office_a, clearance=Level.TOP_SECRET, roles=(Role.AUDITOR,)
        ),
    }


@pytest.fixture
def leader_searched(office_a, api_as):
    """A 绝密 leader of 甲机关 exported the 发文登记簿 filtered by a search term."""
    leader = make_person(
        username="lingdao", name="领导甲", unit=office_a, clearance=Level.TOP_SECRET, roles=(Role.LEADER,)
    )
    response = api_as(leader).get(f"/api/v1/documents/outgoing/register/?q={TERMS}")
    assert response.status_code == 200
    return AuditEvent.objects.get(action=AuditAction.EXPORT, detail__what="outgoing_register")


def _export_row(person, api_as) -> dict:
    rows = api_as(person).get(f"{LOG}?action=export&page_size=200").json()["results"]
    return next(row for row in rows if row["detail"].get("what") == "outgoing_register")


def _sheet_text(content: bytes) -> str:
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


def test_both_register_exports_record_the_searchers_clearance(office_a, api_as, client):
    """GIVEN a 绝密 leader WHEN he exports a register with a search term through the API and
    through the page THEN both audit rows keep the term with his clearance and a nonce."""
    leader = make_person(username="lingdao2", unit=office_a, clearance=Level.TOP_SECRET, roles=(Role.LEADER,))
    api_as(leader).get(f"/api/v1/documents/outgoing/register/?q={TERMS}")
    client.force_login(leader.user)
    assert client.get(f"/documents/outgoing/register.xlsx?q={TERMS}").status_code == 200

    rows = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=leader.user).order_by("id")
    assert [(row.detail["filters"]["q"], row.detail["clearance"]) for row in rows] == [(TERMS, "top_secret")] * 2
    assert all(len(row.detail["nonce"]) == 32 for row in rows)
    assert audit.verify().ok


@pytest.mark.parametrize(
    ("reader", "sees"), [("secret_officer", False), ("secret_auditor", False), ("top_auditor", True)]
)
def test_a_top_secret_searchers_terms_need_a_top_secret_auditor(readers, leader_searched, reader, sees, api_as, client):
    """GIVEN a 绝密 leader's search term in the log WHEN a 机密 保密员, a 机密 安全审计员 and a 绝密
    安全审计员 read the log in the API, on the page and in both exports THEN all three see the row,
    but only the 绝密 安全审计员 sees the term (and the nonce that guards the row's hash)."""
    person = readers[reader]
    row = _export_row(person, api_as)
    assert row["id"] == leader_searched.id
    assert row["detail"]["filters"]["q"] == (TERMS if sees else HIDDEN)
    assert ("nonce" in row["detail"]) is sees
    assert row["detail"]["clearance"] == "top_secret"

    client.force_login(person.user)
    page = client.get("/confidentiality/access-log/?action=export")
    api_sheet = _sheet_text(api_as(person).get(f"{LOG}export/?action=export").content)
    page_sheet = _sheet_text(client.get("/confidentiality/access-log/export.xlsx?action=export").content)
    for text in (page.content.decode(), api_sheet, page_sheet):
        assert "outgoing_register" in text
        assert (TERMS in text) is sees
        assert (HIDDEN in text) is not sees


def test_an_auditor_reads_the_terms_of_searchers_cleared_no_higher(readers, office_a, api_as):
    """GIVEN a 机密 clerk's search term WHEN the 机密 安全审计员 reads the log THEN he sees it; the
    机密 保密员 still does not (terms are the auditors' to read)."""
    clerk = make_person(username="wenmi", unit=office_a, clearance=Level.SECRET, roles=(Role.SECRETARY,))
    api_as(clerk).get("/api/v1/documents/outgoing/register/?q=年终")

    assert _export_row(readers["secret_auditor"], api_as)["detail"]["filters"]["q"] == "年终"
    assert _export_row(readers["secret_officer"], api_as)["detail"]["filters"]["q"] == HIDDEN


def test_the_auditor_reads_his_organs_log_and_the_rows_of_no_organ(readers, security_officer, register, api_as):
    """GIVEN a row of no organ (a lockout of an unknown login), a 绝密 carrier's read and a row of
    another organ WHEN the 机密 安全审计员 reads the log THEN he sees the row of no organ, not the
    绝密 read (above his clearance) nor the other organ's; the 保密员 keeps her organ's rows only."""
    ghost = audit.record(None, AuditAction.LOGIN_LOCKED, detail={"username": "ghost"})
    carrier = register(security_officer, level=Level.TOP_SECRET, title="绝密载体")
    api_as(security_officer).get(f"/api/v1/confidentiality/carriers/{carrier.pk}/")
    outsider = make_person(username="waiji", unit=UnitFactory(parent=OrganFactory(name="乙机关")))
    other = audit.record(outsider.user, AuditAction.ACCOUNT)

    auditor_ids = {row["id"] for row in api_as(readers["secret_auditor"]).get(f"{LOG}?page_size=200").json()["results"]}
    officer_ids = {row["id"] for row in api_as(readers["secret_officer"]).get(f"{LOG}?page_size=200").json()["results"]}
    top_secret_reads = set(AuditEvent.objects.filter(object_id=str(carrier.pk)).values_list("id", flat=True))

    assert ghost.id in auditor_ids and ghost.id not in officer_ids
    assert not auditor_ids & top_secret_reads and other.id not in auditor_ids | officer_ids
    assert top_secret_reads <= {
        row["id"] for row in api_as(readers["top_auditor"]).get(f"{LOG}?page_size=200").json()["results"]
    }


def test_the_auditor_opens_the_log_and_nothing_of_the_officers_registers(readers, client, api_as):
    """GIVEN a 安全审计员 WHEN he opens the module THEN the nav offers the 访问日志 and the page
    opens, but not the 份号登记 or 解密审核, whose pages are 403 to him; the log's API takes no
    writes."""
    auditor = readers["secret_auditor"]
    client.force_login(auditor.user)
    carriers = client.get("/confidentiality/carriers/").content.decode()
    assert "访问日志" in carriers and "份号登记" not in carriers and "解密审核" not in carriers
    assert client.get("/confidentiality/access-log/").status_code == 200
    assert client.get("/confidentiality/copies/").status_code == 403
    assert client.get("/confidentiality/declassification/").status_code == 403

    api = api_as(auditor)
    assert api.get(LOG).status_code == 200
    assert api.get("/api/v1/confidentiality/declassification/").status_code == 403
    row = audit.record(None, AuditAction.LOGIN_LOCKED, detail={"username": "ghost"})
    assert api.get(f"{LOG}{row.id}/").status_code == 200
    assert api.post(LOG, {}, format="json").status_code == 405
    assert api.delete(f"{LOG}{row.id}/").status_code == 405
    assert api.patch(f"{LOG}{row.id}/", {"detail": {}}, format="json").status_code == 405
    assert AuditEvent.objects.get(pk=row.id).detail == {"username": "ghost"}


def test_people_who_are_neither_officer_nor_auditor_get_no_log(office_a, api_as, client):
    """GIVEN a 承办人 and a 系统管理员 WHEN they ask for the log THEN page, export and API are 403."""
    for person in (
        make_person(username="chengban", unit=office_a, clearance=Level.TOP_SECRET, roles=(Role.HANDLER,)),
        make_person(username="xitong", unit=office_a, clearance=Level.TOP_SECRET, roles=(Role.SYSTEM_ADMIN,)),
    ):
        client.force_login(person.user)
        assert client.get("/confidentiality/access-log/").status_code == 403
        assert client.get("/confidentiality/access-log/export.xlsx").status_code == 403
        assert api_as(person).get(LOG).status_code == 403
