"""The 督办单 and the 催办单 of a 督办事项 as PDF (supervision/printing.py, office/printing.py).

Printed from the item's page as the 督查员 would, read back with pypdf: the head names the item, its
number, source, leader, 督查员, time limit and units; the rows carry the leader's 批示, the reports,
the 催办 and what the units answered since — with names and dates as 2026年3月5日 — and every font is
embedded TrueType. Outsiders get a 404; a 绝密 item is refused as its other exports are.

The city, its people and the item fixtures come from ``conftest.py``.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from supervision import services
from tests.factories import make_person
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join(page.extract_text() for page in pages).replace(" ", "").replace("\n", "")


def embedded(content: bytes) -> dict[str, bool]:
    found = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return found


def sheet(person, name: str, item) -> bytes:
    response = browser(person).get(reverse(f"supervision:{name}", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_supervision_sheet_carries_the_item_the_instruction_and_the_reports(city, item, task, today):
    """GIVEN an item split to 发改委 with 财政局 assisting, a 批示 by 李市长 on 2 March and a progress
    report by 钱主任 on 5 March WHEN the 督查员 prints its 督办单 from the item's page THEN the head
    names the item and the rows carry the 批示 and the report with names and dates; the fonts are
    embedded."""
    services.item_instruct(actor=city.leader.user, item=item, text="请抓紧推进，确保年底前完成。")
    on(today, date(2026, 3, 5))
    services.task_report(actor=city.ndrc_head.user, task=task, text="已完成改造方案编制。", percent=20)
    page = browser(city.supervisor).get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert reverse("supervision:item_supervision_sheet", args=[item.pk]) in page

    content = sheet(city.supervisor, "item_supervision_sheet", item)

    text = pdf_text(content)
    for expected in [
        "督办单",
        "督办事项推进老旧小区改造",
        item.number,
        "领导批示",
        "批示领导李市长",
        "督查员王督查",
        "办结时限2026年4月30日",
        "主办单位测试市发展和改革委员会",
        "协办单位测试市财政局",
        "年内完成12个小区改造并通过验收。",
        "请抓紧推进，确保年底前完成。",
        "李市长2026年3月2日",
        "已完成改造方案编制。",
        "钱主任2026年3月5日",
    ]:
        assert expected in text, expected
    assert embedded(content) and all(embedded(content).values()), embedded(content)


def test_the_chase_sheet_presses_the_owing_units_and_keeps_their_answer(city, item, task, today):
    """GIVEN the 督查员's 催办 on 5 March and 钱主任's report on 6 March WHEN the 催办单 is printed
    THEN it names the unit pressed with its time limit, the 催办 with who and when, whom it reached,
    and the report that came after it."""
    services.task_report(actor=city.ndrc_head.user, task=task, text="方案正在起草。")
    on(today, date(2026, 3, 5))
    services.item_chase(actor=city.supervisor.user, item=item, text="请于3月10日前报送最新进展。")
    on(today, date(2026, 3, 6))
    services.task_report(actor=city.ndrc_head.user, task=task, text="方案已报市政府审定。")
    page = browser(city.supervisor).get(reverse("supervision:item_detail", args=[item.pk])).content.decode()
    assert reverse("supervision:item_chase_sheet", args=[item.pk]) in page

    content = sheet(city.supervisor, "item_chase_sheet", item)

    text = pdf_text(content)
    for expected in [
        "催办单",
        "测试市发展和改革委员会（办结时限2026年4月30日",
        "催办人王督查",
        "催办日期2026年3月5日",
        "钱主任",  # 送达
        "请于3月10日前报送最新进展。",
        "王督查2026年3月5日",
        "方案已报市政府审定。",
        "2026年3月6日",
    ]:
        assert expected in text, expected
    assert "方案正在起草。" not in text  # reported before the 催办
    assert all(embedded(content).values())


@pytest.mark.parametrize("name", ["item_supervision_sheet", "item_chase_sheet"])
def test_an_outsider_gets_404(city, item, name):
    """GIVEN an item WHEN a person of another city asks for its sheet THEN 404."""
    response = browser(city.outsider).get(reverse(f"supervision:{name}", args=[item.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["item_supervision_sheet", "item_chase_sheet"])
def test_a_top_secret_item_is_refused(city, open_item, today, settings, name):
    """GIVEN a 绝密 item WHEN its 督查员 asks for a sheet THEN he is sent back to the item's page with
    the refusal, nothing is logged as printed, and the page offers no sheet."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    core = make_person(
        username="sv-core", name="冯督查", unit=city.supervision, roles=(Role.SUPERVISOR,), clearance=Level.TOP_SECRET
    )
    mayor = make_person(
        username="sv-mayor", name="李市长", unit=city.organ, roles=(Role.LEADER,), clearance=Level.TOP_SECRET
    )
    item = open_item(
        actor=core.user,
        supervisor=core,
        instructing_leader=mayor,
        title="某战备工程建设",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1条",
    )
    client = browser(core)

    response = client.get(reverse(f"supervision:{name}", args=[item.pk]))

    detail = reverse("supervision:item_detail", args=[item.pk])
    assert (response.status_code, response["Location"]) == (302, detail)
    page = client.get(detail).content.decode()
    assert "绝密督办事项不能导出，只能在屏幕上阅读。" in page
    assert reverse(f"supervision:{name}", args=[item.pk]) not in page
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()


def test_a_secret_sheet_is_logged_as_printed(city, open_item, split, today, settings):
    """GIVEN a 机密 item WHEN the 督查员 prints its 督办单 THEN the access log has the print and the
    sheet carries his name as its watermark."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    item = open_item(level=Level.SECRET, basis="保密事项范围第3条")
    split(item, due=date(2026, 4, 30))

    content = sheet(city.supervisor, "item_supervision_sheet", item)

    assert "王督查" in pdf_text(content) and "机密" in pdf_text(content)
    assert AuditEvent.objects.filter(action=AuditAction.PRINT, object_id=str(item.pk)).count() == 1
