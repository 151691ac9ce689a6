"""The 依申请公开台账 and the 年度报告's tables as Excel workbooks.

The 台账 is for the officers who see the list: the applicant by kind and name, never the 身份证明,
phone, address or e-mail. The caller hands in the rows the reader may see (``requests_visible``);
``office.registers`` leaves 绝密 out and writes the EXPORT row of the access log (``requests_register``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment

from office.registers import Register
from office.sheets import chinese_date, register_sheet, text_cell, workbook_bytes
from petitions.disclosure.models import REASONS, DisclosureRequest
from petitions.disclosure.report import AnnualReport, Row

REQUEST_COLUMNS = [
    (gettext_lazy("登记号"), 18),
    (gettext_lazy("申请人类型"), 12),
    (gettext_lazy("申请人"), 16),
    (gettext_lazy("申请方式"), 10),
    (gettext_lazy("到达日期"), 14),
    (gettext_lazy("收到申请日期"), 14),
    (gettext_lazy("所需信息的内容描述"), 40),
    (gettext_lazy("所需信息的名称或文号"), 24),
    (gettext_lazy("状态"), 10),
    (gettext_lazy("答复期限"), 14),
    (gettext_lazy("答复类型"), 14),
    (gettext_lazy("具体情形"), 24),
    (gettext_lazy("答复日期"), 14),
    (gettext_lazy("按期答复"), 8),
    (gettext_lazy("其他处理情形"), 14),
    (gettext_lazy("行政复议"), 10),
    (gettext_lazy("行政诉讼"), 10),
]
CLOSED_REASONS = {
    "abandoned": gettext_lazy("逾期不补正"),
    "unpaid": gettext_lazy("逾期未缴费"),
    "other": gettext_lazy("其他"),
}


def _reason(request: DisclosureRequest) -> str:
    return str(dict(REASONS.get(request.answer_type, ())).get(request.answer_reason, ""))


def _on_time(request: DisclosureRequest) -> str:
    return {True: _("是"), False: _("否")}.get(request.answered_on_time, "")


def request_values(request: DisclosureRequest) -> list[str]:
    return [
        request.number,
        request.get_applicant_kind_display(),
        request.applicant_name,
        request.get_channel_display(),
        chinese_date(request.arrived_on),
        chinese_date(request.received_on),
        request.description,
        request.document_reference,
        request.get_state_display(),
        chinese_date(request.due),
        request.get_answer_type_display() if request.answer_type else "",
        _reason(request),
        chinese_date(request.answered_on),
        _on_time(request),
        str(CLOSED_REASONS.get(request.closed_reason, request.closed_reason)),
        request.get_review_outcome_display() if request.review_outcome else "",
        (request.get_litigation_outcome_display() if request.litigation_outcome else "")
        + (_("（复议后起诉）") if request.litigation_outcome and request.litigation_after_review else ""),
    ]


def requests_workbook(requests: QuerySet[DisclosureRequest]) -> bytes:
    """The 依申请公开台账 of ``requests`` (already narrowed to the reader) as .xlsx bytes."""
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook, sheet = register_sheet(_("依申请公开台账"), REQUEST_COLUMNS, alignment=wrap)
    for request in requests.select_related("organ").iterator(chunk_size=500):
        sheet.append([text_cell(sheet, value, alignment=wrap) for value in request_values(request)])
    return workbook_bytes(workbook)


def requests_register() -> Register:
    """The 台账 as a register for ``office.registers.produce`` (page and API exports)."""
    return Register(
        what="disclosure_requests",
        title=gettext_lazy("依申请公开台账"),
        too_many=gettext_lazy("符合条件的政府信息公开申请超过 %(max)d 件，请缩小筛选范围后再导出。"),
        workbook=requests_workbook,
    )


# --- The 年度报告 -----------------------------------------------------------------------------------


def _label(row: Row) -> str:
    return "　" * row.level + row.label


def _table(workbook: Workbook, title: str, columns: list[tuple[str, int]], rows) -> None:
    sheet = workbook.create_sheet(title)
    for position, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[chr(ord("A") + position - 1)].width = width
    sheet.append([text_cell(sheet, name, bold=True) for name, _width in columns])
    for label, counts in rows:
        sheet.append([text_cell(sheet, label), *(counts if counts is not None else [])])


def annual_report_workbook(report: AnnualReport) -> bytes:
    """The tables 二、三、四 of ``report``, one sheet each, counts as numbers."""
    workbook = Workbook(write_only=True)
    _table(
        workbook,
        _("二、主动公开"),
        [(name, 44 if i == 0 else 14) for i, name in enumerate(report.publication_columns)],
        [(_label(row), list(row.counts)) for row in report.publications],
    )
    _table(
        workbook,
        _("三、依申请公开"),
        [(_("申请人情况"), 60)] + [(name, 12) for name in report.applicant_columns],
        [(_label(row), list(row.counts) if row.counts else None) for row in report.requests],
    )
    _table(
        workbook,
        _("四、复议诉讼"),
        [(_("类别"), 30)] + [(name, 12) for name in report.outcome_columns],
        [(label, list(report.outcomes[code])) for code, label in report.outcome_groups],
    )
    return workbook_bytes(workbook)
