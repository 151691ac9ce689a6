"""延期: the lead unit's request, fixed to its chain of approvers when asked
(``SUPERVISION_EXTENSION_CHAIN``), and each step's decision; the last approval extends the task's
Deadline."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office.org.models import User
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit, format_date
from office.workflow.machine import Actor
from supervision.models import (
    ApprovalStep,
    ExtensionDecision,
    ExtensionRequest,
    ExtensionState,
    SupervisionTask,
)
from supervision.rules import EXTENSION, TASK, approver, holds_step
from supervision.services._common import (
    LATEST_DUE_DAYS,
    TOO_FAR,
    _follow_task_due,
    _locked_task,
    _notify,
    _open_deadlines,
    _refresh_report_due,
    _too_far,
)


def may_decide(user: User, request: ExtensionRequest) -> bool:
    """Whether ``user`` holds the request's current step (either decision is then his to take;
    pages offer what ``rules.EXTENSION.offered`` says: no 同意 once the task's due date has passed)."""
    return holds_step(user, request.current_step, request.task)


@transaction.atomic
def extension_request(
    *, actor: User, task: SupervisionTask, reason: str, new_due: date, progress: str
) -> ExtensionRequest:
    """延期申请 — only before the due date, with reason, new date and progress so far. The chain
    (``SUPERVISION_EXTENSION_CHAIN``) is fixed when asked; a step with nobody to hold it (no leader
    gave the instruction) is left out, and the head's own request passes his step."""
    _item, task = _locked_task(task)
    acting = TASK.check(actor, task, "extension")
    errors = {}
    if not reason.strip():
        errors["reason"] = _("请写明延期理由。")
    if not progress.strip():
        errors["progress"] = _("请说明目前进展。")
    if new_due is None or new_due <= task.due:
        errors["new_due"] = _("申请延至的日期应晚于现办结时限（%(due)s）。") % {"due": format_date(task.due)}
    elif _too_far(new_due):
        errors["new_due"] = TOO_FAR % {"n": LATEST_DUE_DAYS}
    if errors:
        raise ValidationError(errors)
    person = acting.person
    chain = [ApprovalStep(step).value for step in settings.SUPERVISION_EXTENSION_CHAIN]
    chain = [step for step in chain if step == ApprovalStep.SUPERVISOR or approver(step, task) is not None]
    request = ExtensionRequest.objects.create(
        task=task,
        requested_by=person,
        reason=reason.strip(),
        progress=progress.strip(),
        due_before=task.due,
        new_due=new_due,
        chain=chain,
    )
    TASK.record(
        task,
        actor=acting,
        action=N_("申请延期"),
        comment=_("申请延至%(day)s：%(reason)s") % {"day": new_due, "reason": request.reason},
    )
    if chain and chain[0] == ApprovalStep.UNIT_HEAD and approver(chain[0], task) == person:
        request.task = task
        _decide(request, task, acting, approve=True, comment=_("本人申请"))
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
        _notify(approver(step, task), verb, task.item)


@transaction.atomic
def extension_decide(*, actor: User, request: ExtensionRequest, approve: bool, comment: str = "") -> ExtensionRequest:
    """One step of the chain. A refusal ends the request; the last approval extends the task's Deadline
    through the deadlines service (its history shows the move) and the task's due date with it."""
    _item, task = _locked_task(request.task)
    request = EXTENSION.lock(request)
    request.task = task
    acting = EXTENSION.check(actor, request, "approve" if approve else "refuse")
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("不同意延期时请写明理由。")})
    return _decide(request, task, acting, approve=approve, comment=comment)


def _decide(request: ExtensionRequest, task: SupervisionTask, actor: Actor, *, approve: bool, comment: str):
    item = task.item
    person = actor.person
    step = request.current_step
    ExtensionDecision.objects.create(
        request=request, step=step, approver=person, approved=approve, comment=comment.strip()[:300]
    )
    label = ApprovalStep(step).label
    if not approve:
        request.decided_at = timezone.now()
        EXTENSION.move(
            request,
            ExtensionState.REFUSED,
            actor=actor,
            action=N_("不同意延期"),
            comment=f"{label}：{comment.strip()}",
            update_fields=["decided_at"],
        )
        _notify(request.requested_by, _("延期申请未获批准：%(title)s"), item)
        return request
    request.step += 1
    EXTENSION.record(request, actor=actor, action=N_("同意延期"), comment=f"{label}：{comment.strip()}".rstrip("："))
    if request.step < len(request.chain):
        request.save(update_fields=["step"])
        _ask_next(request, task)
        return request
    deadline = _open_deadlines(task)[0]
    reminders.deadline_extend(
        actor=actor.user,
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
    request.decided_at = timezone.now()
    EXTENSION.move(
        request,
        ExtensionState.APPROVED,
        actor=actor,
        action=N_("延期"),
        comment=_("办结时限由%(before)s延至%(after)s") % {"before": request.due_before, "after": task.due},
        update_fields=["step", "decided_at"],
    )
    _notify(request.requested_by, _("延期申请已批准：%(title)s"), item)
    return request
