"""信访 on the desk: the cases waiting for a person's step — to route (分流), to accept or object
(受理告知 / 异议), to answer (答复意见) and serve (送达), to approve an extension asked for, to rate and
close — what he acted on, what he registered.

Each section is one query over ``visible_to(user)`` whose condition is the step's rule in
``rules.CASE`` written as SQL (the desk tests prove that every case listed offers the section's
step and that every case offering it is listed), so the desk costs the same few queries however
many cases wait. A case's title is its 事项摘要: never a 信访人's name.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
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
from petitions.models import CaseReply, CaseState, PetitionCase, PetitionEvent, Stage
from petitions.rules import IN_HAND, SIGNED_STATES

# Each section, its label and the steps it stands for.
SECTIONS = (
    ("route", _("待分流"), ("route",)),
    ("accept", _("待受理"), ("accept", "object")),
    ("reply", _("待拟写答复意见"), ("reply",)),
    ("serve", _("待送达答复"), ("serve",)),
    ("extend", _("待批准延期"), ("extend",)),
    ("after", _("待评价办结"), ("rate", "close")),
)
ASKED, GRANTED = "申请延期", "批准延期"  # the 流转记录's actions (rules.CASE steps' labels)


def case_url(case: PetitionCase) -> str:
    return f"/petitions/{case.pk}/"


def _current_reply(**extra) -> Exists:
    return Exists(CaseReply.objects.filter(case=OuterRef("pk"), stage=OuterRef("stage"), **extra))


def _extension_open() -> Exists:
    """``rules.may_extend_now`` as SQL: the open 60-day clock, running, not past, never extended."""
    from django.contrib.contenttypes.models import ContentType

    from office.reminders.models import Deadline, DeadlineState

    return Exists(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(PetitionCase),
            object_id=OuterRef("pk"),
            kind_id="petition",
            state=DeadlineState.OPEN,
            suspended=False,
            due_date__gte=timezone.localdate(),
            extensions__isnull=True,
        )
    )


def sections(user) -> dict[str, QuerySet[PetitionCase]]:
    """The cases waiting for ``user``, by section (querysets, not yet run)."""
    visible = PetitionCase.objects.visible_to(user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in SECTIONS}
    units = person.units()
    officer = user.has_role(Role.PETITION_OFFICER)
    intake = Q(intake_unit__in=units) if officer else Q(pk__in=[])
    # rules.is_handling: the 承办人 in the first stage, or the unit that owes the answer now.
    answering = (
        Q(stage=Stage.FIRST, handler=person)
        | Q(stage=Stage.FIRST, handling_unit__in=units)
        | (~Q(stage=Stage.FIRST) & Q(reviewing_unit__isnull=False, reviewing_unit__in=units))
        | (~Q(stage=Stage.FIRST) & Q(reviewing_unit__isnull=True, handling_unit__in=units))
    )
    asked = Exists(PetitionEvent.objects.filter(case=OuterRef("pk"), action=ASKED))
    granted = Exists(PetitionEvent.objects.filter(case=OuterRef("pk"), action=GRANTED))
    # rules.organ_head: the head of the 承办单位's organ.
    head = Q(handling_unit__organ__head=person) | Q(handling_unit__organ__isnull=True, handling_unit__head=person)
    signed = _current_reply(document__state__in=SIGNED_STATES, served_on__isnull=True)
    return {
        "route": visible.filter(intake, state=CaseState.REGISTERED),
        "accept": visible.filter(answering, state=CaseState.TRANSFERRED),
        "reply": visible.filter(answering, state__in=IN_HAND).exclude(_current_reply()),
        "serve": visible.filter(answering | intake, signed, state__in=IN_HAND),
        "extend": visible.filter(head, asked, _extension_open(), state=CaseState.HANDLING, stage=Stage.FIRST).exclude(
            granted
        ),
        "after": visible.filter(intake, state=CaseState.REPLIED),
    }


def _urgency(case: PetitionCase) -> tuple[str, str]:
    return ("urgent", str(_("紧急敏感"))) if case.urgent else ("", "")


class PetitionProvider(Provider):
    key = "petitions"
    models = (PetitionCase,)
    label = _("信访")

    def item(self, case: PetitionCase, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        urgency, urgency_label = _urgency(case)
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=case,
            title=case.title,
            url=case_url(case),
            reference=case.number,
            urgency=urgency,
            urgency_label=urgency_label,
            since=since or case.state_changed_at,
            steps=steps,
        )

    def waiting(self, user) -> list[DeskItem]:
        found = sections(user)
        items = []
        for section, label, steps in SECTIONS:
            rows = found[section].select_related("organ").defer("content", "search_vector").order_by("due", "pk")
            for case in rows[:SECTION_LIMIT]:
                items.append(self.item(case, section=section, label=label, tab=TODO, steps=steps))
        return items

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(PetitionEvent, user, "case_id", limit)
        cases = PetitionCase.objects.visible_to(user).filter(pk__in=list(last)).select_related("organ")
        return [self.item(c, section="done", label=_("经我办理"), tab=DONE, since=last[c.pk]) for c in cases]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        cases = (
            PetitionCase.objects.visible_to(user)
            .filter(registrar=person)
            .select_related("organ")
            .order_by("-year", "-sequence")[:limit]
        )
        return [
            self.item(c, section="registered", label=_("我登记"), tab=STARTED, since=c.registered_at) for c in cases
        ]

    def describe(self, records) -> list[DeskItem]:
        return [
            self.item(case, section="followed", label=_("跟踪"), tab=FOLLOWED)
            for case in records.select_related("organ")
        ]
