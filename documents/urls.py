"""The 发文 pages, included in office/urls.py under ``documents/`` (namespace ``documents``)."""

from django.urls import path
from django.views.generic import RedirectView

from documents.incoming import printing as incoming_printing
from documents.incoming import views as incoming_views
from documents.incoming import views_units as incoming_units
from documents.outgoing import attachment_views, views
from documents.outgoing import printing as outgoing_printing

app_name = "documents"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="documents:outgoing_list"), name="index"),
    path("outgoing/", views.outgoing_list, name="outgoing_list"),
    path("outgoing/inbox/", views.outgoing_inbox, name="outgoing_inbox"),
    path("outgoing/register.xlsx", views.outgoing_register_export, name="outgoing_register_export"),
    path("outgoing/new/", views.outgoing_create, name="outgoing_create"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/check/", views.outgoing_check, name="outgoing_check"),
    path("outgoing/<int:pk>/render/", views.outgoing_render, name="outgoing_render"),
    path("outgoing/<int:pk>/draft-sheet.pdf", outgoing_printing.outgoing_draft_sheet, name="outgoing_draft_sheet"),
    path(
        "outgoing/<int:pk>/attachments/",
        attachment_views.outgoing_attachment_upload,
        name="outgoing_attachment_upload",
    ),
    path(
        "outgoing/<int:pk>/attachments/<int:attachment_id>/",
        attachment_views.outgoing_attachment,
        name="outgoing_attachment",
    ),
    path(
        "outgoing/<int:pk>/attachments/<int:attachment_id>/remove/",
        attachment_views.outgoing_attachment_remove,
        name="outgoing_attachment_remove",
    ),
    path("outgoing/<int:pk>/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    # 收文
    path("incoming/", incoming_views.incoming_list, name="incoming_list"),
    path("incoming/inbox/", incoming_views.incoming_inbox, name="incoming_inbox"),
    path("incoming/new/", incoming_views.incoming_receive, name="incoming_receive"),
    path("incoming/figures/", incoming_views.incoming_figures, name="incoming_figures"),
    path("incoming/register.xlsx", incoming_views.incoming_register_export, name="incoming_register_export"),
    path("incoming/<int:pk>/", incoming_views.incoming_detail, name="incoming_detail"),
    path(
        "incoming/<int:pk>/handling-sheet.pdf",
        incoming_printing.incoming_handling_sheet,
        name="incoming_handling_sheet",
    ),
    path(
        "incoming/<int:pk>/readers/<int:reader_id>/<slug:action>/",
        incoming_views.incoming_reader_action,
        name="incoming_reader_action",
    ),
    path(
        "incoming/<int:pk>/circulations/<int:circulation_id>/recall/",
        incoming_views.incoming_recall,
        name="incoming_recall",
    ),
    path(
        "incoming/<int:pk>/subassignments/<int:row_id>/<slug:action>/",
        incoming_units.incoming_subassignment_action,
        name="incoming_subassignment_action",
    ),
    path("incoming/<int:pk>/scans/", incoming_units.incoming_scan_upload, name="incoming_scan_upload"),
    path("incoming/<int:pk>/scans/<int:scan_id>/", incoming_units.incoming_scan, name="incoming_scan"),
    path("incoming/<int:pk>/<slug:action>/", incoming_views.incoming_action, name="incoming_action"),
]
