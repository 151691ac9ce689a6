"""The access log is a 保密员's, and only for their own organ."""

import pytest

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db


def test_an_officer_of_another_organ_sees_none_of_its_log(security_officer, register, api_as, client):
    """GIVEN a 机密 carrier of 甲机关 that was read WHEN the 保密员 of 乙机关 opens the log (API and
    page) THEN not one row about it appears, not even its title; 甲机关's officer sees the read."""
    carrier = register(security_officer, level=Level.SECRET, title="甲机关机密件")
    api_as(security_officer).get(f"/api/v1/confidentiality/carriers/{carrier.pk}/")
    other_officer = make_person(
        username="baomi_b",
        unit=UnitFactory(parent=OrganFactory(name="乙机关")),
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(carrier.pk)).exists()

    api_rows = api_as(other_officer).get("/api/v1/confidentiality/access-logs/?page_size=200").json()["results"]
    client.force_login(other_officer.user)
    page = client.get("/confidentiality/access-log/").content.decode()
    own_rows = api_as(security_officer).get("/api/v1/confidentiality/access-logs/?page_size=200").json()["results"]

    assert not [row for row in api_rows if row["object_repr"] == "甲机关机密件"]
    assert "甲机关机密件" not in page
    assert any(row["object_repr"] == "甲机关机密件" and row["action"] == "view" for row in own_rows)
