"""会务筹备 (``meetings.services.preparation``), the clock frozen on Monday 2 March 2026: 会议方案 and
预案, 会务分工 tasks and their Deadlines (opened, met, cancelled), 分会场 and their 调试, the 会场保密检查
that a classified meeting needs before it is held, 会后总结 and the 会议情况通报 draft."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import DocumentSeries
from meetings import services
from meetings.models import MeetingEvent, MeetingState, PrepTask, TaskKind
from meetings.rules import MEETING
from office.confidentiality.levels import Level
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from tests.factories import make_person

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def meeting(meeting_city, make_meeting, today):
    """A 内部 常务会议 on Wednesday 4 March, 筹备中."""
    return make_meeting(starts_at=datetime(2026, 3, 4, 9, tzinfo=BEIJING), attendees=[meeting_city.ndrc_head])


@pytest.fixture
def secret_meeting(meeting_city, make_meeting, today):
    """A 秘密 meeting in the 保密会议室 that began at 9:00 today, 已通知."""
    return make_meeting(
        starts_at=datetime(2026, 3, 2, 9, tzinfo=BEIJING),
        room=meeting_city.secure_room,
        classification=Level.CONFIDENTIAL,
        classification_basis="《国家秘密目录》第3项",
        state=MeetingState.NOTIFIED,
        attendees=[meeting_city.ndrc_head],
    )


def add_task(mc, meeting, **overrides):
    values = {
        "actor": mc.officer.user,
        "meeting": meeting,
        "kind": TaskKind.LAYOUT,
        "title": "布置会场、摆放桌签",
        "unit": mc.services_unit,
        "owner": mc.officer_low,
        "due": date(2026, 3, 3),
    }
    values.update(overrides)
    return services.task_add(**values)


def actions(meeting) -> list[str]:
    return list(MeetingEvent.objects.filter(meeting=meeting).order_by("id").values_list("action", flat=True))


def test_the_scheme_is_kept_by_the_officer_and_recorded(meeting_city, meeting):
    """GIVEN a meeting WHEN the 会务员 writes the 方案 and 预案 THEN they are kept (安全保卫 untouched) and
    the 流转记录 says so; WHEN someone else tries THEN refused."""
    mc = meeting_city
    meeting.security = "武警值守"
    meeting.save()
    done = services.meeting_prepare(
        actor=mc.officer.user, meeting=meeting, scheme="议程三项", contingency="停电启用备用电源"
    )
    assert (done.scheme, done.contingency, done.security) == ("议程三项", "停电启用备用电源", "武警值守")
    assert "修改会议方案" in actions(meeting)
    with pytest.raises(PermissionDenied):
        services.meeting_prepare(actor=mc.low.user, meeting=meeting, scheme="篡改")
    meeting.refresh_from_db()
    assert meeting.scheme == "议程三项"


def test_a_task_opens_a_reminder_to_its_owner_met_when_done(meeting_city, meeting):
    """GIVEN a task for 何会务 due 3 March WHEN added THEN a Deadline of the 会议 kind reminds him;
    WHEN he marks it done THEN the task is done and the Deadline met on time."""
    mc = meeting_city
    task = add_task(mc, meeting)
    (deadline,) = deadlines_of(task)
    assert deadline.kind_id == "meeting" and deadline.due_date == date(2026, 3, 3)
    assert deadline.responsible_person == mc.officer_low and deadline.state == DeadlineState.OPEN
    with pytest.raises(PermissionDenied):
        services.task_done(actor=mc.low.user, task=task)
    services.task_done(actor=mc.officer_low.user, task=task, note="已布置")
    task.refresh_from_db()
    deadline.refresh_from_db()
    assert task.done_by == mc.officer_low and task.done_at is not None
    assert deadline.state == DeadlineState.MET and deadline.met_on_time
    with pytest.raises(ValidationError):
        services.task_done(actor=mc.officer.user, task=task)


def test_a_removed_task_cancels_its_reminder(meeting_city, meeting):
    mc = meeting_city
    task = add_task(mc, meeting)
    with pytest.raises(ValidationError) as error:
        services.task_remove(actor=mc.officer.user, task=task, reason=" ")
    assert "reason" in error.value.message_dict
    (deadline,) = deadlines_of(task)
    services.task_remove(actor=mc.officer.user, task=task, reason="改由会务科统一安排")
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.CANCELLED
    assert not PrepTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("due", {"due": date(2026, 3, 1)}),  # in the past
        ("due", {"due": date(2026, 3, 5)}),  # after the meeting's day
        ("title", {"title": "  "}),
        ("kind", {"kind": "party"}),
    ],
)
def test_a_task_with_bad_input_is_refused_and_nothing_kept(meeting_city, meeting, field, overrides):
    with pytest.raises(ValidationError) as error:
        add_task(meeting_city, meeting, **overrides)
    assert field in error.value.message_dict
    assert not PrepTask.objects.exists()


def test_the_owner_must_be_active_and_cleared(meeting_city, make_meeting, today):
    """GIVEN a 秘密 meeting WHEN a task goes to 吴科员 (内部) or to someone gone THEN refused."""
    mc = meeting_city
    secret = make_meeting(
        starts_at=datetime(2026, 3, 4, 9, tzinfo=BEIJING), room=mc.secure_room, classification=Level.CONFIDENTIAL
    )
    with pytest.raises(ValidationError) as error:
        add_task(mc, secret, owner=mc.low)
    assert "涉密等级" in error.value.message_dict["owner"][0]
    gone = make_person(username="gone", name="离岗甲", unit=mc.services_unit, clearance=Level.SECRET)
    gone.user.is_active = False
    gone.user.save()
    with pytest.raises(ValidationError) as error:
        add_task(mc, secret, owner=gone)
    assert "owner" in error.value.message_dict
    assert not PrepTask.objects.exists()


def test_venues_are_added_tested_and_a_failure_needs_a_note(meeting_city, meeting):
    mc = meeting_city
    with pytest.raises(TransitionNotAllowed):  # no venue yet: nothing to test
        MEETING.check(mc.officer.user, meeting, "test_venue")
    venue = services.venue_add(
        actor=mc.officer.user, meeting=meeting, name="发改委分会场", unit=mc.ndrc, contact="钱主任"
    )
    with pytest.raises(ValidationError):
        services.venue_add(actor=mc.officer.user, meeting=meeting, name="发改委分会场")
    with pytest.raises(ValidationError) as error:
        services.venue_test(actor=mc.officer.user, venue=venue, ok=False)
    assert "note" in error.value.message_dict
    venue = services.venue_test(actor=mc.officer.user, venue=venue, ok=False, note="无图像")
    assert venue.test_ok is False and venue.tested_by == mc.officer
    venue = services.venue_test(actor=mc.officer.user, venue=venue, ok=True)
    assert venue.test_ok is True and venue.test_note == ""
    with pytest.raises(PermissionDenied):
        services.venue_remove(actor=mc.low.user, venue=venue)
    services.venue_remove(actor=mc.officer.user, venue=venue)
    assert not meeting.venues.exists()
    assert {"增加分会场", "分会场调试", "删除分会场"} <= set(actions(meeting))


def test_a_secret_meeting_is_held_only_after_the_venue_check(meeting_city, secret_meeting):
    """GIVEN a 秘密 meeting that has begun WHEN the 会务员 registers it held before the 会场保密检查 THEN
    refused with the reason; WHEN checked THEN it may be held."""
    mc = meeting_city
    with pytest.raises(TransitionNotAllowed) as error:
        services.meeting_hold(actor=mc.officer.user, meeting=secret_meeting)
    assert "会场保密检查" in str(error.value)
    checked = services.venue_check(actor=mc.officer.user, meeting=secret_meeting, note="手机统一存放")
    assert checked.venue_checked_by == mc.officer and checked.venue_checked_at is not None
    held = services.meeting_hold(actor=mc.officer.user, meeting=secret_meeting)
    assert held.state == MeetingState.HELD


def test_an_internal_meeting_needs_no_venue_check(meeting_city, meeting):
    with pytest.raises(TransitionNotAllowed):
        services.venue_check(actor=meeting_city.officer.user, meeting=meeting)


@pytest.mark.parametrize("ceiling", [Level.INTERNAL, Level.CONFIDENTIAL])
def test_summary_and_report_after_the_meeting(meeting_city, secret_meeting, settings, ceiling):
    """GIVEN a held 秘密 meeting WHEN the 会务员 writes the 总结 and drafts the 通报 THEN a 通报 draft at
    the meeting's 密级, kept on the meeting, its body from the meeting (none above the system's ceiling,
    where the 总结 is refused too); a second draft is refused."""
    mc = meeting_city
    settings.SHUNIU_CLASSIFICATION_CEILING = ceiling
    DocumentSeries.objects.create(
        organ=mc.organ, office=mc.office, code="测府办发", issuer_name="测试市人民政府办公室文件"
    )
    with pytest.raises(TransitionNotAllowed):  # not yet held
        services.report_draft(actor=mc.officer.user, meeting=secret_meeting)
    services.venue_check(actor=mc.officer.user, meeting=secret_meeting)
    services.meeting_hold(actor=mc.officer.user, meeting=secret_meeting)
    refusal = ValidationError if ceiling >= Level.CONFIDENTIAL else TransitionNotAllowed  # not even offered
    with pytest.raises(refusal):
        services.meeting_summarize(actor=mc.officer.user, meeting=secret_meeting, summary=" ")
    if ceiling >= Level.CONFIDENTIAL:
        services.meeting_summarize(actor=mc.officer.user, meeting=secret_meeting, summary="会议开得紧凑高效。")
    else:
        with pytest.raises(TransitionNotAllowed, match="不保存"):  # not offered: the system keeps no such text
            services.meeting_summarize(actor=mc.officer.user, meeting=secret_meeting, summary="会议开得紧凑高效。")
    document = services.report_draft(actor=mc.officer.user, meeting=secret_meeting)
    secret_meeting.refresh_from_db()
    assert secret_meeting.report_document == document
    assert document.kind == "bulletin" and document.classification == Level.CONFIDENTIAL
    assert "通报" in document.title
    if ceiling >= Level.CONFIDENTIAL:
        assert "会议开得紧凑高效" in document.body and "刘市长" in document.body
    else:
        assert document.body == "" and secret_meeting.summary == ""
    with pytest.raises(TransitionNotAllowed):
        services.report_draft(actor=mc.officer.user, meeting=secret_meeting)


def test_a_cancelled_meeting_cancels_the_open_tasks_reminders(meeting_city, meeting):
    mc = meeting_city
    task = add_task(mc, meeting)
    services.meeting_cancel(actor=mc.officer.user, meeting=meeting, reason="领导另有安排")
    (deadline,) = deadlines_of(task)
    assert deadline.state == DeadlineState.CANCELLED


def test_the_bulletin_is_drafted_in_chinese_whatever_the_officers_language(meeting_city, secret_meeting, settings):
    """GIVEN a 会务员 whose pages are in English WHEN he drafts the 会议情况通报 THEN the 公文's title is
    Chinese (a document is written in the office's language, not the reader's)."""
    from django.utils import translation

    mc = meeting_city
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.CONFIDENTIAL
    DocumentSeries.objects.create(
        organ=mc.organ, office=mc.office, code="测府办发", issuer_name="测试市人民政府办公室文件"
    )
    services.venue_check(actor=mc.officer.user, meeting=secret_meeting)
    services.meeting_hold(actor=mc.officer.user, meeting=secret_meeting)
    with translation.override("en"):
        document = services.report_draft(actor=mc.officer.user, meeting=secret_meeting)
    assert document.title == f"关于{secret_meeting.title}情况的通报"
    assert "现将会议情况通报如下" in document.body
