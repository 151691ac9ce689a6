"""What each role may do in the admin, kept in step with the models after every migrate."""

from django.contrib.auth.models import Group, Permission

# 系统管理员 maintain the organisation and the calendar (never delete: deactivate instead).
SYSTEM_ADMIN_MODELS = {"org": ["user", "unit", "person"], "workdays": ["calendaryear", "calendarday"]}
SYSTEM_ADMIN_ACTIONS = ["add", "change", "view"]


def grant_role_permissions(sender=None, **kwargs) -> None:
    from office.org.models import Role

    group = Group.objects.filter(name=Role.SYSTEM_ADMIN.value).first()
    if group is None:
        return
    codenames = [
        f"{action}_{model}" for models in SYSTEM_ADMIN_MODELS.values() for model in models
        for action in SYSTEM_ADMIN_ACTIONS
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=SYSTEM_ADMIN_MODELS, codename__in=codenames
    )
    group.permissions.add(*permissions)
