"""What the list-mechanics tests (``test_list_mechanics.py`` of documents and supervision) share:
an API client, the queries of one request and the ceilings, the capped count's SQL, and the two
walks over a list's every row (page numbers, cursors)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

# The goals of issue 14: queries per API list / per HTML list page, the same at any page size.
API_QUERY_CEILING = 5
PAGE_QUERY_CEILING = 8


class FreshUserClient(APIClient):
    """Each request authenticates a freshly read user with their person and unit (one query, as
    the token authentication reads them): nothing a previous request cached on the user object
    (the visibility keys) is carried over, as between two real requests. A real token adds the
    token's own lookup."""

    def __init__(self, user_id: int, **defaults):
        super().__init__(**defaults)
        self.user_id = user_id

    def request(self, **kwargs):
        from office.org.models import User

        self.force_authenticate(user=User.objects.select_related("person__unit").get(pk=self.user_id))
        return super().request(**kwargs)


def api_client(person) -> APIClient:
    return FreshUserClient(person.user_id)


def listing(queries: list[str]) -> str:
    """The queries, one line each, for a failure message."""
    return "\n".join(f"{index + 1}. {sql[:150]}" for index, sql in enumerate(queries))


def assert_ceilings(
    api_queries: list[str], page_queries: list[str], *, api: int = API_QUERY_CEILING, page: int = PAGE_QUERY_CEILING
) -> None:
    """Both within their goals; on failure, both listed."""
    over = [
        f"{what}: {len(queries)} queries, goal ≤ {ceiling}:\n{listing(queries)}"
        for what, queries, ceiling in (
            ("API list", api_queries, api),
            ("HTML page", page_queries, page),
        )
        if len(queries) > ceiling
    ]
    assert not over, "\n\n".join(over)


def captured(call) -> tuple[list[str], object]:
    """The SQL of the queries ``call()`` issues, and what it answers."""
    with CaptureQueriesContext(connection) as context:
        response = call()
    return [query["sql"] for query in context.captured_queries], response


def count_queries(queries: list[str]) -> list[str]:
    return [sql for sql in queries if re.match(r"\s*SELECT COUNT\(\*\)", sql, re.IGNORECASE)]


def assert_bounded_count_sql(queries: list[str], table: str) -> None:
    """One count, of ids only, capped by a LIMIT, with no ORDER BY: the page's sort and joins are
    not paid twice."""
    [count] = [sql for sql in count_queries(queries) if table in sql]
    assert "ORDER BY" not in count.upper(), count
    assert re.search(r"LIMIT \d+\) subquery", count), count
    inner = count.split("FROM", 1)[1]
    assert '"title"' not in inner and '"body"' not in inner, count  # ids only, no row columns


def main_query(queries: list[str], table: str) -> str:
    """The query that reads the page's rows of ``table``."""
    [rows] = [sql for sql in queries if sql.lstrip().startswith(f'SELECT "{table}"."id"') and " LIMIT " in sql]
    return rows


def walk_pages(client, url: str, size: int, **params) -> list[int]:
    ids, page = [], 1
    while True:
        body = client.get(url, {**params, "page": page, "page_size": size}).json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids
        page += 1


def walk_cursor(client, url: str, size: int, **params) -> tuple[list[int], list[dict]]:
    """Every row through ``?cursor=`` (empty first) and the ``next`` links; the bodies too."""
    bodies = [client.get(url, {**params, "cursor": "", "page_size": size}).json()]
    while bodies[-1]["next"] is not None:
        assert "cursor=" in bodies[-1]["next"] and "page=" not in bodies[-1]["next"]
        bodies.append(client.get(bodies[-1]["next"]).json())
    return [row["id"] for body in bodies for row in body["results"]], bodies


def api_at_2_and_50(client, url: str, table: str) -> tuple[list[str], list[str]]:
    """The queries of the API list at 2 and at 50 rows a page (after one call that warms the
    per-process caches: content types, the calendar), with the rows each page answers checked and
    no long text read."""
    client.get(url, {"page_size": 2})
    few, small = captured(lambda: client.get(url, {"page_size": 2}))
    many, large = captured(lambda: client.get(url, {"page_size": 50}))
    assert small.status_code == large.status_code == 200, large.content
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 50
    assert_no_long_texts(main_query(many, table))
    assert_bounded_count_sql(many, table)
    return few, many


def page_at_2_and_50(client, url: str, views, monkeypatch, table: str, row_marker: str) -> tuple[list[str], list[str]]:
    """The same for the HTML list page (its ``views.PAGE_SIZE`` set to 2, then 50)."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.get(url)
    few, small = captured(lambda: client.get(url))
    monkeypatch.setattr(views, "PAGE_SIZE", 50)
    many, large = captured(lambda: client.get(url))
    assert small.status_code == large.status_code == 200
    assert small.content.decode().count(row_marker) == 2 and large.content.decode().count(row_marker) == 50
    assert_no_long_texts(main_query(many, table))
    assert_bounded_count_sql(many, table)
    return few, many


LONG_TEXTS = ("body", "attachment_note", "proposal", "instruction", "result", "reply", "requirement", "search_vector")


def assert_no_long_texts(sql: str) -> None:
    """The page's query selects none of the long texts (they are deferred for lists)."""
    selected = sql.split(" FROM ", 1)[0]
    assert not [name for name in LONG_TEXTS if f'."{name}"' in selected], selected
