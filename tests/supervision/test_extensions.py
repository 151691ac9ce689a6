"""延期: asked before the due date with reason, new date and progress; approved by the lead unit's head,
a 督查员 and the leader in charge (configurable); the last approval moves the Deadline through the
deadlines service, and its history shows the move."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from office.reminders import services as reminders
from office.reminders.models import DeadlineEvent, DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from supervision import selectors, services
from supervision.models import ExtensionRequest, ExtensionState, SupervisionEvent
from tests.supervision.conftest import on

NEW_DUE = date(2026, 4, 30)


def ask(city, task, actor=None, new_due=NEW_DUE, **overrides):
    arguments = {"reason": "征地手续未办完", "progress": "已完成60%", "new_due": new_due}
    arguments.update(overrides)
    return services.extension_request(actor=(actor or city.ndrc_staff).user, task=task, **arguments)


def task_deadline(task):
    [deadline] = [d for d in reminders.deadlines_of(task) if d.kind_id == "supervision"]
    return deadline


@pytest.mark.parametrize("day", [date(2026, 3, 31), date(2026, 4, 1)])
def test_an_extension_is_refused_on_or_after_the_due_date(city, open_item, split, today, day):
    """GIVEN a task due 31 March WHEN 发改委 asks to extend it on the due date or the day after THEN
    refused as not allowed now (the API answers 409) and no request exists."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    on(today, day)

    with pytest.raises(TransitionNotAllowed, match="之前申请"):
        ask(city, task)

    assert not ExtensionRequest.objects.exists()


def test_the_chain_approves_in_order_and_the_deadline_moves(city, open_item, split, today):
    """GIVEN a task due 31 March WHEN 孙科员 asks on 30 March to extend it to 30 April, and 钱主任 (the
    unit's head), 陈督查 (a 督查员 of 督查室) and 李市长 (who instructed) approve in turn THEN each
    approval passes the request on, the last one extends the task's Deadline to 30 April through the
    deadlines service — its history shows 31 March → 30 April with the reason — the task and its
    light follow, the 流转记录 shows 申请延期, 同意延期 ×3 and 延期, and 孙科员 is told."""
    item = open_item()
    [task] = split(item, due=date(2026, 3, 31))
    on(today, date(2026, 3, 30))

    request = ask(city, task)
    assert (request.chain, request.current_step, request.due_before) == (
        ["unit_head", "supervisor", "leader"],
        "unit_head",
        date(2026, 3, 31),
    )
    assert Notification.objects.filter(recipient=city.ndrc_head.user, verb__contains="延期申请待审批").exists()

    request = services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    assert (request.state, request.current_step) == (ExtensionState.PENDING, "supervisor")
    request = services.extension_decide(actor=city.supervisor2.user, request=request, approve=True)
    assert request.current_step == "leader"
    assert task_deadline(task).due_date == date(2026, 3, 31)  # nothing moves before the last approval
    request = services.extension_decide(actor=city.leader.user, request=request, approve=True, comment="同意")

    task.refresh_from_db()
    deadline = task_deadline(task)
    assert (request.state, task.due, deadline.due_date, deadline.state) == (
        ExtensionState.APPROVED,
        NEW_DUE,
        NEW_DUE,
        DeadlineState.OPEN,
    )
    assert list(
        DeadlineEvent.objects.filter(deadline=deadline, action="extend").values_list(
            "due_before", "due_after", "reason"
        )
    ) == [(date(2026, 3, 31), NEW_DUE, "征地手续未办完")]
    assert list(request.decisions.values_list("step", "approver__name", "approved")) == [
        ("unit_head", "钱主任", True),
        ("supervisor", "陈督查", True),
        ("leader", "李市长", True),
    ]
    assert list(SupervisionEvent.objects.filter(task=task).values_list("action", flat=True))[-5:] == [
        "申请延期",
        "同意延期",
        "同意延期",
        "同意延期",
        "延期",
    ]
    assert Notification.objects.filter(recipient=city.ndrc_staff.user, verb__contains="已批准").count() == 1
    on(today, date(2026, 4, 1))  # past the old date: the task is not overdue
    assert not selectors.overdue_tasks(user=city.supervisor.user).exists()


def test_the_wrong_approver_is_refused_at_each_step(city, open_item, split, today):
    """GIVEN a request waiting for the unit head WHEN the 督查员 or 周局长 decide THEN refused; once it
    waits for a 督查员 THEN 钱主任 is refused; once it waits for the leader THEN the 督查员 is refused."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    request = ask(city, task)

    for person in (city.supervisor, city.finance_head):
        with pytest.raises(PermissionDenied):
            services.extension_decide(actor=person.user, request=request, approve=True)
    request = services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    request = services.extension_decide(actor=city.supervisor.user, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=city.supervisor.user, request=request, approve=True)

    request.refresh_from_db()
    assert (request.state, request.current_step, request.decisions.count()) == (ExtensionState.PENDING, "leader", 2)


def test_a_refusal_needs_a_reason_and_ends_the_request(city, open_item, split, today):
    """GIVEN a request at the 督查员's step WHEN he refuses without a comment THEN refused; WHEN he
    refuses with one THEN the request is 未批准, the Deadline is unchanged, 孙科员 is told, and a new
    request may be made."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    request = services.extension_decide(actor=city.ndrc_head.user, request=ask(city, task), approve=True)

    with pytest.raises(ValidationError):
        services.extension_decide(actor=city.supervisor.user, request=request, approve=False, comment=" ")
    request = services.extension_decide(
        actor=city.supervisor.user, request=request, approve=False, comment="理由不充分"
    )

    task.refresh_from_db()
    assert request.state == ExtensionState.REFUSED
    assert (task.due, task_deadline(task).due_date) == (date(2026, 3, 31), date(2026, 3, 31))
    assert not DeadlineEvent.objects.filter(action="extend").exists()
    assert Notification.objects.filter(recipient=city.ndrc_staff.user, verb__contains="未获批准").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.extension_decide(actor=city.leader.user, request=request, approve=True)
    assert ask(city, task).state == ExtensionState.PENDING


def test_the_chain_is_configurable(city, open_item, split, today, settings):
    """GIVEN a chain of the 督查员 alone WHEN he approves THEN the Deadline moves at once."""
    settings.SUPERVISION_EXTENSION_CHAIN = ["supervisor"]
    [task] = split(open_item(), due=date(2026, 3, 31))

    request = ask(city, task)
    assert request.chain == ["supervisor"]
    services.extension_decide(actor=city.supervisor.user, request=request, approve=True)

    task.refresh_from_db()
    assert task.due == task_deadline(task).due_date == NEW_DUE


def test_the_heads_own_request_passes_his_step(city, open_item, split, today):
    """GIVEN 钱主任, head of 发改委 WHEN he asks for an extension himself THEN his step is recorded as
    approved (本人申请) and the request waits for a 督查员."""
    [task] = split(open_item(), due=date(2026, 3, 31))

    request = ask(city, task, actor=city.ndrc_head)

    assert request.current_step == "supervisor"
    assert list(request.decisions.values_list("step", "approver", "comment")) == [
        ("unit_head", city.ndrc_head.pk, "本人申请")
    ]


def test_without_an_instructing_leader_the_leader_step_is_left_out(city, open_item, split, today):
    """GIVEN an item from a meeting with no instructing leader WHEN an extension is asked THEN the chain
    is the unit head and the 督查员, and their two approvals move the Deadline."""
    [task] = split(open_item(source="meeting", instructing_leader=None), due=date(2026, 3, 31))

    request = ask(city, task)
    assert request.chain == ["unit_head", "supervisor"]
    request = services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    request = services.extension_decide(actor=city.supervisor.user, request=request, approve=True)

    task.refresh_from_db()
    assert (request.state, task.due) == (ExtensionState.APPROVED, NEW_DUE)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"progress": ""}, "progress"),
        ({"new_due": date(2026, 3, 31)}, "new_due"),
        ({"new_due": date(2026, 3, 20)}, "new_due"),
    ],
)
def test_a_request_needs_reason_progress_and_a_later_date(city, open_item, split, today, overrides, field):
    """GIVEN a task due 31 March WHEN a request lacks a reason or progress, or asks for a date not after
    31 March THEN refused on that field and nothing is asked of anyone."""
    [task] = split(open_item(), due=date(2026, 3, 31))

    with pytest.raises(ValidationError) as refused:
        ask(city, task, **overrides)

    assert field in refused.value.message_dict
    assert not ExtensionRequest.objects.exists()


def test_only_the_lead_unit_asks_and_one_request_at_a_time(city, open_item, split, today):
    """GIVEN a task led by 发改委 WHEN 周局长 of the assisting 财政局 asks THEN refused; WHEN 发改委 asks
    twice THEN the second is refused while the first is pending."""
    [task] = split(open_item(), due=date(2026, 3, 31))

    with pytest.raises(PermissionDenied):
        ask(city, task, actor=city.finance_head)
    ask(city, task)
    with pytest.raises(TransitionNotAllowed):
        ask(city, task, new_due=date(2026, 5, 29))
    assert ExtensionRequest.objects.count() == 1


def test_an_extension_to_a_rest_day_ends_on_the_next_working_day(city, open_item, split, today, settings):
    """GIVEN a task due 31 March WHEN an extension to Saturday 4 April (清明) is approved THEN the task
    and its Deadline are due Tuesday 7 April."""
    settings.SUPERVISION_EXTENSION_CHAIN = ["supervisor"]
    [task] = split(open_item(), due=date(2026, 3, 31))

    services.extension_decide(
        actor=city.supervisor.user, request=ask(city, task, new_due=date(2026, 4, 4)), approve=True
    )

    task.refresh_from_db()
    assert task.due == task_deadline(task).due_date == date(2026, 4, 7)


def test_no_more_extensions_than_the_kind_allows(city, open_item, split, today, settings):
    """GIVEN the 督查督办 kind allows two extensions and a task extended twice WHEN a third is asked
    THEN it is refused at once, not after the whole chain has approved it."""
    settings.SUPERVISION_EXTENSION_CHAIN = ["supervisor"]
    [task] = split(open_item(), due=date(2026, 3, 31))
    for new_due in (date(2026, 4, 30), date(2026, 5, 29)):
        services.extension_decide(actor=city.supervisor.user, request=ask(city, task, new_due=new_due), approve=True)
        task.refresh_from_db()

    with pytest.raises(TransitionNotAllowed, match="不能再申请延期"):
        ask(city, task, new_due=date(2026, 6, 30))
    assert task.due == date(2026, 5, 29)


def test_a_final_report_closes_a_pending_extension(city, open_item, split, today):
    """GIVEN an extension waiting for approval WHEN 发改委 sends its final report THEN the request is
    closed and approving it later is refused (there is nothing left to extend)."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    request = ask(city, task)

    services.task_report(actor=city.ndrc_head.user, task=task, text="已办结", final=True)

    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED
    with pytest.raises(TransitionNotAllowed):
        services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)


# --- Approval once the due date has passed ---------------------------------------------------------


def asked_in_time_and_now_past_due(city, open_item, split, today):
    """A task due Tuesday 31 March 2026, extension asked on 30 March, its unit head's approval on 31
    March; the clock then moves to Wednesday 1 April, the day after the due date."""
    item = open_item()
    [task] = split(item, due=date(2026, 3, 31))
    on(today, date(2026, 3, 30))
    request = ask(city, task)
    on(today, date(2026, 3, 31))
    request = services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    on(today, date(2026, 4, 1))
    return item, task, request


def test_an_extension_asked_in_time_cannot_be_approved_after_the_due_date(city, open_item, split, today):
    """GIVEN a task due 31 March whose extension was asked on 30 March and passed the unit head on 31
    March WHEN the 督查员 approves it on 1 April THEN refused as too late (naming the due date, and
    saying to refuse it instead), no decision is recorded, the task and its Deadline stay due 31 March;
    refusing it is still possible."""
    _item, task, request = asked_in_time_and_now_past_due(city, open_item, split, today)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.extension_decide(actor=city.supervisor.user, request=request, approve=True)

    assert "办结时限（2026年3月31日）已过，不能再批准延期" in refused.value.message
    request.refresh_from_db()
    task.refresh_from_db()
    assert (request.state, request.current_step, request.decisions.count()) == (ExtensionState.PENDING, "supervisor", 1)
    assert (task.due, task_deadline(task).due_date) == (date(2026, 3, 31), date(2026, 3, 31))
    assert not DeadlineEvent.objects.filter(action="extend").exists()
    request = services.extension_decide(
        actor=city.supervisor.user, request=request, approve=False, comment="已过办结时限"
    )
    assert request.state == ExtensionState.REFUSED


def test_the_api_answers_409_to_an_approval_after_the_due_date(city, open_item, split, today):
    """GIVEN the same request on 1 April WHEN the 督查员 approves it through the API THEN 409 JSON with
    the reason in Chinese, and the task is still due 31 March."""
    item, task, request = asked_in_time_and_now_past_due(city, open_item, split, today)
    client = APIClient()
    client.force_authenticate(user=city.supervisor.user)

    response = client.post(
        f"/api/v1/supervision/items/{item.pk}/extensions/{request.pk}/decide/", {"approve": True}, format="json"
    )

    assert response.status_code == 409
    assert "办结时限（2026年3月31日）已过，不能再批准延期" in response.json()["detail"]
    task.refresh_from_db()
    assert task.due == date(2026, 3, 31)


def test_the_page_refuses_an_approval_after_the_due_date_with_the_reason(client, city, open_item, split, today):
    """GIVEN the same request on 1 April WHEN the 督查员 presses 同意 on the item's page THEN the page
    comes back 409 with the reason, and the request still waits for him."""
    item, _task, request = asked_in_time_and_now_past_due(city, open_item, split, today)
    client.force_login(city.supervisor.user)

    response = client.post(f"/supervision/{item.pk}/extensions/{request.pk}/decide/", {"decide-decision": "approve"})

    assert response.status_code == 409
    assert "办结时限（2026年3月31日）已过，不能再批准延期" in response.content.decode()
    request.refresh_from_db()
    assert (request.state, request.current_step) == (ExtensionState.PENDING, "supervisor")
