"""会议 figures of a year, over what the reader may see: meetings held by type and month, 议题 定题 vs
撤回/退回, the attendance rate, the 议定事项 落实率 (their 督办 items 办结) and the share of 电视电话会议 —
and the 精文减会 figures: the meetings against last year's by type, the 会议费 spent against the
plan's budgets, and how much of the approved 会议计划 was held."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from meetings.models import (
    Decision,
    Meeting,
    MeetingPlan,
    MeetingState,
    MeetingType,
    PlanState,
    Topic,
    TopicState,
)
from meetings.selectors import seat_counts
from office.org.models import User

HELD_STATES = (MeetingState.HELD, MeetingState.MINUTED, MeetingState.CLOSED)
APPROVED_STATES = (TopicState.APPROVED, TopicState.PLACED, TopicState.DISCUSSED)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def meeting_figures(*, user: User, year: int) -> dict:
    """The year's figures (rates are fractions 0–1, None when there is nothing to divide by):

    - ``held``, ``by_type`` ([{code, name, count, by_month: [12]}]), ``by_month`` ([12]);
    - ``topics``: {approved, withdrawn, returned} of the 议题 submitted that year;
    - ``attendance_rate``: the mean over held meetings of 签到 ÷ (invited − 请假), staff not counted;
    - ``decisions``: {total, with_item, done, rate}: 落实率 = items 办结 ÷ decisions with an item;
    - ``video_share``: 电视电话会议 ÷ meetings held (``video``: their number);
    - ``versus_last_year``: {last_year, change, by_type: [{code, name, count, last_year, change}]}:
      meetings held this year and last, by type (every type held in either);
    - ``cost``: {spent, with_cost, budget, budgeted}: the 会议费 of the meetings held (and how many
      have one), the budgets of the year's approved plan entries (and how many have one), in 元;
    - ``plans``: {entries, approved, held, rate, unplanned, submitted, returned, dropped}: the year's
      会议计划 entries (not 撤销), approved, approved ones a meeting was held under (执行率 =
      held ÷ approved), 计划外 approved, waiting, returned and 撤销.
    """
    from supervision.models import ItemState

    held = Meeting.objects.visible_to(user).filter(year=year, state__in=HELD_STATES)
    rows = (
        held.annotate(month=ExtractMonth("starts_at"))
        .values("type", "type__name", "type__order", "month")
        .annotate(n=Count("id"))
        .order_by("type__order", "type", "month")
    )
    by_type: dict[str, dict] = {}
    by_month = [0] * 12
    for row in rows:
        entry = by_type.setdefault(
            row["type"], {"code": row["type"], "name": row["type__name"], "count": 0, "by_month": [0] * 12}
        )
        entry["count"] += row["n"]
        entry["by_month"][row["month"] - 1] += row["n"]
        by_month[row["month"] - 1] += row["n"]
    total = sum(by_month)
    video = held.filter(type__video=True).count()

    topics = (
        Topic.objects.visible_to(user)
        .filter(submitted_at__year=year)
        .aggregate(
            approved=Count("id", filter=Q(state__in=APPROVED_STATES)),
            withdrawn=Count("id", filter=Q(state=TopicState.WITHDRAWN)),
            returned=Count("id", filter=Q(state=TopicState.RETURNED)),
        )
    )

    people = seat_counts(held.values("pk")).values()
    rates = [row["present"] / (row["invited"] - row["on_leave"]) for row in people if row["invited"] > row["on_leave"]]
    attendance = round(sum(rates) / len(rates), 4) if rates else None

    decisions = Decision.objects.filter(meeting__in=held.values("pk")).aggregate(
        total=Count("id"),
        with_item=Count("id", filter=Q(item__isnull=False)),
        done=Count("id", filter=Q(item__state=ItemState.DONE)),
    )
    decisions["rate"] = _rate(decisions["done"], decisions["with_item"])

    return {
        "year": year,
        "held": total,
        "by_type": list(by_type.values()),
        "by_month": by_month,
        "topics": topics,
        "attendance_rate": attendance,
        "decisions": decisions,
        "video_share": _rate(video, total),
        "video": video,
        "versus_last_year": _versus_last_year(user, year, by_type),
        "cost": _cost(user, year, held),
        "plans": _plans(user, year),
    }


def _versus_last_year(user: User, year: int, by_type: dict[str, dict]) -> dict:
    last = dict(
        Meeting.objects.visible_to(user)
        .filter(year=year - 1, state__in=HELD_STATES)
        .values("type")
        .annotate(n=Count("id"))
        .values_list("type", "n")
    )
    rows = []
    for kind in MeetingType.objects.filter(pk__in={*by_type, *last}):
        count, before = by_type.get(kind.pk, {}).get("count", 0), last.get(kind.pk, 0)
        rows.append({"code": kind.pk, "name": kind.name, "count": count, "last_year": before, "change": count - before})
    this_year = sum(row["count"] for row in by_type.values())
    return {"last_year": sum(last.values()), "change": this_year - sum(last.values()), "by_type": rows}


def _cost(user: User, year: int, held) -> dict:
    spent = held.aggregate(spent=Sum("cost"), with_cost=Count("id", filter=Q(cost__isnull=False)))
    budget = (
        MeetingPlan.objects.visible_to(user)
        .filter(year=year, state=PlanState.APPROVED)
        .aggregate(total=Sum("budget"), budgeted=Count("id", filter=Q(budget__isnull=False)))
    )
    zero = Decimal("0.00")
    return {
        "spent": spent["spent"] or zero,
        "with_cost": spent["with_cost"],
        "budget": budget["total"] or zero,
        "budgeted": budget["budgeted"],
    }


def _plans(user: User, year: int) -> dict:
    plans = MeetingPlan.objects.visible_to(user).filter(year=year)
    figures = plans.aggregate(
        entries=Count("id", filter=~Q(state=PlanState.DROPPED)),
        approved=Count("id", filter=Q(state=PlanState.APPROVED)),
        unplanned=Count("id", filter=Q(state=PlanState.APPROVED, unplanned=True)),
        submitted=Count("id", filter=Q(state=PlanState.SUBMITTED)),
        returned=Count("id", filter=Q(state=PlanState.RETURNED)),
        dropped=Count("id", filter=Q(state=PlanState.DROPPED)),
    )
    held_under = Meeting.objects.visible_to(user).filter(state__in=HELD_STATES, plan__isnull=False).values("plan")
    figures["held"] = plans.filter(state=PlanState.APPROVED, pk__in=held_under).count()
    figures["rate"] = _rate(figures["held"], figures["approved"])
    return figures
