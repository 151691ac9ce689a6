from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "office.dashboard"
    label = "dashboard"
    verbose_name = _("领导驾驶舱")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from office import navigation
        from office.api.routes import register
        from office.confidentiality.access import classified_models, grant_models
        from office.dashboard import access, refresh, registry
        from office.dashboard.api import ReportDraftViewSet
        from office.reminders.dashboard import DeadlineFigures
        from office.workflow.machine import moved

        navigation.offer("dashboard", access.may_open)  # the page's own rule (access.scope_for)
        registry.register(DeadlineFigures())
        register("dashboard/report-draft", ReportDraftViewSet, basename="dashboard-report-draft")
        moved.connect(refresh.on_move)  # the snapshots follow the transitions (debounced)
        for model in classified_models():  # per grant table: a global receiver would slow every delete
            for grants in grant_models(model):
                post_save.connect(
                    refresh.on_scope_change, sender=grants, dispatch_uid=f"dashboard.{grants._meta.label}+"
                )
                post_delete.connect(
                    refresh.on_scope_change, sender=grants, dispatch_uid=f"dashboard.{grants._meta.label}-"
                )
