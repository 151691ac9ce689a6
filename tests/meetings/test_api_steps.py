"""The meeting's steps through the API beyond 通知 and 召开: 列入议程 from the meeting, 材料 报送 and 审核
(a 发言材料 over its type's 篇幅 or 发言时间 is refused, naming the limit), 分发 by 份号, 签收 by the holder,
清退, 会场预订审批, 退出议程, 会议方案, 会场保密检查, 请假审批, 报到, 会后总结 and the 通报 draft. Every offer
names a route that takes it; a part of another meeting (a material, a copy, a booking, an attendee) is
a 404, as is the meeting itself to someone outside; a refusal changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve

from documents.models import DocumentSeries
from meetings import services
from meetings.models import (
    Attendee,
    BookingState,
    Material,
    MeetingState,
    MeetingType,
    Reply,
    RoomBooking,
    Topic,
    TopicState,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import ClassifiedCopy, CopyState
from tests.meetings.test_api import make_topic

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/meetings/"
TOPICS = "/api/v1/meetings/topics/"
BEIJING = ZoneInfo("Asia/Shanghai")


def offers(client, meeting) -> dict[str, dict]:
    return {offer["step"]: offer for offer in client.get(f"{BASE}{meeting.pk}/").json()["offered"]}


def assert_routed(base: str, pk: int, offer: dict, part: int | None = None) -> None:
    """The offer's path, ``{id}`` filled in, is a route of the record that takes a POST (PATCH for "")."""
    path = offer["path"].replace("{id}", str(part if part is not None else (offer["options"] or ["1"])[0]))
    url = f"{base}{pk}/{path}/" if path else f"{base}{pk}/"
    actions = resolve(url).func.actions
    assert ("patch" if not path else "post") in actions, (offer, actions)


@pytest.fixture
def secret_meeting(meeting_city, make_meeting, today):
    """A 机密 常务会议 on Tuesday 3 March 9:00 in the 保密会议室, 已通知, 钱主任 and 周局长 invited, a 机密
    paper 报送 and 审核."""
    c = meeting_city
    meeting = make_meeting(
        starts_at=datetime(2026, 3, 3, 9, tzinfo=BEIJING),
        room=c.secure_room,
        classification=Level.SECRET,
        classification_basis="《国家秘密目录》第3项",
        state=MeetingState.NOTIFIED,
        attendees=[c.ndrc_head, c.finance_head],
    )
    paper = services.material_add(actor=c.officer.user, meeting=meeting, title="预算调整汇报", pages=8)
    services.material_check(actor=c.officer.user, material=paper)
    return meeting


# --- 列入议程, 退出议程 ---------------------------------------------------------------------------------


def test_the_officer_places_a_topic_from_the_meeting_and_takes_it_off_again(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting 筹备中 and an approved 议题 of its type WHEN the 会务员 places it from the meeting THEN it
    is first on the agenda (offered as ``place-topic``), its 汇报人 invited to 列席; an unknown 议题 is a 400
    by field; someone of another city gets a 404. WHEN he takes it off the agenda (``unplace``, offered on
    the 议题) THEN it is 已定题 again and a second time is a 409."""
    c = meeting_city
    meeting = make_meeting()
    topic = make_topic(c, meeting, state=TopicState.APPROVED)
    officer = api_as(c.officer)
    offer = offers(officer, meeting)["place_topic"]
    assert offer["path"] == "place-topic"
    assert_routed(BASE, meeting.pk, offer)

    missing = officer.post(f"{BASE}{meeting.pk}/place-topic/", {"topic": 999999}, format="json")
    assert missing.status_code == 400 and "topic" in missing.json()["errors"]
    answer = officer.post(f"{BASE}{meeting.pk}/place-topic/", {"topic": topic.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert [(row["id"], row["order"]) for row in answer.json()["agenda"]] == [(topic.pk, 1)]
    assert Attendee.objects.filter(meeting=meeting, person=c.ndrc_head).exists()

    unplace = {o["step"]: o for o in officer.get(f"{TOPICS}{topic.pk}/").json()["offered"]}["unplace"]
    assert_routed(TOPICS, topic.pk, unplace)
    stranger = api_as(c.outsider).post(f"{TOPICS}{topic.pk}/unplace/", {}, format="json")
    assert stranger.status_code == 404
    officer = api_as(c.officer)
    taken = officer.post(f"{TOPICS}{topic.pk}/unplace/", {"reason": "改下次会议研究"}, format="json")
    assert taken.status_code == 200, taken.content
    assert taken.json()["state"] == TopicState.APPROVED and taken.json()["order"] is None
    assert officer.post(f"{TOPICS}{topic.pk}/unplace/", {}, format="json").status_code == 409
    other = make_topic(c, meeting, title="另一个议题", state=TopicState.APPROVED)
    outside = api_as(c.outsider).post(f"{BASE}{meeting.pk}/place-topic/", {"topic": other.pk}, format="json")
    assert outside.status_code == 404
    assert Topic.objects.get(pk=other.pk).state == TopicState.APPROVED


# --- 材料 ---------------------------------------------------------------------------------------------


def test_a_speech_over_its_types_limits_is_refused_at_its_check_naming_the_limit(
    meeting_city, make_meeting, api_as, today
):
    """GIVEN 常务会议 speeches limited to 3000字 and 10分钟 WHEN the 会务员 报送 a speech of 3500字 and one of 15
    分钟 THEN both are stored (201, 发言材料 with their 字数 and 分钟, 待审核), and each 审核 is a 400 that names
    the limit and leaves it unchecked; a speech within both passes 审核. A bad 类别 is a 400 that stores
    nothing; a material of another meeting is a 404."""
    c = meeting_city
    MeetingType.objects.filter(code="standing").update(speech_max_chars=3000, speech_max_minutes=10)
    meeting = make_meeting()
    officer = api_as(c.officer)
    offer = offers(officer, meeting)["add_material"]
    assert offer["path"] == "materials"
    assert_routed(BASE, meeting.pk, offer)

    def add(**fields):
        answer = officer.post(f"{BASE}{meeting.pk}/materials/", {"kind": "speech", **fields}, format="json")
        assert answer.status_code == 201, answer.content
        return answer.json()["materials"][-1]

    long = add(title="发改委主任发言", chars=3500, speaking_minutes=8)
    assert (long["kind"], long["kind_label"], long["chars"], long["speaking_minutes"], long["checked"]) == (
        "speech",
        "发言材料",
        3500,
        8,
        False,
    )
    slow = add(title="财政局局长发言", chars=2000, speaking_minutes=15)
    fine = add(title="交通局局长发言", chars=2800, speaking_minutes=10)

    refused = officer.post(f"{BASE}{meeting.pk}/materials/{long['id']}/check/", {}, format="json")
    assert refused.status_code == 400
    assert "发言材料超过篇幅限制（不超过3000字）" in refused.json()["errors"]["chars"][0]
    refused = officer.post(f"{BASE}{meeting.pk}/materials/{slow['id']}/check/", {}, format="json")
    assert refused.status_code == 400
    assert "不超过10分钟" in refused.json()["errors"]["speaking_minutes"][0]
    assert not Material.objects.filter(pk__in=[long["id"], slow["id"]], checked=True).exists()
    passed = officer.post(f"{BASE}{meeting.pk}/materials/{fine['id']}/check/", {}, format="json")
    assert passed.status_code == 200, passed.content
    assert {m["id"]: m["checked"] for m in passed.json()["materials"]}[fine["id"]] is True

    before = Material.objects.count()
    bad = officer.post(f"{BASE}{meeting.pk}/materials/", {"title": "讲话", "kind": "poem"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"] and Material.objects.count() == before
    other = make_meeting(title="另一个会议", starts_at=meeting.starts_at.replace(hour=15))
    assert officer.post(f"{BASE}{other.pk}/materials/{fine['id']}/check/", {}, format="json").status_code == 404
    stranger = api_as(c.outsider).post(f"{BASE}{meeting.pk}/materials/{long['id']}/check/", {}, format="json")
    assert stranger.status_code == 404


def test_numbered_copies_are_issued_signed_by_their_holder_and_recalled_after_the_meeting(
    meeting_city, secret_meeting, make_meeting, api_as, today
):
    """GIVEN a 机密 meeting 已通知 with a checked 机密 paper WHEN the 会务员 issues it THEN each attendee holds a
    copy (the 会务员 sees both, an attendee only his own); another attendee may not sign a copy not his
    (403); its holder signs (签收); 清退 before the meeting is held is a 409, after it the copy is back;
    a copy of another meeting's paper is a 404, and so is all of it to someone outside."""
    c = meeting_city
    meeting = secret_meeting
    paper = Material.objects.get(meeting=meeting)
    officer = api_as(c.officer)
    offer = offers(officer, meeting)["issue_material"]
    assert_routed(BASE, meeting.pk, offer, part=paper.pk)
    issued = officer.post(f"{BASE}{meeting.pk}/materials/{paper.pk}/issue/", {}, format="json")
    assert issued.status_code == 200, issued.content
    copies = issued.json()["materials"][0]["copies"]
    assert [(row["number"], row["holder_name"], row["state"]) for row in copies] == [
        ("000001", "钱主任", CopyState.ISSUED),
        ("000002", "周局长", CopyState.ISSUED),
    ]
    mine = api_as(c.ndrc_head).get(f"{BASE}{meeting.pk}/").json()["materials"][0]["copies"]
    assert [row["holder_name"] for row in mine] == ["钱主任"]

    his = copies[0]["id"]
    assert api_as(c.finance_head).post(f"{BASE}{meeting.pk}/copies/{his}/sign/", {}, format="json").status_code == 403
    signed = api_as(c.ndrc_head).post(f"{BASE}{meeting.pk}/copies/{his}/sign/", {}, format="json")
    assert signed.status_code == 200, signed.content
    assert ClassifiedCopy.objects.get(pk=his).state == CopyState.SIGNED

    officer = api_as(c.officer)
    assert officer.post(f"{BASE}{meeting.pk}/copies/{his}/recall/", {}, format="json").status_code == 409
    type(meeting).objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    offer = offers(officer, meeting)["recall"]
    assert_routed(BASE, meeting.pk, offer, part=his)
    other = make_meeting(title="另一个会议", starts_at=meeting.starts_at.replace(hour=15), state=MeetingState.HELD)
    assert officer.post(f"{BASE}{other.pk}/copies/{his}/recall/", {}, format="json").status_code == 404
    back = officer.post(f"{BASE}{meeting.pk}/copies/{his}/recall/", {}, format="json")
    assert back.status_code == 200, back.content
    assert ClassifiedCopy.objects.get(pk=his).state == CopyState.RETURNED
    stranger = api_as(c.outsider)
    assert stranger.post(f"{BASE}{meeting.pk}/copies/{copies[1]['id']}/recall/", {}, format="json").status_code == 404
    assert ClassifiedCopy.objects.get(pk=copies[1]["id"]).state == CopyState.ISSUED


# --- 会场预订审批 --------------------------------------------------------------------------------------


def test_the_rooms_manager_decides_a_booking_offered_with_its_id(meeting_city, make_meeting, api_as, today):
    """GIVEN a meeting for which 何会务 asked for the 视频会议室 (needs approval) WHEN another 会务员 reads the
    meeting THEN ``decide_booking`` is offered him with the booking's id (never to 何会务 himself); an
    attendee may not decide (403); a refusal without its reason is a 400; a booking of another meeting
    is a 404; approved, it is 已预订."""
    c = meeting_city
    meeting = make_meeting(attendees=[c.ndrc_head])
    booking = services.room_book(actor=c.officer_low.user, meeting=meeting, room=c.video_room)
    assert booking.state == BookingState.REQUESTED
    assert "decide_booking" not in offers(api_as(c.officer_low), meeting)  # never his own request
    officer = api_as(c.officer)
    offer = offers(officer, meeting)["decide_booking"]
    assert (offer["path"], offer["options"]) == ("bookings/{id}/decide", [str(booking.pk)])
    assert_routed(BASE, meeting.pk, offer)
    url = f"{BASE}{meeting.pk}/bookings/{booking.pk}/decide/"

    assert api_as(c.ndrc_head).post(url, {"approve": True}, format="json").status_code == 403
    officer = api_as(c.officer)
    refused = officer.post(url, {"approve": False}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["errors"]
    other = make_meeting(title="另一个会议", starts_at=meeting.starts_at.replace(hour=15))
    assert (
        officer.post(f"{BASE}{other.pk}/bookings/{booking.pk}/decide/", {"approve": True}, format="json").status_code
        == 404
    )
    assert RoomBooking.objects.get(pk=booking.pk).state == BookingState.REQUESTED
    answer = officer.post(url, {"approve": True}, format="json")
    assert answer.status_code == 200, answer.content
    assert [(b["id"], b["state"]) for b in answer.json()["bookings"]] == [(booking.pk, BookingState.CONFIRMED)]
    assert "decide_booking" not in {o["step"] for o in answer.json()["offered"]}


# --- 会议方案, 保密检查, 请假, 报到, 会后 --------------------------------------------------------------------


def test_preparation_leave_registration_and_after_the_meeting(
    meeting_city, make_meeting, secret_meeting, api_as, today
):
    """GIVEN a meeting 已通知 with 钱主任 and 周局长 (who asks leave) WHEN the 会务员 writes its 方案, decides the
    leave (offered with his attendee id) and registers 钱主任 THEN each is a 200 and a second 报到 a 409; an
    attendee of another meeting is a 404; the 保密检查 of a 内部 meeting is a 409, of a 机密 one a 200. Once
    held, the 会后总结 and the 通报 draft (201, the 发文)."""
    c = meeting_city
    DocumentSeries.objects.create(
        organ=c.organ, office=c.office, code="测府通", issuer_name="测试市人民政府", template="standard"
    )
    meeting = make_meeting(attendees=[c.ndrc_head, c.finance_head], state=MeetingState.NOTIFIED)
    officer = api_as(c.officer)
    assert officer.post(f"{BASE}{meeting.pk}/prepare/", {}, format="json").status_code == 400
    prepared = officer.post(f"{BASE}{meeting.pk}/prepare/", {"scheme": "会议方案：议程和会务分工。"}, format="json")
    assert prepared.status_code == 200, prepared.content

    assert (
        api_as(c.finance_head)
        .post(f"{BASE}{meeting.pk}/reply/", {"reply": Reply.LEAVE, "reason": "出差"}, format="json")
        .status_code
        == 200
    )
    officer = api_as(c.officer)
    leave = Attendee.objects.get(meeting=meeting, person=c.finance_head)
    offer = offers(officer, meeting)["decide_leave"]
    assert offer["options"] == [str(leave.pk)]
    assert_routed(BASE, meeting.pk, offer)
    other = make_meeting(attendees=[c.finance_head], title="另一个会议", starts_at=meeting.starts_at.replace(hour=15))
    stranger_row = Attendee.objects.get(meeting=other, person=c.finance_head)
    missing = officer.post(f"{BASE}{meeting.pk}/leaves/{stranger_row.pk}/decide/", {"approve": True}, format="json")
    assert missing.status_code == 404
    decided = officer.post(f"{BASE}{meeting.pk}/leaves/{leave.pk}/decide/", {"approve": True}, format="json")
    assert decided.status_code == 200, decided.content
    assert Attendee.objects.get(pk=leave.pk).leave_approved is True

    arrived = Attendee.objects.get(meeting=meeting, person=c.ndrc_head)
    assert_routed(BASE, meeting.pk, offers(officer, meeting)["register"])
    assert officer.post(f"{BASE}{meeting.pk}/register/", {"attendee": arrived.pk}, format="json").status_code == 200
    assert officer.post(f"{BASE}{meeting.pk}/register/", {"attendee": arrived.pk}, format="json").status_code == 409
    assert (
        officer.post(f"{BASE}{meeting.pk}/register/", {"attendee": stranger_row.pk}, format="json").status_code == 400
    )

    assert officer.post(f"{BASE}{meeting.pk}/venue-check/", {}, format="json").status_code == 409
    checked = officer.post(f"{BASE}{secret_meeting.pk}/venue-check/", {"note": "手机统一存放。"}, format="json")
    assert checked.status_code == 200 and checked.json()["venue_checked_at"]

    type(meeting).objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    assert_routed(BASE, meeting.pk, offers(officer, meeting)["summarize"])
    summary = officer.post(f"{BASE}{meeting.pk}/summary/", {"summary": "会议按议程完成。"}, format="json")
    assert summary.status_code == 200 and summary.json()["summary"] == "会议按议程完成。"
    drafted = officer.post(f"{BASE}{meeting.pk}/report-draft/", {}, format="json")
    assert drafted.status_code == 201, drafted.content
    assert type(meeting).objects.get(pk=meeting.pk).report_document_id == drafted.json()["document"]
    for who in (c.outsider, c.low):
        assert api_as(who).post(f"{BASE}{secret_meeting.pk}/venue-check/", {}, format="json").status_code == 404
