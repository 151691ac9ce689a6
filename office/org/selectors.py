"""Reads of the organisation. The directory is open to everyone logged in."""

from django.db.models import Prefetch, QuerySet

from office.org.models import Person, Unit


def unit_list(*, filters: dict | None = None) -> QuerySet[Unit]:
    return Unit.objects.select_related("parent", "head").filter(**(filters or {}))


def person_list(*, filters: dict | None = None) -> QuerySet[Person]:
    return (
        Person.objects.select_related("user", "unit")
        .prefetch_related(Prefetch("user__groups"))
        .filter(**(filters or {}))
    )


def unit_tree() -> list[tuple[Unit, int]]:
    """All active units in tree order with their depth, from one query."""
    units = list(Unit.objects.active().order_by("sort_order", "code"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered
