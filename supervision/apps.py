from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from office.api.routes import register
        from office.dashboard import registry as dashboard
        from office.desk import providers as desk
        from office.reminders.defaults import register_kinds
        from supervision import (
            checks,  # noqa: F401  (registers the settings check)
            receivers,
        )
        from supervision.api import SupervisionItemViewSet
        from supervision.dashboard import SupervisionFigures
        from supervision.desk import SupervisionProvider

        receivers.connect()
        register("supervision/items", SupervisionItemViewSet, basename="supervision-item")
        desk.register(SupervisionProvider())
        dashboard.register(SupervisionFigures())
        register_kinds(
            ("supervision", "督查督办", 2, None, "calendar_days", 5),
            ("supervision-report", "督办进展反馈", 0, None, "calendar_days", 5),  # a report is never extended
        )
