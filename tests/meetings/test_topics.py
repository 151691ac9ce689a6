"""议题 (``meetings.services.topics``), the clock frozen on Monday 2 March 2026: 拟报 by the unit, 报送 only
when coordinated (不协调一致不上会) and before the type's lead time, 分管领导审核, 定题, 退回, 撤回, 列入议程 (its
汇报人 invited to 列席) and the agenda's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import selectors, services
from meetings.models import Attendee, AttendeeRole, MeetingState, Topic, TopicState
from meetings.rules import TOPIC
from office.confidentiality.levels import Level
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.meetings.conftest import next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(today):
    return today


@pytest.fixture
def target(make_meeting):
    """The 常务会议 of Monday 16 March (议题 due 5 working days before: Monday 9 March)."""
    return make_meeting(starts_at=next_monday() + timedelta(days=7))


def draft(mc, meeting=None, **fields):
    values = {
        "actor": mc.ndrc_head.user,
        "meeting_type": mc.type(),
        "title": "关于2026年重大项目投资计划的议题",
        "summary": "提请会议审议2026年重大项目投资计划。",
        "unit": mc.ndrc,
        "presenter": mc.ndrc_head,
        "reviewing_leader": mc.vice_mayor,
        "consultation": "已征求财政局、自然资源局意见，均无异议。",
        "agreed": True,
        "meeting": meeting,
        "attending_units": [mc.finance],
    }
    values.update(fields)
    return services.topic_create(**values)


def approved(mc, meeting, **fields):
    topic = draft(mc, meeting, **fields)
    services.topic_submit(actor=mc.ndrc_head.user, topic=topic)
    services.topic_review(actor=mc.vice_mayor.user, topic=topic, opinion="同意提交常务会议")
    services.topic_approve(actor=mc.mayor.user, topic=topic)
    return Topic.objects.get(pk=topic.pk)


def test_a_unit_drafts_a_topic_for_the_governments_meeting(meeting_city, target):
    """GIVEN 发改委 (an organ of its own under the city) WHEN 钱主任 drafts a 议题 for the city's 常务会议 THEN
    it belongs to the city government, he is its 申报人, its 列席单位 are kept; 周局长 (财政局) may not draft
    for 发改委."""
    mc = meeting_city
    topic = draft(mc, target)
    assert topic.organ == mc.organ and topic.state == TopicState.DRAFT and topic.submitted_by == mc.ndrc_head
    assert list(topic.attending_units.all()) == [mc.finance]
    assert list(topic.events.values_list("action", flat=True)) == ["拟报议题"]
    with pytest.raises(PermissionDenied):
        draft(mc, target, actor=mc.finance_head.user)


def test_a_topic_needs_a_title_summary_and_cleared_people(meeting_city, target):
    """GIVEN a 秘密 topic presented by 孙科员 (秘密) but reviewed by nobody cleared WHEN drafted with an empty
    summary or a reviewer below its level THEN refused naming the field."""
    mc = meeting_city
    with pytest.raises(ValidationError) as error:
        draft(mc, target, summary=" ")
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        draft(mc, target, level=Level.CONFIDENTIAL, basis="依据", reviewing_leader=mc.low)
    assert "reviewing_leader" in error.value.message_dict


def test_no_topic_goes_up_uncoordinated(meeting_city, target):
    """GIVEN a 议题 without the units' agreement, and a 规范性文件 not yet reviewed for legality WHEN
    submitted THEN refused (不协调一致不上会) and not offered; once recorded it goes to the 分管领导, who is
    told."""
    mc = meeting_city
    topic = draft(mc, target, agreed=False)
    assert "submit" not in TOPIC.offered(mc.ndrc_head.user, topic)
    with pytest.raises(TransitionNotAllowed) as error:
        services.topic_submit(actor=mc.ndrc_head.user, topic=topic)
    assert "不协调一致不上会" in str(error.value)
    normative = draft(mc, target, normative=True)
    with pytest.raises(TransitionNotAllowed):
        services.topic_submit(actor=mc.ndrc_head.user, topic=normative)
    services.topic_edit(actor=mc.ndrc_head.user, topic=normative, legality_reviewed=True)
    services.topic_submit(actor=mc.ndrc_head.user, topic=normative)
    normative.refresh_from_db()
    assert normative.state == TopicState.SUBMITTED and normative.submitted_at is not None
    assert Notification.objects.filter(recipient=mc.vice_mayor.user, verb__startswith="议题待审核").exists()


def test_a_topic_is_due_the_types_lead_time_before_the_meeting(meeting_city, target, frozen):
    """GIVEN the 常务会议 of 16 March (5 working days: due 9 March) WHEN the 议题 is submitted on 10 March THEN
    refused; on 9 March it is taken."""
    mc = meeting_city
    late = draft(mc, target)
    on_time = draft(mc, target, title="准时的议题")
    frozen.move_to("2026-03-10 09:00 +0800")
    with pytest.raises(TransitionNotAllowed):
        services.topic_submit(actor=mc.ndrc_head.user, topic=late)
    frozen.move_to("2026-03-09 17:00 +0800")
    services.topic_submit(actor=mc.ndrc_head.user, topic=on_time)
    assert Topic.objects.get(pk=on_time.pk).state == TopicState.SUBMITTED


def test_review_approve_return_and_withdraw(meeting_city, target):
    """GIVEN a submitted 议题 WHEN 周局长 reviews it THEN refused; the 分管领导 reviews, the 主要领导 returns it
    without a reason (refused) and with one (the unit is told); resubmitted it is approved; another is
    withdrawn by its unit."""
    mc = meeting_city
    topic = draft(mc, target)
    services.topic_submit(actor=mc.ndrc_head.user, topic=topic)
    with pytest.raises(PermissionDenied):
        services.topic_review(actor=mc.finance_head.user, topic=topic)
    services.topic_review(actor=mc.vice_mayor.user, topic=topic, opinion="同意")
    with pytest.raises(ValidationError):
        services.topic_return(actor=mc.mayor.user, topic=topic, opinion="")
    services.topic_return(actor=mc.mayor.user, topic=topic, opinion="请补充资金来源")
    assert Topic.objects.get(pk=topic.pk).state == TopicState.RETURNED
    assert "议题被退回：关于2026年重大项目投资计划的议题（请补充资金来源）" in Notification.objects.filter(
        recipient=mc.ndrc_head.user
    ).values_list("verb", flat=True)
    services.topic_submit(actor=mc.ndrc_head.user, topic=topic)
    services.topic_review(actor=mc.vice_mayor.user, topic=topic)
    services.topic_approve(actor=mc.mayor.user, topic=topic, opinion="列入下次常务会议")
    assert Topic.objects.get(pk=topic.pk).state == TopicState.APPROVED
    other = draft(mc, target, title="另一议题")
    services.topic_withdraw(actor=mc.ndrc_head.user, topic=other, reason="情况变化")
    assert Topic.objects.get(pk=other.pk).state == TopicState.WITHDRAWN


def test_placing_invites_the_presenter_and_numbers_the_agenda(meeting_city, target):
    """GIVEN two approved 议题 WHEN the 会务员 places them THEN they are 1 and 2 on the agenda, each 汇报人 is
    invited to 列席 (钱主任 once); a third placed at 1 goes first; the agenda can be renumbered."""
    mc = meeting_city
    first = approved(mc, target)
    second = approved(mc, target, title="第二个议题", presenter=mc.ndrc_staff)
    third = approved(mc, target, title="第三个议题")
    services.topic_place(actor=mc.officer.user, topic=first, meeting=target)
    services.topic_place(actor=mc.officer.user, topic=second, meeting=target)
    assert [(t.title, t.order) for t in selectors.agenda(target)] == [
        ("关于2026年重大项目投资计划的议题", 1),
        ("第二个议题", 2),
    ]
    sitting = Attendee.objects.filter(meeting=target).values_list("person__name", "role")
    assert sorted(sitting) == [("孙科员", AttendeeRole.SIT_IN), ("钱主任", AttendeeRole.SIT_IN)]
    services.topic_place(actor=mc.officer.user, topic=third, meeting=target, order=1)
    assert [t.title for t in selectors.agenda(target)] == [
        "第三个议题",
        "关于2026年重大项目投资计划的议题",
        "第二个议题",
    ]
    assert target.attendees.count() == 2
    services.agenda_order(actor=mc.officer.user, meeting=target, topics=[second, third, first])
    assert [t.order for t in (Topic.objects.get(pk=t.pk) for t in (second, third, first))] == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.agenda_order(actor=mc.officer.user, meeting=target, topics=[second, third])


def test_a_topic_goes_only_on_a_preparing_meeting_of_its_type(meeting_city, target, make_meeting):
    """GIVEN an approved 常务会议 议题 WHEN placed on a 专题会议, or by a 科员 THEN refused; a meeting cancelled
    returns its placed 议题 to 已定题."""
    mc = meeting_city
    topic = approved(mc, target)
    special = make_meeting(type_code="special", title="专题会议", room=None)
    with pytest.raises(ValidationError):
        services.topic_place(actor=mc.officer.user, topic=topic, meeting=special)
    with pytest.raises(PermissionDenied):
        services.topic_place(actor=mc.low.user, topic=topic, meeting=target)
    services.topic_place(actor=mc.officer.user, topic=topic, meeting=target)
    services.meeting_cancel(actor=mc.officer.user, meeting=target, reason="改期")
    topic.refresh_from_db()
    assert target.__class__.objects.get(pk=target.pk).state == MeetingState.CANCELLED
    assert (topic.state, topic.order) == (TopicState.APPROVED, None)
    assert list(selectors.agenda(target)) == []


def test_topic_list_is_what_he_may_see(meeting_city, target):
    """GIVEN a 议题 of 发改委 WHEN the outsider lists 议题 THEN none; 钱主任 and the 分管领导 see it."""
    mc = meeting_city
    topic = draft(mc, target)
    assert list(selectors.topic_list_visible(user=mc.outsider.user)) == []
    assert list(selectors.topic_list_visible(user=mc.ndrc_head.user, filters={"state": "draft"})) == [topic]
    assert list(selectors.topic_list_visible(user=mc.vice_mayor.user)) == [topic]
