"""Meetings in a calendar app (``meetings.ical``), the clock frozen on Monday 2 March 2026: one
meeting's ``.ics`` read back with ``icalendar`` (its UID, times and place; a classified meeting
shows as “涉密会议” and nothing more), a person's feed (only the meetings he is part of and may
see, not cancelled, from 30 days back), and the feed address's token (revoked with the password,
refused for an inactive account)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetings.ical import feed_token, meeting_ics, person_feed, user_for_feed_token
from meetings.models import Attendee, MeetingState, Reply
from office.confidentiality.levels import Level

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def events(ics: bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


def test_a_meeting_reads_back_with_its_times_and_place(meeting_city, make_meeting, today):
    """GIVEN the 常务会议 next Monday 9:00–12:00 Beijing time in 第一会议室
    WHEN its .ics is read back
    THEN it is one event with UID meeting-<pk>@shuniu, from 01:00 to 04:00 UTC, its title and room."""
    meeting = make_meeting(state=MeetingState.NOTIFIED)
    calendar = Calendar.from_ical(meeting_ics(meeting))
    assert calendar["VERSION"] == "2.0"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@shuniu"
    assert event.decoded("DTSTART") == datetime(2026, 3, 9, 1, tzinfo=UTC) == meeting.starts_at
    assert event.decoded("DTEND") == datetime(2026, 3, 9, 4, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "测试市人民政府第12次常务会议"
    assert str(event["LOCATION"]) == "第一会议室（市政府大楼3楼）"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_video_meeting_is_placed_on_its_platform(meeting_city, make_meeting):
    """GIVEN a meeting with no room, on a video platform
    WHEN its .ics is read back
    THEN its location is the platform."""
    meeting = make_meeting(room=None, platform="省政务视频会议系统")
    (event,) = events(meeting_ics(meeting))
    assert str(event["LOCATION"]) == "省政务视频会议系统"


def test_a_classified_meeting_hides_its_title_and_place(meeting_city, make_meeting):
    """GIVEN a 机密 meeting in the 保密会议室
    WHEN its .ics is read back
    THEN it still has its time, but the summary is “涉密会议” and neither title, room nor chair is in it."""
    mc = meeting_city
    meeting = make_meeting(title="关于重大项目的专题会议", room=mc.secure_room, classification=Level.SECRET)
    ics = meeting_ics(meeting)
    (event,) = events(ics)
    assert str(event["SUMMARY"]) == "涉密会议"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert "LOCATION" not in event and "DESCRIPTION" not in event
    text = ics.decode()
    for secret in ("重大项目", "保密会议室", mc.mayor.name):
        assert secret not in text


def test_the_feed_lists_only_the_meetings_the_person_is_part_of_and_may_see(meeting_city, make_meeting, today):
    """GIVEN meetings of 钱主任: an 内部 one, a 机密 one (he is cleared), one he attends for 周局长,
    a cancelled one, one that ended 40 days ago; one he is not part of; and a 机密 one 吴科员
    (内部 only) is invited to
    WHEN their feeds are read
    THEN 钱主任's lists the first three in time order; 吴科员's only the 内部 meeting he is invited to
    (not the 机密 one); the outsider's is empty."""
    mc = meeting_city
    start = datetime(2026, 3, 9, 9, tzinfo=BEIJING)
    internal = make_meeting(title="内部会议", starts_at=start, attendees=[mc.ndrc_head, mc.low])
    secret = make_meeting(
        title="机密会议",
        starts_at=start + timedelta(days=1),
        room=mc.secure_room,
        classification=Level.SECRET,
        attendees=[mc.ndrc_head, mc.low],
    )
    for_other = make_meeting(title="代会会议", starts_at=start + timedelta(days=2), attendees=[mc.finance_head])
    row = Attendee.objects.get(meeting=for_other)
    row.reply, row.substitute = Reply.SUBSTITUTE, mc.ndrc_head
    row.save()  # as the 回执 service saves it (its signal keeps the meeting's 知悉范围)
    make_meeting(title="已取消会议", state=MeetingState.CANCELLED, attendees=[mc.ndrc_head])
    make_meeting(title="上月会议", starts_at=start - timedelta(days=47), attendees=[mc.ndrc_head])
    make_meeting(title="别人的会议", attendees=[mc.finance_head])

    def uids(person) -> list[str]:
        return [str(e["UID"]) for e in events(person_feed(person.user))]

    assert uids(mc.ndrc_head) == [f"meeting-{m.pk}@shuniu" for m in (internal, secret, for_other)]
    assert uids(mc.low) == [f"meeting-{internal.pk}@shuniu"]
    assert uids(mc.outsider) == []
    assert "机密会议" not in person_feed(mc.ndrc_head.user).decode()


def test_the_feed_also_lists_the_meetings_a_person_chairs_or_runs(meeting_city, make_meeting, today):
    """GIVEN a meeting chaired by 刘市长 and run by 周会务, neither on the list
    WHEN their feeds are read
    THEN both show it."""
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])
    for person in (mc.mayor, mc.officer):
        assert [str(e["UID"]) for e in events(person_feed(person.user))] == [f"meeting-{meeting.pk}@shuniu"]


def test_a_feed_token_names_its_user_until_revoked(meeting_city):
    """GIVEN 钱主任's feed token
    WHEN it is read back, forged, after his password changes, and (a new one) after his account is
    deactivated
    THEN it names him; then nobody in the other three cases; 周局长's token names 周局长."""
    mc = meeting_city
    user = mc.ndrc_head.user
    token = feed_token(user)
    assert user_for_feed_token(token) == user
    assert user_for_feed_token(feed_token(mc.finance_head.user)) == mc.finance_head.user
    assert user_for_feed_token(token[:-2] + "xx") is None
    assert user_for_feed_token("") is None
    user.set_password("a-new-password-2026")
    user.save()
    assert user_for_feed_token(token) is None
    fresh = feed_token(user)
    assert user_for_feed_token(fresh) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert user_for_feed_token(fresh) is None
