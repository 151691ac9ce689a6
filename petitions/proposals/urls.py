"""Pages of this package, included by petitions/urls.py under ``proposals/`` (namespace
``petitions``, names prefixed ``proposal``): views.py."""

from django.urls import path

from petitions.proposals import views

urlpatterns: list = [
    path("", views.proposals, name="proposals"),
    path("import/", views.proposal_import, name="proposal_import"),
    path("figures/", views.proposal_figures, name="proposal_figures"),
    path("figures.xlsx", views.proposal_figures_export, name="proposal_figures_export"),
    path("figures/draft/", views.proposal_summary_draft, name="proposal_summary_draft"),
    path("<int:pk>/", views.proposal_detail, name="proposal"),
    path("<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
]
