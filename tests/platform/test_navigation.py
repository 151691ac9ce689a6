"""The navigation shows each person only what he may use: every link of the main bar and of
each section's bar, followed as every demo person, answers something other than 403 — decided by
the rule the page itself applies (``office.navigation``), not restated in the template."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from office.org.models import User

DEMO_LOGINS = [
    "director",
    "office_chief",
    "clerk",
    "supervisor",
    "petition_officer",
    "meeting_officer",
    "security_officer",
    "staff",
]
# The pages whose section bars (module-nav) are read besides the main bar.
SECTIONS = ["/", "/documents/outgoing/", "/documents/incoming/", "/supervision/", "/confidentiality/carriers/"]
NAV = re.compile(r'<nav class="(?:navbar|nav nav-pills module-nav)[^"]*".*?</nav>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def demo(db, settings):
    """The demo office (as ``make run`` seeds it), demo logins on."""
    settings.SHUNIU_DEMO = True
    call_command("seed_demo", stdout=io.StringIO())


def nav_links(html: str) -> set[str]:
    links = set()
    for nav in NAV.findall(html):
        for href in HREF.findall(nav):
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/"):
                links.add(parts.path)
    return links


def test_no_navigation_link_leads_a_demo_person_to_a_403(client, demo):
    """GIVEN the demo office WHEN each demo person follows every link of the main bar and of the
    发文, 收文, 督查督办 and 保密管理 bars THEN none answers 403 (nor a server error)."""
    forbidden = {}
    for login in DEMO_LOGINS:
        client.force_login(User.objects.get(username=login))
        links: set[str] = set()
        for page in SECTIONS:
            response = client.get(page)
            assert response.status_code == 200, (login, page, response.status_code)
            links |= nav_links(response.content.decode())
        assert "/documents/outgoing/" in links and "/supervision/" in links

        for link in sorted(links):
            status = client.get(link).status_code
            if status == 403 or status >= 500:
                forbidden[(login, link)] = status

    assert not forbidden


def test_the_bureau_handler_is_not_shown_what_he_cannot_use(client, demo):
    """GIVEN the demo 商务局 承办人 WHEN he opens the 发文, 收文 and 督查督办 sections THEN no
    拟稿 (his organ has no 发文代字), 来文登记 or 立项 link — which the office's 文秘 and the
    督查员 do see where their pages accept them."""

    def links_of(login):
        client.force_login(User.objects.get(username=login))
        found = set()
        for page in SECTIONS:
            found |= nav_links(client.get(page).content.decode())
        return found

    staff = links_of("staff")
    assert not {"/documents/outgoing/new/", "/documents/incoming/new/", "/supervision/new/"} & staff
    assert client.get("/documents/outgoing/new/").status_code == 403  # the page applies the same rule
    assert {"/documents/outgoing/new/", "/documents/incoming/new/"} <= links_of("clerk")
    assert "/supervision/new/" in links_of("supervisor")
