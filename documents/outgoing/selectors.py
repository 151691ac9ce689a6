"""Reads of outgoing documents, always from ``visible_to(user)``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from documents.models import Countersign, CountersignState, DocumentState, OutgoingDocument
from documents.outgoing import rules
from office import search
from office.confidentiality.visibility import person_of
from office.org.models import Role
from office.workflow import Actor


def outgoing_list_visible(*, user, filters: dict | None = None, text: str = "") -> QuerySet[OutgoingDocument]:
    """The documents ``user`` may see, filtered (``state``, ``kind``, ``series``, ``year``,
    ``drafting_unit``, ``classification``, ``date_from``/``date_to`` on 成文日期) and searched."""
    filters = dict(filters or {})
    documents = OutgoingDocument.objects.visible_to(user).select_related(
        "series", "number__series", "drafting_unit", "drafter", "signed_by"
    )
    year = filters.pop("year", None)
    if year:
        documents = documents.filter(Q(number__year=year) | Q(number__isnull=True, created_at__year=year))
    if date_from := filters.pop("date_from", None):
        documents = documents.filter(written_date__gte=date_from)
    if date_to := filters.pop("date_to", None):
        documents = documents.filter(written_date__lte=date_to)
    documents = documents.filter(**{name: value for name, value in filters.items() if value not in (None, "")})
    if text and (terms := search.query(text)) is not None:
        documents = documents.filter(search_vector=terms)
    return documents


# What a row of the list never shows, read in the detail only: the texts and the search vector.
LIST_DEFERRED = ("body", "attachment_note", "search_vector")


def outgoing_list_rows(documents: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    """The list's rows (the page and the API list) of ``outgoing_list_visible``: without the long
    texts (``LIST_DEFERRED``), which no list shows."""
    return documents.defer(*LIST_DEFERRED)


def outgoing_inbox(*, user) -> dict[str, QuerySet[OutgoingDocument]]:
    """我的待办: what waits for this person, by step. The 核稿 and office queues are the rules'
    predicates as queries (``rules``), so a document listed here is one he may act on."""
    person = person_of(user)
    if person is None:
        return {}
    actor = Actor(user=user, person=person)
    visible = OutgoingDocument.objects.visible_to(user).select_related("series", "drafter", "number")
    office = rules.issuing_office_q(actor)
    inbox = {
        "drafts": visible.filter(drafter=person, state=DocumentState.DRAFT),
        "review": visible.filter(rules.review_queue_q(actor)),
        "countersign": visible.filter(
            state=DocumentState.COUNTERSIGN,
            pk__in=Countersign.objects.filter(state=CountersignState.PENDING, unit__head=person).values("document_id"),
        ),
        "signoff": visible.filter(state=DocumentState.SIGNOFF).filter(
            Q(designated_signer=person) | Q(designated_signer__isnull=True, series__organ__head=person)
        )
        if user.has_role(Role.LEADER)
        else visible.none(),
        "recheck": visible.filter(office, state__in=[DocumentState.RECHECK, DocumentState.REGISTERED]),
    }
    return inbox
