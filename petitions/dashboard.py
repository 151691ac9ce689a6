"""信访 on the dashboard: the open cases, those past their clock and the 紧急敏感 ones; 信访热点 by
category and by area; 及时受理率, 按期办结率 and 满意率 of the cases received in the period.

Everything is counted over ``PetitionCase.objects.visible_to(viewer)``. The organisation-wide
scope (``Scope.whole``: ``view_global_statistics``) counts every case — except those that bar the
viewer: a 检举控告 is never counted for the accused unit or person, whatever permission they hold
(``not_barred_q``). The 紧急敏感 tile is the reader's own (what he may act on), never global."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from office.confidentiality.visibility import not_barred_q, person_of
from office.dashboard.registry import Chart, Provider, Scope, Tile, gauge, rate
from petitions.models import CaseState, PetitionCase, Satisfaction, Stage
from petitions.rules import OPEN

TOP = 10  # bars per hot-spot chart


def cases(scope: Scope) -> QuerySet[PetitionCase]:
    """What the scope counts: the visible cases, or (global) all that do not bar the viewer."""
    if scope.whole:
        return PetitionCase.objects.filter(not_barred_q(PetitionCase, person_of(scope.user)))
    return PetitionCase.objects.visible_to(scope.user)


def period(scope: Scope) -> QuerySet[PetitionCase]:
    """The cases received in the scope's period, a merged one counted once (in the case it joined)."""
    return cases(scope).filter(received_on__range=(scope.start, scope.end)).exclude(state=CaseState.MERGED)


def totals(scope: Scope) -> dict[str, int]:
    """The figures the tiles and gauges show (also what the tests count by hand)."""
    open_counts = cases(scope).aggregate(
        open=Count("id", filter=Q(state__in=OPEN)),
        overdue=Count("id", filter=Q(state__in=OPEN, due__lt=scope.today)),
    )
    urgent = PetitionCase.objects.visible_to(scope.user).filter(state__in=OPEN, urgent=True).count()
    first_answered = Q(replies__stage=Stage.FIRST, replies__served_on__isnull=False)
    rates = period(scope).aggregate(
        accepted=Count("id", filter=Q(accepted_on__isnull=False), distinct=True),
        accepted_on_time=Count("id", filter=Q(accepted_on_time=True), distinct=True),
        answered=Count("id", filter=first_answered, distinct=True),
        answered_on_time=Count("id", filter=first_answered & Q(done_on_time=True), distinct=True),
        rated=Count("id", filter=~Q(satisfaction=""), distinct=True),
        satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]), distinct=True),
    )
    return {**open_counts, "urgent": urgent, **rates}


def hot_spots(scope: Scope, by: str) -> list[tuple[int | None, str, int]]:
    """信访热点: (id, name, cases received in the period) by top-level category or by area, most first."""
    if by == "category":
        # A sub-category counts for its top-level class (城乡建设 › 征地拆迁 → 城乡建设).
        rows = (
            period(scope)
            .values("category__parent_id", "category__parent__name", "category_id", "category__name")
            .annotate(n=Count("id"))
        )
        merged: dict[int, list] = {}
        for row in rows:
            pk = row["category__parent_id"] or row["category_id"]
            name = row["category__parent__name"] or row["category__name"]
            merged.setdefault(pk, [pk, name, 0])[2] += row["n"]
        found = [tuple(v) for v in merged.values()]
    else:
        rows = period(scope).values("area_id", "area__name").annotate(n=Count("id"))
        found = [(row["area_id"], row["area__name"] or _("（未定）"), row["n"]) for row in rows]
    return sorted(found, key=lambda r: (-r[2], r[1]))[:TOP]


class PetitionFigures(Provider):
    key = "petitions"
    order = 40

    def urgent_tile(self, scope: Scope, ledger: str) -> Tile:
        urgent = PetitionCase.objects.visible_to(scope.user).filter(state__in=OPEN, urgent=True).count()
        return Tile(
            "petitions-urgent",
            _("紧急敏感信访事项"),
            urgent,  # personal: what he himself may open
            url=f"{ledger}?urgent=1",
            tone="warning",
            personal=True,
        )

    def panels(self, scope: Scope) -> list:
        ledger = reverse("petitions:ledger")
        if scope.live_only:  # the counts, rates and hot spots come from the snapshot
            return [self.urgent_tile(scope, ledger)]
        figures = totals(scope)
        return [
            Tile("petitions-open", _("在办信访事项"), figures["open"], url=ledger),
            Tile(
                "petitions-overdue",
                _("超期信访事项"),
                figures["overdue"],
                url=f"{ledger}?overdue=1",
                tone="danger",
            ),
            self.urgent_tile(scope, ledger),
            self._hot(scope, "category", _("信访热点（按问题分类）")),
            self._hot(scope, "area", _("信访热点（按问题属地）")),
            self._gauge(
                "petitions-timely",
                _("及时受理率"),
                figures["accepted_on_time"],
                figures["accepted"],
                _("及时受理 %(part)d / 受理 %(whole)d"),
            ),
            self._gauge(
                "petitions-on-time",
                _("按期办结率"),
                figures["answered_on_time"],
                figures["answered"],
                _("按期答复 %(part)d / 已答复 %(whole)d"),
            ),
            self._gauge(
                "petitions-satisfaction",
                _("满意率"),
                figures["satisfied"],
                figures["rated"],
                _("满意和基本满意 %(part)d / 参评 %(whole)d"),
            ),
        ]

    def _gauge(self, key: str, title: str, part: int, whole: int, name: str) -> Chart:
        return Chart(
            key,
            title,
            gauge(title, rate(part, whole), name % {"part": part, "whole": whole}),
            table=[[title, rate(part, whole)], [_("分子"), part], [_("分母"), whole]],
        )

    def _hot(self, scope: Scope, by: str, title: str) -> Chart:
        rows = hot_spots(scope, by)
        names = [name for _pk, name, _n in rows]
        values = [n for _pk, _name, n in rows]
        ledger = reverse("petitions:ledger")
        period = {"received_from": scope.start, "received_to": scope.end}
        links = [f"{ledger}?{urlencode({by: pk, **period})}" if pk else "" for pk, _name, _n in rows]
        return Chart(
            f"petitions-hot-{by}",
            title,
            {
                "tooltip": {},
                "grid": {"containLabel": True},
                "xAxis": {"type": "value"},
                "yAxis": {"type": "category", "inverse": True, "data": names},
                "series": [{"id": by, "type": "bar", "data": values}],
            },
            links=links,
            table=[[name, n] for _pk, name, n in rows],
        )
