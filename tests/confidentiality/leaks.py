"""The leak-test helper: say who must see which records, and hear exactly which ids leaked.

    assert_visible(Carrier.objects.visible_to(user), expected=[a, b], universe=[a, b, c, d])

fails with the ids that leaked (visible but not expected) and the ids that went missing.
The same expectation can be checked through an API list, an API detail (404 for the rest, never
403), and a page, so one matrix covers every read path.
"""

from __future__ import annotations

from collections.abc import Iterable


def _ids(records: Iterable) -> set:
    return {getattr(record, "pk", record) for record in records}


def assert_visible(visible: Iterable, *, expected: Iterable, universe: Iterable, who: str = "") -> None:
    """``visible`` (a queryset or ids) must contain exactly ``expected`` out of ``universe``."""
    universe_ids = _ids(universe)
    seen = _ids(visible) & universe_ids
    wanted = _ids(expected)
    leaked, missing = sorted(seen - wanted), sorted(wanted - seen)
    assert not leaked and not missing, f"{who or 'caller'}: leaked ids {leaked}, missing ids {missing}"


def assert_api_visible(client, list_url: str, *, expected: Iterable, universe: Iterable, who: str = "") -> None:
    """Through a list endpoint (all pages) and the detail endpoint of every record in ``universe``:
    the expected ones answer 200, every other one 404 (its existence is a secret)."""
    seen, url = [], f"{list_url}?page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, f"{who}: list answered {response.status_code}"
        body = response.json()
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
    assert_visible(seen, expected=expected, universe=universe, who=f"{who} (API list)")
    wanted = _ids(expected)
    for pk in sorted(_ids(universe)):
        status = client.get(f"{list_url}{pk}/").status_code
        assert status == (200 if pk in wanted else 404), f"{who}: detail of #{pk} answered {status}"


def assert_pages_visible(client, detail_url: str, *, expected: Iterable, universe: Iterable, who: str = "") -> None:
    """Detail pages: 200 for the expected records, 404 for every other one."""
    wanted = _ids(expected)
    for pk in sorted(_ids(universe)):
        status = client.get(detail_url.format(pk=pk)).status_code
        assert status == (200 if pk in wanted else 404), f"{who}: page of #{pk} answered {status}"
