"""Due dates under 《民法典》 §§201–203 over the working-day calendar (office.workdays.services)."""

from datetime import date

import pytest

from office.workdays.models import CalendarDay, CalendarYear
from office.workdays.services import MAX_AMOUNT, WorkCalendar, due_date

pytestmark = pytest.mark.django_db

MAKE_UP_DAYS_2025 = [
    date(2025, 1, 26),  # Sunday, 春节
    date(2025, 2, 8),  # Saturday, 春节
    date(2025, 4, 27),  # Sunday, 劳动节
    date(2025, 9, 28),  # Sunday, 国庆节
    date(2025, 10, 11),  # Saturday, 国庆节
]


# --- 调休: make-up working days ---------------------------------------------------------------


@pytest.mark.parametrize("make_up_day", MAKE_UP_DAYS_2025, ids=str)
def test_2025_make_up_days_are_working_days(make_up_day):
    """GIVEN the 2025 arrangement from the package
    WHEN the calendar is asked about a 调休 weekend day
    THEN it is a working day, described as a make-up day, although it falls on a weekend."""
    assert make_up_day.weekday() >= 5
    calendar = WorkCalendar()
    assert calendar.is_workday(make_up_day) is True
    assert calendar.describe(make_up_day).endswith("调休上班")


@pytest.mark.parametrize(
    ("friday", "make_up_day"),
    [
        (date(2025, 1, 24), date(2025, 1, 26)),  # Sat 25 is rest, Sun 26 is worked
        (date(2025, 2, 7), date(2025, 2, 8)),  # Sat 8 is worked
        (date(2025, 4, 25), date(2025, 4, 27)),  # Sat 26 is rest, Sun 27 is worked
        (date(2025, 9, 26), date(2025, 9, 28)),  # Sat 27 is rest, Sun 28 is worked
        (date(2025, 10, 10), date(2025, 10, 11)),  # Sat 11 is worked
    ],
    ids=lambda value: str(value),
)
def test_one_working_day_from_a_friday_lands_on_the_following_make_up_day(friday, make_up_day):
    """GIVEN a Friday just before a 2025 调休 weekend
    WHEN a period of 1 working day starts on it
    THEN it ends on the make-up day, not on the Monday after the weekend."""
    result = due_date(friday, 1, "working_days")
    assert result.due_date == make_up_day
    assert result.calendar_complete is True


def test_plain_weekend_days_of_2025_are_not_working_days():
    """GIVEN the 2025 calendar
    WHEN it is asked about ordinary weekend days next to the make-up days
    THEN those stay rest days (only the listed 调休 days are worked)."""
    calendar = WorkCalendar()
    assert calendar.is_workday(date(2025, 1, 25)) is False  # Saturday before 春节 make-up Sunday
    assert calendar.is_workday(date(2025, 9, 27)) is False  # Saturday before 国庆 make-up Sunday
    assert calendar.describe(date(2025, 9, 27)) == "周末"


# --- Working-day periods skip holidays --------------------------------------------------------


def test_working_days_skip_the_2025_national_day_holiday():
    """GIVEN the 2025 National Day holiday, 1–8 October, with Sun 28 September worked
    WHEN 5 working days are counted from Friday 26 September 2025
    THEN Sun 28 Sep, Mon 29, Tue 30, Thu 9 Oct and Fri 10 Oct are counted: the period ends on 10 October,
    having skipped Sat 27 September and the eight holiday days."""
    result = due_date(date(2025, 9, 26), 5, "working_days")
    assert result.due_date == date(2025, 10, 10)
    assert "跳过周末和节假日9天" in result.derivation
    assert result.calendar_complete is True


@pytest.mark.parametrize("holiday", [date(2025, 10, day) for day in range(1, 9)], ids=str)
def test_every_day_of_the_2025_national_day_holiday_is_a_rest_day(holiday):
    """GIVEN the 2025 arrangement
    WHEN the calendar is asked about 1–8 October 2025, weekdays included
    THEN each is a rest day."""
    assert WorkCalendar().is_workday(holiday) is False


def test_one_working_day_from_30_september_2025_is_9_october():
    """GIVEN the last working day before the 2025 National Day holiday
    WHEN a period of 1 working day starts on it
    THEN the eight holiday days are skipped and the period ends on Thursday 9 October."""
    assert due_date(date(2025, 9, 30), 1, "working_days").due_date == date(2025, 10, 9)


def test_working_days_across_the_2025_spring_festival_count_both_make_up_days():
    """GIVEN 春节 2025: holiday Tue 28 Jan – Tue 4 Feb, worked Sun 26 Jan and Sat 8 Feb
    WHEN 10 working days are counted from Friday 24 January 2025
    THEN by hand: 26, 27 Jan (1–2), 5, 6, 7, 8 Feb (3–6), 10, 11, 12, 13 Feb (7–10): ends Thursday 13 February."""
    result = due_date(date(2025, 1, 24), 10, "working_days")
    assert result.due_date == date(2025, 2, 13)
    assert "跳过周末和节假日10天" in result.derivation


# --- §203: a last day on a rest day rolls forward ----------------------------------------------


def test_sixty_day_period_ending_in_national_day_rolls_to_the_next_working_day():
    """GIVEN a 60-day period starting Monday 4 August 2025
    WHEN its due date is computed
    THEN by hand: 27 days to 31 Aug, 30 in September (57), 3 in October → last day Fri 3 Oct 2025, a National
    Day holiday; the holiday runs to Wed 8 Oct, so the period ends on Thursday 9 October 2025, and the derivation
    says so."""
    result = due_date(date(2025, 8, 4), 60, "calendar_days")
    assert result.due_date == date(2025, 10, 9)
    assert result.calendar_complete is True
    assert result.derivation == (
        "起算日2025年8月4日当日不计入，自次日起算（《民法典》第二百零一条）；"
        "60日期间的最后一日为2025年10月3日；"
        "该日为国庆节假期，顺延至休息日结束的次日2025年10月9日（第二百零三条）；"
        "期限届满日为2025年10月9日。"
    )


def test_period_ending_on_a_plain_saturday_rolls_to_monday():
    """GIVEN a 10-day period starting Wednesday 5 March 2025
    WHEN its due date is computed
    THEN the last day is Saturday 15 March, an ordinary weekend, and the period ends on Monday 17 March."""
    result = due_date(date(2025, 3, 5), 10, "calendar_days")
    assert result.due_date == date(2025, 3, 17)
    assert "该日为周末，顺延至休息日结束的次日2025年3月17日（第二百零三条）" in result.derivation


def test_period_ending_on_a_plain_sunday_rolls_to_monday():
    """GIVEN a 3-day period starting Thursday 13 March 2025
    WHEN its due date is computed
    THEN the last day is Sunday 16 March and the period ends on Monday 17 March."""
    assert due_date(date(2025, 3, 13), 3, "calendar_days").due_date == date(2025, 3, 17)


@pytest.mark.parametrize(
    ("start", "make_up_saturday"),
    [(date(2025, 1, 29), date(2025, 2, 8)), (date(2025, 10, 1), date(2025, 10, 11))],
    ids=str,
)
def test_period_ending_on_a_make_up_saturday_does_not_roll(start, make_up_saturday):
    """GIVEN a 10-day period whose last day is a 2025 调休 Saturday (8 February or 11 October)
    WHEN its due date is computed
    THEN the make-up Saturday is a working day, so the period ends on it and nothing is postponed."""
    result = due_date(start, 10, "calendar_days")
    assert result.due_date == make_up_saturday
    assert "顺延" not in result.derivation


def test_period_ending_on_a_working_weekday_does_not_roll():
    """GIVEN a 7-day period starting Monday 3 March 2025
    WHEN its due date is computed
    THEN it ends on Monday 10 March, a working day, with no postponement step."""
    result = due_date(date(2025, 3, 3), 7, "calendar_days")
    assert result.due_date == date(2025, 3, 10)
    assert "顺延" not in result.derivation


# --- §201: the start day is not counted -------------------------------------------------------


def test_start_day_is_not_counted_for_calendar_days():
    """GIVEN a 1-day period starting Monday 3 March 2025
    WHEN its due date is computed
    THEN it ends the next day, Tuesday 4 March (the start day itself is not counted)."""
    result = due_date(date(2025, 3, 3), 1, "calendar_days")
    assert result.due_date == date(2025, 3, 4)
    assert result.derivation.startswith("起算日2025年3月3日当日不计入，自次日起算（《民法典》第二百零一条）")


def test_start_day_is_not_counted_for_working_days_even_when_it_is_a_working_day():
    """GIVEN Monday 3 March 2025, a working day
    WHEN 1 working day is counted from it
    THEN the period ends on Tuesday 4 March, not on the Monday itself."""
    assert due_date(date(2025, 3, 3), 1, "working_days").due_date == date(2025, 3, 4)


def test_period_starting_on_a_holiday_runs_from_the_next_day():
    """GIVEN a 3-day period starting on National Day, Wednesday 1 October 2025
    WHEN its due date is computed
    THEN the last day is 4 October (still in the holiday) and it rolls to Thursday 9 October."""
    assert due_date(date(2025, 10, 1), 3, "calendar_days").due_date == date(2025, 10, 9)


# --- §202: periods in months ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),  # no 31 February; 2025 is not a leap year
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2025, 8, 31), date(2025, 9, 30)),  # September has 30 days
        (date(2025, 3, 15), date(2025, 4, 15)),  # a corresponding day exists
    ],
    ids=str,
)
def test_one_month_ends_on_the_corresponding_day_or_the_month_end(start, expected):
    """GIVEN a period of 1 month
    WHEN it starts on a day the next month lacks
    THEN it ends on that month's last day (§202), otherwise on the corresponding day; each of these is a
    working day, so nothing is postponed."""
    result = due_date(start, 1, "months")
    assert result.due_date == expected
    assert "按月计算，到期月的对应日为最后一日，无对应日的为月末日（第二百零二条）" in result.derivation
    assert "顺延" not in result.derivation


def test_months_cross_the_year_end():
    """GIVEN a 3-month period starting 30 November 2025
    WHEN its due date is computed
    THEN it runs into 2026 and ends on 28 February 2026 (no 30 February), which 2026's arrangement makes a
    春节 make-up Saturday, so it is not postponed."""
    result = due_date(date(2025, 11, 30), 3, "months")
    assert result.due_date == date(2026, 2, 28)
    assert "顺延" not in result.derivation


def test_month_end_falling_on_a_holiday_rolls_forward():
    """GIVEN a 1-month period starting 1 September 2025
    WHEN its due date is computed
    THEN the corresponding day, 1 October 2025, is National Day and the period ends on 9 October."""
    result = due_date(date(2025, 9, 1), 1, "months")
    assert result.due_date == date(2025, 10, 9)
    assert "：2025年10月1日" in result.derivation
    assert "该日为国庆节假期" in result.derivation


# --- Years without a published arrangement -----------------------------------------------------


def test_2027_without_a_published_calendar_counts_weekends_only():
    """GIVEN no 2027 arrangement in the calendar
    WHEN 1 working day is counted from Thursday 30 September 2027
    THEN Friday 1 October 2027 counts as an ordinary working day, the result is flagged incomplete and the
    derivation warns that 2027 has not been entered."""
    assert not CalendarYear.objects.filter(year=2027).exists()
    result = due_date(date(2027, 9, 30), 1, "working_days")
    assert result.due_date == date(2027, 10, 1)
    assert result.calendar_complete is False
    assert "注意：2027年的节假日安排尚未录入，该年只按周末计算，日期可能变动" in result.derivation


def test_2027_weekend_still_rolls_without_a_published_calendar():
    """GIVEN no 2027 arrangement
    WHEN a 10-day period starting Wednesday 23 December 2026 ends on Saturday 2 January 2027
    THEN the weekend still postpones it to Monday 4 January 2027, and only 2027 is named as missing."""
    result = due_date(date(2026, 12, 23), 10, "calendar_days")
    assert result.due_date == date(2027, 1, 4)
    assert result.calendar_complete is False
    assert "2027年的节假日安排尚未录入" in result.derivation
    assert "2026年的节假日安排尚未录入" not in result.derivation and "2026、" not in result.derivation


def test_period_inside_known_years_is_complete_and_has_no_warning():
    """GIVEN 2026's arrangement is known
    WHEN a period starts and ends in 2026
    THEN the result is complete and carries no missing-year warning."""
    result = due_date(date(2026, 3, 2), 30, "calendar_days")
    assert result.calendar_complete is True
    assert "尚未录入" not in result.derivation


def test_long_period_lists_every_missing_year():
    """GIVEN only years up to 2026 are known
    WHEN a 24-month period starts 15 June 2026
    THEN the derivation lists both 2027 and 2028 as not yet entered."""
    result = due_date(date(2026, 6, 15), 24, "months")
    assert result.due_date == date(2028, 6, 15)
    assert result.calendar_complete is False
    assert "注意：2027、2028年的节假日安排尚未录入" in result.derivation


# --- Derivation -------------------------------------------------------------------------------


def test_working_day_derivation_reads_step_by_step():
    """GIVEN 5 working days from Friday 26 September 2025
    WHEN the due date is computed
    THEN the derivation states §201, the count with the days skipped and the make-up rule, and the due date,
    in official date style and ending with a full stop."""
    result = due_date(date(2025, 9, 26), 5, "working_days")
    assert result.steps == [
        "起算日2025年9月26日当日不计入，自次日起算（《民法典》第二百零一条）",
        "数满5个工作日（跳过周末和节假日9天，调休上班日计入），第5个工作日为2025年10月10日",
        "期限届满日为2025年10月10日",
    ]
    assert result.derivation == "；".join(result.steps) + "。"


def test_derivation_names_the_holiday_it_rolls_over():
    """GIVEN a 5-day period starting Sunday 26 April 2025, ending Thursday 1 May, 劳动节
    WHEN its due date is computed
    THEN it rolls past the holiday (1–5 May) to Tuesday 6 May and says the day was a 劳动节 holiday."""
    result = due_date(date(2025, 4, 26), 5, "calendar_days")
    assert result.due_date == date(2025, 5, 6)
    assert "该日为劳动节假期，顺延至休息日结束的次日2025年5月6日（第二百零三条）" in result.derivation


# --- Amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["calendar_days", "working_days", "months"])
def test_zero_amount_ends_on_the_start_day_when_it_is_a_working_day(unit):
    """GIVEN Tuesday 4 March 2025, a working day
    WHEN a period of 0 units starts on it
    THEN the period ends on that same day."""
    result = due_date(date(2025, 3, 4), 0, unit)
    assert result.due_date == date(2025, 3, 4)
    assert result.derivation.endswith("期限届满日为2025年3月4日。")


def test_zero_calendar_days_from_a_holiday_rolls_forward():
    """GIVEN National Day, 1 October 2025
    WHEN a period of 0 days starts on it
    THEN the last day is a holiday and the period ends on 9 October."""
    assert due_date(date(2025, 10, 1), 0, "calendar_days").due_date == date(2025, 10, 9)


@pytest.mark.parametrize("unit", ["calendar_days", "working_days", "months"])
def test_negative_amount_is_refused(unit):
    """GIVEN a negative amount
    WHEN a due date is asked for
    THEN it is refused with a message giving the allowed range."""
    with pytest.raises(ValueError, match="期限数量应在 0 到"):
        due_date(date(2025, 3, 4), -1, unit)


@pytest.mark.parametrize("unit", ["calendar_days", "working_days", "months"])
def test_amount_above_the_limit_is_refused(unit):
    """GIVEN an amount one above the unit's limit
    WHEN a due date is asked for
    THEN it is refused, naming the limit."""
    limit = MAX_AMOUNT[unit]
    with pytest.raises(ValueError, match=f"0 到 {limit} 之间"):
        due_date(date(2025, 3, 4), limit + 1, unit)


@pytest.mark.parametrize("unit", ["calendar_days", "working_days", "months"])
def test_amount_at_the_limit_is_accepted(unit):
    """GIVEN an amount exactly at the unit's limit (about ten years)
    WHEN a due date is asked for
    THEN a date about ten years later is returned, flagged as incomplete (later years are not published)."""
    result = due_date(date(2025, 3, 4), MAX_AMOUNT[unit], unit)
    assert 2034 <= result.due_date.year <= 2036
    assert result.calendar_complete is False


def test_unknown_unit_is_refused():
    """GIVEN a unit that is not days, working days or months
    WHEN a due date is asked for
    THEN it is refused."""
    with pytest.raises(ValueError):
        due_date(date(2025, 3, 4), 1, "weeks")


# --- The calendar as data ---------------------------------------------------------------------


def test_a_day_marked_as_holiday_in_the_calendar_is_skipped():
    """GIVEN an administrator's edit marking Monday 10 March 2025 as a rest day
    WHEN 1 working day is counted from Friday 7 March 2025
    THEN the Monday is skipped and the period ends on Tuesday 11 March."""
    before = due_date(date(2025, 3, 7), 1, "working_days").due_date
    CalendarDay.objects.create(date=date(2025, 3, 10), is_workday=False, name="测试", source="import")
    after = due_date(date(2025, 3, 7), 1, "working_days").due_date
    assert (before, after) == (date(2025, 3, 10), date(2025, 3, 11))


def test_one_query_pair_per_year_however_long_the_period(django_assert_max_num_queries):
    """GIVEN a 300-working-day period from January 2025 into 2026
    WHEN its due date is computed
    THEN the calendar is read once per year (days and year row), not once per day."""
    with django_assert_max_num_queries(4):
        result = due_date(date(2025, 1, 2), 300, "working_days")
    assert result.due_date.year == 2026
