"""发文 附件 on the pages: upload, list, preview, remove — the API's checks, in Chinese; an
outsider gets 404; the 核稿 checker compares the 附件说明 with what was uploaded."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Attachment, DocumentState, Transition
from documents.outgoing import services
from office.confidentiality.levels import Level
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db
S = DocumentState
PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload_url(document) -> str:
    return f"/documents/outgoing/{document.pk}/attachments/"


def file_url(document, attachment) -> str:
    return f"/documents/outgoing/{document.pk}/attachments/{attachment.pk}/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pdf(name="实施方案.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_drafter_uploads_on_the_page_and_sees_it_listed_with_a_preview(client, office, make_document):
    """GIVEN a draft WHEN the drafter uploads a PDF and a PNG from its page THEN both are listed in
    order with a 预览 link (the picture shown in place); the PDF opens in the browser as a PDF and
    the 流转记录 says 添加附件."""
    document = make_document(attachment_note="1. 实施方案\n2. 现场照片")
    client.force_login(office.drafter.user)

    first = client.post(upload_url(document), {"attachment-file": pdf(), "attachment-name": ""})
    second = client.post(
        upload_url(document),
        {"attachment-file": SimpleUploadedFile("photo.png", PNG), "attachment-name": "现场照片"},
    )

    assert first.status_code == 302 and second.status_code == 302
    rows = list(document.attachments.order_by("order"))
    assert [(a.name, a.content_type) for a in rows] == [("实施方案.pdf", "application/pdf"), ("现场照片", "image/png")]
    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))
    assert page.count('data-testid="attachment"') == 2 and page.count('data-testid="attachment-preview"') == 2
    assert f'src="{file_url(document, rows[1])}?inline=1"' in page
    assert 'data-rule="attachments_match"' not in page  # the 附件说明 now matches

    preview = client.get(file_url(document, rows[0]), {"inline": "1"})
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    download = client.get(file_url(document, rows[0]))
    assert download["Content-Disposition"].startswith("attachment")
    assert Transition.objects.filter(document=document, action="添加附件").count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"), "不支持上传可执行程序"),
        (SimpleUploadedFile("说明.abc", b"hello", content_type="text/plain"), "不支持“说明.abc”的类型"),
        (SimpleUploadedFile("伪装.pdf", b"just text", content_type="application/pdf"), "内容与扩展名不符"),
        (None, "请选择要上传的文件。"),
    ],
)
def test_a_bad_upload_is_refused_in_chinese_and_nothing_is_stored(client, office, make_document, upload, message):
    """GIVEN a draft WHEN a program, an unknown type, a disguised file or no file is uploaded from
    the page THEN the page again (400) with the reason in Chinese, and no attachment."""
    document = make_document()
    client.force_login(office.drafter.user)

    response = client.post(upload_url(document), {"attachment-file": upload} if upload else {})

    assert response.status_code == 400
    assert message in text_of(response)
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, office, make_document, settings):
    """GIVEN the upload limit at 1 MB WHEN a bigger PDF is uploaded THEN 400 “太大：附件不能超过1 MB”."""
    settings.SHUNIU_MAX_UPLOAD_BYTES = 2**20
    document = make_document()
    client.force_login(office.drafter.user)

    response = client.post(upload_url(document), {"attachment-file": pdf(content=PDF + b"0" * 2**20)})

    assert response.status_code == 400 and "太大：附件不能超过1 MB" in text_of(response)
    assert not Attachment.objects.exists()


def test_an_outsider_gets_404_for_every_attachment_address(client, office, make_document):
    """GIVEN a draft with an attachment WHEN someone of another organ asks for it, previews it,
    uploads to or removes from the draft THEN 404 each time, and nothing changes."""
    document = make_document()
    attachment = services.outgoing_attach(actor=office.drafter.user, document=document, upload=pdf())
    outsider = make_person(username="att-out", name="外人", unit=OrganFactory(name="邻市人民政府"))
    client.force_login(outsider.user)

    assert client.get(file_url(document, attachment)).status_code == 404
    assert client.get(file_url(document, attachment), {"inline": "1"}).status_code == 404
    assert client.post(upload_url(document), {"attachment-file": pdf("另一.pdf")}).status_code == 404
    assert client.post(file_url(document, attachment) + "remove/").status_code == 404
    assert list(document.attachments.values_list("name", flat=True)) == ["实施方案.pdf"]


def test_an_attachment_of_another_document_is_a_404(client, office, make_document):
    """GIVEN two drafts WHEN one's attachment is asked for under the other's address THEN 404."""
    first, second = make_document(), make_document(title="测试办公室关于第二件事的通知")
    attachment = services.outgoing_attach(actor=office.drafter.user, document=first, upload=pdf())
    client.force_login(office.drafter.user)
    assert client.get(file_url(second, attachment)).status_code == 404


def test_a_reader_who_may_not_edit_sees_the_attachments_but_cannot_add(client, office, make_document, walk):
    """GIVEN an issued document with an attachment WHEN the receiving bureau's reader opens it
    THEN the attachment is listed and downloadable, no upload form is offered, and an upload
    posted anyway is refused (403) with nothing stored."""
    document = make_document(attachment_note="1.实施方案")
    services.outgoing_attach(actor=office.drafter.user, document=document, upload=pdf())
    document = walk(document, S.ISSUED)
    client.force_login(office.bureau_staff.user)

    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))
    assert 'data-testid="attachment"' in page and 'data-testid="attachment-upload"' not in page
    refused = client.post(upload_url(document), {"attachment-file": pdf("追加.pdf")})
    assert refused.status_code == 403 and "只有拟稿人在拟稿时、办公室在核稿或复核时可以添加附件。" in text_of(refused)
    assert document.attachments.count() == 1


def test_the_drafter_removes_an_attachment_from_the_edit_page(client, office, make_document):
    """GIVEN a draft with an attachment WHEN the drafter removes it from the edit page THEN it is
    gone, the 流转记录 says 删除附件 with its name, and he is back on the edit page."""
    document = make_document()
    attachment = services.outgoing_attach(actor=office.drafter.user, document=document, upload=pdf())
    client.force_login(office.drafter.user)
    edit = text_of(client.get(f"/documents/outgoing/{document.pk}/edit/"))
    assert 'data-testid="attachments-panel"' in edit and 'name="next" value="edit"' in edit

    response = client.post(file_url(document, attachment) + "remove/", {"next": "edit"})

    assert response.status_code == 302 and response["Location"].endswith(f"/documents/outgoing/{document.pk}/edit/")
    assert not document.attachments.exists()
    assert Transition.objects.filter(document=document, action="删除附件", comment="实施方案.pdf").exists()


def test_the_checker_compares_the_note_with_the_uploads(client, office, make_document):
    """GIVEN a 附件说明 “附件：1.实施方案 / 2.任务分工表” WHEN only a file named 工作方案.pdf is
    uploaded THEN the page's 核稿检查 says the count differs; WHEN a second file is uploaded
    under other names THEN a warning names the mismatch; WHEN the names agree THEN no finding."""
    document = make_document(attachment_note="附件：1.实施方案\n2.任务分工表")
    client.force_login(office.drafter.user)
    client.post(upload_url(document), {"attachment-file": pdf("工作方案.pdf")})

    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))
    assert "附件说明列出2件，实际附件1件。" in page

    client.post(upload_url(document), {"attachment-file": pdf("任务分工表.pdf")})
    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))
    assert re.search(r'data-severity="warning" data-rule="attachments_match"', page)
    assert "附件1名称“实施方案”与附件“工作方案.pdf”不一致。" in page

    first = document.attachments.get(name="工作方案.pdf")
    client.post(file_url(document, first) + "remove/")
    client.post(upload_url(document), {"attachment-file": pdf("实施方案.pdf")})
    document.attachments.filter(name="实施方案.pdf").update(order=0)
    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))
    assert 'data-rule="attachments_match"' not in page


def test_top_secret_attachments_are_listed_but_never_served(client, office, make_document, settings):
    """GIVEN a 绝密 draft (the demo ceiling) with an attachment WHEN its drafter asks for the file
    THEN no file: back to the page with the screen-only message."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.TOP_SECRET
    office.drafter.save()
    document = make_document(level=Level.TOP_SECRET, basis="范围", term_unit="years", term_amount=30, copies=2)
    attachment = services.outgoing_attach(actor=office.drafter.user, document=document, upload=pdf())
    client.force_login(office.drafter.user)

    response = client.get(file_url(document, attachment), follow=True)

    assert "绝密公文的附件只能在屏幕上阅读，不能下载。" in text_of(response)
    assert response.redirect_chain and "attachment" not in response.get("Content-Disposition", "")
