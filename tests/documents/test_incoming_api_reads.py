"""``/api/v1/documents/incoming/``: the reads — the detail with its 承办, 传阅, deadlines and 流转记录
(never a 绝密 body), the list with its rows, filters and search at a fixed query count, each
person's inbox, the 办结率 figures by lead unit — and the 收文登记簿 export.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``issued`` / ``circulating``
fixtures come from ``conftest.py``; the client, URL, ``reader_of``, the sheet reader and answer
checks from ``incoming_api_helpers.py``."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from documents.incoming import services as incoming
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.documents.incoming_api_helpers import BASE, S, _sheet, as_, assert_invalid, fresh, reader_of, url
from tests.factories import make_person

pytestmark = pytest.mark.django_db


# --- Reads ---------------------------------------------------------------------------------------


def test_detail_shows_the_whole_record(bureau, receive, advance):
    """GIVEN a document in 承办 that is also being circulated WHEN the 文秘 reads it THEN the detail
    has its 承办 rows, the 传阅 with each reader's state and times, the deadlines and the 流转记录."""
    document = advance(receive(body="请认真落实。"), S.HANDLING)
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    reader = reader_of(document, bureau.reader)
    incoming.circulation_open(actor=bureau.reader.user, reader=reader)

    body = as_(bureau.clerk).get(url(document)).json()

    assert body["body"] == "请认真落实。" and body["registration_text"].startswith("收〔")
    assert {a["role"] for a in body["assignments"]} == {"lead", "assist"}
    [reader_row] = body["circulations"][0]["readers"]
    assert reader_row["state"] == "opened" and reader_row["state_label"] == "已收到" and reader_row["opened_at"]
    assert reader_row["read_at"] is None
    assert body["circulating"] is True
    assert [t["action"] for t in body["transitions"]] == ["签收", "登记", "初审通过", "拟办", "批示", "传阅"]
    assert {d["kind"] for d in body["deadlines"]} == {"document"}


def test_top_secret_detail_never_carries_the_body(bureau, settings):
    """GIVEN a 绝密 document with content (the ceiling allows it) WHEN a cleared 文秘 reads it
    through the API THEN the body is null; the read is in the access log."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    keeper = make_person(
        username="in-keeper", name="魏机要", unit=bureau.office, roles=(Role.SECRETARY,), clearance=Level.TOP_SECRET
    )
    document = incoming.incoming_receive(
        actor=keeper.user,
        receiving_unit=bureau.organ,
        sender_organ="测试省人民政府",
        title="关于某重大事项的通知",
        body="绝密内容",
        level=Level.TOP_SECRET,
        basis="来文标注",
    )

    body = as_(keeper).get(url(document)).json()

    assert body["level_mark"].startswith("绝密") and body["body"] is None
    assert "body" not in as_(keeper).get(BASE).json()["results"][0]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(document.pk)).exists()


def test_list_rows_carry_the_register_fields_and_the_circulating_flag(bureau, receive, advance, circulating):
    """GIVEN a registered document and a circulating one WHEN the 文秘 lists THEN each row has its
    收文编号, 传阅中 flag and level mark, and no body."""
    registered = advance(receive(body="正文"), S.REGISTERED)

    rows = {row["id"]: row for row in as_(bureau.clerk).get(BASE).json()["results"]}

    assert rows[circulating.pk]["circulating"] is True
    assert rows[registered.pk]["circulating"] is False
    assert rows[registered.pk]["registration_text"] == fresh(registered).registration_text
    assert rows[registered.pk]["level_mark"] == "内部"
    assert "body" not in rows[registered.pk]


def test_list_filters_and_search(bureau, receive, advance, issued):
    """GIVEN documents in different states, channels, levels and handling WHEN the list is filtered
    by each parameter THEN only the matching ones come back; bad parameters are a 400."""
    fax = receive(channel="fax", title="测试省财政厅关于绩效评价的通知")
    secret = advance(receive(level=Level.SECRET, basis="来文标注", title="关于专项审计的通报"), S.REGISTERED)
    reading = advance(receive(title="测试省财政厅关于学习文件的通知"), S.CIRCULATING)
    client = as_(bureau.clerk)
    today = timezone.localdate()

    def ids(**params) -> set[int]:
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(state="pending") == {issued.pk}
    assert ids(channel="fax") == {fax.pk}
    assert ids(channel="internal") == {issued.pk}
    assert ids(classification="secret") == {secret.pk}
    assert ids(handling="reading") == {reading.pk}
    assert ids(receiving_unit=bureau.organ.pk) == {fax.pk, secret.pk, reading.pk, issued.pk}
    assert ids(year=today.year) == {secret.pk, reading.pk}
    assert ids(date_from=today.isoformat(), date_to=today.isoformat()) == {fax.pk, secret.pk, reading.pk}
    assert ids(date_from=(today + timedelta(days=1)).isoformat()) == set()
    assert ids(q="绩效评价") == {fax.pk}
    assert ids(q=fresh(secret).registration_text) == {secret.pk}
    assert_invalid(client.get(BASE, {"state": "lost"}), "state")
    assert_invalid(client.get(BASE, {"colour": "red"}), "colour")
    assert_invalid(client.get(BASE, {"date_from": today.isoformat(), "date_to": "2000-01-01"}), "date_to")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE, {"page_size": 200})
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_documents(bureau, receive, advance):
    """GIVEN 5 then 20 documents (registered, circulating, in 承办) WHEN the 文秘 lists them THEN the
    list costs the same number of queries."""
    client = as_(bureau.clerk)

    def grow(n: int) -> None:
        for i in range(n):
            document = receive(title=f"测试省财政厅关于第{i}项工作的通知")
            if i % 3 == 1:
                advance(document, S.CIRCULATING)
            elif i % 3 == 2:
                advance(document, S.HANDLING)

    grow(5)
    client.get(BASE)
    small = _list_queries(client)
    grow(15)
    large = _list_queries(client)

    assert client.get(BASE).json()["count"] == 20
    assert small == large


def test_inbox_shows_what_waits_for_each_person(bureau, receive, advance, issued, circulating):
    """GIVEN a delivery to sign for, a document to propose, one waiting for 批示 and one in 承办
    WHEN the 文秘, the 局长, 预算处's head and a reader open their inbox THEN each sees their queue."""
    proposal = advance(receive(), S.PROPOSAL)
    waiting = advance(receive(), S.INSTRUCTION)
    handling = advance(receive(), S.HANDLING)

    def inbox(person) -> dict:
        response = as_(person).get(f"{BASE}inbox/")
        assert response.status_code == 200, response.content
        return {step: {row["id"] for row in queue["results"]} for step, queue in response.json().items()}

    clerk = inbox(bureau.clerk)
    assert clerk["sign_for"] == {issued.pk} and clerk["propose"] == {proposal.pk}
    assert inbox(bureau.leader)["instruct"] == {waiting.pk}
    assert inbox(bureau.budget_head)["handle"] == {handling.pk}
    reading = as_(bureau.reader).get(f"{BASE}inbox/").json()["read"]
    assert reading["count"] == 1 and reading["results"][0]["document"] == circulating.pk
    assert reading["results"][0]["state"] == "sent"


def test_figures_give_the_completion_rates_by_lead_unit(bureau, receive, advance):
    """GIVEN two documents assigned to 预算处 this year, one done WHEN the 局长 asks for the figures
    THEN 预算处 has 2 assigned, 1 done on time: 50%; an inverted period is a 400."""
    advance(receive(), S.DONE)
    advance(receive(), S.HANDLING)
    today = timezone.localdate()
    client = as_(bureau.leader)

    response = client.get(f"{BASE}figures/", {"start": today.replace(month=1, day=1).isoformat(), "end": today})

    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "unit": bureau.budget.pk,
            "unit_name": "预算处",
            "assigned": 2,
            "done": 1,
            "done_on_time": 1,
            "completion_rate": 0.5,
            "on_time_rate": 0.5,
        }
    ]
    assert client.get(f"{BASE}figures/").json()[0]["assigned"] == 2  # this year by default
    assert_invalid(client.get(f"{BASE}figures/", {"start": today.isoformat(), "end": "2000-01-01"}), "end")


# --- The 收文登记簿 export ---------------------------------------------------------------------------


def test_register_export_lays_out_the_register(bureau, receive, advance):
    """GIVEN a document in 承办 and one whose title starts with = WHEN the 登记簿 is exported THEN the
    sheet has the register's columns and rows (no body), the formula stays text, and the export
    is in the access log."""
    handling = advance(receive(body="不应导出的正文"), S.HANDLING)
    receive(title='=HYPERLINK("http://example.com","点此")')

    response = as_(bureau.clerk).get(f"{BASE}register/")
    rows = _sheet(response)

    assert rows[0][:6] == ("序号", "收文编号", "来文机关", "来文字号", "标题", "文种")
    assert rows[0][-4:] == ("主办单位", "办理时限", "状态", "办结日期")
    row = next(r for r in rows[1:] if r[4] == handling.title)
    assert row[1] == fresh(handling).registration_text and row[2] == "测试省财政厅"
    assert row[13] == "预算处" and row[15] == "承办中"
    assert all("不应导出的正文" not in str(cell) for r in rows for cell in r)
    formula = next(c for c in load_workbook(BytesIO(response.content)).active["E"] if str(c.value).startswith("="))
    assert formula.data_type == "s"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "incoming_register" and event.detail["rows"] == 2


def test_register_export_follows_the_list_filters(bureau, receive, advance):
    """GIVEN a registered and a signed document WHEN the 登记簿 is exported for state=registered
    (also as register.xlsx) THEN only the registered one is in it; a bad filter is a 400 in JSON."""
    registered = advance(receive(), S.REGISTERED)
    receive(title="测试省财政厅关于未登记事项的通知")
    client = as_(bureau.clerk)

    rows = _sheet(client.get(f"{BASE}register/", {"state": "registered"}))
    suffixed = _sheet(client.get(f"{BASE}register.xlsx", {"state": "registered"}))

    assert [row[4] for row in rows[1:]] == [registered.title]
    assert suffixed[1:] == rows[1:]
    assert_invalid(client.get(f"{BASE}register/", {"state": "lost"}), "state")
