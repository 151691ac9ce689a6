from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from documents.api import DocumentSeriesViewSet, OutgoingViewSet
from documents.incoming_api import IncomingViewSet
from office.api.docs import RedocView, SwaggerView
from office.api.views import ApiTokenViewSet, LogoutView, ObtainTokenView
from office.confidentiality.api import CarrierViewSet
from office.confidentiality.api_register import (
    AccessLogViewSet,
    CopyRequestViewSet,
    CopyViewSet,
    DeclassificationViewSet,
)
from office.org.api import PersonViewSet, UnitViewSet
from office.reminders.api import NotificationViewSet, ReminderViewSet
from office.workdays.api import DueDateView, WorkdaysView
from supervision.api import SupervisionItemViewSet

router = DefaultRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-record")
router.register("org/units", UnitViewSet, basename="unit")
router.register("org/people", PersonViewSet, basename="person")
router.register("documents/outgoing", OutgoingViewSet, basename="outgoing")
router.register("documents/series", DocumentSeriesViewSet, basename="document-series")
router.register("documents/incoming", IncomingViewSet, basename="incoming")
router.register("confidentiality/carriers", CarrierViewSet, basename="carrier")
router.register("confidentiality/access-logs", AccessLogViewSet, basename="access-log")
router.register("confidentiality/copies", CopyViewSet, basename="classified-copy")
router.register("confidentiality/copy-requests", CopyRequestViewSet, basename="copy-request")
router.register("confidentiality/declassification", DeclassificationViewSet, basename="declassification")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("supervision/items", SupervisionItemViewSet, basename="supervision-item")

v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("calendar/due-date/", DueDateView.as_view(), name="api-due-date"),
    path("calendar/workdays/", WorkdaysView.as_view(), name="api-workdays"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
