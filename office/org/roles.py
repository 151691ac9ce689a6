"""What each role may do in the admin, kept in step with the models after every migrate."""

from django.contrib.auth.models import Group, Permission

# 系统管理员 maintain the organisation and the calendar (never delete: deactivate instead).
SYSTEM_ADMIN_MODELS = {
    "org": ["user", "unit", "person"],
    "workdays": ["calendaryear", "calendarday"],
    "reminders": ["deadlinekind", "reminderstage"],
    "documents": ["documentseries"],
}
SYSTEM_ADMIN_ACTIONS = ["add", "change", "view"]


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
