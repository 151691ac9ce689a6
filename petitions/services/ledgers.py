"""The 信访 ledgers: 领导包案 of a 重点信访事项, the 领导接访日 and the 矛盾纠纷排查化解 (and 积案化解)
ledger on its monthly cycle. Who may is ``petitions.ledger_rules``; every change is recorded — on
the case's 流转记录 (``rules.CASE.record``) when a row is linked to one, and a dispute's 化解时限 is
a ``Deadline`` (kind ``general``) of its 责任单位, met when it is 化解."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.confidentiality import services as secrecy
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from petitions import ledger_rules
from petitions.models import CaseState, Dispute, Kind, LeaderCase, PetitionCase, Reception
from petitions.rules import CASE, barred_unit
from petitions.services._common import require_text

__all__ = ["dispute_create", "dispute_update", "leader_case_assign", "leader_case_update", "reception_create"]

DISPUTE_DEADLINE_KIND = "general"


def _is_leader(person: Person | None) -> bool:
    return person is not None and person.user.is_active and person.user.has_role(Role.LEADER)


def _bring_in(actor: User, case: PetitionCase, leader: Person, reason: str, field: str) -> None:
    """The leader must see the case he takes on: granted by who may, never one the case bars."""
    if PetitionCase.objects.visible_to(leader.user).filter(pk=case.pk).exists():
        return
    if secrecy.may_manage(actor, case) and leader.clearance >= case.classification:
        secrecy.grant(actor=actor, record=case, person=leader, reason=reason)
    if not PetitionCase.objects.visible_to(leader.user).filter(pk=case.pk).exists():
        raise ValidationError(
            {
                field: _("%(name)s不在信访事项%(number)s的知悉范围内，请先由登记人将其纳入知悉范围。")
                % {"name": leader.name, "number": case.number}
            }
        )


def _visible_case(actor: User, case: PetitionCase | None, field: str) -> PetitionCase | None:
    if case is None:
        return None
    found = PetitionCase.objects.visible_to(actor).filter(pk=case.pk).first()
    if found is None:
        raise ValidationError({field: _("找不到该信访事项。")})
    return found


# --- 领导包案 ---------------------------------------------------------------------------------------


@transaction.atomic
def leader_case_assign(*, actor: User, case: PetitionCase, leader: Person, plan: str) -> LeaderCase:
    """领导包案: a named leader takes on a 重点信访事项 with a 化解方案."""
    if not ledger_rules.is_keeper(actor, case.organ):
        raise PermissionDenied(_("领导包案由本机关的信访员安排。"))
    case = _visible_case(actor, case, "case")
    if not ledger_rules.may_assign_leader_case(actor, case):
        raise PermissionDenied(_("领导包案由本机关的信访员安排。"))
    if case.state == CaseState.MERGED:
        raise ValidationError({"case": _("已并案的事项随所并入的事项包案。")})
    if LeaderCase.objects.filter(case=case).exists():
        raise ValidationError({"case": _("该信访事项已有包案领导。")})
    if not _is_leader(leader):
        raise ValidationError({"leader": _("请选择一名领导包案。")})
    plan = require_text(plan, "plan", _("请填写化解方案。"))
    _bring_in(actor, case, leader, _("领导包案"), "leader")
    leader_case = LeaderCase.objects.create(case=case, leader=leader, plan=plan)
    CASE.record(case, actor=actor, action=N_("领导包案"), comment=_("包案领导：%(name)s") % {"name": leader.name})
    return leader_case


@transaction.atomic
def leader_case_update(*, actor: User, leader_case: LeaderCase, status: str, plan: str = "") -> LeaderCase:
    """The 化解 status (the keepers or the 包案领导 himself) and the plan (the keepers)."""
    leader_case = (
        LeaderCase.objects.select_for_update(of=("self",)).select_related("case__organ").get(pk=leader_case.pk)
    )
    if not ledger_rules.may_update_leader_case(actor, leader_case):
        raise PermissionDenied(_("包案化解情况由包案领导或信访员更新。"))
    if status not in LeaderCase.Status.values:
        raise ValidationError({"status": _("请选择化解状态。")})
    plan = (plan or "").strip()
    fields = []
    if plan and plan != leader_case.plan:
        if not ledger_rules.may_change_leader_plan(actor, leader_case):
            raise PermissionDenied(_("化解方案由信访员调整。"))
        leader_case.plan = plan
        fields.append("plan")
    if status != leader_case.status:
        leader_case.status = status
        fields.append("status")
    if not fields:
        return leader_case
    leader_case.save(update_fields=[*fields, "updated_at"])
    comment = _("化解状态：%(status)s") % {"status": leader_case.get_status_display()}
    if "plan" in fields:
        comment = f"{comment}；{_('调整化解方案')}"
    CASE.record(leader_case.case, actor=actor, action=N_("包案化解"), comment=comment)
    return leader_case


# --- 领导接访日 -------------------------------------------------------------------------------------


@transaction.atomic
def reception_create(
    *,
    actor: User,
    leader: Person,
    day: date,
    place: str,
    topic: str = "",
    cases: list[PetitionCase] = (),
) -> Reception:
    """领导接访日: a leader receives petitioners on ``day`` at ``place`` (on the listed cases)."""
    if not ledger_rules.may_create_reception(actor):
        raise PermissionDenied(_("领导接访日由信访员安排。"))
    errors = {}
    if not _is_leader(leader):
        errors["leader"] = _("请选择接访领导。")
    if day is None:
        errors["day"] = _("请填写接访日期。")
    if not (place or "").strip():
        errors["place"] = _("请填写接访地点。")
    if errors:
        raise ValidationError(errors)
    organ = ledger_rules.organ_of(person_of(actor))
    found = []
    for case in cases:
        case = _visible_case(actor, case, "cases")
        if case.organ_id != organ.pk:
            raise ValidationError({"cases": _("只能列入本机关登记的信访事项。")})
        _bring_in(actor, case, leader, _("领导接访"), "leader")
        found.append(case)
    reception = Reception.objects.create(
        organ=organ, leader=leader, day=day, place=place.strip()[:100], topic=(topic or "").strip()[:200]
    )
    reception.cases.set(found)
    for case in found:
        CASE.record(
            case,
            actor=actor,
            action=N_("列入领导接访"),
            comment=_("%(day)s %(name)s接访") % {"day": day.isoformat(), "name": leader.name},
        )
    return reception


# --- 矛盾纠纷排查化解 -------------------------------------------------------------------------------


@transaction.atomic
def dispute_create(
    *,
    actor: User,
    month: date,
    title: str,
    area: Unit | None,
    risk: str,
    responsible_unit: Unit,
    plan: str,
    due: date,
    backlog: bool = False,
    case: PetitionCase | None = None,
) -> Dispute:
    """A 矛盾纠纷 found in the month's 排查 (``month``: any day of it), with its 责任单位, plan and due
    date — the due date a ``Deadline`` of the 责任单位."""
    if not ledger_rules.may_create_dispute(actor):
        raise PermissionDenied(_("矛盾纠纷排查化解台账由信访员登记。"))
    case = _visible_case(actor, case, "case")
    errors = {}
    if month is None:
        errors["month"] = _("请选择排查月份。")
    if risk not in Dispute.Risk.values:
        errors["risk"] = _("请选择风险等级。")
    if responsible_unit is None:
        errors["responsible_unit"] = _("请选择责任单位。")
    elif case is not None and case.kind == Kind.ACCUSATION and barred_unit(case, responsible_unit):
        errors["responsible_unit"] = _("检举控告事项不得交由被检举单位或被检举人所在单位化解。")
    today = timezone.localdate()
    if due is None:
        errors["due"] = _("请填写化解时限。")
    elif due <= today:
        errors["due"] = _("化解时限应晚于今天。")
    if errors:
        raise ValidationError(errors)
    title = require_text(title, "title", _("请填写矛盾纠纷。"))[:200]
    plan = require_text(plan, "plan", _("请填写化解方案。"))
    organ = ledger_rules.organ_of(person_of(actor))
    dispute = Dispute.objects.create(
        organ=organ,
        month=month.replace(day=1),
        title=title,
        area=area,
        risk=risk,
        responsible_unit=responsible_unit,
        plan=plan,
        due=due,
        backlog=backlog,
        case=case,
        recorded_by=person_of(actor),
    )
    reminders.deadline_open(
        actor=actor,
        subject=dispute,
        kind=DISPUTE_DEADLINE_KIND,
        start=today,
        amount=(due - today).days,
        unit="calendar_days",
        responsible_unit=responsible_unit,
    )
    if case is not None:
        CASE.record(
            case,
            actor=actor,
            action=N_("列入矛盾纠纷台账"),
            comment=_("责任单位：%(unit)s；风险等级：%(risk)s")
            % {"unit": responsible_unit.name, "risk": dispute.get_risk_display()},
        )
    return dispute


@transaction.atomic
def dispute_update(*, actor: User, dispute: Dispute, status: str, plan: str = "") -> Dispute:
    """The 化解 status (化解中, 已化解, 上报) and the plan. 已化解 meets its 化解时限 today; a
    resolved dispute is settled."""
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("case", "organ").get(pk=dispute.pk)
    if not ledger_rules.may_update_dispute(actor, dispute):
        raise PermissionDenied(_("矛盾纠纷化解情况由信访员更新。"))
    if status not in Dispute.Status.values:
        raise ValidationError({"status": _("请选择化解状态。")})
    if dispute.status == Dispute.Status.RESOLVED:
        raise ValidationError({"status": _("已化解的矛盾纠纷不能再变更。")})
    plan = (plan or "").strip()
    fields = []
    if plan and plan != dispute.plan:
        dispute.plan = plan
        fields.append("plan")
    if status != dispute.status:
        dispute.status = status
        fields.append("status")
    if not fields:
        return dispute
    dispute.save(update_fields=[*fields, "updated_at"])
    if status == Dispute.Status.RESOLVED:
        for deadline in reminders.deadlines_of(dispute):
            if deadline.state == DeadlineState.OPEN:
                reminders.deadline_meet(actor=actor, deadline=deadline, on=timezone.localdate())
    if dispute.case_id:
        comment = _("化解状态：%(status)s") % {"status": dispute.get_status_display()}
        if "plan" in fields:
            comment = f"{comment}；{_('调整化解方案')}"
        CASE.record(dispute.case, actor=actor, action=N_("矛盾纠纷化解"), comment=comment)
    return dispute
