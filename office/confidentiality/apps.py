from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConfidentialityConfig(AppConfig):
    name = "office.confidentiality"
    label = "confidentiality"
    verbose_name = _("保密管理")

    def ready(self) -> None:
        from office.confidentiality import access

        # Every classifiable model's access keys, kept in the same transaction as their sources.
        access.connect_all()
        post_migrate.connect(access.fill_missing, dispatch_uid="confidentiality:access-keys")
