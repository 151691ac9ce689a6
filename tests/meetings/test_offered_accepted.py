"""Offered ⇔ accepted for ``rules.MEETING`` (the steps of ``services.meetings`` and 列入议程) and
``rules.TOPIC``: for records in every state these services reach (and the variants that open other
steps: a meeting ready to notify, one begun, a 涉密 one; a 议题 not coordinated, one past its lead
time), for the meeting city's people, every step is offered exactly when the service takes it (each
attempt rolled back; ``tests.workflow.harness``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingState, Reply, Topic, TopicState
from meetings.rules import MEETING, TOPIC
from office.confidentiality.levels import Level
from tests.meetings.conftest import next_monday
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db

# The MEETING steps these services take (the others belong to checkin, materials and minutes).
MEETING_STEPS = ("edit", "book", "invite", "place_topic", "notify", "reply", "hold", "cancel")


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def people(mc):
    return [
        p.user
        for p in (
            mc.mayor,
            mc.vice_mayor,
            mc.officer,
            mc.officer_low,
            mc.ndrc_head,
            mc.ndrc_staff,
            mc.finance_head,
            mc.low,
            mc.outsider,
        )
    ]


def approved_topic(mc, meeting: Meeting) -> Topic:
    """An approved 议题 for ``meeting``, straight through the ORM (its own flow is tested below)."""
    return Topic.objects.create(
        organ=meeting.organ,
        meeting_type=meeting.type,
        meeting=meeting,
        title="待列入议程的议题",
        summary="提请会议研究。",
        unit=mc.ndrc,
        presenter=mc.ndrc_head,
        reviewing_leader=mc.vice_mayor,
        submitted_by=mc.ndrc_head,
        consultation="各方一致。",
        agreed=True,
        state=TopicState.APPROVED,
    )


def meeting_attempt(mc):
    def attempt(step: str, user, record: Meeting) -> None:
        if step == "edit":
            services.meeting_edit(actor=user, meeting=record, title=f"{record.title}（调整）")
        elif step == "book":
            room = mc.secure_room if record.classification > Level.INTERNAL else mc.room
            services.room_book(actor=user, meeting=record, room=room)
        elif step == "invite":
            services.attendee_invite(actor=user, meeting=record, people=[mc.finance_head])
        elif step == "place_topic":
            services.topic_place(actor=user, topic=approved_topic(mc, record), meeting=record)
        elif step == "notify":
            services.meeting_notify(actor=user, meeting=record)
        elif step == "reply":
            services.attendee_reply(actor=user, meeting=record, reply=Reply.ATTEND)
        elif step == "hold":
            services.meeting_hold(actor=user, meeting=record)
        elif step == "cancel":
            services.meeting_cancel(actor=user, meeting=record, reason="另行安排")
        else:  # a step added to MEETING_STEPS needs its attempt here
            raise AssertionError(step)

    return attempt


def meetings_in_every_state(mc, make_meeting) -> dict[str, Meeting]:
    officer = mc.officer.user
    found = {
        "empty": make_meeting(room=None, title="尚无会场和人员的会议"),
        "ready": make_meeting(attendees=[mc.ndrc_head], title="可发通知的会议"),
        "secret": make_meeting(
            attendees=[mc.ndrc_head],
            room=mc.secure_room,
            title="涉密会议",
            classification=Level.SECRET,
            classification_basis="国家秘密目录第3项",
        ),
    }
    notified = make_meeting(attendees=[mc.ndrc_head], title="已通知的会议")
    found["notified"] = services.meeting_notify(actor=officer, meeting=notified)
    now = timezone.localtime()
    begun_at = now.replace(hour=9, minute=0, second=0, microsecond=0)
    for name in ("begun", "held", "minuted", "closed"):
        meeting = make_meeting(attendees=[mc.ndrc_head], title=f"今天的会议（{name}）", starts_at=begun_at)
        found[name] = services.meeting_notify(actor=officer, meeting=meeting)
    for name in ("held", "minuted", "closed"):
        services.meeting_hold(actor=officer, meeting=found[name])
    # 纪要印发 and 归档 belong to the minutes' flow: set as it leaves them.
    Meeting.objects.filter(pk=found["minuted"].pk).update(state=MeetingState.MINUTED)
    Meeting.objects.filter(pk=found["closed"].pk).update(state=MeetingState.CLOSED)
    cancelled = make_meeting(attendees=[mc.ndrc_head], title="取消的会议", starts_at=next_monday(15))
    found["cancelled"] = services.meeting_cancel(actor=officer, meeting=cancelled, reason="改期")
    return {name: Meeting.objects.get(pk=m.pk) for name, m in found.items()}


def test_every_meeting_step_is_offered_exactly_when_the_service_takes_it(meeting_city, make_meeting):
    """GIVEN meetings 筹备中 (empty, ready, 涉密), 已通知 (coming, begun), 已召开, 纪要已印发, 已归档 and 已取消 WHEN
    each person tries each step THEN what is offered is what the service takes."""
    mc = meeting_city
    records = meetings_in_every_state(mc, make_meeting)
    assert {r.state for r in records.values()} == set(MeetingState.values)
    found = mismatches(MEETING, list(records.values()), people(mc), meeting_attempt(mc), steps=MEETING_STEPS)
    assert found == []
    offered = {name for r in records.values() for u in people(mc) for name in MEETING.offered(u, r)}
    assert set(MEETING_STEPS) <= offered  # every step met at least once


def topic_attempt(mc):
    def attempt(step: str, user, record: Topic) -> None:
        if step == "edit":
            services.topic_edit(actor=user, topic=record, title=f"{record.title}（修改）")
        elif step == "submit":
            services.topic_submit(actor=user, topic=record)
        elif step == "review":
            services.topic_review(actor=user, topic=record, opinion="同意")
        elif step == "approve":
            services.topic_approve(actor=user, topic=record)
        elif step == "return":
            services.topic_return(actor=user, topic=record, opinion="请补充材料")
        elif step == "withdraw":
            services.topic_withdraw(actor=user, topic=record)
        elif step == "place":
            services.topic_place(actor=user, topic=record, meeting=record.meeting)
        else:  # a step added to TOPIC needs its attempt here
            raise AssertionError(step)

    return attempt


def topics_in_every_state(mc, make_meeting) -> dict[str, Topic]:
    target = make_meeting(starts_at=next_monday() + timedelta(days=7), title="3月16日常务会议")
    soon = make_meeting(starts_at=next_monday() - timedelta(days=4), title="3月5日常务会议")  # 议题 due 26 February

    def draft(title, meeting=target, **fields):
        values = {
            "actor": mc.ndrc_head.user,
            "meeting_type": mc.type(),
            "title": title,
            "summary": "提请会议研究。",
            "unit": mc.ndrc,
            "presenter": mc.ndrc_head,
            "reviewing_leader": mc.vice_mayor,
            "consultation": "已征求有关部门意见，均无异议。",
            "agreed": True,
            "meeting": meeting,
        }
        values.update(fields)
        return services.topic_create(**values)

    def submitted(title):
        return services.topic_submit(actor=mc.ndrc_head.user, topic=draft(title))

    def reviewed(title):
        return services.topic_review(actor=mc.vice_mayor.user, topic=submitted(title))

    def approved(title):
        return services.topic_approve(actor=mc.mayor.user, topic=reviewed(title))

    found = {
        "draft": draft("拟报的议题"),
        "uncoordinated": draft("未协调一致的议题", agreed=False),
        "late": draft("逾期的议题", meeting=soon),
        "submitted": submitted("报送的议题"),
        "reviewed": reviewed("审核的议题"),
        "approved": approved("定题的议题"),
        "returned": services.topic_return(actor=mc.mayor.user, topic=reviewed("退回的议题"), opinion="请补充"),
        "withdrawn": services.topic_withdraw(actor=mc.ndrc_head.user, topic=draft("撤回的议题")),
    }
    found["placed"] = services.topic_place(actor=mc.officer.user, topic=approved("上会的议题"), meeting=target)
    discussed = approved("已上会的议题")
    Topic.objects.filter(pk=discussed.pk).update(state=TopicState.DISCUSSED, meeting=target, order=9)
    found["discussed"] = discussed
    return {name: Topic.objects.get(pk=t.pk) for name, t in found.items()}


def test_every_topic_step_is_offered_exactly_when_the_service_takes_it(meeting_city, make_meeting):
    """GIVEN 议题 拟报 (coordinated, not coordinated, past its lead time), 报送, 审核, 定题, 列入议程, 上会, 退回 and
    撤回 WHEN each person tries each step THEN what is offered is what the service takes."""
    mc = meeting_city
    records = topics_in_every_state(mc, make_meeting)
    assert {r.state for r in records.values()} == set(TopicState.values)
    assert mismatches(TOPIC, list(records.values()), people(mc), topic_attempt(mc)) == []
    offered = {name for r in records.values() for u in people(mc) for name in TOPIC.offered(u, r)}
    assert offered == {step.name for step in TOPIC.steps}
