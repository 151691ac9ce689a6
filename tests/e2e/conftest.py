"""Real-browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's
live server.

Playwright cannot download its own browser here, so the system chromium is launched by path
(``$CHROMIUM``, default ``/usr/bin/chromium``). When it is missing every test in this folder is
skipped with the reason; ``.ci/run`` installs it (with ``fonts-noto-cjk``) before the suite.
"""

import os
from pathlib import Path

import pytest

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


def _is_e2e(item) -> bool:
    return HERE in Path(str(item.fspath)).resolve().parents


def pytest_collection_modifyitems(config, items):
    """Mark the browser journeys ``e2e`` (skipped without chromium) and run them last.

    Last, because once Playwright's sync API has started, an asyncio loop counts as running in
    the test thread until the session ends (the browser is session-scoped): any later test that
    uses asyncio, or the ORM without DJANGO_ALLOW_ASYNC_UNSAFE, would fail. pytest-django's own
    reordering (tryfirst) has already run; this keeps its order for everything else."""
    available = _chromium_available()
    skip = pytest.mark.skip(reason="chromium not found (apt-get install chromium)")
    journeys = [item for item in items if _is_e2e(item)]
    for item in journeys:
        item.add_marker(pytest.mark.e2e)
        if not available:
            item.add_marker(skip)
    if journeys:
        items[:] = [item for item in items if not _is_e2e(item)] + journeys


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        pytest.skip("chromium not found (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a loaded CI machine; a passing check returns at once
    # While Playwright's sync API runs, its asyncio loop counts as running in this thread, and
    # Django's ORM (factories in the tests, the flush after each live-server test) would raise
    # SynchronousOnlyOperation. The tests are plain synchronous code, so allowing it is safe.
    # Set only while the browser is up, and restored after: a variable left in os.environ leaks
    # into subprocesses that other tests start (``manage.py check --deploy`` then fails with
    # async.E001).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
