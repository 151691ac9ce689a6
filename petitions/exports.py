"""The 信访台账 and the 信访统计 table as Excel workbooks, for the ledger and figures pages.

The ledger is a file people carry away: the 信访人 are named as the reader may see them
(``selectors.petitioner_names``: masked for all but the case's handlers), never the ID number,
phone or address; the content is not in it at all. The caller hands in the rows the reader may see
(``selectors.cases_visible``: a 检举控告 is never in its accused's file) and ``office.registers``
leaves 绝密 out and writes the EXPORT row of the access log.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, PatternFill

from office.registers import Register
from office.sheets import chinese_date, register_sheet, text_cell, workbook_bytes
from petitions import selectors
from petitions.models import PetitionCase

LEDGER_COLUMNS = [
    (gettext_lazy("登记号"), 18),
    (gettext_lazy("收到日期"), 14),
    (gettext_lazy("信访形式"), 10),
    (gettext_lazy("诉求类型"), 10),
    (gettext_lazy("问题分类"), 20),
    (gettext_lazy("信访人"), 16),
    (gettext_lazy("人数"), 6),
    (gettext_lazy("事项摘要"), 40),
    (gettext_lazy("问题属地"), 16),
    (gettext_lazy("承办单位"), 20),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("办理阶段"), 8),
    (gettext_lazy("当前时限"), 14),
    (gettext_lazy("预警"), 8),
    (gettext_lazy("重复次数"), 8),
    (gettext_lazy("越级"), 6),
    (gettext_lazy("群体性"), 6),
    (gettext_lazy("紧急敏感"), 8),
]
LIGHT_COLUMN = 13  # 0-based position of 预警
LIGHT_TEXT = {"red": gettext_lazy("已超期"), "yellow": gettext_lazy("临期"), "green": gettext_lazy("正常")}
LIGHT_FILL = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}


def _yes(flag: bool) -> str:
    return _("是") if flag else ""


def ledger_rows(cases: QuerySet[PetitionCase], user):
    """(values, light) per case, in the queryset's order, the related rows loaded in batches."""
    today = timezone.localdate()
    for case in selectors.ledger_rows(cases).iterator(chunk_size=500):
        light = selectors.light(case, today)
        yield (
            [
                case.number,
                chinese_date(case.received_on),
                case.get_channel_display(),
                case.get_kind_display(),
                str(case.category),
                selectors.petitioner_names(case, user),
                str(case.headcount),
                case.title,
                case.area.name if case.area_id else "",
                case.handling_unit.name if case.handling_unit_id else "",
                case.get_state_display(),
                case.get_stage_display(),
                chinese_date(case.due),
                str(LIGHT_TEXT.get(light, "")),
                str(case.repeat_count) if case.repeat_count else "",
                case.get_beyond_level_display() if case.beyond_level else "",
                _yes(case.mass),
                _yes(case.urgent),
            ],
            light,
        )


def ledger_workbook(cases: QuerySet[PetitionCase], user) -> bytes:
    """The 信访台账 of ``cases`` for ``user`` as .xlsx bytes (text stays text, never a formula)."""
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook, sheet = register_sheet(_("信访台账"), LEDGER_COLUMNS, alignment=wrap)
    fills = {key: PatternFill(fill_type="solid", start_color=c, end_color=c) for key, c in LIGHT_FILL.items()}
    for values, light in ledger_rows(cases, user):
        cells = [text_cell(sheet, value, alignment=wrap) for value in values]
        if light in fills:
            cells[LIGHT_COLUMN].fill = fills[light]
        sheet.append(cells)
    return workbook_bytes(workbook)


def ledger_register(user) -> Register:
    """The register for one reader: the masking depends on who carries the file away."""
    return Register(
        what="petition_ledger",
        title=gettext_lazy("信访台账"),
        too_many=gettext_lazy("符合条件的信访事项超过 %(max)d 件，请缩小筛选范围后再导出。"),
        workbook=lambda cases: ledger_workbook(cases, user),
    )


# --- Figures ----------------------------------------------------------------------------------------

FIGURE_COLUMNS = [
    (gettext_lazy("名称"), 24),
    (gettext_lazy("信访件数"), 10),
    (gettext_lazy("已受理"), 8),
    (gettext_lazy("及时受理率"), 10),
    (gettext_lazy("已答复"), 8),
    (gettext_lazy("按期办结率"), 10),
    (gettext_lazy("参评率"), 8),
    (gettext_lazy("满意率"), 8),
    (gettext_lazy("重复件数"), 8),
    (gettext_lazy("越级件数"), 8),
    (gettext_lazy("集体访件数"), 10),
    (gettext_lazy("集体访人数"), 10),
    (gettext_lazy("初信初访件数"), 12),
    (gettext_lazy("一次性化解率"), 12),
]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def figure_values(row: selectors.Figures) -> list:
    return [
        row.label,
        row.total,
        row.accepted,
        percent(row.timely_acceptance),
        row.answered,
        percent(row.on_time),
        percent(row.participation),
        percent(row.satisfaction),
        row.repeats,
        row.beyond,
        row.mass,
        row.mass_people,
        row.first_time,
        percent(row.first_time_rate),
    ]


def figures_workbook(rows: list[selectors.Figures], *, title: str) -> bytes:
    """The figures table (its rows, then the 合计 row) as .xlsx bytes; counts stay numbers."""
    workbook, sheet = register_sheet(title[:31], FIGURE_COLUMNS)
    for row in rows:
        sheet.append([v if isinstance(v, int) else text_cell(sheet, v) for v in figure_values(row)])
    return workbook_bytes(workbook)
