"""Shared setup for the working-day calendar tests.

The test database holds 2004–2026 from the chinese-calendar package (data migration 0002); 2027 is
not published yet, so it is the year the import tests fill in.
"""

import pytest

from office.workdays import services

# A made-up 2027 arrangement in the shape of a State Council notice (the real one is not out yet):
# 元旦 Fri 1 – Sun 3 January; 国庆节 Fri 1 – Thu 7 October, worked on Sun 26 September and Sat 9 October.
ARRANGEMENT_2027_CSV = """日期,类型,名称
2027-01-01,休,元旦
2027-01-02,休,元旦
2027-01-03,休,元旦
2027-09-26,班,国庆节
2027-10-01,休,国庆节
2027-10-02,休,国庆节
2027-10-03,休,国庆节
2027-10-04,休,国庆节
2027-10-05,休,国庆节
2027-10-06,休,国庆节
2027-10-07,休,国庆节
2027-10-09,班,国庆节
"""
ARRANGEMENT_2027_DAYS = 12
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


@pytest.fixture
def calendar_2027(sysadmin):
    """2027's arrangement imported by a system administrator, the way the admin page does it."""
    days = services.parse_arrangement_csv(2027, ARRANGEMENT_2027_CSV)
    return services.calendar_import_year(actor=sysadmin.user, year=2027, days=days, notice=NOTICE_2027)


@pytest.fixture(autouse=True)
def _calendar_survives_flushes(db):
    """The package years come from data migration 0002, not from post_migrate. A live-server
    (TransactionTestCase) test flushes every table after itself, so once tests/e2e has run — in this
    run or, with --reuse-db, an earlier one — the kept test database has no calendar at all. Put the
    package years back (inside this test's transaction) so these tests see what a migrated database
    holds. (The app-side fix: reload the package calendar on post_migrate, as for the role groups.)"""
    from office.workdays.models import CalendarYear

    if not CalendarYear.objects.filter(year=2025).exists():
        services.load_from_package()


@pytest.fixture(autouse=True)
def _sessions_in_cookies(settings):
    """Sessions live in Redis, and every test run (tests/conftest.py) empties that Redis database at
    the start and end of each test; a second run against the same services (another terminal, a
    parallel CI job) then logs this run's clients out mid-test. These tests are about the calendar,
    not session storage, so keep the session in the signed cookie."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
