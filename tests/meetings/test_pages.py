"""The 会议 pages (meetings/views.py) as the people of ``meeting_city`` see them: 周会务 (会务员, runs
the meetings), 钱主任 of 发改委 (invited), 吴科员 (办公室, no role) and 郑科员 of another city (outside)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetings.models import Attendee, Meeting, MeetingState, Topic
from meetings.services import checkin_token
from office.confidentiality.levels import Level

pytestmark = pytest.mark.django_db

LIST = "/meetings/"


def html(response) -> str:
    return response.content.decode()


def as_user(client, person):
    client.force_login(person.user)
    return client


def visible_text(text: str) -> str:
    """What a reader sees of the page's own part (``<main>``, not the shared top bar with its
    language switcher): no tags, attributes, scripts or styles."""
    text = text[text.index("<main") : text.index("</main>")]
    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


@pytest.fixture
def topic(meeting_city):
    return Topic.objects.create(
        organ=meeting_city.organ,
        meeting_type=meeting_city.type(),
        title="关于城东新区规划调整的议题",
        summary="请审议城东新区规划调整方案。",
        unit=meeting_city.ndrc,
        presenter=meeting_city.ndrc_head,
        reviewing_leader=meeting_city.vice_mayor,
        submitted_by=meeting_city.ndrc_staff,
    )


def pages(meeting: Meeting, topic: Topic) -> list[str]:
    return [
        LIST,
        f"{LIST}new/",
        f"{LIST}{meeting.pk}/",
        f"{LIST}{meeting.pk}/checkin-code/",
        f"{LIST}{meeting.pk}/invite.ics",
        f"{LIST}rooms/",
        f"{LIST}topics/",
        f"{LIST}topics/new/",
        f"{LIST}topics/{topic.pk}/",
        f"{LIST}schedule/",
        f"{LIST}schedule/public/",
        f"{LIST}schedule/new/",
    ]


def test_every_page_answers_the_meeting_officer(client, meeting_city, make_meeting, topic, today):
    """GIVEN a meeting run by 周会务 and a 议题 of 发改委 WHEN 周会务 opens every page of the app THEN each
    answers 200; the list names the meeting and offers 登记会议, the invitation is a calendar file."""
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    as_user(client, meeting_city.officer)
    for address in pages(meeting, topic):
        response = client.get(address)
        assert response.status_code == 200, address
    listed = html(client.get(LIST))
    assert meeting.title in listed and 'data-testid="new-meeting"' in listed
    assert client.get(f"{LIST}{meeting.pk}/invite.ics")["Content-Type"].startswith("text/calendar")
    shown = html(client.get(f"{LIST}{meeting.pk}/"))
    assert "钱主任" in shown and 'data-testid="action-invite"' in shown


def test_a_meeting_the_outsider_may_not_see_is_a_404_everywhere(client, meeting_city, make_meeting, topic, today):
    """GIVEN a meeting of the city WHEN 郑科员 of another city opens its pages or posts its steps THEN
    every answer is a 404, the list does not name it, and nothing changes."""
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    as_user(client, meeting_city.outsider)
    for address in (
        f"{LIST}{meeting.pk}/",
        f"{LIST}{meeting.pk}/checkin-code/",
        f"{LIST}{meeting.pk}/invite.ics",
        f"{LIST}{meeting.pk}/checkin/{checkin_token(meeting)}/",
        f"{LIST}topics/{topic.pk}/",
    ):
        assert client.get(address).status_code == 404, address
    for step in ("cancel", "notify", "invite", "reply"):
        assert client.post(f"{LIST}{meeting.pk}/{step}/", {"reason": "不开了"}).status_code == 404, step
    assert client.post(f"{LIST}{meeting.pk}/checkin/{checkin_token(meeting)}/").status_code == 404
    assert client.post(f"{LIST}topics/{topic.pk}/submit/").status_code == 404
    assert meeting.title not in html(client.get(LIST))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_a_step_not_offered_is_refused_and_stores_nothing(client, meeting_city, make_meeting, today):
    """GIVEN a meeting 筹备中 with 钱主任 invited WHEN 钱主任 tries to cancel it and 周会务 tries to hold it
    before it has been notified THEN 钱主任 gets a 403, 周会务 a 409, and the meeting is unchanged; a
    cancellation without its reason is a 400."""
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    as_user(client, meeting_city.ndrc_head)
    page = html(client.get(f"{LIST}{meeting.pk}/"))
    assert set(re.findall(r'data-testid="action-([a-z_]+)"', page)) == {"reply"}
    assert client.post(f"{LIST}{meeting.pk}/cancel/", {"reason": "不开了", "confirmed": "1"}).status_code == 403
    as_user(client, meeting_city.officer)
    assert client.post(f"{LIST}{meeting.pk}/hold/", {"confirmed": "1"}).status_code == 409
    assert client.post(f"{LIST}{meeting.pk}/cancel/", {"confirmed": "1"}).status_code == 400
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    assert not meeting.events.exists()


def test_cancelling_asks_for_confirmation_then_cancels(client, meeting_city, make_meeting, today):
    """GIVEN a meeting 筹备中 WHEN 周会务 cancels it with a reason THEN he is first asked to confirm
    (nothing changes), then the meeting is 已取消 with its reason shown."""
    meeting = make_meeting()
    as_user(client, meeting_city.officer)
    asked = client.post(f"{LIST}{meeting.pk}/cancel/", {"reason": "市长另有公务"})
    assert asked.status_code == 200 and 'name="confirmed"' in html(asked)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    done = client.post(f"{LIST}{meeting.pk}/cancel/", {"reason": "市长另有公务", "confirmed": "1"})
    assert done.status_code == 302, html(done)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert "市长另有公务" in html(client.get(f"{LIST}{meeting.pk}/"))


def test_registering_a_meeting_through_the_page(client, meeting_city, today):
    """GIVEN 周会务 WHEN he registers a 常务会议 next Tuesday 9:00–11:30 in 第一会议室 THEN it is stored
    with those times, chaired by 刘市长, and he lands on its page."""
    as_user(client, meeting_city.officer)
    day = timezone.localdate() + timedelta(days=8)
    response = client.post(
        f"{LIST}new/",
        {
            "type": "standing",
            "title": "测试市人民政府第13次常务会议",
            "day": day.isoformat(),
            "start": "09:00",
            "end": "11:30",
            "chair": meeting_city.mayor.pk,
            "room": meeting_city.room.pk,
        },
    )
    assert response.status_code == 302, html(response)
    meeting = Meeting.objects.get(title="测试市人民政府第13次常务会议")
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "09:00"
    assert timezone.localtime(meeting.ends_at).strftime("%H:%M") == "11:30"
    assert meeting.chair == meeting_city.mayor
    assert response["Location"] == f"{LIST}{meeting.pk}/"


def test_only_a_meeting_officer_may_register_a_meeting(client, meeting_city, today):
    as_user(client, meeting_city.low)
    assert client.get(f"{LIST}new/").status_code == 403
    assert 'data-testid="new-meeting"' not in html(client.get(LIST))


def test_the_checkin_code_is_for_the_officer_only(client, meeting_city, make_meeting, today):
    """GIVEN a meeting with 钱主任 invited WHEN 周会务 opens its 签到码 THEN the page holds an inline
    <svg> and reloads itself; 钱主任, who sees the meeting, is refused with a 403."""
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    as_user(client, meeting_city.officer)
    response = client.get(f"{LIST}{meeting.pk}/checkin-code/")
    assert response.status_code == 200
    text = html(response)
    assert "<svg" in text and 'http-equiv="refresh"' in text
    as_user(client, meeting_city.ndrc_head)
    assert client.get(f"{LIST}{meeting.pk}/").status_code == 200
    assert client.get(f"{LIST}{meeting.pk}/checkin-code/").status_code == 403


def test_posting_the_current_code_signs_the_attendee_in(client, meeting_city, make_meeting):
    """GIVEN a notified meeting that starts in half an hour WHEN 钱主任 opens the scanned address THEN
    he is shown a confirm button; posting it signs him in by code, and an old code is refused as
    expired with nothing stored."""
    with time_machine.travel("2026-03-02 08:30 +0800", tick=False):
        starts = timezone.now() + timedelta(minutes=30)
        meeting = make_meeting(attendees=[meeting_city.ndrc_head], starts_at=starts, state=MeetingState.NOTIFIED)
        old = checkin_token(meeting, timezone.now() - timedelta(minutes=10))
        address = f"{LIST}{meeting.pk}/checkin/{checkin_token(meeting)}/"
        as_user(client, meeting_city.ndrc_head)
        shown = client.get(address)
        assert shown.status_code == 200 and 'data-testid="checkin-submit"' in html(shown)
        expired = client.post(f"{LIST}{meeting.pk}/checkin/{old}/")
        assert expired.status_code == 400
        assert "签到码已过期" in html(expired)
        row = Attendee.objects.get(meeting=meeting, person=meeting_city.ndrc_head)
        assert row.checked_in_at is None
        done = client.post(address)
        assert done.status_code == 302, html(done)
        row.refresh_from_db()
        assert row.checked_in_at is not None and row.check_in == "qr"


def test_the_pages_speak_chinese_only(client, meeting_city, make_meeting, topic, today):
    """GIVEN the forms' pages (登记会议, a meeting's actions, 议题申报, 录入领导活动) WHEN rendered for 周会务
    THEN no English word of a widget or a date shows (the reader's text has no Latin words), and no
    browser time box (which speaks the browser's language) is used."""
    meeting = make_meeting(attendees=[meeting_city.ndrc_head])
    as_user(client, meeting_city.officer)
    for address in (
        f"{LIST}new/",
        f"{LIST}{meeting.pk}/",
        f"{LIST}topics/new/",
        f"{LIST}schedule/",
        f"{LIST}schedule/new/",
        f"{LIST}rooms/",
    ):
        text = html(client.get(address))
        assert 'type="time"' not in text and 'type="datetime-local"' not in text, address
        words = set(re.findall(r"[A-Za-z]{3,}", visible_text(text)))
        assert words == set(), (address, words)


def test_the_lists_turn_into_cards_on_a_phone(client, meeting_city, make_meeting, topic, today):
    """GIVEN a meeting and a 议题 WHEN the lists are opened THEN their tables are marked to become cards
    below the md breakpoint, their filters fold behind a button, and a meeting's page puts its
    actions first when the columns stack."""
    meeting = make_meeting()
    as_user(client, meeting_city.officer)
    listed = html(client.get(LIST))
    assert re.search(r'<table class="table table-cards[^"]*"[^>]*data-testid="meetings"', listed)
    assert re.search(r'<form method="get" id="meeting-filters" class="collapse filter-panel', listed)
    assert 'data-bs-target="#meeting-filters"' in listed
    topics = html(client.get(f"{LIST}topics/"))
    assert re.search(r'<table class="table table-cards[^"]*"[^>]*data-testid="topics"', topics)
    assert 'class="col-xl-4 order-first order-xl-last' in html(client.get(f"{LIST}{meeting.pk}/"))


def test_the_list_filters_by_state_and_month(client, meeting_city, make_meeting, today):
    """GIVEN a meeting next Monday 筹备中 and a cancelled one in April WHEN 周会务 filters THEN each filter
    keeps only the matching meeting."""
    soon = make_meeting(title="三月的常务会议")
    april = timezone.make_aware(timezone.datetime(2026, 4, 6, 9))
    later = make_meeting(title="四月的专题会议", starts_at=april, state=MeetingState.CANCELLED)
    as_user(client, meeting_city.officer)

    def titles(query) -> set[str]:
        text = html(client.get(LIST, query))
        rows = "".join(re.findall(r'<table class="table table-cards table-hover.*?</table>', text, re.S))
        return {m.title for m in (soon, later) if m.title in rows}

    assert titles({}) == {soon.title, later.title}
    assert titles({"state": "cancelled"}) == {later.title}
    assert titles({"month": "2026-03"}) == {soon.title}


def test_a_topic_is_proposed_and_submitted_through_its_page(client, meeting_city, today):
    """GIVEN 发改委's 孙科员 WHEN he proposes a 议题 with the units' agreement and submits it THEN it is
    stored as 拟报, then 待分管领导审核; 李市长 is then offered its review."""
    as_user(client, meeting_city.ndrc_staff)
    response = client.post(
        f"{LIST}topics/new/",
        {
            "organ": meeting_city.organ.pk,
            "meeting_type": "standing",
            "title": "关于设立产业引导基金的议题",
            "summary": "请审议设立产业引导基金。",
            "unit": meeting_city.ndrc.pk,
            "presenter": meeting_city.ndrc_head.pk,
            "reviewing_leader": meeting_city.vice_mayor.pk,
            "consultation": "已征求财政局意见，财政局同意。",
            "agreed": "on",
            "minutes": 20,
        },
    )
    assert response.status_code == 302, html(response)
    proposed = Topic.objects.get(title="关于设立产业引导基金的议题")
    assert proposed.state == "draft"
    submitted = client.post(f"{LIST}topics/{proposed.pk}/submit/")
    assert submitted.status_code == 302, html(submitted)
    proposed.refresh_from_db()
    assert proposed.state == "submitted"
    as_user(client, meeting_city.vice_mayor)
    assert 'data-testid="action-review"' in html(client.get(f"{LIST}topics/{proposed.pk}/"))


def test_the_officer_runs_a_meeting_through_its_page(client, meeting_city, make_meeting, today):
    """GIVEN a meeting next Monday with no room WHEN 周会务 books 第一会议室, invites 钱主任 and 周局长 and
    sends the notice, 钱主任 asks leave, and on the day 周会务 holds it, signs 周局长 in and records a
    议定事项 THEN the rooms' week shows the booking, the page shows the 回执, the 签到 and the figures
    (应到2人，实到1人，请假1人) and the decision with its 牵头单位."""
    meeting = make_meeting(room=None)
    page = f"{LIST}{meeting.pk}/"
    as_user(client, meeting_city.officer)
    assert client.post(f"{page}book/", {"room": meeting_city.room.pk}).status_code == 302
    monday = timezone.localtime(meeting.starts_at).date()
    rooms = html(client.get(f"{LIST}rooms/", {"week": monday.isoformat()}))
    assert meeting.title in rooms and 'data-testid="booking"' in rooms
    people = [meeting_city.ndrc_head.pk, meeting_city.finance_head.pk]
    assert client.post(f"{page}invite/", {"people": people, "role": "attend"}).status_code == 302
    assert client.post(f"{page}notify/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTIFIED

    as_user(client, meeting_city.ndrc_head)
    answered = client.post(f"{page}reply/", {"reply": "leave", "reason": "赴省里开会"})
    assert answered.status_code == 302, html(answered)

    today.move_to(meeting.starts_at + timedelta(minutes=5))
    as_user(client, meeting_city.officer)
    assert client.post(f"{page}hold/").status_code == 302
    finance = Attendee.objects.get(meeting=meeting, person=meeting_city.finance_head)
    assert client.post(f"{page}sign_in/", {"attendee": finance.pk}).status_code == 302
    decided = client.post(
        f"{page}decide/",
        {"text": "由发改委牵头制定产业引导基金管理办法。", "lead_unit": meeting_city.ndrc.pk, "due": "2026-04-30"},
    )
    assert decided.status_code == 302, html(decided)
    text = html(client.get(page))
    assert "赴省里开会" in text and "会务员代签" in text
    assert "应到2人，实到1人，请假1人" in text
    assert "由发改委牵头制定产业引导基金管理办法。" in text and "2026年4月30日" in text
    assert 'data-testid="action-draft_minutes"' in text


def test_the_office_enters_a_leaders_activity_and_publishes_the_week(client, meeting_city, today):
    """GIVEN 周会务 WHEN he enters 李市长's 调研 next Wednesday (public) and a 接待 (not public) THEN the
    office's week shows both under 李市长, the published week only the 调研; 吴科员 (no role) is not
    offered the entry form."""
    as_user(client, meeting_city.officer)
    wednesday = timezone.localdate() + timedelta(days=9)
    for title, public in (("赴城东新区调研", "on"), ("接待省调研组", "")):
        entered = client.post(
            f"{LIST}schedule/new/",
            {
                "leader": meeting_city.vice_mayor.pk,
                "kind": "research" if public else "reception",
                "title": title,
                "day": wednesday.isoformat(),
                "start": "09:00" if public else "14:00",
                "end": "11:00" if public else "16:00",
                "public": public,
            },
        )
        assert entered.status_code == 302, html(entered)
    week = html(client.get(f"{LIST}schedule/", {"monday": wednesday.isoformat()}))
    assert "赴城东新区调研" in week and "接待省调研组" in week and "李市长" in week
    assert 'class="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3 d-print-none"' in week
    published = html(client.get(f"{LIST}schedule/public/", {"monday": wednesday.isoformat()}))
    assert "赴城东新区调研" in published and "接待省调研组" not in published
    as_user(client, meeting_city.low)
    assert client.get(f"{LIST}schedule/new/").status_code == 403
    assert 'data-testid="new-entry"' not in html(client.get(f"{LIST}schedule/"))


def test_an_approved_topic_is_placed_on_the_agenda_from_the_meeting_page(
    client, meeting_city, make_meeting, topic, today
):
    """GIVEN a 议题 of 发改委 已定题 for the 常务会议 WHEN 周会务 places it on next Monday's meeting THEN
    the meeting's agenda lists it with its 汇报人 and 时长, and the 议题's page links the meeting."""
    Topic.objects.filter(pk=topic.pk).update(state="approved", consultation="已会签。", agreed=True)
    meeting = make_meeting()
    as_user(client, meeting_city.officer)
    placed = client.post(f"{LIST}{meeting.pk}/place_topic/", {"topic": topic.pk, "order": 1})
    assert placed.status_code == 302, html(placed)
    agenda = html(client.get(f"{LIST}{meeting.pk}/"))
    assert re.search(r'data-testid="agenda-item">.*?关于城东新区规划调整的议题.*?钱主任.*?15分钟', agenda, re.S)
    assert meeting.get_absolute_url() in html(client.get(f"{LIST}topics/{topic.pk}/"))


def test_a_classified_meeting_page_carries_the_mark_and_the_watermark(client, meeting_city, make_meeting, today):
    """GIVEN a 机密 meeting with a notice WHEN 周会务 (机密) opens it THEN its 密级 mark shows and the
    notice is drawn under his watermark; the page is never cached."""
    meeting = make_meeting(classification=Level.SECRET, notice="请准时参会。")
    as_user(client, meeting_city.officer)
    response = client.get(f"{LIST}{meeting.pk}/")
    text = html(response)
    assert 'data-testid="level-mark"' in text and "机密" in text
    assert 'data-testid="watermark"' in text and "周会务" in text
    assert "no-store" in response["Cache-Control"]
