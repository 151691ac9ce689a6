"""立项: an item from every source with the default due date DOMAIN.md gives (moved past rest days by
民法典 §203 over the real 2026 calendar), the split deadline for the 督查员, who may open one, the
督办编号 under concurrency, and 撤销 (nothing deleted, every deadline cancelled)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from office.confidentiality.levels import Level
from office.org.models import Role, User
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from supervision import selectors, services
from supervision.models import (
    ItemCounter,
    ItemState,
    Light,
    Priority,
    Source,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
    TaskState,
)
from tests.factories import make_person
from tests.supervision.conftest import on


# Opened on Monday 2 March 2026. Calendar days run from 3 March (§201); a last day on a rest day moves
# to the next working day (§203): 7 March is a Saturday, 22 March a Sunday, 1–5 May the Labour Day
# holiday.
@pytest.mark.parametrize(
    ("source", "priority", "due"),
    [
        (Source.INSTRUCTION, Priority.URGENT, date(2026, 3, 9)),  # 5 days: Sat 7 March → Mon 9 March
        (Source.INSTRUCTION, Priority.NORMAL, date(2026, 3, 17)),  # 15 days: Tue 17 March
        (Source.INSTRUCTION, Priority.DIFFICULT, date(2026, 4, 1)),  # 30 days: Wed 1 April
        (Source.MEETING, Priority.NORMAL, date(2026, 3, 23)),  # 20 days: Sun 22 March → Mon 23 March
        (Source.DOCUMENT, Priority.NORMAL, date(2026, 4, 1)),  # 30 days
        (Source.DOCUMENT, Priority.URGENT, date(2026, 4, 1)),  # a document's default ignores urgency
        (Source.SUPERIOR, Priority.NORMAL, date(2026, 4, 1)),  # 30 days
        (Source.PROPOSAL, Priority.NORMAL, date(2026, 6, 2)),  # 3 months (§202): Tue 2 June
        (Source.PETITION, Priority.NORMAL, date(2026, 5, 6)),  # 60 days: Fri 1 May, holiday to 5 May → 6 May
        (Source.OTHER, Priority.NORMAL, date(2026, 4, 1)),  # 30 days
    ],
)
def test_an_item_from_each_source_gets_its_default_due_date(city, open_item, today, source, priority, due):
    """GIVEN Monday 2 March 2026 WHEN the 督查员 opens an item from ``source`` with ``priority`` and no
    due date THEN it is 督〔2026〕1号, 已立项, due on the DOMAIN.md default counted by hand over the
    2026 calendar, and ``default_due`` gives the same date."""
    item = open_item(source=source, priority=priority)

    assert (item.number, item.state, item.source, item.priority) == (
        "督〔2026〕1号",
        ItemState.OPENED,
        source,
        priority,
    )
    assert item.due == due
    assert services.default_due(source, priority) == due


def test_a_default_due_date_on_the_qingming_holiday_moves_past_it(city, open_item, today):
    """GIVEN Friday 20 March 2026 WHEN a normal instruction (15 days) and a document (30 days) are
    opened THEN the first would end on Saturday 4 April, inside the 清明 holiday (4–6 April), and ends
    on Tuesday 7 April; the second ends on Sunday 19 April and moves to Monday 20 April."""
    on(today, date(2026, 3, 20))

    instruction = open_item(priority=Priority.NORMAL)
    document = open_item(source=Source.DOCUMENT)

    assert instruction.due == date(2026, 4, 7)
    assert document.due == date(2026, 4, 20)


def test_a_due_date_given_on_a_holiday_moves_to_the_next_working_day(city, open_item, split, today):
    """GIVEN a leader's due date of Saturday 4 April (清明) WHEN the item is opened and split THEN
    the item and its task are due on Tuesday 7 April, as the task's Deadline counts it."""
    item = open_item(due=date(2026, 4, 4))
    [task] = split(item)

    assert item.due == date(2026, 4, 7)
    assert task.due == date(2026, 4, 7)
    assert [d.due_date for d in reminders.deadlines_of(task) if d.kind_id == "supervision"] == [date(2026, 4, 7)]


def test_an_unsplit_item_gives_the_supervisor_two_working_days_to_split_it(city, open_item, today):
    """GIVEN the 副市长 opens an item by hand WHEN it is saved THEN the 督查员 of 督查室 supervises it,
    has an open Deadline to split it by Wednesday 4 March (2 working days), is notified, and the
    流转记录 starts with 立项 by the leader."""
    item = open_item(actor=city.leader.user, source_text="3月1日常务会议批示")

    assert (item.supervising_unit, item.supervisor, item.opened_by) == (city.supervision, city.supervisor, city.leader)
    [deadline] = reminders.deadlines_of(item)
    assert (deadline.due_date, deadline.state, deadline.responsible_person) == (
        date(2026, 3, 4),
        DeadlineState.OPEN,
        city.supervisor,
    )
    assert Notification.objects.filter(recipient=city.supervisor.user, verb__contains="待分解").count() == 1
    assert list(SupervisionEvent.objects.filter(item=item).values_list("action", "actor_name", "comment")) == [
        ("立项", "李市长", "3月1日常务会议批示")
    ]


def test_an_item_opened_by_the_supervisor_himself_sends_him_no_notification(city, open_item, today):
    """GIVEN the 督查员 opens an item WHEN it is saved THEN he is its 督查员 and gets no bell for it."""
    item = open_item()

    assert item.supervisor == city.supervisor
    assert not Notification.objects.filter(recipient=city.supervisor.user).exists()


def test_a_handler_cannot_open_an_item_by_hand(city, open_item, today):
    """GIVEN a 承办人 of 发改委 WHEN he tries to open an item by hand THEN it is refused and no number is
    used up: the next item opened is still 1号."""
    handler = make_person(username="sv-handler", name="冯承办", unit=city.ndrc, roles=(Role.HANDLER,))

    with pytest.raises(PermissionDenied):
        open_item(actor=handler.user)

    assert not SupervisionItem.objects.exists()
    assert open_item().number == "督〔2026〕1号"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"requirement": ""}, "requirement"),
        ({"due": date(2026, 3, 2)}, "due"),
        ({"due": date(2026, 2, 27)}, "due"),
    ],
)
def test_an_item_needs_a_title_a_requirement_and_a_future_due_date(city, open_item, today, overrides, field):
    """GIVEN 2 March WHEN an item is opened without a title, without a requirement, or due today or
    earlier THEN it is refused on that field and nothing is saved."""
    with pytest.raises(ValidationError) as refused:
        open_item(**overrides)

    assert field in refused.value.message_dict
    assert not SupervisionItem.objects.exists()


def test_a_classified_item_needs_cleared_people_and_stays_within_the_ceiling(city, open_item, today, settings):
    """GIVEN a deployment whose ceiling is 内部 WHEN a 机密 item is opened THEN it is refused; GIVEN the
    ceiling at 机密 THEN it is refused for a leader cleared only to 秘密, and for an opener above his
    own clearance; with everyone cleared it is opened as 机密."""
    secret = {"level": Level.SECRET, "basis": "《国家秘密目录》第3项"}
    with pytest.raises(ValidationError):
        open_item(**secret)

    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    with pytest.raises(ValidationError) as refused:
        open_item(instructing_leader=city.ndrc_staff, **secret)
    assert "instructing_leader" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        open_item(actor=city.supervisor2.user, **secret)  # 陈督查 is cleared to 内部
    assert not SupervisionItem.objects.exists()

    item = open_item(**secret)
    assert item.classification == Level.SECRET


def test_split_refused_to_people_without_the_role(city, open_item, split, today):
    """GIVEN an opened item WHEN 发改委's head tries to split it THEN it is refused and it stays 已立项."""
    item = open_item()

    with pytest.raises(PermissionDenied):
        services.item_split(actor=city.ndrc_head.user, item=item, tasks=[services.TaskSpec(lead_unit=city.ndrc)])

    item.refresh_from_db()
    assert item.state == ItemState.OPENED and not item.tasks.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_opening_numbers_items_without_gap_or_duplicate(city, today):
    """GIVEN 4 督查员 sessions (separate connections) WHEN each opens 5 items at the same moment THEN
    the 20 items are 督〔2026〕1号 … 20号: no duplicate, no gap, and the counter stands at 20."""
    threads_count, per_thread = 4, 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def open_some(index: int) -> None:
        try:
            actor = User.objects.get(pk=city.supervisor.user.pk)
            barrier.wait(timeout=60)
            for n in range(per_thread):
                services.item_open(
                    actor=actor,
                    title=f"第{index}-{n}项督办事项",
                    requirement="按期办结。",
                    source=Source.OTHER,
                )
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_some, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    numbers = sorted(SupervisionItem.objects.filter(year=2026).values_list("sequence", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 1))
    assert ItemCounter.objects.get(organ=city.organ, year=2026).last == threads_count * per_thread
    assert SupervisionItem.objects.get(sequence=7).number == "督〔2026〕7号"


def test_cancelling_an_item_cancels_its_deadlines_and_deletes_nothing(city, open_item, split, today):
    """GIVEN an item split to 发改委 (财政局 assisting, one milestone, a monthly report) with an
    extension pending WHEN the 督查员 cancels it with a reason THEN item and task are 已撤销, every
    Deadline is cancelled with the reason (none deleted), the extension is closed, the light is gone,
    and it cannot be cancelled again."""
    item = open_item()
    [task] = split(item, due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 20))])
    services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地未完成", new_due=date(2026, 5, 29), progress="完成60%"
    )
    deadlines = Deadline.objects.count()
    assert deadlines == 5  # split (met), task, assist, milestone, monthly report

    services.item_cancel(actor=city.supervisor.user, item=item, reason="批示领导已收回")

    item.refresh_from_db()
    task.refresh_from_db()
    assert (item.state, item.cancel_reason, task.state) == (ItemState.CANCELLED, "批示领导已收回", TaskState.CANCELLED)
    assert Deadline.objects.count() == deadlines
    assert not Deadline.objects.filter(state=DeadlineState.OPEN).exists()
    assert Deadline.objects.filter(state=DeadlineState.CANCELLED).count() == 4
    assert set(Deadline.objects.filter(state=DeadlineState.CANCELLED).values_list("events__reason", flat=True)) >= {
        "批示领导已收回"
    }
    assert not task.extension_requests.filter(state="pending").exists()
    assert SupervisionTask.objects.filter(pk=task.pk).exists()
    assert selectors.items_visible(user=city.supervisor.user).get().light == Light.NONE
    assert SupervisionEvent.objects.filter(item=item).last().action == "撤销"
    with pytest.raises(TransitionNotAllowed):
        services.item_cancel(actor=city.supervisor.user, item=item, reason="再次撤销")


def test_cancelling_needs_a_reason_and_the_supervisor_or_the_instructing_leader(city, open_item, today):
    """GIVEN an opened item WHEN 发改委's head cancels it THEN refused; WHEN the 督查员 gives no reason
    THEN refused; WHEN the leader who instructed cancels it with a reason THEN it is 已撤销."""
    item = open_item()

    with pytest.raises(PermissionDenied):
        services.item_cancel(actor=city.ndrc_head.user, item=item, reason="不需要了")
    with pytest.raises(ValidationError):
        services.item_cancel(actor=city.supervisor.user, item=item, reason=" ")
    item.refresh_from_db()
    assert item.state == ItemState.OPENED

    services.item_cancel(actor=city.leader.user, item=item, reason="情况变化")
    item.refresh_from_db()
    assert item.state == ItemState.CANCELLED
