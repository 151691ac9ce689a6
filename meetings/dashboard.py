"""会议 on the dashboard: the meetings of the week (Monday to Sunday of the scope's day, not cancelled),
the 议题 waiting for 审核 or 定题, and the year's 议定事项落实率 and 出席率 (``figures.meeting_figures``,
the year of the scope's end).

A reader's figures count ``visible_to(user)``; the organisation-wide scope (``Scope.whole``) counts
every meeting and 议题 for the first two tiles (``meeting_figures`` reads for a reader only, so the
two rates are a reader's own)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetings.figures import meeting_figures
from meetings.models import Meeting, MeetingState, Topic, TopicState
from office.dashboard.registry import Provider, Scope, Tile

LEDGER = "/meetings/"
TOPICS = "/meetings/topics/"
# 待定题: 报送 (waiting for the 分管领导's 审核) and 审核 (waiting for the 主要领导's 定题).
WAITING_TOPICS = (TopicState.SUBMITTED, TopicState.REVIEWED)


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def meetings(scope: Scope) -> QuerySet[Meeting]:
    return Meeting.objects.all() if scope.whole else Meeting.objects.visible_to(scope.user)


def topics(scope: Scope) -> QuerySet[Topic]:
    return Topic.objects.all() if scope.whole else Topic.objects.visible_to(scope.user)


def this_week(scope: Scope) -> QuerySet[Meeting]:
    monday, sunday = week_of(scope.today)
    return meetings(scope).filter(starts_at__date__range=(monday, sunday)).exclude(state=MeetingState.CANCELLED)


def waiting_topics(scope: Scope) -> QuerySet[Topic]:
    return topics(scope).filter(state__in=WAITING_TOPICS)


def percent(fraction: float | None) -> str:
    """A rate of ``meeting_figures`` (0–1) as the tile shows it; “—” when there is nothing to divide by."""
    return "—" if fraction is None else f"{round(100 * fraction, 1)}%"


class MeetingFigures(Provider):
    key = "meetings"
    order = 45

    def panels(self, scope: Scope) -> list:
        if scope.live_only:  # no personal tile: everything comes from the snapshot
            return []
        monday, sunday = week_of(scope.today)
        panels = [
            Tile(
                "meetings-week",
                _("本周会议"),
                this_week(scope).count(),
                url=f"{LEDGER}?after={monday.isoformat()}&before={sunday.isoformat()}",
            ),
            Tile(
                "meetings-topics-waiting",
                _("待定题议题"),
                waiting_topics(scope).count(),
                url=TOPICS,
                tone="warning",
            ),
        ]
        if scope.whole:
            return panels
        figures = meeting_figures(user=scope.user, year=scope.end.year)
        decisions = figures["decisions"]
        panels += [
            Tile(
                "meetings-decisions-done",
                _("议定事项已落实"),
                decisions["done"],
                tone="success",
                hint=_("落实率%(rate)s（办结 %(done)d / 转督办 %(with_item)d）")
                % {**decisions, "rate": percent(decisions["rate"])},
            ),
            Tile(
                "meetings-held",
                _("本年已召开会议"),
                figures["held"],
                tone="secondary",
                hint=_("出席率%(rate)s") % {"rate": percent(figures["attendance_rate"])},
            ),
        ]
        return panels
