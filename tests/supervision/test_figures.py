"""Figures for the dashboards and the annual assessment against a ledger counted by hand, and the leak
matrix of every selector: nobody counts or sees what they may not see."""

from __future__ import annotations

from datetime import date

import pytest

from office.confidentiality.levels import Level
from supervision import selectors, services
from supervision.models import Source
from tests.supervision.conftest import on

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


@pytest.fixture
def ledger(city, open_item, split, finish, today):
    """Seven items opened and split on Monday 2 March (final report only), moved through March:

    ====  ==========  ========  ======  ======  ================================================
    task  source      leader    unit    due     what happens
    ====  ==========  ========  ======  ======  ================================================
    A1    instruction 李市长    发改委  20 Mar  final 18 Mar, accepted — on time
    B1    meeting     —         发改委  10 Mar  final 12 Mar, accepted — late
    C1    instruction 李市长    财政局  13 Mar  nothing — overdue on 25 March
    D1    document    李市长    财政局  16 Mar  returned 13 Mar (new due 20 Mar), final 19 Mar — on time, 1 return
    E1    superior    —         发改委  30 Apr  in hand — not yet expected
    F1    petition    —         财政局  17 Mar  final 17 Mar, accepted — on time
    G1    other       —         发改委  30 Apr  item cancelled — not counted
    ====  ==========  ========  ======  ======  ================================================

    The clock is left on Wednesday 25 March."""

    def task(source, unit, due, leader=None):
        item = open_item(source=source, instructing_leader=leader, cadence="final", due=date(2026, 4, 30))
        [task] = split(item, lead_unit=getattr(city, unit), assisting_units=[], due=due)
        return task

    a1 = task(Source.INSTRUCTION, "ndrc", date(2026, 3, 20), city.leader)
    b1 = task(Source.MEETING, "ndrc", date(2026, 3, 10))
    task(Source.INSTRUCTION, "finance", date(2026, 3, 13), city.leader)
    d1 = task(Source.DOCUMENT, "finance", date(2026, 3, 16), city.leader)
    task(Source.SUPERIOR, "ndrc", date(2026, 4, 30))
    f1 = task(Source.PETITION, "finance", date(2026, 3, 17))
    g1 = task(Source.OTHER, "ndrc", date(2026, 4, 30))
    services.item_cancel(actor=city.supervisor.user, item=g1.item, reason="并入其他事项")

    on(today, date(2026, 3, 12))
    finish(b1)
    on(today, date(2026, 3, 13))
    finish(d1, accept=False, missing="缺少资金拨付凭证", new_due=date(2026, 3, 20))
    on(today, date(2026, 3, 17))
    finish(f1)
    on(today, date(2026, 3, 18))
    finish(a1)
    on(today, date(2026, 3, 19))
    finish(d1)
    on(today, date(2026, 3, 25))


def rows(user, by):
    return [
        (f.label, f.tasks, f.done, f.on_time, f.overdue, f.returned, f.expected, f.on_time_rate)
        for f in selectors.figures(user=user, by=by, **MARCH)
    ]


def test_figures_by_unit(city, ledger):
    """GIVEN the ledger WHEN the figures are read by lead unit THEN 发改委: 3 tasks, 2 done, 1 on time, 2
    expected — 50%; 财政局: 3 tasks, 2 done both on time, 1 overdue, 1 return, 3 expected — 2/3."""
    assert rows(city.supervisor.user, "unit") == [
        ("测试市发展和改革委员会", 3, 2, 1, 0, 0, 2, 1 / 2),
        ("测试市财政局", 3, 2, 2, 1, 1, 3, 2 / 3),
    ]


def test_figures_by_leader(city, ledger):
    """GIVEN the ledger WHEN read by instructing leader THEN 李市长 (A1, C1, D1): 2 of 3 expected on
    time; the items with no leader (B1, E1, F1): 1 of 2 expected on time."""
    assert rows(city.supervisor.user, "leader") == [
        ("李市长", 3, 2, 2, 1, 1, 3, 2 / 3),
        ("（未指定）", 3, 2, 1, 0, 0, 2, 1 / 2),
    ]


def test_figures_by_source(city, ledger):
    """GIVEN the ledger WHEN read by source THEN document 1/1, instruction 1/2, meeting 0/1, petition
    1/1, and the superior organ's task has no rate yet (nothing expected); the cancelled item's
    source does not appear."""
    assert rows(city.supervisor.user, "source") == [
        ("公文办理", 1, 1, 1, 0, 1, 1, 1.0),
        ("领导批示", 2, 1, 1, 1, 0, 2, 1 / 2),
        ("会议决定事项", 1, 1, 0, 0, 0, 1, 0.0),
        ("信访事项", 1, 1, 1, 0, 0, 1, 1.0),
        ("上级交办", 1, 0, 0, 0, 0, 0, None),
    ]


def test_figures_count_only_tasks_assigned_in_the_period(city, ledger):
    """GIVEN the ledger (every task assigned on 2 March) WHEN the period starts on 3 March or ends on
    1 March THEN there is nothing to count."""
    user = city.supervisor.user
    assert selectors.figures(user=user, by="unit", start=date(2026, 3, 3), end=date(2026, 3, 31)) == []
    assert selectors.unit_scores(user=user, start=date(2026, 2, 1), end=date(2026, 3, 1)) == []


def test_unit_scores_for_the_annual_assessment(city, ledger, settings):
    """GIVEN the ledger and 2 points per task on time, −2 per task late or overdue, −1 per return WHEN
    the scores are read THEN 财政局 2×2 − 2 − 1 = 1 comes before 发改委 2 − 2 = 0; WITH 3 / −5 / −2
    THEN 财政局 6 − 5 − 2 = −1 and 发改委 3 − 5 = −2."""
    scores = selectors.unit_scores(user=city.supervisor.user, **MARCH)
    assert [(s.unit_name, s.on_time, s.late, s.returned, s.points) for s in scores] == [
        ("测试市财政局", 2, 1, 1, 1),
        ("测试市发展和改革委员会", 1, 1, 0, 0),
    ]

    settings.SUPERVISION_SCORE_POINTS = {"on_time": 3, "late": -5, "returned": -2}
    scores = selectors.unit_scores(user=city.supervisor.user, **MARCH)
    assert [(s.unit_name, s.points) for s in scores] == [("测试市财政局", -1), ("测试市发展和改革委员会", -2)]


def test_overdue_tasks_lists_what_is_past_due(city, ledger):
    """GIVEN the ledger on 25 March WHEN the overdue list is read THEN only C1 (财政局, due 13 March)."""
    assert [(t.lead_unit.name, t.due) for t in selectors.overdue_tasks(user=city.supervisor.user)] == [
        ("测试市财政局", date(2026, 3, 13))
    ]


# --- The leak matrix -------------------------------------------------------------------------------


@pytest.fixture
def two_items(city, open_item, split, today, settings):
    """On 2 March a 机密 item and an 内部 one, each led by 发改委 alone and due 10 March; the clock is
    then on 12 March (both overdue)."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    secret = open_item(title="涉密督办事项", level=Level.SECRET, basis="《国家秘密目录》第3项", due=date(2026, 3, 10))
    internal = open_item(title="老旧小区改造", due=date(2026, 3, 10))
    for item in (secret, internal):
        split(item, assisting_units=[])
    on(today, date(2026, 3, 12))


def seen(user) -> dict:
    mine = selectors.my_tasks(user=user)
    bulletin = selectors.bulletin_text(user=user, **MARCH)
    return {
        "items": sorted(i.title for i in selectors.items_visible(user=user)),
        "overdue": sorted(t.item.title for t in selectors.overdue_tasks(user=user)),
        "lead": sorted(t.item.title for t in mine.get("lead", [])),
        "figures": sum(f.tasks for f in selectors.figures(user=user, by="unit", **MARCH)),
        "scores": [(s.unit_name, s.late) for s in selectors.unit_scores(user=user, **MARCH)],
        "red": selectors.light_counts(user=user)["red"],
        "bulletin names 发改委": "测试市发展和改革委员会：逾期未办结1项" in bulletin,
    }


NOTHING = {"items": [], "overdue": [], "lead": [], "figures": 0, "scores": [], "red": 0, "bulletin names 发改委": False}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("outsider", NOTHING),  # another city's government, cleared to 机密
        ("finance_head", NOTHING),  # 财政局: not involved in either item (an organ of its own)
        (
            "low",  # 吴科员 in the city's 办公室, cleared to 内部: the 内部 item only (organ-wide)
            {
                "items": ["老旧小区改造"],
                "overdue": ["老旧小区改造"],
                "lead": [],
                "figures": 1,
                "scores": [("测试市发展和改革委员会", 1)],
                "red": 1,
                "bulletin names 发改委": True,
            },
        ),
        (
            "ndrc_head",  # the lead unit's head, cleared to 机密: both (the control)
            {
                "items": ["涉密督办事项", "老旧小区改造"],
                "overdue": ["涉密督办事项", "老旧小区改造"],
                "lead": ["涉密督办事项", "老旧小区改造"],
                "figures": 2,
                "scores": [("测试市发展和改革委员会", 2)],
                "red": 2,
                "bulletin names 发改委": True,  # the bulletin counts the 内部 item only
            },
        ),
    ],
)
def test_every_selector_shows_only_what_the_person_may_see(city, two_items, who, expected):
    """GIVEN a 机密 and an 内部 item led by 发改委, both overdue WHEN the ledger, my tasks, the overdue
    list, the figures, the scores, the light counts and the bulletin text are read by ``who`` THEN
    each holds exactly the items that person may see — nothing at all outside the organ or the
    matter, nothing above one's clearance."""
    assert seen(getattr(city, who).user) == expected


def test_an_inactive_login_sees_nothing(city, two_items):
    """GIVEN 钱主任's login deactivated WHEN his selectors are read THEN nothing, and my tasks is empty."""
    user = city.ndrc_head.user
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert not selectors.items_visible(user=user).exists()
    assert selectors.my_tasks(user=user) == {}
    assert selectors.light_counts(user=user) == {"green": 0, "yellow": 0, "red": 0}
