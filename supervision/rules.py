"""Who may move a supervised item, a task and an extension request, decided once (STYLE.md §5).

Three machines on ``office.workflow``: ``ITEM`` (立项 → 分解交办 → 办结, or 撤销; 催办 by the 督查员
and 领导批示 alongside), ``TASK`` (协办意见, 进展反馈 and 延期申请 while in hand, 办结报告 → 单位审签 when
a 科员 wrote it → 审核: 审结 or 退回重办) and ``EXTENSION`` (each step of
a 延期申请's chain: 同意 or 不同意). ``supervision.services`` take every step through them; the item
page shows exactly ``offered(user, record)``. "My units" is ``Person.units()`` everywhere: the
person's unit and those above it within the organ, as ``visible_to`` counts them.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office import navigation
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from office.workdays.services import format_date
from office.workflow import Machine, Step, in_state
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

# A task the lead unit still owes: in hand, or its 办结报告 waiting for the unit head's 审签.
OWED = (TaskState.ASSIGNED, TaskState.SIGNOFF)


def tasks_to_chase(item: SupervisionItem) -> list[SupervisionTask]:
    """The tasks a 催办 presses: those the lead unit still owes (``OWED``)."""
    return list(item.tasks.filter(state__in=OWED).select_related("lead_unit__head__user", "responsible_person__user"))


def is_leader_inside(user: User | Actor, item: SupervisionItem) -> bool:
    """A 领导 inside the item's 知悉范围 (who may see it), or its instructing leader."""
    user = user.user if isinstance(user, Actor) else user
    person = person_of(user)
    if person is None:
        return False
    if item.instructing_leader_id == person.pk:
        return True
    return user.has_role(Role.LEADER) and SupervisionItem.objects.visible_to(user).filter(pk=item.pk).exists()


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
            wrong_state=in_state(N_("督办事项“%(state)s”，不能再分解。")),
            deadline="立项后 SUPERVISION_SPLIT_WORKING_DAYS 个工作日内分解",
        ),
        Step(
            "cancel",
            N_("撤销"),
            sources=IN_HAND,
            targets=(ItemState.CANCELLED,),
            who=_supervisor_or_leader,
            refusal=N_("督办事项由督查员或批示领导撤销。"),
            wrong_state=in_state(N_("督办事项“%(state)s”，不能撤销。")),
            confirm=N_("撤销后督办事项及其全部任务终止，不能恢复。"),
        ),
        Step(
            "chase",
            N_("催办"),
            sources=(ItemState.ASSIGNED,),
            targets=(),  # records and notifies, never moves
            who=is_supervisor_of,
            refusal=N_("催办由督查员办理。"),
            wrong_state=in_state(N_("督办事项“%(state)s”，无需催办。")),
            when=lambda actor, item: bool(tasks_to_chase(item)),
            not_now=N_("各项任务均已报送办结报告，无需催办。"),
        ),
        Step(
            "instruct",
            N_("领导批示"),
            sources=(*IN_HAND, ItemState.DONE),
            targets=(),  # records and notifies, never moves
            who=is_leader_inside,
            refusal=N_("批示由知悉范围内的领导作出。"),
            wrong_state=in_state(N_("督办事项“%(state)s”，不能再批示。")),
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
        return _("延期须在办结时限（%(due)s）之前申请；已到期的任务请尽快办结并说明原因。") % {
            "due": format_date(task.due)
        }
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


def unit_signers(task: SupervisionTask) -> list[Person]:
    """Who signs a 办结报告 for the task's lead unit: its head, and the people of the 领导 role in it
    (its own members, not those of a 科室 below it) — those cleared for the item."""
    unit, level = task.lead_unit, task.item.classification
    leaders = Person.objects.active().filter(unit=unit, user__groups__name=Role.LEADER.value, clearance__gte=level)
    head = unit.head if unit.head_id and unit.head.user.is_active and unit.head.clearance >= level else None
    return ([head] if head else []) + [person for person in leaders if person.pk != unit.head_id]


def signs_for_unit(user: User | Actor, task: SupervisionTask) -> bool:
    """The lead unit's head or one of its leaders, cleared for the item (``unit_signers``)."""
    person = user.person if isinstance(user, Actor) else person_of(user)
    if person is None or person.clearance < task.item.classification:
        return False
    if task.lead_unit.head_id == person.pk:
        return True
    user = user.user if isinstance(user, Actor) else user
    return person.unit_id == task.lead_unit_id and user.has_role(Role.LEADER)


def signs_for_unit_q(user: User) -> Q:
    """``signs_for_unit`` as a filter on tasks, for the queue of reports waiting for my 审签."""
    person = person_of(user)
    if person is None:
        return Q(pk__in=[])
    mine = Q(lead_unit__head=person)
    if user.has_role(Role.LEADER):
        mine |= Q(lead_unit=person.unit_id)
    return mine & Q(item__classification__lte=person.clearance)


def final_goes_to(actor: Actor, task: SupervisionTask) -> str:
    """Where a 办结报告 goes: straight to the 督查员 when its writer signs for the unit (or the unit
    has nobody to sign), else first to the unit's head for 审签."""
    if signs_for_unit(actor, task) or not unit_signers(task):
        return TaskState.REVIEW
    return TaskState.SIGNOFF


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
            wrong_state=in_state(N_("任务“%(state)s”，不能报送协办意见。")),
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
            wrong_state=in_state(N_("任务“%(state)s”，不能报送进展。")),
            deadline="按反馈频次（每月、每季度）或时间节点",
        ),
        Step(
            "final",
            N_("报送办结报告"),
            sources=(TaskState.ASSIGNED,),
            # To the 督查员 when its writer signs for the unit (``signs_for_unit``), else to the head.
            targets=(TaskState.SIGNOFF, TaskState.REVIEW),
            who=is_lead_of,
            refusal=N_("进展情况由主办单位报送。"),
            wrong_state=in_state(N_("任务“%(state)s”，不能报送进展。")),
            deadline="任务办结时限（按期：单位负责人转报督查员不晚于当日）",
        ),
        Step(
            "signoff",
            N_("单位审签"),  # 转报督查员 (on to 审核) or 退回修改 (back in hand, with the reason)
            sources=(TaskState.SIGNOFF,),
            targets=(TaskState.REVIEW, TaskState.ASSIGNED),
            who=signs_for_unit,
            refusal=N_("办结报告由主办单位负责人审签后转报督查员。"),
            wrong_state=in_state(N_("任务“%(state)s”，没有待审签的办结报告。")),
            deadline="任务办结时限（未转报前仍计时）",
        ),
        Step(
            "extension",
            N_("申请延期"),
            sources=(TaskState.ASSIGNED,),
            targets=(TaskState.ASSIGNED,),
            who=is_lead_of,
            refusal=N_("延期由主办单位申请。"),
            wrong_state=in_state(N_("任务“%(state)s”，不能申请延期。")),
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
            wrong_state=in_state(N_("任务“%(state)s”，没有待审核的办结报告。")),
            confirm=N_("审结后任务办结，不能再退回重办；最后一项任务审结时督办事项随之办结。"),
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
            wrong_state=in_state(N_("该延期申请已%(state)s。")),
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
            wrong_state=in_state(N_("该延期申请已%(state)s。")),
        ),
    ],
)

ITEM_ALLOWED = ITEM.allowed
TASK_ALLOWED = TASK.allowed


# --- Pages not tied to a record -----------------------------------------------------------------

# Who opens an item by hand (立项); an item from a 收文 or a meeting is opened by its flow.
OPENERS = (Role.SUPERVISOR, Role.LEADER, Role.OFFICE_CHIEF)


def may_open_item(user: User) -> bool:
    """立项 (the page, its link and ``item_open`` without a source record)."""
    return person_of(user) is not None and any(user.has_role(role) for role in OPENERS)


navigation.offer("item_open", may_open_item)
