"""The calendar page (/calendar/, with its htmx calculator) and the home page's calendar warning."""

import re

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

CALENDAR_URL = "/calendar/"
NATIONAL_DAY_QUERY = {"start": "2025-08-04", "amount": "60", "unit": "calendar_days"}


def day_cells(page: str, css_class: str | None = None) -> int:
    """How many day cells the month grid has, or how many of them carry ``css_class``."""
    cells = [classes.split() for classes in re.findall(r'class="(day(?: [^"]*)?)"', page)]
    return sum(1 for classes in cells if css_class is None or css_class in classes)


# --- The calendar page -----------------------------------------------------------------------


@time_machine.travel("2025-10-15 10:00 +0800")
def test_calendar_page_shows_the_month_and_the_calculator(client, person):
    """GIVEN a member of staff on 15 October 2025
    WHEN they open the calendar page
    THEN they see October 2025 with its 31 days — 13 rest days (1–8 October and the weekends), Saturday 11 October
    marked as a 调休 working day, today highlighted — and the empty due-date calculator."""
    client.force_login(person.user)
    response = client.get(CALENDAR_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2025年10月" in page
    assert 'data-testid="month"' in page
    assert day_cells(page) == 31
    assert day_cells(page, "rest") == 13
    assert day_cells(page, "makeup") == 1
    assert day_cells(page, "today") == 1
    assert "国庆节调休上班" in page and "国庆节假期" in page
    assert 'data-testid="due-date-form"' in page
    assert 'name="start"' in page and 'name="amount"' in page and 'name="unit"' in page
    assert 'data-testid="due-date"' not in page


@time_machine.travel("2026-11-21 10:00 +0800")
def test_calendar_page_follows_today(client, person):
    """GIVEN a member of staff on 21 November 2026
    WHEN they open the calendar page
    THEN the month shown is November 2026 (30 days)."""
    client.force_login(person.user)
    page = client.get(CALENDAR_URL).content.decode()
    assert "2026年11月" in page
    assert day_cells(page) == 30


def test_calendar_page_with_a_query_shows_the_result_in_the_full_page(client, person):
    """GIVEN a member of staff without JavaScript
    WHEN they submit 60 days from 4 August 2025
    THEN the full page comes back with the month grid and the result: 2025年10月9日 and the derivation steps."""
    client.force_login(person.user)
    page = client.get(CALENDAR_URL, NATIONAL_DAY_QUERY).content.decode()
    assert 'data-testid="month"' in page
    assert 'data-testid="due-date"' in page
    assert "<strong>2025年10月9日</strong>" in page
    assert "该日为国庆节假期，顺延至休息日结束的次日2025年10月9日（第二百零三条）" in page


def test_htmx_request_returns_only_the_result_partial(client, person):
    """GIVEN the calculator driven by htmx
    WHEN it sends 60 days from 4 August 2025 with the HX-Request header
    THEN only the result fragment comes back (no layout, no month grid, no form): due date 2025年10月9日
    with each derivation step as a list item, in a success box."""
    client.force_login(person.user)
    response = client.get(CALENDAR_URL, NATIONAL_DAY_QUERY, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "<form" not in fragment
    assert 'data-testid="month"' not in fragment
    assert 'data-testid="due-date"' in fragment
    assert "alert-success" in fragment
    assert "<strong>2025年10月9日</strong>" in fragment
    assert fragment.count("<li>") == 4
    assert "<li>起算日2025年8月4日当日不计入，自次日起算（《民法典》第二百零一条）</li>" in fragment


def test_htmx_result_in_an_unpublished_year_is_a_warning(client, person):
    """GIVEN no 2027 arrangement
    WHEN the calculator asks for 1 working day from 30 September 2027
    THEN the result is shown as a warning box that says 2027 has not been entered."""
    client.force_login(person.user)
    fragment = client.get(
        CALENDAR_URL, {"start": "2027-09-30", "amount": "1", "unit": "working_days"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "alert-warning" in fragment and "alert-success" not in fragment
    assert "<strong>2027年10月1日</strong>" in fragment
    assert "2027年的节假日安排尚未录入" in fragment


def test_htmx_result_uses_the_imported_2027_calendar(client, person, calendar_2027):
    """GIVEN 2027's arrangement imported (国庆节 1–7 October 2027)
    WHEN the calculator asks for 1 working day from 30 September 2027
    THEN the result is 2027年10月8日, in a success box."""
    client.force_login(person.user)
    fragment = client.get(
        CALENDAR_URL, {"start": "2027-09-30", "amount": "1", "unit": "working_days"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<strong>2027年10月8日</strong>" in fragment
    assert "alert-success" in fragment


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "full-page"])
def test_invalid_input_shows_chinese_errors_and_no_result(client, person, htmx):
    """GIVEN an impossible date (30 February), a negative amount and an unknown unit
    WHEN the calculator is submitted
    THEN each field's error is shown in Chinese next to its label and no due date is shown."""
    client.force_login(person.user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(CALENDAR_URL, {"start": "2025-02-30", "amount": "-1", "unit": "weeks"}, **headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert-danger" in page
    assert "起算日：输入一个有效的日期。" in page
    assert "期限：应为正整数（至少为1），不能为0或负数。" in page
    assert "单位：选择一个有效的选项。" in page
    assert 'data-testid="due-date"' not in page


def test_amount_above_the_unit_limit_is_an_error(client, person):
    """GIVEN 3000, more working days than allowed (2500) though fewer than the days limit
    WHEN the calculator is submitted
    THEN the amount error names the limit and no due date is shown."""
    client.force_login(person.user)
    fragment = client.get(
        CALENDAR_URL, {"start": "2025-03-01", "amount": "3000", "unit": "working_days"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "期限：不能超过 2500。" in fragment
    assert 'data-testid="due-date"' not in fragment


def test_missing_input_asks_for_every_field(client, person):
    """GIVEN the calculator submitted with every field empty
    WHEN the page answers
    THEN all three fields are reported as required and no due date is shown."""
    client.force_login(person.user)
    empty = {"start": "", "amount": "", "unit": ""}
    fragment = client.get(CALENDAR_URL, empty, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.count("该字段是必填项。") == 3
    assert 'data-testid="due-date"' not in fragment


def test_period_past_year_9999_is_a_form_error_not_a_crash(client, person):
    """GIVEN the calculator asked for 10 days from 30 December 9999
    WHEN the page answers
    THEN it shows an error in the form, not a server error."""
    client.raise_request_exception = False
    client.force_login(person.user)
    response = client.get(
        CALENDAR_URL, {"start": "9999-12-30", "amount": "10", "unit": "calendar_days"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_calendar_page_requires_login(client):
    """GIVEN nobody logged in
    WHEN the calendar page is opened
    THEN the visitor is sent to the login page."""
    response = client.get(CALENDAR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel("2025-10-15 10:00 +0800")
def test_calendar_page_queries_do_not_grow_with_the_month(client, person, django_assert_max_num_queries):
    """GIVEN the October 2025 page, a month full of calendar exceptions, and a result to compute
    WHEN the page is rendered
    THEN it takes a small fixed number of queries, not one per day."""
    client.force_login(person.user)
    with django_assert_max_num_queries(10):
        response = client.get(CALENDAR_URL, NATIONAL_DAY_QUERY)
    assert response.status_code == 200


# --- The home page warning -------------------------------------------------------------------


@time_machine.travel("2026-11-21 10:00 +0800")
def test_home_warns_system_admin_while_next_year_is_missing(client, sysadmin):
    """GIVEN 21 November 2026 and no 2027 arrangement
    WHEN a system administrator opens the home page
    THEN a warning says 2027's arrangement has not been entered and where to import it."""
    client.force_login(sysadmin.user)
    page = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in page
    assert "2027年的节假日安排尚未录入" in page
    assert "年度节假日安排" in page


@time_machine.travel("2026-11-21 10:00 +0800")
def test_home_does_not_warn_ordinary_staff(client, person):
    """GIVEN 21 November 2026 and no 2027 arrangement
    WHEN an ordinary member of staff opens the home page
    THEN they see no calendar warning (they cannot act on it)."""
    client.force_login(person.user)
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="calendar-warning"' not in response.content.decode()


@time_machine.travel("2026-11-21 10:00 +0800")
def test_home_warning_disappears_once_2027_is_imported(client, sysadmin, calendar_2027):
    """GIVEN 21 November 2026 and 2027's arrangement imported
    WHEN a system administrator opens the home page
    THEN there is no calendar warning."""
    client.force_login(sysadmin.user)
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="calendar-warning"' not in response.content.decode()


@time_machine.travel("2025-11-21 10:00 +0800")
def test_home_does_not_warn_when_next_year_is_known(client, sysadmin):
    """GIVEN 21 November 2025, when 2026 is already in the calendar
    WHEN a system administrator opens the home page
    THEN there is no calendar warning."""
    client.force_login(sysadmin.user)
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="calendar-warning"' not in response.content.decode()


@time_machine.travel("2027-01-01 07:00 +0800")
def test_home_warning_follows_the_beijing_date(client, sysadmin, calendar_2027):
    """GIVEN 7:00 on 1 January 2027 in Beijing (still 31 December 2026 in UTC), with 2027 imported
    WHEN a system administrator opens the home page
    THEN the warning is about the coming year by Beijing's date, 2028."""
    client.force_login(sysadmin.user)
    page = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in page
    assert "2028年的节假日安排尚未录入" in page
