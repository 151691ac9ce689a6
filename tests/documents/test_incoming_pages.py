"""The 收文 pages: the register (filters, search, 传阅中), 我的收文待办, 来文登记, a document's page (承办
with deadline badges, 传阅 per reader with who has not read highlighted, the 流转记录, and the forms
each person may use in each state), the 办结率 figures, and the 收文登记簿 export.

The receiving bureau, its people and the ``receive`` / ``advance`` helpers come from ``conftest.py``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.incoming import services as incoming
from documents.models import (
    Circulation,
    CirculationReader,
    DocumentState,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
    ReaderState,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import UnitKind
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

S = IncomingState
LIST_URL = "/documents/incoming/"
INBOX_URL = "/documents/incoming/inbox/"
NEW_URL = "/documents/incoming/new/"
FIGURES_URL = "/documents/incoming/figures/"
EXPORT_URL = "/documents/incoming/register.xlsx"


def detail_url(document) -> str:
    return f"/documents/incoming/{document.pk}/"


def action_url(document, action: str) -> str:
    return f"/documents/incoming/{document.pk}/{action}/"


def page_of(response) -> str:
    return response.content.decode()


def rows(html: str) -> int:
    return html.count('data-testid="document-row"')


def actions_offered(html: str) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z-]+)"', html))


def fresh(document) -> IncomingDocument:
    return IncomingDocument.objects.get(pk=document.pk)


def reader_of(document, person) -> CirculationReader:
    return CirculationReader.objects.get(circulation__document=document, person=person)


@pytest.fixture
def issued(office, make_document, walk, bureau):
    """The office's notice walked to 核发: the document delivered to the bureau's queue (待签收)."""
    outgoing = walk(make_document(), DocumentState.ISSUED)
    return IncomingDocument.objects.get(source_outgoing=outgoing, receiving_unit=bureau.organ)


@pytest.fixture
def circulating(bureau, receive, advance):
    """A 阅件 sent round to the two readers of 政策研究室."""
    document = advance(receive(title="测试省财政厅关于学习贯彻会议精神的通知"), S.CIRCULATING)
    incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader, bureau.second_reader], note="请阅知"
    )
    return fresh(document)


# --- The pages render for the right people ----------------------------------------------------------


def test_the_register_shows_each_document_with_its_state_and_the_circulating_badge(
    client, bureau, receive, advance, circulating
):
    """GIVEN a registered document and one being circulated WHEN the 文秘 opens the register THEN
    both rows are there with their 收文编号 and state, and only the circulating one says 传阅中."""
    registered = advance(receive(title="测试省财政厅关于预算编制的通知"), S.REGISTERED)
    client.force_login(bureau.clerk.user)

    listing = page_of(client.get(LIST_URL))

    assert rows(listing) == 2
    assert fresh(registered).registration_text in listing
    assert listing.count('data-testid="circulating-badge"') == 1
    circulating_row = next(row for row in listing.split('data-testid="document-row"')[1:] if circulating.title in row)
    assert "传阅中" in circulating_row and 'data-state="circulating"' in circulating_row
    assert 'data-testid="new-incoming"' in listing and 'data-testid="register-export"' in listing


def test_the_inbox_groups_what_waits_for_each_person(client, bureau, receive, advance, issued, circulating):
    """GIVEN a delivery to sign for, a document to propose, one waiting for 批示, one in 承办 and a
    circulation WHEN the 文秘, the 局长, 预算处's head and a reader open 我的收文待办 THEN each sees their
    group."""
    advance(receive(title="测试省财政厅关于拟办事项的通知"), S.PROPOSAL)
    advance(receive(title="测试省财政厅关于批示事项的通知"), S.INSTRUCTION)
    advance(receive(title="测试省财政厅关于承办事项的通知"), S.HANDLING)

    def inbox(person) -> str:
        client.force_login(person.user)
        return page_of(client.get(INBOX_URL))

    clerk = inbox(bureau.clerk)
    assert 'data-testid="inbox-sign_for"' in clerk and issued.title in clerk
    assert 'data-testid="inbox-propose"' in clerk and "拟办事项" in clerk
    leader = inbox(bureau.leader)
    assert 'data-testid="inbox-instruct"' in leader and "批示事项" in leader and "拟办事项" not in leader
    head = inbox(bureau.budget_head)
    assert 'data-testid="inbox-handle"' in head and "承办事项" in head
    reader = inbox(bureau.reader)
    assert 'data-testid="inbox-read"' in reader and circulating.title in reader and "请阅知" in reader
    assert 'data-testid="inbox-empty"' in inbox(bureau.low_reader)


def test_the_inbox_holds_what_the_office_is_offered_for_a_unit_two_levels_below(client, bureau, receive):
    """GIVEN a document signed for a section two levels below the bureau's 办公室 (a unit the office
    serves, as ``incoming_rules.serves`` counts) WHEN the 文秘 opens 我的收文待办 and the document THEN
    it waits in 待登记 and its page offers 登记: the queue and the offer agree (before, the queue only
    counted units right below the office's own)."""
    section = UnitFactory(parent=bureau.office, name="文书科", kind=UnitKind.SECTION)
    desk = UnitFactory(parent=section, name="收发室", kind=UnitKind.SECTION)
    document = receive(receiving_unit=desk, title="测试省财政厅关于收发室来文的通知")
    client.force_login(bureau.clerk.user)

    assert document.title in page_of(client.get(INBOX_URL))
    assert "register" in actions_offered(page_of(client.get(detail_url(document))))


def test_the_receive_form_signs_for_a_paper_document(client, bureau):
    """GIVEN the 文秘 WHEN they fill in 来文登记 THEN the document is stored as 已签收 and its page
    opens; a second one with the same sender and number is flagged as a possible duplicate."""
    client.force_login(bureau.clerk.user)
    form = page_of(client.get(NEW_URL))
    assert 'data-testid="incoming-form"' in form

    data = {
        "receiving_unit": bureau.organ.pk,
        "sender_organ": "测试省财政厅",
        "sender_number": "测财发〔2026〕9号",
        "title": "测试省财政厅关于清理暂付款的通知",
        "kind": "notice",
        "urgency": "",
        "copies_received": 1,
        "channel": "paper",
        "body": "请于月底前完成清理。",
        "classification": Level.INTERNAL.value,
    }
    response = client.post(NEW_URL, data)

    document = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(document)
    assert document.state == S.SIGNED and document.signed_for_by == bureau.clerk
    again = client.post(NEW_URL, data, follow=True)
    assert "疑似重复来文" in page_of(again)


def test_the_receive_form_is_for_the_office_and_refuses_bad_input(client, bureau):
    """GIVEN 预算处's staff and the 文秘 WHEN the staff opens 来文登记 THEN 403; WHEN the 文秘 sends it
    without a title THEN the form comes back with the error and nothing is stored."""
    client.force_login(bureau.budget_staff.user)
    assert client.get(NEW_URL).status_code == 403

    client.force_login(bureau.clerk.user)
    response = client.post(
        NEW_URL,
        {
            "receiving_unit": bureau.organ.pk,
            "sender_organ": "测试省财政厅",
            "copies_received": 1,
            "channel": "paper",
            "classification": Level.INTERNAL.value,
        },
    )

    assert response.status_code == 400
    assert "is-invalid" in page_of(response)
    assert not IncomingDocument.objects.exists()


def test_a_documents_page_shows_its_assignments_with_deadline_badges_and_its_timeline(client, bureau, receive, advance):
    """GIVEN a document in 承办 WHEN the 文秘 opens it THEN the 承办 table has the lead and the assisting
    unit, each with a deadline badge, and the 流转记录 lists every step with its actor."""
    document = advance(receive(body="请认真落实。"), S.HANDLING)
    client.force_login(bureau.clerk.user)

    page = page_of(client.get(detail_url(document)))

    assignments = page.split('data-testid="assignments"')[1].split("</section>")[0]
    assert assignments.count('data-testid="assignment-row"') == 2
    assert assignments.count('data-testid="deadline-badge"') == 2
    assert "预算处" in assignments and "国库处" in assignments and "主办" in assignments and "协办" in assignments
    assert page.count('data-testid="transition"') == 5
    for step in ("签收", "登记", "初审通过", "拟办", "批示"):
        assert f'data-testid="transition-action">{step}<' in page
    assert "请认真落实。" in page
    assert 'data-testid="open-step"' in page


def test_the_circulation_table_highlights_who_has_not_read(client, bureau, circulating):
    """GIVEN a circulation where one reader has read WHEN the 文秘 opens the page THEN the reader who
    has not read is highlighted and named as 未阅, the one who read is not."""
    mine = reader_of(circulating, bureau.reader)
    incoming.circulation_open(actor=bureau.reader.user, reader=mine)
    incoming.circulation_read(actor=bureau.reader.user, reader=mine, comment="已阅，同意。")
    client.force_login(bureau.clerk.user)

    page = page_of(client.get(detail_url(circulating)))

    table = page.split('data-testid="circulations"')[1].split("</section>")[0]
    reader_rows = {
        name: row
        for row in table.split("<tr")[1:]
        if 'data-testid="reader-row"' in row
        for name in ("尤研究员", "许研究员")
        if name in row
    }
    assert "table-warning" not in reader_rows["尤研究员"] and 'data-pending="1"' not in reader_rows["尤研究员"]
    assert "已阅，同意。" in reader_rows["尤研究员"] and 'data-state="read"' in reader_rows["尤研究员"]
    assert "table-warning" in reader_rows["许研究员"] and 'data-pending="1"' in reader_rows["许研究员"]
    assert re.search(r'data-testid="unread">未阅：许研究员<', table)
    assert 'data-testid="action-recall"' in table


def test_a_reader_opens_and_reads_from_the_page(client, bureau, circulating):
    """GIVEN a reader with a 传阅件 WHEN he signs for it on the page and then reads it with a comment
    THEN his row goes 已收到 then 已阅 with the comment; he is offered nothing else."""
    client.force_login(bureau.reader.user)
    page = page_of(client.get(detail_url(circulating)))
    assert actions_offered(page) == {"reader-open"}
    reader = reader_of(circulating, bureau.reader)

    opened = client.post(f"{detail_url(circulating)}readers/{reader.pk}/open/")
    assert opened.status_code == 302
    assert reader_of(circulating, bureau.reader).state == ReaderState.OPENED
    page = page_of(client.get(detail_url(circulating)))
    assert actions_offered(page) == {"reader-read"}

    read = client.post(f"{detail_url(circulating)}readers/{reader.pk}/read/", {"read-comment": "已阅，照办。"})

    assert read.status_code == 302
    done = reader_of(circulating, bureau.reader)
    assert done.state == ReaderState.READ and done.comment == "已阅，照办。" and done.read_at
    page = page_of(client.get(detail_url(circulating)))
    assert actions_offered(page) == set() and 'data-testid="no-actions"' in page
    assert "已阅，照办。" in page


def test_a_reader_cannot_act_for_another_reader_from_the_page(client, bureau, circulating):
    """GIVEN a circulation WHEN a reader posts the other reader's 签收 or reads before signing for it
    THEN 403 and 409 with the reason, and nothing changes."""
    theirs, mine = reader_of(circulating, bureau.second_reader), reader_of(circulating, bureau.reader)
    client.force_login(bureau.reader.user)

    refused = client.post(f"{detail_url(circulating)}readers/{theirs.pk}/open/")
    early = client.post(f"{detail_url(circulating)}readers/{mine.pk}/read/", {"read-comment": ""})

    assert refused.status_code == 403 and "只能签收送给本人的传阅件" in page_of(refused)
    assert early.status_code == 409 and "请先签收传阅件" in page_of(early)
    assert set(CirculationReader.objects.values_list("state", flat=True)) == {ReaderState.SENT}


@pytest.mark.parametrize(
    ("state", "who", "offered"),
    [
        ("pending", "clerk", {"sign-for"}),
        ("pending", "budget_head", set()),
        ("signed", "clerk", {"register", "scan"}),
        ("registered", "clerk", {"screen", "scan"}),
        ("registered", "leader", set()),
        ("proposal", "clerk", {"propose", "circulate", "scan"}),
        ("instruction", "leader", {"instruct"}),
        ("instruction", "clerk", {"chase", "circulate", "scan"}),
        ("handling", "budget_head", {"complete", "subassign"}),
        ("handling", "treasury_head", {"unit-done", "subassign"}),
        ("handling", "budget_staff", set()),
        ("handling", "clerk", {"chase", "circulate", "scan"}),
        ("done", "clerk", {"archive"}),
        ("archived", "clerk", set()),
    ],
)
def test_each_form_is_offered_only_to_the_right_person_in_the_right_state(
    client, bureau, issued, advance, state, who, offered
):
    """GIVEN the delivered document moved to a state WHEN a person opens it THEN exactly the forms of
    the steps that person may take there are on the page."""
    document = advance(issued, state)
    client.force_login(getattr(bureau, who).user)

    page = page_of(client.get(detail_url(document)))

    assert actions_offered(page) == offered


def test_the_whole_line_from_the_pages(client, bureau, issued):
    """GIVEN a delivered document WHEN each person posts their step from the page THEN it goes
    待签收 → 归档 with a message at each step."""

    def act(person, action: str, data: dict | None = None, *, expect: str) -> None:
        client.force_login(person.user)
        response = client.post(action_url(issued, action), data or {}, follow=True)
        assert response.status_code == 200, page_of(response)
        assert fresh(issued).state == expect, (action, page_of(response))

    limit = (timezone.localdate() + timedelta(days=7)).isoformat()
    act(bureau.clerk, "sign-for", expect=S.SIGNED)
    act(bureau.clerk, "register", expect=S.REGISTERED)
    act(bureau.clerk, "screen", {"screen-decision": "accept", "screen-handling": "action"}, expect=S.PROPOSAL)
    act(
        bureau.clerk,
        "propose",
        {"propose-proposal": "拟请预算处牵头办理。", "propose-leader": bureau.leader.pk},
        expect=S.INSTRUCTION,
    )
    act(
        bureau.leader,
        "instruct",
        {
            "instruct-decision": "approve",
            "instruct-instruction": "同意。",
            "instruct-lead_unit": bureau.budget.pk,
            "instruct-assisting_units": [bureau.treasury.pk],
            "instruct-time_limit": limit,
        },
        expect=S.HANDLING,
    )
    act(
        bureau.treasury_head,
        "unit-done",
        {"unit_done-unit": bureau.treasury.pk, "unit_done-note": "已提供数据。"},
        expect=S.HANDLING,
    )
    done = {"complete-result": "已落实。", "complete-reply": "", "confirmed": "1"}  # 办结 is confirmed
    act(bureau.budget_head, "complete", done, expect=S.DONE)
    act(bureau.clerk, "archive", {"archive-retention": "10年", "archive-override_reason": ""}, expect=S.ARCHIVED)

    actions = list(IncomingTransition.objects.filter(document=issued).values_list("action", flat=True))
    assert actions == ["系统内送达", "签收", "登记", "初审通过", "拟办", "批示", "协办意见", "办结", "归档"]


def test_circulate_and_recall_from_the_page(client, bureau, receive, advance):
    """GIVEN a 阅件 WHEN the 文秘 circulates it to two readers and then recalls the round THEN the
    readers were sent it and are released again."""
    document = advance(receive(), S.CIRCULATING)
    client.force_login(bureau.clerk.user)

    client.post(
        action_url(document, "circulate"),
        {"circulate-readers": [bureau.reader.pk, bureau.second_reader.pk], "circulate-note": "请阅"},
    )
    circulation = Circulation.objects.get(document=document)
    assert list(circulation.readers.values_list("state", flat=True)) == ["sent", "sent"]
    response = client.post(
        f"{detail_url(document)}circulations/{circulation.pk}/recall/", {"recall-reason": "误送"}, follow=True
    )

    assert "传阅已收回" in page_of(response)
    assert set(circulation.readers.values_list("state", flat=True)) == {ReaderState.RECALLED}


def test_refusals_from_the_page_change_nothing(client, bureau, receive, advance):
    """GIVEN documents in 登记 and 承办 WHEN a step is posted out of turn (409), by the wrong person
    (403) or with bad input (400) THEN the page says why and nothing changes."""
    registered = advance(receive(), S.REGISTERED)
    handling = advance(receive(), S.HANDLING)
    before = list(IncomingTransition.objects.order_by("id").values_list("id", flat=True))

    client.force_login(bureau.clerk.user)
    conflict = client.post(action_url(handling, "register"))
    assert conflict.status_code == 409 and "先签收再登记" in page_of(conflict)
    returned = client.post(action_url(registered, "screen"), {"screen-decision": "return", "screen-reason": ""})
    assert returned.status_code == 400 and "退回来文请写明理由" in page_of(returned)
    client.force_login(bureau.budget_staff.user)
    forbidden = client.post(action_url(handling, "complete"), {"complete-result": "已办。"})
    assert forbidden.status_code == 403 and "办结由主办单位负责人报送" in page_of(forbidden)
    assert client.post(action_url(handling, "teleport")).status_code == 404

    assert list(IncomingTransition.objects.order_by("id").values_list("id", flat=True)) == before
    assert (fresh(registered).state, fresh(handling).state) == (S.REGISTERED, S.HANDLING)


# --- Leaks --------------------------------------------------------------------------------------------


def test_an_invisible_document_is_a_404_and_in_no_page(client, office, bureau, receive, advance, settings):
    """GIVEN a 机密 document of the bureau in 承办 and being circulated WHEN someone of another organ
    (cleared for 绝密) or the bureau's uncleared staff asks for it THEN its page and every form
    post are 404, and it is in no register, search, inbox, figures or export."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    document = advance(receive(title="关于某专项资金问题线索的通报", level=Level.SECRET, basis="来文标注"), S.HANDLING)
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    reader = reader_of(document, bureau.reader)
    circulation = reader.circulation

    for person in (office.director, bureau.low_reader):
        client.force_login(person.user)
        assert client.get(detail_url(document)).status_code == 404
        for action in ("sign-for", "register", "screen", "complete", "archive", "chase", "circulate"):
            assert client.post(action_url(document, action)).status_code == 404, action
        assert client.post(f"{detail_url(document)}readers/{reader.pk}/open/").status_code == 404
        assert client.post(f"{detail_url(document)}circulations/{circulation.pk}/recall/").status_code == 404
        assert rows(page_of(client.get(LIST_URL, {"q": "专项资金"}))) == 0
        assert document.title not in page_of(client.get(INBOX_URL))
        assert 'data-testid="figures-row"' not in page_of(client.get(FIGURES_URL))
        assert document.title.encode() not in client.get(EXPORT_URL).content
    assert fresh(document).state == S.HANDLING


def test_anonymous_visitors_are_sent_to_log_in(client, bureau, receive):
    """GIVEN a document WHEN an anonymous visitor opens the pages THEN they are sent to log in."""
    document = receive()
    for url in (LIST_URL, INBOX_URL, NEW_URL, FIGURES_URL, EXPORT_URL, detail_url(document)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


# --- Figures, export, navigation, query counts -----------------------------------------------------------


def test_the_figures_page_shows_the_completion_rates_for_the_period(client, bureau, receive, advance):
    """GIVEN two documents assigned to 预算处, one done WHEN the 局长 opens the figures for this year
    THEN 预算处 shows 2 assigned, 1 done: 50%; a period with nothing assigned says so."""
    advance(receive(), S.DONE)
    advance(receive(), S.HANDLING)
    client.force_login(bureau.leader.user)
    today = timezone.localdate()

    page = page_of(client.get(FIGURES_URL, {"start": today.replace(month=1, day=1).isoformat(), "end": today}))

    assert page.count('data-testid="figures-row"') == 1
    assert "预算处" in page
    assert 'data-testid="completion-rate">50%<' in page and 'data-testid="on-time-rate">50%<' in page
    empty = page_of(client.get(FIGURES_URL, {"start": "2001-01-01", "end": "2001-12-31"}))
    assert 'data-testid="no-figures"' in empty


def test_the_register_exports_to_excel_with_an_audit_event(client, bureau, receive):
    """GIVEN documents in the register WHEN the 文秘 follows the export link THEN an .xlsx comes back
    and the export is in the access log."""
    receive()
    client.force_login(bureau.clerk.user)

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "incoming_register" and event.detail["rows"] == 1


def test_an_export_with_a_bad_filter_exports_nothing(client, bureau, receive):
    """GIVEN a document in the register WHEN the 文秘 asks for the export with a year out of range
    THEN no file and no access-log row: back to the list (same filters) with a message."""
    receive()
    client.force_login(bureau.clerk.user)

    response = client.get(EXPORT_URL, {"year": "1066"})

    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?year=1066"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_top_bar_leads_to_incoming_documents(client, bureau):
    """GIVEN a logged-in person WHEN a 收文 page is open THEN the top bar has 收文 (active) next to 发文."""
    client.force_login(bureau.clerk.user)

    page = page_of(client.get(LIST_URL))

    nav = page.split('id="mainnav"')[1].split("</ul>")[0]
    assert nav.index(">发文<") < nav.index(">收文<")
    assert re.search(r'class="nav-link active" href="/documents/incoming/" data-testid="nav-incoming"', nav)


def _list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL)
    return len(captured), page_of(response)


def test_the_register_takes_the_same_number_of_queries_for_5_and_20_documents(client, bureau, receive, advance):
    """GIVEN 5 and then 20 documents visible to the 文秘, some registered, circulating or in 承办
    WHEN the register is opened THEN the number of queries is the same (no query per row)."""

    def grow(start: int, stop: int) -> None:
        for i in range(start, stop):
            document = receive(title=f"测试省财政厅关于第{i}项工作的通知")
            if i % 3 == 1:
                document = advance(document, S.CIRCULATING)
                incoming.circulation_start(
                    actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="阅"
                )
            elif i % 3 == 2:
                advance(document, S.HANDLING)

    grow(0, 5)
    client.force_login(bureau.clerk.user)
    few, page = _list_queries(client)
    assert rows(page) == 5
    grow(5, 20)
    many, page = _list_queries(client)

    assert rows(page) == 20
    assert many == few
