"""Warning lights at their boundaries, with the clock moved: green; yellow from exactly 3 working days
before the due date (weekends and holidays do not count) or when an expected report is missing; red
the day after the due date; an item shows its worst task, an unsplit item its own due date; nothing
once done or cancelled."""

from __future__ import annotations

from datetime import date

import pytest

from supervision import selectors, services
from supervision.models import Light
from tests.supervision.conftest import on


def task_light(task) -> str:
    return selectors.with_task_light(type(task).objects.filter(pk=task.pk)).get().light


def item_light(city, item) -> str:
    return selectors.items_visible(user=city.supervisor.user).get(pk=item.pk).light


@pytest.mark.parametrize(
    ("day", "due", "light"),
    [
        (date(2026, 3, 2), date(2026, 3, 5), Light.YELLOW),  # Mon → Thu: 3 working days
        (date(2026, 3, 2), date(2026, 3, 6), Light.GREEN),  # Mon → Fri: 4 working days
        (date(2026, 3, 5), date(2026, 3, 10), Light.YELLOW),  # Thu → Tue over a weekend: 3 working days
        (date(2026, 3, 5), date(2026, 3, 11), Light.GREEN),  # Thu → Wed: 4 working days
        (date(2026, 4, 1), date(2026, 4, 7), Light.YELLOW),  # Wed → Tue over 清明 (4–6 April): Thu, Fri, Tue
        (date(2026, 4, 1), date(2026, 4, 8), Light.GREEN),
        (date(2026, 3, 10), date(2026, 3, 10), Light.YELLOW),  # the due date itself
        (date(2026, 3, 11), date(2026, 3, 10), Light.RED),  # the day after
    ],
)
def test_a_tasks_light_at_its_boundaries(city, open_item, split, today, day, due, light):
    """GIVEN a task (final cadence) due ``due`` WHEN the clock reads ``day`` THEN its light and its
    item's are ``light``."""
    item = open_item(cadence="final", due=date(2026, 4, 30))
    [task] = split(item, due=due)
    on(today, day)

    assert task_light(task) == light
    assert item_light(city, item) == light


def test_a_missing_report_turns_the_light_yellow_until_it_comes(city, open_item, split, today):
    """GIVEN a monthly task due 29 May (first report due Thursday 2 April) WHEN it is 2 April THEN
    green; on 3 April with no report THEN yellow; WHEN 发改委 reports that day THEN green again."""
    [task] = split(open_item(), due=date(2026, 5, 29))

    on(today, date(2026, 4, 2))
    assert task_light(task) == Light.GREEN
    on(today, date(2026, 4, 3))
    assert task_light(task) == Light.YELLOW

    services.task_report(actor=city.ndrc_head.user, task=task, text="按计划推进", percent=40)
    assert task_light(task) == Light.GREEN


def test_a_missed_milestone_turns_the_light_yellow(city, open_item, split, today):
    """GIVEN a task due 29 May with a milestone on Friday 20 March WHEN it is 20 March THEN green; on
    Saturday 21 March with the milestone not reported THEN yellow."""
    [task] = split(open_item(cadence="milestone"), due=date(2026, 5, 29), milestones=[("完成方案", date(2026, 3, 20))])

    on(today, date(2026, 3, 20))
    assert task_light(task) == Light.GREEN
    on(today, date(2026, 3, 21))
    assert task_light(task) == Light.YELLOW


def test_an_item_shows_its_worst_task(city, open_item, split, today):
    """GIVEN an item with a green task (due 30 April), a yellow one (due Thursday 5 March) and, later,
    a red one WHEN it is Monday 2 March THEN the item is yellow; on 6 March (the second task a day
    overdue) THEN red."""
    item = open_item(cadence="final", due=date(2026, 4, 30))
    split(item, due=date(2026, 4, 30))
    split(item, lead_unit=city.finance, assisting_units=[], due=date(2026, 3, 5))

    assert item_light(city, item) == Light.YELLOW
    on(today, date(2026, 3, 6))
    assert item_light(city, item) == Light.RED
    assert sorted(t.light for t in selectors.item_tasks(item)) == [Light.GREEN, Light.RED]


def test_an_unsplit_item_shows_its_own_due_date(city, open_item, today):
    """GIVEN an item due Tuesday 17 March, not yet split WHEN it is Wednesday 11 March THEN green; on
    Thursday 12 March (3 working days: 13, 16, 17) THEN yellow; on 18 March THEN red."""
    item = open_item()
    assert item.due == date(2026, 3, 17)

    on(today, date(2026, 3, 11))
    assert item_light(city, item) == Light.GREEN
    on(today, date(2026, 3, 12))
    assert item_light(city, item) == Light.YELLOW
    on(today, date(2026, 3, 18))
    assert item_light(city, item) == Light.RED


def test_done_and_cancelled_have_no_light(city, open_item, split, finish, today):
    """GIVEN an item done on 6 March and another cancelled, both due 10 March WHEN it is 20 March THEN
    neither shows a light, and the dashboard counts neither."""
    done = open_item(due=date(2026, 3, 10))
    [task] = split(done)
    on(today, date(2026, 3, 6))
    finish(task)
    cancelled = open_item(due=date(2026, 3, 10))
    services.item_cancel(actor=city.supervisor.user, item=cancelled, reason="情况变化")

    on(today, date(2026, 3, 20))
    assert item_light(city, done) == item_light(city, cancelled) == Light.NONE
    assert task_light(task) == Light.NONE
    assert selectors.light_counts(user=city.supervisor.user) == {"green": 0, "yellow": 0, "red": 0}


def test_the_ledger_filters_and_counts_by_light(city, open_item, split, today):
    """GIVEN on 2 March an item due 30 April, one due 5 March and an unsplit one due Tuesday 17 March
    WHEN it is Thursday 12 March THEN the first is green, the second red, the third yellow — the
    ledger filters on each light and the dashboard counts one of each."""
    green = open_item(cadence="final", due=date(2026, 4, 30))
    split(green, due=date(2026, 4, 30))
    red = open_item(due=date(2026, 3, 5))
    split(red)
    yellow = open_item()

    on(today, date(2026, 3, 12))
    user = city.supervisor.user
    assert [i.pk for i in selectors.items_visible(user=user, filters={"light": "red"})] == [red.pk]
    assert [i.pk for i in selectors.items_visible(user=user, filters={"light": "yellow"})] == [yellow.pk]
    assert [i.pk for i in selectors.items_visible(user=user, filters={"light": "green"})] == [green.pk]
    assert selectors.light_counts(user=user) == {"green": 1, "yellow": 1, "red": 1}
