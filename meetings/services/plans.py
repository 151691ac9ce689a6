"""会议计划: 拟订 (the organ's 会务员), 修改, 报批 (a meeting in the government's name, to the 主要领导) or
列入计划 (any other type), 批准 / 退回 (the 主要领导), 撤销, and 计划外报批 — a meeting in the
government's name registered without a plan entry is reported for approval on its own entry
(``unplanned``), so its notice may go out once the head approves it (``rules.plan_cleared``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from guardian.shortcuts import assign_perm

from meetings.models import Meeting, MeetingPlan, MeetingType, PlanState
from meetings.rules import MEETING, PLAN, is_meeting_officer
from meetings.services._common import notify, organ_of, require_text, unit_organ
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.org.models import Unit, User
from office.workflow.machine import Actor, actor_of

__all__ = [
    "PLAN_EDITABLE",
    "meeting_report_unplanned",
    "plan_approve",
    "plan_create",
    "plan_drop",
    "plan_edit",
    "plan_list",
    "plan_return",
    "plan_submit",
]

PLAN_EDITABLE = (
    "year",
    "month",
    "type",
    "title",
    "organizing_unit",
    "reason",
    "expected_size",
    "days",
    "video",
    "budget",
)
MAX_SIZE, MAX_DAYS = 10000, 30
MAX_BUDGET = Decimal("9999999999.99")


# --- checks ---------------------------------------------------------------------------------------


def _check_year(year, month) -> None:
    this = timezone.localdate().year
    if not isinstance(year, int) or not this - 1 <= year <= this + 1:
        message = _("年度应为%(first)d年至%(last)d年之间。") % {"first": this - 1, "last": this + 1}
        raise ValidationError({"year": message})
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        raise ValidationError({"month": _("月份应为1至12月（年度计划留空）。")})


def _check_figures(expected_size, days, budget) -> Decimal | None:
    if expected_size is not None and not 1 <= expected_size <= MAX_SIZE:
        raise ValidationError({"expected_size": _("规模应为1至%(max)d人。") % {"max": MAX_SIZE}})
    if days is None or not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("会期应为1至%(max)d天。") % {"max": MAX_DAYS}})
    return money(budget, "budget", _("会议费预算"))


def money(value, field: str, label: str) -> Decimal | None:
    """An amount in 元 (None when not given): not negative, at most two decimals."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("%(label)s应为金额（元）。") % {"label": label}}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise ValidationError({field: _("%(label)s不能为负数，且不超过一百亿元。") % {"label": label}})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("%(label)s最多保留两位小数。") % {"label": label}})
    return amount.quantize(Decimal("0.01"))


def _check_unit(unit: Unit, organ_id: int) -> None:
    if unit is None or unit_organ(unit).pk != organ_id:
        raise ValidationError({"organizing_unit": _("承办单位应为本机关的部门。")})


def _head_may_read(plan: MeetingPlan) -> None:
    """The 主要领导 who approves a classified entry reads it (his 知悉范围, like a material's holder)."""
    head = plan.organ.head
    if head is not None and plan.is_classified and head.clearance >= plan.classification:
        assign_perm(f"view_{MeetingPlan._meta.model_name}", head.user, plan)


# --- 拟订 and 修改 ---------------------------------------------------------------------------------


def plan_create(
    *,
    actor: User | Actor,
    year: int,
    month: int | None,
    type: MeetingType,
    title: str,
    organizing_unit: Unit,
    reason: str,
    expected_size: int | None = None,
    days: int = 1,
    video: bool = False,
    budget=None,
    level: Level | None = None,
    basis: str = "",
    term_unit: str = "",
    term_amount: int | None = None,
    until=None,
    condition: str = "",
    unplanned: bool = False,
) -> MeetingPlan:
    """拟订 a 会议计划 entry (拟订): a 会务员 of the organ (``rules.plans_meetings``), who becomes its
    拟订人; ``month`` empty for the yearly plan. 密级 defaults to the type's, within his clearance."""
    acting = actor_of(actor)
    person = acting.person
    organ = organ_of(person)
    if not is_meeting_officer(acting, organ.pk):
        raise PermissionDenied(_("会议计划由本机关的会务员拟订。"))
    level = Level(type.default_classification if level is None else level)
    if level > person.clearance:
        raise PermissionDenied(_("不能拟订高于本人涉密等级的会议计划。"))
    _check_year(year, month)
    title = require_text(title, "title", _("请填写会议名称。"), 120)
    reason = require_text(reason, "reason", _("请写明召开必要性。"))
    _check_unit(organizing_unit, organ.pk)
    budget = _check_figures(expected_size, days, budget)
    with transaction.atomic():
        plan = MeetingPlan(
            organ=organ,
            year=year,
            month=month,
            type=type,
            title=title,
            organizing_unit=organizing_unit,
            expected_size=expected_size,
            days=days,
            video=bool(video) or type.video,
            budget=budget,
            reason=reason,
            unplanned=unplanned,
            submitted_by=person,
        )
        secrecy.apply_classification(
            plan,
            actor=acting.user,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        PLAN.check(acting, plan, "edit")  # the very rule that keeps it (the organ, the clearance)
        plan.save()
        PLAN.record(plan, actor=acting, action=N_("拟订会议计划"), comment=title)
        if plan.is_classified:
            audit.record(acting.user, AuditAction.CLASSIFY, obj=plan, detail={"mark": plan.level_mark})
        return plan


@transaction.atomic
def plan_edit(*, actor: User | Actor, plan: MeetingPlan, **fields) -> MeetingPlan:
    """修改会议计划 (``PLAN_EDITABLE``), while 拟订 or 已退回; the type not once a meeting is held under it."""
    unknown = sorted(set(fields) - set(PLAN_EDITABLE))
    if unknown:
        raise ValidationError({name: _("这一项不能在此修改。") for name in unknown})
    plan = PLAN.lock(plan)
    acting = PLAN.check(actor, plan, "edit")
    if "budget" in fields:
        fields["budget"] = money(fields["budget"], "budget", _("会议费预算"))
    changed = [name for name, value in fields.items() if getattr(plan, name) != value]
    if not changed:
        return plan
    if "type" in changed and plan.meetings.exists():
        raise ValidationError({"type": _("已按这条计划安排了会议，不能更改会议类型。")})
    for name in changed:
        value = fields[name]
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.title = require_text(plan.title, "title", _("请填写会议名称。"), 120)
    plan.reason = require_text(plan.reason, "reason", _("请写明召开必要性。"))
    _check_year(plan.year, plan.month)
    _check_unit(plan.organizing_unit, plan.organ_id)
    _check_figures(plan.expected_size, plan.days, plan.budget)
    if plan.type.video:
        plan.video = True
    plan.save(update_fields=[*{*changed, "video"}, "updated_at"])
    labels = "、".join(str(MeetingPlan._meta.get_field(name).verbose_name) for name in changed)
    PLAN.record(plan, actor=acting, action=N_("修改会议计划"), comment=labels)
    return plan


# --- 报批, 列入计划, 批准, 退回, 撤销 -----------------------------------------------------------------


@transaction.atomic
def plan_submit(*, actor: User | Actor, plan: MeetingPlan) -> MeetingPlan:
    """报批 a meeting in the government's name to the organ's 主要领导, who is told."""
    plan = PLAN.lock(plan)
    acting = PLAN.check(actor, plan, "submit")
    plan.submitted_at = timezone.now()
    plan.opinion = ""
    action = N_("计划外报批") if plan.unplanned else N_("报批")
    PLAN.move(plan, PlanState.SUBMITTED, actor=acting, action=action, update_fields=["submitted_at", "opinion"])
    _head_may_read(plan)
    head = plan.organ.head
    if head is not None and head.pk != acting.person.pk:
        verb = _("计划外会议待审批：%(title)s") if plan.unplanned else _("会议计划待审批：%(title)s")
        notify(head, verb, plan)
    return plan


@transaction.atomic
def plan_list(*, actor: User | Actor, plan: MeetingPlan) -> MeetingPlan:
    """列入计划 at once: a type not held in the government's name needs no approval."""
    plan = PLAN.lock(plan)
    acting = PLAN.check(actor, plan, "list")
    plan.decided_at = timezone.now()
    PLAN.move(plan, PlanState.APPROVED, actor=acting, action=N_("列入计划"), update_fields=["decided_at"])
    return plan


def _decide(actor, plan: MeetingPlan, step: str, to: str, opinion: str, action: str, verb: str) -> MeetingPlan:
    plan = PLAN.lock(plan)
    acting = PLAN.check(actor, plan, step)
    plan.decided_by = acting.person
    plan.decided_at = timezone.now()
    plan.opinion = opinion
    PLAN.move(
        plan, to, actor=acting, action=action, comment=opinion, update_fields=["decided_by", "decided_at", "opinion"]
    )
    if plan.submitted_by_id != acting.person.pk:
        notify(plan.submitted_by, verb, plan)
    return plan


@transaction.atomic
def plan_approve(*, actor: User | Actor, plan: MeetingPlan, opinion: str = "") -> MeetingPlan:
    """批准 (the organ's 主要领导): the meetings held under it may be notified."""
    opinion = (opinion or "").strip()[:300]
    return _decide(actor, plan, "approve", PlanState.APPROVED, opinion, N_("批准"), _("会议计划已批准：%(title)s"))


@transaction.atomic
def plan_return(*, actor: User | Actor, plan: MeetingPlan, opinion: str) -> MeetingPlan:
    """退回 (the 主要领导), with the reason: the 会务员 may change it and report it again."""
    PLAN.check(actor, plan, "return")  # not his step: refused before the form is judged
    opinion = require_text(opinion, "opinion", _("请写明退回理由。"), 300)
    return _decide(actor, plan, "return", PlanState.RETURNED, opinion, N_("退回"), _("会议计划被退回：%(title)s"))


@transaction.atomic
def plan_drop(*, actor: User | Actor, plan: MeetingPlan, reason: str) -> MeetingPlan:
    """撤销 (精文减会: not held, or merged into another), with the reason; never under a meeting still on."""
    plan = PLAN.lock(plan)
    acting = PLAN.check(actor, plan, "drop")
    reason = require_text(reason, "reason", _("请写明撤销理由。"), 200)
    waiting = plan.state == PlanState.SUBMITTED
    PLAN.move(plan, PlanState.DROPPED, actor=acting, action=N_("撤销"), comment=reason)
    head = plan.organ.head
    if waiting and head is not None and head.pk != acting.person.pk:
        notify(head, _("报批的会议计划已撤销：%(title)s"), plan)
    return plan


# --- 计划外报批 -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_report_unplanned(*, actor: User | Actor, meeting: Meeting, reason: str) -> MeetingPlan:
    """计划外报批: a meeting in the government's name without a plan entry gets one of its month and
    type (``unplanned``), linked to it and 报批 at once; the head's 批准 lets its notice go out."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "report_unplanned")
    reason = require_text(reason, "reason", _("请写明计划外召开的必要性。"))
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    plan = plan_create(
        actor=acting,
        year=start.year,
        month=start.month,
        type=meeting.type,
        title=meeting.title,
        organizing_unit=meeting.organizing_unit,
        reason=reason,
        expected_size=meeting.attendees.count() or None,
        days=min((end.date() - start.date()).days + 1, MAX_DAYS),
        video=meeting.type.video or bool(meeting.platform),
        level=meeting.classification,
        basis=meeting.classification_basis,
        term_unit=meeting.secrecy_term_unit,
        term_amount=meeting.secrecy_term_amount,
        until=meeting.secrecy_until,
        condition=meeting.declassify_condition,
        unplanned=True,
    )
    meeting.plan = plan
    meeting.save(update_fields=["plan", "updated_at"])
    MEETING.record(meeting, actor=acting, action=N_("计划外报批"), comment=reason[:200])
    return plan_submit(actor=acting, plan=plan)
