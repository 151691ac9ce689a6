"""factory_boy factories for the platform. People are made through the org service, so roles,
staff flags and logins are exactly what the application itself would create."""

import factory

from office.confidentiality.levels import Level
from office.org import services as org_services
from office.org.models import Person, Role, Unit, UnitKind

PASSWORD = "correct-horse-battery-9"


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试机关{n}")
    short_name = factory.LazyAttribute(lambda unit: unit.name[:4])
    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    kind = UnitKind.ORGAN
    parent = None


class UnitFactory(OrganFactory):
    name = factory.Sequence(lambda n: f"测试处室{n}")
    code = factory.Sequence(lambda n: f"U{n:05d}")
    kind = UnitKind.SECTION
    parent = factory.SubFactory(OrganFactory)


def make_person(
    *,
    username: str | None = None,
    name: str = "张三",
    unit: Unit | None = None,
    clearance: Level = Level.INTERNAL,
    roles: tuple[Role, ...] = (),
    password: str = PASSWORD,
    is_demo: bool = False,
    **extra,
) -> Person:
    make_person.counter += 1
    return org_services.person_create(
        actor=None,
        username=username or f"user{make_person.counter}",
        name=name,
        unit=unit or UnitFactory(),
        clearance=clearance,
        roles=roles,
        password=password,
        is_demo=is_demo,
        **extra,
    )


make_person.counter = 0
