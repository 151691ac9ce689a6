"""Shared setup for the 建议提案 tests (on top of ``petition_city`` in tests/petitions/conftest.py).

``proposal_city``: the city's 办公室 is the 交办部门 (its 督查员 ``office`` assigns and follows up);
住建局 (head 王局长, 联络员 赵科员 of 城建科) and 财政局 (head 吴科长, 郑科员) are the 承办单位; 冯科员
of the 办公室 is a bystander; 省科员 of the province is outside. ``session``: 测试市十七届人大五次会议.

``make_proposal`` creates an imported item straight through the ORM (领衔人 and one 附议人);
``sign_letter`` takes a 答复件 (a 函 draft in its organ's letter series) from draft to 登记.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from office.org.models import Person, Unit
from petitions.proposals.models import Body, Proposal, ProposalKind, ProposalSession, ProposalSigner, UnitLiaison


@dataclass
class ProposalCity:
    city: object  # PetitionCity
    office_unit: Unit  # 办公室: the 交办部门
    office: Person  # 督查员 of the 办公室
    bureau: Unit  # 住建局
    bureau_head: Person
    bureau_clerk: Person  # 赵科员, 城建科: 住建局's 联络员
    finance: Unit  # 财政局
    finance_head: Person  # 吴科长 (head of 财政局)
    finance_clerk: Person
    bystander: Person  # 冯科员 of the 办公室, no role
    outsider: Person  # 省科员
    leader: Person  # 周副市长
    session: ProposalSession


@pytest.fixture
def proposal_city(petition_city) -> ProposalCity:
    org = petition_city.org
    session = ProposalSession.objects.create(
        organ=org.city,
        body=Body.NPC,
        name="测试市十七届人大五次会议",
        year=timezone.localdate().year,
        recipient_office="市人大常委会选联工委",
    )
    UnitLiaison.objects.create(unit=org.bureau, person=org.bureau_clerk, phone="0571-1234567")
    return ProposalCity(
        city=petition_city,
        office_unit=org.general_office,
        office=petition_city.supervisor,
        bureau=org.bureau,
        bureau_head=org.bureau_head,
        bureau_clerk=org.bureau_clerk,
        finance=org.finance,
        finance_head=org.finance_official,
        finance_clerk=org.finance_clerk,
        bystander=petition_city.bystander,
        outsider=petition_city.province_clerk,
        leader=org.leader,
        session=session,
    )


_numbers = itertools.count(1)


@pytest.fixture
def make_proposal(proposal_city):
    def _make(**fields) -> Proposal:
        number = f"{next(_numbers):04d}"
        values = {
            "organ": proposal_city.city.org.city,
            "intake_unit": proposal_city.office_unit,
            "session": proposal_city.session,
            "kind": ProposalKind.DEPUTY,
            "number": number,
            "title": "关于加快老旧小区加装电梯的建议",
            "content": "建议简化审批流程，加大财政补助。",
            "lead_proposer": "王代表",
            "delegation": "城东代表团",
            "submitted_on": timezone.localdate(),
            "registrar": proposal_city.office,
        }
        values.update(fields)
        proposal = Proposal.objects.create(**values)
        ProposalSigner.objects.create(
            proposal=proposal, name=values["lead_proposer"], delegation=values["delegation"], lead=True
        )
        ProposalSigner.objects.create(proposal=proposal, name="李代表", delegation="城东代表团", order=2)
        return proposal

    return _make


@pytest.fixture
def sign_letter(petition_city):
    """Take a 函 draft of the city's, 住建局's or 财政局's letter series from draft to 登记."""
    from documents.models import DocumentSeries
    from documents.outgoing import services as documents
    from office.confidentiality.levels import Level
    from office.org.models import Role
    from tests.factories import make_person

    org = petition_city.org
    # 财政局 has no letter series in petition_city: one of its own, with its secretary and head.
    finance_secretary = make_person(
        username="pp-czws", name="财政文秘", unit=org.finance, roles=(Role.SECRETARY,), clearance=Level.SECRET
    )
    petition_city.series[org.finance.pk] = DocumentSeries.objects.create(
        organ=org.finance, office=org.finance, code="财政信函", issuer_name="测试市财政局（函）", template="letter"
    )
    people = {
        org.bureau.pk: (petition_city.bureau_secretary, petition_city.bureau_deputy),
        org.city.pk: (petition_city.city_secretary, org.leader),
        org.finance.pk: (
            finance_secretary,
            make_person(
                username="pp-czld", name="财政局长", unit=org.finance, roles=(Role.LEADER,), clearance=Level.SECRET
            ),
        ),
    }

    def _sign(document):
        secretary, leader = people[document.series.organ_id]
        document = documents.outgoing_submit(actor=document.drafter.user, document=document)
        document = documents.outgoing_review(actor=secretary.user, document=document, approve=True)
        document = documents.outgoing_sign(actor=leader.user, document=document, approve=True)
        return documents.outgoing_register(actor=secretary.user, document=document)

    return _sign


class ProposalFlow:
    """Each step of an item through ``petitions.proposals.services``, by the person whose step it is,
    with valid arguments. By default 交办 is 主办 住建局 (赵科员 answers in 住建信函) with 会办 财政局;
    ``to(proposal, state)`` walks an imported item to: imported, handling, replied, rehandling,
    closed (A类, 满意; rehandling: rated 不满意)."""

    def __init__(self, pcity: ProposalCity, sign):
        self.pc, self.sign = pcity, sign

    def answerer(self, unit) -> Person:
        return {self.pc.bureau.pk: self.pc.bureau_clerk, self.pc.finance.pk: self.pc.finance_clerk}[unit.pk]

    def series(self, unit):
        return self.pc.city.series[unit.pk]

    def assign(self, proposal, *, mode="lead", lead_unit=None, assist_units=None, split_units=(), **extra):
        from petitions.proposals import services

        if mode == "lead":
            extra.setdefault("lead_unit", lead_unit or self.pc.bureau)
            extra.setdefault("assist_units", [self.pc.finance] if assist_units is None else assist_units)
        else:
            extra["split_units"] = split_units or [self.pc.bureau, self.pc.finance]
        return services.proposal_assign(actor=self.pc.office.user, proposal=proposal, mode=mode, **extra)

    def contact(self, proposal, unit=None, on=None):
        from django.utils import timezone

        from petitions.proposals import services

        return services.proposal_contact(
            actor=self.answerer(unit or self.pc.bureau).user,
            proposal=proposal,
            method="phone",
            on=on or timezone.localdate(),
            people="赵科员",
            view="同意办理思路。",
        )

    def reply(self, proposal, unit=None, result_code="A", promised_on=None):
        from petitions.proposals import services

        unit = unit or self.pc.bureau
        return services.proposal_reply(
            actor=self.answerer(unit).user,
            proposal=proposal,
            result_code=result_code,
            text="已纳入年度计划，简化审批流程。",
            series=self.series(unit),
            promised_on=promised_on,
        )

    def send(self, proposal, unit=None, on=None):
        from django.utils import timezone

        from petitions.proposals import services

        return services.proposal_send(
            actor=self.answerer(unit or self.pc.bureau).user, proposal=proposal, on=on or timezone.localdate()
        )

    def answer(self, proposal, unit=None, result_code="A", promised_on=None, contact=True):
        """沟通联系 (unless told not to), 答复件, 签发 and 登记, 送达: the unit's share answered."""
        if contact:
            self.contact(proposal, unit)
        share = self.reply(proposal, unit, result_code, promised_on)
        self.sign(share.document)
        return self.send(proposal, unit)

    def share(self, proposal, unit=None):
        return proposal.assignments.exclude(state="withdrawn").get(unit=unit or self.pc.bureau)

    def rate(self, proposal, unit=None, satisfaction="satisfied"):
        from django.utils import timezone

        from petitions.proposals import services

        return services.proposal_rate(
            actor=self.pc.office.user,
            proposal=proposal,
            share=self.share(proposal, unit),
            satisfaction=satisfaction,
            on=timezone.localdate(),
        )

    def close(self, proposal):
        from petitions.proposals import services

        return services.proposal_close(actor=self.pc.office.user, proposal=proposal)

    def to(self, proposal, state: str):
        if state != "imported":
            proposal = self.assign(proposal)
        if state in ("replied", "rehandling", "closed"):
            self.answer(proposal)
        if state == "rehandling":
            self.rate(proposal, satisfaction="unsatisfied")
        if state == "closed":
            self.rate(proposal)
            self.close(proposal)
        proposal.refresh_from_db()
        return proposal


@pytest.fixture
def proposal_flow(proposal_city, sign_letter) -> ProposalFlow:
    return ProposalFlow(proposal_city, sign_letter)
