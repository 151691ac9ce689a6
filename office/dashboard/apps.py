from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "office.dashboard"
    label = "dashboard"
    verbose_name = _("领导驾驶舱")

    def ready(self) -> None:
        from office import navigation
        from office.dashboard import access, registry
        from office.reminders.dashboard import DeadlineFigures

        navigation.offer("dashboard", access.may_open)  # the page's own rule (access.scope_for)
        registry.register(DeadlineFigures())
