"""The 会议计划 pages, the 精文减会 figures page and the rooms' day and per-room views, as the people of
``meeting_city`` see them: 周会务 drafts and reports, the 市长 approves; a 机密 entry is a 404 to 郑科员
(another city), 吴科员 (内部, of the organ) and 何会务 (会务员, 内部) on its page and every step, and absent
from their lists and counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingPlan, PlanState, RoomBooking
from office.confidentiality.levels import Level
from tests.meetings.conftest import approved_plan, next_monday
from tests.meetings.test_pages import as_user, html, visible_text

pytestmark = pytest.mark.django_db

PLANS = "/meetings/plans/"
SECRET = "机密专题研究会议计划"


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def entry(mc, **fields) -> MeetingPlan:
    values = {
        "year": 2026,
        "month": 4,
        "type": mc.type(),
        "title": "市政府常务会议（4月）",
        "organizing_unit": mc.services_unit,
        "reason": "研究一季度经济运行情况。",
    }
    values.update(fields)
    return services.plan_create(actor=mc.officer.user, **values)


@pytest.fixture
def secret(meeting_city) -> MeetingPlan:
    """A 机密 entry 报批 by 周会务 (the 市长 may read it)."""
    plan = entry(meeting_city, title=SECRET, level=Level.SECRET, basis="涉及重大项目布局")
    return services.plan_submit(actor=meeting_city.officer.user, plan=plan)


def test_the_officer_drafts_an_entry_and_the_mayor_approves_it_on_the_pages(client, meeting_city):
    """GIVEN 周会务 WHEN he fills 拟订会议计划 THEN the entry's page shows it 拟订 with 报批 offered; WHEN he
    报批 THEN the 市长 finds it on the plan with 批准 and 退回 offered, approves it, and the list shows it
    已批准 with his name."""
    mc = meeting_city
    as_user(client, mc.officer)
    assert client.get(f"{PLANS}new/").status_code == 200
    form = {
        "year": "2026",
        "month": "4",
        "type": "standing",
        "title": "市政府常务会议（4月）",
        "organizing_unit": mc.services_unit.pk,
        "reason": "研究一季度经济运行情况。",
        "days": "1",
        "budget": "2000",
    }
    created = client.post(f"{PLANS}new/", form)
    plan = MeetingPlan.objects.get()
    assert created.status_code == 302 and created["Location"] == f"{PLANS}{plan.pk}/"
    page = html(client.get(f"{PLANS}{plan.pk}/"))
    assert 'data-testid="action-submit"' in page and 'data-testid="action-approve"' not in page
    assert client.post(f"{PLANS}{plan.pk}/submit/").status_code == 302
    as_user(client, mc.mayor)
    page = html(client.get(f"{PLANS}{plan.pk}/"))
    assert 'data-testid="action-approve"' in page and 'data-testid="action-return"' in page
    assert client.post(f"{PLANS}{plan.pk}/approve/", {"opinion": "同意。"}).status_code == 302
    listed = html(client.get(PLANS, {"year": "2026", "month": "4"}))
    assert "市政府常务会议（4月）" in listed and "刘市长" in listed and "已批准" in listed
    assert MeetingPlan.objects.get().state == PlanState.APPROVED


def test_bad_input_and_a_step_not_offered_store_nothing(client, meeting_city):
    """GIVEN 周会务 WHEN 拟订 has no reason THEN the form answers 400 with the field error; WHEN 吴科员 (who
    may read the 内部 entry) posts 批准 THEN 403; WHEN 周会务 posts 批准 THEN 403; 退回 by the 市长 without a
    reason is a 400; nothing changes."""
    mc = meeting_city
    as_user(client, mc.officer)
    refused = client.post(f"{PLANS}new/", {"year": "2026", "type": "standing", "title": "x", "days": "1"})
    assert refused.status_code == 400 and "召开必要性" in html(refused)
    assert client.get(f"{PLANS}new/").status_code == 200
    plan = services.plan_submit(actor=mc.officer.user, plan=entry(mc))
    assert client.post(f"{PLANS}{plan.pk}/approve/").status_code == 403
    as_user(client, mc.low)
    assert client.get(f"{PLANS}{plan.pk}/").status_code == 200
    assert client.get(f"{PLANS}new/").status_code == 403
    assert client.post(f"{PLANS}{plan.pk}/approve/").status_code == 403
    as_user(client, mc.mayor)
    assert client.post(f"{PLANS}{plan.pk}/return/", {"opinion": ""}).status_code == 400
    assert MeetingPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "low", "officer_low"])
def test_a_classified_entry_is_a_404_and_counts_for_nothing(client, meeting_city, secret, who):
    """GIVEN the 机密 entry WHEN 郑科员, 吴科员 or 何会务 open it or take any step THEN 404; the plan list and
    the figures page neither name nor count it."""
    as_user(client, getattr(meeting_city, who))
    assert client.get(f"{PLANS}{secret.pk}/").status_code == 404
    for step in ("edit", "submit", "list", "approve", "return", "drop"):
        assert client.post(f"{PLANS}{secret.pk}/{step}/", {"opinion": "x", "reason": "x"}).status_code == 404
    listed = html(client.get(PLANS, {"year": "2026"}))
    assert SECRET not in listed and 'data-testid="plan-row"' not in listed
    figures = html(client.get(f"{PLANS}figures/", {"year": "2026"}))
    assert SECRET not in figures
    assert re.search(r"待审批</dt><dd[^>]*>0<", figures)
    assert MeetingPlan.objects.get(pk=secret.pk).state == PlanState.SUBMITTED


def test_the_mayor_and_the_officer_see_the_classified_entry(client, meeting_city, secret):
    """GIVEN the 机密 entry WHEN 周会务 and the 市长 read the plan THEN both find it (the matrix above is
    not empty by accident), and the figures count it as waiting."""
    for person in (meeting_city.officer, meeting_city.mayor):
        as_user(client, person)
        assert client.get(f"{PLANS}{secret.pk}/").status_code == 200
        assert SECRET in html(client.get(PLANS, {"year": "2026"}))
        assert re.search(r"待审批</dt><dd[^>]*>1<", html(client.get(f"{PLANS}figures/", {"year": "2026"})))


def test_a_meeting_without_an_entry_is_reported_from_the_plan_page(client, meeting_city):
    """GIVEN a 常务会议 registered without an entry WHEN 周会务 opens the plan THEN it is listed for 计划外报批;
    an empty reason is a 400 storing nothing; with a reason he is back on the meeting, its 计划外 entry
    报批; 郑科员 posting it gets 404."""
    mc = meeting_city
    starts = next_monday()
    meeting = services.meeting_create(
        actor=mc.officer.user,
        type=mc.type(),
        title="计划外常务会议",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        chair=mc.mayor,
    )
    address = f"{PLANS}unplanned/{meeting.pk}/"
    as_user(client, mc.outsider)
    assert client.post(address, {"reason": "临时部署"}).status_code == 404
    as_user(client, mc.officer)
    page = html(client.get(PLANS))
    assert 'data-testid="unplanned-meeting"' in page and "计划外常务会议" in page
    refused = client.post(address, {"reason": " "})
    assert refused.status_code == 400 and not MeetingPlan.objects.exists()
    done = client.post(address, {"reason": "上级临时部署。"})
    assert done.status_code == 302 and done["Location"] == meeting.get_absolute_url()
    plan = Meeting.objects.get(pk=meeting.pk).plan
    assert (plan.unplanned, plan.state) == (True, PlanState.SUBMITTED)
    assert 'data-testid="unplanned-meeting"' not in html(client.get(PLANS))
    assert "计划外" in html(client.get(PLANS, {"year": "2026"}))


def test_the_registration_form_puts_the_meeting_under_an_approved_entry(client, meeting_city):
    """GIVEN an approved 常务会议 entry of next Monday's month and a 机密 one WHEN 周会务 registers a meeting
    choosing it THEN the meeting is under it; the form offers only approved entries he may see."""
    mc = meeting_city
    starts = next_monday()
    plan = approved_plan(mc, mc.type(), starts)
    waiting = services.plan_submit(actor=mc.officer.user, plan=entry(mc, title="待批的计划"))
    as_user(client, mc.officer)
    form = html(client.get("/meetings/new/"))
    assert f'value="{plan.pk}"' in form and f'value="{waiting.pk}"' not in form
    posted = client.post(
        "/meetings/new/",
        {
            "type": "standing",
            "title": "测试市人民政府常务会议",
            "day": starts.date().isoformat(),
            "start": "09:00",
            "end": "12:00",
            "chair": mc.mayor.pk,
            "plan": plan.pk,
        },
    )
    assert posted.status_code == 302, html(posted)
    assert Meeting.objects.get(title="测试市人民政府常务会议").plan == plan


def test_the_figures_page_counts_what_the_reader_sees(client, meeting_city, make_meeting):
    """GIVEN a 常务会议 held this year with its 会议费 and its approved entry WHEN 周会务 opens the figures
    THEN it shows one meeting held, its cost, the entry executed (100.0%); 郑科员 sees zero and “—”."""
    mc = meeting_city
    plan = approved_plan(mc, mc.type(), next_monday() - timedelta(days=14))
    plan.budget = 2000
    plan.save(update_fields=["budget"])
    make_meeting(plan=plan, starts_at=next_monday() - timedelta(days=14), state="held", cost="1500.00")
    as_user(client, mc.officer)
    page = html(client.get(f"{PLANS}figures/"))
    assert re.search(r'data-testid="figure-held">1<', page)
    assert "1500.00" in page and "100.0%" in page and "2000.00" in page
    as_user(client, mc.outsider)
    page = html(client.get(f"{PLANS}figures/"))
    assert re.search(r'data-testid="figure-held">0<', page) and "1500.00" not in page


def test_the_plan_pages_speak_chinese_only(client, meeting_city, secret):
    """GIVEN the plan pages WHEN rendered for 周会务 THEN the reader's text has no Latin word."""
    as_user(client, meeting_city.officer)
    for address in (PLANS, f"{PLANS}new/", f"{PLANS}{secret.pk}/", f"{PLANS}figures/"):
        response = client.get(address)
        assert response.status_code == 200, address
        words = set(re.findall(r"[A-Za-z]{3,}", visible_text(html(response))))
        assert words == set(), (address, words)


# --- The rooms' day and per-room views -------------------------------------------------------------------


@pytest.fixture
def booked(meeting_city, make_meeting):
    """Next Monday: a meeting in 第一会议室 (booked) and a 机密 one of 发改委's in the 保密会议室."""
    mc = meeting_city
    mine = make_meeting(title="第一会议室的会")
    other = make_meeting(
        title="机密会议",
        room=mc.secure_room,
        classification=Level.SECRET,
        chair=mc.vice_mayor,
        organizer=mc.ndrc_head,
        created_by=mc.ndrc_head,
        organizing_unit=mc.ndrc,
    )
    for meeting in (mine, other):
        RoomBooking.objects.create(
            room=meeting.room,
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            state="confirmed",
            requested_by=mc.officer,
        )
    return mine, other


def test_the_day_view_lists_each_rooms_bookings(client, meeting_city, booked):
    """GIVEN next Monday's bookings WHEN 吴科员 opens that day THEN 第一会议室 shows its meeting linked, the
    保密会议室 shows "已预订" without the 机密 title, the 视频会议室 is free all day; the day before shows
    no booking."""
    mine, _ = booked
    as_user(client, meeting_city.low)
    day = timezone.localdate(mine.starts_at)
    page = html(client.get("/meetings/rooms/", {"day": day.isoformat()}))
    assert 'data-view="day"' in page and page.count('data-testid="booking"') == 2
    assert f'href="/meetings/{mine.pk}/"' in page and "已预订" in page and "机密会议" not in page
    assert page.count('data-testid="room-free"') == 1
    before = html(client.get("/meetings/rooms/", {"day": (day - timedelta(days=1)).isoformat()}))
    assert 'data-testid="booking"' not in before


def test_one_rooms_month_and_week(client, meeting_city, booked):
    """GIVEN the bookings WHEN 周会务 opens 第一会议室's month and its week THEN each shows its meeting only
    (not the 保密会议室's); another organ's room and a junk room are a 404; the capacity reads 40人."""
    mc = meeting_city
    mine, _ = booked
    as_user(client, mc.officer)
    day = timezone.localdate(mine.starts_at)
    month = html(client.get("/meetings/rooms/", {"room": mc.room.pk, "month": f"{day.year}-{day.month:02d}"}))
    assert 'data-view="room_month"' in month and month.count('data-testid="booking"') == 1
    assert "第一会议室的会" in month and "40人" in month
    week = html(client.get("/meetings/rooms/", {"room": mc.room.pk, "week": day.isoformat()}))
    assert 'data-view="room_week"' in week and week.count('data-testid="booking"') == 1
    assert client.get("/meetings/rooms/", {"room": "999999"}).status_code == 404
    as_user(client, mc.outsider)
    assert client.get("/meetings/rooms/", {"room": mc.room.pk}).status_code == 404


def test_the_capacity_reads_in_the_readers_language(client, meeting_city):
    """GIVEN the 保密会议室 (20 seats) WHEN the rooms' week is read in Chinese THEN “20人”; in English THEN
    “20 people”, never “20 person”; the day and room views read the same."""
    mc = meeting_city
    as_user(client, mc.officer)
    for query in ({}, {"day": "2026-03-02"}, {"room": mc.secure_room.pk}):
        page = html(client.get("/meetings/rooms/", query))
        assert "20人" in page and "20 person" not in page, query
        words = set(re.findall(r"[A-Za-z]{3,}", visible_text(page)))
        assert words == set(), (query, words)
    client.cookies["django_language"] = "en"
    page = html(client.get("/meetings/rooms/"))
    assert "20 people" in page and "20 person<" not in page and "20 person " not in page
