"""A 检举控告 is barred from whom it accuses (``excluded_person_fields`` / ``excluded_unit_fields``).

The case accuses 住建局 (an organ under the city government) and, personally, 吴科长 of 财政局.
Nobody in 住建局, its 城建科 or the 质量站 under that sees it, nor does 吴科长 — whatever grant
(to them, or to their unit's group), or being named 承办人 / 承办单位 / 复查复核机关, would otherwise
let them in. The 信访科 that registered it sees it, and so does the 副市长 it was granted to. The
same people and grants on a case that accuses nobody prove each way in works.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404

from office.confidentiality import access, services
from office.confidentiality.models import AuditAction, AuditEvent
from office.confidentiality.visibility import declared_q, get_visible_or_404
from office.org.models import Person, User
from petitions.models import Kind, PetitionCase

pytestmark = pytest.mark.django_db

REASON = "工作需要"


def login(person: Person) -> User:
    """The person's login as a new request loads it (nothing cached from an earlier query)."""
    return User.objects.select_related("person__unit").get(pk=person.user_id)


def sees(person: Person, case: PetitionCase) -> bool:
    return PetitionCase.objects.visible_to(login(person)).filter(pk=case.pk).exists()


def let_everyone_in(org, case: PetitionCase) -> PetitionCase:
    """Every way into the case for the bureau's people and the accused: named as 承办人 and
    承办单位 (the 城建科) and 复查复核机关 (the bureau), user grants to each, group grants to their units."""
    case.handler = org.bureau_clerk
    case.handling_unit = org.bureau_section
    case.reviewing_unit = org.bureau
    case.save(update_fields=["handler", "handling_unit", "reviewing_unit"])
    actor = org.registrar.user
    for person in (org.bureau_head, org.bureau_clerk, org.bureau_inspector, org.finance_official, org.leader):
        services.grant(actor=actor, record=case, person=person, reason=REASON)
    for unit in (org.bureau, org.bureau_section, org.bureau_subsection, org.finance):
        services.grant(actor=actor, record=case, unit=unit, reason=REASON)
    case.refresh_from_db()
    return case


@pytest.fixture
def accusation(petition_org, make_petition_case) -> PetitionCase:
    case = make_petition_case(
        kind=Kind.ACCUSATION,
        title="检举住建局违规验收",
        content="住建局质量站违规出具验收合格意见，财政局吴科长违规拨付资金。",
        accused_unit=petition_org.bureau,
        accused_person=petition_org.finance_official,
    )
    return let_everyone_in(petition_org, case)


@pytest.fixture
def unbarred(petition_org, make_petition_case) -> PetitionCase:
    """The same case, let in the same ways, accusing nobody."""
    return let_everyone_in(petition_org, make_petition_case(kind=Kind.CLAIM, title="请求维修房屋"))


def bureau_people(org) -> list[Person]:
    return [org.bureau_head, org.bureau_clerk, org.bureau_inspector]


def everyone() -> list[User]:
    return list(User.objects.filter(person__isnull=False).select_related("person__unit"))


def test_each_way_in_works_on_a_case_that_accuses_nobody(petition_org, unbarred):
    for person in [*bureau_people(petition_org), petition_org.finance_official, petition_org.finance_clerk]:
        assert sees(person, unbarred), person.name


def test_nobody_in_the_accused_bureau_or_a_unit_below_it_sees_the_accusation(petition_org, accusation):
    for person in bureau_people(petition_org):
        user = login(person)
        assert not PetitionCase.objects.visible_to(user).exists(), person.name
        assert not PetitionCase.objects.filter(declared_q(PetitionCase, user)).exists(), person.name


def test_the_accused_person_sees_nothing_though_his_colleague_does(petition_org, accusation):
    # 吴科长 is granted, and so is his unit; only he is accused, so 郑科员 beside him is let in.
    assert not PetitionCase.objects.visible_to(login(petition_org.finance_official)).exists()
    assert sees(petition_org.finance_clerk, accusation)


def test_the_intake_unit_and_the_granted_leader_of_the_government_see_it(petition_org, accusation):
    assert sees(petition_org.registrar, accusation)
    assert sees(petition_org.intake_colleague, accusation)  # through the 信访科, the registering unit
    assert sees(petition_org.leader, accusation)  # the government itself is above the accused bureau


def test_declared_rule_agrees_with_the_stored_keys_for_every_person(petition_org, accusation, unbarred):
    checked = 0
    for user in everyone():
        stored = set(PetitionCase.objects.visible_to(user).values_list("pk", flat=True))
        declared = set(PetitionCase.objects.filter(declared_q(PetitionCase, user)).values_list("pk", flat=True))
        assert stored == declared, (user.username, stored ^ declared)
        checked += len(stored)
    assert checked > 10
    assert access.stale(PetitionCase) == []


def test_the_barred_get_a_404_and_the_miss_is_logged(petition_org, accusation):
    for person in [*bureau_people(petition_org), petition_org.finance_official]:
        with pytest.raises(Http404):
            get_visible_or_404(PetitionCase, login(person), accusation.pk)
        assert AuditEvent.objects.filter(
            action=AuditAction.DENIED, actor=person.user, object_id=str(accusation.pk)
        ).exists(), person.name

    assert get_visible_or_404(PetitionCase, login(petition_org.registrar), accusation.pk) == accusation


def test_changing_the_accused_unit_moves_the_bar(petition_org, accusation):
    # The accusation turns out to be against 财政局, not 住建局.
    accusation.accused_unit = petition_org.finance
    accusation.save(update_fields=["accused_unit"])

    stored = PetitionCase.objects.values_list("barred_keys", flat=True).get(pk=accusation.pk)
    assert set(stored) == {
        access.key(access.UNIT, petition_org.finance.pk),
        access.key(access.PERSON, petition_org.finance_official.pk),
    }
    for person in bureau_people(petition_org):
        assert sees(person, accusation), person.name
    assert not sees(petition_org.finance_clerk, accusation)

    # No unit accused any more: only the accused person stays barred.
    accusation.accused_unit = None
    accusation.save(update_fields=["accused_unit"])
    assert sees(petition_org.finance_clerk, accusation)
    assert not sees(petition_org.finance_official, accusation)
    for user in everyone():
        stored = set(PetitionCase.objects.visible_to(user).values_list("pk", flat=True))
        declared = set(PetitionCase.objects.filter(declared_q(PetitionCase, user)).values_list("pk", flat=True))
        assert stored == declared, user.username


def test_a_bar_written_past_save_is_reported_stale_and_refreshed(petition_org, accusation):
    # An update past ``save`` (a bulk correction, a load by SQL) leaves the stored bar behind.
    PetitionCase.objects.filter(pk=accusation.pk).update(accused_unit=petition_org.finance)
    assert access.stale(PetitionCase) == [accusation.pk]
    with pytest.raises(CommandError, match="stale access keys"):
        call_command("access_keys", stdout=io.StringIO())

    call_command("access_keys", "--fix", stdout=io.StringIO())

    assert access.stale(PetitionCase) == []
    call_command("access_keys", stdout=io.StringIO())  # consistent again: no error
    assert not sees(petition_org.finance_clerk, accusation)
    assert sees(petition_org.bureau_clerk, accusation)


def test_a_bulk_created_accusation_is_barred_once_its_keys_are_filled(petition_org, make_petition_case, accusation):
    # Rows created past ``save`` (bulk_create, as an import does) have neither keys nor bar.
    template = make_petition_case(kind=Kind.ACCUSATION, handler=petition_org.bureau_clerk)
    PetitionCase.objects.filter(pk=template.pk).delete()
    template.pk = None
    template.sequence = 99
    template.accused_unit = petition_org.bureau
    template.barred_keys = []
    (loaded,) = PetitionCase.objects.bulk_create([template])

    access.fill_missing()

    assert access.stale(PetitionCase) == []
    assert not sees(petition_org.bureau_clerk, loaded)
    assert sees(petition_org.registrar, loaded)
