"""Due dates by the Civil Code's rules on periods, over the working-day calendar.

《民法典》 §201: the day a period starts is not counted; it runs from the next day.
§202: a period in months ends on the corresponding day of the last month, or on that month's last
day where it has no corresponding day.
§203: when the last day is a statutory rest day, the period ends on the day after the rest ends
(the next working day).

Every result carries its derivation in words, so a person can see why the date is what it is.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import io
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.workdays.models import CalendarDay, CalendarYear, Source

MAX_AMOUNT = {"calendar_days": 3660, "working_days": 2500, "months": 120}


class PeriodUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", gettext_lazy("日")
    WORKING_DAYS = "working_days", gettext_lazy("工作日")
    MONTHS = "months", gettext_lazy("个月")


def format_date(day: date) -> str:
    """Chinese official style: full year, no zero padding (2026年1月5日)."""
    return _("%(year)d年%(month)d月%(day)d日") % {"year": day.year, "month": day.month, "day": day.day}


class _Exception(NamedTuple):
    """A day the calendar lists: a holiday (or a weekday off) or a 调休 working day."""

    is_workday: bool
    name: str


class WorkCalendar:
    """The calendar as the due-date rules read it, loaded one year at a time (one query each).
    Within a request every reader shares one (``current_calendar``)."""

    def __init__(self) -> None:
        self._years: dict[int, dict[date, _Exception]] = {}
        self._known: dict[int, bool] = {}
        self.unknown_years: set[int] = set()

    def _load(self, year: int) -> dict[date, _Exception]:
        if year not in self._years:
            # The days and whether the year's arrangement is known, in one query (plain rows).
            known = Exists(CalendarYear.objects.filter(year=year))
            rows = list(
                CalendarDay.objects.filter(date__year=year)
                .annotate(year_known=known)
                .values_list("date", "is_workday", "name", "year_known")
            )
            self._years[year] = {day: _Exception(is_workday, name) for day, is_workday, name, _known in rows}
            self._known[year] = rows[0][3] if rows else CalendarYear.objects.filter(year=year).exists()
        if not self._known[year]:
            self.unknown_years.add(year)
        return self._years[year]

    def is_known(self, year: int) -> bool:
        self._load(year)
        return self._known[year]

    def is_workday(self, day: date) -> bool:
        exception = self._load(day.year).get(day)
        if exception is not None:
            return exception.is_workday
        return day.weekday() < 5

    def describe(self, day: date) -> str:
        """Why a day is a rest day or a working day, in words."""
        exception = self._load(day.year).get(day)
        if exception is not None:
            if exception.is_workday:
                return _("%(name)s调休上班") % {"name": exception.name}
            return _("%(name)s假期") % {"name": exception.name} if exception.name else _("休息日")
        return _("周末") if day.weekday() >= 5 else _("工作日")

    def next_workday(self, day: date) -> date:
        """The first working day on or after ``day``."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class DueDate:
    due_date: date
    steps: list[str] = field(default_factory=list)
    calendar_complete: bool = True

    @property
    def derivation(self) -> str:
        return "；".join(self.steps) + "。"


# The request's calendar (``calendar_scope``, entered by ``office.middleware.WorkCalendarMiddleware``).
_current: ContextVar[WorkCalendar | None] = ContextVar("work_calendar", default=None)


def current_calendar() -> WorkCalendar:
    """The calendar of the request being served (one load per year per request), or a fresh one
    outside a request (tasks, commands: they may run for days while the calendar changes)."""
    return _current.get() or WorkCalendar()


@contextmanager
def calendar_scope():
    token = _current.set(WorkCalendar())
    try:
        yield
    finally:
        _current.reset(token)


def _forget_current_calendar() -> None:
    """After the calendar changes, the request reads it afresh."""
    if _current.get() is not None:
        _current.set(WorkCalendar())


def add_months(start: date, months: int) -> date:
    """§202: the corresponding day of the final month, or its last day where there is none."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))


class PeriodOutOfRange(ValueError):
    """The period cannot be computed (a bad amount, or a date past the calendar's range)."""


def due_date(start: date, amount: int, unit: str, *, work_calendar: WorkCalendar | None = None) -> DueDate:
    """The last day of a period of ``amount`` ``unit`` starting on ``start``, with its derivation.

    Raises :class:`PeriodOutOfRange` with a message for people when it cannot be computed."""
    unit = PeriodUnit(unit)
    if amount < 0 or amount > MAX_AMOUNT[unit]:
        raise PeriodOutOfRange(_("期限数量应在 0 到 %(max)d 之间。") % {"max": MAX_AMOUNT[unit]})
    try:
        return _due_date(start, amount, unit, work_calendar or current_calendar())
    except (OverflowError, ValueError) as exc:  # past 9999-12-31
        raise PeriodOutOfRange(_("期限超出可计算的日期范围。")) from exc


def _due_date(start: date, amount: int, unit: PeriodUnit, cal: WorkCalendar) -> DueDate:
    steps = [_("起算日%(start)s当日不计入，自次日起算（《民法典》第二百零一条）") % {"start": format_date(start)}]

    if unit == PeriodUnit.WORKING_DAYS:
        day, counted, skipped = start, 0, 0
        while counted < amount:
            day += timedelta(days=1)
            if cal.is_workday(day):
                counted += 1
            else:
                skipped += 1
        steps.append(
            _("数满%(amount)d个工作日（跳过周末和节假日%(skipped)d天，调休上班日计入），第%(amount)d个工作日为%(day)s")
            % {"amount": amount, "skipped": skipped, "day": format_date(day)}
        )
        last = day
    elif unit == PeriodUnit.MONTHS:
        last = add_months(start, amount)
        rule = _("按月计算，到期月的对应日为最后一日，无对应日的为月末日（第二百零二条）")
        steps.append(_("%(rule)s：%(day)s") % {"rule": rule, "day": format_date(last)})
    else:
        last = start + timedelta(days=amount)
        steps.append(_("%(amount)d日期间的最后一日为%(day)s") % {"amount": amount, "day": format_date(last)})
    # Only a period of zero working days can still end on a rest day here.
    if not cal.is_workday(last):
        moved = cal.next_workday(last)
        steps.append(
            _("该日为%(why)s，顺延至休息日结束的次日%(moved)s（第二百零三条）")
            % {"why": cal.describe(last), "moved": format_date(moved)}
        )
        last = moved

    years = range(start.year, last.year + 1)
    unknown = sorted(year for year in years if not cal.is_known(year))
    if unknown:
        listed = "、".join(str(year) for year in unknown)
        steps.append(_("注意：%(years)s年的节假日安排尚未录入，该年只按周末计算，日期可能变动") % {"years": listed})
    steps.append(_("期限届满日为%(day)s") % {"day": format_date(last)})
    return DueDate(due_date=last, steps=steps, calendar_complete=not unknown)


def workdays_between(first: date, last: date) -> list[tuple[date, bool, str]]:
    """Every day from ``first`` to ``last`` inclusive: (date, is working day, description)."""
    cal = WorkCalendar()
    count = (last - first).days + 1
    days = [first + timedelta(days=offset) for offset in range(max(count, 0))]
    return [(day, cal.is_workday(day), cal.describe(day)) for day in days]


def calendar_complete(first: date, last: date) -> bool:
    return all(CalendarYear.objects.filter(year=year).exists() for year in range(first.year, last.year + 1))


def missing_next_year(today: date) -> int | None:
    """The coming year, if its arrangement is not in the calendar yet (published around November)."""
    next_year = today.year + 1
    return None if CalendarYear.objects.filter(year=next_year).exists() else next_year


# --- Loading the calendar ----------------------------------------------------------------------

HOLIDAY_WORDS = {"休", "假", "holiday", "rest", "off"}
WORKDAY_WORDS = {"班", "上班", "workday", "work"}


@dataclass(frozen=True)
class ImportedDay:
    date: date
    is_workday: bool
    name: str


def parse_arrangement_csv(year: int, text: str) -> list[ImportedDay]:
    """Rows of ``date,kind,name``: kind 休 (holiday) or 班 (make-up working day). All or nothing."""
    errors, days, seen = [], [], set()
    for line_number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if line_number == 1 and row[0].strip().lower() in {"date", "日期"}:
            continue
        cells = [cell.strip() for cell in row] + ["", ""]
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            errors.append(
                _("第%(line)d行：日期“%(value)s”应写成 YYYY-MM-DD。") % {"line": line_number, "value": cells[0]}
            )
            continue
        kind = cells[1].lower()
        if kind not in HOLIDAY_WORDS | WORKDAY_WORDS:
            errors.append(_("第%(line)d行：类型应为“休”或“班”。") % {"line": line_number})
            continue
        if day.year != year:
            errors.append(
                _("第%(line)d行：%(day)s不在%(year)d年。") % {"line": line_number, "day": cells[0], "year": year}
            )
            continue
        if day in seen:
            errors.append(_("第%(line)d行：%(day)s重复。") % {"line": line_number, "day": cells[0]})
            continue
        seen.add(day)
        days.append(ImportedDay(date=day, is_workday=kind in WORKDAY_WORDS, name=cells[2][:50]))
    if not days and not errors:
        errors.append(_("文件中没有任何日期。"))
    if errors:
        raise ValidationError(errors)
    return days


@transaction.atomic
def calendar_import_year(*, actor, year: int, days: list[ImportedDay], notice: str = "") -> CalendarYear:
    """Replace one year's arrangement with the State Council's notice as entered by an administrator."""
    if not actor.is_system_admin:
        raise PermissionDenied(_("只有系统管理员可以导入节假日安排。"))
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day.date, is_workday=day.is_workday, name=day.name, source=Source.IMPORT) for day in days
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": Source.IMPORT, "notice": notice}
    )
    _forget_current_calendar()
    return calendar_year


def load_from_package(
    *, year_model=CalendarYear, day_model=CalendarDay, refresh: bool = False, replace_imported: bool = False
) -> list[int]:
    """Load the years the chinese-calendar package knows that the calendar lacks (all of them
    again with ``refresh``). Years an administrator imported are kept unless ``replace_imported``.
    Takes the models so a data migration can pass its own."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese_names = {holiday.value: holiday.chinese for holiday in Holiday}
    by_year: dict[int, list] = {}
    for day, name in chinese_calendar.holidays.items():
        by_year.setdefault(day.year, []).append((day, False, chinese_names.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # the package also lists plain weekdays; only 调休 days are exceptions
            by_year.setdefault(day.year, []).append((day, True, chinese_names.get(name, name)))

    present = dict(year_model.objects.values_list("year", "source"))
    loaded = []
    for year, rows in sorted(by_year.items()):
        source = present.get(year)
        if source == Source.IMPORT and not replace_imported:
            continue
        if source == Source.PACKAGE and not refresh:
            continue
        day_model.objects.filter(date__year=year).delete()
        day_model.objects.bulk_create(
            day_model(date=day, is_workday=is_workday, name=name, source=Source.PACKAGE)
            for day, is_workday, name in rows
        )
        year_model.objects.update_or_create(
            year=year, defaults={"source": Source.PACKAGE, "notice": "chinese-calendar"}
        )
        loaded.append(year)
    return loaded
