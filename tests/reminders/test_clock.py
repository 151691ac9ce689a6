"""The deadline clock: due dates by the Civil Code's rules over the 2025 working-day calendar,
suspensions, the 补正 restart, capped extensions, closing, and the history every change leaves.

A suspension or an extension is recorded while the period runs (tests/reminders/test_clock_refusals.py
pins the refusals once it has run out), so those tests travel to the day it is recorded.

The expected dates are counted by hand in each test's comments (2025: 清明 4–6 April, 国庆/中秋
1–8 October with Sun 28 September and Sat 11 October worked)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from office.reminders import services
from office.reminders.models import DeadlineEvent, DeadlineState, Extension
from office.workflow import TransitionNotAllowed
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def history(deadline):
    """The deadline's history as a person reads it: (action, due before, due after)."""
    return list(deadline.events.order_by("at", "id").values_list("action", "due_before", "due_after"))


def refreshed(deadline):
    deadline.refresh_from_db()
    return deadline


# --- The base period ----------------------------------------------------------------------------


def test_sixty_calendar_days_ending_in_the_national_day_holiday_roll_to_the_next_working_day(open_deadline):
    """GIVEN a petition accepted on Monday 4 August 2025, to be handled within 60 days
    WHEN its deadline is opened
    THEN the 60th day is Friday 3 October, inside the National Day holiday (1–8 October), so the deadline
    is Thursday 9 October, the first working day after it, and the derivation says so."""
    # 4 Aug not counted; 27 days to 31 Aug, 30 in September, 3 in October: 60 → 3 October.
    deadline = open_deadline(kind="petition", start=date(2025, 8, 4), amount=60, unit="calendar_days")

    assert deadline.due_date == date(2025, 10, 9)
    assert deadline.calendar_complete is True
    assert "60日期间的最后一日为2025年10月3日" in deadline.derivation
    assert "顺延至休息日结束的次日2025年10月9日" in deadline.derivation
    assert deadline.derivation.endswith("期限届满日为2025年10月9日。")


def test_twenty_working_days_skip_the_national_day_holiday_and_count_its_make_up_days(open_deadline):
    """GIVEN a disclosure request received on Friday 19 September 2025 (answer within 20 working days)
    WHEN its deadline is opened
    THEN the count skips the eight holiday days but counts the make-up days Sunday 28 September and
    Saturday 11 October: the deadline is Thursday 23 October (without the make-up days it would be 27 October)."""
    # 22–26 Sep: 1–5; Sun 28 Sep: 6; 29–30 Sep: 7–8; 1–8 Oct holiday; 9–10 Oct: 9–10; Sat 11 Oct: 11;
    # 13–17 Oct: 12–16; 20–23 Oct: 17–20.
    deadline = open_deadline(kind="disclosure", start=date(2025, 9, 19), amount=20, unit="working_days")

    assert deadline.due_date == date(2025, 10, 23)
    assert "第20个工作日为2025年10月23日" in deadline.derivation
    assert deadline.calendar_complete is True


@pytest.mark.parametrize(
    ("start", "last_day"),
    [(date(2025, 1, 31), date(2025, 2, 28)), (date(2024, 1, 31), date(2024, 2, 29))],
    ids=["2025-common-year", "2024-leap-year"],
)
def test_a_month_from_the_31st_of_january_ends_on_the_last_day_of_february(open_deadline, start, last_day):
    """GIVEN a period of one month starting on 31 January
    WHEN its deadline is opened
    THEN February has no 31st, so the period ends on February's last day (the 28th, or the 29th in a
    leap year), a working day, citing §202."""
    deadline = open_deadline(kind="proposal", start=start, amount=1, unit="months")

    assert deadline.due_date == last_day
    assert "第二百零二条" in deadline.derivation


def test_a_clock_running_into_an_unpublished_year_counts_weekends_only_and_warns(open_deadline):
    """GIVEN no 2027 holiday arrangement in the calendar (the State Council has not published it)
    WHEN a 60-day period is opened on 1 December 2026
    THEN its 60th day, Saturday 30 January 2027, moves past the weekend to Monday 1 February, and the
    deadline is flagged incomplete with a derivation saying 2027 is not entered yet."""
    deadline = open_deadline(start=date(2026, 12, 1), amount=60, unit="calendar_days")

    assert deadline.due_date == date(2027, 2, 1)
    assert deadline.calendar_complete is False
    assert "2027年的节假日安排尚未录入" in deadline.derivation


# --- Suspensions ----------------------------------------------------------------------------------


def test_a_correction_request_stops_the_clock_and_the_correction_restarts_it(open_deadline, office, time_machine):
    """GIVEN a disclosure request received Monday 3 March 2025, due in 20 working days (31 March)
    WHEN the office asks for a correction (补正) on 5 March and the correction arrives on Friday 14 March
    THEN while waiting there is no due date; once it arrives the 20 working days start again from
    14 March, ending on 14 April (清明 4 April skipped), and the derivation says the period restarted."""
    deadline = open_deadline(kind="disclosure", start=date(2025, 3, 3), amount=20, unit="working_days")
    assert deadline.due_date == date(2025, 3, 31)

    time_machine.move_to(at(date(2025, 3, 5)), tick=False)
    services.deadline_suspend(
        actor=office.handler.user,
        deadline=deadline,
        on=date(2025, 3, 5),
        reason="申请内容不明确，告知补正",
        restarts_clock=True,
    )
    waiting = refreshed(deadline)
    assert waiting.suspended is True
    assert waiting.due_date is None
    assert "中止" in waiting.derivation

    time_machine.move_to(at(date(2025, 3, 14)), tick=False)
    services.deadline_resume(actor=office.handler.user, deadline=deadline, on=date(2025, 3, 14), reason="收到补正")

    # 17–21 Mar: 1–5; 24–28 Mar: 6–10; 31 Mar–3 Apr: 11–14; 4 Apr 清明; 7–11 Apr: 15–19; 14 Apr: 20.
    resumed = refreshed(deadline)
    assert resumed.suspended is False
    assert resumed.due_date == date(2025, 4, 14)
    assert "2025年3月14日收到后重新起算" in resumed.derivation
    assert resumed.derivation.endswith("期限届满日为2025年4月14日。")


def test_time_waiting_for_a_third_party_is_not_counted(open_deadline, office, time_machine):
    """GIVEN a disclosure request received Monday 3 March 2025, due in 20 working days (31 March)
    WHEN a third party is consulted from Monday 10 March and answers on Monday 24 March
    THEN the ten working days of 10–21 March are added back: the deadline moves to Tuesday 15 April."""
    deadline = open_deadline(kind="disclosure", start=date(2025, 3, 3), amount=20, unit="working_days")

    time_machine.move_to(at(date(2025, 3, 10)), tick=False)
    services.deadline_suspend(
        actor=office.handler.user, deadline=deadline, on=date(2025, 3, 10), reason="征求第三方意见"
    )
    services.deadline_resume(actor=office.handler.user, deadline=deadline, on=date(2025, 3, 24), reason="第三方答复")

    # Counted: 4–7 Mar (4); paused 10–21 Mar; 24–28 Mar (9); 31 Mar–3 Apr (13); 4 Apr 清明;
    # 7–11 Apr (18); 14–15 Apr (20).
    deadline = refreshed(deadline)
    assert deadline.due_date == date(2025, 4, 15)
    assert "不计入期限，顺延10个工作日至2025年4月15日" in deadline.derivation


def test_a_hearing_in_a_calendar_day_period_moves_the_last_day_only_by_the_days_it_took(
    open_deadline, office, time_machine
):
    """GIVEN a petition accepted Monday 4 August 2025 (60 days: 3 October, in the holiday, so 9 October)
    WHEN a hearing stops the clock from 11 August until 16 August (five days not counted)
    THEN the 60 counted days end on 8 October, still in the holiday, so the deadline stays Thursday
    9 October: the holiday roll-forward is applied to the real last day, not added on top of the pause."""
    deadline = open_deadline(kind="petition", start=date(2025, 8, 4), amount=60, unit="calendar_days")

    time_machine.move_to(at(date(2025, 8, 11)), tick=False)
    services.deadline_suspend(actor=office.handler.user, deadline=deadline, on=date(2025, 8, 11), reason="听证")
    services.deadline_resume(actor=office.handler.user, deadline=deadline, on=date(2025, 8, 16))

    # Counted: 5–10 Aug (6 days); paused 11–15 Aug; from 16 Aug the 7th day … 8 Oct the 60th.
    deadline = refreshed(deadline)
    assert deadline.due_date == date(2025, 10, 9)
    assert "不计入期限，顺延5日至2025年10月8日" in deadline.derivation
    assert deadline.derivation.endswith("期限届满日为2025年10月9日。")


# --- Extensions -----------------------------------------------------------------------------------


def test_a_petition_is_extended_once_by_at_most_thirty_days(open_deadline, office, time_machine):
    """GIVEN a petition accepted Monday 2 June 2025, due Friday 1 August (60 days)
    WHEN the head approves 31 days, then 30 days, then asks for another day
    THEN 31 days are refused (the cap is 30) and change nothing; 30 days move the deadline to Sunday
    31 August, so Monday 1 September; a second extension is refused (only one is allowed)."""
    deadline = open_deadline(kind="petition", start=date(2025, 6, 2), amount=60, unit="calendar_days")
    assert deadline.due_date == date(2025, 8, 1)
    time_machine.move_to(at(date(2025, 7, 25)), tick=False)

    with pytest.raises(ValidationError) as too_long:
        services.deadline_extend(
            actor=office.admin.user, deadline=deadline, amount=31, reason="案情复杂", approved_by=office.leader
        )
    assert "延期合计不得超过30日" in str(too_long.value)
    assert refreshed(deadline).due_date == date(2025, 8, 1)
    assert not Extension.objects.filter(deadline=deadline).exists()

    services.deadline_extend(
        actor=office.admin.user, deadline=deadline, amount=30, reason="案情复杂", approved_by=office.leader
    )
    assert refreshed(deadline).due_date == date(2025, 9, 1)
    assert "经批准延长30日（案情复杂），至2025年9月1日" in deadline.derivation

    with pytest.raises(ValidationError) as second:
        services.deadline_extend(
            actor=office.admin.user, deadline=deadline, amount=1, reason="再延一天", approved_by=office.leader
        )
    assert "最多延期1次" in str(second.value)
    assert refreshed(deadline).due_date == date(2025, 9, 1)
    assert Extension.objects.filter(deadline=deadline).count() == 1


def test_a_disclosure_extension_is_counted_in_working_days(open_deadline, office, time_machine):
    """GIVEN a disclosure request received Monday 2 June 2025, due Monday 30 June (20 working days)
    WHEN an extension of 20 calendar days is asked for, then one of 20 working days
    THEN calendar days are refused (the rule's cap is in working days) and the deadline is unchanged;
    20 working days move it to Monday 28 July."""
    deadline = open_deadline(kind="disclosure", start=date(2025, 6, 2), amount=20, unit="working_days")
    assert deadline.due_date == date(2025, 6, 30)
    time_machine.move_to(at(date(2025, 6, 25)), tick=False)

    with pytest.raises(ValidationError) as wrong_unit:
        services.deadline_extend(
            actor=office.admin.user,
            deadline=deadline,
            amount=20,
            unit="calendar_days",
            reason="需要调取档案",
            approved_by=office.leader,
        )
    assert "以“工作日”计" in str(wrong_unit.value)
    assert refreshed(deadline).due_date == date(2025, 6, 30)

    services.deadline_extend(
        actor=office.admin.user, deadline=deadline, amount=20, reason="需要调取档案", approved_by=office.leader
    )
    # 1–4 Jul: 4; 7–11: 9; 14–18: 14; 21–25: 19; 28 Jul: 20.
    assert refreshed(deadline).due_date == date(2025, 7, 28)


# --- Closing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met_on", "on_time"),
    [(date(2025, 6, 18), True), (date(2025, 6, 19), True), (date(2025, 6, 20), False)],
    ids=["the-day-before", "on-the-due-date", "the-day-after"],
)
def test_meeting_a_deadline_records_whether_it_was_on_time(open_deadline, office, met_on, on_time):
    """GIVEN a deadline due Thursday 19 June 2025
    WHEN the matter is done on a given day
    THEN the deadline is closed as met on that day, on time up to and including the due date, late after it."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    assert deadline.due_date == date(2025, 6, 19)

    services.deadline_meet(actor=office.handler.user, deadline=deadline, on=met_on)

    deadline = refreshed(deadline)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_on == met_on
    assert deadline.met_on_time is on_time


def test_cancelling_a_deadline_needs_a_reason(open_deadline, office):
    """GIVEN an open deadline
    WHEN it is cancelled without a reason, then with one
    THEN the first attempt is refused and leaves it open with no trace; the second cancels it and keeps the reason."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")

    with pytest.raises(ValidationError) as no_reason:
        services.deadline_cancel(actor=office.admin.user, deadline=deadline, reason="  ")
    assert "请写明撤销理由" in str(no_reason.value)
    assert refreshed(deadline).state == DeadlineState.OPEN
    assert [action for action, *_dates in history(deadline)] == ["open"]

    services.deadline_cancel(actor=office.admin.user, deadline=deadline, reason="来信人撤回")

    assert refreshed(deadline).state == DeadlineState.CANCELLED
    assert deadline.events.get(action="cancel").reason == "来信人撤回"


MOVES = {
    "suspend": lambda d, who: services.deadline_suspend(actor=who, deadline=d, on=date(2025, 6, 12), reason="听证"),
    "resume": lambda d, who: services.deadline_resume(actor=who, deadline=d, on=date(2025, 6, 13)),
    "extend": lambda d, who: services.deadline_extend(
        actor=who, deadline=d, amount=5, reason="延期", approved_by=who.person
    ),
    "meet": lambda d, who: services.deadline_meet(actor=who, deadline=d, on=date(2025, 6, 18)),
    "cancel": lambda d, who: services.deadline_cancel(actor=who, deadline=d, reason="撤销"),
}


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("closed_by", ["meet", "cancel"])
def test_a_closed_deadline_cannot_be_moved(open_deadline, office, closed_by, move):
    """GIVEN a deadline that was met or cancelled
    WHEN anyone tries to suspend, resume, extend, meet or cancel it
    THEN the move is refused as a disallowed transition and the deadline and its history stay as they were."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")
    MOVES[closed_by](deadline, office.admin.user)
    before = (refreshed(deadline).state, deadline.due_date, deadline.met_on, history(deadline))

    with pytest.raises(TransitionNotAllowed):
        MOVES[move](deadline, office.admin.user)

    assert (refreshed(deadline).state, deadline.due_date, deadline.met_on, history(deadline)) == before


def test_every_change_to_a_deadline_is_in_its_history_with_the_dates_before_and_after(
    open_deadline, office, time_machine
):
    """GIVEN a disclosure request received Monday 3 March 2025 (due 31 March)
    WHEN a third party is consulted 10–24 March, 5 more working days are approved, and it is answered on 18 April
    THEN its history lists each step with who did it and the due date before and after:
    opened → 31 March; suspended → none; resumed → 15 April; extended → 22 April; met on 22 April."""
    handler = office.handler.user
    time_machine.move_to(at(date(2025, 3, 3)), tick=False)
    deadline = open_deadline(kind="disclosure", start=date(2025, 3, 3), amount=20, unit="working_days")
    time_machine.move_to(at(date(2025, 3, 10)), tick=False)
    services.deadline_suspend(actor=handler, deadline=deadline, on=date(2025, 3, 10), reason="征求第三方意见")
    time_machine.move_to(at(date(2025, 3, 24)), tick=False)
    services.deadline_resume(actor=handler, deadline=deadline, on=date(2025, 3, 24), reason="第三方答复")
    time_machine.move_to(at(date(2025, 4, 10)), tick=False)
    services.deadline_extend(
        actor=handler, deadline=deadline, amount=5, reason="材料较多", approved_by=office.section_head
    )
    services.deadline_meet(actor=handler, deadline=deadline, on=date(2025, 4, 18))

    assert history(deadline) == [
        ("open", None, date(2025, 3, 31)),
        ("suspend", date(2025, 3, 31), None),
        ("resume", None, date(2025, 4, 15)),
        ("extend", date(2025, 4, 15), date(2025, 4, 22)),
        ("meet", date(2025, 4, 22), date(2025, 4, 22)),
    ]
    events = DeadlineEvent.objects.filter(deadline=deadline).order_by("at", "id")
    assert [event.actor for event in events] == [office.admin.user, handler, handler, handler, handler]
    assert [event.reason for event in events][1:4] == ["征求第三方意见", "第三方答复", "材料较多"]
    assert refreshed(deadline).met_on_time is True
