"""Offered ⇔ accepted for **every** step of ``rules.TOPIC``: for 议题 in every state (and the variants
that open or close other steps: one not coordinated, one past its lead time, one still on the agenda
of a meeting already held), for the meeting city's people, each step is offered exactly when its
service takes it (each attempt rolled back; ``tests.workflow.harness``). 上会 (``discuss``) is never
offered: the meeting's 召开 takes it for its whole agenda, so the machine's own check refuses it here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetings import services
from meetings.models import MeetingState, Topic, TopicState
from meetings.rules import TOPIC
from tests.meetings.conftest import next_monday
from tests.meetings.test_offered_accepted import people
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db

NEVER_OFFERED = {"discuss"}


@pytest.fixture(autouse=True)
def frozen(today):
    return today


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
        elif step == "unplace":
            services.topic_unplace(actor=user, topic=record, reason="改下次会议研究")
        elif step in NEVER_OFFERED:
            TOPIC.check(user, record, step)
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


def topics_for_every_step(mc, make_meeting) -> dict[str, Topic]:
    """Those, and one still 列入议程 of a meeting already held (as the ORM leaves it): too late to leave."""
    found = topics_in_every_state(mc, make_meeting)
    held = make_meeting(starts_at=next_monday() - timedelta(days=14), title="已召开的常务会议", state=MeetingState.HELD)
    stuck = Topic.objects.get(pk=found["approved"].pk)
    stuck.pk = None  # a copy of the approved one, on the held meeting's agenda
    stuck.title, stuck.state, stuck.meeting, stuck.order = "会议已召开的议题", TopicState.PLACED, held, 1
    stuck.save()
    found["placed_held"] = stuck
    return found


def test_every_topic_step_is_offered_exactly_when_the_service_takes_it(meeting_city, make_meeting):
    """GIVEN 议题 拟报 (coordinated, not coordinated, past its lead time), 报送, 审核, 定题, 列入议程 (of a meeting to
    come, of one already held), 上会, 退回 and 撤回 WHEN each person tries each step THEN what is offered is
    what the service takes."""
    mc = meeting_city
    records = topics_for_every_step(mc, make_meeting)
    assert {r.state for r in records.values()} == set(TopicState.values)
    assert mismatches(TOPIC, list(records.values()), people(mc), topic_attempt(mc)) == []
    offered = {name for r in records.values() for u in people(mc) for name in TOPIC.offered(u, r)}
    assert offered == {step.name for step in TOPIC.steps} - NEVER_OFFERED


def test_leaving_the_agenda_closes_the_gap_and_waits_to_be_placed_again(meeting_city, make_meeting):
    """GIVEN three 议题 on a meeting's agenda WHEN the 会务员 takes the second off THEN it is 已定题 again, out
    of the agenda, the third moves up to 2, and the meeting's 流转记录 says so."""
    mc = meeting_city
    meeting = make_meeting()
    placed = []
    for n in range(3):
        topic = Topic.objects.create(
            organ=mc.organ,
            meeting_type=mc.type(),
            meeting=meeting,
            title=f"议题{n + 1}",
            summary="提请会议研究。",
            unit=mc.ndrc,
            presenter=mc.ndrc_head,
            reviewing_leader=mc.vice_mayor,
            submitted_by=mc.ndrc_head,
            consultation="各方一致。",
            agreed=True,
            state=TopicState.APPROVED,
        )
        placed.append(services.topic_place(actor=mc.officer.user, topic=topic, meeting=meeting))
    services.topic_unplace(actor=mc.officer.user, topic=placed[1], reason="改下次会议研究")
    second, third = (Topic.objects.get(pk=t.pk) for t in placed[1:])
    assert (second.state, second.order) == (TopicState.APPROVED, None)
    assert (third.state, third.order) == (TopicState.PLACED, 2)
    assert meeting.events.filter(action="议题退出议程", comment="议题2").exists()
