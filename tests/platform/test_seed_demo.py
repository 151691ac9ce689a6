"""``manage.py seed_demo``: the demo office, loaded once however often it runs."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent, Carrier, ClassifiedCopy
from office.org.models import Person, Role, Unit, UnitKind, User
from office.reminders.models import Deadline

pytestmark = pytest.mark.django_db

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


def _snapshot():
    return (
        list(Unit.objects.order_by("code").values()),
        list(Person.objects.order_by("id").values()),
        list(User.objects.order_by("id").values("username", "password", "is_staff", "is_active")),
        list(User.objects.order_by("id").annotate(roles=Count("groups")).values_list("username", "roles")),
        list(Carrier.objects.order_by("id").values("title", "classification", "content")),
        ClassifiedCopy.objects.count(),
        AuditEvent.objects.count(),
        list(Deadline.objects.order_by("id").values("kind", "due_date", "responsible_person")),
    )


@override_settings(SHUNIU_DEMO=True)
def test_seed_demo_builds_the_office_and_running_it_again_changes_nothing(client, settings):
    """GIVEN an empty database in demo mode WHEN seed_demo runs twice THEN the office, its
    bureaus and the demo logins exist, and the second run changes no row."""
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())

    assert _snapshot() == first
    office = Unit.objects.get(name="临江市人民政府办公室")
    assert set(office.children.values_list("name", flat=True)) == {
        "秘书科",
        "督查科",
        "信访科",
        "保密办公室",
        "会务科",
        "综合科",
    }
    bureaus = Unit.objects.filter(kind=UnitKind.ORGAN, parent__isnull=False).values_list("name", flat=True)
    assert {"临江市发展和改革局", "临江市商务局", "临江市财政局", "临江市住房和城乡建设局"} <= set(bureaus)
    assert all(Unit.objects.get(name=name).children.exists() for name in bureaus)
    for username in DEMO_LOGINS:
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        client.logout()
    assert Carrier.objects.filter(classification=Level.TOP_SECRET).exists()
    assert ClassifiedCopy.objects.exists()
    assert Deadline.objects.filter(kind="general").count() == 3
    assert (
        Deadline.objects.filter(kind="copy-return").count()
        == ClassifiedCopy.objects.filter(due_back__isnull=False).count()
    )


@override_settings(SHUNIU_DEMO=True)
def test_demo_logins_have_the_roles_and_clearances_their_jobs_need():
    """GIVEN the demo office WHEN we look at the logins THEN each has the role its name says,
    the director holds core clearance, and staff holds no secret clearance."""
    call_command("seed_demo", stdout=io.StringIO())
    people = {p.user.username: p for p in Person.objects.select_related("user", "unit")}

    assert people["director"].clearance == Level.TOP_SECRET and people["director"].user.has_role(Role.LEADER)
    assert people["office_chief"].user.has_role(Role.OFFICE_CHIEF)
    assert people["clerk"].user.has_role(Role.SECRETARY)
    assert people["supervisor"].user.has_role(Role.SUPERVISOR)
    assert people["petition_officer"].user.has_role(Role.PETITION_OFFICER)
    assert people["meeting_officer"].user.has_role(Role.MEETING_OFFICER)
    assert people["security_officer"].user.has_role(Role.SECURITY_OFFICER)
    assert people["staff"].user.has_role(Role.HANDLER)
    assert people["staff"].clearance < Level.CONFIDENTIAL
    assert people["sysadmin"].user.is_staff and not people["director"].user.is_staff
    assert Unit.objects.get(name="临江市人民政府办公室").head == people["office_chief"]
    assert all(person.is_demo for person in people.values())
    assert Person.objects.values("unit").annotate(n=Count("id")).filter(n__gte=2).count() >= 5


@override_settings(SHUNIU_DEMO=False)
def test_seed_demo_refuses_outside_demo_mode():
    """GIVEN demo mode off WHEN seed_demo runs THEN it refuses and writes nothing."""
    with pytest.raises(CommandError, match="SHUNIU_DEMO"):
        call_command("seed_demo")
    assert not Person.objects.exists()


@override_settings(SHUNIU_DEMO=True)
def test_seeded_logins_stop_working_when_demo_mode_is_switched_off(client, settings):
    """GIVEN the demo office WHEN the same database runs without demo mode THEN the demo
    logins and their published password open nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    with override_settings(SHUNIU_DEMO=False):
        assert not client.login(username="director", password=settings.DEMO_PASSWORD)


def test_load_calendar_command_refreshes_package_years_but_keeps_imported_ones(sysadmin):
    """GIVEN an administrator's import for 2026 WHEN load_calendar runs THEN 2026 keeps the
    imported days while the package's other years are (re)loaded."""
    from datetime import date

    from office.workdays import services
    from office.workdays.models import CalendarDay, CalendarYear, Source

    services.calendar_import_year(
        actor=sysadmin.user, year=2026, days=[services.ImportedDay(date(2026, 3, 3), False, "试行假日")]
    )
    CalendarDay.objects.filter(date__year=2025).delete()

    call_command("load_calendar", stdout=io.StringIO())

    assert CalendarYear.objects.get(year=2026).source == Source.IMPORT
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("name", flat=True)) == ["试行假日"]
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"
