"""The meeting types an office starts with (data: the 系统管理员 adjusts them). The lead times are
local practice, not statute: 议题 reach the office 5 working days before a 常务会议 or 全体会议."""

from __future__ import annotations

# code, name, 议题 lead (working days), materials lead, video, numbered (第N次), in the government's name
MEETING_TYPES = (
    ("standing", "常务会议", 5, 2, False, True, True),
    ("plenary", "全体会议", 5, 2, False, True, True),
    ("special", "专题会议", 3, 2, False, False, False),
    ("party_group", "党组会议", 3, 2, False, True, False),
    ("director", "主任办公会议", 2, 1, False, True, False),
    ("work", "工作会议", 3, 2, False, False, True),
    ("video", "电视电话会议", 2, 1, True, False, True),
)


def ensure_meeting_types(sender=None, **kwargs) -> None:
    """The default types when missing (after ``migrate``, and after a test flush); a type the
    administrators changed is never touched."""
    from meetings.models import MeetingType

    for order, (code, name, lead, materials, video, numbered, government) in enumerate(MEETING_TYPES, start=1):
        MeetingType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "topic_lead_days": lead,
                "materials_lead_days": materials,
                "video": video,
                "numbered": numbered,
                "government_name": government,
                "order": order,
            },
        )


# The 会前提醒 of an attendee: the calendar day before and the day itself, nothing after (a meeting
# is not "overdue"). code, name, offset (calendar days), audience.
NOTICE_KIND = ("meeting-notice", "会前提醒")
NOTICE_STAGES = (("eve", "会前一日", -1), ("day", "会议当日", 0))


def ensure_notice_kind(sender=None, **kwargs) -> None:
    """The 会前提醒 deadline kind and its two stages when missing (an administrator's edits kept)."""
    from office.reminders.models import DeadlineKind, ReminderStage

    code, name = NOTICE_KIND
    kind, created = DeadlineKind.objects.get_or_create(
        code=code, defaults={"name": name, "max_extensions": 0, "very_overdue_after": 1}
    )
    if created:
        ReminderStage.objects.bulk_create(
            ReminderStage(kind=kind, code=stage, name=label, offset=offset, offset_unit="calendar_days")
            for stage, label, offset in NOTICE_STAGES
        )
