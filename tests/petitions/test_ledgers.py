"""The 信访 ledgers: 领导包案, 领导接访日 and 矛盾纠纷排查化解 — who may change them (the 信访员 of the
organ and the 信访科 chief; a 包案领导 his own status), what each change leaves (a 流转记录 on the
linked case, a dispute's 化解时限 as a Deadline of its 责任单位), and who sees the rows: the
organ's people only, and never a row linked to a case they do not see (a 检举控告 stays hidden
from whom it accuses — in the lists, the pages and the Excel)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from office.confidentiality import services as secrecy
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import User
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from petitions import ledger_selectors, services
from petitions.models import Dispute, Kind, LeaderCase, PetitionEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 16)  # a Monday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-16 10:00 +0800", tick=False):
        yield


def login(person) -> User:
    return User.objects.select_related("person__unit").get(pk=person.user_id)


@pytest.fixture
def world(petition_city, ledger_people, new_case):
    """A plain case, granted to 冯科员 (the city's 办公室), and a 检举控告 against him: both registered
    by 孙信访."""
    org = petition_city.org
    plain = new_case()
    secrecy.grant(actor=org.registrar.user, record=plain, person=petition_city.bystander, reason="协助核实")
    accusation = new_case(
        kind=Kind.ACCUSATION,
        title="检举冯科员违规收费",
        content="冯科员在办理中收取好处费。",
        accused_person=petition_city.bystander,
    )
    return org, petition_city, ledger_people, plain, accusation


def dispute_of(org, actor, **extra) -> Dispute:
    values = {
        "actor": actor.user,
        "month": date(2026, 11, 5),
        "title": "某小区业主与物业公司维修基金纠纷",
        "area": org.bureau,
        "risk": Dispute.Risk.HIGH,
        "responsible_unit": org.bureau,
        "plan": "住建局牵头约谈物业公司，月底前拿出维修方案。",
        "due": date(2026, 12, 15),
        "backlog": False,
        "case": None,
    }
    values.update(extra)
    return services.dispute_create(**values)


# --- 领导包案 ---------------------------------------------------------------------------------------


def test_leader_case_assigned_by_the_officer_and_updated_by_the_leader(world):
    org, _city, _people, plain, _accusation = world
    leader_case = services.leader_case_assign(
        actor=org.registrar.user, case=plain, leader=org.leader, plan="副市长约见信访人，协调住建局维修。"
    )
    assert plain.leader_case == leader_case
    # The leader was brought into the case he leads, and the 流转记录 says who leads it.
    assert ledger_selectors.leader_cases_visible(user=login(org.leader)).get() == leader_case
    assert PetitionEvent.objects.filter(case=plain, action="领导包案", comment__contains="周副市长").exists()

    services.leader_case_update(actor=org.leader.user, leader_case=leader_case, status=LeaderCase.Status.RESOLVED)
    leader_case.refresh_from_db()
    assert leader_case.status == LeaderCase.Status.RESOLVED
    assert PetitionEvent.objects.filter(case=plain, action="包案化解", comment__contains="已化解").exists()
    # The leader updates his status, not the plan; nobody else outside the 信访科 does either.
    with pytest.raises(PermissionDenied):
        services.leader_case_update(
            actor=org.leader.user, leader_case=leader_case, status=LeaderCase.Status.ONGOING, plan="另一方案"
        )
    with pytest.raises(PermissionDenied):
        services.leader_case_update(
            actor=org.bureau_clerk.user, leader_case=leader_case, status=LeaderCase.Status.STALLED
        )


def test_only_the_organs_officers_and_their_chief_assign_a_leader(world):
    org, city, people, plain, accusation = world
    for outsider in (city.bystander, org.leader, people.bureau_officer):
        with pytest.raises(PermissionDenied):
            services.leader_case_assign(actor=outsider.user, case=plain, leader=org.leader, plan="方案")
    with pytest.raises(ValidationError) as refused:
        services.leader_case_assign(actor=org.registrar.user, case=plain, leader=city.bystander, plan="方案")
    assert "leader" in refused.value.message_dict
    # The 信访科 chief, no 信访员 himself, may: he heads the unit where they work — once the leader
    # is inside the case (the registrar grants; the chief may not).
    with pytest.raises(ValidationError) as refused:
        services.leader_case_assign(actor=people.chief.user, case=accusation, leader=org.leader, plan="方案")
    assert "知悉范围" in refused.value.message_dict["leader"][0]
    secrecy.grant(actor=org.registrar.user, record=accusation, person=org.leader, reason="领导包案")
    services.leader_case_assign(actor=people.chief.user, case=accusation, leader=org.leader, plan="方案")
    assert LeaderCase.objects.filter(case=accusation, leader=org.leader).exists()


# --- 领导接访日 -------------------------------------------------------------------------------------


def test_reception_lists_cases_and_records_them(world):
    org, city, _people, plain, accusation = world
    reception = services.reception_create(
        actor=org.registrar.user, leader=org.leader, day=date(2026, 11, 20), place="市信访接待中心", cases=[plain]
    )
    assert list(reception.cases.all()) == [plain]
    assert PetitionEvent.objects.filter(case=plain, action="列入领导接访").exists()
    with pytest.raises(PermissionDenied):
        services.reception_create(actor=city.bystander.user, leader=org.leader, day=TODAY, place="接待室")
    with pytest.raises(ValidationError) as refused:
        services.reception_create(actor=org.registrar.user, leader=org.leader, day=TODAY, place=" ")
    assert "place" in refused.value.message_dict
    # One reception on the accusation: hidden whole from the accused; the other still shown.
    services.reception_create(
        actor=org.registrar.user, leader=org.leader, day=date(2026, 11, 27), place="接待室", cases=[accusation]
    )
    assert ledger_selectors.receptions_visible(user=login(org.registrar)).count() == 2
    assert list(ledger_selectors.receptions_visible(user=login(city.bystander))) == [reception]


# --- 矛盾纠纷排查化解 -------------------------------------------------------------------------------


def test_dispute_due_date_is_a_deadline_of_the_responsible_unit_met_when_resolved(world):
    org, _city, _people, plain, _accusation = world
    dispute = dispute_of(org, org.registrar, case=plain)
    assert dispute.month == date(2026, 11, 1)
    (deadline,) = reminders.deadlines_of(dispute)
    assert (deadline.kind_id, deadline.responsible_unit, deadline.due_date) == (
        "general",
        org.bureau,
        date(2026, 12, 15),
    )
    assert PetitionEvent.objects.filter(case=plain, action="列入矛盾纠纷台账").exists()

    services.dispute_update(actor=org.intake_colleague.user, dispute=dispute, status=Dispute.Status.RESOLVED)
    dispute.refresh_from_db()
    deadline.refresh_from_db()
    assert dispute.status == Dispute.Status.RESOLVED
    assert deadline.state == DeadlineState.MET
    assert PetitionEvent.objects.filter(case=plain, action="矛盾纠纷化解", comment__contains="已化解").exists()
    with pytest.raises(ValidationError):
        services.dispute_update(actor=org.registrar.user, dispute=dispute, status=Dispute.Status.OPEN)


def test_dispute_refusals(world):
    org, city, _people, _plain, accusation = world
    with pytest.raises(PermissionDenied):
        dispute_of(org, city.bystander)
    with pytest.raises(ValidationError) as refused:
        dispute_of(org, org.registrar, due=TODAY)
    assert "due" in refused.value.message_dict
    # A 检举控告 is never handed to whom it accuses to resolve.
    with pytest.raises(ValidationError) as refused:
        dispute_of(org, org.registrar, case=accusation, responsible_unit=org.general_office)
    assert "responsible_unit" in refused.value.message_dict
    dispute = dispute_of(org, org.registrar)
    with pytest.raises(PermissionDenied):
        services.dispute_update(actor=org.bureau_clerk.user, dispute=dispute, status=Dispute.Status.ESCALATED)


def test_ledgers_hide_rows_linked_to_a_case_the_viewer_does_not_see(world):
    org, city, _people, plain, accusation = world
    free = dispute_of(org, org.registrar)
    on_plain = dispute_of(org, org.registrar, case=plain, title="漏水纠纷")
    on_accusation = dispute_of(org, org.registrar, case=accusation, responsible_unit=org.finance, title="收费纠纷")
    services.leader_case_assign(actor=org.registrar.user, case=accusation, leader=org.leader, plan="方案")

    officer = login(org.registrar)
    assert set(ledger_selectors.disputes_visible(user=officer)) == {free, on_plain, on_accusation}
    accused = login(city.bystander)  # in the city, but the accusation names him
    assert set(ledger_selectors.disputes_visible(user=accused)) == {free, on_plain}
    assert not ledger_selectors.leader_cases_visible(user=accused).exists()
    # The bureau is an organ of its own: the city's ledger is not its business.
    assert not ledger_selectors.disputes_visible(user=login(org.bureau_head)).exists()
    assert set(ledger_selectors.disputes_visible(user=officer, filters={"risk": "high", "month": TODAY})) == {
        free,
        on_plain,
        on_accusation,
    }
    assert not ledger_selectors.disputes_visible(user=officer, filters={"month": date(2026, 10, 1)}).exists()
    assert set(ledger_selectors.disputes_visible(user=officer, filters={"responsible_unit": org.finance})) == {
        on_accusation
    }


# --- Pages ------------------------------------------------------------------------------------------


def test_dispute_pages_create_filter_export_and_hide(client, world):
    org, city, _people, _plain, accusation = world
    client.force_login(org.registrar.user)
    response = client.post(
        "/petitions/disputes/",
        {
            "month": "2026-11",
            "title": "征地补偿纠纷",
            "risk": "high",
            "responsible_unit": org.finance.pk,
            "plan": "财政局核实补偿款拨付情况。",
            "due": "2026-12-31",
            "case": accusation.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    dispute = Dispute.objects.get(title="征地补偿纠纷")
    page = client.get("/petitions/disputes/?month=2026-11&risk=high").content.decode()
    assert "征地补偿纠纷" in page and "2026年12月31日" in page
    assert "征地补偿纠纷" not in client.get("/petitions/disputes/?risk=low").content.decode()

    export = client.get("/petitions/disputes.xlsx?month=2026-11")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["征地补偿纠纷"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__what="petition_disputes").exists()

    client.force_login(city.bystander.user)  # the accused
    assert "征地补偿纠纷" not in client.get("/petitions/disputes/").content.decode()
    export = client.get("/petitions/disputes.xlsx")
    assert len(list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2))) == 0
    assert client.post(f"/petitions/disputes/{dispute.pk}/", {"status": "resolved"}).status_code == 404
    assert client.post("/petitions/disputes/", {"title": "x"}).status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.OPEN


def test_leader_case_and_reception_pages(client, world):
    org, city, _people, plain, accusation = world
    client.force_login(org.registrar.user)
    assert 'data-testid="leader-case-form"' in client.get("/petitions/leader-cases/").content.decode()
    response = client.post(
        "/petitions/leader-cases/", {"case": accusation.pk, "leader": org.leader.pk, "plan": "约见信访人。"}
    )
    assert response.status_code == 302, response.content.decode()
    leader_case = LeaderCase.objects.get(case=accusation)
    response = client.post(
        "/petitions/receptions/",
        {"leader": org.leader.pk, "day": "2026-11-20", "place": "市信访接待中心", "cases": [plain.pk]},
    )
    assert response.status_code == 302, response.content.decode()
    assert "市信访接待中心" in client.get("/petitions/receptions/").content.decode()

    client.force_login(org.leader.user)
    assert accusation.number in client.get("/petitions/leader-cases/?mine=1").content.decode()
    client.post(f"/petitions/leader-cases/{leader_case.pk}/", {"status": "stalled"})
    leader_case.refresh_from_db()
    assert leader_case.status == LeaderCase.Status.STALLED

    client.force_login(city.bystander.user)  # the accused: no row, a 404 on the update
    assert accusation.number not in client.get("/petitions/leader-cases/").content.decode()
    assert client.post(f"/petitions/leader-cases/{leader_case.pk}/", {"status": "resolved"}).status_code == 404
