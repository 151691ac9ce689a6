"""What every family of 建议提案 actions shares: the lock, the event row naming the unit, the clocks of
a unit's share (opened from the statutory presets, the item's ``due`` kept as the earliest open one),
notices to the units' heads and 联络员, the search text and the checks on texts and dates.

Private to ``petitions.proposals.services``; other modules use the names its ``__init__`` exports.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from office import search
from office.org.models import Person, Unit
from office.reminders import presets
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState
from office.workflow.machine import Actor
from petitions.proposals.models import (
    Proposal,
    ProposalAssignment,
    ProposalEvent,
    ShareRole,
    UnitLiaison,
)
from petitions.proposals.rules import PROPOSAL, forget_shares

ANSWER_KINDS = ("proposal", "proposal-rehandle")  # the clocks of an answer owed to the proposer
ASSIST_KIND = "proposal-assist"


def locked(proposal: Proposal) -> Proposal:
    return PROPOSAL.lock(proposal)


def event(
    proposal: Proposal,
    acting: Actor,
    action: str,
    comment: str = "",
    *,
    unit: Unit | None = None,
    to: str | None = None,
    source: str | None = None,
) -> ProposalEvent:
    """The 流转记录 row, as ``Machine.record`` writes it, with the unit whose share it is about."""
    field = ProposalEvent._meta.get_field
    return ProposalEvent.objects.create(
        proposal=proposal,
        unit=unit,
        action=action,
        actor=acting.user,
        actor_name=acting.name[: field("actor_name").max_length],
        comment=comment[: field("comment").max_length],
        from_state=source or proposal.state,
        to_state=to or proposal.state,
    )


def move(proposal: Proposal, to: str, acting: Actor, action: str, comment: str = "", *, unit=None, fields=()):
    """``PROPOSAL.move`` with the event row naming ``unit``."""
    source = proposal.state
    PROPOSAL.move(proposal, to, actor=acting, action=action, update_fields=fields, recorded=False)
    event(proposal, acting, action, comment, unit=unit, to=to, source=source)


def link(proposal: Proposal) -> str:
    return f"/petitions/proposals/{proposal.pk}/"


def notify(person: Person | None, verb: str, proposal: Proposal) -> None:
    """``verb`` names the item as ``%(title)s``, filled with what the recipient may see of it."""
    if person is None or not person.user.is_active:
        return
    reminders.notify(recipient=person.user, verb=verb, subject=proposal, link=link(proposal))


def told_for(unit: Unit | None, liaison: Person | None = None) -> list[Person]:
    """Who is told of a step of ``unit``'s share: its head (or, with none named, its own people) and
    its 联络员."""
    if unit is None:
        return []
    people = [unit.head] if unit.head_id else list(Person.objects.active().filter(unit=unit).select_related("user"))
    if liaison is not None and liaison not in people:
        people.append(liaison)
    return people


def tell_unit(share: ProposalAssignment, verb: str, proposal: Proposal, *, skip: Person | None = None) -> None:
    for person in told_for(share.unit, share.liaison):
        if person != skip:
            notify(person, verb, proposal)


def tell_office(proposal: Proposal, verb: str) -> None:
    notify(proposal.registrar, verb, proposal)


def liaison_of(unit: Unit) -> Person | None:
    row = UnitLiaison.objects.filter(unit=unit).select_related("person").first()
    return row.person if row else None


def open_deadlines(proposal: Proposal, *kinds: str, unit: Unit | None = None) -> list[Deadline]:
    return [
        d
        for d in reminders.deadlines_of(proposal)
        if d.state == DeadlineState.OPEN
        and (not kinds or d.kind_id in kinds)
        and (unit is None or d.responsible_unit_id == unit.pk)
    ]


def open_clock(actor, proposal: Proposal, code: str, start: date, share: ProposalAssignment) -> Deadline:
    """A statutory clock (``presets``) of ``share``'s unit, counted from ``start``; ``share.due`` copies
    its due date (the caller saves the share)."""
    deadline = presets.open_preset(
        code,
        actor=actor,
        subject=proposal,
        start=start,
        responsible_unit=share.unit,
        leader=proposal.leading_leader if proposal.key else None,
    )
    share.due = deadline.due_date
    return deadline


def share_clock(actor, proposal: Proposal, share: ProposalAssignment) -> Deadline:
    """The clock a new share owes from its 交办日期: the answer (主办, 分办) or the 会办意见."""
    code = "proposal-assist" if share.role == ShareRole.ASSIST else "proposal-answer"
    return open_clock(actor, proposal, code, share.assigned_on, share)


def meet(actor, proposal: Proposal, share: ProposalAssignment, *kinds: str, on: date | None = None) -> bool | None:
    """Meet ``share``'s open clocks of ``kinds``; whether the (last) one was met on time."""
    on_time = None
    for deadline in open_deadlines(proposal, *kinds, unit=share.unit):
        on_time = reminders.deadline_meet(actor=actor, deadline=deadline, on=on).met_on_time
    return on_time


def cancel(actor, proposal: Proposal, reason: str, *kinds: str, unit: Unit | None = None) -> None:
    for deadline in open_deadlines(proposal, *kinds, unit=unit):
        reminders.deadline_cancel(actor=actor, deadline=deadline, reason=reason)


def refresh_due(proposal: Proposal) -> None:
    """``proposal.due``: the earliest open clock's due date (the 台账 sorts and lights on it)."""
    dates = [d.due_date for d in open_deadlines(proposal) if d.due_date]
    proposal.due = min(dates) if dates else None
    Proposal.objects.filter(pk=proposal.pk).update(due=proposal.due)
    forget_shares(proposal)


def refresh_search(proposal: Proposal) -> None:
    """Search reads the number, 案由, content and the proposers' names (public people)."""
    names = [s.name for s in proposal.signers.all()]
    text = search.document_text(proposal.number, proposal.title, proposal.content, proposal.lead_proposer, *names)
    Proposal.objects.filter(pk=proposal.pk).update(search_vector=SearchVector(Value(text), config="simple"))


def require_text(value, field: str, message: str, limit: int | None = None) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        raise ValidationError({field: message})
    if limit is not None and len(value) > limit:
        raise ValidationError({field: _("不能超过%(n)d个字。") % {"n": limit}})
    return value


def not_future(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day


CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value) -> date | None:
    """A date, a datetime (a spreadsheet cell), ISO text, 2026年1月15日 or 2026/1/15; None if not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = CHINESE_DATE.match(value)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
