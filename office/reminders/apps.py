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
        # After the kinds: deadlines loaded by SQL get the next fire day the services would give them.
        post_migrate.connect(_fill_missing_next_fire, sender=self, dispatch_uid="reminders.next_fire")


def _fill_missing_next_fire(sender=None, **kwargs) -> None:
    from office.reminders.services import fill_missing_next_fire

    fill_missing_next_fire(sender, **kwargs)
