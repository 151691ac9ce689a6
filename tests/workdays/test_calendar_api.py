"""``/api/v1/calendar/``: the due-date and working-day endpoints other systems call."""

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db

DUE_DATE_URL = "/api/v1/calendar/due-date/"
WORKDAYS_URL = "/api/v1/calendar/workdays/"


# --- Due date ---------------------------------------------------------------------------------


def test_due_date_answers_date_derivation_and_completeness(api_as, person):
    """GIVEN a signed-in caller
    WHEN it asks for 60 calendar days from 4 August 2025
    THEN it gets exactly {due_date, derivation, calendar_complete}: 9 October 2025 (3 October is National Day),
    the derivation in words, and a complete calendar."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2025-08-04", "amount": 60, "unit": "calendar_days"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"due_date", "derivation", "calendar_complete"}
    assert body["due_date"] == "2025-10-09"
    assert body["calendar_complete"] is True
    assert "60日期间的最后一日为2025年10月3日" in body["derivation"]
    assert "该日为国庆节假期，顺延至休息日结束的次日2025年10月9日（第二百零三条）" in body["derivation"]


def test_due_date_in_working_days_counts_make_up_days(api_as, person):
    """GIVEN the 2025 calendar, where Saturday 11 October is a 调休 working day
    WHEN a caller asks for 1 working day from Friday 10 October 2025
    THEN the answer is Saturday 11 October."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2025-10-10", "amount": 1, "unit": "working_days"})
    assert response.status_code == 200
    assert response.json()["due_date"] == "2025-10-11"


def test_due_date_in_months_uses_the_month_end(api_as, person):
    """GIVEN a period of 1 month from 31 January 2024, a leap year
    WHEN a caller asks for its due date
    THEN the answer is 29 February 2024."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2024-01-31", "amount": 1, "unit": "months"})
    assert response.json()["due_date"] == "2024-02-29"


def test_due_date_in_an_unpublished_year_is_flagged_incomplete(api_as, person):
    """GIVEN no 2027 arrangement
    WHEN a caller asks for a due date in 2027
    THEN calendar_complete is false and the derivation says 2027 has not been entered."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2027-09-30", "amount": 1, "unit": "working_days"})
    body = response.json()
    assert body["due_date"] == "2027-10-01"
    assert body["calendar_complete"] is False
    assert "2027年的节假日安排尚未录入" in body["derivation"]


def test_due_date_uses_an_imported_year(api_as, person, calendar_2027):
    """GIVEN 2027's arrangement imported (国庆节 1–7 October 2027)
    WHEN a caller asks for 1 working day from Thursday 30 September 2027
    THEN the holiday is skipped, the answer is Friday 8 October 2027 and the calendar is complete."""
    body = api_as(person).get(DUE_DATE_URL, {"start": "2027-09-30", "amount": 1, "unit": "working_days"}).json()
    assert body["due_date"] == "2027-10-08"
    assert body["calendar_complete"] is True


def test_due_date_accepts_a_token(api, person, password):
    """GIVEN another system that exchanged a username and password for a token
    WHEN it calls the due-date endpoint with Authorization: Token
    THEN it gets the due date."""
    token = api.post("/api/v1/auth/token/", {"username": "zhangsan", "password": password}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(DUE_DATE_URL, {"start": "2025-08-04", "amount": 60, "unit": "calendar_days"})
    assert response.status_code == 200
    assert response.json()["due_date"] == "2025-10-09"


@pytest.mark.parametrize("url", [DUE_DATE_URL, WORKDAYS_URL])
def test_anonymous_callers_are_refused(api, url):
    """GIVEN no credentials
    WHEN a caller asks either calendar endpoint
    THEN it is refused with 401/403 and a JSON message, and no calendar data."""
    response = api.get(url, {"start": "2025-08-04", "amount": 60, "unit": "calendar_days"})
    assert response.status_code in (401, 403)
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "due_date" not in body and "days" not in body


def test_a_bad_token_is_refused(api):
    """GIVEN a made-up token
    WHEN a caller uses it on the due-date endpoint
    THEN it is refused with 401."""
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(DUE_DATE_URL, {"start": "2025-08-04", "amount": 60, "unit": "calendar_days"})
    assert response.status_code == 401


def test_missing_parameters_are_each_reported(api_as, person):
    """GIVEN a caller that sends no parameters
    WHEN it asks for a due date
    THEN the answer is 400 with an error for each of start, amount and unit."""
    response = api_as(person).get(DUE_DATE_URL)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"start", "amount", "unit"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-02-30", "amount": 1, "unit": "calendar_days"}, "start"),  # no 30 February
        ({"start": "2025/03/01", "amount": 1, "unit": "calendar_days"}, "start"),
        ({"start": "2025-03-01", "amount": 1, "unit": "weeks"}, "unit"),
        ({"start": "2025-03-01", "amount": -1, "unit": "calendar_days"}, "amount"),
        ({"start": "2025-03-01", "amount": "ten", "unit": "calendar_days"}, "amount"),
        ({"start": "2025-03-01", "amount": "1.5", "unit": "months"}, "amount"),
        ({"start": "2025-03-01", "amount": 3661, "unit": "calendar_days"}, "amount"),
        ({"start": "2025-03-01", "amount": 2501, "unit": "working_days"}, "amount"),
        ({"start": "2025-03-01", "amount": 121, "unit": "months"}, "amount"),
        ({"start": "2025-03-01", "amount": 1, "unit": "months", "days": "3"}, "days"),  # unknown parameter
    ],
    ids=[
        "impossible-date",
        "wrong-date-format",
        "unknown-unit",
        "negative-amount",
        "non-numeric-amount",
        "fractional-amount",
        "too-many-days",
        "too-many-working-days",
        "too-many-months",
        "unknown-parameter",
    ],
)
def test_bad_input_is_a_400_keyed_by_field(api_as, person, params, field):
    """GIVEN one bad parameter
    WHEN a caller asks for a due date
    THEN the answer is 400 JSON whose errors name exactly that field with a message, and no due date."""
    response = api_as(person).get(DUE_DATE_URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]
    assert "due_date" not in body


def test_amount_limit_is_per_unit(api_as, person):
    """GIVEN 121, too many months but a fine number of days
    WHEN a caller asks for 121 calendar days
    THEN it gets a due date (the months limit does not apply to days)."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2025-03-01", "amount": 121, "unit": "calendar_days"})
    assert response.status_code == 200
    assert response.json()["due_date"] == "2025-06-30"  # 30 June 2025 is a Monday


def test_too_many_months_names_the_limit(api_as, person):
    """GIVEN 121 months, one above the limit
    WHEN a caller asks for the due date
    THEN the error under amount says the limit is 120."""
    response = api_as(person).get(DUE_DATE_URL, {"start": "2025-03-01", "amount": 121, "unit": "months"})
    assert response.json()["errors"]["amount"] == ["不能超过 120。"]


@pytest.mark.parametrize("unit", ["calendar_days", "months"])
def test_a_period_running_past_year_9999_is_a_400_not_a_crash(api_as, person, unit):
    """GIVEN a start date at the end of the representable range
    WHEN a caller asks for a period that would end after 31 December 9999
    THEN it gets a 400 with a field error, not a server error."""
    client = api_as(person)
    client.raise_request_exception = False
    response = client.get(DUE_DATE_URL, {"start": "9999-12-30", "amount": 10, "unit": unit})
    assert response.status_code == 400
    assert "errors" in response.json()


# --- Working days -----------------------------------------------------------------------------


def test_workdays_lists_every_day_with_its_kind_and_counts_working_days(api_as, person):
    """GIVEN the 2025 National Day arrangement (worked Sun 28 Sep and Sat 11 Oct, holiday 1–8 Oct)
    WHEN a caller lists 27 September to 12 October 2025
    THEN it gets 16 days in order, each with is_workday and a description, 6 of them working days,
    and a complete calendar."""
    response = api_as(person).get(WORKDAYS_URL, {"from": "2025-09-27", "to": "2025-10-12"})
    assert response.status_code == 200
    body = response.json()
    assert body["calendar_complete"] is True
    days = {day["date"]: day for day in body["days"]}
    assert [day["date"] for day in body["days"]] == [
        (date(2025, 9, 27) + timedelta(days=offset)).isoformat() for offset in range(16)
    ]
    working = [day["date"] for day in body["days"] if day["is_workday"]]
    assert working == ["2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11"]
    assert body["workday_count"] == 6
    assert days["2025-09-27"]["description"] == "周末"
    assert days["2025-09-28"]["description"] == "国庆节调休上班"
    assert days["2025-10-01"]["description"] == "国庆节假期"
    assert days["2025-10-11"]["description"] == "国庆节调休上班"
    assert days["2025-10-09"]["description"] == "工作日"


@pytest.mark.parametrize("make_up_day", ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
def test_workdays_marks_each_2025_make_up_day_as_working(api_as, person, make_up_day):
    """GIVEN a 2025 调休 weekend day
    WHEN a caller lists that single day
    THEN it is a working day and counts as one."""
    body = api_as(person).get(WORKDAYS_URL, {"from": make_up_day, "to": make_up_day}).json()
    [day] = body["days"]
    assert (day["date"], day["is_workday"]) == (make_up_day, True)
    assert day["description"].endswith("调休上班")
    assert body["workday_count"] == 1


def test_workdays_in_an_unpublished_year_is_flagged_incomplete(api_as, person):
    """GIVEN no 2027 arrangement
    WHEN a caller lists the first week of 2027
    THEN the weekdays count as working days, the weekend does not, and calendar_complete is false."""
    body = api_as(person).get(WORKDAYS_URL, {"from": "2027-01-01", "to": "2027-01-07"}).json()
    assert body["calendar_complete"] is False
    assert body["workday_count"] == 5  # Fri 1, Mon 4 – Thu 7; Sat 2 and Sun 3 are the weekend


def test_workdays_rejects_an_end_before_the_start(api_as, person):
    """GIVEN to earlier than from
    WHEN a caller lists the range
    THEN the answer is 400 with the error under "to"."""
    response = api_as(person).get(WORKDAYS_URL, {"from": "2025-10-12", "to": "2025-10-11"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["to"]


def test_workdays_accepts_a_single_day(api_as, person):
    """GIVEN from equal to to
    WHEN a caller lists the range
    THEN it gets that one day."""
    body = api_as(person).get(WORKDAYS_URL, {"from": "2025-10-01", "to": "2025-10-01"}).json()
    assert len(body["days"]) == 1
    assert body["workday_count"] == 0


def test_workdays_accepts_366_days(api_as, person):
    """GIVEN a range of 366 days, 1 January 2024 to 31 December 2024 (a leap year)
    WHEN a caller lists it
    THEN it gets all 366 days."""
    response = api_as(person).get(WORKDAYS_URL, {"from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    assert len(response.json()["days"]) == 366


def test_workdays_rejects_more_than_366_days(api_as, person):
    """GIVEN a range of 367 days, 1 January 2025 to 2 January 2026
    WHEN a caller lists it
    THEN the answer is 400 with the error under "to" naming the limit."""
    response = api_as(person).get(WORKDAYS_URL, {"from": "2025-01-01", "to": "2026-01-02"})
    assert response.status_code == 400
    assert response.json()["errors"]["to"] == ["一次最多查询 366 天。"]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"from", "to"}),
        ({"from": "2025-10-01"}, {"to"}),
        ({"from": "2025-13-01", "to": "2025-10-02"}, {"from"}),
        ({"from": "2025-10-01", "to": "2025-10-02", "until": "2025-10-03"}, {"until"}),
    ],
    ids=["nothing", "no-end", "bad-month", "unknown-parameter"],
)
def test_workdays_bad_input_is_a_400_keyed_by_field(api_as, person, params, fields):
    """GIVEN a missing, malformed or unknown parameter
    WHEN a caller lists working days
    THEN the answer is 400 JSON whose errors name exactly the offending fields."""
    response = api_as(person).get(WORKDAYS_URL, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields


def test_workdays_on_the_last_representable_day_is_not_a_crash(api_as, person):
    """GIVEN a caller listing the single day 31 December 9999
    WHEN the endpoint answers
    THEN it gets that day (or a 400), not a server error."""
    client = api_as(person)
    client.raise_request_exception = False
    response = client.get(WORKDAYS_URL, {"from": "9999-12-31", "to": "9999-12-31"})
    assert response.status_code in (200, 400)


def test_workdays_query_count_does_not_grow_with_the_range(api_as, person, django_assert_max_num_queries):
    """GIVEN a caller listing a whole year of days
    WHEN the endpoint answers
    THEN it reads the calendar once per year, not once per day."""
    client = api_as(person)
    with django_assert_max_num_queries(8):
        response = client.get(WORKDAYS_URL, {"from": "2025-01-01", "to": "2025-12-31"})
    assert len(response.json()["days"]) == 365
