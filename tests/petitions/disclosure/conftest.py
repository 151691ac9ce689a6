"""Shared setup for the 政府信息公开 tests (on top of ``petition_city`` in tests/petitions/conftest.py).

``disclosure_city``: the city's 政务公开办 (under the 办公室; head 钱主任, the 公开工作机构负责人) with
its 政务公开员 ``officer``; the city's 保密员 ``security`` (保密办); 冯科员 of the 办公室 is a bystander,
住建局's 赵科员 and the province's 省科员 are outside. ``letter_series``: the city's 信函格式 series
(测信函), in which every 告知书 is drafted.

``make_request`` creates a request straight through the ORM (当面, received today unless given);
``sign_letter`` takes a 告知书 draft from draft to 登记. ``disclosure_flow`` registers and walks
requests through the services (``DisclosureFlow.to(request, state)``); ``issue_document`` makes a
发文 of the city (主动公开 unless told) and takes it to 核发.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

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
        today = timezone.localdate()
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


# --- Walking requests through the services (H-B) ----------------------------------------------------


class DisclosureFlow:
    """Each step of a request through ``petitions.disclosure.services``, by the person whose step it
    is, with valid arguments. ``register(**overrides)`` (当面, today, as the 政务公开员); ``to(request,
    state)`` walks the main line to 办理中 (confirming a 网络/传真 one today), 待补正 (补正 asked today,
    10 days to bring it), 已答复 (予以公开, 告知书 signed and registered, 送达 today), 已办结, or 视为放弃
    (the 补正期限 passed: the abandon step is taken on the day after it, by ``time_machine``)."""

    def __init__(self, city: DisclosureCity, sign):
        self.city, self.sign_letter = city, sign

    def register(self, **overrides) -> DisclosureRequest:
        from petitions.disclosure import services

        today = timezone.localdate()
        values = {
            "actor": self.city.officer.user,
            "applicant_kind": ApplicantKind.PERSON,
            "applicant_name": "陈申请",
            "id_document": "居民身份证 330102199001011234",
            "contact_phone": "13900001111",
            "description": "2026年城东片区旧城改造项目的征收补偿方案",
            "medium": Medium.ELECTRONIC,
            "delivery": Delivery.EMAIL,
            "channel": RequestChannel.IN_PERSON,
            "arrived_on": today,
        }
        values.update(overrides)
        return services.request_register(**values)

    def correct(self, request, *, on=None, until=None):
        from datetime import timedelta

        from petitions.disclosure import services

        on = on or timezone.localdate()
        return services.request_correct(
            actor=self.city.officer.user,
            request=request,
            items="请写明所需信息的具体名称或文号",
            until=until or on + timedelta(days=10),
            on=on,
        )

    def answer(self, request, answer_type="granted", text="现将补偿方案全文提供给你。", **extra):
        from petitions.disclosure import services

        extra.setdefault("series", self.city.letter_series)
        return services.request_answer(
            actor=self.city.officer.user, request=request, answer_type=answer_type, text=text, **extra
        )

    def sign(self, request):
        request.refresh_from_db()
        return self.sign_letter(request.document)

    def deliver(self, request, on=None, method=Delivery.EMAIL):
        from petitions.disclosure import services

        return services.request_deliver(
            actor=self.city.officer.user, request=request, on=on or timezone.localdate(), method=method
        )

    def to(self, request: DisclosureRequest | None, state: str, **register) -> DisclosureRequest:
        from datetime import timedelta

        import time_machine

        from petitions.disclosure import services
        from petitions.disclosure.models import RequestState
        from tests.reminders.conftest import at

        officer = self.city.officer.user
        request = request or self.register(**register)
        request.refresh_from_db()
        if request.state == RequestState.RECEIVED:
            request = services.request_confirm(actor=officer, request=request, on=timezone.localdate())
        if state == RequestState.HANDLING:
            return request
        if state in (RequestState.CORRECTING, RequestState.ABANDONED):
            request = self.correct(request)
            if state == RequestState.ABANDONED:
                with time_machine.travel(at(request.correction_until + timedelta(days=1)), tick=False):
                    request = services.request_abandon(actor=officer, request=request)
            return request
        request = self.answer(request)
        self.sign(request)
        request = self.deliver(request)
        if state == RequestState.CLOSED:
            request = services.request_close(actor=officer, request=request)
        assert request.state == state, (request.state, state)
        return request


@pytest.fixture
def disclosure_flow(disclosure_city, sign_letter) -> DisclosureFlow:
    return DisclosureFlow(disclosure_city, sign_letter)


@pytest.fixture
def issue_document(disclosure_city, report_series):
    """A 发文 of the city in its standard series (测政办), drafted by the 政务公开员 (主动公开, 内部 unless
    told; a classified one without a body), signed by 周副市长 and 核发 by 林文秘 to 财政局:
    ``issue_document(disclosure=…, level=…)``."""
    from documents.outgoing import services as documents

    org = disclosure_city.city.org
    secretary = disclosure_city.city.city_secretary

    def _issue(**overrides):
        values = {
            "actor": disclosure_city.officer.user,
            "series": report_series,
            "title": "关于城东片区旧城改造征收补偿方案的通知",
            "kind": "notice",
            "disclosure": "proactive",
            "main_to_units": [org.finance],
            "body": "一、补偿标准\n按市场评估价补偿。",
        }
        values.update(overrides)
        if values.get("level", Level.INTERNAL) > Level.INTERNAL and "body" not in overrides:
            values["body"] = ""  # above the ceiling only the register fields are kept
            for key, value in (("basis", "定密事项一览表"), ("term_unit", "years"), ("term_amount", 5), ("copies", 1)):
                values.setdefault(key, value)
        document = documents.outgoing_create(**values)
        document = documents.outgoing_submit(actor=document.drafter.user, document=document)
        document = documents.outgoing_review(actor=secretary.user, document=document, approve=True)
        document = documents.outgoing_sign(actor=org.leader.user, document=document, approve=True)
        document = documents.outgoing_register(actor=secretary.user, document=document)
        return documents.outgoing_issue(actor=secretary.user, document=document)

    return _issue
