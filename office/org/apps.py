from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "office.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from office.org.roles import grant_role_permissions

        # No sender: the permissions of apps migrated after org (workdays, ...) exist only then.
        post_migrate.connect(grant_role_permissions, dispatch_uid="org.grant_role_permissions")
