"""发文 on the desk: the sections of 我的待办 (``selectors.outgoing_inbox``), what I did, what I drafted."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import OutgoingDocument, Transition
from documents.outgoing import selectors
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

# Each inbox section, its label and the steps of ``rules.OUTGOING`` it stands for.
SECTIONS = (
    ("drafts", _("我的草稿"), ("submit",)),
    ("review", _("待核稿"), ("review",)),
    ("countersign", _("待会签"), ("countersign",)),
    ("signoff", _("待签发"), ("sign",)),
    ("recheck", _("待复核、登记、核发"), ("register", "issue", "send_back_to_signer")),
)


class OutgoingProvider(Provider):
    key = "outgoing"
    models = (OutgoingDocument,)
    label = _("发文")

    def item(self, document, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=document,
            title=document.title,
            url=reverse("documents:outgoing_detail", args=[document.pk]),
            reference=document.number.text if document.number_id else "",
            urgency=document.urgency,
            urgency_label=document.get_urgency_display() if document.urgency else "",
            since=since or document.updated_at,
            steps=steps,
        )

    def waiting(self, user) -> list[DeskItem]:
        inbox = selectors.outgoing_inbox(user=user)
        items = []
        for section, label, steps in SECTIONS:
            rows = inbox.get(section)
            if rows is None:
                continue
            for document in selectors.outgoing_list_rows(rows).order_by("updated_at", "id")[:SECTION_LIMIT]:
                items.append(self.item(document, section=section, label=label, tab=TODO, steps=steps))
        return items

    def _visible(self, user):
        return selectors.outgoing_list_rows(
            OutgoingDocument.objects.visible_to(user).select_related("number", "series", "drafter")
        )

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(Transition, user, "document_id", limit)
        documents = self._visible(user).filter(pk__in=list(last))
        return [self.item(d, section="done", label=_("经我办理"), tab=DONE, since=last[d.pk]) for d in documents]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        documents = self._visible(user).filter(drafter=person).order_by("-created_at", "-id")[:limit]
        return [self.item(d, section="drafted", label=_("我拟稿"), tab=STARTED, since=d.created_at) for d in documents]

    def describe(self, records) -> list[DeskItem]:
        return [self.item(record, section="followed", label=_("跟踪"), tab=FOLLOWED) for record in records]
