"""会议 through the API, as the office's people and another system would use it: the meeting list and a
meeting in full with what the caller may do now, 登记 and 修改, 邀请, 回执, 通知, 召开, 签到 and 出席情况,
议定事项 and the 纪要 draft, the .ics; rooms and their calendar; 议题 from 拟报 to 列入议程; the 领导活动安排
and its week. Bad input is a Chinese 400 by field that changes nothing, a step the state does not
allow a 409, a step of somebody else a 403."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import (
    Attendee,
    Decision,
    Material,
    Meeting,
    MeetingState,
    Reply,
    RoomBooking,
    ScheduleEntry,
    Topic,
    TopicState,
)
from meetings.services import checkin_token
from office.confidentiality.levels import Level
from office.org.models import Role
from supervision.models import SupervisionItem
from tests.factories import make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/meetings/"
ROOMS = "/api/v1/meetings/rooms/"
TOPICS = "/api/v1/meetings/topics/"
SCHEDULE = "/api/v1/meetings/schedule/"


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def make_topic(c, meeting=None, **fields) -> Topic:
    values = {
        "organ": c.organ,
        "meeting_type": c.type(),
        "meeting": meeting,
        "title": "关于城区老旧小区改造的议题",
        "summary": "拟对城区12个老旧小区实施改造。",
        "unit": c.ndrc,
        "presenter": c.ndrc_head,
        "reviewing_leader": c.vice_mayor,
        "submitted_by": c.ndrc_staff,
        "consultation": "已征求财政局意见，无异议。",
        "agreed": True,
    }
    values.update(fields)
    return Topic.objects.create(**values)


def held(c, make_meeting, **fields) -> Meeting:
    """A meeting that began at 9:00 today (the clock is at 10:00), 已召开, with 钱主任 and 周局长."""
    day = timezone.localdate()
    values = {"starts_at": at(day, 9), "ends_at": at(day, 12), "state": MeetingState.HELD}
    values.update(fields)
    return make_meeting(attendees=[c.ndrc_head, c.finance_head], **values)


# --- Meetings: reads ---------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_filters_by_type_state_and_day(meeting_city, make_meeting, api_as, today):
    """GIVEN a 常务会议 next Monday, a 专题会议 the Monday after and a cancelled one tomorrow WHEN the 会务员
    reads the list THEN they come newest first with their labels, paged with count and count_exact, and
    type, state and the days of the start narrow it."""
    c = meeting_city
    monday = timezone.localdate() + timedelta(days=7)
    standing = make_meeting()
    special = make_meeting(type_code="special", title="重点项目推进专题会议", starts_at=at(monday + timedelta(7), 15))
    cancelled = make_meeting(
        title="已取消的会议", starts_at=at(timezone.localdate() + timedelta(1), 9), state=MeetingState.CANCELLED
    )
    api = api_as(c.officer)
    body = api.get(BASE).json()
    assert body["count"] == 3 and body["count_exact"] is True
    assert [row["id"] for row in body["results"]] == [special.pk, standing.pk, cancelled.pk]
    row = body["results"][1]
    assert row["type"] == "standing" and row["type_name"] == "常务会议"
    assert (row["state"], row["state_label"]) == ("planned", "筹备中")
    assert (row["room_name"], row["chair_name"], row["organizer_name"]) == ("第一会议室", "刘市长", "周会务")
    assert row["classification"] == "internal"

    assert [r["id"] for r in api.get(BASE, {"type": "special"}).json()["results"]] == [special.pk]
    assert [r["id"] for r in api.get(BASE, {"state": "cancelled"}).json()["results"]] == [cancelled.pk]
    days = {"date_from": str(monday), "date_to": str(monday)}
    assert [r["id"] for r in api.get(BASE, days).json()["results"]] == [standing.pk]
    first = api.get(BASE, {"cursor": "", "page_size": 2}).json()
    assert [r["id"] for r in first["results"]] == [special.pk, standing.pk] and first["next"]


def test_the_detail_shows_agenda_people_papers_decisions_and_offered_steps(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting with two 议题 on its agenda (second placed first), two attendees (one on leave), a
    material and a 议定事项 whose 督办 item is open WHEN the 会务员 and an attendee read it THEN the agenda
    is in order, replies and 签到 show, the material with its 密级, the decision with its item, and
    ``offered`` is what each may do now: the 会务员 runs it, the attendee only replies."""
    c = meeting_city
    meeting = make_meeting(attendees=[c.ndrc_head, c.finance_head])
    second = make_topic(c, meeting, title="第二个议题", state=TopicState.PLACED, order=2)
    first = make_topic(c, meeting, title="第一个议题", state=TopicState.PLACED, order=1)
    make_topic(c, meeting, title="尚未定题的议题", state=TopicState.SUBMITTED)
    Attendee.objects.filter(meeting=meeting, person=c.finance_head).update(reply=Reply.LEAVE, reason="出差")
    Material.objects.create(
        meeting=meeting, organ=c.organ, title="改造方案", uploaded_by=c.officer, classification=Level.INTERNAL
    )
    decision = Decision.objects.create(meeting=meeting, number=1, text="抓紧实施。", lead_unit=c.ndrc, due="2026-06-30")

    body = api_as(c.officer).get(f"{BASE}{meeting.pk}/").json()
    assert [topic["id"] for topic in body["agenda"]] == [first.pk, second.pk]
    assert (body["agenda"][0]["unit"], body["agenda"][0]["presenter_name"]) == (c.ndrc.pk, c.ndrc_head.name)
    replies = {a["person"]: (a["reply"], a["reason"]) for a in body["attendees"]}
    assert replies == {c.ndrc_head.pk: ("pending", ""), c.finance_head.pk: ("leave", "出差")}
    assert [(m["title"], m["classification"]) for m in body["materials"]] == [("改造方案", "internal")]
    assert [(d["number"], d["item"], d["lead_unit"]) for d in body["decisions"]] == [(1, None, c.ndrc.pk)]
    steps = {offer["step"] for offer in body["offered"]}
    assert {"edit", "book", "invite", "cancel", "notify"} <= steps and "reply" not in steps

    attendee = {offer["step"] for offer in api_as(c.ndrc_head).get(f"{BASE}{meeting.pk}/").json()["offered"]}
    assert attendee == {"reply"}
    assert decision.pk in {d["id"] for d in body["decisions"]}


# --- Meetings: writes --------------------------------------------------------------------------------


def test_the_officer_registers_a_meeting_and_bad_input_is_a_chinese_400(meeting_city, api_as, today):
    """GIVEN the 会务员 WHEN he registers a 常务会议 in 第一会议室 THEN it is 筹备中, his to run, the room
    booked; a date that does not exist, an end before the start, an unknown field and a 密级 that is
    not a code are each a 400 by field, in Chinese, and store nothing; a 机密 专题会议 in the 保密会议室
    takes its 密级 and 保密期限; a 科员 may not register (403)."""
    c = meeting_city
    starts = at(timezone.localdate() + timedelta(days=7), 9)
    body = {
        "type": "standing",
        "title": "市政府第13次常务会议",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "chair": c.mayor.pk,
        "room": c.room.pk,
    }
    api = api_as(c.officer)
    for bad, field in (
        ({"starts_at": "2026-02-30T09:00:00+08:00"}, "starts_at"),
        ({"ends_at": (starts - timedelta(hours=1)).isoformat()}, "ends_at"),
        ({"colour": "red"}, "colour"),
        ({"classification": "very"}, "classification"),
    ):
        answer = api.post(BASE, {**body, **bad}, format="json")
        assert answer.status_code == 400, (bad, answer.content)
        error = answer.json()
        assert error["code"] == "invalid" and field in error["errors"], error
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(error["errors"][field])), error
    assert not Meeting.objects.exists()

    answer = api.post(BASE, body, format="json")
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert (made["state"], made["organizer"], made["room"]) == ("planned", c.officer.pk, c.room.pk)
    assert RoomBooking.objects.filter(meeting_id=made["id"], room=c.room).exists()

    secret = {
        **body,
        "title": "涉密专题会议",
        "type": "special",
        "room": c.secure_room.pk,
        "classification": "secret",
        "classification_basis": "《国家秘密目录》第3项",
        "secrecy_term_unit": "years",
        "secrecy_term_amount": 10,
    }
    answer = api.post(BASE, secret, format="json")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["classification"], answer.json()["classification_label"]) == ("secret", "机密")

    refused = api_as(c.ndrc_staff).post(BASE, {**body, "title": "另一个会"}, format="json")
    assert refused.status_code == 403 and Meeting.objects.count() == 2


def test_patch_changes_only_what_is_sent_and_refuses_what_cannot_change(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting 筹备中 WHEN the 会务员 PATCHes its title THEN only the title changes; a field that is
    not editable here (the type) or an end before the start is a 400; the chair (who sees it but does
    not run it) gets a 403."""
    c = meeting_city
    meeting = make_meeting()
    api = api_as(c.officer)
    answer = api.patch(f"{BASE}{meeting.pk}/", {"title": "市政府第12次常务会议（调整）"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == "市政府第12次常务会议（调整）"
    assert api.patch(f"{BASE}{meeting.pk}/", {"type": "special"}, format="json").status_code == 400
    early = (meeting.starts_at - timedelta(hours=1)).isoformat()
    answer = api.patch(f"{BASE}{meeting.pk}/", {"ends_at": early}, format="json")
    assert answer.status_code == 400 and "ends_at" in answer.json()["errors"]
    refused = api_as(c.mayor).patch(f"{BASE}{meeting.pk}/", {"title": "x"}, format="json")
    assert refused.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "市政府第12次常务会议（调整）" and meeting.type_id == "standing"


def test_book_invite_reply_notify_and_cancel(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting 筹备中 without a room WHEN the 会务员 books 第一会议室, invites 钱主任 and 周局长, 周局长
    asks leave, the 会务员 sends the notice and then cancels THEN each answer is the meeting as it is now;
    another meeting at the same time cannot have the room (400); 钱主任 may not send the notice (403);
    holding a meeting that has not begun is a 409; a 取消 without its reason is a 400, and a second
    取消 a 409."""
    c = meeting_city
    meeting = make_meeting(room=None)
    officer = api_as(c.officer)
    answer = officer.post(f"{BASE}{meeting.pk}/book/", {"room": c.room.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["room"] == c.room.pk
    assert [(b["room"], b["state"]) for b in answer.json()["bookings"]] == [(c.room.pk, "confirmed")]
    rival = make_meeting(room=None, title="同一时间的另一个会议")
    clash = officer.post(f"{BASE}{rival.pk}/book/", {"room": c.room.pk}, format="json")
    assert clash.status_code == 400, clash.content
    assert officer.post(f"{BASE}{rival.pk}/book/", {"room": 999999}, format="json").status_code == 400
    answer = officer.post(
        f"{BASE}{meeting.pk}/invite/", {"people": [c.ndrc_head.pk, c.finance_head.pk], "role": "attend"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert {a["person"] for a in answer.json()["attendees"]} == {c.ndrc_head.pk, c.finance_head.pk}
    bad = officer.post(f"{BASE}{meeting.pk}/invite/", {"people": [], "role": "boss"}, format="json")
    assert bad.status_code == 400 and {"people", "role"} <= set(bad.json()["errors"])

    finance = api_as(c.finance_head)
    answer = finance.post(f"{BASE}{meeting.pk}/reply/", {"reply": "leave", "reason": "赴省里开会"}, format="json")
    assert answer.status_code == 200, answer.content
    mine = next(a for a in answer.json()["attendees"] if a["person"] == c.finance_head.pk)
    assert (mine["reply"], mine["reason"]) == ("leave", "赴省里开会")

    assert api_as(c.ndrc_head).post(f"{BASE}{meeting.pk}/notify/", {}, format="json").status_code == 403
    officer = api_as(c.officer)
    answer = officer.post(f"{BASE}{meeting.pk}/notify/", {}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "notified"

    early = officer.post(f"{BASE}{meeting.pk}/hold/", {}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "transition_not_allowed"
    assert officer.post(f"{BASE}{meeting.pk}/cancel/", {}, format="json").status_code == 400
    answer = officer.post(f"{BASE}{meeting.pk}/cancel/", {"reason": "领导另有公务"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
    again = officer.post(f"{BASE}{meeting.pk}/cancel/", {"reason": "再取消"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"


def test_sign_in_check_in_and_attendance(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting that began at 9:00, 已召开, with 钱主任 and 周局长 WHEN 钱主任 scans the room's code
    and the 会务员 signs 周局长 in THEN the 出席情况 counts both, 周局长 late; a wrong code and an attendee
    of another meeting are 400s; a 科员 of the organ who is not invited gets a 403 on 代签."""
    c = meeting_city
    meeting = held(c, make_meeting)
    ndrc = api_as(c.ndrc_head)
    bad = ndrc.post(f"{BASE}{meeting.pk}/check-in/", {"token": "not-a-code"}, format="json")
    assert bad.status_code == 400 and "token" in bad.json()["errors"]
    answer = ndrc.post(f"{BASE}{meeting.pk}/check-in/", {"token": checkin_token(meeting)}, format="json")
    assert answer.status_code == 200, answer.content
    row = next(a for a in answer.json()["attendees"] if a["person"] == c.ndrc_head.pk)
    assert row["check_in"] == "qr" and row["checked_in_at"]

    finance_row = Attendee.objects.get(meeting=meeting, person=c.finance_head)
    officer = api_as(c.officer)
    other = held(c, make_meeting, title="另一个会议", room=c.secure_room)
    stranger_row = Attendee.objects.get(meeting=other, person=c.finance_head)
    answer = officer.post(f"{BASE}{meeting.pk}/sign-in/", {"attendee": stranger_row.pk}, format="json")
    assert answer.status_code == 400 and "attendee" in answer.json()["errors"]
    answer = officer.post(f"{BASE}{meeting.pk}/sign-in/", {"attendee": finance_row.pk}, format="json")
    assert answer.status_code == 200, answer.content

    figures = officer.get(f"{BASE}{meeting.pk}/attendance/").json()
    assert (figures["invited"], figures["attended"], figures["late"], figures["rate"]) == (2, 2, 2, 100.0)
    refused = api_as(c.ndrc_staff).post(f"{BASE}{meeting.pk}/sign-in/", {"attendee": finance_row.pk}, format="json")
    assert refused.status_code in (403, 404)


def test_decisions_and_the_minutes_draft(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting held today with a 议题 on its agenda WHEN the 会务员 records a 议定事项 and drafts the
    纪要 THEN the decision is numbered 1 on the meeting, and the answer names the 纪要's 发文 draft; a due
    date that has passed and a 议题 of another meeting are 400s; a second draft is a 409; a 议定事项 on a
    meeting not yet held is a 409."""
    c = meeting_city
    meeting = held(c, make_meeting)
    topic = make_topic(c, meeting, state=TopicState.DISCUSSED, order=1)
    officer = api_as(c.officer)
    due = str(timezone.localdate() + timedelta(days=30))
    body = {"text": "由发改委牵头抓紧实施。", "lead_unit": c.ndrc.pk, "due": due, "assist_units": [c.finance.pk]}
    past = officer.post(f"{BASE}{meeting.pk}/decisions/", {**body, "due": "2026-01-01"}, format="json")
    assert past.status_code == 400 and "due" in past.json()["errors"]
    stray = make_topic(c, None, title="别的议题")
    answer = officer.post(f"{BASE}{meeting.pk}/decisions/", {**body, "topic": stray.pk}, format="json")
    assert answer.status_code == 400 and "topic" in answer.json()["errors"]
    answer = officer.post(f"{BASE}{meeting.pk}/decisions/", {**body, "topic": topic.pk}, format="json")
    assert answer.status_code == 201, answer.content
    [decision] = answer.json()["decisions"]
    assert (decision["number"], decision["topic"], decision["assist_units"]) == (1, topic.pk, [c.finance.pk])

    answer = officer.post(f"{BASE}{meeting.pk}/minutes-draft/", {}, format="json")
    assert answer.status_code == 201, answer.content
    meeting.refresh_from_db()
    assert answer.json()["document"] == meeting.minutes_document_id is not None
    again = officer.post(f"{BASE}{meeting.pk}/minutes-draft/", {}, format="json")
    assert again.status_code == 409

    begun = held(c, make_meeting, title="今天上午的会", state=MeetingState.NOTIFIED, room=c.secure_room)
    answer = officer.post(f"{BASE}{begun.pk}/hold/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "held", answer.content

    coming = make_meeting(title="下周的会")
    early = officer.post(f"{BASE}{coming.pk}/decisions/", body, format="json")
    assert early.status_code == 409 and not Decision.objects.filter(meeting=coming).exists()
    assert not SupervisionItem.objects.exists()  # items open only when the 纪要 is issued


def test_the_ics_is_a_calendar_file(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting with 钱主任 WHEN he asks for its .ics THEN it is a text/calendar event with the
    meeting's name; a 绝密 meeting has no calendar file (403)."""
    c = meeting_city
    meeting = make_meeting(attendees=[c.ndrc_head])
    answer = api_as(c.ndrc_head).get(f"{BASE}{meeting.pk}/ics/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in answer.content and "常务会议" in answer.content.decode()
    cleared = make_person(
        username="mt-top", name="绝密领导", unit=c.organ, roles=(Role.LEADER,), clearance=Level.TOP_SECRET
    )
    top = make_meeting(title="绝密会议", classification=Level.TOP_SECRET, chair=cleared, room=c.secure_room)
    assert api_as(cleared).get(f"{BASE}{top.pk}/").status_code == 200
    denied = api_as(cleared).get(f"{BASE}{top.pk}/ics/")
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"


# --- Rooms -------------------------------------------------------------------------------------------


def test_rooms_and_their_calendar(meeting_city, make_meeting, api_as, today):
    """GIVEN the organ's three rooms and a meeting booked in 第一会议室 WHEN 吴科员 of the 办公室 reads the
    rooms and the calendar of next week THEN he sees the three rooms and the booking, with the meeting's
    name (he may see it); a range backwards or too long and an unknown parameter are 400s."""
    c = meeting_city
    meeting = make_meeting()
    RoomBooking.objects.create(
        room=c.room,
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        state="confirmed",
        requested_by=c.officer,
    )
    api = api_as(c.low)
    rooms = api.get(ROOMS).json()
    assert {room["name"] for room in rooms["results"]} == {"第一会议室", "保密会议室", "视频会议室"}
    detail = api.get(f"{ROOMS}{c.secure_room.pk}/").json()
    assert (detail["max_classification"], detail["capacity"], detail["kind"]) == ("secret", 20, "room")

    monday = str(timezone.localdate(meeting.starts_at))
    slots = api.get(f"{ROOMS}calendar/", {"date_from": monday, "date_to": monday}).json()
    assert [(s["room"], s["meeting"]) for s in slots] == [(c.room.pk, meeting.pk)]
    assert slots[0]["title"] == meeting.title
    assert api.get(f"{ROOMS}calendar/", {"date_from": monday, "date_to": "2026-03-01"}).status_code == 400
    assert api.get(f"{ROOMS}calendar/", {"date_from": "2026-01-01", "date_to": "2026-12-31"}).status_code == 400
    assert api.get(f"{ROOMS}calendar/", {"day": monday}).status_code == 400


# --- 议题 ---------------------------------------------------------------------------------------------


def test_a_topic_goes_from_draft_to_the_agenda(meeting_city, make_meeting, api_as, today):
    """GIVEN a 常务会议 in two weeks WHEN 孙科员 of 发改委 拟报 a 议题, 报送 it, 李市长 审核, 刘市长 定题 and the
    会务员 places it THEN it is on the meeting's agenda; a 审核 by someone else is a 403, a 退回 without its
    reason a 400, a second 报送 a 409."""
    c = meeting_city
    meeting = make_meeting(starts_at=at(timezone.localdate() + timedelta(days=14), 9))
    body = {
        "meeting_type": "standing",
        "title": "关于城区老旧小区改造的议题",
        "summary": "拟对城区12个老旧小区实施改造。",
        "unit": c.ndrc.pk,
        "presenter": c.ndrc_head.pk,
        "reviewing_leader": c.vice_mayor.pk,
        "consultation": "已征求财政局意见，无异议。",
        "agreed": True,
        "attending_units": [c.finance.pk],
        "organ": c.organ.pk,  # 发改委 reports to the government's 常务会议
    }
    staff = api_as(c.ndrc_staff)
    assert staff.post(TOPICS, {**body, "minutes": 0}, format="json").status_code == 400
    answer = staff.post(TOPICS, body, format="json")
    assert answer.status_code == 201, answer.content
    topic = answer.json()
    assert (topic["state"], topic["submitted_by"], topic["attending_units"]) == (
        "draft",
        c.ndrc_staff.pk,
        [c.finance.pk],
    )
    assert {offer["step"] for offer in topic["offered"]} >= {"edit", "submit", "withdraw"}
    url = f"{TOPICS}{topic['id']}/"

    assert staff.patch(url, {"minutes": 20}, format="json").json()["minutes"] == 20
    assert staff.post(f"{url}submit/", {}, format="json").json()["state"] == "submitted"
    again = staff.post(f"{url}submit/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert api_as(c.finance_head).post(f"{url}review/", {}, format="json").status_code in (403, 404)
    leader = api_as(c.vice_mayor)
    assert leader.post(f"{url}return/", {}, format="json").status_code == 400
    answer = leader.post(f"{url}review/", {"opinion": "同意提交常务会议。"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "reviewed", answer.content
    answer = api_as(c.mayor).post(f"{url}approve/", {"opinion": "同意"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "approved", answer.content
    answer = api_as(c.officer).post(f"{url}place/", {"meeting": meeting.pk, "order": 1}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["state"], answer.json()["meeting"]) == ("placed", meeting.pk)
    agenda = api_as(c.officer).get(f"{BASE}{meeting.pk}/").json()["agenda"]
    assert [t["id"] for t in agenda] == [topic["id"]]

    listed = staff.get(TOPICS, {"state": "placed"}).json()
    assert [t["id"] for t in listed["results"]] == [topic["id"]]
    assert staff.get(TOPICS, {"state": "nonsense"}).status_code == 400


def test_a_topic_is_returned_and_withdrawn(meeting_city, api_as, today):
    """GIVEN a 议题 报送 to 李市长 WHEN he returns it with his reason THEN it is back with the unit (已退回)
    with his opinion, and the unit may withdraw it; returning it again is a 409."""
    c = meeting_city
    topic = make_topic(c, state=TopicState.SUBMITTED)
    answer = api_as(c.vice_mayor).post(f"{TOPICS}{topic.pk}/return/", {"opinion": "请补充资金来源。"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "returned" and "资金来源" in answer.json()["opinion"]
    again = api_as(c.vice_mayor).post(f"{TOPICS}{topic.pk}/return/", {"opinion": "再退"}, format="json")
    assert again.status_code in (404, 409)
    answer = api_as(c.ndrc_staff).post(f"{TOPICS}{topic.pk}/withdraw/", {"reason": "暂缓"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "withdrawn", answer.content


# --- 领导活动安排 ---------------------------------------------------------------------------------------


def test_the_schedule_is_entered_changed_cancelled_and_read_by_week(meeting_city, api_as, today):
    """GIVEN 李市长 WHEN the 会务员 enters a public 调研 and a 接待 next Monday THEN the list and the week show
    both, the published week only the public one; an overlap is a 400 unless ``allow_overlap``; a PATCH
    changes the place; a 取消 takes it off the week; a day that is not a Monday is a 400."""
    c = meeting_city
    monday = timezone.localdate() + timedelta(days=7)
    body = {
        "leader": c.vice_mayor.pk,
        "kind": "research",
        "title": "赴开发区调研",
        "starts_at": at(monday, 14).isoformat(),
        "ends_at": at(monday, 17).isoformat(),
        "place": "经济开发区",
        "public": True,
    }
    officer = api_as(c.officer)
    backwards = officer.post(SCHEDULE, {**body, "ends_at": at(monday, 13).isoformat()}, format="json")
    assert backwards.status_code == 400 and "ends_at" in backwards.json()["errors"]
    answer = officer.post(SCHEDULE, body, format="json")
    assert answer.status_code == 201, answer.content
    research = answer.json()
    reception = {**body, "kind": "reception", "title": "接待客商", "public": False}
    reception.update(starts_at=at(monday, 16).isoformat(), ends_at=at(monday, 18).isoformat())
    clash = officer.post(SCHEDULE, reception, format="json")
    assert clash.status_code == 400, clash.content
    answer = officer.post(SCHEDULE, {**reception, "allow_overlap": True}, format="json")
    assert answer.status_code == 201, answer.content

    listed = officer.get(SCHEDULE, {"leader": c.vice_mayor.pk, "date_from": str(monday), "date_to": str(monday)})
    assert [row["title"] for row in listed.json()["results"]] == ["赴开发区调研", "接待客商"]
    changed = officer.patch(f"{SCHEDULE}{research['id']}/", {"place": "高新区", "allow_overlap": True}, format="json")
    assert changed.status_code == 200 and changed.json()["place"] == "高新区", changed.content
    assert officer.patch(f"{SCHEDULE}{research['id']}/", {"classification": "secret"}, format="json").status_code == 400

    week = officer.get(f"{SCHEDULE}week/", {"monday": str(monday)}).json()
    row = next(r for r in week if r["leader"] == c.vice_mayor.pk)
    assert [e["title"] for e in row["days"][0]["entries"]] == ["赴开发区调研", "接待客商"]
    public = officer.get(f"{SCHEDULE}public-week/", {"monday": str(monday)}).json()
    titles = [e["title"] for r in public for d in r["days"] for e in d["entries"]]
    assert titles == ["赴开发区调研"]
    assert officer.get(f"{SCHEDULE}week/", {"monday": str(monday + timedelta(1))}).status_code == 400

    answer = officer.post(f"{SCHEDULE}{research['id']}/cancel/", {"reason": "改期"}, format="json")
    assert answer.status_code == 200 and answer.json()["cancelled"] is True
    assert ScheduleEntry.objects.filter(cancelled=True).count() == 1
    assert api_as(c.low).post(SCHEDULE, {**body, "title": "x"}, format="json").status_code == 403


# --- The schema ----------------------------------------------------------------------------------------


def test_the_schema_has_the_four_resources():
    """GIVEN the OpenAPI schema WHEN another system reads it THEN the meetings, rooms, 议题 and schedule
    routes are in it, with their actions."""
    paths = Client().get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/meetings/meetings/",
        "/api/v1/meetings/rooms/",
        "/api/v1/meetings/topics/",
        "/api/v1/meetings/schedule/",
        "/api/v1/meetings/meetings/{id}/sign-in/",
        "/api/v1/meetings/topics/{id}/return/",
        "/api/v1/meetings/rooms/calendar/",
        "/api/v1/meetings/schedule/week/",
    ):
        assert path in paths, path
    assert "409" in paths["/api/v1/meetings/meetings/{id}/hold/"]["post"]["responses"]
