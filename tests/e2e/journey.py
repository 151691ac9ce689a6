"""What the browser journeys share: logging in and out of the demo office, and picking an option of
a searchable picker (the form posts the plain select behind it)."""

import re

from django.conf import settings
from playwright.sync_api import expect


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-person")).to_be_visible()


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))


def choose(form, name, value):
    """Pick option(s) of the plain select behind a searchable picker (the form posts the select)."""
    values = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    form.locator(f'select[name="{name}"]').select_option(values, force=True)
