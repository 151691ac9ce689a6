"""The DOCX renderer: a Word file that follows GB/T 9704 closely.

A4 with 37/28/26/35 mm margins, 22 lines of 28 characters, the official fonts by name; 3号
characters are condensed by 0.25 pt (w:spacing -5 twentieths) to fit 28 to the line, rather than
Word's character grid (w:charSpace), which LibreOffice spreads out instead.
"""

from __future__ import annotations

import io

from documents.models import OutgoingDocument
from documents.rendering.layout import (
    BODY_PT,
    LETTER_RULE_MM,
    LINE_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_H_MM,
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

CONDENSE_TWIPS = -5

# The official fonts, by name. A machine without them substitutes; the font table names the
# usual Windows/Office equivalents as alternates (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体,
# 方正小标宋简体 → 华文中宋, 黑体 → SimHei) and the GB2312 charset, so Word and WPS pick a Chinese
# face rather than a Latin one.
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
FONT_ALTERNATES = {
    FANGSONG: ("仿宋", "modern", "fixed"),
    KAITI: ("楷体", "modern", "fixed"),
    HEITI: ("SimHei", "modern", "fixed"),
    XIAOBIAOSONG: ("华文中宋", "roman", "variable"),
    SONGTI: ("SimSun", "auto", "variable"),
}
HEADING_FONTS = {0: FANGSONG, 1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}


def render_docx(document: OutgoingDocument, *, reader, copy_number: int | None = None) -> bytes:
    """The document as a Word file in the GB/T 9704 layout (ExportRefused for 绝密)."""
    return _DocxWriter(layout(document, reader=reader, copy_number=copy_number)).render()


def _split_heading(level: int, text: str) -> tuple[str, str]:
    """A 一、 or （一） heading followed by running text in the same paragraph ("（一）加强领导。各单位
    要……") prints only the heading sentence in the heading font."""
    if level in (1, 2):
        stop = text.find("。")
        if 0 < stop < len(text) - 1:
            return text[: stop + 1], text[stop + 1 :]
    return text, ""


class _DocxWriter:
    def __init__(self, lay: Layout):
        import docx
        from docx.shared import Mm

        self.lay = lay
        self.doc = docx.Document()
        self.Mm = Mm
        self.type_width = Mm(TYPE_W_MM)

    # Low-level helpers.

    @staticmethod
    def _font(font, name: str, size: float, *, color: str | None = None) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        font.name = name  # w:ascii and w:hAnsi
        rfonts = font._element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), name)
        rfonts.set(qn("w:hint"), "eastAsia")
        font.size = Pt(size)
        if color:
            font.color.rgb = RGBColor.from_string(color)

    def _run(self, paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT, color: str | None = None):
        run = paragraph.add_run(text)
        self._font(run.font, font, size, color=color)
        return run

    def _paragraph(
        self,
        text: str = "",
        *,
        font: str = FANGSONG,
        size: float = BODY_PT,
        align: str = "justify",
        first_line: float | None = None,
        left: float | None = None,
        right: float | None = None,
        line: float | None = LINE_PT,
        color: str | None = None,
        container=None,
    ):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        paragraph = (container or self.doc).add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = {
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        if first_line is not None:
            fmt.first_line_indent = Pt(first_line)
        if left is not None:
            fmt.left_indent = Pt(left)
        if right is not None:
            fmt.right_indent = Pt(right)
        if line is not None:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line)
        if text:
            self._run(paragraph, text, font, size, color)
        return paragraph

    def _blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self._paragraph()

    @staticmethod
    def _border(paragraph, side: str, *, val: str = "single", size: int = 12, color: str = RED, space: int = 0):
        """A paragraph border (w:pBdr): ``size`` in eighths of a point, ``space`` in points."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ppr = paragraph._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            ppr.insert_element_before(
                borders,
                *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct"),
                *("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd"),
                *("w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents"),
                *("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap"),
                *("w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
            )
        edge = OxmlElement(f"w:{side}")
        for name, value in (("val", val), ("sz", str(size)), ("space", str(space)), ("color", color)):
            edge.set(qn(f"w:{name}"), value)
        order = ["top", "left", "bottom", "right", "between", "bar"]
        later = [child for child in borders if child.tag.split("}")[1] in order[order.index(side) + 1 :]]
        if later:
            later[0].addprevious(edge)
        else:
            borders.append(edge)

    @staticmethod
    def _off_grid(paragraph) -> None:
        """Large type keeps its own line height instead of snapping to two lines of the grid."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        paragraph._p.get_or_add_pPr().insert_element_before(
            snap, "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"
        )

    def _right_tab(self, paragraph, position):
        from docx.enum.text import WD_TAB_ALIGNMENT

        paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)

    def _page_field(self, paragraph, size: float) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for kind in ("begin", "instr", "separate", "text", "end"):
            run = self._run(paragraph, "1" if kind == "text" else "", SONGTI, size)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = " PAGE "
                run._r.append(instr)
            elif kind != "text":
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)

    # The document.

    def render(self) -> bytes:
        lay = self.lay
        self._setup()
        if lay.template == "letter":
            self._letter_head()
        else:
            self._head()
        self._title()
        if lay.main_to:
            self._paragraph(lay.main_to, align="justify")
        self._body()
        self._attachments()
        self._attendance()
        self._signature()
        if lay.note:
            self._paragraph(lay.note, first_line=2 * BODY_PT)
        self._record()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _setup(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        doc, lay = self.doc, self.lay
        properties = doc.core_properties
        properties.title = lay.title
        properties.author = lay.author
        properties.subject = lay.number
        properties.comments = ""
        properties.language = "zh-CN"

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(20)
        section.footer_distance = Mm(22)  # the page number's top edge 7 mm below the type area
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))

        # Defaults: 3号仿宋, Chinese, no theme fonts (a theme font would win over the named one).
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts"))
        for name in list(rfonts.attrib):
            del rfonts.attrib[name]
        for name in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{name}"), FANGSONG)
        rpr.find(qn("w:sz")).set(qn("w:val"), str(2 * BODY_PT))
        rpr.find(qn("w:szCs")).set(qn("w:val"), str(2 * BODY_PT))
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
        rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:lang")
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")

        normal = doc.styles["Normal"]
        self._font(normal.font, FANGSONG, BODY_PT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.widow_control = False
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        self._font_table()

        # Page numbers: — N — in 4号, right on odd pages and left on even ones, one character in.
        doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            paragraph = footer.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(SMALL_PT + 2)
            fmt.first_line_indent = Pt(0)
            if align == "right":
                fmt.right_indent = Pt(SMALL_PT)
            else:
                fmt.left_indent = Pt(SMALL_PT)
            self._run(paragraph, "— ", SONGTI, SMALL_PT)
            self._page_field(paragraph, SMALL_PT)
            self._run(paragraph, " —", SONGTI, SMALL_PT)

        headers = [section.header, section.even_page_header] if lay.watermark else []
        if lay.template == "letter":
            # 信函: no page number on the first page, a red double line 20 mm above the page's edge.
            section.different_first_page_header_footer = True
            paragraph = section.first_page_footer.paragraphs[0]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Pt(2)
            self._letter_rule_indents(paragraph)
            self._border(paragraph, "bottom", val="thinThickSmallGap", size=18)
            if lay.watermark:
                headers.append(section.first_page_header)
        for header in headers:
            paragraph = header.paragraphs[0]
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Pt(12)
            paragraph.paragraph_format.first_line_indent = Pt(0)
            self._run(paragraph, lay.watermark, SONGTI, 9, WATERMARK_GREY)

    def _font_table(self) -> None:
        from docx.oxml.ns import qn
        from lxml import etree

        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        fonts = etree.fromstring(part.blob)
        for name, (alternate, family, pitch) in FONT_ALTERNATES.items():
            font = etree.SubElement(fonts, qn("w:font"))
            font.set(qn("w:name"), name)
            for tag, value in (("altName", alternate), ("charset", "86"), ("family", family), ("pitch", pitch)):
                etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _marks(self) -> None:
        """份号, 密级★期限, 紧急程度: top left, one per line, 3号黑体."""
        for mark in self.lay.marks:
            self._paragraph(mark, font=HEITI, align="left")

    def _head(self) -> None:
        """The 版头 of 文件格式 and 纪要格式: marks, 发文机关标志 35 mm below the type area's top
        edge, 发文字号 two lines below it, the red separator 4 mm below the number."""
        from docx.shared import Pt

        lay = self.lay
        self._marks()
        size = issuer_size(lay.issuer, TYPE_W_MM * 72 / 25.4)
        issuer = self._paragraph(lay.issuer, font=XIAOBIAOSONG, size=size, align="center", line=size * 1.25, color=RED)
        self._off_grid(issuer)
        issuer.paragraph_format.space_before = Pt(max(0.0, 35 * 72 / 25.4 - LINE_PT * len(lay.marks) - size * 0.2))
        self._blank(2)
        if lay.upward:
            # 上行文: the number one character in from the left, level with 签发人 one character in
            # from the right; "签发人：" in 仿宋, the name in 楷体.
            number = self._paragraph("　" + lay.number, align="left")
            self._right_tab(number, self.type_width - Pt(BODY_PT))
            self._run(number, "\t签发人：")
            self._run(number, lay.signer, KAITI)
        else:
            number = self._paragraph(lay.number, align="center")
        self._border(number, "bottom", size=12, space=6)

    def _letter_rule_indents(self, paragraph) -> None:
        """信函's red double lines are 170 mm long, centred on the page: wider than the type area."""
        edge = (PAGE_W_MM - LETTER_RULE_MM) / 2
        paragraph.paragraph_format.left_indent = self.Mm(edge - MARGIN_LEFT_MM)
        paragraph.paragraph_format.right_indent = self.Mm(edge - MARGIN_RIGHT_MM)

    def _letter_head(self) -> None:
        """信函格式: 发文机关标志 over a red double line (thick above thin), then the marks at the
        left and the number at the right, level with the first mark."""
        from docx.shared import Pt

        lay = self.lay
        size = issuer_size(lay.issuer, TYPE_W_MM * 72 / 25.4)
        issuer = self._paragraph(lay.issuer, font=XIAOBIAOSONG, size=size, align="center", line=size * 1.25, color=RED)
        self._off_grid(issuer)
        self._letter_rule_indents(issuer)
        self._border(issuer, "bottom", val="thickThinSmallGap", size=18, space=11)
        if lay.marks:
            first = self._paragraph(lay.marks[0], font=HEITI, align="left")
            self._right_tab(first, self.type_width)
            self._run(first, "\t" + lay.number)
            first.paragraph_format.space_before = Pt(BODY_PT * 7 / 8)
            for mark in lay.marks[1:]:
                self._paragraph(mark, font=HEITI, align="left")
        else:
            number = self._paragraph(lay.number, align="right")
            number.paragraph_format.space_before = Pt(BODY_PT * 7 / 8)

    def _title(self) -> None:
        """标题: 2号小标宋, centred, two lines below the separator, a blank line after it."""
        self._blank(2 if self.lay.template != "letter" else 1)
        title = self._paragraph(self.lay.title, font=XIAOBIAOSONG, size=TITLE_PT, align="center", line=35)
        self._off_grid(title)
        self._blank(1)

    def _body(self) -> None:
        for level, text in self.lay.body:
            paragraph = self._paragraph(first_line=2 * BODY_PT)
            heading, rest = _split_heading(level, text)
            self._run(paragraph, heading, HEADING_FONTS[level])
            if rest:
                self._run(paragraph, rest, FANGSONG)

    def _attachments(self) -> None:
        """附件说明: a line below the body, two characters in; several are numbered and aligned."""
        names = self.lay.attachments
        if not names:
            return
        self._blank(1)
        label = 3 * BODY_PT  # "附件："
        if len(names) == 1:
            self._paragraph("附件：" + names[0], left=2 * BODY_PT + label, first_line=-label)
            return
        for index, text in enumerate(attachment_lines(names), start=1):
            if index == 1:
                self._paragraph("附件：" + text, left=2 * BODY_PT + label, first_line=-label)
            else:
                self._paragraph(text, left=2 * BODY_PT + label)

    def _attendance(self) -> None:
        """纪要: 出席 / 请假 / 列席, a line below the body, the label in 黑体, names aligned after it."""
        if not self.lay.attendance:
            return
        self._blank(1)
        label = 3 * BODY_PT
        for name, people in self.lay.attendance:
            paragraph = self._paragraph(left=2 * BODY_PT + label, first_line=-label)
            self._run(paragraph, f"{name}：", HEITI)
            self._run(paragraph, people, FANGSONG)

    def _signature(self) -> None:
        lay = self.lay
        if not (lay.organ or lay.date):
            return
        self._blank(1)
        if lay.template == "minutes" or not lay.organ:
            self._paragraph(lay.date, align="right", right=4 * BODY_PT)
            return
        organ_indent, date_indent = signature_indents(lay.organ, lay.date)
        self._paragraph(lay.organ, align="right", right=organ_indent)
        if lay.date:
            self._paragraph(lay.date, align="right", right=date_indent)

    def _record(self) -> None:
        """版记 at the end: 抄送 and 印发机关和印发日期 in 4号仿宋 between full-width rules (thick at
        top and bottom, thin between), as a borderless one-column table as wide as the type area."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        lay = self.lay
        self._blank(1)
        rows = [row for row in (lay.cc, "print") if row]
        table = self.doc.add_table(rows=len(rows), cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 4), ("insideV", 0)):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single" if size else "nil")
            if size:
                edge.set(qn("w:sz"), str(size))
                edge.set(qn("w:space"), "0")
                edge.set(qn("w:color"), "000000")
            borders.append(edge)
        tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "0")
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tbl_pr.insert_element_before(margins, "w:tblLook")
        for row, kind in zip(table.rows, rows, strict=True):
            cell = row.cells[0]
            cell.width = self.type_width
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.line_spacing = Pt(LINE_PT)
            fmt.first_line_indent = Pt(0)
            if kind == "print":
                fmt.left_indent = Pt(SMALL_PT)
                self._right_tab(paragraph, self.type_width - Pt(SMALL_PT))
                self._run(paragraph, lay.printing_organ, FANGSONG, SMALL_PT)
                self._run(paragraph, "\t" + lay.printed_on, FANGSONG, SMALL_PT)
            else:
                # 抄送：… one character in on both sides; wrapped lines align after the colon.
                fmt.left_indent = Pt(SMALL_PT + 3 * SMALL_PT)
                fmt.first_line_indent = Pt(-3 * SMALL_PT)
                fmt.right_indent = Pt(SMALL_PT)
                self._run(paragraph, kind, FANGSONG, SMALL_PT)
