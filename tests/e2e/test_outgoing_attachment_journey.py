"""A 发文 with an attachment through a confirmed 登记, in a real browser: the drafter uploads the
attachment its 附件说明 names from the document's page (the 核稿检查 stops flagging it), the
document goes through 核稿 and 签发, and the clerk's 登记编号 first asks — naming the number it
will take — and is taken only when he confirms. He then prints the 发文稿纸 from the page: a PDF
whose 意见栏 carry the 核稿 and 签发 opinions with names and dates, every font embedded."""

# ruff: noqa: F811  (the fixtures of test_outgoing_journey, imported by name)
import re
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import DocumentState
from documents.outgoing import services
from office.sheets import chinese_date
from tests.documents.test_printing import assert_all_embedded, pdf_text
from tests.e2e.test_outgoing_journey import (  # noqa: F401  (the same small office)
    clerk,
    director,
    drafter,
    general_office,
    login,
    logout,
    organ,
    series,
)

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_attachment_is_uploaded_on_the_page_and_the_registration_is_confirmed(
    live_server, page, drafter, clerk, director, series, media, screenshot_dir
):
    document = services.outgoing_create(
        actor=drafter.user,
        series=series,
        title="甲市人民政府办公室关于印发节能宣传周活动实施方案的通知",
        kind="notice",
        body="现将《节能宣传周活动实施方案》印发给你们，请认真贯彻执行。",
        attachment_note="1.节能宣传周活动实施方案",
        disclosure="proactive",
    )
    detail = f"{live_server.url}/documents/outgoing/{document.pk}/"

    # The drafter sees the 附件说明 flagged, uploads the named file, and the flag goes.
    login(page, live_server, "liwen")
    page.goto(detail)
    findings = page.get_by_test_id("findings")
    expect(findings.locator('[data-rule="attachments_match"]')).to_contain_text("附件说明列出1件，实际附件0件。")
    upload = page.get_by_test_id("attachment-upload")
    upload.locator('input[type="file"]').set_input_files(
        {"name": "节能宣传周活动实施方案.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.get_by_test_id("attachment-submit").click()
    expect(page.get_by_role("alert").filter(has_text="已上传附件")).to_be_visible()
    attachment = page.get_by_test_id("attachment")
    expect(attachment).to_have_count(1)
    expect(attachment).to_contain_text("节能宣传周活动实施方案.pdf")
    expect(attachment.get_by_test_id("attachment-preview")).to_be_visible()
    expect(page.get_by_test_id("findings").locator('[data-rule="attachments_match"]')).to_have_count(0)
    logout(page, live_server)

    # 核稿 and 签发 as the workflow's people (the browser journey of those is test_outgoing_journey).
    services.outgoing_submit(actor=drafter.user, document=document, comment="请审核")
    services.outgoing_review(actor=clerk.user, document=document, approve=True, comment="文字已核，格式无误")
    services.outgoing_sign(actor=director.user, document=document, approve=True, opinion="同意印发")

    # The clerk registers it: the dialog names the number; 取消 takes nothing, 确认办理 takes it.
    login(page, live_server, "chenxj")
    page.goto(detail)
    number = f"甲府办发〔{timezone.localdate().year}〕1号"
    register = page.get_by_test_id("action-register").get_by_role("button", name="复核无误，登记编号")
    register.click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("confirm-message")).to_contain_text(f"登记后将占用发文字号 {number}")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)
    document.refresh_from_db()
    assert document.state == DocumentState.RECHECK and document.number_id is None

    register.click()
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="已登记")).to_contain_text(number)
    expect(page.get_by_test_id("document-number")).to_have_text(number)
    expect(page.get_by_test_id("attachment")).to_contain_text("节能宣传周活动实施方案.pdf")
    timeline = page.get_by_test_id("timeline")
    for step in ("添加附件", "登记编号"):
        expect(timeline.get_by_test_id("transition-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-outgoing-attachment.png"), full_page=True)
    document.refresh_from_db()
    assert document.state == DocumentState.REGISTERED and document.number_text == number

    # The clerk prints the 发文稿纸 from the page (it opens in a new tab; fetched here with the
    # browser's own session): the head and the 意见栏 as the workflow recorded them, fonts embedded.
    sheet_link = page.get_by_role("link", name="发文稿纸")
    expect(sheet_link).to_have_attribute("data-testid", "draft-sheet-link")
    response = page.request.get(urljoin(page.url, sheet_link.get_attribute("href")))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    sheet = response.body()
    text = pdf_text(sheet)
    signed_on = chinese_date(timezone.localdate(document.transitions.get(action="签发").at))
    for expected in [
        "发文稿纸",
        document.title,
        number,
        "拟稿人李文",
        "拟稿请审核",
        "核稿文字已核，格式无误",
        "陈晓静",
        "签发同意印发",
        f"王建国{signed_on}",
    ]:
        assert expected in text, (expected, text)
    assert_all_embedded(sheet)
