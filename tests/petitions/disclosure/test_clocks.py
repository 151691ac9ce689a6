"""The clocks of a 政府信息公开申请 (presets ``disclosure-answer``, ``disclosure-correction``,
``disclosure-third-party``), as the services open, stop, restart, extend and meet them, over the 2026
working-day calendar the test database holds (chinese-calendar):

- 春节 15–23 February (rest), worked on Saturday 14 and Saturday 28 February;
- 清明 4–6 April (Monday 6 April a rest day); 劳动节 1–5 May; 国庆 1–7 October, worked on Sunday 20
  September and Saturday 10 October (中秋 Friday 25 September a rest day).

A period in 工作日 does not count its start day; each expected date is counted by hand in the
comments. Every step is taken on the day the test travels to."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions.disclosure import services
from petitions.disclosure.models import Consultation, RequestChannel
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def travel(day: date):
    return time_machine.travel(at(day), tick=False)


def clock(request, kind="disclosure", state=DeadlineState.OPEN):
    return next(d for d in deadlines_of(request) if d.kind_id == kind and d.state == state)


def register_on(flow, day: date, **extra):
    with travel(day):
        return flow.register(arrived_on=day, **extra)


# --- 20 working days from the 收到申请之日 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Mon 2 Mar: 3–6 Mar (4), 9–13 (9), 16–20 (14), 23–27 (19), over the weekend to Mon 30 Mar (20).
        (date(2026, 3, 2), date(2026, 3, 30)),
        # Mon 9 Mar: 10–13 (4), 16–20 (9), 23–27 (14), 30 Mar–3 Apr (19); 4–6 Apr 清明: Tue 7 Apr (20).
        (date(2026, 3, 9), date(2026, 4, 7)),
        # Mon 2 Feb: 3–6 (4), 9–13 (9), Sat 14 Feb 调休 (10), 春节 16–23 off, 24–27 (14), Sat 28 Feb 调休
        # (15), 2–6 Mar (20): Fri 6 Mar.
        (date(2026, 2, 2), date(2026, 3, 6)),
        # Mon 14 Sep: 15–18 (4), Sun 20 Sep 调休 (5), 21–24 (9), 25 中秋 off, 28–30 (12), 国庆 1–7 Oct off,
        # 8–9 (14), Sat 10 Oct 调休 (15), 12–16 Oct (20): Fri 16 Oct.
        (date(2026, 9, 14), date(2026, 10, 16)),
    ],
)
def test_the_answer_is_due_20_working_days_after_receipt(disclosure_flow, received, due):
    request = register_on(disclosure_flow, received)
    assert clock(request).due_date == due
    assert request.due == due


def test_online_counts_from_the_day_both_sides_confirm(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 2, 27), channel=RequestChannel.ONLINE)  # a Friday
    with travel(date(2026, 3, 2)):
        request = services.request_confirm(actor=disclosure_city.officer.user, request=request, on=date(2026, 3, 2))
    assert clock(request).start == date(2026, 3, 2)
    assert request.due == date(2026, 3, 30)


def test_delivery_on_the_last_day_is_on_time_the_day_after_is_late(disclosure_flow):
    on_time = register_on(disclosure_flow, date(2026, 3, 2))
    late = register_on(disclosure_flow, date(2026, 3, 2))
    with travel(date(2026, 3, 3)):
        disclosure_flow.answer(on_time)
        disclosure_flow.answer(late)
        disclosure_flow.sign(on_time)
        disclosure_flow.sign(late)
    with travel(date(2026, 3, 30)):
        assert disclosure_flow.deliver(on_time).answered_on_time is True
    with travel(date(2026, 3, 31)):
        assert disclosure_flow.deliver(late).answered_on_time is False


# --- 补正: once, within 7 working days; the 20 days restart from the 补正 --------------------------------


def test_correction_within_7_working_days_over_a_holiday(disclosure_flow):
    # Fri 27 Mar: 30 Mar–3 Apr (5), Mon 6 Apr 清明 off, 7–8 Apr (7): the last day is Wed 8 Apr.
    asked = register_on(disclosure_flow, date(2026, 3, 27))
    too_late = register_on(disclosure_flow, date(2026, 3, 27))
    assert clock(asked, "disclosure-correction").due_date == date(2026, 4, 8)
    with travel(date(2026, 4, 8)):
        disclosure_flow.correct(asked)
    with travel(date(2026, 4, 9)), pytest.raises(TransitionNotAllowed):
        disclosure_flow.correct(too_late)


def test_a_correction_dated_after_the_window_is_refused(disclosure_flow):
    request = register_on(disclosure_flow, date(2026, 3, 27))
    with travel(date(2026, 4, 8)), pytest.raises(ValidationError) as refused:
        disclosure_flow.correct(request, on=date(2026, 4, 9))
    assert "on" in refused.value.message_dict


def test_the_answer_clock_restarts_on_the_day_the_correction_arrives(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 3, 9))
    with travel(date(2026, 3, 11)):
        request = disclosure_flow.correct(request)
    assert request.due is None
    with travel(date(2026, 3, 16)):
        request = services.request_receive_correction(
            actor=disclosure_city.officer.user, request=request, on=date(2026, 3, 16)
        )
    # From Mon 16 Mar: 17–20 (4), 23–27 (9), 30 Mar–3 Apr (14), 清明 6 Apr off, 7–10 (18), 13–14 Apr (20).
    assert request.due == clock(request).due_date == date(2026, 4, 14)
    assert request.corrected_on == date(2026, 3, 16)


def test_a_second_correction_is_refused_even_within_the_window(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 3, 9))
    with travel(date(2026, 3, 10)):
        request = disclosure_flow.correct(request)
        request = services.request_receive_correction(
            actor=disclosure_city.officer.user, request=request, on=date(2026, 3, 10)
        )
        with pytest.raises(TransitionNotAllowed):
            disclosure_flow.correct(request)


def test_given_up_only_the_day_after_the_correction_deadline(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 3, 9))
    with travel(date(2026, 3, 10)):
        request = disclosure_flow.correct(request, until=date(2026, 3, 20))
    with travel(date(2026, 3, 20)), pytest.raises(TransitionNotAllowed):
        services.request_abandon(actor=disclosure_city.officer.user, request=request)
    with travel(date(2026, 3, 21)):
        request = services.request_abandon(actor=disclosure_city.officer.user, request=request)
    assert request.closed_reason == "abandoned"


# --- 第三方意见: the clock stops; 15 working days for the third party ---------------------------------------


def test_a_third_party_consultation_moves_the_due_date_by_the_paused_working_days(disclosure_flow, disclosure_city):
    officer = disclosure_city.officer.user
    request = register_on(disclosure_flow, date(2026, 3, 2))  # due Mon 30 Mar
    with travel(date(2026, 3, 9)):
        consultation = services.request_consult(
            actor=officer,
            request=request,
            party=Consultation.Party.THIRD_PARTY,
            name="某置业公司",
            sent_on=date(2026, 3, 9),
        )
    # 15 working days from Mon 9 Mar: 10–13 (4), 16–20 (9), 23–27 (14), Mon 30 Mar (15).
    assert clock(request, "disclosure-third-party").due_date == date(2026, 3, 30)
    request.refresh_from_db()
    assert request.due is None
    with travel(date(2026, 3, 16)):
        services.request_opinion(
            actor=officer,
            request=request,
            consultation=consultation,
            on=date(2026, 3, 16),
            opinion="同意公开",
            agrees=True,
        )
    request.refresh_from_db()
    # Stopped 9–13 Mar (5 working days): Mon 30 Mar + 5 = 31 Mar–3 Apr (4), 清明 off, Tue 7 Apr (5).
    assert request.due == clock(request).due_date == date(2026, 4, 7)
    assert clock(request, "disclosure-third-party", DeadlineState.MET).met_on_time is True


def test_a_third_party_answering_after_15_working_days_is_late(disclosure_flow, disclosure_city):
    officer = disclosure_city.officer.user
    request = register_on(disclosure_flow, date(2026, 3, 2))
    with travel(date(2026, 3, 9)):
        consultation = services.request_consult(
            actor=officer,
            request=request,
            party=Consultation.Party.THIRD_PARTY,
            name="某置业公司",
            sent_on=date(2026, 3, 9),
        )
    with travel(date(2026, 3, 31)):
        services.request_opinion(
            actor=officer, request=request, consultation=consultation, on=date(2026, 3, 31), opinion="逾期"
        )
    assert clock(request, "disclosure-third-party", DeadlineState.MET).met_on_time is False


# --- 延期: once, ≤ 20 working days, before the period ends ----------------------------------------------


def test_a_20_working_day_extension(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 3, 2))  # due Mon 30 Mar
    with travel(date(2026, 3, 30)):
        request = services.request_extend(actor=disclosure_city.head.user, request=request, days=20, reason="信息量大")
    # Mon 30 Mar + 20: 31 Mar–3 Apr (4), 清明 off, 7–10 (8), 13–17 (13), 20–24 (18), 27–28 Apr (20).
    assert request.due == date(2026, 4, 28)


def test_no_extension_the_day_after_the_due_date(disclosure_flow, disclosure_city):
    request = register_on(disclosure_flow, date(2026, 3, 2))
    with travel(date(2026, 3, 31)), pytest.raises(TransitionNotAllowed):
        services.request_extend(actor=disclosure_city.head.user, request=request, days=5, reason="信息量大")


def test_no_correction_while_a_consultation_stops_the_clock(disclosure_flow, disclosure_city):
    officer = disclosure_city.officer.user
    request = register_on(disclosure_flow, date(2026, 3, 2))
    with travel(date(2026, 3, 3)):
        services.request_consult(
            actor=officer,
            request=request,
            party=Consultation.Party.ORGAN,
            name="市自然资源局",
            sent_on=date(2026, 3, 3),
        )
    with travel(date(2026, 3, 4)), pytest.raises(TransitionNotAllowed):
        disclosure_flow.correct(request)
