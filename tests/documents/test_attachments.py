"""Attachments: size checked, typed by their bytes, the ceiling applies, downloads logged and served
as what their bytes are, 附件说明 checked."""

import io
import zipfile
from urllib.parse import quote

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Attachment, DocumentState
from documents.outgoing import checker
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test\n"


def _pdf(name="实施方案.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_drafter_attaches_a_pdf_and_the_note_then_matches(office, make_document, api_as):
    """GIVEN a draft whose 附件说明 names one attachment WHEN the drafter uploads it through the API
    THEN it is stored in order, and the checker's 附件说明 error goes away."""
    document = make_document(attachment_note="1. 实施方案")
    assert any(f.rule == "attachments_match" for f in checker.check(document))

    response = api_as(office.drafter).post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": _pdf()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "实施方案.pdf" and response.json()["order"] == 1
    assert not [f for f in checker.check(document) if f.rule == "attachments_match"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "不支持"),
        (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00", content_type="application/pdf"), "不支持"),
        (SimpleUploadedFile("空.pdf", b"", content_type="application/pdf"), "空文件"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(office, make_document, api_as, upload, message):
    """GIVEN a draft WHEN an executable, a file whose content is not what its name says, or an empty
    file is uploaded THEN 400 with the reason and no attachment."""
    document = make_document()
    response = api_as(office.drafter).post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert message in str(response.json()["errors"])
    assert not Attachment.objects.exists()


def test_oversized_uploads_are_refused(office, make_document, api_as, settings):
    """GIVEN an upload limit WHEN a larger file is uploaded THEN 400 naming the limit."""
    settings.SHUNIU_MAX_UPLOAD_BYTES = 1024 * 1024
    document = make_document()
    big = _pdf(content=PDF + b"0" * (1024 * 1024))
    response = api_as(office.drafter).post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": big}, format="multipart"
    )
    assert response.status_code == 400 and "1 MB" in str(response.json()["errors"])
    assert not Attachment.objects.exists()


def test_the_ceiling_refuses_attachments_above_it(office, make_document, api_as):
    """GIVEN the ceiling 内部 and a 机密 document (register only) WHEN a file is attached THEN 400
    with the ceiling message, nothing stored."""
    office.drafter.clearance = Level.SECRET
    office.drafter.save()
    document = make_document(level=Level.SECRET, basis="范围", term_unit="years", term_amount=10, body="", copies=2)
    response = api_as(office.drafter).post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": _pdf()}, format="multipart"
    )
    assert response.status_code == 400 and "密级上限" in str(response.json())
    assert not Attachment.objects.exists()


def test_only_the_step_owner_attaches(office, make_document, walk, api_as):
    """GIVEN a document at 签发 WHEN the drafter uploads THEN 403: the text is with the leader now."""
    document = walk(make_document(), DocumentState.SIGNOFF)
    response = api_as(office.drafter).post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": _pdf()}, format="multipart"
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_downloads_are_for_readers_only_and_logged_when_classified(office, make_document, api_as, settings):
    """GIVEN a 秘密 document with an attachment (ceiling raised) WHEN the drafter downloads it THEN
    the file comes back and the download is logged; WHEN someone outside its scope asks THEN 404."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.SECRET
    office.drafter.save()
    document = make_document(level=Level.CONFIDENTIAL, basis="范围", term_unit="years", term_amount=5, copies=1)
    client = api_as(office.drafter)
    attachment_id = client.post(
        f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": _pdf()}, format="multipart"
    ).json()["id"]

    download = client.get(f"/api/v1/documents/outgoing/{document.pk}/attachments/{attachment_id}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(document.pk)).exists()

    outsider = api_as(office.bureau_staff).get(f"/api/v1/documents/outgoing/{document.pk}/attachments/{attachment_id}/")
    assert outsider.status_code == 404


# --- Typed by their bytes ----------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTICE_GB18030 = "关于做好2026年元旦春节期间值班工作的通知\r\n各处室：现将有关事项通知如下。\r\n".encode("gb18030")


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("值班安排表")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bytes(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def _attach(client, document, upload):
    return client.post(f"/api/v1/documents/outgoing/{document.pk}/attachments/", {"file": upload}, format="multipart")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("readme.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "不支持上传可执行程序或脚本：“readme.txt”"),
        ("说明.txt", b"MZ\x90\x00\x03\x00\x00\x00", "不支持上传可执行程序或脚本：“说明.txt”"),
        ("安装.pdf", b"#!/bin/sh\nrm -rf /\n", "不支持上传可执行程序或脚本：“安装.pdf”"),
        ("x.docx", PDF, "“x.docx”的内容与扩展名不符：应是Word 文档（.docx），实际是PDF 文件"),
        ("表格.docx", _zip_bytes("[Content_Types].xml", "xl/workbook.xml"), "实际是Excel 表格（.xlsx）"),
        (
            "版式.ofd",
            _zip_bytes("Doc_0/Document.xml"),
            "“版式.ofd”的内容与扩展名不符：应是OFD 版式文件，实际是ZIP 压缩包",
        ),
        ("旧版.doc", PDF, "应是Word/Excel/WPS 旧版文件"),
        ("照片.png", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "应是PNG 图片，实际是JPEG 图片"),
        ("记录.txt", "记录".encode("utf-16"), "“记录.txt”不是纯文本：文本文件须为 UTF-8 或 GB18030 编码"),
        ("数据.txt", bytes(range(0x80, 0x100)), "“数据.txt”不是纯文本"),
    ],
)
def test_files_whose_bytes_are_not_what_their_name_says_are_refused(
    office, make_document, api_as, tmp_path, name, content, message
):
    """GIVEN a draft WHEN an ELF, a PE or a script is uploaded under a harmless name, a PDF as .docx,
    a workbook as .docx, a ZIP without OFD.xml as .ofd, a JPEG as .png, or UTF-16/binary as .txt
    THEN 400 naming the file and what it really is, and nothing is stored, not even on disk."""
    document = make_document()
    upload = SimpleUploadedFile(name, content, content_type="text/plain")

    response = _attach(api_as(office.drafter), document, upload)

    assert response.status_code == 400
    assert message in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_real_docx_is_stored_and_served_as_word_whatever_the_client_claimed(office, make_document, api_as):
    """GIVEN a Word file made by python-docx, sent with the claim text/html WHEN it is attached and
    downloaded THEN 201 with the Word type recorded, and the download is Word, nosniff, saved as an
    attachment under its Chinese name."""
    document = make_document()
    client = api_as(office.drafter)
    content = _docx_bytes()

    response = _attach(client, document, SimpleUploadedFile("值班安排表.docx", content, content_type="text/html"))

    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == DOCX
    download = client.get(f"/api/v1/documents/outgoing/{document.pk}/attachments/{response.json()['id']}/")
    assert download.status_code == 200 and download.content == content
    assert download["Content-Type"] == DOCX
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("值班安排表.docx")


def test_a_gb18030_text_file_is_accepted_and_served_with_its_charset(office, make_document, api_as):
    """GIVEN a notice saved as GB18030 text (what Chinese Windows writes) WHEN it is attached and
    downloaded THEN it is accepted and served as text/plain in GB18030, so it opens legibly."""
    document = make_document()
    client = api_as(office.drafter)

    response = _attach(client, document, SimpleUploadedFile("通知.txt", NOTICE_GB18030, content_type="text/html"))

    assert response.status_code == 201, response.json()
    download = client.get(f"/api/v1/documents/outgoing/{document.pk}/attachments/{response.json()['id']}/")
    assert download["Content-Type"] == "text/plain; charset=gb18030"
    assert download.content.decode(download.charset) == NOTICE_GB18030.decode("gb18030")


def test_an_attachment_stored_with_the_clients_claim_is_served_as_its_bytes(office, make_document, api_as):
    """GIVEN an attachment stored before uploads were sniffed, recorded as text/html and renamed
    without an extension WHEN it is downloaded THEN it is served as the PDF its bytes are, nosniff,
    and saved with the .pdf extension: the old record cannot make a browser render it as a page."""
    document = make_document()
    attachment = Attachment.objects.create(
        document=document,
        name="实施方案",
        file=ContentFile(PDF, name="scheme.pdf"),
        size=len(PDF),
        content_type="text/html",
        order=1,
        uploaded_by=office.drafter,
    )

    download = api_as(office.drafter).get(f"/api/v1/documents/outgoing/{document.pk}/attachments/{attachment.pk}/")

    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("实施方案.pdf")
