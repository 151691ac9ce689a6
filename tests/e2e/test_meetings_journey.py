"""A 议题 from its 申报 to the 督办 item the 纪要 opens, in a real browser over the demo office: 发改局's
局长 韩磊 申报 a 议题 for the 市政府's 常务会议 (征求意见, 意见一致) and 报送 it; the 副市长 审核 it and the
市长 定题; the 会务员 周涛 registers a 常务会议 starting now, books its room, invites the leaders, places
the 议题 on the agenda, notifies, holds it, signs the 副市长 in on his behalf, records a 议定事项 (牵头单位
发改局, a due date) and drafts the 纪要; the 纪要 goes through the 发文 pages (送核稿 by 周涛, 核稿 by the
文秘, 签发 by the 市长, 登记 and 核发 by the 文秘). Back on the meeting page the 议定事项 links its 督办
item, which the 督查员 finds on the 督办台账 with source 会议决定事项. At phone width the meeting page
does not scroll sideways; 商务局's 郑浩 (another organ, not invited) gets 404."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import (
    Attendee,
    Meeting,
    MeetingPlan,
    MeetingState,
    MeetingType,
    PlanState,
    Room,
    Topic,
    TopicState,
)
from office.org.models import Person, Unit
from tests.e2e.journey import choose, login, logout

TOPIC = "临江新能源汽车产业园建设方案"
MEETING = "临江市人民政府常务会议（研究新能源汽车产业园建设）"
DECISION = "原则同意临江新能源汽车产业园建设方案，由市发改局于一个月内报送分期实施计划。"
NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def demo(transactional_db, settings):
    settings.SHUNIU_DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def person(username: str) -> Person:
    return Person.objects.select_related("unit").get(user__username=username)


def set_date(form, name, day):
    """A date through the Chinese calendar when it is there, else the plain date box."""
    form.locator(f'input[name="{name}"]').evaluate(
        "(el, v) => { if (el._flatpickr) { el._flatpickr.setDate(v, true); } else { el.value = v; } }",
        day.isoformat(),
    )


def step(page, name):
    """One step's form on the 办理 panel, unfolded (the 会务员's many steps fold on their titles)."""
    form = page.get_by_test_id(f"action-{name}")
    if form.locator("details").get_attribute("open") is None:
        form.locator("summary").click()
    return form


def alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def slot_now():
    """The half hour the meeting starts in (it has begun: 召开 is offered), when the form's times
    (07:00–22:30) reach it; None outside them."""
    now = timezone.localtime()
    start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    if not time(7, 0) <= start.time() <= time(22, 0):
        return None
    return start


def this_months_plan(standing) -> MeetingPlan:
    """The demo's approved 常务会议 entry of this month (a meeting in the government's name is notified
    only under one)."""
    today = timezone.localdate()
    return MeetingPlan.objects.get(
        organ__code="LJ", type=standing, year=today.year, month=today.month, state=PlanState.APPROVED, unplanned=False
    )


def register_meeting(page, live_server, standing, chair):
    """登记会议 through the page, starting this half hour, under this month's 会议计划 entry. Outside the
    form's hours (the night) the meeting is registered through ``meetings.services`` instead, started
    ten minutes ago."""
    start = slot_now()
    plan = this_months_plan(standing)
    if start is None:
        begins = timezone.now() - timedelta(minutes=10)
        meeting = services.meeting_create(
            actor=person("meeting_officer").user,
            type=standing,
            title=MEETING,
            starts_at=begins,
            ends_at=begins + timedelta(hours=1),
            chair=chair,
            plan=plan,
        )
        page.goto(live_server.url + meeting.get_absolute_url())
        return meeting
    page.goto(live_server.url + "/meetings/")
    page.get_by_test_id("new-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.locator('select[name="type"]').select_option(str(standing.pk))
    form.locator('input[name="title"]').fill(MEETING)
    set_date(form, "day", start.date())
    end = min(
        datetime.combine(start.date(), start.time()) + timedelta(hours=2), datetime.combine(start.date(), time(22, 30))
    )
    form.locator('select[name="start"]').select_option(start.strftime("%H:%M"))
    form.locator('select[name="end"]').select_option(end.strftime("%H:%M"))
    choose(form, "chair", chair.pk)
    form.locator('select[name="plan"]').select_option(str(plan.pk))
    form.locator('textarea[name="notice"]').fill("研究临江新能源汽车产业园建设方案。")
    form.get_by_test_id("meeting-form-submit").click()
    alert(page, "会议已登记")
    return Meeting.objects.get(title=MEETING)


def test_a_topic_is_proposed_decided_minuted_and_its_decision_supervised(live_server, page, demo, screenshot_dir):
    city = Unit.objects.get(code="LJ")
    fgj = Unit.objects.get(code="LJ-FGJ")
    standing = MeetingType.objects.get(code="standing")
    han, vice, mayor = person("fgj_director"), person("vice_mayor"), person("director")

    # 1. 韩磊 申报 the 议题 for the 市政府's 常务会议 and 报送 it.
    login(page, live_server, "fgj_director")
    page.goto(live_server.url + "/meetings/topics/")
    page.get_by_test_id("new-topic").click()
    form = page.get_by_test_id("topic-form")
    choose(form, "organ", city.pk)
    choose(form, "meeting_type", standing.pk)
    form.locator('input[name="title"]').fill(TOPIC)
    form.locator('textarea[name="summary"]').fill(f"提请市政府常务会议审议《{TOPIC}》。")
    choose(form, "unit", fgj.pk)
    choose(form, "presenter", han.pk)
    choose(form, "reviewing_leader", vice.pk)
    form.locator('textarea[name="consultation"]').fill("已征求市财政局、市自然资源和规划局意见，均无不同意见；已会签。")
    form.locator('input[name="agreed"]').check()
    form.get_by_test_id("topic-form-submit").click()
    alert(page, "议题已拟报")
    topic_url = page.url
    expect(page.get_by_test_id("topic-state")).to_have_text("拟报")
    expect(page.get_by_test_id("coordination")).to_contain_text("有关方面意见一致")
    step(page, "submit").get_by_role("button", name="报送").click()
    alert(page, "议题已报送")
    expect(page.get_by_test_id("topic-state")).to_have_text(str(TopicState.SUBMITTED.label))
    logout(page, live_server)

    # 2. The 副市长 审核; the 市长 定题.
    login(page, live_server, "vice_mayor")
    page.goto(topic_url)
    review = step(page, "review")
    review.locator('textarea[name="opinion"]').fill("同意提交常务会议。")
    review.get_by_role("button", name="分管领导审核").click()
    alert(page, "已审核")
    logout(page, live_server)
    login(page, live_server, "director")
    page.goto(topic_url)
    approve = step(page, "approve")
    approve.locator('textarea[name="opinion"]').fill("同意上会。")
    approve.get_by_role("button", name="定题").click()
    alert(page, "已定题")
    expect(page.get_by_test_id("topic-state")).to_have_text(str(TopicState.APPROVED.label))
    logout(page, live_server)
    topic = Topic.objects.get(title=TOPIC)

    # 3. 周涛 registers the meeting, books the room, invites, places the 议题, notifies and holds it.
    login(page, live_server, "meeting_officer")
    meeting = register_meeting(page, live_server, standing, mayor)
    meeting_url = live_server.url + f"/meetings/{meeting.pk}/"
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_test_id("meeting-title")).to_have_text(MEETING)
    room = Room.objects.get(organ=city, name="市政府第一会议室")
    book = step(page, "book")
    choose(book, "room", room.pk)
    book.get_by_role("button", name="预订会场").click()
    alert(page, "会场已预订")
    invite = step(page, "invite")
    choose(invite, "people", [mayor.pk, vice.pk])
    invite.get_by_role("button", name="邀请参会人员").click()
    alert(page, "已邀请2人参会")
    place = step(page, "place_topic")
    choose(place, "topic", topic.pk)
    place.get_by_role("button", name="列入议程").click()
    alert(page, "议题已列入议程")
    expect(page.get_by_test_id("agenda-item").filter(has_text=TOPIC)).to_contain_text("韩磊")
    step(page, "notify").get_by_role("button", name="发会议通知").click()
    alert(page, "会议通知已发出")
    expect(page.get_by_test_id("meeting-state")).to_have_text(str(MeetingState.NOTIFIED.label))
    step(page, "hold").get_by_role("button", name="召开").click()
    alert(page, "已登记会议召开")
    expect(page.get_by_test_id("meeting-state")).to_have_text(str(MeetingState.HELD.label))

    # 代为签到 for the 副市长; a 议定事项 for 发改局; the 纪要.
    sign = step(page, "sign_in")
    choose(sign, "attendee", Attendee.objects.get(meeting=meeting, person=vice).pk)
    sign.get_by_role("button", name="代为签到").click()
    alert(page, "张卫东已签到")
    signed = page.get_by_test_id("attendee").filter(has_text="张卫东")
    expect(signed).to_have_attribute("data-signed", "1")
    expect(signed.get_by_test_id("checked-in")).to_contain_text("周涛")
    due = timezone.localdate() + timedelta(days=30)
    decide = step(page, "decide")
    decide.locator('textarea[name="text"]').fill(DECISION)
    choose(decide, "lead_unit", fgj.pk)
    set_date(decide, "due", due)
    choose(decide, "topic", topic.pk)
    decide.get_by_role("button", name="记录议定事项").click()
    alert(page, "议定事项已记录")
    expect(page.get_by_test_id("decision")).to_contain_text("牵头单位：临江市发展和改革局")
    step(page, "draft_minutes").get_by_role("button", name="起草会议纪要").click()
    alert(page, "会议纪要已起草")
    minutes = page.get_by_test_id("minutes")
    expect(minutes).to_contain_text(f"{MEETING}纪要")

    # 4. The 纪要 on the 发文 pages: 送核稿 (周涛), 核稿 (文秘), 签发 (市长), 登记 and 核发 (文秘).
    minutes.get_by_role("link").click()
    document_url = page.url
    expect(page.get_by_test_id("preview-body")).to_contain_text(DECISION)
    page.get_by_test_id("action-submit").get_by_role("button", name="送核稿").click()
    alert(page, "已送核稿")
    logout(page, live_server)
    login(page, live_server, "clerk")
    page.goto(document_url)
    review = page.get_by_test_id("action-review")
    review.get_by_label("意见").fill("内容、格式、文字已审核")
    review.get_by_role("button", name="核稿通过").click()
    alert(page, "核稿通过")
    logout(page, live_server)
    login(page, live_server, "director")
    page.goto(document_url)
    sign = page.get_by_test_id("action-sign")
    sign.get_by_label("意见").fill("同意印发")
    sign.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("签发日期即成文日期")
    page.get_by_test_id("confirm-ok").click()  # 签发 is irreversible: the dialog asks first
    alert(page, "已签发")
    logout(page, live_server)
    login(page, live_server, "clerk")
    page.goto(document_url)
    page.get_by_test_id("action-register").get_by_role("button", name="复核无误，登记编号").click()
    page.get_by_test_id("confirm-ok").click()
    alert(page, "已登记")
    page.get_by_test_id("action-issue").get_by_role("button", name="核发").click()
    page.get_by_test_id("confirm-ok").click()
    alert(page, "已核发")
    expect(page.get_by_test_id("state-badge").first).to_have_text("已核发")
    logout(page, live_server)

    # 5. The meeting page: 纪要已印发, the 议定事项 links its 督办 item; the 督查员 finds it.
    login(page, live_server, "meeting_officer")
    page.goto(meeting_url)
    expect(page.get_by_test_id("meeting-state")).to_have_text(str(MeetingState.MINUTED.label))
    item_link = page.get_by_test_id("decision").get_by_test_id("decision-item")
    expect(item_link).to_have_text("督办事项")
    item_path = item_link.get_attribute("href")
    logout(page, live_server)
    login(page, live_server, "supervisor")
    page.goto(live_server.url + "/supervision/")
    row = page.get_by_test_id("item-row").filter(has_text=DECISION[:20])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("会议决定事项")
    expect(row).to_contain_text("临江市发展和改革局")
    row.get_by_role("link").first.click()
    expect(page).to_have_url(live_server.url + item_path)
    expect(page.get_by_test_id("item-source")).to_contain_text("来源：会议决定事项")
    expect(page.get_by_test_id("item-source")).to_contain_text(f"{MEETING}议定事项第1项")
    page.screenshot(path=str(screenshot_dir / "e2e-meeting-item.png"), full_page=True)
    logout(page, live_server)

    # 6. At phone width the meeting page does not scroll sideways; 商务局's 郑浩 gets 404.
    login(page, live_server, "meeting_officer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(meeting_url)
    expect(page.get_by_test_id("meeting-title")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    page.screenshot(path=str(screenshot_dir / "e2e-meeting-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    logout(page, live_server)
    login(page, live_server, "staff")
    assert page.goto(meeting_url).status == 404
