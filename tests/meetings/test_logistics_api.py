"""参会 logistics through the API: ``meetings/attendees/`` (the list of one meeting, ``leave-decide``,
``arrange``, ``register``, ``seating/`` and ``badges/``) and ``meetings/groups/`` (list, create,
delete). Bad input is a Chinese 400 that stores nothing, somebody else's step a 403, a step the state
does not allow a 409; a 机密 meeting's people and groups are a 404 to 郑科员 (another city) and to
吴科员 (内部), whatever they send, and absent from every list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Attendee, AttendeeRole, DiscussionGroup, MeetingState, Reply
from office.confidentiality.levels import Level

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/meetings/attendees/"
GROUPS = "/api/v1/meetings/groups/"


def row(meeting, person) -> Attendee:
    return Attendee.objects.get(meeting=meeting, person=person)


@pytest.fixture
def meeting(meeting_city, make_meeting, today):
    """已通知, a day and a half from next week, 钱主任 asking leave, 周局长 and 李市长 出席, 孙科员 列席."""
    mc = meeting_city
    starts = timezone.now() + timedelta(days=7)
    meeting = make_meeting(
        starts_at=starts,
        ends_at=starts + timedelta(days=1),
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head, mc.finance_head, mc.vice_mayor],
    )
    Attendee.objects.create(meeting=meeting, person=mc.ndrc_staff, role=AttendeeRole.SIT_IN)
    Attendee.objects.filter(meeting=meeting, person=mc.ndrc_head).update(reply=Reply.LEAVE, reason="出差")
    Attendee.objects.filter(meeting=meeting, person=mc.vice_mayor).update(precedence=1)
    return meeting


def test_the_list_of_one_meeting_and_the_query_is_required(meeting_city, meeting, api_as, today):
    mc = meeting_city
    api = api_as(mc.officer)
    answer = api.get(PEOPLE, {"meeting": meeting.pk})
    assert answer.status_code == 200
    names = [r["person_name"] for r in answer.json()]
    assert names[0] == "李市长" and set(names) == {"李市长", "钱主任", "周局长", "孙科员"}
    leave = next(r for r in answer.json() if r["person_name"] == "钱主任")
    assert leave["reply"] == "leave" and leave["leave_approved"] is None and leave["precedence"] == 100
    assert api.get(PEOPLE).status_code == 400
    assert api.get(PEOPLE, {"meeting": meeting.pk, "junk": 1}).status_code == 400
    assert api.get(PEOPLE, {"meeting": 999999}).status_code == 404


def test_leave_decide_approves_refuses_and_refuses_twice(meeting_city, meeting, api_as, today):
    mc = meeting_city
    leave = row(meeting, mc.ndrc_head)
    address = f"{PEOPLE}{leave.pk}/leave-decide/"
    answer = api_as(mc.finance_head).post(address, {"approve": True}, format="json")
    assert answer.status_code == 403 and "请假由会议主持人或会务员审批" in answer.json()["detail"]
    answer = api_as(mc.officer).post(address, {"approve": False}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"]["note"] == ["请写明不同意请假的理由。"]
    assert api_as(mc.officer).post(address, {"approve": "maybe"}, format="json").status_code == 400
    assert row(meeting, mc.ndrc_head).leave_approved is None
    answer = api_as(mc.officer).post(address, {"approve": False, "note": "须到会汇报"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["reply"] == "pending" and answer.json()["leave_approved"] is False
    assert answer.json()["leave_decided_by_name"] == "周会务"
    answer = api_as(mc.mayor).post(address, {"approve": True}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "transition_not_allowed"


def test_arrange_changes_only_what_is_sent(meeting_city, meeting, api_as, today):
    mc = meeting_city
    group = DiscussionGroup.objects.create(meeting=meeting, name="第一组")
    attendee = row(meeting, mc.finance_head)
    address = f"{PEOPLE}{attendee.pk}/arrange/"
    api = api_as(mc.officer)
    day = timezone.localdate(meeting.starts_at)
    answer = api.post(address, {"precedence": 2, "group": group.pk, "arrives_on": str(day)}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["precedence"], body["group"], body["group_name"], body["arrives_on"]) == (
        2,
        group.pk,
        "第一组",
        str(day),
    )
    answer = api.post(address, {"lodging": "市政府招待所", "group": None}, format="json")
    assert answer.json()["group"] is None and answer.json()["lodging"] == "市政府招待所"
    assert answer.json()["precedence"] == 2
    too_early = str(day - timedelta(days=4))
    answer = api.post(address, {"arrives_on": too_early}, format="json")
    assert answer.status_code == 400 and "arrives_on" in answer.json()["errors"]
    assert api.post(address, {"precedence": "第一"}, format="json").status_code == 400
    assert api.post(address, {"sofa": 1}, format="json").status_code == 400
    answer = api_as(mc.finance_head).post(address, {"precedence": 1}, format="json")
    assert answer.status_code == 403
    assert row(meeting, mc.finance_head).precedence == 2


def test_arrange_refuses_a_group_of_another_meeting(meeting_city, meeting, make_meeting, api_as, today):
    mc = meeting_city
    other = make_meeting(title="另一会议", starts_at=meeting.starts_at + timedelta(days=20))
    elsewhere = DiscussionGroup.objects.create(meeting=other, name="外组")
    attendee = row(meeting, mc.finance_head)
    answer = api_as(mc.officer).post(f"{PEOPLE}{attendee.pk}/arrange/", {"group": elsewhere.pk}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"]["group"] == ["请选择本次会议的讨论组。"]
    assert row(meeting, mc.finance_head).group is None


def test_register_once_then_a_409(meeting_city, meeting, api_as, today):
    mc = meeting_city
    attendee = row(meeting, mc.finance_head)
    address = f"{PEOPLE}{attendee.pk}/register/"
    answer = api_as(mc.officer).post(address, {}, format="json")
    assert answer.status_code == 200 and answer.json()["registered_at"] is not None
    answer = api_as(mc.officer).post(address, {}, format="json")
    assert answer.status_code == 409 and "周局长已于" in answer.json()["detail"]
    assert api_as(mc.finance_head).post(f"{PEOPLE}{row(meeting, mc.ndrc_staff).pk}/register/").status_code == 403


def test_seating_and_badges_for_the_officer_and_the_chair(meeting_city, meeting, api_as, today):
    mc = meeting_city
    chart = api_as(mc.officer).get(f"{PEOPLE}seating/", {"meeting": meeting.pk})
    assert chart.status_code == 200
    body = chart.json()
    # 李市长 (1), then 钱主任 and 周局长 at 100 (their units' order, then the list's): from the hall 3 1 2.
    assert [seat["rank"] for seat in body["podium"]] == [3, 1, 2]
    assert body["podium"][1]["name"] == "李市长" and body["podium"][1]["seat"] == "主席台左起第2座"
    assert [[s["name"] for s in r] for r in body["rows"]] == [["孙科员"]]
    assert (body["attending"], body["sitting_in"]) == (3, 1)
    badges = api_as(mc.mayor).get(f"{PEOPLE}badges/", {"meeting": meeting.pk})
    assert badges.status_code == 200
    assert [b["number"] for b in badges.json()] == ["001", "002", "003", "004"]
    assert badges.json()[0]["name"] == "李市长" and badges.json()[3]["role"] == "sit_in"
    for address in ("seating/", "badges/"):
        answer = api_as(mc.finance_head).get(f"{PEOPLE}{address}", {"meeting": meeting.pk})
        assert answer.status_code == 403 and "会务员和主持人" in answer.json()["detail"]
        assert api_as(mc.officer).get(f"{PEOPLE}{address}").status_code == 400


def test_groups_are_listed_created_and_deleted(meeting_city, meeting, api_as, today):
    mc = meeting_city
    api = api_as(mc.officer)
    answer = api.post(
        GROUPS,
        {"meeting": meeting.pk, "name": "第一组", "convener": mc.finance_head.pk, "place": "301室"},
        format="json",
    )
    assert answer.status_code == 201
    created = answer.json()
    assert (created["name"], created["convener_name"], created["order"], created["members"]) == (
        "第一组",
        "周局长",
        1,
        [],
    )
    answer = api.post(GROUPS, {"meeting": meeting.pk, "name": "第一组"}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"]["name"] == ["本次会议已有“第一组”。"]
    Attendee.objects.filter(meeting=meeting, person=mc.finance_head).update(group_id=created["id"])
    listed = api.get(GROUPS, {"meeting": meeting.pk}).json()
    assert [g["name"] for g in listed] == ["第一组"] and listed[0]["members"] == [row(meeting, mc.finance_head).pk]
    assert api_as(mc.finance_head).delete(f"{GROUPS}{created['id']}/").status_code == 403
    assert api_as(mc.officer).delete(f"{GROUPS}{created['id']}/").status_code == 204
    assert not DiscussionGroup.objects.filter(pk=created["id"]).exists()
    assert row(meeting, mc.finance_head).group is None


# --- the leak matrix --------------------------------------------------------------------------------


@pytest.fixture
def secret(meeting_city, make_meeting, today):
    """A 机密 meeting in the 保密会议室 with 钱主任 (请假 waiting) and a 讨论组."""
    mc = meeting_city
    meeting = make_meeting(
        title="机密专题研究会议",
        classification=Level.SECRET,
        room=mc.secure_room,
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head],
    )
    Attendee.objects.filter(meeting=meeting).update(reply=Reply.LEAVE, reason="出差")
    DiscussionGroup.objects.create(meeting=meeting, name="机密组")
    return meeting


@pytest.mark.parametrize("who", ["outsider", "low"])
def test_a_secret_meetings_people_and_groups_are_404_to_those_outside(meeting_city, secret, api_as, who, today):
    mc = meeting_city
    person = getattr(mc, who)
    api = api_as(person)
    attendee = row(secret, mc.ndrc_head)
    group = secret.groups.get()
    for address in (PEOPLE, f"{PEOPLE}seating/", f"{PEOPLE}badges/", GROUPS):
        answer = api.get(address, {"meeting": secret.pk})
        assert answer.status_code == 404, address
        assert "机密专题研究会议" not in answer.content.decode() and "钱主任" not in answer.content.decode()
    bodies = {
        "leave-decide": {"approve": True},
        "arrange": {"precedence": 1},
        "register": {},
    }
    for step, body in bodies.items():
        assert api.post(f"{PEOPLE}{attendee.pk}/{step}/", body, format="json").status_code == 404, step
        assert api.post(f"{PEOPLE}{attendee.pk}/{step}/", {"junk": 1}, format="json").status_code == 404, step
    assert api.delete(f"{GROUPS}{group.pk}/").status_code == 404
    assert api.post(GROUPS, {"meeting": secret.pk, "name": "外来组"}, format="json").status_code == 404
    attendee.refresh_from_db()
    assert attendee.leave_approved is None and attendee.precedence == 100 and attendee.registered_at is None
    assert list(secret.groups.values_list("name", flat=True)) == ["机密组"]
    # The people of the meeting see it.
    assert api_as(mc.officer).get(PEOPLE, {"meeting": secret.pk}).status_code == 200
