"""Registers as .xlsx sheets, for every module's exports (发文/收文登记簿, 督办台账, the log).

Text is written as text, never as a formula: a title beginning with ``=`` must not become a live
formula in the reader's spreadsheet. Characters a worksheet cannot hold (control characters pasted
into a title) are dropped rather than failing the whole export."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


def chinese_date(day: date | None) -> str:
    """A date as printed on 公文 (GB/T 9704 7.3.5.1): Arabic numerals, full year, no zero padding
    (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def text_cell(sheet, value, *, bold: bool = False, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value or "")))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if alignment is not None:
        cell.alignment = alignment
    return cell


def register_sheet(title: str, columns: list[tuple[str, int]], **heading) -> tuple[Workbook, object]:
    """A write-only workbook with one sheet: column widths set, a bold heading row, frozen below."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for position, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[chr(ord("A") + position - 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, name, bold=True, **heading) for name, _width in columns])
    return workbook, sheet


def register_workbook(title: str, columns: list[tuple[str, int]], rows) -> bytes:
    """A one-sheet register as .xlsx bytes: the heading row, then ``rows`` (numbers stay numbers)."""
    workbook, sheet = register_sheet(title, columns)
    for row in rows:
        sheet.append([value if isinstance(value, int) or value is None else text_cell(sheet, value) for value in row])
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
