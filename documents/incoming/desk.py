"""收文 on the desk: the sections of 我的收文待办 (``selectors.incoming_inbox``), 传阅 to read (with
批量已阅), what I did, what I registered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.incoming import selectors, services
from documents.incoming.models import OWED_BY_HANDLER
from documents.models import CirculationReader, IncomingDocument, IncomingTransition, ReaderState, UnitAssignment
from office.confidentiality.visibility import person_of
from office.desk.providers import (
    DONE,
    FOLLOWED,
    HISTORY_LIMIT,
    READ,
    SECTION_LIMIT,
    STARTED,
    TODO,
    DeskItem,
    Provider,
    last_acted,
)
from office.workflow import TransitionNotAllowed

# Each inbox section, its label and the steps of ``rules`` it stands for ("read": the reader's).
SECTIONS = (
    ("sign_for", _("待签收"), ("sign_for",)),
    ("register", _("待登记、初审"), ("register", "screen")),
    ("propose", _("待拟办"), ("propose",)),
    ("instruct", _("待批示"), ("instruct",)),
    ("handle", _("待办理"), ("unit_done", "complete", "subassign")),
)


class IncomingProvider(Provider):
    key = "incoming"
    models = (IncomingDocument,)
    label = _("收文")

    def item(
        self, document, *, section: str, label, tab: str, steps=(), since=None, readable_id=None, subject=None
    ) -> DeskItem:
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=document,
            title=document.title,
            url=reverse("documents:incoming_detail", args=[document.pk]),
            reference=document.registration_text or document.sender_number,
            urgency=document.urgency,
            urgency_label=document.get_urgency_display() if document.urgency else "",
            since=since or document.delivered_at,
            steps=steps,
            readable_id=readable_id,
            subject=subject,
        )

    def waiting(self, user) -> list[DeskItem]:
        inbox = selectors.incoming_inbox(user=user)
        items = []
        for section, label, steps in SECTIONS:
            rows = inbox.get(section)
            if rows is None:
                continue
            for document in rows.defer("body", "search_vector").order_by("delivered_at", "id")[:SECTION_LIMIT]:
                items.append(self.item(document, section=section, label=label, tab=TODO, steps=steps))
        items += self.subassigned(user, inbox.get("subassigned"))
        readers = inbox.get("read")
        if readers is not None:
            for reader in readers.order_by("circulation__sent_at", "id")[:SECTION_LIMIT]:
                items.append(
                    self.item(
                        reader.circulation.document,
                        section="read",
                        label=_("传阅"),
                        tab=READ,
                        steps=("read",) if reader.state == ReaderState.OPENED else ("open",),
                        since=reader.circulation.sent_at,
                        readable_id=reader.pk,
                        subject=reader,
                    )
                )
        return items

    def subassigned(self, user, documents) -> list[DeskItem]:
        """分办给我的: each document with the latest 分办 row naming me (the row its steps act on)."""
        if documents is None:
            return []
        documents = list(documents.defer("body", "search_vector").order_by("delivered_at", "id")[:SECTION_LIMIT])
        rows: dict[int, UnitAssignment] = {}
        ids = [d.pk for d in documents]
        mine = UnitAssignment.objects.filter(
            handler=person_of(user), assignment__document__in=ids, state__in=OWED_BY_HANDLER
        )
        for row in mine.annotate(document_pk=F("assignment__document_id")).order_by("-id"):
            rows.setdefault(row.document_pk, row)
        return [
            self.item(
                document,
                section="subassigned",
                label=_("分办给我的"),
                tab=TODO,
                steps=("report",),
                since=rows[document.pk].assigned_at if document.pk in rows else None,
                subject=rows.get(document.pk),
            )
            for document in documents
        ]

    def mark_read(self, user, ids: list[int]) -> int:
        """已收到 then 已阅 for each of my pending readers among ``ids``; one refused is skipped."""
        person = person_of(user)
        if person is None:
            return 0
        done = 0
        for reader in CirculationReader.objects.filter(pk__in=ids, person=person).order_by("id"):
            try:
                if reader.state == ReaderState.SENT:
                    reader = services.circulation_open(actor=user, reader=reader)
                services.circulation_read(actor=user, reader=reader)
            except (PermissionDenied, TransitionNotAllowed, ValidationError):
                continue
            done += 1
        return done

    def _visible(self, user):
        return IncomingDocument.objects.visible_to(user).defer("body", "search_vector")

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(IncomingTransition, user, "document_id", limit)
        documents = self._visible(user).filter(pk__in=list(last))
        return [self.item(d, section="done", label=_("经我办理"), tab=DONE, since=last[d.pk]) for d in documents]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        documents = self._visible(user).filter(registered_by=person).order_by("-delivered_at", "-id")[:limit]
        return [self.item(d, section="registered", label=_("我登记"), tab=STARTED) for d in documents]

    def describe(self, records) -> list[DeskItem]:
        return [self.item(record, section="followed", label=_("跟踪"), tab=FOLLOWED) for record in records]
