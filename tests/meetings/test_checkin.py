"""签到 (``meetings.services.checkin``), the clock frozen on Monday 2 March 2026 10:00 (Beijing) and
moved window by window: the room's rotating code accepted in its window and the next one only (a
photographed code sent on is stale), for this meeting only, for invited people only, from an hour
before the start to the end; a second scan keeps the first time; 代签 by the 会务员 only; and the
attendance figures against hand counts. Plus the QR image of the code."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from meetings.models import Attendee, AttendeeRole, CheckIn, MeetingEvent, MeetingState, Reply
from meetings.qr import checkin_svg, refresh_in
from meetings.services import attendance, check_in, checkin_token, sign_in
from office.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
EXPIRED = "签到码已过期，请扫描会场当前显示的二维码。"


def at(clock: str) -> datetime:
    """A time on Monday 2 March 2026, Beijing time ("10:00:05")."""
    h, m, s = (int(part) for part in f"{clock}:00".split(":")[:3])
    return datetime(2026, 3, 2, h, m, s, tzinfo=BEIJING)


def row(meeting, person) -> Attendee:
    return Attendee.objects.get(meeting=meeting, person=person)


@pytest.fixture
def meeting(meeting_city, make_meeting, today):
    """已通知, 10:30–13:30 today, 钱主任, 周局长 and 孙科员 invited."""
    mc = meeting_city
    return make_meeting(
        starts_at=at("10:30"),
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head, mc.finance_head, mc.ndrc_staff],
    )


def refused_token(excinfo) -> str:
    return excinfo.value.message_dict["token"][0]


def test_a_code_works_in_its_window_and_the_next_then_expires(meeting_city, meeting, today):
    """GIVEN the code shown at 10:00:05 (30-second windows)
    WHEN one attendee scans it at 10:00:35 (the next window) and another at 10:01:05 (two windows on)
    THEN the first is signed in by code at 10:00:35, the second is told the code has expired."""
    mc = meeting_city
    token = checkin_token(meeting, at=at("10:00:05"))
    today.move_to(at("10:00:35"))
    signed = check_in(actor=mc.ndrc_head.user, meeting=meeting, token=token)
    assert signed.checked_in_at == at("10:00:35") and signed.check_in == CheckIn.QR
    today.move_to(at("10:01:05"))
    with pytest.raises(ValidationError) as excinfo:
        check_in(actor=mc.finance_head.user, meeting=meeting, token=token)
    assert refused_token(excinfo) == EXPIRED
    assert row(meeting, mc.finance_head).checked_in_at is None
    assert check_in(actor=mc.finance_head.user, meeting=meeting, token=checkin_token(meeting)).checked_in_at


def test_a_photographed_code_replayed_two_minutes_later_is_refused(meeting_city, meeting, today):
    """GIVEN a code photographed at 10:05 and sent on
    WHEN an invited person not in the room scans the photo at 10:07
    THEN it has expired and he is not signed in."""
    mc = meeting_city
    today.move_to(at("10:05"))
    photo = checkin_token(meeting)
    today.move_to(at("10:07"))
    with pytest.raises(ValidationError) as excinfo:
        check_in(actor=mc.ndrc_staff.user, meeting=meeting, token=photo)
    assert refused_token(excinfo) == EXPIRED
    assert row(meeting, mc.ndrc_staff).checked_in_at is None


@override_settings(SHUNIU_CHECKIN_WINDOW_SECONDS=60)
def test_the_window_is_a_setting(meeting_city, meeting, today):
    """GIVEN 60-second windows
    WHEN the code of 10:00:05 is scanned at 10:01:50 (the next window)
    THEN it still works."""
    token = checkin_token(meeting, at=at("10:00:05"))
    today.move_to(at("10:01:50"))
    assert check_in(actor=meeting_city.ndrc_head.user, meeting=meeting, token=token).checked_in_at == at("10:01:50")


def test_a_code_of_another_meeting_or_a_forged_one_is_refused(meeting_city, meeting, make_meeting):
    """GIVEN another meeting today to which 钱主任 is also invited
    WHEN he scans that meeting's current code for this one, or a code with a made-up signature
    THEN both are refused as not this meeting's / invalid, and he stays not signed in."""
    mc = meeting_city
    other = make_meeting(
        title="专题会议",
        starts_at=at("10:30"),
        state=MeetingState.NOTIFIED,
        room=mc.secure_room,
        attendees=[mc.ndrc_head],
    )
    with pytest.raises(ValidationError) as excinfo:
        check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(other))
    assert "不是本次会议" in refused_token(excinfo)
    forged = checkin_token(meeting).rsplit(":", 1)[0] + ":forged"
    with pytest.raises(ValidationError) as excinfo:
        check_in(actor=mc.ndrc_head.user, meeting=meeting, token=forged)
    assert "无效" in refused_token(excinfo)
    assert row(meeting, mc.ndrc_head).checked_in_at is None


def test_someone_not_invited_cannot_sign_in(meeting_city, meeting):
    """GIVEN 吴科员 is not on the list
    WHEN he scans the current code
    THEN he is refused (not on the list) and no row is made for him."""
    with pytest.raises(PermissionDenied, match="您不在本次会议的参会名单中"):
        check_in(actor=meeting_city.low.user, meeting=meeting, token=checkin_token(meeting))
    assert not Attendee.objects.filter(meeting=meeting, person=meeting_city.low).exists()


def test_a_substitute_signs_in_on_the_row_he_attends_for(meeting_city, meeting):
    """GIVEN 周局长 sends 吴科员 in his place (代会)
    WHEN 吴科员 scans the code
    THEN 周局长's row is signed in."""
    mc = meeting_city
    Attendee.objects.filter(meeting=meeting, person=mc.finance_head).update(reply=Reply.SUBSTITUTE, substitute=mc.low)
    signed = check_in(actor=mc.low.user, meeting=meeting, token=checkin_token(meeting))
    assert signed.person == mc.finance_head and signed.checked_in_at is not None


def test_scanning_twice_keeps_the_first_time(meeting_city, meeting, today):
    """GIVEN 钱主任 signed in at 10:00
    WHEN he scans again at 10:20
    THEN his sign-in time stays 10:00."""
    mc = meeting_city
    check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(meeting))
    today.move_to(at("10:20"))
    again = check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(meeting))
    assert again.checked_in_at == at("10:00")
    assert row(meeting, mc.ndrc_head).checked_in_at == at("10:00")


def test_sign_in_is_open_from_an_hour_before_to_the_end_of_a_notified_or_held_meeting(
    meeting_city, make_meeting, meeting, today
):
    """GIVEN the meeting 10:30–13:30
    WHEN 钱主任 scans at 9:29, and after 13:30, and when the meeting is still 筹备中
    THEN each is refused as not now; at 9:30 (an hour before) it works, also once it is 已召开."""
    mc = meeting_city
    today.move_to(at("09:29"))
    with pytest.raises(TransitionNotAllowed, match="会前一小时"):
        check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(meeting))
    today.move_to(at("09:30"))
    assert check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(meeting)).checked_in_at
    today.move_to(at("13:31"))
    with pytest.raises(TransitionNotAllowed, match="已经结束"):
        check_in(actor=mc.finance_head.user, meeting=meeting, token=checkin_token(meeting))
    today.move_to(at("11:00"))
    meeting.state = MeetingState.HELD
    meeting.save(update_fields=["state"])
    assert check_in(actor=mc.finance_head.user, meeting=meeting, token=checkin_token(meeting)).checked_in_at
    planned = make_meeting(starts_at=at("11:30"), room=mc.secure_room, attendees=[mc.ndrc_head])
    with pytest.raises(TransitionNotAllowed, match="筹备中"):
        check_in(actor=mc.ndrc_head.user, meeting=planned, token=checkin_token(planned))


def test_the_meeting_officer_signs_someone_in_and_nobody_else_may(meeting_city, meeting):
    """GIVEN 孙科员 came without his phone
    WHEN 吴科员 (no role), 钱主任 (an attendee) and then 周会务 (the 会务员) sign him in
    THEN the first two are refused; 周会务's 代签 is recorded with his name and the time."""
    mc = meeting_city
    staff = row(meeting, mc.ndrc_staff)
    for person in (mc.low, mc.ndrc_head):
        with pytest.raises(PermissionDenied, match="代为签到由会务员办理"):
            sign_in(actor=person.user, meeting=meeting, attendee=staff)
    signed = sign_in(actor=mc.officer.user, meeting=meeting, attendee=staff)
    assert (signed.check_in, signed.checked_in_by, signed.checked_in_at) == (CheckIn.MANUAL, mc.officer, at("10:00"))
    event = MeetingEvent.objects.filter(meeting=meeting).latest("id")
    assert (event.action, event.comment, event.actor_name) == ("代为签到", "孙科员", "周会务")


def test_the_officer_cannot_sign_in_someone_of_another_meeting(meeting_city, meeting, make_meeting):
    """GIVEN a row of another meeting
    WHEN 周会务 signs it in on this meeting
    THEN it is refused and stays not signed in."""
    mc = meeting_city
    other = make_meeting(starts_at=at("10:30"), state=MeetingState.NOTIFIED, room=mc.secure_room, attendees=[mc.low])
    stranger = row(other, mc.low)
    with pytest.raises(ValidationError) as excinfo:
        sign_in(actor=mc.officer.user, meeting=meeting, attendee=stranger)
    assert "attendee" in excinfo.value.message_dict
    assert row(other, mc.low).checked_in_at is None


def test_attendance_figures_match_a_hand_count(meeting_city, make_meeting, today):
    """GIVEN four invited to a 10:30 meeting: 钱主任 signs in at 10:10, 周局长 at 10:40 (late),
    孙科员 asked leave, 李市长 never comes; 秘书甲 is there as 工作人员 (not counted)
    WHEN the figures are read before the start and at 11:00
    THEN before: nobody absent yet; at 11:00: invited 4, attended 2, on leave 1, absent 1, late 1,
    rate 2 / 3 = 66.7 %, with the names of the late, the absent and those on leave."""
    mc = meeting_city
    meeting = make_meeting(
        starts_at=at("10:30"),
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head, mc.finance_head, mc.ndrc_staff, mc.vice_mayor],
    )
    Attendee.objects.filter(meeting=meeting, person=mc.ndrc_staff).update(reply=Reply.LEAVE, reason="出差")
    Attendee.objects.create(meeting=meeting, person=mc.secretary, role=AttendeeRole.STAFF)
    today.move_to(at("10:10"))
    check_in(actor=mc.ndrc_head.user, meeting=meeting, token=checkin_token(meeting))
    before = attendance(meeting)
    assert (before["attended"], before["absent"], before["late"], before["on_leave"]) == (1, 0, 0, 1)
    today.move_to(at("10:40"))
    check_in(actor=mc.finance_head.user, meeting=meeting, token=checkin_token(meeting))
    today.move_to(at("11:00"))
    figures = attendance(meeting)
    assert {k: figures[k] for k in ("invited", "attended", "on_leave", "absent", "late")} == {
        "invited": 4,
        "attended": 2,
        "on_leave": 1,
        "absent": 1,
        "late": 1,
    }
    assert figures["rate"] == Decimal("66.7")
    assert figures["late_names"] == ["周局长"]
    assert figures["absent_names"] == [mc.vice_mayor.name]
    assert figures["leave_names"] == ["孙科员"]


def test_the_room_shows_the_current_code_as_an_inline_svg(meeting_city, meeting, today):
    """GIVEN the sign-in page asks for the code at 10:00:10
    WHEN it is drawn
    THEN it is an inline <svg> (no XML declaration) of the address made from the current token, and
    the page is told to refresh it in 20 seconds when the window ends."""
    today.move_to(at("10:00:10"))
    asked = []

    def url_for(token: str) -> str:
        asked.append(token)
        return f"https://oa.example.gov.cn/meetings/{meeting.pk}/checkin/?t={token}"

    svg = checkin_svg(meeting, url_for)
    assert asked == [checkin_token(meeting)]
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert svg == segno.make(url_for(asked[0]), error="m").svg_inline(scale=6, border=2)
    assert refresh_in() == 20
