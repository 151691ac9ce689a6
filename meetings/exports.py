"""The 会议台账: the meetings a person sees, one row each, as the list page and the API export carry
it away (``office.registers.produce``: bounded, 绝密 rows left out, logged)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from meetings.models import Meeting, Reply
from office.registers import Register
from office.sheets import chinese_date, register_workbook

COLUMNS = [
    (gettext_lazy("会议名称"), 36),
    (gettext_lazy("会议类型"), 14),
    (gettext_lazy("日期"), 16),
    (gettext_lazy("时间"), 14),
    (gettext_lazy("会场"), 20),
    (gettext_lazy("主持人"), 10),
    (gettext_lazy("密级"), 8),
    (gettext_lazy("状态"), 10),
    (gettext_lazy("应到"), 8),
    (gettext_lazy("请假"), 8),
    (gettext_lazy("实到"), 8),
    (gettext_lazy("议题数"), 8),
    (gettext_lazy("议定事项数"), 10),
]


def _rows(meetings: QuerySet[Meeting]):
    counted = meetings.select_related("type", "room", "chair").annotate(
        invited=Count("attendees", distinct=True),
        on_leave=Count("attendees", filter=Q(attendees__reply=Reply.LEAVE), distinct=True),
        present=Count("attendees", filter=Q(attendees__checked_in_at__isnull=False), distinct=True),
        placed=Count("topics", distinct=True),
        decided=Count("decisions", distinct=True),
    )
    for meeting in counted.order_by("-starts_at", "-id"):
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        yield [
            meeting.title,
            meeting.type.name,
            chinese_date(starts.date()),
            f"{starts:%H:%M}—{ends:%H:%M}",
            meeting.room.name if meeting.room else meeting.platform,
            meeting.chair.name,
            meeting.level.label,
            meeting.get_state_display(),
            meeting.invited,
            meeting.on_leave,
            meeting.present,
            meeting.placed,
            meeting.decided,
        ]


def meeting_register_workbook(meetings: QuerySet[Meeting]) -> bytes:
    return register_workbook(str(gettext_lazy("会议台账")), [(str(h), w) for h, w in COLUMNS], _rows(meetings))


REGISTER = Register(
    what="meeting_register",
    title="会议台账",
    too_many=gettext_lazy("会议台账一次最多导出%(max)d条，请缩小筛选范围。"),
    workbook=meeting_register_workbook,
)
