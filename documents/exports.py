"""The 发文登记簿 (register of outgoing documents) as an Excel workbook.

The register holds register fields only — number, title, kind, level mark, units, signer, dates,
copies, state — and never a document's body or attachments, so a 绝密 row carries no more than
the 保密员's own register does. The caller hands in the rows it may show (a queryset that starts
from ``visible_to``); this module only lays them out.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from documents.models import Assignment, AssignmentRole, OutgoingDocument

# (heading, column width in characters)
REGISTER_COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("发文字号"), 20),
    (gettext_lazy("标题"), 48),
    (gettext_lazy("文种"), 8),
    (gettext_lazy("密级"), 14),
    (gettext_lazy("拟稿单位"), 16),
    (gettext_lazy("签发人"), 10),
    (gettext_lazy("成文日期"), 14),
    (gettext_lazy("主送"), 36),
    (gettext_lazy("份数"), 6),
    (gettext_lazy("状态"), 8),
]


def chinese_date(day: date | None) -> str:
    """成文日期 as printed: Arabic numerals, full year, no zero padding (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def main_to_text(document: OutgoingDocument) -> str:
    """主送: the units inside the system, then those outside it, joined with 、."""
    names = [unit.name for unit in document.main_to_units.all()]
    if document.main_to_external.strip():
        names.append(document.main_to_external.strip())
    return "、".join(names)


def register_rows(documents: QuerySet[OutgoingDocument]):
    """The rows in the queryset's order, related rows loaded in batches (no query per row)."""
    documents = documents.select_related("number__series", "drafting_unit", "signed_by").prefetch_related(
        "main_to_units"
    )
    for index, document in enumerate(documents.iterator(chunk_size=2000), start=1):
        yield [
            index,
            document.number_text,
            document.title,
            document.get_kind_display(),
            document.level_mark,
            document.drafting_unit.name,
            document.signed_by.name if document.signed_by_id else "",
            chinese_date(document.written_date),
            main_to_text(document),
            document.copies or None,
            document.get_state_display(),
        ]


def _workbook(title: str, columns: list[tuple[str, int]], rows) -> bytes:
    """A one-sheet register as .xlsx bytes: a bold heading row, frozen, then ``rows``. Text is
    written as text, never as a formula: a title beginning with ``=`` must not become a live
    formula in the reader's spreadsheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for position, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[chr(ord("A") + position - 1)].width = width
    sheet.freeze_panes = "A2"

    def text(value, *, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value or "")))
        cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        return cell

    sheet.append([text(heading, bold=True) for heading, _width in columns])
    for row in rows:
        sheet.append([value if isinstance(value, int) or value is None else text(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def outgoing_register_workbook(documents: QuerySet[OutgoingDocument]) -> bytes:
    """The 发文登记簿 of ``documents`` as .xlsx bytes."""
    return _workbook(_("发文登记簿"), REGISTER_COLUMNS, register_rows(documents))


# --- 收文登记簿 --------------------------------------------------------------------------------------

INCOMING_REGISTER_COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("收文编号"), 16),
    (gettext_lazy("来文机关"), 24),
    (gettext_lazy("来文字号"), 20),
    (gettext_lazy("标题"), 48),
    (gettext_lazy("文种"), 8),
    (gettext_lazy("密级"), 14),
    (gettext_lazy("紧急程度"), 8),
    (gettext_lazy("份数"), 6),
    (gettext_lazy("来文方式"), 12),
    (gettext_lazy("签收人"), 10),
    (gettext_lazy("签收时间"), 17),
    (gettext_lazy("办理类型"), 8),
    (gettext_lazy("主办单位"), 16),
    (gettext_lazy("办理时限"), 14),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("办结日期"), 14),
]


def incoming_register_rows(documents):
    """The 收文登记簿 rows in the queryset's order, related rows loaded in batches (no query per
    row). Register fields only: never the body."""
    documents = documents.select_related("signed_for_by").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).select_related("unit"),
            to_attr="lead_assignments",
        )
    )
    for index, document in enumerate(documents.iterator(chunk_size=2000), start=1):
        lead = document.lead_assignments[0] if document.lead_assignments else None
        signed_at = (
            timezone.localtime(document.signed_for_at).strftime("%Y-%m-%d %H:%M") if document.signed_for_at else ""
        )
        yield [
            index,
            document.registration_text,
            document.sender_organ,
            document.sender_number,
            document.title,
            document.get_kind_display(),
            document.level_mark,
            document.get_urgency_display(),
            document.copies_received or None,
            document.get_channel_display(),
            document.signed_for_by.name if document.signed_for_by_id else "",
            signed_at,
            document.get_handling_display(),
            lead.unit.name if lead else "",
            chinese_date(document.time_limit),
            document.get_state_display(),
            chinese_date(timezone.localdate(document.done_at)) if document.done_at else "",
        ]


def incoming_register_workbook(documents) -> bytes:
    """The 收文登记簿 of ``documents`` (a queryset that starts from ``visible_to``) as .xlsx bytes."""
    return _workbook(_("收文登记簿"), INCOMING_REGISTER_COLUMNS, incoming_register_rows(documents))
