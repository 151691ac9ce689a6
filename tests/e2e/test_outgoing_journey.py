"""A notice goes out, in a real browser: a drafter of the general office drafts it through the
form and sends it for 核稿; the office's clerk passes it; the office director signs it; the clerk
registers it (the number 甲府办发〔YYYY〕1号 is taken) and issues it; a person of the recipient bureau
then finds it in their register."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import DocumentSeries
from office.org.models import Role, UnitKind
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "甲市人民政府办公室关于做好2026年度节能宣传周活动的通知"
BODY = "一、活动时间\n2026年6月1日至6月7日。\n二、活动内容\n（一）节能知识进机关；\n（二）绿色出行倡议。"


@pytest.fixture
def organ(transactional_db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def general_office(organ):
    return UnitFactory(parent=organ, name="甲市人民政府办公室", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def director(general_office):
    """The office director (办公室主任, a 领导): the head of the office, who signs its documents."""
    person = make_person(username="wangjg", name="王建国", unit=general_office, roles=(Role.OFFICE_CHIEF, Role.LEADER))
    general_office.head = person
    general_office.save(update_fields=["head"])
    return person


@pytest.fixture
def clerk(general_office):
    """The 文秘 of the office's 秘书科: 核稿, 登记, 核发."""
    return make_person(
        username="chenxj",
        name="陈晓静",
        unit=UnitFactory(parent=general_office, name="秘书科"),
        roles=(Role.SECRETARY,),
    )


@pytest.fixture
def drafter(general_office):
    return make_person(
        username="liwen", name="李文", unit=UnitFactory(parent=general_office, name="综合科"), roles=(Role.HANDLER,)
    )


@pytest.fixture
def bureau(transactional_db):
    return OrganFactory(name="甲市财政局")


@pytest.fixture
def reader(bureau):
    """A person of the recipient bureau (another organ)."""
    return make_person(username="zhoukl", name="周可玲", unit=UnitFactory(parent=bureau, name="综合科"))


@pytest.fixture
def series(general_office):
    return DocumentSeries.objects.create(
        organ=general_office, office=general_office, code="甲府办发", issuer_name="甲市人民政府办公室文件"
    )


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("current-person")).to_be_visible()


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))
    expect(page.get_by_test_id("logout")).to_have_count(0)


def field(form, label):
    """The input labelled exactly ``label`` (a required field's label ends with a red *)."""
    return form.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def detail_url(live_server, pk) -> re.Pattern:
    return re.compile(re.escape(f"{live_server.url}/documents/outgoing/{pk}/") + "$")


def test_a_notice_is_drafted_reviewed_signed_registered_issued_and_read_by_the_recipient(
    live_server, page, drafter, clerk, director, reader, bureau, series, screenshot_dir
):
    # The drafter opens 发文 from the top navigation and starts a draft.
    login(page, live_server, "liwen")
    page.locator("nav.navbar").get_by_role("link", name="发文").click()
    expect(page).to_have_url(live_server.url + "/documents/outgoing/")
    expect(page.get_by_role("heading", name="发文登记")).to_be_visible()
    page.get_by_test_id("new-document").click()
    expect(page).to_have_url(live_server.url + "/documents/outgoing/new/")

    form = page.get_by_test_id("document-form")
    field(form, "发文代字").select_option(label="甲府办发")
    field(form, "标题").fill(TITLE)
    field(form, "文种").select_option(label="通知")
    field(form, "行文方向").select_option(label="下行文")
    field(form, "主送机关").select_option(label="甲市财政局")
    field(form, "正文").fill(BODY)
    field(form, "公开属性").select_option(label="主动公开")
    expect(field(form, "密级")).to_have_value("1")  # 内部 unless chosen otherwise
    form.get_by_test_id("save-document").click()

    # The draft's page: the GB/T 9704 preview, no red findings, and 送核稿.
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/documents/outgoing/\d+/$"))
    pk = int(re.search(r"/outgoing/(\d+)/$", page.url).group(1))
    expect(page.get_by_role("alert").filter(has_text="草稿已保存")).to_be_visible()
    expect(page.get_by_test_id("preview-issuer")).to_have_text("甲市人民政府办公室文件")
    expect(page.get_by_test_id("preview-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("preview-main-to")).to_have_text("甲市财政局：")
    expect(page.get_by_test_id("preview-body")).to_contain_text("节能知识进机关")
    expect(page.get_by_test_id("findings").locator('[data-severity="error"]')).to_have_count(0)
    expect(page.get_by_test_id("state-badge").first).to_have_text("拟稿")
    page.get_by_test_id("action-submit").get_by_role("button", name="送核稿").click()
    expect(page).to_have_url(detail_url(live_server, pk))
    expect(page.get_by_role("alert").filter(has_text="已送核稿")).to_be_visible()
    expect(page.get_by_test_id("state-badge").first).to_have_text("核稿")
    expect(page.get_by_test_id("action-submit")).to_have_count(0)
    logout(page, live_server)

    # The clerk finds it in 我的待办 and passes 核稿: with no countersign unit it goes to 签发.
    login(page, live_server, "chenxj")
    page.goto(live_server.url + "/documents/outgoing/inbox/")
    page.get_by_test_id("inbox-review").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(detail_url(live_server, pk))
    expect(page.get_by_test_id("open-step").get_by_test_id("deadline-badge")).to_be_visible()
    review = page.get_by_test_id("action-review")
    review.get_by_label("意见").fill("内容、格式、文字已审核")
    review.get_by_role("button", name="核稿通过").click()
    expect(page.get_by_role("alert").filter(has_text="核稿通过，已送签发")).to_be_visible()
    expect(page.get_by_test_id("state-badge").first).to_have_text("签发")
    logout(page, live_server)

    # The office director signs it with his opinion; the date is the 成文日期.
    login(page, live_server, "wangjg")
    page.goto(live_server.url + "/documents/outgoing/inbox/")
    page.get_by_test_id("inbox-signoff").get_by_role("link", name=TITLE).click()
    sign = page.get_by_test_id("action-sign")
    sign.get_by_label("意见").fill("同意印发")
    sign.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("签发日期即成文日期")
    page.get_by_test_id("confirm-ok").click()  # 签发 is irreversible: the dialog asks first
    today = timezone.localdate()
    written = f"{today.year}年{today.month}月{today.day}日"
    expect(page.get_by_role("alert").filter(has_text="已签发")).to_contain_text(written)
    expect(page.get_by_test_id("preview-date")).to_have_text(written)
    expect(page.get_by_test_id("state-badge").first).to_have_text("复核")
    logout(page, live_server)

    # The clerk re-checks and registers it: the first number of the series this year.
    login(page, live_server, "chenxj")
    page.goto(live_server.url + f"/documents/outgoing/{pk}/")
    page.get_by_test_id("action-register").get_by_role("button", name="复核无误，登记编号").click()
    number = f"甲府办发〔{today.year}〕1号"
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text(f"登记后将占用发文字号 {number}")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="已登记")).to_contain_text(number)
    expect(page.get_by_test_id("preview-number")).to_have_text(number)
    expect(page.get_by_test_id("state-badge").first).to_have_text("已登记")
    page.get_by_test_id("action-issue").get_by_role("button", name="核发").click()
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="已核发")).to_be_visible()
    expect(page.get_by_test_id("state-badge").first).to_have_text("已核发")
    timeline = page.get_by_test_id("timeline")
    for step in ("拟稿", "送核稿", "核稿通过", "签发", "登记编号", "核发"):
        expect(timeline.get_by_test_id("transition-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-outgoing.png"), full_page=True)
    logout(page, live_server)

    # A person of the recipient bureau now finds it in their register, with its number.
    login(page, live_server, "zhoukl")
    page.locator("nav.navbar").get_by_role("link", name="发文").click()
    row = page.get_by_test_id("document-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("document-number")).to_have_text(number)
    expect(row.get_by_test_id("state-badge")).to_have_text("已核发")
    row.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(detail_url(live_server, pk))
    expect(page.get_by_test_id("preview-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("no-actions")).to_be_visible()
