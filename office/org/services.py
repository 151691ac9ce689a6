"""Changes to the organisation: one function per action, each in a transaction.

Only 系统管理员 (or a superuser) change the organisation; callers pass the acting user.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, User


def _require_admin(actor: User) -> None:
    if not actor.is_system_admin:
        raise PermissionDenied(_("只有系统管理员可以维护组织机构。"))


@transaction.atomic
def unit_create(*, actor: User, **fields) -> Unit:
    _require_admin(actor)
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, **changes) -> Unit:
    _require_admin(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    unit: Unit,
    post: str = "",
    clearance: Level = Level.INTERNAL,
    phone: str = "",
    email: str = "",
    roles: Iterable[Role] = (),
    password: str | None = None,
    active: bool = True,
    is_demo: bool = False,
) -> Person:
    """Create the login and the person together (``active=False``: a login that cannot sign in
    yet). ``actor=None`` only for seeding and commands."""
    if actor is not None:
        _require_admin(actor)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")})
    user = User(username=username, email=email, first_name=name, is_active=active)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # set later by the administrator or a password reset
    user.full_clean(exclude=["password"])
    user.save()
    person = Person(
        user=user, name=name, unit=unit, post=post, clearance=clearance, phone=phone, email=email, is_demo=is_demo
    )
    person.full_clean()
    person.save()
    _set_roles(user, roles)
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, roles: Iterable[Role] | None = None, active=None, **changes
) -> Person:
    _require_admin(actor)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    old_clearance = person.clearance
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    clearance_changed = person.clearance != old_clearance
    if clearance_changed and person.user_id == actor.pk:
        raise PermissionDenied(_("不能修改本人的涉密等级。"))
    person.save()
    if clearance_changed:
        # A clearance decides what a person may read: a security event in the audit chain.
        from office.confidentiality import audit

        audit.record(
            actor,
            audit.AuditAction.CLEARANCE,
            obj=person,
            detail={
                "from": Level(old_clearance).code,
                "to": Level(person.clearance).code,
            },
        )
    user_fields = []
    if "name" in changes:
        person.user.first_name = person.name
        user_fields.append("first_name")
    if "email" in changes:
        person.user.email = person.email
        user_fields.append("email")
    if active is not None:
        if person.user == actor and not active:
            raise ValidationError({"active": _("不能停用自己的账号。")})
        person.user.is_active = active
        user_fields.append("is_active")
    if user_fields:
        person.user.save(update_fields=user_fields)
    if roles is not None:
        _set_roles(person.user, roles)
    return person


def _set_roles(user: User, roles: Iterable[Role]) -> None:
    names = [Role(role).value for role in roles]
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(set(names)):
        raise ValidationError({"roles": _("角色不存在，请先运行数据库迁移。")})
    # Unit groups are managed by Person.sync_unit_groups; only role groups are set here.
    user.groups.remove(*user.groups.filter(unit__isnull=True).exclude(pk__in=[g.pk for g in groups]))
    user.groups.add(*groups)
    # The admin site is the 系统管理员's workplace; nobody else is staff.
    is_staff = Role.SYSTEM_ADMIN.value in names
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
