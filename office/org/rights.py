"""三员分立 (分级保护): who may change what about a person — decided here, once.

- 系统管理员: accounts, units, passwords and the business roles — never a clearance, a grant or a log;
- 安全保密管理员: clearances (and, in 保密管理, grants and classification) — never an account;
- 安全审计员: reads the logs of everyone, the other two included — changes nothing.

No person holds two of the three; nobody changes their own clearance, roles or unit; the accounts
of the three administrators themselves are set up from the command line (``manage.py
administrator``), so that none of them can take over another's account from a page. The services
enforce these rules; the admin site and the API only show them.
"""

from __future__ import annotations

from office.org.models import ADMIN_ROLES, Role

# What the 系统管理员 keeps about a person, and what the 安全保密管理员 keeps.
ACCOUNT_FIELDS = frozenset({"name", "unit", "post", "phone", "email", "active", "roles", "password"})
SECURITY_FIELDS = frozenset({"clearance"})
# What anyone may keep up to date about themselves.
OWN_FIELDS = frozenset({"phone", "email"})

BUSINESS_ROLES = tuple(role for role in Role if role not in ADMIN_ROLES)


def admin_roles_of(user) -> set[Role]:
    if user is None or not user.is_authenticated:
        return set()
    return {role for role in ADMIN_ROLES if user.has_role(role)}


def holds_admin_role(user) -> bool:
    return bool(admin_roles_of(user))


def editable_fields(actor, person) -> frozenset[str]:
    """The fields of ``person`` that ``actor`` may change (an empty set: none)."""
    roles = admin_roles_of(actor)
    if person is None:  # a new person: only the 系统管理员 creates accounts
        return ACCOUNT_FIELDS | {"username"} if Role.SYSTEM_ADMIN in roles else frozenset()
    if person.user_id == actor.pk:
        return OWN_FIELDS if Role.SYSTEM_ADMIN in roles else frozenset()
    if holds_admin_role(person.user):
        return frozenset()  # the administrators' own accounts: command line only
    fields = set()
    if Role.SYSTEM_ADMIN in roles:
        fields |= ACCOUNT_FIELDS
    if Role.SECURITY_ADMIN in roles:
        fields |= SECURITY_FIELDS
    return frozenset(fields)


def may_manage_people(actor) -> bool:
    """Whether the person list offers ``actor`` any change at all (the admin site, the API)."""
    return bool(admin_roles_of(actor) & {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


def assignable_roles(actor) -> tuple[Role, ...]:
    """Roles ``actor`` may give others from a page: the business roles, for the 系统管理员."""
    return BUSINESS_ROLES if actor.has_role(Role.SYSTEM_ADMIN) else ()
