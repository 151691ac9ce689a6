"""分流 within 15 days (直接受理 / 转送 / 交办 / 诉访分离 / 不再受理), and the receiving organ's answer to a
转送 or 交办: 受理告知 within 15 days, or an objection within 5 working days that sends the case back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.confidentiality.visibility import person_of
from office.org.models import Person, Unit, User
from office.reminders.selectors import may_see_subject
from office.workdays.services import format_date
from petitions.models import CaseState, PetitionCase, Route
from petitions.rules import CASE, accusation_guard
from petitions.services._common import (
    cancel,
    locked,
    meet,
    notify,
    open_clock,
    refresh_due,
    require_text,
    told_for,
)

# Where each route leaves the case.
ROUTE_STATE = {
    Route.DIRECT: CaseState.HANDLING,
    Route.TRANSFER: CaseState.TRANSFERRED,
    Route.ASSIGN: CaseState.TRANSFERRED,
    Route.STATUTORY: CaseState.NOT_ACCEPTED,
    Route.REFUSE: CaseState.NOT_ACCEPTED,
}


def _handler_inside(case: PetitionCase, handler: Person | None, unit: Unit | None) -> None:
    if handler is None:
        return
    if unit is not None and unit.pk not in handler.units():
        raise ValidationError({"handler": _("承办人应是承办单位的工作人员。")})
    if accusation_guard(case, handler.unit):
        raise ValidationError({"handler": accusation_guard(case, handler.unit)})


@transaction.atomic
def case_route(
    *,
    actor: User,
    case: PetitionCase,
    route: str,
    unit: Unit | None = None,
    handler: Person | None = None,
    note: str = "",
    report_back_due: date | None = None,
) -> PetitionCase:
    """分流. 直接受理 starts the 60 days now, in ``unit`` (the registering unit by default); 转送 and
    交办 send it to ``unit``, whose 15 days to tell the 信访人 (and 5 working days to object) start
    today; 诉访分离 and 不再受理 end it with a written notice (``note``)."""
    case = locked(case)
    acting = CASE.check(actor, case, "route")
    if route not in CASE.step("route").options(acting, case):
        raise ValidationError({"route": _("不能采用该处理方式：不再受理仅适用于已复核终结的同一事项。")})
    today = timezone.localdate()
    errors = {}
    if route in (Route.TRANSFER, Route.ASSIGN) and unit is None:
        errors["unit"] = _("请选择转送、交办的单位。")
    if route == Route.DIRECT and unit is None:
        unit = case.intake_unit
    if route in (Route.STATUTORY, Route.REFUSE) and not note.strip():
        errors["note"] = _("请写明告知信访人的内容（法定途径或不再受理的理由）。")
    if route == Route.ASSIGN and (report_back_due is None or report_back_due <= today):
        errors["report_back_due"] = _("交办须定明晚于今天的报送结果时限。")
    guard = accusation_guard(case, unit)
    if guard:
        errors["unit"] = guard
    if errors:
        raise ValidationError(errors)
    _handler_inside(case, handler, unit if route in (Route.DIRECT, Route.TRANSFER, Route.ASSIGN) else None)
    case.route, case.route_note, case.routed_on = route, note.strip()[:300], today
    fields = ["route", "route_note", "routed_on"]
    if route in (Route.DIRECT, Route.TRANSFER, Route.ASSIGN):
        case.handling_unit, case.handler = unit, handler
        case.report_back_due = report_back_due if route == Route.ASSIGN else None
        fields += ["handling_unit", "handler", "report_back_due"]
    on_time = meet(actor, case, "petition-route", on=today)
    if route == Route.DIRECT:
        case.accepted_on, case.accepted_on_time = today, on_time
        fields += ["accepted_on", "accepted_on_time"]
    comment = Route(route).label
    if unit is not None and route != Route.DIRECT:
        comment = f"{comment}：{unit.name}"
    if note.strip():
        comment = f"{comment}。{note.strip()}"
    CASE.move(case, ROUTE_STATE[route], actor=acting, action=N_("分流"), comment=comment, update_fields=fields)
    if route == Route.DIRECT:
        _open_handling(actor, case, today)
    elif route in (Route.TRANSFER, Route.ASSIGN):
        open_clock(actor, case, "petition-accept", today, unit=unit)
        open_clock(actor, case, "petition-object", today, unit=unit)
        for person in told_for(unit):
            notify(person, _("转送、交办信访事项待受理：%(title)s"), case)
    refresh_due(case)
    return case


def _open_handling(actor, case: PetitionCase, start: date) -> None:
    """The 60 days, with the 承办人 named when he may see the case (else the unit answers)."""
    person = case.handler if case.handler and may_see_subject(case, case.handler.user) else None
    open_clock(actor, case, "petition-handle", start, person=person, unit=case.handling_unit)
    if case.handler:
        notify(case.handler, _("信访事项待办理：%(title)s"), case)


@transaction.atomic
def case_accept(*, actor: User, case: PetitionCase, handler: Person | None = None, note: str = "") -> PetitionCase:
    """受理告知: the receiving organ accepts; its 60 days start today."""
    case = locked(case)
    acting = CASE.check(actor, case, "accept")
    today = timezone.localdate()
    handler = handler or case.handler or (person_of(actor) if person_of(actor) else None)
    _handler_inside(case, handler, case.handling_unit)
    case.handler = handler
    case.accepted_on = today
    case.accepted_on_time = meet(actor, case, "petition-accept", on=today)
    cancel(actor, case, _("已受理"), "petition-object")
    CASE.move(
        case,
        CaseState.HANDLING,
        actor=acting,
        action=N_("受理"),
        comment=note.strip() or _("书面告知信访人受理"),
        update_fields=["handler", "accepted_on", "accepted_on_time"],
    )
    _open_handling(actor, case, today)
    refresh_due(case)
    notify(case.registrar, _("信访事项已受理：%(title)s"), case)
    return case


@transaction.atomic
def case_object(*, actor: User, case: PetitionCase, reason: str) -> PetitionCase:
    """异议: not this organ's remit, said within 5 working days with reasons; the case goes back to
    the 信访员 to route again (a new 15 days from today)."""
    case = locked(case)
    acting = CASE.check(actor, case, "object")
    reason = require_text(reason, "reason", _("请写明异议理由。"))
    today = timezone.localdate()
    unit = case.handling_unit
    meet(actor, case, "petition-object", on=today)
    cancel(actor, case, _("承办单位提出异议"), "petition-accept")
    case.handling_unit = case.handler = None
    case.route = ""
    CASE.move(
        case,
        CaseState.REGISTERED,
        actor=acting,
        action=N_("提出异议"),
        comment=f"{unit.name}：{reason}" if unit else reason,
        update_fields=["handling_unit", "handler", "route"],
    )
    open_clock(actor, case, "petition-route", today, person=case.registrar)
    refresh_due(case)
    notify(
        case.registrar,
        _("承办单位对信访事项提出异议，请重新分流（%(day)s）：%%(title)s") % {"day": format_date(today)},
        case,
    )
    return case
