"""Shared setup for the deadline and reminder tests.

A small office: a business section (承办单位) with its head (处长) and a handler (承办人), a
supervision office (督查室) with a 督查员 and its head, and a leader in charge (分管领导). Deadlines are
opened through ``services.deadline_open`` on a stand-in record: ``Deadline.subject`` is generic, and
a named auth group is the simplest model whose ``str`` is the record's title.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend

from office.org import services as org_services
from office.org.models import Person, Role, Unit
from office.reminders import services
from office.reminders.models import Deadline, DeadlineKind
from tests.factories import OrganFactory, UnitFactory, make_person

SHANGHAI = ZoneInfo("Asia/Shanghai")
FAILING_EMAIL_BACKEND = "tests.reminders.conftest.FailingEmailBackend"
FLAKY_EMAIL_BACKEND = "tests.reminders.conftest.FlakyEmailBackend"


def at(day: date, hour: int = 9) -> datetime:
    """A moment of an office day in Beijing time (what ``time_machine`` travels to)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


class FailingEmailBackend(BaseEmailBackend):
    """The mail server is down: every send raises, as smtplib does when the connection is refused."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server unreachable")


class FlakyEmailBackend(LocmemEmailBackend):
    """The mail server refuses the first ``failures_left`` messages, then delivers to the outbox."""

    failures_left = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise ConnectionRefusedError("mail server busy")
        return super().send_messages(messages)


@dataclass
class Office:
    organ: Unit
    section: Unit
    handler: Person  # 承办人
    section_head: Person  # 处长
    supervision_office: Unit
    inspector: Person  # 督查员
    supervision_head: Person  # 督查室主任
    leader: Person  # 分管领导
    admin: Person


@pytest.fixture
def office(db) -> Office:
    organ = OrganFactory(name="某市人民政府办公室")
    section = UnitFactory(parent=organ, name="综合处")
    supervision_office = UnitFactory(parent=organ, name="督查室")
    leadership = UnitFactory(parent=organ, name="办领导")
    admin = make_person(username="rem-admin", name="管理员", unit=organ, roles=(Role.SYSTEM_ADMIN,))
    handler = make_person(
        username="rem-handler", name="李承办", unit=section, roles=(Role.HANDLER,), email="licb@example.gov.cn"
    )
    section_head = make_person(username="rem-head", name="王处长", unit=section)
    inspector = make_person(username="rem-inspector", name="赵督查", unit=supervision_office, roles=(Role.SUPERVISOR,))
    supervision_head = make_person(username="rem-sup-head", name="钱主任", unit=supervision_office)
    leader = make_person(username="rem-leader", name="孙副秘书长", unit=leadership, roles=(Role.LEADER,))
    section = org_services.unit_update(actor=admin.user, unit=section, head=section_head)
    supervision_office = org_services.unit_update(actor=admin.user, unit=supervision_office, head=supervision_head)
    return Office(organ, section, handler, section_head, supervision_office, inspector, supervision_head, leader, admin)


@pytest.fixture
def supervised(office) -> Office:
    """Every kind is supervised by the 督查室 (an administrator's setting in the admin)."""
    DeadlineKind.objects.update(supervising_unit=office.supervision_office)
    return office


def record(title: str) -> Group:
    """A stand-in for the record a deadline belongs to (a petition case, a disclosure request, …)."""
    return Group.objects.create(name=title)


@pytest.fixture
def open_deadline(office):
    """Open a deadline the way a domain service does; the handler is responsible unless told otherwise."""

    def _open(
        *,
        start: date,
        amount: int,
        unit: str,
        kind: str = "general",
        title: str = "关于老旧小区加装电梯的来信",
        **people,
    ) -> Deadline:
        people.setdefault("responsible_person", office.handler)
        return services.deadline_open(
            actor=office.admin.user,
            subject=record(title),
            kind=kind,
            start=start,
            amount=amount,
            unit=unit,
            **people,
        )

    return _open


@pytest.fixture
def flaky_mail(settings, mailoutbox):
    """The mail server refuses the number of messages the test sets, then delivers (to ``mailoutbox``)."""
    settings.EMAIL_BACKEND = FLAKY_EMAIL_BACKEND
    FlakyEmailBackend.failures_left = 0
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_left = 0
