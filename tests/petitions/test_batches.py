"""Batch 转送/交办 files (CSV and JSON) for the national system: what the city routed to 住建局 is
exported by the city's 信访员 and imported by the bureau's, all rows or none; the 信访人 are masked
for whoever may not see them; a 检举控告 never reaches the accused bureau's file; only a 信访员
imports; the API documents and answers both routes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from office.confidentiality import services as secrecy
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import User
from petitions import batches, services
from petitions.models import Channel, Kind, PetitionCase, RegistrationCounter
from tests.petitions.conftest import PETITIONER_ID, PETITIONER_NAME

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 16)
PERIOD = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-16 10:00 +0800", tick=False):
        yield


def login(person) -> User:
    return User.objects.select_related("person__unit").get(pk=person.user_id)


@pytest.fixture
def routed(petition_city, ledger_people, new_case):
    """转送 of a letter and 交办 of a visit to the bureau's 城建科, and a 检举控告 against 住建局 转送 to
    财政局 — with every grant that would let the bureau in (the bar ignores them)."""
    org = petition_city.org
    actor = org.registrar.user
    transferred = new_case()
    services.case_route(actor=actor, case=transferred, route="transfer", unit=org.bureau_section)
    assigned = new_case(channel=Channel.VISIT, title="关于拖欠工程款的来访", content="施工单位拖欠农民工工资。")
    services.case_route(
        actor=actor, case=assigned, route="assign", unit=org.bureau_section, report_back_due=date(2026, 12, 16)
    )
    accusation = new_case(
        kind=Kind.ACCUSATION, title="检举住建局违规验收", content="质量站违规出具验收意见。", accused_unit=org.bureau
    )
    services.case_route(actor=actor, case=accusation, route="transfer", unit=org.finance)
    for unit in (org.bureau, org.bureau_section):
        secrecy.grant(actor=actor, record=accusation, unit=unit, reason="工作需要")
    new_case(title="尚未分流的来信")  # not routed: in no batch
    return org, petition_city, ledger_people, transferred, assigned, accusation


def rows_of(batch) -> list[dict]:
    if batch.content_type.startswith("application/json"):
        return json.loads(batch.content)["cases"]
    return list(csv.DictReader(io.StringIO(batch.content.decode("utf-8-sig"))))


def test_export_lists_what_was_routed_with_identity_for_the_handlers_only(routed):
    org, _city, _people, transferred, assigned, accusation = routed
    batch = batches.export(login(org.registrar), *PERIOD, "csv")
    assert batch.content.startswith("\ufeff".encode())  # a BOM: spreadsheets read it as UTF-8
    rows = rows_of(batch)
    assert [row["登记号"] for row in rows] == [transferred.number, assigned.number, accusation.number]
    first = rows[0]
    assert (first["信访人"], first["身份证号码"], first["联系电话"]) == (PETITIONER_NAME, PETITIONER_ID, "13812345678")
    assert (first["处理方式"], first["承办单位"], first["转送交办日期"]) == ("转送", "城建科", "2026-11-16")
    assert rows[1]["报送结果时限"] == "2026-12-16"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=org.registrar.user)
    assert event.detail["what"] == "petition_batch" and event.detail["rows"] == 3

    # The 副市长, let into one case, sees it in his file — with its 信访人 masked.
    secrecy.grant(actor=org.registrar.user, record=transferred, person=org.leader, reason="领导阅示")
    (row,) = rows_of(batches.export(login(org.leader), *PERIOD, "json"))
    person = row["petitioners"][0]
    assert row["identity_masked"] is True
    assert person["name"] == "张**" and PETITIONER_ID not in json.dumps(row) and "13812345678" not in json.dumps(row)


def test_the_accused_bureau_exports_nothing_of_the_accusation(routed):
    org, _city, _people, transferred, assigned, accusation = routed
    for person in (org.bureau_head, org.bureau_clerk, org.bureau_inspector):
        for fmt in batches.FORMATS:
            batch = batches.export(login(person), *PERIOD, fmt)
            assert accusation.number not in batch.content.decode("utf-8-sig")
            assert "检举住建局违规验收" not in batch.content.decode("utf-8-sig")
    clerk_rows = rows_of(batches.export(login(org.bureau_clerk), *PERIOD, "json"))
    assert [row["number"] for row in clerk_rows] == [transferred.number, assigned.number]


def _file(rows: list[dict], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"cases": rows}, ensure_ascii=False).encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()  # no BOM this time


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_export_then_import_by_the_receiving_office(routed, fmt):
    org, _city, people, transferred, assigned, accusation = routed
    batch = batches.export(login(org.registrar), date(2026, 11, 16), date(2026, 11, 16), fmt)
    rows = rows_of(batch)
    assert (rows[2].get("登记号") or rows[2].get("number")) == accusation.number
    officer = login(people.bureau_officer)
    # The accused bureau may not register the accusation against itself: the whole file is refused.
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(officer, _file(rows, fmt), fmt)
    where = "第4行" if fmt == "csv" else "第3条"
    assert refused.value.message_dict["file"] == [
        f"{where}（被检举单位）：检举控告事项不得由被检举单位登记，请退回上级机关。"
    ]
    assert not PetitionCase.objects.filter(organ=org.bureau).exists()

    content = _file(rows[:2], fmt)
    created = batches.import_cases(login(people.bureau_officer), SimpleUploadedFile(f"batch.{fmt}", content), fmt)
    assert [c.superior_number for c in created] == [transferred.number, assigned.number]
    for case, source in zip(created, (transferred, assigned), strict=True):
        case.refresh_from_db()
        assert (case.organ, case.channel, case.received_on) == (org.bureau, Channel.SUPERIOR, TODAY)
        assert (case.title, case.content, case.category, case.kind) == (
            source.title,
            source.content,
            source.category,
            source.kind,
        )
        link = case.petitioners.select_related("petitioner").get()
        assert (link.petitioner.name, link.petitioner.id_number) == (PETITIONER_NAME, PETITIONER_ID)
    # Importing the same file again registers nothing twice.
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(login(people.bureau_officer), content, fmt)
    assert "已经导入" in " ".join(refused.value.message_dict["file"])


def _csv(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=["上级转交编号", "收到日期", "诉求类型", "问题分类", "事项摘要", "诉求内容", "信访人"]
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


GOOD = {
    "上级转交编号": "省信〔2026〕9号",
    "收到日期": "2026-11-10",
    "诉求类型": "申诉求决",
    "问题分类": "城乡建设 › 房屋质量",
    "事项摘要": "反映小区外墙脱落",
    "诉求内容": "外墙瓷砖脱落，存在安全隐患。",
    "信访人": "李四；王五",
}


def test_a_bad_row_rolls_back_every_row_and_names_its_row_and_field(routed):
    _org, _city, people, *_ = routed
    officer = login(people.bureau_officer)
    before = (PetitionCase.objects.count(), list(RegistrationCounter.objects.values_list("last", flat=True)))
    content = _csv(
        GOOD,
        {**GOOD, "上级转交编号": "省信〔2026〕10号", "问题分类": "不存在的分类"},
        {**GOOD, "上级转交编号": ""},
        {**GOOD, "上级转交编号": "省信〔2026〕11号", "收到日期": "2026-12-01"},
    )
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(officer, content, "csv")
    errors = refused.value.message_dict["file"]
    assert errors == [
        "第3行（问题分类）：找不到问题分类“不存在的分类”。",
        "第4行（上级转交编号）：请填写上级转交编号。",
        "第5行（收到日期）：收到日期不能晚于今天。",
    ]
    assert (PetitionCase.objects.count(), list(RegistrationCounter.objects.values_list("last", flat=True))) == before

    (case,) = batches.import_cases(officer, _csv(GOOD), "csv")  # the good row alone goes in
    assert [link.petitioner.name for link in case.petitioners.select_related("petitioner")] == ["李四", "王五"]
    assert case.headcount == 2 and case.kind == Kind.CLAIM


def test_import_refusals_size_and_encoding(routed, monkeypatch):
    org, city, people, *_ = routed
    for outsider in (city.bystander, org.bureau_head):
        with pytest.raises(PermissionDenied):
            batches.import_cases(login(outsider), _csv(GOOD), "csv")
    officer = login(people.bureau_officer)
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(officer, _csv(GOOD).decode("utf-8-sig").encode("gb18030"), "csv")
    assert "UTF-8" in refused.value.message_dict["file"][0]
    monkeypatch.setattr(batches, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(officer, _csv(GOOD, GOOD), "csv")
    assert "分批" in refused.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as refused:
        batches.import_cases(officer, b'{"cases": 1}', "json")
    assert "列表" in refused.value.message_dict["file"][0]


def test_api_export_and_import(routed, api_as, client):
    org, city, people, transferred, *_ = routed
    api = api_as(org.registrar)
    response = api.get(
        "/api/v1/petitions/batches/export/", {"start": "2026-11-01", "end": "2026-11-30", "format": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert transferred.number in response.content.decode("utf-8-sig")
    response = api.get("/api/v1/petitions/batches/export/", {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 400

    api = api_as(people.bureau_officer)
    upload = SimpleUploadedFile("batch.csv", _csv(GOOD), content_type="text/csv")
    response = api.post("/api/v1/petitions/batches/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201 and response.json()["count"] == 1
    upload = SimpleUploadedFile(
        "batch.csv", _csv({**GOOD, "上级转交编号": "省信〔2026〕12号", "问题分类": "无此类"}), content_type="text/csv"
    )
    response = api.post("/api/v1/petitions/batches/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "第2行（问题分类）" in json.dumps(response.json(), ensure_ascii=False)

    api = api_as(city.bystander)
    upload = SimpleUploadedFile("batch.csv", _csv(GOOD), content_type="text/csv")
    assert api.post("/api/v1/petitions/batches/import/", {"file": upload}, format="multipart").status_code == 403

    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "get" in schema["paths"]["/api/v1/petitions/batches/export/"]
    assert (
        "multipart/form-data" in schema["paths"]["/api/v1/petitions/batches/import/"]["post"]["requestBody"]["content"]
    )
