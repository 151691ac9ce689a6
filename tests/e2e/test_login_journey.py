"""A leader's first morning: open Shuniu, log in, see the desk in Chinese, switch to English,
log out. And the mistyped password."""

import re

import pytest
from playwright.sync_api import expect

from office.org.models import Role
from tests.factories import PASSWORD, make_person


@pytest.fixture
def leader(transactional_db):
    return make_person(username="limh", name="李明华", roles=(Role.LEADER,))


def login_url(live_server):
    return re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$")


def test_leader_logs_in_switches_to_english_and_logs_out(live_server, page, leader, screenshot_dir):
    # Not logged in: / sends the browser to the Chinese login page.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(login_url(live_server))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile("登录"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()

    # Log in.
    page.get_by_label("用户名").fill("limh")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    # The desk, in Chinese, greets the leader by name; the top bar shows who is logged in.
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("greeting")).to_contain_text("李明华，您好")
    current = page.get_by_test_id("current-person")
    expect(current).to_be_visible()
    expect(current).to_contain_text("李明华")
    expect(current).to_contain_text(leader.unit.name)
    # Bootstrap and the house stylesheet are served: the navbar is laid out as a flex row.
    assert page.locator("nav.navbar").evaluate("el => getComputedStyle(el).display") == "flex"
    page.screenshot(path=str(screenshot_dir / "e2e-home.png"), full_page=True)

    # Switch to English with the switcher in the top bar.
    switcher = page.get_by_test_id("language-switcher").first
    with page.expect_navigation():
        switcher.locator('button[lang="en"]').click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    greeting = page.get_by_test_id("greeting")
    expect(greeting).to_contain_text("李明华")
    expect(greeting).not_to_contain_text("您好")  # the English catalogue: "Hello, 李明华"
    expect(page.get_by_test_id("language-switcher").first.locator('button[lang="zh-hans"]')).to_have_text("简体中文")
    expect(page.get_by_test_id("current-person")).to_contain_text("李明华")

    # Log out: back on the login page, and / no longer lets the browser in.
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(login_url(live_server))
    expect(page.get_by_test_id("logout")).to_have_count(0)
    expect(page.locator('input[name="password"]')).to_be_visible()

    page.goto(live_server.url + "/")
    expect(page).to_have_url(login_url(live_server))
    expect(page.get_by_test_id("greeting")).to_have_count(0)


def test_wrong_password_shows_a_chinese_error_and_stays_logged_out(live_server, page, leader):
    page.goto(live_server.url + "/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.get_by_label("用户名").fill("limh")
    page.get_by_label("密码").fill(PASSWORD + "-wrong")
    page.get_by_role("button", name="登录").click()

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("请输入一个正确的")
    expect(errors).to_contain_text("密码")
    expect(page).to_have_url(login_url(live_server))
    expect(page.get_by_test_id("current-person")).to_have_count(0)
    expect(page.get_by_test_id("logout")).to_have_count(0)

    # Still logged out: the desk sends the browser back to the login page.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(login_url(live_server))
    expect(page.get_by_test_id("greeting")).to_have_count(0)
