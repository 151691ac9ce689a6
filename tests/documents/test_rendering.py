"""Outgoing documents printed as DOCX and PDF in the GB/T 9704-2012 layout (documents/rendering/).

The DOCX is opened again with python-docx and checked element by element: page and margins, the
红头 (发文机关标志 in red, the number under it, the red separator), the fonts of title, body and
headings by their East Asian names, the 上行文 number line with 签发人, the classified marks at the
top left, 附件说明, 署名 and 成文日期, 版记, odd/even page numbers; the 纪要 and 信函 formats; 绝密
refused; the reader's watermark on classified output. The PDF's text is extracted with pypdf.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt, RGBColor
from pypdf import PdfReader

from documents.models import DocumentNumber, DocumentSeries, OutgoingDocument
from documents.outgoing import services
from documents.rendering import ExportRefused, blocks, chinese_date, render_docx, render_pdf
from office.confidentiality.levels import Level
from office.org.models import Person, Unit
from tests.factories import OrganFactory, UnitFactory, make_person

BEIJING = ZoneInfo("Asia/Shanghai")
TITLE = "关于做好2026年防汛工作的通知"
BODY = "\n".join(
    [
        "为切实做好今年防汛工作，现将有关事项通知如下。",
        "一、总体要求",
        "（一）加强组织领导。各单位主要负责人要亲自部署。",
        "1. 落实值班制度",
        "（1）实行24小时值班",
        "",
        "　　请各单位认真贯彻执行。",
    ]
)
RED = {RGBColor(0xFF, 0, 0), RGBColor(0xC0, 0, 0)}


# --- Setting ---------------------------------------------------------------------------------------


@dataclass
class Scene:
    organ: Unit  # 临江市人民政府办公室: issues 临府办发 in its own name
    recipient: Unit  # 市教育局
    cc: Unit  # 市财政局
    drafter: Person
    reader: Person
    signer: Person
    series: DocumentSeries


@pytest.fixture
def scene(db) -> Scene:
    organ = OrganFactory(name="临江市人民政府办公室")
    section = UnitFactory(parent=organ, name="秘书科")
    return Scene(
        organ=organ,
        recipient=OrganFactory(name="市教育局"),
        cc=OrganFactory(name="市财政局"),
        drafter=make_person(username="render-drafter", name="王建国", unit=section, clearance=Level.TOP_SECRET),
        reader=make_person(username="render-reader", name="李明华", unit=section, clearance=Level.SECRET),
        signer=make_person(username="render-signer", name="陈晓静", unit=organ, clearance=Level.SECRET),
        series=DocumentSeries.objects.create(
            organ=organ, office=organ, issuer_name="临江市人民政府办公室文件", code="临府办发"
        ),
    )


@pytest.fixture
def secret_ceiling(settings):
    """Classified bodies are refused above the test ceiling (内部): raise it for these tests."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


@pytest.fixture
def make(scene):
    """A registered, dated notice to 市教育局 (and 市交通局 outside the system), copied to 市财政局."""

    def _make(*, series: DocumentSeries | None = None, body: str = BODY, **fields) -> OutgoingDocument:
        create = {
            name: fields.pop(name)
            for name in ("level", "basis", "term_unit", "term_amount", "direction", "urgency", "copies", "kind")
            if name in fields
        }
        create.setdefault("kind", "notice")
        document = services.outgoing_create(
            actor=scene.drafter.user,
            series=series or scene.series,
            title=fields.pop("title", TITLE),
            main_to_units=[scene.recipient],
            cc_units=[scene.cc],
            body=body,
            **create,
        )
        document.number = DocumentNumber.objects.create(series=document.series, year=2026, sequence=12)
        document.main_to_external = "市交通局"
        document.cc_external = "市水利局"
        document.written_date = date(2026, 1, 5)
        document.printed_on = date(2026, 1, 6)
        for name, value in fields.items():
            setattr(document, name, value)
        document.save()
        return document

    return _make


@pytest.fixture
def secret(make, secret_ceiling):
    def _secret(**fields) -> OutgoingDocument:
        return make(level=Level.SECRET, basis="范围", term_unit="years", term_amount=10, **fields)

    return _secret


# --- Reading the DOCX ------------------------------------------------------------------------------


def open_docx(data: bytes):
    assert data[:2] == b"PK"
    return docx.Document(io.BytesIO(data))


def lines(document) -> list:
    """The body's non-empty paragraphs, in order."""
    return [paragraph for paragraph in document.paragraphs if paragraph.text.strip()]


def paragraph_with(document, text: str):
    return next(paragraph for paragraph in document.paragraphs if text in paragraph.text)


def east_asian(run) -> str | None:
    """The font a run's Chinese characters are set in (w:rFonts/@w:eastAsia)."""
    fonts = run._r.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def border(paragraph, side: str):
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    return None if borders is None else borders.find(qn(f"w:{side}"))


def close(length, points: float) -> bool:
    return length is not None and abs(length.pt - points) < 0.1


# --- The body's structure --------------------------------------------------------------------------


def test_blocks_give_each_paragraph_its_heading_level():
    assert blocks(BODY) == [
        (0, "为切实做好今年防汛工作，现将有关事项通知如下。"),
        (1, "一、总体要求"),
        (2, "（一）加强组织领导。各单位主要负责人要亲自部署。"),
        (3, "1. 落实值班制度"),
        (4, "（1）实行24小时值班"),
        (0, "请各单位认真贯彻执行。"),
    ]
    assert blocks("十二、其他\n(二)半角括号\n2．全角点\n(3)半角\n1.5亿元用于……\n") == [
        (1, "十二、其他"),
        (2, "(二)半角括号"),
        (3, "2．全角点"),
        (4, "(3)半角"),
        (0, "1.5亿元用于……"),
    ]
    assert blocks("") == [] and blocks("\n \n") == []


def test_dates_are_printed_without_padding():
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(date(2026, 11, 21)) == "2026年11月21日"
    assert chinese_date(None) == ""


# --- DOCX: the page --------------------------------------------------------------------------------


def test_docx_page_is_a4_with_the_standard_margins_and_grid(make, scene):
    document = open_docx(render_docx(make(), reader=scene.reader))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    # Type area 156 × 225 mm; 22 lines a page.
    assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
    assert round(Length(section.page_height - section.top_margin - section.bottom_margin).mm) == 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    assert document.core_properties.title == TITLE


def test_docx_head_is_the_red_issuer_the_number_below_it_and_the_red_rule(make, scene):
    document = open_docx(render_docx(make(), reader=scene.reader))
    paragraphs = lines(document)
    issuer = paragraphs[0]  # no marks on an unclassified, ordinary document
    assert issuer.text == "临江市人民政府办公室文件"
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = issuer.runs[0]
    assert run.font.color.rgb in RED
    assert east_asian(run) == "方正小标宋简体"
    assert 26 <= run.font.size.pt <= 36

    number = paragraphs[1]
    assert number.text == "临府办发〔2026〕12号"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # Two blank lines between them.
    index = [paragraph._p for paragraph in document.paragraphs]
    gap = index.index(number._p) - index.index(issuer._p) - 1
    assert gap == 2
    rule = border(number, "bottom")
    assert rule is not None and rule.get(qn("w:val")) == "single"
    assert rule.get(qn("w:color")).upper() in {"FF0000", "C00000"}


def test_docx_title_main_to_and_body_fonts(make, scene):
    document = open_docx(render_docx(make(), reader=scene.reader))
    title = paragraph_with(document, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert east_asian(title.runs[0]) == "方正小标宋简体"

    main_to = paragraph_with(document, "市教育局")
    assert main_to.text == "市教育局、市交通局："
    assert main_to.paragraph_format.first_line_indent in (None, Pt(0))

    first = paragraph_with(document, "为切实做好今年防汛工作")
    assert east_asian(first.runs[0]) == "仿宋_GB2312"
    assert first.runs[0].font.size == Pt(16)
    assert first.paragraph_format.first_line_indent == Pt(32)
    assert first.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= first.paragraph_format.line_spacing.pt <= 29
    # The typed full-width indent is dropped: the first-line indent does its work.
    assert paragraph_with(document, "请各单位认真贯彻执行").text == "请各单位认真贯彻执行。"
    # Body paragraphs come right after 主送, the title a blank line above it.
    paragraphs = lines(document)
    at = paragraphs.index(next(p for p in paragraphs if p.text == main_to.text))
    assert paragraphs[at - 1].text == TITLE and paragraphs[at + 1].text.startswith("为切实做好")


def test_docx_heading_levels_are_heiti_kaiti_fangsong(make, scene):
    document = open_docx(render_docx(make(), reader=scene.reader))
    level1 = paragraph_with(document, "一、总体要求")
    assert [east_asian(run) for run in level1.runs] == ["黑体"]
    assert level1.paragraph_format.first_line_indent == Pt(32)
    level2 = paragraph_with(document, "（一）加强组织领导")
    # The heading sentence in 楷体, the running text after it in 仿宋.
    assert [(run.text, east_asian(run)) for run in level2.runs] == [
        ("（一）加强组织领导。", "楷体_GB2312"),
        ("各单位主要负责人要亲自部署。", "仿宋_GB2312"),
    ]
    assert east_asian(paragraph_with(document, "1. 落实值班制度").runs[0]) == "仿宋_GB2312"
    assert east_asian(paragraph_with(document, "（1）实行24小时值班").runs[0]) == "仿宋_GB2312"


def test_docx_defaults_name_the_official_body_font_not_a_theme_font(make, scene):
    document = open_docx(render_docx(make(), reader=scene.reader))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert document.styles["Normal"].font.size == Pt(16)


def test_docx_upward_document_puts_the_number_left_level_with_the_signer_right(make, scene):
    document = make(direction="up", kind="report", title="关于防汛工作情况的报告", signed_by=scene.signer)
    rendered = open_docx(render_docx(document, reader=scene.reader))
    number = paragraph_with(rendered, "临府办发〔2026〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.LEFT
    left, right = number.text.split("\t")
    assert left.strip() == "临府办发〔2026〕12号"
    assert right == "签发人：陈晓静"
    stops = number.paragraph_format.tab_stops
    assert len(stops) == 1 and stops[0].alignment == WD_TAB_ALIGNMENT.RIGHT
    assert east_asian(number.runs[-1]) == "楷体_GB2312"  # the signer's name
    assert border(number, "bottom").get(qn("w:color")).upper() in {"FF0000", "C00000"}


def test_docx_upward_document_names_the_designated_signer_before_signing(make, scene):
    document = make(direction="up", kind="request", title="关于拨付防汛经费的请示", designated_signer=scene.signer)
    rendered = open_docx(render_docx(document, reader=scene.reader))
    assert paragraph_with(rendered, "签发人：").text.endswith("签发人：陈晓静")


def test_docx_downward_document_has_no_signer(make, scene):
    rendered = open_docx(render_docx(make(signed_by=scene.signer), reader=scene.reader))
    assert not any("签发人" in paragraph.text for paragraph in rendered.paragraphs)


def test_docx_classified_marks_stack_top_left_in_heiti(secret, scene, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 30, tzinfo=BEIJING), tick=False)
    document = secret(copies=30, urgency="extra_urgent")
    rendered = open_docx(render_docx(document, reader=scene.reader))
    top = lines(rendered)[:4]
    assert [paragraph.text for paragraph in top] == ["000001", "机密★10年", "特急", "临江市人民政府办公室文件"]
    for paragraph in top[:3]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert not paragraph.paragraph_format.first_line_indent
        assert east_asian(paragraph.runs[0]) == "黑体" and paragraph.runs[0].font.size == Pt(16)
    # The reader's watermark, light grey, in the header of odd and even pages.
    section = rendered.sections[0]
    for header in (section.header, section.even_page_header):
        text = "".join(paragraph.text for paragraph in header.paragraphs)
        assert text == "李明华 2026-03-02 09:30"
        run = header.paragraphs[0].runs[0]
        assert run.font.color.rgb not in RED and min(run.font.color.rgb) >= 0xA0


def test_docx_prints_the_copy_number_asked_for(secret, scene):
    rendered = open_docx(render_docx(secret(copies=30), reader=scene.reader, copy_number=17))
    assert lines(rendered)[0].text == "000017"


def test_docx_ordinary_document_has_no_marks_and_no_watermark(make, scene):
    rendered = open_docx(render_docx(make(copies=30, urgency="urgent"), reader=scene.reader))
    assert [paragraph.text for paragraph in lines(rendered)[:2]] == ["加急", "临江市人民政府办公室文件"]
    assert not any("李明华" in paragraph.text for paragraph in rendered.sections[0].header.paragraphs)
    assert not any(re.fullmatch(r"\d{6}", paragraph.text) for paragraph in rendered.paragraphs)


def test_docx_attachments_signature_date_and_note(make, scene):
    document = make(attachment_note="1. 防汛值班表\n防汛物资清单。", note="联系人：王建国，电话：1234567")
    rendered = open_docx(render_docx(document, reader=scene.reader))
    paragraphs = lines(rendered)
    first = paragraph_with(rendered, "附件：")
    assert first.text == "附件：1．防汛值班表"
    assert first.paragraph_format.left_indent == Pt(80) and first.paragraph_format.first_line_indent == Pt(-48)
    second = paragraphs[paragraphs.index(next(p for p in paragraphs if p._p is first._p)) + 1]
    assert second.text == "2．防汛物资清单"
    assert second.paragraph_format.left_indent == Pt(80)

    organ = next(p for p in paragraphs if p.text == "临江市人民政府办公室")  # 署名 (the mark says 文件)
    day = paragraphs[paragraphs.index(organ) + 1]
    assert day.text == "2026年1月5日"
    assert organ.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The date starts two characters right of the name's first character.
    organ_start = -organ.paragraph_format.right_indent.pt - 10 * 16
    day_start = -day.paragraph_format.right_indent.pt - (3 * 16 + 6 * 8)  # 年月日 and six digits
    assert day_start - organ_start == pytest.approx(32)
    assert paragraphs[paragraphs.index(day) + 1].text == "（联系人：王建国，电话：1234567）"


def test_docx_single_attachment_is_not_numbered(make, scene):
    rendered = open_docx(render_docx(make(attachment_note="附件：防汛值班表。"), reader=scene.reader))
    assert paragraph_with(rendered, "附件：").text == "附件：防汛值班表"


def test_docx_record_has_cc_and_the_printing_line_between_full_width_rules(make, scene):
    rendered = open_docx(render_docx(make(printing_organ="临江市人民政府办公室"), reader=scene.reader))
    table = rendered.tables[-1]
    rows = [row.cells[0].paragraphs[0] for row in table.rows]
    assert rows[0].text == "抄送：市财政局，市水利局。"
    assert rows[1].text == "临江市人民政府办公室\t2026年1月6日印发"
    for paragraph in rows:
        assert all(run.font.size == Pt(14) and east_asian(run) == "仿宋_GB2312" for run in paragraph.runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("top", "bottom", "insideH"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"
    assert borders.find(qn("w:top")).get(qn("w:sz")) > borders.find(qn("w:insideH")).get(qn("w:sz"))
    for side in ("left", "right"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "nil"
    assert round(table.rows[0].cells[0].width.mm) == 156
    # Nothing after the 版记 but the paragraph Word requires.
    body = rendered.element.body
    assert body.index(table._tbl) >= len(body) - 3


def test_docx_record_without_cc_has_only_the_printing_line(make, scene):
    document = make()
    document.cc_units.clear()
    document.cc_external = ""
    document.save()
    table = open_docx(render_docx(document, reader=scene.reader)).tables[-1]
    assert [row.cells[0].text for row in table.rows] == ["临江市人民政府办公室\t2026年1月6日印发"]


def test_docx_page_numbers_right_on_odd_pages_left_on_even(make, scene):
    rendered = open_docx(render_docx(make(), reader=scene.reader))
    assert rendered.settings.odd_and_even_pages_header_footer is True
    section = rendered.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        instructions = [node.text.strip() for node in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert [node.get(qn("w:fldCharType")) for node in paragraph._p.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        assert all(run.font.size == Pt(14) for run in paragraph.runs)


def test_docx_minutes_format(make, scene):
    series = DocumentSeries.objects.create(
        organ=scene.organ,
        office=scene.organ,
        issuer_name="临江市人民政府常务会议纪要",
        code="临府纪要",
        template="minutes",
    )
    body = "\n".join(
        [
            "2026年1月5日，市长主持召开市政府常务会议。会议议定事项纪要如下。",
            "一、关于防汛工作",
            "会议同意市水利局提出的方案。",
            "出席：张市长，李副市长，王秘书长",
            "请假：赵副市长（出差）",
            "列席：市水利局，市财政局",
        ]
    )
    document = make(series=series, kind="minutes", title="市政府第12次常务会议纪要", body=body)
    rendered = open_docx(render_docx(document, reader=scene.reader))
    paragraphs = lines(rendered)
    issuer = paragraphs[0]
    assert issuer.text == "临江市人民政府常务会议纪要" and issuer.runs[0].font.color.rgb in RED
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not any(paragraph.text.endswith("：") and "市教育局" in paragraph.text for paragraph in paragraphs)
    attendance = [p for p in paragraphs if p.text[:3] in ("出席：", "请假：", "列席：")]
    assert [p.text[:2] for p in attendance] == ["出席", "请假", "列席"]
    for paragraph in attendance:
        label, names = paragraph.runs
        assert east_asian(label) == "黑体" and east_asian(names) == "仿宋_GB2312"
        assert paragraph.paragraph_format.left_indent == Pt(80)
    # After the body, together.
    last_body = paragraphs.index(next(p for p in paragraphs if p.text == "会议同意市水利局提出的方案。"))
    assert paragraphs[last_body + 1].text.startswith("出席：张市长")


def test_docx_minutes_kind_in_a_standard_series_gets_a_minutes_mark(make, scene):
    document = make(kind="minutes", title="防汛工作专题会议纪要")
    rendered = open_docx(render_docx(document, reader=scene.reader))
    assert lines(rendered)[0].text == "临江市人民政府办公室纪要"


def test_docx_letter_format(make, scene):
    series = DocumentSeries.objects.create(
        organ=scene.organ, office=scene.organ, issuer_name="临江市人民政府办公室", code="临府办函", template="letter"
    )
    document = make(series=series, kind="letter", title="关于商请支持防汛工作的函")
    rendered = open_docx(render_docx(document, reader=scene.reader))
    paragraphs = lines(rendered)
    issuer, number = paragraphs[:2]
    assert issuer.text == "临江市人民政府办公室" and issuer.runs[0].font.color.rgb in RED
    assert border(issuer, "bottom").get(qn("w:val")) == "thickThinSmallGap"
    assert number.text == "临府办函〔2026〕12号" and number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    section = rendered.sections[0]
    assert section.different_first_page_header_footer
    bottom = border(section.first_page_footer.paragraphs[0], "bottom")
    assert bottom.get(qn("w:val")) == "thinThickSmallGap" and bottom.get(qn("w:color")) == "FF0000"
    assert section.footer.paragraphs[0].text.startswith("— ")


def test_top_secret_is_never_exported(make, scene, secret_ceiling):
    document = make(level=Level.TOP_SECRET, basis="范围", term_unit="years", term_amount=30)
    for render in (render_docx, render_pdf):
        with pytest.raises(ExportRefused, match="绝密") as refused:
            render(document, reader=scene.reader)
        assert isinstance(refused.value, ValueError)


# --- PDF -------------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> tuple[int, str]:
    pages = pdf_pages(data)
    return len(pages), "\n".join(pages)


def test_pdf_has_the_same_elements_as_text(make, scene):
    document = make(attachment_note="防汛值班表\n防汛物资清单")
    pages, text = pdf_text(render_pdf(document, reader=scene.reader))
    for expected in (
        "临江市人民政府办公室文件",
        "临府办发〔2026〕12号",
        TITLE,
        "市教育局、市交通局：",
        "一、总体要求",
        "为切实做好今年防汛工作，现将有关事项通知如下。",
        "附件：1．防汛值班表",
        "2026年1月5日",
        "抄送：市财政局，市水利局。",
        "2026年1月6日印发",
        "— 1 —",
    ):
        assert expected in text, expected
    assert f"— {pages} —" in text
    # 版记 at the foot of the last page.
    last = pdf_pages(render_pdf(document, reader=scene.reader))[-1]
    assert last.index("2026年1月5日") < last.index("抄送：") < last.index("2026年1月6日印发")
    assert "李明华" not in text  # no watermark on an unclassified document
    metadata = PdfReader(io.BytesIO(render_pdf(document, reader=scene.reader))).metadata
    assert metadata.title == TITLE


def test_pdf_numbers_every_page(make, scene):
    body = "\n".join(f"第{index}段：各单位要按照要求认真落实防汛责任，确保安全度汛。" for index in range(1, 60))
    pages, text = pdf_text(render_pdf(make(body=body), reader=scene.reader))
    assert pages >= 3
    for page in range(1, pages + 1):
        assert f"— {page} —" in text


def test_pdf_upward_number_and_signer(make, scene):
    document = make(direction="up", kind="report", title="关于防汛工作情况的报告", signed_by=scene.signer)
    _pages, text = pdf_text(render_pdf(document, reader=scene.reader))
    assert "临府办发〔2026〕12号" in text and "签发人：陈晓静" in text


def test_pdf_classified_carries_marks_and_the_readers_watermark(secret, scene, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 30, tzinfo=BEIJING), tick=False)
    _pages, text = pdf_text(render_pdf(secret(copies=5), reader=scene.reader))
    assert "000001" in text and "机密★10年" in text
    assert "李明华 2026-03-02 09:30" in text


def test_the_html_preview_prints_the_wording_of_the_pdf(make, scene, client):
    """GIVEN a document with two attachments, two 主送 and a 抄送 WHEN its page is read THEN the
    preview has the PDF's wording to the punctuation: 主送 by 顿号 ending in a full-width colon,
    “附件：1．…” with the full-width full stop of GB/T 9704 7.3.4, 抄送 ending in 。."""
    document = make(attachment_note="1. 防汛值班表\n防汛物资清单。")
    _pages, text = pdf_text(render_pdf(document, reader=scene.reader))
    client.force_login(scene.drafter.user)
    page = client.get(f"/documents/outgoing/{document.pk}/").content.decode()
    for wording in ("市教育局、市交通局：", "1．防汛值班表", "2．防汛物资清单", "抄送：市财政局，市水利局。"):
        assert wording in text.replace("\n", "").replace(" ", ""), wording
        assert wording in page, wording
