"""Who may move a meeting or a 议题, decided once (STYLE.md §5).

``MEETING``: 筹备中 → 发通知 (已通知) → 召开 (已召开, once it has begun) → 纪要印发 (the 纪要's 发文
issued: ``receivers``) → 归档; 取消 before it is held. Between, steps that record without moving:
预订会场, 邀请参会, 签到 (代签), 材料分发/清退, 起草纪要, 议定事项.

``TOPIC``: 拟报 → 报送 (the unit, before the type's lead time; 不协调一致不上会: the units concerned
agree, and a 规范性文件 has had its 合法性审查) → 分管领导审核 → 主要领导定题 → 列入议程 (the 会务员,
on a meeting of its type) → 上会; 退回 and 撤回 on the way.

``PLAN``: 拟订 → 报批 → 批准 (the 主要领导) for a meeting held in the government's name, or 列入计划
at once for another type; 退回 and 撤销. A government-name meeting's notice waits for its approved
plan entry (``plan_cleared``).

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

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import (
    Attendee,
    BookingState,
    Meeting,
    MeetingEvent,
    MeetingPlan,
    MeetingState,
    PlanEvent,
    PlanState,
    Reply,
    RoomBooking,
    Topic,
    TopicEvent,
    TopicState,
)
from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, User
from office.workdays.services import current_calendar
from office.workflow import Machine, Step, in_state, person_acting, user_acting
from office.workflow.machine import Actor

# A meeting may be changed (people, rooms, agenda, papers) in these states.
PREPARING = (MeetingState.PLANNED, MeetingState.NOTIFIED)
# A 议题 may leave the agenda of a meeting in these states.
UNPLACEABLE = (*PREPARING, MeetingState.CANCELLED)
# Its record is still being completed (sign-in, papers back, 纪要) in these.
AFTER = (MeetingState.HELD, MeetingState.MINUTED)


# --- Who is who -------------------------------------------------------------------------------------


def in_or_above(person: Person, unit: Unit) -> bool:
    """``person`` belongs to ``unit`` or to a unit above it within its organ."""
    return person.unit_id in unit.organ_lineage_ids()


def is_meeting_officer(user: User | Actor, organ_id: int, unit: Unit | None = None) -> bool:
    """A 会务员 of the organ (of ``unit`` or a unit above it, when given)."""
    person = person_acting(user)
    if person is None or not user_acting(user).has_role(Role.MEETING_OFFICER):
        return False
    if (person.unit.organ_id or person.unit_id) != organ_id:
        return False
    return unit is None or in_or_above(person, unit)


def runs(user: User | Actor, meeting: Meeting) -> bool:
    """The meeting's 会务联系人, or a 会务员 of its 会务承办部门 (or above it, within the organ)."""
    person = person_acting(user)
    if person is None or person.clearance < meeting.classification:  # never one he could not read
        return False
    return person.pk == meeting.organizer_id or is_meeting_officer(user, meeting.organ_id, meeting.organizing_unit)


def completes_task(user: User | Actor, task) -> bool:
    """A 会务分工 task is marked done by its 责任人, or by whoever runs the meeting."""
    person = person_acting(user)
    if person is None or person.clearance < task.meeting.classification:
        return False
    return person.pk == task.owner_id or runs(user, task.meeting)


def prints_lists(user: User | Actor, meeting: Meeting) -> bool:
    """The 座次图 and the 参会证 list (page, .xlsx, API): whoever runs the meeting, and its chair."""
    return runs(user, meeting) or chairs(user, meeting)


def may_complete_task(user: User | Actor, task) -> bool:
    """What ``task_done`` accepts: an open task of a meeting neither cancelled nor archived, marked by
    ``completes_task``."""
    finished = (MeetingState.CANCELLED, MeetingState.CLOSED)
    return task.done_at is None and task.meeting.state not in finished and completes_task(user, task)


def may_remove_task(user: User | Actor, task) -> bool:
    """What ``task_remove`` accepts: a task not yet done, by whoever may ``prepare`` the meeting."""
    return task.done_at is None and MEETING.allows(user, task.meeting, "prepare")


def decides_booking(user: User | Actor, booking: RoomBooking) -> bool:
    """预订审批: the room's 管理员, or a 会务员 of the room's organ — never the one who asked for it."""
    person = person_acting(user)
    if person is None or booking.requested_by_id == person.pk:
        return False
    return booking.room.manager_id == person.pk or is_meeting_officer(user, booking.room.organ_id)


def bookings_to_decide(actor, meeting: Meeting) -> list[str]:
    """The 待审批 bookings of the meeting ``actor`` may decide (their ids)."""
    requested = RoomBooking.objects.filter(meeting=meeting, state=BookingState.REQUESTED).select_related("room")
    return [str(booking.pk) for booking in requested if decides_booking(actor, booking)]


def leaves_to_decide(actor, meeting: Meeting) -> list[str]:
    """The 请假 awaiting approval (their attendee ids): the chair or the 会务员 decides them, never
    his own."""
    person = person_acting(actor)
    if person is None or not (chairs(actor, meeting) or runs(actor, meeting)):
        return []
    return [
        str(a.pk)
        for a in meeting.attendees.all()
        if a.reply == Reply.LEAVE and a.leave_approved is None and a.person_id != person.pk
    ]


def plans_meetings(user: User | Actor, plan: MeetingPlan) -> bool:
    """会议计划 is kept by the organ's 会务员 (within his clearance)."""
    person = person_acting(user)
    return person is not None and person.clearance >= plan.classification and is_meeting_officer(user, plan.organ_id)


def approves_plan(user: User | Actor, plan: MeetingPlan) -> bool:
    """A meeting in the government's name is approved by the organ's 主要领导 — not one he drafted."""
    person = person_acting(user)
    if person is None or plan.submitted_by_id == person.pk:
        return False
    return person.clearance >= plan.classification and plan.organ.head_id == person.pk


def chairs(user: User | Actor, meeting: Meeting) -> bool:
    person = person_acting(user)
    return person is not None and person.pk == meeting.chair_id


def attendee_of(user: User | Actor, meeting: Meeting) -> Attendee | None:
    person = person_acting(user)
    if person is None:
        return None
    return next((a for a in meeting.attendees.all() if a.person_id == person.pk), None)


def of_topic_unit(user: User | Actor, topic: Topic) -> bool:
    """A person of the 汇报单位 (or of a unit above it within the organ)."""
    person = person_acting(user)
    return person is not None and person.clearance >= topic.classification and in_or_above(person, topic.unit)


def reviews(user: User | Actor, topic: Topic) -> bool:
    person = person_acting(user)
    return person is not None and person.pk == topic.reviewing_leader_id and person.clearance >= topic.classification


def decides_topic(user: User | Actor, topic: Topic) -> bool:
    """定题: the organ's head (the 主要领导), or the chair of the meeting it is meant for."""
    person = person_acting(user)
    if person is None or person.clearance < topic.classification:
        return False
    if topic.meeting_id is not None and topic.meeting.chair_id == person.pk:
        return True
    return topic.organ.head_id == person.pk


# --- When ---------------------------------------------------------------------------------------------


def _workdays_before(day, lead: int):
    cal = current_calendar()
    while lead > 0:
        day -= timedelta(days=1)
        if cal.is_workday(day):
            lead -= 1
    return day


def topic_deadline(topic: Topic, meeting: Meeting | None = None):
    """The last day a 议题 may be submitted for ``meeting`` (or its wished date): the type's lead
    time in working days before it; None when neither is known."""
    meeting = meeting or topic.meeting
    day = timezone.localtime(meeting.starts_at).date() if meeting is not None else topic.wished_on
    if day is None:
        return None
    return _workdays_before(day, topic.meeting_type.topic_lead_days)


def materials_due(meeting: Meeting):
    """The day the 汇报单位 owe their materials: the type's ``materials_lead_days`` working days
    before the meeting."""
    return _workdays_before(timezone.localtime(meeting.starts_at).date(), meeting.type.materials_lead_days)


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


def exportable(meeting: Meeting) -> bool:
    """Whether the meeting's .ics may be carried away: never a 绝密 one (on screen only, as every
    export: ``office.confidentiality.visibility.exportable``)."""
    return meeting.classification < Level.TOP_SECRET


def keeps_text(meeting: Meeting) -> bool:
    """The deployment keeps texts of the meeting's 密级 (``SHUNIU_CLASSIFICATION_CEILING``)."""
    return meeting.classification <= settings.SHUNIU_CLASSIFICATION_CEILING


def has_issuable_materials(meeting: Meeting) -> bool:
    """A classified (秘密 and above), checked paper to hand out as numbered copies."""
    return meeting.materials.filter(classification__gte=Level.CONFIDENTIAL, checked=True).exists()


def plan_cleared(meeting: Meeting) -> bool:
    """A meeting in the government's name is held only under an approved 会议计划 entry (计划外: one
    reported and approved for it)."""
    if not meeting.type.government_name:
        return True
    return meeting.plan_id is not None and meeting.plan.state == PlanState.APPROVED


def venue_cleared(meeting: Meeting) -> bool:
    """A classified meeting (秘密 and above) begins only after the 会场保密检查 (no phones, the room swept)."""
    return meeting.classification < Level.CONFIDENTIAL or meeting.venue_checked_at is not None


def _may_hold(actor, meeting: Meeting) -> bool:
    return has_begun(meeting) and (meeting.room_id is not None or bool(meeting.platform)) and venue_cleared(meeting)


def _not_held(actor, meeting: Meeting) -> str:
    if has_begun(meeting) and not venue_cleared(meeting):
        return _("涉密会议须先完成会场保密检查（手机等电子设备统一存放、会场检查）方可召开。")
    return _("会议尚未开始。")


def _planned_already(actor, meeting: Meeting) -> str:
    if not meeting.type.government_name:
        return _("这类会议不以政府名义召开，无需列入会议计划报批。")
    return _("这次会议已关联会议计划，请在该计划中报批。")


def _may_notify(actor, meeting: Meeting) -> bool:
    placed = meeting.room_id is not None or bool(meeting.platform)
    return placed and meeting.attendees.exists() and plan_cleared(meeting)


def _not_notifiable(actor, meeting: Meeting) -> str:
    if not plan_cleared(meeting):
        return _("以政府名义召开的会议须列入经批准的会议计划（计划外会议须报主要领导批准），方可发通知。")
    return _("请先确定会场（或视频会议平台）和参会人员，再发通知。")


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
            wrong_state=in_state(N_("会议“%(state)s”，安排不能再改。")),
        ),
        Step(
            "book",
            N_("预订会场"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会场由会务员预订。"),
            wrong_state=in_state(N_("会议“%(state)s”，不能再预订会场。")),
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
            "decide_booking",
            N_("会场预订审批"),
            sources=PREPARING,
            targets=(),
            who=lambda actor, meeting: bool(bookings_to_decide(actor, meeting)),
            refusal=N_("会议室预订由会议室管理员或会务员审批。"),
            options=bookings_to_decide,
        ),
        Step(
            "prepare",
            N_("会务筹备"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会议方案、会务分工和分会场由会务员安排。"),
            wrong_state=in_state(N_("会议“%(state)s”，不能再调整筹备安排。")),
        ),
        Step(
            "arrange",
            N_("安排座次、分组和食宿"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("座次、分组和食宿由会务员安排。"),
            wrong_state=in_state(N_("会议“%(state)s”，不能再调整座次、分组和食宿。")),
        ),
        Step(
            "test_venue",
            N_("分会场调试"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("分会场调试由会务员登记。"),
            when=lambda actor, meeting: meeting.venues.exists(),
            not_now=N_("这次会议没有分会场。"),
        ),
        Step(
            "check_venue",
            N_("会场保密检查"),
            sources=PREPARING,
            targets=(),
            who=runs,
            refusal=N_("会场保密检查由会务员登记。"),
            when=lambda actor, meeting: meeting.classification >= Level.CONFIDENTIAL,
            not_now=N_("非涉密会议无需会场保密检查。"),
        ),
        Step(
            "decide_leave",
            N_("审批请假"),
            sources=PREPARING,
            targets=(),
            who=lambda actor, meeting: bool(leaves_to_decide(actor, meeting)),
            refusal=N_("请假由会议主持人或会务员审批。"),
            options=leaves_to_decide,
        ),
        Step(
            "register",
            N_("报到"),
            sources=(MeetingState.NOTIFIED, MeetingState.HELD),
            targets=(),
            who=runs,
            refusal=N_("报到由会务员登记。"),
        ),
        Step(
            "report_unplanned",
            N_("计划外报批"),
            sources=PREPARING,
            targets=(),
            who=lambda actor, meeting: runs(actor, meeting) and is_meeting_officer(actor, meeting.organ_id),
            refusal=N_("计划外会议由本次会议的会务员报批。"),
            when=lambda actor, meeting: meeting.type.government_name and meeting.plan_id is None,
            not_now=_planned_already,
        ),
        Step(
            "notify",
            N_("发会议通知"),
            sources=PREPARING,
            targets=(MeetingState.NOTIFIED,),
            who=runs,
            refusal=N_("会议通知由会务员发出。"),
            when=_may_notify,
            not_now=_not_notifiable,
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
            not_now=_not_held,
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
            wrong_state=in_state(N_("会议“%(state)s”，不能分发涉密材料。")),
            when=lambda actor, meeting: has_issuable_materials(meeting),
            not_now=N_("没有可按份号分发的涉密材料（秘密级以上、已审核）。"),
        ),
        Step(
            "recall",
            N_("清退材料"),
            sources=(MeetingState.HELD, *AFTER),
            targets=(),
            who=runs,
            refusal=N_("涉密材料由会务员清退。"),
            when=lambda actor, meeting: not _may_close(actor, meeting),
            not_now=N_("没有尚未清退的涉密材料。"),
        ),
        Step(
            "decide",
            N_("记录议定事项"),
            sources=(MeetingState.HELD,),
            targets=(),
            who=runs,
            refusal=N_("议定事项由会务员记录。"),
            wrong_state=in_state(N_("会议“%(state)s”，议定事项须在纪要印发前记录。")),
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
            "summarize",
            N_("会后总结"),
            sources=AFTER,
            targets=(),
            who=runs,
            refusal=N_("会后总结由会务员撰写。"),
            when=lambda actor, meeting: keeps_text(meeting),
            not_now=N_("本系统不保存这一密级的内容，会后总结请按涉密载体管理。"),
        ),
        Step(
            "draft_report",
            N_("起草会议情况通报"),
            sources=AFTER,
            targets=(),
            who=runs,
            refusal=N_("会议情况通报由会务员起草。"),
            when=lambda actor, meeting: meeting.report_document_id is None,
            not_now=N_("会议情况通报已经起草。"),
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
        Step(
            "unplace",
            N_("退出议程"),
            sources=(TopicState.PLACED,),
            targets=(TopicState.APPROVED,),
            # Whoever runs its meeting (the same people as 列入议程 there; and the 取消 that takes it off).
            who=lambda actor, topic: (
                runs(actor, topic.meeting) if topic.meeting_id else is_meeting_officer(actor, topic.organ_id)
            ),
            refusal=N_("议程由本次会议的会务员编排。"),
            when=lambda actor, topic: topic.meeting is None or topic.meeting.state in UNPLACEABLE,
            not_now=N_("会议已经召开，议题不能再退出议程。"),
        ),
        Step(
            "discuss",
            N_("上会"),
            sources=(TopicState.PLACED,),
            targets=(TopicState.DISCUSSED,),
            who=lambda actor, topic: is_meeting_officer(actor, topic.organ_id),
            refusal=N_("议题随会议召开而上会。"),
            # Taken by the meeting's 召开 for every topic on its agenda, never offered on its own.
            when=lambda actor, topic: False,
            not_now=N_("议题随会议召开自动转入“已上会”。"),
        ),
    ],
)


PLAN = Machine(
    name="meeting_plan",
    model=MeetingPlan,
    event_model=PlanEvent,
    event_for=lambda plan: {"plan": plan},
    noun=N_("会议计划"),
    lock_related=("organ", "type", "organizing_unit"),
    steps=[
        Step(
            "edit",
            N_("修改会议计划"),
            sources=(PlanState.DRAFT, PlanState.RETURNED),
            targets=(),
            who=plans_meetings,
            refusal=N_("会议计划由会务员拟订。"),
        ),
        Step(
            "submit",
            N_("报批"),
            sources=(PlanState.DRAFT, PlanState.RETURNED),
            targets=(PlanState.SUBMITTED,),
            who=plans_meetings,
            refusal=N_("会议计划由会务员报批。"),
            when=lambda actor, plan: plan.type.government_name,
            not_now=N_("这类会议不以政府名义召开，无需报批，直接列入计划。"),
        ),
        Step(
            "list",
            N_("列入计划"),
            sources=(PlanState.DRAFT, PlanState.RETURNED),
            targets=(PlanState.APPROVED,),
            who=plans_meetings,
            refusal=N_("会议计划由会务员拟订。"),
            when=lambda actor, plan: not plan.type.government_name,
            not_now=N_("以政府名义召开的会议须报主要领导批准。"),
        ),
        Step(
            "approve",
            N_("批准"),
            sources=(PlanState.SUBMITTED,),
            targets=(PlanState.APPROVED,),
            who=approves_plan,
            refusal=N_("以政府名义召开的会议由主要领导批准。"),
        ),
        Step(
            "return",
            N_("退回"),
            sources=(PlanState.SUBMITTED,),
            targets=(PlanState.RETURNED,),
            who=approves_plan,
            refusal=N_("会议计划由主要领导退回。"),
        ),
        Step(
            "drop",
            N_("撤销"),
            sources=(PlanState.DRAFT, PlanState.SUBMITTED, PlanState.APPROVED, PlanState.RETURNED),
            targets=(PlanState.DROPPED,),
            who=plans_meetings,
            refusal=N_("会议计划由会务员撤销。"),
            when=lambda actor, plan: not plan.meetings.exclude(state=MeetingState.CANCELLED).exists(),
            not_now=N_("已按这条计划安排了会议，不能撤销；请先取消会议。"),
            confirm=N_("撤销后这条计划不再安排会议。"),
        ),
    ],
)
