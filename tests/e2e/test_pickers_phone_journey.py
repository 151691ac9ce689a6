"""The pickers and the phone, in a real browser: the 督查员 opens an item with the Chinese date
picker, splits it with the searchable unit picker (typing part of a name), adds a whole 常用组 of
assisting units at once and finds only the lead unit's people offered as 责任人; then, on a
390-px phone, the list pages fit the screen as cards with their filters folded away."""

import re

import pytest
from playwright.sync_api import expect

from office.confidentiality.levels import Level
from office.org.models import Role, UnitGroup, UnitKind
from office.reminders.models import DeadlineKind
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "推进老旧小区改造"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def city(transactional_db):
    """测试市人民政府 (its 办公室 with the 督查室), three bureaus each with a section called 办公室,
    a shared 常用组 "市直各部门" of two of them, and people in each bureau."""
    organ = OrganFactory(name="测试市人民政府", short_name="测试市政府")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", short_name="市政府办公室", kind=UnitKind.DEPARTMENT)
    supervision = UnitFactory(parent=office, name="督查室")
    ndrc = OrganFactory(parent=organ, name="测试市发展和改革委员会", short_name="发改委")
    finance = OrganFactory(parent=organ, name="测试市财政局", short_name="财政局")
    commerce = OrganFactory(parent=organ, name="测试市商务局", short_name="商务局")
    for bureau in (ndrc, finance, commerce):
        UnitFactory(parent=bureau, name="办公室")
    supervisor = make_person(
        username="wangdc", name="王督查", unit=supervision, roles=(Role.SUPERVISOR,), clearance=Level.SECRET
    )
    make_person(username="lisz", name="李市长", unit=organ, roles=(Role.LEADER,), clearance=Level.SECRET)
    head = make_person(username="qianzr", name="钱主任", unit=ndrc, clearance=Level.SECRET)
    make_person(username="sunky", name="孙科员", unit=ndrc, post="科员", clearance=Level.SECRET)
    make_person(username="zhouj", name="周局长", unit=finance, post="局长", clearance=Level.SECRET)
    for unit, person in ((supervision, supervisor), (ndrc, head)):
        unit.head = person
        unit.save(update_fields=["head"])
    DeadlineKind.objects.filter(code="supervision").update(supervising_unit=supervision)
    group = UnitGroup.objects.create(name="市直各部门")
    group.units.set([finance, commerce])
    return {"ndrc": ndrc, "finance": finance, "commerce": commerce}


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")


def picker(page, select_id):
    """The search box Tom Select puts over the plain select ``select_id``."""
    return page.locator(f"#{select_id}-ts-control")


def dropdown_option(page, text):
    return page.locator(".ts-dropdown .option:visible", has_text=text).first


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pickers_search_groups_people_and_dates_then_lists_fit_a_phone(
    live_server, page, browser, city, screenshot_dir
):
    login(page, live_server, "wangdc")
    page.goto(live_server.url + "/supervision/new/")
    form = page.get_by_test_id("item-form")
    form.get_by_label(re.compile(r"^督办事项\*?$")).fill(TITLE)
    form.get_by_label(re.compile(r"^办理要求\*?$")).fill("年内完成12个小区改造并通过验收。")

    # The date box is the Chinese calendar: weekdays 周一…, the chosen day written 年月日, the
    # form still sending yyyy-mm-dd.
    due_box = page.locator("#id_due_picker")  # the box the 办结时限 label now names
    expect(form.get_by_test_id("first-task").get_by_label(re.compile(r"^办结时限\*?$"))).to_be_visible()
    expect(due_box).to_have_attribute("placeholder", "选择日期")
    due_box.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_contain_text("周")
    page.locator(
        ".flatpickr-calendar.open .flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^28$")
    ).click()
    expect(due_box).to_have_value(re.compile(r"^\d{4}年\d{1,2}月28日$"))
    expect(form.locator('input[name="due"]')).to_have_value(re.compile(r"^\d{4}-\d{2}-28$"))
    page.screenshot(path=str(screenshot_dir / "picker-date.png"))

    # The leader is found by typing part of his name.
    picker(page, "id_instructing_leader").fill("李市")
    dropdown_option(page, "李市长（测试市人民政府 · 机密）").click()
    form.get_by_test_id("submit-item").click()
    expect(page.get_by_role("alert").filter(has_text="已立项")).to_be_visible()
    expect(page.get_by_text(re.compile(r"办结时限：\d{4}年\d{1,2}月28日"))).to_be_visible()

    # 分解交办: the lead unit by a part of its name, the people offered narrowed to it.
    split = page.get_by_test_id("action-split")
    picker(page, "id_split-0-lead_unit").fill("发改")
    dropdown_option(page, "测试市发展和改革委员会").click()
    expect(split.locator('select[name="split-0-lead_unit"]')).to_have_value(str(city["ndrc"].pk))
    picker(page, "id_split-0-responsible_person").click()
    expect(dropdown_option(page, "孙科员（测试市发展和改革委员会 · 科员）")).to_be_visible()
    expect(page.locator(".ts-dropdown .option:visible", has_text="周局长")).to_have_count(0)
    dropdown_option(page, "孙科员").click()

    # A whole 常用组 of assisting units at once; each 办公室 shows whose it is.
    assist = picker(page, "id_split-0-assisting_units")
    assist.fill("商务")
    expect(dropdown_option(page, "商务局 › 办公室")).to_be_visible()
    assist.fill("市直")
    dropdown_option(page, "常用组：市直各部门（2个单位）").click()
    selected = split.locator('select[name="split-0-assisting_units"] option:checked')
    expect(selected).to_have_count(2)
    expect(split.locator(".ts-wrapper .item", has_text="测试市财政局")).to_be_visible()
    expect(split.locator(".ts-wrapper .item", has_text="测试市商务局")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "picker-split.png"))
    split.get_by_test_id("split-submit").click()
    expect(page.get_by_role("alert").filter(has_text="已分解交办1项任务")).to_be_visible()
    task = page.get_by_test_id("task")
    expect(task.get_by_test_id("lead-unit")).to_have_text("测试市发展和改革委员会")
    expect(task).to_contain_text("孙科员")
    expect(task).to_contain_text("测试市财政局")
    expect(task).to_contain_text("测试市商务局")
    cookies = page.context.cookies()

    # On a phone: every list fits the screen, its rows are cards, the filters fold away.
    phone = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    phone.add_cookies(cookies)
    mobile = phone.new_page()
    try:
        for path in (
            "/supervision/",
            "/supervision/mine/",
            "/documents/outgoing/",
            "/documents/incoming/",
            "/reminders/",
            "/confidentiality/",
        ):
            response = mobile.goto(live_server.url + path)
            assert response.status == 200, path
            assert no_horizontal_overflow(mobile), f"{path} is wider than the phone"
            name = path.strip("/").replace("/", "-") or "home"
            mobile.screenshot(path=str(screenshot_dir / f"phone-{name}.png"), full_page=True)
        mobile.goto(live_server.url + "/supervision/")
        row = mobile.get_by_test_id("item-row").first
        expect(row).to_be_visible()
        expect(mobile.locator("table.table-cards thead")).to_be_hidden()
        assert row.evaluate("r => getComputedStyle(r).display") == "flex"  # a card, not a table row
        expect(row.locator("td[data-label='办结时限']")).to_contain_text(re.compile(r"\d{4}年\d{1,2}月28日"))
        filters = mobile.get_by_test_id("ledger-filter")
        expect(filters).to_be_hidden()
        mobile.get_by_test_id("filter-toggle").click()
        expect(filters).to_be_visible()
        assert no_horizontal_overflow(mobile)
        mobile.screenshot(path=str(screenshot_dir / "phone-ledger.png"), full_page=True)

        # The item's page puts what can be done first.
        row.get_by_role("link").first.click()
        actions_top = mobile.get_by_test_id("actions-panel").bounding_box()["y"]
        tasks_top = mobile.get_by_test_id("task").first.bounding_box()["y"]
        assert actions_top < tasks_top
        assert no_horizontal_overflow(mobile)
        mobile.screenshot(path=str(screenshot_dir / "phone-item.png"))
    finally:
        phone.close()
