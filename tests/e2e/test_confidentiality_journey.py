"""The 保密 module in a real browser: the organ's 保密员 registers a 机密 carrier and lets a leader of
another section know it; the leader reads it under a watermark with their own name; the read is
in the access log. And a person without clearance who has the carrier's address finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent, Carrier
from office.org.models import Role
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "全市防汛指挥部署方案"
CONTENT = "一、指挥体系\n二、重点部位值守安排"


@pytest.fixture
def top_secret_ceiling(settings):
    """A certified classified network: content up to 绝密 may be kept (the live server runs in this
    process, so it sees the override)."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


@pytest.fixture
def organ(transactional_db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def officer(organ):
    """The organ's 保密员, cleared for 绝密, in the general office."""
    return make_person(
        username="wumin",
        name="吴敏",
        unit=UnitFactory(parent=organ, name="市政府办公室"),
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def leader(organ):
    """A leader of another section of the same organ, cleared for 机密."""
    return make_person(
        username="wangjg",
        name="王建国",
        unit=UnitFactory(parent=organ, name="发展改革局"),
        clearance=Level.SECRET,
        roles=(Role.LEADER,),
    )


@pytest.fixture
def new_page(browser):
    """Another browser of the same office (its own cookies), opened on demand; the settings are
    those of conftest's ``page``."""
    contexts = []

    def open_page():
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1366, "height": 900},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


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


def carrier_url(live_server, pk) -> str:
    return f"{live_server.url}/confidentiality/carriers/{pk}/"


def test_officer_registers_grants_leader_reads_under_watermark_and_the_read_is_logged(
    live_server, page, new_page, officer, leader, top_secret_ceiling, screenshot_dir
):
    # The 保密员 logs in and opens 保密管理 from the top navigation: the carrier register.
    login(page, live_server, "wumin")
    page.locator("nav.navbar").get_by_role("link", name="保密管理").click()
    expect(page).to_have_url(live_server.url + "/confidentiality/carriers/")
    expect(page.get_by_role("heading", name="涉密载体登记")).to_be_visible()
    module_nav = page.get_by_test_id("module-nav")
    expect(module_nav.get_by_role("link", name="访问日志")).to_be_visible()  # the officer's registers

    # Register a 机密 carrier, ten years, with its basis and content.
    page.get_by_test_id("register-link").click()
    expect(page).to_have_url(live_server.url + "/confidentiality/carriers/new/")
    form = page.get_by_test_id("carrier-form")
    form.get_by_label("标题").fill(TITLE)
    form.get_by_label("载体类型").select_option(label="纸质文件资料")
    expect(form.get_by_label("保管单位")).to_have_value(str(officer.unit_id))  # the officer's own unit
    form.get_by_label("文号或编号").fill("甲防指〔2025〕3号")
    form.get_by_label("密级").select_option(label="机密")
    form.get_by_label("保密期限方式").select_option(value="years")
    form.get_by_label("期限（年或月数）").fill("10")
    form.get_by_label("定密依据").fill("防汛抗旱工作国家秘密范围第三条")
    form.get_by_label("内容").fill(CONTENT)
    form.get_by_role("button", name="登记").click()

    # Its page: the mark 机密★10年 at the top, the register fields, the content.
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/confidentiality/carriers/\d+/$"))
    pk = int(re.search(r"/carriers/(\d+)/$", page.url).group(1))
    expect(page.get_by_role("alert").filter(has_text="已登记")).to_contain_text("机密★10年")
    mark = page.get_by_test_id("mark-corner").get_by_test_id("level-mark")
    expect(mark).to_have_text("机密★10年")
    expect(mark).to_have_class(re.compile(r"\blevel-secret\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    fields = page.get_by_test_id("register-fields")
    expect(fields).to_contain_text("防汛抗旱工作国家秘密范围第三条")
    expect(fields).to_contain_text("吴敏")  # 定密人 and 登记人
    expect(page.get_by_test_id("carrier-content")).to_contain_text("重点部位值守安排")
    expect(page.get_by_test_id("watermark")).to_contain_text("吴敏")

    # Let the leader of the other section know it: the grant form on the page.
    grants = page.get_by_test_id("grants")
    expect(grants).not_to_contain_text("王建国")
    grant_form = page.get_by_test_id("grant-form")
    grant_form.get_by_label("人员").select_option(label="王建国（发展改革局 · 机密）")
    grant_form.get_by_label("理由").fill("分管防汛工作，需要知悉")
    grant_form.get_by_role("button", name="加入知悉范围").click()
    expect(page).to_have_url(carrier_url(live_server, pk))
    expect(page.get_by_role("alert").filter(has_text="已加入知悉范围")).to_be_visible()
    expect(grants).to_contain_text("王建国")
    expect(grants).to_contain_text("发展改革局")
    logout(page, live_server)

    # The leader logs in, finds the carrier in the register and opens it.
    login(page, live_server, "wangjg")
    page.goto(live_server.url + "/confidentiality/carriers/")
    row = page.get_by_test_id("carrier-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("level-mark")).to_have_text("机密★10年")
    row.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(carrier_url(live_server, pk))
    expect(page.get_by_test_id("mark-corner")).to_contain_text("机密★10年")
    expect(page.get_by_test_id("carrier-content")).to_contain_text("重点部位值守安排")
    # The reader's watermark: their own name (and the time), not the officer's.
    watermark = page.get_by_test_id("watermark")
    expect(watermark).to_contain_text("王建国")
    expect(watermark).not_to_contain_text("吴敏")
    expect(watermark.locator("text").first).to_have_text(re.compile(r"^王建国 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    # A reader, not a manager: no scope panel, and no way into the officer's registers.
    expect(page.get_by_test_id("scope-panel")).to_have_count(0)
    expect(page.get_by_test_id("module-nav").get_by_role("link", name="访问日志")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "e2e-carrier.png"), full_page=True)

    # The officer, in another browser, finds the leader's read in the access log.
    officer_page = new_page()
    login(officer_page, live_server, "wumin")
    officer_page.goto(live_server.url + "/confidentiality/access-log/")
    expect(officer_page.get_by_role("heading", name="访问与安全日志")).to_be_visible()
    rows = officer_page.get_by_test_id("log-row")
    leaders_reads = rows.filter(has=officer_page.locator("td:nth-child(3)", has_text=re.compile(r"^王建国"))).filter(
        has=officer_page.locator("td:nth-child(4)", has_text=re.compile(r"^查看$"))
    )
    expect(leaders_reads).to_have_count(1)
    read = leaders_reads.first
    expect(read.locator("td:nth-child(5)")).to_have_text("涉密载体")
    expect(read.locator("td:nth-child(6)")).to_have_text(str(pk))
    expect(read.locator("td:nth-child(7)")).to_contain_text(TITLE)
    expect(read.locator("td:nth-child(8)")).to_have_text("机密")
    # The grant that let the leader in is logged too, as the officer's.
    grant_rows = rows.filter(has=officer_page.locator("td:nth-child(4)", has_text="授予知悉范围"))
    expect(grant_rows).to_have_count(1)
    expect(grant_rows.locator("td:nth-child(3)")).to_have_text(re.compile(r"^吴敏"))


def test_a_person_without_clearance_gets_a_404_for_the_carrier(live_server, page, officer, top_secret_ceiling):
    """GIVEN a 机密 carrier in a unit WHEN a colleague in that unit with only 内部 clearance opens
    its address THEN the Chinese 未找到 page answers with 404, naming nothing, and the attempt is logged."""
    carrier = services.carrier_register(
        actor=officer.user,
        title=TITLE,
        unit=officer.unit,
        level=Level.SECRET,
        basis="防汛抗旱工作国家秘密范围第三条",
    )
    # Same unit as the carrier, so only the clearance keeps them out.
    make_person(username="zhaoli", name="赵丽", unit=officer.unit, clearance=Level.INTERNAL)

    login(page, live_server, "zhaoli")
    response = page.goto(carrier_url(live_server, carrier.pk))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(TITLE)
    expect(page.locator("body")).not_to_contain_text("机密")
    # The attempt is a security event in the log.
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(carrier.pk))
    assert denied.count() == 1
    assert denied.get().actor_name == "赵丽"
    assert Carrier.objects.filter(pk=carrier.pk).exists()
