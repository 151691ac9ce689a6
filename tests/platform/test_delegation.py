"""委托: a leader names a delegate for a period and kinds of work; the delegate is offered — and
the service accepts — the leader's steps on records the delegate may see, the 流转记录 names both,
and after 撤销 (or outside the period, or on a record closed to the delegate) nothing is offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.models import DocumentState, OutgoingDocument, Transition
from documents.outgoing import services as outgoing
from documents.outgoing.rules import OUTGOING
from office.desk import providers, services
from office.org.models import Person
from tests.workflow.harness import demo_office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}


def _fresh(person: Person):
    """The delegate as a new request would load him (委托 are read once per person object)."""
    return Person.objects.select_related("user", "unit").get(pk=person.pk).user


def _waiting_for_mayor(people) -> OutgoingDocument:
    mayor = people["director"].user
    document = next(
        (d for d in OutgoingDocument.objects.filter(state=DocumentState.SIGNOFF) if OUTGOING.allows(mayor, d, "sign")),
        None,
    )
    assert document is not None, "the demo office has a 发文 waiting for the 市长's 签发"
    return document


def test_the_delegate_signs_for_the_leader_and_the_record_names_both(people):
    mayor, secretary = people["director"], people["ms_chief"]
    document = _waiting_for_mayor(people)
    assert document.classification <= secretary.clearance
    assert not OUTGOING.allows(_fresh(secretary), document, "sign")
    today = timezone.localdate()
    services.delegation_create(
        actor=mayor.user, delegate=secretary, starts_on=today, ends_on=today + timedelta(days=7), flows=["outgoing"]
    )
    user = _fresh(secretary)
    assert "sign" in OUTGOING.offered(user, document)
    on_desk = [i for i in providers.waiting(user) if i.record.pk == document.pk and i.section == "signoff"]
    assert on_desk and on_desk[0].on_behalf_of == mayor.name
    outgoing.outgoing_sign(actor=user, document=document, approve=True, opinion="同意。")
    row = Transition.objects.filter(document=document).latest("id")
    assert row.actor_id == secretary.user_id
    assert row.actor_name == f"{secretary.name}（代{mayor.name}）"
    document.refresh_from_db()
    assert document.signed_by_id == mayor.pk


def test_revoked_or_other_kinds_or_closed_records_offer_nothing(people):
    mayor, secretary = people["director"], people["ms_chief"]
    document = _waiting_for_mayor(people)
    today = timezone.localdate()
    only_incoming = services.delegation_create(
        actor=mayor.user, delegate=secretary, starts_on=today, ends_on=today, flows=["incoming"]
    )
    assert not OUTGOING.allows(_fresh(secretary), document, "sign")
    everything = services.delegation_create(actor=mayor.user, delegate=secretary, starts_on=today, ends_on=today)
    assert OUTGOING.allows(_fresh(secretary), document, "sign")
    services.delegation_revoke(actor=mayor.user, delegation=everything)
    assert not OUTGOING.allows(_fresh(secretary), document, "sign")
    with pytest.raises(PermissionDenied):
        services.delegation_revoke(actor=secretary.user, delegation=only_incoming)
    # A record above the delegate's clearance stays closed to him, 委托 or not.
    services.delegation_create(actor=mayor.user, delegate=people["ms_clerk2"], starts_on=today, ends_on=today)
    clerk2 = _fresh(people["ms_clerk2"])
    above = [
        d
        for d in OutgoingDocument.objects.filter(state=DocumentState.SIGNOFF)
        if d.classification > clerk2.person.clearance
    ]
    for closed in above:
        assert not OUTGOING.allows(clerk2, closed, "sign")
    assert all(item.classification <= clerk2.person.clearance for item in providers.waiting(clerk2))


def test_who_may_delegate_to_whom_and_for_how_long(people):
    mayor, today = people["director"], timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            actor=people["clerk"].user, delegate=people["ms_clerk2"], starts_on=today, ends_on=today
        )
    for delegate, start, end, field in (
        (mayor, today, today, "delegate"),
        (people["swj_office"], today, today, "delegate"),  # another organ
        (people["ms_chief"], today - timedelta(days=1), today, "starts_on"),
        (people["ms_chief"], today, today - timedelta(days=1), "ends_on"),
        (people["ms_chief"], today, today + timedelta(days=400), "ends_on"),
    ):
        with pytest.raises(ValidationError) as error:
            services.delegation_create(actor=mayor.user, delegate=delegate, starts_on=start, ends_on=end)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        services.delegation_create(
            actor=mayor.user, delegate=people["ms_chief"], starts_on=today, ends_on=today, flows=["nonsense"]
        )


def test_the_delegations_page(people, client):
    client.force_login(people["director"].user)
    today = timezone.localdate().isoformat()
    page = client.post(
        "/desk/delegations/",
        {"delegate": people["ms_chief"].pk, "starts_on": today, "ends_on": today, "flows": ["outgoing"]},
    )
    assert page.status_code == 302
    listing = client.get("/desk/delegations/").content.decode()
    assert people["ms_chief"].name in listing and 'data-testid="delegation-revoke"' in listing
    bad = client.post(
        "/desk/delegations/", {"delegate": people["ms_chief"].pk, "starts_on": today, "ends_on": "2020-01-01"}
    )
    assert bad.status_code == 400 and "截止日不能早于起始日" in bad.content.decode()
    client.force_login(people["clerk"].user)
    assert client.post("/desk/delegations/", {"delegate": people["ms_chief"].pk}).status_code == 403
    other = client.post("/desk/delegations/1/revoke/")
    assert other.status_code == 404


def test_a_delegate_is_not_given_the_principals_reading(people):
    from office.desk.providers import READ

    mayor, secretary, today = people["director"], people["ms_chief"], timezone.localdate()
    services.delegation_create(actor=mayor.user, delegate=secretary, starts_on=today, ends_on=today)
    assert all(item.tab != READ for item in providers.delegated(_fresh(secretary)))
