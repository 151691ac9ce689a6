"""The 会务筹备 section of a meeting's page (meetings/views/preparation.py) as 周会务 (会务员), 何会务 (a
task's 责任人), 钱主任 (invited) and the people outside (吴科员, 郑科员) see it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import MeetingState, PrepTask, TaskKind
from meetings.services import checkin_token
from office.confidentiality.levels import Level
from tests.meetings.test_pages import as_user, html, visible_text

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
NO_PHONES = "涉密会议：请勿携带手机等电子设备进入会场"


@pytest.fixture
def meeting(meeting_city, make_meeting, today):
    """A 内部 meeting on Wednesday 4 March with a 方案, two tasks (one due tomorrow) and a 分会场."""
    mc = meeting_city
    meeting = make_meeting(starts_at=datetime(2026, 3, 4, 9, tzinfo=BEIJING), attendees=[mc.ndrc_head])
    services.meeting_prepare(actor=mc.officer.user, meeting=meeting, scheme="会议议程三项", security="门岗登记")
    services.task_add(
        actor=mc.officer.user,
        meeting=meeting,
        kind=TaskKind.LAYOUT,
        title="布置会场",
        unit=mc.office,
        owner=mc.low,
        due=date(2026, 3, 3),
    )
    services.task_add(
        actor=mc.officer.user,
        meeting=meeting,
        kind=TaskKind.SOUND,
        title="调试音响",
        unit=mc.services_unit,
        owner=mc.officer,
        due=date(2026, 3, 4),
    )
    services.venue_add(actor=mc.officer.user, meeting=meeting, name="发改委分会场", unit=mc.ndrc)
    return meeting


def page(client, person, meeting):
    return as_user(client, person).get(f"/meetings/{meeting.pk}/")


def test_the_officer_sees_the_section_with_its_forms(client, meeting_city, meeting):
    mc = meeting_city
    response = page(client, mc.officer, meeting)
    text = html(response)
    assert response.status_code == 200
    for testid in ("preparation", "prep-tasks", "prep-venues", "task-add", "venue-add", "action-prepare"):
        assert f'data-testid="{testid}"' in text, testid
    shown = visible_text(text)
    assert "会议议程三项" in shown and "门岗登记" in shown and "发改委分会场" in shown
    assert "2026年3月3日" in shown and "即将到期" in shown and "未调试" in shown
    assert "action-test_venue" in text and 'data-testid="no-phones"' not in text  # 内部: no notice


def test_the_owner_completes_his_task_from_the_page(client, meeting_city, meeting):
    mc = meeting_city
    task = PrepTask.objects.get(title="布置会场")
    text = html(page(client, mc.low, meeting))  # 吴科员: no role, the task is his
    assert f"/tasks/{task.pk}/done/" in text and 'data-testid="task-add"' not in text
    other = PrepTask.objects.get(title="调试音响")
    assert f"/tasks/{other.pk}/done/" not in text  # not his
    assert client.post(f"/meetings/{meeting.pk}/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_by == mc.low
    assert "已完成" in visible_text(html(page(client, mc.low, meeting)))
    assert client.get(f"/meetings/{meeting.pk}/tasks/{task.pk}/done/").status_code == 405


def test_the_officer_adds_and_removes_from_the_page(client, meeting_city, meeting):
    mc = meeting_city
    as_user(client, mc.officer)
    base = f"/meetings/{meeting.pk}"
    bad = client.post(
        f"{base}/tasks/add/",
        {
            "kind": "layout",
            "title": "摆放桌签",
            "unit": mc.services_unit.pk,
            "owner": mc.officer_low.pk,
            "due": "2026-03-09",
        },
    )
    assert bad.status_code == 400 and "不能晚于会议当天" in html(bad)
    assert not PrepTask.objects.filter(title="摆放桌签").exists()
    good = client.post(
        f"{base}/tasks/add/",
        {
            "kind": "layout",
            "title": "摆放桌签",
            "unit": mc.services_unit.pk,
            "owner": mc.officer_low.pk,
            "due": "2026-03-04",
        },
    )
    assert good.status_code == 302
    task = PrepTask.objects.get(title="摆放桌签")
    assert client.post(f"{base}/tasks/{task.pk}/remove/", {"reason": ""}).status_code == 400
    assert client.post(f"{base}/tasks/{task.pk}/remove/", {"reason": "合并"}).status_code == 302
    assert not PrepTask.objects.filter(pk=task.pk).exists()
    assert client.post(f"{base}/venues/add/", {"name": "财政局分会场"}).status_code == 302
    venue = meeting.venues.get(name="财政局分会场")
    failed = client.post(f"{base}/test_venue/", {"venue": venue.pk, "ok": "0", "note": ""})
    assert failed.status_code == 400
    assert client.post(f"{base}/test_venue/", {"venue": venue.pk, "ok": "0", "note": "无声音"}).status_code == 302
    assert "调试异常" in visible_text(html(client.get(f"{base}/")))
    assert client.post(f"{base}/venues/{venue.pk}/remove/").status_code == 302
    assert not meeting.venues.filter(pk=venue.pk).exists()


def test_someone_who_may_not_act_is_refused_and_nothing_changes(client, meeting_city, meeting):
    mc = meeting_city
    task = PrepTask.objects.get(title="调试音响")
    as_user(client, mc.ndrc_head)  # invited, sees the page, runs nothing
    assert client.post(f"/meetings/{meeting.pk}/tasks/{task.pk}/done/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/venues/add/", {"name": "某分会场"}).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None and not meeting.venues.filter(name="某分会场").exists()


@pytest.mark.parametrize("who", ["low", "outsider"])
def test_a_person_outside_gets_404_everywhere(client, meeting_city, meeting, who):
    """郑科员 (another city) for the 内部 meeting; 吴科员 (内部) once it is 秘密."""
    person = getattr(meeting_city, who)
    if who == "low":
        PrepTask.objects.filter(owner=person).delete()
        type(meeting).objects.filter(pk=meeting.pk).update(classification=Level.CONFIDENTIAL)
        meeting.refresh_from_db()
        meeting.save()  # its 知悉范围 kept in step
    task = PrepTask.objects.first()
    venue = meeting.venues.first()
    as_user(client, person)
    base = f"/meetings/{meeting.pk}"
    assert client.get(f"{base}/").status_code == 404
    for address in (
        f"{base}/tasks/add/",
        f"{base}/tasks/{task.pk}/done/",
        f"{base}/tasks/{task.pk}/remove/",
        f"{base}/venues/add/",
        f"{base}/venues/{venue.pk}/remove/",
        f"{base}/prepare/",
    ):
        assert client.post(address, {"reason": "x", "name": "x", "scheme": "x"}).status_code == 404, address
    task.refresh_from_db()
    assert task.done_at is None and meeting.venues.count() == 1


def test_a_task_of_another_meeting_is_404(client, meeting_city, meeting, make_meeting):
    other = make_meeting(starts_at=datetime(2026, 3, 5, 9, tzinfo=BEIJING), title="另一个会议")
    task = PrepTask.objects.first()
    as_user(client, meeting_city.officer)
    assert client.post(f"/meetings/{other.pk}/tasks/{task.pk}/done/").status_code == 404


def test_a_classified_meeting_shows_no_phones_and_the_venue_check(client, meeting_city, make_meeting, today):
    """GIVEN a 秘密 meeting starting in half an hour, 已通知 WHEN 周会务 opens its page, its 签到码 and 钱主任
    the 签到 page THEN each tells them to leave their phones; the page says the 会场 is not yet checked;
    once checked THEN it says so."""
    mc = meeting_city
    starts = timezone.now() + timedelta(minutes=30)
    meeting = make_meeting(
        starts_at=starts,
        room=mc.secure_room,
        classification=Level.CONFIDENTIAL,
        classification_basis="《国家秘密目录》第3项",
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head],
    )
    text = html(page(client, mc.officer, meeting))
    assert NO_PHONES in text and 'data-testid="venue-unchecked"' in text and "action-check_venue" in text
    assert NO_PHONES in html(client.get(f"/meetings/{meeting.pk}/checkin-code/"))
    assert client.post(f"/meetings/{meeting.pk}/check_venue/", {"note": "手机已统一存放"}).status_code == 302
    assert 'data-testid="venue-checked"' in html(client.get(f"/meetings/{meeting.pk}/"))
    as_user(client, mc.ndrc_head)
    assert NO_PHONES in html(client.get(f"/meetings/{meeting.pk}/checkin/{checkin_token(meeting)}/"))


def test_after_the_meeting_the_summary_and_report_show(client, meeting_city, make_meeting, today):
    from documents.models import DocumentSeries

    mc = meeting_city
    DocumentSeries.objects.create(
        organ=mc.organ, office=mc.office, code="测府办发", issuer_name="测试市人民政府办公室文件"
    )
    meeting = make_meeting(starts_at=timezone.now() - timedelta(hours=1), state=MeetingState.HELD)
    as_user(client, mc.officer)
    assert client.post(f"/meetings/{meeting.pk}/summarize/", {"summary": "会议圆满完成。"}).status_code == 302
    assert client.post(f"/meetings/{meeting.pk}/draft_report/").status_code == 302
    text = html(client.get(f"/meetings/{meeting.pk}/"))
    assert "会议圆满完成。" in text and 'data-testid="prep-report"' in text and "/documents/" in text
    assert "task-add" not in text  # the preparation is over
