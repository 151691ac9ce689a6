"""会前提醒 (``meetings.services.preparation.meeting_reminders_sync``) through the beat scan's own code
(``office.reminders.services.scan`` and ``send``), the clock frozen on Monday 2 March 2026: once the
notice is out each attendee who will come is reminded the calendar day before and on the day (the
会前提醒 kind: those two stages and nothing after), named
only as he may see the meeting; nobody for a cancelled meeting, nor after 请假; a moved meeting is
reminded on its new day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from meetings import services
from meetings.models import Reply
from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState, Notification
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 3, 4, 9, tzinfo=BEIJING)


def beat() -> None:
    """One tick of the beat, its reminders sent as the workers would."""
    for reminder_id in reminders.scan():
        reminders.send(reminder_id)


def reminders_to(person) -> list[str]:
    """The reminders (not the notices the services send) that reached ``person``."""
    return list(
        Notification.objects.filter(recipient=person.user, verb__regex="期限将至|今日届满|逾期")
        .order_by("id")
        .values_list("verb", flat=True)
    )


@pytest.fixture
def notified(meeting_city, make_meeting, today):
    """A 内部 meeting on Wednesday 4 March with 钱主任 and 周局长, the notice sent on Monday."""
    mc = meeting_city
    meeting = make_meeting(starts_at=WEDNESDAY, attendees=[mc.ndrc_head, mc.finance_head], title="城市更新专题会议")
    return services.meeting_notify(actor=mc.officer.user, meeting=meeting)


def test_each_attendee_is_reminded_the_day_before_and_on_the_day(meeting_city, notified, today):
    mc = meeting_city
    rows = Deadline.objects.filter(object_id=notified.pk, kind_id="meeting-notice", state=DeadlineState.OPEN)
    assert {d.responsible_person_id for d in rows} == {mc.ndrc_head.pk, mc.finance_head.pk}
    assert {d.due_date for d in rows} == {date(2026, 3, 4)}
    on(today, date(2026, 3, 3), 8)  # Tuesday, the day before
    beat()
    (verb,) = reminders_to(mc.ndrc_head)
    assert "城市更新专题会议" in verb and "期限将至" in verb
    on(today, date(2026, 3, 4), 8)  # the day itself
    beat()
    assert len(reminders_to(mc.ndrc_head)) == 2 and "今日届满" in reminders_to(mc.ndrc_head)[-1]
    assert reminders_to(mc.low) == []  # nobody outside the list


def test_notifying_again_opens_no_second_reminder(meeting_city, notified):
    services.meeting_notify(actor=meeting_city.officer.user, meeting=notified)
    rows = Deadline.objects.filter(object_id=notified.pk, kind_id="meeting-notice", state=DeadlineState.OPEN)
    assert rows.count() == 2


def test_no_reminder_for_a_cancelled_meeting(meeting_city, notified, today):
    services.meeting_cancel(actor=meeting_city.officer.user, meeting=notified, reason="领导另有安排")
    on(today, date(2026, 3, 3), 8)
    beat()
    on(today, date(2026, 3, 5), 8)  # nor an 逾期 after the day
    beat()
    assert reminders_to(meeting_city.ndrc_head) == [] and reminders_to(meeting_city.finance_head) == []


def test_no_reminder_after_leave_but_the_substitute_gets_one(meeting_city, notified, today):
    mc = meeting_city
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="外出调研")
    services.attendee_reply(
        actor=mc.finance_head.user, meeting=notified, reply=Reply.SUBSTITUTE, substitute=mc.ndrc_staff
    )
    on(today, date(2026, 3, 3), 8)
    beat()
    assert reminders_to(mc.ndrc_head) == [] and reminders_to(mc.finance_head) == []
    assert len(reminders_to(mc.ndrc_staff)) == 1


def test_a_moved_meeting_is_reminded_on_its_new_day(meeting_city, notified, today):
    """GIVEN the meeting moved from Wednesday to Friday 6 March WHEN the scan runs THEN every reminder
    names the new day, none the old one."""
    mc = meeting_city
    friday = datetime(2026, 3, 6, 9, tzinfo=BEIJING)
    services.meeting_edit(actor=mc.officer.user, meeting=notified, starts_at=friday, ends_at=friday.replace(hour=11))
    rows = Deadline.objects.filter(object_id=notified.pk, kind_id="meeting-notice", state=DeadlineState.OPEN)
    assert {d.due_date for d in rows} == {date(2026, 3, 6)} and rows.count() == 2
    for day in (3, 4, 5):
        on(today, date(2026, 3, day), 8)
        beat()
    verbs = reminders_to(mc.ndrc_head)
    assert verbs and all("3月6日" in verb for verb in verbs)
    assert not any("3月4日" in verb for verb in verbs)


def test_a_classified_meeting_is_reminded_without_its_title(meeting_city, make_meeting, today):
    mc = meeting_city
    meeting = make_meeting(
        starts_at=WEDNESDAY,
        room=mc.secure_room,
        classification=Level.CONFIDENTIAL,
        title="绝不外传的会议名称",
        attendees=[mc.ndrc_head],
    )
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    on(today, date(2026, 3, 3), 8)
    beat()
    (verb,) = reminders_to(mc.ndrc_head)
    assert "绝不外传" not in verb and "涉密事项" in verb


def test_held_meeting_sends_no_overdue_reminder(meeting_city, notified, today):
    mc = meeting_city
    on(today, date(2026, 3, 4), 9)
    services.meeting_hold(actor=mc.officer.user, meeting=notified)
    on(today, date(2026, 3, 5), 9)
    beat()
    assert [v for v in reminders_to(mc.ndrc_head) if "逾期" in v] == []
    assert not Deadline.objects.filter(
        object_id=notified.pk, kind_id="meeting-notice", state=DeadlineState.OPEN
    ).exists()


def test_a_monday_meeting_is_reminded_on_the_sunday_before_and_on_the_day_only(meeting_city, make_meeting, today):
    """The 会前提醒 kind counts calendar days: "the day before" a Monday meeting is the Sunday, and
    neither the Friday before nor any day after brings one."""
    mc = meeting_city
    monday = datetime(2026, 3, 9, 9, tzinfo=BEIJING)
    meeting = make_meeting(starts_at=monday, attendees=[mc.ndrc_head])
    services.meeting_notify(actor=mc.officer.user, meeting=meeting)
    seen = []
    for day in (5, 6, 7, 8, 9, 10, 11):
        on(today, date(2026, 3, day), 8)
        beat()
        seen.append((day, len(reminders_to(mc.ndrc_head))))
    assert seen == [(5, 0), (6, 0), (7, 0), (8, 1), (9, 2), (10, 2), (11, 2)]
    assert "今日届满" in reminders_to(mc.ndrc_head)[-1]


def test_a_placed_topic_owes_its_materials_until_they_come_in(meeting_city, make_meeting, today):
    """GIVEN a 常务会议 on Friday 13 March (materials 2 working days before: Wednesday 11 March) and an
    approved 议题 of 发改委 WHEN the 会务员 places it on the agenda THEN its 汇报人 钱主任 holds a
    材料报送 deadline due the 11th and is reminded before it; the material coming in meets it; a second
    议题 taken off the agenda has its deadline cancelled, and nobody else is reminded."""
    from tests.meetings.test_api import make_topic

    mc = meeting_city
    meeting = make_meeting(starts_at=datetime(2026, 3, 13, 9, tzinfo=BEIJING))
    topic = make_topic(mc, state="approved")
    other = make_topic(mc, title="关于城市绿道建设的议题", state="approved")
    topic, other = (services.topic_place(actor=mc.officer.user, topic=t, meeting=meeting) for t in (topic, other))
    owed = Deadline.objects.filter(object_id=topic.pk, kind_id="meeting", state=DeadlineState.OPEN).get()
    assert owed.responsible_person == mc.ndrc_head and owed.due_date == date(2026, 3, 11)
    on(today, date(2026, 3, 10), 8)  # the day before
    beat()
    assert any("关于城区老旧小区改造的议题" in verb for verb in reminders_to(mc.ndrc_head))
    assert reminders_to(mc.low) == []

    services.material_add(actor=mc.officer.user, meeting=meeting, title="改造方案", topic=topic)
    owed.refresh_from_db()
    assert owed.state == DeadlineState.MET
    services.topic_unplace(actor=mc.officer.user, topic=other, reason="材料不齐")
    cancelled = Deadline.objects.get(object_id=other.pk, kind_id="meeting")
    assert cancelled.state == DeadlineState.CANCELLED
