"""The 督办台账 at any depth (issue 14, item 2): the same number of queries at 2 and 50 items a page,
on the API and on the page, within the ceilings; rows without the 办理要求; a count capped and
without ORDER BY, shown as a lower bound; cursor pages that walk the same items as page numbers.

The city and ``open_item`` / ``split`` come from ``conftest.py`` (the clock on 2 March 2026); the
walks and the SQL checks from ``tests/lists.py``."""

from __future__ import annotations

import re
from datetime import date

import pytest

from supervision.models import SupervisionItem
from supervision.views import pages as views
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

API, PAGE, TABLE = "/api/v1/supervision/items/", "/supervision/", "supervision_supervisionitem"
ROW = 'data-testid="item-row"'
APRIL_30 = date(2026, 4, 30)


@pytest.fixture
def items_52(city, today, open_item, split):
    """52 items the 督查员 sees; every third split into a task (lead and assisting units)."""
    for n in range(52):
        item = open_item(title=f"第{n}项督办事项")
        if n % 3 == 0:
            split(item, due=APRIL_30)
    return city


def test_the_ledger_takes_the_same_queries_at_2_and_50_items(items_52, client, monkeypatch):
    """GIVEN 52 items visible to the 督查员, some split
    WHEN the API list and the 督办台账 page are read at 2 and at 50 rows a page
    THEN each takes the same number of queries both times; the 办理要求 is not read, the count is
    capped and unordered; the detail still has the requirement."""
    api = api_client(items_52.supervisor)
    few, many = api_at_2_and_50(api, API, TABLE)
    assert len(few) == len(many), listing(many)
    client.force_login(items_52.supervisor.user)
    few, many = page_at_2_and_50(client, PAGE, views, monkeypatch, TABLE, ROW)
    assert len(few) == len(many), listing(many)
    first = api.get(API).json()["results"][0]
    assert api.get(f"{API}{first['id']}/").json()["requirement"] == "年内完成12个小区改造并通过验收。"


def test_the_ledger_stays_within_the_query_ceilings(city, today, open_item, split, client, monkeypatch):
    """GIVEN three items WHEN the API list and the 督办台账 page are read 2 a page THEN the API list
    takes at most 6 queries and the page at most 13: a 发文 list's five (the login, the person's
    units, the record's keys, the count, the page) less the keys (an item's organ is its own
    column) plus the holiday calendar the lights read and the rows' tasks; the page adds the
    red/yellow/green counts, the person's roles, the organ's units, the two filter lists and the
    unit tree that labels their choices with their parents (one per form)."""
    for n in range(3):
        split(open_item(title=f"第{n}项督办事项"), due=APRIL_30)
    api = api_client(city.supervisor)
    api.get(API, {"page_size": 2})
    api_queries, _response = captured(lambda: api.get(API, {"page_size": 2}))
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(city.supervisor.user)
    client.get(PAGE)
    page_queries, _response = captured(lambda: client.get(PAGE))

    assert_ceilings(api_queries, page_queries, api=6, page=13)


def test_the_ledger_count_is_capped_on_the_api_and_the_page(city, today, open_item, client, monkeypatch):
    """GIVEN 5 items and an exact-count limit lowered to 3 WHEN the list and the page are read
    THEN the API says 4 with count_exact false (all 5 rows still there), the page "超过3条"; both
    counts are capped and without ORDER BY."""
    monkeypatch.setattr("office.api.pagination.EXACT_COUNT_LIMIT", 3)
    for n in range(5):
        open_item(title=f"第{n}项督办事项")

    queries, response = captured(lambda: api_client(city.supervisor).get(API))
    body = response.json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (4, False, 5)
    assert_bounded_count_sql(queries, TABLE)

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(city.supervisor.user)
    queries, response = captured(lambda: client.get(PAGE))
    html = response.content.decode()
    assert re.search(r'data-testid="pagination-count">超过3条<', html) and "共3页" not in html
    assert_bounded_count_sql(queries, TABLE)


def test_cursor_pages_walk_the_same_items_as_page_numbers(city, today, open_item, split):
    """GIVEN 11 items (the ledger is ordered by year and sequence, then id)
    WHEN walked 3 a page by page numbers and by cursor, also with a filter on the light
    THEN the same ids in the same order, the light filter kept in the ``next`` links."""
    for n in range(11):
        item = open_item(title=f"第{n}项督办事项", due=date(2026, 3, 5) if n % 2 else APRIL_30)
        if n % 4 == 0:
            split(item, due=APRIL_30)
    client = api_client(city.supervisor)

    by_cursor, bodies = walk_cursor(client, API, 3)
    expected = list(SupervisionItem.objects.order_by("-year", "-sequence", "-id").values_list("id", flat=True))
    assert by_cursor == walk_pages(client, API, 3) == expected and len(bodies) == 4

    yellow, bodies = walk_cursor(client, API, 2, light="yellow")
    assert yellow == walk_pages(client, API, 2, light="yellow") and len(yellow) == 5
    assert all("light=yellow" in body["next"] for body in bodies[:-1])


def test_a_junk_cursor_on_the_ledger_is_a_400(city, today, open_item):
    """GIVEN the 督办 list WHEN asked with a junk cursor THEN 400 with the Chinese message."""
    open_item()

    response = api_client(city.supervisor).get(API, {"cursor": "not-a-cursor"})

    assert response.status_code == 400 and "翻页游标无效" in response.json()["errors"]["cursor"][0]
