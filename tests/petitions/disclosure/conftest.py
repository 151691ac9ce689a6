"""Shared setup for the 政府信息公开 tests (on top of ``petition_city`` in tests/petitions/conftest.py).

``disclosure_city``: the city's 政务公开办 (under the 办公室; head 钱主任, the 公开工作机构负责人) with
its 政务公开员 ``officer``; the city's 保密员 ``security`` (保密办); 冯科员 of the 办公室 is a bystander,
住建局's 赵科员 and the province's 省科员 are outside. ``letter_series``: the city's 信函格式 series
(测信函), in which every 告知书 is drafted.

``make_request`` creates a request straight through the ORM (当面, received today unless given);
``sign_letter`` takes a 告知书 draft from draft to 登记.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit
from petitions.disclosure.models import ApplicantKind, Delivery, DisclosureRequest, Medium, RequestChannel
from tests.factories import UnitFactory, make_person


@dataclass
class DisclosureCity:
    city: object  # PetitionCity
    organ: Unit  # 测试市人民政府
    unit: Unit  # 政务公开办: the 公开工作机构
    head: Person  # 钱主任, its head
    officer: Person  # 政务公开员
    security: Person  # 保密员 of the city
    bystander: Person
    bureau_clerk: Person  # 住建局: outside
    outsider: Person  # the province
    letter_series: object  # DocumentSeries 测信函


@pytest.fixture
def disclosure_city(petition_city) -> DisclosureCity:
    org = petition_city.org
    unit = UnitFactory(parent=org.general_office, name="政务公开办")
    head = make_person(username="pd-qian", name="钱主任", unit=unit, clearance=Level.SECRET)
    unit.head = head
    unit.save(update_fields=["head"])
    secrecy_office = UnitFactory(parent=org.general_office, name="保密办")
    return DisclosureCity(
        city=petition_city,
        organ=org.city,
        unit=unit,
        head=head,
        officer=make_person(
            username="pd-gk", name="公开员", unit=unit, roles=(Role.DISCLOSURE_OFFICER,), clearance=Level.SECRET
        ),
        security=make_person(
            username="pd-bm", name="保密员", unit=secrecy_office, roles=(Role.SECURITY_OFFICER,), clearance=Level.SECRET
        ),
        bystander=petition_city.bystander,
        bureau_clerk=org.bureau_clerk,
        outsider=petition_city.province_clerk,
        letter_series=petition_city.series[org.city.pk],
    )


_sequence = itertools.count(1)


@pytest.fixture
def make_request(disclosure_city):
    def _make(**fields) -> DisclosureRequest:
        today = date.today()
        values = {
            "organ": disclosure_city.organ,
            "intake_unit": disclosure_city.unit,
            "year": today.year,
            "sequence": next(_sequence),
            "applicant_kind": ApplicantKind.PERSON,
            "applicant_name": "陈申请",
            "description": "2026年城东片区旧城改造项目的征收补偿方案",
            "medium": Medium.ELECTRONIC,
            "delivery": Delivery.EMAIL,
            "channel": RequestChannel.IN_PERSON,
            "arrived_on": today,
            "received_on": today,
            "registrar": disclosure_city.officer,
            "handler": disclosure_city.officer,
        }
        values.update(fields)
        return DisclosureRequest.objects.create(**values)

    return _make


@pytest.fixture
def sign_letter(petition_city):
    """Take a 告知书 (a draft in the city's letter series) from draft to 登记."""
    from documents.outgoing import services as documents

    secretary, leader = petition_city.city_secretary, petition_city.org.leader

    def _sign(document):
        document = documents.outgoing_submit(actor=document.drafter.user, document=document)
        document = documents.outgoing_review(actor=secretary.user, document=document, approve=True)
        document = documents.outgoing_sign(actor=leader.user, document=document, approve=True)
        return documents.outgoing_register(actor=secretary.user, document=document)

    return _sign
