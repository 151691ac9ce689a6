"""Reads of incoming documents, always from ``visible_to(user)``; the figures the dashboards reuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from documents.incoming import rules
from documents.incoming.models import OWED_BY_HANDLER
from documents.models import (
    Assignment,
    AssignmentRole,
    CirculationReader,
    IncomingDocument,
    IncomingState,
    ReaderState,
    UnitAssignment,
)
from office import search
from office.confidentiality.visibility import person_of

S = IncomingState


def with_circulating(queryset: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    """Annotate ``circulating``: readers still pending (the list shows 传阅中)."""
    pending = CirculationReader.objects.filter(
        circulation__document=OuterRef("pk"),
        circulation__recalled_at__isnull=True,
        state__in=[ReaderState.SENT, ReaderState.OPENED],
    )
    return queryset.annotate(circulating=Exists(pending))


def incoming_list_visible(*, user, filters: dict | None = None, text: str = "") -> QuerySet[IncomingDocument]:
    """Visible incoming documents, filtered (``state``, ``handling``, ``channel``, ``receiving_unit``,
    ``classification``, ``year`` = registration year, ``date_from``/``date_to`` on 签收) and searched."""
    filters = dict(filters or {})
    documents = IncomingDocument.objects.visible_to(user).select_related("receiving_unit", "signed_for_by")
    if year := filters.pop("year", None):
        documents = documents.filter(registration_year=year)
    if date_from := filters.pop("date_from", None):
        documents = documents.filter(signed_for_at__date__gte=date_from)
    if date_to := filters.pop("date_to", None):
        documents = documents.filter(signed_for_at__date__lte=date_to)
    documents = documents.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    if text and (terms := search.query(text)) is not None:
        documents = documents.filter(search_vector=terms)
    return with_circulating(documents)


# What a row of the list never shows, read in the detail only: the texts and the search vector.
LIST_DEFERRED = ("body", "proposal", "instruction", "result", "reply", "search_vector")


def incoming_list_rows(documents: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    """The list's rows (the page and the API list) of ``incoming_list_visible``: without the long
    texts (``LIST_DEFERRED``), which no list shows."""
    return documents.defer(*LIST_DEFERRED)


def incoming_inbox(*, user) -> dict[str, QuerySet]:
    """我的收文待办: to sign for, to propose, to instruct, to handle, passed on to me (分办), to read."""
    person = person_of(user)
    if person is None:
        return {}
    visible = IncomingDocument.objects.visible_to(user).select_related("receiving_unit")
    office = rules.is_office(user)
    # The units the office serves (``rules.serves``): its own, those above it and below it,
    # never another organ's (a bureau sits below the city government).
    own = (Q(receiving_unit__in=person.units()) | Q(receiving_unit__in=person.unit.subtree_ids())) & Q(
        receiving_unit__organ=person.unit.organ_id
    )
    handling = Assignment.objects.filter(unit__head=person, done_at__isnull=True).values("document_id")
    return {
        "sign_for": visible.filter(own, state=S.PENDING) if office else visible.none(),
        "register": visible.filter(own, state__in=[S.SIGNED, S.REGISTERED]) if office else visible.none(),
        "propose": visible.filter(own, state=S.PROPOSAL) if office else visible.none(),
        "instruct": visible.filter(state=S.INSTRUCTION, instructing_leader=person),
        "handle": visible.filter(state=S.HANDLING, pk__in=handling),
        # 分办 to this 承办人, still to be reported (or returned to him).
        "subassigned": visible.filter(
            state=S.HANDLING,
            pk__in=UnitAssignment.objects.filter(
                handler=person,
                state__in=OWED_BY_HANDLER,
                assignment__done_at__isnull=True,
            ).values("assignment__document_id"),
        ),
        # Through the visible set too: a reader whose clearance was lowered (or whose grant was
        # revoked) must not keep finding the title here.
        "read": CirculationReader.objects.filter(
            person=person,
            state__in=[ReaderState.SENT, ReaderState.OPENED],
            circulation__recalled_at__isnull=True,
            circulation__document__in=visible.values("pk"),
        ).select_related("circulation__document"),
    }


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    unit_name: str
    assigned: int
    done: int
    done_on_time: int

    @property
    def completion_rate(self) -> float | None:
        """办结率: done / assigned."""
        return self.done / self.assigned if self.assigned else None

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: done on time / assigned."""
        return self.done_on_time / self.assigned if self.assigned else None


def completion_by_unit(*, user, start: date, end: date) -> list[UnitFigures]:
    """办结率 and 按期办结率 per lead unit, for documents assigned (批示) in [start, end], over the
    documents ``user`` may see."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            document__in=IncomingDocument.objects.visible_to(user).values("pk"),
            document__instructed_at__gte=since,
            document__instructed_at__lt=until,
        )
        .values("unit_id", "unit__name")
        .annotate(
            assigned=Count("id"),
            done=Count("id", filter=Q(document__state__in=[S.DONE, S.ARCHIVED])),
            on_time=Count("id", filter=Q(document__state__in=[S.DONE, S.ARCHIVED], document__done_on_time=True)),
        )
        .order_by("unit__name")
    )
    return [UnitFigures(r["unit_id"], r["unit__name"], r["assigned"], r["done"], r["on_time"]) for r in rows]


def backlog(*, user, older_than_days: int = 5, now: datetime | None = None) -> QuerySet[IncomingDocument]:
    """压文: visible documents sitting in one step (not done) for longer than ``older_than_days``."""
    now = now or timezone.now()
    return (
        IncomingDocument.objects.visible_to(user)
        .exclude(state__in=[S.DONE, S.ARCHIVED, S.RETURNED])
        .filter(state_changed_at__lt=now - timedelta(days=older_than_days))
        .select_related("receiving_unit")
        .order_by("state_changed_at")
    )


def supervision_requests(*, user) -> QuerySet[IncomingDocument]:
    """Instructions that ask for 督办: the supervision module opens items from these."""
    return IncomingDocument.objects.visible_to(user).filter(supervise=True, state__in=[S.HANDLING, S.DONE])
