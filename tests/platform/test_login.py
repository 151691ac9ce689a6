"""Logging in and out of the browser shell, in Chinese first."""

import pytest
from django.test import override_settings

from office.org.models import Role
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def test_login_page_speaks_chinese_by_default(client):
    """GIVEN a browser with no language preference WHEN it opens the login page THEN the page is zh-hans."""
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html


def test_login_then_home_shows_the_person_unit_and_clearance(client):
    """GIVEN a person with a clearance WHEN they log in THEN the home page greets them by name
    and the top bar shows their unit and clearance."""
    person = make_person(username="chenxj", name="陈晓静", post="文秘", roles=(Role.SECRETARY,), clearance=2)

    response = client.post("/login/", {"username": "chenxj", "password": PASSWORD}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "陈晓静，您好" in html
    assert person.unit.name in html
    assert "秘密" in html and "一般涉密人员" in html


def test_wrong_password_gives_a_chinese_error_and_no_session(client):
    """GIVEN a person WHEN the wrong password is posted THEN the form says so in Chinese and
    the home page still redirects to login."""
    make_person(username="chenxj")

    response = client.post("/login/", {"username": "chenxj", "password": "wrong-password"})

    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert client.get("/").status_code == 302


def test_empty_form_shows_field_errors_in_chinese(client):
    """GIVEN the login form WHEN posted empty THEN each field says it is required, in Chinese."""
    response = client.post("/login/", {"username": "", "password": ""})
    assert response.content.decode().count("该字段是必填项") == 2


def test_logout_ends_the_session(client):
    """GIVEN a logged-in person WHEN they log out (POST) THEN they land on the login page and
    the home page asks for a login again."""
    make_person(username="chenxj")
    client.post("/login/", {"username": "chenxj", "password": PASSWORD})
    assert client.get("/").status_code == 200

    response = client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_logout_by_get_is_refused(client):
    """GIVEN a logged-in person WHEN a link (GET) tries to log them out THEN nothing happens:
    logging out must be a deliberate POST with the CSRF token."""
    make_person(username="chenxj")
    client.post("/login/", {"username": "chenxj", "password": PASSWORD})

    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200


def test_csrf_is_enforced_on_login(db):
    """GIVEN a client that enforces CSRF WHEN it posts the login form without a token THEN 403."""
    from django.test import Client

    make_person(username="chenxj")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "chenxj", "password": PASSWORD})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2(settings):
    """GIVEN the production hashers WHEN a password is stored THEN it is an argon2 hash."""
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # without the tests' fast hasher
    person = make_person(username="chenxj")
    assert person.user.password.startswith("argon2")


def test_password_change(client):
    """GIVEN a logged-in person WHEN they change their password THEN the old one stops working
    and the new one works."""
    make_person(username="chenxj")
    client.post("/login/", {"username": "chenxj", "password": PASSWORD})

    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "Shuniu-new-2026!", "new_password2": "Shuniu-new-2026!"},
    )

    assert response.status_code == 302 and response["Location"] == "/password/done/"
    client.post("/logout/")
    assert client.post("/login/", {"username": "chenxj", "password": PASSWORD}).status_code == 200
    assert client.post("/login/", {"username": "chenxj", "password": "Shuniu-new-2026!"}).status_code == 302


def test_password_change_rejects_a_weak_password_in_chinese(client):
    """GIVEN a logged-in person WHEN the new password is too short THEN the form explains it in Chinese."""
    make_person(username="chenxj")
    client.post("/login/", {"username": "chenxj", "password": PASSWORD})

    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    assert "密码长度太短。密码必须包含至少 10 个字符" in response.content.decode()


def test_english_is_available(client):
    """GIVEN the language switcher WHEN English is chosen THEN pages render in English."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    html = client.get("/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


@override_settings(SHUNIU_DEMO=False)
def test_demo_accounts_cannot_log_in_outside_demo_mode(client):
    """GIVEN a demo account and demo mode off WHEN it logs in with the right password THEN it is refused."""
    make_person(username="director", is_demo=True)
    response = client.post("/login/", {"username": "director", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


@override_settings(SHUNIU_DEMO=True)
def test_demo_accounts_log_in_in_demo_mode_and_see_the_banner(client):
    """GIVEN demo mode WHEN a demo account logs in THEN it works and every page carries the demo banner."""
    make_person(username="director", is_demo=True)
    response = client.post("/login/", {"username": "director", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert 'data-testid="demo-banner"' in html
    assert "演示系统" in html


def test_inactive_people_cannot_log_in(client, sysadmin):
    """GIVEN a person deactivated by the administrator WHEN they log in THEN they are refused."""
    from office.org import services

    person = make_person(username="leaver")
    services.person_update(actor=sysadmin.user, person=person, active=False)

    client.post("/login/", {"username": "leaver", "password": PASSWORD})
    assert client.get("/").status_code == 302


def test_an_english_browser_still_gets_chinese_pages(client):
    """GIVEN a browser that sends Accept-Language: en-US WHEN it opens the login page THEN the
    page is Chinese: the language changes only by the person's choice."""
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "用户名" in html


def test_api_callers_may_ask_for_english_messages(api):
    """GIVEN another system that sends Accept-Language: en WHEN its call fails THEN the message is English."""
    body = api.get("/api/v1/org/units/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["detail"] == "Authentication credentials were not provided."
    chinese = api.get("/api/v1/org/units/").json()
    assert chinese["detail"] == "身份认证信息未提供。"
