"""The 保密 register's API finds the record before it reads the body: an action on a carrier, a
copy or a copy request the caller cannot reach is a 404 whatever is posted, so a bad body never
tells an outsider that the record exists."""

import pytest
from rest_framework.test import APIClient

from office.confidentiality import services
from office.confidentiality.api import CarrierViewSet
from office.confidentiality.api_register import CopyRequestViewSet, CopyViewSet
from office.confidentiality.levels import Level
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

BAD_BODIES = [
    ("{not json", "application/json"),
    ("[" * 1100, "application/json"),
    ("hello", "text/plain"),
]


def detail_post_actions(viewset) -> list[str]:
    return sorted(
        action.url_path for action in viewset.get_extra_actions() if action.detail and "post" in action.mapping
    )


def test_an_outsider_gets_404_from_every_register_action_whatever_the_body(security_officer, register):
    """GIVEN a 秘密 carrier with an issued copy and a pending copy request, in 甲机关
    WHEN a person of another organ, cleared for 绝密, posts a malformed, a too-deep or a non-JSON
    body to every action on the carrier, the copy and the request
    THEN each answer is a 404."""
    carrier = register(security_officer)
    copy = services.copy_issue(actor=security_officer.user, record=carrier, holder_person=security_officer)
    copy_request = services.copy_request_submit(
        actor=security_officer.user, record=carrier, kind="copy", reason="工作需要"
    )
    outsider = make_person(
        username="reg-outsider", unit=UnitFactory(parent=OrganFactory(name="乙机关")), clearance=Level.TOP_SECRET
    )
    client = APIClient()
    client.force_authenticate(user=outsider.user)

    answers = {}
    for base, record, viewset in (
        ("/api/v1/confidentiality/carriers/", carrier, CarrierViewSet),
        ("/api/v1/confidentiality/copies/", copy, CopyViewSet),
        ("/api/v1/confidentiality/copy-requests/", copy_request, CopyRequestViewSet),
    ):
        for action in detail_post_actions(viewset):
            for body, content_type in BAD_BODIES:
                response = client.post(f"{base}{record.pk}/{action}/", data=body, content_type=content_type)
                answers[(base, action, content_type, body[:5])] = response.status_code

    assert len({(base, action) for base, action, *_rest in answers}) == 4 + 4 + 1
    assert set(answers.values()) == {404}, {key: code for key, code in answers.items() if code != 404}


@pytest.mark.parametrize("target", ["abc", "0", "9999-12-31", "https://elsewhere.example/", "//elsewhere.example/"])
def test_a_copy_action_with_a_next_that_is_not_a_path_here_goes_back_to_the_register(
    client, security_officer, register, target
):
    """GIVEN a copy issued to the 保密员 himself
    WHEN he signs for it from a form whose ``next`` is not a path on this site (a word, a date,
    another site)
    THEN the copy is signed and he is sent back to the register, not to ``next`` nor to a 500."""
    carrier = register(security_officer)
    copy = services.copy_issue(actor=security_officer.user, record=carrier, holder_person=security_officer)
    client.force_login(security_officer.user)

    response = client.post(f"/confidentiality/copies/{copy.pk}/sign/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/confidentiality/copies/"
    copy.refresh_from_db()
    assert copy.state == "signed"


@pytest.mark.parametrize(
    ("api_params", "page_params"),
    [({"to": "9999-12-31"}, {"date_to": "9999-12-31"}), ({"from": "0001-01-01"}, {"date_from": "0001-01-01"})],
)
def test_the_access_log_refuses_dates_off_the_calendar(client, security_officer, api_params, page_params):
    """GIVEN the 保密员
    WHEN the access log is filtered up to 9999-12-31 (or from 0001-01-01), on the API, its export
    and the page
    THEN the API and the export answer 400 on the field, the page shows the form's error."""
    api = APIClient()
    api.force_authenticate(user=security_officer.user)
    client.force_login(security_officer.user)

    listed = api.get("/api/v1/confidentiality/access-logs/", api_params)
    exported = api.get("/api/v1/confidentiality/access-logs/export/", api_params)
    page = client.get("/confidentiality/access-log/", page_params)

    for response in (listed, exported):
        assert response.status_code == 400
        assert set(response.json()["errors"]) == set(api_params)
    assert page.status_code == 200
    assert "日期应在 1900-01-01 至 2999-12-31 之间" in page.content.decode()
