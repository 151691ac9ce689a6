"""会议 on the desk and the dashboard (the clock frozen on Monday 2 March 2026, 10:00): over meetings and
议题 in every state, each item on a person's desk offers its section's step and the service takes
exactly the offered ones; every record offering a desk step is on the desk; the desk's query count
does not grow with the meetings; someone outside sees nothing; the tiles are the hand counts of what
one sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import services
from meetings.dashboard import MeetingFigures
from meetings.desk import MEETING_SECTIONS, TOPIC_SECTIONS, MeetingProvider, meeting_sections, topic_sections
from meetings.models import Attendee, Decision, Meeting, MeetingState, Reply, Topic, TopicState
from meetings.rules import MEETING, TOPIC
from office.confidentiality.levels import Level
from office.dashboard import registry
from office.dashboard.registry import Scope
from office.desk import providers
from supervision.models import ItemState
from tests.meetings.conftest import next_monday
from tests.meetings.test_offered_accepted import meeting_attempt, meetings_in_every_state
from tests.meetings.test_offered_accepted_topics import topic_attempt, topics_in_every_state
from tests.supervision.conftest import open_item  # noqa: F401  (the fixture)
from tests.workflow.harness import accepted

pytestmark = pytest.mark.django_db

SECTIONS = {
    Meeting: {key: steps for key, _label, steps in MEETING_SECTIONS},
    Topic: {key: steps for key, _label, steps in TOPIC_SECTIONS},
}
MACHINES = {Meeting: MEETING, Topic: TOPIC}


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def _people(mc):
    return [
        mc.mayor,
        mc.vice_mayor,
        mc.officer,
        mc.officer_low,
        mc.secretary,
        mc.supervisor,
        mc.ndrc_head,
        mc.ndrc_staff,
        mc.finance_head,
        mc.low,
        mc.outsider,
    ]


@pytest.fixture
def records(meeting_city, make_meeting) -> dict[str, Meeting | Topic]:
    """Meetings 筹备中 (empty, ready to notify, 涉密), 已通知 (coming, begun), 已召开, 纪要已印发 (with and without
    a numbered copy still out), 已归档, 已取消 and 议题 in every state (tests/meetings/test_offered_accepted.py
    builds most of them through the services)."""
    mc = meeting_city
    found: dict[str, Meeting | Topic] = dict(meetings_in_every_state(mc, make_meeting))
    officer = mc.officer.user
    out = make_meeting(
        attendees=[mc.ndrc_head],
        title="材料未清退的涉密会议",
        starts_at=timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0),
        room=mc.secure_room,
        classification=Level.SECRET,
        classification_basis="国家秘密目录第3项",
    )
    services.meeting_notify(actor=officer, meeting=out)
    material = services.material_add(actor=officer, meeting=out, title="关于预算调整的汇报", pages=8)
    services.material_issue(actor=officer, material=services.material_check(actor=officer, material=material))
    services.venue_check(actor=officer, meeting=out)  # 涉密: the 保密检查 before it is held
    services.meeting_hold(actor=officer, meeting=out)
    Meeting.objects.filter(pk=out.pk).update(state=MeetingState.MINUTED)  # as the 纪要's 核发 leaves it
    found["copies-out"] = Meeting.objects.get(pk=out.pk)
    found.update({f"topic-{name}": topic for name, topic in topics_in_every_state(meeting_city, make_meeting).items()})
    return found


def _attempt_for(mc):
    meeting_step, topic_step = meeting_attempt(mc), topic_attempt(mc)

    def attempt(step: str, user, record) -> None:
        if isinstance(record, Topic):
            topic_step(step, user, record)
        elif step == "draft_minutes":
            services.minutes_draft(actor=user, meeting=record)
        elif step == "close":
            services.meeting_close(actor=user, meeting=record)
        else:
            meeting_step(step, user, record)

    return attempt


def _desk(user) -> dict[tuple[type, str], set[int]]:
    found: dict[tuple[type, str], set[int]] = {}
    for item in MeetingProvider().waiting(user):
        found.setdefault((type(item.record), item.section), set()).add(item.record.pk)
    return found


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


def test_every_item_on_the_desk_offers_its_steps_and_the_service_takes_them(meeting_city, records):
    """GIVEN meetings and 议题 in every state WHEN each person's desk lists his 会议 work THEN each item
    offers one of its section's steps, of those steps the service takes exactly the offered ones, and
    the record is one he may see; every section that can have work has some."""
    attempt = _attempt_for(meeting_city)
    seen = set()
    for person in _people(meeting_city):
        user = person.user
        for item in providers.provider("meetings").waiting(user):
            record = _fresh(item.record)
            offered = MACHINES[type(record)].offered(user, record)
            assert tuple(item.steps) == SECTIONS[type(record)][item.section]
            assert set(item.steps) & set(offered), f"{person.name}: {item.section} {item.title} ({offered})"
            for step in item.steps:
                took = accepted(attempt, step, user, _fresh(record))
                assert took == (step in offered), f"{person.name}: {item.section} {item.title} {step}"
            assert type(record).objects.visible_to(user).filter(pk=record.pk).exists()
            seen.add(item.section)
    assert seen == set(SECTIONS[Meeting]) | set(SECTIONS[Topic])


def _owed(user, record, step: str) -> bool:
    """Whether an offered desk step is work he owes, not only something he may do: a meeting already
    notified may be notified again (after a change), an attendee who has answered may answer again,
    and a 拟报 议题 is the unit's own draft (on its 我申报 tab) — the desk lists the returned ones."""
    if isinstance(record, Meeting):
        if step == "notify":
            return record.state == MeetingState.PLANNED
        if step == "reply":
            person = user.person
            return record.attendees.filter(person=person, reply=Reply.PENDING).exists()
        return True
    if step in ("edit", "submit"):
        return record.state == TopicState.RETURNED
    return True


def test_every_record_offering_a_desk_step_is_on_the_desk(meeting_city, records):
    """GIVEN meetings and 议题 in every state WHEN anyone is offered a desk step on a record he sees THEN
    the record is in that step's section of his desk."""
    for person in _people(meeting_city):
        user = person.user
        desk = _desk(user)
        for model in (Meeting, Topic):
            section_of = {step: key for key, steps in SECTIONS[model].items() for step in steps}
            for record in model.objects.visible_to(user):
                record = _fresh(record)
                for step in set(MACHINES[model].offered(user, record)) & set(section_of):
                    if _owed(user, record, step):
                        section = section_of[step]
                        assert record.pk in desk.get((model, section), set()), f"{person.name}: {record.title} {step}"


def test_each_person_finds_the_work_that_is_his(meeting_city, records):
    """GIVEN the records WHEN the 会务员s, the invited 钱主任, the 分管领导 and the 主要领导 open the desk
    THEN 周会务 finds 发通知 (the 涉密 one too), 召开, 起草纪要, 归档 (not while a copy is out) and the approved
    议题 to place; 何会务
    (内部) the same without the 涉密 meeting; 钱主任 his 回执 and the returned 议题; 李市长 the 报送 议题
    to 审核; 刘市长 the 审核 one to 定题."""
    mc, r = meeting_city, records
    officer = _desk(mc.officer.user)
    # the 议题 builder's 3月16日 meeting has its placed 议题's 汇报人 invited: ready to notify too
    target = r["topic-placed"].meeting_id
    assert officer[(Meeting, "notify")] == {r["ready"].pk, r["secret"].pk, target}
    assert officer[(Meeting, "hold")] == {r["begun"].pk}
    assert officer[(Meeting, "minutes")] == {r["held"].pk}
    assert officer[(Meeting, "close")] == {r["minuted"].pk}
    assert officer[(Topic, "place")] == {r["topic-approved"].pk}
    low = _desk(mc.officer_low.user)
    assert low[(Meeting, "notify")] == {r["ready"].pk, target}
    assert low[(Topic, "place")] == {r["topic-approved"].pk}
    ndrc = _desk(mc.ndrc_head.user)
    assert ndrc[(Meeting, "reply")] == {r["ready"].pk, r["secret"].pk, r["notified"].pk, target}
    assert ndrc[(Topic, "revise")] == {r["topic-returned"].pk}
    assert _desk(mc.vice_mayor.user)[(Topic, "review")] == {r["topic-submitted"].pk}
    mayor = _desk(mc.mayor.user)
    assert mayor[(Topic, "approve")] == {r["topic-reviewed"].pk}
    assert (Topic, "revise") not in mayor  # the city government is not inside 发改委


def _add_work(mc, make_meeting, n: int) -> None:
    """``n`` meetings for each of 发通知, 召开, 起草纪要 (钱主任 invited to these) and 归档, and ``n`` 议题 报送."""
    officer = mc.officer.user
    begun_at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for i in range(n):
        make_meeting(attendees=[mc.ndrc_head], title=f"待发通知（{i}）", starts_at=next_monday() + timedelta(days=i))
        begun = make_meeting(attendees=[mc.ndrc_head], title=f"待召开（{i}）", starts_at=begun_at)
        services.meeting_notify(actor=officer, meeting=begun)
        held = make_meeting(attendees=[mc.ndrc_head], title=f"待起草纪要（{i}）", starts_at=begun_at)
        services.meeting_hold(actor=officer, meeting=services.meeting_notify(actor=officer, meeting=held))
        make_meeting(title=f"待归档（{i}）", starts_at=begun_at - timedelta(days=7), state=MeetingState.MINUTED)
        topic = services.topic_create(
            actor=mc.ndrc_head.user,
            meeting_type=mc.type(),
            title=f"报送的议题（{i}）",
            summary="提请会议研究。",
            unit=mc.ndrc,
            presenter=mc.ndrc_head,
            reviewing_leader=mc.vice_mayor,
            consultation="已征求有关部门意见，均无异议。",
            agreed=True,
            wished_on=timezone.localdate() + timedelta(days=30),
            organ=mc.organ,
        )
        services.topic_submit(actor=mc.ndrc_head.user, topic=topic)


def test_the_desk_is_a_fixed_number_of_queries_whatever_the_meetings(meeting_city, make_meeting):
    """GIVEN two meetings waiting in each of the 会务员's sections (and two 议题 to 审核) WHEN four more of
    each are added THEN four more wait for 周会务, 钱主任 and 李市长 and their desks take the same number
    of queries."""
    mc = meeting_city
    provider = MeetingProvider()
    users = (mc.officer.user, mc.ndrc_head.user, mc.vice_mayor.user)

    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            provider.waiting(user)
        return len(queries)

    _add_work(mc, make_meeting, 2)
    before = [(len(provider.waiting(u)), count(u)) for u in users]
    assert [n for n, _queries in before] == [8, 2, 2]  # 发通知, 召开, 起草纪要, 归档 · 回执 (coming ones) · 审核
    _add_work(mc, make_meeting, 4)
    after = [(len(provider.waiting(u)), count(u)) for u in users]
    assert after == [(n * 3, q) for n, q in before]


def test_an_outsider_has_nothing_on_the_desk_and_counts_nothing(meeting_city, records):
    """GIVEN the records WHEN 郑科员 of another city and 吴科员 of the 办公室 (no role, 内部, owing no step)
    open the desk THEN no 会议 work waits; 郑科员's tiles are zeros and empty rates."""
    for person in (meeting_city.outsider, meeting_city.low):
        user = person.user
        assert all(not qs.exists() for qs in meeting_sections(user).values())
        assert all(not qs.exists() for qs in topic_sections(user).values())
        assert MeetingProvider().waiting(user) == []
    today = timezone.localdate()
    scope = Scope(user=meeting_city.outsider.user, start=today.replace(month=1, day=1), end=today)
    assert [(p.key, p.value) for p in MeetingFigures().panels(scope)] == [
        ("meetings-week", 0),
        ("meetings-topics-waiting", 0),
        ("meetings-decisions-done", 0),
        ("meetings-held", 0),
    ]


# --- the dashboard ------------------------------------------------------------------------------------


@pytest.fixture
def figures(meeting_city, records, open_item):  # noqa: F811
    """The records, with the held meeting's attendance taken (刘市长 signed in, 周局长 on leave, 钱主任
    absent: 1 / 2) and the 纪要已印发 one's three 议定事项 (an item 办结, an item in hand, none yet)."""
    mc = meeting_city
    held, minuted = records["held"], records["minuted"]
    Attendee.objects.create(meeting=held, person=mc.mayor, checked_in_at=timezone.now())
    Attendee.objects.create(meeting=held, person=mc.finance_head, reply=Reply.LEAVE, reason="出差")
    for number, state in ((1, ItemState.DONE), (2, ItemState.ASSIGNED), (3, None)):
        item = None
        if state is not None:
            item = open_item(title=f"议定事项{number}")
            item.state = state
            item.save(update_fields=["state"])
        Decision.objects.create(
            meeting=minuted,
            number=number,
            text="事项",
            lead_unit=mc.ndrc,
            due=timezone.localdate() + timedelta(days=30),
            item=item,
        )
    return records


def _percent(part: float | None) -> str:
    return "—" if part is None else f"{round(100 * part, 1)}%"


def _hand_counts(user, year: int) -> dict:
    """Counted one record at a time over what ``user`` may see."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    seen_meetings = [m for m in Meeting.objects.all() if Meeting.objects.visible_to(user).filter(pk=m.pk).exists()]
    seen_topics = [t for t in Topic.objects.all() if Topic.objects.visible_to(user).filter(pk=t.pk).exists()]
    held = [
        m
        for m in seen_meetings
        if m.year == year and m.state in (MeetingState.HELD, MeetingState.MINUTED, MeetingState.CLOSED)
    ]
    rates = []
    for meeting in held:
        rows = [a for a in Attendee.objects.filter(meeting=meeting) if a.role != "staff"]
        expected = len([a for a in rows if a.reply != Reply.LEAVE])
        if expected:
            rates.append(len([a for a in rows if a.checked_in_at is not None]) / expected)
    decisions = [d for d in Decision.objects.all() if d.meeting in held and d.item_id is not None]
    done = [d for d in decisions if d.item.state == ItemState.DONE]
    return {
        "week": sum(
            monday <= timezone.localtime(m.starts_at).date() <= monday + timedelta(days=6)
            and m.state != MeetingState.CANCELLED
            for m in seen_meetings
        ),
        "topics": sum(t.state in (TopicState.SUBMITTED, TopicState.REVIEWED) for t in seen_topics),
        "done": len(done),
        "held": len(held),
        "decisions": _percent(round(len(done) / len(decisions), 4) if decisions else None),
        "attendance": _percent(round(sum(rates) / len(rates), 4) if rates else None),
    }


def test_the_tiles_are_the_hand_counts_of_what_the_person_sees(meeting_city, figures):
    """GIVEN the records, one meeting's attendance taken and another's 议定事项 with their items WHEN the
    会务员s, 钱主任 and the 主要领导 open the dashboard THEN 本周会议, 待定题议题, 议定事项落实率 and 出席率
    are what one counts by hand over the records each may see; the live-only read answers no panel."""
    mc = meeting_city
    today = timezone.localdate()
    for person in (mc.officer, mc.officer_low, mc.ndrc_head, mc.mayor, mc.vice_mayor):
        user = person.user
        scope = Scope(user=user, start=today.replace(month=1, day=1), end=today)
        expected = _hand_counts(user, today.year)
        panels = {p.key: p for p in MeetingFigures().panels(scope)}
        assert all(isinstance(p, registry.Tile) for p in panels.values())
        assert {key: p.value for key, p in panels.items()} == {
            "meetings-week": expected["week"],
            "meetings-topics-waiting": expected["topics"],
            "meetings-decisions-done": expected["done"],
            "meetings-held": expected["held"],
        }, person.name
        assert f"落实率{expected['decisions']}" in panels["meetings-decisions-done"].hint, person.name
        assert f"出席率{expected['attendance']}" in panels["meetings-held"].hint, person.name
        assert MeetingFigures().panels(Scope(user=user, start=scope.start, end=scope.end, live_only=True)) == []
    # 周会务 sees them all: this week's six (begun, held, minuted, copies out, closed: today; the 3月5日 常务会议),
    # the 报送 and 审核 议题, one of two items 办结, and attendance (1/2 + 0 + 0 + 0) / 4 (钱主任 invited to
    # each, signed in at none).
    panels = MeetingFigures().panels(Scope(user=mc.officer.user, start=today, end=today))
    officer = {p.key: (p.value, p.hint) for p in panels}
    assert officer["meetings-week"][0] == 6 and officer["meetings-topics-waiting"][0] == 2
    assert officer["meetings-decisions-done"] == (1, "落实率50.0%（办结 1 / 转督办 2）")
    assert officer["meetings-held"][1] == "出席率12.5%"


def test_the_organisation_wide_scope_counts_every_meeting(meeting_city, figures):
    """GIVEN the records WHEN the organisation-wide figures are computed (no reader) THEN 本周会议 and
    待定题议题 count every meeting and 议题, and the reader's rates are left out."""
    today = timezone.localdate()
    scope = Scope(user=None, start=today, end=today, whole=True)
    panels = [(p.key, p.value) for p in MeetingFigures().panels(scope)]
    assert panels == [("meetings-week", 6), ("meetings-topics-waiting", 2)]
