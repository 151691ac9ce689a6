"""Importing a year's arrangement (the State Council notice) from CSV, by service and by the admin page."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse

from office.workdays import services
from office.workdays.models import CalendarDay, CalendarYear, Source
from tests.factories import make_person
from tests.workdays.conftest import ARRANGEMENT_2027_CSV, ARRANGEMENT_2027_DAYS, NOTICE_2027

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:workdays_calendaryear_import"


def year_snapshot(year: int):
    """What a year's calendar holds, to compare before and after."""
    days = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "name", "source"))
    header = CalendarYear.objects.filter(year=year).values_list("source", "notice").first()
    return header, days


def csv_upload(text: str, name: str = "2027.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- Parsing ----------------------------------------------------------------------------------


def test_parse_reads_holidays_and_make_up_days():
    """GIVEN a CSV with a header, 休 rows and 班 rows
    WHEN it is parsed for 2027
    THEN every row becomes a day, 休 a rest day and 班 a working day, with its name; the header is skipped."""
    days = services.parse_arrangement_csv(2027, ARRANGEMENT_2027_CSV)
    assert len(days) == ARRANGEMENT_2027_DAYS
    by_date = {day.date: day for day in days}
    assert by_date[date(2027, 10, 1)].is_workday is False
    assert by_date[date(2027, 10, 1)].name == "国庆节"
    assert by_date[date(2027, 10, 9)].is_workday is True
    assert by_date[date(2027, 9, 26)].is_workday is True


def test_parse_tolerates_bom_comments_blank_lines_and_english_kinds():
    """GIVEN a spreadsheet export: a byte-order mark, a comment, blank lines, spaces and English kinds
    WHEN it is parsed
    THEN the two dated rows are read and everything else is ignored."""
    text = "\ufeff# 国办发明电〔2026〕X号\n\n 2027-05-03 , holiday , 劳动节 \n2027-05-08,work,劳动节\n\n"
    days = services.parse_arrangement_csv(2027, text)
    assert [(day.date, day.is_workday, day.name) for day in days] == [
        (date(2027, 5, 3), False, "劳动节"),
        (date(2027, 5, 8), True, "劳动节"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("日期,类型,名称\n2027-10-01,休,国庆节\n2027-02-30,休,春节\n", "第3行：日期“2027-02-30”应写成 YYYY-MM-DD。"),
        ("2027/10/01,休,国庆节\n", "第1行：日期“2027/10/01”应写成 YYYY-MM-DD。"),
        ("2027-10-01,休,国庆节\n2026-10-01,休,国庆节\n", "第2行：2026-10-01不在2027年。"),
        ("2027-10-01,放,国庆节\n", "第1行：类型应为“休”或“班”。"),
        ("2027-10-01,休,国庆节\n2027-10-02,休,国庆节\n2027-10-01,班,国庆节\n", "第3行：2027-10-01重复。"),
        ("", "文件中没有任何日期。"),
        ("日期,类型,名称\n\n# 尚未公布\n", "文件中没有任何日期。"),
    ],
    ids=["impossible-date", "slashed-date", "wrong-year", "bad-kind", "duplicate", "empty", "header-only"],
)
def test_parse_errors_name_the_line(text, message):
    """GIVEN a CSV with one mistake
    WHEN it is parsed for 2027
    THEN a ValidationError says what is wrong and on which line."""
    with pytest.raises(ValidationError) as error:
        services.parse_arrangement_csv(2027, text)
    assert error.value.messages == [message]


def test_parse_lists_every_bad_line_at_once():
    """GIVEN a CSV with mistakes on lines 2, 4 and 5 and good rows around them
    WHEN it is parsed
    THEN all three lines are reported together, in order, so the clerk fixes the file in one go."""
    text = "2027-10-01,休,国庆节\n2027-13-01,休,x\n2027-10-02,休,国庆节\n2027-10-03,?,国庆节\n2028-01-01,休,元旦\n"
    with pytest.raises(ValidationError) as error:
        services.parse_arrangement_csv(2027, text)
    assert [message[:4] for message in error.value.messages] == ["第2行：", "第4行：", "第5行："]


# --- The import service ----------------------------------------------------------------------


def test_import_2027_marks_the_year_imported_and_completes_due_dates(sysadmin):
    """GIVEN no 2027 arrangement, so 30 days from 1 September 2027 end on Friday 1 October as a weekday
    WHEN a system administrator imports 2027 (国庆节 1–7 October)
    THEN CalendarYear 2027 is source=import with the notice, its 12 days are stored, and the same period now
    rolls over the holiday to Friday 8 October with a complete calendar."""
    before = services.due_date(date(2027, 9, 1), 30, "calendar_days")
    assert (before.due_date, before.calendar_complete) == (date(2027, 10, 1), False)

    days = services.parse_arrangement_csv(2027, ARRANGEMENT_2027_CSV)
    services.calendar_import_year(actor=sysadmin.user, year=2027, days=days, notice=NOTICE_2027)

    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.notice) == (Source.IMPORT, NOTICE_2027)
    assert CalendarDay.objects.filter(date__year=2027, source=Source.IMPORT).count() == ARRANGEMENT_2027_DAYS
    after = services.due_date(date(2027, 9, 1), 30, "calendar_days")
    assert (after.due_date, after.calendar_complete) == (date(2027, 10, 8), True)
    assert "该日为国庆节假期" in after.derivation
    assert "尚未录入" not in after.derivation


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (date(2027, 9, 30), 1, "working_days", date(2027, 10, 8)),  # 1–7 Oct skipped
        (date(2027, 9, 30), 2, "working_days", date(2027, 10, 9)),  # Sat 9 Oct is a make-up day
        (date(2027, 9, 24), 1, "working_days", date(2027, 9, 26)),  # Sat 25 rest, Sun 26 make-up day
        (date(2026, 12, 31), 1, "calendar_days", date(2027, 1, 4)),  # 元旦 1–3 Jan, across the year end
    ],
    ids=["skip-holiday", "make-up-saturday", "make-up-sunday", "new-year"],
)
def test_due_dates_across_imported_2027_holidays(calendar_2027, start, amount, unit, expected):
    """GIVEN 2027's arrangement imported
    WHEN a period runs into its holidays or make-up days
    THEN the imported days decide the due date, and the calendar is complete."""
    result = services.due_date(start, amount, unit)
    assert result.due_date == expected
    assert result.calendar_complete is True


def test_reimport_replaces_the_year_days(sysadmin, calendar_2027):
    """GIVEN 2027 imported with 国庆节 1–7 October
    WHEN a corrected file with only 2–8 October as holidays is imported
    THEN only the corrected days remain: 1 October is an ordinary Friday again and 8 October is a holiday."""
    corrected = "\n".join(f"2027-10-{day:02d},休,国庆节" for day in range(2, 9))
    days = services.parse_arrangement_csv(2027, corrected)
    services.calendar_import_year(actor=sysadmin.user, year=2027, days=days, notice="更正通知")

    stored = sorted(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True))
    assert stored == [date(2027, 10, day) for day in range(2, 9)]
    assert CalendarYear.objects.get(year=2027).notice == "更正通知"
    calendar = services.WorkCalendar()
    assert calendar.is_workday(date(2027, 10, 1)) is True
    assert calendar.is_workday(date(2027, 10, 8)) is False


def test_import_replaces_a_package_year_and_leaves_other_years_alone(sysadmin):
    """GIVEN 2025 and 2026 from the package
    WHEN an administrator imports a one-line arrangement for 2026
    THEN 2026 holds exactly that line and is marked imported, while 2025 is unchanged."""
    before_2025 = year_snapshot(2025)
    days = services.parse_arrangement_csv(2026, "2026-03-02,休,测试\n")
    services.calendar_import_year(actor=sysadmin.user, year=2026, days=days)

    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday")) == [
        (date(2026, 3, 2), False)
    ]
    assert CalendarYear.objects.get(year=2026).source == Source.IMPORT
    assert year_snapshot(2025) == before_2025


def test_a_non_admin_cannot_import(person):
    """GIVEN an ordinary member of staff
    WHEN they try to import 2027 through the service
    THEN they are refused and 2027 stays unpublished."""
    days = services.parse_arrangement_csv(2027, ARRANGEMENT_2027_CSV)
    with pytest.raises(PermissionDenied):
        services.calendar_import_year(actor=person.user, year=2027, days=days)
    assert year_snapshot(2027) == (None, [])


# --- The admin page --------------------------------------------------------------------------


def test_admin_changelist_offers_the_import_after_a_fresh_migrate(client, sysadmin):
    """GIVEN the role permissions as `migrate` leaves them on a fresh database (the workdays permissions are
    created by the same post_migrate run that grants the 系统管理员 role its permissions)
    WHEN a system administrator opens the list of yearly arrangements
    THEN the list is shown, with the package years and a link to the import page."""
    Permission.objects.filter(content_type__app_label="workdays").delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    client.force_login(sysadmin.user)
    response = client.get(reverse("admin:workdays_calendaryear_changelist"))
    assert response.status_code == 200
    assert reverse(IMPORT_URL) in response.content.decode()
    assert "2026" in response.content.decode()


def test_admin_import_page_shows_the_form(client, sysadmin):
    """GIVEN a system administrator
    WHEN they open the import page
    THEN they see the year, notice and file fields."""
    client.force_login(sysadmin.user)
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="year"' in page and 'name="notice"' in page and 'name="file"' in page
    assert "导入年度节假日安排" in page


def test_admin_imports_2027_from_a_csv_file(client, sysadmin):
    """GIVEN a system administrator on the import page and no 2027 arrangement
    WHEN they upload the 2027 CSV (saved with a byte-order mark) with the notice's title
    THEN they are sent back to the list with a success message, and 2027 is stored as imported."""
    client.force_login(sysadmin.user)
    response = client.post(
        reverse(IMPORT_URL),
        {"year": 2027, "notice": NOTICE_2027, "file": csv_upload("\ufeff" + ARRANGEMENT_2027_CSV)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workdays_calendaryear_changelist")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"已导入2027年节假日安排，共{ARRANGEMENT_2027_DAYS}天。"
    ]
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.notice) == (Source.IMPORT, NOTICE_2027)
    assert CalendarDay.objects.filter(date__year=2027).count() == ARRANGEMENT_2027_DAYS
    assert services.due_date(date(2027, 9, 30), 1, "working_days").due_date == date(2027, 10, 8)


def test_admin_import_with_errors_shows_the_lines_and_changes_nothing(client, sysadmin):
    """GIVEN 2026 from the package
    WHEN an administrator uploads a 2026 file with a bad date on line 2 and a duplicate on line 3
    THEN the page shows both line errors and 2026's calendar is exactly as before."""
    before = year_snapshot(2026)
    client.force_login(sysadmin.user)
    text = "2026-10-01,休,国庆节\n2026-02-30,休,春节\n2026-10-01,休,国庆节\n"
    response = client.post(reverse(IMPORT_URL), {"year": 2026, "notice": "", "file": csv_upload(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "第2行：日期“2026-02-30”应写成 YYYY-MM-DD。" in page
    assert "第3行：2026-10-01重复。" in page
    assert year_snapshot(2026) == before
    assert before[0] == (Source.PACKAGE, "chinese-calendar")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_upload(ARRANGEMENT_2027_CSV, encoding="gbk"), "文件应为 UTF-8 编码的 CSV。"),
        (csv_upload("2027-10-01,休,国庆节\n" + "#" * (64 * 1024)), "文件过大（最多 64 KB）。"),
    ],
    ids=["gbk-encoded", "too-large"],
)
def test_admin_import_refuses_unreadable_files(client, sysadmin, upload, message):
    """GIVEN a file saved as GBK, or larger than 64 KB
    WHEN an administrator uploads it
    THEN the page says why and 2027 stays unpublished."""
    client.force_login(sysadmin.user)
    response = client.post(reverse(IMPORT_URL), {"year": 2027, "notice": "", "file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert year_snapshot(2027) == (None, [])


def test_admin_import_requires_a_file_and_a_year(client, sysadmin):
    """GIVEN an administrator who submits the form empty
    WHEN the page answers
    THEN it asks for the year and the file, and nothing is imported."""
    client.force_login(sysadmin.user)
    response = client.post(reverse(IMPORT_URL), {"year": "", "notice": ""})  # as a browser sends it
    assert response.status_code == 200
    assert response.content.decode().count("该字段是必填项。") == 2
    assert not CalendarYear.objects.filter(source=Source.IMPORT).exists()


def test_admin_import_is_refused_to_ordinary_staff(client, person):
    """GIVEN an ordinary member of staff (not a system administrator)
    WHEN they post a 2027 file to the import page
    THEN they are sent to the admin login and 2027 stays unpublished."""
    client.force_login(person.user)
    url = reverse(IMPORT_URL)
    response = client.post(url, {"year": 2027, "notice": "", "file": csv_upload(ARRANGEMENT_2027_CSV)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert year_snapshot(2027) == (None, [])


def test_admin_import_is_refused_to_staff_without_the_admin_role(client):
    """GIVEN an account with admin-site access but without the 系统管理员 role
    WHEN it posts a 2027 file to the import page
    THEN the answer is 403 and 2027 stays unpublished."""
    person = make_person(name="李四")
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    client.force_login(person.user)
    response = client.post(reverse(IMPORT_URL), {"year": 2027, "notice": "", "file": csv_upload(ARRANGEMENT_2027_CSV)})
    assert response.status_code == 403
    assert year_snapshot(2027) == (None, [])


def test_anonymous_visitor_is_sent_to_login(client):
    """GIVEN nobody logged in
    WHEN the import page is opened
    THEN the visitor is sent to the admin login."""
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Reloading from the package ---------------------------------------------------------------


def test_reloading_the_package_keeps_imported_years(sysadmin):
    """GIVEN 2026 imported by an administrator (one line), 2027 imported, and a 2025 day lost from the calendar
    WHEN the package calendar is reloaded in full (as after an upgrade of chinese-calendar)
    THEN 2025 is reloaded from the package (the lost make-up day is back), while 2026 and 2027 keep the imported
    days and source."""
    services.calendar_import_year(
        actor=sysadmin.user, year=2026, days=services.parse_arrangement_csv(2026, "2026-03-02,休,测试\n")
    )
    services.calendar_import_year(
        actor=sysadmin.user, year=2027, days=services.parse_arrangement_csv(2027, ARRANGEMENT_2027_CSV)
    )
    CalendarDay.objects.filter(date=date(2025, 10, 11)).delete()
    imported_2026, imported_2027 = year_snapshot(2026), year_snapshot(2027)

    loaded = services.load_from_package(refresh=True)

    assert 2025 in loaded and 2026 not in loaded and 2027 not in loaded
    assert year_snapshot(2026) == imported_2026
    assert year_snapshot(2027) == imported_2027
    assert services.WorkCalendar().is_workday(date(2025, 10, 11)) is True


def test_loading_the_package_fills_in_missing_years_only(sysadmin):
    """GIVEN 2024 missing from the calendar and 2026 imported by an administrator
    WHEN the package calendar is loaded the way every migrate does it
    THEN only 2024 is loaded (its 春节 make-up Sunday 4 February is a working day again) and 2026 keeps the
    administrator's arrangement."""
    CalendarDay.objects.filter(date__year=2024).delete()
    CalendarYear.objects.filter(year=2024).delete()
    services.calendar_import_year(
        actor=sysadmin.user, year=2026, days=services.parse_arrangement_csv(2026, "2026-03-02,休,测试\n")
    )
    imported_2026 = year_snapshot(2026)

    assert services.load_from_package() == [2024]

    assert CalendarYear.objects.get(year=2024).source == Source.PACKAGE
    assert services.WorkCalendar().is_workday(date(2024, 2, 4)) is True
    assert year_snapshot(2026) == imported_2026


def test_reloading_the_package_can_replace_imported_years(sysadmin):
    """GIVEN 2026 imported by an administrator (one line)
    WHEN the package calendar is reloaded in full with replace_imported
    THEN 2026 comes back from the package: source package, 2 March an ordinary working day again and
    28 February (春节 make-up Saturday) a working day."""
    services.calendar_import_year(
        actor=sysadmin.user, year=2026, days=services.parse_arrangement_csv(2026, "2026-03-02,休,测试\n")
    )
    loaded = services.load_from_package(refresh=True, replace_imported=True)
    assert 2026 in loaded
    assert CalendarYear.objects.get(year=2026).source == Source.PACKAGE
    calendar = services.WorkCalendar()
    assert calendar.is_workday(date(2026, 3, 2)) is True
    assert calendar.is_workday(date(2026, 2, 28)) is True
