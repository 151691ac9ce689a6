from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "office.reminders"
    label = "reminders"
    verbose_name = _("期限与提醒")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from office.reminders.defaults import ensure_default_kinds

        post_migrate.connect(ensure_default_kinds, sender=self, dispatch_uid="reminders.default_kinds")
