"""Changes to the organisation: one function per action, each in a transaction.

Who may change what is decided in :mod:`office.org.rights` (三员分立); every change of a person's
clearance, roles, unit or account is a security event in the audit chain. Callers pass the acting
user; ``actor=None`` is the command line (seeding, break-glass setup), never a page or the API.
"""

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.org import rights
from office.org.models import ADMIN_ROLES, Person, Role, Unit, User


def _require_admin(actor: User) -> None:
    if not actor.is_system_admin:
        raise PermissionDenied(_("只有系统管理员可以维护组织机构。"))


def _audit(actor: User | None, action: str, person: Person, detail: dict) -> None:
    from office.confidentiality import audit

    audit.record(actor, action, obj=person, detail=detail)


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
    yet). From a page or the API only the 系统管理员 creates people, with business roles and the
    default clearance (内部): the 安全保密管理员 raises it afterwards."""
    roles = [Role(role) for role in roles]
    if actor is not None:
        if "username" not in rights.editable_fields(actor, None):
            raise PermissionDenied(_("只有系统管理员可以新建账号。"))
        if Level(clearance) != Level.INTERNAL:
            raise PermissionDenied(_("涉密等级由安全保密管理员设定，系统管理员新建账号时不能指定。"))
        _check_assignable(actor, roles)
    _check_admin_roles_exclusive(roles)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")})
    user = User(username=username, email=email, first_name=name, is_active=active)
    if password and actor is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
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
    if actor is not None:
        _audit(
            actor,
            "account",
            person,
            {"change": "created", "unit": unit.pk, "roles": sorted(role.value for role in roles), "active": active},
        )
    return person


@transaction.atomic
def person_update(
    *, actor: User | None, person: Person, roles: Iterable[Role] | None = None, active=None, **changes
) -> Person:
    """Change a person: each field only by whom :func:`office.org.rights.editable_fields` names."""
    person = Person.objects.select_for_update().select_related("user", "unit").get(pk=person.pk)
    requested = {name for name, value in changes.items() if getattr(person, _attname(name)) != _pk(value)}
    if roles is not None:
        roles = [Role(role) for role in roles]
        if set(roles) != _roles_of(person.user):
            requested.add("roles")
    if active is not None and active != person.user.is_active:
        requested.add("active")
    if actor is not None:
        _check_may_change(actor, person, requested)
        if "clearance" in requested and Level(changes["clearance"]) > _clearance_of(actor):
            raise PermissionDenied(_("不能授予高于本人的涉密等级。"))
        if "roles" in requested:
            _check_assignable(actor, set(roles) ^ _roles_of(person.user))
    if roles is not None:
        _check_admin_roles_exclusive(roles)
    old = {"clearance": person.clearance, "unit": person.unit_id, "roles": _roles_of(person.user)}
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    if person.clearance != old["clearance"]:
        # A clearance decides what a person may read: a security event in the audit chain.
        _audit(actor, "clearance", person, {"from": Level(old["clearance"]).code, "to": Level(person.clearance).code})
    if person.unit_id != old["unit"]:
        _audit(actor, "unit_change", person, {"from": old["unit"], "to": person.unit_id})
    user_fields = []
    if "name" in changes:
        person.user.first_name = person.name
        user_fields.append("first_name")
    if "email" in changes:
        person.user.email = person.email
        user_fields.append("email")
    if "active" in requested:
        person.user.is_active = active
        user_fields.append("is_active")
    if user_fields:
        person.user.save(update_fields=user_fields)
    if "active" in requested:
        _audit(actor, "account", person, {"change": "activated" if active else "deactivated"})
    if "roles" in requested:
        _set_roles(person.user, roles)
        _audit(
            actor,
            "role",
            person,
            {"from": sorted(role.value for role in old["roles"]), "to": sorted(role.value for role in roles)},
        )
    return person


@transaction.atomic
def password_set(*, actor: User | None, user: User, password: str | None) -> None:
    """Set another person's password (the 系统管理员), written to the audit chain; ``None`` shuts
    the login until a password is set again."""
    person = Person.objects.select_related("user").filter(user=user).first()
    if actor is not None and (person is None or "password" not in rights.editable_fields(actor, person)):
        raise PermissionDenied(_("您不能修改该账号的密码。"))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    if person is not None:
        _audit(actor, "password_set", person, {"usable": bool(password)})


@transaction.atomic
def administrator_assign(*, user: User, role: Role, holds: bool = True) -> None:
    """Give or take one of the three administrator roles: the command line only (break-glass
    setup by the organ's IT and 保密 offices together), never a page or the API."""
    role = Role(role)
    if role not in ADMIN_ROLES:
        raise ValidationError(_("只有系统管理员、安全保密管理员和安全审计员在命令行指定。"))
    current = _roles_of(user)
    wanted = current | {role} if holds else current - {role}
    _check_admin_roles_exclusive(wanted)
    person = Person.objects.filter(user=user).first()
    _set_roles(user, wanted)
    if person is not None and wanted != current:
        _audit(
            None,
            "role",
            person,
            {"from": sorted(r.value for r in current), "to": sorted(r.value for r in wanted), "by": "command line"},
        )


def _clearance_of(user: User) -> Level:
    person = Person.objects.filter(user=user).only("clearance").first()
    return Level(person.clearance) if person else Level.PUBLIC


def _attname(name: str) -> str:
    return f"{name}_id" if name == "unit" else name


def _pk(value):
    return getattr(value, "pk", value)


def _roles_of(user: User) -> set[Role]:
    return {
        Role(name)
        for name in user.groups.filter(unit__isnull=True, name__in=Role.values).values_list("name", flat=True)
    }


def _check_may_change(actor: User, person: Person, requested: set[str]) -> None:
    allowed = rights.editable_fields(actor, person)
    refused = requested - allowed
    if not refused:
        return
    if person.user_id == actor.pk:
        if "clearance" in refused:
            raise PermissionDenied(_("不能修改本人的涉密等级。"))
        if "active" in refused:
            raise ValidationError({"active": _("不能停用自己的账号。")})
        raise PermissionDenied(_("不能修改本人的角色或所在单位。"))
    if rights.holds_admin_role(person.user):
        raise PermissionDenied(_("三员（系统管理员、安全保密管理员、安全审计员）的账号只能在服务器命令行维护。"))
    if "clearance" in refused:
        raise PermissionDenied(_("只有安全保密管理员可以变更人员的涉密等级。"))
    raise PermissionDenied(_("只有系统管理员可以维护账号、单位和角色。"))


def _check_assignable(actor: User, roles: Iterable[Role]) -> None:
    if set(roles) - set(rights.assignable_roles(actor)):
        raise ValidationError(
            {"roles": _("三员角色（系统管理员、安全保密管理员、安全审计员）只能在服务器命令行指定。")}
        )


def _check_admin_roles_exclusive(roles: Iterable[Role]) -> None:
    if len(set(roles) & set(ADMIN_ROLES)) > 1:
        raise ValidationError({"roles": _("系统管理员、安全保密管理员和安全审计员三员分立，不能由一人兼任。")})


def _set_roles(user: User, roles: Iterable[Role]) -> None:
    names = [Role(role).value for role in roles]
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(set(names)):
        raise ValidationError({"roles": _("角色不存在，请先运行数据库迁移。")})
    # Unit groups are managed by Person.sync_unit_groups; only role groups are set here.
    user.groups.remove(*user.groups.filter(unit__isnull=True).exclude(pk__in=[g.pk for g in groups]))
    user.groups.add(*groups)
    user.__dict__.pop("_role_names", None)
    # The admin site is the 系统管理员's and the 安全保密管理员's workplace; nobody else is staff.
    is_staff = bool({Role.SYSTEM_ADMIN.value, Role.SECURITY_ADMIN.value} & set(names))
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
