"""The leak matrix: who sees which classified record, through every read path."""

import pytest
from django.contrib.auth.models import AnonymousUser

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent, Carrier
from tests.confidentiality.leaks import assert_api_visible, assert_pages_visible, assert_visible
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/confidentiality/carriers/"
PAGE_URL = "/confidentiality/carriers/{pk}/"


@pytest.fixture
def world(organ_a, security_officer, register):
    """Two organs. In 甲机关: sections S1 and S2; in 乙机关: T1 and T2. Records of every kind of scope."""
    s1, s2 = UnitFactory(parent=organ_a, name="S1"), UnitFactory(parent=organ_a, name="S2")
    organ_b = OrganFactory(name="乙机关")
    t1, t2 = UnitFactory(parent=organ_b, name="T1"), UnitFactory(parent=organ_b, name="T2")
    registrar_a = make_person(username="reg_a", unit=organ_a, clearance=Level.TOP_SECRET)
    registrar_b = make_person(username="reg_b", unit=t1, clearance=Level.TOP_SECRET)
    people = {
        "low": make_person(username="low", unit=s1, clearance=Level.INTERNAL),
        "s1_member": make_person(username="s1m", unit=s1, clearance=Level.SECRET),
        "owner": make_person(username="owner", unit=s1, clearance=Level.SECRET),
        "s2_member": make_person(username="s2m", unit=s2, clearance=Level.SECRET),
        "outsider": make_person(username="out", unit=t2, clearance=Level.TOP_SECRET),
        "granted": make_person(username="granted", unit=t2, clearance=Level.SECRET),
        "top": make_person(username="top", unit=s1, clearance=Level.TOP_SECRET),
    }
    r = {
        "public": register(registrar_a, level=Level.PUBLIC, unit=s1, title="公开"),
        "internal": register(registrar_a, level=Level.INTERNAL, unit=s2, title="内部"),
        "conf_s1": register(registrar_a, level=Level.CONFIDENTIAL, unit=s1, title="秘密S1"),
        "secret_own": register(people["owner"], level=Level.SECRET, unit=s2, title="机密自登记"),
        "to_person": register(registrar_b, level=Level.SECRET, unit=t1, title="授予个人"),
        "to_unit": register(registrar_b, level=Level.SECRET, unit=t1, title="授予单位"),
        "revoked": register(registrar_b, level=Level.CONFIDENTIAL, unit=t1, title="已撤销"),
        "top": register(registrar_a, level=Level.TOP_SECRET, unit=s1, title="绝密"),
        "b_internal": register(registrar_b, level=Level.INTERNAL, unit=t1, title="乙内部"),
    }
    services.grant(actor=registrar_b.user, record=r["to_person"], person=people["granted"], reason="工作需要")
    services.grant(actor=registrar_b.user, record=r["to_unit"], unit=s2, reason="工作需要")
    services.grant(actor=registrar_b.user, record=r["revoked"], person=people["granted"], reason="工作需要")
    services.revoke(actor=registrar_b.user, record=r["revoked"], person=people["granted"], reason="工作需要")
    return people, r


EXPECTED = {
    "low": ["public", "internal"],  # clearance too low for S1's 秘密 record
    "s1_member": ["public", "internal", "conf_s1"],  # unit member; not 绝密 (clearance)
    "owner": ["public", "internal", "conf_s1", "secret_own"],  # creator of a record held by S2
    "s2_member": ["public", "internal", "secret_own", "to_unit"],  # unit member + unit grant
    "outsider": ["b_internal"],  # another organ: only its own internal record
    "granted": ["b_internal", "to_person"],  # person grant; the revoked one is gone
    "top": ["public", "internal", "conf_s1", "top"],
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_queryset_matrix(world, who):
    """GIVEN records of every scope WHEN each person's visible set is read THEN it is exactly
    what clearance and 知悉范围 allow (the failure names the leaked ids)."""
    people, records = world
    expected = [records[name] for name in EXPECTED[who]]
    assert_visible(Carrier.objects.visible_to(people[who].user), expected=expected, universe=records.values(), who=who)


def test_anonymous_and_logins_without_a_person_see_nothing(world, django_user_model):
    """GIVEN the same records WHEN an anonymous caller, a bare superuser without a Person, or a
    deactivated person asks THEN nothing is visible (no exemption for superusers)."""
    people, records = world
    root = django_user_model.objects.create_superuser("root", password="x-very-long-password")
    leaver = people["top"].user
    leaver.is_active = False
    leaver.save()
    for who, user in {"anonymous": AnonymousUser(), "superuser": root, "inactive": leaver}.items():
        assert_visible(Carrier.objects.visible_to(user), expected=[], universe=records.values(), who=who)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_api_list_and_detail_matrix(world, api_as, who):
    """GIVEN the records WHEN each person lists and opens them through the API THEN the list holds
    exactly their records and every other detail is a 404, never a 403."""
    people, records = world
    expected = [records[name] for name in EXPECTED[who]]
    assert_api_visible(api_as(people[who]), LIST_URL, expected=expected, universe=records.values(), who=who)


@pytest.mark.parametrize("who", ["low", "s2_member", "granted"])
def test_page_matrix(world, client, who):
    """GIVEN the records WHEN a person opens each detail page THEN only their records open; the rest are 404."""
    people, records = world
    client.force_login(people[who].user)
    expected = [records[name] for name in EXPECTED[who]]
    assert_pages_visible(client, PAGE_URL, expected=expected, universe=records.values(), who=who)


def test_api_refuses_anonymous_callers(world, api):
    """GIVEN the records WHEN nobody is logged in THEN the list is 401 and reveals nothing."""
    _people, records = world
    response = api.get(LIST_URL)
    assert response.status_code == 401
    assert "results" not in response.json()
    assert api.get(f"{LIST_URL}{records['public'].pk}/").status_code == 401


def test_a_miss_on_a_hidden_record_is_logged_as_denied(world, api_as):
    """GIVEN a 机密 record outside a person's scope WHEN they ask for it by id THEN 404, and the
    attempt is a `denied` event in the security log."""
    people, records = world
    target = records["to_person"]
    response = api_as(people["outsider"]).get(f"{LIST_URL}{target.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action=AuditAction.DENIED).latest("id")
    assert event.actor == people["outsider"].user and event.object_id == str(target.pk)


def test_reading_a_classified_record_writes_an_access_log_row(world, api_as):
    """GIVEN a 机密 record and an 内部 one WHEN a person in scope reads both THEN only the
    classified read is logged, with who, what and from where."""
    people, records = world
    client = api_as(people["owner"])
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()

    client.get(f"{LIST_URL}{records['internal'].pk}/", REMOTE_ADDR="10.1.2.3")
    client.get(f"{LIST_URL}{records['secret_own'].pk}/", REMOTE_ADDR="10.1.2.3")

    views = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id")[before:]
    assert [(e.object_id, e.actor_id, e.ip_address) for e in views] == [
        (str(records["secret_own"].pk), people["owner"].user.pk, "10.1.2.3")
    ]


def test_a_grant_never_lifts_anyone_above_their_clearance(world, security_officer):
    """GIVEN a 绝密 record WHEN it is granted to a person cleared only for 机密 THEN the grant is
    refused; granted to their unit, they still do not see it."""
    from django.core.exceptions import ValidationError

    people, records = world
    with pytest.raises(ValidationError):
        services.grant(
            actor=security_officer.user, record=records["top"], person=people["s2_member"], reason="工作需要"
        )
    services.grant(actor=security_officer.user, record=records["top"], unit=people["s2_member"].unit, reason="工作需要")
    assert not Carrier.objects.visible_to(people["s2_member"].user).filter(pk=records["top"].pk).exists()


def test_only_the_owner_or_a_security_officer_may_change_the_scope(world, api_as):
    """GIVEN a record WHEN a person who merely sees it tries to grant it onward THEN 403 and the
    scope is unchanged."""
    people, records = world
    response = api_as(people["s2_member"]).post(
        f"{LIST_URL}{records['secret_own'].pk}/grant/", {"person": people["outsider"].pk}, format="json"
    )
    assert response.status_code == 403
    assert not Carrier.objects.visible_to(people["outsider"].user).filter(pk=records["secret_own"].pk).exists()


def test_grants_and_revocations_are_security_events(world, api_as, security_officer):
    """GIVEN a 保密员 WHEN they grant and revoke through the API THEN both are logged with the reason."""
    people, records = world
    client = api_as(security_officer)
    target = records["conf_s1"]
    url = f"{LIST_URL}{target.pk}/"

    assert (
        client.post(f"{url}grant/", {"person": people["s2_member"].pk, "reason": "会办"}, format="json").status_code
        == 204
    )
    assert Carrier.objects.visible_to(people["s2_member"].user).filter(pk=target.pk).exists()
    assert (
        client.post(f"{url}revoke/", {"person": people["s2_member"].pk, "reason": "办结"}, format="json").status_code
        == 204
    )
    assert not Carrier.objects.visible_to(people["s2_member"].user).filter(pk=target.pk).exists()

    actions = list(
        AuditEvent.objects.filter(object_id=str(target.pk)).order_by("-id").values_list("action", "detail")[:2]
    )
    assert [a for a, _d in actions] == [AuditAction.REVOKE, AuditAction.GRANT]
    assert actions[0][1]["reason"] == "办结" and actions[1][1]["reason"] == "会办"


def test_unit_grants_reach_the_sections_below_the_unit(world, register):
    """GIVEN a record granted to an organ WHEN a cleared person in one of its sections asks THEN they see it."""
    people, _records = world
    registrar_b = make_person(username="reg_b2", unit=UnitFactory(), clearance=Level.SECRET)
    record = register(registrar_b, level=Level.CONFIDENTIAL)
    organ_a = people["s1_member"].unit.parent
    services.grant(actor=registrar_b.user, record=record, unit=organ_a, reason="工作需要")
    assert Carrier.objects.visible_to(people["s1_member"].user).filter(pk=record.pk).exists()
    assert not Carrier.objects.visible_to(people["low"].user).filter(pk=record.pk).exists()


def test_moving_a_person_to_another_unit_moves_their_scope(world, sysadmin):
    """GIVEN an S2 member who sees S2's records WHEN the administrator moves them to S1 THEN they
    see S1's records instead."""
    from office.org import services as org_services

    people, records = world
    member = people["s2_member"]
    org_services.person_update(actor=sysadmin.user, person=member, unit=people["s1_member"].unit)
    fresh_login = type(member.user).objects.get(pk=member.user.pk)  # as the next request loads it
    visible = set(Carrier.objects.visible_to(fresh_login).values_list("pk", flat=True))
    assert records["conf_s1"].pk in visible and records["to_unit"].pk not in visible


def test_a_scope_change_needs_a_reason(world, api_as, security_officer):
    """GIVEN a 保密员 WHEN they grant without a reason THEN 400 on reason and the scope is unchanged."""
    people, records = world
    response = api_as(security_officer).post(
        f"{LIST_URL}{records['conf_s1'].pk}/grant/", {"person": people["s2_member"].pk}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert not Carrier.objects.visible_to(people["s2_member"].user).filter(pk=records["conf_s1"].pk).exists()


def test_organisation_wide_figures_need_the_explicit_permission(world):
    """GIVEN a leader and a superuser without a person WHEN asked whether they may see organ-wide
    figures THEN only a person holding view_global_statistics may — not a role, not is_staff."""
    from django.contrib.auth.models import Permission

    from office.confidentiality.visibility import can_view_global_statistics

    people, _records = world
    leader = people["top"].user
    assert not can_view_global_statistics(leader)
    leader.user_permissions.add(Permission.objects.get(codename="view_global_statistics"))
    leader = type(leader).objects.get(pk=leader.pk)  # permissions are cached per instance
    assert can_view_global_statistics(leader)


def test_an_organs_scope_stops_at_the_organs_below_it(register):
    """GIVEN a city government (organ) with its office (a department) and a bureau (an organ of its
    own) beneath it, and a 秘密 record held by the government itself WHEN a cleared person of the
    office and a cleared person of the bureau ask THEN the office's sees it, the bureau's does not."""
    city = OrganFactory(name="市政府")
    office_unit = UnitFactory(parent=city, name="市政府办公室", kind="department")
    bureau = OrganFactory(name="市商务局", parent=city)
    registrar = make_person(username="city_reg", unit=city, clearance=Level.SECRET)
    record = register(registrar, level=Level.CONFIDENTIAL, unit=city)
    office_person = make_person(username="city_office", unit=office_unit, clearance=Level.SECRET)
    bureau_person = make_person(username="bureau_staff", unit=UnitFactory(parent=bureau), clearance=Level.SECRET)

    assert Carrier.objects.visible_to(office_person.user).filter(pk=record.pk).exists()
    assert not Carrier.objects.visible_to(bureau_person.user).filter(pk=record.pk).exists()
