from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("会议")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from meetings import api, receivers
        from meetings.dashboard import MeetingFigures
        from meetings.defaults import ensure_meeting_types, ensure_notice_kind
        from meetings.desk import MeetingProvider
        from office.dashboard import registry as dashboard
        from office.desk import providers as desk

        post_migrate.connect(ensure_meeting_types, sender=self, dispatch_uid="meetings.default_types")
        post_migrate.connect(ensure_notice_kind, sender=self, dispatch_uid="meetings.notice_kind")
        receivers.connect()
        api.register()
        desk.register(MeetingProvider())
        dashboard.register(MeetingFigures())
