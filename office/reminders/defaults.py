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
    ("petition", "信访办理", 1, 30, "calendar_days", 5),  # 《信访工作条例》: one extension ≤ 30 days
    ("disclosure", "依申请公开答复", 1, 20, "working_days", 3),  # 《政府信息公开条例》: once ≤ 20 working days
    # 3 months from 交办; a complex one up to 6: one extension of ≤ 3 months, counted from 交办 (clock.py).
    ("proposal", "建议提案办理", 1, 3, "months", 10),
    ("meeting", "会议材料与纪要", 1, None, "calendar_days", 2),
    ("copy-return", "涉密载体清退", 1, 30, "calendar_days", 3),
    ("declassification", "解密审查", 1, None, "calendar_days", 10),
]

# The provision each statutory kind's period comes from, cited in every derivation (with 《民法典》
# §201–203 on counting). Kinds whose periods are the office's own defaults cite none.
LEGAL_BASIS = {
    "petition": "《信访工作条例》第三十二条",
    "disclosure": "《政府信息公开条例》第三十三条",
    "proposal": "《全国人民代表大会和地方各级人民代表大会代表法》及政协提案工作条例",
}


def register_kinds(*kinds: tuple) -> None:
    """A domain app adds its kinds (same tuple shape as ``DEFAULT_KINDS``) from its
    ``AppConfig.ready()``; the kernel names no domain app."""
    known = {kind[0] for kind in DEFAULT_KINDS}
    DEFAULT_KINDS.extend(kind for kind in kinds if kind[0] not in known)


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
                "legal_basis": LEGAL_BASIS.get(code, ""),
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
