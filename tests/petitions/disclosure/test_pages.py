"""The 政府信息公开 pages (petitions/disclosure/views.py) as the people of ``disclosure_city`` see them:
the 政务公开员 who registers and answers, 钱主任 the head of the 政务公开办, the city's 保密员, 冯科员
of the 办公室 (a bystander) and 住建局's 赵科员 and the province's 黄科员 (outside).

Requests are registered through ``petitions.disclosure.services``; the steps go through the page's
POSTs. Everything happens on Monday 9 March 2026, a working day.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.contrib.postgres.search import SearchVector
from django.db.models import Value
from openpyxl import load_workbook

from documents.models import OutgoingDocument
from office import search
from office.workdays.services import format_date
from petitions.disclosure.models import DisclosureRequest, Publication, PublicationState, RequestState
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)
LEDGER = "/petitions/disclosure/"
REGISTER = "/petitions/disclosure/register/"
REPORT = "/petitions/disclosure/report/"
PUBLICATIONS = "/petitions/disclosure/publications/"
CATALOGUE = "/petitions/disclosure/catalogue/"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def html(response) -> str:
    return response.content.decode()


def as_user(client, person):
    client.force_login(person.user)
    return client


def page(record: DisclosureRequest) -> str:
    return f"/petitions/disclosure/{record.pk}/"


def act(record: DisclosureRequest, step: str) -> str:
    return f"/petitions/disclosure/{record.pk}/{step}/"


def document(city, title: str, *, disclosure: str = "proactive", state: str = "issued") -> OutgoingDocument:
    """An issued 发文 of the city, straight through the ORM (its search terms as ``documents`` writes them)."""
    found = OutgoingDocument.objects.create(
        series=city.letter_series,
        title=title,
        kind="letter",
        drafter=city.officer,
        drafting_unit=city.unit,
        state=state,
        disclosure=disclosure,
    )
    vector = SearchVector(Value(search.document_text(title)), config="simple")
    OutgoingDocument.objects.filter(pk=found.pk).update(search_vector=vector)
    return found


def publication(city, title: str, state: str, **fields) -> Publication:
    return Publication.objects.create(
        document=document(city, title), organ=city.organ, state=state, made_on=TODAY, **fields
    )


# --- Every page, for whom ---------------------------------------------------------------------------


def test_every_page_opens_for_the_officer(client, disclosure_city, disclosure_flow):
    """GIVEN a request registered by the 政务公开员 WHEN he opens each page THEN each answers 200 and
    the module's navigation offers him 登记, 主动公开 and the 年度报告."""
    record = disclosure_flow.register()
    as_user(client, disclosure_city.officer)
    for url in (LEDGER, REGISTER, page(record), REPORT, PUBLICATIONS, CATALOGUE):
        response = client.get(url)
        assert response.status_code == 200, url
    text = html(client.get(LEDGER))
    for testid in ("nav-disclosure-register", "nav-disclosure-publications", "nav-disclosure-report"):
        assert f'data-testid="{testid}"' in text


@pytest.mark.parametrize("who", ["bystander", "bureau_clerk", "outsider"])
def test_a_request_is_a_404_for_whom_it_does_not_concern(client, disclosure_city, disclosure_flow, who):
    """GIVEN a request of the 政务公开办 WHEN a bystander of the 办公室, a clerk of 住建局 or the province
    opens it, or posts a step on it THEN 404, no row in his 台账, and nothing changes."""
    record = disclosure_flow.register()
    as_user(client, getattr(disclosure_city, who))
    assert client.get(page(record)).status_code == 404
    assert client.post(act(record, "correct"), {"items": "x", "until": "2026-03-20"}).status_code == 404
    ledger = client.get(LEDGER)
    assert ledger.status_code == 200
    assert record.number not in html(ledger)
    assert 'data-testid="nav-disclosure-register"' not in html(ledger)
    assert DisclosureRequest.objects.get(pk=record.pk).state == RequestState.HANDLING


def test_registration_is_for_the_disclosure_officer(client, disclosure_city):
    """GIVEN the bystander WHEN he opens or posts 登记 THEN 403 and nothing is stored."""
    as_user(client, disclosure_city.bystander)
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, {"channel": "in_person"}).status_code == 403
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize("who", ["bystander", "security", "outsider"])
def test_the_annual_report_is_a_404_for_others(client, disclosure_city, disclosure_flow, who):
    """GIVEN the city's requests WHEN someone who is not its 政务公开员 opens the 年报 or its Excel THEN 404."""
    disclosure_flow.register()
    as_user(client, getattr(disclosure_city, who))
    assert client.get(REPORT).status_code == 404
    assert client.get("/petitions/disclosure/report.xlsx").status_code == 404
    assert client.post("/petitions/disclosure/report/draft/", {"year": "2026"}).status_code == 404


# --- The 台账 and 登记 ---------------------------------------------------------------------------------


def test_the_officer_registers_a_request_on_the_page(client, disclosure_city):
    """GIVEN the 登记 form WHEN the officer registers a request handed in in person THEN he lands on its
    page, 办理中, with the 20-working-day answer clock and the 7-working-day 补正 clock running from today."""
    as_user(client, disclosure_city.officer)
    form = html(client.get(REGISTER))
    assert 'data-testid="received-rules"' in form and "双方确认之日" in form
    response = client.post(
        REGISTER,
        {
            "channel": "in_person",
            "arrived_on": "2026-03-09",
            "applicant_kind": "business",
            "applicant_name": "临江建设有限公司",
            "description": "2025年度城市道路养护招标文件",
            "medium": "paper",
            "delivery": "post",
            "contact_address": "临江市江滨路1号",
        },
    )
    record = DisclosureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == page(record)
    assert record.state == RequestState.HANDLING and record.received_on == TODAY and record.due is not None
    text = html(client.get(page(record)))
    assert "临江建设有限公司" in text
    assert {"disclosure", "disclosure-correction"} <= set(_clock_kinds(text))
    assert 'data-testid="clock-derivation"' in text
    assert format_date(record.due) in text


def test_a_bad_registration_says_why_and_stores_nothing(client, disclosure_city):
    """GIVEN the 登记 form WHEN the description is missing THEN 400 with the field's error, no request."""
    as_user(client, disclosure_city.officer)
    response = client.post(REGISTER, {"channel": "in_person", "arrived_on": "2026-03-09", "applicant_kind": "person"})
    assert response.status_code == 400
    assert "is-invalid" in html(response)
    assert not DisclosureRequest.objects.exists()


def test_the_ledger_filters_and_exports(client, disclosure_city, disclosure_flow):
    """GIVEN a request in person and one online (待确认收到) WHEN the officer filters by channel THEN only
    that row shows; the Excel file lists the same rows."""
    in_person = disclosure_flow.register()
    online = disclosure_flow.register(channel="online", applicant_name="网上申请人")
    as_user(client, disclosure_city.officer)
    text = html(client.get(LEDGER))
    assert in_person.number in text and online.number in text
    filtered = html(client.get(LEDGER, {"channel": "online"}))
    assert online.number in filtered and in_person.number not in filtered
    export = client.get("/petitions/disclosure/ledger.xlsx", {"channel": "online"})
    assert export.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row]
    assert online.number in cells and in_person.number not in cells


# --- The request's steps through the page --------------------------------------------------------------


def _clock_kinds(text: str) -> list[str]:
    import re

    return re.findall(r'data-testid="clock" data-kind="([^"]+)"', text)


def test_an_online_request_waits_for_the_confirmation(client, disclosure_city, disclosure_flow):
    """GIVEN a request that came online WHEN the officer opens it THEN no clock runs and 确认收到 is
    offered; WHEN he confirms it THEN it is 办理中 with its answer clock."""
    record = disclosure_flow.register(channel="online")
    assert record.state == RequestState.RECEIVED
    as_user(client, disclosure_city.officer)
    text = html(client.get(page(record)))
    assert 'data-testid="action-confirm"' in text and 'data-testid="no-clocks"' in text
    response = client.post(act(record, "confirm"), {"on": "2026-03-09"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == RequestState.HANDLING and record.received_on == TODAY
    assert "disclosure" in _clock_kinds(html(client.get(page(record))))


def test_correction_is_confirmed_and_the_answer_clock_restarts(client, disclosure_city, disclosure_flow, monday):
    """GIVEN a request in hand WHEN the officer asks for 补正 THEN he is asked to confirm first (nothing
    changes); confirmed, it is 待补正 with its clock stopped; WHEN the 补正 arrives a week later THEN the
    20 working days run again from that day and the page shows the new due date."""
    record = disclosure_flow.register()
    first_due = record.due
    as_user(client, disclosure_city.officer)
    data = {"items": "请写明所需信息的文号", "until": "2026-03-20", "on": "2026-03-09"}
    asked = client.post(act(record, "correct"), data)
    assert asked.status_code == 200 and "答复期限中止" in html(asked)
    assert DisclosureRequest.objects.get(pk=record.pk).state == RequestState.HANDLING
    done = client.post(act(record, "correct"), {**data, "confirmed": "1"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.state == RequestState.CORRECTING
    assert 'data-testid="clock-suspended"' in html(client.get(page(record)))

    monday.move_to(at(date(2026, 3, 16)))
    response = client.post(act(record, "receive_correction"), {"on": "2026-03-16"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == RequestState.HANDLING and record.corrected_on == date(2026, 3, 16)
    assert record.due > first_due
    text = html(client.get(page(record)))
    assert format_date(record.due) in text
    assert 'data-testid="correction"' in text


def test_a_step_not_offered_is_refused_and_changes_nothing(client, disclosure_city, disclosure_flow):
    """GIVEN a request in hand WHEN 钱主任 (the head, who only approves the extension) posts 补正 THEN
    403 with the rule's words; WHEN the officer posts 收到补正 (no 补正 asked) THEN 409."""
    record = disclosure_flow.register()
    as_user(client, disclosure_city.head)
    text = html(client.get(page(record)))
    assert 'data-testid="action-extend"' in text and 'data-testid="action-correct"' not in text
    refused = client.post(act(record, "correct"), {"items": "x", "until": "2026-03-20", "on": "2026-03-09"})
    assert refused.status_code == 403 and "补正告知由政务公开员办理" in html(refused)
    as_user(client, disclosure_city.officer)
    assert client.post(act(record, "receive_correction"), {"on": "2026-03-09"}).status_code == 409
    assert client.post(act(record, "nonsense"), {}).status_code == 404
    assert DisclosureRequest.objects.get(pk=record.pk).state == RequestState.HANDLING


def test_the_answer_drafts_a_letter_linked_from_the_page(client, disclosure_city, disclosure_flow):
    """GIVEN a request in hand WHEN the officer answers 予以公开 THEN a 告知书 draft exists and the page
    links it, and 送达 is not offered until it is signed."""
    record = disclosure_flow.register()
    as_user(client, disclosure_city.officer)
    response = client.post(
        act(record, "answer"),
        {"answer_type": "granted", "text": "同意公开，随函提供。", "series": disclosure_city.letter_series.pk},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.document is not None
    text = html(client.get(page(record)))
    assert 'data-testid="letter-link"' in text and 'data-testid="action-deliver"' not in text


def test_the_already_public_search_finds_proactive_documents(client, disclosure_city, disclosure_flow):
    """GIVEN an issued 主动公开 发文 and an issued 不予公开 one WHEN the officer searches beside the answer
    THEN only the public one is listed."""
    record = disclosure_flow.register()
    document(disclosure_city, "关于城东片区旧城改造征收补偿方案的通知")
    document(disclosure_city, "关于城东片区旧城改造内部分工的通知", disclosure="not_public")
    as_user(client, disclosure_city.officer)
    text = html(client.get(page(record), {"public": "旧城改造"}))
    assert 'data-testid="already-public-results"' in text
    assert "征收补偿方案的通知" in text and "内部分工的通知" not in text


# --- 年度报告 ----------------------------------------------------------------------------------------------


def test_the_annual_report_shows_its_tables_and_downloads(client, disclosure_city, disclosure_flow):
    """GIVEN two requests received this year WHEN the officer opens this year's 年报 THEN its three tables
    show, 本年新收 counting 2 in all; the Excel file downloads."""
    disclosure_flow.register()
    disclosure_flow.register(applicant_kind="business", applicant_name="某公司")
    as_user(client, disclosure_city.officer)
    response = client.get(REPORT, {"year": "2026"})
    text = html(response)
    assert text.count('data-testid="report-table"') == 3
    assert "本年新收" in text
    export = client.get("/petitions/disclosure/report.xlsx", {"year": "2026"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


# --- 主动公开 ----------------------------------------------------------------------------------------------


def test_the_catalogue_shows_only_what_is_published(client, disclosure_city):
    """GIVEN publications pending, cleared, withheld, published and repealed WHEN anyone signed in (the
    province's clerk) opens the 公开目录 THEN only the published and the repealed (marked) are listed."""
    for state, title in (
        (PublicationState.PENDING, "待审查的通知"),
        (PublicationState.CLEARED, "待发布的通知"),
        (PublicationState.WITHHELD, "不予公开的通知"),
    ):
        publication(disclosure_city, title, state)
    publication(disclosure_city, "已公开的通知", PublicationState.PUBLISHED, published_on=TODAY)
    publication(disclosure_city, "已废止的通知", PublicationState.REPEALED, published_on=TODAY, repealed_on=TODAY)
    as_user(client, disclosure_city.outsider)
    text = html(client.get(CATALOGUE))
    assert "已公开的通知" in text and "已废止的通知" in text and 'data-testid="repealed"' in text
    for title in ("待审查的通知", "待发布的通知", "不予公开的通知"):
        assert title not in text
    assert "已公开的通知" not in html(client.get(CATALOGUE, {"year": "2025"}))


def test_the_work_list_is_for_the_security_and_disclosure_officers(client, disclosure_city):
    """GIVEN the bystander WHEN he opens the 主动公开 work list THEN 403."""
    as_user(client, disclosure_city.bystander)
    assert client.get(PUBLICATIONS).status_code == 403


def test_a_publication_is_reviewed_and_published_through_the_work_list(client, disclosure_city):
    """GIVEN a 主动公开 发文 waiting for its 保密审查 WHEN the 保密员 clears it on the work list THEN it waits
    for the 政务公开员; WHEN he publishes it (confirmed) THEN it is in the 公开目录."""
    pending = publication(disclosure_city, "关于城东片区旧城改造征收补偿方案的通知", PublicationState.PENDING)
    as_user(client, disclosure_city.security)
    text = html(client.get(PUBLICATIONS, {"tab": "pending"}))
    assert 'data-testid="publication-action-review"' in text
    reviewed = client.post(
        f"{PUBLICATIONS}{pending.pk}/review/", {"conclusion": "public", "note": "不涉及国家秘密"}, follow=True
    )
    assert "待发布" in html(reviewed)
    assert Publication.objects.get(pk=pending.pk).state == PublicationState.CLEARED
    assert "征收补偿方案的通知" not in html(client.get(CATALOGUE))

    as_user(client, disclosure_city.officer)
    data = {"on": "2026-03-09", "channel": "政府门户网站", "category": "normative", "index_number": "ZJ-2026-001"}
    asked = client.post(f"{PUBLICATIONS}{pending.pk}/publish/", data)
    assert asked.status_code == 200 and "公开目录" in html(asked)
    assert Publication.objects.get(pk=pending.pk).state == PublicationState.CLEARED
    client.post(f"{PUBLICATIONS}{pending.pk}/publish/", {**data, "confirmed": "1"})
    assert Publication.objects.get(pk=pending.pk).state == PublicationState.PUBLISHED
    catalogue = html(client.get(CATALOGUE, {"category": "normative"}))
    assert "征收补偿方案的通知" in catalogue and "ZJ-2026-001" in catalogue


def test_the_report_draft_is_a_report_of_the_organ(client, disclosure_city, disclosure_flow, report_series):
    """GIVEN a request of this year WHEN the officer presses 生成年报稿 with a 文件格式 series THEN a 报告
    draft of the city's 年报 exists and he lands on it."""
    disclosure_flow.register()
    as_user(client, disclosure_city.officer)
    assert str(report_series.code) in html(client.get(REPORT, {"year": "2026"}))
    response = client.post("/petitions/disclosure/report/draft/", {"year": "2026", "series": report_series.pk})
    draft = OutgoingDocument.objects.get(kind="report")
    assert response.status_code == 302 and response["Location"] == f"/documents/outgoing/{draft.pk}/"
    assert "2026年政府信息公开工作年度报告" in draft.title and "本年新收" in draft.body


def test_the_ledger_reads_a_page_in_a_fixed_number_of_queries(client, disclosure_city, disclosure_flow):
    """GIVEN 2 and then 6 requests WHEN the officer opens the 台账 THEN the number of queries is the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_user(client, disclosure_city.officer)
    for _ in range(2):
        disclosure_flow.register()
    client.get(LEDGER)
    with CaptureQueriesContext(connection) as few:
        client.get(LEDGER)
    for _ in range(4):
        disclosure_flow.register()
    with CaptureQueriesContext(connection) as many:
        assert html(client.get(LEDGER)).count('data-testid="request-row"') == 6
    assert len(many) == len(few)
