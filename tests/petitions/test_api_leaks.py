"""The leak matrix of 信访事项 through the API: a 检举控告 against 住建局 (and 财政局's 吴科长), registered
through the services and then let in every way (承办人, 承办单位, 复查复核机关, grants to each person
and unit). Its accused get nothing anywhere in ``/api/v1/petitions/``: a 404 on the detail, the
repeats and every action (whatever the body), and nothing in the list, its count or its search —
while the same case accusing nobody is open to them, and the 信访科 and the granted leader read
the accusation."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Person
from petitions.models import Kind, PetitionCase
from tests.petitions.test_barred import let_everyone_in

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/cases/"
WORD = "违规验收"  # in the accusation's summary only
ACTIONS = {
    "route": {"route": "direct"},
    "accept": {},
    "object": {"reason": "不属于本单位"},
    "note": {"kind": "other", "on": "2025-03-03", "text": "x"},
    "hearing": {"on": "2025-03-03", "text": "x"},
    "hearing-end": {"on": "2025-03-03"},
    "ask-extension": {"days": 10, "reason": "x"},
    "extend": {"days": 10, "reason": "x"},
    "reply": {"opinion": "reject", "facts": "x", "basis": "x", "series": 1},
    "serve": {"on": "2025-03-03", "method": "post"},
    "review-request": {"on": "2025-03-03", "reviewing_unit": 1, "reason": "x"},
    "rate": {"satisfaction": "satisfied", "on": "2025-03-03"},
    "close": {},
    "archive": {"retention": "10年"},
    "link": {"original": 1},
    "merge": {"into": 1},
    "instruct": {"text": "x"},
}


def as_(person: Person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


@pytest.fixture
def cases(petition_org, new_case) -> dict[str, PetitionCase]:
    accusation = new_case(
        kind=Kind.ACCUSATION,
        title=f"检举住建局质量站{WORD}",
        content="住建局质量站违规出具验收合格意见，财政局吴科长违规拨付资金。",
        accused_unit=petition_org.bureau,
        accused_person=petition_org.finance_official,
    )
    plain = new_case(kind=Kind.CLAIM, title="请求维修房屋")
    return {"accusation": let_everyone_in(petition_org, accusation), "plain": let_everyone_in(petition_org, plain)}


def barred(org) -> list[Person]:
    return [org.bureau_head, org.bureau_clerk, org.bureau_inspector, org.finance_official]


def test_the_accused_get_a_404_on_the_detail_the_repeats_and_every_action(petition_org, cases):
    """GIVEN the accusation let in every way WHEN anyone of 住建局 (its head, 城建科, 质量站) or 吴科长 reads
    it, asks for its repeats or takes any action THEN 404 each time, the case unchanged, and no read
    of it is logged for them."""
    case = cases["accusation"]
    state = case.state
    for person in barred(petition_org):
        client = as_(person)
        assert client.get(f"{BASE}{case.pk}/").status_code == 404, person.name
        assert client.get(f"{BASE}{case.pk}/repeats/").status_code == 404, person.name
        for name, body in ACTIONS.items():
            response = client.post(f"{BASE}{case.pk}/{name}/", body, format="json")
            assert response.status_code == 404, (person.name, name, response.content)
        assert not AuditEvent.objects.filter(
            action=AuditAction.VIEW, actor=person.user, object_id=str(case.pk)
        ).exists()
    assert PetitionCase.objects.get(pk=case.pk).state == state


def test_the_accused_find_nothing_in_the_list_its_count_or_its_search(petition_org, cases):
    """GIVEN the accusation and the plain case, both let in WHEN the accused list, filter by 检举控告 or
    search the accusation's words THEN they find only the plain case: the count says 1, the search
    and the filter nothing."""
    for person in barred(petition_org):
        client = as_(person)
        listed = client.get(BASE).json()
        assert [row["id"] for row in listed["results"]] == [cases["plain"].pk], person.name
        assert listed["count"] == 1
        assert client.get(BASE, {"q": WORD}).json()["count"] == 0, person.name
        assert client.get(BASE, {"kind": "accusation"}).json()["count"] == 0, person.name
        assert WORD not in str(listed)


def test_the_plain_case_is_open_to_them_and_the_accusation_to_its_handlers(petition_org, cases):
    """GIVEN both cases WHEN 城建科's clerk reads the plain one, and the 信访科 and the granted leader read
    the accusation THEN each gets it (200), the search finds it for them, and each read is logged."""
    assert as_(petition_org.bureau_clerk).get(f"{BASE}{cases['plain'].pk}/").status_code == 200
    for person in (petition_org.registrar, petition_org.intake_colleague, petition_org.leader):
        client = as_(person)
        assert client.get(f"{BASE}{cases['accusation'].pk}/").status_code == 200, person.name
        assert [row["id"] for row in client.get(BASE, {"q": WORD}).json()["results"]] == [cases["accusation"].pk]
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW, actor=person.user, object_id=str(cases["accusation"].pk)
        ).exists()


def test_a_case_named_in_a_link_body_is_checked_against_the_callers_reach(petition_org, cases):
    """GIVEN the accusation WHEN 城建科's clerk, who sees the plain case, names the accusation as the
    original of a link or the case to merge into THEN it reads as no such case (400 under the field),
    never as a hint that it exists."""
    client = as_(petition_org.bureau_clerk)
    plain = cases["plain"]
    for name, field in (("link", "original"), ("merge", "into")):
        response = client.post(f"{BASE}{plain.pk}/{name}/", {field: cases["accusation"].pk}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()["errors"]
        assert "检举" not in response.content.decode()
