"""会议 itself: 登记 (第N次 for a numbered type, taken last), 修改, 预订会场 (the room's row locked, then
overlaps checked: no double booking), its 审批, 邀请参会, 回执, 发通知, 召开 and 取消."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import (
    HOLDING,
    Attendee,
    AttendeeRole,
    BookingState,
    Meeting,
    MeetingCounter,
    MeetingPlan,
    MeetingState,
    MeetingType,
    PlanState,
    Reply,
    Room,
    RoomBooking,
    Topic,
    TopicState,
)
from meetings.rules import MEETING, TOPIC, decides_booking, is_meeting_officer
from meetings.services._common import (
    notify,
    organ_of,
    overlapping,
    require_text,
    span,
    sync_schedule,
    unit_organ,
)
from meetings.services.preparation import meeting_reminders_sync
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.org.models import Person, Unit, User
from office.workflow import TransitionNotAllowed, take_next
from office.workflow.machine import Actor, actor_of

__all__ = [
    "attendee_invite",
    "attendee_reply",
    "booking_decide",
    "meeting_cancel",
    "meeting_close",
    "meeting_create",
    "meeting_edit",
    "meeting_hold",
    "meeting_notify",
    "room_book",
]

EDITABLE = ("title", "starts_at", "ends_at", "chair", "platform", "branch_venues", "notice", "plan", "cost")


# --- checks ---------------------------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("请填写会议的开始和结束时间。")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})


def _check_platform(level: int, platform: str) -> None:
    """A classified meeting never goes over a video platform: only a cleared room may host it."""
    if platform.strip() and Level(level).is_classified:
        raise ValidationError({"platform": _("涉密会议不得通过视频会议平台召开，须在相应等级的涉密会议室召开。")})


def _check_chair(chair: Person, level: int) -> None:
    if chair.clearance < level:
        raise ValidationError({"chair": _("%(name)s的涉密等级低于会议密级，不能主持。") % {"name": chair.name}})


def _check_room(meeting: Meeting, room: Room) -> None:
    if not room.active:
        raise ValidationError({"room": _("%(room)s已停用。") % {"room": room.name}})
    if room.organ_id != meeting.organ_id:
        raise ValidationError({"room": _("%(room)s不属于本机关。") % {"room": room.name}})
    if room.max_classification < meeting.classification:
        raise ValidationError(
            {
                "room": _("涉密会议须在相应等级的涉密会议室召开：%(room)s最高只能承办%(level)s级会议。")
                % {"room": room.name, "level": Level(room.max_classification).label}
            }
        )
    count = meeting.attendees.count()
    if room.capacity < count:
        raise ValidationError(
            {
                "room": _("%(room)s只能容纳%(capacity)d人，本次会议有%(count)d人参加。")
                % {"room": room.name, "capacity": room.capacity, "count": count}
            }
        )


def _check_free(meeting: Meeting, room: Room, acting: Actor) -> None:
    """Refuse a time the room is held for another meeting (the room's row is locked by the caller)."""
    clash = (
        RoomBooking.objects.filter(room=room, state__in=HOLDING)
        .filter(overlapping(meeting.starts_at, meeting.ends_at))
        .exclude(meeting=meeting)
        .select_related("meeting")
        .order_by("starts_at")
        .first()
    )
    if clash is None:
        return
    seen = Meeting.objects.visible_to(acting.user).filter(pk=clash.meeting_id).exists()
    title = clash.meeting.title if seen and clash.meeting.classification <= Level.INTERNAL else _("其他会议")
    raise ValidationError(
        {
            "room": _("%(room)s已被《%(title)s》预订（%(span)s），请另选会场或时间。")
            % {"room": room.name, "title": title, "span": span(clash.starts_at, clash.ends_at)}
        }
    )


def _check_plan(plan: MeetingPlan | None, organ: Unit, meeting_type: MeetingType) -> None:
    if plan is None:
        return
    if plan.organ_id != organ.pk or plan.type_id != meeting_type.pk or plan.state == PlanState.DROPPED:
        raise ValidationError({"plan": _("请选择本机关同类会议、未撤销的会议计划。")})


def _locked_room(room: Room) -> Room:
    return Room.objects.select_for_update().get(pk=room.pk)


def _attendees(meeting: Meeting) -> list[Person]:
    return [a.person for a in meeting.attendees.select_related("person__user")]


# --- 登记 and 修改 ---------------------------------------------------------------------------------


def meeting_create(
    *,
    actor: User,
    type: MeetingType,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    chair: Person,
    organizing_unit: Unit | None = None,
    room: Room | None = None,
    platform: str = "",
    branch_venues: str = "",
    level: Level | None = None,
    notice: str = "",
    basis: str = "",
    term_unit: str = "",
    term_amount: int | None = None,
    until=None,
    condition: str = "",
    plan: MeetingPlan | None = None,
) -> Meeting:
    """登记会议: a 会务员 of the organ, who becomes its 会务联系人. 密级 defaults to the type's and may
    not exceed his clearance; a numbered type takes its 第N次 last; with ``room`` the room is booked;
    ``plan``: the 会议计划 entry it is held under (of the organ and the type, not 撤销)."""
    acting = actor_of(actor)
    person = acting.person
    organ = organ_of(person)
    if not is_meeting_officer(acting, organ.pk):
        raise PermissionDenied(_("会议由本机关的会务员登记。"))
    organizing_unit = organizing_unit or person.unit
    if unit_organ(organizing_unit).pk != organ.pk:
        raise ValidationError({"organizing_unit": _("会务承办部门应为本机关的部门。")})
    title = require_text(title, "title", _("请填写会议名称。"), 120)
    _check_times(starts_at, ends_at)
    level = Level(type.default_classification if level is None else level)
    if level > person.clearance:
        raise PermissionDenied(_("不能登记高于本人涉密等级的会议。"))
    _check_platform(level, platform)
    _check_chair(chair, level)
    _check_plan(plan, organ, type)
    with transaction.atomic():
        meeting = Meeting(
            organ=organ,
            type=type,
            year=timezone.localtime(starts_at).year,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            platform=platform.strip(),
            branch_venues=branch_venues.strip(),
            chair=chair,
            organizer=person,
            organizing_unit=organizing_unit,
            notice=notice.strip(),
            created_by=person,
            plan=plan,
        )
        secrecy.apply_classification(
            meeting,
            actor=acting.user,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        meeting.save()
        MEETING.record(meeting, actor=acting, action=N_("登记会议"), comment=title)
        if meeting.is_classified:
            audit.record(acting.user, AuditAction.CLASSIFY, obj=meeting, detail={"mark": meeting.level_mark})
        if room is not None:
            room_book(actor=acting, meeting=meeting, room=room)
            meeting.refresh_from_db()
        if type.numbered:  # last: the counter's row stays locked only to the commit
            meeting.sequence = take_next(MeetingCounter, year=meeting.year, organ=organ, type=type)
            meeting.save(update_fields=["sequence", "updated_at"])
        return meeting


@transaction.atomic
def meeting_edit(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    """修改会议安排 (``EDITABLE`` fields); a new time is checked against the room's other bookings."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: _("这一项不能在此修改。") for name in unknown})
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "edit")
    if "cost" in fields:  # 会议费 (元), not negative
        from meetings.services.plans import money

        fields["cost"] = money(fields["cost"], "cost", _("会议费"))
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    for name in changed:
        value = fields[name]
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if "title" in changed:
        meeting.title = require_text(meeting.title, "title", _("请填写会议名称。"), 120)
    _check_times(meeting.starts_at, meeting.ends_at)
    _check_platform(meeting.classification, meeting.platform)
    if "chair" in changed:
        _check_chair(meeting.chair, meeting.classification)
    if "plan" in changed:
        _check_plan(meeting.plan, meeting.organ, meeting.type)
    if not changed:
        return meeting
    moved = {"starts_at", "ends_at"} & set(changed)
    labels = "、".join(str(Meeting._meta.get_field(name).verbose_name) for name in changed)
    if "starts_at" in changed and meeting.venue_checked_at is not None:  # checked for another day: again
        meeting.venue_checked_at, meeting.venue_checked_by = None, None
        changed += ["venue_checked_at", "venue_checked_by"]
    if moved:
        if meeting.sequence is None:
            meeting.year = timezone.localtime(meeting.starts_at).year
        held = list(meeting.bookings.filter(state__in=HOLDING))
        for booking in held:
            _check_free(meeting, _locked_room(booking.room), acting)
        for booking in held:
            booking.starts_at, booking.ends_at = meeting.starts_at, meeting.ends_at
            booking.save(update_fields=["starts_at", "ends_at"])
    meeting.save(update_fields=[*changed, "year", "updated_at"])
    MEETING.record(meeting, actor=acting, action=N_("修改会议安排"), comment=labels)
    if meeting.state == MeetingState.NOTIFIED and (moved or "chair" in changed):
        for person in _attendees(meeting):
            notify(
                person, _("会议安排有变化：%(title)s，%(when)s"), meeting, when=span(meeting.starts_at, meeting.ends_at)
            )
        sync_schedule(meeting)
        meeting_reminders_sync(meeting, actor=acting)
    return meeting


# --- 会场 ------------------------------------------------------------------------------------------


@transaction.atomic
def room_book(*, actor: User | Actor, meeting: Meeting, room: Room) -> RoomBooking:
    """预订会场: the room's row locked, then its bookings checked for an overlap; a room that needs
    approval is held 待审批. The meeting's earlier booking is released."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "book")
    room = _locked_room(room)
    _check_room(meeting, room)
    _check_free(meeting, room, acting)
    for previous in meeting.bookings.filter(state__in=HOLDING).select_for_update():
        previous.state = BookingState.RELEASED
        previous.save(update_fields=["state"])
    state = BookingState.REQUESTED if room.needs_approval else BookingState.CONFIRMED
    booking = RoomBooking.objects.create(
        room=room,
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        state=state,
        requested_by=acting.person,
    )
    changed_room = meeting.room_id != room.pk
    meeting.room = room
    if changed_room:  # the 会场保密检查 was of the room it leaves
        meeting.venue_checked_at, meeting.venue_checked_by = None, None
    meeting.save(update_fields=["room", "venue_checked_at", "venue_checked_by", "updated_at"])
    MEETING.record(
        meeting,
        actor=acting,
        action=N_("预订会场"),
        comment=f"{room.name}（{booking.get_state_display()}）",
    )
    if state == BookingState.REQUESTED and room.manager_id and room.manager_id != acting.person.pk:
        notify(room.manager, _("会议室预订待审批：%(title)s"), meeting)
    if meeting.state == MeetingState.NOTIFIED:
        sync_schedule(meeting)  # the place on the leaders' schedules
    return booking


@transaction.atomic
def booking_decide(*, actor: User, booking: RoomBooking, approve: bool, note: str = "") -> RoomBooking:
    """预订审批: the room's 管理员 or a 会务员 of its organ confirms or refuses a 待审批 booking
    (``rules.decides_booking``)."""
    meeting = MEETING.lock(booking.meeting)
    booking = RoomBooking.objects.select_for_update(of=("self",)).select_related("room").get(pk=booking.pk)
    if booking.state != BookingState.REQUESTED:
        raise TransitionNotAllowed(_("该预订“%(state)s”，无需审批。") % {"state": booking.get_state_display()})
    acting = MEETING.check(actor, meeting, "decide_booking")
    if not decides_booking(acting, booking):
        raise PermissionDenied(_("会议室预订由会议室管理员或会务员审批。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("请写明不予批准的理由。")})
    booking.state = BookingState.CONFIRMED if approve else BookingState.REFUSED
    booking.decided_by = acting.person
    booking.decided_at = timezone.now()
    booking.note = note.strip()[:200]
    booking.save(update_fields=["state", "decided_by", "decided_at", "note"])
    if not approve and meeting.room_id == booking.room_id:
        meeting.room = None
        meeting.save(update_fields=["room", "updated_at"])
    action = N_("会场预订已批准") if approve else N_("会场预订未获批准")
    MEETING.record(meeting, actor=acting, action=action, comment=booking.note or booking.room.name)
    if meeting.organizer_id != acting.person.pk:
        verb = _("会议室预订已批准：%(title)s") if approve else _("会议室预订未获批准：%(title)s")
        notify(meeting.organizer, verb, meeting)
    return booking


# --- 参会人员 ----------------------------------------------------------------------------------------


@transaction.atomic
def attendee_invite(*, actor: User, meeting: Meeting, people, role: str = AttendeeRole.ATTEND) -> list[Attendee]:
    """邀请参会人员 (出席, 列席, 工作人员): each must be cleared for the meeting's 密级; one already
    invited is left as he is."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "invite")
    if role not in AttendeeRole.values:
        raise ValidationError({"role": _("请选择参会身份。")})
    people = list(dict.fromkeys(people))
    if not people:
        raise ValidationError({"people": _("请选择参会人员。")})
    for person in people:
        if person.clearance < meeting.classification:
            raise ValidationError({"people": _("%(name)s的涉密等级低于会议密级，不能参会。") % {"name": person.name}})
    invited = set(meeting.attendees.values_list("person_id", flat=True))
    new = [person for person in people if person.pk not in invited]
    if meeting.room_id and meeting.room.capacity < len(invited) + len(new):
        raise ValidationError(
            {
                "people": _("%(room)s只能容纳%(capacity)d人。")
                % {"room": meeting.room.name, "capacity": meeting.room.capacity}
            }
        )
    # One by one: each save keeps the meeting's 知悉范围 (access keys) in step, as bulk_create would not.
    rows = [Attendee.objects.create(meeting=meeting, person=p, role=role) for p in new]
    if rows:
        MEETING.record(
            meeting,
            actor=acting,
            action=N_("邀请参会人员"),
            comment="、".join(p.name for p in new),
        )
        if meeting.state == MeetingState.NOTIFIED:
            for person in new:
                notify(
                    person, _("会议通知：%(title)s，%(when)s"), meeting, when=span(meeting.starts_at, meeting.ends_at)
                )
            sync_schedule(meeting)
            meeting_reminders_sync(meeting, actor=acting)
    return rows


@transaction.atomic
def attendee_reply(
    *, actor: User, meeting: Meeting, reply: str, reason: str = "", substitute: Person | None = None
) -> Attendee:
    """回执: his own — 参加, 请假 (with the reason) or 委托他人代会 (a person cleared for the meeting, who
    is invited in his place with his role)."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "reply")
    row = Attendee.objects.select_for_update().get(meeting=meeting, person=acting.person)
    if reply not in Reply.values or reply == Reply.PENDING:
        raise ValidationError({"reply": _("请选择参加、请假或委托他人代会。")})
    reason = reason.strip()
    if reply == Reply.LEAVE and not reason:
        raise ValidationError({"reason": _("请假须写明事由。")})
    if reply == Reply.SUBSTITUTE:
        if substitute is None:
            raise ValidationError({"substitute": _("请选择代会人员。")})
        if substitute.pk == acting.person.pk:
            raise ValidationError({"substitute": _("代会人员不能是本人。")})
        if substitute.clearance < meeting.classification:
            raise ValidationError(
                {"substitute": _("%(name)s的涉密等级低于会议密级，不能代会。") % {"name": substitute.name}}
            )
        if row.substitute_id != substitute.pk and meeting.attendees.filter(person=substitute).exists():
            raise ValidationError({"substitute": _("%(name)s已在参会名单中。") % {"name": substitute.name}})
    # A substitute named before, who has not answered yet, leaves with the old answer.
    if row.substitute_id and (reply != Reply.SUBSTITUTE or substitute.pk != row.substitute_id):
        meeting.attendees.filter(person_id=row.substitute_id, reply=Reply.PENDING).delete()
    row.reply = reply
    row.reason = reason[:200] if reply == Reply.LEAVE else ""
    row.substitute = substitute if reply == Reply.SUBSTITUTE else None
    row.replied_at = timezone.now()
    if reply == Reply.LEAVE:  # 请假 waits for the chair or the 会务员 (``services.leave_decide``)
        row.leave_approved, row.leave_decided_by = None, None
    row.save(update_fields=["reply", "reason", "substitute", "replied_at", "leave_approved", "leave_decided_by"])
    if reply == Reply.LEAVE:
        for deciding in {meeting.chair, meeting.organizer} - {acting.person}:
            notify(deciding, _("%(name)s请假待审批：%(title)s"), meeting, name=acting.person.name)
    if reply == Reply.SUBSTITUTE:
        Attendee.objects.get_or_create(meeting=meeting, person=substitute, defaults={"role": row.role})
        notify(substitute, _("%(name)s委托您代为参加会议：%(title)s"), meeting, name=acting.person.name)
    comment = row.get_reply_display()
    if reply == Reply.LEAVE:
        comment = f"{comment}：{row.reason}"
    elif reply == Reply.SUBSTITUTE:
        comment = f"{comment}：{substitute.name}"
    MEETING.record(meeting, actor=acting, action=N_("回执"), comment=comment)
    if meeting.state == MeetingState.NOTIFIED:
        sync_schedule(meeting)  # a leader sending his regrets leaves the schedule
        meeting_reminders_sync(meeting, actor=acting)  # 请假 / 代会: his reminder goes
    return row


# --- 通知, 召开, 取消 ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_notify(*, actor: User, meeting: Meeting) -> Meeting:
    """发会议通知 to every attendee (again, once notified: after a change), and the meeting goes on its
    leaders' schedules."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "notify")
    meeting.notified_at = timezone.now()
    if meeting.state == MeetingState.NOTIFIED:
        meeting.save(update_fields=["notified_at", "updated_at"])
        MEETING.record(meeting, actor=acting, action=N_("再次发送会议通知"))
    else:
        MEETING.move(
            meeting, MeetingState.NOTIFIED, actor=acting, action=N_("发会议通知"), update_fields=["notified_at"]
        )
    people = _attendees(meeting)
    if meeting.chair not in people:
        people.append(meeting.chair)
    when = span(meeting.starts_at, meeting.ends_at)
    for person in people:
        if person.pk != acting.person.pk:
            notify(person, _("会议通知：%(title)s，%(when)s"), meeting, when=when)
    sync_schedule(meeting)
    meeting_reminders_sync(meeting, actor=acting)  # each attendee reminded before and on the day
    return meeting


def _take(actor: User, meeting: Meeting, step: str, to: str, action: str) -> tuple[Meeting, Actor]:
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, step)
    MEETING.move(meeting, to, actor=acting, action=action)
    return meeting, acting


@transaction.atomic
def meeting_hold(*, actor: User, meeting: Meeting) -> Meeting:
    """召开: once the meeting has begun (a classified one after its 会场保密检查); the 议题 on its agenda
    are 上会 with it."""
    meeting, acting = _take(actor, meeting, "hold", MeetingState.HELD, N_("召开"))
    for topic in Topic.objects.select_for_update().filter(meeting=meeting, state=TopicState.PLACED):
        TOPIC.move(topic, TopicState.DISCUSSED, actor=acting, action=N_("上会"), comment=meeting.title)
    meeting_reminders_sync(meeting, actor=acting)  # held: the reminders are met
    return meeting


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting) -> Meeting:
    """归档: once the 纪要 is issued and every numbered copy of its materials is back."""
    return _take(actor, meeting, "close", MeetingState.CLOSED, N_("归档"))[0]


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """取消会议: the room is released, the 议题 on its agenda go back to 已定题 (to be placed on another
    meeting), the people already notified are told, and the leaders' schedules follow."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "cancel")
    reason = require_text(reason, "reason", _("请写明取消会议的理由。"), 200)
    notified = meeting.state == MeetingState.NOTIFIED
    meeting.cancel_reason = reason
    MEETING.move(
        meeting,
        MeetingState.CANCELLED,
        actor=acting,
        action=N_("取消会议"),
        comment=reason,
        update_fields=["cancel_reason"],
    )
    meeting.bookings.filter(state__in=HOLDING).update(state=BookingState.RELEASED)
    for topic in Topic.objects.select_for_update().filter(meeting=meeting, state=TopicState.PLACED):
        TOPIC.check(acting, topic, "unplace")
        topic.order = None
        TOPIC.move(
            topic,
            TopicState.APPROVED,
            actor=acting,
            action=N_("会议取消，退出议程"),
            comment=reason,
            update_fields=["order"],
        )
    if notified:
        for person in _attendees(meeting):
            if person.pk != acting.person.pk:
                notify(person, _("会议取消：%(title)s（%(reason)s）"), meeting, reason=reason)
    sync_schedule(meeting)
    meeting_reminders_sync(meeting, actor=acting)  # no reminder for a cancelled meeting
    return meeting
