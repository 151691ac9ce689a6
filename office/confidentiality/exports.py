"""The access and security log as an .xlsx sheet, for the 保密员's page and the API.

Text is written as text, never as a formula: a record named ``=HYPERLINK(...)`` must not turn into
a live link in the 保密员's spreadsheet. Characters a worksheet cannot hold (control characters
pasted into a title or a reason) are dropped rather than failing the whole export."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from office.confidentiality.levels import Level
from office.sheets import text_cell, workbook_bytes  # noqa: F401 (the views and the API use them from here)


def moment_cell(sheet, value: datetime) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
    cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def event_cells(sheet, event, *, record_type: str, detail: dict) -> list:
    """The columns every export of the log shares: number, time, actor, action, record type, id,
    record, level, address, detail (as the reader may see it: ``audit.shown_detail``)."""
    return [
        event.id,
        moment_cell(sheet, event.at),
        text_cell(sheet, event.actor_name),
        text_cell(sheet, event.get_action_display()),
        text_cell(sheet, record_type),
        text_cell(sheet, event.object_id),
        text_cell(sheet, event.object_repr),
        text_cell(sheet, Level(event.classification).label if event.classification is not None else ""),
        text_cell(sheet, event.ip_address),
        text_cell(sheet, json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""),
    ]


def log_workbook() -> tuple[Workbook, object]:
    workbook = Workbook(write_only=True)
    return workbook, workbook.create_sheet(_("访问与安全日志"))
