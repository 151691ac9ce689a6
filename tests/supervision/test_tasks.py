"""分解交办 and 协办: each task, assisting unit, milestone and expected report is a Deadline held by the
right person or unit; a split that breaks a rule is refused whole; an assisting unit's input meets
its deadline and tells the lead unit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from supervision import services
from supervision.models import ItemState, Milestone, SupervisionEvent, SupervisionTask, TaskState
from supervision.services import TaskSpec
from tests.factories import UnitFactory
from tests.supervision.conftest import on


def open_deadlines(subject, kind: str = "supervision") -> list[tuple]:
    return [
        (d.due_date, d.responsible_person, d.responsible_unit, d.leader)
        for d in reminders.deadlines_of(subject)
        if d.kind_id == kind and d.state == DeadlineState.OPEN
    ]


def test_a_split_opens_a_deadline_for_each_task_assist_milestone_and_report(city, open_item, today):
    """GIVEN an item instructed by 李市长 WHEN the 督查员 splits it into a task led by 发改委 (财政局
    assisting, a milestone on 20 March, due 30 April) and one led by 财政局 with 周局长 named, due 31
    March THEN the item is 办理中 and its split deadline met; the first task is held by 钱主任 (the
    head) with the leader over it, 财政局 owes input by 30 April, the milestone is 钱主任's, the first
    monthly report is due 2 April; the second task (31 March) has no monthly report before it is due;
    the responsible people and the assisting unit's head are notified."""
    item = open_item()

    first, second = services.item_split(
        actor=city.supervisor.user,
        item=item,
        tasks=[
            TaskSpec(
                lead_unit=city.ndrc,
                title="制定改造方案",
                assisting_units=[city.finance],
                due=date(2026, 4, 30),
                milestones=[("完成方案", date(2026, 3, 20))],
            ),
            TaskSpec(lead_unit=city.finance, responsible_person=city.finance_head, due=date(2026, 3, 31)),
        ],
    )

    item.refresh_from_db()
    assert item.state == ItemState.ASSIGNED
    assert [d.state for d in reminders.deadlines_of(item)] == [DeadlineState.MET]
    assert (first.order, first.title, first.responsible_person, first.due) == (
        1,
        "制定改造方案",
        city.ndrc_head,
        date(2026, 4, 30),
    )
    assert (second.order, second.title) == (2, item.title)
    assert open_deadlines(first) == [(date(2026, 4, 30), city.ndrc_head, city.ndrc, city.leader)]
    assert open_deadlines(first.assists.get()) == [(date(2026, 4, 30), None, city.finance, None)]
    assert open_deadlines(first.milestones.get()) == [(date(2026, 3, 20), city.ndrc_head, city.ndrc, None)]
    assert open_deadlines(first, "supervision-report") == [(date(2026, 4, 2), city.ndrc_head, city.ndrc, None)]
    assert first.report_due == date(2026, 3, 20)  # the milestone comes first
    assert open_deadlines(second) == [(date(2026, 3, 31), city.finance_head, city.finance, city.leader)]
    assert open_deadlines(second, "supervision-report") == []
    assert Notification.objects.filter(recipient=city.ndrc_head.user, verb__contains="已交办").count() == 1
    assert Notification.objects.filter(recipient=city.finance_head.user, verb__contains="请协办").count() == 1
    assert Notification.objects.filter(recipient=city.finance_head.user, verb__contains="已交办").count() == 1
    assert SupervisionEvent.objects.filter(item=item, action="分解交办").count() == 2


def test_a_task_without_a_due_date_takes_the_items(city, open_item, split, today):
    """GIVEN an item due 17 March (normal instruction) WHEN it is split with no task due date THEN the
    task and its Deadline are due 17 March."""
    item = open_item()
    [task] = split(item)

    assert task.due == item.due == date(2026, 3, 17)
    assert [d[0] for d in open_deadlines(task)] == [date(2026, 3, 17)]


def test_a_milestone_on_a_rest_day_is_due_on_the_next_working_day(city, open_item, split, today):
    """GIVEN a milestone set for Saturday 21 March WHEN the item is split THEN the milestone and its
    Deadline are due Monday 23 March (§203), so the task is not shown as missing a report on Monday."""
    [task] = split(open_item(), due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 21))])

    milestone = task.milestones.get()
    assert milestone.due == date(2026, 3, 23)
    assert [d[0] for d in open_deadlines(milestone)] == [date(2026, 3, 23)]
    assert task.report_due == date(2026, 3, 23)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"assisting_units": ["ndrc"]}, "主办单位不能同时为协办单位"),
        ({"assisting_units": ["finance", "finance"]}, "协办单位重复"),
        ({"responsible_person": "finance_head"}, "责任人应为主办单位的人员"),
        ({"due": date(2026, 3, 2)}, "办结时限应晚于今天"),
        ({"due": date(2026, 2, 28)}, "办结时限应晚于今天"),
        ({"milestones": [("完成方案", date(2026, 5, 1))]}, "时间节点应在今天之后、办结时限之前"),
        ({"milestones": [("完成方案", date(2026, 3, 2))]}, "时间节点应在今天之后、办结时限之前"),
        ({"milestones": [(" ", date(2026, 3, 20))]}, "请填写时间节点的内容"),
    ],
)
def test_a_split_that_breaks_a_rule_is_refused_whole(city, open_item, today, spec, message):
    """GIVEN an item and a valid first task WHEN the second task names its lead unit as assisting, an
    assisting unit twice, a responsible person outside the lead unit, a due date today or past, or a
    milestone outside (today, due] or without a title THEN the split is refused with the reason,
    naming the task, and nothing is created: no task, no Deadline beyond the split one."""
    item = open_item()
    resolved = dict(spec)
    if "assisting_units" in spec:
        resolved["assisting_units"] = [getattr(city, name) for name in spec["assisting_units"]]
    if "responsible_person" in spec:
        resolved["responsible_person"] = getattr(city, spec["responsible_person"])
    good = TaskSpec(lead_unit=city.finance, due=date(2026, 4, 30))
    bad = TaskSpec(lead_unit=city.ndrc, **{"due": date(2026, 4, 30), **resolved})

    with pytest.raises(ValidationError) as refused:
        services.item_split(actor=city.supervisor.user, item=item, tasks=[good, bad])

    assert "第2项任务" in str(refused.value) and message in str(refused.value)
    assert not SupervisionTask.objects.exists() and not Milestone.objects.exists()
    assert Deadline.objects.count() == 1
    item.refresh_from_db()
    assert item.state == ItemState.OPENED


def test_a_responsible_person_below_the_items_classification_is_refused(city, open_item, today, settings):
    """GIVEN a 机密 item WHEN 孙科员 (秘密) is named responsible for 发改委's task THEN refused: he could
    not open the item he answers for; 钱主任 (机密) is accepted."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    item = open_item(level=Level.SECRET, basis="《国家秘密目录》第3项")

    with pytest.raises(ValidationError, match="涉密等级低于事项密级"):
        services.item_split(
            actor=city.supervisor.user,
            item=item,
            tasks=[TaskSpec(lead_unit=city.ndrc, responsible_person=city.ndrc_staff)],
        )
    [task] = services.item_split(actor=city.supervisor.user, item=item, tasks=[TaskSpec(lead_unit=city.ndrc)])
    assert task.responsible_person == city.ndrc_head


def test_a_lead_unit_without_a_head_needs_a_named_responsible_person(city, open_item, today):
    """GIVEN a unit with no head WHEN it is named lead unit without a responsible person THEN refused."""
    headless = UnitFactory(parent=city.organ, name="无负责人科室")

    with pytest.raises(ValidationError, match="请指定责任人"):
        services.item_split(actor=city.supervisor.user, item=open_item(), tasks=[TaskSpec(lead_unit=headless)])


def test_a_task_can_be_added_to_an_item_in_hand_but_not_to_a_finished_one(city, open_item, split, finish, today):
    """GIVEN an item split into one task WHEN a second task is added THEN it is numbered 2; once the
    item is done THEN another split is refused."""
    item = open_item()
    [first] = split(item, due=date(2026, 3, 31))
    [second] = split(item, lead_unit=city.finance, assisting_units=[], due=date(2026, 3, 31))
    assert second.order == 2

    finish(first)
    finish(second)
    item.refresh_from_db()
    assert item.state == ItemState.DONE
    with pytest.raises(TransitionNotAllowed):
        split(item, due=date(2026, 3, 31))


def test_the_assisting_unit_sends_its_input_and_its_deadline_is_met(city, open_item, split, today):
    """GIVEN a task led by 发改委 with 财政局 assisting WHEN 周局长 sends 财政局's input on 10 March THEN
    it is recorded, 财政局's Deadline is met on time, 钱主任 is told, and a second input is refused."""
    [task] = split(open_item(), due=date(2026, 4, 30))
    on(today, date(2026, 3, 10))

    assist = services.task_send_input(actor=city.finance_head.user, task=task, unit=city.finance, text="资金已落实")

    assert (assist.text, assist.sent_by) == ("资金已落实", city.finance_head)
    [deadline] = reminders.deadlines_of(assist)
    assert (deadline.state, deadline.met_on, deadline.met_on_time) == (DeadlineState.MET, date(2026, 3, 10), True)
    assert Notification.objects.filter(recipient=city.ndrc_head.user, verb__contains="协办单位已报送").count() == 1
    assert SupervisionEvent.objects.filter(task=task, action="协办意见").get().comment == "测试市财政局：资金已落实"
    with pytest.raises(TransitionNotAllowed):
        services.task_send_input(actor=city.finance_head.user, task=task, unit=city.finance, text="补充意见")


def test_input_comes_only_from_an_assisting_unit_and_says_something(city, open_item, split, today):
    """GIVEN a task with 财政局 assisting WHEN 发改委's staff send input for 财政局, input is sent for 发改委
    (not assisting), or 财政局 sends nothing THEN each is refused and 财政局 still owes its input."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    with pytest.raises(PermissionDenied):
        services.task_send_input(actor=city.ndrc_staff.user, task=task, unit=city.finance, text="代为报送")
    with pytest.raises(ValidationError):
        services.task_send_input(actor=city.ndrc_staff.user, task=task, unit=city.ndrc, text="本单位意见")
    with pytest.raises(ValidationError):
        services.task_send_input(actor=city.finance_head.user, task=task, unit=city.finance, text="  ")

    assert task.assists.get().sent_at is None
    assert [d.state for d in reminders.deadlines_of(task.assists.get())] == [DeadlineState.OPEN]


def test_the_final_report_releases_an_assisting_unit_that_never_sent_input(city, open_item, split, today):
    """GIVEN 财政局 has not sent its input WHEN 发改委 sends the final report THEN 财政局's Deadline is
    cancelled (it is no longer reminded about a task reported done) and the task awaits review."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    services.task_report(actor=city.ndrc_head.user, task=task, text="已办结", final=True)

    task.refresh_from_db()
    assert task.state == TaskState.REVIEW
    assert [d.state for d in reminders.deadlines_of(task.assists.get())] == [DeadlineState.CANCELLED]
    assert not Deadline.objects.filter(state=DeadlineState.OPEN).exists()
