"""常用组: the reads and writes of the saved unit groups the pickers offer.

A person sees the organisation-wide groups (kept by the 系统管理员 in the admin) and their own;
they change only their own. Units a person may not choose on a form are filtered by the form
itself (the picker adds only the units it offers)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from office.org.models import Person, Unit, UnitGroup


def unit_group_list_visible(*, person: Person | None) -> QuerySet[UnitGroup]:
    """The groups ``person`` may use: organisation-wide ones and their own (only the shared ones
    for an account without a person)."""
    scope = Q(owner__isnull=True)
    if person is not None:
        scope |= Q(owner=person)
    return UnitGroup.objects.filter(scope).prefetch_related("units")


def unit_group_list_own(*, person: Person) -> QuerySet[UnitGroup]:
    return UnitGroup.objects.filter(owner=person).prefetch_related("units")


def unit_group_options(*, person: Person | None) -> list[dict]:
    """What the picker's 常用组 menu needs: each group's name, whether it is shared, its units."""
    return [
        {
            "id": group.pk,
            "name": group.name,
            "shared": group.shared,
            "units": [unit.pk for unit in group.units.all() if unit.active],
        }
        for group in unit_group_list_visible(person=person)
    ]


@transaction.atomic
def unit_group_create(*, actor: Person, name: str, units: Iterable[Unit]) -> UnitGroup:
    """A personal group of ``actor``; a second group of the same name is refused."""
    name = name.strip()
    units = list(units)
    if not name:
        raise ValidationError({"name": _("请填写常用组名称。")})
    if not units:
        raise ValidationError({"units": _("常用组至少包含一个单位。")})
    if UnitGroup.objects.filter(owner=actor, name=name).exists():
        raise ValidationError({"name": _("您已有同名的常用组。")})
    try:
        with transaction.atomic():
            group = UnitGroup.objects.create(owner=actor, name=name)
    except IntegrityError:
        raise ValidationError({"name": _("您已有同名的常用组。")}) from None
    group.units.set(units)
    return group


@transaction.atomic
def unit_group_delete(*, actor: Person, group: UnitGroup) -> None:
    """Only the owner deletes a personal group; shared ones are the 系统管理员's (admin)."""
    if group.owner_id != actor.pk:
        raise PermissionDenied(_("只能删除自己的常用组。"))
    group.delete()
