"""A copy held by a unit reaches the people of that unit and of the units below it — within its organ:
the staff of a bureau (an organ of its own under the government) do not hold the government's copies."""

import pytest
from django.core.exceptions import PermissionDenied

from office.confidentiality import selectors, services
from office.confidentiality.levels import Level
from tests.factories import OrganFactory, UnitFactory, make_person


def test_a_unit_copy_reaches_its_sections_but_not_a_bureau_below_the_organ(security_officer, organ_a, register):
    """GIVEN a 机密 carrier's copy issued to 甲机关 itself WHEN a person in a section of 甲机关 and a person
    in 乙局 (an organ under 甲机关) look at the copies they hold THEN the section's person holds it and
    may sign for it; the bureau's person holds nothing and may not sign."""
    section_member = make_person(
        username="ke", name="科员", unit=UnitFactory(parent=organ_a, name="综合科"), clearance=Level.SECRET
    )
    bureau_member = make_person(
        username="ju", name="局员", unit=OrganFactory(parent=organ_a, name="乙局"), clearance=Level.SECRET
    )
    carrier = register(security_officer)
    copy = services.copy_issue(actor=security_officer.user, record=carrier, holder_unit=organ_a)

    assert list(selectors.copies_held_by(user=section_member.user)) == [copy]
    assert list(selectors.copies_held_by(user=bureau_member.user)) == []
    with pytest.raises(PermissionDenied):
        services.copy_sign(actor=bureau_member.user, copy=copy)
    assert services.copy_sign(actor=section_member.user, copy=copy).state == "signed"
