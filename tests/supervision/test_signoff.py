"""单位审签: a 科员's 办结报告 goes first to the lead unit's head, who sends it on to the 督查员
(转报督查员) or returns it with the reason (退回修改); the head's own report goes straight on.

The city and its people come from ``conftest.py``: 发改委 leads the task (head 钱主任, staff
孙科员), 财政局 assists; the clock stands on Monday 2 March 2026 (``today``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders.models import DeadlineState, Notification
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from supervision import selectors, services
from supervision.models import Light, ProgressReport, ReportKind, SignOff, SupervisionEvent, TaskState
from tests.factories import OrganFactory, make_person
from tests.supervision.api_helpers import as_, assert_conflict, assert_forbidden, assert_invalid, post
from tests.supervision.api_helpers import task_url as api_task_url
from tests.supervision.conftest import on, set_head

pytestmark = pytest.mark.django_db

APRIL_30 = date(2026, 4, 30)


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def actions(item) -> list[str]:
    return list(SupervisionEvent.objects.filter(item=item).order_by("id").values_list("action", flat=True))


def notices(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def task_deadline(task):
    return next(d for d in deadlines_of(task) if d.kind_id == "supervision" and d.state != DeadlineState.CANCELLED)


@pytest.fixture
def by_staff(city, task):
    """孙科员's 办结报告 on the task, waiting for 钱主任's 审签."""
    services.task_report(actor=city.ndrc_staff.user, task=task, text="12个小区全部完工。", final=True)
    return fresh(task)


def test_a_staff_report_waits_for_the_unit_head_not_the_supervisor(city, item, by_staff):
    """GIVEN a task of 发改委 WHEN 孙科员 (not its head) sends the 办结报告 THEN it waits for 钱主任's
    审签: he is told, the 督查员 is not, and the task's 办结时限 still runs."""
    assert by_staff.state == TaskState.SIGNOFF and by_staff.submitted_on is None
    assert any("办结报告待您审签" in verb for verb in notices(city.ndrc_head))
    assert not any("办结报告待审核" in verb for verb in notices(city.supervisor))
    assert task_deadline(by_staff).state == DeadlineState.OPEN
    assert actions(item)[-1] == "报送办结报告"
    assert [t.pk for t in selectors.my_tasks(user=city.ndrc_head.user)["signoff"]] == [by_staff.pk]
    assert not selectors.my_tasks(user=city.ndrc_staff.user)["signoff"].exists()
    assert not selectors.my_tasks(user=city.supervisor.user)["review"].exists()


def test_the_head_forwards_it_and_the_supervisor_reviews_it(city, item, by_staff, today):
    """GIVEN 孙科员's report waiting WHEN 钱主任 sends it on two days later THEN the task waits for
    审核, its 办结时限 is met on that day, the 督查员 is told, and his 审结 finishes the item."""
    on(today, date(2026, 3, 4))
    services.task_sign_off(actor=city.ndrc_head.user, task=by_staff, forward=True, comment="同意，转报。")

    task = fresh(by_staff)
    report = ProgressReport.objects.get(task=task, kind=ReportKind.FINAL)
    assert (task.state, task.submitted_on) == (TaskState.REVIEW, date(2026, 3, 4))
    assert (report.signoff, report.signed_off_by, report.signoff_comment) == (
        SignOff.FORWARDED,
        city.ndrc_head,
        "同意，转报。",
    )
    assert task_deadline(task).state == DeadlineState.MET
    assert any("办结报告待审核" in verb for verb in notices(city.supervisor))
    assert actions(item)[-1] == "转报督查员"

    services.task_review(actor=city.supervisor.user, task=task, accept=True, comment="同意审结")
    assert fresh(task).state == TaskState.DONE and fresh(task).done_on_time is True
    assert fresh(report).review == "accepted"


def test_forwarded_after_the_due_date_counts_as_late(city, item, split, open_item, today):
    """GIVEN 孙科员's report sent on the due date WHEN 钱主任 sends it on the day after THEN the
    unit reported late: the light is red while it waits, and the 审结 is not on time."""
    late_item = open_item(title="整治背街小巷")
    split(late_item, due=date(2026, 3, 10))
    task = late_item.tasks.get()
    on(today, date(2026, 3, 10))
    services.task_report(actor=city.ndrc_staff.user, task=task, text="已完成", final=True)
    on(today, date(2026, 3, 11))
    assert selectors.with_task_light(type(task).objects.filter(pk=task.pk)).get().light == Light.RED
    assert task.pk in {t.pk for t in selectors.overdue_tasks(user=city.supervisor.user)}

    services.task_sign_off(actor=city.ndrc_head.user, task=task, forward=True)
    services.task_review(actor=city.supervisor.user, task=task, accept=True)

    assert fresh(task).done_on_time is False


def test_the_head_returns_it_with_the_reason(city, item, by_staff):
    """GIVEN 孙科员's report waiting WHEN 钱主任 returns it with the reason THEN the task is in hand
    again with its deadline as it was, 孙科员 is told, and his next report waits again."""
    services.task_sign_off(actor=city.ndrc_head.user, task=by_staff, forward=False, comment="请补充验收材料")

    task = fresh(by_staff)
    report = ProgressReport.objects.get(task=task, kind=ReportKind.FINAL)
    assert task.state == TaskState.ASSIGNED and task.due == APRIL_30
    assert (report.signoff, report.signoff_comment) == (SignOff.RETURNED, "请补充验收材料")
    assert task_deadline(task).state == DeadlineState.OPEN
    assert any("退回修改" in verb for verb in notices(city.ndrc_staff))
    assert actions(item)[-1] == "退回修改"
    assert task.report_due == date(2026, 3, 20)  # the milestone is expected again

    services.task_report(actor=city.ndrc_staff.user, task=task, text="已补充验收材料", final=True)
    services.task_sign_off(actor=city.ndrc_head.user, task=task, forward=True)
    services.task_review(actor=city.supervisor.user, task=task, accept=False, missing="缺少群众评议", new_due=APRIL_30)
    reports = list(ProgressReport.objects.filter(task=task, kind=ReportKind.FINAL).order_by("id"))
    assert [(r.signoff, r.review) for r in reports] == [(SignOff.RETURNED, ""), (SignOff.FORWARDED, "returned")]


def test_a_return_needs_a_reason_and_changes_nothing_without_one(city, item, by_staff):
    events = actions(item)
    with pytest.raises(ValidationError) as refused:
        services.task_sign_off(actor=city.ndrc_head.user, task=by_staff, forward=False, comment="  ")
    assert "请写明退回修改的原因" in str(refused.value)
    assert fresh(by_staff).state == TaskState.SIGNOFF and actions(item) == events


@pytest.mark.parametrize("who", ["ndrc_staff", "supervisor", "finance_head", "leader"])
def test_only_the_unit_head_or_its_leaders_sign(city, item, by_staff, who):
    """GIVEN a report waiting for 审签 WHEN anyone but 发改委's head tries THEN it is refused."""
    with pytest.raises(PermissionDenied):
        services.task_sign_off(actor=getattr(city, who).user, task=by_staff, forward=True)
    assert fresh(by_staff).state == TaskState.SIGNOFF


def test_a_leader_of_the_unit_signs_and_his_own_report_goes_straight_on(city, item, task):
    """GIVEN a 副主任 of 发改委 with the 领导 role WHEN 孙科员's report waits THEN he may sign it;
    and a report he writes himself goes straight to the 督查员."""
    deputy = make_person(username="sv-ndrc-deputy", name="冯副主任", unit=city.ndrc, roles=(Role.LEADER,))
    services.task_report(actor=city.ndrc_staff.user, task=task, text="已完成", final=True)
    assert any("办结报告待您审签" in verb for verb in notices(deputy))
    services.task_sign_off(actor=deputy.user, task=task, forward=False, comment="数据需核实")

    services.task_report(actor=deputy.user, task=task, text="数据已核实，全部完成", final=True)
    assert fresh(task).state == TaskState.REVIEW


def test_the_head_s_own_report_goes_straight_to_the_supervisor(city, item, task):
    services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    assert fresh(task).state == TaskState.REVIEW
    assert "单位审签" not in actions(item) and "转报督查员" not in actions(item)


def test_no_signoff_outside_the_signoff_state(city, item, task):
    with pytest.raises(TransitionNotAllowed) as refused:
        services.task_sign_off(actor=city.ndrc_head.user, task=task, forward=True)
    assert "没有待审签的办结报告" in str(refused.value)


# --- The page and the API ----------------------------------------------------------------------------


def signoff_url(task) -> str:
    return f"/supervision/{task.item_id}/tasks/{task.pk}/signoff/"


def test_the_signoff_through_the_pages(client, city, item, task):
    """GIVEN the item's page WHEN 孙科员 sends the 办结报告 THEN he is told it went to his head; 钱主任
    finds it in 我的督办 and on the page with the 审签 form (孙科员 and the 督查员 do not), returns it
    without a reason (400, nothing changed), then sends it on."""
    client.force_login(city.ndrc_staff.user)
    sent = client.post(f"/supervision/{item.pk}/tasks/{task.pk}/final/", {"final-text": "全部完工。"}, follow=True)
    assert "已报送本单位负责人审签" in sent.content.decode()
    assert 'data-testid="action-signoff"' not in sent.content.decode()
    assert 'data-testid="report-signoff-pending"' in sent.content.decode()

    client.force_login(city.supervisor.user)
    assert 'data-testid="action-signoff"' not in client.get(f"/supervision/{item.pk}/").content.decode()
    assert client.post(signoff_url(task), {"signoff-decision": "forward"}).status_code == 403

    client.force_login(city.ndrc_head.user)
    mine = client.get("/supervision/mine/").content.decode()
    assert 'data-testid="mine-signoff"' in mine and item.title in mine
    assert 'data-testid="action-signoff"' in client.get(f"/supervision/{item.pk}/").content.decode()
    bad = client.post(signoff_url(task), {"signoff-decision": "return", "signoff-comment": ""})
    assert bad.status_code == 400 and "请写明退回修改的原因" in bad.content.decode()
    assert fresh(task).state == TaskState.SIGNOFF
    done = client.post(signoff_url(task), {"signoff-decision": "forward", "signoff-comment": "同意"}, follow=True)
    assert "已转报督查员审核" in done.content.decode() and 'data-testid="report-signoff"' in done.content.decode()
    assert fresh(task).state == TaskState.REVIEW
    assert client.post(signoff_url(task), {"signoff-decision": "forward"}).status_code == 409


def test_an_outsider_cannot_reach_the_signoff(client, city, item, by_staff):
    client.force_login(city.outsider.user)
    assert client.post(signoff_url(by_staff), {"signoff-decision": "forward"}).status_code == 404
    assert post(city.outsider, api_task_url(by_staff, "signoff"), {"forward": True}).status_code == 404
    assert fresh(by_staff).state == TaskState.SIGNOFF and notices(city.outsider) == []


def test_the_signoff_through_the_api(city, item, by_staff):
    assert_forbidden(post(city.ndrc_staff, api_task_url(by_staff, "signoff"), {"forward": True}))
    assert_invalid(post(city.ndrc_head, api_task_url(by_staff, "signoff"), {"forward": False}), "comment")
    assert_invalid(post(city.ndrc_head, api_task_url(by_staff, "signoff"), {}), "forward")
    queue = as_(city.ndrc_head).get("/api/v1/supervision/items/mine/").json()["signoff"]
    assert queue["count"] == 1 and queue["results"][0]["id"] == by_staff.pk

    answer = post(city.ndrc_head, api_task_url(by_staff, "signoff"), {"forward": True, "comment": "同意"})
    assert answer.status_code == 200
    [task] = answer.json()["tasks"]
    assert task["state"] == "review" and task["reports"][-1]["signoff"] == "forwarded"
    assert task["reports"][-1]["signed_off_by_name"] == "钱主任"
    assert_conflict(post(city.ndrc_head, api_task_url(by_staff, "signoff"), {"forward": True}))


def test_with_no_head_cleared_for_the_item_the_report_goes_straight_on(city, open_item, split, settings, today):
    """GIVEN a 秘密 item led by a bureau whose head is cleared for 内部 only WHEN its 科员 (cleared)
    sends the 办结报告 THEN it goes straight to the 督查员: nobody could sign it."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    bureau = OrganFactory(parent=city.organ, name="测试市生态环境局")
    set_head(bureau, make_person(username="sv-env-head", name="环保局长", unit=bureau))
    clerk = make_person(username="sv-env-staff", name="环保科员", unit=bureau, clearance=Level.CONFIDENTIAL)
    item = open_item(
        title="秘密事项", level=Level.CONFIDENTIAL, basis="保密事项范围第3项", term_unit="years", term_amount=10
    )
    split(item, lead_unit=bureau, assisting_units=[], responsible_person=clerk)

    services.task_report(actor=clerk.user, task=item.tasks.get(), text="已完成", final=True)
    assert item.tasks.get().state == TaskState.REVIEW
