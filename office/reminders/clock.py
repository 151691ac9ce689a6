"""A deadline's due date from its clock, its suspensions and its extensions, with the derivation.

The base period follows ``office.workdays.due_date`` (民法典 §201–203). A suspension that pauses
the clock adds back the days it covered (calendar days, or working days for a working-day clock);
one that restarts it (补正) begins the whole period again the day the correction arrived. An
extension runs on from the due date reached so far, by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from office.workdays.services import PeriodUnit, WorkCalendar, add_months, due_date, format_date


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None
    restarts: bool
    reason: str


@dataclass(frozen=True)
class Extra:
    amount: int
    unit: str
    reason: str


@dataclass
class Computed:
    due_date: date | None
    steps: list[str] = field(default_factory=list)
    calendar_complete: bool = True
    suspended: bool = False

    @property
    def derivation(self) -> str:
        return "；".join(self.steps) + "。"


def amount_unit(unit: str) -> str:
    """The unit after a number in Chinese: 9日, 9个工作日, 3个月."""
    return {PeriodUnit.WORKING_DAYS: _("个工作日")}.get(unit, str(PeriodUnit(unit).label))


def _paused_days(pause: Pause, unit: str, cal: WorkCalendar) -> int:
    """The days a pause takes out of the clock: from its first day to the day before it ended."""
    days, day = 0, pause.start
    while day < pause.end:
        if unit != PeriodUnit.WORKING_DAYS or cal.is_workday(day):
            days += 1
        day += timedelta(days=1)
    return days


def compute(start: date, amount: int, unit: str, pauses: list[Pause], extras: list[Extra]) -> Computed:
    cal = WorkCalendar()
    # A restart (补正 received) begins the period anew; only pauses after the last restart count.
    restarts = [pause for pause in pauses if pause.restarts and pause.end is not None]
    steps: list[str] = []
    if restarts:
        last = restarts[-1]
        steps.append(_("%(reason)s，%(day)s收到后重新起算") % {"reason": last.reason, "day": format_date(last.end)})
        start = last.end
        pauses = [pause for pause in pauses if pause.start >= last.end]
    open_pause = next((pause for pause in pauses if pause.end is None), None)
    if open_pause is not None:
        steps.append(
            _("自%(day)s起中止（%(reason)s），期限暂停计算")
            % {"day": format_date(open_pause.start), "reason": open_pause.reason}
        )
        return Computed(due_date=None, steps=steps, suspended=True)

    base = due_date(start, amount, unit, work_calendar=cal)
    # Without its closing "届满日为…" line (and its calendar note: ours below covers every year).
    steps.extend(base.steps[: -1 if base.calendar_complete else -2])
    last_day = base.due_date
    counted_unit = PeriodUnit.WORKING_DAYS if unit == PeriodUnit.WORKING_DAYS else PeriodUnit.CALENDAR_DAYS
    # The period's own last day, before §203 moves it past a rest day: paused calendar days are added
    # to it, and only the day finally reached is moved past a holiday (never the move plus the pause).
    counted_to = last_day
    if unit == PeriodUnit.CALENDAR_DAYS:
        counted_to = start + timedelta(days=amount)
    elif unit == PeriodUnit.MONTHS:
        counted_to = add_months(start, amount)
    for pause in (p for p in pauses if not p.restarts and p.end is not None):
        lost = _paused_days(pause, counted_unit, cal)
        if lost:
            if counted_unit == PeriodUnit.WORKING_DAYS:
                counted_to = due_date(last_day, lost, counted_unit, work_calendar=cal).due_date
            else:
                counted_to += timedelta(days=lost)
            steps.append(
                _("%(start)s至%(end)s中止（%(reason)s），不计入期限，顺延%(n)d%(unit)s至%(day)s")
                % {
                    "start": format_date(pause.start),
                    "end": format_date(pause.end - timedelta(days=1)),
                    "reason": pause.reason,
                    "n": lost,
                    "unit": amount_unit(counted_unit),
                    "day": format_date(counted_to),
                }
            )
            last_day = cal.next_workday(counted_to)
            if last_day != counted_to:
                steps.append(
                    _("该日为%(why)s，顺延至休息日结束的次日%(moved)s（第二百零三条）")
                    % {"why": cal.describe(counted_to), "moved": format_date(last_day)}
                )
    for extra in extras:
        extended = due_date(last_day, extra.amount, extra.unit, work_calendar=cal)
        steps.append(
            _("经批准延长%(n)d%(unit)s（%(reason)s），至%(day)s")
            % {
                "n": extra.amount,
                "unit": amount_unit(extra.unit),
                "reason": extra.reason,
                "day": format_date(extended.due_date),
            }
        )
        last_day = extended.due_date
    if cal.unknown_years:
        listed = "、".join(str(year) for year in sorted(cal.unknown_years))
        steps.append(_("注意：%(years)s年的节假日安排尚未录入，该年只按周末计算，日期可能变动") % {"years": listed})
    steps.append(_("期限届满日为%(day)s") % {"day": format_date(last_day)})
    return Computed(due_date=last_day, steps=steps, calendar_complete=not cal.unknown_years)
