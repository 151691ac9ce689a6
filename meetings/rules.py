"""Who may move a meeting or a 议题, decided once (STYLE.md §5).

``MEETING``: 筹备中 → 发通知 (已通知) → 召开 (已召开, once it has begun) → 纪要印发 (the 纪要's 发文
issued: ``receivers``) → 归档; 取消 before it is held. Between, steps that record without moving:
预订会场, 邀请参会, 签到 (代签), 材料分发/清退, 起草纪要, 议定事项.

``TOPIC``: 拟报 → 报送 (the unit, before the type's lead time; 不协调一致不上会: the units concerned
agree, and a 规范性文件 has had its 合法性审查) → 分管领导审核 → 主要领导定题 → 列入议程 (the 会务员,
on a meeting of its type) → 上会; 退回 and 撤回 on the way.

The people:
- the **会务员** (``runs``): a 会务员 of the meeting's 会务承办部门 or of a unit above it within the
  organ, or the meeting's 会务联系人 — everything about the meeting itself;
- the **chair** (``chairs``): the meeting's 主持人 (the 主要领导 for a 常务会议) — 定题 of its topics;
- a **topic's unit**: a person of the 汇报单位 — 拟报, 报送, 撤回;
- the topic's **分管领导** — 审核;
- an **attendee** — his own 回执 and his 签到 (by the room's code: ``checkin``).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import (
    Attendee,
    Meeting,
    MeetingEvent,
    MeetingState,
    Topic,
    TopicEvent,
    TopicState,
)
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.workdays.services import current_calendar
from office.workflow import Machine, Step
from office.workflow.machine import Actor

# A meeting may be changed (people, rooms, agenda, papers) in these states.
PREPARING = (MeetingState.PLANNED, MeetingState.NOTIFIED)
# Its record is still being completed (sign-in, papers back, 纪要) in these.
AFTER = (MeetingState.HELD, MeetingState.MINUTED)


def _person(user: User | Actor) -> Person | None:
    return user.person if isinstance(user, Actor) else person_of(user)


def _user(user: User | Actor) -> User:
    return user.user if isinstance(user, Actor) else user


def _in_state(text: str):
    return lambda actor, record: _(text) % {"state": record.get_state_display()}


# --- Who is who -------------------------------------------------------------------------------------


def in_or_above(person: Person, unit: Unit) -> bool:
    """``person`` belongs to ``unit`` or to a unit above it within its organ."""
    return person.unit_id in unit.organ_lineage_ids()


def is_meeting_officer(user: User | Actor, organ_id: int, unit: Unit | None = None) -> bool:
    """A 会务员 of the organ (of ``unit`` or a unit above it, when given)."""
    person = _person(user)
    if person is None or not _user(user).has_role(Role.MEETING_OFFICER):
        return False
    if (person.unit.organ_id or person.unit_id) != organ_id:
        return False
    return unit is None or in_or_above(person, unit)


def runs(user: User | Actor, meeting: Meeting) -> bool:
    """The meeting's 会务联系人, or a 会务员 of its 会务承办部门 (or above it, within the organ)."""
    person = _person(user)
    if person is None or person.clearance < meeting.classification:  # never one he could not read
        return False
    return person.pk == meeting.organizer_id or is_meeting_officer(user, meeting.organ_id, meeting.organizing_unit)


def chairs(user: User | Actor, meeting: Meeting) -> bool:
    person = _person(user)
    return person is not None and person.pk == meeting.chair_id


def attendee_of(user: User | Actor, meeting: Meeting) -> Attendee | None:
    person = _person(user)
    if person is None:
        return None
    return next((a for a in meeting.attendees.all() if a.person_id == person.pk), None)


def of_topic_unit(user: User | Actor, topic: Topic) -> bool:
    """A person of the 汇报单位 (or of a unit above it within the organ)."""
    person = _person(user)
    return person is not None and person.clearance >= topic.classification and in_or_above(person, topic.unit)


def reviews(user: User | Actor, topic: Topic) -> bool:
    person = _person(user)
    return person is not None and person.pk == topic.reviewing_leader_id and person.clearance >= topic.classification


def decides_topic(user: User | Actor, topic: Topic) -> bool:
    """定题: the organ's head (the 主要领导), or the chair of the meeting it is meant for."""
    person = _person(user)
    if person is None or person.clearance < topic.classification:
        return False
    if topic.meeting_id is not None and topic.meeting.chair_id == person.pk:
        return True
    return topic.organ.head_id == person.pk


# --- When ---------------------------------------------------------------------------------------------


def topic_deadline(topic: Topic, meeting: Meeting | None = None):
    """The last day a 议题 may be submitted for ``meeting`` (or its wished date): the type's lead
    time in working days before it; None when neither is known."""
    meeting = meeting or topic.meeting
    day = timezone.localtime(meeting.starts_at).date() if meeting is not None else topic.wished_on
    if day is None:
        return None
    cal, left = current_calendar(), topic.meeting_type.topic_lead_days
    while left > 0:
        day -= timedelta(days=1)
        if cal.is_workday(day):
            left -= 1
    return day


def coordinated(topic: Topic) -> bool:
    """不协调一致不上会: the units concerned agree (recorded), and a 规范性文件 has been reviewed."""
    return topic.agreed and bool(topic.consultation.strip()) and (not topic.normative or topic.legality_reviewed)


def _may_submit(actor, topic: Topic) -> bool:
    if not coordinated(topic):
        return False
    last = topic_deadline(topic)
    return last is None or timezone.localdate() <= last


def has_begun(meeting: Meeting) -> bool:
    return timezone.now() >= meeting.starts_at


def _may_hold(actor, meeting: Meeting) -> bool:
    return has_begun(meeting) and (meeting.room_id is not None or bool(meeting.platform))


def _may_notify(actor, meeting: Meeting) -> bool:
    return (meeting.room_id is not None or bool(meeting.platform)) and meeting.attendees.exists()


def _may_close(actor, meeting: Meeting) -> bool:
    from meetings.selectors import copies_out  # a read of the copy register

    return not copies_out(meeting).exists()


# --- The machines ---------------------------------------------------------------------------------------

MEETING = Machine(
    name="meeting",
    model=Meeting,
    event_model=MeetingEvent,
    event_for=lambda meeting: {"meeting": meeting},
    noun=N_("会议"),
    lock_related=("organ", "room", "type", "organizing_unit"),
    steps=[
        Step(
            "edit",
            N_("修改会议安排"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会议安排由会务员修改。"),
            wrong_state=_in_state(N_("会议“%(state)s”，安排不能再改。")),
        ),
        Step(
            "book",
            N_("预订会场"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会场由会务员预订。"),
            wrong_state=_in_state(N_("会议“%(state)s”，不能再预订会场。")),
        ),
        Step(
            "invite",
            N_("邀请参会人员"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("参会人员由会务员确定。"),
        ),
        Step(
            "place_topic",
            N_("列入议程"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("议程由会务员编排。"),
        ),
        Step(
            "add_material",
            N_("报送会议材料"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会议材料由会务员汇总。"),
        ),
        Step(
            "notify",
            N_("发会议通知"),
            sources=PREPARING,
            targets=(MeetingState.NOTIFIED,),
            who=runs,
            refusal=N_("会议通知由会务员发出。"),
            when=_may_notify,
            not_now=N_("请先确定会场（或视频会议平台）和参会人员，再发通知。"),
        ),
        Step(
            "reply",
            N_("回执"),
            sources=PREPARING,
            targets=(),
            who=lambda actor, meeting: attendee_of(actor, meeting) is not None,
            refusal=N_("只有受邀参会的人员可以回执。"),
            when=lambda actor, meeting: not has_begun(meeting),
            not_now=N_("会议已经开始，不能再回执。"),
        ),
        Step(
            "hold",
            N_("召开"),
            sources=(MeetingState.NOTIFIED,),
            targets=(MeetingState.HELD,),
            who=runs,
            refusal=N_("会议召开由会务员登记。"),
            when=_may_hold,
            not_now=N_("会议尚未开始。"),
        ),
        Step(
            "sign_in",
            N_("代为签到"),
            sources=(MeetingState.NOTIFIED, MeetingState.HELD),
            targets=(),
            who=runs,
            refusal=N_("代为签到由会务员办理。"),
            when=lambda actor, meeting: timezone.now() >= meeting.starts_at - timedelta(hours=1),
            not_now=N_("会前一小时起方可签到。"),
        ),
        Step(
            "issue_material",
            N_("分发涉密材料"),
            sources=(MeetingState.NOTIFIED, MeetingState.HELD),
            targets=(),
            who=runs,
            refusal=N_("涉密材料由会务员分发。"),
            wrong_state=_in_state(N_("会议“%(state)s”，不能分发涉密材料。")),
        ),
        Step(
            "recall",
            N_("清退材料"),
            sources=(MeetingState.HELD, *AFTER),
            targets=(),
            who=runs,
            refusal=N_("涉密材料由会务员清退。"),
        ),
        Step(
            "decide",
            N_("记录议定事项"),
            sources=(MeetingState.HELD,),
            targets=(),
            who=runs,
            refusal=N_("议定事项由会务员记录。"),
            wrong_state=_in_state(N_("会议“%(state)s”，议定事项须在纪要印发前记录。")),
        ),
        Step(
            "draft_minutes",
            N_("起草会议纪要"),
            sources=(MeetingState.HELD,),
            targets=(),
            who=runs,
            refusal=N_("会议纪要由会务员起草。"),
            when=lambda actor, meeting: meeting.minutes_document_id is None,
            not_now=N_("会议纪要已经起草。"),
        ),
        Step(
            "minute",
            N_("纪要印发"),
            sources=(MeetingState.HELD,),
            targets=(MeetingState.MINUTED,),
            who=runs,
            refusal=N_("会议纪要随纪要公文核发而印发。"),
            # Taken by the 纪要's 核发 (``receivers``: the 发文 flow decided who issues), never offered.
            when=lambda actor, meeting: False,
            not_now=N_("会议纪要核发后自动转入“纪要已印发”。"),
        ),
        Step(
            "close",
            N_("归档"),
            sources=(MeetingState.MINUTED,),
            targets=(MeetingState.CLOSED,),
            who=runs,
            refusal=N_("会议由会务员归档。"),
            when=_may_close,
            not_now=N_("还有涉密材料未清退。"),
            confirm=N_("归档后会议记录不能再改。"),
        ),
        Step(
            "cancel",
            N_("取消会议"),
            sources=PREPARING,
            targets=(MeetingState.CANCELLED,),
            who=runs,
            refusal=N_("会议由会务员取消。"),
            when=_may_close,  # no numbered copy still out: 清退 first
            not_now=N_("还有已分发的涉密材料未清退，请先清退再取消会议。"),
            confirm=N_("取消后会场释放，已通知的参会人员会收到取消通知。"),
        ),
    ],
)


TOPIC = Machine(
    name="topic",
    model=Topic,
    event_model=TopicEvent,
    event_for=lambda topic: {"topic": topic},
    noun=N_("议题"),
    lock_related=("organ", "meeting_type", "meeting", "unit"),
    steps=[
        Step(
            "edit",
            N_("修改议题"),
            sources=(TopicState.DRAFT, TopicState.RETURNED),
            targets=(),
            who=of_topic_unit,
            refusal=N_("议题由汇报单位修改。"),
        ),
        Step(
            "submit",
            N_("报送"),
            sources=(TopicState.DRAFT, TopicState.RETURNED),
            targets=(TopicState.SUBMITTED,),
            who=of_topic_unit,
            refusal=N_("议题由汇报单位报送。"),
            when=_may_submit,
            not_now=N_(
                "不协调一致不上会：请写明征求意见和会签情况并确认有关方面意见一致（涉及规范性文件的须经合法性审查），"
                "且须在会议类型规定的提前申报期限内报送。"
            ),
        ),
        Step(
            "review",
            N_("分管领导审核"),
            sources=(TopicState.SUBMITTED,),
            targets=(TopicState.REVIEWED,),
            who=reviews,
            refusal=N_("议题由分管领导审核。"),
        ),
        Step(
            "approve",
            N_("定题"),
            sources=(TopicState.REVIEWED,),
            targets=(TopicState.APPROVED,),
            who=decides_topic,
            refusal=N_("议题由主要领导（会议主持人）确定。"),
        ),
        Step(
            "return",
            N_("退回"),
            sources=(TopicState.SUBMITTED, TopicState.REVIEWED),
            targets=(TopicState.RETURNED,),
            who=lambda actor, topic: reviews(actor, topic) or decides_topic(actor, topic),
            refusal=N_("议题由分管领导或主要领导退回。"),
        ),
        Step(
            "withdraw",
            N_("撤回"),
            sources=(TopicState.DRAFT, TopicState.SUBMITTED, TopicState.REVIEWED, TopicState.RETURNED),
            targets=(TopicState.WITHDRAWN,),
            who=of_topic_unit,
            refusal=N_("议题由汇报单位撤回。"),
            confirm=N_("撤回后议题不再上会；如需上会请重新申报。"),
        ),
        Step(
            "place",
            N_("列入议程"),
            sources=(TopicState.APPROVED,),
            targets=(TopicState.PLACED,),
            who=lambda actor, topic: is_meeting_officer(actor, topic.organ_id),
            refusal=N_("议程由会务员编排。"),
        ),
    ],
)
