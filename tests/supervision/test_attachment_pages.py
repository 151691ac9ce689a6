"""Attachments of 督办 reports on the item's page: uploaded with the report form (the same type,
size and ceiling checks as the API), listed with a 预览 for PDFs and images, 404 for anyone who may
not see the item.

The city and its people come from ``conftest.py``; the clock stands on Monday 2 March 2026."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from office.confidentiality.levels import Level
from supervision.models import ReportAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 progress report"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def item_url(item) -> str:
    return f"/supervision/{item.pk}/"


def progress(client, task, *files, text="已完成方案编制"):
    return client.post(
        f"/supervision/{task.item_id}/tasks/{task.pk}/progress/",
        {"progress-text": text, "progress-percent": "40", "progress-attachments": list(files)},
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_report_with_a_pdf_and_a_text_file_is_listed_with_a_preview_for_the_pdf(client, city, item, task):
    """GIVEN the lead unit's page WHEN 孙科员 reports with a PDF and a .txt attached THEN both are
    listed on the item's page, the PDF with a 预览 that shows it in the browser, the text file
    without one (its 预览 address leads to the download)."""
    client.force_login(city.ndrc_staff.user)
    response = progress(client, task, upload("实施方案.pdf", PDF), upload("说明.txt", "说明文字".encode()))
    assert response.status_code == 302

    pdf, text = ReportAttachment.objects.order_by("id")
    assert (pdf.content_type, text.content_type) == ("application/pdf", "text/plain; charset=utf-8")
    page = client.get(item_url(item)).content.decode()
    assert page.count('data-testid="attachment"') == 2 and page.count('data-testid="attachment-preview"') == 1
    assert f"/supervision/{item.pk}/attachments/{pdf.pk}/preview/" in page

    shown = client.get(f"/supervision/{item.pk}/attachments/{pdf.pk}/preview/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline") and shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content) == PDF
    other = client.get(f"/supervision/{item.pk}/attachments/{text.pk}/preview/")
    assert other.status_code == 302 and other["Location"].endswith(f"/attachments/{text.pk}/")


def test_an_image_is_previewed_too(client, city, item, task):
    client.force_login(city.ndrc_head.user)
    progress(client, task, upload("现场照片.png", PNG))
    image = ReportAttachment.objects.get()
    shown = client.get(f"/supervision/{item.pk}/attachments/{image.pk}/preview/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("方案.pdf", b"MZ\x90\x00 a program", "不支持上传可执行程序"),
        ("方案.pdf", "不是PDF的文字".encode(), "内容与扩展名不符"),
        ("方案.exe", b"%PDF-1.4", "不支持"),
        ("方案.pdf", b"", "空文件"),
    ],
)
def test_a_bad_file_is_a_400_with_its_message_and_nothing_is_stored(client, city, item, task, name, content, message):
    client.force_login(city.ndrc_head.user)
    response = progress(client, task, upload(name, content))
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReportAttachment.objects.exists() and not task.reports.exists()


def test_a_file_over_the_size_limit_is_refused(client, city, item, task, settings):
    settings.SHUNIU_MAX_UPLOAD_BYTES = 1024
    client.force_login(city.ndrc_head.user)
    response = progress(client, task, upload("大文件.pdf", PDF + b"0" * 2048))
    assert response.status_code == 400 and "附件不能超过" in response.content.decode()
    assert not ReportAttachment.objects.exists()


def test_the_final_report_form_takes_attachments(client, city, item, task):
    client.force_login(city.ndrc_staff.user)
    response = client.post(
        f"/supervision/{item.pk}/tasks/{task.pk}/final/",
        {"final-text": "全部完工", "final-attachments": [upload("验收报告.pdf", PDF)]},
        follow=True,
    )
    assert "报送本单位负责人审签" in response.content.decode()
    assert ReportAttachment.objects.get().report.kind == "final"


def test_above_the_ceiling_no_file_is_taken(client, city, open_item, split, settings, today):
    """GIVEN a 机密 item kept as a register entry (the ceiling is 内部) WHEN its lead unit attaches a
    file to a report THEN nothing is stored."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    secret = open_item(
        title="机密事项", level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10
    )
    split(secret, assisting_units=[])
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.INTERNAL
    client.force_login(city.ndrc_head.user)
    response = progress(client, secret.tasks.get(), upload("方案.pdf", PDF), text="")
    assert response.status_code in (400, 403)
    assert not ReportAttachment.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "finance_head"])
def test_who_may_not_see_the_item_gets_a_404_for_its_files(client, city, open_item, split, settings, today, who):
    """GIVEN a 机密 item's attachment WHEN 郑科员 (another city) or 周局长 (财政局, no part in it)
    asks for it or its preview THEN both are a 404."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    secret = open_item(
        title="机密事项", level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10
    )
    split(secret, assisting_units=[])
    client.force_login(city.ndrc_head.user)
    progress(client, secret.tasks.get(), upload("方案.pdf", PDF))
    pdf = ReportAttachment.objects.get()

    client.force_login(getattr(city, who).user)
    assert client.get(f"/supervision/{secret.pk}/attachments/{pdf.pk}/preview/").status_code == 404
    assert client.get(f"/supervision/{secret.pk}/attachments/{pdf.pk}/").status_code == 404
