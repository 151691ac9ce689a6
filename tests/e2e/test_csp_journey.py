"""Under the Content-Security-Policy, in a real browser: a drafter's day (desk, 发文 list and
draft, the htmx re-check, 我的期限 with its tooltips) and a 系统管理员's (admin index and change
forms, the API documentation) fire no ``securitypolicyviolation`` and log no CSP error, while the
tooltips, htmx, Swagger UI and Redoc still work; and the 收文 办结率 bars, whose widths are no longer
style attributes, are still drawn to scale."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.incoming import services as incoming
from documents.models import DocumentSeries, IncomingState
from documents.outgoing import services as documents
from office.org.models import Role, UnitKind
from office.reminders import services as reminders
from tests.documents import conftest as documents_setup
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "测试办公室关于做好年终工作的通知"

# The 收文 fixtures of tests/documents: the receiving bureau, 签收 and moving a document on.
office, bureau, receive, advance = (
    documents_setup.office,
    documents_setup.bureau,
    documents_setup.receive,
    documents_setup.advance,
)

# Runs in every document before its own scripts: each violation is handed to the test.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation([event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" "));
});
"""


@pytest.fixture
def general_office(transactional_db):
    organ = OrganFactory(name="甲市人民政府")
    return UnitFactory(parent=organ, name="甲市人民政府办公室", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def drafter(general_office):
    unit = UnitFactory(parent=general_office, name="综合科")
    return make_person(username="liwen", name="李文", unit=unit, roles=(Role.HANDLER,))


@pytest.fixture
def sysadmin(general_office):
    return make_person(username="sysadm", name="系统管理员", unit=general_office, roles=(Role.SYSTEM_ADMIN,))


@pytest.fixture
def document(general_office, drafter):
    """A draft 发文 with an open deadline on the drafter (its badge has the derivation tooltip) and
    one unread notification (the bell's htmx count)."""
    series = DocumentSeries.objects.create(
        organ=general_office, office=general_office, code="甲办发", issuer_name="甲市办公室文件"
    )
    document = documents.outgoing_create(
        actor=drafter.user,
        series=series,
        title=TITLE,
        kind="notice",
        main_to_units=[general_office.parent],
        body="各区人民政府：\n现将有关事项通知如下。",
        disclosure="proactive",
    )
    reminders.deadline_open(
        actor=None,
        subject=document,
        kind="general",
        start=timezone.localdate(),
        amount=5,
        unit="working_days",
        responsible_person=drafter,
    )
    reminders.notify(recipient=drafter.user, verb="请核稿", subject=document)
    return document


@pytest.fixture
def watched(page):
    """The page, with every CSP violation event and every console error about the policy (or
    uncaught script error) collected in a list the test asserts empty."""
    problems = []
    page.expose_function("reportViolation", lambda text: problems.append(f"securitypolicyviolation: {text}"))
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return page, problems


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")


def test_pages_tooltips_htmx_admin_and_api_docs_work_under_the_policy(
    live_server, watched, document, sysadmin, screenshot_dir
):
    page, problems = watched

    # The login page and the desk; the bell's count arrives by htmx on load.
    login(page, live_server, "liwen")
    expect(page.get_by_test_id("bell-count")).to_contain_text("1")
    assert page.locator("nav.navbar").evaluate("el => getComputedStyle(el).display") == "flex"
    # No <style> was injected by htmx: its indicator rules come from shuniu.css.
    assert page.locator("head style").count() == 0
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False

    # 发文: the list, then the draft's page.
    page.locator("nav.navbar").get_by_role("link", name="发文").click()
    expect(page).to_have_url(live_server.url + "/documents/outgoing/")
    page.get_by_role("link", name=TITLE).first.click()
    detail = f"{live_server.url}/documents/outgoing/{document.pk}/"
    expect(page).to_have_url(detail)
    expect(page.get_by_test_id("preview-title")).to_have_text(TITLE)

    # htmx: 重新检查 swaps the findings card in place (the footer gains the time it ran).
    findings = page.get_by_test_id("findings")
    expect(findings).not_to_contain_text("重新检查）")
    with page.expect_response(re.compile(r"/check/$")) as checked:
        page.get_by_test_id("rerun-findings").click()
    assert checked.value.request.headers.get("hx-request") == "true"
    expect(findings).to_contain_text(re.compile(r"\d\d:\d\d:\d\d 重新检查"))
    expect(page).to_have_url(detail)

    # 我的期限: hovering the badge shows its derivation as a Bootstrap tooltip.
    page.locator("nav.navbar").get_by_role("link", name="我的期限").click()
    badge = page.get_by_test_id("deadline-badge").first
    # Bootstrap moves the title here when it sets up the tooltip (shuniu.js did).
    expect(badge).to_have_attribute("data-bs-original-title", re.compile("工作日"))
    badge.hover()
    expect(page.locator(".tooltip")).to_be_visible()
    expect(page.locator(".tooltip")).to_contain_text("工作日")
    page.screenshot(path=str(screenshot_dir / "e2e-csp-tooltip.png"))
    page.get_by_test_id("logout").click()

    # The 系统管理员: the admin index, a change form with its autocomplete (select2 fetching the
    # choices), an add form.
    login(page, live_server, "sysadm")
    page.locator("nav.navbar").get_by_role("link", name="系统管理").click()
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_contain_text("枢纽")
    page.goto(f"{live_server.url}/admin/org/unit/{sysadmin.unit.pk}/change/")
    expect(page.locator("#unit_form")).to_be_visible()
    page.locator(".field-parent .select2-selection").click()
    expect(page.locator(".select2-results__option").filter(has_text="甲市人民政府").first).to_be_visible()
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}/admin/org/person/add/")
    expect(page.locator("#person_form")).to_be_visible()

    # The API documentation: Swagger UI renders the operations and opens one; so does the browsable API.
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()
    page.goto(live_server.url + "/api/v1/org/units/")
    expect(page.locator(".response-info")).to_contain_text("甲市人民政府")

    # Redoc renders the schema and its search (a blob: worker) finds the token endpoint. Redoc
    # always shows Redocly's logo from cdn.redoc.ly: img-src keeps it out (nothing leaves the
    # intranet) and Redoc drops the broken image; that one refusal is expected, nothing else.
    assert problems == [], "\n".join(problems)
    page.goto(live_server.url + "/api/redoc/")
    expect(page.locator("#redoc-container h1").first).to_contain_text("Shuniu", timeout=30_000)
    page.locator("#redoc-container input.search-input").fill("token")
    results = page.locator("#redoc-container [data-role='search:results']")
    # The index is built in the worker after the page renders: seconds on a loaded machine.
    expect(results.get_by_text("用用户名和密码换取 API 令牌", exact=True)).to_be_visible(timeout=45_000)
    expect(page.get_by_alt_text("redocly logo")).to_have_count(0)
    assert problems and all("img-src" in p and "https://cdn.redoc.ly/redoc/logo-mini.svg" in p for p in problems)
    problems.clear()

    page.goto(live_server.url + "/no-such-page/")
    expect(page.get_by_test_id("not-found")).to_be_visible()

    assert problems == [], "\n".join(problems)


def test_the_figures_bars_are_drawn_to_scale_without_style_attributes(
    live_server, transactional_db, watched, bureau, receive, advance
):
    """GIVEN two 办件 the 局长 instructed to 预算处 this year, one of them completed WHEN the 局长
    opens 办结率 THEN 预算处's 办结率 bar fills half its track (its width set by shuniu.js from
    data-progress) and the policy refused nothing."""
    page, problems = watched
    done = advance(receive(receiving_unit=bureau.office), IncomingState.HANDLING)
    advance(receive(receiving_unit=bureau.office), IncomingState.HANDLING)
    incoming.incoming_complete(actor=bureau.budget_head.user, document=done, result="已办理。")

    login(page, live_server, "in-leader")
    page.goto(live_server.url + "/documents/incoming/figures/")
    row = page.get_by_test_id("figures-row").filter(has_text="预算处")
    expect(row.get_by_test_id("completion-rate")).to_have_text("50%")
    bar = row.locator(".progress-bar").first
    expect(bar).to_have_attribute("data-progress", "50")
    expect(bar).not_to_have_attribute("style", "")  # the width comes from the CSSOM
    ratio = bar.evaluate("el => el.getBoundingClientRect().width / el.parentElement.getBoundingClientRect().width")
    assert ratio == pytest.approx(0.5, abs=0.02)
    assert problems == [], "\n".join(problems)
