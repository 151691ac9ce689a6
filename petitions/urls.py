"""The 信访 pages, included in office/urls.py under ``petitions/`` (namespace ``petitions``)."""

from django.urls import include, path

from petitions import printing, views

app_name = "petitions"

urlpatterns: list = [
    # pages (registration, ledger, mine, figures): views/pages.py
    path("", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("register/", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
    # the case page and its actions: views/case.py
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/sheet.pdf", printing.case_sheet_pdf, name="case_sheet"),
    path("<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    # the ledgers (领导包案, 接访, 矛盾纠纷): views/ledgers.py
    path("disputes/", views.disputes, name="disputes"),
    path("disputes.xlsx", views.disputes_export, name="disputes_export"),
    path("disputes/<int:pk>/", views.dispute_update, name="dispute_update"),
    path("receptions/", views.receptions, name="receptions"),
    path("leader-cases/", views.leader_cases, name="leader_cases"),
    path("leader-cases/<int:pk>/", views.leader_case_update, name="leader_case_update"),
    path("analysis/", views.analysis, name="analysis"),
    # 建议提案 and 政府信息公开: their packages' pages, in this namespace
    path("proposals/", include("petitions.proposals.urls")),
    path("disclosure/", include("petitions.disclosure.urls")),
]
