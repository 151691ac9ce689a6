"""The leak matrix of 会议 through the API: a 机密 meeting, its 机密 议题 and a 机密 领导活动 are a 404 to
郑科员 (another city, cleared 机密) and to 吴科员 (内部, of the organ's own 办公室) on their detail and
every action, whatever the body; they find none in the lists or their counts; the rooms' calendar
shows them the booking only as "已预订", and another organ's rooms not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import ActivityKind, Meeting, MeetingState, RoomBooking, ScheduleEntry, Topic, TopicState
from office.confidentiality.levels import Level

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/meetings/"
SECRET_TITLE = "机密专题研究会议"
MEETING_POSTS = [
    "book",
    "invite",
    "reply",
    "notify",
    "hold",
    "cancel",
    "check-in",
    "sign-in",
    "decisions",
    "minutes-draft",
]
MEETING_GETS = ["", "attendance/", "ics/"]
TOPIC_POSTS = ["submit", "review", "approve", "return", "withdraw", "place"]


@pytest.fixture
def secret(meeting_city, make_meeting):
    """A 机密 meeting in the 保密会议室 (booked) with 钱主任, a 机密 议题 on it and a 机密 activity of 李市长."""
    c = meeting_city
    meeting = make_meeting(title=SECRET_TITLE, classification=Level.SECRET, room=c.secure_room, attendees=[c.ndrc_head])
    RoomBooking.objects.create(
        room=c.secure_room,
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        state="confirmed",
        requested_by=c.officer,
    )
    topic = Topic.objects.create(
        organ=c.organ,
        meeting_type=c.type(),
        meeting=meeting,
        title="机密议题",
        summary="涉密事项。",
        unit=c.ndrc,
        presenter=c.ndrc_head,
        reviewing_leader=c.vice_mayor,
        submitted_by=c.ndrc_head,
        state=TopicState.SUBMITTED,
        classification=Level.SECRET,
    )
    entry = ScheduleEntry.objects.create(
        organ=c.organ,
        leader=c.vice_mayor,
        kind=ActivityKind.MEETING,
        title=SECRET_TITLE,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        meeting=meeting,
        entered_by=c.officer,
        classification=Level.SECRET,
    )
    return meeting, topic, entry


def test_the_people_of_the_meeting_see_it(meeting_city, secret, api_as, today):
    """GIVEN the 机密 meeting WHEN its 会务员 and its attendee read it THEN it is there for both (the
    matrix below is not empty by accident)."""
    meeting, topic, _ = secret
    for person in (meeting_city.officer, meeting_city.ndrc_head):
        api = api_as(person)
        assert api.get(f"{BASE}{meeting.pk}/").status_code == 200
        assert api.get(BASE).json()["count"] == 1
    assert api_as(meeting_city.ndrc_head).get(f"/api/v1/meetings/topics/{topic.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["outsider", "low"])
def test_an_outsider_and_a_low_clearance_person_get_404_and_see_nothing(meeting_city, secret, api_as, today, who):
    """GIVEN the 机密 meeting, its 议题 and its activity WHEN 郑科员 (another city) or 吴科员 (内部) asks for
    them, takes any step on them (with an empty body or a full one) or reads the lists THEN every answer
    is a 404 or an empty list, and nothing changes."""
    c = meeting_city
    meeting, topic, entry = secret
    api = api_as(getattr(c, who))
    for path in MEETING_GETS:
        assert api.get(f"{BASE}{meeting.pk}/{path}").status_code == 404, path
    for path in MEETING_POSTS:
        assert api.post(f"{BASE}{meeting.pk}/{path}/", {}, format="json").status_code == 404, path
        junk = {"reason": "x", "room": c.room.pk, "token": "x", "attendee": 1, "people": [c.low.pk]}
        assert api.post(f"{BASE}{meeting.pk}/{path}/", junk, format="json").status_code == 404, path
    assert api.patch(f"{BASE}{meeting.pk}/", {"title": "改名"}, format="json").status_code == 404
    assert api.get(BASE).json() == {"count": 0, "count_exact": True, "next": None, "previous": None, "results": []}
    assert api.get(BASE, {"state": "planned", "type": "standing"}).json()["count"] == 0
    assert api.get(BASE, {"cursor": ""}).json()["results"] == []

    topics = "/api/v1/meetings/topics/"
    assert api.get(f"{topics}{topic.pk}/").status_code == 404
    for path in TOPIC_POSTS:
        assert api.post(f"{topics}{topic.pk}/{path}/", {"opinion": "x"}, format="json").status_code == 404, path
    assert api.patch(f"{topics}{topic.pk}/", {"title": "改名"}, format="json").status_code == 404
    assert api.get(topics).json()["count"] == 0
    # Naming the secret meeting in a body (one's own 议题 placed on it) is the 400 of a meeting that
    # does not exist: the same words, nothing more.
    own = Topic.objects.create(
        organ=getattr(c, who).unit.organ or getattr(c, who).unit,
        meeting_type=c.type(),
        title="本人的议题",
        summary="事项。",
        unit=getattr(c, who).unit,
        presenter=getattr(c, who),
        reviewing_leader=getattr(c, who),
        submitted_by=getattr(c, who),
        state=TopicState.APPROVED,
    )
    named = api.post(f"{topics}{own.pk}/place/", {"meeting": meeting.pk}, format="json")
    missing = api.post(f"{topics}{own.pk}/place/", {"meeting": 99999999}, format="json")
    assert named.status_code == missing.status_code == 400
    assert named.json()["errors"]["meeting"] == [
        m.replace("99999999", str(meeting.pk)) for m in missing.json()["errors"]["meeting"]
    ]

    schedule = "/api/v1/meetings/schedule/"
    assert api.get(f"{schedule}{entry.pk}/").status_code == 404
    assert api.post(f"{schedule}{entry.pk}/cancel/", {}, format="json").status_code == 404
    assert api.patch(f"{schedule}{entry.pk}/", {"place": "x"}, format="json").status_code == 404
    assert api.get(schedule).json()["count"] == 0
    monday = timezone.localdate(meeting.starts_at)
    week = api.get(f"{schedule}week/", {"monday": str(monday)}).content.decode()
    assert SECRET_TITLE not in week
    public = api.get(f"{schedule}public-week/", {"monday": str(monday)}).content.decode()
    assert SECRET_TITLE not in public

    meeting.refresh_from_db()
    assert (meeting.title, meeting.state) == (SECRET_TITLE, MeetingState.PLANNED)
    assert Meeting.objects.get(pk=meeting.pk).attendees.count() == 1


def test_the_calendar_hides_the_secret_meeting_and_other_organs_rooms(meeting_city, secret, api_as, today):
    """GIVEN the 机密 meeting booked in the 保密会议室 WHEN 吴科员 (内部, of the organ) reads the calendar THEN
    the room is taken but the meeting is neither named nor linked; WHEN 郑科员 of another city reads his
    THEN the booking is not there at all, and the organ's rooms are a 404 to him."""
    c = meeting_city
    meeting, _, _ = secret
    day = str(timezone.localdate(meeting.starts_at))
    days = {"date_from": day, "date_to": day}
    slots = api_as(c.low).get("/api/v1/meetings/rooms/calendar/", days).json()
    assert [(s["room"], s["meeting"], s["title"]) for s in slots] == [(c.secure_room.pk, None, "已预订")]
    assert SECRET_TITLE not in str(slots)

    stranger = api_as(c.outsider)
    assert stranger.get("/api/v1/meetings/rooms/calendar/", days).json() == []
    assert stranger.get("/api/v1/meetings/rooms/").json()["count"] == 0
    assert stranger.get(f"/api/v1/meetings/rooms/{c.secure_room.pk}/").status_code == 404
    too_long = {"date_from": day, "date_to": str(timezone.localdate() + timedelta(days=100))}
    assert stranger.get("/api/v1/meetings/rooms/calendar/", too_long).status_code == 400
