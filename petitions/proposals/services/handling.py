"""A unit's share: its 会办意见 to the 主办, 沟通联系 with the proposer, the 答复件 (a 函 through 核稿
and 签发 in ``documents``) and its 送达, which ends its clock; then the office's part: 延期 of a complex
item, the proposers' 征询意见, 二次办理 when 不满意, and 办结."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.org.models import User
from office.reminders import services as reminders
from office.reminders.models import DeadlineKind
from office.workdays.services import PeriodUnit, format_date
from petitions.proposals.models import (
    AssignmentState,
    Body,
    ContactMethod,
    Proposal,
    ProposalAssignment,
    ProposalContact,
    ProposalState,
    ResultCode,
    Satisfaction,
)
from petitions.proposals.rules import (
    PROPOSAL,
    answering,
    forget_shares,
    lead_share,
    own_assignment,
    shares,
    to_rate,
    unsatisfied,
)
from petitions.proposals.services._common import (
    ANSWER_KINDS,
    ASSIST_KIND,
    cancel,
    event,
    locked,
    meet,
    move,
    not_future,
    open_clock,
    open_deadlines,
    refresh_due,
    require_text,
    tell_office,
    tell_unit,
)

PROMISING = (ResultCode.B, ResultCode.C)  # a commitment: a 督办 item follows it to the promised date


@transaction.atomic
def proposal_assist_opinion(*, actor: User, proposal: Proposal, text: str) -> ProposalAssignment:
    """The 会办 unit's opinion, once, to the 主办 (within its month): meets its clock."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "assist_opinion")
    share = own_assignment(acting, proposal)
    text = require_text(text, "text", _("请填写会办意见。"))
    today = timezone.localdate()
    meet(actor, proposal, share, ASSIST_KIND, on=today)
    share.opinion, share.opinion_on, share.state = text, today, AssignmentState.OPINION_GIVEN
    share.save(update_fields=["opinion", "opinion_on", "state"])
    event(proposal, acting, N_("提出会办意见"), text, unit=share.unit)
    refresh_due(proposal)
    lead = lead_share(proposal)
    if lead is not None:
        tell_unit(lead, _("会办单位已提出会办意见：%(title)s"), proposal)
    return share


@transaction.atomic
def proposal_contact(
    *, actor: User, proposal: Proposal, method: str, on: date, people: str, view: str, leader_visit: bool = False
) -> ProposalContact:
    """沟通联系 with the proposer (走访, 座谈, 电话 …), a 领导走访 marked: the gate before the 答复."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "contact")
    share = own_assignment(acting, proposal)
    if method not in ContactMethod.values:
        raise ValidationError({"method": _("请选择沟通联系方式。")})
    not_future(on, "on", _("沟通日期"))
    if on < share.assigned_on:
        raise ValidationError({"on": _("沟通日期不能早于交办日期。")})
    people = require_text(people, "people", _("请填写参加人员。"), 200)
    view = require_text(view, "view", _("请填写代表委员的意见。"))
    contact = ProposalContact.objects.create(
        assignment=share,
        method=method,
        on=on,
        people=people,
        view=view,
        leader_visit=bool(leader_visit),
        written_by=acting.person,
    )
    label = _("领导走访") if leader_visit else ContactMethod(method).label
    event(proposal, acting, N_("沟通联系"), f"{format_date(on)}{label}：{view}", unit=share.unit)
    return contact


def _addressee(proposal: Proposal) -> str:
    return _("委员") if proposal.session.body == Body.CPPCC else _("代表")


def reply_title(proposal: Proposal) -> str:
    word = _("提案") if proposal.session.body == Body.CPPCC else _("建议")
    return _("关于对%(session)s第%(number)s号%(word)s的答复") % {
        "session": proposal.session.name,
        "number": proposal.number,
        "word": word,
    }


def reply_body(proposal: Proposal, result_code: str, text: str, promised_on: date | None) -> str:
    lines = [
        f"{proposal.lead_proposer}{_addressee(proposal)}：",
        _("    您提出的《%(title)s》（第%(number)s号）收悉。现答复如下：")
        % {"title": proposal.title, "number": proposal.number},
        *(f"    {line.strip()}" for line in text.splitlines() if line.strip()),
        _("    办理结果：%(code)s。") % {"code": ResultCode(result_code).label},
    ]
    if promised_on is not None:
        lines.append(_("    我单位承诺于%(day)s前落实。") % {"day": format_date(promised_on)})
    lines.append(_("    感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见。"))
    return "\n".join(lines)


def _cc_text(proposal: Proposal) -> str:
    co_signers = "、".join(s.name for s in proposal.signers.all() if not s.lead)
    parts = [p for p in (co_signers, proposal.session.recipient_office, proposal.intake_unit.name) if p]
    return "，".join(parts)[:300]


@transaction.atomic
def proposal_reply(
    *,
    actor: User,
    proposal: Proposal,
    result_code: str,
    text: str,
    series,
    promised_on: date | None = None,
) -> ProposalAssignment:
    """The 答复件 with its 办理结果 code: a 函 draft in the unit's letter series, to the 领衔人 and copied
    to each co-signer, the 人大/政协 office and the 政府办公室; B and C promise a date."""
    from documents.outgoing import services as documents
    from documents.outgoing.models import Disclosure

    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "reply")
    share = own_assignment(acting, proposal)
    if result_code not in ResultCode.values:
        raise ValidationError({"result_code": _("请选择办理结果（A、B、C、D类）。")})
    text = require_text(text, "text", _("请填写答复内容。"))
    if result_code in PROMISING:
        if promised_on is None or promised_on <= timezone.localdate():
            raise ValidationError({"promised_on": _("B类、C类答复须填写承诺解决时间（晚于今天）。")})
    else:
        promised_on = None
    organ_id = share.unit.organ_id or share.unit.pk
    if series is None or series.template != "letter" or series.organ_id != organ_id:
        raise ValidationError({"series": _("答复件以信函格式制发，请选择本单位信函格式的发文代字。")})
    public = not proposal.is_classified
    document = documents.outgoing_create(
        actor=actor,
        series=series,
        title=reply_title(proposal),
        kind="letter",
        level=proposal.level,
        body=reply_body(proposal, result_code, text, promised_on),
        main_to_external=proposal.lead_proposer[:300],
        cc_external=_cc_text(proposal),
        # 复文公开: 主动公开 unless exempt (a classified item's answer is not published).
        disclosure=Disclosure.PROACTIVE if public else Disclosure.NOT_PUBLIC,
        disclosure_reason="" if public else _("涉及国家秘密"),
        term_unit=proposal.secrecy_term_unit,
        term_amount=proposal.secrecy_term_amount,
        until=proposal.secrecy_until,
        condition=proposal.declassify_condition,
        basis=proposal.classification_basis,
    )
    share.document, share.result_code, share.reply_text, share.promised_on = document, result_code, text, promised_on
    share.save(update_fields=["document", "result_code", "reply_text", "promised_on"])
    comment = f"{ResultCode(result_code).label}：{text}"
    if promised_on:
        comment += _("（承诺%(day)s前解决）") % {"day": format_date(promised_on)}
    event(proposal, acting, N_("拟写答复件"), comment, unit=share.unit)
    forget_shares(proposal)
    return share


def _follow_up(actor, proposal: Proposal, share: ProposalAssignment):
    """A B/C commitment: one 督办 item (source 建议提案) due on the promised date, opened in the office's
    name (the 交办部门's 督查员 who registered the item: it is the office's 督办, in its organ) and
    answered by the unit. A promise already past when the answer goes out gets the item's default
    period instead (it is overdue the day it is sent: the item says so)."""
    from supervision import services as supervision
    from supervision.models import Source
    from supervision.services.items import TaskSpec

    due = share.promised_on if share.promised_on and share.promised_on > timezone.localdate() else None
    return supervision.item_open(
        actor=proposal.registrar.user if proposal.registrar.user.is_active else actor,
        title=proposal.title[:200],
        requirement=_("落实第%(number)s号建议提案答复承诺：%(text)s")
        % {"number": proposal.number, "text": share.reply_text},
        source=Source.PROPOSAL,
        source_record=proposal,
        source_text=f"{proposal.session.name}第{proposal.number}号"[:200],
        due=due,
        level=proposal.level,
        supervising_unit=proposal.intake_unit,
        supervisor=proposal.registrar,
        tasks=[TaskSpec(lead_unit=share.unit, due=due)],
    )


@transaction.atomic
def proposal_send(*, actor: User, proposal: Proposal, on: date) -> Proposal:
    """送达: the signed 答复件 went out on ``on``; the share's clock is met that day. A B/C answer opens its
    督办 item (once). When every answering unit has answered, the item is 已答复."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "send")
    share = own_assignment(acting, proposal)
    not_future(on, "on", _("送达日期"))
    document = share.document
    if document.signed_at and on < timezone.localtime(document.signed_at).date():
        raise ValidationError({"on": _("送达日期不能早于答复件签发日期。")})
    on_time = meet(actor, proposal, share, *ANSWER_KINDS, on=on)
    share.state, share.replied_on, share.replied_on_time = AssignmentState.REPLIED, on, on_time
    fields = ["state", "replied_on", "replied_on_time"]
    if share.result_code in PROMISING and share.follow_up_id is None:
        share.follow_up = _follow_up(actor, proposal, share)
        fields.append("follow_up")
    share.save(update_fields=fields)
    forget_shares(proposal)
    number = getattr(document, "number_text", "")
    comment = format_date(on) + (f"（{number}）" if number else "")
    if all(s.state == AssignmentState.REPLIED for s in answering(proposal)):
        move(proposal, ProposalState.REPLIED, acting, N_("答复送达"), comment, unit=share.unit)
    else:
        event(proposal, acting, N_("答复送达"), comment, unit=share.unit)
    refresh_due(proposal)
    tell_office(proposal, _("建议提案已答复，请征询代表委员意见：%(title)s"))
    return proposal


@transaction.atomic
def proposal_extend(*, actor: User, proposal: Proposal, months: int, reason: str) -> Proposal:
    """A complex item: the office approves one extension of the answering units' clocks, up to 6 months
    from 交办 in all (refused once a clock has run out)."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "extend")
    reason = require_text(reason, "reason", _("请写明延期理由。"))
    kind = DeadlineKind.objects.get(code="proposal")
    cap = kind.extension_cap_amount
    if isinstance(months, bool) or not isinstance(months, int) or months < 1 or (cap is not None and months > cap):
        raise ValidationError({"months": _("延期应为1至%(n)d个月（自交办之日起合计不超过6个月）。") % {"n": cap or 3}})
    clocks = [d for d in open_deadlines(proposal, "proposal") if not d.extensions.exists()]
    for deadline in clocks:
        deadline = reminders.deadline_extend(
            actor=actor,
            deadline=deadline,
            amount=months,
            unit=PeriodUnit.MONTHS,
            reason=reason[:200],
            approved_by=acting.person,
        )
        for share in shares(proposal):
            if share.unit_id == deadline.responsible_unit_id and share.answers:
                share.due = deadline.due_date
                share.save(update_fields=["due"])
    event(proposal, acting, N_("批准延期"), _("延期%(n)d个月：%(reason)s") % {"n": months, "reason": reason})
    refresh_due(proposal)
    for share in answering(proposal):
        tell_unit(share, _("建议提案办理期限已延长：%(title)s"), proposal)
    return proposal


def _share_of(proposal: Proposal, share: ProposalAssignment | None, among) -> ProposalAssignment:
    found = next((s for s in among if share is not None and s.pk == share.pk), None)
    if found is None:
        raise ValidationError({"share": _("请选择承办单位的答复。")})
    return found


def _rehandle(actor, acting, proposal: Proposal, share: ProposalAssignment, note: str) -> ProposalAssignment:
    """二次办理 of ``share``: a new round (its 答复件 cleared; the old one stays in the 流转记录) due in a
    month from today."""
    share.state = AssignmentState.REHANDLING
    share.rehandle_count += 1
    share.document, share.satisfaction, share.rated_on = None, "", None
    open_clock(actor, proposal, "proposal-rehandle", timezone.localdate(), share)
    share.save(update_fields=["state", "rehandle_count", "document", "satisfaction", "rated_on", "due"])
    comment = _("第%(n)d次二次办理") % {"n": share.rehandle_count} + (f"：{note}" if note else "")
    if proposal.state == ProposalState.REHANDLING:
        event(proposal, acting, N_("二次办理"), comment, unit=share.unit)
    else:
        move(proposal, ProposalState.REHANDLING, acting, N_("二次办理"), comment, unit=share.unit)
    refresh_due(proposal)
    tell_unit(share, _("代表委员不满意，请二次办理并于1个月内重新答复：%(title)s"), proposal)
    return share


@transaction.atomic
def proposal_rate(
    *, actor: User, proposal: Proposal, share: ProposalAssignment, satisfaction: str, on: date, note: str = ""
) -> ProposalAssignment:
    """征询意见 of the proposers on ``share``'s answer. 不满意 with a first answer starts 二次办理 at once;
    after a 二次办理 the office decides: another ``proposal_rehandle``, or 办结 with the rating as it is."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "rate")
    share = _share_of(proposal, share, to_rate(proposal))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意、基本满意或不满意。")})
    not_future(on, "on", _("征询日期"))
    if share.replied_on and on < share.replied_on:
        raise ValidationError({"on": _("征询日期不能早于答复日期。")})
    note = (note or "").strip()
    share.satisfaction, share.rated_on = satisfaction, on
    share.save(update_fields=["satisfaction", "rated_on"])
    label = Satisfaction(satisfaction).label
    event(proposal, acting, N_("登记征询意见"), f"{label}{'：' + note if note else ''}", unit=share.unit)
    forget_shares(proposal)
    if satisfaction == Satisfaction.UNSATISFIED and share.rehandle_count == 0:
        _rehandle(actor, acting, proposal, share, note)
    return share


@transaction.atomic
def proposal_rehandle(
    *, actor: User, proposal: Proposal, share: ProposalAssignment, note: str = ""
) -> ProposalAssignment:
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "rehandle")
    share = _share_of(proposal, share, unsatisfied(proposal))
    return _rehandle(actor, acting, proposal, share, (note or "").strip())


@transaction.atomic
def proposal_close(*, actor: User, proposal: Proposal) -> Proposal:
    """办结: every answering unit answered and its proposers rated it; the shares are done and any
    clock still open (a 会办 that gave no opinion) is cancelled."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "close")
    for share in shares(proposal):
        share.state = AssignmentState.DONE
        share.save(update_fields=["state"])
    cancel(actor, proposal, _("建议提案已办结"))
    proposal.closed_at = timezone.now()
    move(proposal, ProposalState.CLOSED, acting, N_("办结"), fields=["closed_at"])
    refresh_due(proposal)
    return proposal
