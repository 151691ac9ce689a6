"""Outgoing documents as printed: DOCX and PDF in the layout of GB/T 9704-2012.

Both renderers work from one :class:`Layout`, the document's elements already worded as they are
printed (份号, 密级★期限, 发文字号, 主送, dates without padding, the 版记 lines), so the two files say
the same thing. The DOCX follows the standard closely (A4, 37/28/26/35 mm margins, 22 lines of 28
characters, the official fonts by name); the PDF is a simpler but faithful rendition drawn with the
built-in CID font STSong-Light, which every PDF viewer can show without embedded fonts.

Classified output carries the reader's watermark (name and time); 绝密 content is never exported
(:class:`ExportRefused`). Logging the export is the caller's business (``audit.record``).
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone

from documents.exports import chinese_date  # GB/T 9704 7.3.5.1
from documents.models import DocumentKind, OutgoingDocument, SeriesTemplate
from office.confidentiality.levels import Level


class ExportRefused(ValueError):
    """The document may not leave the system as a file (绝密 content is on screen only)."""


# --- Reading the body ------------------------------------------------------------------------------

_CN_NUMERAL = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUMERAL}]+、")),  # 一、
    (2, re.compile(rf"^[（(][{_CN_NUMERAL}]+[）)]")),  # （一）
    (3, re.compile(r"^\d+[.．](?!\d)")),  # 1.  (not 1.5亿元)
    (4, re.compile(r"^[（(]\d+[）)]")),  # （1）
)
ATTENDANCE = re.compile(r"^(出席|请假|列席)[：:]\s*(.*)$")


def blocks(body: str) -> list[tuple[int, str]]:
    """The body's paragraphs (one per non-empty line) with their heading level: 1 for 一、,
    2 for （一）, 3 for 1., 4 for （1）, 0 for running text. Surrounding spaces (including the
    full-width indent people type) are dropped: the indent is the layout's business."""
    result = []
    for raw in (body or "").splitlines():
        text = raw.strip()
        if not text:
            continue
        level = next((level for level, pattern in HEADING_PATTERNS if pattern.match(text)), 0)
        result.append((level, text))
    return result


def _split_heading(level: int, text: str) -> tuple[str, str]:
    """A 一、 or （一） heading followed by running text in the same paragraph ("（一）加强领导。各单位
    要……") prints only the heading sentence in the heading font."""
    if level in (1, 2):
        stop = text.find("。")
        if 0 < stop < len(text) - 1:
            return text[: stop + 1], text[stop + 1 :]
    return text, ""


# --- What is printed -------------------------------------------------------------------------------

URGENCY_MARKS = {"urgent": "加急", "extra_urgent": "特急"}  # printed in Chinese whatever the UI language


@dataclass
class Layout:
    """The printed wording of every element, shared by the DOCX and PDF renderers."""

    template: str  # standard | letter | minutes
    issuer: str
    number: str
    title: str
    marks: list[str] = field(default_factory=list)  # 份号, 密级★期限, 紧急程度, top to bottom
    signer: str | None = None  # 上行文 only: the name after 签发人：
    main_to: str = ""
    body: list[tuple[int, str]] = field(default_factory=list)
    attendance: list[tuple[str, str]] = field(default_factory=list)  # 纪要: (出席, names)…
    attachments: list[str] = field(default_factory=list)
    organ: str = ""  # 发文机关署名
    date: str = ""  # 成文日期
    note: str = ""  # 附注, with its parentheses
    cc: str = ""  # 抄送：…。
    printing_organ: str = ""
    printed_on: str = ""  # "2026年1月5日印发"
    watermark: str = ""  # reader and time, on classified output
    author: str = ""

    @property
    def upward(self) -> bool:
        return self.signer is not None


def _attachment_names(note: str) -> list[str]:
    names = []
    for line in (note or "").splitlines():
        # A number the drafter typed is replaced by ours; no punctuation after a name (GB/T 7.3.4).
        name = re.sub(r"^附件[：:]\s*", "", line.strip())
        name = re.sub(r"^\d+\s*[.．、]\s*", "", name).rstrip("。；;，,")
        if name:
            names.append(name)
    return names


def _minutes_issuer(issuer_name: str) -> str:
    return issuer_name if issuer_name.endswith("纪要") else issuer_name.removesuffix("文件") + "纪要"


def layout(document: OutgoingDocument, *, reader, copy_number: int | None = None) -> Layout:
    """What the document prints, or ExportRefused for 绝密. ``copy_number`` is the 份号 of the copy
    being printed; by default a classified document with copies prints 000001."""
    if document.level >= Level.TOP_SECRET:
        raise ExportRefused("绝密级公文的内容只能在屏幕上阅读，不得导出为文件。")
    series = document.series
    minutes = series.template == SeriesTemplate.MINUTES or document.kind == DocumentKind.MINUTES
    template = "minutes" if minutes else ("letter" if series.template == SeriesTemplate.LETTER else "standard")

    marks = []
    if document.is_classified:
        if copy_number is None and document.copies >= 1:
            copy_number = 1
        if copy_number:
            marks.append(f"{copy_number:06d}")
        marks.append(document.level_mark)
    if document.urgency in URGENCY_MARKS:
        marks.append(URGENCY_MARKS[document.urgency])

    signer = None
    if document.direction == "up" and not minutes:
        person = document.signed_by or document.designated_signer
        signer = person.name if person else ""

    paragraphs = blocks(document.body)
    attendance = []
    if minutes:
        kept = []
        for level, text in paragraphs:
            match = ATTENDANCE.match(text)
            if match and level == 0:
                attendance.append((match.group(1), match.group(2).strip()))
            else:
                kept.append((level, text))
        paragraphs = kept

    main_to = ""
    if not minutes:
        names = [unit.name for unit in document.main_to_units.all()]
        names += [name for name in re.split(r"[、，,；;\s]+", document.main_to_external) if name]
        main_to = "、".join(names) + "：" if names else ""

    cc_names = [unit.name for unit in document.cc_units.all()]
    cc_names += [name for name in re.split(r"[、，,；;\s]+", document.cc_external) if name]

    note = document.note.strip()
    if note and not (note.startswith(("（", "(")) and note.endswith(("）", ")"))):
        note = f"（{note}）"

    watermark = ""
    if document.is_classified:
        watermark = f"{reader.name} {timezone.localtime().strftime('%Y-%m-%d %H:%M')}"

    number = document.number_text or f"{series.code}〔　　〕　号"
    return Layout(
        template=template,
        issuer=_minutes_issuer(series.issuer_name) if minutes else series.issuer_name,
        number=number,
        title=document.title,
        marks=marks,
        signer=signer,
        main_to=main_to,
        body=paragraphs,
        attendance=attendance,
        attachments=_attachment_names(document.attachment_note),
        organ="" if minutes else series.organ.name,
        date=chinese_date(document.written_date),
        note=note,
        cc="抄送：" + "，".join(cc_names) + "。" if cc_names else "",
        printing_organ=document.printing_organ,
        printed_on=chinese_date(document.printed_on) + "印发",
        watermark=watermark,
        author=series.organ.name,
    )


def _text_width(text: str, size: float) -> float:
    """Printed width: CJK characters are square, ASCII digits and letters half as wide."""
    return sum(size / 2 if ord(char) < 0x2000 else size for char in text)


def _issuer_size(text: str, width: float) -> float:
    """The 发文机关标志 as large as fits on one line of the type area: at most 36 pt, at least 22."""
    return max(22.0, min(36.0, int(2 * width / max(1.0, _text_width(text, 1.0))) / 2))


def _signature_indents(organ: str, when: str) -> tuple[float, float]:
    """Right indents (pt) of 发文机关署名 and 成文日期 without a seal (GB/T 7.3.5.2): the name right
    two characters in, the date starting two characters right of the name; a longer date stays
    two characters in and pushes the name left."""
    name, day = _text_width(organ, 16), _text_width(when, 16)
    if name >= day + 32:
        return 32.0, name - day
    return 64.0 + day - name, 32.0


# --- DOCX ------------------------------------------------------------------------------------------

# Type area. 22 lines in 225 mm: a line pitch of 28.95 pt (579 twips), also the document grid.
# 28 characters in 156 mm: 3号 characters condensed by 0.25 pt (w:spacing -5 twentieths), rather
# than Word's character grid (w:charSpace), which LibreOffice spreads out instead.
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TYPE_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
LINE_PT = 28.95
CONDENSE_TWIPS = -5
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
SMALL_PT = 14  # 4号
RED = "FF0000"
LETTER_RULE_MM = 170  # 信函's red double lines
WATERMARK_GREY = "BFBFBF"

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
        size = _issuer_size(lay.issuer, TYPE_W_MM * 72 / 25.4)
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
        size = _issuer_size(lay.issuer, TYPE_W_MM * 72 / 25.4)
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
        for index, name in enumerate(names, start=1):
            text = f"{index}. {name}"
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
        organ_indent, date_indent = _signature_indents(lay.organ, lay.date)
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


# --- PDF -------------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"


@functools.cache
def _pdf_font() -> str:
    """Register the built-in Adobe CID font once: no font file is needed, viewers substitute."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


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

    font = _pdf_font()
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

    def para(text, st=body, **overrides):
        if overrides:
            st = ParagraphStyle(f"{st.name}+", parent=st, **overrides)
        return Paragraph(escape(text), st)

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
    marks = [para(mark, left) for mark in lay.marks]
    size = _issuer_size(lay.issuer, width)
    issuer = para(lay.issuer, centre, fontSize=size, leading=size * 1.25, textColor=red)

    if lay.template == "letter":
        story.append(issuer)
        story.append(Rules([(2.0, 0), (0.6, 1.2)], red, extend=letter_extend, before=4, after=BODY_PT * 7 / 8))
        rows = [[marks[0] if marks else "", para(lay.number, left, alignment=TA_RIGHT)]]
        rows += [[mark, ""] for mark in marks[1:]]
        story.append(_plain_table(Table, TableStyle, rows, [width / 2, width / 2]))
        story.append(Spacer(1, LINE_PT))
    else:
        story.extend(marks)
        story.append(Spacer(1, max(0.0, 35 * mm - LINE_PT * len(marks) - size * 0.2)))
        story.append(issuer)
        story.append(Spacer(1, 2 * LINE_PT))
        if lay.upward:
            # Each one character in from its side (platypus drops a leading full-width space).
            row = [
                para(lay.number, left, leftIndent=BODY_PT),
                para(f"签发人：{lay.signer}", left, alignment=TA_RIGHT, rightIndent=BODY_PT),
            ]
            story.append(_plain_table(Table, TableStyle, [row], [width / 2, width / 2]))
        else:
            story.append(para(lay.number, centre))
        story.append(Rules([(1.5, 0)], red, before=0, after=2 * LINE_PT - 4))

    story.append(para(lay.title, centre, fontSize=TITLE_PT, leading=35))
    story.append(Spacer(1, LINE_PT))
    if lay.main_to:
        story.append(para(lay.main_to, left))
    story.extend(para(text) for _level, text in lay.body)
    if lay.attachments:
        story.append(Spacer(1, LINE_PT))
        numbered = len(lay.attachments) > 1
        for index, name in enumerate(lay.attachments, start=1):
            text = f"{index}. {name}" if numbered else name
            hanging = {"leftIndent": 5 * BODY_PT, "firstLineIndent": -3 * BODY_PT}
            if index == 1:
                story.append(para("附件：" + text, body, **hanging))
            else:
                story.append(para(text, body, leftIndent=5 * BODY_PT, firstLineIndent=0))
    if lay.attendance:
        story.append(Spacer(1, LINE_PT))
        for name, people in lay.attendance:
            story.append(para(f"{name}：{people}", body, leftIndent=5 * BODY_PT, firstLineIndent=-3 * BODY_PT))
    if lay.organ or lay.date:
        story.append(Spacer(1, LINE_PT))
        if lay.organ and lay.template != "minutes":
            organ_indent, date_indent = _signature_indents(lay.organ, lay.date)
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
    printing.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    rows.append([printing])
    record = Table(rows, colWidths=[width])
    record.setStyle(
        TableStyle(
            [
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
            canvas.setFont(font, SMALL_PT)
            canvas.setFillColor(colors.black)
            text, y = f"— {page} —", (MARGIN_BOTTOM_MM - 7) * mm - SMALL_PT
            if page % 2:
                canvas.drawRightString(page_w - MARGIN_RIGHT_MM * mm - SMALL_PT, y, text)
            else:
                canvas.drawString(MARGIN_LEFT_MM * mm + SMALL_PT, y, text)
        if lay.watermark:
            canvas.setFont(font, 9)
            canvas.setFillColor(colors.HexColor("#" + WATERMARK_GREY))
            canvas.drawCentredString(page_w / 2, page_h - 20 * mm, lay.watermark)
            canvas.setFillAlpha(0.12)
            canvas.setFont(font, 22)
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
    )
    template.build(story)
    return out.getvalue()


def _plain_table(table_class, style_class, rows, widths):
    table = table_class(rows, colWidths=widths)
    table.setStyle(
        style_class(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
