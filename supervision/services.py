"""Every action on a supervised item: 立项, 分解交办, 协办意见, 进展反馈, 审结 / 退回重办, 延期, 撤销,
and the 通报 / 督查专报 drafts it hands to the documents module.

One function per action, in a transaction: it locks the item, checks the actor and the state, writes
the 流转记录 (``SupervisionEvent``), and opens, moves or closes the Deadlines. Other modules open items
through :func:`open_item` only (DESIGN.md: a meeting decision, a leader's 批示 on an incoming document).
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
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office import search
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, Classified
from office.confidentiality.visibility import lineage_of, person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineKind, DeadlineState
from office.uploads import check_upload
from office.workdays.services import MAX_AMOUNT, PeriodUnit, add_months, due_date
from office.workflow import TransitionNotAllowed
from supervision.models import (
    ApprovalStep,
    Cadence,
    ExtensionDecision,
    ExtensionRequest,
    ExtensionState,
    ItemCounter,
    ItemState,
    Milestone,
    Priority,
    ProgressReport,
    ReportAttachment,
    ReportKind,
    Review,
    Source,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
    TaskState,
)

TASK_KIND = "supervision"  # a task's 办结时限, a milestone, an assisting unit's input, the split
REPORT_KIND = "supervision-report"  # an expected progress report
CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}
OPENERS = (Role.SUPERVISOR, Role.LEADER, Role.OFFICE_CHIEF)


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


# --- Helpers ----------------------------------------------------------------------------------------


def _person(user: User) -> Person:
    person = person_of(user)
    if person is None:
        raise PermissionDenied(_("该账号没有对应的人员信息。"))
    return person


def _in_unit(person: Person, unit: Unit) -> bool:
    """The person works in ``unit`` or below it."""
    return unit.pk in lineage_of(person)


def is_supervisor_of(user: User, item: SupervisionItem) -> bool:
    """The item's 督查员, or another 督查员 of its supervising unit."""
    person = person_of(user)
    if person is None:
        return False
    return item.supervisor_id == person.pk or (
        user.has_role(Role.SUPERVISOR) and _in_unit(person, item.supervising_unit)
    )


def is_lead_of(user: User, task: SupervisionTask) -> bool:
    """The task's responsible person or anyone in its lead unit (the unit reports, not one person)."""
    person = person_of(user)
    return person is not None and (task.responsible_person_id == person.pk or _in_unit(person, task.lead_unit))


def _record(item: SupervisionItem, actor: User | None, action: str, *, task=None, comment: str = "") -> None:
    person = person_of(actor) if actor is not None else None
    SupervisionEvent.objects.create(
        item=item,
        task=task,
        action=action,
        actor=actor,
        actor_name=person.name if person else "",
        comment=comment[:500],
    )


def _notify(person: Person | None, verb: str, item: SupervisionItem) -> None:
    """``verb`` names the item as ``%(title)s``, filled for the recipient with what he may see of it
    (never a title outside his 知悉范围, never a classified one in a stored text)."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=item, link=f"/supervision/{item.pk}/")


def _locked(item: SupervisionItem) -> SupervisionItem:
    return (
        SupervisionItem.objects.select_for_update(of=("self",))
        .select_related("supervising_unit", "supervisor", "instructing_leader")
        .get(pk=item.pk)
    )


def _locked_task(task: SupervisionTask) -> tuple[SupervisionItem, SupervisionTask]:
    """The item first, then the task: every action takes the locks in that order."""
    item = _locked(task.item)
    task = (
        SupervisionTask.objects.select_for_update(of=("self",))
        .select_related("lead_unit__head", "responsible_person")
        .get(pk=task.pk)
    )
    task.item = item
    return item, task


def _refresh_search(item: SupervisionItem) -> None:
    text = search.document_text(item.title, item.number, item.requirement, item.source_text)
    SupervisionItem.objects.filter(pk=item.pk).update(search_vector=SearchVector(Value(text), config="simple"))


def _open_deadline(actor, subject, *, kind: str, due: date, person=None, unit=None, leader=None) -> Deadline:
    """A Deadline that falls due on ``due`` (moved past a rest day by 民法典 §203 like any other)."""
    today = timezone.localdate()
    return reminders.deadline_open(
        actor=actor,
        subject=subject,
        kind=kind,
        start=today,
        amount=max((due - today).days, 0),
        unit=PeriodUnit.CALENDAR_DAYS,
        responsible_person=person,
        responsible_unit=unit,
        leader=leader,
    )


def _open_deadlines(subject, kind: str = TASK_KIND) -> list[Deadline]:
    return [d for d in reminders.deadlines_of(subject) if d.state == DeadlineState.OPEN and d.kind_id == kind]


def _close(subject, actor, *, kind: str = TASK_KIND, cancel_reason: str = "") -> None:
    for deadline in _open_deadlines(subject, kind):
        if cancel_reason:
            reminders.deadline_cancel(actor=actor, deadline=deadline, reason=cancel_reason)
        else:
            reminders.deadline_meet(actor=actor, deadline=deadline)


def _follow_task_due(item: SupervisionItem, task: SupervisionTask) -> None:
    """An item is due when its last task is: a task given (or extended, or returned) past the item's
    date carries the item's date with it, so the ledger never shows an item due before its work."""
    if task.due > item.due:
        item.due = task.due
        item.save(update_fields=["due"])


def _refresh_report_due(task: SupervisionTask) -> None:
    """The next expected report: an open report Deadline or an unreached milestone, whichever first."""
    dates = [d.due_date for d in _open_deadlines(task, REPORT_KIND) if d.due_date]
    dates += [m.due for m in task.milestones.filter(reached_on__isnull=True)]
    task.report_due = min(dates) if task.state == TaskState.ASSIGNED and dates else None
    task.save(update_fields=["report_due"])


def _open_next_report(actor, task: SupervisionTask, after: date) -> None:
    """On a monthly or quarterly cadence, the report due one period after ``after`` (if before the task
    is due: the final report covers the last stretch)."""
    months = CADENCE_MONTHS.get(task.item.cadence)
    if months is None:
        return
    next_due = add_months(after, months)
    if next_due < task.due:
        _open_deadline(actor, task, kind=REPORT_KIND, due=next_due, person=task.responsible_person)


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


def _next_number(organ: Unit, year: int) -> int:
    ItemCounter.objects.bulk_create([ItemCounter(organ=organ, year=year)], ignore_conflicts=True)
    counter = ItemCounter.objects.select_for_update().get(organ=organ, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _working_day(day: date) -> date:
    """A due date given on a rest day ends on the next working day (民法典 §203), as its Deadline does."""
    return due_date(day, 0, PeriodUnit.CALENDAR_DAYS).due_date


def above_ceiling(level) -> bool:
    """Above the deployment's ceiling an item is a register entry only: title, number, source, units,
    people and dates — no requirement, no report or input texts, no attachments (DESIGN.md)."""
    return Level(level) > Level(settings.SHUNIU_CLASSIFICATION_CEILING)


def _check_text(actor: User, item: SupervisionItem | None, level, text: str, field_name: str, message: str) -> None:
    """Content is required where it may be kept, and refused (with its audit row) where it may not."""
    if text.strip():
        secrecy.ensure_content_allowed(user=actor, level=level, record=item)
    elif not above_ceiling(level):
        raise ValidationError({field_name: message})


# The deadline clock counts at most this far ahead (office.workdays): a later date is a slip of the pen.
LATEST_DUE_DAYS = MAX_AMOUNT[PeriodUnit.CALENDAR_DAYS]
TOO_FAR = _lazy("时限不能晚于今天之后%(n)d日。")


def _too_far(day: date) -> bool:
    return (day - timezone.localdate()).days > LATEST_DUE_DAYS


def _require_future(day: date | None, field_name: str, message: str) -> None:
    if day is not None and day <= timezone.localdate():
        raise ValidationError({field_name: message})
    if day is not None and _too_far(day):
        raise ValidationError({field_name: TOO_FAR % {"n": LATEST_DUE_DAYS}})


# --- 立项 ---------------------------------------------------------------------------------------------


def open_item(
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
    person = _person(actor)
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
            sequence=_next_number(organ, today.year),
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
        _record(item, actor, N_("立项"), comment=item.source_text)
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
def split_item(*, actor: User, item: SupervisionItem, tasks: list[TaskSpec]) -> list[SupervisionTask]:
    """分解交办: tasks with lead and assisting units, responsible people, due dates and milestones.
    Also later, to add a task to an item already in hand."""
    item = _locked(item)
    if not is_supervisor_of(actor, item) and item.instructing_leader_id != _person(actor).pk:
        raise PermissionDenied(_("督办事项由督查员（或批示领导）分解交办。"))
    if item.state not in (ItemState.OPENED, ItemState.ASSIGNED):
        raise TransitionNotAllowed(_("督办事项“%(state)s”，不能再分解。") % {"state": item.get_state_display()})
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
        _record(
            item,
            actor,
            N_("分解交办"),
            task=task,
            comment=_("主办：%(lead)s%(assist)s；时限：%(due)s")
            % {"lead": task.lead_unit.name, "assist": f"；{_('协办')}：{units}" if units else "", "due": task.due},
        )
        _notify(task.responsible_person, _("督办任务已交办：%(title)s"), item)
        created.append(task)
    if item.state == ItemState.OPENED:
        item.state, item.state_changed_at = ItemState.ASSIGNED, timezone.now()
        item.save(update_fields=["state", "state_changed_at"])
    return created


# --- 协办意见, 进展反馈 -----------------------------------------------------------------------------------


@transaction.atomic
def send_input(*, actor: User, task: SupervisionTask, unit: Unit, text: str) -> TaskAssist:
    """An assisting unit sends its input to the lead unit; its deadline is met."""
    item, task = _locked_task(task)
    assist = task.assists.filter(unit=unit).first()
    if assist is None:
        raise ValidationError({"unit": _("该单位不是本任务的协办单位。")})
    if not _in_unit(_person(actor), unit):
        raise PermissionDenied(_("协办意见由协办单位报送。"))
    if task.state != TaskState.ASSIGNED:
        raise TransitionNotAllowed(_("任务“%(state)s”，不能报送协办意见。") % {"state": task.get_state_display()})
    if assist.sent_at is not None:
        raise TransitionNotAllowed(_("该单位已报送协办意见。"))
    _check_text(actor, item, item.level, text, "text", _("请填写协办意见。"))
    assist.text, assist.sent_by, assist.sent_at = text.strip(), _person(actor), timezone.now()
    assist.save(update_fields=["text", "sent_by", "sent_at"])
    _close(assist, actor)
    _record(item, actor, N_("协办意见"), task=task, comment=f"{unit.name}：{assist.text}".rstrip("："))
    _notify(task.responsible_person, _("协办单位已报送意见：%(title)s"), item)
    return assist


def report_progress(
    *,
    actor: User,
    task: SupervisionTask,
    text: str,
    percent: int | None = None,
    milestone: Milestone | None = None,
    final: bool = False,
    attachments: list = (),
) -> ProgressReport:
    """进展反馈 by the lead unit. It meets the expected report (and the milestone it reports); on a
    monthly or quarterly cadence the next one is opened. A final report asks for 审结: the task waits
    for the 督查员, on time if it came by the due date."""
    if not is_lead_of(actor, task):
        raise PermissionDenied(_("进展情况由主办单位报送。"))
    _check_text(actor, task.item, task.item.level, text, "text", _("请填写进展情况。"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成比例应在0到100之间。")})
    for upload in attachments:
        check_upload(upload, field="attachments")
    if attachments:
        secrecy.ensure_content_allowed(user=actor, level=task.item.level, record=task.item)
    with transaction.atomic():
        item, task = _locked_task(task)
        if not is_lead_of(actor, task):
            raise PermissionDenied(_("进展情况由主办单位报送。"))
        if task.state != TaskState.ASSIGNED:
            raise TransitionNotAllowed(_("任务“%(state)s”，不能报送进展。") % {"state": task.get_state_display()})
        if milestone is not None:
            if milestone.task_id != task.pk:
                raise ValidationError({"milestone": _("该时间节点不属于本任务。")})
            if milestone.reached_on is not None:
                raise ValidationError({"milestone": _("该时间节点已报告完成。")})
        today = timezone.localdate()
        report = ProgressReport.objects.create(
            task=task,
            kind=ReportKind.FINAL if final else ReportKind.PROGRESS,
            text=text.strip(),
            percent=100 if final and percent is None else percent,
            milestone=milestone,
            submitted_by=_person(actor),
        )
        for upload in attachments:
            ReportAttachment.objects.create(
                report=report,
                name=upload.name[:200],
                file=upload,
                size=upload.size,
                content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            )
        if milestone is not None:
            milestone.reached_on = today
            milestone.save(update_fields=["reached_on"])
            _close(milestone, actor)
        expected = _open_deadlines(task, REPORT_KIND)
        if final:
            _close(task, actor)  # met today: on time when by the due date
            _close(task, actor, kind=REPORT_KIND, cancel_reason=_("已报送办结报告"))
            for open_part in [*task.milestones.filter(reached_on__isnull=True), *task.assists.filter(sent_at=None)]:
                _close(open_part, actor, cancel_reason=_("已报送办结报告"))
            # An extension is moot once the work is reported done (its approval would find no deadline).
            task.extension_requests.filter(state=ExtensionState.PENDING).update(
                state=ExtensionState.REFUSED, decided_at=timezone.now()
            )
            task.state, task.submitted_on = TaskState.REVIEW, today
            task.save(update_fields=["state", "submitted_on"])
            _record(item, actor, N_("报送办结报告"), task=task, comment=report.text)
            _notify(item.supervisor, _("办结报告待审核：%(title)s"), item)
        else:
            for deadline in expected:
                reminders.deadline_meet(actor=actor, deadline=deadline)
            if expected:
                # One period after this report (not after the date it met): two early reports in a
                # row must not excuse the unit for two periods.
                _open_next_report(actor, task, today)
            label = _("进展反馈") if milestone is None else _("节点完成：%(m)s") % {"m": milestone.title}
            _record(item, actor, N_("进展反馈"), task=task, comment=f"{label}（{percent}%）" if percent else label)
        _refresh_report_due(task)
        return report


# --- 审核: 审结 or 退回重办 -------------------------------------------------------------------------------


@transaction.atomic
def review_task(
    *,
    actor: User,
    task: SupervisionTask,
    accept: bool,
    comment: str = "",
    missing: str = "",
    new_due: date | None = None,
) -> SupervisionTask:
    """The 督查员 reviews the final report. 审结: the task is done (the item too once every task is)
    and the instructing leader is told. 退回重办: what is missing, and a new due date; the task reopens."""
    item, task = _locked_task(task)
    if not is_supervisor_of(actor, item):
        raise PermissionDenied(_("办结报告由督查员审核。"))
    if task.state != TaskState.REVIEW:
        raise TransitionNotAllowed(_("任务“%(state)s”，没有待审核的办结报告。") % {"state": task.get_state_display()})
    report = task.reports.filter(kind=ReportKind.FINAL, review="").order_by("-submitted_at", "-id").first()
    person = _person(actor)
    now = timezone.now()
    if accept:
        report.review, report.review_comment = Review.ACCEPTED, comment.strip()
        task.state, task.done_at = TaskState.DONE, now
        task.done_on_time = task.submitted_on <= task.due
        task.save(update_fields=["state", "done_at", "done_on_time"])
        _record(item, actor, N_("审结"), task=task, comment=comment)
        _finish_item_if_done(item, actor)
    else:
        if not missing.strip():
            raise ValidationError({"missing": _("请写明退回重办的原因和尚缺的内容。")})
        if new_due is None:
            raise ValidationError({"new_due": _("请确定重办的办结时限。")})
        _require_future(new_due, "new_due", _("重办时限应晚于今天。"))
        report.review, report.review_comment = Review.RETURNED, missing.strip()
        task.state, task.returns, task.submitted_on = TaskState.ASSIGNED, task.returns + 1, None
        deadline = _open_deadline(
            actor,
            task,
            kind=TASK_KIND,
            due=new_due,
            person=task.responsible_person,
            unit=task.lead_unit,
            leader=item.instructing_leader,
        )
        task.due = deadline.due_date
        task.save(update_fields=["state", "returns", "submitted_on", "due"])
        _follow_task_due(item, task)
        _open_next_report(actor, task, timezone.localdate())
        _refresh_report_due(task)
        _record(
            item,
            actor,
            N_("退回重办"),
            task=task,
            comment=_("%(missing)s；重办时限：%(due)s") % {"missing": missing.strip(), "due": task.due},
        )
        _notify(task.responsible_person, _("督办任务被退回重办：%(title)s"), item)
    report.reviewed_by, report.reviewed_at = person, now
    report.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    return task


def _finish_item_if_done(item: SupervisionItem, actor: User) -> None:
    tasks = list(item.tasks.all())
    if any(t.state not in (TaskState.DONE, TaskState.CANCELLED) for t in tasks):
        return
    done = [t for t in tasks if t.state == TaskState.DONE]
    if not done:
        return
    item.state, item.state_changed_at, item.done_at = ItemState.DONE, timezone.now(), timezone.now()
    item.done_on_time = all(t.done_on_time for t in done)
    item.save(update_fields=["state", "state_changed_at", "done_at", "done_on_time"])
    _record(item, actor, N_("办结"), comment=_("各项任务均已审结，已报告批示领导。"))
    _notify(item.instructing_leader, _("督办事项已办结：%(title)s"), item)
    _notify(item.opened_by, _("督办事项已办结：%(title)s"), item)


# --- 延期 ------------------------------------------------------------------------------------------------


def _approver(step: str, task: SupervisionTask) -> Person | None:
    item = task.item
    if step == ApprovalStep.UNIT_HEAD:
        return task.lead_unit.head
    if step == ApprovalStep.SUPERVISOR:
        return item.supervisor
    return item.instructing_leader


def may_decide(user: User, request: ExtensionRequest) -> bool:
    """Whether ``user`` holds the request's current step (pages show approve/refuse on this)."""
    step = request.current_step
    return step is not None and _may_approve(user, step, request.task)


def _may_approve(user: User, step: str, task: SupervisionTask) -> bool:
    if step == ApprovalStep.SUPERVISOR:
        return is_supervisor_of(user, task.item)
    approver = _approver(step, task)
    return approver is not None and approver.pk == _person(user).pk


@transaction.atomic
def request_extension(
    *, actor: User, task: SupervisionTask, reason: str, new_due: date, progress: str
) -> ExtensionRequest:
    """延期申请 — only before the due date, with reason, new date and progress so far. The chain
    (``SUPERVISION_EXTENSION_CHAIN``) is fixed when asked; a step with nobody to hold it (no leader
    gave the instruction) is left out, and the head's own request passes his step."""
    item, task = _locked_task(task)
    if not is_lead_of(actor, task):
        raise PermissionDenied(_("延期由主办单位申请。"))
    if task.state != TaskState.ASSIGNED:
        raise TransitionNotAllowed(_("任务“%(state)s”，不能申请延期。") % {"state": task.get_state_display()})
    today = timezone.localdate()
    if today >= task.due:
        raise TransitionNotAllowed(
            _("延期须在办结时限（%(due)s）之前申请；已到期的任务请尽快办结并说明原因。") % {"due": task.due}
        )
    if task.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise TransitionNotAllowed(_("该任务已有延期申请在审批中。"))
    # Refused now, not at the last approval: the deadlines service caps the extensions per kind.
    deadline = _open_deadlines(task)[0]
    if deadline.extensions.count() >= deadline.kind.max_extensions:
        raise TransitionNotAllowed(_("该任务已延期%(n)d次，不能再申请延期。") % {"n": deadline.kind.max_extensions})
    errors = {}
    if not reason.strip():
        errors["reason"] = _("请写明延期理由。")
    if not progress.strip():
        errors["progress"] = _("请说明目前进展。")
    if new_due is None or new_due <= task.due:
        errors["new_due"] = _("申请延至的日期应晚于现办结时限（%(due)s）。") % {"due": task.due}
    elif _too_far(new_due):
        errors["new_due"] = TOO_FAR % {"n": LATEST_DUE_DAYS}
    if errors:
        raise ValidationError(errors)
    person = _person(actor)
    chain = [ApprovalStep(step).value for step in settings.SUPERVISION_EXTENSION_CHAIN]
    chain = [step for step in chain if step == ApprovalStep.SUPERVISOR or _approver(step, task) is not None]
    request = ExtensionRequest.objects.create(
        task=task,
        requested_by=person,
        reason=reason.strip(),
        progress=progress.strip(),
        due_before=task.due,
        new_due=new_due,
        chain=chain,
    )
    _record(
        item,
        actor,
        N_("申请延期"),
        task=task,
        comment=_("申请延至%(day)s：%(reason)s") % {"day": new_due, "reason": request.reason},
    )
    if chain and chain[0] == ApprovalStep.UNIT_HEAD and _approver(chain[0], task) == person:
        _decide(request, task, actor, approve=True, comment=_("本人申请"))
    else:
        _ask_next(request, task)
    return request


def _ask_next(request: ExtensionRequest, task: SupervisionTask) -> None:
    step = request.current_step
    if step is None:
        return
    verb = _("延期申请待审批：%(title)s")
    if step == ApprovalStep.SUPERVISOR:
        _notify(task.item.supervisor, verb, task.item)
    else:
        _notify(_approver(step, task), verb, task.item)


@transaction.atomic
def decide_extension(*, actor: User, request: ExtensionRequest, approve: bool, comment: str = "") -> ExtensionRequest:
    """One step of the chain. A refusal ends the request; the last approval extends the task's Deadline
    through the deadlines service (its history shows the move) and the task's due date with it."""
    _item, task = _locked_task(request.task)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtensionState.PENDING:
        raise TransitionNotAllowed(_("该延期申请已%(state)s。") % {"state": request.get_state_display()})
    if not _may_approve(actor, request.current_step, task):
        raise PermissionDenied(_("当前由%(step)s审批。") % {"step": request.get_current_step_display()})
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("不同意延期时请写明理由。")})
    return _decide(request, task, actor, approve=approve, comment=comment)


def _decide(request: ExtensionRequest, task: SupervisionTask, actor: User, *, approve: bool, comment: str):
    item = task.item
    person = _person(actor)
    step = request.current_step
    ExtensionDecision.objects.create(
        request=request, step=step, approver=person, approved=approve, comment=comment.strip()[:300]
    )
    label = ApprovalStep(step).label
    if not approve:
        request.state, request.decided_at = ExtensionState.REFUSED, timezone.now()
        request.save(update_fields=["state", "decided_at"])
        _record(item, actor, N_("不同意延期"), task=task, comment=f"{label}：{comment.strip()}")
        _notify(request.requested_by, _("延期申请未获批准：%(title)s"), item)
        return request
    request.step += 1
    _record(item, actor, N_("同意延期"), task=task, comment=f"{label}：{comment.strip()}".rstrip("："))
    if request.step < len(request.chain):
        request.save(update_fields=["step"])
        _ask_next(request, task)
        return request
    deadline = _open_deadlines(task)[0]
    reminders.deadline_extend(
        actor=actor,
        deadline=deadline,
        amount=(request.new_due - deadline.due_date).days,
        unit=PeriodUnit.CALENDAR_DAYS,
        reason=request.reason[:200],
        approved_by=person,
    )
    deadline.refresh_from_db()
    task.due = deadline.due_date
    task.save(update_fields=["due"])
    _follow_task_due(item, task)
    _refresh_report_due(task)
    request.state, request.decided_at = ExtensionState.APPROVED, timezone.now()
    request.save(update_fields=["step", "state", "decided_at"])
    _record(
        item,
        actor,
        N_("延期"),
        task=task,
        comment=_("办结时限由%(before)s延至%(after)s") % {"before": request.due_before, "after": task.due},
    )
    _notify(request.requested_by, _("延期申请已批准：%(title)s"), item)
    return request


# --- 撤销 ------------------------------------------------------------------------------------------------


@transaction.atomic
def cancel_item(*, actor: User, item: SupervisionItem, reason: str) -> SupervisionItem:
    """撤销 (the instruction was withdrawn, the matter overtaken): never deleted, its deadlines cancelled."""
    item = _locked(item)
    if not is_supervisor_of(actor, item) and not (
        person_of(actor) and item.instructing_leader_id == person_of(actor).pk
    ):
        raise PermissionDenied(_("督办事项由督查员或批示领导撤销。"))
    if item.state in (ItemState.DONE, ItemState.CANCELLED):
        raise TransitionNotAllowed(_("督办事项“%(state)s”，不能撤销。") % {"state": item.get_state_display()})
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
        task.state, task.report_due = TaskState.CANCELLED, None
        task.save(update_fields=["state", "report_due"])
    item.state, item.state_changed_at, item.cancel_reason = ItemState.CANCELLED, timezone.now(), reason.strip()
    item.save(update_fields=["state", "state_changed_at", "cancel_reason"])
    _record(item, actor, N_("撤销"), comment=reason)
    return item


# --- 通报 and 督查专报: drafts in the documents module ------------------------------------------------------


def draft_bulletin(*, actor: User, series, start: date, end: date, title: str = ""):
    """A 通报 draft on the period's overdue and exemplary units, built from recorded events (never
    retyped). A bulletin travels widely: it counts only items at 内部 or below."""
    from documents import services as documents
    from supervision import selectors

    if not is_any_supervisor(actor):
        raise PermissionDenied(_("督查通报由督查员起草。"))
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    body = selectors.bulletin_text(user=actor, start=start, end=end)
    return documents.outgoing_create(
        main_to_units=selectors.bulletin_units(user=actor, start=start, end=end),
        actor=actor,
        series=series,
        title=title.strip()
        or _("关于%(period)s督查督办事项办理情况的通报") % {"period": selectors.period_text(start, end)},
        kind="bulletin",
        level=Level.INTERNAL,
        body=body,
    )


def draft_report(*, actor: User, series, items: list[SupervisionItem], theme: str = ""):
    """A 督查专报 (文种 报告) on one item or on a theme's items, as secret as the most secret of them."""
    from documents import services as documents
    from supervision import selectors

    if not is_any_supervisor(actor):
        raise PermissionDenied(_("督查专报由督查员起草。"))
    if not items:
        raise ValidationError({"items": _("请选择督查专报涉及的督办事项。")})
    top = max(items, key=lambda i: i.classification)
    if len(items) == 1:
        title = _("关于%(title)s督查情况的报告") % {"title": items[0].title.removesuffix("。")}
    else:
        title = _("关于%(theme)s督查情况的报告") % {"theme": theme.strip() or _("有关督办事项")}
    fields = {}
    if top.is_classified:
        fields = {
            "term_unit": top.secrecy_term_unit,
            "term_amount": top.secrecy_term_amount,
            "until": top.secrecy_until,
            "condition": top.declassify_condition,
            "basis": top.classification_basis,
        }
    return documents.outgoing_create(
        actor=actor,
        series=series,
        title=title[:200],
        kind="report",
        direction="up",
        level=top.level,
        body=selectors.report_text(items),
        **fields,
    )


def is_any_supervisor(user: User) -> bool:
    return person_of(user) is not None and (user.has_role(Role.SUPERVISOR) or user.has_role(Role.OFFICE_CHIEF))
