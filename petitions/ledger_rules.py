"""Who keeps the 信访 ledgers (领导包案, 领导接访日, 矛盾纠纷排查化解), who drafts the monthly 信访形势分析
and who moves 转送/交办 in batches — decided once: the pages, the API and the services all ask here.

- The **ledger keepers** of an organ are its 信访员 and the head of a unit where they work (the
  信访科 chief): they assign 包案, schedule 接访, record and update 矛盾纠纷.
- A **包案领导** updates the 化解 status of his own 包案 (its plan stays the keepers').
- A **形势分析** is drafted by a 信访员 or the 办公室主任.
- **Batches**: the export is open to anyone logged in with a person (it holds only what he sees);
  the import registers cases, so it is a 信访员's (``services.may_register``).

A row linked to a case the person does not see is outside every rule (the selectors hide it; a
change to it is refused), whatever his role: a 检举控告's accused unit never touches its rows.
"""

from __future__ import annotations

from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from petitions.models import Dispute, LeaderCase, PetitionCase, Reception


def organ_of(person: Person | None) -> Unit | None:
    """The organ a person works in (his unit's organ; an organ is its own)."""
    if person is None:
        return None
    return person.unit.organ or person.unit


def organ_id_of(user: User) -> int | None:
    organ = organ_of(person_of(user))
    return organ.pk if organ else None


def is_petition_chief(person: Person | None, organ: Unit | None) -> bool:
    """The head of a unit of ``organ`` where 信访员 work (the 信访科 chief)."""
    if person is None or organ is None:
        return False
    return Person.objects.filter(
        unit__head=person,
        unit__organ=organ,
        user__is_active=True,
        user__groups__name=Role.PETITION_OFFICER.value,
    ).exists()


def is_keeper(user: User, organ: Unit | None) -> bool:
    """A 信访员 of ``organ`` or its 信访科 chief."""
    person = person_of(user)
    if person is None or organ is None or organ_of(person).pk != organ.pk:
        return False
    return user.has_role(Role.PETITION_OFFICER) or is_petition_chief(person, organ)


def may_keep_ledgers(user: User) -> bool:
    """Whether the pages offer the create forms: a keeper of his own organ."""
    return is_keeper(user, organ_of(person_of(user)))


def sees_case(user: User, case: PetitionCase | None) -> bool:
    return case is None or PetitionCase.objects.visible_to(user).filter(pk=case.pk).exists()


# --- 领导包案 ---------------------------------------------------------------------------------------


def may_assign_leader_case(user: User, case: PetitionCase) -> bool:
    return is_keeper(user, case.organ) and sees_case(user, case)


def is_own_leader_case(user: User, leader_case: LeaderCase) -> bool:
    person = person_of(user)
    return person is not None and leader_case.leader_id == person.pk


def may_update_leader_case(user: User, leader_case: LeaderCase) -> bool:
    """Its status: the keepers, or the 包案领导 himself."""
    if not sees_case(user, leader_case.case):
        return False
    return is_keeper(user, leader_case.case.organ) or is_own_leader_case(user, leader_case)


def may_change_leader_plan(user: User, leader_case: LeaderCase) -> bool:
    """Its 化解方案: the keepers only."""
    return is_keeper(user, leader_case.case.organ) and sees_case(user, leader_case.case)


# --- 领导接访日 -------------------------------------------------------------------------------------


def may_create_reception(user: User) -> bool:
    return may_keep_ledgers(user)


def may_see_reception(user: User, reception: Reception) -> bool:
    visible = PetitionCase.objects.visible_to(user)
    return organ_id_of(user) == reception.organ_id and not reception.cases.exclude(pk__in=visible.values("pk")).exists()


# --- 矛盾纠纷 ---------------------------------------------------------------------------------------


def may_create_dispute(user: User) -> bool:
    return may_keep_ledgers(user)


def may_update_dispute(user: User, dispute: Dispute) -> bool:
    return is_keeper(user, dispute.organ) and sees_case(user, dispute.case)


# --- 形势分析 and batches ---------------------------------------------------------------------------


def may_draft_analysis(user: User) -> bool:
    """A 信访员 or the 办公室主任."""
    return person_of(user) is not None and (user.has_role(Role.PETITION_OFFICER) or user.has_role(Role.OFFICE_CHIEF))


def may_export_batches(user: User) -> bool:
    return person_of(user) is not None


def may_import_batches(user: User) -> bool:
    """Registering what a higher office sent: a 信访员 (the one rule of ``case_register``)."""
    return person_of(user) is not None and user.has_role(Role.PETITION_OFFICER)
