"""API tokens (django-rest-knox): stored as a digest, expiring, revoked with the password and the
account, listed without their secret, revocable by their holder and by the 系统管理员."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from office.confidentiality.models import AuditAction, AuditEvent
from office.org import services as org_services
from office.org.models import ApiToken, ApiTokenKind
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
UNITS_URL = "/api/v1/org/units/"
NEW_PASSWORD = "a-brand-new-passphrase-7"


def obtain(api, username: str, password: str = PASSWORD) -> str:
    response = api.post(TOKEN_URL, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def calls_with(api, token: str) -> int:
    """The status of an ordinary API call made with ``token`` alone."""
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api.get(UNITS_URL).status_code
    api.credentials()
    return status


def test_the_database_keeps_a_digest_never_the_token(api, person):
    """GIVEN a person WHEN they obtain a token THEN the stored row holds only the token's SHA-512
    digest and the lookup prefix (no column, and no audit row, contains the token itself), and
    the token issue is audited."""
    token = obtain(api, "zhangsan")

    row = ApiToken.objects.values().get()
    assert row["digest"] == hashlib.sha512(token.encode()).hexdigest()
    assert all(token not in str(value) for value in row.values())
    issued = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUED)
    assert issued.actor_id == person.user_id and issued.detail["holder"] == "zhangsan"
    for event in AuditEvent.objects.all():
        assert token not in f"{event.object_repr}{event.detail}"
        assert row["digest"] not in f"{event.object_repr}{event.detail}"
    assert calls_with(api, token) == 200


def test_a_token_expires_after_the_configured_hours(api, person, settings, time_machine):
    """GIVEN SHUNIU_API_TOKEN_HOURS=2 and a token just issued WHEN the clock passes the expiry
    the answer said THEN the token is refused with 401 (and deleted); a minute before it worked."""
    settings.SHUNIU_API_TOKEN_HOURS = 2
    time_machine.move_to(timezone.now(), tick=False)
    response = api.post(TOKEN_URL, {"username": "zhangsan", "password": PASSWORD}, format="json")
    token, expiry = response.json()["token"], response.json()["expiry"]
    assert abs(ApiToken.objects.get().expiry - (timezone.now() + timedelta(hours=2))) < timedelta(seconds=1)
    assert expiry.startswith(timezone.localtime(ApiToken.objects.get().expiry).strftime("%Y-%m-%dT%H:%M"))

    time_machine.move_to(timezone.now() + timedelta(hours=2) - timedelta(minutes=1), tick=False)
    assert calls_with(api, token) == 200
    time_machine.move_to(timezone.now() + timedelta(minutes=2), tick=False)
    assert calls_with(api, token) == 401
    assert not ApiToken.objects.exists()


def test_other_expired_tokens_are_purged_daily_not_on_every_call(api, person, time_machine):
    """GIVEN an expired token and a fresh one WHEN the fresh one is used THEN the call works and
    reads no other token (the expired one stays); the daily purge removes it."""
    from office.tasks import purge_expired_tokens

    time_machine.move_to(timezone.now(), tick=False)
    old = obtain(api, "zhangsan")
    time_machine.move_to(timezone.now() + timedelta(days=30), tick=False)
    fresh = obtain(api, "zhangsan")
    assert calls_with(api, fresh) == 200
    assert ApiToken.objects.count() == 2
    assert purge_expired_tokens() == 1
    assert calls_with(api, fresh) == 200 and calls_with(api, old) == 401


def test_logout_revokes_the_token_used_and_only_that_one(api, person):
    """GIVEN a person with two tokens WHEN they log out with one THEN 204, that one is refused
    from then on, the other still works, and the revocation is audited."""
    first, second = obtain(api, "zhangsan"), obtain(api, "zhangsan")

    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    api.credentials()

    assert calls_with(api, first) == 401
    assert calls_with(api, second) == 200
    revoked = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert revoked.detail["reason"] == "logout" and revoked.actor_id == person.user_id


def test_logout_without_a_token_is_401(client, person):
    """GIVEN a browser logged in with a session WHEN it posts to the API's logout THEN 401 in
    JSON: there is no token to revoke (the session is ended at /logout/)."""
    client.force_login(person.user)
    response = client.post("/api/v1/auth/logout/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["password_page", "admin_password_form", "set_password"])
def test_a_password_change_revokes_every_token(api, client, person, sysadmin, path):
    """GIVEN a person with two tokens WHEN their password changes — on their own 修改密码 page,
    by the 系统管理员 in the admin, or by code calling set_password and save — THEN both tokens
    are refused and the revocations are audited with the reason."""
    tokens = [obtain(api, "zhangsan"), obtain(api, "zhangsan")]

    if path == "password_page":
        client.force_login(person.user)
        response = client.post(
            "/password/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
    elif path == "admin_password_form":
        client.force_login(sysadmin.user)
        response = client.post(
            f"/admin/org/user/{person.user_id}/password/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        )
        assert response.status_code == 302
    else:
        person.user.set_password(NEW_PASSWORD)
        person.user.save()

    assert [calls_with(api, token) for token in tokens] == [401, 401]
    assert not ApiToken.objects.filter(user=person.user).exists()
    reasons = AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).values_list("detail__reason", flat=True)
    assert list(reasons) == ["password_changed", "password_changed"]


def test_a_login_that_only_upgrades_the_password_hash_keeps_the_tokens(api, client, person):
    """GIVEN a person whose password is stored with an older hasher, and a token WHEN they log in
    and Django re-hashes the same password THEN that is not a password change: the token works."""
    person.user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.user.save(update_fields=["password"])
    token = obtain(api, "zhangsan")

    assert client.post("/login/", {"username": "zhangsan", "password": PASSWORD}).status_code == 302
    person.user.refresh_from_db()
    assert not person.user.password.startswith("pbkdf2_sha256$")  # upgraded to the preferred hasher
    assert calls_with(api, token) == 200


def test_deactivating_the_account_revokes_its_tokens(api, person, sysadmin):
    """GIVEN a person with a token WHEN the 系统管理员 deactivates the account THEN the token is
    deleted (not merely refused), and it stays dead when the account is reactivated."""
    token = obtain(api, "zhangsan")

    org_services.person_update(actor=sysadmin.user, person=person, active=False)
    assert not ApiToken.objects.exists()
    org_services.person_update(actor=sysadmin.user, person=person, active=True)

    assert calls_with(api, token) == 401
    revoked = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert revoked.detail == {"holder": "zhangsan", "kind": "login", "name": "", "reason": "deactivated"}


def test_the_list_shows_own_tokens_without_their_secret(api, person):
    """GIVEN a person with a token and another person with one WHEN the first lists their tokens
    THEN they see their own only, with id, prefix, created and expiry, and neither the token nor
    its digest appears anywhere in the answer."""
    make_person(username="lisi")
    token = obtain(api, "zhangsan")
    obtain(api, "lisi")

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(TOKENS_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert {"id", "prefix", "name", "kind", "created", "expiry"} <= set(row)
    assert row["username"] == "zhangsan" and row["current"] is True
    assert token.startswith(row["prefix"]) and len(row["prefix"]) < len(token) // 4
    text = response.content.decode()
    assert token not in text
    assert ApiToken.objects.get(user=person.user).digest not in text


def test_another_persons_token_is_not_found(api, person):
    """GIVEN two people with a token each WHEN one deletes the other's token by id THEN 404 and
    the other's token still works; deleting their own works (204)."""
    make_person(username="lisi")
    mine, theirs = obtain(api, "zhangsan"), obtain(api, "lisi")
    theirs_id = ApiToken.objects.get(user__username="lisi").pk
    mine_id = ApiToken.objects.get(user__username="zhangsan").pk

    api.credentials(HTTP_AUTHORIZATION=f"Token {mine}")
    assert api.delete(f"{TOKENS_URL}{theirs_id}/").status_code == 404
    assert api.delete(f"{TOKENS_URL}{mine_id}/").status_code == 204
    api.credentials()

    assert calls_with(api, theirs) == 200
    assert calls_with(api, mine) == 401


def test_the_system_admin_lists_and_revokes_anyones_token(api, api_as, person, sysadmin):
    """GIVEN two people with tokens WHEN the 系统管理员 lists tokens (all, then one person's) and
    revokes one of them THEN they see everyone's, the filter narrows to that person, the token
    stops working and the audit event names the 系统管理员 as actor."""
    other = make_person(username="lisi")
    token = obtain(api, "zhangsan")
    obtain(api, "lisi")

    admin_api = api_as(sysadmin)
    everyone = admin_api.get(TOKENS_URL).json()
    only_lisi = admin_api.get(TOKENS_URL, {"person": other.pk}).json()
    target = ApiToken.objects.get(user=person.user)
    assert admin_api.delete(f"{TOKENS_URL}{target.pk}/").status_code == 204
    admin_api.force_authenticate(user=None)

    assert {row["username"] for row in everyone["results"]} == {"zhangsan", "lisi"}
    assert [row["person"] for row in only_lisi["results"]] == [other.pk]
    assert calls_with(api, token) == 401
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.actor_id == sysadmin.user_id and event.detail["holder"] == "zhangsan"


def test_a_bad_filter_on_the_list_is_a_400(api_as, sysadmin):
    """GIVEN the 系统管理员 WHEN they filter tokens by a person that is not a number, or by an
    unknown parameter THEN 400 naming the parameter."""
    admin_api = api_as(sysadmin)
    assert "person" in admin_api.get(TOKENS_URL, {"person": "x"}).json()["errors"]
    assert "holder" in admin_api.get(TOKENS_URL, {"holder": "1"}).json()["errors"]


def test_the_integration_token_command_prints_the_token_once_and_it_lasts_the_days(api, sysadmin, time_machine):
    """GIVEN an account for the 12345 hotline WHEN the 系统管理员 issues it a 30-day integration
    token from the command line THEN the token is printed once, carries the integration's name,
    works on day 29 and is refused on day 31; the issue is audited with the 系统管理员 as actor."""
    make_person(username="hotline", name="热线平台")
    time_machine.move_to(timezone.now(), tick=False)
    out = io.StringIO()

    call_command(
        "issue_integration_token", "hotline", "--name", "12345热线平台", "--days", "30", "--by", "admin1", stdout=out
    )

    output = out.getvalue()
    record = ApiToken.objects.get()
    secret = next(line for line in output.splitlines() if line.startswith(record.token_key))
    assert output.count(secret) == 1
    assert record.kind == ApiTokenKind.INTEGRATION and record.name == "12345热线平台"
    assert record.expiry == timezone.now() + timedelta(days=30)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUED)
    assert event.actor_id == sysadmin.user_id and event.detail["name"] == "12345热线平台"
    assert secret not in str(event.detail)

    time_machine.move_to(timezone.now() + timedelta(days=29), tick=False)
    assert calls_with(api, secret) == 200
    time_machine.move_to(timezone.now() + timedelta(days=2), tick=False)
    assert calls_with(api, secret) == 401


def test_the_integration_token_defaults_to_the_configured_days(settings):
    """GIVEN SHUNIU_INTEGRATION_TOKEN_DAYS=90 WHEN a token is issued without --days THEN it
    expires in 90 days."""
    settings.SHUNIU_INTEGRATION_TOKEN_DAYS = 90
    make_person(username="hotline")

    call_command("issue_integration_token", "hotline", "--name", "12345热线平台", stdout=io.StringIO())

    lifetime = ApiToken.objects.get().expiry - timezone.now()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)


def test_the_integration_token_command_refuses_what_it_must(person, sysadmin):
    """GIVEN an inactive account, an unknown one and a --by who is no 系统管理员 WHEN a token is
    asked for THEN the command fails with a Chinese message and issues nothing."""
    make_person(username="retired", active=False)
    cases = [
        (["retired", "--name", "旧系统"], "不能登录"),
        (["nobody", "--name", "某系统"], "没有用户名"),
        (["zhangsan", "--name", "某系统", "--by", "zhangsan"], "不是系统管理员"),
        (["zhangsan", "--name", "某系统", "--days", "0"], "至少为 1"),
        (["zhangsan", "--name", "   "], "必须写明所属系统"),
    ]
    for arguments, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("issue_integration_token", *arguments, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_account_page_lists_and_revokes_own_tokens(api, client, person):
    """GIVEN a person with a token, and another person with one WHEN the person opens 修改密码 and
    revokes theirs THEN the page lists their token by prefix only (never the secret, never the
    other person's), and after revoking it the token is refused and the page says so."""
    make_person(username="lisi")
    token = obtain(api, "zhangsan")
    obtain(api, "lisi")
    mine = ApiToken.objects.get(user=person.user)
    client.force_login(person.user)

    page = client.get("/password/").content.decode()
    assert "API 令牌" in page and f"{mine.prefix}…" in page
    assert token not in page and mine.digest not in page
    assert page.count("吊销") == 1
    expires = timezone.localtime(mine.expiry)
    assert f"{expires.year}年{expires.month}月{expires.day}日" in page  # Chinese dates, not 2026-12-02
    lisi_token = ApiToken.objects.get(user__username="lisi")
    assert client.post(f"/password/tokens/{lisi_token.pk}/revoke/").status_code == 404

    response = client.post(f"/password/tokens/{mine.pk}/revoke/", follow=True)

    assert "已吊销令牌" in response.content.decode()
    assert "您目前没有有效的 API 令牌" in response.content.decode()
    assert calls_with(api, token) == 401


def test_the_admin_shows_tokens_without_digest_and_only_revokes(api, client, person, sysadmin):
    """GIVEN a person's token WHEN the 系统管理员 opens the token admin THEN the list and the
    token's page show neither digest nor secret, adding is refused, and deleting revokes it
    (audited); a person without the role cannot open it at all."""
    token = obtain(api, "zhangsan")
    record = ApiToken.objects.get()
    client.force_login(sysadmin.user)

    listing = client.get("/admin/org/apitoken/").content.decode()
    detail = client.get(f"/admin/org/apitoken/{record.pk}/change/").content.decode()
    for page in (listing, detail):
        assert record.prefix in page
        assert record.digest not in page and token not in page
    assert client.get("/admin/org/apitoken/add/").status_code == 403
    assert client.post(f"/admin/org/apitoken/{record.pk}/delete/", {"post": "yes"}).status_code == 302

    assert calls_with(api, token) == 401
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.actor_id == sysadmin.user_id and event.detail["reason"] == "admin"
    client.force_login(person.user)
    assert client.get("/admin/org/apitoken/").status_code == 302  # not staff: to the admin login


def test_the_schema_declares_every_answer_of_the_token_routes(client):
    """GIVEN the OpenAPI schema WHEN another system reads the token routes THEN every answer is
    declared: 200/400/413/415/429 for a token, 200/400/401/404 (a page past the last) for the list,
    204/401/403/404 for revoking, 204/401 for logging out."""
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "413", "415", "429"}
    assert set(paths["/api/v1/auth/tokens/"]["get"]["responses"]) == {"200", "400", "401", "404"}
    assert set(paths["/api/v1/auth/tokens/{id}/"]["delete"]["responses"]) == {"204", "401", "403", "404"}
    assert set(paths["/api/v1/auth/logout/"]["post"]["responses"]) == {"204", "401"}
