"""My deadlines of the coming week on the dashboard (titles masked where the record is closed to me)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from office.dashboard.registry import Listing, Provider, Scope, Tile
from office.workdays.services import format_date


class DeadlineFigures(Provider):
    key = "reminders"
    order = 90

    def panels(self, scope: Scope) -> list:
        from office.reminders import selectors

        week = selectors.my_deadlines(user=scope.user).filter(due_date__lte=scope.today + timedelta(days=7))
        rows = list(week[:8])
        labels = selectors.subject_labels(rows, user=scope.user)
        url = reverse("reminders:my_deadlines")
        return [
            Tile("deadlines-week", _("本周到期"), week.count(), url=url, tone="secondary", personal=True),
            Listing(
                "deadlines-week",
                _("本周到期的期限"),
                [{"title": labels[d.pk], "url": url, "meta": format_date(d.due_date)} for d in rows],
                url=url,
            ),
        ]
