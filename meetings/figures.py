"""会议 figures of a year, over what the reader may see: meetings held by type and month, 议题 定题 vs
撤回/退回, the attendance rate, the 议定事项 落实率 (their 督办 items 办结) and the share of 电视电话会议."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from meetings.models import Attendee, AttendeeRole, Decision, Meeting, MeetingState, Reply, Topic, TopicState
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
    - ``video_share``: 电视电话会议 ÷ meetings held.
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

    people = (
        Attendee.objects.filter(meeting__in=held.values("pk"))
        .exclude(role=AttendeeRole.STAFF)
        .values("meeting")
        .annotate(
            invited=Count("id"),
            leave=Count("id", filter=Q(reply=Reply.LEAVE)),
            present=Count("id", filter=Q(checked_in_at__isnull=False)),
        )
    )
    rates = [row["present"] / (row["invited"] - row["leave"]) for row in people if row["invited"] > row["leave"]]
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
    }
