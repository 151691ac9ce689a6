"""Offered ⇔ accepted for supervision's machines (``supervision.rules``): in the demo office, for a
record in every state, every demo person and every step, the step is offered exactly when the
service takes it (each attempt rolled back)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from office.confidentiality.levels import Level
from office.org.models import Unit, User
from supervision import rules, services
from supervision.models import ExtensionRequest, ExtensionState, ItemState, SupervisionItem, SupervisionTask, TaskState
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    """The demo office (as ``make run`` loads it: ceiling raised, so classified items are tried too)
    and its people."""
    settings.SHUNIU_DEMO, settings.SHUNIU_CLASSIFICATION_CEILING = True, Level.TOP_SECRET
    call_command("seed_demo", stdout=io.StringIO())
    return list(User.objects.filter(person__is_demo=True).select_related("person__unit").order_by("username"))


def _lead_unit_for(item: SupervisionItem) -> Unit:
    """A unit of the item's organ whose head may answer for it (cleared for the item)."""
    for unit in Unit.objects.filter(organ=item.organ, head__isnull=False).select_related("head").order_by("code"):
        if unit.head.unit_id == unit.pk and unit.head.clearance >= item.classification:
            return unit
    raise AssertionError("the demo organ has no unit to split to")


def _attempt_item(step: str, user: User, item: SupervisionItem) -> None:
    if step == "split":
        due = timezone.localdate() + timedelta(days=30)
        spec = services.TaskSpec(lead_unit=_lead_unit_for(item), due=due)
        services.item_split(actor=user, item=item, tasks=[spec])
    elif step == "cancel":
        services.item_cancel(actor=user, item=item, reason="情况变化，不再督办")
    elif step == "chase":
        services.item_chase(actor=user, item=item, text="请于3日内报送办理进展")
    elif step == "instruct":
        services.item_instruct(actor=user, item=item, text="请抓紧推进，按期办结")


def _attempt_task(step: str, user: User, task: SupervisionTask) -> None:
    if step == "input":
        offered = rules.TASK.offered(user, task).get("input") or [a.unit for a in task.assists.all()]
        if not offered:  # no assisting unit: nobody sends input (the form offers no unit to pick)
            raise PermissionDenied("no assisting unit")
        services.task_send_input(actor=user, task=task, unit=offered[0], text="协办意见：同意主办单位方案")
    elif step == "progress":
        services.task_report(actor=user, task=task, text="已完成调研", percent=50)
    elif step == "final":
        services.task_report(actor=user, task=task, text="已全部办结", final=True)
    elif step == "extension":
        services.extension_request(
            actor=user, task=task, reason="涉及多个部门", new_due=task.due + timedelta(days=20), progress="已完成大半"
        )
    elif step == "signoff":
        services.task_sign_off(actor=user, task=task, forward=True, comment="同意，转报督查员")
    elif step == "review":
        services.task_review(actor=user, task=task, accept=True, comment="同意审结")


def _attempt_extension(step: str, user: User, request: ExtensionRequest) -> None:
    services.extension_decide(
        actor=user, request=request, approve=step == "approve", comment="" if step == "approve" else "理由不充分"
    )


def _one_per(queryset, field: str, states) -> list:
    found = [queryset.filter(**{field: state}).order_by("pk").first() for state in states]
    missing = [state for state, record in zip(states, found, strict=True) if record is None]
    assert not missing, f"the demo has no record in {missing}"
    return found


def test_every_step_is_offered_exactly_when_the_service_takes_it(demo):
    """GIVEN the demo office, an item in every state (opened, in hand, done, cancelled; one with a red
    task, one classified), a task in every state — in hand (with input owed, with an extension
    pending, past its due date), a 科员's 办结报告 awaiting the unit head's 审签, awaiting review,
    done, cancelled — and extension requests pending at a step and approved WHEN each demo
    person is offered each record's steps and tries every one THEN what is offered is what the
    service takes (the item's ``finish`` is taken by the last 审结, never by hand)."""
    items = _one_per(SupervisionItem.objects.all(), "state", list(ItemState))
    # In hand with a red task (what a 催办 presses), and classified (批示 only within its 知悉范围).
    items.append(SupervisionItem.objects.filter(state=ItemState.ASSIGNED, tasks__due__lt=timezone.localdate()).first())
    items.append(SupervisionItem.objects.filter(state=ItemState.ASSIGNED, classification__gt=Level.INTERNAL).first())
    assert None not in items
    steps = ["split", "cancel", "chase", "instruct"]
    assert mismatches(rules.ITEM, items, demo, _attempt_item, steps=steps) == []

    today = timezone.localdate()
    tasks = _one_per(SupervisionTask.objects.all(), "state", list(TaskState))
    in_hand = SupervisionTask.objects.filter(state=TaskState.ASSIGNED)
    for variant in (
        in_hand.filter(assists__sent_at__isnull=True),
        in_hand.filter(extension_requests__state=ExtensionState.PENDING),
        in_hand.filter(due__lt=today),
    ):
        task = variant.order_by("pk").first()
        assert task is not None
        tasks.append(task)
    assert mismatches(rules.TASK, tasks, demo, _attempt_task) == []

    requests = list(ExtensionRequest.objects.filter(state=ExtensionState.PENDING).order_by("pk")[:2])
    requests += _one_per(ExtensionRequest.objects.all(), "state", [ExtensionState.APPROVED])
    assert requests[0].state == ExtensionState.PENDING
    assert mismatches(rules.EXTENSION, requests, demo, _attempt_extension) == []
