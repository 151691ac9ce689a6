"""``manage.py seed_demo`` loads 信访 cases from every channel in every state, walked there through
the services on days relative to today — so some are past their clock on whatever day the demo
is loaded — once however often it runs; the 检举控告 against 商务局 is invisible to its people."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from documents.models import OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent
from office.org.models import Person
from office.reminders.models import Deadline, Notification
from petitions import selectors
from petitions.models import (
    CaseReply,
    CaseState,
    Channel,
    Dispute,
    Kind,
    LeaderCase,
    NoteKind,
    PetitionCase,
    PetitionEvent,
    Reception,
    Route,
    RoutingRule,
    Stage,
)
from petitions.rules import OPEN, SIGNED_STATES
from supervision.models import SupervisionItem

pytestmark = pytest.mark.django_db

DEMO = override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        "cases": PetitionCase.objects.count(),
        "events": PetitionEvent.objects.count(),
        "replies": CaseReply.objects.count(),
        "rules": RoutingRule.objects.count(),
        "ledgers": LeaderCase.objects.count() + Reception.objects.count() + Dispute.objects.count(),
        "deadlines": Deadline.objects.count(),
        "notifications": Notification.objects.count(),
        "outgoing": OutgoingDocument.objects.count(),
        "items": SupervisionItem.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _people() -> dict[str, Person]:
    return {p.user.username: p for p in Person.objects.select_related("user", "unit")}


@DEMO
def test_seed_demo_has_cases_from_every_channel_in_every_state_and_running_it_again_adds_nothing():
    """GIVEN an empty database in demo mode WHEN seed_demo runs twice THEN there are cases from every
    channel and in every state, 不予受理 both by 诉访分离 and by 不再受理, and the second run adds nothing."""
    _seed()
    first = _counts()
    _seed()

    assert _counts() == first
    assert set(PetitionCase.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(PetitionCase.objects.values_list("state", flat=True)) == set(CaseState.values)
    refused = PetitionCase.objects.filter(state=CaseState.NOT_ACCEPTED)
    assert set(refused.values_list("route", flat=True)) == {Route.STATUTORY, Route.REFUSE}
    assert PetitionCase.objects.filter(state=CaseState.REVIEWING, stage=Stage.REVIEW).exists()
    assert PetitionCase.objects.filter(state=CaseState.REREVIEWING, stage=Stage.REREVIEW).exists()
    closed = PetitionCase.objects.filter(state=CaseState.CLOSED)
    assert closed.exclude(satisfaction="").exists() and closed.filter(final=True).exists()
    replied = PetitionCase.objects.get(state=CaseState.REPLIED)
    assert replied.satisfaction == "" and replied.window_until >= timezone.localdate()


@DEMO
def test_the_demo_holds_the_repeat_pair_the_group_visit_the_hearing_and_the_extension():
    """GIVEN the demo office WHEN we read its cases THEN the 不再受理 one repeats (same ID number) a
    case whose 复核 is final; the 集体访 has 30 people and 5 代表 and a 12345 call merged into it; one
    case is in 听证 (its clock suspended), one was extended once by the 住建局's head, and every
    served answer's 答复意见书 is a signed and registered 信函."""
    _seed()
    refused = PetitionCase.objects.get(route=Route.REFUSE)
    original = refused.repeat_of
    assert original.final and original.state == CaseState.CLOSED and original.repeat_count == 1
    ids = set(original.petitioners.values_list("petitioner__id_number", flat=True))
    assert ids & set(refused.petitioners.values_list("petitioner__id_number", flat=True))

    visit = PetitionCase.objects.get(channel=Channel.VISIT, mass=True, headcount=30)
    assert visit.petitioners.filter(representative=True).count() == 5
    assert PetitionCase.objects.get(state=CaseState.MERGED).merged_into == visit

    hearing = PetitionCase.objects.get(notes__kind=NoteKind.HEARING, notes__ends_on__isnull=True)
    assert hearing.state == CaseState.HANDLING
    case_type = ContentType.objects.get_for_model(PetitionCase)
    assert Deadline.objects.get(content_type=case_type, object_id=hearing.pk, kind="petition", state="open").suspended
    extended = Deadline.objects.filter(content_type=case_type, kind="petition", extensions__isnull=False).get()
    assert extended.extensions.get().approved_by == _people()["zjj_director"]

    served = CaseReply.objects.filter(served_on__isnull=False)
    assert served.count() >= 8
    assert set(served.values_list("document__state", flat=True)) <= set(SIGNED_STATES)
    assert set(served.values_list("document__kind", flat=True)) == {"letter"}
    assert set(served.values_list("document__series__template", flat=True)) == {"letter"}


@DEMO
def test_the_supervised_petition_is_number_118_and_its_item_links_to_it():
    """GIVEN the demo office WHEN we read 督〔…〕7号 THEN it was opened by the 副市长's 批示 on the case
    临信〔…〕118号, which is its source record, under his 包案; the 领导接访日 is next week and the 矛盾纠纷
    ledger has two rows."""
    _seed()
    people = _people()
    case = PetitionCase.objects.get(title="城东安置小区房屋渗漏问题")
    assert case.sequence == 118 and case.number.endswith(f"〔{case.year}〕118号")
    item = SupervisionItem.objects.get(sequence=7)
    assert item.title == case.title and item.source == "petition"
    assert (item.source_type, item.source_id) == (ContentType.objects.get_for_model(PetitionCase), case.pk)
    assert item.instructing_leader == people["vice_mayor"] and item.source_text == case.number
    assert case.leader_case.leader == people["vice_mayor"]
    # the numbers follow the days received
    numbered = list(PetitionCase.objects.filter(year=case.year).order_by("sequence"))
    assert [c.received_on for c in numbered] == sorted(c.received_on for c in numbered)

    today = timezone.localdate()
    reception = Reception.objects.get()
    next_week = (today + timedelta(days=7)).isocalendar()[:2]
    assert reception.day.isocalendar()[:2] == next_week and reception.cases.exists()
    assert Dispute.objects.count() == 2 and Dispute.objects.filter(backlog=True).count() == 1
    assert RoutingRule.objects.count() >= 3


@DEMO
def test_the_accusation_against_the_bureau_is_invisible_to_its_people():
    """GIVEN the demo's 检举控告 against 商务局 WHEN each person of 商务局 lists, searches, counts and
    figures the cases THEN it is nowhere; the 信访员 who handles it does see it."""
    _seed()
    people = _people()
    accusation = PetitionCase.objects.get(kind=Kind.ACCUSATION)
    assert accusation.accused_unit.code == "LJ-SWJ"
    bureau = [p for p in people.values() if p.unit.code.startswith("LJ-SWJ")]
    assert len(bureau) >= 4
    today = timezone.localdate()
    for person in bureau:
        user = person.user
        assert not selectors.cases_visible(user=user).filter(pk=accusation.pk).exists()
        assert not selectors.cases_visible(user=user, text="专项资金").exists()
        assert selectors.open_counts(user=user)["open"] == 0
        rows = selectors.figures(user=user, by="category", start=today.replace(year=today.year - 1), end=today)
        assert sum(row.total for row in rows) == 0
    officer = people["petition_officer"].user
    assert selectors.cases_visible(user=officer, text="专项资金").filter(pk=accusation.pk).exists()


@pytest.mark.parametrize("moment", ["2026-02-22 10:00 +0800", "2026-10-06 10:00 +0800", "2027-01-04 09:00 +0800"])
@DEMO
def test_some_cases_are_past_their_clock_whatever_day_the_demo_is_loaded(moment):
    """GIVEN the demo loaded after the Spring Festival, inside the National Day holiday or on the
    first working day of a year WHEN the 信访员 filters 超期 THEN routing, acceptance and handling
    cases are there, and cases under the other lights too."""
    with time_machine.travel(moment, tick=True):
        _seed()
        officer = _people()["petition_officer"].user
        overdue = selectors.cases_visible(user=officer, filters={"overdue": "1"})
        states = set(overdue.values_list("state", flat=True))
        lights = {selectors.light(case) for case in selectors.cases_visible(user=officer).filter(state__in=OPEN)}
        number = PetitionCase.objects.get(title="城东安置小区房屋渗漏问题").sequence

    assert {CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.HANDLING} <= states
    assert {"red", "green"} <= lights
    assert number == 118
