"""The API shell other systems rely on: tokens, JSON errors, pagination, the schema."""

import pytest
from django.test import override_settings

from office.api.pagination import EXACT_COUNT_LIMIT
from office.org.models import ApiToken, Unit
from tests.factories import PASSWORD, UnitFactory, make_person

pytestmark = pytest.mark.django_db


def test_token_for_username_and_password(api):
    """GIVEN a person WHEN they post their username and password THEN they get a token and its
    expiry, and the token authenticates later calls."""
    make_person(username="hotline", name="热线平台")

    response = api.post("/api/v1/auth/token/", {"username": "hotline", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    token = body["token"]
    assert ApiToken.objects.get().user.username == "hotline"
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/org/units/").status_code == 200


def test_token_refused_for_a_wrong_password(api):
    """GIVEN a person WHEN the password is wrong THEN 400 with a message and no token."""
    make_person(username="hotline")
    response = api.post("/api/v1/auth/token/", {"username": "hotline", "password": "nope"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert "token" not in body
    assert not ApiToken.objects.exists()


def test_calls_without_or_with_a_bad_token_are_401_json(api):
    """GIVEN no credentials, or an unknown token WHEN calling the API THEN 401 with a JSON message."""
    no_auth = api.get("/api/v1/org/units/")
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    bad = api.get("/api/v1/org/units/")
    for response in (no_auth, bad):
        assert response.status_code == 401
        assert response.json()["detail"]


@override_settings(SHUNIU_DEMO=False)
def test_demo_accounts_get_no_token_and_their_old_tokens_stop_working(api):
    """GIVEN a demo account with a token issued during the demo WHEN demo mode is off THEN the
    token endpoint refuses it and the old token no longer authenticates."""
    person = make_person(username="director", is_demo=True)
    _record, old_token = ApiToken.objects.create(user=person.user)

    response = api.post("/api/v1/auth/token/", {"username": "director", "password": PASSWORD}, format="json")
    assert response.status_code == 400

    api.credentials(HTTP_AUTHORIZATION=f"Token {old_token}")
    assert api.get("/api/v1/org/units/").status_code == 401


def test_malformed_json_is_a_400_with_a_message(api_as, sysadmin):
    """GIVEN a system admin WHEN the body is not JSON THEN 400 with a message, nothing stored."""
    before = Unit.objects.count()
    response = api_as(sysadmin).post("/api/v1/org/units/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert Unit.objects.count() == before


def test_unknown_api_url_is_a_json_404(api_as, person):
    """GIVEN a logged-in caller WHEN the URL does not exist THEN a JSON 404, not an HTML page."""
    response = api_as(person).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_pagination_shape_and_page_size_cap(api_as, person):
    """GIVEN 205 units WHEN listing with page_size=500 THEN at most 200 come back, with
    count/count_exact/next/previous/results."""
    parent = person.unit.parent
    Unit.objects.bulk_create(
        Unit(name=f"单位{i}", code=f"BULK{i}", kind="section", parent=parent, organ=parent) for i in range(205)
    )
    total = Unit.objects.count()

    body = api_as(person).get("/api/v1/org/units/", {"page_size": 500}).json()

    assert set(body) == {"count", "count_exact", "next", "previous", "results"}
    assert body["count"] == total and body["count_exact"] is True
    assert len(body["results"]) == 200
    assert "page=2" in body["next"] and body["previous"] is None


def test_count_above_the_exact_limit_is_flagged_as_a_lower_bound(api_as, person, monkeypatch):
    """GIVEN more visible rows than the exact-count limit WHEN listing THEN count is a lower
    bound and count_exact is false (the limit is lowered here to keep the test small)."""
    monkeypatch.setattr("office.api.pagination.EXACT_COUNT_LIMIT", 3)
    UnitFactory.create_batch(5)

    body = api_as(person).get("/api/v1/org/units/").json()

    assert body["count_exact"] is False
    assert body["count"] == 4  # limit + 1: "more than 3"
    assert EXACT_COUNT_LIMIT == 10_000


def test_openapi_schema_and_docs_are_served_without_a_cdn(client, api_as, person):
    """GIVEN the API WHEN the schema and the docs page are requested THEN the schema lists the
    routes and the docs page loads its assets from our own static files."""
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for route in ("/api/v1/auth/token/", "/api/v1/org/units/", "/api/v1/org/people/", "/api/v1/calendar/due-date/"):
        assert route in paths

    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs
