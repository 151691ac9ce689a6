"""The 信访 list pages: 信访登记 (the form, its 信访人 rows, its 诉求材料, what a bad form says), the
信访台账 and its Excel file (the 信访人 masked for all but the handlers; a 检举控告 never shown to whom
it accuses), 我的信访 and the figures with their Excel table.

The city and its people come from ``conftest.py`` (孙信访 the 信访员 of the 信访科, 周副市长, 住建局 …);
the clock stands on Monday 9 March 2026.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from office.confidentiality import services as secrecy
from office.confidentiality.models import AuditAction, AuditEvent
from petitions.models import CaseAttachment, CaseState, Channel, Kind, PetitionCase
from tests.petitions.conftest import PETITIONER_ID, PETITIONER_NAME

pytestmark = pytest.mark.django_db

LEDGER_URL = "/petitions/"
EXPORT_URL = "/petitions/ledger.xlsx"
REGISTER_URL = "/petitions/register/"
MINE_URL = "/petitions/mine/"
FIGURES_URL = "/petitions/figures/"
FIGURES_EXPORT_URL = "/petitions/figures.xlsx"
TODAY = date(2026, 3, 9)
MASKED_NAME = "张**"
REASON = "工作需要"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


def html(response) -> str:
    return response.content.decode()


def rows(response) -> int:
    return html(response).count('data-testid="case-row"')


def sheet_rows(response) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [[cell if cell is not None else "" for cell in row] for row in workbook.active.iter_rows(values_only=True)]


def as_user(client, person):
    client.force_login(person.user)
    return client


def petitioner(n: int, *, representative: bool = False, **fields) -> dict:
    """One 信访人 row of the formset as posted (``representative``: the 代表 box ticked)."""
    values = {"name": "", "kind": "person", "id_number": "", "phone": "", "address": "", "hukou": "", **fields}
    data = {f"petitioners-{n}-{key}": value for key, value in values.items()}
    if representative:
        data[f"petitioners-{n}-representative"] = "on"
    return data


def register_data(category, *people: dict, **fields) -> dict:
    """A 来信 of 张大山 received today, as the page posts it (three 信访人 rows unless more are given)."""
    people = people or ({"name": PETITIONER_NAME, "id_number": PETITIONER_ID, "phone": "13812345678"},)
    total = max(len(people), 3)
    data = {
        "channel": Channel.LETTER,
        "received_on": TODAY.isoformat(),
        "superior_number": "",
        "kind": Kind.CLAIM,
        "category": str(category.pk),
        "area": "",
        "title": "关于小区房屋漏水的来信",
        "content": "楼顶防水层破损，雨天漏水，请求维修。",
        "beyond_level": "",
        "headcount": "",
        "petitioners-TOTAL_FORMS": str(total),
        "petitioners-INITIAL_FORMS": "0",
        "petitioners-MIN_NUM_FORMS": "1",
        "petitioners-MAX_NUM_FORMS": "50",
    }
    for n in range(total):
        data.update(petitioner(n, **(people[n] if n < len(people) else {})))
    data.update(fields)
    return data


def grant(org, case, *, person=None, unit=None):
    secrecy.grant(actor=org.registrar.user, record=case, person=person, unit=unit, reason=REASON)


# --- 信访登记 ------------------------------------------------------------------------------------------


def test_an_officer_registers_a_case_with_its_petitioners_and_papers(client, petition_org, petition_category):
    """GIVEN the 信访员 WHEN he opens 信访登记 THEN today is the default day received; WHEN he posts a
    来信 of 张大山 and 李小河 with a scanned letter THEN the case is stored with both, the paper kept,
    and he lands on the case's page told its 登记号."""
    as_user(client, petition_org.registrar)
    page = client.get(REGISTER_URL)
    assert page.status_code == 200
    assert 'value="2026-03-09"' in html(page)
    assert 'data-testid="nav-petition-register"' in html(page)
    data = register_data(
        petition_category,
        {"name": PETITIONER_NAME, "id_number": PETITIONER_ID, "phone": "13812345678"},
        {"name": "李小河", "hukou": "测试市"},
    )
    data["attachments"] = SimpleUploadedFile("来信.txt", "请求维修漏水的房屋。".encode(), content_type="text/plain")
    response = client.post(REGISTER_URL, data, follow=True)
    case = PetitionCase.objects.get()
    assert response.redirect_chain[-1][0] == f"/petitions/{case.pk}/"
    assert f"已登记：{case.number}" in html(response)
    assert case.state == CaseState.REGISTERED and case.received_on == TODAY
    assert [link.petitioner.name for link in case.petitioners.order_by("order")] == [PETITIONER_NAME, "李小河"]
    assert case.headcount == 2
    assert list(CaseAttachment.objects.filter(case=case).values_list("name", flat=True)) == ["来信.txt"]


def test_adding_a_petitioner_row_keeps_what_was_typed_and_stores_nothing(client, petition_org, petition_category):
    """GIVEN a half-typed form WHEN 增加信访人 is pressed THEN the page comes back with four rows, the
    summary kept, no error shown and nothing stored."""
    as_user(client, petition_org.registrar)
    data = register_data(petition_category, title="漏水", content="")
    data["add_petitioner"] = "1"
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 200
    assert html(response).count('data-testid="petitioner-row"') == 4
    assert 'value="漏水"' in html(response)
    assert "请填写诉求内容" not in html(response)
    assert not PetitionCase.objects.exists()


def test_registration_is_for_petition_officers(client, petition_org):
    """GIVEN a bureau's 科员 WHEN he opens or posts 信访登记 THEN he is refused (403, as 立项 refuses),
    and the module's navigation does not offer it to him."""
    as_user(client, petition_org.bureau_clerk)
    assert client.get(REGISTER_URL).status_code == 403
    assert client.post(REGISTER_URL, {}).status_code == 403
    ledger = client.get(LEDGER_URL)
    assert ledger.status_code == 200
    assert 'data-testid="nav-petition-register"' not in html(ledger)
    assert 'data-testid="nav-petitions"' in html(ledger)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"received_on": "2026-03-10"}, "收到日期不能晚于今天。"),
        ({"title": "漏水\x01的来信"}, "含有不可见的控制字符（U+0001）"),
        ({"petitioners-0-name": ""}, "请填写信访人姓名或名称。"),
        ({"petitioners-0-id_number": "33010219800101"}, "身份证号码应为18位数字"),
        ({"channel": Channel.SUPERIOR}, "请填写上级转交编号"),
        ({"category": ""}, "请选择问题分类。"),
    ],
)
def test_a_bad_registration_says_why_in_chinese_and_stores_nothing(
    client, petition_org, petition_category, change, message
):
    as_user(client, petition_org.registrar)
    response = client.post(REGISTER_URL, {**register_data(petition_category), **change})
    assert response.status_code == 400
    assert message in html(response)
    assert not PetitionCase.objects.exists()


def test_a_visit_sends_at_most_five_representatives(client, petition_org, petition_category):
    """GIVEN a 集体访 of six WHEN all six are marked 代表 THEN the form says five at most and stores
    nothing; with five 代表 it registers."""
    as_user(client, petition_org.registrar)
    people = [{"name": f"访民{n}", "representative": True} for n in range(6)]
    data = register_data(petition_category, *people, channel=Channel.VISIT)
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 400
    assert "集体访推选的代表不得超过5人。" in html(response)
    assert not PetitionCase.objects.exists()
    data.pop("petitioners-5-representative")
    assert client.post(REGISTER_URL, data).status_code == 302
    case = PetitionCase.objects.get()
    assert case.headcount == 6 and case.mass


def test_a_program_among_the_papers_is_refused(client, petition_org, petition_category):
    as_user(client, petition_org.registrar)
    data = register_data(petition_category)
    data["attachments"] = SimpleUploadedFile("来信.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 400
    assert "不支持上传可执行程序或脚本" in html(response)
    assert not PetitionCase.objects.exists() and not CaseAttachment.objects.exists()


def test_an_accusation_names_whom_it_accuses_and_only_an_accusation_may(client, petition_org, petition_category):
    """GIVEN the form WHEN a 申诉求决 names a 被检举单位 THEN it is refused in Chinese and nothing is
    stored; WHEN a 检举控告 names 住建局 THEN it is registered, the 被检举 fields open on a refused
    retry, and 住建局's head finds no trace of it in the ledger."""
    as_user(client, petition_org.registrar)
    data = register_data(petition_category, accused_unit=str(petition_org.bureau.pk))
    refused = client.post(REGISTER_URL, data)
    assert refused.status_code == 400
    assert "只有检举控告事项登记被检举单位或被检举人。" in html(refused)
    assert not PetitionCase.objects.exists()
    retry = client.post(REGISTER_URL, {**data, "kind": Kind.ACCUSATION, "title": ""})
    assert retry.status_code == 400 and '<details class="mb-3" data-testid="accused" open>' in html(retry)
    assert client.post(REGISTER_URL, {**data, "kind": Kind.ACCUSATION}).status_code == 302
    case = PetitionCase.objects.get()
    assert case.accused_unit == petition_org.bureau
    assert rows(as_user(client, petition_org.bureau_head).get(LEDGER_URL)) == 0


# --- 信访台账 and its Excel file -----------------------------------------------------------------------


def test_the_ledger_names_the_petitioner_to_the_officer_and_masks_him_for_a_granted_leader(
    client, petition_org, new_case
):
    """GIVEN a case of 张大山 received on 3 March, granted to the 副市长 WHEN the 信访员 opens the ledger
    THEN he reads the name, the chinese date and the running clock; the 副市长 sees the row with the
    name masked, on the page and in the Excel file (written to the access log)."""
    case = new_case(received_on=date(2026, 3, 3))
    grant(petition_org, case, person=petition_org.leader)
    officer = as_user(client, petition_org.registrar).get(LEDGER_URL)
    assert rows(officer) == 1
    assert PETITIONER_NAME in html(officer)
    assert "2026年3月3日" in html(officer) and case.number in html(officer)
    assert f"/petitions/{case.pk}/" in html(officer)

    leader = as_user(client, petition_org.leader).get(LEDGER_URL)
    assert rows(leader) == 1
    assert PETITIONER_NAME not in html(leader) and MASKED_NAME in html(leader)
    assert PETITIONER_ID not in html(leader)

    export = client.get(EXPORT_URL)
    assert export.status_code == 200
    table = sheet_rows(export)
    assert table[0][0] == "登记号" and len(table) == 2
    assert table[1][0] == case.number and table[1][1] == "2026年3月3日"
    assert MASKED_NAME in table[1] and PETITIONER_NAME not in str(table)
    logged = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=petition_org.leader.user).get()
    assert logged.detail["what"] == "petition_ledger" and logged.detail["rows"] == 1

    own = as_user(client, petition_org.registrar).get(EXPORT_URL)
    assert PETITIONER_NAME in sheet_rows(own)[1]


def test_the_ledger_filters_and_lights_the_clock(client, petition_org, new_case, today):
    """GIVEN a case received on 9 February (its 15-day routing clock past) and one received today WHEN
    the 信访员 filters 已超期 THEN only the first shows, with the red badge; by summary search, only the
    second; by the day received, only the first."""
    today.move_to("2026-02-09 10:00 +0800")
    old = new_case(received_on=date(2026, 2, 9), title="道路破损无人修理")
    today.move_to("2026-03-09 10:00 +0800")
    fresh = new_case(title="噪声扰民请求处理")
    as_user(client, petition_org.registrar)
    assert rows(client.get(LEDGER_URL)) == 2
    overdue = client.get(LEDGER_URL, {"overdue": "on"})
    assert rows(overdue) == 1 and old.number in html(overdue) and 'data-light="red"' in html(overdue)
    searched = client.get(LEDGER_URL, {"q": "噪声"})
    assert rows(searched) == 1 and fresh.number in html(searched)
    dated = client.get(LEDGER_URL, {"received_to": "2026-02-28"})
    assert rows(dated) == 1 and old.number in html(dated)
    bad = client.get(LEDGER_URL, {"received_from": "2026-03-01", "received_to": "2026-02-01"})
    assert "结束日期不能早于开始日期。" in html(bad)


def test_the_accused_bureau_sees_no_row_count_or_file_line(client, petition_org, new_case):
    """GIVEN a 检举控告 against 住建局 and a 申诉求决, both granted to 王局长 and to the bureau WHEN 王局长
    or his 质量站 opens the ledger, its export, 我的信访 or the figures THEN only the 申诉求决 is there
    — the accusation in no row, no count, no line of a file."""
    accusation = new_case(kind=Kind.ACCUSATION, title="检举违规验收", accused_unit=petition_org.bureau)
    claim = new_case(kind=Kind.CLAIM, title="请求维修房屋")
    for case in (accusation, claim):
        grant(petition_org, case, person=petition_org.bureau_head)
        grant(petition_org, case, unit=petition_org.bureau)
    for person in (petition_org.bureau_head, petition_org.bureau_inspector):
        as_user(client, person)
        ledger = client.get(LEDGER_URL)
        assert rows(ledger) == 1 and claim.number in html(ledger)
        assert accusation.number not in html(ledger) and "检举违规验收" not in html(ledger)
        table = sheet_rows(client.get(EXPORT_URL))
        assert [row[0] for row in table[1:]] == [claim.number]
        figures = client.get(FIGURES_URL)
        assert '<td class="text-end" data-testid="total">1</td>' in html(figures)
        figures_table = sheet_rows(client.get(FIGURES_EXPORT_URL))
        assert figures_table[-1][1] == 1  # 合计: the claim only
    officer = as_user(client, petition_org.registrar).get(FIGURES_URL)
    assert '<td class="text-end" data-testid="total">2</td>' in html(officer)


# --- 我的信访 and the figures ---------------------------------------------------------------------------


def test_mine_shows_what_waits_for_the_officer(client, petition_org, new_case, make_petition_case):
    """GIVEN a case the 信访员 registered (待分流) and one 转送 to 住建局 WHEN he opens 我的信访 THEN 待分流
    holds his case; WHEN 住建局's 科员 opens it THEN 待受理 holds the transferred one."""
    registered = new_case()
    transferred = new_case(title="转送住建局的来信")
    transferred.state, transferred.handling_unit = CaseState.TRANSFERRED, petition_org.bureau_section
    transferred.save()
    officer = as_user(client, petition_org.registrar).get(MINE_URL)
    assert officer.status_code == 200
    assert 'data-testid="tab-route"' in html(officer) and 'aria-current="page" href="?tab=route"' in html(officer)
    assert rows(officer) == 1 and registered.number in html(officer)
    mine = as_user(client, petition_org.registrar).get(MINE_URL, {"tab": "registered"})
    assert rows(mine) == 2 and PETITIONER_NAME in html(mine)
    clerk = as_user(client, petition_org.bureau_clerk).get(MINE_URL)
    assert rows(clerk) == 1 and transferred.number in html(clerk)
    assert PETITIONER_NAME in html(clerk)  # the 承办单位 handles it: the name is his to see


def test_figures_count_the_period_and_export_the_table(client, petition_org, new_case):
    """GIVEN a 集体访 of 30 people and a 来信 this year WHEN the 信访员 opens the figures THEN the period
    reads in chinese dates and the whole counts 2 cases, 1 集体访 of 30; the Excel table says the same
    and the export is logged."""
    from petitions.services import PetitionerSpec

    new_case(channel=Channel.VISIT, headcount=30, mass=True, petitioners=[PetitionerSpec(name="王五")])
    new_case()
    as_user(client, petition_org.registrar)
    page = client.get(FIGURES_URL, {"by": "category"})
    assert page.status_code == 200
    text = html(page)
    assert "2026年1月1日 至 2026年3月9日" in text
    assert '<td data-testid="label">房屋质量</td>' in text
    assert '<td class="text-end" data-testid="mass-people">30</td>' in text
    export = client.get(FIGURES_EXPORT_URL, {"by": "category", "start": "2026-01-01", "end": "2026-03-09"})
    table = sheet_rows(export)
    assert table[0][:2] == ["名称", "信访件数"]
    assert table[-1][0] == "合计" and table[-1][1] == 2 and table[-1][11] == 30
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__what="petition_figures").count() == 1
    bad = client.get(FIGURES_URL, {"start": "2026-03-01", "end": "2026-02-01"})
    assert "结束日期不能早于开始日期。" in html(bad)


def test_every_list_page_opens_for_someone_outside_every_case(client, petition_org, new_case):
    """GIVEN a case WHEN 财政局's 科员 (no grant, no role) opens each list THEN each opens, empty."""
    new_case()
    as_user(client, petition_org.finance_clerk)
    for url in (LEDGER_URL, MINE_URL, FIGURES_URL):
        response = client.get(url)
        assert response.status_code == 200, url
        assert rows(response) == 0
    assert len(sheet_rows(client.get(EXPORT_URL))) == 1


def test_the_ledger_reads_a_page_in_a_fixed_number_of_queries(
    client, petition_org, new_case, django_assert_max_num_queries
):
    """GIVEN 3 cases WHEN the ledger is read, then again with 12 THEN the second read takes no more
    queries than the first (the 信访人 and the units come in batches)."""
    for n in range(3):
        new_case(title=f"来信{n}")
    as_user(client, petition_org.registrar)
    with CaptureQueriesContext(connection) as few:
        assert rows(client.get(LEDGER_URL)) == 3
    for n in range(9):
        new_case(title=f"又一封来信{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert rows(client.get(LEDGER_URL)) == 12
