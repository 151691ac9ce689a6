"""``/api/v1/supervision/items/``: the 通报 and 督查专报 drafts the API lands in the documents module —
the year's bulletin, a 督查专报 on one item or on a theme across items — and their refusals (unit
staff, an inverted period, a bad date, no series, an item the caller cannot see).

The city, its people and the ``open_item`` / ``item`` fixtures come from ``conftest.py``, the
client, URLs and answer checks from ``api_helpers.py``; the drafts go into the office's 测政办督
series (``series``)."""

from __future__ import annotations

import pytest

from documents.models import DocumentSeries, OutgoingDocument
from tests.supervision.api_helpers import BASE, as_, assert_forbidden, assert_invalid, post, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(city) -> DocumentSeries:
    return DocumentSeries.objects.create(
        organ=city.office, office=city.office, code="测政办督", issuer_name="测试市人民政府办公室文件"
    )


# --- 通报 and 督查专报 --------------------------------------------------------------------------------


def test_bulletin_draft_lands_in_documents(city, item, series):
    """GIVEN the 督查员 WHEN they ask for the year's bulletin THEN 201 with the new outgoing draft's
    id and API URL; the draft is a 通报 they can open there."""
    response = post(
        city.supervisor, f"{BASE}bulletin/", {"series": series.pk, "start": "2026-01-01", "end": "2026-12-31"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    document = OutgoingDocument.objects.get(pk=body["id"])
    assert body["url"] == f"/api/v1/documents/outgoing/{document.pk}/"
    assert document.kind == "bulletin" and body["title"] == document.title
    assert "2026年" in document.title
    assert as_(city.supervisor).get(body["url"]).status_code == 200


def test_bulletin_refusals(city, series):
    """GIVEN the bulletin WHEN asked by unit staff, with an inverted period, a bad date, or no
    series THEN 403, 400, 400, 400, and no document is drafted."""
    body = {"series": series.pk, "start": "2026-01-01", "end": "2026-12-31"}
    assert_forbidden(post(city.ndrc_head, f"{BASE}bulletin/", body))
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {**body, "end": "2025-12-31"}), "end")
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {**body, "start": "1 Jan"}), "start")
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {"start": "2026-01-01", "end": "2026-12-31"}), "series")
    assert not OutgoingDocument.objects.exists()


def test_report_draft_on_an_item_and_on_a_theme(city, item, open_item, series):
    """GIVEN two items WHEN the 督查员 drafts a 督查专报 on one, then on both as a theme THEN each is
    a 报告 draft; an item id the caller cannot see is refused like one that does not exist."""
    other = open_item(title="整治河道污染")

    single = post(city.supervisor, url(item, "report-draft"), {"series": series.pk})
    theme = post(
        city.supervisor,
        f"{BASE}theme-report/",
        {"series": series.pk, "items": [item.pk, other.pk], "theme": "城市更新"},
    )

    assert single.status_code == 201, single.content
    assert OutgoingDocument.objects.get(pk=single.json()["id"]).kind == "report"
    assert "推进老旧小区改造" in single.json()["title"]
    assert theme.status_code == 201, theme.content
    assert "城市更新" in theme.json()["title"]
    assert_forbidden(post(city.ndrc_head, url(item, "report-draft"), {"series": series.pk}))
    assert_invalid(
        post(city.supervisor, f"{BASE}theme-report/", {"series": series.pk, "items": [999999], "theme": "x"}), "items"
    )
    assert_invalid(
        post(city.supervisor, f"{BASE}theme-report/", {"series": series.pk, "items": [], "theme": "x"}), "items"
    )
    assert OutgoingDocument.objects.count() == 2
