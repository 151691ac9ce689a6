"""Printed forms (稿纸, 处理笺, 督办单…) as PDF, and the one way a page hands one out.

A form is a :class:`Sheet`: a red title, a grid of fields (label and value, two to a row or one
across the row), then the 意见栏 rows that offices sign, each with what was recorded in it (the
opinion, who gave it, the date, in 楷体 as a hand would write it) and room left to sign by hand.
The faces are ``office.fonts``' (embedded), the dates 2026年12月2日. Nothing here knows a domain:
each flow's ``printing.py`` fills a Sheet from its record and its history.

:func:`sheet_response` is the page's path, the same as a record's file export: 绝密 content is on
screen only (refused with the flow's message, back to its page), a classified sheet carries the
reader's watermark, the print is written to the access log above 内部, and the response is never
cached.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from office import fonts
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.inputs import file_name, printable
from office.pages import no_store, watermark
from office.sheets import chinese_date

RED = "#D40000"
MARGIN_MM = 20
LABEL_W_MM = 26  # a field's or an opinion row's label column
OPINION_ROW_MM = 28  # the least height of an opinion row: room to sign by hand


class SheetRefused(ValueError):
    """The record may not be printed (绝密 content is on screen only)."""


@dataclass
class Field:
    label: str
    value: str = ""
    wide: bool = False  # across the whole row


@dataclass
class Opinion:
    """One entry of an 意见栏 row: what was said, by whom, on which day (``prefix``: whose part,
    e.g. the 会签 unit)."""

    text: str = ""
    name: str = ""
    on: date | datetime | None = None
    prefix: str = ""


@dataclass
class OpinionRow:
    label: str
    entries: list[Opinion] = field(default_factory=list)
    height_mm: float = OPINION_ROW_MM


@dataclass
class Sheet:
    title: str
    heading: str = ""  # the organ above the title
    mark: str = ""  # 密级★期限 / 紧急程度, top left
    number: str = ""  # top right, e.g. 编号
    fields: list[Field] = field(default_factory=list)
    opinions: list[OpinionRow] = field(default_factory=list)
    note: str = ""  # a line under the table
    watermark: str = ""


def day_text(value: date | datetime | None) -> str:
    """A date as the sheets print it (2026年12月2日); a time is read in the local zone."""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return chinese_date(value)


def render_sheet(sheet: Sheet) -> bytes:
    """The sheet as an A4 PDF with its fonts embedded."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    faces = fonts.faces()
    red = colors.HexColor(RED)
    width = A4[0] - 2 * MARGIN_MM * mm
    cell_font = ("FONTNAME", (0, 0), (-1, -1), faces["body"].name)  # empty cells too: else Helvetica

    def style(name, role="body", size=12, **kwargs):
        kwargs.setdefault("alignment", TA_LEFT)
        return ParagraphStyle(
            name, fontName=faces[role].name, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kwargs
        )

    label_style = style("label", "heading", 12, alignment=TA_CENTER)
    value_style = style("value", "body", 12)
    opinion_style = style("opinion", "kai", 13)
    signed_style = style("signed", "kai", 12, alignment=TA_RIGHT)
    small = style("small", "song", 10.5)

    def para(text, st, role=None):
        paragraph_class = fonts.heavy_paragraph_class() if role and faces[role].heavy else Paragraph
        return paragraph_class(escape(printable(text or "")).replace("\n", "<br/>"), st)

    story: list = []
    if sheet.mark or sheet.number:
        top = Table(
            [
                [
                    para(sheet.mark, style("mark", "heading", 12)),
                    para(sheet.number, style("no", "body", 12, alignment=TA_RIGHT)),
                ]
            ],
            colWidths=[width / 2, width / 2],
        )
        top.setStyle(
            TableStyle([cell_font, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        )
        story.append(top)
    title = f"{sheet.heading}{sheet.title}" if sheet.heading else sheet.title
    title_style = style("title", "title", 22, alignment=TA_CENTER, textColor=red)
    title_style.leading = 32
    story += [para(title, title_style, role="title"), Spacer(1, 4 * mm)]

    rows: list[list] = []
    spans: list[tuple] = []
    pending: list[Field] = []

    def flush():
        if not pending:
            return
        cells = []
        for item in pending:
            cells += [para(item.label, label_style), para(item.value, value_style)]
        if len(pending) == 1:
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
            cells += ["", ""]
        rows.append(cells)
        pending.clear()

    for item in sheet.fields:
        if item.wide:
            flush()
            pending.append(item)
            flush()
        else:
            pending.append(item)
            if len(pending) == 2:
                flush()
    flush()
    heights: list[float | None] = [None] * len(rows)
    for row in sheet.opinions:
        content = []
        for entry in row.entries:
            text = f"{entry.prefix}：{entry.text}" if entry.prefix and entry.text else entry.prefix or entry.text
            if text:
                content.append(para(text, opinion_style))
            signed = "　".join(part for part in (entry.name, day_text(entry.on)) if part)
            if signed:
                content.append(para(signed, signed_style))
        spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
        rows.append([para(row.label, label_style), content or "", "", ""])
        # At least the row's height (room to sign by hand), more when what was recorded needs it.
        needed = sum(part.wrap(width - LABEL_W_MM * mm - 12, A4[1])[1] for part in content) + 10
        heights.append(max(row.height_mm * mm, needed))

    value_w = (width - 2 * LABEL_W_MM * mm) / 2
    grid = Table(
        rows or [["", "", "", ""]],
        colWidths=[LABEL_W_MM * mm, value_w, LABEL_W_MM * mm, value_w],
        rowHeights=heights or None,
    )
    grid.setStyle(
        TableStyle(
            [
                cell_font,
                ("GRID", (0, 0), (-1, -1), 0.8, red),
                ("BOX", (0, 0), (-1, -1), 1.6, red),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                *[
                    ("VALIGN", (1, index), (1, index), "TOP")
                    for index in range(len(rows) - len(sheet.opinions), len(rows))
                ],
                *spans,
            ]
        )
    )
    story.append(grid)
    if sheet.note:
        story += [Spacer(1, 3 * mm), para(sheet.note, small)]

    def decorate(canvas, doc):
        if not sheet.watermark:
            return
        canvas.saveState()
        canvas.setFont(faces["song"].name, 9)
        canvas.setFillColor(colors.HexColor("#BFBFBF"))
        canvas.drawCentredString(A4[0] / 2, A4[1] - 10 * mm, sheet.watermark)
        canvas.setFillAlpha(0.12)
        canvas.setFont(faces["song"].name, 22)
        for row in range(4):
            for column in range(2):
                canvas.saveState()
                canvas.translate(A4[0] * (0.3 + 0.45 * column), A4[1] * (0.2 + 0.22 * row))
                canvas.rotate(30)
                canvas.drawCentredString(0, 0, sheet.watermark)
                canvas.restoreState()
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=printable(title),
        creator="枢纽",
        initialFontName=faces["body"].name,  # else every page opens in Helvetica, not carried
    ).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def sheet_response(request, record, build: Callable[..., Sheet], *, name: str, back: str, refusal: str) -> HttpResponse:
    """The printed form of a visible ``record`` (``build(record, reader=…)`` fills it), as the
    record's file export hands one out: 绝密 refused with ``refusal`` (back to ``back``), the
    reader's watermark on classified sheets, the print logged above 内部, never cached."""
    if record.level >= Level.TOP_SECRET:
        messages.error(request, refusal)
        return redirect(back)
    try:
        sheet = build(record, reader=request.user)
    except SheetRefused as error:
        messages.error(request, str(error) or refusal)
        return redirect(back)
    mark = watermark(request.user, record)
    if mark and not sheet.watermark:
        sheet.watermark = mark["text"]
    content = render_sheet(sheet)
    audit.record_read(request.user, record, request=request, action=AuditAction.PRINT)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=file_name(name, "pdf"))
    return no_store(response, record)
