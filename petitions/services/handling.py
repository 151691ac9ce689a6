"""办理: the handling record (调查, 约谈), 听证 as a pause of the clock, the one extension approved by
the organ head with its 延期告知, the 答复意见 with its 答复意见书 (a 信函 draft that goes through
核稿 and 签发 in ``documents``), and its 送达, which ends the stage's clock."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as N_

from office.confidentiality.visibility import person_of
from office.org.models import User
from office.reminders import presets
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit, format_date
from petitions.models import CaseNote, CaseReply, CaseState, NoteKind, Opinion, PetitionCase, ServiceMethod, Stage
from petitions.rules import CASE, NEXT_STAGE, current_reply, organ_head
from petitions.services._common import (
    ANSWER_KINDS,
    locked,
    meet,
    not_future,
    notify,
    open_deadlines,
    refresh_due,
    require_text,
)

REPLY_TITLES = {
    Stage.FIRST: _lazy("信访事项处理意见书"),
    Stage.REVIEW: _lazy("信访事项复查意见书"),
    Stage.REREVIEW: _lazy("信访事项复核意见书"),
}
WINDOW_AFTER = {Stage.FIRST: "petition-review-request", Stage.REVIEW: "petition-rereview-request"}


def _answer_clock(case: PetitionCase):
    clocks = open_deadlines(case, *ANSWER_KINDS)
    if not clocks:
        raise ValidationError(_("本阶段没有正在计算的办理期限。"))
    return clocks[0]


@transaction.atomic
def case_note(*, actor: User, case: PetitionCase, kind: str, on: date, text: str) -> CaseNote:
    """调查核实, 约谈 or another note of the handling (听证 has its own steps: it stops the clock)."""
    case = locked(case)
    acting = CASE.check(actor, case, "note")
    if kind not in (NoteKind.INVESTIGATION, NoteKind.INTERVIEW, NoteKind.OTHER):
        raise ValidationError({"kind": _("请选择调查核实、约谈或其他。")})
    not_future(on, "on", _("日期"))
    text = require_text(text, "text", _("请填写记录内容。"))
    note = CaseNote.objects.create(case=case, kind=kind, on=on, text=text, written_by=person_of(actor))
    CASE.record(case, actor=acting, action=N_("办理记录"), comment=f"{note.get_kind_display()}：{text}")
    return note


@transaction.atomic
def case_hearing(*, actor: User, case: PetitionCase, on: date, text: str) -> CaseNote:
    """听证 begins: the clock stops from ``on`` (听证所需时间不计算在办理期限内)."""
    case = locked(case)
    acting = CASE.check(actor, case, "hearing")
    text = require_text(text, "text", _("请写明听证事项。"))
    not_future(on, "on", _("听证日期"))
    reminders.deadline_suspend(actor=actor, deadline=_answer_clock(case), on=on, reason=_("听证"))
    note = CaseNote.objects.create(case=case, kind=NoteKind.HEARING, on=on, text=text, written_by=person_of(actor))
    CASE.record(
        case,
        actor=acting,
        action=N_("举行听证"),
        comment=_("%(day)s起听证：%(text)s") % {"day": format_date(on), "text": text},
    )
    refresh_due(case)
    return note


@transaction.atomic
def case_hearing_end(*, actor: User, case: PetitionCase, on: date, text: str = "") -> CaseNote:
    """听证 ends: the clock runs again from ``on`` with the paused days added back."""
    case = locked(case)
    acting = CASE.check(actor, case, "hearing_end")
    not_future(on, "on", _("听证结束日期"))
    deadline = reminders.deadline_resume(actor=actor, deadline=_answer_clock(case), on=on, reason=text)
    note = case.notes.filter(kind=NoteKind.HEARING, ends_on__isnull=True).order_by("-on", "-id").first()
    if note is not None:
        note.ends_on = on
        if text.strip():
            note.text = f"{note.text}\n{text.strip()}"
        note.save(update_fields=["ends_on", "text"])
    CASE.record(
        case,
        actor=acting,
        action=N_("听证结束"),
        comment=_("%(day)s听证结束，期限顺延至%(due)s")
        % {"day": format_date(on), "due": format_date(deadline.due_date)},
    )
    refresh_due(case)
    return note


@transaction.atomic
def case_ask_extension(*, actor: User, case: PetitionCase, days: int, reason: str) -> PetitionCase:
    """The 承办单位 asks its organ head for the one extension (he decides with ``case_extend``)."""
    case = locked(case)
    acting = CASE.check(actor, case, "ask_extension")
    reason = require_text(reason, "reason", _("请写明延期理由。"))
    _check_days(days)
    CASE.record(
        case,
        actor=acting,
        action=N_("申请延期"),
        comment=_("申请延期%(n)d日：%(reason)s") % {"n": days, "reason": reason},
    )
    notify(organ_head(case), _("信访事项延期待批准：%(title)s"), case)
    return case


def _check_days(days) -> None:
    """At most the kind's cap (``DeadlineKind`` 信访办理: 30 日, kept by the presets), asked for or granted."""
    from office.reminders.models import DeadlineKind

    if not isinstance(days, int) or days < 1:
        raise ValidationError({"days": _("请填写延长的天数。")})
    kind = DeadlineKind.objects.get(code=presets.PRESETS["petition-handle"].kind)
    if kind.extension_cap_amount is not None and days > kind.extension_cap_amount:
        raise ValidationError(
            {"days": _("%(name)s延期不得超过%(n)d日。") % {"name": kind.name, "n": kind.extension_cap_amount}}
        )


@transaction.atomic
def case_extend(*, actor: User, case: PetitionCase, days: int, reason: str, notice: str = "") -> PetitionCase:
    """The organ head approves the one extension (≤ 30 日, before the 60 days end); the 延期告知 to the
    信访人 is recorded with it."""
    case = locked(case)
    acting = CASE.check(actor, case, "extend")
    reason = require_text(reason, "reason", _("请写明延期理由。"))
    _check_days(days)
    deadline = reminders.deadline_extend(
        actor=actor,
        deadline=open_deadlines(case, "petition")[0],
        amount=days,
        unit=PeriodUnit.CALENDAR_DAYS,
        reason=reason[:200],
        approved_by=acting.person,
    )
    told = notice.strip() or _("已告知信访人延期理由：%(reason)s") % {"reason": reason}
    CaseNote.objects.create(
        case=case,
        kind=NoteKind.OTHER,
        on=timezone.localdate(),
        text=_("延期告知：%(t)s") % {"t": told},
        written_by=acting.person,
    )
    CASE.record(
        case,
        actor=acting,
        action=N_("批准延期"),
        comment=_("延期%(n)d日至%(due)s：%(reason)s")
        % {"n": days, "due": format_date(deadline.due_date), "reason": reason},
    )
    refresh_due(case)
    notify(case.handler, _("信访事项延期已批准：%(title)s"), case)
    return case


def reply_body(case: PetitionCase, opinion: str, facts: str, basis: str) -> str:
    """The 答复意见书's text: what was asked, the facts found, the opinion and its basis, and what the
    信访人 may do next (复查, 复核, or nothing more after the 复核)."""
    names = "、".join(p.petitioner.name for p in case.petitioners.select_related("petitioner"))
    stage = Stage(case.stage)
    lines = [
        f"{names}：",
        _("    你（们）于%(day)s提出的信访事项（%(number)s）收悉。现将%(what)s意见答复如下：")
        % {"day": format_date(case.received_on), "number": case.number, "what": stage.label},
        _("    一、信访事项：%(title)s。") % {"title": case.title.removesuffix("。")},
        _("    二、经调查核实：%(facts)s") % {"facts": facts},
        _("    三、处理意见：%(opinion)s。依据：%(basis)s") % {"opinion": Opinion(opinion).label, "basis": basis},
    ]
    if stage in NEXT_STAGE:
        nxt = Stage(NEXT_STAGE[stage])
        lines.append(
            _("    如对本意见不服，可以自收到本意见书之日起30日内向上一级机关请求%(next)s。") % {"next": nxt.label}
        )
    else:
        lines.append(_("    本复核意见为终结意见。对同一事实和理由再次提出的信访事项，不再受理。"))
    return "\n".join(lines)


@transaction.atomic
def case_reply(*, actor: User, case: PetitionCase, opinion: str, facts: str, basis: str, series) -> CaseReply:
    """The stage's 答复意见 (支持 / 部分支持 / 不支持, with facts and basis) and its 答复意见书 as a 信函
    draft in ``series`` (a letter-format series), which then goes through 核稿 and 签发."""
    from documents.outgoing import services as documents

    case = locked(case)
    acting = CASE.check(actor, case, "reply")
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("请选择处理意见：支持、部分支持或不支持。")})
    facts = require_text(facts, "facts", _("请写明认定的事实。"))
    basis = require_text(basis, "basis", _("请写明政策或法律依据。"))
    if series is None or series.template != "letter":
        raise ValidationError({"series": _("答复意见书以信函格式制发，请选择信函格式的发文代字。")})
    names = "、".join(p.petitioner.name for p in case.petitioners.select_related("petitioner"))
    document = documents.outgoing_create(
        actor=actor,
        series=series,
        title=str(REPLY_TITLES[Stage(case.stage)]),
        kind="letter",
        level=case.level,
        body=reply_body(case, opinion, facts, basis),
        main_to_external=names[:200],
        # It names the 信访人: for its participants only; and never for whom an accusation accuses.
        restricted=True,
        barred_unit=case.accused_unit,
        barred_person=case.accused_person,
        term_unit=case.secrecy_term_unit,
        term_amount=case.secrecy_term_amount,
        until=case.secrecy_until,
        condition=case.declassify_condition,
        basis=case.classification_basis,
    )
    reply = CaseReply.objects.create(
        case=case,
        stage=case.stage,
        opinion=opinion,
        facts=facts,
        basis=basis,
        document=document,
        written_by=acting.person,
    )
    CASE.record(case, actor=acting, action=N_("拟写答复意见"), comment=f"{reply.get_opinion_display()}：{facts}")
    return reply


@transaction.atomic
def case_serve(*, actor: User, case: PetitionCase, on: date, method: str, receipt: str = "") -> PetitionCase:
    """送达: the signed 答复意见书 reached the 信访人 on ``on``; the stage's clock is met that day, and the
    信访人's 30 days to ask for 复查 (or 复核) begin. After the 复核 the matter is final."""
    case = locked(case)
    acting = CASE.check(actor, case, "serve")
    if method not in ServiceMethod.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    not_future(on, "on", _("送达日期"))
    reply = current_reply(case)
    if on < reply.written_at.date():
        raise ValidationError({"on": _("送达日期不能早于答复意见拟写日期。")})
    if reply.document.signed_at and on < timezone.localtime(reply.document.signed_at).date():
        raise ValidationError({"on": _("送达日期不能早于答复意见书签发日期。")})
    reply.served_on, reply.served_method, reply.receipt = on, method, receipt.strip()[:200]
    reply.save(update_fields=["served_on", "served_method", "receipt"])
    on_time = meet(actor, case, *ANSWER_KINDS, on=on)
    fields = ["window_until", "final", "satisfaction", "rated_on"]
    if case.stage == Stage.FIRST:
        case.done_on_time = on_time
        fields.append("done_on_time")
    case.final = case.stage == Stage.REREVIEW
    case.window_until = presets.window_end(WINDOW_AFTER[case.stage], on) if case.stage in WINDOW_AFTER else None
    case.satisfaction, case.rated_on = "", None  # a new answer is rated afresh
    CASE.move(
        case,
        CaseState.REPLIED,
        actor=acting,
        action=N_("送达答复"),
        comment=_("%(day)s%(method)s%(doc)s")
        % {
            "day": format_date(on),
            "method": ServiceMethod(method).label,
            "doc": f"（{reply.document.number_text}）" if getattr(reply.document, "number_text", "") else "",
        },
        update_fields=fields,
    )
    refresh_due(case)
    notify(case.registrar, _("信访事项已答复：%(title)s"), case)
    return case
