"""The 市长's morning, in a real browser over the demo office: the desk shows what waits for him
(待签发, 待批示) with the count in the navigation; the 领导驾驶舱 shows the same counts and the red
督办 items on one screen; a click on a red bar of a unit opens the 督办台账 filtered to that unit's
red items. Then he names the 秘书科 chief his delegate for 发文, and she finds his 签发 on her desk
marked "代李明华"."""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import expect

from office.desk import providers


@pytest.fixture
def demo(transactional_db, settings):
    settings.SHUNIU_DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(django_settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")


def test_the_mayor_reads_his_desk_and_dashboard_and_delegates(live_server, page, demo, screenshot_dir):
    from office.org.models import User

    mayor = User.objects.get(username="director")
    waiting = providers.waiting(mayor)
    signing = sum(1 for item in waiting if item.section == "signoff")
    instructing = sum(1 for item in waiting if item.section == "instruct")
    assert signing and instructing

    login(page, live_server, "director")
    expect(page.get_by_test_id("desk-count-todo")).to_have_text(str(sum(1 for i in waiting if i.tab == "todo")))
    expect(page.get_by_test_id("desk-items").get_by_text("待签发").first).to_be_visible()

    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("tile-outgoing-sign").get_by_test_id("tile-value")).to_have_text(str(signing))
    expect(page.get_by_test_id("tile-incoming-instruct").get_by_test_id("tile-value")).to_have_text(str(instructing))
    red = int(page.get_by_test_id("tile-supervision-red").get_by_test_id("tile-value").inner_text())
    assert red > 0, "the demo office has red 督办 items"
    chart = page.locator('[data-chart="chart-option-supervision-lights"]')
    expect(chart.locator("svg")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)
    bar = chart.locator('path[fill="#dc3545"]').first
    expect(bar).to_be_visible()
    bar.click()
    expect(page).to_have_url(re.compile(r"/supervision/\?lead_unit=\d+&light=red$"))
    expect(page.get_by_role("heading", name="督办台账")).to_be_visible()

    # 委托: the 秘书科 chief may sign for him for a week.
    page.goto(live_server.url + "/desk/delegations/")
    form = page.get_by_test_id("delegation-form")
    secretary = User.objects.get(username="ms_chief").person
    # The pickers and the date picker enhance these fields; what the form posts is the fields' value.
    form.locator("select[name=delegate]").evaluate("(el, v) => { el.value = v; }", str(secretary.pk))
    for name in ("starts_on", "ends_on"):
        form.locator(f"input[name={name}]").evaluate("(el, v) => { el.value = v; }", _today())
    form.get_by_label(re.compile(r"\(outgoing\)|（outgoing）")).check()
    form.get_by_role("button", name="委托").click()
    expect(page.get_by_test_id("delegation-row")).to_contain_text("黄蕾")

    page.get_by_test_id("logout").click()
    login(page, live_server, "ms_chief")
    expect(page.get_by_test_id("desk-on-behalf").first).to_have_text("代李明华")


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_the_bureau_handler_finds_his_subassignment_and_reads_from_the_desk(live_server, page, demo):
    login(page, live_server, "staff")  # 郑浩, 商务局 承办人
    items = page.get_by_test_id("desk-items")
    expect(items.get_by_text("分办给我的").first).to_be_visible()
    page.get_by_test_id("desk-tab-read").click()
    before = int(page.get_by_test_id("desk-tab-count-read").inner_text())
    assert before >= 1
    page.get_by_test_id("desk-check").first.check()
    page.get_by_test_id("desk-read").click()
    expect(page.get_by_text("已将 1 件标记为已阅")).to_be_visible()
    expect(page.get_by_test_id("desk-tab-count-read")).to_have_text(str(before - 1))
    page.get_by_test_id("desk-tab-todo").click()
    page.get_by_test_id("desk-item").filter(has_text="分办给我的").get_by_test_id("desk-link").first.click()
    expect(page).to_have_url(re.compile(r"/documents/incoming/\d+/$"))
