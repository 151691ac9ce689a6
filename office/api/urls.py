from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from office.api.docs import RedocView, SwaggerView
from office.api.routes import register, router
from office.api.views import ApiTokenViewSet, LogoutView, ObtainTokenView
from office.confidentiality.api import CarrierViewSet
from office.confidentiality.api_register import (
    AccessLogViewSet,
    CopyRequestViewSet,
    CopyViewSet,
    DeclassificationViewSet,
)
from office.dashboard.api import SummaryView
from office.desk.api import DeskReadView, DeskView
from office.org.api import PersonViewSet, UnitViewSet
from office.reminders.api import NotificationViewSet, ReminderViewSet
from office.workdays.api import DueDateView, WorkdaysView

# The platform's own routes; the domain apps' come from their AppConfig.ready() (office/api/routes.py).
register("auth/tokens", ApiTokenViewSet, basename="api-token-record")
register("org/units", UnitViewSet, basename="unit")
register("org/people", PersonViewSet, basename="person")
register("confidentiality/carriers", CarrierViewSet, basename="carrier")
register("confidentiality/access-logs", AccessLogViewSet, basename="access-log")
register("confidentiality/copies", CopyViewSet, basename="classified-copy")
register("confidentiality/copy-requests", CopyRequestViewSet, basename="copy-request")
register("confidentiality/declassification", DeclassificationViewSet, basename="declassification")
register("notifications", NotificationViewSet, basename="notification")
register("reminders", ReminderViewSet, basename="reminder")

v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("calendar/due-date/", DueDateView.as_view(), name="api-due-date"),
    path("calendar/workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("dashboard/summary/", SummaryView.as_view(), name="api-dashboard-summary"),
    path("desk/", DeskView.as_view(), name="api-desk"),
    path("desk/read/", DeskReadView.as_view(), name="api-desk-read"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
