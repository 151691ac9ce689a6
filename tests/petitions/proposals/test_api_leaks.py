"""The leak matrix of 建议提案 through the API: the province's 科员 and a person of another organ get a
404 on an item's detail and every action (whatever the body), and find nothing in the list, its
count, its search or the figures; a unit sees an item only once it has a share in it."""

from __future__ import annotations

import pytest

from office.org.models import Role
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/proposals/"
WORD = "加装电梯"
ACTIONS = [
    "assign",
    "adjust-request",
    "adjust-decide",
    "assist-opinion",
    "contact",
    "reply",
    "send",
    "extend",
    "rate",
    "rehandle",
    "close",
]


@pytest.fixture
def stranger(db):
    return make_person(
        username="pp-stranger", name="外单位", unit=OrganFactory(name="外市人民政府"), roles=(Role.SUPERVISOR,)
    )


def test_outsiders_get_404_and_see_nothing(proposal_city, make_proposal, proposal_flow, api_as, stranger):
    proposal = proposal_flow.assign(make_proposal())

    for person in (proposal_city.outsider, stranger):
        api = api_as(person)
        assert api.get(f"{BASE}{proposal.pk}/").status_code == 404
        for path in ACTIONS:
            assert api.post(f"{BASE}{proposal.pk}/{path}/", {}, format="json").status_code == 404, path
        listed = api.get(BASE, {"q": WORD}).json()
        assert listed["count"] == 0 and listed["results"] == []
        assert api.get(BASE).json()["count"] == 0
        total = api.get(f"{BASE}figures/", {"year": proposal_city.session.year}).json()[-1]
        assert total["lead"] == total["assist"] == total["split"] == 0


def test_a_unit_sees_an_item_only_once_assigned_to_it(proposal_city, make_proposal, proposal_flow, api_as):
    proposal = make_proposal()
    clerk = api_as(proposal_city.finance_clerk)
    assert clerk.get(f"{BASE}{proposal.pk}/").status_code == 404
    proposal_flow.assign(proposal)  # 财政局 会办
    detail = clerk.get(f"{BASE}{proposal.pk}/")
    assert detail.status_code == 200
    steps = {offer["step"] for offer in detail.json()["offered"]}
    assert "assist_opinion" in steps and "contact" not in steps and "reply" not in steps
    refused = clerk.post(
        f"{BASE}{proposal.pk}/contact/", {"method": "phone", "on": "2026-01-01", "people": "x", "view": "x"}
    )
    assert refused.status_code in (403, 409)
