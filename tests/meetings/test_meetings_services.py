"""The 会议 services (``meetings.services.meetings``), the clock frozen on Monday 2 March 2026 10:00:
登记 (第N次, 密级, the video-platform rule), 修改, 邀请参会 (clearance), 回执 (请假, 代会), 发通知 (needs a
place and people; everyone told; the leaders' schedules), 召开, 取消 — and the reads that list them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import selectors, services
from meetings.models import (
    Attendee,
    AttendeeRole,
    BookingState,
    Meeting,
    MeetingState,
    Reply,
    RoomBooking,
    ScheduleEntry,
)
from meetings.rules import MEETING
from office.confidentiality.levels import Level
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.meetings.conftest import approved_plan, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def create(mc, **fields):
    starts = fields.pop("starts_at", None) or next_monday()
    values = {
        "actor": mc.officer.user,
        "type": mc.type(),
        "title": "测试市人民政府常务会议",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "chair": mc.mayor,
    }
    values.update(fields)
    if "plan" not in values and values["type"].government_name:  # held under its approved 会议计划
        values["plan"] = approved_plan(mc, values["type"], starts)
    return services.meeting_create(**values)


# --- 登记 -------------------------------------------------------------------------------------------------


def test_a_standing_meeting_takes_the_next_number_of_its_year(meeting_city):
    """GIVEN the 会务员 WHEN he registers two 常务会议 and one 专题会议 THEN the 常务会议 are 第1次 and 第2次 of
    2026 (the 专题会议 has no number), he is their 会务联系人, his 会务科 runs them, and the 流转记录 says 登记会议."""
    mc = meeting_city
    first = create(mc)
    second = create(mc, starts_at=next_monday() + timedelta(days=7))
    special = create(mc, type=mc.type("special"), title="城市更新专题会议")
    assert (first.year, first.sequence, second.sequence, special.sequence) == (2026, 1, 2, None)
    assert first.organ == mc.organ and first.organizer == mc.officer and first.organizing_unit == mc.services_unit
    assert first.state == MeetingState.PLANNED and first.classification == Level.INTERNAL
    assert list(first.events.values_list("action", flat=True)) == ["登记会议"]


def test_only_a_meeting_officer_registers_and_never_above_his_clearance(meeting_city):
    """GIVEN a 科员 without the role, and 何会务 (内部) WHEN they register a meeting THEN the 科员 is refused,
    and 何会务 may not register a 机密 one (周会务 may, with its basis)."""
    mc = meeting_city
    with pytest.raises(PermissionDenied):
        create(mc, actor=mc.low.user)
    with pytest.raises(PermissionDenied):
        create(mc, actor=mc.officer_low.user, level=Level.SECRET, basis="国家秘密目录第3项")
    secret = create(mc, level=Level.SECRET, basis="国家秘密目录第3项", room=mc.secure_room)
    assert secret.classification == Level.SECRET and secret.room == mc.secure_room


def test_times_and_the_video_platform_rule(meeting_city):
    """GIVEN a meeting ending before it starts, and a 秘密 meeting on a video platform WHEN registered THEN
    both are refused naming the field; an 内部 meeting may use the platform."""
    mc = meeting_city
    starts = next_monday()
    with pytest.raises(ValidationError) as error:
        create(mc, starts_at=starts, ends_at=starts - timedelta(hours=1))
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create(mc, type=mc.type("video"), level=Level.CONFIDENTIAL, basis="依据", platform="政务视频会议系统")
    assert "platform" in error.value.message_dict
    video = create(mc, type=mc.type("video"), title="全市安全生产电视电话会议", platform="政务视频会议系统")
    assert video.platform == "政务视频会议系统" and video.room is None


def test_registering_with_a_room_books_it(meeting_city):
    """GIVEN a free 第一会议室 WHEN the meeting is registered in it THEN it holds a confirmed booking."""
    mc = meeting_city
    meeting = create(mc, room=mc.room)
    booking = RoomBooking.objects.get(meeting=meeting)
    assert booking.room == mc.room and booking.state == BookingState.CONFIRMED
    assert (booking.starts_at, booking.ends_at) == (meeting.starts_at, meeting.ends_at)


# --- 修改 -------------------------------------------------------------------------------------------------


def test_edit_changes_the_arrangement_and_refuses_other_fields(meeting_city):
    """GIVEN a meeting WHEN the 会务员 changes its title and time THEN they change, the booking follows the
    time; a field outside the arrangement (its 密级) is refused, and so is a 科员."""
    mc = meeting_city
    meeting = create(mc, room=mc.room)
    later = meeting.starts_at + timedelta(hours=5)
    services.meeting_edit(
        actor=mc.officer.user,
        meeting=meeting,
        title="第二次常务会议",
        starts_at=later,
        ends_at=later + timedelta(hours=2),
    )
    meeting.refresh_from_db()
    booking = RoomBooking.objects.get(meeting=meeting)
    assert meeting.title == "第二次常务会议" and booking.starts_at == later
    assert meeting.events.last().action == "修改会议安排"
    with pytest.raises(ValidationError):
        services.meeting_edit(actor=mc.officer.user, meeting=meeting, classification=Level.SECRET)
    with pytest.raises(PermissionDenied):
        services.meeting_edit(actor=mc.low.user, meeting=meeting, title="改")


def test_moving_a_meeting_onto_a_booked_time_is_refused(meeting_city):
    """GIVEN two meetings in 第一会议室, 9:00–12:00 and 14:00–16:00 WHEN the afternoon one is moved to 11:00
    THEN it is refused naming the morning meeting, and nothing changes."""
    mc = meeting_city
    morning = create(mc, room=mc.room, title="上午的会")
    afternoon_start = morning.starts_at + timedelta(hours=5)
    afternoon = create(
        mc, room=mc.room, title="下午的会", starts_at=afternoon_start, ends_at=afternoon_start + timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_edit(
            actor=mc.officer.user, meeting=afternoon, starts_at=morning.starts_at + timedelta(hours=2)
        )
    assert "《上午的会》" in error.value.message_dict["room"][0]
    afternoon.refresh_from_db()
    assert afternoon.starts_at == afternoon_start


# --- 邀请 and 回执 ------------------------------------------------------------------------------------------


def test_invite_refuses_a_person_below_the_meetings_level_and_skips_the_invited(meeting_city):
    """GIVEN a 机密 meeting WHEN 吴科员 (内部) is invited THEN he is refused by name; 钱主任 invited twice is
    one attendee."""
    mc = meeting_city
    meeting = create(mc, level=Level.SECRET, basis="国家秘密目录第3项", room=mc.secure_room)
    with pytest.raises(ValidationError) as error:
        services.attendee_invite(actor=mc.officer.user, meeting=meeting, people=[mc.ndrc_head, mc.low])
    assert "吴科员" in error.value.message_dict["people"][0]
    assert not meeting.attendees.exists()
    rows = services.attendee_invite(actor=mc.officer.user, meeting=meeting, people=[mc.ndrc_head])
    again = services.attendee_invite(actor=mc.officer.user, meeting=meeting, people=[mc.ndrc_head, mc.finance_head])
    assert [r.person for r in rows] == [mc.ndrc_head] and [r.person for r in again] == [mc.finance_head]
    assert meeting.attendees.count() == 2


def test_replies_leave_needs_a_reason_and_a_substitute_is_invited(meeting_city, make_meeting):
    """GIVEN 钱主任 and 周局长 invited WHEN 钱主任 asks leave without a reason THEN refused; with one it is
    recorded; 周局长 sends 孙科员 (秘密, the meeting is 内部) who becomes an attendee with his role; someone not
    invited cannot reply."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head, mc.finance_head])
    with pytest.raises(ValidationError):
        services.attendee_reply(actor=mc.ndrc_head.user, meeting=meeting, reply=Reply.LEAVE)
    row = services.attendee_reply(actor=mc.ndrc_head.user, meeting=meeting, reply=Reply.LEAVE, reason="出差")
    assert (row.reply, row.reason) == (Reply.LEAVE, "出差")
    with pytest.raises(ValidationError):
        services.attendee_reply(actor=mc.finance_head.user, meeting=meeting, reply=Reply.SUBSTITUTE)
    services.attendee_reply(
        actor=mc.finance_head.user, meeting=meeting, reply=Reply.SUBSTITUTE, substitute=mc.ndrc_staff
    )
    sub = Attendee.objects.get(meeting=meeting, person=mc.ndrc_staff)
    assert sub.role == AttendeeRole.ATTEND and sub.reply == Reply.PENDING
    assert Attendee.objects.get(meeting=meeting, person=mc.finance_head).substitute == mc.ndrc_staff
    with pytest.raises(PermissionDenied):
        services.attendee_reply(actor=mc.low.user, meeting=meeting, reply=Reply.ATTEND)


def test_a_substitute_must_be_cleared_for_the_meeting(meeting_city, make_meeting):
    """GIVEN a 机密 meeting with 周局长 invited WHEN he sends 孙科员 (秘密) THEN refused by name."""
    mc = meeting_city
    meeting = make_meeting(
        attendees=[mc.finance_head], room=mc.secure_room, classification=Level.SECRET, classification_basis="依据"
    )
    with pytest.raises(ValidationError) as error:
        services.attendee_reply(
            actor=mc.finance_head.user, meeting=meeting, reply=Reply.SUBSTITUTE, substitute=mc.ndrc_staff
        )
    assert "孙科员" in error.value.message_dict["substitute"][0]


# --- 通知, 召开, 取消 ------------------------------------------------------------------------------------------


def test_notify_needs_a_place_and_attendees(meeting_city, make_meeting):
    """GIVEN a meeting without attendees, and one without a room or platform WHEN notified THEN refused
    (TransitionNotAllowed) and the step is not offered."""
    mc = meeting_city
    empty = make_meeting()
    nowhere = make_meeting(room=None, attendees=[mc.ndrc_head])
    for meeting in (empty, nowhere):
        assert "notify" not in MEETING.offered(mc.officer.user, meeting)
        with pytest.raises(TransitionNotAllowed):
            services.meeting_notify(actor=mc.officer.user, meeting=meeting)


def test_notify_tells_everyone_and_puts_it_on_the_leaders_schedule(meeting_city, make_meeting):
    """GIVEN a meeting with 李市长 and 钱主任 invited WHEN the 会务员 notifies THEN it is 已通知, each attendee
    and the chair get a notice naming the time, and the chair and 李市长 have it on their schedules."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.vice_mayor, mc.ndrc_head])
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTIFIED and meeting.notified_at is not None
    for person in (mc.vice_mayor, mc.ndrc_head, mc.mayor):
        assert told(person) == ["会议通知：测试市人民政府第12次常务会议，3月9日 09:00—12:00"]
    leaders = set(ScheduleEntry.objects.filter(meeting=meeting, cancelled=False).values_list("leader", flat=True))
    assert leaders == {mc.mayor.pk, mc.vice_mayor.pk}


def test_a_notified_meeting_moved_tells_its_people_and_moves_on_the_schedules(meeting_city, make_meeting):
    """GIVEN a notified meeting with 李市长 invited WHEN the 会务员 moves it to 14:00 THEN 李市长 is told the new
    time and his schedule follows; when he then sends his regrets it leaves his schedule; notifying again
    keeps it 已通知."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.vice_mayor])
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    services.meeting_edit(actor=mc.officer.user, meeting=meeting, starts_at=next_monday(14), ends_at=next_monday(16))
    assert told(mc.vice_mayor)[-1] == "会议安排有变化：测试市人民政府第12次常务会议，3月9日 14:00—16:00"
    entry = ScheduleEntry.objects.get(meeting=meeting, leader=mc.vice_mayor)
    assert entry.starts_at == next_monday(14) and not entry.cancelled
    services.attendee_reply(actor=mc.vice_mayor.user, meeting=meeting, reply=Reply.LEAVE, reason="赴省开会")
    assert ScheduleEntry.objects.get(meeting=meeting, leader=mc.vice_mayor).cancelled
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTIFIED
    assert meeting.events.last().action == "再次发送会议通知"


def test_hold_waits_for_the_start(meeting_city, make_meeting, frozen):
    """GIVEN a notified meeting next Monday WHEN held today THEN refused; on the day at 9:30 it is 已召开."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    with pytest.raises(TransitionNotAllowed):
        services.meeting_hold(actor=mc.officer.user, meeting=meeting)
    frozen.move_to("2026-03-09 09:30 +0800")
    services.meeting_hold(actor=mc.officer.user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_cancel_needs_a_reason_releases_the_room_and_tells_the_people(meeting_city):
    """GIVEN a notified meeting in 第一会议室 WHEN cancelled without a reason THEN refused; with one it is
    已取消, its booking released (the room free for another), the attendees told, the schedule cancelled."""
    mc = meeting_city
    meeting = create(mc, room=mc.room)
    services.attendee_invite(actor=mc.officer.user, meeting=meeting, people=[mc.ndrc_head])
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=mc.officer.user, meeting=meeting, reason=" ")
    services.meeting_cancel(actor=mc.officer.user, meeting=meeting, reason="市长另有公务")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "市长另有公务"
    assert RoomBooking.objects.get(meeting=meeting).state == BookingState.RELEASED
    assert told(mc.ndrc_head)[-1] == "会议取消：测试市人民政府常务会议（市长另有公务）"
    assert not ScheduleEntry.objects.filter(meeting=meeting, cancelled=False).exists()
    other = create(mc, room=mc.room, title="改期后的会议")
    assert other.room == mc.room


# --- reads ------------------------------------------------------------------------------------------------


def test_my_meetings_lists_his_coming_meetings_first(meeting_city, make_meeting):
    """GIVEN 钱主任 invited to a meeting in two weeks, one next week, one held last week and not to a fourth
    WHEN he lists his meetings THEN the coming ones come first, soonest first, then the past one."""
    mc = meeting_city
    soon = make_meeting(attendees=[mc.ndrc_head], title="下周的会")
    later = make_meeting(attendees=[mc.ndrc_head], title="两周后的会", starts_at=next_monday() + timedelta(days=7))
    past = make_meeting(attendees=[mc.ndrc_head], title="上周的会", starts_at=next_monday() - timedelta(days=14))
    make_meeting(title="与他无关的会", chair=mc.vice_mayor)
    assert list(selectors.my_meetings(user=mc.ndrc_head.user)) == [soon, later, past]
    assert list(selectors.my_meetings(user=mc.mayor.user)) == [soon, later, past]  # he chairs them


def test_the_room_calendar_names_only_what_he_may_see(meeting_city):
    """GIVEN a 机密 meeting in 保密会议室 and an 内部 one in 第一会议室 WHEN 吴科员 (内部) reads the week's room
    calendar THEN he sees both bookings, the 机密 one only as 已预订; the 会务员, who may see it, finds it
    marked as a classified meeting (its title stays on its own page: the calendars are printed and
    shown in passing) and linked."""
    mc = meeting_city
    create(mc, room=mc.secure_room, level=Level.SECRET, basis="依据", title="保密事项会议")
    create(mc, room=mc.room, title="公开的会")
    week = (date(2026, 3, 9), date(2026, 3, 15))
    slots = selectors.room_calendar(user=mc.low.user, organ=mc.organ, first=week[0], last=week[1])
    assert sorted(s.title for s in slots) == ["公开的会", "已预订"]
    officer = selectors.room_calendar(user=mc.officer.user, organ=mc.organ, first=week[0], last=week[1])
    assert sorted(s.title for s in officer) == ["公开的会", "涉密会议（机密）"]
    assert all(s.meeting_id is not None for s in officer)
    assert (
        selectors.room_calendar(user=mc.low.user, organ=mc.organ, first=date(2026, 3, 2), last=date(2026, 3, 8)) == []
    )


def test_conflicts_name_people_in_two_places(meeting_city, make_meeting):
    """GIVEN 钱主任 invited to two overlapping meetings and 刘市长 with a 调研 then WHEN the conflicts of one
    are read THEN both are said in sentences."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])
    make_meeting(
        attendees=[mc.ndrc_head],
        title="发改工作会",
        room=None,
        chair=mc.vice_mayor,
        starts_at=meeting.starts_at + timedelta(hours=2),
    )
    ScheduleEntry.objects.create(
        organ=mc.organ,
        leader=mc.mayor,
        kind="research",
        title="赴高新区调研",
        entered_by=mc.officer,
        starts_at=meeting.starts_at - timedelta(hours=1),
        ends_at=meeting.starts_at + timedelta(hours=1),
    )
    found = selectors.conflicts(meeting, mc.officer.user)  # as the 会务员 reads them
    assert "钱主任同时参加《发改工作会》（3月9日 11:00—14:00）。" in found
    assert "刘市长当时另有安排：赴高新区调研（3月9日 08:00—10:00）。" in found
    assert len(found) == 2


def test_meeting_list_is_what_he_may_see(meeting_city, make_meeting):
    """GIVEN a 机密 meeting and an 内部 one WHEN 吴科员 and the outsider list meetings THEN 吴科员 sees the
    内部 one only, the outsider none."""
    mc = meeting_city
    plain = make_meeting()
    make_meeting(room=mc.secure_room, classification=Level.SECRET, classification_basis="依据")
    assert list(selectors.meeting_list_visible(user=mc.low.user)) == [plain]
    assert list(selectors.meeting_list_visible(user=mc.outsider.user)) == []
    assert selectors.meeting_list_visible(user=mc.officer.user, filters={"state": "planned"}).count() == 2
    assert isinstance(selectors.meeting_list_visible(user=mc.officer.user).first(), Meeting)
