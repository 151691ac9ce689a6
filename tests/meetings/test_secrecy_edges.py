"""Where a meeting's secrets could slip out sideways, and where the rules must hold above a person's
clearance: a clash names only what the person may read, the 纪要 names only the agenda, a 议题 never
sits on a meeting below its 密级, 审核 and 定题 need the clearance, a meeting with numbered copies out
cannot be cancelled, and every step the API offers names a route that takes it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve
from django.utils import timezone

from meetings import selectors, services
from meetings.api.serializers import MEETING_ROUTES, TOPIC_ROUTES
from meetings.models import ActivityKind, Attendee, MeetingState, ScheduleEntry, Topic, TopicState
from meetings.rules import MEETING, TOPIC
from meetings.services import minutes, schedule
from office.confidentiality.levels import Level
from office.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_a_clash_names_only_an_activity_the_person_may_read(meeting_city, today):
    """GIVEN a 机密 activity of 李市长 entered by 周会务 (机密) WHEN 何会务 (内部) enters a 调研 at the same
    time THEN it is refused without the 机密 title ("其他活动"); 周会务, who may read it, is told which."""
    c = meeting_city
    secret = schedule.schedule_add(
        actor=c.officer.user,
        leader=c.vice_mayor,
        kind=ActivityKind.OTHER,
        title="听取专项工作汇报（机密）",
        starts_at=at(MONDAY, 14),
        ends_at=at(MONDAY, 16),
        level=Level.SECRET,
        basis="测试定密依据",
    )
    fields = {"leader": c.vice_mayor, "kind": ActivityKind.RESEARCH, "title": "调研", "starts_at": at(MONDAY, 15)}
    fields["ends_at"] = at(MONDAY, 17)
    with pytest.raises(ValidationError) as low:
        schedule.schedule_add(actor=c.officer_low.user, **fields)
    assert secret.title not in str(low.value) and "其他活动" in str(low.value)
    with pytest.raises(ValidationError) as cleared:
        schedule.schedule_add(actor=c.officer.user, **fields)
    assert "其他活动" in str(cleared.value)  # a classified title is never put in a message
    assert ScheduleEntry.objects.count() == 1


def test_conflicts_name_only_meetings_the_officer_may_see(meeting_city, make_meeting, today):
    """GIVEN 刘市长 invited to an 内部 meeting of another city's government at the same time as ours
    WHEN our 会务员 reads the clashes THEN 刘市长 is said to be busy, without the other meeting's title."""
    c = meeting_city
    ours = make_meeting(attendees=[c.mayor])
    theirs = make_meeting(
        title="邻市招商引资工作会议",
        organ=c.outsider.unit,
        organizing_unit=c.outsider.unit,
        organizer=c.outsider,
        created_by=c.outsider,
        chair=c.outsider,
        room=None,
        platform="邻市视频会议系统",
        type_code="work",
    )
    Attendee.objects.create(meeting=theirs, person=c.mayor)
    said = selectors.conflicts(ours, c.officer.user)
    assert said and all("邻市招商引资工作会议" not in line for line in said)
    assert any("另一会议" in line for line in said)


def test_the_minutes_name_only_the_agenda(meeting_city, make_meeting, today):
    """GIVEN a held meeting with one 议题 placed and one withdrawn that had named the meeting WHEN the
    纪要 is drafted THEN its opening names the placed one only."""
    c = meeting_city
    meeting = make_meeting(starts_at=timezone.now() - timedelta(hours=1), state=MeetingState.HELD)
    common = {
        "organ": c.organ,
        "meeting_type": meeting.type,
        "meeting": meeting,
        "summary": "提请审议。",
        "unit": c.ndrc,
        "presenter": c.ndrc_head,
        "reviewing_leader": c.vice_mayor,
        "submitted_by": c.ndrc_head,
    }
    Topic.objects.create(title="已列入议程的议题", state=TopicState.PLACED, order=1, **common)
    Topic.objects.create(title="已撤回的议题", state=TopicState.WITHDRAWN, **common)
    body = minutes.minutes_body(meeting)
    assert "已列入议程的议题" in body and "已撤回的议题" not in body


def test_a_topic_never_sits_on_a_meeting_below_its_level(meeting_city, make_meeting, today):
    """GIVEN an 内部 常务会议 WHEN 钱主任 申报 a 秘密 议题 for it THEN it is refused (the 纪要 and the agenda
    would carry a secret at 内部)."""
    c = meeting_city
    meeting = make_meeting(starts_at=timezone.now() + timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        services.topic_create(
            actor=c.ndrc_head.user,
            meeting_type=meeting.type,
            title="涉密议题",
            summary="提请审议。",
            unit=c.ndrc,
            presenter=c.ndrc_head,
            reviewing_leader=c.vice_mayor,
            meeting=meeting,
            organ=c.organ,
            level=Level.CONFIDENTIAL,
            basis="测试定密依据",
        )
    assert "meeting" in error.value.message_dict


def test_review_and_decision_need_the_clearance(meeting_city, today):
    """GIVEN a 机密 议题 waiting for 审核 and one waiting for 定题, their 分管领导 and organ head cleared
    only for 秘密 WHEN they are offered their steps THEN nothing, and the services refuse."""
    c = meeting_city
    for leader in (c.vice_mayor, c.mayor):
        leader.clearance = Level.CONFIDENTIAL
        leader.save(update_fields=["clearance"])
    common = {
        "organ": c.organ,
        "meeting_type_id": "standing",
        "summary": "提请审议。",
        "unit": c.ndrc,
        "presenter": c.ndrc_head,
        "reviewing_leader": c.vice_mayor,
        "submitted_by": c.ndrc_head,
        "classification": Level.SECRET,
    }
    waiting = Topic.objects.create(title="待审核", state=TopicState.SUBMITTED, **common)
    deciding = Topic.objects.create(title="待定题", state=TopicState.REVIEWED, **common)
    assert "review" not in TOPIC.offered(c.vice_mayor.user, waiting)
    assert "approve" not in TOPIC.offered(c.mayor.user, deciding)
    with pytest.raises(PermissionDenied):
        services.topic_review(actor=c.vice_mayor.user, topic=waiting)
    with pytest.raises(PermissionDenied):
        services.topic_approve(actor=c.mayor.user, topic=deciding)


def test_a_meeting_with_copies_out_cannot_be_cancelled(meeting_city, make_meeting, today):
    """GIVEN a 秘密 meeting notified, its checked material's numbered copies issued to the attendees
    WHEN the 会务员 would cancel it THEN 取消 is not offered and the service refuses: the copies must
    come back first."""
    c = meeting_city
    meeting = make_meeting(
        starts_at=timezone.now() + timedelta(hours=2),
        room=c.secure_room,
        classification=Level.CONFIDENTIAL,
        classification_basis="测试定密依据",
        attendees=[c.vice_mayor, c.ndrc_head],
        state=MeetingState.NOTIFIED,
    )
    material = services.material_add(actor=c.officer.user, meeting=meeting, title="汇报材料", pages=3)
    services.material_check(actor=c.officer.user, material=material)
    services.material_issue(actor=c.officer.user, material=material)
    assert "cancel" not in MEETING.offered(c.officer.user, meeting)
    with pytest.raises(TransitionNotAllowed):
        services.meeting_cancel(actor=c.officer.user, meeting=meeting, reason="改期")


def test_every_offered_step_names_a_route_that_takes_it(meeting_city):
    """The API's offers name routes of the meetings and topics viewsets (or PATCH of the record)."""
    for routes, prefix in (
        (MEETING_ROUTES, "/api/v1/meetings/meetings/1/"),
        (TOPIC_ROUTES, "/api/v1/meetings/topics/1/"),
    ):
        for step, path in routes.items():
            path = path.replace("{id}", "1")  # one of the offer's options, or of the record's parts
            match = resolve(prefix + (f"{path}/" if path else ""))
            assert match.url_name, step
    assert set(MEETING_ROUTES) <= {step.name for step in MEETING.steps}
    assert set(TOPIC_ROUTES) <= {step.name for step in TOPIC.steps}
