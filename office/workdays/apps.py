from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "office.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(load_package_calendar, sender=self)


def load_package_calendar(sender=None, **kwargs) -> None:
    """After every migrate (and every test flush): years the package knows are in the calendar,
    including new ones after the package was upgraded."""
    from office.workdays.services import load_from_package

    load_from_package()
