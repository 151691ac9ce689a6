"""A visible list costs the same number of queries however many rows and grants there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db


def _grow(registrar, reader, n):
    for i in range(n):
        carrier = services.carrier_register(
            actor=registrar.user, title=f"件{i}", unit=registrar.unit, level=Level.CONFIDENTIAL, basis="范围"
        )
        services.grant(actor=registrar.user, record=carrier, person=reader, reason="工作需要")
        services.grant(actor=registrar.user, record=carrier, unit=UnitFactory(), reason="工作需要")


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_visible_queryset_is_one_query_whatever_the_grants(security_officer):
    """GIVEN 3 then 30 granted records WHEN the reader's visible set is listed THEN one query each time."""
    from office.confidentiality.access import person_keys

    reader = make_person(username="reader", clearance=Level.SECRET)
    fresh = lambda: type(reader.user).objects.select_related("person__unit").get(pk=reader.user.pk)  # noqa: E731

    _grow(security_officer, reader, 3)
    user = fresh()
    person_keys(Carrier, user.person)  # the person's keys, resolved once per request
    small = _queries(lambda: list(Carrier.objects.visible_to(user)))
    _grow(security_officer, reader, 27)
    user = fresh()
    person_keys(Carrier, user.person)
    large = _queries(lambda: list(Carrier.objects.visible_to(user)))

    assert len(Carrier.objects.visible_to(user)) == 30
    assert small == large == 1


def test_api_list_queries_do_not_grow_with_rows(security_officer, api_as):
    """GIVEN 5 then 50 granted carriers WHEN the reader lists them through the API THEN the same number of queries."""
    reader = make_person(username="reader", clearance=Level.SECRET)
    client = api_as(reader)
    _grow(security_officer, reader, 5)
    client.get("/api/v1/confidentiality/carriers/")  # the person's keys are resolved once, then kept for the login
    small = _queries(lambda: client.get("/api/v1/confidentiality/carriers/?page_size=200"))
    _grow(security_officer, reader, 45)
    large = _queries(lambda: client.get("/api/v1/confidentiality/carriers/?page_size=200"))
    assert client.get("/api/v1/confidentiality/carriers/").json()["count"] == 50
    assert small == large
