"""The scan reads only what fires now: each open deadline keeps its next fire day (``next_fire_on``),
set by the services that move its due date or stop its clock and moved on by the scan as it claims.

The usual deadline is due Thursday 19 June 2025: 3 working days before is Monday 16 June, 1 before
Wednesday 18 June, overdue from Friday 20 June weekly, 5 working days overdue Thursday 26 June."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from office.reminders import services
from office.reminders.models import Deadline, Reminder, ScanState
from office.workdays.models import CalendarDay, Source
from tests.reminders.conftest import at
from tests.reminders.test_scan import DUE, deliver, walk


def opened(open_deadline, n: int, *, start: date, amount: int = 10, title: str = "来信") -> list[Deadline]:
    return [open_deadline(start=start, amount=amount, unit="calendar_days", title=f"{title}{i}") for i in range(n)]


@pytest.mark.django_db
def test_an_opened_deadline_is_first_read_on_its_earliest_stage_and_then_on_each_next_one(open_deadline, time_machine):
    """GIVEN a deadline due 19 June 2025
    WHEN it is opened, and the scan runs on 16 June and again on 20 June
    THEN it is first due for reading on 16 June (3 working days before); after the 16th's claim on 18
    June (1 before); after the 20th's (overdue, weekly) on 26 June, the very-overdue day."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    assert deadline.next_fire_on == date(2025, 6, 16)

    walk(time_machine, date(2025, 6, 16), date(2025, 6, 16))
    deadline.refresh_from_db()
    assert deadline.next_fire_on == date(2025, 6, 18)

    walk(time_machine, date(2025, 6, 20), date(2025, 6, 20))
    deadline.refresh_from_db()
    assert deadline.next_fire_on == date(2025, 6, 26)


@pytest.mark.django_db
def test_an_extended_deadline_fires_on_its_new_schedule_not_the_old(open_deadline, office, time_machine):
    """GIVEN a deadline due 19 June 2025 whose 3-working-days-before reminder went out on 16 June
    WHEN on 17 June 30 more days are approved (due Monday 21 July)
    THEN its next fire day moves to 16 July, nothing fires on the old 18 June, 19 June or 20 June, and
    the stages fire for 21 July."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    walk(time_machine, date(2025, 6, 16), date(2025, 6, 16))
    time_machine.move_to(at(date(2025, 6, 17)), tick=False)

    deadline = services.deadline_extend(
        actor=office.admin.user, deadline=deadline, amount=30, reason="情况复杂", approved_by=office.leader
    )

    assert (deadline.due_date, deadline.next_fire_on) == (date(2025, 7, 21), date(2025, 7, 16))
    deadline.refresh_from_db()
    assert deadline.next_fire_on == date(2025, 7, 16)
    fired = walk(time_machine, date(2025, 6, 17), date(2025, 7, 22))
    assert fired == {
        date(2025, 7, 16): [("before-3", "rem-handler")],
        date(2025, 7, 18): [("before-1", "rem-handler")],
        date(2025, 7, 21): [("due", "rem-handler")],
        date(2025, 7, 22): [("overdue-1", "rem-handler"), ("overdue-head-1", "rem-head")],
    }


@pytest.mark.django_db
def test_a_suspended_deadline_is_not_read_and_fires_on_its_moved_schedule_once_resumed(
    open_deadline, office, time_machine
):
    """GIVEN a deadline due 19 June 2025, suspended on 12 June (a hearing)
    WHEN the scan runs every morning until 30 June, and the clock restarts on 1 July
    THEN it has no next fire day while stopped and nothing fires; resumed, its due date moves by the
    19 days it was stopped (to 8 July) and it fires 3 working days before that, on 3 July."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    time_machine.move_to(at(date(2025, 6, 12)), tick=False)
    deadline = services.deadline_suspend(
        actor=office.handler.user, deadline=deadline, on=date(2025, 6, 12), reason="听证"
    )
    assert (deadline.suspended, deadline.next_fire_on) == (True, None)

    assert walk(time_machine, date(2025, 6, 12), date(2025, 6, 30)) == {}

    time_machine.move_to(at(date(2025, 7, 1)), tick=False)
    deadline = services.deadline_resume(actor=office.handler.user, deadline=deadline, on=date(2025, 7, 1))
    assert (deadline.due_date, deadline.next_fire_on) == (date(2025, 7, 8), date(2025, 7, 3))
    assert walk(time_machine, date(2025, 7, 1), date(2025, 7, 3)) == {date(2025, 7, 3): [("before-3", "rem-handler")]}


@pytest.mark.django_db
def test_met_and_cancelled_deadlines_have_no_next_fire_day(open_deadline, office):
    """GIVEN two open deadlines
    WHEN one is met and the other cancelled
    THEN neither has a next fire day (the scan's index holds open, running deadlines only)."""
    met, cancelled = opened(open_deadline, 2, start=date(2025, 6, 9))
    met = services.deadline_meet(actor=office.handler.user, deadline=met, on=date(2025, 6, 17))
    cancelled = services.deadline_cancel(actor=office.handler.user, deadline=cancelled, reason="来信人撤回")
    assert met.next_fire_on is None and cancelled.next_fire_on is None
    assert not Deadline.objects.filter(next_fire_on__isnull=False).exists()


@pytest.mark.django_db
def test_a_claimed_stage_is_not_read_again(open_deadline, time_machine):
    """GIVEN a deadline whose due-day reminder the 09:00 tick claimed
    WHEN the plan is made again at 09:01
    THEN the deadline is not read at all (no row selected), and nothing is claimed."""
    open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    time_machine.move_to(at(DUE), tick=False)
    assert len(services.scan()) == 1

    time_machine.move_to(at(DUE) + timedelta(minutes=1), tick=False)
    planned = services.plan(DUE)

    assert planned.moves == [] and planned.due == []
    assert services.scan() == []
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_far_future_deadlines_are_not_read(open_deadline, time_machine):
    """GIVEN 3 deadlines due 19 June 2025 and 40 due in spring 2026
    WHEN the plan for 20 June 2025 is made
    THEN the selection returns the 3 rows that fire that day, none of the 40."""
    near = opened(open_deadline, 3, start=date(2025, 6, 9), title="近")
    opened(open_deadline, 40, start=date(2025, 6, 9), amount=300, title="远")
    time_machine.move_to(at(DUE + timedelta(days=1)), tick=False)
    services.plan(date(2025, 6, 2))  # settles the stages' fingerprint: a refill would not read rows either

    planned = services.plan(DUE + timedelta(days=1))

    assert sorted(move[0] for move in planned.moves) == sorted(deadline.pk for deadline in near)
    assert len(planned.due) == 3 * 2  # overdue-1 to the handler, overdue-head-1 to the section head


@pytest.mark.django_db
def test_the_scan_issues_the_same_number_of_queries_for_5_and_50_deadlines(open_deadline, time_machine):
    """GIVEN 5 deadlines due 19 June 2025 and 50 due 21 July 2025
    WHEN the scan runs on 20 June (5 overdue) and on 22 July (50 overdue, and the 5 weekly again)
    THEN both ticks issue the same number of queries."""
    opened(open_deadline, 5, start=date(2025, 6, 9), title="甲")
    opened(open_deadline, 50, start=date(2025, 7, 11), title="乙")
    time_machine.move_to(at(date(2025, 6, 2)), tick=False)
    assert services.scan() == []  # nothing due yet; the fingerprint is settled

    counts = {}
    for day in (date(2025, 6, 20), date(2025, 7, 22)):
        time_machine.move_to(at(day), tick=False)
        with CaptureQueriesContext(connection) as queries:
            ids = services.scan()
        counts[day] = (len(queries), len(ids))
        deliver(ids)  # else the next tick hands them out again as stale

    assert counts[date(2025, 6, 20)][1] == 5 * 2
    assert counts[date(2025, 7, 22)][1] == 50 * 2 + 5 * 2  # and the first five's overdue-5
    assert counts[date(2025, 6, 20)][0] == counts[date(2025, 7, 22)][0]


@pytest.mark.django_db
def test_a_holiday_entered_after_the_deadline_opened_moves_its_working_day_reminder(open_deadline, time_machine):
    """GIVEN a deadline due Thursday 19 June 2025, opened when Monday 16 June was a working day
    WHEN 16 June is entered as a holiday afterwards (the calendar the stored dates came from changed)
    THEN 3 working days before is Friday 13 June, and that is when the handler hears."""
    open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    CalendarDay.objects.update_or_create(
        date=date(2025, 6, 16), defaults={"is_workday": False, "name": "测试假日", "source": Source.IMPORT}
    )

    fired = walk(time_machine, date(2025, 6, 12), date(2025, 6, 19))

    assert fired == {
        date(2025, 6, 13): [("before-3", "rem-handler")],
        date(2025, 6, 18): [("before-1", "rem-handler")],
        date(2025, 6, 19): [("due", "rem-handler")],
    }


@pytest.mark.django_db
def test_a_deadline_changed_while_the_tick_ran_keeps_the_date_its_service_set(open_deadline, office, time_machine):
    """GIVEN a tick that read a deadline due 19 June on 16 June
    WHEN, before the tick stores where it goes next, the deadline is extended by 30 days
    THEN the extension's next fire day (16 July) stands, not the tick's (18 June, for the old due date)."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    time_machine.move_to(at(date(2025, 6, 16)), tick=False)
    planned = services.plan(date(2025, 6, 16))
    assert [move[0] for move in planned.moves] == [deadline.pk]

    services.deadline_extend(
        actor=office.admin.user, deadline=deadline, amount=30, reason="情况复杂", approved_by=office.leader
    )
    services.move_on(planned.moves)

    deadline.refresh_from_db()
    assert deadline.next_fire_on == date(2025, 7, 16)


@pytest.mark.django_db
def test_the_migration_fills_the_dates_the_services_give(open_deadline, office, time_machine):
    """GIVEN deadlines opened before the column existed (no next fire day), one of them suspended
    WHEN the data migration runs
    THEN each open, running one gets the date the services give it; the suspended one none."""
    running = opened(open_deadline, 3, start=date(2025, 6, 9))
    running.append(open_deadline(start=date(2025, 6, 9), amount=3, unit="months", kind="proposal", title="提案"))
    time_machine.move_to(at(date(2025, 6, 12)), tick=False)
    stopped = services.deadline_suspend(
        actor=office.handler.user, deadline=running.pop(0), on=date(2025, 6, 12), reason="听证"
    )
    expected = {deadline.pk: deadline.next_fire_on for deadline in running}
    assert all(expected.values())
    Deadline.objects.update(next_fire_on=None)
    ScanState.objects.all().delete()

    migration = importlib.import_module("office.reminders.migrations.0003_next_fire")
    migration.fill_next_fire(apps, None)

    assert dict(Deadline.objects.filter(pk__in=expected).values_list("pk", "next_fire_on")) == expected
    assert Deadline.objects.get(pk=stopped.pk).next_fire_on is None
    assert ScanState.objects.get().fingerprint == services.StageDays.load().fingerprint()


@pytest.mark.django_db
def test_deadlines_loaded_by_sql_get_their_next_fire_day_after_migrate(open_deadline):
    """GIVEN open deadlines written without the services (as the bench generator loads them: no next fire day)
    WHEN the post-migrate hook runs
    THEN they get the date the services give; the one that had a date keeps it."""
    loaded = opened(open_deadline, 2, start=date(2025, 6, 9))
    kept = open_deadline(start=date(2025, 7, 11), amount=10, unit="calendar_days", title="已有")
    Deadline.objects.filter(pk__in=[deadline.pk for deadline in loaded]).update(next_fire_on=None)

    services.fill_missing_next_fire()

    assert set(Deadline.objects.filter(pk__in=[d.pk for d in loaded]).values_list("next_fire_on", flat=True)) == {
        date(2025, 6, 16)
    }
    assert Deadline.objects.get(pk=kept.pk).next_fire_on == date(2025, 7, 16)
