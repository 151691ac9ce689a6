"""收文 on the dashboard: 办结率 and 按期办结率 for the period (gauges), the monthly trend with
环比/同比, 待我批示, and the 重要来文 (特急/加急) in hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.incoming import selectors
from documents.models import Assignment, AssignmentRole, IncomingDocument, IncomingState
from documents.vocabulary import Urgency
from office.dashboard.registry import Chart, Listing, Provider, Scope, Tile, gauge, rate

S = IncomingState
DONE = [S.DONE, S.ARCHIVED]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class IncomingFigures(Provider):
    key = "incoming"
    order = 20

    def documents(self, scope: Scope):
        return IncomingDocument.objects.all() if scope.whole else IncomingDocument.objects.visible_to(scope.user)

    def leads(self, scope: Scope, start: date, end: date):
        since, until = _bounds(start, end)
        return Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            document__in=self.documents(scope).values("pk"),
            document__instructed_at__gte=since,
            document__instructed_at__lt=until,
        )

    def totals(self, scope: Scope, start: date, end: date) -> dict:
        return self.leads(scope, start, end).aggregate(
            assigned=Count("id"),
            done=Count("id", filter=Q(document__state__in=DONE)),
            on_time=Count("id", filter=Q(document__state__in=DONE, document__done_on_time=True)),
        )

    def instruct_tile(self, scope: Scope) -> Tile:
        return Tile(
            "incoming-instruct",
            _("待我批示"),
            selectors.incoming_inbox(user=scope.user).get("instruct", IncomingDocument.objects.none()).count(),
            url=reverse("documents:incoming_inbox"),
            tone="warning",
            personal=True,
        )

    def panels(self, scope: Scope) -> list:
        if scope.live_only:  # the counts and charts come from the snapshot
            return [self.instruct_tile(scope), self.important(scope)]
        totals = self.totals(scope, scope.start, scope.end)
        length = scope.end - scope.start
        before = self.totals(scope, scope.start - length - timedelta(days=1), scope.start - timedelta(days=1))
        last_year = self.totals(scope, _same_day_last_year(scope.start), _same_day_last_year(scope.end))
        done_rate = rate(totals["done"], totals["assigned"])
        on_time_rate = rate(totals["on_time"], totals["assigned"])
        panels: list = [
            self.instruct_tile(scope),
            Chart(
                "incoming-completion",
                _("收文办结率"),
                gauge(_("收文办结率"), done_rate, _("已办结 %(done)d / 交办 %(assigned)d") % totals),
                table=[
                    [_("交办"), totals["assigned"]],
                    [_("已办结"), totals["done"]],
                    [_("办结率（%）"), done_rate],
                    [_("环比（百分点）"), _delta(done_rate, rate(before["done"], before["assigned"]))],
                    [_("同比（百分点）"), _delta(done_rate, rate(last_year["done"], last_year["assigned"]))],
                ],
            ),
            Chart(
                "incoming-on-time",
                _("收文按期办结率"),
                gauge(_("收文按期办结率"), on_time_rate, _("按期办结 %(on_time)d / 交办 %(assigned)d") % totals),
                table=[
                    [_("按期办结"), totals["on_time"]],
                    [_("按期办结率（%）"), on_time_rate],
                    [_("环比（百分点）"), _delta(on_time_rate, rate(before["on_time"], before["assigned"]))],
                    [_("同比（百分点）"), _delta(on_time_rate, rate(last_year["on_time"], last_year["assigned"]))],
                ],
            ),
            self.trend(scope),
            self.important(scope),
        ]
        return panels

    def trend(self, scope: Scope) -> Chart:
        """The twelve months to the period's end: 交办 (bars) and 办结率 (line)."""
        first = _months_back(scope.end, 11)
        rows = (
            self.leads(scope, first, scope.end)
            .annotate(month=TruncMonth("document__instructed_at"))
            .values("month")
            .annotate(assigned=Count("id"), done=Count("id", filter=Q(document__state__in=DONE)))
            .order_by("month")
        )
        by_month = {row["month"].date().replace(day=1): row for row in rows}
        months = [_months_back(scope.end, n) for n in range(11, -1, -1)]
        labels = [_("%(year)d年%(month)d月") % {"year": m.year, "month": m.month} for m in months]
        assigned = [by_month.get(m, {}).get("assigned", 0) for m in months]
        done = [by_month.get(m, {}).get("done", 0) for m in months]
        rates = [rate(d, a) for d, a in zip(done, assigned, strict=True)]
        return Chart(
            "incoming-trend",
            _("收文办理趋势（近12个月）"),
            {
                "tooltip": {"trigger": "axis"},
                "legend": {"data": [_("交办"), _("办结率")]},
                "xAxis": {"type": "category", "data": labels},
                "yAxis": [{"type": "value", "name": _("件")}, {"type": "value", "name": "%", "max": 100}],
                "series": [
                    {"name": _("交办"), "type": "bar", "data": assigned},
                    {"name": _("办结率"), "type": "line", "yAxisIndex": 1, "data": rates},
                ],
            },
            table=[[label, a, d, r] for label, a, d, r in zip(labels, assigned, done, rates, strict=True)],
        )

    def important(self, scope: Scope) -> Listing:
        """特急/加急 收文 in hand — always only those he may see, whatever the scope."""
        rows = (
            IncomingDocument.objects.visible_to(scope.user)
            .filter(urgency__in=[Urgency.EXTRA_URGENT, Urgency.URGENT])
            .exclude(state__in=[*DONE, S.RETURNED])
            .defer("body", "search_vector")
            .order_by("-delivered_at", "-id")[:8]
        )
        return Listing(
            "incoming-important",
            _("重要来文（特急、加急）"),
            [
                {
                    "title": d.title,
                    "url": reverse("documents:incoming_detail", args=[d.pk]),
                    "meta": f"{d.get_urgency_display()} · {d.get_state_display()}",
                }
                for d in rows
            ],
            url=reverse("documents:incoming_list"),
        )


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _delta(now: float | None, then: float | None) -> float | None:
    return round(now - then, 1) if now is not None and then is not None else None
