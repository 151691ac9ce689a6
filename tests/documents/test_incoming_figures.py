"""The figures and reads of incoming documents: 办结率 / 按期办结率 per lead unit against a hand-computed
fixture, the 压文 backlog, the leak matrix of ``IncomingDocument.objects.visible_to`` and the query
count of the list (STYLE.md §3, §9).

The receiving bureau, its people and the ``receive`` / ``advance`` helpers come from ``conftest.py``.
Documents in the figures and the matrix are received by the bureau's 办公室 (not the whole bureau)
and are classified, so that only the units and people given them see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.incoming import services as incoming
from documents.incoming.selectors import backlog, completion_by_unit, incoming_list_visible
from documents.models import IncomingDocument, IncomingState
from office.confidentiality.levels import Level
from office.confidentiality.visibility import lineage_of
from office.org.models import Person, Role, Unit
from tests.confidentiality.leaks import assert_visible
from tests.factories import OrganFactory, UnitFactory, make_person

S = IncomingState
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in Beijing time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def water(db):
    """Another organ, 测试市水务局, with its own 文秘 and a member cleared for 绝密."""
    organ = OrganFactory(name="测试市水务局")
    office = UnitFactory(parent=organ, name="水务局办公室")
    clerk = make_person(
        username="fig-water-clerk", name="吕文秘", unit=office, roles=(Role.SECRETARY,), clearance=Level.SECRET
    )
    outsider = make_person(username="fig-outsider", name="施科员", unit=office, clearance=Level.TOP_SECRET)
    return organ, clerk, outsider


# --- 办结率 / 按期办结率 ------------------------------------------------------------------------------------


@pytest.fixture
def handled(bureau, receive, advance, time_machine):
    """Take in a 秘密 document received by the bureau's 办公室, have the 局长 instruct ``lead`` (alone)
    at ``instructed`` with ``limit``, and — when ``done`` is given — have the lead unit's head
    complete it then (and archive it when ``archive``)."""

    def _handled(lead: Unit, instructed: datetime, limit: date, done: datetime | None = None, archive=False):
        time_machine.move_to(instructed.replace(hour=0, minute=1), tick=False)
        document = advance(
            receive(receiving_unit=bureau.office, level=Level.CONFIDENTIAL, basis="来文标注"), S.INSTRUCTION
        )
        time_machine.move_to(instructed, tick=False)
        incoming.incoming_instruct(
            actor=bureau.leader.user, document=document, instruction="请办理。", lead_unit=lead, time_limit=limit
        )
        if done is not None:
            time_machine.move_to(done, tick=False)
            incoming.incoming_complete(actor=lead.head.user, document=document, result="已办理。")
        if archive:
            incoming.incoming_archive(actor=bureau.clerk.user, document=document, retention="10年")
        return document

    return _handled


@pytest.fixture
def march(bureau, handled):
    """The hand-computed month. 预算处 (A) leads 4 documents instructed in March 2026: done on
    10 and 13 March against a 13 March limit (on time), done 20 March against it (late), and one
    instructed at 23:30 on 31 March still in hand. 国库处 (B) leads 2: one instructed ten minutes into
    1 March, both done on time, one of them archived. Outside the period, 预算处 also has one
    instructed at 23:55 on 28 February and one five minutes into 1 April, both done on time."""
    budget, treasury = bureau.budget, bureau.treasury
    handled(budget, at(date(2026, 3, 2)), date(2026, 3, 13), done=at(date(2026, 3, 10)))
    handled(budget, at(date(2026, 3, 3)), date(2026, 3, 13), done=at(date(2026, 3, 13), 17))
    handled(budget, at(date(2026, 3, 4)), date(2026, 3, 13), done=at(date(2026, 3, 20)))
    handled(budget, at(date(2026, 3, 31), 23, 30), date(2026, 4, 10))
    handled(treasury, at(date(2026, 3, 1), 0, 10), date(2026, 3, 13), done=at(date(2026, 3, 12)))
    handled(treasury, at(date(2026, 3, 16)), date(2026, 3, 27), done=at(date(2026, 3, 20)), archive=True)
    handled(budget, at(date(2026, 2, 28), 23, 55), date(2026, 3, 6), done=at(date(2026, 3, 5)))
    handled(budget, at(date(2026, 4, 1), 0, 5), date(2026, 4, 10), done=at(date(2026, 4, 3)))


def figures(person: Person) -> dict[str, tuple[int, int, int, float | None, float | None]]:
    rows = completion_by_unit(user=person.user, start=MARCH[0], end=MARCH[1])
    return {r.unit_name: (r.assigned, r.done, r.done_on_time, r.completion_rate, r.on_time_rate) for r in rows}


def test_completion_by_unit_matches_the_hand_computed_month(bureau, march):
    """GIVEN the hand-computed March (A = 预算处: 4 instructed, 3 done, 2 on time; B = 国库处: 2, 2, 2;
    two more of A's just outside the month) WHEN the 局长 asks for March's figures THEN A is 3/4
    done and 2/4 on time, B 2/2 and 2/2, and nothing else is counted."""
    assert figures(bureau.leader) == {
        "预算处": (4, 3, 2, 0.75, 0.5),
        "国库处": (2, 2, 2, 1.0, 1.0),
    }


def test_the_period_bounds_are_whole_days_in_beijing_time(bureau, march):
    """GIVEN the same documents WHEN the 局长 asks for 1 March alone, then for April THEN 1 March
    holds B's document instructed ten minutes after midnight; April holds A's one of 1 April."""
    day_one = completion_by_unit(user=bureau.leader.user, start=date(2026, 3, 1), end=date(2026, 3, 1))
    april = completion_by_unit(user=bureau.leader.user, start=date(2026, 4, 1), end=date(2026, 4, 30))

    assert [(r.unit_name, r.assigned, r.done, r.done_on_time) for r in day_one] == [("国库处", 1, 1, 1)]
    assert [(r.unit_name, r.assigned, r.done, r.done_on_time) for r in april] == [("预算处", 1, 1, 1)]


def test_figures_count_only_the_documents_the_person_may_see(bureau, march, water):
    """GIVEN the hand-computed March WHEN a member of 预算处 (who cannot see 国库处's documents), the
    head of 国库处, and a person of another organ ask for the figures THEN the 预算处 member gets A's
    row alone, unchanged, the 国库处 head B's alone, and the outsider nothing."""
    _organ, _clerk, outsider = water

    assert figures(bureau.budget_staff) == {"预算处": (4, 3, 2, 0.75, 0.5)}
    assert figures(bureau.treasury_head) == {"国库处": (2, 2, 2, 1.0, 1.0)}
    assert figures(outsider) == {}
    assert completion_by_unit(user=AnonymousUser(), start=MARCH[0], end=MARCH[1]) == []


# --- 压文 -----------------------------------------------------------------------------------------------


def test_the_backlog_lists_documents_stuck_longer_than_the_limit(bureau, receive, advance, time_machine, water):
    """GIVEN on Monday 2 March: one document registered and left there, one completed, one returned,
    one registered and taken in as 办件 only on Monday 9 March; and one registered on 9 March WHEN
    the backlog of more than 5 days is asked for on Tuesday 10 March THEN only the one left since
    2 March is listed (done, returned and recently moved ones are not); more than 10 days lists
    nothing; a person of another organ sees nothing."""
    time_machine.move_to(at(date(2026, 3, 2)), tick=False)
    stuck = advance(receive(title="压在登记环节的来文"), S.REGISTERED)
    advance(receive(), S.DONE)
    advance(receive(), "returned")
    moved = advance(receive(), S.REGISTERED)
    time_machine.move_to(at(date(2026, 3, 9)), tick=False)
    advance(moved, S.PROPOSAL)
    advance(receive(), S.REGISTERED)
    time_machine.move_to(at(date(2026, 3, 10)), tick=False)

    assert list(backlog(user=bureau.clerk.user, older_than_days=5)) == [stuck]
    assert list(backlog(user=bureau.clerk.user, older_than_days=10)) == []
    assert list(backlog(user=water[2].user, older_than_days=5)) == []


def test_the_backlog_grows_as_days_pass(bureau, receive, advance, time_machine):
    """GIVEN a document registered on Monday 2 March WHEN the 5-day backlog is asked for on 6 March
    and again on 9 March THEN it is not yet listed, then it is."""
    time_machine.move_to(at(date(2026, 3, 2)), tick=False)
    document = advance(receive(), S.REGISTERED)

    time_machine.move_to(at(date(2026, 3, 6)), tick=False)
    assert list(backlog(user=bureau.clerk.user, older_than_days=5)) == []
    time_machine.move_to(at(date(2026, 3, 9)), tick=False)
    assert list(backlog(user=bureau.clerk.user, older_than_days=5)) == [document]


# --- The leak matrix -----------------------------------------------------------------------------------


@dataclass
class Matrix:
    documents: dict[str, IncomingDocument]
    people: dict[str, Person]

    def of(self, names: str) -> list[IncomingDocument]:
        return [self.documents[name] for name in names.split()]


@pytest.fixture
def matrix(bureau, receive, advance, water) -> Matrix:
    """Five incoming documents:

    - ``internal``    内部, received by the bureau's 办公室 and registered;
    - ``secret``      机密, received by the bureau's 办公室 and registered;
    - ``assigned``    机密, received by the 办公室, instructed by the 局长 to 预算处 alone;
    - ``circulated``  机密, received by the 办公室 as 阅件, sent round to one reader of 政策研究室;
    - ``elsewhere``   内部, received by 测试市水务局 (another organ).
    """
    water_organ, water_clerk, outsider = water
    office = bureau.office
    classified = {"receiving_unit": office, "level": Level.SECRET, "basis": "来文标注"}
    documents = {
        "internal": advance(receive(receiving_unit=office), S.REGISTERED),
        "secret": advance(receive(**classified), S.REGISTERED),
        "assigned": advance(receive(**classified), S.INSTRUCTION),
        "circulated": advance(receive(**classified), S.CIRCULATING),
        "elsewhere": receive(actor=water_clerk.user, receiving_unit=water_organ),
    }
    incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=documents["assigned"],
        instruction="请预算处办理。",
        lead_unit=bureau.budget,
    )
    incoming.circulation_start(
        actor=bureau.clerk.user, document=documents["circulated"], readers=[bureau.reader], note="请阅"
    )
    people = {
        "outsider": outsider,
        "office_member": make_person(username="fig-office", name="蔡科员", unit=office, clearance=Level.SECRET),
        "office_low": make_person(username="fig-office-low", name="潘科员", unit=office),
        "lead_member": bureau.budget_staff,
        "lead_low": make_person(username="fig-budget-low", name="葛科员", unit=bureau.budget),
        "reader": bureau.reader,
        "not_chosen": bureau.second_reader,
        "other_section_head": bureau.treasury_head,
        "leader": bureau.leader,
        "clerk": bureau.clerk,
    }
    return Matrix(documents=documents, people=people)


EXPECTED = {
    "outsider": "elsewhere",  # another organ: its own internal document, nothing of the bureau's
    "office_low": "internal",  # the receiving unit, but cleared for 内部 only
    "office_member": "internal secret assigned circulated",  # the receiving unit, cleared for 机密
    "clerk": "internal secret assigned circulated",
    "lead_member": "internal assigned",  # the lead unit, after 批示
    "lead_low": "internal",  # the lead unit, cleared for 内部 only
    "reader": "internal circulated",  # a reader, after 传阅
    "not_chosen": "internal",  # the reader's colleague, not sent it
    "other_section_head": "internal",  # a unit not given it
    "leader": "internal assigned",  # the 局长: the one he instructed
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_person_sees_exactly_their_incoming_documents(matrix, who):
    """GIVEN the five documents WHEN each person's visible set is taken THEN it holds exactly the
    documents inside their 知悉范围 and clearance, no more and no fewer."""
    visible = IncomingDocument.objects.visible_to(matrix.people[who].user)

    assert_visible(visible, expected=matrix.of(EXPECTED[who]), universe=matrix.documents.values(), who=who)
    assert_visible(
        incoming_list_visible(user=matrix.people[who].user),
        expected=matrix.of(EXPECTED[who]),
        universe=matrix.documents.values(),
        who=f"{who} (list)",
    )


def test_an_anonymous_caller_sees_no_incoming_document(matrix):
    """GIVEN the five documents WHEN an anonymous caller's visible set and list are taken THEN both are empty."""
    assert_visible(
        IncomingDocument.objects.visible_to(AnonymousUser()), expected=[], universe=matrix.documents.values()
    )
    assert list(incoming_list_visible(user=AnonymousUser())) == []


def test_an_inactive_login_sees_nothing(matrix):
    """GIVEN the 办公室 member's login deactivated WHEN their visible set is taken THEN it is empty."""
    user = matrix.people["office_member"].user
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_visible(IncomingDocument.objects.visible_to(user), expected=[], universe=matrix.documents.values())


def test_the_lead_unit_sees_a_classified_document_only_after_the_instruction(bureau, receive, advance):
    """GIVEN a 机密 document received by the 办公室, at 批示 WHEN the 局长 assigns it to 预算处 THEN a
    member of 预算处 sees it after, not before."""
    document = advance(receive(receiving_unit=bureau.office, level=Level.SECRET, basis="来文标注"), S.INSTRUCTION)
    before = IncomingDocument.objects.visible_to(bureau.budget_staff.user)
    assert_visible(before, expected=[], universe=[document], who="before 批示")

    advance(document, S.HANDLING)

    after = IncomingDocument.objects.visible_to(bureau.budget_staff.user)
    assert_visible(after, expected=[document], universe=[document], who="after 批示")


def test_a_reader_sees_a_classified_document_only_after_it_is_sent_round(bureau, receive, advance):
    """GIVEN a 机密 阅件 received by the 办公室 WHEN it is sent round to a reader of 政策研究室 THEN he
    sees it after, not before."""
    document = advance(receive(receiving_unit=bureau.office, level=Level.SECRET, basis="来文标注"), S.CIRCULATING)
    assert_visible(IncomingDocument.objects.visible_to(bureau.reader.user), expected=[], universe=[document])

    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")

    assert_visible(IncomingDocument.objects.visible_to(bureau.reader.user), expected=[document], universe=[document])


# --- Query count ---------------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_5_and_20_documents(bureau, receive, advance):
    """GIVEN 5, then 20 documents (some sent round to readers) WHEN the 文秘's list is read with what
    a list row shows (unit, 签收人, 传阅中) THEN the number of queries is the same."""

    def grow(n: int) -> None:
        for i in range(n):
            document = advance(receive(title=f"来文{i}", level=Level.SECRET, basis="来文标注"), S.CIRCULATING)
            if i % 2:
                incoming.circulation_start(
                    actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅"
                )

    def queries() -> tuple[int, int]:
        user = get_user_model().objects.select_related("person__unit").get(pk=bureau.clerk.user.pk)
        lineage_of(user.person)  # the unit chain, loaded once per request
        with CaptureQueriesContext(connection) as captured:
            rows = [
                (d.title, d.receiving_unit.name, d.signed_for_by.name, d.circulating)
                for d in incoming_list_visible(user=user)
            ]
        return len(captured), len(rows)

    grow(5)
    small, shown = queries()
    assert shown == 5
    grow(15)
    large, shown = queries()

    assert shown == 20
    assert small == large
