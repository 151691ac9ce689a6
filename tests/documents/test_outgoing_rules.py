"""发文 rules decided once (issue 13 §3): one issuing office for service, page and 待核稿; the
drafter never 核稿s her own draft; the 办公室主任 gets the 核稿 buttons where the service accepts
him; 送核稿 may name the 核稿人.

The office, its people and ``make_document`` / ``walk`` come from ``conftest.py``; a second series
is run by the 秘书科 (as the demo's are), so that the 办公室主任 is in the unit above its office.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from documents.models import DocumentSeries, DocumentState, OutgoingDocument
from documents.outgoing import selectors, services
from documents.outgoing.rules import OUTGOING
from office.org.models import Role
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from tests.factories import make_person

S = DocumentState


def detail_html(client, person, document) -> str:
    client.force_login(person.user)
    return client.get(f"/documents/outgoing/{document.pk}/").content.decode()


@pytest.fixture
def section_series(office):
    """临府办发-like: issued in the 办公室's name, its 核稿 to 核发 run by the 秘书科."""
    return DocumentSeries.objects.create(
        organ=office.office, office=office.secretariat, code="测办函", issuer_name="测试办公室"
    )


@pytest.fixture
def people(office):
    """Everyone who might act on 核稿: the office's, a 文秘 of the 办公室 itself, the bureau's."""
    office_clerk = make_person(username="doc-office-clerk", name="冯文秘", unit=office.office, roles=(Role.SECRETARY,))
    section_clerk = make_person(
        username="doc-section-clerk", name="蒋文秘", unit=office.secretariat, roles=(Role.SECRETARY,)
    )
    bureau_chief = make_person(
        username="doc-bureau-chief", name="褚主任", unit=office.bureau, roles=(Role.OFFICE_CHIEF,)
    )
    return [
        office.drafter,
        office.clerk,
        office.director,
        office.deputy,
        office.countersign_head,
        office_clerk,
        section_clerk,
        bureau_chief,
    ]


def test_the_review_queue_holds_exactly_what_the_service_lets_each_person_review(
    office, make_document, walk, section_series, people
):
    """GIVEN drafts in 核稿 of a series run by the 办公室 and of one run by its 秘书科, one drafted
    by a 文秘 WHEN each person's 待核稿 is read THEN a document is in it exactly when the service
    lets that person 核稿 it (a 文秘 of the 办公室 does not review the 秘书科's series)."""
    documents = [
        walk(make_document(), S.REVIEW),
        walk(make_document(series=section_series), S.REVIEW),
        walk(make_document(series=section_series, actor=office.clerk.user), S.REVIEW),
    ]

    disagreements = []
    for person in people:
        queue = set(selectors.outgoing_inbox(user=person.user)["review"].values_list("pk", flat=True))
        for document in documents:
            fresh = OutgoingDocument.objects.get(pk=document.pk)
            if (fresh.pk in queue) != OUTGOING.allows(person.user, fresh, "review"):
                disagreements.append((person.name, fresh.series.code, fresh.drafter.name))

    assert disagreements == []


def test_the_office_chief_gets_the_review_buttons_for_the_sections_series(
    client, office, make_document, walk, section_series
):
    """GIVEN a draft in 核稿 of the series the 秘书科 runs WHEN the 办公室主任 (head of the 办公室
    above it) opens it from his 待核稿 THEN the page offers 核稿, and passing it moves it on."""
    document = walk(make_document(series=section_series), S.REVIEW)
    inbox = selectors.outgoing_inbox(user=office.director.user)["review"]
    assert document in inbox

    html = detail_html(client, office.director, document)
    assert 'data-testid="action-review"' in html

    response = client.post(
        f"/documents/outgoing/{document.pk}/review/", {"review-decision": "approve", "review-comment": ""}
    )
    assert response.status_code == 302
    assert OutgoingDocument.objects.get(pk=document.pk).state == S.SIGNOFF


def test_the_drafter_cannot_review_her_own_draft(client, office, make_document, walk):
    """GIVEN a draft by the 文秘, sent to 核稿 WHEN she opens it and tries to pass it THEN no 核稿
    button is offered and the service refuses, saying why; the 办公室主任 may."""
    document = walk(make_document(actor=office.clerk.user), S.REVIEW)

    html = detail_html(client, office.clerk, document)
    assert 'data-testid="action-review"' not in html
    assert 'data-testid="action-withdraw"' in html
    with pytest.raises(PermissionDenied, match="拟稿人不能核自己起草的公文"):
        services.outgoing_review(actor=office.clerk.user, document=document, approve=True)
    assert document not in selectors.outgoing_inbox(user=office.clerk.user)["review"]

    services.outgoing_review(actor=office.director.user, document=document, approve=True)
    assert OutgoingDocument.objects.get(pk=document.pk).state == S.SIGNOFF


def test_a_named_reviewer_alone_reviews_and_his_deadline_names_him(client, office, make_document):
    """GIVEN a draft WHEN the drafter sends it to 核稿 from the page naming the 文秘 THEN the open
    deadline is the 文秘's, only he is offered and accepted for 核稿 (the 办公室主任 is refused,
    told who it is), and his 待核稿 holds it while the 办公室主任's does not."""
    document = make_document()
    client.force_login(office.drafter.user)
    response = client.post(
        f"/documents/outgoing/{document.pk}/submit/", {"submit-reviewer": office.clerk.pk, "submit-comment": "请审核"}
    )
    assert response.status_code == 302
    document = OutgoingDocument.objects.get(pk=document.pk)
    assert (document.state, document.reviewer) == (S.REVIEW, office.clerk)

    deadline = next(d for d in deadlines_of(document) if d.state == DeadlineState.OPEN)
    assert deadline.responsible_person == office.clerk
    assert "review" in OUTGOING.offered(office.clerk.user, document)
    assert "review" not in OUTGOING.offered(office.director.user, document)
    assert document in selectors.outgoing_inbox(user=office.clerk.user)["review"]
    assert document not in selectors.outgoing_inbox(user=office.director.user)["review"]
    with pytest.raises(PermissionDenied, match="本件指定由王文秘核稿"):
        services.outgoing_review(actor=office.director.user, document=document, approve=True)

    services.outgoing_review(actor=office.clerk.user, document=document, approve=True)
    assert OutgoingDocument.objects.get(pk=document.pk).state == S.SIGNOFF


def test_the_api_names_the_reviewer_and_refuses_one_who_could_not_review(office, make_document):
    """GIVEN two drafts WHEN the drafter submits one through the API naming a leader outside the
    office staff THEN 400 on ``reviewer`` and it stays a draft; naming the 办公室主任 THEN 200 and
    the detail shows him as 核稿人."""
    client = APIClient()
    client.force_authenticate(user=office.drafter.user)
    refused_draft, named_draft = make_document(), make_document()

    refused = client.post(
        f"/api/v1/documents/outgoing/{refused_draft.pk}/submit/", {"reviewer": office.deputy.pk}, format="json"
    )
    named = client.post(
        f"/api/v1/documents/outgoing/{named_draft.pk}/submit/", {"reviewer": office.director.pk}, format="json"
    )

    assert refused.status_code == 400, refused.content
    assert "reviewer" in refused.json()["errors"]
    assert OutgoingDocument.objects.get(pk=refused_draft.pk).state == S.DRAFT
    assert named.status_code == 200, named.content
    assert (named.json()["reviewer"], named.json()["reviewer_name"]) == (office.director.pk, "赵主任")
