"""立项 (with its 督〔YYYY〕N号 and default due date), 分解交办 into tasks, and 撤销.

Other modules open items through :func:`item_open` only (DESIGN.md: a meeting decision, a leader's
批示 on an incoming document); :func:`items_from` lists what a record opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office import search
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, Classified
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders.models import DeadlineKind
from office.workdays.services import PeriodUnit, due_date, format_date
from office.workflow import actor_of, take_next
from supervision.models import (
    Cadence,
    ExtensionState,
    ItemCounter,
    ItemState,
    Milestone,
    Priority,
    Source,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
    TaskState,
)
from supervision.rules import ITEM, OPENERS, TASK
from supervision.services._common import (
    LATEST_DUE_DAYS,
    REPORT_KIND,
    TASK_KIND,
    TOO_FAR,
    _check_text,
    _close,
    _follow_task_due,
    _in_unit,
    _notify,
    _open_deadline,
    _open_next_report,
    _refresh_report_due,
    _require_future,
    _too_far,
)

# OPENERS (who opens an item by hand) is defined once, in supervision.rules: the 立项 page asks it too.


@dataclass
class TaskSpec:
    """One task of a split: the lead unit answers for it by ``due`` (the item's due date if None)."""

    lead_unit: Unit
    title: str = ""
    requirement: str = ""
    assisting_units: list[Unit] = field(default_factory=list)
    responsible_person: Person | None = None  # the lead unit's head if None
    due: date | None = None
    milestones: list[tuple[str, date]] = field(default_factory=list)


def _refresh_search(item: SupervisionItem) -> None:
    text = search.document_text(item.title, item.number, item.requirement, item.source_text)
    SupervisionItem.objects.filter(pk=item.pk).update(search_vector=SearchVector(Value(text), config="simple"))


def _deadline_default(source: str, priority: str, start: date) -> date:
    periods = settings.SUPERVISION_DEFAULT_PERIODS
    amount, unit = periods.get(f"{source}:{priority}") or periods.get(source) or periods["other"]
    return due_date(start, amount, unit).due_date


def default_due(source: str, priority: str = Priority.NORMAL, start: date | None = None) -> date:
    """When an item given no due date falls due (DOMAIN.md defaults, ``SUPERVISION_DEFAULT_PERIODS``)."""
    return _deadline_default(source, priority, start or timezone.localdate())


def supervision_office(organ: Unit) -> Unit | None:
    """The organ's supervision office: the unit set on the 督查督办 deadline kind if it is in this organ,
    else the unit of the organ's first 督查员."""
    kind = DeadlineKind.objects.filter(code=TASK_KIND).select_related("supervising_unit").first()
    if kind and kind.supervising_unit and kind.supervising_unit.organ_id == organ.pk:
        return kind.supervising_unit
    supervisor = (
        Person.objects.active()
        .filter(unit__organ=organ, user__groups__name=Role.SUPERVISOR.value)
        .select_related("unit")
        .order_by("unit__code", "pk")
        .first()
    )
    return supervisor.unit if supervisor else None


def _default_supervisor(actor: User, unit: Unit) -> Person | None:
    person = person_of(actor)
    if person and actor.has_role(Role.SUPERVISOR) and _in_unit(person, unit):
        return person
    return (
        Person.objects.active()
        .filter(unit__in=unit.subtree_ids(), user__groups__name=Role.SUPERVISOR.value)
        .order_by("pk")
        .first()
    ) or unit.head


def _working_day(day: date) -> date:
    """A due date given on a rest day ends on the next working day (民法典 §203), as its Deadline does."""
    return due_date(day, 0, PeriodUnit.CALENDAR_DAYS).due_date


# --- 立项 ---------------------------------------------------------------------------------------------


def item_open(
    *,
    actor: User,
    title: str,
    requirement: str,
    source: str,
    source_record=None,
    source_text: str = "",
    instructing_leader: Person | None = None,
    priority: str = Priority.NORMAL,
    cadence: str = Cadence.MONTHLY,
    due: date | None = None,
    level: Level = Level.INTERNAL,
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    basis: str = "",
    supervising_unit: Unit | None = None,
    supervisor: Person | None = None,
    tasks: list[TaskSpec] = (),
) -> SupervisionItem:
    """立项. A 督查员, a leader or the office chief opens an item by hand; another module opens one from
    its own record (``source_record``: the 批示 on an incoming document, a meeting decision) after its
    own permission check. With ``tasks`` the item is split at once (the leader named the units);
    otherwise the 督查员 has ``SUPERVISION_SPLIT_WORKING_DAYS`` to split it."""
    person = actor_of(actor).person
    if source_record is None and not any(actor.has_role(role) for role in OPENERS):
        raise PermissionDenied(_("督办事项由督查员、领导或办公室主任立项。"))
    Source(source)
    Priority(priority)
    Cadence(cadence)
    if not title.strip():
        raise ValidationError({"title": _("请填写督办事项。")})
    _require_future(due, "due", _("办结时限应晚于今天。"))
    # An item is at least as secret as what it came from.
    if isinstance(source_record, Classified) and source_record.classification > Level(level):
        level = Level(source_record.classification)
        basis = basis or source_record.classification_basis
        term_unit = term_unit or source_record.secrecy_term_unit
        term_amount = term_amount or source_record.secrecy_term_amount
        until = until or source_record.secrecy_until
        condition = condition or source_record.declassify_condition
    if Level(level) > person.clearance:
        raise PermissionDenied(_("不能设立高于本人涉密等级的督办事项。"))
    # Before the transaction: its rollback would take the ceiling_refused audit row with it.
    _check_text(actor, None, level, requirement, "requirement", _("请写明办理要求（做到什么程度算办结）。"))
    organ = person.unit.organ or person.unit
    supervising_unit = supervising_unit or supervision_office(organ)
    if supervising_unit is None:
        raise ValidationError(
            {"supervising_unit": _("本机关尚未设置督查部门，请系统管理员在期限类型“督查督办”中指定。")}
        )
    supervisor = supervisor or _default_supervisor(actor, supervising_unit)
    if supervisor is None:
        raise ValidationError({"supervisor": _("督查部门没有督查员。")})
    for leader, name in ((supervisor, "supervisor"), (instructing_leader, "instructing_leader")):
        if leader is not None and leader.clearance < Level(level):
            raise ValidationError({name: _("%(name)s的涉密等级低于事项密级。") % {"name": leader.name}})
    with transaction.atomic():
        today = timezone.localdate()
        item = SupervisionItem(
            organ=organ,
            supervising_unit=supervising_unit,
            year=today.year,
            sequence=take_next(ItemCounter, year=today.year, organ=organ),
            title=title.strip(),
            requirement=requirement.strip(),
            source=source,
            source_text=source_text.strip() or (str(source_record)[:200] if source_record else ""),
            instructing_leader=instructing_leader,
            supervisor=supervisor,
            opened_by=person,
            priority=priority,
            cadence=cadence,
            due=_working_day(due) if due else default_due(source, priority, today),
        )
        if source_record is not None:
            item.source_type = ContentType.objects.get_for_model(source_record)
            item.source_id = source_record.pk
        secrecy.apply_classification(
            item,
            actor=actor,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        item.save()
        _refresh_search(item)
        ITEM.record(item, actor=actor, action=N_("立项"), comment=item.source_text)
        if item.is_classified:
            audit.record(actor, AuditAction.CLASSIFY, obj=item, detail={"mark": item.level_mark})
        if tasks:
            _split(item, list(tasks), actor)
        else:
            split_by = due_date(today, settings.SUPERVISION_SPLIT_WORKING_DAYS, PeriodUnit.WORKING_DAYS).due_date
            _open_deadline(actor, item, kind=TASK_KIND, due=split_by, person=supervisor)
            if supervisor != person:
                _notify(supervisor, _("新的督办事项待分解：%(title)s"), item)
        return item


def items_from(source_record) -> list[SupervisionItem]:
    """The items opened from a record (no visibility check: for the calling module's own pages,
    which show the link only through ``visible_to``)."""
    return list(
        SupervisionItem.objects.filter(
            source_type=ContentType.objects.get_for_model(source_record), source_id=source_record.pk
        )
    )


# --- 分解交办 ------------------------------------------------------------------------------------------


@transaction.atomic
def item_split(*, actor: User, item: SupervisionItem, tasks: list[TaskSpec]) -> list[SupervisionTask]:
    """分解交办: tasks with lead and assisting units, responsible people, due dates and milestones.
    Also later, to add a task to an item already in hand."""
    item = ITEM.lock(item)
    ITEM.check(actor, item, "split")
    if not tasks:
        raise ValidationError({"tasks": _("请至少分解出一项任务。")})
    return _split(item, tasks, actor)


def _check_spec(item: SupervisionItem, spec: TaskSpec, index: int) -> None:
    def fail(name, message):
        raise ValidationError({"tasks": _("第%(n)d项任务：%(message)s") % {"n": index, "message": message}})

    if spec.lead_unit in spec.assisting_units:
        fail("assisting_units", _("主办单位不能同时为协办单位。"))
    if len({u.pk for u in spec.assisting_units}) != len(spec.assisting_units):
        fail("assisting_units", _("协办单位重复。"))
    person = spec.responsible_person or spec.lead_unit.head
    if person is None:
        fail("responsible_person", _("主办单位未设负责人，请指定责任人。"))
    if not _in_unit(person, spec.lead_unit):
        fail("responsible_person", _("责任人应为主办单位的人员。"))
    if person.clearance < item.classification:
        # They could not open the item (visible_to): the task would never be reported.
        fail("responsible_person", _("责任人的涉密等级低于事项密级。"))
    due = spec.due or item.due
    if due <= timezone.localdate():
        fail("due", _("办结时限应晚于今天。"))
    if _too_far(due):
        fail("due", TOO_FAR % {"n": LATEST_DUE_DAYS})
    for title, day in spec.milestones:
        if not title.strip():
            fail("milestones", _("请填写时间节点的内容。"))
        if not timezone.localdate() < day <= due:
            fail("milestones", _("时间节点应在今天之后、办结时限之前。"))


def _split(item: SupervisionItem, specs: list[TaskSpec], actor: User) -> list[SupervisionTask]:
    for index, spec in enumerate(specs, start=1):
        _check_spec(item, spec, index)
    _close(item, actor)  # the split deadline
    order = item.tasks.count()
    created = []
    for spec in specs:
        order += 1
        task = SupervisionTask.objects.create(
            item=item,
            order=order,
            title=spec.title.strip() or item.title,
            requirement=spec.requirement.strip(),
            lead_unit=spec.lead_unit,
            responsible_person=spec.responsible_person or spec.lead_unit.head,
            due=spec.due or item.due,
        )
        task.item = item
        deadline = _open_deadline(
            actor,
            task,
            kind=TASK_KIND,
            due=task.due,
            person=task.responsible_person,
            unit=task.lead_unit,
            leader=item.instructing_leader,
        )
        task.due = deadline.due_date  # past a holiday, as the deadline counts it
        task.save(update_fields=["due"])
        _follow_task_due(item, task)
        for unit in spec.assisting_units:
            assist = TaskAssist.objects.create(task=task, unit=unit)
            assist.task = task
            _open_deadline(actor, assist, kind=TASK_KIND, due=task.due, unit=unit)
            _notify(unit.head, _("请协办督办事项：%(title)s"), item)
        for title, day in sorted(spec.milestones, key=lambda m: m[1]):
            milestone = Milestone.objects.create(task=task, title=title.strip(), due=day)
            milestone.task = task
            deadline = _open_deadline(actor, milestone, kind=TASK_KIND, due=day, person=task.responsible_person)
            if deadline.due_date != day:  # past a rest day: the light must not turn yellow before it
                milestone.due = deadline.due_date
                milestone.save(update_fields=["due"])
        _open_next_report(actor, task, timezone.localdate())
        _refresh_report_due(task)
        units = "、".join(u.name for u in spec.assisting_units)
        TASK.record(
            task,
            actor=actor,
            action=N_("分解交办"),
            comment=_("主办：%(lead)s%(assist)s；时限：%(due)s")
            % {
                "lead": task.lead_unit.name,
                "assist": f"；{_('协办')}：{units}" if units else "",
                "due": format_date(task.due),
            },
        )
        _notify(task.responsible_person, _("督办任务已交办：%(title)s"), item)
        created.append(task)
    if item.state == ItemState.OPENED:
        # The move's 流转记录 is each task's 分解交办 above: no event of its own.
        item.state, item.state_changed_at = ItemState.ASSIGNED, timezone.now()
        item.save(update_fields=["state", "state_changed_at"])
    return created


# --- 撤销 ------------------------------------------------------------------------------------------------


@transaction.atomic
def item_cancel(*, actor: User, item: SupervisionItem, reason: str) -> SupervisionItem:
    """撤销 (the instruction was withdrawn, the matter overtaken): never deleted, its deadlines cancelled."""
    item = ITEM.lock(item)
    ITEM.check(actor, item, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销理由。")})
    _close(item, actor, cancel_reason=reason.strip()[:200])
    for task in item.tasks.exclude(state__in=[TaskState.DONE, TaskState.CANCELLED]):
        for subject in [task, *task.assists.all(), *task.milestones.all()]:
            _close(subject, actor, cancel_reason=reason.strip()[:200])
        _close(task, actor, kind=REPORT_KIND, cancel_reason=reason.strip()[:200])
        task.extension_requests.filter(state=ExtensionState.PENDING).update(
            state=ExtensionState.REFUSED, decided_at=timezone.now()
        )
        # Cancelled with its item, under the item's event: no step of the task machine.
        task.state, task.report_due = TaskState.CANCELLED, None
        task.save(update_fields=["state", "report_due"])
    item.cancel_reason = reason.strip()
    ITEM.move(
        item, ItemState.CANCELLED, actor=actor, action=N_("撤销"), comment=reason, update_fields=["cancel_reason"]
    )
    return item
