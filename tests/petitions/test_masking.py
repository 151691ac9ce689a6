"""The 信访人's identity (``selectors.petitioners_of``): clear for the case's handlers — its 信访员,
承办人, the 承办单位's people and the 复查/复核 organ's — masked for everyone else inside the case (a
leader brought in, another of the organ's staff granted it); and search never finds a case by
the 信访人's name, ID number or phone, even when the content names him."""

from __future__ import annotations

import pytest
import time_machine

from office.confidentiality import services as secrecy
from office.org.models import UnitKind
from petitions import selectors, services
from petitions.models import Kind, PetitionCase, PetitionEvent
from tests.factories import UnitFactory, make_person
from tests.petitions.conftest import PETITIONER_ID, PETITIONER_NAME

pytestmark = pytest.mark.django_db

CLEAR = (PETITIONER_NAME, PETITIONER_ID, "13812345678", "临江路8号")
MASKED = ("张**", "3301**********1234", "138****5678", "***")


@pytest.fixture
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def petition(petition_city, new_case):
    """A case of 张大山 (ID, phone and address given), urgent (周副市长 brought in)."""
    spec = services.PetitionerSpec(
        name=PETITIONER_NAME, id_number=PETITIONER_ID, phone="13812345678", address="临江路8号"
    )
    return new_case(
        petitioners=[spec],
        urgent=True,
        content=f"信访人{PETITIONER_NAME}（身份证{PETITIONER_ID}，电话13812345678）反映楼顶漏水。",
    )


def identity(case: PetitionCase, person):
    """What ``person`` reads of the one 信访人, after getting the case through ``visible_to``."""
    case = PetitionCase.objects.visible_to(person.user).get(pk=case.pk)
    (view,) = selectors.petitioners_of(case, person.user)
    return (view.name, view.id_number, view.phone, view.address), view.masked


def test_the_handlers_read_the_identity_and_the_others_inside_read_a_mask(today, petition_city, flow, petition):
    org = petition_city.org
    secrecy.grant(actor=org.registrar.user, record=petition, person=petition_city.bystander, reason="协助")
    case = flow.to(petition, "handling")  # transferred to 城建科, accepted by 赵科员
    for person in (org.registrar, org.intake_colleague, org.bureau_clerk, org.bureau_inspector):
        assert identity(case, person) == (CLEAR, False), person
    for person in (org.leader, petition_city.bystander):
        assert identity(case, person) == (MASKED, True), person
    assert selectors.petitioner_names(case, org.leader.user) == "张**"
    assert selectors.petitioner_names(case, org.bureau_clerk.user) == PETITIONER_NAME


def test_the_reviewing_organs_people_read_it_in_the_review(today, petition_city, flow, petition):
    org = petition_city.org
    case = flow.to(petition, "reviewing")
    assert identity(case, petition_city.city_reviewer) == (CLEAR, False)
    assert identity(case, org.leader) == (CLEAR, False)  # the 复查 organ is the government itself
    case = flow.review(flow.answer(case))  # 复核 by the province
    for person in (petition_city.province_clerk, org.bureau_clerk, org.registrar):
        assert identity(case, person) == (CLEAR, False), person


def test_a_direct_handler_of_another_unit_reads_it(today, petition_city, new_case):
    org = petition_city.org
    case = new_case()
    case = services.case_route(
        actor=org.registrar.user, case=case, route="direct", unit=org.finance, handler=org.finance_clerk
    )
    assert identity(case, org.finance_clerk)[1] is False
    granted = petition_city.bystander
    secrecy.grant(actor=org.registrar.user, record=case, person=granted, reason="协助")
    assert identity(case, granted)[1] is True


def test_search_never_finds_a_case_by_the_petitioners_identity(today, petition_city, petition):
    org = petition_city.org
    for user in (org.registrar.user, org.leader.user):
        assert list(selectors.cases_visible(user=user, text="房屋漏水")) == [petition]
        for term in (PETITIONER_NAME, PETITIONER_ID, "13812345678"):
            assert not selectors.cases_visible(user=user, text=term).exists(), term


def test_no_event_of_the_flow_names_the_petitioner(today, petition_city, flow, petition):
    flow.to(petition, "final")
    comments = " ".join(PetitionEvent.objects.values_list("comment", flat=True))
    assert comments and PETITIONER_NAME not in comments and PETITIONER_ID not in comments


def test_the_reply_letter_is_not_read_outside_the_case(today, petition_city, flow, new_case):
    """GIVEN an accusation of 质量站 handled by 城建科 above it WHEN 城建科 drafts its 答复意见书 THEN
    neither 质量站's 钱站长 (accused) nor a clerk of the bureau outside the case reads the letter,
    which names the 信访人 (the letter is 限定知悉范围 and bars the accused, as the case does); its
    drafter still does."""
    from documents.models import OutgoingDocument

    org = petition_city.org
    case = new_case(kind=Kind.ACCUSATION, accused_unit=org.bureau_subsection, title="检举质量站违规验收")
    case = flow.to(case, "handling")
    document = flow.reply(case).document
    assert PETITIONER_NAME in document.body
    # A colleague in another 科室 of the bureau (its 办公室 runs the letters: it 核稿 and 登记 them).
    planning = UnitFactory(parent=org.bureau, name="规划科", kind=UnitKind.SECTION)
    outsider = make_person(username="pt-out", unit=planning)
    for person in (org.bureau_inspector, outsider):
        assert not OutgoingDocument.objects.visible_to(person.user).filter(pk=document.pk).exists(), person
    assert OutgoingDocument.objects.visible_to(document.drafter.user).filter(pk=document.pk).exists()
