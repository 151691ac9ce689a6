"""A leader's instruction is chased to the end, in a real browser: the 督查员 opens an item (立项) and
splits it to the 发改委; the 发改委's head finds it in 我的督办 and sends the final report; the 督查员
accepts it (审结); the 督办台账 shows it done."""

import re

import pytest
from playwright.sync_api import expect

from office.confidentiality.levels import Level
from office.org.models import Role, UnitKind
from office.reminders.models import DeadlineKind
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "推进老旧小区改造"


@pytest.fixture
def city(transactional_db):
    """测试市人民政府 with the 督查室 in its 办公室, a 副市长 and the 发改委 (an organ of its own)."""
    organ = OrganFactory(name="测试市人民政府")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    supervision = UnitFactory(parent=office, name="督查室")
    ndrc = OrganFactory(parent=organ, name="测试市发展和改革委员会", short_name="发改委")
    supervisor = make_person(
        username="wangdc", name="王督查", unit=supervision, roles=(Role.SUPERVISOR,), clearance=Level.SECRET
    )
    make_person(username="lisz", name="李市长", unit=organ, roles=(Role.LEADER,), clearance=Level.SECRET)
    head = make_person(username="qianzr", name="钱主任", unit=ndrc, clearance=Level.SECRET)
    for unit, person in ((supervision, supervisor), (ndrc, head)):
        unit.head = person
        unit.save(update_fields=["head"])
    DeadlineKind.objects.filter(code="supervision").update(supervising_unit=supervision)
    return ndrc


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))


def field(form, label):
    """The input labelled exactly ``label`` (a required field's label ends with a red *)."""
    return form.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def test_an_item_is_opened_split_reported_and_accepted(live_server, page, city, screenshot_dir):
    # The 督查员 opens 督查督办 from the top bar and opens an item (立项) on the leader's instruction.
    login(page, live_server, "wangdc")
    page.locator("nav.navbar").get_by_role("link", name="督查督办").click()
    expect(page.get_by_role("heading", name="督办台账")).to_be_visible()
    page.get_by_test_id("new-item").click()
    form = page.get_by_test_id("item-form")
    field(form, "督办事项").fill(TITLE)
    field(form, "办理要求").fill("年内完成12个小区改造并通过验收。")
    field(form, "批示领导").select_option(label="李市长（测试市人民政府 · 机密）")
    form.get_by_test_id("submit-item").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/supervision/\d+/$"))
    item_url = page.url
    expect(page.get_by_role("alert").filter(has_text="已立项")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text("已立项")

    # She splits it to the 发改委 (its head answers for it).
    split = page.get_by_test_id("action-split")
    field(split, "主办单位").select_option(label="测试市发展和改革委员会")
    split.get_by_test_id("split-submit").click()
    expect(page.get_by_role("alert").filter(has_text="已分解交办1项任务")).to_be_visible()
    task = page.get_by_test_id("task")
    expect(task.get_by_test_id("lead-unit")).to_have_text("测试市发展和改革委员会")
    expect(task.get_by_test_id("deadline-badge")).to_be_visible()
    logout(page, live_server)

    # The 发改委's head finds the task in 我的督办 and sends the final report.
    login(page, live_server, "qianzr")
    page.goto(live_server.url + "/supervision/mine/")
    page.get_by_test_id("mine-lead").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(item_url)
    final = page.get_by_test_id("action-final")
    field(final, "办结情况").fill("12个小区全部完工，已通过验收。")
    final.get_by_role("button", name="报送办结报告").click()
    expect(page.get_by_role("alert").filter(has_text="办结报告已报送督查员审核")).to_be_visible()
    expect(page.get_by_test_id("task-state")).to_have_text("待审核")
    logout(page, live_server)

    # The 督查员 accepts it: the item is done, and the ledger says so.
    login(page, live_server, "wangdc")
    page.goto(item_url)
    review = page.get_by_test_id("action-review")
    field(review, "审核意见").fill("同意审结。")
    review.get_by_test_id("accept").click()
    page.get_by_test_id("confirm-ok").click()  # 审结 is irreversible: the dialog asks first
    expect(page.get_by_role("alert").filter(has_text="已审结")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text("已办结")
    timeline = page.get_by_test_id("timeline")
    for step in ("立项", "分解交办", "报送办结报告", "审结", "办结"):
        expect(timeline.get_by_test_id("event-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-supervision.png"), full_page=True)
    page.locator("nav.navbar").get_by_role("link", name="督查督办").click()
    row = page.get_by_test_id("item-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("item-state")).to_have_text("已办结")
    expect(row.get_by_test_id("light")).to_have_text("已结束")
