"""The 发文 pages, included in office/urls.py under ``documents/`` (namespace ``documents``)."""

from django.urls import path
from django.views.generic import RedirectView

from documents import views

app_name = "documents"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="documents:outgoing_list"), name="index"),
    path("outgoing/", views.outgoing_list, name="outgoing_list"),
    path("outgoing/inbox/", views.outgoing_inbox, name="outgoing_inbox"),
    path("outgoing/new/", views.outgoing_create, name="outgoing_create"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/check/", views.outgoing_check, name="outgoing_check"),
    path("outgoing/<int:pk>/render/", views.outgoing_render, name="outgoing_render"),
    path("outgoing/<int:pk>/<slug:action>/", views.outgoing_action, name="outgoing_action"),
]

# The 发文登记簿 in Excel comes with the API side's documents/exports.py; without it, no route.
if views.exports_available():
    urlpatterns.insert(
        2, path("outgoing/register.xlsx", views.outgoing_register_export, name="outgoing_register_export")
    )
