"""政府信息公开 on the dashboard: 依申请公开 in hand, due within 3 working days and past due (the
答复期限 of a running clock: a stopped one — 补正, 征求意见 — has none), and the 主动公开 not yet
published (待保密审查 and 待发布) with those past their 20 working days.

A reader's own figures count ``selectors.requests_visible`` and ``publications_visible``; the
organisation-wide scope (``Scope.whole``, computed without a reader for the snapshot) counts all."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from office.dashboard.registry import Provider, Scope, Tile
from office.workdays.services import PeriodUnit, due_date
from petitions.disclosure.models import DisclosureRequest, Publication, PublicationState
from petitions.disclosure.rules import OPEN
from petitions.disclosure.selectors import publications_visible, requests_visible

LEDGER = "/petitions/disclosure/"
PUBLICATIONS = "/petitions/disclosure/publications/"
SOON_WORKING_DAYS = 3
UNPUBLISHED = (PublicationState.PENDING, PublicationState.CLEARED)


def soon_after(today: date) -> date:
    """The last day that counts as "due within 3 working days" of ``today``."""
    return due_date(today, SOON_WORKING_DAYS, PeriodUnit.WORKING_DAYS).due_date


def requests(scope: Scope) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.all() if scope.whole else requests_visible(user=scope.user)


def publications(scope: Scope) -> QuerySet[Publication]:
    return Publication.objects.all() if scope.whole else publications_visible(user=scope.user)


def totals(scope: Scope) -> dict[str, int]:
    """The figures the tiles show (also what the tests count by hand)."""
    soon = soon_after(scope.today)
    figures = requests(scope).aggregate(
        open=Count("id", filter=Q(state__in=OPEN)),
        soon=Count("id", filter=Q(state__in=OPEN, due__gte=scope.today, due__lte=soon)),
        overdue=Count("id", filter=Q(state__in=OPEN, due__lt=scope.today)),
    )
    published = publications(scope).aggregate(
        unpublished=Count("id", filter=Q(state__in=UNPUBLISHED)),
        late=Count("id", filter=Q(state__in=UNPUBLISHED, due__lt=scope.today)),
    )
    return {**figures, **published}


class DisclosureFigures(Provider):
    key = "disclosure"
    order = 42

    def panels(self, scope: Scope) -> list:
        if scope.live_only:  # no personal tile: everything comes from the snapshot
            return []
        figures = totals(scope)
        return [
            Tile("disclosure-open", _("依申请公开在办"), figures["open"], url=LEDGER),
            Tile("disclosure-soon", _("依申请公开3个工作日内到期"), figures["soon"], url=LEDGER, tone="warning"),
            Tile(
                "disclosure-overdue",
                _("依申请公开超期"),
                figures["overdue"],
                url=f"{LEDGER}?overdue=1",
                tone="danger",
            ),
            Tile("publications-unpublished", _("主动公开待公开"), figures["unpublished"], url=PUBLICATIONS),
            Tile(
                "publications-late",
                _("主动公开逾期"),
                figures["late"],
                url=PUBLICATIONS,
                tone="danger",
            ),
        ]
