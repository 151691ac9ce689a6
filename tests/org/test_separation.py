"""三员分立: the 系统管理员 keeps accounts, the 安全保密管理员 clearances, the 安全审计员 only reads;
nobody raises their own rights, from the API or the admin site."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org import services
from office.org.models import Person, Role
from tests.factories import PASSWORD, UnitFactory, make_person

pytestmark = pytest.mark.django_db


def _admin(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- The API -----------------------------------------------------------------------------------


def test_sysadmin_raises_no_clearance_anywhere(api_as, sysadmin, person):
    """GIVEN a 系统管理员 WHEN he raises someone's clearance, his own, or creates a person above
    内部 THEN 403 each time, nothing changes and no clearance event is written."""
    api = api_as(sysadmin)

    other = api.patch(f"/api/v1/org/people/{person.pk}/", {"clearance": "secret"}, format="json")
    own = api.patch(f"/api/v1/org/people/{sysadmin.pk}/", {"clearance": "top_secret"}, format="json")
    created = api.post(
        "/api/v1/org/people/",
        {"username": "newbie", "name": "新人", "unit": person.unit.pk, "clearance": "secret"},
        format="json",
    )

    assert [other.status_code, own.status_code, created.status_code] == [403, 403, 403]
    assert "安全保密管理员" in other.json()["detail"]
    assert Person.objects.get(pk=person.pk).clearance == Level.INTERNAL
    assert Person.objects.get(pk=sysadmin.pk).clearance == Level.INTERNAL
    assert not Person.objects.filter(user__username="newbie").exists()
    assert not _events(AuditAction.CLEARANCE)


def test_secadmin_changes_clearances_only_and_each_is_a_security_event(api_as, secadmin, person):
    """GIVEN a 安全保密管理员 WHEN he raises a person's clearance THEN it changes and the audit chain
    says who, from and to; WHEN he tries his own, a name, a unit, a role or a new account THEN 403."""
    api = api_as(secadmin)

    raised = api.patch(f"/api/v1/org/people/{person.pk}/", {"clearance": "secret"}, format="json")
    assert raised.status_code == 200, raised.json()
    [event] = _events(AuditAction.CLEARANCE)
    assert event.actor == secadmin.user and event.detail == {"from": "internal", "to": "secret"}

    refused = [
        api.patch(f"/api/v1/org/people/{secadmin.pk}/", {"clearance": "internal"}, format="json"),
        api.patch(f"/api/v1/org/people/{person.pk}/", {"name": "改名"}, format="json"),
        api.patch(f"/api/v1/org/people/{person.pk}/", {"unit": UnitFactory().pk}, format="json"),
        api.patch(f"/api/v1/org/people/{person.pk}/", {"roles": ["督查员"]}, format="json"),
        api.post(
            "/api/v1/org/people/",
            {"username": "x1", "name": "某", "unit": person.unit.pk, "clearance": "internal"},
            format="json",
        ),
        api.post("/api/v1/org/units/", {"name": "新机关", "code": "NEWORG", "kind": "organ"}, format="json"),
    ]
    assert [response.status_code for response in refused] == [403] * 6
    person.refresh_from_db()
    assert person.name == "张三" and not person.user.has_role(Role.SUPERVISOR)
    assert Person.objects.get(pk=secadmin.pk).clearance == Level.TOP_SECRET


def test_secadmin_cannot_grant_above_his_own_clearance(api_as, person):
    """GIVEN a 机密 安全保密管理员 WHEN he sets someone to 绝密 THEN 403 and nothing changes."""
    secret_admin = make_person(username="sa2", name="机密管理员", clearance=Level.SECRET, roles=(Role.SECURITY_ADMIN,))
    response = api_as(secret_admin).patch(
        f"/api/v1/org/people/{person.pk}/", {"clearance": "top_secret"}, format="json"
    )
    assert response.status_code == 403 and "高于本人" in response.json()["detail"]
    assert Person.objects.get(pk=person.pk).clearance == Level.INTERNAL


def test_auditor_changes_nothing(api_as, auditor, person):
    """GIVEN a 安全审计员 WHEN he changes a person or a unit THEN 403: he reads, he never writes."""
    api = api_as(auditor)
    responses = [
        api.patch(f"/api/v1/org/people/{person.pk}/", {"clearance": "secret"}, format="json"),
        api.patch(f"/api/v1/org/people/{auditor.pk}/", {"clearance": "top_secret"}, format="json"),
        api.patch(f"/api/v1/org/units/{person.unit.pk}/", {"name": "改"}, format="json"),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403]
    assert Person.objects.get(pk=auditor.pk).clearance == Level.SECRET


def test_administrator_roles_are_never_given_from_the_api(api_as, sysadmin, person):
    """GIVEN a 系统管理员 WHEN he gives someone (or a new account) an administrator role, or changes
    his own roles THEN 400/403 and nobody's roles change."""
    api = api_as(sysadmin)
    for role in ("安全保密管理员", "安全审计员", "系统管理员"):
        response = api.patch(f"/api/v1/org/people/{person.pk}/", {"roles": [role]}, format="json")
        assert response.status_code == 400 and "roles" in response.json()["errors"]
    created = api.post(
        "/api/v1/org/people/",
        {
            "username": "puppet",
            "name": "傀儡",
            "unit": person.unit.pk,
            "clearance": "internal",
            "roles": ["安全保密管理员"],
        },
        format="json",
    )
    own = api.patch(f"/api/v1/org/people/{sysadmin.pk}/", {"roles": ["系统管理员", "领导"]}, format="json")

    assert created.status_code == 400 and not Person.objects.filter(user__username="puppet").exists()
    assert own.status_code == 403
    assert Person.objects.get(pk=person.pk).user.groups.filter(name__in=Role.values).count() == 0
    assert not Person.objects.get(pk=sysadmin.pk).user.has_role(Role.LEADER)


def test_the_administrators_accounts_are_out_of_each_others_reach(api_as, sysadmin, secadmin, auditor):
    """GIVEN the three administrators WHEN the 系统管理员 deactivates or moves the other two, or the
    安全保密管理员 lowers the 审计员's clearance THEN 403: their accounts are the command line's."""
    responses = [
        api_as(sysadmin).patch(f"/api/v1/org/people/{secadmin.pk}/", {"active": False}, format="json"),
        api_as(sysadmin).patch(f"/api/v1/org/people/{auditor.pk}/", {"unit": UnitFactory().pk}, format="json"),
        api_as(secadmin).patch(f"/api/v1/org/people/{auditor.pk}/", {"clearance": "internal"}, format="json"),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403]
    assert "命令行" in responses[0].json()["detail"]
    assert Person.objects.get(pk=secadmin.pk).user.is_active


def test_role_and_unit_changes_are_security_events(api_as, sysadmin, person):
    """GIVEN a 系统管理员 WHEN he gives a business role and moves a person THEN both are in the chain."""
    target = UnitFactory()
    response = api_as(sysadmin).patch(
        f"/api/v1/org/people/{person.pk}/", {"roles": ["督查员"], "unit": target.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    [role] = _events(AuditAction.ROLE)
    [moved] = _events(AuditAction.UNIT_CHANGE)
    assert role.detail == {"from": [], "to": ["督查员"]} and role.actor == sysadmin.user
    assert moved.detail == {"from": person.unit_id, "to": target.pk}


def test_the_three_roles_exclude_each_other(sysadmin, secadmin):
    """GIVEN a 系统管理员 WHEN anyone (even the command line) gives him a second administrator role
    THEN it is refused and he keeps only his own."""
    with pytest.raises(ValidationError, match="三员分立"):
        services.administrator_assign(user=sysadmin.user, role=Role.AUDITOR)
    with pytest.raises(ValidationError):
        make_person(username="both", roles=(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN))
    sysadmin.user.__dict__.pop("_role_names", None)
    assert sysadmin.user.has_role(Role.SYSTEM_ADMIN) and not sysadmin.user.has_role(Role.AUDITOR)


def test_the_command_line_sets_up_the_administrators(person, capsys):
    """GIVEN the break-glass command WHEN it creates an auditor and gives a person the 安全保密管理员
    role THEN both hold their role, the secadmin may use the admin site, and the list says so."""
    call_command(
        "administrator", "create", "shenji", "--name", "审计甲", "--unit", person.unit.code,
        "--role", "安全审计员", "--password", "Audit-pass-2026",
    )  # fmt: skip
    call_command("administrator", "assign", "zhangsan", "安全保密管理员")
    call_command("administrator", "list")

    auditor = Person.objects.get(user__username="shenji")
    assert auditor.user.has_role(Role.AUDITOR) and not auditor.user.is_staff
    person.user.refresh_from_db()
    assert person.user.has_role(Role.SECURITY_ADMIN) and person.user.is_staff
    out = capsys.readouterr().out
    assert "审计甲（shenji）" in out and "张三（zhangsan）" in out
    assert _events(AuditAction.ROLE)[-1].detail["by"] == "command line"


def test_the_command_line_refuses_a_weak_password_and_creates_nothing(person):
    """GIVEN the break-glass command WHEN it is given a password the validators refuse THEN it stops
    with the validators' message and no account exists."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="密码"):
        call_command(
            "administrator", "create", "weakadmin", "--name", "弱", "--unit", person.unit.code,
            "--role", "系统管理员", "--password", "12345678",
        )  # fmt: skip
    assert not Person.objects.filter(user__username="weakadmin").exists()


def test_a_superuser_cannot_log_in_from_a_page_or_the_api(client, api, person):
    """GIVEN a Django superuser WHEN he signs in on the login page or asks for a token THEN refused:
    the superuser is break-glass from the command line only."""
    person.user.is_superuser = True
    person.user.save(update_fields=["is_superuser"])

    page = client.post("/login/", {"username": "zhangsan", "password": PASSWORD})
    token = api.post("/api/v1/auth/token/", {"username": "zhangsan", "password": PASSWORD}, format="json")

    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert token.status_code == 400


# --- The admin site ----------------------------------------------------------------------------


def _person_form(person, **changes) -> dict:
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "post": person.post,
        "phone": person.phone,
        "email": person.email,
        "active": "on",
    }
    data.update(changes)
    return data


def test_admin_person_form_leaves_clearance_to_the_secadmin(sysadmin, secadmin, person):
    """GIVEN the person form WHEN the 系统管理员 opens it THEN the clearance is shown but not an input;
    WHEN he posts a clearance anyway THEN it is ignored. WHEN the 安全保密管理员 opens it THEN the
    clearance is his only input, and his change is written to the audit chain."""
    url = f"/admin/org/person/{person.pk}/change/"
    sysadmin_page = _admin(sysadmin).get(url).content.decode()
    assert 'name="clearance"' not in sysadmin_page and 'name="name"' in sysadmin_page

    posted = _admin(sysadmin).post(url, _person_form(person, post="副科长", clearance=Level.TOP_SECRET))
    assert posted.status_code == 302, posted.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.post == "副科长" and person.clearance == Level.INTERNAL

    secadmin_page = _admin(secadmin).get(url).content.decode()
    assert (
        'name="clearance"' in secadmin_page
        and 'name="name"' not in secadmin_page
        and 'name="unit"' not in secadmin_page
    )
    posted = _admin(secadmin).post(url, {"clearance": Level.SECRET, "name": "改名"})
    assert posted.status_code == 302
    person.refresh_from_db()
    assert person.clearance == Level.SECRET and person.name == "张三"
    assert _events(AuditAction.CLEARANCE)[-1].actor == secadmin.user


def test_admin_refuses_own_clearance_and_own_roles(sysadmin, secadmin):
    """GIVEN the admin site WHEN the 安全保密管理员 opens his own person form THEN no clearance input;
    posting one changes nothing. The 系统管理员's own form offers no unit or roles."""
    own = f"/admin/org/person/{secadmin.pk}/change/"
    assert 'name="clearance"' not in _admin(secadmin).get(own).content.decode()
    _admin(secadmin).post(own, {"clearance": Level.PUBLIC})
    assert Person.objects.get(pk=secadmin.pk).clearance == Level.TOP_SECRET

    page = _admin(sysadmin).get(f"/admin/org/person/{sysadmin.pk}/change/").content.decode()
    assert 'name="unit"' not in page and 'name="roles"' not in page and 'name="phone"' in page


def test_admin_login_form_cannot_make_anyone_superuser_or_staff(sysadmin, person):
    """GIVEN the login (User) form WHEN the 系统管理员 posts is_superuser, is_staff and groups for
    himself and for someone else THEN nobody's rights change."""
    client = _admin(sysadmin)
    for target in (sysadmin, person):
        url = f"/admin/org/user/{target.user.pk}/change/"
        page = client.get(url).content.decode()
        assert 'name="is_superuser"' not in page and 'name="groups"' not in page
        client.post(url, {"username": target.user.username, "is_superuser": "on", "is_staff": "on", "groups": [1]})
        target.user.refresh_from_db()
        assert not target.user.is_superuser
    assert not person.user.is_staff
    assert client.get("/admin/org/user/add/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_admin_password_reset_goes_to_the_audit_chain(sysadmin, person, secadmin):
    """GIVEN the 系统管理员 WHEN he sets a person's password THEN the new one works and the chain says
    so; the password page of another administrator, or his own, is a 404."""
    client = _admin(sysadmin)
    response = client.post(
        f"/admin/org/user/{person.user.pk}/password/",
        {"password1": "Fresh-pass-2026!", "password2": "Fresh-pass-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert Client().login(username="zhangsan", password="Fresh-pass-2026!")
    [event] = _events(AuditAction.PASSWORD_SET)
    assert event.actor == sysadmin.user and event.object_id == str(person.pk)

    assert client.get(f"/admin/org/user/{secadmin.user.pk}/password/").status_code == 404
    assert client.get(f"/admin/org/user/{sysadmin.user.pk}/password/").status_code == 404


def test_admin_creates_a_person_through_the_service(sysadmin):
    """GIVEN the 系统管理员 WHEN he adds a person with a business role on the admin site THEN the
    login and person exist with 内部 clearance, the role, and an account event."""
    unit = UnitFactory()
    response = _admin(sysadmin).post(
        "/admin/org/person/add/",
        {
            "username": "qianqi",
            "password": "Start-pass-2026!",
            "name": "钱七",
            "unit": unit.pk,
            "post": "科员",
            "phone": "",
            "email": "",
            "roles": ["承办人"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(user__username="qianqi")
    assert person.clearance == Level.INTERNAL and person.user.has_role(Role.HANDLER)
    assert _events(AuditAction.ACCOUNT)[-1].detail["change"] == "created"


def test_the_auditor_has_no_admin_site(auditor):
    """GIVEN a 安全审计员 WHEN he opens the admin site THEN he is sent to its login: not staff."""
    assert _admin(auditor).get("/admin/").status_code == 302


def test_a_security_officer_cannot_let_himself_into_a_records_scope(security_officer_world):
    """GIVEN a 保密员 who keeps a 机密 record's register but is outside its scope WHEN he grants it to
    himself or his own unit THEN refused, and he still cannot read it."""
    from django.core.exceptions import PermissionDenied

    from office.confidentiality import services as secrecy
    from office.confidentiality.models import Carrier

    officer, record = security_officer_world
    for target in ({"person": officer}, {"unit": officer.unit}):
        with pytest.raises(PermissionDenied):
            secrecy.grant(actor=officer.user, record=record, reason="想看", **target)
    assert not Carrier.objects.visible_to(officer.user).filter(pk=record.pk).exists()


@pytest.fixture
def security_officer_world(db):
    from office.confidentiality import services as secrecy

    organ = UnitFactory().parent
    owner_unit = UnitFactory(parent=organ)
    officer_unit = UnitFactory(parent=organ)
    owner = make_person(username="owner1", unit=owner_unit, clearance=Level.SECRET)
    officer = make_person(username="so1", unit=officer_unit, clearance=Level.SECRET, roles=(Role.SECURITY_OFFICER,))
    record = secrecy.carrier_register(actor=owner.user, **_carrier_fields(owner_unit))
    return officer, record


def _carrier_fields(unit) -> dict:
    return {"title": "机密载体", "level": Level.SECRET, "unit": unit, "basis": "定密依据"}


def test_no_page_or_api_shows_the_sysadmin_a_token(api, api_as, sysadmin, person):
    """GIVEN the mayor-like person holding a live token WHEN the 系统管理员 looks for it on the admin
    site (the old plain-text token list included) and in the API THEN the secret is nowhere."""
    token = api.post("/api/v1/auth/token/", {"username": "zhangsan", "password": PASSWORD}, format="json")
    secret = token.json()["token"]
    client = _admin(sysadmin)

    pages = [
        client.get("/admin/authtoken/tokenproxy/"),
        client.get("/admin/org/apitoken/"),
        client.get(f"/admin/org/user/{person.user.pk}/change/"),
    ]
    listed = api_as(sysadmin).get("/api/v1/auth/tokens/", {"person": person.pk})

    assert pages[0].status_code == 404
    assert all(secret not in page.content.decode() for page in pages)
    assert listed.status_code == 200 and secret not in listed.content.decode()


def test_the_auditor_reads_what_the_other_two_administrators_did(api_as):
    """GIVEN the three administrators of one organ WHEN the 系统管理员 moves a person and the
    安全保密管理员 raises her clearance THEN the 安全审计员's access log lists both, naming who did
    them — and neither of the other two reads the log at all."""
    section = UnitFactory()
    organ_unit = UnitFactory(parent=section.parent)
    admin = make_person(username="sa-x", name="系统甲", unit=section, roles=(Role.SYSTEM_ADMIN,))
    security = make_person(
        username="se-x", name="安全乙", unit=section, clearance=Level.TOP_SECRET, roles=(Role.SECURITY_ADMIN,)
    )
    auditor = make_person(username="au-x", name="审计丙", unit=section, clearance=Level.SECRET, roles=(Role.AUDITOR,))
    clerk = make_person(username="clerk-x", name="科员丁", unit=section)

    api_as(admin).patch(f"/api/v1/org/people/{clerk.pk}/", {"unit": organ_unit.pk}, format="json")
    api_as(security).patch(f"/api/v1/org/people/{clerk.pk}/", {"clearance": "secret"}, format="json")

    log = api_as(auditor).get("/api/v1/confidentiality/access-logs/?page_size=200")
    assert log.status_code == 200
    done = {(row["action"], row["actor_name"]) for row in log.json()["results"]}
    assert {("unit_change", admin.name), ("clearance", security.name)} <= done
    for other in (admin, security):
        assert api_as(other).get("/api/v1/confidentiality/access-logs/").status_code in (403, 404)
