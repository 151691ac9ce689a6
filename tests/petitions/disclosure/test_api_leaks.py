"""The leak matrix of 政府信息公开 through the API. A request is need-to-know: 冯科员 of the city's
办公室 (above the 政务公开办, but no participant), 住建局's 赵科员 and the province's 黄科员 get a 404 on
its detail and every action (whatever the body), and find nothing in the list, its count or its
search. A 主动公开 not yet published is as invisible to whoever may not read its 公文 (住建局, the
province); once published it is public, but its 保密审查 stays with those who read the 公文. The
年度报告 is a 404 for all but the organ's 政务公开员."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from office.confidentiality.models import AuditAction, AuditEvent
from petitions.disclosure import publication as publishing
from petitions.disclosure.models import DisclosureRequest, Publication

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/disclosure-requests/"
PUBLICATIONS = "/api/v1/petitions/publications/"
REPORT = "/api/v1/petitions/annual-report/"
WORD = "拆迁安置"  # in the request's description only
TODAY = str(timezone.localdate())
ACTIONS = {
    "confirm": {"on": TODAY},
    "correct": {"items": "x", "until": "2999-01-01"},
    "receive-correction": {"on": TODAY},
    "abandon": {},
    "consult": {"party": "organ", "name": "x", "sent_on": TODAY},
    "opinion": {"consultation": 1, "on": TODAY, "opinion": "x"},
    "extend": {"days": 5, "reason": "x"},
    "ask-review": {"reviewer": 1},
    "secrecy-review": {"conclusion": "public", "note": "x"},
    "fee": {"notice_on": TODAY},
    "abnormal": {"note": "x"},
    "answer": {"answer_type": "granted", "text": "x", "series": 1},
    "deliver": {"on": TODAY, "method": "email"},
    "close": {},
    "outcome": {"review": "upheld"},
}
PUBLICATION_ACTIONS = {
    "review": {"conclusion": "public", "note": "x"},
    "publish": {"on": TODAY},
    "repeal": {"on": TODAY},
}


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def outsiders(city) -> list:
    return [city.bystander, city.bureau_clerk, city.outsider]


@pytest.fixture
def request_record(disclosure_flow) -> DisclosureRequest:
    return disclosure_flow.register(description=f"城东片区{WORD}补偿标准")


def test_outsiders_get_a_404_on_the_detail_and_every_action(disclosure_city, request_record):
    """GIVEN a request WHEN 冯科员, 赵科员 or 黄科员 reads it or takes any step THEN 404 each time, the
    request unchanged and no read of it logged for them."""
    before = DisclosureRequest.objects.values().get(pk=request_record.pk)
    for person in outsiders(disclosure_city):
        client = as_(person)
        assert client.get(f"{BASE}{request_record.pk}/").status_code == 404, person.name
        for name, body in ACTIONS.items():
            response = client.post(f"{BASE}{request_record.pk}/{name}/", body, format="json")
            assert response.status_code == 404, (person.name, name, response.content)
        assert not AuditEvent.objects.filter(
            action=AuditAction.VIEW, actor=person.user, object_id=str(request_record.pk)
        ).exists()
    assert DisclosureRequest.objects.values().get(pk=request_record.pk) == before


def test_outsiders_find_nothing_in_the_list_its_count_or_its_search(disclosure_city, request_record):
    """GIVEN the request WHEN the outsiders list, filter or search its words THEN the count is 0 and the
    applicant's name appears nowhere; the officer and the head (公开工作机构负责人) find it."""
    for person in outsiders(disclosure_city):
        client = as_(person)
        listed = client.get(BASE).json()
        assert listed["count"] == 0 and listed["results"] == [], person.name
        assert client.get(BASE, {"q": WORD}).json()["count"] == 0
        assert client.get(BASE, {"state": "handling"}).json()["count"] == 0
        assert "陈申请" not in str(listed)
    for person in (disclosure_city.officer, disclosure_city.head):
        found = as_(person).get(BASE, {"q": WORD}).json()
        assert [row["id"] for row in found["results"]] == [request_record.pk], person.name
        assert found["results"][0]["applicant_name"] == "陈申请"


def test_the_already_public_search_names_no_document_the_caller_cannot_read(disclosure_city, issue_document):
    """GIVEN a 主动公开 通知 核发 to 财政局 only WHEN 住建局's clerk and the province search its words THEN
    nothing is found; the officer finds it."""
    document = issue_document()
    for person in (disclosure_city.bureau_clerk, disclosure_city.outsider):
        response = as_(person).get(f"{BASE}already-public/", {"q": "旧城改造"})
        assert response.status_code == 200 and response.json() == [], person.name
    found = as_(disclosure_city.officer).get(f"{BASE}already-public/", {"q": "旧城改造"}).json()
    assert [row["id"] for row in found] == [document.pk]


def test_an_unpublished_publication_is_invisible_to_those_who_cannot_read_its_document(disclosure_city, issue_document):
    """GIVEN a 主动公开 待保密审查 WHEN 住建局's clerk or the province read it, list it or take a step THEN
    404 and absent (count 0), not in the feed, the publication unchanged; the 保密员 sees it."""
    found = Publication.objects.get(document=issue_document())
    for person in (disclosure_city.bureau_clerk, disclosure_city.outsider):
        client = as_(person)
        assert client.get(f"{PUBLICATIONS}{found.pk}/").status_code == 404, person.name
        for name, body in PUBLICATION_ACTIONS.items():
            response = client.post(f"{PUBLICATIONS}{found.pk}/{name}/", body, format="json")
            assert response.status_code == 404, (person.name, name, response.content)
        listed = client.get(PUBLICATIONS).json()
        assert listed["count"] == 0 and listed["results"] == []
        assert client.get(f"{PUBLICATIONS}feed/").json()["count"] == 0
    assert Publication.objects.get(pk=found.pk).state == "pending"
    assert as_(disclosure_city.security).get(f"{PUBLICATIONS}{found.pk}/").status_code == 200


def test_a_published_publication_is_public_but_its_review_is_not(disclosure_city, issue_document):
    """GIVEN a 主动公开 reviewed and published WHEN 住建局's clerk reads it THEN it is there (list and
    detail) with no 保密审查 and no clock and no step offered; the 保密员 sees the review."""
    found = Publication.objects.get(document=issue_document())
    publishing.publication_review(
        actor=disclosure_city.security.user, publication=found, conclusion="partial", note="删除第三段后公开"
    )
    found = Publication.objects.get(pk=found.pk)
    publishing.publication_publish(actor=disclosure_city.officer.user, publication=found, on=timezone.localdate())

    client = as_(disclosure_city.bureau_clerk)
    detail = client.get(f"{PUBLICATIONS}{found.pk}/").json()
    assert detail["state"] == "published"
    assert detail["secrecy_reviews"] == [] and detail["clocks"] == [] and detail["offered"] == []
    assert "删除第三段" not in str(detail)
    assert [row["id"] for row in client.get(PUBLICATIONS).json()["results"]] == [found.pk]
    reviewer = as_(disclosure_city.security).get(f"{PUBLICATIONS}{found.pk}/").json()
    assert [r["note"] for r in reviewer["secrecy_reviews"]] == ["删除第三段后公开"]


def test_the_annual_report_is_a_404_for_all_but_the_officer(disclosure_city, request_record):
    """GIVEN a request of this year WHEN the bystander, 住建局's clerk, the province or the 保密员 ask for the
    city's 年度报告 (by organ, or their own) THEN 404; the officer gets it."""
    year = timezone.localdate().year
    organ = disclosure_city.organ.pk
    for person in (*outsiders(disclosure_city), disclosure_city.security):
        client = as_(person)
        assert client.get(REPORT, {"year": year, "organ": organ}).status_code == 404, person.name
        assert client.get(REPORT, {"year": year}).status_code == 404, person.name
    assert as_(disclosure_city.officer).get(REPORT, {"year": year, "organ": organ}).status_code == 200
