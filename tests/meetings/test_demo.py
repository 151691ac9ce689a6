"""``manage.py seed_demo`` loads the 市政府's meetings in every phase, walked there through the
services on days relative to now, once however often it runs: a 常务会议 whose 纪要 opened its 督办
items by itself, a 秘密 meeting with one copy not returned, the next 常务会议 notified with 议题 in
every step, a 电视电话会议 and the leaders' week."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from meetings.models import Decision, Meeting, MeetingState, Room, ScheduleEntry, Topic, TopicState
from meetings.selectors import copies_out
from office.confidentiality.levels import Level
from supervision.models import Source, SupervisionItem

pytestmark = pytest.mark.django_db

DEMO = override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)


@DEMO
def test_the_demo_holds_meetings_in_every_phase_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # a second run adds nothing

    states = dict(Meeting.objects.values_list("title", "state"))
    assert states["临江市人民政府第13次常务会议"] == MeetingState.MINUTED
    assert states["临江市人民政府第14次常务会议"] == MeetingState.NOTIFIED
    assert states["临江市人民政府第15次常务会议"] == MeetingState.PLANNED
    assert states["全市安全生产形势分析专题会议"] == MeetingState.HELD
    assert states["全省防汛抗旱工作电视电话会议临江分会场"] == MeetingState.NOTIFIED
    assert Meeting.objects.get(title="临江市人民政府第13次常务会议").sequence is not None
    now = timezone.now()  # the coming meetings are still to come, on whatever day the demo is loaded
    for title, days in (("临江市人民政府第14次常务会议", 3), ("全省防汛抗旱工作电视电话会议临江分会场", 1)):
        starts = Meeting.objects.get(title=title).starts_at
        assert now < starts and timezone.localtime(starts).date() == timezone.localdate() + timedelta(days=days)

    # The 纪要's 核发 opened one item per 议定事项, linked both ways, source 会议.
    decisions = Decision.objects.filter(meeting__title="临江市人民政府第13次常务会议")
    assert decisions.count() == 2 and all(d.item is not None for d in decisions)
    items = SupervisionItem.objects.filter(source=Source.MEETING, source_id__isnull=False)  # not the typed-in ones
    assert {item.source_id for item in items} == {d.pk for d in decisions}

    secret = Meeting.objects.get(title="全市安全生产形势分析专题会议")
    assert secret.classification == Level.CONFIDENTIAL and copies_out(secret).count() == 1

    topics = set(Topic.objects.values_list("state", flat=True))
    assert {TopicState.PLACED, TopicState.APPROVED, TopicState.REVIEWED, TopicState.SUBMITTED} <= topics
    assert Room.objects.count() == 4
    assert ScheduleEntry.objects.filter(meeting__isnull=True).count() == 4
    assert ScheduleEntry.objects.filter(meeting__isnull=False, leader__user__username="director").exists()
