"""建议提案 on the desk: what the 交办部门's 督查员 owes (交办, 审定调整申请, 登记征询意见, 办结) and what a
承办单位's people owe on their share (会办意见, 沟通联系 and 答复件, 送达).

Each section is one query over ``visible_to(user)`` whose condition is the step's rule in
``rules.PROPOSAL`` written as SQL — the unit's share is ``rules.own_assignment``'s: the first live
share (by role, id) of a unit the person works in or under — so the desk costs the same few
queries however many items wait (the desk tests prove listed ⇔ offered)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from office.confidentiality.visibility import person_of
from office.desk.providers import (
    DONE,
    FOLLOWED,
    HISTORY_LIMIT,
    SECTION_LIMIT,
    STARTED,
    TODO,
    DeskItem,
    Provider,
    last_acted,
)
from office.org.models import Role
from petitions.proposals.models import (
    AssignmentState,
    Proposal,
    ProposalAssignment,
    ProposalEvent,
    ProposalState,
    ShareRole,
)
from petitions.proposals.rules import OPEN, SIGNED_STATES

# Each section, its label and the steps it stands for.
SECTIONS = (
    ("assign", _("待交办"), ("assign",)),
    ("adjust", _("待审定调整"), ("adjust_decide",)),
    ("rate", _("待登记征询意见"), ("rate",)),
    ("close", _("待办结"), ("close",)),
    ("opinion", _("待提会办意见"), ("assist_opinion",)),
    ("reply", _("待沟通、拟写答复件"), ("contact", "reply")),
    ("send", _("待送达答复件"), ("send",)),
)
ANSWERING_OWES = (AssignmentState.HANDLING, AssignmentState.REHANDLING)


def proposal_url(proposal: Proposal) -> str:
    return f"/petitions/proposals/{proposal.pk}/"


def _live_shares(**extra) -> QuerySet[ProposalAssignment]:
    return ProposalAssignment.objects.filter(proposal=OuterRef("pk"), **extra).exclude(state=AssignmentState.WITHDRAWN)


def _own_share(units) -> Subquery:
    """``rules.own_assignment`` as SQL: the id of the first live share of one of ``units``."""
    return Subquery(_live_shares(unit__in=units).order_by("role", "id").values("pk")[:1])


def _own(*q, **conditions) -> Exists:
    """The person's own share (``own_share`` annotated) meets ``conditions``."""
    return Exists(ProposalAssignment.objects.filter(*q, pk=OuterRef("own_share"), **conditions))


def sections(user) -> dict[str, QuerySet[Proposal]]:
    """The items waiting for ``user``, by section (querysets, not yet run)."""
    visible = Proposal.objects.visible_to(user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in SECTIONS}
    units = person.units()
    # rules.is_office: a 督查员 of the 交办部门.
    office = visible.filter(intake_unit__in=units) if user.has_role(Role.SUPERVISOR) else visible.none()
    answering = ~Q(role=ShareRole.ASSIST)
    unrated = Exists(_live_shares(state=AssignmentState.REPLIED, satisfaction="").exclude(role=ShareRole.ASSIST))
    # rules._may_close: every answering share answered and rated (and there is one).
    some_answering = Exists(_live_shares().exclude(role=ShareRole.ASSIST))
    not_done = Exists(
        _live_shares().exclude(role=ShareRole.ASSIST).filter(~Q(state=AssignmentState.REPLIED) | Q(satisfaction=""))
    )
    mine = visible.filter(state__in=OPEN).annotate(own_share=_own_share(units)).filter(own_share__isnull=False)
    return {
        "assign": office.filter(state=ProposalState.IMPORTED),
        "adjust": office.filter(Exists(_live_shares(state=AssignmentState.ADJUSTING)), state__in=OPEN),
        "rate": office.filter(unrated, state__in=(ProposalState.REPLIED, ProposalState.REHANDLING)),
        "close": office.filter(some_answering, state=ProposalState.REPLIED).exclude(not_done),
        "opinion": mine.filter(_own(role=ShareRole.ASSIST, state=AssignmentState.HANDLING)),
        "reply": mine.filter(_own(answering, state__in=ANSWERING_OWES, document__isnull=True)),
        "send": mine.filter(_own(answering, state__in=ANSWERING_OWES, document__state__in=SIGNED_STATES)),
    }


class ProposalProvider(Provider):
    key = "proposals"
    models = (Proposal,)
    label = _("建议提案")

    def item(self, proposal: Proposal, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        urgency, urgency_label = ("urgent", str(_("重点建议提案"))) if proposal.key else ("", "")
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=proposal,
            title=proposal.title,
            url=proposal_url(proposal),
            reference=proposal.number,
            urgency=urgency,
            urgency_label=urgency_label,
            since=since or proposal.state_changed_at,
            steps=steps,
        )

    def waiting(self, user) -> list[DeskItem]:
        found = sections(user)
        items = []
        for section, label, steps in SECTIONS:
            rows = found[section].defer("content", "search_vector").order_by("due", "pk")
            for proposal in rows[:SECTION_LIMIT]:
                items.append(self.item(proposal, section=section, label=label, tab=TODO, steps=steps))
        return items

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(ProposalEvent, user, "proposal_id", limit)
        found = Proposal.objects.visible_to(user).filter(pk__in=list(last)).defer("content", "search_vector")
        return [self.item(p, section="done", label=_("经我办理"), tab=DONE, since=last[p.pk]) for p in found]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        found = (
            Proposal.objects.visible_to(user)
            .filter(registrar=person)
            .defer("content", "search_vector")
            .order_by("-registered_at", "-pk")[:limit]
        )
        return [
            self.item(p, section="registered", label=_("我导入"), tab=STARTED, since=p.registered_at) for p in found
        ]

    def describe(self, records) -> list[DeskItem]:
        return [self.item(p, section="followed", label=_("跟踪"), tab=FOLLOWED) for p in records]
