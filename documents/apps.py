from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        # What the platform needs to know of 公文, told from here: the kernel names no domain app.
        from documents.incoming.api import IncomingViewSet
        from documents.incoming.dashboard import IncomingFigures
        from documents.incoming.desk import IncomingProvider
        from documents.outgoing.api import DocumentSeriesViewSet, OutgoingViewSet
        from documents.outgoing.dashboard import OutgoingFigures
        from documents.outgoing.dashboard_report import ReportDrafter
        from documents.outgoing.desk import OutgoingProvider
        from office.api.routes import register
        from office.dashboard import registry as dashboard
        from office.desk import providers as desk
        from office.org.roles import register_system_admin
        from office.reminders.defaults import register_kinds

        register("documents/outgoing", OutgoingViewSet, basename="outgoing")
        register("documents/series", DocumentSeriesViewSet, basename="document-series")
        register("documents/incoming", IncomingViewSet, basename="incoming")
        desk.register(OutgoingProvider())
        desk.register(IncomingProvider())
        dashboard.register(OutgoingFigures())
        dashboard.register(IncomingFigures())
        dashboard.register_drafter(ReportDrafter())  # the dashboard's 月报/季报 as a draft 报告
        # code, name, max extensions, cap amount, cap unit, very overdue after (working days)
        register_kinds(
            ("document", "公文承办", 2, None, "calendar_days", 5),
            ("circulation", "公文传阅", 1, None, "calendar_days", 3),
        )
        # The 系统管理员 keeps the 发文代字 and reads the number ledger and the documents he may see.
        register_system_admin(
            "documents", keeps=["documentseries"], reads=["view_documentnumber", "view_outgoingdocument"]
        )
