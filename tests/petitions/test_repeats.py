"""Repeats (``selectors.repeat_candidates``, ``services.case_link`` and ``case_merge``): what is
suggested (the same ID number; a similar summary in the same category and area), what a link and
a merge change, and that a case the 信访员 may not see is never suggested nor linkable."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from office.org.models import Role
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions import selectors, services
from petitions.models import CaseState, IssueCategory, Kind, PetitionCase
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def areas(db):
    return OrganFactory(name="测试市东区"), OrganFactory(name="测试市西区")


def someone(name: str, id_number: str = ""):
    return [services.PetitionerSpec(name=name, id_number=id_number)]


def suggested(officer, case) -> list[PetitionCase]:
    return selectors.repeat_candidates(user=officer.user, case=case)


def test_the_same_id_number_and_a_similar_summary_nearby_are_suggested(today, petition_org, areas, new_case):
    east, west = areas
    other_category = IssueCategory.objects.create(name="社会保障", code="social")
    same_person = new_case(title="关于养老金发放的来信", area=west)
    near = new_case(petitioners=someone("李四"), area=east, content="邻居家同样漏水")
    elsewhere = new_case(petitioners=someone("王五"), area=west)
    other_kind = new_case(petitioners=someone("赵六"), area=east, category=other_category)
    unrelated = new_case(petitioners=someone("钱七"), title="关于噪声扰民的来信", area=east)
    case = new_case(area=east)  # 张大山 again, about the leak in the east
    found = suggested(petition_org.registrar, case)
    assert same_person in found and near in found
    assert elsewhere not in found and other_kind not in found and unrelated not in found
    assert case not in found


def test_invisible_and_merged_cases_are_never_suggested_nor_linkable(today, petition_org, new_case):
    """GIVEN 张大山's cases registered in the bureau (another organ), one accusing 李信访 himself, one
    merged WHEN 李信访 looks for repeats of 张大山's new case THEN none of them is suggested, and he
    cannot link the hidden ones."""
    colleague = petition_org.intake_colleague
    bureau_officer = make_person(username="pt-bx", unit=petition_org.bureau, roles=(Role.PETITION_OFFICER,))
    hidden = new_case(actor=bureau_officer.user)
    barred = new_case(kind=Kind.ACCUSATION, accused_person=colleague)
    merged = services.case_merge(
        actor=petition_org.registrar.user, case=new_case(), into=new_case(petitioners=someone("李四"))
    )
    visible = new_case()
    case = new_case()
    found = suggested(colleague, case)
    assert visible in found
    assert hidden not in found and barred not in found and merged not in found
    for original in (hidden, barred):
        with pytest.raises(ValidationError):
            services.case_link(actor=colleague.user, case=case, original=original)
    assert PetitionCase.objects.filter(pk__in=[hidden.pk, barred.pk], repeat_count__gt=0).count() == 0
    assert PetitionCase.objects.get(pk=case.pk).repeat_of is None


def test_a_link_counts_the_repeat_on_the_original(today, petition_org, new_case):
    officer = petition_org.registrar.user
    original = new_case(petitioners=someone("李四"))
    second, third = new_case(petitioners=someone("李四")), new_case(petitioners=someone("李四"))
    assert second.first_time  # no ID number: not told apart at registration
    second = services.case_link(actor=officer, case=second, original=original)
    assert (second.repeat_of, second.first_time) == (original, False)
    third = services.case_link(actor=officer, case=third, original=second)  # a repeat of a repeat: the root
    assert third.repeat_of == original
    original.refresh_from_db()
    assert (original.repeat_count, original.first_time) == (2, True)
    with pytest.raises(TransitionNotAllowed):
        services.case_link(actor=officer, case=third, original=original)
    with pytest.raises(ValidationError):
        services.case_link(actor=officer, case=new_case(), original=None)
    assert selectors.cases_visible(user=officer, filters={"repeat": "1"}).count() == 2


def test_a_merge_ends_the_case_and_cancels_its_clocks(today, petition_org, new_case):
    officer = petition_org.registrar.user
    into = new_case(petitioners=someone("李四"))
    case = services.case_merge(actor=officer, case=new_case(), into=into, reason="同一楼栋")
    assert (case.state, case.merged_into, case.due) == (CaseState.MERGED, into, None)
    assert [d.state for d in deadlines_of(case)] == [DeadlineState.CANCELLED]
    into.refresh_from_db()
    assert into.repeat_count == 1 and into.state == CaseState.REGISTERED
    with pytest.raises(ValidationError):  # nothing merges into a merged case
        services.case_merge(actor=officer, case=new_case(), into=case)


def test_only_the_intake_officers_link_and_merge(today, petition_org, flow, new_case):
    original = new_case()
    case = flow.transfer(new_case())
    with pytest.raises(PermissionDenied):
        services.case_link(actor=petition_org.bureau_clerk.user, case=case, original=original)
    with pytest.raises(TransitionNotAllowed):  # only a case still to route merges
        services.case_merge(actor=petition_org.registrar.user, case=case, into=original)
