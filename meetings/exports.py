"""The 会议台账: the meetings a person sees, one row each, as the list page and the API export carry
it away (``office.registers.produce``: bounded, 绝密 rows left out, logged)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from meetings.models import Meeting
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
    from meetings.selectors import seat_counts  # 应到/请假/实到 as the meeting page counts them

    seats = seat_counts(meetings.values("pk"))
    counted = meetings.select_related("type", "room", "chair").annotate(
        placed=Count("topics", distinct=True),
        decided=Count("decisions", distinct=True),
    )
    none = {"invited": 0, "on_leave": 0, "present": 0}
    for meeting in counted.order_by("-starts_at", "-id"):
        meeting.invited, meeting.on_leave, meeting.present = (seats.get(meeting.pk, none)[k] for k in none)
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


# --- 参会证 list -------------------------------------------------------------------------------------------

BADGE_COLUMNS = [
    (gettext_lazy("证号"), 8),
    (gettext_lazy("姓名"), 12),
    (gettext_lazy("单位"), 24),
    (gettext_lazy("职务"), 16),
    (gettext_lazy("身份"), 10),
    (gettext_lazy("讨论组"), 14),
    (gettext_lazy("座次"), 24),
    (gettext_lazy("备注"), 16),
]


def badges_workbook(meeting: Meeting, rows: list[dict]) -> bytes:
    """The 参会证 printing list of ``meeting`` (``selectors.badges``), one sheet (never a 绝密 meeting's:
    the caller checks ``rules.exportable``)."""
    from django.utils.translation import gettext as _

    def note(row: dict) -> str:
        return _("代%(name)s参会") % {"name": row["substitute_for"]} if row["substitute_for"] else ""

    lines = (
        [r["number"], r["name"], r["unit"], r["post"], r["role_display"], r["group"], r["seat"], note(r)] for r in rows
    )
    title = str(gettext_lazy("参会证名单"))
    if meeting.is_classified:  # the sheet carries its 密级 wherever the file goes
        title = f"{title}（{meeting.level.label}）"
    return register_workbook(title, [(str(h), w) for h, w in BADGE_COLUMNS], lines)
