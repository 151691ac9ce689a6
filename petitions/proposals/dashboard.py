"""建议提案 on the dashboard: the items in hand (办理中 and 二次办理), those past their units' earliest
clock, and the 满意率 of the answers rated in the period ((满意 + 基本满意) / 参评, each answering
unit's share counted once).

A reader's own figures count ``selectors.proposals_visible(user)``; the organisation-wide scope
(``Scope.whole``, computed without a reader for the snapshot) counts every item."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from office.dashboard.registry import Chart, Provider, Scope, Tile, gauge, rate
from petitions.proposals.models import AssignmentState, Proposal, ProposalAssignment, Satisfaction, ShareRole
from petitions.proposals.rules import OPEN
from petitions.proposals.selectors import proposals_visible

LEDGER = "/petitions/proposals/"


def proposals(scope: Scope) -> QuerySet[Proposal]:
    """What the scope counts: the visible items, or (global) all of them."""
    return Proposal.objects.all() if scope.whole else proposals_visible(user=scope.user)


def totals(scope: Scope) -> dict[str, int]:
    """The figures the tiles and the gauge show (also what the tests count by hand)."""
    items = proposals(scope)
    counts = items.aggregate(
        open=Count("id", filter=Q(state__in=OPEN)),
        overdue=Count("id", filter=Q(state__in=OPEN, due__lt=scope.today)),
    )
    rated = (
        ProposalAssignment.objects.filter(proposal__in=items.values("pk"), rated_on__range=(scope.start, scope.end))
        .exclude(role=ShareRole.ASSIST)
        .exclude(state=AssignmentState.WITHDRAWN)
        .exclude(satisfaction="")
        .aggregate(
            rated=Count("id"),
            satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        )
    )
    return {**counts, **rated}


class ProposalFigures(Provider):
    key = "proposals"
    order = 41

    def panels(self, scope: Scope) -> list:
        if scope.live_only:  # no personal tile: everything comes from the snapshot
            return []
        figures = totals(scope)
        satisfaction = rate(figures["satisfied"], figures["rated"])
        return [
            Tile("proposals-open", _("建议提案在办"), figures["open"], url=LEDGER),
            Tile(
                "proposals-overdue",
                _("建议提案超期"),
                figures["overdue"],
                url=f"{LEDGER}?overdue=1",
                tone="danger",
            ),
            Chart(
                "proposals-satisfaction",
                _("建议提案满意率"),
                gauge(
                    _("建议提案满意率"),
                    satisfaction,
                    _("满意和基本满意 %(part)d / 参评 %(whole)d")
                    % {"part": figures["satisfied"], "whole": figures["rated"]},
                ),
                table=[
                    [_("建议提案满意率"), satisfaction],
                    [_("分子"), figures["satisfied"]],
                    [_("分母"), figures["rated"]],
                ],
            ),
        ]
