"""Offered ⇔ accepted for ``rules.REQUEST`` and ``rules.PUBLICATION``: for a request (and a
publication) in every state, built through the services, every person of ``disclosure_city`` and
every step, the step is offered exactly when the service takes it (each attempt in a savepoint
rolled back; ``tests.workflow.harness``) — and the request's page shows exactly the offered forms
(and nothing, as a 404, to whom it does not concern)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from documents.models import OutgoingDocument
from office.confidentiality.levels import Level
from office.org.models import Role
from petitions.disclosure import publication as publishing
from petitions.disclosure import services
from petitions.disclosure.models import DisclosureRequest, Publication, PublicationState, RequestState
from petitions.disclosure.rules import PUBLICATION, REQUEST
from tests.factories import make_person
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)


@pytest.fixture
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(disclosure_city):
    """The officer, the head, the 保密员 (the reviewer asked), another 保密员, a bystander, two outsiders."""
    city = disclosure_city
    other_security = make_person(
        username="pd-bm2",
        name="另一保密员",
        unit=city.security.unit,
        roles=(Role.SECURITY_OFFICER,),
        clearance=Level.SECRET,
    )
    return [
        p.user for p in (city.officer, city.head, city.security, other_security, city.bystander, city.bureau_clerk)
    ] + [city.outsider.user]


def attempt_for(city):
    def attempt(step: str, user, record: DisclosureRequest) -> None:
        day = timezone.localdate()
        if step == "confirm":
            services.request_confirm(actor=user, request=record, on=day)
        elif step == "correct":
            services.request_correct(
                actor=user, request=record, items="请写明文号", until=day + timedelta(days=10), on=day
            )
        elif step == "receive_correction":
            services.request_receive_correction(actor=user, request=record, on=day)
        elif step == "abandon":
            services.request_abandon(actor=user, request=record)
        elif step == "consult":
            services.request_consult(actor=user, request=record, party="third_party", name="某公司", sent_on=day)
        elif step == "opinion":
            consultation = record.consultations.filter(answered_on__isnull=True).first()
            services.request_opinion(
                actor=user, request=record, consultation=consultation, on=day, opinion="同意", agrees=True
            )
        elif step == "extend":
            services.request_extend(actor=user, request=record, days=5, reason="需要检索档案")
        elif step == "ask_review":
            services.request_ask_review(actor=user, request=record, reviewer=city.security)
        elif step == "secrecy_review":
            services.request_secrecy_review(actor=user, request=record, conclusion="public", note="可以公开")
        elif step == "fee":
            if record.fee_notice_on:
                # paid in time (on the last day at the latest), recorded today
                services.request_fee(actor=user, request=record, paid_on=min(day, record.fee_until))
            else:
                services.request_fee(actor=user, request=record, mode="per_item", amount=10, notice_on=day)
        elif step == "abnormal":
            services.request_abnormal(actor=user, request=record, note="一年内申请300余件")
        elif step == "answer":
            services.request_answer(
                actor=user, request=record, answer_type="granted", text="予以公开", series=city.letter_series
            )
        elif step == "deliver":
            services.request_deliver(actor=user, request=record, on=day, method="email")
        elif step == "close":
            services.request_close(actor=user, request=record)
        elif step == "outcome":
            services.request_outcome(actor=user, request=record, review="upheld")
        else:  # a step added to the machine needs its attempt here
            raise AssertionError(step)

    return attempt


def requests_in_every_state(city, sign_letter) -> dict[str, DisclosureRequest]:
    officer, day = city.officer.user, TODAY

    def new(**overrides) -> DisclosureRequest:
        arguments = {
            "actor": officer,
            "applicant_kind": "person",
            "applicant_name": "陈申请",
            "description": "城东片区征收补偿方案",
            "medium": "electronic",
            "delivery": "email",
            "channel": "in_person",
            "arrived_on": day,
        }
        return services.request_register(**{**arguments, **overrides})

    def answered(record):
        record = services.request_answer(
            actor=officer, request=record, answer_type="granted", text="予以公开", series=city.letter_series
        )
        sign_letter(record.document)
        return record

    found = {"received": new(channel="online"), "handling": new()}
    correcting = new()
    found["correcting"] = services.request_correct(
        actor=officer, request=correcting, items="请写明文号", until=day + timedelta(days=10), on=day
    )

    def lapsed() -> DisclosureRequest:
        """补正 asked, its period past (set in the past: no 补正 came)."""
        record = new()
        services.request_correct(
            actor=officer, request=record, items="请写明文号", until=day + timedelta(days=10), on=day
        )
        DisclosureRequest.objects.filter(pk=record.pk).update(correction_until=day - timedelta(days=1))
        return DisclosureRequest.objects.get(pk=record.pk)

    found["lapsed"] = lapsed()
    consulting = new()
    services.request_consult(actor=officer, request=consulting, party="third_party", name="某公司", sent_on=day)
    found["consulting"] = consulting
    found["extended"] = services.request_extend(actor=city.head.user, request=new(), days=5, reason="需要检索档案")
    secret = OutgoingDocument.objects.create(
        series=city.letter_series,
        title="关于征收补偿的内部意见",
        kind="letter",
        drafter=city.officer,
        drafting_unit=city.unit,
        state="issued",
        disclosure="not_public",
    )
    found["needs_review"] = new(requested_documents=[secret])
    found["in_review"] = services.request_ask_review(
        actor=officer, request=new(requested_documents=[secret]), reviewer=city.security
    )
    noticed = new()
    found["fee_noticed"] = services.request_fee(
        actor=officer, request=noticed, mode="per_item", amount=10, notice_on=day
    )
    with time_machine.travel("2026-01-06 10:00 +0800", tick=False):  # noticed in January: long unpaid
        unpaid = new(arrived_on=date(2026, 1, 6))
        found["fee_lapsed"] = services.request_fee(
            actor=officer, request=unpaid, mode="per_item", amount=10, notice_on=date(2026, 1, 6)
        )
    found["abnormal"] = services.request_abnormal(actor=officer, request=new(), note="一年内申请300余件")
    found["drafted"] = services.request_answer(
        actor=officer, request=new(), answer_type="granted", text="予以公开", series=city.letter_series
    )
    found["signed"] = answered(new())
    found["answered"] = services.request_deliver(actor=officer, request=answered(new()), on=day, method="email")
    closed = services.request_deliver(actor=officer, request=answered(new()), on=day, method="email")
    found["closed"] = services.request_close(actor=officer, request=closed)
    found["abandoned"] = services.request_abandon(actor=officer, request=lapsed())
    return {name: DisclosureRequest.objects.get(pk=record.pk) for name, record in found.items()}


def test_every_request_step_is_offered_exactly_when_the_service_takes_it(
    today, client, disclosure_city, sign_letter, people
):
    """GIVEN requests in every state — online and unconfirmed, in hand (plain, in 补正, 补正 lapsed, with
    an open consultation, extended, asking for a 不予公开 公文 before and during its 保密审查, with a fee
    noticed and one lapsed, abnormal, with an unsigned and a signed 告知书), answered, closed and given up
    — WHEN each person tries each step THEN what is offered is what the service takes, and the page
    shows exactly those forms (a 404 to whom the request does not concern)."""
    records = requests_in_every_state(disclosure_city, sign_letter)
    assert {r.state for r in records.values()} == set(RequestState.values)
    assert mismatches(REQUEST, list(records.values()), people, attempt_for(disclosure_city)) == []

    for record in records.values():
        for user in people:
            offered = set(REQUEST.offered(user, DisclosureRequest.objects.get(pk=record.pk)))
            client.force_login(user)
            response = client.get(f"/petitions/disclosure/{record.pk}/")
            if response.status_code == 404:
                assert offered == set(), (record.state, user.username)
                continue
            shown = set(re.findall(r'data-testid="action-([a-z_]+)"', response.content.decode()))
            assert shown == offered, (record.state, user.username)


def publication_attempt(step: str, user, record: Publication) -> None:
    day = timezone.localdate()
    if step == "review":
        publishing.publication_review(actor=user, publication=record, conclusion="public", note="不涉密")
    elif step == "publish":
        publishing.publication_publish(actor=user, publication=record, on=day)
    elif step == "repeal":
        publishing.publication_repeal(actor=user, publication=record, on=day)
    else:
        raise AssertionError(step)


def publications_in_every_state(city) -> list[Publication]:
    """One publication per state, through the publication services from a pending one (opened as the
    hook does: the document's organ, made today)."""
    security, officer, day = city.security.user, city.officer.user, TODAY

    def review(publication: Publication, conclusion: str = "public", note: str = "不涉密") -> Publication:
        publishing.publication_review(actor=security, publication=publication, conclusion=conclusion, note=note)
        return Publication.objects.get(pk=publication.pk)

    def pending(title: str) -> Publication:
        document = OutgoingDocument.objects.create(
            series=city.letter_series,
            title=title,
            kind="letter",
            drafter=city.officer,
            drafting_unit=city.unit,
            state="issued",
            disclosure="proactive",
        )
        return Publication.objects.create(document=document, organ=city.organ, made_on=day)

    cleared = review(pending("二"))
    withheld = review(pending("三"), "not_public", "涉及个人信息")
    published = publishing.publication_publish(actor=officer, publication=review(pending("四")), on=day)
    repealed = publishing.publication_publish(actor=officer, publication=review(pending("五")), on=day)
    repealed = publishing.publication_repeal(actor=officer, publication=repealed, on=day)
    return [Publication.objects.get(pk=p.pk) for p in (pending("一"), cleared, withheld, published, repealed)]


def test_every_publication_step_is_offered_exactly_when_the_service_takes_it(today, client, disclosure_city, people):
    """GIVEN publications pending, cleared, withheld, published and repealed WHEN each person tries to
    review, publish and repeal THEN what is offered is what the service takes, and the work list shows
    each row's forms exactly as offered."""
    records = publications_in_every_state(disclosure_city)
    assert {p.state for p in records} == set(PublicationState.values)
    assert mismatches(PUBLICATION, records, people, publication_attempt) == []

    for user in people:
        client.force_login(user)
        for record in records:
            offered = set(PUBLICATION.offered(user, record))
            if record.state not in (PublicationState.PENDING, PublicationState.CLEARED, PublicationState.PUBLISHED):
                assert offered == set()
                continue
            response = client.get("/petitions/disclosure/publications/", {"tab": record.state})
            if response.status_code == 403:
                assert offered == set(), (record.state, user.username)
                continue
            text = response.content.decode()
            block = re.search(rf'data-pk="{record.pk}">(.*?)</section>', text, re.S)
            shown = set(re.findall(r'data-testid="publication-action-([a-z]+)"', block.group(1))) if block else set()
            assert shown == offered, (record.state, user.username)
