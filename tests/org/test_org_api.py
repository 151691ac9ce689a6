"""``/api/v1/org/``: everyone logged in reads the directory; only 系统管理员 change it."""

import pytest

from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db


def test_everyone_logged_in_reads_units_and_people(api_as, person):
    """GIVEN an ordinary person WHEN they list units and people THEN they see the directory."""
    other = make_person(username="lisi", name="李四", clearance=Level.SECRET, roles=(Role.SUPERVISOR,))
    client = api_as(person)

    units = client.get("/api/v1/org/units/").json()["results"]
    people = client.get("/api/v1/org/people/").json()["results"]

    assert {unit["code"] for unit in units} >= {person.unit.code, other.unit.code}
    lisi = next(p for p in people if p["username"] == "lisi")
    assert lisi["name"] == "李四"
    assert lisi["clearance"] == "secret" and lisi["clearance_label"] == "机密"
    assert lisi["roles"] == ["督查员"]
    assert "password" not in lisi


def test_ordinary_people_cannot_write(api_as, person):
    """GIVEN a person without the 系统管理员 role WHEN they create or change units or people
    THEN 403 and nothing changes."""
    client = api_as(person)
    organ = person.unit.parent

    create = client.post(
        "/api/v1/org/units/", {"name": "新科", "code": "NEW", "kind": "section", "parent": organ.pk}, format="json"
    )
    rename = client.patch(f"/api/v1/org/units/{person.unit.pk}/", {"name": "改名"}, format="json")
    promote = client.patch(f"/api/v1/org/people/{person.pk}/", {"clearance": "top_secret"}, format="json")

    assert [create.status_code, rename.status_code, promote.status_code] == [403, 403, 403]
    assert not Unit.objects.filter(code="NEW").exists()
    person.refresh_from_db()
    person.unit.refresh_from_db()
    assert person.unit.name != "改名" and person.clearance == Level.INTERNAL


def test_anonymous_callers_get_nothing(api):
    """GIVEN no credentials WHEN listing the directory THEN 401."""
    assert api.get("/api/v1/org/units/").status_code == 401
    assert api.get("/api/v1/org/people/").status_code == 401


def test_system_admin_creates_a_unit_under_an_organ(api_as, sysadmin):
    """GIVEN a 系统管理员 WHEN they create a section under an organ THEN it exists, belongs to that organ."""
    organ = OrganFactory(name="临江市商务局")

    response = api_as(sysadmin).post(
        "/api/v1/org/units/",
        {"name": "电子商务科", "short_name": "电商科", "code": "SWJ-DS", "kind": "section", "parent": organ.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    unit = Unit.objects.get(code="SWJ-DS")
    assert unit.organ == organ and response.json()["organ"] == organ.pk


def test_system_admin_creates_and_updates_a_person(api_as, sysadmin, secadmin, client):
    """GIVEN a 系统管理员 WHEN they create a person with roles and a password, the 安全保密管理员
    raises the clearance, and the 系统管理员 deactivates them THEN the person exists as said and
    can no longer log in."""
    unit = UnitFactory()
    api = api_as(sysadmin)

    created = api.post(
        "/api/v1/org/people/",
        {
            "username": "wangwu",
            "name": "王五",
            "unit": unit.pk,
            "post": "科员",
            "clearance": "internal",
            "roles": ["承办人"],
            "password": "Strong-pass-2026",
            "phone": "0571-86100999",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    person = Person.objects.get(user__username="wangwu")
    assert person.clearance == Level.INTERNAL and person.user.has_role(Role.HANDLER)
    assert client.login(username="wangwu", password="Strong-pass-2026")

    raised = api_as(secadmin).patch(f"/api/v1/org/people/{person.pk}/", {"clearance": "secret"}, format="json")
    assert raised.status_code == 200, raised.json()
    changed = api_as(sysadmin).patch(f"/api/v1/org/people/{person.pk}/", {"active": False}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["clearance"] == "secret" and changed.json()["active"] is False
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.clearance == Level.SECRET and not person.user.is_active
    assert not client.login(username="wangwu", password="Strong-pass-2026")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "甲", "code": "X1", "kind": "bureau"}, "kind"),
        ({"name": "甲", "code": "X1", "kind": "section"}, "parent"),
        ({"code": "X1", "kind": "organ"}, "name"),
        ({"name": "甲", "code": "X1", "kind": "organ", "colour": "red"}, "colour"),
        ({"name": "甲", "code": "X1", "kind": "organ", "organ": 1}, "organ"),
    ],
)
def test_bad_unit_input_gives_400_with_field_errors_and_stores_nothing(api_as, sysadmin, payload, field):
    """GIVEN a 系统管理员 WHEN the unit is malformed (bad choice, a section without parent,
    missing name, an unknown or read-only field) THEN 400 names the field and nothing is stored."""
    before = Unit.objects.count()

    response = api_as(sysadmin).post("/api/v1/org/units/", payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"], body
    assert Unit.objects.count() == before


def test_duplicate_unit_code_is_refused(api_as, sysadmin):
    """GIVEN a unit code in use WHEN another unit is created with it THEN 400 on code."""
    existing = UnitFactory()
    response = api_as(sysadmin).post(
        "/api/v1/org/units/", {"name": "重复", "code": existing.code, "kind": "organ"}, format="json"
    )
    assert response.status_code == 400 and "code" in response.json()["errors"]


def test_a_unit_cannot_become_its_own_descendant(api_as, sysadmin):
    """GIVEN an organ with a section WHEN the organ is moved under that section THEN 400, tree unchanged."""
    section = UnitFactory()
    organ = section.parent
    organ.kind = "department"
    organ.parent = OrganFactory()
    organ.save()

    response = api_as(sysadmin).patch(f"/api/v1/org/units/{organ.pk}/", {"parent": section.pk}, format="json")

    assert response.status_code == 400 and "parent" in response.json()["errors"]
    organ.refresh_from_db()
    assert organ.parent_id != section.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"clearance": "ultra"}, "clearance"),
        ({"roles": ["国王"]}, "roles"),
        ({"username": "renamed"}, "username"),
        ({"is_superuser": True}, "is_superuser"),
        ({"unit": 999999}, "unit"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_person_changes_give_400_and_change_nothing(api_as, sysadmin, person, payload, field):
    """GIVEN a 系统管理员 WHEN a change is malformed (unknown level or role, renaming the login,
    an unknown field, a missing unit, a bad email) THEN 400 names the field, the person is unchanged."""
    before = Person.objects.filter(pk=person.pk).values().get()

    response = api_as(sysadmin).patch(f"/api/v1/org/people/{person.pk}/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert Person.objects.filter(pk=person.pk).values().get() == before
    person.user.refresh_from_db()
    assert person.user.username == "zhangsan" and not person.user.is_superuser


def test_duplicate_username_is_refused(api_as, sysadmin, person):
    """GIVEN a username in use WHEN another person is created with it THEN 400 on username."""
    response = api_as(sysadmin).post(
        "/api/v1/org/people/",
        {"username": "zhangsan", "name": "另一个张三", "unit": person.unit.pk, "clearance": "internal"},
        format="json",
    )
    assert response.status_code == 400 and "username" in response.json()["errors"]
    assert Person.objects.filter(name="另一个张三").count() == 0


def test_nothing_is_ever_deleted(api_as, sysadmin, person):
    """GIVEN a 系统管理员 WHEN they DELETE a unit or a person THEN 405: deactivate instead."""
    client = api_as(sysadmin)
    assert client.delete(f"/api/v1/org/units/{person.unit.pk}/").status_code == 405
    assert client.delete(f"/api/v1/org/people/{person.pk}/").status_code == 405
    assert Person.objects.filter(pk=person.pk).exists()


def test_list_queries_do_not_grow_with_the_number_of_people(api_as, person, django_assert_max_num_queries):
    """GIVEN 40 people WHEN the people list is read THEN a fixed handful of queries answers it."""
    unit = person.unit
    for i in range(40):
        make_person(username=f"p{i}", unit=unit, roles=(Role.HANDLER,))
    client = api_as(person)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/org/people/", {"page_size": 100})
    assert len(response.json()["results"]) == 41


def test_filters(api_as, person):
    """GIVEN people in two units WHEN filtering by unit, role and name THEN only matches come back."""
    supervisor = make_person(username="dc", name="督查甲", roles=(Role.SUPERVISOR,))
    client = api_as(person)

    by_unit = client.get("/api/v1/org/people/", {"unit": supervisor.unit.pk}).json()["results"]
    by_role = client.get("/api/v1/org/people/", {"role": "督查员"}).json()["results"]
    by_name = client.get("/api/v1/org/people/", {"q": "督查"}).json()["results"]
    bad = client.get("/api/v1/org/people/", {"role": "国王"})

    assert [p["username"] for p in by_unit] == ["dc"]
    assert [p["username"] for p in by_role] == ["dc"]
    assert [p["username"] for p in by_name] == ["dc"]
    assert bad.status_code == 400


def test_a_person_created_inactive_cannot_log_in(api_as, sysadmin, client):
    """GIVEN a 系统管理员 WHEN they create a person with ``active: false`` THEN the login exists,
    is inactive from the start, and says so."""
    api = api_as(sysadmin)

    created = api.post(
        "/api/v1/org/people/",
        {
            "username": "zhaoliu",
            "name": "赵六",
            "unit": UnitFactory().pk,
            "clearance": "internal",
            "password": "Strong-pass-2026",
            "active": False,
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["active"] is False
    assert not Person.objects.get(user__username="zhaoliu").user.is_active
    assert not client.login(username="zhaoliu", password="Strong-pass-2026")


def test_a_weak_initial_password_is_refused_and_nothing_is_created(api_as, sysadmin, client):
    """GIVEN a 系统管理员 WHEN he creates a person with a password the validators refuse (too short,
    all digits) on the API or the admin site THEN 400 / an error naming the password, and no login
    or person exists."""
    unit = UnitFactory()
    response = api_as(sysadmin).post(
        "/api/v1/org/people/",
        {"username": "weak1", "name": "弱一", "unit": unit.pk, "clearance": "internal", "password": "12345678"},
        format="json",
    )
    client.force_login(sysadmin.user)
    page = client.post(
        "/admin/org/person/add/",
        {"username": "weak2", "password": "123", "name": "弱二", "unit": unit.pk, "active": "on"},
        follow=True,
    )

    assert response.status_code == 400 and "password" in response.json()["errors"]
    assert "密码" in page.content.decode()
    assert not Person.objects.filter(user__username__in=["weak1", "weak2"]).exists()
