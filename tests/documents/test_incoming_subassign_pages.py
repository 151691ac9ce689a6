"""分办, the 拟办's proposed units and the 原件扫描件 from the pages and the API: the head passes a 办件 on
from the document's page, the 承办人 finds it in his 待办 and reports from his page, the head returns it
and then sends it up, and 办结 follows; 来文登记 with scans (checked as every upload, PDF or images
only, previews opened inline); and whoever is outside the 知悉范围 gets a 404 from every new page,
file and endpoint.

The receiving bureau and ``receive`` / ``advance`` come from ``conftest.py``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Assignment, AssignmentRole, IncomingDocument, IncomingScan, SubassignmentState
from documents.models import UnitAssignment as Row
from office.confidentiality.levels import Level
from office.org.models import UnitKind
from tests.documents.incoming_api_helpers import as_, assert_conflict, post
from tests.documents.incoming_helpers import S, fresh
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db
U = SubassignmentState
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 30


def detail(document) -> str:
    return f"/documents/incoming/{document.pk}/"


def text(response) -> str:
    return response.content.decode()


def offered(html: str) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z-]+)"', html))


@pytest.fixture
def section(bureau):
    """预算一科 below 预算处, with its 科员 吴科员 (机密)."""
    unit = UnitFactory(parent=bureau.budget, name="预算一科", kind=UnitKind.SECTION)
    return make_person(username="in-b1-staff", name="吴科员", unit=unit, clearance=Level.SECRET)


@pytest.fixture
def outsider():
    """A 科员 of another organ: outside every 知悉范围 of the bureau's documents."""
    return make_person(username="outsider", name="外单位", unit=UnitFactory(parent=OrganFactory(name="测试市水利局")))


@pytest.fixture
def handling(receive, advance):
    return advance(receive(), S.HANDLING, time_limit=timezone.localdate() + timedelta(days=10))


def subassign_data(bureau, handler, due) -> dict:
    return {
        "subassign-unit": bureau.budget.pk,
        "subassign-section": handler.unit.pk,
        "subassign-handler": handler.pk,
        "subassign-due": due.isoformat(),
        "subassign-instruction": "请预算一科办理。",
    }


def test_the_whole_subassignment_from_the_pages(client, bureau, section, handling):
    """GIVEN a 办件 承办中 WHEN 预算处's head passes it on from the page, 吴科员 reports from his page,
    the head returns it, he reports again and the head sends it up THEN 吴科员's page offers exactly
    his 报送 (never "nothing to do"), his 待办 lists it, the head is offered 上报/退回 in turn, the 办结
    form starts from the answer sent up, and the 流转记录 shows each step with the names."""
    due = timezone.localdate() + timedelta(days=5)
    client.force_login(bureau.budget_head.user)
    response = client.post(f"{detail(handling)}subassign/", subassign_data(bureau, section, due), follow=True)
    assert response.status_code == 200 and "已分办预算一科 吴科员办理" in text(response)
    row = Row.objects.get()

    client.force_login(section.user)
    inbox = text(client.get("/documents/incoming/inbox/"))
    assert 'data-testid="inbox-subassigned"' in inbox and handling.title in inbox
    page = text(client.get(detail(handling)))
    assert offered(page) == {"sub-report"} and 'data-testid="no-actions"' not in page
    report_url = f"{detail(handling)}subassignments/{row.pk}/report/"
    blank = client.post(report_url, {"sub_report-note": ""})
    assert blank.status_code == 400 and Row.objects.get().state == U.ASSIGNED
    client.post(report_url, {"sub_report-note": "已起草方案。"}, follow=True)

    client.force_login(bureau.budget_head.user)
    page = text(client.get(detail(handling)))
    assert {"sub-accept", "sub-return"} <= offered(page) and "complete" not in offered(page)
    assert "已起草方案。" in page
    client.post(f"{detail(handling)}subassignments/{row.pk}/return/", {"sub_return-reason": "请补充测算。"})
    assert Row.objects.get().state == U.RETURNED

    client.force_login(section.user)
    assert "请补充测算。" in text(client.get(detail(handling)))
    client.post(report_url, {"sub_report-note": "方案及测算已完成。"})

    client.force_login(bureau.budget_head.user)
    client.post(f"{detail(handling)}subassignments/{row.pk}/accept/", {"sub_accept-note": ""})
    page = text(client.get(detail(handling)))
    assert "complete" in offered(page) and "方案及测算已完成。</textarea>" in page
    done = client.post(
        f"{detail(handling)}complete/",
        {"complete-result": "方案及测算已完成。", "complete-reply": "", "confirmed": "1"},
        follow=True,
    )
    assert done.status_code == 200 and fresh(handling).state == S.DONE
    timeline = text(done)
    for words in ("分办", "报送办理情况", "退回办理情况", "上报办理情况", "吴科员", "杨处长"):
        assert words in timeline


def test_a_late_time_limit_from_the_page_is_refused_in_chinese(client, bureau, section, handling):
    """GIVEN 预算处 due in 10 days WHEN its head gives the 承办人 20 days from the page THEN 400 with the
    reason naming the unit's date, the form again, and nothing stored."""
    client.force_login(bureau.budget_head.user)
    late = timezone.localdate() + timedelta(days=20)

    response = client.post(f"{detail(handling)}subassign/", subassign_data(bureau, section, late))

    limit = timezone.localdate() + timedelta(days=10)
    assert response.status_code == 400
    assert f"不能晚于本单位的办理时限（{limit.year}年{limit.month}月{limit.day}日）" in text(response)
    assert not Row.objects.exists()


def test_the_proposed_units_are_prefilled_into_the_instruction(client, bureau, receive, advance):
    """GIVEN a 办件 at 拟办 WHEN the 文秘 proposes 预算处 to lead and 国库处 to assist THEN the 批示 form
    the leader gets has them chosen already, and the page shows the proposal's units."""
    document = advance(receive(), S.PROPOSAL)
    client.force_login(bureau.clerk.user)
    client.post(
        f"{detail(document)}propose/",
        {
            "propose-proposal": "拟请预算处牵头。",
            "propose-leader": bureau.leader.pk,
            "propose-lead_unit": bureau.budget.pk,
            "propose-assisting_units": [bureau.treasury.pk],
        },
    )
    assert fresh(document).proposed_lead_unit == bureau.budget

    client.force_login(bureau.leader.user)
    page = text(client.get(detail(document)))

    lead = page.split('name="instruct-lead_unit"')[1].split("</select>")[0]
    assisting = page.split('name="instruct-assisting_units"')[1].split("</select>")[0]
    assert re.search(rf'<option value="{bureau.budget.pk}"[^>]*\bselected\b[^>]*>预算处', lead)
    assert re.search(rf'<option value="{bureau.treasury.pk}"[^>]*\bselected\b[^>]*>国库处', assisting)
    assert 'data-testid="proposed-units"' in page


# --- 原件扫描件 -----------------------------------------------------------------------------------------


def receive_form(bureau, **extra) -> dict:
    return {
        "receiving_unit": bureau.organ.pk,
        "sender_organ": "测试省财政厅",
        "sender_number": "测财发〔2026〕88号",
        "title": "测试省财政厅关于扫描件的通知",
        "kind": "notice",
        "urgency": "",
        "copies_received": 1,
        "channel": "paper",
        "classification": Level.INTERNAL.value,
        **extra,
    }


def test_a_scan_registered_with_the_document_opens_inline(client, bureau):
    """GIVEN 来文登记 WHEN the 文秘 saves it with a PDF and a PNG THEN the document has both scans, its
    page lists them with a preview link, and the preview opens the PDF in the browser (inline, with
    its type, not cached)."""
    client.force_login(bureau.clerk.user)
    scans = [SimpleUploadedFile("原件.pdf", PDF), SimpleUploadedFile("附件一.png", PNG)]

    response = client.post("/documents/incoming/new/", receive_form(bureau, scans=scans), follow=True)

    document = IncomingDocument.objects.get()
    assert response.status_code == 200
    assert sorted(document.scans.values_list("name", "content_type")) == [
        ("原件.pdf", "application/pdf"),
        ("附件一.png", "image/png"),
    ]
    page = text(response)
    assert page.count('data-testid="scan-row"') == 2 and "上传原件扫描件" in page
    scan = document.scans.get(name="原件.pdf")
    preview = client.get(f"{detail(document)}scans/{scan.pk}/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline") and preview["Cache-Control"] == "no-store"
    assert b"".join(preview.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("原件.pdf", "这不是PDF".encode(), "内容与扩展名不符"),
        ("说明.txt", "纯文本说明".encode(), "原件扫描件须为 PDF 或图片"),
        ("空.pdf", b"", "提交的是空文件"),
    ],
    ids=["not-a-pdf", "text", "empty"],
)
def test_a_bad_scan_stores_nothing(client, bureau, name, content, message):
    """GIVEN 来文登记 WHEN the scan is not what its name says, not a scan, or empty THEN 400 with the
    reason in Chinese, and neither the document nor any file is stored."""
    client.force_login(bureau.clerk.user)

    response = client.post("/documents/incoming/new/", receive_form(bureau, scans=[SimpleUploadedFile(name, content)]))

    assert response.status_code == 400 and message in text(response)
    assert not IncomingDocument.objects.exists() and not IncomingScan.objects.exists()


def test_a_scan_above_the_ceiling_is_refused_and_nothing_stored(client, bureau):
    """GIVEN the default ceiling (内部) WHEN the 文秘 registers a 机密 document with a scan THEN 400 with
    the ceiling's reason; no document, no scan (the register alone would need no file)."""
    client.force_login(bureau.clerk.user)
    data = receive_form(
        bureau,
        classification=Level.SECRET.value,
        classification_basis="来文标注",
        scans=[SimpleUploadedFile("a.pdf", PDF)],
    )

    response = client.post("/documents/incoming/new/", data)

    assert response.status_code == 400 and "不上传原件扫描件" in text(response)
    assert not IncomingDocument.objects.exists()


def test_scans_through_the_api(bureau, receive):
    """GIVEN a registered document WHEN the 文秘 uploads a PDF through the API THEN 201 with its
    register fields, the detail lists it and it downloads; a text file is a 400; 预算处's head (not
    the office) is refused."""
    document = receive()
    upload = as_(bureau.clerk).post(
        f"/api/v1/documents/incoming/{document.pk}/scans/", {"file": SimpleUploadedFile("扫描.pdf", PDF)}
    )
    assert upload.status_code == 201 and upload.json()["content_type"] == "application/pdf"
    listed = as_(bureau.clerk).get(f"/api/v1/documents/incoming/{document.pk}/").json()["scans"]
    assert [scan["name"] for scan in listed] == ["扫描.pdf"]
    download = as_(bureau.clerk).get(f"/api/v1/documents/incoming/{document.pk}/scans/{upload.json()['id']}/")
    assert download.status_code == 200 and download.content == PDF

    bad = as_(bureau.clerk).post(
        f"/api/v1/documents/incoming/{document.pk}/scans/", {"file": SimpleUploadedFile("a.txt", "文本".encode())}
    )
    refused = as_(bureau.budget_head).post(
        f"/api/v1/documents/incoming/{document.pk}/scans/", {"file": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert bad.status_code == 400 and refused.status_code == 403
    assert IncomingScan.objects.count() == 1


# --- 分办 through the API -----------------------------------------------------------------------------


def test_the_subassignment_through_the_api(bureau, section, handling):
    """GIVEN a 办件 承办中 WHEN 预算处's head passes it on, 吴科员 reports and the head sends it up, all
    through the API THEN each answer is the document with the row as it stands; a late date is a 400,
    a second report a 409, and the lead unit's answer is on its assignment."""
    due = timezone.localdate() + timedelta(days=5)
    body = {"unit": bureau.budget.pk, "section": section.unit.pk, "handler": section.pk, "due": due.isoformat()}
    late = post(bureau.budget_head, handling, "subassign", {**body, "due": (due + timedelta(days=30)).isoformat()})
    assert late.status_code == 400 and "不能晚于本单位的办理时限" in late.json()["errors"]["due"][0]

    answer = post(bureau.budget_head, handling, "subassign", body)
    assert answer.status_code == 200
    lead = next(a for a in answer.json()["assignments"] if a["role"] == "lead")
    [row] = lead["subassignments"]
    assert (row["handler_name"], row["state"]) == ("吴科员", "assigned")

    reported = post(section, handling, f"subassignments/{row['id']}/report", {"note": "已办理。"})
    again = post(section, handling, f"subassignments/{row['id']}/report", {"note": "再报。"})
    accepted = post(bureau.budget_head, handling, f"subassignments/{row['id']}/accept", {})

    assert reported.status_code == 200
    assert_conflict(again)
    assert accepted.status_code == 200
    assert Assignment.objects.get(document=handling, role=AssignmentRole.LEAD).note == "已办理。"


# --- Outside the 知悉范围 -------------------------------------------------------------------------------


def test_outside_the_scope_every_new_page_file_and_endpoint_is_a_404(
    client, bureau, section, handling, outsider, receive
):
    """GIVEN a 办件 with a 分办 row and a scan WHEN a person of another organ asks for the scan, posts a
    report or a scan from the pages, or asks the same through the API THEN every answer is 404 and
    nothing changes."""
    from documents.incoming import services as incoming
    from documents.incoming import subassign

    row = subassign.unit_subassign(
        actor=bureau.budget_head.user,
        document=handling,
        unit=bureau.budget,
        section=section.unit,
        handler=section,
        due=timezone.localdate() + timedelta(days=5),
    )
    scan = incoming.incoming_attach_scan(
        actor=bureau.clerk.user, document=handling, upload=SimpleUploadedFile("原件.pdf", PDF)
    )
    client.force_login(outsider.user)
    base = detail(handling)

    answers = [
        client.get(f"{base}scans/{scan.pk}/").status_code,
        client.post(f"{base}scans/", {"scan-scans": [SimpleUploadedFile("x.pdf", PDF)]}).status_code,
        client.post(f"{base}subassignments/{row.pk}/report/", {"sub_report-note": "冒报"}).status_code,
        client.post(f"{base}subassign/", subassign_data(bureau, section, row.due)).status_code,
        as_(outsider).get(f"/api/v1/documents/incoming/{handling.pk}/scans/{scan.pk}/").status_code,
        post(outsider, handling, f"subassignments/{row.pk}/report", {"note": "冒报"}).status_code,
        post(outsider, handling, "subassign", {"unit": bureau.budget.pk}).status_code,
    ]

    assert answers == [404] * 7
    assert Row.objects.get().state == U.ASSIGNED and IncomingScan.objects.count() == 1
    # Inside the scope, a scan or a row asked for under another document is a 404 too.
    client.force_login(bureau.clerk.user)
    other = receive(title="测试省财政厅关于另一事项的通知")
    assert client.get(f"{detail(other)}scans/{scan.pk}/").status_code == 404
    client.force_login(section.user)
    assert client.post(f"{detail(other)}subassignments/{row.pk}/report/", {"sub_report-note": "x"}).status_code == 404


def test_a_registration_that_fails_on_its_second_scan_leaves_no_file_behind(
    client, bureau, monkeypatch, settings, tmp_path
):
    """GIVEN 来文登记 with two scans WHEN the second is refused while being stored (a fault injected into the
    service after the first file was written) THEN 400, no document, no scan row — and no stray file in
    storage either (the rows rolled back; the first file is removed with them)."""
    from django.core.exceptions import ValidationError

    from documents.incoming import services

    settings.MEDIA_ROOT = tmp_path
    real, calls = services.incoming_attach_scan, []

    def second_fails(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError({"file": "存储失败（注入的故障）。"})
        return real(**kwargs)

    monkeypatch.setattr(services, "incoming_attach_scan", second_fails)
    client.force_login(bureau.clerk.user)
    scans = [SimpleUploadedFile("原件.pdf", PDF), SimpleUploadedFile("附件一.png", PNG)]

    response = client.post("/documents/incoming/new/", receive_form(bureau, scans=scans))

    assert response.status_code == 400 and "存储失败" in text(response)
    assert not IncomingDocument.objects.exists() and not IncomingScan.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
