"""Who may move a supervised item, a task and an extension request, decided once (STYLE.md §5).

Three machines on ``office.workflow``: ``ITEM`` (立项 → 分解交办 → 办结, or 撤销), ``TASK`` (协办意见,
进展反馈 and 延期申请 while in hand, 办结报告 → 审核: 审结 or 退回重办) and ``EXTENSION`` (each step of
a 延期申请's chain: 同意 or 不同意). ``supervision.services`` take every step through them; the item
page shows exactly ``offered(user, record)``. "My units" is ``Person.units()`` everywhere: the
person's unit and those above it within the organ, as ``visible_to`` counts them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from office.workflow import Machine, Step
from office.workflow.machine import Actor
from supervision.models import (
    ApprovalStep,
    ExtensionRequest,
    ExtensionState,
    ItemState,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
    TaskState,
)

IN_HAND = (ItemState.OPENED, ItemState.ASSIGNED)


def _in_state(text: str):
    """A refusal in another state, naming the state (“任务“待审核”，不能报送进展。”)."""
    return lambda actor, record: _(text) % {"state": record.get_state_display()}


# --- Who is who -------------------------------------------------------------------------------------


def in_unit(person: Person, unit: Unit) -> bool:
    """The person works in ``unit`` or below it (within the organ)."""
    return unit.pk in person.units()


def is_supervisor_of(user: User | Actor, item: SupervisionItem) -> bool:
    """The item's 督查员, or another 督查员 of its supervising unit."""
    user = user.user if isinstance(user, Actor) else user
    person = person_of(user)
    if person is None:
        return False
    return item.supervisor_id == person.pk or (
        user.has_role(Role.SUPERVISOR) and in_unit(person, item.supervising_unit)
    )


def is_lead_of(user: User | Actor, task: SupervisionTask) -> bool:
    """The task's responsible person or anyone in its lead unit (the unit reports, not one person)."""
    person = user.person if isinstance(user, Actor) else person_of(user)
    return person is not None and (task.responsible_person_id == person.pk or in_unit(person, task.lead_unit))


def _supervisor_or_leader(actor: Actor, item: SupervisionItem) -> bool:
    return is_supervisor_of(actor, item) or item.instructing_leader_id == actor.person.pk


def approver(step: str, task: SupervisionTask) -> Person | None:
    """Who holds an extension step (the 督查员 step: any 督查员 of the item, see ``holds_step``)."""
    if step == ApprovalStep.UNIT_HEAD:
        return task.lead_unit.head
    if step == ApprovalStep.SUPERVISOR:
        return task.item.supervisor
    return task.item.instructing_leader


def holds_step(user: User | Actor, step: str | None, task: SupervisionTask) -> bool:
    if step is None:
        return False
    if step == ApprovalStep.SUPERVISOR:
        return is_supervisor_of(user, task.item)
    person = user.person if isinstance(user, Actor) else person_of(user)
    holder = approver(step, task)
    return holder is not None and person is not None and holder.pk == person.pk


def is_any_supervisor(user: User | Actor) -> bool:
    """A 督查员 or the office chief: who drafts a 通报 or a 督查专报."""
    user = user.user if isinstance(user, Actor) else user
    return person_of(user) is not None and (user.has_role(Role.SUPERVISOR) or user.has_role(Role.OFFICE_CHIEF))


def may_draft_report(user: User) -> bool:
    """A 督查专报 is drafted by a 督查员, on any items (a theme's report may name a cancelled one):
    the item page offers it and ``services.report_draft`` accepts it on this one rule."""
    return is_any_supervisor(user)


# --- The item ---------------------------------------------------------------------------------------

ITEM = Machine(
    name="supervision-item",
    model=SupervisionItem,
    noun=N_("督办事项"),
    event_model=SupervisionEvent,
    event_for=lambda item: {"item": item},
    stamp_field="state_changed_at",
    lock_related=("supervising_unit", "supervisor", "instructing_leader"),
    steps=[
        Step(
            "split",
            N_("分解交办"),
            sources=IN_HAND,
            targets=(ItemState.ASSIGNED,),  # also later, to add a task to an item in hand
            who=_supervisor_or_leader,
            refusal=N_("督办事项由督查员（或批示领导）分解交办。"),
            wrong_state=_in_state(N_("督办事项“%(state)s”，不能再分解。")),
            deadline="立项后 SUPERVISION_SPLIT_WORKING_DAYS 个工作日内分解",
        ),
        Step(
            "cancel",
            N_("撤销"),
            sources=IN_HAND,
            targets=(ItemState.CANCELLED,),
            who=_supervisor_or_leader,
            refusal=N_("督办事项由督查员或批示领导撤销。"),
            wrong_state=_in_state(N_("督办事项“%(state)s”，不能撤销。")),
        ),
        Step(
            # Taken by the 审结 of the last task in hand, never by hand: never offered.
            "finish",
            N_("办结"),
            sources=(ItemState.ASSIGNED,),
            targets=(ItemState.DONE,),
            who=is_supervisor_of,
            refusal=N_("办结报告由督查员审核。"),
            when=lambda actor, item: _all_tasks_closed(item),
            not_now=N_("尚有任务未审结。"),
        ),
    ],
)


def _all_tasks_closed(item: SupervisionItem) -> bool:
    states = set(item.tasks.values_list("state", flat=True))
    return TaskState.DONE in states and states <= {TaskState.DONE, TaskState.CANCELLED}


# --- The task ---------------------------------------------------------------------------------------


def _in_some_assisting_unit(actor: Actor, task: SupervisionTask) -> bool:
    return any(in_unit(actor.person, assist.unit) for assist in task.assists.all())


def units_owing_input(actor: Actor, task: SupervisionTask) -> list[Unit]:
    """The assisting units of mine that have not yet sent their input."""
    return [a.unit for a in task.assists.all() if a.sent_at is None and in_unit(actor.person, a.unit)]


def _extension_not_now(actor: Actor, task: SupervisionTask) -> str:
    if timezone.localdate() >= task.due:
        return _("延期须在办结时限（%(due)s）之前申请；已到期的任务请尽快办结并说明原因。") % {"due": task.due}
    if task.extension_requests.filter(state=ExtensionState.PENDING).exists():
        return _("该任务已有延期申请在审批中。")
    return _("该任务已延期%(n)d次，不能再申请延期。") % {"n": _task_deadline(task).kind.max_extensions}


def _task_deadline(task: SupervisionTask):
    """The task's open 办结时限 (its extensions are counted against the kind's cap)."""
    return next(d for d in reminders.deadlines_of(task) if d.state == DeadlineState.OPEN and d.kind_id == "supervision")


def _may_ask_extension(actor: Actor, task: SupervisionTask) -> bool:
    if timezone.localdate() >= task.due:
        return False
    if task.extension_requests.filter(state=ExtensionState.PENDING).exists():
        return False
    # Refused now, not at the last approval: the deadlines service caps the extensions per kind.
    deadline = _task_deadline(task)
    return deadline.extensions.count() < deadline.kind.max_extensions


TASK = Machine(
    name="supervision-task",
    model=SupervisionTask,
    noun=N_("督办任务"),
    event_model=SupervisionEvent,
    event_for=lambda task: {"item": task.item, "task": task},
    lock_related=("lead_unit__head", "responsible_person"),
    steps=[
        Step(
            "input",
            N_("协办意见"),
            sources=(TaskState.ASSIGNED,),
            targets=(TaskState.ASSIGNED,),
            who=_in_some_assisting_unit,
            refusal=N_("协办意见由协办单位报送。"),
            wrong_state=_in_state(N_("任务“%(state)s”，不能报送协办意见。")),
            when=lambda actor, task: bool(units_owing_input(actor, task)),
            not_now=N_("该单位已报送协办意见。"),
            options=units_owing_input,
            deadline="协办单位在任务办结时限前报送",
        ),
        Step(
            "progress",
            N_("进展反馈"),
            sources=(TaskState.ASSIGNED,),
            targets=(TaskState.ASSIGNED,),
            who=is_lead_of,
            refusal=N_("进展情况由主办单位报送。"),
            wrong_state=_in_state(N_("任务“%(state)s”，不能报送进展。")),
            deadline="按反馈频次（每月、每季度）或时间节点",
        ),
        Step(
            "final",
            N_("报送办结报告"),
            sources=(TaskState.ASSIGNED,),
            targets=(TaskState.REVIEW,),
            who=is_lead_of,
            refusal=N_("进展情况由主办单位报送。"),
            wrong_state=_in_state(N_("任务“%(state)s”，不能报送进展。")),
            deadline="任务办结时限（按期：不晚于当日）",
        ),
        Step(
            "extension",
            N_("申请延期"),
            sources=(TaskState.ASSIGNED,),
            targets=(TaskState.ASSIGNED,),
            who=is_lead_of,
            refusal=N_("延期由主办单位申请。"),
            wrong_state=_in_state(N_("任务“%(state)s”，不能申请延期。")),
            when=_may_ask_extension,
            not_now=_extension_not_now,
            deadline="办结时限之前",
        ),
        Step(
            "review",
            N_("审核"),  # 审结 (done) or 退回重办 (back in hand, with a new due date)
            sources=(TaskState.REVIEW,),
            targets=(TaskState.DONE, TaskState.ASSIGNED),
            who=lambda actor, task: is_supervisor_of(actor, task.item),
            refusal=N_("办结报告由督查员审核。"),
            wrong_state=_in_state(N_("任务“%(state)s”，没有待审核的办结报告。")),
        ),
    ],
)

# --- The extension request --------------------------------------------------------------------------


def _holds_current_step(actor: Actor, request: ExtensionRequest) -> bool:
    return holds_step(actor, request.current_step, request.task)


def _waits_for(actor: Actor, request: ExtensionRequest) -> str:
    return _("当前由%(step)s审批。") % {"step": request.get_current_step_display()}


def _not_expired(actor: Actor, request: ExtensionRequest) -> bool:
    return timezone.localdate() <= request.task.due


def _expired(actor: Actor, request: ExtensionRequest) -> str:
    from office.workdays.services import format_date

    # Asked in time, but an expired period is not revived: any step's approval is refused now,
    # not only the last one's (the deadlines service refuses it too). Refusing stays possible.
    return _("办结时限（%(due)s）已过，不能再批准延期；请不同意此申请，并督促主办单位尽快办结、说明逾期原因。") % {
        "due": format_date(request.task.due)
    }


EXTENSION = Machine(
    name="supervision-extension",
    model=ExtensionRequest,
    noun=N_("延期申请"),
    event_model=SupervisionEvent,
    event_for=lambda request: {"item": request.task.item, "task": request.task},
    lock_related=("task",),
    steps=[
        Step(
            "approve",
            N_("同意延期"),
            sources=(ExtensionState.PENDING,),
            targets=(ExtensionState.PENDING, ExtensionState.APPROVED),  # the last step approves
            who=_holds_current_step,
            refusal=_waits_for,
            wrong_state=_in_state(N_("该延期申请已%(state)s。")),
            when=_not_expired,
            not_now=_expired,
        ),
        Step(
            "refuse",
            N_("不同意延期"),
            sources=(ExtensionState.PENDING,),
            targets=(ExtensionState.REFUSED,),
            who=_holds_current_step,
            refusal=_waits_for,
            wrong_state=_in_state(N_("该延期申请已%(state)s。")),
        ),
    ],
)

ITEM_ALLOWED = ITEM.allowed
TASK_ALLOWED = TASK.allowed
