"""Reads of the 信访 ledgers (矛盾纠纷排查化解, 领导接访日, 领导包案) for pages and exports.

Every ledger is the viewer's organ's only, and a row linked to a 信访事项 is shown only when the
viewer sees that case (``PetitionCase.objects.visible_to``): a 检举控告's accused unit never sees
a dispute, a reception or a 包案 of it — not in a list, a count or an export.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from office.confidentiality.visibility import person_of
from office.sheets import chinese_date, register_workbook
from petitions.ledger_rules import organ_id_of
from petitions.models import Dispute, LeaderCase, PetitionCase, Reception


def _visible_case_ids(user) -> QuerySet:
    return PetitionCase.objects.visible_to(user).values("pk")


def month_start(day: date) -> date:
    return day.replace(day=1)


def disputes_visible(*, user, filters: dict | None = None) -> QuerySet[Dispute]:
    """The 矛盾纠纷排查化解台账 of the viewer's organ, filtered by ``month`` (any day of it), ``risk``,
    ``status``, ``responsible_unit``, ``backlog`` (积案 only)."""
    organ = organ_id_of(user)
    if organ is None:
        return Dispute.objects.none()
    rows = Dispute.objects.filter(organ_id=organ).filter(Q(case__isnull=True) | Q(case__in=_visible_case_ids(user)))
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    if month := filters.get("month"):
        rows = rows.filter(month=month_start(month))
    for name in ("risk", "status", "responsible_unit"):
        if value := filters.get(name):
            rows = rows.filter(**{name: value})
    if filters.get("backlog") in (True, "1", "true", "on"):
        rows = rows.filter(backlog=True)
    return rows.select_related("area", "responsible_unit", "case__organ", "recorded_by")


def dispute_visible(*, user, pk) -> Dispute | None:
    return disputes_visible(user=user).filter(pk=pk).first() if str(pk).isdigit() else None


def receptions_visible(*, user) -> QuerySet[Reception]:
    """The organ's 领导接访日, but none that lists a case the viewer does not see."""
    organ = organ_id_of(user)
    if organ is None:
        return Reception.objects.none()
    # A reception listing any case the viewer does not see is left out whole.
    invisible = PetitionCase.objects.exclude(pk__in=_visible_case_ids(user))
    hidden = Reception.objects.filter(organ_id=organ, cases__in=invisible).values("pk")
    return (
        Reception.objects.filter(organ_id=organ)
        .exclude(pk__in=hidden)
        .select_related("leader")
        .prefetch_related("cases__organ")
        .order_by("-day", "-id")
    )


def leader_cases_visible(*, user, mine: bool = False) -> QuerySet[LeaderCase]:
    """The organ's 领导包案 on cases the viewer sees (``mine``: those he leads)."""
    organ = organ_id_of(user)
    if organ is None:
        return LeaderCase.objects.none()
    rows = LeaderCase.objects.filter(case__organ_id=organ, case__in=_visible_case_ids(user))
    if mine:
        person = person_of(user)
        rows = rows.filter(leader=person)
    return rows.select_related("case__organ", "case__category", "leader").order_by("-updated_at", "-id")


def leader_case_visible(*, user, pk) -> LeaderCase | None:
    return leader_cases_visible(user=user).filter(pk=pk).first() if str(pk).isdigit() else None


# --- The Excel ledger -------------------------------------------------------------------------------

DISPUTE_COLUMNS = [
    (gettext_lazy("排查月份"), 12),
    (gettext_lazy("矛盾纠纷"), 40),
    (gettext_lazy("属地"), 16),
    (gettext_lazy("风险等级"), 8),
    (gettext_lazy("责任单位"), 24),
    (gettext_lazy("化解方案"), 40),
    (gettext_lazy("化解时限"), 14),
    (gettext_lazy("化解状态"), 8),
    (gettext_lazy("信访积案"), 8),
    (gettext_lazy("关联信访事项"), 18),
]


def dispute_workbook(disputes: QuerySet[Dispute]) -> bytes:
    """The rows of ``disputes`` (from ``disputes_visible``) as .xlsx bytes."""
    rows = (
        [
            f"{d.month.year}年{d.month.month}月",
            d.title,
            d.area.name if d.area_id else "",
            d.get_risk_display(),
            d.responsible_unit.name,
            d.plan,
            chinese_date(d.due),
            d.get_status_display(),
            "是" if d.backlog else "否",
            d.case.number if d.case_id else "",
        ]
        for d in disputes
    )
    return register_workbook(str(gettext_lazy("矛盾纠纷排查化解台账")), DISPUTE_COLUMNS, rows)
