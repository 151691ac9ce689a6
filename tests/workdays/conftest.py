"""Shared setup for the working-day calendar tests.

The test database holds 2004–2026 from the chinese-calendar package (loaded when the database is
migrated); 2027 is not published yet, so it is the year the import tests fill in.
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
