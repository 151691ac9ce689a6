"""Attachments: size and type checked, the ceiling applies, downloads logged, 附件说明 checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import checker
from documents.models import Attachment, DocumentState
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
