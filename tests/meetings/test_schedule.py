"""领导活动安排: entered by the office without clashes (unless confirmed), meetings on it by themselves,
and the week as the reader may see it and as it is published."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import ActivityKind, Attendee, MeetingState, Reply, ScheduleEntry
from meetings.services import schedule
from office.confidentiality.levels import Level

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def add(meeting_city, **fields) -> ScheduleEntry:
    values = {
        "actor": meeting_city.officer.user,
        "leader": meeting_city.vice_mayor,
        "kind": ActivityKind.RESEARCH,
        "title": "赴开发区调研",
        "starts_at": at(MONDAY, 14),
        "ends_at": at(MONDAY, 17),
        "place": "经济开发区",
    }
    values.update(fields)
    return schedule.schedule_add(**values)


def test_the_office_enters_a_leaders_activity(meeting_city, today):
    """GIVEN 李市长 (领导) WHEN the 会务员 enters a 调研 THEN it is on his schedule in his organ, entered by
    the 会务员; the 文秘 may enter too, 吴科员 (no role) and someone of another organ may not; a person
    without the 领导 role has no schedule; an end before the start is refused."""
    c = meeting_city
    entry = add(c)
    assert (entry.organ, entry.leader, entry.entered_by) == (c.organ, c.vice_mayor, c.officer)
    add(c, actor=c.secretary.user, starts_at=at(MONDAY + timedelta(days=1), 9), ends_at=at(MONDAY + timedelta(1), 10))
    for outsider in (c.low, c.outsider):
        with pytest.raises(PermissionDenied):
            add(c, actor=outsider.user, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 9))
    with pytest.raises(ValidationError) as error:
        add(c, leader=c.supervisor, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 9))
    assert "leader" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(c, starts_at=at(MONDAY, 11), ends_at=at(MONDAY, 10))
    assert "ends_at" in error.value.message_dict
    assert ScheduleEntry.objects.count() == 2


def test_an_overlap_is_refused_unless_the_office_confirms_it(meeting_city, today):
    """GIVEN 李市长's 调研 14:00–17:00 WHEN a 接待 at 16:00 is entered THEN it is refused on its start
    time naming the clash; WHEN entered with allow_overlap THEN it stands; a cancelled activity no
    longer clashes, and another leader's time is his own."""
    c = meeting_city
    research = add(c)
    reception = {"kind": ActivityKind.RECEPTION, "title": "接待省考察组", "starts_at": at(MONDAY, 16)}
    reception["ends_at"] = at(MONDAY, 18)
    with pytest.raises(ValidationError) as error:
        add(c, **reception)
    assert error.value.message_dict["starts_at"] == ["与李市长3月9日 14:00的“赴开发区调研”冲突。"]
    assert add(c, allow_overlap=True, **reception).pk
    add(c, leader=c.mayor, **reception)  # 刘市长 is free then
    schedule.schedule_cancel(actor=c.officer.user, entry=research, reason="改期")
    research.refresh_from_db()
    assert research.cancelled and research.note == "取消：改期"
    add(c, title="再次调研", ends_at=at(MONDAY, 15, 30))  # the cancelled 调研's time is free again
    assert ScheduleEntry.objects.filter(leader=c.vice_mayor, cancelled=False).count() == 2


def test_an_edit_that_makes_a_clash_is_refused(meeting_city, today):
    """GIVEN two activities of 李市长 WHEN the second is moved onto the first THEN it is refused; WHEN
    moved elsewhere THEN it reads so."""
    c = meeting_city
    add(c)
    other = add(c, title="外出开会", kind=ActivityKind.TRAVEL, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 11))
    with pytest.raises(ValidationError):
        schedule.schedule_edit(actor=c.officer.user, entry=other, ends_at=at(MONDAY, 15))
    schedule.schedule_edit(actor=c.officer.user, entry=other, place="省政府", ends_at=at(MONDAY, 12))
    other.refresh_from_db()
    assert (other.place, other.ends_at) == ("省政府", at(MONDAY, 12))


def test_a_meeting_puts_itself_on_its_leaders_schedules(meeting_city, make_meeting, today):
    """GIVEN a meeting chaired by 刘市长 with 李市长 and 钱主任 (no 领导 role) invited WHEN synced twice
    THEN the chair and 李市长 each have one 会议 entry (钱主任 none), even over 李市长's 调研 at that
    time; WHEN the meeting moves THEN the entries follow; WHEN 李市长 sends his regrets THEN his entry is
    cancelled; WHEN the meeting is cancelled THEN every entry is."""
    c = meeting_city
    add(c, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 10))
    meeting = make_meeting(attendees=[c.vice_mayor, c.ndrc_head])
    schedule.sync_meeting(meeting)
    schedule.sync_meeting(meeting)
    entries = ScheduleEntry.objects.filter(meeting=meeting)
    assert sorted(e.leader.name for e in entries.all()) == ["刘市长", "李市长"]
    entry = entries.get(leader=c.mayor)
    assert (entry.kind, entry.title, entry.place) == (ActivityKind.MEETING, meeting.title, "第一会议室")
    assert (entry.starts_at, entry.ends_at) == (meeting.starts_at, meeting.ends_at)

    meeting.starts_at, meeting.ends_at = at(MONDAY, 15), at(MONDAY, 17)
    meeting.save(update_fields=["starts_at", "ends_at"])
    schedule.sync_meeting(meeting)
    assert set(entries.values_list("starts_at", flat=True)) == {at(MONDAY, 15)}

    Attendee.objects.filter(meeting=meeting, person=c.vice_mayor).update(reply=Reply.LEAVE, reason="出差")
    schedule.sync_meeting(meeting)
    assert entries.get(leader=c.vice_mayor).cancelled
    assert not entries.get(leader=c.mayor).cancelled

    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])
    schedule.sync_meeting(meeting)
    assert entries.count() == 2 and all(e.cancelled for e in entries.all())


def test_the_week_shows_what_the_reader_may_see(meeting_city, make_meeting, today):
    """GIVEN 李市长's public 调研 on Monday, his 秘密 接待 on Wednesday with a note, and a 机密 meeting
    of 刘市长 on Tuesday WHEN the 会务员 (机密) reads the week THEN he sees all three, each leader on
    his row and day; WHEN 吴科员 (内部) reads it THEN the classified ones are not there; the published
    week holds only the public 调研, without its note."""
    c = meeting_city
    add(c, public=True, note="内部备注")
    add(
        c,
        kind=ActivityKind.RECEPTION,
        title="接待外商",
        starts_at=at(MONDAY + timedelta(days=2), 9),
        ends_at=at(MONDAY + timedelta(days=2), 10),
        level=Level.CONFIDENTIAL,
        basis="涉及招商谈判底价",
        note="谈判底价",
    )
    secret = make_meeting(
        starts_at=at(MONDAY + timedelta(days=1), 9),
        classification=Level.SECRET,
        classification_basis="研究涉密事项",
        room=c.secure_room,
    )
    schedule.sync_meeting(secret)

    def seen(rows):
        return {
            (row["leader"].name, n, e.title)
            for row in rows
            for n, day in enumerate(row["days"])
            for e in day["entries"]
        }

    full = schedule.week(user=c.officer.user, organ=c.organ, monday=MONDAY)
    assert [row["leader"].name for row in full] == ["刘市长", "李市长"]  # the 主要领导 first
    assert all(len(row["days"]) == 7 and row["days"][0]["day"] == MONDAY for row in full)
    assert seen(full) == {("李市长", 0, "赴开发区调研"), ("李市长", 2, "接待外商"), ("刘市长", 1, secret.title)}
    assert seen(schedule.week(user=c.officer.user, organ=c.organ, monday=MONDAY + timedelta(days=2))) == seen(full)
    assert seen(schedule.week(user=c.low.user, organ=c.organ, monday=MONDAY)) == {("李市长", 0, "赴开发区调研")}
    published = schedule.public_week(organ=c.organ, monday=MONDAY)
    assert seen(published) == {("李市长", 0, "赴开发区调研")}
    assert [e.note for row in published for day in row["days"] for e in day["entries"]] == [""]
    assert seen(schedule.week(user=c.officer.user, organ=c.organ, monday=MONDAY + timedelta(days=7))) == set()
