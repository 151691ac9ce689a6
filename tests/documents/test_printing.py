"""The printed forms of 公文 (发文稿纸, 收文处理笺) and the fonts of every PDF (office/fonts.py).

A sheet is downloaded from its record's page as the person would, then read back with pypdf: the
意见栏 carry the opinions, names and dates the workflow recorded (dates as 2026年12月2日), and every
font of the file is embedded TrueType (a FontFile2 stream), so it prints the same anywhere. The GB/T
9704 PDF embeds its 仿宋/黑体/楷体/宋 faces. Outsiders get a 404; 绝密 is refused the way the
document's own PDF export refuses it; a classified print is in the access log.

The office, the bureau, ``make_document``, ``walk``, ``receive`` and ``advance`` come from
``conftest.py``; the installed fonts from ``bin/install-fonts`` (``make setup``).
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from documents.incoming import services as incoming
from documents.models import DocumentState
from documents.outgoing import services
from documents.rendering import render_pdf
from office import fonts
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.printing import Sheet, render_sheet
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = DocumentState


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(" ", "").replace("\n", "")
    )


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Every font the pages use: its name, and whether its TrueType program is in the file."""
    found = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return found


def assert_all_embedded(content: bytes) -> dict[str, bool]:
    found = pdf_fonts(content)
    assert found and all(found.values()), found
    return found


@pytest.fixture
def signed(office, make_document, time_machine):
    """A notice through 核稿, 会签 by 政策法规处 and 签发 on Wednesday 2 December 2026, each with its
    opinion."""
    time_machine.move_to(datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI), tick=False)
    document = make_document(countersign_units=[office.countersign_unit], cc_units=[office.organ])
    document = services.outgoing_submit(actor=office.drafter.user, document=document, comment="请审核")
    document = services.outgoing_review(
        actor=office.clerk.user, document=document, approve=True, comment="文字已核，格式无误"
    )
    document = services.outgoing_countersign(
        actor=office.countersign_head.user,
        document=document,
        unit=office.countersign_unit,
        agree=True,
        opinion="无意见",
    )
    time_machine.move_to(datetime(2026, 12, 3, 15, 0, tzinfo=SHANGHAI), tick=False)
    return services.outgoing_sign(actor=office.director.user, document=document, approve=True, opinion="同意印发")


# --- 发文稿纸 -------------------------------------------------------------------------------------------


def test_the_draft_sheet_carries_every_opinion_with_its_name_and_date(office, signed):
    """GIVEN a notice reviewed, countersigned and signed with opinions WHEN the drafter prints its
    发文稿纸 from the page THEN the sheet has the head fields and, in the 意见栏, each opinion with who
    gave it and the day in Chinese (2026年12月2日), and every font is embedded."""
    client = browser(office.drafter)
    page = client.get(reverse("documents:outgoing_detail", args=[signed.pk]))
    link = reverse("documents:outgoing_draft_sheet", args=[signed.pk])
    assert link in page.content.decode()

    response = client.get(link)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "发文稿纸",
        signed.title,
        "测试市财政局",  # 主送
        "测试市人民政府",  # 抄送
        "拟稿单位综合科",
        "拟稿人李拟稿",
        "请审核",
        "文字已核，格式无误",
        "王文秘2026年12月2日",
        "政策法规处：无意见",
        "孙处长2026年12月2日",
        "同意印发",
        "赵主任2026年12月3日",
    ]:
        assert expected in text, expected
    assert_all_embedded(response.content)


def test_a_draft_sheet_printed_before_any_step_leaves_the_rows_to_sign(office, make_document):
    """GIVEN a fresh draft with a 会签 unit WHEN the sheet is printed THEN 拟稿 names the drafter,
    the 会签 unit is listed without an opinion, and nothing is invented for 核稿 or 签发."""
    document = make_document(countersign_units=[office.countersign_unit])

    text = pdf_text(browser(office.drafter).get(reverse("documents:outgoing_draft_sheet", args=[document.pk])).content)

    assert "拟稿李拟稿" in text and "会签政策法规处签发" in text  # the unit, its line left blank
    assert "王文秘" not in text and "赵主任" not in text and "同意" not in text


def test_the_draft_sheet_shows_a_return_and_the_new_round(office, make_document):
    """GIVEN a draft returned at 核稿 and sent again WHEN printed THEN the sheet is the draft as last
    sent: the new 送核稿 note, not the old return."""
    document = make_document()
    document = services.outgoing_submit(actor=office.drafter.user, document=document, comment="第一稿")
    document = services.outgoing_review(actor=office.clerk.user, document=document, approve=False, comment="请补充依据")
    document = services.outgoing_submit(actor=office.drafter.user, document=document, comment="已补充依据")

    text = pdf_text(browser(office.drafter).get(reverse("documents:outgoing_draft_sheet", args=[document.pk])).content)

    assert "已补充依据" in text
    assert "请补充依据" not in text and "第一稿" not in text


def test_an_outsider_gets_404_for_the_sheet(office, make_document):
    """GIVEN an 内部 draft of the office WHEN a person of another organ asks for its sheet THEN 404."""
    stranger = make_person(username="print-stranger", name="吴外人", unit=OrganFactory(name="其他市人民政府"))
    document = make_document()

    response = browser(stranger).get(reverse("documents:outgoing_draft_sheet", args=[document.pk]))

    assert response.status_code == 404


@pytest.fixture
def top_secret_ceiling(settings):
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


def test_a_top_secret_draft_sheet_is_refused_as_its_pdf_is(office, make_document, top_secret_ceiling):
    """GIVEN a 绝密 draft of the director WHEN he asks for its sheet THEN, as for the document's
    PDF, he is sent back to the page with the refusal, nothing is logged as downloaded or printed,
    and the page offers no sheet."""
    document = make_document(
        actor=office.director.user,
        title="关于某战备工程选址的请示",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1条",
        disclosure="not_public",
        disclosure_reason="涉密",
    )
    client = browser(office.director)
    detail = reverse("documents:outgoing_detail", args=[document.pk])

    sheet = client.get(reverse("documents:outgoing_draft_sheet", args=[document.pk]))
    export = client.get(reverse("documents:outgoing_render", args=[document.pk]) + "?format=pdf")

    assert (sheet.status_code, sheet["Location"]) == (export.status_code, export["Location"]) == (302, detail)
    page = client.get(detail).content.decode()
    assert "绝密公文不能导出，只能在屏幕上阅读。" in page
    assert reverse("documents:outgoing_draft_sheet", args=[document.pk]) not in page
    printed = AuditEvent.objects.filter(action__in=[AuditAction.PRINT, AuditAction.DOWNLOAD])
    assert not printed.exists()


def test_a_secret_sheet_is_watermarked_and_its_print_logged(office, make_document, top_secret_ceiling):
    """GIVEN a 机密 draft WHEN the director prints its sheet THEN it carries his name as the
    watermark and the access log has the print."""
    document = make_document(
        actor=office.director.user,
        level=Level.SECRET,
        basis="保密事项范围第3条",
        disclosure="not_public",
        disclosure_reason="涉密",
    )

    response = browser(office.director).get(reverse("documents:outgoing_draft_sheet", args=[document.pk]))

    assert response.status_code == 200
    assert "赵主任" in pdf_text(response.content) and "机密" in pdf_text(response.content)
    assert AuditEvent.objects.filter(action=AuditAction.PRINT, object_id=str(document.pk)).count() == 1
    assert "no-store" in response["Cache-Control"]


# --- 收文处理笺 -----------------------------------------------------------------------------------------


def test_the_handling_sheet_carries_proposal_instruction_handling_and_reading(bureau, receive, advance, time_machine):
    """GIVEN a received notice proposed, instructed to 预算处 with 国库处 assisting, with 国库处's input,
    read by a 研究员 and completed, on Monday 2 March 2026 WHEN the 文秘 prints its 收文处理笺 THEN the
    head has 来文单位, 文号, 收文日期 and 编号, and the rows 拟办, 批示, 承办 and 传阅 what each recorded,
    with names and dates; its fonts are embedded."""
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    document = advance(receive(sender_number="测财发〔2026〕88号"), "handling")
    reader_round = incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请研究室阅知"
    )
    row = reader_round.readers.get()
    incoming.circulation_open(actor=bureau.reader.user, reader=row)
    incoming.circulation_read(actor=bureau.reader.user, reader=row, comment="已阅，建议纳入季度分析")
    incoming.incoming_unit_done(
        actor=bureau.treasury_head.user, document=document, unit=bureau.treasury, note="国库处已配合提供数据"
    )
    client = browser(bureau.clerk)
    link = reverse("documents:incoming_handling_sheet", args=[document.pk])
    assert link in client.get(reverse("documents:incoming_detail", args=[document.pk])).content.decode()

    response = client.get(link)

    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in [
        "收文处理笺",
        "来文单位测试省财政厅",
        "测财发〔2026〕88号",
        "收文日期2026年3月2日",
        "收〔2026〕1号",
        "拟请预算处牵头办理，国库处协办。",
        "郑文秘2026年3月2日",
        "同意，请预算处牵头抓紧办理。",
        "陈局长2026年3月2日",
        "办理时限：2026年3月16日",
        "主办预算处",
        "协办国库处：国库处已配合提供数据",
        "朱处长",
        "尤研究员：已阅，建议纳入季度分析",
    ]:
        assert expected in text, expected
    assert_all_embedded(response.content)


def test_an_outsider_gets_404_for_the_handling_sheet(bureau, receive):
    """GIVEN a received document WHEN a person of another organ asks for its 处理笺 THEN 404."""
    stranger = make_person(username="print-outsider", name="吴外人", unit=OrganFactory(name="其他市人民政府"))
    document = receive()

    response = browser(stranger).get(reverse("documents:incoming_handling_sheet", args=[document.pk]))

    assert response.status_code == 404


def test_a_top_secret_handling_sheet_is_refused(bureau, receive, top_secret_ceiling):
    """GIVEN a 绝密 document received by a 局长 cleared for it WHEN he asks for its 处理笺 THEN he is
    sent back to the page with the refusal and nothing is logged as printed."""
    bureau.clerk.clearance = Level.TOP_SECRET
    bureau.clerk.save(update_fields=["clearance"])
    document = receive(title="关于某战备物资调拨的通知", level=Level.TOP_SECRET, basis="来文标注")
    client = browser(bureau.clerk)

    response = client.get(reverse("documents:incoming_handling_sheet", args=[document.pk]))

    detail = reverse("documents:incoming_detail", args=[document.pk])
    assert (response.status_code, response["Location"]) == (302, detail)
    assert "绝密收文不能导出，只能在屏幕上阅读。" in client.get(detail).content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()


# --- The fonts ------------------------------------------------------------------------------------------


def test_the_9704_pdf_embeds_its_body_heading_and_song_faces(office, make_document):
    """GIVEN a notice with 一、 and （一） headings WHEN rendered as the GB/T 9704 PDF THEN every font is
    embedded TrueType: the body's 仿宋 (a 宋 where no free simplified 仿宋 exists), 黑体 for the
    一、 heading, 楷体 for the （一） heading."""
    body = "现将有关事项通知如下。\n一、总体要求\n（一）加强组织领导。各单位要亲自部署。\n请认真贯彻执行。"
    document = make_document(body=body)

    found = assert_all_embedded(render_pdf(document, reader=office.drafter))

    faces = fonts.faces()
    assert {faces[role].embedded for role in ("title", "body", "heading", "kai", "song")} == {True}
    names = " ".join(found)
    for role in ("body", "heading", "kai", "title"):
        assert faces[role].family in names, (role, faces[role], names)
    assert faces["heading"].family != faces["body"].family != faces["kai"].family
    # This machine ran bin/install-fonts: the body is a real 仿宋 and the title a bold 宋.
    assert faces["body"].family == "FandolFang-Regular" and faces["title"].family == "FandolSong-Bold"


def test_without_the_fonts_pdfs_fall_back_to_stsong_with_a_warning(monkeypatch, caplog, tmp_path):
    """GIVEN no Chinese TrueType font in any font directory WHEN a sheet is drawn THEN it falls back
    to STSong-Light (not embedded) and says so in the log; once the fonts are back they are used."""
    from office import fonts_convert

    monkeypatch.setattr(fonts, "SYSTEM_DIRS", ())
    monkeypatch.setattr(fonts_convert, "CACHE", tmp_path / "no-converted-fonts")
    fonts.reset()
    try:
        with caplog.at_level("WARNING", logger="office.fonts"):
            content = render_sheet(Sheet(title="测试表", fields=[]))
        assert fonts.face("body").name == fonts.FALLBACK and not fonts.face("body").embedded
        assert "STSong-Light" in " ".join(pdf_fonts(content))
        assert "bin/install-fonts" in caplog.text
    finally:
        monkeypatch.undo()
        fonts.reset()
    assert fonts.face("body").embedded
