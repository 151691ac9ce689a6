"""A deadline's due date from its clock, its suspensions and its extensions, with the derivation.

The base period follows ``office.workdays.due_date`` (民法典 §201–203), and the derivation cites
the provision the period comes from (the kind's ``legal_basis``) as well as those articles.

* A pause adds back the days it covered: calendar days (a calendar-day or month clock) or working
  days (a working-day clock), from its first day to the day before the clock ran again. Only the
  day finally reached is moved past a rest day (§203), never the move plus the pause.
* A restart (补正 received) begins the whole period again the day the correction arrived.
* A 补登 pause (entered by the office chief after the period had run out) takes out no day after
  ``counts_until``, the due date in force when it was entered: one that began after that date adds
  nothing, one that began before adds only its days up to that date. It never stops the clock
  either, so an overdue deadline stays overdue on every list while it is open.
* An extension in months of a month clock lengthens the period itself: "3 months from 交办, up to
  6" is 6 months counted from 交办, rolled by §203 once — not 3 months from the rolled due date.
  Extensions in days or working days run on from the due date reached so far (for working days
  that is the same as counting from the start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.workdays.services import PeriodUnit, WorkCalendar, add_months, current_calendar, due_date, format_date

WEEKDAYS = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None
    restarts: bool
    reason: str
    # 补登: the due date in force when it was entered; no day after it is taken out of the clock.
    counts_until: date | None = None
    late_entry_reason: str = ""


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


def _days_between(first: date, stop: date, unit: str, cal: WorkCalendar) -> int:
    """The days from ``first`` up to the day before ``stop``: every day, or working days only."""
    days, day = 0, first
    while day < stop:
        if unit != PeriodUnit.WORKING_DAYS or cal.is_workday(day):
            days += 1
        day += timedelta(days=1)
    return days


def _basis_step(amount: int, unit: str, basis: str) -> str:
    values = {"basis": basis, "n": amount, "unit": amount_unit(unit)}
    if basis:
        return _("依据%(basis)s，期限为%(n)d%(unit)s；期间依照《民法典》第二百零一条至第二百零三条计算") % values
    return _("期限为%(n)d%(unit)s；期间依照《民法典》第二百零一条至第二百零三条计算") % values


def compute(
    start: date, amount: int, unit: str, pauses: list[Pause], extras: list[Extra], *, basis: str = ""
) -> Computed:
    cal = current_calendar()
    steps = [_basis_step(amount, unit, basis)]
    # A restart (补正 received) begins the period anew; only pauses after the last restart count.
    restarts = [pause for pause in pauses if pause.restarts and pause.end is not None]
    if restarts:
        last = restarts[-1]
        steps.append(_("%(reason)s，%(day)s收到后重新起算") % {"reason": last.reason, "day": format_date(last.end)})
        start = last.end
        pauses = [pause for pause in pauses if pause.start >= last.end]
    # A 补登 pause never stops the clock: its effect is bounded by counts_until, open or not.
    open_pause = next((p for p in pauses if p.end is None and p.counts_until is None), None)
    if open_pause is not None:
        steps.append(
            _("自%(day)s起中止（%(reason)s），期限暂停计算")
            % {"day": format_date(open_pause.start), "reason": open_pause.reason}
        )
        return Computed(due_date=None, steps=steps, suspended=True)

    # "N months, up to M": the longer period is counted from the same start (then §203 once).
    folds = unit == PeriodUnit.MONTHS
    folded = [extra for extra in extras if folds and extra.unit == PeriodUnit.MONTHS]
    extras = [extra for extra in extras if not (folds and extra.unit == PeriodUnit.MONTHS)]
    total = amount + sum(extra.amount for extra in folded)
    if folded:
        first_due = due_date(start, amount, unit, work_calendar=cal).due_date
        for extra in folded:
            steps.append(
                _("经批准延长%(n)d%(unit)s（%(reason)s）")
                % {"n": extra.amount, "unit": amount_unit(extra.unit), "reason": extra.reason}
            )
        steps.append(
            _("期限合计%(total)d个月，仍自起算日%(start)s起算，不从原%(amount)d个月期限的届满日%(first)s起算")
            % {"total": total, "start": format_date(start), "amount": amount, "first": format_date(first_due)}
        )

    base = due_date(start, total, unit, work_calendar=cal)
    # Without its closing "届满日为…" line (and its calendar note: ours below covers every year).
    steps.extend(base.steps[: -1 if base.calendar_complete else -2])
    last_day = base.due_date
    counted_unit = PeriodUnit.WORKING_DAYS if unit == PeriodUnit.WORKING_DAYS else PeriodUnit.CALENDAR_DAYS
    # The period's own last day, before §203 moves it past a rest day: paused calendar days are added
    # to it, and only the day finally reached is moved past a holiday (never the move plus the pause).
    counted_to = _period_end(start, total, unit, last_day)
    for pause in (p for p in pauses if not p.restarts and (p.end is not None or p.counts_until is not None)):
        lost, text = _pause(pause, counted_unit, cal)
        if lost:
            if counted_unit == PeriodUnit.WORKING_DAYS:
                counted_to = due_date(last_day, lost, counted_unit, work_calendar=cal).due_date
            else:
                counted_to += timedelta(days=lost)
            text += _("，不计入期限，顺延%(n)d%(unit)s至%(day)s") % {
                "n": lost,
                "unit": amount_unit(counted_unit),
                "day": format_date(counted_to),
            }
        steps.append(text)
        if lost:
            last_day = cal.next_workday(counted_to)
            if last_day != counted_to:
                steps.append(
                    _("该日为%(why)s，顺延至休息日结束的次日%(moved)s（第二百零三条）")
                    % {"why": cal.describe(counted_to), "moved": format_date(last_day)}
                )
    for extra in extras:
        extended = due_date(last_day, extra.amount, extra.unit, work_calendar=cal).due_date
        raw = _period_end(last_day, extra.amount, extra.unit, extended)
        rolled = ""
        if raw != extended:
            rolled = _("，%(raw)s为%(why)s，依第二百零三条顺延") % {"raw": format_date(raw), "why": cal.describe(raw)}
        steps.append(
            _("经批准延长%(n)d%(unit)s（%(reason)s），至%(day)s（自原届满日%(from)s的次日起算%(rolled)s）")
            % {
                "n": extra.amount,
                "unit": amount_unit(extra.unit),
                "reason": extra.reason,
                "day": format_date(extended),
                "from": format_date(last_day),
                "rolled": rolled,
            }
        )
        last_day = extended
    if last_day.weekday() >= 5 and cal.is_workday(last_day):
        # A Saturday or Sunday here is a 调休 working day (§203 moved every rest day): it stands.
        steps.append(
            _("%(day)s（%(weekday)s）为调休工作日，期限届满日不顺延")
            % {"day": format_date(last_day), "weekday": WEEKDAYS[last_day.weekday()]}
        )
    if cal.unknown_years:
        listed = "、".join(str(year) for year in sorted(cal.unknown_years))
        steps.append(_("注意：%(years)s年的节假日安排尚未录入，该年只按周末计算，日期可能变动") % {"years": listed})
    steps.append(_("期限届满日为%(day)s") % {"day": format_date(last_day)})
    return Computed(due_date=last_day, steps=steps, calendar_complete=not cal.unknown_years)


def _period_end(start: date, amount: int, unit: str, counted: date) -> date:
    """The period's own last day before §203 (``counted`` for working days, which never land on a rest day)."""
    if unit == PeriodUnit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    if unit == PeriodUnit.MONTHS:
        return add_months(start, amount)
    return counted


def _pause(pause: Pause, unit: str, cal: WorkCalendar) -> tuple[int, str]:
    """The days a pause takes out of the clock, and the derivation's words for it (without the move)."""
    how = _("按工作日计其中") if unit == PeriodUnit.WORKING_DAYS else _("按日历日计共")
    stop = pause.end
    if pause.counts_until is None:
        head = _("中止（%(reason)s）：%(start)s起中止，%(end)s恢复计算") % {
            "reason": pause.reason,
            "start": format_date(pause.start),
            "end": format_date(pause.end),
        }
    else:
        # 补登: nothing after the due date in force when it was entered is taken out.
        limit = pause.counts_until + timedelta(days=1)
        stop = limit if stop is None else min(stop, limit)
        resumed = _("，%(end)s恢复计算") % {"end": format_date(pause.end)} if pause.end else ""
        head = _(
            "中止（%(reason)s）：%(start)s起中止%(resumed)s；系期限届满后由办公室主任补登（%(late)s），"
            "补登时的届满日%(until)s之后的中止时间不计入"
        ) % {
            "reason": pause.reason,
            "start": format_date(pause.start),
            "resumed": resumed,
            "late": pause.late_entry_reason,
            "until": format_date(pause.counts_until),
        }
        if pause.start > pause.counts_until:
            return 0, head + _("，中止开始时期限已届满，期限不顺延")
    lost = _days_between(pause.start, stop, unit, cal)
    span = _("中止首日%(first)s至末日%(last)s") % {
        "first": format_date(pause.start),
        "last": format_date(stop - timedelta(days=1)),
    }
    if stop <= pause.start:
        return 0, _("%(head)s；当日恢复，期限不顺延") % {"head": head}
    if not lost:
        return 0, _("%(head)s；%(span)s，其间没有工作日，期限不顺延") % {"head": head, "span": span}
    return lost, _("%(head)s；%(span)s，%(how)s%(n)d%(unit)s") % {
        "head": head,
        "span": span,
        "how": how,
        "n": lost,
        "unit": amount_unit(unit),
    }
