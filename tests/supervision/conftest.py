"""Shared setup for the supervision (督查督办) tests.

测试市人民政府 with its 办公室 and the 督查室 under it (two 督查员; the kind "督查督办" names 督查室 as
the supervising unit), a 副市长 (领导, 机密) who gives instructions, and two bureaus that lead or
assist: 发改委 (head 钱主任, staff 孙科员) and 财政局 (head 周局长). Outside the 知悉范围: 吴科员 in
the 办公室 (内部 clearance) and 郑科员 in another city's government.

Items are opened and moved only through ``supervision.services``, so every event, Deadline and
notification exists as in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, UnitKind
from office.reminders.models import DeadlineKind
from supervision import services
from supervision.models import Source, SupervisionItem, SupervisionTask
from tests.documents.conftest import advance, bureau, office, receive  # noqa: F401  (收文 fixtures for 批示)
from tests.factories import OrganFactory, UnitFactory, make_person

# A Monday with no holiday within weeks either side (calendar arithmetic stays readable).
TODAY = date(2026, 3, 2)


@pytest.fixture
def today():
    """Freeze the clock on TODAY (10:00 Beijing time); move it with ``traveller.move_to``."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def on(traveller, day: date, hour: int = 10) -> None:
    """Move the frozen clock to ``day`` at ``hour`` Beijing time."""
    traveller.move_to(f"{day.isoformat()} {hour:02d}:00 +0800")


def set_head(unit: Unit, person: Person) -> Unit:
    unit.head = person
    unit.save(update_fields=["head"])
    return unit


@dataclass
class City:
    organ: Unit  # 测试市人民政府
    office: Unit  # 办公室
    supervision: Unit  # 督查室 (under the 办公室)
    ndrc: Unit  # 发改委 (an organ of its own under the government)
    finance: Unit  # 财政局
    supervisor: Person  # 督查员 王督查 (机密), head of 督查室
    supervisor2: Person  # 督查员 陈督查
    leader: Person  # 副市长 李市长 (领导, 机密)
    chief: Person  # 办公室主任
    ndrc_head: Person  # 钱主任 (机密)
    ndrc_staff: Person  # 孙科员 (秘密)
    finance_head: Person  # 周局长 (机密)
    low: Person  # 吴科员: 办公室, 内部 clearance
    outsider: Person  # 郑科员: another city's government (机密)


@pytest.fixture
def city(db) -> City:
    organ = OrganFactory(name="测试市人民政府", short_name="测试市政府")
    general_office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    supervision = UnitFactory(parent=general_office, name="督查室")
    ndrc = OrganFactory(parent=organ, name="测试市发展和改革委员会", short_name="发改委")
    finance = OrganFactory(parent=organ, name="测试市财政局", short_name="财政局")
    other_city = OrganFactory(name="邻市人民政府")

    supervisor = make_person(
        username="sv-wang", name="王督查", unit=supervision, roles=(Role.SUPERVISOR,), clearance=Level.SECRET
    )
    supervisor2 = make_person(username="sv-chen", name="陈督查", unit=supervision, roles=(Role.SUPERVISOR,))
    leader = make_person(username="sv-leader", name="李市长", unit=organ, roles=(Role.LEADER,), clearance=Level.SECRET)
    chief = make_person(
        username="sv-chief", name="赵主任", unit=general_office, roles=(Role.OFFICE_CHIEF,), clearance=Level.SECRET
    )
    ndrc_head = make_person(username="sv-ndrc", name="钱主任", unit=ndrc, clearance=Level.SECRET)
    ndrc_staff = make_person(username="sv-ndrc-staff", name="孙科员", unit=ndrc, clearance=Level.CONFIDENTIAL)
    finance_head = make_person(username="sv-finance", name="周局长", unit=finance, clearance=Level.SECRET)
    low = make_person(username="sv-low", name="吴科员", unit=general_office)
    outsider = make_person(username="sv-out", name="郑科员", unit=other_city, clearance=Level.SECRET)
    set_head(supervision, supervisor)
    set_head(general_office, chief)
    set_head(ndrc, ndrc_head)
    set_head(finance, finance_head)
    DeadlineKind.objects.filter(code="supervision").update(supervising_unit=supervision)
    return City(
        organ,
        general_office,
        supervision,
        ndrc,
        finance,
        supervisor,
        supervisor2,
        leader,
        chief,
        ndrc_head,
        ndrc_staff,
        finance_head,
        low,
        outsider,
    )


@pytest.fixture
def open_item(city):
    """Open an item as the 督查员 (instructed by 李市长); any argument of the service can be overridden."""

    def _open(**overrides) -> SupervisionItem:
        arguments = {
            "actor": city.supervisor.user,
            "title": "推进老旧小区改造",
            "requirement": "年内完成12个小区改造并通过验收。",
            "source": Source.INSTRUCTION,
            "instructing_leader": city.leader,
        }
        arguments.update(overrides)
        return services.item_open(**arguments)

    return _open


@pytest.fixture
def split(city):
    """Split an item into one task led by 发改委 with 财政局 assisting (due ``due``), as the 督查员."""

    def _split(item: SupervisionItem, due: date | None = None, **spec):
        spec.setdefault("lead_unit", city.ndrc)
        spec.setdefault("assisting_units", [city.finance])
        spec.setdefault("due", due)
        return services.item_split(actor=city.supervisor.user, item=item, tasks=[services.TaskSpec(**spec)])

    return _split


@pytest.fixture
def finish(city):
    """The lead unit's head sends the final report and the 督查员 accepts it (at the clock's time)."""

    def _finish(task, accept: bool = True, **review):
        services.task_report(actor=task.lead_unit.head.user, task=task, text="已全部办结。", final=True)
        return services.task_review(actor=city.supervisor.user, task=task, accept=accept, **review)

    return _finish


# --- One item in hand, as the API tests (test_api_*.py) meet it -----------------------------------


@pytest.fixture
def item(open_item, split, today):
    """An 内部 item split to 发改委 (lead, 钱主任 responsible) with 财政局 assisting, due 30 April,
    with one milestone on 20 March."""
    item = open_item()
    split(item, due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 20))])
    return item


@pytest.fixture
def task(item) -> SupervisionTask:
    return item.tasks.get()


@pytest.fixture
def in_review(city, task):
    """The task with its final report in, waiting for the 督查员."""
    services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    return task
