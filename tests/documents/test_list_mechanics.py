"""The 发文 and 收文 lists at any depth (issue 14, item 2): the same number of queries at 2 and 50
rows a page, on the API and on the page, within the ceilings; rows without their long texts; a
count capped and without ORDER BY, shown as a lower bound; cursor (keyset) pages that walk the
same rows as page numbers, and a junk cursor that is a 400.

The office, the bureau and their helpers come from ``conftest.py``; the walks and the SQL checks
from ``tests/lists.py``."""

from __future__ import annotations

import re

import pytest
from django.db.models import F
from django.utils import timezone

from documents.incoming import views as incoming_views
from documents.models import DocumentState, IncomingDocument, IncomingState, OutgoingDocument
from documents.outgoing import views as outgoing_views
from tests.lists import (
    api_at_2_and_50,
    api_client,
    assert_bounded_count_sql,
    assert_ceilings,
    captured,
    listing,
    page_at_2_and_50,
    walk_cursor,
    walk_pages,
)

pytestmark = pytest.mark.django_db

OUTGOING_API, OUTGOING_PAGE = "/api/v1/documents/outgoing/", "/documents/outgoing/"
INCOMING_API, INCOMING_PAGE = "/api/v1/documents/incoming/", "/documents/incoming/"
OUTGOING_TABLE, INCOMING_TABLE = "documents_outgoingdocument", "documents_incomingdocument"
ROW = 'data-testid="document-row"'


@pytest.fixture
def outgoing_52(office, make_document, walk):
    """52 documents the clerk sees: drafts, two in 核稿, two numbered (登记) — every join a row shows."""
    for index in range(52):
        document = make_document(title=f"测试办公室关于第{index}项工作的通知")
        if index < 2:
            walk(document, DocumentState.REGISTERED)
        elif index < 4:
            walk(document, DocumentState.REVIEW)
    return office


@pytest.fixture
def incoming_52(bureau, receive, advance):
    """52 documents the bureau's 文秘 sees: signed for, one registered, one circulating (传阅中)."""
    from documents.incoming import services as incoming

    for index in range(52):
        document = receive(title=f"测试省财政厅关于第{index}项工作的通知")
        if index == 0:
            advance(document, IncomingState.REGISTERED)
        elif index == 1:
            document = advance(document, IncomingState.CIRCULATING)
            incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="阅")
    return bureau


# --- Queries: the same at 2 and 50 rows, within the ceilings --------------------------------------


def test_outgoing_list_and_page_take_the_same_queries_at_2_and_50_rows(outgoing_52, client, monkeypatch):
    """GIVEN 52 documents visible to the clerk, some numbered
    WHEN the API list and the register page are read at 2 and at 50 rows a page
    THEN each takes the same number of queries both times; no long text is read, the count is
    capped and unordered."""
    api = api_client(outgoing_52.clerk)
    few, many = api_at_2_and_50(api, OUTGOING_API, OUTGOING_TABLE)
    assert len(few) == len(many), listing(many)  # a deferred field read would be a query per row
    client.force_login(outgoing_52.clerk.user)
    few, many = page_at_2_and_50(client, OUTGOING_PAGE, outgoing_views, monkeypatch, OUTGOING_TABLE, ROW)
    assert len(few) == len(many), listing(many)
    first = api.get(OUTGOING_API).json()["results"][0]
    assert api.get(f"{OUTGOING_API}{first['id']}/").json()["body"].startswith("各区人民政府")  # the detail has it


def test_incoming_list_and_page_take_the_same_queries_at_2_and_50_rows(incoming_52, client, monkeypatch):
    """GIVEN 52 incoming documents visible to the 文秘, one registered, one circulating
    WHEN the API list and the register page are read at 2 and at 50 rows a page
    THEN each takes the same number of queries both times; no long text is read, the count is
    capped and unordered."""
    few, many = api_at_2_and_50(api_client(incoming_52.clerk), INCOMING_API, INCOMING_TABLE)
    assert len(few) == len(many), listing(many)
    client.force_login(incoming_52.clerk.user)
    few, many = page_at_2_and_50(client, INCOMING_PAGE, incoming_views, monkeypatch, INCOMING_TABLE, ROW)
    assert len(few) == len(many), listing(many)


@pytest.mark.parametrize("kind", ["outgoing", "incoming"])
def test_lists_stay_within_the_query_ceilings(kind, office, make_document, bureau, receive, client, monkeypatch):
    """GIVEN three visible documents WHEN the API list and the register page are read 2 a page
    THEN the API list takes at most 5 queries and the page at most 8 (issue 14's goals)."""
    if kind == "outgoing":
        person, api_url, page_url, views = office.clerk, OUTGOING_API, OUTGOING_PAGE, outgoing_views
        for index in range(3):
            make_document(title=f"测试办公室关于第{index}项工作的通知")
    else:
        person, api_url, page_url, views = bureau.clerk, INCOMING_API, INCOMING_PAGE, incoming_views
        for index in range(3):
            receive(title=f"测试省财政厅关于第{index}项工作的通知")
    api = api_client(person)
    api.get(api_url, {"page_size": 2})
    api_queries, _response = captured(lambda: api.get(api_url, {"page_size": 2}))
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(person.user)
    client.get(page_url)
    page_queries, _response = captured(lambda: client.get(page_url))

    assert_ceilings(api_queries, page_queries)


# --- The capped count ---------------------------------------------------------------------------


def test_the_count_has_no_order_by_and_is_capped(office, make_document, client, monkeypatch):
    """GIVEN 5 documents and an exact-count limit lowered to 3
    WHEN the API list and the register page are read
    THEN the count is one capped query without ORDER BY; the API says 4 with count_exact false and
    the page prints "超过3条", never a page total."""
    monkeypatch.setattr("office.api.pagination.EXACT_COUNT_LIMIT", 3)
    for index in range(5):
        make_document(title=f"测试办公室关于第{index}项工作的通知")
    api = api_client(office.clerk)

    queries, response = captured(lambda: api.get(OUTGOING_API))
    body = response.json()
    assert body["count"] == 4 and body["count_exact"] is False and len(body["results"]) == 5
    assert_bounded_count_sql(queries, OUTGOING_TABLE)

    monkeypatch.setattr(outgoing_views, "PAGE_SIZE", 2)
    client.force_login(office.clerk.user)
    queries, response = captured(lambda: client.get(OUTGOING_PAGE))
    html = response.content.decode()
    count = re.search(r'data-testid="pagination-count">([^<]*)<', html).group(1)
    assert count == "超过3条" and "共" not in html.split('data-testid="pagination"')[1].split("</nav>")[0]
    assert "第1页" in html
    assert_bounded_count_sql(queries, OUTGOING_TABLE)


def test_an_exact_count_is_printed_as_before(office, make_document, client, monkeypatch):
    """GIVEN 3 documents under the limit WHEN the register is read 2 a page THEN "共3条", "共2页"."""
    for index in range(3):
        make_document(title=f"测试办公室关于第{index}项工作的通知")
    monkeypatch.setattr(outgoing_views, "PAGE_SIZE", 2)
    client.force_login(office.clerk.user)

    html = client.get(OUTGOING_PAGE).content.decode()

    assert re.search(r'data-testid="pagination-count">共3条<', html) and "第1页，共2页" in html


def test_a_deep_page_and_its_count_come_from_one_walk(office, make_document, client, monkeypatch):
    """GIVEN 15 documents, deep pages lowered to start at row 4 and the exact count to 12
    WHEN the list is read 2 a page, page by page, on the API and on the register page
    THEN every page holds the rows the list's order gives there, each says "more than 12"; a deep
    page reads its ids and its count in one ordered query (no separate count), and a page past
    the count's limit is still served (offset and capped count)."""
    monkeypatch.setattr("office.api.pagination.EXACT_COUNT_LIMIT", 12)
    monkeypatch.setattr("office.api.pagination.DEEP_PAGE_FROM", 4)
    for index in range(15):
        make_document(title=f"测试办公室关于第{index}项工作的通知")
    expected = list(OutgoingDocument.objects.order_by("-updated_at", "-id").values_list("id", flat=True))
    api = api_client(office.clerk)

    seen = []
    for number in range(1, 8):  # the 7th: rows 13 and 14, past the count's limit
        queries, response = captured(lambda number=number: api.get(OUTGOING_API, {"page": number, "page_size": 2}))
        body = response.json()
        assert (body["count"], body["count_exact"]) == (13, False), number
        seen.extend(row["id"] for row in body["results"])
        counts = [q for q in queries if q.startswith("SELECT COUNT(*)") and OUTGOING_TABLE in q]
        deep = 3 <= number <= 6  # rows 4 … 12
        assert len(counts) == (0 if deep else 1), (number, queries)
    assert seen == expected[:14]

    monkeypatch.setattr(outgoing_views, "PAGE_SIZE", 2)
    client.force_login(office.clerk.user)
    html = client.get(OUTGOING_PAGE, {"page": 4}).content.decode()
    assert re.search(r'data-testid="pagination-count">超过12条<', html) and "第4页" in html
    shown = [int(pk) for pk in re.findall(r'href="/documents/outgoing/(\d+)/"', html)]
    assert list(dict.fromkeys(shown)) == expected[6:8]


# --- Cursors ----------------------------------------------------------------------------------------


def test_cursor_pages_walk_the_same_rows_as_page_numbers(office, make_document, walk):
    """GIVEN 17 documents, five of them modified at the very same instant (ties on updated_at)
    WHEN the list is walked 4 a page by page numbers and by cursors
    THEN both give every id once, in the same order; cursor pages carry the count, a cursor
    ``next`` without ``page``, ``previous`` null, and the last ``next`` is null."""
    for index in range(17):
        make_document(title=f"测试办公室关于第{index}项工作的通知")
    same = timezone.now()
    tied = list(OutgoingDocument.objects.order_by("id").values_list("id", flat=True)[3:8])
    OutgoingDocument.objects.filter(pk__in=tied).update(updated_at=same)
    client = api_client(office.clerk)

    by_page = walk_pages(client, OUTGOING_API, 4)
    by_cursor, bodies = walk_cursor(client, OUTGOING_API, 4)

    expected = list(OutgoingDocument.objects.order_by("-updated_at", "-id").values_list("id", flat=True))
    assert by_page == by_cursor == expected and len(set(by_cursor)) == 17
    assert len(bodies) == 5 and [len(body["results"]) for body in bodies] == [4, 4, 4, 4, 1]
    assert all(body["count"] == 17 and body["count_exact"] and body["previous"] is None for body in bodies)
    assert bodies[-1]["next"] is None


def test_cursor_pages_keep_the_filters(office, make_document, walk):
    """GIVEN drafts and documents in 核稿 WHEN the drafts are walked by cursor THEN only drafts come,
    and the ``next`` link keeps the filter."""
    for index in range(7):
        document = make_document(title=f"测试办公室关于第{index}项工作的通知")
        if index % 2:
            walk(document, DocumentState.REVIEW)
    client = api_client(office.clerk)

    ids, bodies = walk_cursor(client, OUTGOING_API, 2, state="draft")

    drafts = OutgoingDocument.objects.filter(state=DocumentState.DRAFT).order_by("-updated_at", "-id")
    assert ids == list(drafts.values_list("id", flat=True)) and len(ids) == 4
    assert all("state=draft" in body["next"] for body in bodies[:-1])


def test_incoming_cursor_pages_walk_every_row(bureau, receive):
    """GIVEN 9 incoming documents, some delivered at the same instant WHEN walked 2 a page by
    cursor and by page number THEN the same ids in the list's order (-delivered_at, -id)."""
    for index in range(9):
        receive(title=f"测试省财政厅关于第{index}项工作的通知")
    IncomingDocument.objects.filter(pk__in=IncomingDocument.objects.order_by("id")[:4].values("id")).update(
        delivered_at=F("delivered_at") - F("delivered_at") + timezone.now()
    )
    client = api_client(bureau.clerk)

    by_cursor, _bodies = walk_cursor(client, INCOMING_API, 2)

    expected = list(IncomingDocument.objects.order_by("-delivered_at", "-id").values_list("id", flat=True))
    assert by_cursor == walk_pages(client, INCOMING_API, 2) == expected and len(expected) == 9


@pytest.mark.parametrize(
    "cursor",
    ["junk", "eyJrIjpbXX0:1tX:abc", "%00", "游标", "a" * 300, "1:2:3:4"],
)
def test_a_junk_cursor_is_a_400_in_chinese(office, make_document, cursor):
    """GIVEN the 发文 list WHEN it is asked with a cursor that is not one of ours THEN 400 invalid,
    with a Chinese message under ``cursor`` (never a 500)."""
    make_document()

    response = api_client(office.clerk).get(OUTGOING_API, {"cursor": cursor})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] in ("invalid", "null_character")
    if body["code"] == "invalid":
        assert "翻页游标无效" in body["errors"]["cursor"][0]


def test_an_altered_or_foreign_cursor_is_a_400(office, make_document, bureau, receive):
    """GIVEN a real 发文 cursor WHEN one character of it is changed, or it is sent to the 收文 list
    THEN both are a 400 (the cursor is signed, and names the list it belongs to)."""
    for index in range(3):
        make_document(title=f"测试办公室关于第{index}项工作的通知")
    receive()
    client = api_client(office.clerk)
    cursor = re.search(r"cursor=([^&]+)", client.get(OUTGOING_API, {"cursor": "", "page_size": 1}).json()["next"])[1]
    from urllib.parse import unquote

    cursor = unquote(cursor)
    altered = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]

    assert client.get(OUTGOING_API, {"cursor": cursor, "page_size": 1}).status_code == 200
    assert client.get(OUTGOING_API, {"cursor": altered}).status_code == 400
    assert api_client(bureau.clerk).get(INCOMING_API, {"cursor": cursor}).status_code == 400


def test_the_cursor_is_the_lists_alone(office, make_document):
    """GIVEN the 发文登记簿 export (same filters as the list) WHEN it is sent a cursor THEN it is an
    unknown parameter there (400), as before."""
    make_document()

    response = api_client(office.clerk).get(f"{OUTGOING_API}register/", {"cursor": "x"})

    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_the_schema_documents_the_cursor_on_the_three_lists(client):
    """GIVEN the OpenAPI schema WHEN read THEN the 发文, 收文 and 督办 lists take ``cursor`` (and
    still ``page``, ``page_size``), with a 400; their other routes do not take it."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (OUTGOING_API, INCOMING_API, "/api/v1/supervision/items/"):
        operation = schema["paths"][path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"cursor", "page", "page_size"} <= names, path
        assert "400" in operation["responses"]
        [cursor] = [parameter for parameter in operation["parameters"] if parameter["name"] == "cursor"]
        assert "400" in cursor["description"] and cursor["schema"] == {"type": "string"}
    overdue = schema["paths"]["/api/v1/supervision/items/overdue/"]["get"]
    assert "cursor" not in {parameter["name"] for parameter in overdue["parameters"]}
