"""The 督办台账 (supervision ledger) as an Excel workbook, for the API export and the ledger page.

One row per item: number, title, source, instructing leader, lead and assisting units, due date,
state, warning light (its words and a cell fill of its colour), the latest progress, 按期办结 and
the level mark. A row above 内部 shows its mark but never the latest progress text (the ledger is
a file people carry away); a 绝密 item is not in the file at all (on screen only: the shared
register download leaves it out). The caller hands in the rows it may show
(``selectors.items_visible``); this module only lays them out.
"""

from __future__ import annotations

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, PatternFill

from office.confidentiality.levels import Level
from office.registers import Register
from office.sheets import chinese_date, register_sheet, text_cell, workbook_bytes
from supervision.models import Light, ProgressReport, SupervisionItem
from supervision.selectors import ledger_rows as ledger_rows_of
from supervision.selectors import row_units

# (heading, column width in characters)
LEDGER_COLUMNS = [
    (gettext_lazy("督办编号"), 16),
    (gettext_lazy("督办事项"), 40),
    (gettext_lazy("来源"), 12),
    (gettext_lazy("批示领导"), 10),
    (gettext_lazy("主办单位"), 24),
    (gettext_lazy("协办单位"), 24),
    (gettext_lazy("办结时限"), 14),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("警示灯"), 8),
    (gettext_lazy("最新进展"), 48),
    (gettext_lazy("按期办结"), 8),
    (gettext_lazy("密级"), 14),
]
LIGHT_COLUMN = 8  # 0-based position of 警示灯

LIGHT_TEXT = {Light.GREEN: gettext_lazy("绿灯"), Light.YELLOW: gettext_lazy("黄灯"), Light.RED: gettext_lazy("红灯")}
LIGHT_FILL = {Light.GREEN: "C6EFCE", Light.YELLOW: "FFEB9C", Light.RED: "FFC7CE"}


def ledger_rows(items: QuerySet[SupervisionItem]):
    """(values, light) per item in the queryset's order, the row ``selectors.ledger_rows`` gives the
    page and the API too, related rows loaded in batches (no query per row); above 内部 the progress
    text is left blank. The caller hands in exportable rows only
    (``office.api.helpers.export_register`` / ``office.pages.register_download`` leave 绝密 out)."""
    latest = (
        ProgressReport.objects.filter(task__item=OuterRef("pk")).order_by("-submitted_at", "-id").values("text")[:1]
    )
    items = ledger_rows_of(items).annotate(
        latest_progress=Case(
            # The text is not even read for a classified row.
            When(classification__lte=Level.INTERNAL, then=Subquery(latest)),
            default=Value(""),
            output_field=CharField(),
        )
    )
    for item in items.iterator(chunk_size=2000):
        lead, assisting = row_units(item)
        on_time = {True: _("是"), False: _("否")}.get(item.done_on_time, "")
        yield (
            [
                item.number,
                item.title,
                item.get_source_display(),
                item.instructing_leader.name if item.instructing_leader_id else "",
                "、".join(lead),
                "、".join(assisting),
                chinese_date(item.due),
                item.get_state_display(),
                str(LIGHT_TEXT.get(item.light, "")),
                (item.latest_progress or "") if item.classification <= Level.INTERNAL else "",
                on_time,
                item.level_mark,
            ],
            item.light,
        )


def ledger_workbook(items: QuerySet[SupervisionItem]) -> bytes:
    """The 督办台账 of ``items`` (a queryset from ``selectors.items_visible``) as .xlsx bytes. Text is
    written as text, never as a formula: a title beginning with ``=`` stays a title."""
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook, sheet = register_sheet(_("督办台账"), LEDGER_COLUMNS, alignment=wrap)
    fills = {
        light: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        for light, colour in LIGHT_FILL.items()
    }
    for values, light in ledger_rows(items):
        cells = [text_cell(sheet, value, alignment=wrap) for value in values]
        if light in fills:
            cells[LIGHT_COLUMN].fill = fills[light]
        sheet.append(cells)
    return workbook_bytes(workbook)


REGISTER = Register(
    what="supervision_ledger",
    title=gettext_lazy("督办台账"),
    too_many=gettext_lazy("符合条件的督办事项超过 %(max)d 项，请缩小筛选范围后再导出。"),
    workbook=ledger_workbook,
)
