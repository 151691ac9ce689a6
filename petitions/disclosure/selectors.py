"""Reads of 政府信息公开: every one starts from ``visible_to(user)`` — requests directly, publications
through their 公文 (a published one is public)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from office import search
from petitions.disclosure.models import DisclosureRequest, Publication, PublicationState
from petitions.disclosure.rules import OPEN


def requests_visible(*, user, filters: dict | None = None, text: str = "") -> QuerySet[DisclosureRequest]:
    """依申请公开台账: the visible requests, filtered (``state``, ``channel``, ``applicant_kind``,
    ``answer_type``, ``year``, ``overdue`` (open and past due)) and searched (number, description)."""
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    requests = DisclosureRequest.objects.visible_to(user)
    if filters.pop("overdue", None) in (True, "1", "true", "on"):
        requests = requests.filter(state__in=OPEN, due__lt=timezone.localdate())
    requests = requests.filter(**filters)
    if text and (terms := search.query(text)) is not None:
        requests = requests.filter(search_vector=terms)
    return requests


def publications_visible(*, user, filters: dict | None = None) -> QuerySet[Publication]:
    """Publications the user may see: the published and repealed ones (public), and the others whose
    公文 he may read (``OutgoingDocument.objects.visible_to``)."""
    from documents.models import OutgoingDocument

    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    readable = OutgoingDocument.objects.visible_to(user).values("pk")
    publications = Publication.objects.filter(
        Q(state__in=(PublicationState.PUBLISHED, PublicationState.REPEALED)) | Q(document__in=readable)
    ).select_related("document", "organ")
    return publications.filter(**filters)


def catalogue(*, filters: dict | None = None) -> QuerySet[Publication]:
    """公开目录: what has been published (public to every reader, and to the portal's feed)."""
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    return (
        Publication.objects.filter(state__in=(PublicationState.PUBLISHED, PublicationState.REPEALED))
        .select_related("document", "organ")
        .filter(**filters)
    )
