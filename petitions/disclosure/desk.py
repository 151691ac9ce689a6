"""政府信息公开 on the desk: the 政务公开员's requests (确认收到, 办理中 — 征求意见的答复, 告知书 —, 逾期不补正
视为放弃, 送达告知书, 办结), the 保密员's 保密审查 he was named for, and the 主动公开 of 发文 (保密员:
公开前保密审查; 政务公开员: 发布). The head's one extension is asked outside the system: not listed.

Each section is one query whose condition is the step's rule in ``rules.REQUEST`` or
``rules.PUBLICATION`` written as SQL, so the desk costs the same few queries however many wait. A
request's title is its 内容描述 — never the applicant's name."""

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
from petitions.disclosure.models import (
    DisclosureEvent,
    DisclosureRequest,
    Publication,
    PublicationState,
    RequestState,
    SecrecyReview,
)
from petitions.disclosure.rules import SIGNED_STATES
from petitions.disclosure.selectors import publications_visible

# Each section of requests, its label and the steps it stands for.
SECTIONS = (
    ("confirm", _("待确认收到"), ("confirm",)),
    ("handle", _("办理中（待答复）"), ("answer", "opinion", "consult")),
    ("abandon", _("逾期未补正（视为放弃）"), ("abandon",)),
    ("deliver", _("待送达告知书"), ("deliver",)),
    ("close", _("待办结"), ("close",)),
    ("review", _("待保密审查"), ("secrecy_review",)),
)
# And of 主动公开.
PUBLICATION_SECTIONS = (
    ("publication_review", _("待公开前保密审查"), ("review",)),
    ("publication_publish", _("待发布"), ("publish",)),
)


def request_url(request: DisclosureRequest) -> str:
    return f"/petitions/disclosure/{request.pk}/"


def publications_url() -> str:
    return "/petitions/disclosure/publications/"


def sections(user) -> dict[str, QuerySet[DisclosureRequest]]:
    """The requests waiting for ``user``, by section (querysets, not yet run)."""
    visible = DisclosureRequest.objects.visible_to(user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in SECTIONS}
    today = timezone.localdate()
    # rules.is_officer: a 政务公开员 of the 公开工作机构.
    officer = (
        visible.filter(intake_unit__in=person.units()) if user.has_role(Role.DISCLOSURE_OFFICER) else visible.none()
    )
    fee_lapsed = Q(fee_until__lt=today, fee_paid_on__isnull=True)
    # rules.is_reviewer, and no review of his yet.
    reviewed = Exists(SecrecyReview.objects.filter(request=OuterRef("pk"), reviewer=person))
    reviewer = visible.filter(secrecy_reviewer=person) if user.has_role(Role.SECURITY_OFFICER) else visible.none()
    return {
        "confirm": officer.filter(state=RequestState.RECEIVED),
        "handle": officer.filter(state=RequestState.HANDLING, document__isnull=True),
        "abandon": officer.filter(state=RequestState.CORRECTING, correction_until__lt=today),
        "deliver": officer.filter(state=RequestState.HANDLING, document__state__in=SIGNED_STATES),
        "close": officer.filter(Q(state=RequestState.ANSWERED) | Q(fee_lapsed, state=RequestState.HANDLING)),
        "review": reviewer.filter(state=RequestState.HANDLING, document__isnull=True).exclude(reviewed),
    }


def publication_sections(user) -> dict[str, QuerySet[Publication]]:
    """The 主动公开 waiting for ``user``: those of his organ (``rules._in_organ``) in the step's state."""
    visible = publications_visible(user=user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in PUBLICATION_SECTIONS}
    units = person.units()

    def of(role: str, state: str) -> QuerySet[Publication]:
        return visible.filter(organ__in=units, state=state) if user.has_role(role) else visible.none()

    return {
        "publication_review": of(Role.SECURITY_OFFICER, PublicationState.PENDING),
        "publication_publish": of(Role.DISCLOSURE_OFFICER, PublicationState.CLEARED),
    }


class DisclosureProvider(Provider):
    key = "disclosure"
    models = (DisclosureRequest,)
    label = _("政府信息公开")

    def item(self, request: DisclosureRequest, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=request,
            title=request.description[:60],
            url=request_url(request),
            reference=request.number,
            since=since or request.state_changed_at,
            steps=steps,
        )

    def publication_item(self, publication: Publication, *, section: str, label, steps) -> DeskItem:
        document = publication.document
        return DeskItem(
            provider=self.key,
            module=str(_("主动公开")),
            section=section,
            section_label=str(label),
            tab=TODO,
            record=publication,
            classified=document,  # what may be seen is the 公文's
            title=document.title,
            url=publications_url(),
            reference=document.number_text,
            since=publication.updated_at,
            steps=steps,
        )

    def waiting(self, user) -> list[DeskItem]:
        found = sections(user)
        items = []
        for section, label, steps in SECTIONS:
            rows = found[section].select_related("organ").defer("search_vector").order_by("due", "pk")
            for request in rows[:SECTION_LIMIT]:
                items.append(self.item(request, section=section, label=label, tab=TODO, steps=steps))
        published = publication_sections(user)
        for section, label, steps in PUBLICATION_SECTIONS:
            for publication in (
                published[section].select_related("document__number").order_by("due", "pk")[:SECTION_LIMIT]
            ):
                items.append(self.publication_item(publication, section=section, label=label, steps=steps))
        return items

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(DisclosureEvent, user, "request_id", limit)
        found = DisclosureRequest.objects.visible_to(user).filter(pk__in=list(last)).select_related("organ")
        return [self.item(r, section="done", label=_("经我办理"), tab=DONE, since=last[r.pk]) for r in found]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        found = (
            DisclosureRequest.objects.visible_to(user)
            .filter(registrar=person)
            .select_related("organ")
            .order_by("-year", "-sequence")[:limit]
        )
        return [
            self.item(r, section="registered", label=_("我登记"), tab=STARTED, since=r.registered_at) for r in found
        ]

    def describe(self, records) -> list[DeskItem]:
        return [
            self.item(r, section="followed", label=_("跟踪"), tab=FOLLOWED) for r in records.select_related("organ")
        ]
