"""What each role may do in the admin, kept in step with the models after every migrate."""

from django.contrib.auth.models import Group, Permission

# 系统管理员 maintain the organisation and the calendar (never delete: deactivate instead).
SYSTEM_ADMIN_MODELS = {
    "org": ["user", "unit", "person"],
    "workdays": ["calendaryear", "calendarday"],
    "reminders": ["deadlinekind", "reminderstage"],
}
SYSTEM_ADMIN_ACTIONS = ["add", "change", "view"]
# 安全保密管理员 change clearances on the person form (every other field is read-only to them).
SECURITY_ADMIN_PERMISSIONS = {"org": ["view_person", "change_person", "view_unit"]}
# 系统管理员 also see login lockouts and API tokens and lift or revoke them (view + delete; nobody
# adds or changes either), and read the login-failure list (office/org/admin_security.py).
SYSTEM_ADMIN_SECURITY_PERMISSIONS = {
    "axes": ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog"],
    "org": ["view_apitoken", "delete_apitoken"],
    # ...and read, never change, the deadlines and reminders behind every module (subjects masked
    # to what he may see) to follow up failed emails, and the number ledger and the documents he
    # may see (visible_to).
    "reminders": ["view_deadline", "view_reminder", "view_notification"],
}


def register_system_admin(app_label: str, *, keeps: list[str] = (), reads: list[str] = ()) -> None:
    """A domain app names, from its ``AppConfig.ready()``, the models the 系统管理员 keeps (add,
    change, view) and the permissions he reads with; the kernel names no domain app."""
    if keeps:
        SYSTEM_ADMIN_MODELS.setdefault(app_label, [])
        SYSTEM_ADMIN_MODELS[app_label] += [m for m in keeps if m not in SYSTEM_ADMIN_MODELS[app_label]]
    if reads:
        SYSTEM_ADMIN_SECURITY_PERMISSIONS.setdefault(app_label, [])
        SYSTEM_ADMIN_SECURITY_PERMISSIONS[app_label] += [
            c for c in reads if c not in SYSTEM_ADMIN_SECURITY_PERMISSIONS[app_label]
        ]


def grant_role_permissions(sender=None, **kwargs) -> None:
    """After every migrate (and every test flush): each role's group exists with its permissions."""
    from office.org.models import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    group = Group.objects.get(name=Role.SYSTEM_ADMIN.value)
    codenames = [
        f"{action}_{model}"
        for models in SYSTEM_ADMIN_MODELS.values()
        for model in models
        for action in SYSTEM_ADMIN_ACTIONS
    ]
    permissions = Permission.objects.filter(content_type__app_label__in=SYSTEM_ADMIN_MODELS, codename__in=codenames)
    group.permissions.add(*permissions)
    for app_label, codenames in SYSTEM_ADMIN_SECURITY_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    security = Group.objects.get(name=Role.SECURITY_ADMIN.value)
    for app_label, codenames in SECURITY_ADMIN_PERMISSIONS.items():
        security.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
