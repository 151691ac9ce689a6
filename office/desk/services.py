"""委托: given by a leader (or a unit's head, an office director) to someone of his organ, for a
period of at most a year and some kinds of work; revoked by him at any time."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.confidentiality.visibility import person_of
from office.desk.models import Delegation
from office.org.models import Person, Role, Unit

LONGEST = timedelta(days=366)


def may_delegate(user) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return user.has_role(Role.LEADER) or user.has_role(Role.OFFICE_CHIEF) or Unit.objects.filter(head=person).exists()


@transaction.atomic
def delegation_create(
    *, actor, delegate: Person, starts_on: date, ends_on: date, flows: list[str] = (), reason: str = ""
) -> Delegation:
    from office.workflow.machine import MACHINES

    principal = person_of(actor)
    if not may_delegate(actor):
        raise PermissionDenied(_("只有领导、办公室主任和单位负责人可以委托他人代办。"))
    errors = {}
    if delegate.pk == principal.pk:
        errors["delegate"] = _("不能委托给本人。")
    elif delegate.unit.organ_id != principal.unit.organ_id:
        errors["delegate"] = _("只能委托本机关的人员。")
    elif not delegate.user_id or not delegate.user.is_active:
        errors["delegate"] = _("受托人没有可用的账号。")
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("起始日不能早于今天。")
    if ends_on < starts_on:
        errors["ends_on"] = _("截止日不能早于起始日。")
    elif ends_on - starts_on > LONGEST:
        errors["ends_on"] = _("委托期限不能超过一年。")
    unknown = sorted(set(flows) - set(MACHINES))
    if unknown:
        errors["flows"] = _("没有这类事项：%(names)s。") % {"names": "、".join(unknown)}
    if errors:
        raise ValidationError(errors)
    return Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        flows=sorted(set(flows)),
        reason=reason.strip(),
    )


@transaction.atomic
def delegation_revoke(*, actor, delegation: Delegation) -> Delegation:
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    person = person_of(actor)
    if person is None or delegation.principal_id != person.pk:
        raise PermissionDenied(_("只有委托人可以撤销委托。"))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
    return delegation


def is_following(user, record) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from office.desk.models import Follow

    person = person_of(user)
    if person is None:
        return False
    content_type = ContentType.objects.get_for_model(type(record))
    return Follow.objects.filter(person=person, content_type=content_type, object_id=record.pk).exists()


def follow_toggle(*, actor, record) -> bool:
    """跟踪 or 取消跟踪 ``record`` (one he may see: the caller loaded it through ``visible_to``);
    answers whether he follows it now."""
    from django.contrib.contenttypes.models import ContentType

    from office.desk.models import Follow

    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("该账号没有对应的人员信息。"))
    content_type = ContentType.objects.get_for_model(type(record))
    deleted, _rows = Follow.objects.filter(person=person, content_type=content_type, object_id=record.pk).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(person=person, content_type=content_type, object_id=record.pk)
    return True
