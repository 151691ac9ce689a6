"""The 保密 pages, included in office/urls.py under ``confidentiality/`` (namespace
``confidentiality``)."""

from django.urls import path
from django.views.generic import RedirectView

from office.confidentiality import views

app_name = "confidentiality"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="confidentiality:carrier_list"), name="index"),
    path("carriers/", views.carrier_list, name="carrier_list"),
    path("carriers/new/", views.carrier_create, name="carrier_create"),
    path("carriers/<int:pk>/", views.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/grant/", views.carrier_grant, name="carrier_grant"),
    path("carriers/<int:pk>/revoke/", views.carrier_revoke, name="carrier_revoke"),
    path("carriers/<int:pk>/reclassify/", views.carrier_reclassify, name="carrier_reclassify"),
    path("carriers/<int:pk>/condition-met/", views.carrier_condition_met, name="carrier_condition_met"),
    path("carriers/<int:pk>/copies/issue/", views.carrier_copy_issue, name="carrier_copy_issue"),
    path("carriers/<int:pk>/copy-request/", views.carrier_copy_request, name="carrier_copy_request"),
    path("copies/", views.copy_register, name="copy_register"),
    path("copies/<int:pk>/sign/", views.copy_action, {"action": "sign"}, name="copy_sign"),
    path("copies/<int:pk>/return/", views.copy_action, {"action": "return"}, name="copy_return"),
    path(
        "copies/<int:pk>/request-destruction/",
        views.copy_action,
        {"action": "request-destruction"},
        name="copy_request_destruction",
    ),
    path(
        "copies/<int:pk>/confirm-destruction/",
        views.copy_action,
        {"action": "confirm-destruction"},
        name="copy_confirm_destruction",
    ),
    path("my-copies/", views.my_copies, name="my_copies"),
    path("copy-requests/", views.copy_requests, name="copy_requests"),
    path("copy-requests/<int:pk>/decide/", views.copy_request_decide, name="copy_request_decide"),
    path("declassification/", views.declassification_worklist, name="declassification"),
    path(
        "declassification/<int:content_type_id>/<int:pk>/",
        views.declassification_decide,
        name="declassification_decide",
    ),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.xlsx", views.access_log_export, name="access_log_export"),
]
