"""The ground of the 会议 app: the default meeting types, and a meeting seen by its people only."""

from __future__ import annotations

import pytest

from meetings.models import Meeting, MeetingType
from meetings.rules import MEETING

pytestmark = pytest.mark.django_db


def test_the_seven_meeting_types_are_data(meeting_city):
    names = list(MeetingType.objects.values_list("name", flat=True))
    assert names == ["常务会议", "全体会议", "专题会议", "党组会议", "主任办公会议", "工作会议", "电视电话会议"]
    assert MeetingType.objects.get(code="video").video is True


def test_a_meeting_is_seen_inside_its_organ_and_by_its_attendees(meeting_city, make_meeting):
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    assert Meeting.objects.visible_to(meeting_city.low.user).filter(pk=meeting.pk).exists()  # 内部, same organ
    assert Meeting.objects.visible_to(meeting_city.ndrc_head.user).filter(pk=meeting.pk).exists()
    assert not Meeting.objects.visible_to(meeting_city.outsider.user).filter(pk=meeting.pk).exists()
    assert "edit" in MEETING.offered(meeting_city.officer.user, meeting)
    assert MEETING.offered(meeting_city.ndrc_head.user, meeting) == {"reply": True}  # his own 回执
    assert MEETING.offered(meeting_city.low.user, meeting) == {}
