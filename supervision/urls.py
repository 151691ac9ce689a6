"""The 督查督办 pages, included in office/urls.py under ``supervision/`` (namespace ``supervision``)."""

from django.urls import path

from supervision import printing, views

app_name = "supervision"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("new/", views.item_open, name="item_open"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("figures/bulletin/", views.bulletin, name="bulletin"),
    path("items/<int:pk>/", views.item_redirect, name="item_redirect"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/supervision-sheet.pdf", printing.item_supervision_sheet, name="item_supervision_sheet"),
    path("<int:pk>/chase-sheet.pdf", printing.item_chase_sheet, name="item_chase_sheet"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/preview/", views.attachment_preview, name="attachment_preview"),
    path("<int:pk>/extensions/<int:request_id>/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/tasks/<int:task_id>/<slug:action>/", views.task_action, name="task_action"),
    path("<int:pk>/<slug:action>/", views.item_action, name="item_action"),
]
