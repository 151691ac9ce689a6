"""The PDF renderer: a simpler but faithful rendition of the same layout.

The fonts are the DOCX's, as near as free fonts come (``office.fonts``), embedded as subsets: the
title and the 发文机关标志 in 小标宋 (a 宋 drawn heavier where no free 小标宋 is installed), marks and
一、 headings in 黑体, （一） headings and the 签发人's name in 楷体, everything else in 仿宋 (the 宋 where
no free simplified 仿宋 exists), page numbers and the watermark in 宋体. Without the fonts the PDF
falls back to the built-in CID font STSong-Light (not embedded), with a logged warning.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from documents.models import OutgoingDocument
from documents.rendering.docx import _split_heading
from documents.rendering.layout import (
    BODY_PT,
    LETTER_RULE_MM,
    LINE_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_W_MM,
    RED,
    SMALL_PT,
    TITLE_PT,
    TYPE_W_MM,
    WATERMARK_GREY,
    Layout,
    attachment_lines,
    issuer_size,
    layout,
    signature_indents,
)
from office import fonts

# The body's heading levels (GB/T 9704 7.3.3): 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋.
HEADING_ROLES = {0: "body", 1: "heading", 2: "kai", 3: "body", 4: "body"}


def render_pdf(document: OutgoingDocument, *, reader, copy_number: int | None = None) -> bytes:
    """The document as a PDF: a simpler rendition of the same layout (ExportRefused for 绝密)."""
    return _pdf(layout(document, reader=reader, copy_number=copy_number))


def _pdf(lay: Layout) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import TopPadder

    faces = fonts.faces()
    font, song = faces["body"].name, faces["song"].name
    cell_font = ("FONTNAME", (0, 0), (-1, -1), font)  # empty cells too: else Helvetica, not embedded
    red = colors.HexColor("#" + RED)
    width = TYPE_W_MM * mm

    def style(name, size=BODY_PT, leading=LINE_PT, **kwargs):
        kwargs.setdefault("alignment", TA_JUSTIFY)
        # No widow or orphan control: official documents fill every line of the page.
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", allowWidows=1, allowOrphans=1, **kwargs
        )

    body = style("body", firstLineIndent=2 * BODY_PT)
    left = style("left", alignment=TA_LEFT)
    centre = style("centre", alignment=TA_CENTER)
    small = style("small", size=SMALL_PT, alignment=TA_LEFT)

    def para(text, st=body, role="body", markup=None, **overrides):
        face = faces[role]
        if face.name != font:
            overrides["fontName"] = face.name
        if overrides:
            st = ParagraphStyle(f"{st.name}+", parent=st, **overrides)
        paragraph_class = fonts.heavy_paragraph_class() if face.heavy else Paragraph
        return paragraph_class(markup if markup is not None else escape(text), st)

    def in_face(role, text):
        return f'<font name="{faces[role].name}">{escape(text)}</font>' if text else ""

    def body_paragraph(level, text):
        heading, rest = _split_heading(level, text)
        return para(text, markup=in_face(HEADING_ROLES[level], heading) + escape(rest))

    class Rules(Flowable):
        """Horizontal rules (thickness, gap above), reaching ``extend`` (left, right) mm beyond the frame."""

        def __init__(self, rules, color, extend=(0.0, 0.0), before=0.0, after=0.0):
            super().__init__()
            self.rules, self.color, self.extend = rules, color, (extend[0] * mm, extend[1] * mm)
            self.before, self.after = before, after

        def wrap(self, available_width, available_height):
            self.width = available_width
            self.height = self.before + sum(t + g for t, g in self.rules) + self.after
            return self.width, self.height

        def draw(self):
            canvas = self.canv
            canvas.setStrokeColor(self.color)
            y = self.height - self.before
            for thickness, gap in self.rules:
                y -= gap + thickness / 2
                canvas.setLineWidth(thickness)
                canvas.line(-self.extend[0], y, self.width + self.extend[1], y)
                y -= thickness / 2

    edge = (PAGE_W_MM - LETTER_RULE_MM) / 2
    letter_extend = (MARGIN_LEFT_MM - edge, MARGIN_RIGHT_MM - edge)
    story: list = []
    marks = [para(mark, left, role="heading") for mark in lay.marks]
    size = issuer_size(lay.issuer, width)
    issuer = para(lay.issuer, centre, role="title", fontSize=size, leading=size * 1.25, textColor=red)

    if lay.template == "letter":
        story.append(issuer)
        story.append(Rules([(2.0, 0), (0.6, 1.2)], red, extend=letter_extend, before=4, after=BODY_PT * 7 / 8))
        rows = [[marks[0] if marks else "", para(lay.number, left, alignment=TA_RIGHT)]]
        rows += [[mark, ""] for mark in marks[1:]]
        story.append(_plain_table(Table, TableStyle, cell_font, rows, [width / 2, width / 2]))
        story.append(Spacer(1, LINE_PT))
    else:
        story.extend(marks)
        story.append(Spacer(1, max(0.0, 35 * mm - LINE_PT * len(marks) - size * 0.2)))
        story.append(issuer)
        story.append(Spacer(1, 2 * LINE_PT))
        if lay.upward:
            # Each one character in from its side (platypus drops a leading full-width space);
            # "签发人：" in 仿宋, the name in 楷体.
            row = [
                para(lay.number, left, leftIndent=BODY_PT),
                para(
                    "",
                    left,
                    markup=escape("签发人：") + in_face("kai", lay.signer),
                    alignment=TA_RIGHT,
                    rightIndent=BODY_PT,
                ),
            ]
            story.append(_plain_table(Table, TableStyle, cell_font, [row], [width / 2, width / 2]))
        else:
            story.append(para(lay.number, centre))
        story.append(Rules([(1.5, 0)], red, before=0, after=2 * LINE_PT - 4))

    story.append(para(lay.title, centre, role="title", fontSize=TITLE_PT, leading=35))
    story.append(Spacer(1, LINE_PT))
    if lay.main_to:
        story.append(para(lay.main_to, left))
    story.extend(body_paragraph(level, text) for level, text in lay.body)
    if lay.attachments:
        story.append(Spacer(1, LINE_PT))
        for index, text in enumerate(attachment_lines(lay.attachments), start=1):
            hanging = {"leftIndent": 5 * BODY_PT, "firstLineIndent": -3 * BODY_PT}
            if index == 1:
                story.append(para("附件：" + text, body, **hanging))
            else:
                story.append(para(text, body, leftIndent=5 * BODY_PT, firstLineIndent=0))
    if lay.attendance:
        story.append(Spacer(1, LINE_PT))
        for name, people in lay.attendance:
            markup = in_face("heading", f"{name}：") + escape(people)
            story.append(para("", body, markup=markup, leftIndent=5 * BODY_PT, firstLineIndent=-3 * BODY_PT))
    if lay.organ or lay.date:
        story.append(Spacer(1, LINE_PT))
        if lay.organ and lay.template != "minutes":
            organ_indent, date_indent = signature_indents(lay.organ, lay.date)
            story.append(para(lay.organ, left, alignment=TA_RIGHT, rightIndent=organ_indent))
        else:
            date_indent = 4 * BODY_PT
        if lay.date:
            story.append(para(lay.date, left, alignment=TA_RIGHT, rightIndent=date_indent))
    if lay.note:
        story.append(para(lay.note))

    # 版记 at the foot of the last page.
    rows = []
    if lay.cc:
        rows.append([para(lay.cc, small, leftIndent=4 * SMALL_PT, firstLineIndent=-3 * SMALL_PT, rightIndent=SMALL_PT)])
    printing = Table(
        [[para(lay.printing_organ, small), para(lay.printed_on, small, alignment=TA_RIGHT)]],
        colWidths=[width / 2 - SMALL_PT, width / 2 - SMALL_PT],
    )
    printing.setStyle(
        TableStyle([cell_font, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    rows.append([printing])
    record = Table(rows, colWidths=[width])
    record.setStyle(
        TableStyle(
            [
                cell_font,
                ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
                ("LINEBELOW", (0, 0), (-1, -2), 0.7, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), SMALL_PT),
                ("RIGHTPADDING", (0, 0), (-1, -1), SMALL_PT),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(Spacer(1, LINE_PT))
    story.append(TopPadder(record))

    page_w, page_h = A4

    def decorate(canvas, doc):
        canvas.saveState()
        page = canvas.getPageNumber()
        if lay.template == "letter" and page == 1:
            canvas.setStrokeColor(red)
            for thickness, y in ((0.6, 20 * mm + 3.2), (2.0, 20 * mm)):
                canvas.setLineWidth(thickness)
                canvas.line(edge * mm, y, (PAGE_W_MM - edge) * mm, y)
        else:
            canvas.setFont(song, SMALL_PT)
            canvas.setFillColor(colors.black)
            text, y = f"— {page} —", (MARGIN_BOTTOM_MM - 7) * mm - SMALL_PT
            if page % 2:
                canvas.drawRightString(page_w - MARGIN_RIGHT_MM * mm - SMALL_PT, y, text)
            else:
                canvas.drawString(MARGIN_LEFT_MM * mm + SMALL_PT, y, text)
        if lay.watermark:
            canvas.setFont(song, 9)
            canvas.setFillColor(colors.HexColor("#" + WATERMARK_GREY))
            canvas.drawCentredString(page_w / 2, page_h - 20 * mm, lay.watermark)
            canvas.setFillAlpha(0.12)
            canvas.setFont(song, 22)
            for row in range(4):
                for column in range(2):
                    canvas.saveState()
                    canvas.translate(page_w * (0.3 + 0.45 * column), page_h * (0.2 + 0.22 * row))
                    canvas.rotate(30)
                    canvas.drawCentredString(0, 0, lay.watermark)
                    canvas.restoreState()
        canvas.restoreState()

    out = io.BytesIO()
    # The frame is the type area exactly (platypus pads frames by 6 pt unless told otherwise).
    type_area = Frame(
        MARGIN_LEFT_MM * mm,
        MARGIN_BOTTOM_MM * mm,
        width,
        page_h - (MARGIN_TOP_MM + MARGIN_BOTTOM_MM) * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="type-area",
    )
    template = BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="page", frames=[type_area], onPage=decorate)],
        title=lay.title,
        author=lay.author,
        subject=lay.number,
        creator="枢纽",
        initialFontName=font,  # else every page opens in Helvetica, a font the file does not carry
    )
    template.build(story)
    return out.getvalue()


def _plain_table(table_class, style_class, cell_font, rows, widths):
    table = table_class(rows, colWidths=widths)
    table.setStyle(
        style_class(
            [
                cell_font,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
