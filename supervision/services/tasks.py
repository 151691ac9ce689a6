"""The work on a task: 协办意见 of an assisting unit, 进展反馈 and the 办结报告 of the lead unit (signed
by its head before it goes on, when a 科员 wrote it: 单位审签), and the 督查员's 审核 — 审结 (which
finishes the item once every task is done) or 退回重办."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office.confidentiality import services as secrecy
from office.org.models import Unit, User
from office.reminders import services as reminders
from office.uploads import check_upload
from office.workdays.services import format_date
from office.workflow import TransitionNotAllowed
from office.workflow.machine import Actor
from supervision import rules
from supervision.models import (
    ExtensionState,
    ItemState,
    Milestone,
    ProgressReport,
    ReportAttachment,
    ReportKind,
    Review,
    SignOff,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
    TaskState,
)
from supervision.rules import ITEM, TASK, in_unit
from supervision.services._common import (
    REPORT_KIND,
    TASK_KIND,
    _check_text,
    _close,
    _follow_task_due,
    _locked_task,
    _notify,
    _open_deadline,
    _open_deadlines,
    _open_next_report,
    _refresh_report_due,
    _require_future,
    above_ceiling,
)

# --- 协办意见, 进展反馈 -----------------------------------------------------------------------------------


@transaction.atomic
def task_send_input(*, actor: User, task: SupervisionTask, unit: Unit, text: str) -> TaskAssist:
    """An assisting unit sends its input to the lead unit; its deadline is met."""
    item, task = _locked_task(task)
    assist = task.assists.filter(unit=unit).first()
    if assist is None:  # the form's choice, before who may: a unit not assisting is a wrong input
        raise ValidationError({"unit": _("该单位不是本任务的协办单位。")})
    acting = TASK.check(actor, task, "input")
    if not in_unit(acting.person, unit):
        raise PermissionDenied(_("协办意见由协办单位报送。"))
    if assist.sent_at is not None:
        raise TransitionNotAllowed(_("该单位已报送协办意见。"))
    _check_text(actor, item, item.level, text, "text", _("请填写协办意见。"))
    assist.text, assist.sent_by, assist.sent_at = text.strip(), acting.person, timezone.now()
    assist.save(update_fields=["text", "sent_by", "sent_at"])
    _close(assist, actor)
    TASK.record(task, actor=acting, action=N_("协办意见"), comment=f"{unit.name}：{assist.text}".rstrip("："))
    _notify(task.responsible_person, _("协办单位已报送意见：%(title)s"), item)
    return assist


def task_report(
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
    step = "final" if final else "progress"
    TASK.check(actor, task, step)  # before the uploads are read; again under the lock
    _check_text(actor, task.item, task.item.level, text, "text", _("请填写进展情况。"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成比例应在0到100之间。")})
    # The type each file's bytes have, never the one its sender claimed.
    content_types = [check_upload(upload, field="attachments") for upload in attachments]
    if attachments:
        secrecy.ensure_content_allowed(user=actor, level=task.item.level, record=task.item)
    with transaction.atomic():
        item, task = _locked_task(task)
        acting = TASK.check(actor, task, step)
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
            submitted_by=acting.person,
        )
        for upload, content_type in zip(attachments, content_types, strict=True):
            ReportAttachment.objects.create(
                report=report,
                name=upload.name[:200],
                file=upload,
                size=upload.size,
                content_type=content_type,
            )
        if milestone is not None:
            milestone.reached_on = today
            milestone.save(update_fields=["reached_on"])
            _close(milestone, actor)
        expected = _open_deadlines(task, REPORT_KIND)
        if final:
            # An extension is moot once the work is reported done (its approval would find no deadline).
            task.extension_requests.filter(state=ExtensionState.PENDING).update(
                state=ExtensionState.REFUSED, decided_at=timezone.now()
            )
            if rules.final_goes_to(acting, task) == TaskState.SIGNOFF:
                # The unit's head signs it first; the clock runs on until he sends it on.
                TASK.move(task, TaskState.SIGNOFF, actor=acting, action=N_("报送办结报告"), comment=report.text)
                for signer in rules.unit_signers(task):
                    _notify(signer, _("办结报告待您审签：%(title)s"), item)
            else:
                _forward(actor, acting, item, task, action=N_("报送办结报告"), comment=report.text)
        else:
            for deadline in expected:
                reminders.deadline_meet(actor=actor, deadline=deadline)
            if expected:
                # One period after this report (not after the date it met): two early reports in a
                # row must not excuse the unit for two periods.
                _open_next_report(actor, task, today)
            label = _("进展反馈") if milestone is None else _("节点完成：%(m)s") % {"m": milestone.title}
            TASK.record(
                task, actor=acting, action=N_("进展反馈"), comment=f"{label}（{percent}%）" if percent else label
            )
        _refresh_report_due(task)
        return report


def _forward(actor: User, acting: Actor, item: SupervisionItem, task: SupervisionTask, *, action: str, comment: str):
    """The unit's 办结报告 reaches the 督查员: the task's 办结时限 is met today (on time when by the
    due date), what else was expected of it is cancelled, and the task waits for 审核."""
    _close(task, actor)
    _close(task, actor, kind=REPORT_KIND, cancel_reason=_("已报送办结报告"))
    for open_part in [*task.milestones.filter(reached_on__isnull=True), *task.assists.filter(sent_at=None)]:
        _close(open_part, actor, cancel_reason=_("已报送办结报告"))
    task.submitted_on = timezone.localdate()
    TASK.move(task, TaskState.REVIEW, actor=acting, action=action, comment=comment, update_fields=["submitted_on"])
    _notify(item.supervisor, _("办结报告待审核：%(title)s"), item)


def _pending_final(task: SupervisionTask, **state) -> ProgressReport:
    """The latest 办结报告 still waiting (for the head's 审签, or for the 督查员's 审核)."""
    return (
        task.reports.filter(kind=ReportKind.FINAL, review="", **state)
        .exclude(signoff=SignOff.RETURNED)
        .order_by("-submitted_at", "-id")
        .first()
    )


# --- 单位审签: 转报督查员 or 退回修改 -----------------------------------------------------------------------


@transaction.atomic
def task_sign_off(*, actor: User, task: SupervisionTask, forward: bool, comment: str = "") -> SupervisionTask:
    """The lead unit's head (or one of its leaders) on a 办结报告 another person of the unit wrote:
    转报督查员 (the unit's report is in: the 办结时限 is met today) or 退回修改 with the reason (the task
    is in hand again, its deadlines as they were)."""
    item, task = _locked_task(task)
    acting = TASK.check(actor, task, "signoff")
    report = _pending_final(task, signoff="")
    if report is None:  # a task left in 审签 without its report (a repaired row): nothing to sign
        raise TransitionNotAllowed(_("该任务没有待审签的办结报告。"))
    comment = comment.strip()
    if not forward and not comment and not above_ceiling(item.level):
        raise ValidationError({"comment": _("请写明退回修改的原因。")})
    if comment:
        _check_text(actor, item, item.level, comment, "comment", "")
    report.signoff, report.signoff_comment = SignOff.FORWARDED if forward else SignOff.RETURNED, comment
    report.signed_off_by, report.signed_off_at = acting.person, timezone.now()
    report.save(update_fields=["signoff", "signoff_comment", "signed_off_by", "signed_off_at"])
    if forward:
        _forward(actor, acting, item, task, action=N_("转报督查员"), comment=comment)
    else:
        TASK.move(task, TaskState.ASSIGNED, actor=acting, action=N_("退回修改"), comment=comment)
        _refresh_report_due(task)
        _notify(report.submitted_by, _("办结报告被单位负责人退回修改：%(title)s"), item)
    return task


# --- 审核: 审结 or 退回重办 -------------------------------------------------------------------------------


@transaction.atomic
def task_review(
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
    acting = TASK.check(actor, task, "review")
    report = _pending_final(task)
    person = acting.person
    now = timezone.now()
    if accept:
        report.review, report.review_comment = Review.ACCEPTED, comment.strip()
        task.done_at, task.done_on_time = now, task.submitted_on <= task.due
        TASK.move(
            task,
            TaskState.DONE,
            actor=acting,
            action=N_("审结"),
            comment=comment,
            update_fields=["done_at", "done_on_time"],
        )
        _finish_item_if_done(item, acting)
    else:
        if not missing.strip():
            raise ValidationError({"missing": _("请写明退回重办的原因和尚缺的内容。")})
        if new_due is None:
            raise ValidationError({"new_due": _("请确定重办的办结时限。")})
        _require_future(new_due, "new_due", _("重办时限应晚于今天。"))
        report.review, report.review_comment = Review.RETURNED, missing.strip()
        task.returns, task.submitted_on = task.returns + 1, None
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
        TASK.move(
            task,
            TaskState.ASSIGNED,
            actor=acting,
            action=N_("退回重办"),
            comment=_("%(missing)s；重办时限：%(due)s") % {"missing": missing.strip(), "due": format_date(task.due)},
            update_fields=["returns", "submitted_on", "due"],
        )
        _follow_task_due(item, task)
        _open_next_report(actor, task, timezone.localdate())
        _refresh_report_due(task)
        _notify(task.responsible_person, _("督办任务被退回重办：%(title)s"), item)
    report.reviewed_by, report.reviewed_at = person, now
    report.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    return task


def _finish_item_if_done(item: SupervisionItem, actor: Actor) -> None:
    """办结 once every task is done (or cancelled): the machine's ``finish``, taken by the 审结."""
    if not ITEM.allows(actor, item, "finish"):
        return
    done = [t for t in item.tasks.all() if t.state == TaskState.DONE]
    item.done_at, item.done_on_time = timezone.now(), all(t.done_on_time for t in done)
    ITEM.move(
        item,
        ItemState.DONE,
        actor=actor,
        action=N_("办结"),
        comment=_("各项任务均已审结，已报告批示领导。"),
        update_fields=["done_at", "done_on_time"],
    )
    _notify(item.instructing_leader, _("督办事项已办结：%(title)s"), item)
    _notify(item.opened_by, _("督办事项已办结：%(title)s"), item)
