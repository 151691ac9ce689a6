"""主动公开 (``petitions.disclosure.publication``): a 发文 whose 公开属性 is 主动公开 opens one
Publication when it is 核发, with 20 working days to publish; the 保密员 of the organ reviews it
first (a classified one is never cleared), the 政务公开员 publishes it and later repeals it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions.disclosure import selectors
from petitions.disclosure.models import Publication, PublicationState, SecrecyReview
from petitions.disclosure.publication import publication_publish, publication_repeal, publication_review
from tests.factories import make_person
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

ISSUED = date(2026, 3, 9)  # Mon; 20 working days: 10–13 (4), 16–20, 23–27, 30 Mar–3 Apr (19), 清明 off, Tue 7 Apr
DUE = date(2026, 4, 7)
C = SecrecyReview.Conclusion


def travel(day: date):
    return time_machine.travel(at(day), tick=False)


@pytest.fixture
def issued(issue_document):
    def _issued(**extra):
        with travel(ISSUED):
            document = issue_document(**extra)
        return document, Publication.objects.filter(document=document).first()

    return _issued


def clocks(publication, state=DeadlineState.OPEN):
    return [d for d in deadlines_of(publication) if d.state == state]


def review(city, publication, conclusion=C.PUBLIC, person=None):
    with travel(ISSUED):
        return publication_review(
            actor=(person or city.security).user, publication=publication, conclusion=conclusion, note="已审查"
        )


def test_issuing_a_proactive_document_opens_one_publication_with_its_clock(issued, disclosure_city):
    document, publication = issued()
    assert Publication.objects.filter(document=document).count() == 1
    assert (publication.state, publication.organ, publication.made_on) == (
        PublicationState.PENDING,
        disclosure_city.organ,
        ISSUED,
    )
    [clock] = clocks(publication)
    assert (clock.kind_id, clock.start, clock.due_date) == ("publication", ISSUED, DUE)
    assert clock.responsible_unit == document.drafting_unit
    assert publication.due == DUE


@pytest.mark.parametrize("disclosure", ["not_public", "on_request"])
def test_other_disclosure_kinds_open_none(issued, disclosure):
    document, publication = issued(disclosure=disclosure, disclosure_reason="内部事务")
    assert document.state == "issued"
    assert publication is None


def test_only_a_secrecy_officer_of_the_organ_reviews(issued, disclosure_city):
    _, publication = issued()
    other_organ = make_person(
        username="pd-zjbm",
        name="住建保密员",
        unit=disclosure_city.city.org.bureau,
        roles=(Role.SECURITY_OFFICER,),
        clearance=Level.SECRET,
    )
    for person in (disclosure_city.officer, disclosure_city.bystander, other_organ):
        with pytest.raises(PermissionDenied):
            review(disclosure_city, publication, person=person)
    with pytest.raises(ValidationError) as refused, travel(ISSUED):
        publication_review(actor=disclosure_city.security.user, publication=publication, conclusion=C.PUBLIC, note="")
    assert "note" in refused.value.message_dict
    made = review(disclosure_city, publication)
    publication.refresh_from_db()
    assert publication.state == PublicationState.CLEARED
    assert (made.reviewer, made.publication) == (disclosure_city.security, publication)


def test_not_to_be_public_withholds_and_ends_the_clock(issued, disclosure_city):
    _, publication = issued()
    review(disclosure_city, publication, C.NOT_PUBLIC)
    publication.refresh_from_db()
    assert publication.state == PublicationState.WITHHELD
    assert clocks(publication) == [] and clocks(publication, DeadlineState.CANCELLED)
    assert publication.due is None


@pytest.mark.parametrize("conclusion", [C.PUBLIC, C.PARTIAL])
def test_a_classified_document_cannot_be_cleared(issued, disclosure_city, conclusion):
    _, publication = issued(level=Level.CONFIDENTIAL)
    with pytest.raises(ValidationError) as refused:
        review(disclosure_city, publication, conclusion)
    assert "conclusion" in refused.value.message_dict
    publication.refresh_from_db()
    assert publication.state == PublicationState.PENDING
    review(disclosure_city, publication, C.NOT_PUBLIC)


def test_publishing_meets_the_clock_and_enters_the_catalogue(issued, disclosure_city):
    _, publication = issued()
    officer = disclosure_city.officer.user
    with travel(ISSUED), pytest.raises(TransitionNotAllowed):  # not reviewed yet
        publication_publish(actor=officer, publication=publication, on=ISSUED)
    review(disclosure_city, publication)
    with travel(DUE):
        with pytest.raises(PermissionDenied):
            publication_publish(actor=disclosure_city.security.user, publication=publication, on=DUE)
        with pytest.raises(ValidationError):
            publication_publish(actor=officer, publication=publication, on=DUE + timedelta(days=1))
        with pytest.raises(ValidationError):
            publication_publish(actor=officer, publication=publication, on=ISSUED - timedelta(days=1))
        publication = publication_publish(
            actor=officer,
            publication=publication,
            on=DUE,
            url="https://www.example.gov.cn/zwgk/1.html",
            category="normative",
            index_number="000014349/2026-00001",
        )
    assert (publication.state, publication.published_on, publication.published_on_time) == (
        PublicationState.PUBLISHED,
        DUE,
        True,
    )
    assert clocks(publication, DeadlineState.MET)[0].met_on == DUE
    assert list(selectors.catalogue()) == [publication]
    assert publication.category == "normative"


def test_publishing_after_20_working_days_is_late(issued, disclosure_city):
    _, publication = issued()
    review(disclosure_city, publication)
    with travel(DUE + timedelta(days=1)):
        publication = publication_publish(
            actor=disclosure_city.officer.user, publication=publication, on=DUE + timedelta(days=1)
        )
    assert publication.published_on_time is False


def test_repeal_keeps_it_in_the_catalogue_marked(issued, disclosure_city):
    _, publication = issued()
    officer = disclosure_city.officer.user
    review(disclosure_city, publication)
    with travel(ISSUED):
        with pytest.raises(TransitionNotAllowed):
            publication_repeal(actor=officer, publication=publication, on=ISSUED)
        publication = publication_publish(actor=officer, publication=publication, on=ISSUED)
        publication = publication_repeal(actor=officer, publication=publication, on=ISSUED)
    assert (publication.state, publication.repealed_on) == (PublicationState.REPEALED, ISSUED)
    assert list(selectors.catalogue()) == [publication]
