"""办理: 征求意见 (a third party has 15 working days; the answer clock stops meanwhile), the one
extension approved by the 公开工作机构负责人, the 保密审查 before answering about a classified or
不予公开 公文, the 信息处理费 (the clock stops from the notice to the payment) and the 数量频次
明显超过合理范围 note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.org.models import Person, Role, User
from office.reminders import presets
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit, format_date
from petitions.disclosure.models import Consultation, DisclosureRequest, FeeMode, SecrecyReview
from petitions.disclosure.rules import REQUEST, open_consultations
from petitions.disclosure.services._common import (
    THIRD_PARTY,
    answer_clock,
    locked,
    not_future,
    notify,
    open_clock,
    open_deadlines,
    refresh_due,
    require_answer_clock,
    require_text,
)

EXTENSION_CAP = 20  # working days (《政府信息公开条例》第三十三条; the kind ``disclosure`` holds it too)


def stop_clock(actor, request: DisclosureRequest, on: date, reason: str) -> None:
    """Stop the answer clock from ``on`` unless it is stopped already (one pause covers them all)."""
    clock = require_answer_clock(request)
    if not clock.suspended:
        reminders.deadline_suspend(actor=actor, deadline=clock, on=on, reason=reason)


def resume_if_free(actor, request: DisclosureRequest, on: date, reason: str) -> None:
    """Run the answer clock again from ``on`` once nothing stops it: no consultation unanswered and
    no fee noticed and unpaid."""
    clock = answer_clock(request)
    if clock is None or not clock.suspended:
        return
    if open_consultations(request) or (request.fee_notice_on and not request.fee_paid_on):
        return
    reminders.deadline_resume(actor=actor, deadline=clock, on=on, reason=reason)


@transaction.atomic
def request_consult(*, actor: User, request: DisclosureRequest, party: str, name: str, sent_on: date) -> Consultation:
    """征求意见 of a third party (15 working days to answer) or another organ: the answer clock stops
    from ``sent_on`` (所需时间不计算在答复期限内)."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "consult")
    if party not in Consultation.Party.values:
        raise ValidationError({"party": _("请选择征求对象类型：第三方或其他机关。")})
    name = require_text(name, "name", _("请填写征求对象。"))[:100]
    not_future(sent_on, "sent_on", _("发出征求意见日期"))
    if sent_on < request.received_on:
        raise ValidationError({"sent_on": _("发出征求意见日期不能早于收到申请日期。")})
    consultation = Consultation.objects.create(
        request=request, party=party, name=name, sent_on=sent_on, written_by=acting.person
    )
    stop_clock(actor, request, sent_on, _("征求%(party)s意见") % {"party": consultation.get_party_display()})
    if party == Consultation.Party.THIRD_PARTY:
        open_clock(
            actor,
            request,
            "disclosure-third-party",
            sent_on,
            person=request.handler or request.registrar,
            unit=request.intake_unit,
        )
    REQUEST.record(
        request,
        actor=acting,
        action=N_("征求意见"),
        comment=_("%(day)s征求%(who)s意见，答复期限中止") % {"day": format_date(sent_on), "who": str(consultation)},
    )
    refresh_due(request)
    return consultation


@transaction.atomic
def request_opinion(
    *,
    actor: User,
    request: DisclosureRequest,
    consultation: Consultation,
    on: date,
    opinion: str,
    agrees: bool | None = None,
) -> Consultation:
    """The consulted party's answer arrived on ``on``: its clock is met; the answer clock runs again
    when no other consultation waits."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "opinion")
    consultation = Consultation.objects.select_for_update().filter(pk=getattr(consultation, "pk", None)).first()
    if consultation is None or consultation.request_id != request.pk:
        raise ValidationError({"consultation": _("请选择本申请的征求意见。")})
    if consultation.answered_on is not None:
        raise ValidationError({"consultation": _("该征求意见已登记答复。")})
    not_future(on, "on", _("收到意见日期"))
    if on < consultation.sent_on:
        raise ValidationError({"on": _("收到意见日期不能早于发出征求意见日期。")})
    opinion = require_text(opinion, "opinion", _("请填写征求意见的答复。"))
    consultation.answered_on, consultation.opinion, consultation.agrees = on, opinion, agrees
    consultation.save(update_fields=["answered_on", "opinion", "agrees"])
    if consultation.party == Consultation.Party.THIRD_PARTY:
        clocks = sorted(open_deadlines(request, THIRD_PARTY), key=lambda d: (d.start != consultation.sent_on, d.pk))
        if clocks:
            reminders.deadline_meet(actor=actor, deadline=clocks[0], on=on)
    request.__dict__.pop("_prefetched_objects_cache", None)
    resume_if_free(actor, request, on, _("收到征求意见答复"))
    agreed = {True: _("（同意公开）"), False: _("（不同意公开）")}.get(agrees, "")
    REQUEST.record(
        request,
        actor=acting,
        action=N_("登记意见"),
        comment=f"{consultation}{agreed}：{opinion}",
    )
    refresh_due(request)
    return consultation


@transaction.atomic
def request_extend(
    *, actor: User, request: DisclosureRequest, days: int, reason: str, notice: str = ""
) -> DisclosureRequest:
    """The 公开工作机构负责人 approves the one extension (≤ 20 working days) while the period runs; the
    applicant is told (``notice``)."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "extend")
    reason = require_text(reason, "reason", _("请写明延期理由。"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= EXTENSION_CAP:
        raise ValidationError({"days": _("延长答复期限为1至%(n)d个工作日。") % {"n": EXTENSION_CAP}})
    deadline = reminders.deadline_extend(
        actor=actor,
        deadline=require_answer_clock(request),
        amount=days,
        unit=PeriodUnit.WORKING_DAYS,
        reason=reason[:200],
        approved_by=acting.person,
    )
    told = notice.strip() or _("已告知申请人延期理由")
    REQUEST.record(
        request,
        actor=acting,
        action=N_("批准延期"),
        comment=_("延长%(n)d个工作日至%(due)s：%(reason)s。%(told)s")
        % {"n": days, "due": format_date(deadline.due_date), "reason": reason, "told": told},
    )
    refresh_due(request)
    notify(request.handler, _("依申请公开答复期限已延长：%(title)s"), request)
    return request


@transaction.atomic
def request_ask_review(*, actor: User, request: DisclosureRequest, reviewer: Person) -> DisclosureRequest:
    """送保密审查: a 保密员 of the organ cleared for every 公文 asked for joins the 知悉范围."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "ask_review")
    if reviewer is None or not reviewer.user.is_active or not reviewer.user.has_role(Role.SECURITY_OFFICER):
        raise ValidationError({"reviewer": _("请选择本机关的保密员。")})
    if request.organ_id not in reviewer.units():
        raise ValidationError({"reviewer": _("请选择本机关的保密员。")})
    highest = max((d.classification for d in request.requested_documents.all()), default=request.classification)
    if reviewer.clearance < max(highest, request.classification):
        raise ValidationError({"reviewer": _("该保密员的涉密等级低于所涉公文的密级。")})
    request.secrecy_reviewer = reviewer
    request.save(update_fields=["secrecy_reviewer"])
    REQUEST.record(request, actor=acting, action=N_("送保密审查"), comment=reviewer.name)
    notify(reviewer, _("依申请公开待保密审查：%(title)s"), request)
    return request


@transaction.atomic
def request_secrecy_review(*, actor: User, request: DisclosureRequest, conclusion: str, note: str) -> SecrecyReview:
    """The 保密员's conclusion before the answer (可以公开 / 删除涉密内容后可以公开 / 不得公开)."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "secrecy_review")
    if conclusion not in SecrecyReview.Conclusion.values:
        raise ValidationError({"conclusion": _("请选择审查结论。")})
    note = require_text(note, "note", _("请填写审查意见。"))
    review = SecrecyReview.objects.create(request=request, conclusion=conclusion, note=note, reviewer=acting.person)
    REQUEST.record(request, actor=acting, action=N_("保密审查"), comment=f"{review.get_conclusion_display()}：{note}")
    notify(request.handler, _("依申请公开保密审查已完成：%(title)s"), request)
    return request.secrecy_reviews.latest("reviewed_at", "id")


def _amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("请填写信息处理费金额。")}) from None
    if value <= 0 or value.as_tuple().exponent < -2:
        raise ValidationError({"amount": _("信息处理费金额应为正数，精确到分。")})
    return value


@transaction.atomic
def request_fee(
    *,
    actor: User,
    request: DisclosureRequest,
    mode: str = "",
    amount=None,
    notice_on: date | None = None,
    paid_on: date | None = None,
) -> DisclosureRequest:
    """信息处理费: the 收费通知 (``mode``, ``amount``, ``notice_on``: 20 working days to pay, the answer
    clock stopped meanwhile) or the payment (``paid_on``: the clock runs again)."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "fee")
    if notice_on is not None and request.fee_notice_on is None:
        if mode not in FeeMode.values:
            raise ValidationError({"mode": _("请选择收费方式：按件计收或按量计收。")})
        value = _amount(amount)
        not_future(notice_on, "notice_on", _("收费通知日期"))
        if notice_on < request.received_on:
            raise ValidationError({"notice_on": _("收费通知日期不能早于收到申请日期。")})
        request.fee_mode, request.fee_amount, request.fee_notice_on = mode, value, notice_on
        request.fee_until = presets.window_end("disclosure-fee", notice_on)
        request.save(update_fields=["fee_mode", "fee_amount", "fee_notice_on", "fee_until"])
        stop_clock(actor, request, notice_on, _("收费通知至缴费"))
        REQUEST.record(
            request,
            actor=acting,
            action=N_("收费通知"),
            comment=_("%(mode)s%(amount)s元，缴费期限至%(day)s")
            % {"mode": request.get_fee_mode_display(), "amount": value, "day": format_date(request.fee_until)},
        )
    elif paid_on is not None:
        if request.fee_notice_on is None:
            raise ValidationError({"paid_on": _("尚未发出收费通知。")})
        not_future(paid_on, "paid_on", _("缴费日期"))
        if paid_on < request.fee_notice_on:
            raise ValidationError({"paid_on": _("缴费日期不能早于收费通知日期。")})
        if paid_on > request.fee_until:
            message = _("缴费期限已于%(day)s届满，逾期未缴费视为放弃。")
            raise ValidationError({"paid_on": message % {"day": format_date(request.fee_until)}})
        request.fee_paid_on = paid_on
        request.save(update_fields=["fee_paid_on"])
        resume_if_free(actor, request, paid_on, _("已缴纳信息处理费"))
        REQUEST.record(
            request, actor=acting, action=N_("缴纳费用"), comment=_("%(day)s缴费") % {"day": format_date(paid_on)}
        )
    else:
        field = "paid_on" if request.fee_notice_on else "notice_on"
        raise ValidationError({field: _("请填写收费通知日期或缴费日期。")})
    refresh_due(request)
    return request


@transaction.atomic
def request_abnormal(*, actor: User, request: DisclosureRequest, note: str) -> DisclosureRequest:
    """数量、频次明显超过合理范围: the applicant is asked for reasons and the answer may be deferred."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "abnormal")
    note = require_text(note, "note", _("请说明申请数量、频次明显超过合理范围的情况。"))
    request.abnormal, request.abnormal_note = True, note
    request.save(update_fields=["abnormal", "abnormal_note"])
    REQUEST.record(request, actor=acting, action=N_("超出合理范围"), comment=note)
    return request
