"""After the answer: the 信访人's request for 复查 (then 复核) within his 30 days, the 评价 and 回访,
办结 and 归档, and a leader's 批示, which opens a 督办 item linked to the case."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.vocabulary import RETENTIONS
from office.confidentiality.visibility import person_of
from office.org.models import Unit, User
from petitions.models import CaseNote, CaseState, NoteKind, PetitionCase, Satisfaction, Stage
from petitions.rules import CASE, NEXT_STAGE, REVIEW_STATE, accusation_guard, current_reply
from petitions.services._common import locked, not_future, notify, open_clock, refresh_due, require_text, told_for

REVIEW_PRESET = {Stage.REVIEW: "petition-review", Stage.REREVIEW: "petition-rereview"}


@transaction.atomic
def case_review_request(
    *, actor: User, case: PetitionCase, on: date, reviewing_unit: Unit, reason: str
) -> PetitionCase:
    """The 信访人 asks for 复查 (after the first answer) or 复核 (after the 复查's) on ``on``, within his
    30 days; ``reviewing_unit`` (the next-higher organ) has 30 days from then to answer."""
    case = locked(case)
    acting = CASE.check(actor, case, "review_request")
    reason = require_text(reason, "reason", _("请写明信访人请求的理由。"))
    not_future(on, "on", _("请求日期"))
    if on > case.window_until:
        raise ValidationError({"on": _("请求日期已超过可请求的期限。")})
    served = current_reply(case)
    if served is not None and served.served_on and on < served.served_on:
        raise ValidationError({"on": _("请求日期不能早于答复意见书送达日期。")})
    if reviewing_unit is None:
        raise ValidationError({"reviewing_unit": _("请选择复查、复核机关。")})
    guard = accusation_guard(case, reviewing_unit)
    if guard:
        raise ValidationError({"reviewing_unit": guard})
    stage = Stage(NEXT_STAGE[case.stage])
    previous = case.reviewing_unit if case.stage != Stage.FIRST else case.handling_unit
    if previous is not None and reviewing_unit.pk == previous.pk:
        raise ValidationError({"reviewing_unit": _("%(stage)s由原办理机关的上一级机关办理。") % {"stage": stage.label}})
    if stage == Stage.REREVIEW:
        case.review_unit = case.reviewing_unit  # the 复查 organ keeps sight of its answer
    case.stage, case.reviewing_unit = stage, reviewing_unit
    case.window_until, case.satisfaction, case.rated_on = None, "", None
    CASE.move(
        case,
        REVIEW_STATE[stage],
        actor=acting,
        action=N_("请求复查复核"),
        comment=_("请求%(stage)s（%(unit)s）：%(reason)s")
        % {"stage": stage.label, "unit": reviewing_unit.name, "reason": reason},
        update_fields=["stage", "review_unit", "reviewing_unit", "window_until", "satisfaction", "rated_on"],
    )
    open_clock(actor, case, REVIEW_PRESET[stage], on, unit=reviewing_unit)
    refresh_due(case)
    for person in told_for(reviewing_unit):
        notify(person, _("信访事项待%(stage)s：%%(title)s") % {"stage": stage.label}, case)
    return case


@transaction.atomic
def case_rate(*, actor: User, case: PetitionCase, satisfaction: str, on: date, revisit: str = "") -> PetitionCase:
    """评价 (满意 / 基本满意 / 不满意) as the 信访人 gave it, with the 回访 record."""
    case = locked(case)
    acting = CASE.check(actor, case, "rate")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意、基本满意或不满意。")})
    not_future(on, "on", _("评价日期"))
    case.satisfaction, case.rated_on = satisfaction, on
    case.save(update_fields=["satisfaction", "rated_on"])
    if revisit.strip():
        CaseNote.objects.create(case=case, kind=NoteKind.REVISIT, on=on, text=revisit.strip(), written_by=acting.person)
    CASE.record(case, actor=acting, action=N_("满意度评价"), comment=Satisfaction(satisfaction).label)
    return case


@transaction.atomic
def case_close(*, actor: User, case: PetitionCase) -> PetitionCase:
    """办结: rated, or the 信访人's window passed, or the 复核 answered (final)."""
    case = locked(case)
    acting = CASE.check(actor, case, "close")
    case.closed_at = timezone.now()
    CASE.move(case, CaseState.CLOSED, actor=acting, action=N_("办结"), update_fields=["closed_at"])
    return case


@transaction.atomic
def case_archive(*, actor: User, case: PetitionCase, retention: str) -> PetitionCase:
    """归档归宗: the case file (every letter, reply and review) kept for ``retention``."""
    case = locked(case)
    acting = CASE.check(actor, case, "archive")
    if retention not in RETENTIONS:
        raise ValidationError({"retention": _("请选择保管期限。")})
    case.archived_at, case.retention = timezone.now(), retention
    case.save(update_fields=["archived_at", "retention"])
    CASE.record(case, actor=acting, action=N_("归档"), comment=_("保管期限%(r)s") % {"r": retention})
    return case


@transaction.atomic
def case_instruct(
    *,
    actor: User,
    case: PetitionCase,
    text: str,
    supervise: bool = False,
    due: date | None = None,
    cadence: str = "monthly",
):
    """领导批示 on the case; with ``supervise`` it opens a 督办 item whose source is this case
    (``supervision.services.item_open(source_record=case)``, reporting on ``cadence``). Returns the
    item, or None."""
    from supervision import services as supervision
    from supervision.models import Source

    case = locked(case)
    acting = CASE.check(actor, case, "instruct")
    text = require_text(text, "text", _("请填写批示内容。"))
    CASE.record(case, actor=acting, action=N_("领导批示"), comment=text)
    for person in {case.registrar, case.handler} - {None, acting.person}:
        notify(person, _("领导对信访事项作出批示：%(title)s"), case)
    if not supervise:
        return None
    return supervision.item_open(
        actor=actor,
        title=case.title[:200],
        requirement=text,
        source=Source.PETITION,
        source_record=case,
        source_text=case.number,
        instructing_leader=person_of(actor),
        due=due,
        cadence=cadence,
        level=case.level,
    )
