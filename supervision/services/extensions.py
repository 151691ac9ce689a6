"""延期: the lead unit's request, fixed to its chain of approvers when asked
(``SUPERVISION_EXTENSION_CHAIN``), and each step's decision; the last approval extends the task's
Deadline."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office.org.models import Person, User
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit, format_date
from office.workflow import TransitionNotAllowed
from supervision.models import (
    ApprovalStep,
    ExtensionDecision,
    ExtensionRequest,
    ExtensionState,
    SupervisionTask,
    TaskState,
)
from supervision.services._common import (
    LATEST_DUE_DAYS,
    TOO_FAR,
    _follow_task_due,
    _locked_task,
    _notify,
    _open_deadlines,
    _person,
    _record,
    _refresh_report_due,
    _too_far,
    is_lead_of,
    is_supervisor_of,
)


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
    if approve and timezone.localdate() > task.due:
        # Asked in time, but an expired period is not revived: any step's approval is refused now,
        # not only the last one's (the deadlines service refuses it too). Refusing stays possible.
        raise TransitionNotAllowed(
            _("办结时限（%(due)s）已过，不能再批准延期；请不同意此申请，并督促主办单位尽快办结、说明逾期原因。")
            % {"due": format_date(task.due)}
        )
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
