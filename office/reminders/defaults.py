"""The deadline kinds every installation starts with; administrators change them in the admin.

Created after every migrate (and test flush) when missing; existing rows are never overwritten."""

DEFAULT_STAGES = [
    # code, name, offset, unit, repeat every, audience
    ("before-3", "届满前3个工作日", -3, "working_days", None, "responsible"),
    ("before-1", "届满前1个工作日", -1, "working_days", None, "responsible"),
    ("due", "届满当日", 0, "calendar_days", None, "responsible"),
    ("overdue", "逾期", 1, "calendar_days", 7, "responsible"),
    ("overdue-head", "逾期告知单位负责人", 1, "calendar_days", 7, "unit_head"),
    ("very-overdue", "严重逾期", 0, "calendar_days", 7, "supervision"),  # offset = kind.very_overdue_after
]

# code, name, max extensions, cap amount, cap unit, very overdue after (working days)
DEFAULT_KINDS = [
    ("general", "一般期限", 1, None, "calendar_days", 5),
    ("document", "公文承办", 2, None, "calendar_days", 5),
    ("circulation", "公文传阅", 1, None, "calendar_days", 3),
    ("supervision", "督查督办", 2, None, "calendar_days", 5),
    ("supervision-report", "督办进展反馈", 0, None, "calendar_days", 5),  # an expected report is never extended
    ("petition", "信访办理", 1, 30, "calendar_days", 5),  # 《信访工作条例》: one extension ≤ 30 days
    ("disclosure", "依申请公开答复", 1, 20, "working_days", 3),  # 《政府信息公开条例》: once ≤ 20 working days
    ("proposal", "建议提案办理", 1, 3, "months", 10),
    ("meeting", "会议材料与纪要", 1, None, "calendar_days", 2),
    ("copy-return", "涉密载体清退", 1, 30, "calendar_days", 3),
    ("declassification", "解密审查", 1, None, "calendar_days", 10),
]


def ensure_default_kinds(sender=None, **kwargs) -> None:
    from office.reminders.models import DeadlineKind, ReminderStage

    for code, name, max_extensions, cap, cap_unit, very_overdue in DEFAULT_KINDS:
        kind, created = DeadlineKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "max_extensions": max_extensions,
                "extension_cap_amount": cap,
                "extension_cap_unit": cap_unit,
                "very_overdue_after": very_overdue,
            },
        )
        if created:
            ReminderStage.objects.bulk_create(
                ReminderStage(
                    kind=kind,
                    code=stage,
                    name=label,
                    offset=offset,
                    offset_unit=unit,
                    repeat_every_days=repeat,
                    audience=audience,
                )
                for stage, label, offset, unit, repeat, audience in DEFAULT_STAGES
            )
