"""Every statutory clock of a 信访 case (``office.reminders.presets``), opened through ``open_preset``
on a case created with the ORM, with its boundaries over the 2025 working-day calendar the test
database holds (chinese-calendar):

- 春节 28 January – 4 February, worked on Sunday 26 January and Saturday 8 February;
- 清明 4–6 April; 劳动节 1–5 May; 端午 31 May – 2 June;
- 国庆/中秋 1–8 October, worked on Sunday 28 September and Saturday 11 October.

A period in 日 does not count its start day (《民法典》第二百零一条) and, ending on a rest day, runs to
the next working day (第二百零三条); a 调休 Saturday or Sunday is a working day and stands. Each
expected date is counted by hand in the test's comments. Suspensions and extensions are recorded
on the day the test travels to (the clock refuses them once the period has run out).
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from office.reminders import services
from office.reminders.models import DeadlineKind
from office.reminders.presets import open_preset, preset, window_end
from office.workflow import TransitionNotAllowed
from petitions.models import Kind
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_clock(petition_org, make_petition_case):
    """Open the preset ``code`` on a fresh case (start ``start``), the 信访员 who registered it responsible.
    The clock is frozen on the start day for the rest of the test (move it with ``travel``)."""
    travellers = []

    def _open(code: str, start: date, **case_fields):
        case = make_petition_case(received_on=start, **case_fields)
        traveller = time_machine.travel(at(start), tick=False)
        traveller.start()
        travellers.append(traveller)
        return open_preset(
            code,
            actor=petition_org.registrar.user,
            subject=case,
            start=start,
            responsible_person=petition_org.registrar,
        )

    yield _open
    for traveller in travellers:
        traveller.stop()


def travel(day: date):
    return time_machine.travel(at(day), tick=False)


def extend(deadline, amount: int, approver):
    return services.deadline_extend(
        actor=approver.user, deadline=deadline, amount=amount, reason="需补充调查取证", approved_by=approver
    )


# --- 信访事项分流: 15日 from 登记 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # 4 Mar is day 1 (3 Mar, the day of registration, is not counted): day 15 is Tue 18 Mar.
        (date(2025, 3, 3), date(2025, 3, 18)),
        # Fri 7 Mar + 15 = Sat 22 Mar, a plain weekend: Mon 24 Mar.
        (date(2025, 3, 7), date(2025, 3, 24)),
        # Tue 16 Sep + 15 = Wed 1 Oct, the first day of 国庆 (1–8 Oct): Thu 9 Oct.
        (date(2025, 9, 16), date(2025, 10, 9)),
        # Fri 26 Sep + 15 = Sat 11 Oct (26 + 15 = 41, less September's 30): a 调休 working Saturday, it stands.
        (date(2025, 9, 26), date(2025, 10, 11)),
        # Sat 13 Sep (an online petition) + 15 = Sun 28 Sep: a 调休 working Sunday, it stands.
        (date(2025, 9, 13), date(2025, 9, 28)),
    ],
    ids=["plain", "plain-saturday-rolls", "national-day-rolls", "make-up-saturday-stands", "make-up-sunday-stands"],
)
def test_routing_within_15_days_of_registration(open_clock, start, due):
    deadline = open_clock("petition-route", start)

    assert deadline.kind.code == "petition-route"
    assert deadline.due_date == due
    assert deadline.calendar_complete is True
    assert deadline.derivation.endswith(f"期限届满日为{due.year}年{due.month}月{due.day}日。")


def test_routing_ending_in_the_national_day_holiday_explains_the_roll(open_clock):
    deadline = open_clock("petition-route", date(2025, 9, 16))

    assert "起算日2025年9月16日当日不计入" in deadline.derivation
    assert "15日期间的最后一日为2025年10月1日" in deadline.derivation
    assert "顺延至休息日结束的次日2025年10月9日（第二百零三条）" in deadline.derivation


def test_routing_ending_on_a_make_up_saturday_says_it_does_not_roll(open_clock):
    deadline = open_clock("petition-route", date(2025, 9, 26))

    assert "2025年10月11日（星期六）为调休工作日，期限届满日不顺延" in deadline.derivation


# --- 受理告知: 15日 from 收到转送、交办 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Mon 20 Jan + 15 = Tue 4 Feb, the last day of 春节 (28 Jan – 4 Feb): Wed 5 Feb.
        (date(2025, 1, 20), date(2025, 2, 5)),
        # Fri 24 Jan + 15 = Sat 8 Feb (24 + 15 = 39, less January's 31): a 调休 working Saturday, it stands.
        (date(2025, 1, 24), date(2025, 2, 8)),
        # Sat 25 Jan + 15 = Sun 9 Feb, a plain Sunday after the make-up Saturday: Mon 10 Feb.
        (date(2025, 1, 25), date(2025, 2, 10)),
        # Mon 3 Mar + 15 = Tue 18 Mar, a working day.
        (date(2025, 3, 3), date(2025, 3, 18)),
    ],
    ids=["spring-festival-rolls", "make-up-saturday-stands", "sunday-after-make-up-rolls", "plain"],
)
def test_acceptance_notice_within_15_days_of_receipt(open_clock, start, due):
    deadline = open_clock("petition-accept", start)

    assert deadline.kind.code == "petition-accept"
    assert deadline.due_date == due


# --- 异议: 5个工作日 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Tue 4, Wed 5, Thu 6, Fri 7 are 1–4; Sat 8 and Sun 9 are skipped; Mon 10 Mar is the 5th.
        (date(2025, 3, 3), date(2025, 3, 10)),
        # Fri 26 Sep 1; Sat 27 rest; Sun 28 (调休) 2; Mon 29 3; Tue 30 4; 1–8 Oct holiday; Thu 9 Oct 5.
        # Without the make-up Sunday it would be Fri 10 Oct.
        (date(2025, 9, 25), date(2025, 10, 9)),
        # 28 Jan – 4 Feb holiday; Wed 5 1, Thu 6 2, Fri 7 3, Sat 8 (调休) 4, Sun 9 rest, Mon 10 Feb 5.
        (date(2025, 1, 27), date(2025, 2, 10)),
        # Received on 1 Oct, a holiday: Thu 9 1, Fri 10 2, Sat 11 (调休) 3, Mon 13 4, Tue 14 Oct 5.
        (date(2025, 10, 1), date(2025, 10, 14)),
    ],
    ids=[
        "skips-the-weekend",
        "national-day-counts-make-up-sunday",
        "spring-festival-counts-make-up-saturday",
        "from-a-holiday",
    ],
)
def test_objection_within_5_working_days(open_clock, start, due):
    deadline = open_clock("petition-object", start)

    assert deadline.kind.code == "petition-object"
    assert deadline.unit == "working_days"
    assert deadline.due_date == due
    assert f"第5个工作日为{due.year}年{due.month}月{due.day}日" in deadline.derivation


# --- 办理: 60日, one extension of at most 30 ------------------------------------------------------


def test_handling_within_60_days_rolls_past_labour_day(open_clock):
    # Mon 3 Mar: 4–31 Mar 28 days, April 30 (58), 1 May 59, Fri 2 May 60 — inside 劳动节 (1–5 May): Tue 6 May.
    deadline = open_clock("petition-handle", date(2025, 3, 3))

    assert deadline.kind.code == "petition"
    assert deadline.due_date == date(2025, 5, 6)
    assert "60日期间的最后一日为2025年5月2日" in deadline.derivation


def test_one_extension_of_30_days_runs_on_from_the_due_date(open_clock, petition_org):
    # Mon 7 Apr: 8–30 Apr 23 days, May 31 (54), 1–6 Jun: Fri 6 Jun is the 60th day, a working day.
    deadline = open_clock("petition-handle", date(2025, 4, 7))
    assert deadline.due_date == date(2025, 6, 6)

    # Extended on the due date itself (still running): 6 Jun + 30 = Sun 6 Jul, rest: Mon 7 Jul.
    with travel(date(2025, 6, 6)):
        deadline = extend(deadline, 30, petition_org.leader)

    assert deadline.due_date == date(2025, 7, 7)
    assert "经批准延长30日（需补充调查取证），至2025年7月7日" in deadline.derivation
    assert deadline.extensions.count() == 1


def test_a_second_extension_is_refused(open_clock, petition_org):
    deadline = open_clock("petition-handle", date(2025, 4, 7))  # due Fri 6 Jun
    with travel(date(2025, 5, 30)):
        # 6 Jun + 10 = Mon 16 Jun.
        deadline = extend(deadline, 10, petition_org.leader)
        assert deadline.due_date == date(2025, 6, 16)

        # 10 + 5 would be well within the 30 days, but the regulation allows one extension.
        with pytest.raises(ValidationError, match="最多延期1次"):
            extend(deadline, 5, petition_org.leader)

    deadline.refresh_from_db()
    assert deadline.due_date == date(2025, 6, 16)
    assert deadline.extensions.count() == 1


def test_an_extension_of_31_days_is_refused(open_clock, petition_org):
    deadline = open_clock("petition-handle", date(2025, 4, 7))  # due Fri 6 Jun
    with travel(date(2025, 5, 30)), pytest.raises(ValidationError, match="延期合计不得超过30日"):
        extend(deadline, 31, petition_org.leader)

    deadline.refresh_from_db()
    assert deadline.due_date == date(2025, 6, 6)
    assert not deadline.extensions.exists()


def test_an_extension_after_the_due_date_is_refused(open_clock, petition_org):
    deadline = open_clock("petition-handle", date(2025, 4, 7))  # due Fri 6 Jun
    # Saturday 7 June: the 60 days ran out yesterday, an expired period is not revived.
    with travel(date(2025, 6, 7)), pytest.raises(TransitionNotAllowed, match="2025年6月6日届满"):
        extend(deadline, 10, petition_org.leader)

    deadline.refresh_from_db()
    assert deadline.due_date == date(2025, 6, 6)
    assert not deadline.extensions.exists()


def test_the_handling_kind_carries_the_statutory_extension_rule():
    kind = DeadlineKind.objects.get(code="petition")

    assert (kind.max_extensions, kind.extension_cap_amount, kind.extension_cap_unit) == (1, 30, "calendar_days")


# --- 复查 / 复核: 30日, 听证 not counted ---------------------------------------------------------


def test_review_within_30_days_and_the_hearing_adds_its_days_back(open_clock, petition_org):
    # Mon 3 Mar: 4–31 Mar 28 days, 1–2 Apr: Wed 2 Apr is the 30th day, a working day.
    deadline = open_clock("petition-review", date(2025, 3, 3))
    assert deadline.kind.code == "petition-review"
    assert deadline.due_date == date(2025, 4, 2)

    actor = petition_org.registrar.user
    with travel(date(2025, 3, 10)):
        deadline = services.deadline_suspend(actor=actor, deadline=deadline, on=date(2025, 3, 10), reason="听证")
    # While the hearing runs the clock is stopped: no due date.
    assert deadline.suspended is True
    assert deadline.due_date is None

    with travel(date(2025, 3, 17)):
        deadline = services.deadline_resume(actor=actor, deadline=deadline, on=date(2025, 3, 17))
    # Paused 10–16 Mar: 7 calendar days; 2 Apr + 7 = Wed 9 Apr, a working day.
    assert deadline.suspended is False
    assert deadline.due_date == date(2025, 4, 9)
    assert "按日历日计共7日，不计入期限，顺延7日至2025年4月9日" in deadline.derivation


def test_rereview_hearing_days_are_added_to_the_period_before_the_roll(open_clock, petition_org):
    # Wed 5 Mar: 6–31 Mar 26 days, 1–4 Apr: Fri 4 Apr is the 30th day, inside 清明 (4–6 Apr): Mon 7 Apr.
    deadline = open_clock("petition-rereview", date(2025, 3, 5))
    assert deadline.kind.code == "petition-review"
    assert deadline.due_date == date(2025, 4, 7)

    actor = petition_org.registrar.user
    with travel(date(2025, 3, 10)):
        deadline = services.deadline_suspend(actor=actor, deadline=deadline, on=date(2025, 3, 10), reason="听证")
    with travel(date(2025, 3, 14)):
        deadline = services.deadline_resume(actor=actor, deadline=deadline, on=date(2025, 3, 14))
    # Paused 10–13 Mar: 4 days, added to the period's own last day: 4 Apr + 4 = Tue 8 Apr (not the
    # rolled 7 Apr + 4 = 11 Apr).
    assert deadline.due_date == date(2025, 4, 8)


# --- The petitioner's window: 30日 to ask for 复查 / 复核 ----------------------------------------


@pytest.mark.parametrize(
    ("code", "received", "last_day"),
    [
        # Mon 3 Mar + 30 = Wed 2 Apr.
        ("petition-review-request", date(2025, 3, 3), date(2025, 4, 2)),
        # Mon 1 Sep + 30 = Wed 1 Oct, 国庆: Thu 9 Oct.
        ("petition-review-request", date(2025, 9, 1), date(2025, 10, 9)),
        # Fri 7 Mar: 8–31 Mar 24 days, 1–6 Apr: Sun 6 Apr, 清明: Mon 7 Apr.
        ("petition-rereview-request", date(2025, 3, 7), date(2025, 4, 7)),
        # Thu 11 Sep + 30 = Sat 11 Oct, a 调休 working Saturday: the window closes that day.
        ("petition-rereview-request", date(2025, 9, 11), date(2025, 10, 11)),
    ],
    ids=["plain", "national-day-rolls", "qingming-rolls", "make-up-saturday-stands"],
)
def test_the_petitioners_30_day_window(code, received, last_day):
    assert window_end(code, received) == last_day


def test_a_petitioners_window_is_no_clock_of_the_office(petition_org, make_petition_case):
    case = make_petition_case()

    with pytest.raises(KeyError):
        open_preset(
            "petition-review-request",
            actor=petition_org.registrar.user,
            subject=case,
            start=date(2025, 3, 3),
            responsible_person=petition_org.registrar,
        )


# --- Every derivation cites the provision ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cited"),
    [
        ("petition-route", "依据《信访工作条例》：登记后15日内分别处理，期限为15日"),
        ("petition-accept", "依据《信访工作条例》：收到转送、交办事项15日内书面告知是否受理，期限为15日"),
        ("petition-object", "依据《信访工作条例》：不属本机关职权的，5个工作日内告知转交机关，期限为5个工作日"),
        ("petition-handle", "依据《信访工作条例》第三十二条，期限为60日"),
        ("petition-review", "依据《信访工作条例》：收到复查、复核请求30日内提出意见，听证时间不计入，期限为30日"),
        ("petition-rereview", "依据《信访工作条例》：收到复查、复核请求30日内提出意见，听证时间不计入，期限为30日"),
    ],
)
def test_each_derivation_cites_the_regulation_and_the_civil_code(open_clock, code, cited):
    deadline = open_clock(code, date(2025, 3, 3), kind=Kind.CLAIM)

    assert deadline.derivation.startswith(cited)
    assert "期间依照《民法典》第二百零一条至第二百零三条计算" in deadline.derivation
    assert deadline.kind.legal_basis.startswith("《信访工作条例》")


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("petition-route", "15日"),
        ("petition-object", "5个工作日"),
        ("petition-handle", "60日"),
        ("petition-rereview", "30日"),
        ("petition-review-request", "30日"),
    ],
)
def test_each_period_reads_as_the_regulation_writes_it(code, period):
    assert preset(code).period == period
