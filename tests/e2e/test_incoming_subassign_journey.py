"""A paper document comes in and is handled inside a bureau, in a real browser: the city office's
clerk registers it at 来文登记 with its scan (which opens as a PDF), 登记, 初审 and 拟办 with 甲市商务局
proposed as lead unit; the mayor's 批示 form starts from that proposal; the bureau's 局长 passes it on
(分办) to 市场运行科 and its 科员, who finds it in his 待办 and reports his 办理情况; the 局长 sends it up
and 办结 follows, confirmed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import IncomingDocument
from office.org.models import Role, UnitKind
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "甲省商务厅关于开展2026年促消费活动的通知"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def city(transactional_db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def clerk(city):
    """The 文秘 of the city government's office (秘书科): 来文登记, 登记, 初审, 拟办."""
    office = UnitFactory(parent=city, name="甲市人民政府办公室", kind=UnitKind.DEPARTMENT)
    return make_person(
        username="chenxj", name="陈晓静", unit=UnitFactory(parent=office, name="秘书科"), roles=(Role.SECRETARY,)
    )


@pytest.fixture
def mayor(city):
    return make_person(username="limh", name="李明华", unit=city, roles=(Role.LEADER,))


@pytest.fixture
def bureau(city):
    """甲市商务局 (an organ below the city government), its 局长 and 市场运行科 with its 科员."""
    organ = UnitFactory(parent=city, name="甲市商务局", kind=UnitKind.ORGAN)
    head = make_person(username="xiaoh", name="萧红", unit=organ, roles=(Role.LEADER,))
    organ.head = head
    organ.save(update_fields=["head"])
    section = UnitFactory(parent=organ, name="市场运行科")
    handler = make_person(username="zhengh", name="郑浩", unit=section, roles=(Role.HANDLER,))
    return {"organ": organ, "head": head, "section": section, "handler": handler}


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-person")).to_be_visible()


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))


def choose(form, name, value):
    """Pick an option of the plain select behind a searchable picker (the form posts the select)."""
    form.locator(f'select[name="{name}"]').select_option(str(value), force=True)


def set_date(form, name, day):
    """A date through the Chinese calendar when it is there, else the plain date box."""
    form.locator(f'input[name="{name}"]').evaluate(
        "(el, v) => { if (el._flatpickr) { el._flatpickr.setDate(v, true); } else { el.value = v; } }",
        day.isoformat(),
    )


def test_a_paper_document_is_scanned_instructed_passed_on_in_the_bureau_reported_and_completed(
    live_server, page, clerk, mayor, bureau, tmp_path, screenshot_dir
):
    today = timezone.localdate()
    scan = tmp_path / "原件扫描.pdf"
    scan.write_bytes(PDF)

    # 来文登记 with the scan: saved means signed for; the page lists the scan with its preview.
    login(page, live_server, "chenxj")
    page.goto(live_server.url + "/documents/incoming/new/")
    form = page.get_by_test_id("incoming-form")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('input[name="sender_organ"]').fill("甲省商务厅")
    form.locator('input[name="sender_number"]').fill("甲商运〔2026〕5号")
    form.locator('input[name="scans"]').set_input_files(str(scan))
    form.get_by_test_id("save-incoming").click()
    expect(page.get_by_role("alert").filter(has_text="已签收")).to_be_visible()
    pk = int(re.search(r"/incoming/(\d+)/$", page.url).group(1))
    expect(page.get_by_test_id("scan-row")).to_contain_text("原件扫描.pdf")
    href = page.get_by_test_id("scan-preview").get_attribute("href")
    preview = page.request.get(live_server.url + href)
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline") and preview.body() == PDF

    # 登记, 初审 (办件) and 拟办 with 甲市商务局 proposed to lead.
    page.get_by_test_id("action-register").get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("registration-number")).to_have_text(f"收〔{today.year}〕1号")
    page.get_by_test_id("action-screen").get_by_role("button", name="初审通过").click()
    expect(page.get_by_test_id("state-badge")).to_have_text("拟办")
    propose = page.get_by_test_id("action-propose")
    propose.locator('textarea[name="propose-proposal"]').fill("建议由市商务局牵头办理，请市长批示。")
    choose(propose, "propose-leader", mayor.pk)
    choose(propose, "propose-lead_unit", bureau["organ"].pk)
    propose.get_by_role("button", name="送领导批示").click()
    expect(page.get_by_test_id("proposed-units")).to_contain_text("甲市商务局")
    logout(page, live_server)

    # The mayor's 批示 form starts from the proposal: 甲市商务局 is already the lead unit.
    login(page, live_server, "limh")
    page.goto(live_server.url + "/documents/incoming/inbox/")
    page.get_by_test_id("inbox-instruct").get_by_role("link", name=TITLE).click()
    instruct = page.get_by_test_id("action-instruct")
    expect(instruct.locator('select[name="instruct-lead_unit"]')).to_have_value(str(bureau["organ"].pk))
    instruct.locator('textarea[name="instruct-instruction"]').fill("请市商务局牵头制定活动方案。")
    set_date(instruct, "instruct-time_limit", today + timedelta(days=10))
    instruct.get_by_role("button", name="批示交办").click()
    expect(page.get_by_test_id("state-badge")).to_have_text("承办中")
    logout(page, live_server)

    # The bureau's 局长 passes it on to 市场运行科 and 郑浩, five days ahead.
    login(page, live_server, "xiaoh")
    page.goto(live_server.url + "/documents/incoming/inbox/")
    page.get_by_test_id("inbox-handle").get_by_role("link", name=TITLE).click()
    passing = page.get_by_test_id("action-subassign")
    choose(passing, "subassign-section", bureau["section"].pk)
    choose(passing, "subassign-handler", bureau["handler"].pk)
    set_date(passing, "subassign-due", today + timedelta(days=5))
    passing.locator('input[name="subassign-instruction"]').fill("请起草活动方案。")
    passing.get_by_role("button", name="分办").click()
    expect(page.get_by_role("alert").filter(has_text="已分办市场运行科 郑浩办理")).to_be_visible()
    expect(page.get_by_test_id("subassignment-state")).to_have_text("待办理")
    expect(page.get_by_test_id("action-complete")).to_have_count(0)  # 办结 waits for the report
    logout(page, live_server)

    # 郑浩 finds it in his 待办, and his page offers the 办理情况 form (not "nothing to do").
    login(page, live_server, "zhengh")
    page.goto(live_server.url + "/documents/incoming/inbox/")
    page.get_by_test_id("inbox-subassigned").get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("no-actions")).to_have_count(0)
    report = page.get_by_test_id("action-sub-report")
    report.locator('textarea[name="sub_report-note"]').fill("已起草活动方案，拟于4月启动。")
    report.get_by_role("button", name="报送办理情况").click()
    expect(page.get_by_test_id("subassignment-state")).to_have_text("已报送")
    expect(page.get_by_test_id("no-actions")).to_be_visible()
    logout(page, live_server)

    # The 局长 sends it up; 办结 starts from the answer and is confirmed in the dialog.
    login(page, live_server, "xiaoh")
    page.goto(live_server.url + f"/documents/incoming/{pk}/")
    expect(page.get_by_test_id("sub-review")).to_contain_text("已起草活动方案")
    page.get_by_test_id("action-sub-accept").get_by_role("button", name="上报办理情况").click()
    expect(page.get_by_test_id("subassignment-state")).to_have_text("已上报")
    complete = page.get_by_test_id("action-complete")
    expect(complete.locator('textarea[name="complete-result"]')).to_have_value("已起草活动方案，拟于4月启动。")
    complete.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("办结后")
    page.get_by_test_id("confirm-ok").click()  # 办结 is irreversible: the dialog asks first
    expect(page.get_by_test_id("state-badge")).to_have_text("已办结")
    timeline = page.get_by_test_id("timeline")
    for step in ("签收", "上传原件扫描件", "登记", "批示", "分办", "报送办理情况", "上报办理情况", "办结"):
        expect(timeline.get_by_test_id("transition-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    expect(timeline).to_contain_text("郑浩")
    page.screenshot(path=str(screenshot_dir / "e2e-incoming-subassign.png"), full_page=True)
    assert IncomingDocument.objects.get(pk=pk).state == "done"
