"""登记 of a 政府信息公开申请 by channel (当面: that day; 邮寄: the 签收 day; 网络/传真: the day both
sides confirm), the one 补正 (the answer clock stops, and restarts on the day the 补正 arrives) and
视为放弃 when none came in time."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.models import OutgoingDocument
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.workdays.services import format_date
from office.workflow import take_next
from petitions.disclosure.models import (
    ApplicantKind,
    Delivery,
    DisclosureRequest,
    Medium,
    RequestChannel,
    RequestCounter,
    RequestState,
)
from petitions.disclosure.rules import CONFIRMED_CHANNELS, REQUEST, open_consultations
from petitions.disclosure.services._common import (
    CORRECTION,
    cancel,
    locked,
    meet,
    not_future,
    notify,
    open_clock,
    open_deadlines,
    refresh_due,
    refresh_search,
    require_answer_clock,
    require_text,
)


def may_register(user: User) -> bool:
    """Who registers a request: a 政务公开员 (the page, the API and navigation ask this one rule)."""
    return person_of(user) is not None and user.has_role(Role.DISCLOSURE_OFFICER)


def _responsible(request: DisclosureRequest) -> Person:
    return request.handler or request.registrar


def open_answer_clocks(actor, request: DisclosureRequest) -> None:
    """The 20 working days to answer and the 7 to ask for a 补正, both from the 收到申请之日."""
    person = _responsible(request)
    open_clock(actor, request, "disclosure-answer", request.received_on, person=person, unit=request.intake_unit)
    open_clock(actor, request, "disclosure-correction", request.received_on, person=person, unit=request.intake_unit)


@transaction.atomic
def request_register(
    *,
    actor: User,
    applicant_kind: str,
    applicant_name: str,
    description: str,
    medium: str,
    delivery: str,
    channel: str,
    arrived_on: date,
    received_on: date | None = None,
    id_document: str = "",
    contact_phone: str = "",
    contact_address: str = "",
    contact_email: str = "",
    document_reference: str = "",
    requested_documents=(),
    holding_unit: Unit | None = None,
    handler: Person | None = None,
) -> DisclosureRequest:
    """登记 with its 登记号 (per organ and year, no gap); the clocks start on the 收到申请之日 —
    at once for 当面 and 邮寄, on ``request_confirm`` for 网络 and 传真."""
    if not may_register(actor):
        raise PermissionDenied(_("政府信息公开申请由政务公开员登记。"))
    person = person_of(actor)
    errors = {}
    if applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("请选择申请人类型。")
    if medium not in Medium.values:
        errors["medium"] = _("请选择获取信息的载体形式。")
    if delivery not in Delivery.values:
        errors["delivery"] = _("请选择获取信息的方式。")
    if channel not in RequestChannel.values:
        errors["channel"] = _("请选择申请方式。")
    if errors:
        raise ValidationError(errors)
    applicant_name = require_text(applicant_name, "applicant_name", _("请填写申请人姓名或名称。"))[:100]
    description = require_text(description, "description", _("请填写所需信息的内容描述。"))
    not_future(arrived_on, "arrived_on", _("到达日期"))
    if channel == RequestChannel.IN_PERSON:
        received_on = arrived_on  # 当面提交: the day it is handed in
    elif channel == RequestChannel.POST:
        received_on = received_on or arrived_on  # 邮寄: the day it is 签收
        not_future(received_on, "received_on", _("签收日期"))
        if received_on < arrived_on:
            raise ValidationError({"received_on": _("签收日期不能早于到达日期。")})
    else:
        received_on = None  # 网络/传真: the day both sides confirm (request_confirm)
    documents = list(requested_documents or [])
    if documents:
        pks = [getattr(d, "pk", d) for d in documents]
        found = list(OutgoingDocument.objects.visible_to(actor).filter(pk__in=pks))
        if len(found) != len(set(pks)):
            raise ValidationError({"requested_documents": _("找不到所选的公文。")})
        documents = found
    organ = person.unit.organ or person.unit
    if holding_unit is not None and (holding_unit.organ or holding_unit).pk != organ.pk:
        raise ValidationError({"holding_unit": _("信息所在单位应为本机关的内设机构。")})
    if handler is not None and not handler.user.has_role(Role.DISCLOSURE_OFFICER):
        raise ValidationError({"handler": _("承办人应为政务公开员。")})
    year = (received_on or arrived_on).year
    request = DisclosureRequest.objects.create(
        organ=organ,
        intake_unit=person.unit,
        year=year,
        sequence=take_next(RequestCounter, organ=organ, year=year),
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        id_document=id_document.strip()[:60],
        contact_phone=contact_phone.strip()[:30],
        contact_address=contact_address.strip()[:200],
        contact_email=contact_email.strip(),
        description=description,
        document_reference=document_reference.strip()[:200],
        medium=medium,
        delivery=delivery,
        channel=channel,
        arrived_on=arrived_on,
        received_on=received_on,
        state=RequestState.RECEIVED if channel in CONFIRMED_CHANNELS else RequestState.HANDLING,
        handler=handler or person,
        holding_unit=holding_unit,
        registrar=person,
    )
    request.requested_documents.set(documents)
    REQUEST.record(request, actor=actor, action=N_("登记"), comment=request.number)
    if request.state == RequestState.HANDLING:
        open_answer_clocks(actor, request)
    refresh_due(request)
    refresh_search(request)
    return request


@transaction.atomic
def request_confirm(*, actor: User, request: DisclosureRequest, on: date) -> DisclosureRequest:
    """网络/传真: both sides confirmed receipt on ``on`` — the 收到申请之日, from which the clocks run."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "confirm")
    not_future(on, "on", _("双方确认日期"))
    if on < request.arrived_on:
        raise ValidationError({"on": _("确认日期不能早于申请到达日期。")})
    request.received_on = on
    REQUEST.move(
        request,
        RequestState.HANDLING,
        actor=acting,
        action=N_("确认收到"),
        comment=_("%(day)s双方确认收到") % {"day": format_date(on)},
        update_fields=["received_on"],
    )
    open_answer_clocks(actor, request)
    refresh_due(request)
    return request


@transaction.atomic
def request_correct(
    *, actor: User, request: DisclosureRequest, items: str, until: date, on: date | None = None
) -> DisclosureRequest:
    """告知补正, once, within 7 working days of the 收到日: the answer clock stops (and will begin
    again on the day the 补正 arrives); the applicant has until ``until``."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "correct")
    items = require_text(items, "items", _("请一次性列明需要补正的事项。"))
    on = not_future(on or timezone.localdate(), "on", _("告知补正日期"))
    if on < request.received_on:
        raise ValidationError({"on": _("告知补正日期不能早于收到申请日期。")})
    window = open_deadlines(request, CORRECTION)[0]
    if window.due_date is not None and on > window.due_date:
        raise ValidationError(
            {"on": _("补正须在%(day)s（收到申请之日起7个工作日）前告知。") % {"day": format_date(window.due_date)}}
        )
    if until is None or until <= on:
        raise ValidationError({"until": _("补正期限应晚于告知补正日期。")})
    clock = require_answer_clock(request)
    if clock.suspended:  # stopped already (a consultation, a fee): the 补正 takes over the pause
        clock = reminders.deadline_resume(actor=actor, deadline=clock, on=on, reason=_("告知补正"))
    reminders.deadline_suspend(actor=actor, deadline=clock, on=on, reason=_("告知补正"), restarts_clock=True)
    meet(actor, request, CORRECTION, on=on)
    request.correction_asked_on, request.correction_items, request.correction_until = on, items, until
    REQUEST.move(
        request,
        RequestState.CORRECTING,
        actor=acting,
        action=N_("告知补正"),
        comment=_("补正期限至%(day)s：%(items)s") % {"day": format_date(until), "items": items},
        update_fields=["correction_asked_on", "correction_items", "correction_until"],
    )
    refresh_due(request)
    return request


@transaction.atomic
def request_receive_correction(*, actor: User, request: DisclosureRequest, on: date) -> DisclosureRequest:
    """The 补正 arrived on ``on``: the 20 working days begin again from that day."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "receive_correction")
    not_future(on, "on", _("收到补正日期"))
    if on < request.correction_asked_on:
        raise ValidationError({"on": _("收到补正日期不能早于告知补正日期。")})
    deadline = reminders.deadline_resume(
        actor=actor, deadline=require_answer_clock(request), on=on, reason=_("收到补正")
    )
    if open_consultations(request) or (request.fee_notice_on and not request.fee_paid_on):
        # Still waiting for a consulted party or the fee: the restarted clock stops again at once.
        deadline = reminders.deadline_suspend(actor=actor, deadline=deadline, on=on, reason=_("征求意见或缴费期间"))
    request.corrected_on = on
    REQUEST.move(
        request,
        RequestState.HANDLING,
        actor=acting,
        action=N_("收到补正"),
        comment=(
            _("%(day)s收到补正，答复期限重新计算至%(due)s")
            % {"day": format_date(on), "due": format_date(deadline.due_date)}
            if deadline.due_date
            else _("%(day)s收到补正，答复期限重新起算，征求意见或缴费期间中止") % {"day": format_date(on)}
        ),
        update_fields=["corrected_on"],
    )
    refresh_due(request)
    notify(request.handler, _("依申请公开补正已收到：%(title)s"), request)
    return request


@transaction.atomic
def request_abandon(*, actor: User, request: DisclosureRequest) -> DisclosureRequest:
    """视为放弃: the 补正期限 passed with no 补正; the clocks end, nothing more is done."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "abandon")
    cancel(actor, request, _("逾期未补正，视为放弃申请"))
    request.closed_reason, request.closed_at = "abandoned", timezone.now()
    REQUEST.move(
        request,
        RequestState.ABANDONED,
        actor=acting,
        action=N_("视为放弃"),
        comment=_("补正期限%(day)s届满未补正") % {"day": format_date(request.correction_until)},
        update_fields=["closed_reason", "closed_at"],
    )
    refresh_due(request)
    return request
