"""The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY, django-csp): every kind of page
carries it, scripts come only from our own origin, and nothing the templates write needs inline
script or an inline style the policy does not name.

The browser's side (no violation fires, tooltips and htmx still work) is tests/e2e/test_csp_journey.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from documents.models import DocumentSeries
from documents.outgoing import services as documents
from office.org.models import Role, UnitKind
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {"node_modules", ".venv", ".var", ".git"}

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>", re.I
)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def sha256_source(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def assert_strict(directives: dict[str, list[str]], where: str) -> None:
    assert directives["script-src"] == ["'self'"], where  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["default-src"] == ["'self'"], where
    assert directives["object-src"] == ["'none'"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"], where


def assert_no_inline_code(html: str, where: str) -> None:
    """What the browser would refuse under the policy, found in a rendered page."""
    assert not INLINE_SCRIPT.search(html), f"{where}: inline <script>"
    assert not HANDLER_ATTRIBUTE.search(html), f"{where}: on…= handler"
    assert not JAVASCRIPT_URL.search(html), f"{where}: javascript: URL"
    assert not STYLE_ATTRIBUTE.search(html), f"{where}: style attribute"


# --- Every page type carries the policy --------------------------------------------------------------


@pytest.fixture
def drafter():
    organ = OrganFactory(name="测试市人民政府")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    return make_person(username="csp-drafter", name="李拟稿", unit=UnitFactory(parent=office), roles=(Role.HANDLER,))


@pytest.fixture
def document(drafter):
    office = drafter.unit.parent
    series = DocumentSeries.objects.create(organ=office, office=office, code="测办发", issuer_name="测试办公室文件")
    return documents.outgoing_create(
        actor=drafter.user,
        series=series,
        title="测试办公室关于做好年终工作的通知",
        kind="notice",
        body="各区人民政府：\n现将有关事项通知如下。",
        disclosure="proactive",
    )


def test_login_page_carries_the_strict_policy(client):
    """GIVEN nobody logged in WHEN the login page is opened THEN its header allows scripts from
    'self' only, images from 'self' and data:, and the page itself has no inline code."""
    response = client.get("/login/")

    directives = policy(response)
    assert_strict(directives, "/login/")
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["font-src"] == ["'self'"] and directives["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert_no_inline_code(response.content.decode(), "/login/")


def test_every_module_page_carries_the_policy_and_no_inline_code(client, drafter, document):
    """GIVEN a drafter with a draft 发文 WHEN they open the desk, a list page of every module, the
    draft's page, the htmx partial it reloads and a page that does not exist THEN each answer has
    the strict policy and none of them writes inline script, handlers or style attributes."""
    client.force_login(drafter.user)
    pages = [
        "/",
        "/directory/",
        "/calendar/",
        "/reminders/",
        "/reminders/notifications/",
        "/documents/outgoing/",
        f"/documents/outgoing/{document.pk}/",
        "/documents/incoming/",
        "/supervision/",
        "/supervision/mine/",
        "/confidentiality/carriers/",
        "/password/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(policy(response), path)
        assert_no_inline_code(response.content.decode(), path)

    partial = client.get(f"/documents/outgoing/{document.pk}/check/", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'data-testid="findings"' in partial.content.decode()
    assert_no_inline_code(partial.content.decode(), "findings partial")

    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_strict(policy(missing), "404")
    assert 'data-testid="not-found"' in missing.content.decode()


def test_admin_pages_carry_the_policy_and_no_inline_code(client):
    """GIVEN a 系统管理员 WHEN they open the admin index, change lists, an add and a change form THEN each
    has the strict policy and Django's admin markup needs no inline script or style."""
    admin = make_person(username="csp-admin", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(admin.user)

    change = f"/admin/org/unit/{admin.unit.pk}/change/"
    for path in ["/admin/", "/admin/org/unit/", "/admin/org/unit/add/", change, "/admin/org/person/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(policy(response), path)
        assert_no_inline_code(response.content.decode(), path)


def test_api_docs_load_their_script_from_a_url(client, drafter):
    """GIVEN a logged-in person WHEN they open /api/docs/ THEN Swagger UI's page has the strict
    policy and loads its start-up script from ``?script`` (served as JavaScript), not inline."""
    client.force_login(drafter.user)

    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert_strict(policy(page), "/api/docs/")
    assert "'unsafe-inline'" not in policy(page)["style-src"]
    assert_no_inline_code(html, "/api/docs/")
    assert "<style" not in html and "fonts.googleapis.com" not in html

    script_url = re.search(r'<script src="([^"]*\bscript=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()  # no badge from validator.swagger.io


def test_redoc_alone_allows_inline_styles_and_blob_workers(client, drafter):
    """GIVEN a logged-in person WHEN they open /api/redoc/ THEN scripts are still 'self' only and
    the page has no inline script; only its styles may be inline (styled-components) and its
    search worker a blob: — and no other page is relaxed by it."""
    client.force_login(drafter.user)

    page = client.get("/api/redoc/")
    directives = policy(page)
    assert page.status_code == 200
    assert_strict(directives, "/api/redoc/")
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["worker-src"] == ["'self'", "blob:"]
    html = page.content.decode()
    assert not INLINE_SCRIPT.search(html) and "<style" not in html and "fonts.googleapis.com" not in html
    assert 'data-spec-url="/api/schema/"' in html

    home = policy(client.get("/"))
    assert "'unsafe-inline'" not in home["style-src"] and "worker-src" not in home


def test_the_browsable_api_allows_style_attributes_only(client, drafter):
    """GIVEN a logged-in person WHEN they open an API list in the browser THEN DRF's page keeps
    scripts to 'self' with no inline script, and only its style attributes (two floated buttons)
    are allowed; the JSON answer and the site's pages get no such allowance."""
    client.force_login(drafter.user)

    page = client.get("/api/v1/documents/outgoing/", headers={"Accept": "text/html"})
    directives = policy(page)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert_strict(directives, "browsable API")
    assert directives["style-src-attr"] == ["'unsafe-inline'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert not INLINE_SCRIPT.search(page.content.decode())
    assert "<style" not in page.content.decode()  # style-src still refuses <style> elements here

    as_json = client.get("/api/v1/documents/outgoing/", headers={"Accept": "application/json"})
    assert as_json.status_code == 200 and "style-src-attr" not in policy(as_json)
    assert "style-src-attr" not in policy(client.get("/"))


# --- No template needs what the policy refuses -------------------------------------------------------


def template_files() -> list[Path]:
    found = []
    for templates in ROOT.rglob("templates"):
        if SKIPPED_DIRS & set(templates.relative_to(ROOT).parts) or not templates.is_dir():
            continue
        found += [path for path in templates.rglob("*") if path.suffix in {".html", ".txt", ".js"}]
    return sorted(found)


def test_no_template_writes_inline_script_handlers_or_style_attributes():
    """GIVEN every template of the project (not node_modules or the virtualenv) WHEN it is read
    THEN none has a <script> without src, an on…= handler, a javascript: URL or a style attribute:
    the browser would refuse each of them under the policy."""
    files = template_files()
    assert len(files) > 50  # the scan does see the project's templates

    offenders = []
    for path in files:
        text = path.read_text()
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("on…= handler", HANDLER_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
            ("style attribute", STYLE_ATTRIBUTE),
        ]:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_every_inline_style_element_is_allowed_by_its_hash():
    """GIVEN the inline <style> elements left in templates (the print guard of classified detail
    pages) WHEN each is hashed as the browser does THEN its hash is in style-src: otherwise the
    browser drops it, and classified content would print when /static/ is not served."""
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    styles = [(path, css) for path in template_files() for css in STYLE_ELEMENT.findall(path.read_text())]

    assert len(styles) >= 4  # the 发文, 收文, 督查 and 载体 detail pages
    assert [(str(path.relative_to(ROOT)), css) for path, css in styles if sha256_source(css) not in allowed] == []
    assert all("classified-content" in css for _, css in styles)
