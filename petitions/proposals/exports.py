"""建议提案办理 figures per 承办单位 for a year, as a table, an Excel workbook and the 办理工作总结 (a
报告 draft) — counted from the items the reader sees (``proposals_visible``), never retyped.

Per unit, over its live shares (an adjusted-away share, 已调整, counts nowhere):
- 主办件数, 会办件数, 分办件数: its shares by role;
- 按期答复率: answering shares (主办, 分办) answered on time / those answered or already past their
  due date unanswered (an overdue item is not left out of the rate);
- 沟通率: answering shares with at least one 沟通联系 / answering shares;
- 满意率: (满意 + 基本满意) / the shares whose proposers' 征询意见 is recorded;
- A类占比: 答复 with 办理结果 A / 答复 with a 办理结果;
- 二次办理件数: answering shares handled a second time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Role
from office.sheets import register_sheet, text_cell, workbook_bytes
from petitions.proposals.models import (
    AssignmentState,
    ProposalAssignment,
    ProposalContact,
    ProposalKind,
    ResultCode,
    Satisfaction,
    ShareRole,
)
from petitions.proposals.selectors import proposals_visible

__all__ = ["proposal_figures", "proposal_figures_workbook", "proposal_summary_body", "proposal_summary_draft"]

FIGURE_COLUMNS = [
    (gettext_lazy("承办单位"), 28),
    (gettext_lazy("主办件数"), 10),
    (gettext_lazy("会办件数"), 10),
    (gettext_lazy("分办件数"), 10),
    (gettext_lazy("按期答复率"), 12),
    (gettext_lazy("沟通率"), 10),
    (gettext_lazy("满意率"), 10),
    (gettext_lazy("A类占比"), 10),
    (gettext_lazy("二次办理件数"), 12),
]


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


@dataclass
class _Tally:
    unit: object = None
    roles: Counter = field(default_factory=Counter)
    answering: int = 0
    reckoned: int = 0  # answered, or past due unanswered
    on_time: int = 0
    contacted: int = 0
    rated: int = 0
    satisfied: int = 0
    coded: int = 0
    a_class: int = 0
    rehandled: int = 0

    def add(self, share: ProposalAssignment, today) -> None:
        self.roles[share.role] += 1
        if share.role == ShareRole.ASSIST:
            return
        self.answering += 1
        if share.replied_on is not None or (share.due is not None and share.due < today):
            self.reckoned += 1
        self.on_time += share.replied_on is not None and share.replied_on_time is True
        self.contacted += share.contacted
        if share.satisfaction:
            self.rated += 1
            self.satisfied += share.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC)
        if share.result_code:
            self.coded += 1
            self.a_class += share.result_code == ResultCode.A
        self.rehandled += share.rehandle_count > 0

    def row(self, label: str) -> dict:
        return {
            "unit": self.unit,
            "label": label,
            "lead": self.roles[ShareRole.LEAD],
            "assist": self.roles[ShareRole.ASSIST],
            "split": self.roles[ShareRole.SPLIT],
            "answering": self.answering,
            "reckoned": self.reckoned,
            "on_time": self.on_time,
            "on_time_rate": rate(self.on_time, self.reckoned),
            "contacted": self.contacted,
            "contact_rate": rate(self.contacted, self.answering),
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfaction_rate": rate(self.satisfied, self.rated),
            "coded": self.coded,
            "a_class": self.a_class,
            "a_rate": rate(self.a_class, self.coded),
            "rehandled": self.rehandled,
        }


def visible_shares(*, user, year: int):
    """The live shares of the items of ``year``'s sessions that ``user`` sees."""
    items = proposals_visible(user=user, filters={"year": year})
    return (
        ProposalAssignment.objects.filter(proposal__in=items.values("pk"))
        .exclude(state=AssignmentState.WITHDRAWN)
        .annotate(contacted=Exists(ProposalContact.objects.filter(assignment=OuterRef("pk"))))
        .select_related("unit")
    )


def proposal_figures(*, user, year: int) -> list[dict]:
    """One row per 承办单位 (in the organisation's order), then the 合计 row (``unit`` None)."""
    today = timezone.localdate()
    tallies: dict[int, _Tally] = {}
    whole = _Tally()
    for share in visible_shares(user=user, year=year):
        tallies.setdefault(share.unit_id, _Tally(unit=share.unit)).add(share, today)
        whole.add(share, today)
    ordered = sorted(tallies.values(), key=lambda t: (t.unit.sort_order, t.unit.code))
    return [*(t.row(t.unit.name) for t in ordered), whole.row(_("合计"))]


def figure_values(row: dict) -> list:
    return [
        row["label"],
        row["lead"],
        row["assist"],
        row["split"],
        percent(row["on_time_rate"]),
        percent(row["contact_rate"]),
        percent(row["satisfaction_rate"]),
        percent(row["a_rate"]),
        row["rehandled"],
    ]


def proposal_figures_workbook(rows: list[dict], *, year: int) -> bytes:
    """``proposal_figures`` rows as .xlsx bytes; counts stay numbers."""
    title = _("%(year)d年建议提案办理情况") % {"year": year}
    workbook, sheet = register_sheet(title[:31], FIGURE_COLUMNS)
    for row in rows:
        sheet.append([v if isinstance(v, int) else text_cell(sheet, v) for v in figure_values(row)])
    return workbook_bytes(workbook)


# --- 办理工作总结 -------------------------------------------------------------------------------------


def may_summarise(user) -> bool:
    """The 办理工作总结 is the office's: a 督查员 with a person."""
    return person_of(user) is not None and user.has_role(Role.SUPERVISOR)


def proposal_summary_body(*, user, year: int) -> str:
    rows = proposal_figures(user=user, year=year)
    whole, units = rows[-1], rows[:-1]
    items = proposals_visible(user=user, filters={"year": year})
    kinds = Counter(items.values_list("kind", flat=True))
    key = items.filter(key=True).count()
    lines = [
        _("一、基本情况"),
        _("%(year)d年，共交办建议提案%(total)d件，其中%(kinds)s；重点建议提案%(key)d件。")
        % {
            "year": year,
            "total": sum(kinds.values()),
            "kinds": "，".join(f"{label}{kinds[code]}件" for code, label in ProposalKind.choices),
            "key": key,
        },
        _("各承办单位主办%(lead)d件，会办%(assist)d件，分办%(split)d件。")
        % {"lead": whole["lead"], "assist": whole["assist"], "split": whole["split"]},
        _("二、办理质效"),
        _("按期答复率%(a)s，沟通率%(b)s，满意率%(c)s，A类（已解决或基本解决）占比%(d)s，二次办理%(e)d件。")
        % {
            "a": percent(whole["on_time_rate"]),
            "b": percent(whole["contact_rate"]),
            "c": percent(whole["satisfaction_rate"]),
            "d": percent(whole["a_rate"]),
            "e": whole["rehandled"],
        },
        _("三、各承办单位办理情况"),
    ]
    lines += [
        _(
            "%(unit)s：主办%(lead)d件，会办%(assist)d件，分办%(split)d件，按期答复率%(a)s，沟通率%(b)s，满意率%(c)s，A类占比%(d)s，二次办理%(e)d件。"
        )
        % {
            "unit": row["label"],
            "lead": row["lead"],
            "assist": row["assist"],
            "split": row["split"],
            "a": percent(row["on_time_rate"]),
            "b": percent(row["contact_rate"]),
            "c": percent(row["satisfaction_rate"]),
            "d": percent(row["a_rate"]),
            "e": row["rehandled"],
        }
        for row in units
    ] or [_("无。")]
    lines += [_("四、下步工作"), _("（请结合代表委员的意见，提出改进办理工作的措施。）")]
    return "\n".join(str(line) for line in lines)


def proposal_summary_draft(*, actor, year: int, series, title: str = ""):
    """The year's 建议提案办理工作总结 as the drafter's 报告 draft (上行文), over what he sees."""
    from documents.outgoing import services as documents

    if not may_summarise(actor):
        raise PermissionDenied(_("建议提案办理工作总结由督查员起草。"))
    if not year or year > timezone.localdate().year:
        raise ValidationError({"year": _("请选择已经开始的年度。")})
    if series is None:
        raise ValidationError({"series": _("请选择发文代字。")})
    if series.template != "standard":
        raise ValidationError({"series": _("办理工作总结以报告行文，请选择文件格式的发文代字。")})
    title = title.strip() or _("关于%(year)d年建议提案办理工作情况的报告") % {"year": year}
    return documents.outgoing_create(
        actor=actor,
        series=series,
        title=title[:200],
        kind="report",
        direction="up",
        level=Level.INTERNAL,
        body=proposal_summary_body(user=actor, year=year),
    )
