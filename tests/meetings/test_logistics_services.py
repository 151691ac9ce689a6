"""参会 logistics (``meetings.services.logistics`` and the 座次/参会证 reads in ``meetings.selectors``):
请假 waits for the chair or the 会务员, a refused one goes back to 未回执; 排序, 讨论组 and 交通食宿 by the
会务员 with their bounds; 报到 stamped once; the 座次图 by the Chinese rule against hand-made charts of
5 and 6; the 参会证 list; and a 代会 substitute counted once in the attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Attendee, AttendeeRole, DiscussionGroup, MeetingEvent, MeetingState, Reply
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db


def row(meeting, person) -> Attendee:
    return Attendee.objects.get(meeting=meeting, person=person)


def verbs(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def people(n: int, unit=None, prefix: str = "甲") -> list:
    unit = unit or UnitFactory(name=f"{prefix}单位")
    return [make_person(name=f"{prefix}{i}", unit=unit, post=f"{prefix}职{i}") for i in range(1, n + 1)]


def ranked(meeting, persons, role=AttendeeRole.ATTEND) -> list[Attendee]:
    """Invite ``persons`` with 排序 1, 2, … in that order, created in reverse (so the id is no help)."""
    rows = {}
    for rank, person in reversed(list(enumerate(persons, start=1))):
        rows[rank] = Attendee.objects.create(meeting=meeting, person=person, role=role, precedence=rank)
    return [rows[rank] for rank in sorted(rows)]


# --- 座次 ----------------------------------------------------------------------------------------------


def test_five_on_the_podium_one_in_the_centre_two_on_his_left_three_on_his_right(make_meeting):
    """GIVEN five 出席 ranked 1–5
    WHEN the chart is drawn
    THEN seen from the hall, left to right: 5 3 1 2 4 (from the podium 2 sits on No.1's left)."""
    meeting = make_meeting()
    five = people(5)
    ranked(meeting, five)
    chart = selectors.seating(meeting)
    # Hand-made: from the podium, facing the hall: 4 2 [1] 3 5; the hall sees it mirrored.
    assert [seat["name"] for seat in chart["podium"]] == ["甲5", "甲3", "甲1", "甲2", "甲4"]
    assert [seat["rank"] for seat in chart["podium"]] == [5, 3, 1, 2, 4]
    assert [seat["column"] for seat in chart["podium"]] == [1, 2, 3, 4, 5]
    assert chart["podium"][2]["seat"] == "主席台左起第3座"
    assert chart["attending"] == 5 and chart["rows"] == []


def test_six_on_the_podium_one_and_two_share_the_centre_one_on_the_left_of_it(make_meeting):
    """GIVEN six 出席 ranked 1–6
    THEN seen from the hall: 6 4 2 1 3 5 (from the podium 1 is left of centre, 2 right of it)."""
    meeting = make_meeting()
    six = people(6)
    ranked(meeting, six)
    podium = selectors.seating(meeting)["podium"]
    # Hand-made: from the podium: 5 3 [1 2] 4 6.
    assert [seat["rank"] for seat in podium] == [6, 4, 2, 1, 3, 5]
    assert [seat["name"] for seat in podium] == ["甲6", "甲4", "甲2", "甲1", "甲3", "甲5"]


def test_the_rule_for_small_counts():
    assert selectors.podium_order(0) == []
    assert selectors.podium_order(1) == [1]
    assert selectors.podium_order(2) == [2, 1]
    assert selectors.podium_order(3) == [3, 1, 2]
    assert selectors.podium_order(7) == [7, 5, 3, 1, 2, 4, 6]


def test_ties_go_by_the_units_order_leave_and_substitutes_and_sit_in_rows(meeting_city, make_meeting):
    """GIVEN equal 排序 for two people of units ordered 1 and 2, one on approved 请假, one whose leave
    still waits, one 代会 by a substitute, two 列席 and a 工作人员
    THEN the unit ordered first sits nearer the centre, the approved leave has no seat, the waiting
    one keeps his, the substitute sits in his principal's seat, 列席 fill a row below, staff none."""
    first = UnitFactory(name="一号单位", sort_order=1)
    second = UnitFactory(name="二号单位", sort_order=2)
    meeting = make_meeting()
    late = make_person(name="后排", unit=second)
    early = make_person(name="前排", unit=first)
    on_leave = make_person(name="请假甲", unit=first)
    waiting = make_person(name="待批乙", unit=first)
    principal = make_person(name="委托丙", unit=first, post="局长")
    stand_in = make_person(name="代会丁", unit=second, post="副局长")
    for person, rank in ((late, 5), (early, 5), (on_leave, 1), (waiting, 7), (principal, 2)):
        Attendee.objects.create(meeting=meeting, person=person, precedence=rank)
    Attendee.objects.filter(meeting=meeting, person=on_leave).update(reply=Reply.LEAVE, leave_approved=True)
    Attendee.objects.filter(meeting=meeting, person=waiting).update(reply=Reply.LEAVE, leave_approved=None)
    Attendee.objects.filter(meeting=meeting, person=principal).update(reply=Reply.SUBSTITUTE, substitute=stand_in)
    Attendee.objects.create(meeting=meeting, person=stand_in, precedence=99)  # his own row, as 回执 makes it
    sit_in = people(2, prefix="列")
    ranked(meeting, sit_in, role=AttendeeRole.SIT_IN)
    Attendee.objects.create(meeting=meeting, person=make_person(name="会务丁"), role=AttendeeRole.STAFF)

    chart = selectors.seating(meeting)
    # Rank order: 代会丁(2) 前排(5, unit 1) 后排(5, unit 2) 待批乙(7) → from the hall: 4 2 1 3.
    assert [seat["name"] for seat in chart["podium"]] == ["待批乙", "前排", "代会丁", "后排"]
    centre = chart["podium"][2]
    assert centre["rank"] == 1 and centre["substitute_for"] == "委托丙" and centre["post"] == "副局长"
    assert [[seat["name"] for seat in r] for r in chart["rows"]] == [["列1", "列2"]]
    assert chart["rows"][0][1]["seat"] == "列席第1排左起第2座"
    assert chart["sitting_in"] == 2


def test_a_long_sit_in_list_breaks_into_rows(make_meeting):
    meeting = make_meeting()
    ranked(meeting, people(12, prefix="席"), role=AttendeeRole.SIT_IN)
    rows = selectors.seating(meeting)["rows"]
    assert [len(r) for r in rows] == [10, 2]
    assert rows[1][0]["name"] == "席11" and rows[1][0]["seat"] == "列席第2排左起第1座"


# --- 参会证 --------------------------------------------------------------------------------------------


def test_badges_number_everyone_who_comes_by_role_then_rank(meeting_city, make_meeting):
    mc = meeting_city
    meeting = make_meeting()
    staff = Attendee.objects.create(meeting=meeting, person=mc.officer_low, role=AttendeeRole.STAFF, precedence=1)
    sit_in = Attendee.objects.create(meeting=meeting, person=mc.ndrc_staff, role=AttendeeRole.SIT_IN, precedence=1)
    second = Attendee.objects.create(meeting=meeting, person=mc.finance_head, precedence=2)
    first = Attendee.objects.create(meeting=meeting, person=mc.ndrc_head, precedence=1)
    gone = Attendee.objects.create(meeting=meeting, person=mc.supervisor, reply=Reply.LEAVE, leave_approved=True)
    group = DiscussionGroup.objects.create(meeting=meeting, name="第一组", convener=mc.ndrc_head)
    Attendee.objects.filter(pk=first.pk).update(group=group)

    rows = selectors.badges(meeting)
    assert [r["number"] for r in rows] == ["001", "002", "003", "004"]
    assert [r["attendee"] for r in rows] == [first.pk, second.pk, sit_in.pk, staff.pk]
    assert gone.pk not in {r["attendee"] for r in rows}
    assert [r["role_display"] for r in rows] == ["出席", "出席", "列席", "工作人员"]
    assert rows[0]["name"] == "钱主任" and rows[0]["group"] == "第一组"
    assert rows[0]["unit"] == mc.ndrc_head.unit.name
    # Two on the podium: from the hall 2 1, so No.1 is the second seat from the left.
    assert rows[0]["seat"] == "主席台左起第2座" and rows[1]["seat"] == "主席台左起第1座"
    assert rows[2]["seat"] == "列席第1排左起第1座" and rows[3]["seat"] == ""


# --- 请假 ----------------------------------------------------------------------------------------------


@pytest.fixture
def notified(meeting_city, make_meeting):
    mc = meeting_city
    return make_meeting(state=MeetingState.NOTIFIED, attendees=[mc.ndrc_head, mc.finance_head])


def test_a_leave_waits_and_the_chair_and_the_officer_are_told(meeting_city, notified, today):
    mc = meeting_city
    Attendee.objects.filter(meeting=notified, person=mc.ndrc_head).update(leave_approved=False)
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="出差")
    leave = row(notified, mc.ndrc_head)
    assert leave.reply == Reply.LEAVE and leave.leave_approved is None
    assert any(v.startswith("钱主任请假待审批") for v in verbs(mc.mayor))
    assert any(v.startswith("钱主任请假待审批") for v in verbs(mc.officer))
    from meetings.rules import leaves_to_decide

    assert leaves_to_decide(mc.mayor.user, notified) == [str(leave.pk)]
    assert leaves_to_decide(mc.finance_head.user, notified) == []


def test_the_chair_approves_and_the_attendee_is_told(meeting_city, notified, today):
    mc = meeting_city
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="出差")
    leave = row(notified, mc.ndrc_head)
    done = services.leave_decide(actor=mc.mayor.user, meeting=notified, attendee=leave, approve=True)
    assert done.leave_approved is True and done.leave_decided_by == mc.mayor and done.reply == Reply.LEAVE
    assert any(v.startswith("您的请假已获批准") for v in verbs(mc.ndrc_head))
    assert MeetingEvent.objects.filter(meeting=notified, action="同意请假", comment="钱主任").exists()
    with pytest.raises(TransitionNotAllowed, match="钱主任没有待审批的请假"):
        services.leave_decide(actor=mc.officer.user, meeting=notified, attendee=leave, approve=False, note="x")


def test_a_refusal_needs_a_reason_and_sends_him_back_to_reply(meeting_city, notified, today):
    mc = meeting_city
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="出差")
    leave = row(notified, mc.ndrc_head)
    with pytest.raises(ValidationError) as refused:
        services.leave_decide(actor=mc.officer.user, meeting=notified, attendee=leave, approve=False, note="  ")
    assert refused.value.message_dict["note"] == ["请写明不同意请假的理由。"]
    assert row(notified, mc.ndrc_head).leave_approved is None  # nothing stored
    services.leave_decide(actor=mc.officer.user, meeting=notified, attendee=leave, approve=False, note="须汇报议题")
    leave = row(notified, mc.ndrc_head)
    assert leave.reply == Reply.PENDING and leave.leave_approved is False and leave.leave_decided_by == mc.officer
    assert "您的请假未获批准，请重新回执" in verbs(mc.ndrc_head)[-1] and "须汇报议题" in verbs(mc.ndrc_head)[-1]
    # He replies again: a new 请假 waits once more.
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="病假")
    assert row(notified, mc.ndrc_head).leave_approved is None


def test_only_the_chair_or_the_officer_decides_a_leave(meeting_city, notified, today):
    mc = meeting_city
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=notified, reply=Reply.LEAVE, reason="出差")
    leave = row(notified, mc.ndrc_head)
    for outsider in (mc.finance_head, mc.ndrc_head, mc.low):
        with pytest.raises(PermissionDenied, match="请假由会议主持人或会务员审批"):
            services.leave_decide(actor=outsider.user, meeting=notified, attendee=leave, approve=True)
    assert row(notified, mc.ndrc_head).leave_approved is None
    other = row(notified, mc.finance_head)  # no leave asked
    with pytest.raises(TransitionNotAllowed, match="周局长没有待审批的请假"):
        services.leave_decide(actor=mc.mayor.user, meeting=notified, attendee=other, approve=True)


# --- 座次, 分组, 交通食宿 --------------------------------------------------------------------------------


def test_the_officer_arranges_within_the_bounds(meeting_city, make_meeting, today):
    mc = meeting_city
    starts = timezone.now() + timedelta(days=10)
    meeting = make_meeting(starts_at=starts, ends_at=starts + timedelta(days=2), attendees=[mc.ndrc_head])
    other = make_meeting(title="另一会议", starts_at=starts + timedelta(days=30))
    elsewhere = DiscussionGroup.objects.create(meeting=other, name="外组")
    group = services.group_add(actor=mc.officer.user, meeting=meeting, name="第一组", place="301室")
    attendee = row(meeting, mc.ndrc_head)
    first_day = timezone.localdate(starts)

    with pytest.raises(ValidationError) as bad:
        services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, group=elsewhere)
    assert bad.value.message_dict == {"group": ["请选择本次会议的讨论组。"]}
    for day in (first_day - timedelta(days=4), first_day + timedelta(days=3)):
        with pytest.raises(ValidationError) as bad:
            services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, arrives_on=day)
        assert "arrives_on" in bad.value.message_dict
    with pytest.raises(ValidationError):
        services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, precedence=-1)
    with pytest.raises(ValidationError):
        services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee)
    attendee.refresh_from_db()
    assert (attendee.group_id, attendee.arrives_on, attendee.precedence) == (None, None, 100)

    for day in (first_day - timedelta(days=3), first_day + timedelta(days=2)):  # both ends allowed
        services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, arrives_on=day)
    done = services.attendee_arrange(
        actor=mc.officer.user,
        meeting=meeting,
        attendee=attendee,
        precedence=3,
        group=group,
        transport="高铁G101，会务组接站",
        lodging="市政府招待所",
    )
    done.refresh_from_db()
    assert (done.precedence, done.group, done.arrives_on) == (3, group, first_day + timedelta(days=2))
    assert (done.transport, done.lodging) == ("高铁G101，会务组接站", "市政府招待所")
    services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, group=False, lodging="")
    done.refresh_from_db()
    assert done.group is None and done.lodging == "" and done.transport == "高铁G101，会务组接站"


def test_arranging_is_the_officers_and_only_before_the_meeting(meeting_city, make_meeting):
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])
    attendee = row(meeting, mc.ndrc_head)
    for person in (mc.mayor, mc.ndrc_head, mc.low, mc.outsider):
        with pytest.raises(PermissionDenied, match="座次、分组和食宿由会务员安排"):
            services.attendee_arrange(actor=person.user, meeting=meeting, attendee=attendee, precedence=1)
        with pytest.raises(PermissionDenied):
            services.group_add(actor=person.user, meeting=meeting, name="第一组")
    meeting.state = MeetingState.HELD
    meeting.save(update_fields=["state"])
    with pytest.raises(TransitionNotAllowed, match="不能再调整座次、分组和食宿"):
        services.attendee_arrange(actor=mc.officer.user, meeting=meeting, attendee=attendee, precedence=1)
    assert row(meeting, mc.ndrc_head).precedence == 100


def test_groups_names_once_conveners_attend_and_removal_frees_the_members(meeting_city, make_meeting):
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head, mc.finance_head])
    group = services.group_add(actor=mc.officer.user, meeting=meeting, name=" 第一组 ", convener=mc.ndrc_head)
    second = services.group_add(actor=mc.officer.user, meeting=meeting, name="第二组")
    assert (group.name, group.order, second.order) == ("第一组", 1, 2)
    with pytest.raises(ValidationError) as bad:
        services.group_add(actor=mc.officer.user, meeting=meeting, name="第一组")
    assert bad.value.message_dict == {"name": ["本次会议已有“第一组”。"]}
    with pytest.raises(ValidationError) as bad:
        services.group_add(actor=mc.officer.user, meeting=meeting, name="第三组", convener=mc.low)
    assert bad.value.message_dict == {"convener": ["召集人须是本次会议的参会人员。"]}
    with pytest.raises(ValidationError):
        services.group_add(actor=mc.officer.user, meeting=meeting, name="  ")
    assert meeting.groups.count() == 2

    Attendee.objects.filter(meeting=meeting).update(group=group)
    services.group_remove(actor=mc.officer.user, meeting=meeting, group=group)
    assert not DiscussionGroup.objects.filter(pk=group.pk).exists()
    assert set(meeting.attendees.values_list("group", flat=True)) == {None}
    other = make_meeting(title="另一会议", starts_at=meeting.starts_at + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.group_remove(actor=mc.officer.user, meeting=other, group=second)
    assert DiscussionGroup.objects.filter(pk=second.pk).exists()


# --- 报到 ----------------------------------------------------------------------------------------------


def test_registration_once_after_the_notice(meeting_city, make_meeting, today):
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])
    attendee = row(meeting, mc.ndrc_head)
    with pytest.raises(TransitionNotAllowed):  # 筹备中: nobody comes yet
        services.attendee_register(actor=mc.officer.user, meeting=meeting, attendee=attendee)
    meeting.state = MeetingState.NOTIFIED
    meeting.save(update_fields=["state"])
    with pytest.raises(PermissionDenied, match="报到由会务员登记"):
        services.attendee_register(actor=mc.ndrc_head.user, meeting=meeting, attendee=attendee)
    done = services.attendee_register(actor=mc.officer.user, meeting=meeting, attendee=attendee)
    assert done.registered_at == timezone.now()
    with pytest.raises(TransitionNotAllowed, match="钱主任已于3月2日 10:00报到"):
        services.attendee_register(actor=mc.officer.user, meeting=meeting, attendee=attendee)
    other = make_meeting(title="另一会议", starts_at=meeting.starts_at + timedelta(days=3), state=MeetingState.NOTIFIED)
    with pytest.raises(ValidationError):
        services.attendee_register(actor=mc.officer.user, meeting=other, attendee=attendee)


# --- 代会 in the attendance ----------------------------------------------------------------------------


def test_a_substitute_is_counted_once_in_the_attendance(meeting_city, make_meeting, today):
    """GIVEN 钱主任 sends 孙科员 in his place and 周局长 comes himself, the meeting begun
    WHEN 孙科员 is signed in
    THEN two are invited and two attended (孙科员 for 钱主任), nobody is absent."""
    mc = meeting_city
    meeting = make_meeting(starts_at=timezone.now() + timedelta(hours=1), attendees=[mc.ndrc_head, mc.finance_head])
    services.attendee_reply(actor=mc.ndrc_head.user, meeting=meeting, reply=Reply.SUBSTITUTE, substitute=mc.ndrc_staff)
    meeting.state = MeetingState.NOTIFIED
    meeting.save(update_fields=["state"])
    before = services.attendance(meeting)
    assert before["invited"] == 2 and before["absent"] == 0
    services.sign_in(actor=mc.officer.user, meeting=meeting, attendee=row(meeting, mc.ndrc_staff))
    services.sign_in(actor=mc.officer.user, meeting=meeting, attendee=row(meeting, mc.finance_head))
    today.move_to(timezone.now() + timedelta(hours=2))
    figures = services.attendance(meeting)
    assert (figures["invited"], figures["attended"], figures["absent"]) == (2, 2, 0)
    assert str(figures["rate"]) == "100.0"
    # Signed in on the principal's row instead (the 会务员 picked 钱主任's line): the same count.
    Attendee.objects.filter(meeting=meeting).update(checked_in_at=None)
    Attendee.objects.filter(meeting=meeting, person=mc.ndrc_head).update(checked_in_at=timezone.now())
    figures = services.attendance(meeting)
    assert (figures["invited"], figures["attended"], figures["absent"]) == (2, 1, 1)
    assert figures["absent_names"] == ["周局长"]
