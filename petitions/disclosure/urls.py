"""Pages of this package, included by petitions/urls.py under ``disclosure/`` (namespace
``petitions``, names prefixed ``disclosure``): views.py."""

from django.urls import path

from petitions.disclosure import views

urlpatterns: list = [
    path("", views.ledger, name="disclosure_ledger"),
    path("ledger.xlsx", views.ledger_export, name="disclosure_ledger_export"),
    path("register/", views.register, name="disclosure_register"),
    path("report/", views.annual_report, name="disclosure_report"),
    path("report.xlsx", views.annual_report_export, name="disclosure_report_export"),
    path("report/draft/", views.annual_report_draft, name="disclosure_report_draft"),
    path("publications/", views.publications, name="disclosure_publications"),
    path("publications/<int:pk>/<slug:action>/", views.publication_action, name="disclosure_publication_action"),
    path("catalogue/", views.catalogue, name="disclosure_catalogue"),
    path("<int:pk>/", views.request_detail, name="disclosure"),
    path("<int:pk>/<slug:action>/", views.request_action, name="disclosure_action"),
]
