"""导入 at the 交办会 (届次会次, then the batch, all or nothing), 交办 (主办 + 会办, or 分办), the
units' 调整申请 and the office's decision, and the 联络员 each unit names."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.workdays.services import format_date
from office.workflow.machine import actor_of
from petitions.proposals.models import (
    AssignmentState,
    Body,
    Mode,
    Proposal,
    ProposalAssignment,
    ProposalKind,
    ProposalSession,
    ProposalSigner,
    ProposalState,
    ShareRole,
    UnitLiaison,
)
from petitions.proposals.rules import OPEN, PROPOSAL, forget_shares, own_assignment, shares
from petitions.proposals.services._common import (
    cancel,
    event,
    liaison_of,
    locked,
    move,
    not_future,
    notify,
    parse_date,
    refresh_due,
    refresh_search,
    require_text,
    share_clock,
    tell_office,
    tell_unit,
)

KIND_BODY = {ProposalKind.DEPUTY: Body.NPC, ProposalKind.RECESS: Body.NPC, ProposalKind.CPPCC: Body.CPPCC}
NAME_SEPARATORS = ("、", "，", ",", ";", "；", "\n")


def may_import(user) -> bool:
    """导入 and 届次会次 are the 建议提案 staff's: a 督查员 with a person."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and person_of(user) is not None
        and user.has_role(Role.SUPERVISOR)
    )


def _organ_of(person: Person) -> Unit:
    return person.unit.organ or person.unit


def _importer(actor: User):
    if not may_import(actor):
        raise PermissionDenied(_("建议提案由交办部门的督查员导入。"))
    return actor_of(actor)


@transaction.atomic
def session_create(*, actor: User, body: str, name: str, year: int, recipient_office: str) -> ProposalSession:
    """届次会次 of the actor's organ (市十七届人大五次会议), with the office its 答复件 are copied to."""
    acting = _importer(actor)
    if body not in Body.values:
        raise ValidationError({"body": _("请选择人大或政协。")})
    name = require_text(name, "name", _("请填写届次会次。"), 60)
    recipient_office = require_text(recipient_office, "recipient_office", _("请填写抄送的人大或政协工作机构。"), 60)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("请填写正确的年度。")})
    organ = _organ_of(acting.person)
    if ProposalSession.objects.filter(organ=organ, name=name).exists():
        raise ValidationError({"name": _("该届次会次已存在。")})
    return ProposalSession.objects.create(
        organ=organ, body=body, name=name, year=year, recipient_office=recipient_office
    )


def _kind(value) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else ""
    for choice in ProposalKind:
        if value in (choice.value, str(choice.label)):
            return choice.value
    return None


def _co_signers(value, lead: str) -> list[tuple[str, str]] | None:
    """[(name, delegation)] from a list of {name, delegation} (or of names) or a "、"-joined text."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value
        for separator in NAME_SEPARATORS[1:]:
            text = text.replace(separator, NAME_SEPARATORS[0])
        items = [{"name": part} for part in text.split(NAME_SEPARATORS[0])]
    elif isinstance(value, list | tuple):
        items = [item if isinstance(item, dict) else {"name": item} for item in value]
    else:
        return None
    people, seen = [], {lead}
    for item in items:
        name = str(item.get("name") or "").strip()
        delegation = str(item.get("delegation") or "").strip()
        if not name or name in seen:
            continue
        if len(name) > 60 or len(delegation) > 60:
            return None
        seen.add(name)
        people.append((name, delegation))
    return people


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    return str(value).strip()


def _check_row(row: dict, session: ProposalSession, today: date) -> tuple[dict, list[str]]:
    problems: list[str] = []
    if not isinstance(row, dict):
        return {}, [_("格式不正确")]
    kind = _kind(row.get("kind"))
    if kind is None:
        problems.append(_("类型应为代表建议、闭会期间建议或政协提案"))
    elif KIND_BODY[kind] != session.body:
        problems.append(_("类型与届次会次（%(body)s）不符") % {"body": session.get_body_display()})
    values = {"kind": kind}
    for key, label, limit in (
        ("number", _("编号"), 20),
        ("title", _("案由"), 200),
        ("content", _("内容"), None),
        ("lead_proposer", _("领衔人"), 60),
        ("delegation", _("代表团或界别"), 60),
    ):
        text = _text(row, key)
        if not text and key != "delegation":
            problems.append(_("缺少%(label)s") % {"label": label})
        elif limit is not None and len(text) > limit:
            problems.append(_("%(label)s不能超过%(n)d个字") % {"label": label, "n": limit})
        values[key] = text
    submitted = parse_date(row.get("submitted_on"))
    if submitted is None:
        problems.append(_("提出日期不正确（如2026-01-15或2026年1月15日）"))
    elif submitted > today:
        problems.append(_("提出日期不能晚于今天"))
    values["submitted_on"] = submitted
    signers = _co_signers(row.get("co_signers"), values["lead_proposer"])
    if signers is None:
        problems.append(_("附议人格式不正确"))
    values["co_signers"] = signers or []
    return values, problems


@transaction.atomic
def proposals_import(*, actor: User, session: ProposalSession, rows: list[dict]) -> list[Proposal]:
    """The batch of a session as the 人大 or 政协 system gave it: every row or none (the errors name
    each row, ``第3行：…``); a number already in the session, or twice in the batch, is an error."""
    acting = _importer(actor)
    if session is None or session.organ_id != _organ_of(acting.person).pk:
        raise ValidationError({"session": _("请选择本机关的届次会次。")})
    if not isinstance(rows, list | tuple) or not rows:
        raise ValidationError({"rows": [_("没有可导入的建议提案。")]})
    today = timezone.localdate()
    existing = set(Proposal.objects.filter(session=session).values_list("number", flat=True))
    checked, errors, seen = [], [], {}
    for index, row in enumerate(rows, start=1):
        line = row.get("_row", index) if isinstance(row, dict) else index
        values, problems = _check_row(row, session, today)
        number = values.get("number")
        if number:
            if number in existing:
                problems.append(_("编号%(n)s在本届次会次中已存在") % {"n": number})
            elif number in seen:
                problems.append(_("编号%(n)s与第%(line)s行重复") % {"n": number, "line": seen[number]})
            else:
                seen[number] = line
        if problems:
            errors.append(_("第%(line)s行：%(problems)s。") % {"line": line, "problems": "；".join(problems)})
        checked.append(values)
    if errors:
        raise ValidationError({"rows": errors})
    organ = _organ_of(acting.person)
    created = []
    for values in checked:
        signers = values.pop("co_signers")
        proposal = Proposal.objects.create(
            organ=organ, intake_unit=acting.person.unit, session=session, registrar=acting.person, **values
        )
        ProposalSigner.objects.create(
            proposal=proposal, name=proposal.lead_proposer, delegation=proposal.delegation, lead=True
        )
        for order, (name, delegation) in enumerate(signers, start=2):
            ProposalSigner.objects.create(proposal=proposal, name=name, delegation=delegation, order=order)
        event(proposal, acting, N_("导入"), session.name)
        refresh_search(proposal)
        created.append(proposal)
    return created


def _new_share(actor, proposal: Proposal, unit: Unit, role: str, on: date) -> ProposalAssignment:
    share = ProposalAssignment(proposal=proposal, unit=unit, role=role, assigned_on=on, liaison=liaison_of(unit))
    share_clock(actor, proposal, share)
    share.save()
    return share


def _unit_list(units, field: str) -> list[Unit]:
    chosen: list[Unit] = []
    for unit in units or ():
        if not isinstance(unit, Unit):
            raise ValidationError({field: _("请选择承办单位。")})
        if unit not in chosen:
            chosen.append(unit)
    return chosen


@transaction.atomic
def proposal_assign(
    *,
    actor: User,
    proposal: Proposal,
    mode: str,
    lead_unit: Unit | None = None,
    assist_units=(),
    split_units=(),
    key: bool = False,
    leading_leader: Person | None = None,
    on: date | None = None,
) -> Proposal:
    """交办 on ``on`` (the 交办会, today unless told): to a 主办 with 会办 units, or 分办 to two or more
    units each answering for itself. Each answering share owes its answer in 3 months, each 会办 its
    opinion in 1 month; the units' heads and 联络员 are told."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "assign")
    on = not_future(on or timezone.localdate(), "on", _("交办日期"))
    if on < proposal.submitted_on:
        raise ValidationError({"on": _("交办日期不能早于提出日期。")})
    if mode == Mode.LEAD:
        if not isinstance(lead_unit, Unit):
            raise ValidationError({"lead_unit": _("请选择主办单位。")})
        assists = [u for u in _unit_list(assist_units, "assist_units") if u != lead_unit]
        plan = [(lead_unit, ShareRole.LEAD)] + [(u, ShareRole.ASSIST) for u in assists]
    elif mode == Mode.SPLIT:
        units = _unit_list(split_units, "split_units")
        if len(units) < 2:
            raise ValidationError({"split_units": _("分办须选择两个以上承办单位。")})
        plan = [(u, ShareRole.SPLIT) for u in units]
    else:
        raise ValidationError({"mode": _("请选择主办会办或分办。")})
    if key:
        if leading_leader is None or not leading_leader.user.has_role(Role.LEADER):
            raise ValidationError({"leading_leader": _("重点建议提案须选择领办的领导。")})
    else:
        leading_leader = None
    proposal.assigned_on, proposal.mode, proposal.key, proposal.leading_leader = on, mode, bool(key), leading_leader
    created = [_new_share(actor, proposal, unit, role, on) for unit, role in plan]
    names = "；".join(f"{ShareRole(s.role).label}：{s.unit.name}" for s in created)
    move(
        proposal,
        ProposalState.HANDLING,
        acting,
        N_("交办"),
        _("%(day)s交办，%(names)s") % {"day": format_date(on), "names": names},
        fields=["assigned_on", "mode", "key", "leading_leader"],
    )
    refresh_due(proposal)
    for share in created:
        verb = (
            _("建议提案待提出会办意见：%(title)s")
            if share.role == ShareRole.ASSIST
            else _("建议提案已交办，请按期答复：%(title)s")
        )
        tell_unit(share, verb, proposal)
    if leading_leader is not None:
        notify(leading_leader, _("请领办重点建议提案：%(title)s"), proposal)
    return proposal


@transaction.atomic
def proposal_adjust_request(
    *, actor: User, proposal: Proposal, reason: str, suggested_unit: str = ""
) -> ProposalAssignment:
    """The unit asks the office, within the window after 交办 and once, to move its share elsewhere
    (it never forwards the item itself)."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "adjust_request")
    share = own_assignment(acting, proposal)
    reason = require_text(reason, "reason", _("请写明申请调整的理由。"))
    suggested = (suggested_unit or "").strip()
    if len(suggested) > 100:
        raise ValidationError({"suggested_unit": _("不能超过%(n)d个字。") % {"n": 100}})
    share.state, share.adjust_reason, share.adjust_suggested_unit = AssignmentState.ADJUSTING, reason, suggested
    share.save(update_fields=["state", "adjust_reason", "adjust_suggested_unit"])
    comment = reason + (_("（建议调整至%(unit)s）") % {"unit": suggested} if suggested else "")
    event(proposal, acting, N_("申请调整"), comment, unit=share.unit)
    forget_shares(proposal)
    tell_office(proposal, _("承办单位申请调整建议提案：%(title)s"))
    return share


@transaction.atomic
def proposal_adjust_decide(
    *,
    actor: User,
    proposal: Proposal,
    share: ProposalAssignment,
    agree: bool,
    new_unit: Unit | None = None,
    note: str = "",
) -> Proposal:
    """The office decides: agreed, the share is 已调整 (its clock cancelled) and ``new_unit`` takes the
    same role with fresh clocks from today; refused, the share is 办理中 again."""
    proposal = locked(proposal)
    acting = PROPOSAL.check(actor, proposal, "adjust_decide")
    share = next((s for s in shares(proposal) if share is not None and s.pk == share.pk), None)
    if share is None or share.state != AssignmentState.ADJUSTING:
        raise ValidationError({"share": _("请选择待审定的调整申请。")})
    note = (note or "").strip()
    if not agree:
        share.state = AssignmentState.HANDLING
        share.save(update_fields=["state"])
        event(proposal, acting, N_("不同意调整"), note, unit=share.unit)
        forget_shares(proposal)
        tell_unit(share, _("调整申请未获同意，请继续办理：%(title)s"), proposal)
        return proposal
    if not isinstance(new_unit, Unit):
        raise ValidationError({"new_unit": _("请选择调整后的承办单位。")})
    if any(s.unit_id == new_unit.pk for s in shares(proposal)):
        raise ValidationError({"new_unit": _("该单位已承办本件建议提案。")})
    share.state = AssignmentState.WITHDRAWN
    share.save(update_fields=["state"])
    cancel(actor, proposal, _("调整至%(unit)s") % {"unit": new_unit.name}, unit=share.unit)
    replacement = _new_share(actor, proposal, new_unit, share.role, timezone.localdate())
    comment = _("由%(old)s调整至%(new)s") % {"old": share.unit.name, "new": new_unit.name}
    event(proposal, acting, N_("同意调整"), f"{comment}{'：' + note if note else ''}", unit=new_unit)
    refresh_due(proposal)
    tell_unit(share, _("调整申请已同意，本单位不再承办：%(title)s"), proposal)
    tell_unit(replacement, _("建议提案调整由本单位承办，请按期办理：%(title)s"), proposal)
    return proposal


@transaction.atomic
def liaison_set(*, actor: User, unit: Unit, person: Person, phone: str = "") -> UnitLiaison:
    """联络员 of ``unit`` (named by its head, or by the office): told of every step of its items, and
    inside their 知悉范围 from the next 交办 (and on the unit's open items at once)."""
    acting = actor_of(actor)
    if not (unit.head_id == acting.person.pk or acting.has_role(Role.SUPERVISOR)):
        raise PermissionDenied(_("联络员由承办单位负责人或交办部门指定。"))
    if person is None or person.unit_id not in unit.subtree_ids() or not person.user.is_active:
        raise ValidationError({"person": _("联络员须为本单位在职人员。")})
    phone = (phone or "").strip()
    if len(phone) > 30:
        raise ValidationError({"phone": _("不能超过%(n)d个字。") % {"n": 30}})
    liaison, _created = UnitLiaison.objects.update_or_create(unit=unit, defaults={"person": person, "phone": phone})
    live = ProposalAssignment.objects.filter(unit=unit, proposal__state__in=OPEN).exclude(
        state__in=(AssignmentState.WITHDRAWN, AssignmentState.DONE)
    )
    for share in live.select_related("proposal"):
        share.liaison = person
        share.save(update_fields=["liaison"])
    return liaison
