"""Real-browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's
live server.

Playwright cannot download its own browser here, so the system chromium is launched by path
(``$CHROMIUM``, default ``/usr/bin/chromium``). When it is missing every test in this folder is
skipped with the reason; ``.ci/run`` installs it (with ``fonts-noto-cjk``) before the suite.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; Django's ORM, called
# from the test (factories) and the live-server fixtures, would otherwise raise
# SynchronousOnlyOperation. The tests are plain synchronous code, so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / ".var"  # screenshots for a human to look at, never asserted on


def _chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    available = _chromium_available()
    skip = pytest.mark.skip(reason="chromium not found (apt-get install chromium)")
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if not available:
            item.add_marker(skip)


def ensure_roles(using="default", **kwargs) -> None:
    """The role groups, as migration org.0002 creates them, with their admin permissions."""
    from django.contrib.auth.models import Group

    from office.org.models import Role
    from office.org.roles import grant_role_permissions

    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)
    grant_role_permissions()


@pytest.fixture(scope="session", autouse=True)
def _roles_survive_flushes():
    """Live-server tests run as TransactionTestCase: the database is flushed after each one, and
    the flush takes the role groups (created by a data migration, not by post_migrate) with it.
    Without this, every later test that gives someone a role fails with 角色不存在 — in this run
    and, because the test database is kept (--reuse-db), in the next runs too. The flush does
    send post_migrate, so the groups are put back there.
    (The app-side fix: create the groups in office.org.roles.grant_role_permissions.)"""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    sender = apps.get_app_config("org")
    post_migrate.connect(ensure_roles, sender=sender, dispatch_uid="e2e-ensure-roles")
    yield
    post_migrate.disconnect(sender=sender, dispatch_uid="e2e-ensure-roles")


@pytest.fixture
def roles(transactional_db):
    """Role groups present at the start of the test, even in a kept database that lost them."""
    ensure_roles()


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        pytest.skip("chromium not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no session) per test, as a Chinese office's browser:
    Accept-Language zh-CN, Beijing time, a desktop-width window (the navbar is not collapsed)."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
