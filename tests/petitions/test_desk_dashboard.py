"""信访 on the desk and the dashboard, over the demo office: every case on a person's desk offers
the section's step and the service takes it, every case offering such a step is on the desk, the
desk's query count does not grow with the cases; the dashboard's figures are what one counts by
hand over what the person sees, and the global figures still leave out a 检举控告 for the accused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import DocumentSeries
from office.dashboard import registry
from office.dashboard.registry import Scope
from office.desk import providers
from office.org.models import Person
from petitions import services
from petitions.dashboard import PetitionFigures, hot_spots, totals
from petitions.desk import SECTIONS, PetitionProvider, sections
from petitions.models import Channel, IssueCategory, Kind, PetitionCase, Satisfaction, ServiceMethod, Stage
from petitions.rules import CASE, OPEN
from tests.workflow.harness import accepted, demo_office

pytestmark = pytest.mark.django_db

DESK_STEPS = {step for _key, _label, steps in SECTIONS for step in steps}


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}


def _letter_series(user):
    organ = user.person.unit.organ_id
    series = DocumentSeries.objects.filter(template="letter", active=True)
    return series.filter(organ__organ=organ).first() or series.first()


def _attempt(step: str, user, case: PetitionCase) -> None:
    today = timezone.localdate()
    if step == "route":
        services.case_route(actor=user, case=case, route="direct")
    elif step == "accept":
        services.case_accept(actor=user, case=case)
    elif step == "object":
        services.case_object(actor=user, case=case, reason="不属于本机关职权范围")
    elif step == "reply":
        services.case_reply(
            actor=user, case=case, opinion="support", facts="情况属实", basis="有关规定", series=_letter_series(user)
        )
    elif step == "serve":
        services.case_serve(actor=user, case=case, on=today, method=ServiceMethod.POST)
    elif step == "extend":
        services.case_extend(actor=user, case=case, days=10, reason="情况复杂")
    elif step == "rate":
        services.case_rate(actor=user, case=case, satisfaction=Satisfaction.BASIC, on=today)
    elif step == "close":
        services.case_close(actor=user, case=case)
    else:
        raise AssertionError(step)


def _desk(user) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for item in PetitionProvider().waiting(user):
        found.setdefault(item.section, set()).add(item.record.pk)
    return found


def test_every_case_on_the_desk_offers_its_steps_and_the_service_takes_them(people):
    """GIVEN the demo office WHEN each person's desk lists his 信访 work THEN each case offers at least
    one of its section's steps, and of those steps the service takes exactly the ones offered; the
    case is one he may see."""
    seen = set()
    for person in people.values():
        user = person.user
        for item in providers.provider("petitions").waiting(user):
            case = PetitionCase.objects.get(pk=item.record.pk)
            offered = CASE.offered(user, case)
            assert set(item.steps) & set(offered), f"{person.name}: {item.section} {item.title} ({offered})"
            for step in item.steps:
                took = accepted(_attempt, step, user, PetitionCase.objects.get(pk=case.pk))
                assert took == (step in offered), f"{person.name}: {item.section} {item.title} {step}"
            assert PetitionCase.objects.visible_to(user).filter(pk=case.pk).exists()
            seen.add(item.section)
    assert seen == {key for key, _label, _steps in SECTIONS}  # the demo has work in every section


def test_every_case_offering_a_desk_step_is_on_the_desk(people):
    """GIVEN the demo office WHEN any person is offered route, accept, reply, serve, rate or close on
    a case he sees (or extend on one whose extension was asked for) THEN the case is on his desk in
    the section of that step."""
    section_of = {step: key for key, _label, steps in SECTIONS for step in steps}
    cases = list(PetitionCase.objects.all())
    for person in people.values():
        user = person.user
        desk = _desk(user)
        visible = set(PetitionCase.objects.visible_to(user).values_list("pk", flat=True))
        for case in cases:
            if case.pk not in visible:
                continue
            offered = set(CASE.offered(user, PetitionCase.objects.get(pk=case.pk))) & DESK_STEPS
            if "extend" in offered and not case.events.filter(action="申请延期").exists():
                offered.discard("extend")  # the head is asked first: nothing waits for him yet
            if case.state == "closed":
                offered.discard("rate")  # a late rating of a closed case may come, but none waits
            for step in offered:
                assert case.pk in desk.get(section_of[step], set()), f"{person.name}: {case.title} {step}"


def test_the_desk_is_a_fixed_number_of_queries_whatever_the_cases(people):
    """GIVEN the 信访员's desk WHEN three more letters are registered THEN three more cases wait to
    be routed and the desk takes the same number of queries."""
    officer = people["petition_officer"].user
    provider = PetitionProvider()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            provider.waiting(officer)
        return len(queries)

    before_items, before = len(provider.waiting(officer)), count()
    category = IssueCategory.objects.get(code="other-general")
    for n in range(3):
        services.case_register(
            actor=officer,
            channel=Channel.LETTER,
            received_on=timezone.localdate(),
            kind=Kind.SUGGESTION,
            category=category,
            title=f"工作台测试来信（{n}）",
            content="测试",
            petitioners=[services.PetitionerSpec(name="测试人")],
        )
    assert len(provider.waiting(officer)) == before_items + 3
    assert count() == before


def _hand_counts(user, scope: Scope, ids: set[int]) -> dict[str, int]:
    """The dashboard's figures counted in Python over the given cases."""
    rows = list(PetitionCase.objects.filter(pk__in=ids).prefetch_related("replies"))
    period = [c for c in rows if scope.start <= c.received_on <= scope.end and c.state != "merged"]

    def answered(case):
        return any(r.stage == Stage.FIRST and r.served_on for r in case.replies.all())

    visible = set(PetitionCase.objects.visible_to(user).values_list("pk", flat=True))
    return {
        "open": sum(c.state in OPEN for c in rows),
        "overdue": sum(c.state in OPEN and c.due is not None and c.due < scope.today for c in rows),
        "urgent": sum(c.state in OPEN and c.urgent for c in rows if c.pk in visible),
        "accepted": sum(c.accepted_on is not None for c in period),
        "accepted_on_time": sum(c.accepted_on_time is True for c in period),
        "answered": sum(answered(c) for c in period),
        "answered_on_time": sum(answered(c) and c.done_on_time is True for c in period),
        "rated": sum(bool(c.satisfaction) for c in period),
        "satisfied": sum(c.satisfaction in ("satisfied", "basic") for c in period),
    }


@pytest.mark.parametrize("username", ["petition_officer", "zjj_cj_chief"])
def test_the_dashboard_figures_are_the_hand_counts_of_what_the_person_sees(people, username):
    """GIVEN the demo office WHEN the 信访员 or the 住建局's 城建科 chief opens the dashboard for the
    last 200 days THEN its tiles and rates are the counts one makes by hand over the cases he sees,
    and the 信访热点 bars add up to the cases received in the period."""
    user = people[username].user
    today = timezone.localdate()
    scope = Scope(user=user, start=today - timedelta(days=200), end=today)
    visible = set(PetitionCase.objects.visible_to(user).values_list("pk", flat=True))
    expected = _hand_counts(user, scope, visible)

    assert totals(scope) == expected
    assert expected["open"] and expected["answered"]
    tiles = {p.key: p.value for p in PetitionFigures().panels(scope) if isinstance(p, registry.Tile)}
    assert (tiles["petitions-open"], tiles["petitions-overdue"], tiles["petitions-urgent"]) == (
        expected["open"],
        expected["overdue"],
        expected["urgent"],
    )
    received = sum(
        1
        for c in PetitionCase.objects.filter(pk__in=visible)
        if scope.start <= c.received_on <= today and c.state != "merged"
    )
    assert sum(n for _pk, _name, n in hot_spots(scope, "category")) == received
    assert sum(n for _pk, _name, n in hot_spots(scope, "area")) == received


def test_the_global_figures_leave_out_the_accusation_for_the_accused_bureau(people):
    """GIVEN the demo's 检举控告 against 商务局 WHEN the 商务局's director and the mayor read the
    organisation-wide figures THEN the mayor's count every case, the director's every case but the
    accusation (in the tiles and in the 信访热点), and his own view counts nothing."""
    today = timezone.localdate()
    accusation = PetitionCase.objects.get(kind=Kind.ACCUSATION)
    assert accusation.state in OPEN
    everyone = set(PetitionCase.objects.values_list("pk", flat=True))
    mayor, bureau = people["director"].user, people["swj_director"].user
    start = today - timedelta(days=200)

    whole = Scope(user=mayor, start=start, end=today, whole=True)
    assert totals(whole)["open"] == _hand_counts(mayor, whole, everyone)["open"]
    barred = Scope(user=bureau, start=start, end=today, whole=True)
    figures = totals(barred)
    assert figures == _hand_counts(bureau, barred, everyone - {accusation.pk})
    assert figures["open"] == totals(whole)["open"] - 1
    names = {name for _pk, name, _n in hot_spots(barred, "category")}
    assert "纪检监察" in {name for _pk, name, _n in hot_spots(whole, "category")} and "纪检监察" not in names
    own = Scope(user=bureau, start=start, end=today)
    assert totals(own)["open"] == 0


def test_sections_answer_nothing_for_someone_outside_every_case(people):
    """GIVEN the 发改局's 科员, inside no case WHEN the desk asks what waits THEN nothing does."""
    user = people["fgj_staff"].user
    assert all(not qs.exists() for qs in sections(user).values())
    assert PetitionProvider().waiting(user) == []
