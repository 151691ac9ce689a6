"""``/api/v1/petitions/``: 政府信息公开 — ``disclosure-requests/`` (the 依申请公开台账, a request in full
with its clocks, 征求意见 and 保密审查, 登记, every step of ``rules.REQUEST`` as an action and the
已主动公开 search), ``publications/`` (主动公开: list, detail, 保密审查, 发布, 废止, and ``feed/`` for the
portal) and ``annual-report/`` (the 年度报告's tables, for the organ's 政务公开员).

Thin edges over ``petitions.disclosure.services``, ``publication`` and ``report``: serializers check
shape, services check rules. A record outside the caller's reach is a 404 in the detail and every
action, and absent from the list and its count.

In this package: ``viewsets`` (the requests), ``publications``, ``report``, ``serializers`` (the
answers) and ``inputs`` (query parameters and bodies)."""


def register() -> None:
    """Register this package's viewsets with ``office.api.routes.register``."""
    from office.api.routes import register as route
    from petitions.disclosure.api.publications import PublicationViewSet
    from petitions.disclosure.api.report import AnnualReportViewSet
    from petitions.disclosure.api.viewsets import DisclosureRequestViewSet

    route("petitions/disclosure-requests", DisclosureRequestViewSet, basename="disclosure-request")
    route("petitions/publications", PublicationViewSet, basename="publication")
    route("petitions/annual-report", AnnualReportViewSet, basename="disclosure-annual-report")
