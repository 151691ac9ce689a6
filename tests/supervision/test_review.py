"""审核: the 督查员 accepts a final report (审结: the task is done, on time by the day it was submitted;
the item is done with its last task and the instructing leader is told) or returns it (退回重办:
what is missing and a new due date; the task reopens with a new Deadline)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.reminders import services as reminders
from office.reminders.models import DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from supervision import services
from supervision.models import ItemState, Review, SupervisionEvent, TaskState
from tests.supervision.conftest import on


def final(city, task, day, today, text="已全部办结。"):
    on(today, day)
    return services.task_report(actor=city.ndrc_head.user, task=task, text=text, final=True)


def task_deadlines(task) -> list[tuple]:
    return [
        (d.due_date, d.state, d.met_on_time)
        for d in sorted(reminders.deadlines_of(task), key=lambda d: d.pk)
        if d.kind_id == "supervision"
    ]


def test_accepting_the_last_task_finishes_the_item_and_tells_the_leader(city, open_item, split, today):
    """GIVEN an item instructed by 李市长 split into two tasks due 31 March WHEN the 督查员 accepts the
    first (reported 20 March) THEN that task is 已审结 on time and the item still 办理中; WHEN he
    accepts the second THEN the item is 已办结 on time, 办结 is recorded, and 李市长 is told."""
    item = open_item()
    [first] = split(item, due=date(2026, 3, 31))
    [second] = split(item, lead_unit=city.finance, assisting_units=[], due=date(2026, 3, 31))
    final(city, first, date(2026, 3, 20), today)

    services.task_review(actor=city.supervisor.user, task=first, accept=True, comment="材料齐全")

    first.refresh_from_db()
    item.refresh_from_db()
    assert (first.state, first.done_on_time) == (TaskState.DONE, True)
    assert first.reports.get().review == Review.ACCEPTED
    assert item.state == ItemState.ASSIGNED
    assert not Notification.objects.filter(recipient=city.leader.user, verb__contains="已办结").exists()

    on(today, date(2026, 3, 25))
    services.task_report(actor=city.finance_head.user, task=second, text="已办结", final=True)
    services.task_review(actor=city.supervisor2.user, task=second, accept=True)

    item.refresh_from_db()
    assert (item.state, item.done_on_time) == (ItemState.DONE, True)
    assert item.done_at is not None
    assert SupervisionEvent.objects.filter(item=item).last().action == "办结"
    assert Notification.objects.filter(recipient=city.leader.user, verb__contains="已办结").count() == 1


@pytest.mark.parametrize(
    ("submitted", "reviewed", "on_time"),
    [
        (date(2026, 3, 31), date(2026, 3, 31), True),  # on the due date itself
        (date(2026, 3, 30), date(2026, 4, 3), True),  # reviewed after the due date: the submission counts
        (date(2026, 4, 1), date(2026, 4, 1), False),  # a day late
    ],
)
def test_on_time_is_judged_by_the_day_the_final_report_came(
    city, open_item, split, today, submitted, reviewed, on_time
):
    """GIVEN a task due Tuesday 31 March WHEN its final report comes on ``submitted`` and is accepted on
    ``reviewed`` THEN the task and the item are done on time exactly when it came by 31 March, and the
    task's Deadline was met on time or late accordingly."""
    item = open_item()
    [task] = split(item, due=date(2026, 3, 31))
    final(city, task, submitted, today)
    on(today, reviewed)

    services.task_review(actor=city.supervisor.user, task=task, accept=True)

    task.refresh_from_db()
    item.refresh_from_db()
    assert (task.done_on_time, item.done_on_time) == (on_time, on_time)
    assert task_deadlines(task) == [(date(2026, 3, 31), DeadlineState.MET, on_time)]


def test_returning_a_task_reopens_it_with_a_new_deadline(city, open_item, split, today):
    """GIVEN a final report sent on 20 March for a task due 31 March WHEN the 督查员 returns it on 23
    March with what is missing and a new due date of Saturday 11 April THEN the task is 办理中 again
    with one return, due Monday 13 April (§203) by a new open Deadline (the old one stays met), a
    monthly report is expected again, the report shows 退回重办 with the reason, and 钱主任 is told."""
    item = open_item()
    [task] = split(item, due=date(2026, 3, 31))
    report = final(city, task, date(2026, 3, 20), today)
    on(today, date(2026, 3, 23))

    services.task_review(
        actor=city.supervisor.user, task=task, accept=False, missing="缺少验收材料", new_due=date(2026, 4, 11)
    )

    task.refresh_from_db()
    report.refresh_from_db()
    assert (task.state, task.returns, task.due, task.submitted_on) == (TaskState.ASSIGNED, 1, date(2026, 4, 13), None)
    assert task_deadlines(task) == [
        (date(2026, 3, 31), DeadlineState.MET, True),
        (date(2026, 4, 13), DeadlineState.OPEN, None),
    ]
    [reopened] = [
        d for d in reminders.deadlines_of(task) if d.state == DeadlineState.OPEN and d.kind_id == "supervision"
    ]
    assert (reopened.responsible_person, reopened.leader) == (city.ndrc_head, city.leader)
    assert task.report_due is None  # 23 April is after the new due date: the final report covers it
    assert (report.review, report.review_comment, report.reviewed_by) == (
        Review.RETURNED,
        "缺少验收材料",
        city.supervisor,
    )
    assert Notification.objects.filter(recipient=city.ndrc_head.user, verb__contains="退回重办").count() == 1
    assert "重办时限：2026年4月13日" in SupervisionEvent.objects.filter(task=task).last().comment
    item.refresh_from_db()
    assert item.state == ItemState.ASSIGNED

    # The second final report, by the new date, is on time.
    final(city, task, date(2026, 4, 13), today, text="已补充验收材料")
    services.task_review(actor=city.supervisor.user, task=task, accept=True)
    task.refresh_from_db()
    assert (task.state, task.done_on_time, task.returns) == (TaskState.DONE, True, 1)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"missing": "", "new_due": date(2026, 4, 10)}, "missing"),
        ({"missing": "缺少验收材料"}, "new_due"),
        ({"missing": "缺少验收材料", "new_due": date(2026, 3, 20)}, "new_due"),
    ],
)
def test_a_return_needs_what_is_missing_and_a_future_due_date(city, open_item, split, today, arguments, field):
    """GIVEN a final report waiting on 20 March WHEN the 督查员 returns it without saying what is
    missing, without a new due date, or with one not after today THEN refused: it still waits."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    final(city, task, date(2026, 3, 20), today)

    with pytest.raises(ValidationError) as refused:
        services.task_review(actor=city.supervisor.user, task=task, accept=False, **arguments)

    assert field in refused.value.message_dict
    task.refresh_from_db()
    assert (task.state, task.returns) == (TaskState.REVIEW, 0)
    assert task.reports.get().review == ""


def test_only_a_supervisor_reviews(city, open_item, split, today):
    """GIVEN a final report waiting WHEN 发改委's head or the 副市长 try to accept it THEN refused."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    final(city, task, date(2026, 3, 20), today)

    for person in (city.ndrc_head, city.leader, city.chief):
        with pytest.raises(PermissionDenied):
            services.task_review(actor=person.user, task=task, accept=True)

    task.refresh_from_db()
    assert task.state == TaskState.REVIEW


def test_there_is_nothing_to_review_before_the_final_report(city, open_item, split, today):
    """GIVEN a task in hand WHEN the 督查员 tries to accept it THEN refused: no final report waits."""
    [task] = split(open_item(), due=date(2026, 3, 31))

    with pytest.raises(TransitionNotAllowed):
        services.task_review(actor=city.supervisor.user, task=task, accept=True)
