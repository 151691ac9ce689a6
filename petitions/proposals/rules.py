"""Who may move a 建议 or 提案, decided once (STYLE.md §5).

One machine, ``PROPOSAL``: imported (待交办) → 交办 (主办 + 会办, or 分办) → each unit handles its share
(调整申请 within the window, 会办意见 to the 主办, 沟通联系 with the proposer, the 答复件 as a 函 through
``documents``, its 送达) → when every answering unit has answered, 已答复 → the proposers' 征询意见;
不满意 → 二次办理 → 办结. Services take every step through it; pages, the API and the desk show exactly
``offered(user, proposal)``.

Two kinds of people act:
- the **office** (``is_office``): a 督查员 of the 交办部门 — 交办, deciding 调整申请s, extending a
  complex item's clock, recording the proposers' ratings, 二次办理, 办结;
- a **承办单位** (``own_assignment``): the people of a unit the item was assigned to — its share only.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from office.org.models import Role, User
from office.workflow import Machine, Step, in_state, person_acting, user_acting
from office.workflow.machine import Actor
from petitions.proposals.models import (
    AssignmentState,
    Proposal,
    ProposalAssignment,
    ProposalEvent,
    ProposalState,
    Satisfaction,
    ShareRole,
)

OPEN = (ProposalState.HANDLING, ProposalState.REHANDLING)
# A share still owes its answer in these states (a 会办 share owes its opinion in HANDLING).
OWING = (AssignmentState.HANDLING, AssignmentState.ADJUSTING, AssignmentState.REHANDLING)
# A document in these states has been signed and numbered: its 答复件 may be sent.
SIGNED_STATES = ("registered", "issued", "archived")


# --- Who is who -------------------------------------------------------------------------------------


def is_office(user: User | Actor, proposal: Proposal) -> bool:
    """A 督查员 of the 交办部门 (or of a unit above it within the organ)."""
    person = person_acting(user)
    return (
        person is not None and user_acting(user).has_role(Role.SUPERVISOR) and proposal.intake_unit_id in person.units()
    )


def shares(proposal: Proposal) -> list[ProposalAssignment]:
    """The item's live shares (withdrawn ones left out), read once per request."""
    if "_shares" not in proposal.__dict__:
        proposal.__dict__["_shares"] = [
            a
            for a in proposal.assignments.select_related("unit", "document", "liaison").order_by("role", "id")
            if a.state != AssignmentState.WITHDRAWN
        ]
    return proposal.__dict__["_shares"]


def forget_shares(proposal: Proposal) -> None:
    proposal.__dict__.pop("_shares", None)


def own_assignment(user: User | Actor, proposal: Proposal) -> ProposalAssignment | None:
    """The share of the unit the person works in (or below), if the item was assigned to it."""
    person = person_acting(user)
    if person is None:
        return None
    mine = person.units()
    return next((a for a in shares(proposal) if a.unit_id in mine), None)


def answering(proposal: Proposal) -> list[ProposalAssignment]:
    """The shares that answer the proposer: the 主办, or every 分办 unit."""
    return [a for a in shares(proposal) if a.answers]


def lead_share(proposal: Proposal) -> ProposalAssignment | None:
    return next((a for a in shares(proposal) if a.role == ShareRole.LEAD), None)


def adjust_window_open(share: ProposalAssignment) -> bool:
    """调整申请 within ``PROPOSAL_ADJUST_WORKING_DAYS`` of 交办 (``presets.WINDOWS``)."""
    from office.reminders import presets

    return timezone.localdate() <= presets.window_end("proposal-adjust", share.assigned_on)


def contact_made(share: ProposalAssignment) -> bool:
    """The gate: no 答复 before a 沟通联系 with the proposer is recorded (when the office requires it)."""
    return not settings.PROPOSAL_CONTACT_REQUIRED or share.contacts.exists()


def _may_ask_adjust(actor, proposal: Proposal) -> bool:
    share = own_assignment(actor, proposal)
    return (
        share is not None
        and share.state == AssignmentState.HANDLING
        and not share.adjust_reason
        and adjust_window_open(share)
    )


def _may_give_opinion(actor, proposal: Proposal) -> bool:
    share = own_assignment(actor, proposal)
    return share is not None and share.role == ShareRole.ASSIST and share.state == AssignmentState.HANDLING


def _answering_share(actor, proposal: Proposal) -> ProposalAssignment | None:
    share = own_assignment(actor, proposal)
    if share is None or not share.answers or share.state not in (AssignmentState.HANDLING, AssignmentState.REHANDLING):
        return None
    return share


def _may_contact(actor, proposal: Proposal) -> bool:
    return _answering_share(actor, proposal) is not None


def _may_reply(actor, proposal: Proposal) -> bool:
    share = _answering_share(actor, proposal)
    return share is not None and share.document_id is None and contact_made(share)


def _may_send(actor, proposal: Proposal) -> bool:
    share = _answering_share(actor, proposal)
    return share is not None and share.document_id is not None and share.document.state in SIGNED_STATES


def adjusting(proposal: Proposal) -> list[ProposalAssignment]:
    return [a for a in shares(proposal) if a.state == AssignmentState.ADJUSTING]


def _may_extend(actor, proposal: Proposal) -> bool:
    """A complex item: one extension of the answering units' clocks (up to 6 months in all)."""
    from office.reminders import services as reminders
    from office.reminders.models import DeadlineState

    return any(
        d.kind_id == "proposal" and d.state == DeadlineState.OPEN and not d.extensions.exists()
        for d in reminders.deadlines_of(proposal)
    )


def to_rate(proposal: Proposal) -> list[ProposalAssignment]:
    """Answered shares whose proposers' 征询意见 the office has not recorded yet."""
    return [a for a in answering(proposal) if a.state == AssignmentState.REPLIED and not a.satisfaction]


def unsatisfied(proposal: Proposal) -> list[ProposalAssignment]:
    return [
        a
        for a in answering(proposal)
        if a.state == AssignmentState.REPLIED and a.satisfaction == Satisfaction.UNSATISFIED
    ]


def _may_close(actor, proposal: Proposal) -> bool:
    """办结 once every answering unit answered and its proposers rated it."""
    done = answering(proposal)
    return bool(done) and all(a.state == AssignmentState.REPLIED and a.satisfaction for a in done)


def is_leading_leader(user: User | Actor, proposal: Proposal) -> bool:
    person = person_acting(user)
    return person is not None and proposal.leading_leader_id == person.pk


PROPOSAL = Machine(
    name="proposal",
    model=Proposal,
    noun=N_("建议提案"),
    event_model=ProposalEvent,
    event_for=lambda proposal: {"proposal": proposal},
    stamp_field="state_changed_at",
    lock_related=("intake_unit",),
    steps=[
        Step(
            "assign",
            N_("交办"),
            sources=(ProposalState.IMPORTED,),
            targets=(ProposalState.HANDLING,),
            who=is_office,
            refusal=N_("建议提案由交办部门交办。"),
            wrong_state=in_state(N_("建议提案“%(state)s”，已经交办。")),
            deadline="交办之日起3个月内答复（proposal-answer）",
        ),
        Step(
            "adjust_request",
            N_("申请调整"),
            sources=OPEN,
            targets=(),
            who=lambda actor, proposal: own_assignment(actor, proposal) is not None,
            refusal=N_("调整申请由承办单位提出。"),
            when=_may_ask_adjust,
            not_now=N_("调整申请须在交办后规定的工作日内提出，且只能申请一次；承办单位不得自行转办。"),
        ),
        Step(
            "adjust_decide",
            N_("审定调整"),
            sources=OPEN,
            targets=(),
            who=is_office,
            refusal=N_("调整申请由交办部门审定。"),
            when=lambda actor, proposal: bool(adjusting(proposal)),
            not_now=N_("没有待审定的调整申请。"),
        ),
        Step(
            "assist_opinion",
            N_("提出会办意见"),
            sources=OPEN,
            targets=(),
            who=lambda actor, proposal: own_assignment(actor, proposal) is not None,
            refusal=N_("会办意见由会办单位提出。"),
            when=_may_give_opinion,
            not_now=N_("只有会办单位在办理中可以提出会办意见，且只提一次。"),
        ),
        Step(
            "contact",
            N_("沟通联系"),
            sources=OPEN,
            targets=(),
            who=lambda actor, proposal: own_assignment(actor, proposal) is not None,
            refusal=N_("沟通联系由主办或分办单位记录。"),
            when=_may_contact,
            not_now=N_("本单位的答复已办结，或本单位为会办单位（会办意见送主办单位）。"),
        ),
        Step(
            "reply",
            N_("拟写答复件"),
            sources=OPEN,
            targets=(),
            who=lambda actor, proposal: own_assignment(actor, proposal) is not None,
            refusal=N_("答复件由主办或分办单位拟写。"),
            when=_may_reply,
            not_now=N_("答复前须与领衔代表委员沟通联系并登记；本轮答复件已拟写的，请在答复件上继续办理。"),
        ),
        Step(
            "send",
            N_("答复送达"),
            sources=OPEN,
            targets=(ProposalState.REPLIED,),
            who=lambda actor, proposal: own_assignment(actor, proposal) is not None,
            refusal=N_("答复件由主办或分办单位送达。"),
            when=_may_send,
            not_now=N_("答复件签发、登记后方可送达。"),
            confirm=N_("送达后本单位的办理期限即告结束，答复件抄送每位附议人和人大、政协工作机构。"),
        ),
        Step(
            "extend",
            N_("批准延期"),
            sources=OPEN,
            targets=(),
            who=is_office,
            refusal=N_("办理难度大的建议提案，由交办部门批准延期。"),
            when=_may_extend,
            not_now=N_("办理期限已延期，或没有正在计算的办理期限。"),
            confirm=N_("批准后答复期限延长，自交办之日起合计不超过6个月。"),
        ),
        Step(
            "rate",
            N_("登记征询意见"),
            sources=(ProposalState.REPLIED, ProposalState.REHANDLING),
            targets=(ProposalState.REHANDLING,),
            who=is_office,
            refusal=N_("代表委员的征询意见由交办部门登记。"),
            when=lambda actor, proposal: bool(to_rate(proposal)),
            not_now=N_("没有待登记征询意见的答复。"),
        ),
        Step(
            "rehandle",
            N_("二次办理"),
            sources=(ProposalState.REPLIED, ProposalState.REHANDLING),
            targets=(ProposalState.REHANDLING,),
            who=is_office,
            refusal=N_("二次办理由交办部门交办。"),
            when=lambda actor, proposal: bool(unsatisfied(proposal)),
            not_now=N_("只有代表委员不满意的答复可以交付二次办理。"),
        ),
        Step(
            "close",
            N_("办结"),
            sources=(ProposalState.REPLIED,),
            targets=(ProposalState.CLOSED,),
            who=is_office,
            refusal=N_("办结由交办部门确认。"),
            when=_may_close,
            not_now=N_("还有承办单位未答复，或代表委员的征询意见尚未登记。"),
            confirm=N_("办结后不能再登记答复或征询意见。"),
        ),
    ],
)
