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

# code, name, max extensions, cap amount, cap unit, very overdue after (working days); the statutory
# kinds (信访, 依申请公开, 建议提案) come from ``presets.KINDS``, with the provision each cites.
DEFAULT_KINDS = [
    ("general", "一般期限", 1, None, "calendar_days", 5),
    ("meeting", "会议材料与纪要", 1, None, "calendar_days", 2),
    ("copy-return", "涉密载体清退", 1, 30, "calendar_days", 3),
    ("declassification", "解密审查", 1, None, "calendar_days", 10),
]


def _statutory_kinds() -> tuple[list[tuple], dict[str, str]]:
    from office.reminders.presets import KINDS

    kinds = [(k.code, str(k.name), k.max_extensions, k.cap, str(k.cap_unit), k.very_overdue_after) for k in KINDS]
    return kinds, {k.code: k.basis for k in KINDS}


def register_kinds(*kinds: tuple) -> None:
    """A domain app adds its kinds (same tuple shape as ``DEFAULT_KINDS``) from its
    ``AppConfig.ready()``; the kernel names no domain app."""
    known = {kind[0] for kind in DEFAULT_KINDS}
    DEFAULT_KINDS.extend(kind for kind in kinds if kind[0] not in known)


def ensure_default_kinds(sender=None, **kwargs) -> None:
    from office.reminders.models import DeadlineKind, ReminderStage

    statutory, legal_basis = _statutory_kinds()
    for code, name, max_extensions, cap, cap_unit, very_overdue in [*DEFAULT_KINDS, *statutory]:
        kind, created = DeadlineKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "max_extensions": max_extensions,
                "extension_cap_amount": cap,
                "extension_cap_unit": cap_unit,
                "very_overdue_after": very_overdue,
                "legal_basis": legal_basis.get(code, ""),
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
