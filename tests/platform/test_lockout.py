"""Lockout after repeated failed logins (django-axes): per account and per address, on the login
page, the admin login and the API token endpoint; lifted by the cool-off or by the 系统管理员."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from office.confidentiality.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
LIMIT = 5  # SHUNIU_LOGIN_FAILURE_LIMIT's default
COOL_OFF = timedelta(minutes=15)  # SHUNIU_LOGIN_LOCKOUT_MINUTES's default


class Entrance:
    """One of the three ways in, posted as a browser or another system would."""

    def __init__(self, name: str, path: str, success: int):
        self.name, self.path, self.success = name, path, success

    def post(self, client, username: str, password: str, **extra):
        if self.name == "api":
            return client.post(
                self.path, {"username": username, "password": password}, content_type="application/json", **extra
            )
        return client.post(self.path, {"username": username, "password": password, "next": "/admin/"}, **extra)

    def __repr__(self) -> str:
        return self.name


ENTRANCES = [
    Entrance("login_page", "/login/", 302),
    Entrance("admin_login", "/admin/login/", 302),
    Entrance("api", "/api/v1/auth/token/", 200),
]


@pytest.fixture
def admin_person(db):
    """Someone who can pass all three entrances (the admin login wants a 系统管理员)."""
    from office.org.models import Role

    return make_person(username="fengyu", name="冯宇", roles=(Role.SYSTEM_ADMIN,))


def fail(entrance, client, username: str, times: int, **extra) -> list[int]:
    return [entrance.post(client, username, WRONG, **extra).status_code for _ in range(times)]


def says_locked(response) -> bool:
    text = (
        response.json()["detail"]
        if response["Content-Type"].startswith("application/json")
        else response.content.decode()
    )
    return "锁定" in text and "系统管理员" in text and "再试" in text


@pytest.mark.parametrize("entrance", ENTRANCES, ids=repr)
def test_too_many_failures_lock_the_account_until_the_cool_off_ends(client, admin_person, entrance, time_machine):
    """GIVEN a 系统管理员's account WHEN the wrong password is posted five times THEN the first four
    are ordinary refusals and the fifth and sixth are 429 in Chinese saying when to try again and
    to contact the 系统管理员; the right password is refused while locked; after the cool-off it
    works again."""
    time_machine.move_to(timezone.now(), tick=False)
    statuses = fail(entrance, client, "fengyu", LIMIT - 1)
    assert 429 not in statuses

    fifth = entrance.post(client, "fengyu", WRONG)
    sixth = entrance.post(client, "fengyu", WRONG)
    right_while_locked = entrance.post(client, "fengyu", PASSWORD)

    for response in (fifth, sixth, right_while_locked):
        assert response.status_code == 429
        assert says_locked(response)
    until = timezone.localtime(timezone.now() + COOL_OFF).strftime("%H:%M")
    assert until in (sixth.json()["detail"] if entrance.name == "api" else sixth.content.decode())
    assert int(sixth["Retry-After"]) == COOL_OFF.total_seconds()
    if entrance.name == "api":
        assert sixth.json()["code"] == "locked_out" and "token" not in sixth.json()
    assert client.get("/").status_code == 302  # no session was opened

    time_machine.move_to(timezone.now() + COOL_OFF + timedelta(seconds=1), tick=False)
    assert entrance.post(client, "fengyu", PASSWORD).status_code == entrance.success


def test_tries_during_the_lockout_do_not_extend_it(client, person, time_machine):
    """GIVEN a locked account WHEN someone keeps trying during the lockout THEN the lockout still
    ends when it first said, and the tries are not counted as new failures."""
    time_machine.move_to(timezone.now(), tick=False)
    fail(ENTRANCES[0], client, "zhangsan", LIMIT)
    time_machine.move_to(timezone.now() + timedelta(minutes=10), tick=False)
    assert fail(ENTRANCES[0], client, "zhangsan", 3) == [429, 429, 429]
    assert AccessAttempt.objects.get(username="zhangsan").failures_since_start == LIMIT

    time_machine.move_to(timezone.now() + timedelta(minutes=5, seconds=1), tick=False)
    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD).status_code == 302


def test_an_address_is_locked_across_usernames(client, person):
    """GIVEN one address that tried five different (made-up) usernames once each WHEN a real
    person then logs in from that address with the right password THEN 429; from another
    address the same person logs in."""
    for number in range(LIMIT):
        ENTRANCES[0].post(client, f"guess{number}", WRONG)

    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD).status_code == 429
    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD, REMOTE_ADDR="10.20.30.40").status_code == 302


def test_an_account_is_locked_whatever_the_address(client, person):
    """GIVEN five failures for one account, each from a different address WHEN the right password
    comes from yet another address THEN 429: the account itself is locked."""
    for number in range(LIMIT):
        ENTRANCES[0].post(client, "zhangsan", WRONG, REMOTE_ADDR=f"10.0.0.{number + 1}")

    assert ENTRANCES[2].post(client, "zhangsan", PASSWORD, REMOTE_ADDR="10.0.0.99").status_code == 429


def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(client, person, settings):
    """GIVEN BEHIND_TLS_PROXY WHEN an attacker varies the X-Forwarded-For hops it writes itself,
    over five made-up usernames THEN the address the proxy added is what counts: it is locked,
    as the audit log names it, while another client behind the same proxy is not."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for number in range(LIMIT):
        forwarded = f"198.51.100.{number}, 203.0.113.7"
        ENTRANCES[0].post(client, f"guess{number}", WRONG, HTTP_X_FORWARDED_FOR=forwarded)

    locked = ENTRANCES[0].post(client, "zhangsan", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    other = ENTRANCES[0].post(client, "zhangsan", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert locked.status_code == 429 and other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_LOCKED).ip_address == "203.0.113.7"


def test_the_lockout_is_audited_once_when_it_begins(client, person):
    """GIVEN an account WHEN it is locked by five failures and then tried three more times THEN
    one LOGIN_LOCKED event names the account, what locked it and until when; every try is kept
    in the failure log, the ones during the lockout marked as such."""
    fail(ENTRANCES[0], client, "zhangsan", LIMIT + 3)

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_LOCKED)
    assert event.object_repr == "zhangsan" and event.ip_address == "127.0.0.1"
    assert event.detail["locked_by"] == ["username", "ip_address"]
    assert event.detail["failures"] == LIMIT and event.detail["until"]
    failures = AccessFailureLog.objects.filter(username="zhangsan")
    assert failures.count() == LIMIT + 3
    assert failures.filter(locked_out=True).count() == 1 + 3  # the one that locked, and the three after


def test_the_system_admin_lifts_a_lockout_in_the_admin(client, person, sysadmin):
    """GIVEN a locked account WHEN the 系统管理员 opens 登录保护 › 登录失败记录, sees it locked and
    lifts it THEN the person logs in with the right password at once, and LOGIN_UNLOCKED is
    audited with the 系统管理员 as actor."""
    fail(ENTRANCES[0], client, "zhangsan", LIMIT)
    admin_client = client.__class__()
    admin_client.force_login(sysadmin.user)
    attempt = AccessAttempt.objects.get(username="zhangsan")

    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "登录失败记录" in listing and "已锁定" in listing
    response = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "unlock_selected", "_selected_action": [attempt.pk]}
    )
    assert response.status_code == 302

    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_UNLOCKED)
    assert event.actor_id == sysadmin.user_id and event.detail["username"] == "zhangsan"


def test_only_the_system_admin_sees_the_lockouts(client, person, sysadmin):
    """GIVEN a person without the role and a 系统管理员 WHEN each opens the lockout list THEN only
    the 系统管理员 gets it; neither may add a row nor see the failure log's delete."""
    client.force_login(sysadmin.user)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/axes/accessattempt/add/").status_code == 403
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    assert "delete_selected" not in client.get("/admin/axes/accessfailurelog/").content.decode()
    client.force_login(person.user)
    assert client.get("/admin/axes/accessattempt/").status_code == 302


def test_the_unlock_command_lifts_and_audits(client, person):
    """GIVEN a locked account WHEN the operator runs manage.py unlock_login for it THEN the person
    logs in again and the unlock is in the audit chain."""
    fail(ENTRANCES[0], client, "zhangsan", LIMIT)
    out = io.StringIO()

    call_command("unlock_login", "zhangsan", stdout=out)

    assert "已清除 1 条" in out.getvalue()
    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_UNLOCKED).count() == 1


def test_server_side_authenticate_without_a_request_keeps_the_office_rules(client, person):
    """GIVEN a locked account and an inactive one WHEN code on the server calls authenticate()
    without a request (as Django's test client and management code do) THEN there is nothing to
    throttle: the active account authenticates, the inactive one still does not."""
    fail(ENTRANCES[0], client, "zhangsan", LIMIT)
    make_person(username="retired", active=False)

    assert authenticate(username="zhangsan", password=PASSWORD) == person.user
    assert authenticate(username="retired", password=PASSWORD) is None
    assert client.login(username="zhangsan", password=PASSWORD) is True


def test_the_limit_and_the_cool_off_come_from_the_settings(client, person, settings, time_machine):
    """GIVEN a limit of 3 and a 2-minute lockout WHEN three wrong passwords are posted THEN the
    third locks, and two minutes later the right one works."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    time_machine.move_to(timezone.now(), tick=False)

    assert fail(ENTRANCES[0], client, "zhangsan", 3) == [200, 200, 429]
    time_machine.move_to(timezone.now() + timedelta(minutes=2, seconds=1), tick=False)
    assert ENTRANCES[0].post(client, "zhangsan", PASSWORD).status_code == 302
