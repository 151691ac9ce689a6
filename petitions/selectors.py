"""Every read of 信访事项 for pages, the API, exports, the desk and figures — each from
``visible_to(user)`` (which already drops a 检举控告 for whom it accuses).

The 信访人's identity is read through ``petitioner_view``: the handlers of a case see it, everyone
else a mask (张*, 3301**********1234, 138****5678), on every page, export and API answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from office import search
from office.confidentiality.visibility import person_of
from office.org.models import Role
from petitions.models import CasePetitioner, CaseState, PetitionCase, Satisfaction, Stage
from petitions.rules import ENDED, IN_HAND, OPEN, may_see_identity

LIST_DEFERRED = ("content", "search_vector")
SOON_DAYS = 3  # yellow: due within 3 days


# --- Masking ----------------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


@dataclass(frozen=True)
class PetitionerView:
    """A 信访人 as one reader may see him."""

    name: str
    kind: str
    id_number: str
    phone: str
    address: str
    hukou: str
    representative: bool
    masked: bool


def petitioner_view(link: CasePetitioner, *, identity: bool) -> PetitionerView:
    p = link.petitioner
    if identity:
        return PetitionerView(
            p.name, p.get_kind_display(), p.id_number, p.phone, p.address, p.hukou, link.representative, False
        )
    return PetitionerView(
        mask_name(p.name),
        p.get_kind_display(),
        mask_digits(p.id_number, 4, 4),
        mask_digits(p.phone, 3, 4),
        "***" if p.address else "",
        p.hukou[:3] + "***" if p.hukou else "",
        link.representative,
        True,
    )


def petitioners_of(case: PetitionCase, user) -> list[PetitionerView]:
    """The case's 信访人 for ``user`` (the caller got the case through ``visible_to``)."""
    identity = may_see_identity(user, case)
    links = getattr(case, "row_petitioners", None)
    if links is None:
        links = list(case.petitioners.select_related("petitioner"))
    return [petitioner_view(link, identity=identity) for link in links]


def petitioner_names(case: PetitionCase, user) -> str:
    return "、".join(view.name for view in petitioners_of(case, user))


# --- Lists ------------------------------------------------------------------------------------------


def cases_visible(*, user, filters: dict | None = None, text: str = "") -> QuerySet[PetitionCase]:
    """信访台账: the visible cases, filtered (``state``, ``channel``, ``kind``, ``category`` (with its
    children), ``area``, ``handling_unit``, ``stage``, ``satisfaction``, ``year``, flags ``mass``,
    ``urgent``, ``first_time``, ``repeat`` (repeat_of set), ``beyond_level``, ``overdue`` (open and
    past due), ``received_from``/``received_to``) and searched (number, summary, content, category:
    never the 信访人's identity)."""
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    cases = PetitionCase.objects.visible_to(user)
    today = timezone.localdate()
    if category := filters.pop("category", None):
        cases = cases.filter(Q(category=category) | Q(category__parent=category))
    if received_from := filters.pop("received_from", None):
        cases = cases.filter(received_on__gte=received_from)
    if received_to := filters.pop("received_to", None):
        cases = cases.filter(received_on__lte=received_to)
    if filters.pop("overdue", None) in (True, "1", "true", "on"):
        cases = cases.filter(state__in=OPEN, due__lt=today)
    repeat = filters.pop("repeat", None)
    if repeat in (True, "1", "true", "on"):
        cases = cases.filter(repeat_of__isnull=False)
    if (beyond := filters.pop("beyond_level", None)) is not None:
        cases = cases.exclude(beyond_level="") if beyond == "any" else cases.filter(beyond_level=beyond)
    for flag in ("mass", "urgent", "first_time"):
        if (value := filters.pop(flag, None)) is not None:
            cases = cases.filter(**{flag: value in (True, "1", "true", "on")})
    cases = cases.filter(**filters)
    if text and (terms := search.query(text)) is not None:
        cases = cases.filter(search_vector=terms)
    return cases


def ledger_rows(cases: QuerySet[PetitionCase]) -> QuerySet[PetitionCase]:
    """台账 rows for the page, the API list and the Excel export: a fixed number of queries whatever
    the page size; never the long text."""
    return (
        cases.defer(*LIST_DEFERRED)
        .select_related("organ", "category__parent", "area", "handling_unit", "reviewing_unit", "intake_unit")
        .prefetch_related(
            Prefetch(
                "petitioners",
                queryset=CasePetitioner.objects.select_related("petitioner").order_by("order", "id"),
                to_attr="row_petitioners",
            )
        )
    )


def light(case: PetitionCase, today: date | None = None) -> str:
    """red (past its clock), yellow (due within 3 days), green, or none (ended / nothing running)."""
    today = today or timezone.localdate()
    if case.state not in OPEN or case.due is None:
        return "none"
    if case.due < today:
        return "red"
    if (case.due - today).days <= SOON_DAYS:
        return "yellow"
    return "green"


def my_cases(*, user) -> dict[str, QuerySet[PetitionCase]]:
    """我的信访: what waits for ``user`` — to route (his unit's 信访员), to accept, to handle or
    answer (his unit's), to approve (an extension, as organ head) — and what he registered."""
    person = person_of(user)
    visible = PetitionCase.objects.visible_to(user)
    if person is None:
        none = visible.none()
        return {"route": none, "accept": none, "handle": none, "registered": none}
    units = person.units()
    officer = user.has_role(Role.PETITION_OFFICER)
    answering = (
        Q(stage=Stage.FIRST, handling_unit__in=units)
        | (~Q(stage=Stage.FIRST) & Q(reviewing_unit__in=units))
        | Q(stage=Stage.FIRST, handler=person)
    )
    return {
        "route": visible.filter(state=CaseState.REGISTERED, intake_unit__in=units) if officer else visible.none(),
        "accept": visible.filter(state=CaseState.TRANSFERRED, handling_unit__in=units),
        "handle": visible.filter(answering, state__in=IN_HAND),
        "after": visible.filter(state=CaseState.REPLIED, intake_unit__in=units) if officer else visible.none(),
        "registered": visible.filter(registrar=person),
    }


# --- Repeats ----------------------------------------------------------------------------------------


def repeat_candidates(*, user, case: PetitionCase, limit: int = 10) -> list[PetitionCase]:
    """Suggested matches for ``case`` among what ``user`` sees: the same 信访人 (by ID number or the
    same petitioner row), or the same category and area with a similar summary (shared search
    terms) from other people — a person confirms (``services.case_link`` / ``case_merge``)."""
    visible = PetitionCase.objects.visible_to(user).exclude(pk=case.pk).exclude(state=CaseState.MERGED)
    people = list(case.petitioners.values_list("petitioner_id", flat=True))
    ids = [i for i in case.petitioners.values_list("petitioner__id_number", flat=True) if i]
    same_person = Q(petitioners__petitioner__in=people)
    if ids:
        same_person |= Q(petitioners__petitioner__id_number__in=ids)
    found = list(visible.filter(same_person).distinct().order_by("-received_on", "-id")[:limit])
    terms = search.query(case.title)
    if terms is not None and len(found) < limit:
        similar = visible.filter(category=case.category, search_vector=terms).exclude(pk__in=[c.pk for c in found])
        if case.area_id:
            similar = similar.filter(area=case.area_id)
        found += list(similar.order_by("-received_on", "-id")[: limit - len(found)])
    return found


# --- Figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One row of the 信访 figures (a unit, a category, an area, or the whole): counts and rates in
    per cent (None when nothing to divide)."""

    label: str
    total: int
    accepted: int
    accepted_on_time: int
    answered: int
    answered_on_time: int
    rated: int
    satisfied: int
    repeats: int
    beyond: int
    mass: int
    mass_people: int
    first_time: int
    first_time_resolved: int

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def timely_acceptance(self) -> float | None:  # 及时受理率
        return self.rate(self.accepted_on_time, self.accepted)

    @property
    def on_time(self) -> float | None:  # 按期办结率
        return self.rate(self.answered_on_time, self.answered)

    @property
    def participation(self) -> float | None:  # 参评率
        return self.rate(self.rated, self.answered)

    @property
    def satisfaction(self) -> float | None:  # 满意率 (满意 + 基本满意 over rated)
        return self.rate(self.satisfied, self.rated)

    @property
    def first_time_rate(self) -> float | None:  # 初信初访一次性化解率
        return self.rate(self.first_time_resolved, self.first_time)


FIGURE_GROUPS = {
    "unit": ("handling_unit__name", "handling_unit_id"),
    "category": ("category__name", "category_id"),
    "area": ("area__name", "area_id"),
}


def figures(*, user, by: str, start: date, end: date, whole: bool = False) -> list[Figures]:
    """The figures over the cases received in [start, end] that ``user`` sees (``whole``: one row
    for all of them). Cases merged into another are not counted twice."""
    cases = (
        PetitionCase.objects.visible_to(user).filter(received_on__range=(start, end)).exclude(state=CaseState.MERGED)
    )
    first_answered = Q(replies__stage=Stage.FIRST, replies__served_on__isnull=False)
    aggregates = {
        "total": Count("id", distinct=True),
        "accepted": Count("id", filter=Q(accepted_on__isnull=False), distinct=True),
        "accepted_on_time": Count("id", filter=Q(accepted_on_time=True), distinct=True),
        "answered": Count("id", filter=first_answered, distinct=True),
        "answered_on_time": Count("id", filter=first_answered & Q(done_on_time=True), distinct=True),
        "rated": Count("id", filter=~Q(satisfaction=""), distinct=True),
        "satisfied": Count(
            "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]), distinct=True
        ),
        "repeats": Count("id", filter=Q(repeat_of__isnull=False), distinct=True),
        "beyond": Count("id", filter=~Q(beyond_level=""), distinct=True),
        "mass": Count("id", filter=Q(mass=True, channel="visit"), distinct=True),
        # 一次性化解: a first-time petition closed after one answer, no 复查 asked, not 不满意. (Before
        # "first_time": an annotation of that name would shadow the field in this filter.)
        "first_time_resolved": Count(
            "id",
            filter=Q(first_time=True, state__in=ENDED, stage=Stage.FIRST)
            & ~Q(satisfaction=Satisfaction.UNSATISFIED)
            & ~Q(state=CaseState.NOT_ACCEPTED),
            distinct=True,
        ),
        "first_time": Count("id", filter=Q(first_time=True), distinct=True),
    }
    name, key = FIGURE_GROUPS.get(by, FIGURE_GROUPS["unit"])
    visits = cases.filter(mass=True, channel="visit")
    if whole:
        row = cases.aggregate(**aggregates)
        people = visits.aggregate(n=Sum("headcount"))["n"] or 0
        return [Figures(label=_("合计"), mass_people=people, **row)]
    people = dict(visits.values_list(key).annotate(n=Sum("headcount")).values_list(key, "n"))
    rows = cases.values(name, key).annotate(**aggregates).order_by(name)
    return [
        Figures(
            label=row[name] or _("（未定）"),
            mass_people=people.get(row[key], 0),
            **{k: row[k] for k in aggregates},
        )
        for row in rows
    ]


def open_counts(*, user) -> dict[str, int]:
    """For the desk and the dashboard: the visible open cases, those past their clock and the
    紧急敏感 ones."""
    today = timezone.localdate()
    visible = PetitionCase.objects.visible_to(user).filter(state__in=OPEN)
    return visible.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due__lt=today)),
        urgent=Count("id", filter=Q(urgent=True)),
    )
