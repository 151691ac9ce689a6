"""Reads of 建议提案: every one starts from ``Proposal.objects.visible_to(user)``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from office import search
from petitions.proposals.models import Proposal
from petitions.proposals.rules import OPEN


def proposals_visible(*, user, filters: dict | None = None, text: str = "") -> QuerySet[Proposal]:
    """建议提案台账: the visible items, filtered (``session``, ``kind``, ``state``, ``key``, ``unit`` (any
    live share), ``year`` (the session's), ``overdue`` (open and past due)) and searched."""
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    items = Proposal.objects.visible_to(user).select_related("session")
    if unit := filters.pop("unit", None):
        items = items.filter(assignments__unit=unit).exclude(assignments__state="withdrawn").distinct()
    if year := filters.pop("year", None):
        items = items.filter(session__year=year)
    if (key := filters.pop("key", None)) is not None:
        items = items.filter(key=key in (True, "1", "true", "on"))
    if filters.pop("overdue", None) in (True, "1", "true", "on"):
        items = items.filter(state__in=OPEN, due__lt=timezone.localdate())
    items = items.filter(**filters)
    if text and (terms := search.query(text)) is not None:
        items = items.filter(search_vector=terms)
    return items
