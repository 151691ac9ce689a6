"""A 代会 pair is one seat wherever attendance is counted: the meeting page (``services.attendance``),
the year's figures and the 会议台账 export agree, and a 工作人员 is counted in none."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from meetings import exports, figures, services
from meetings.models import Attendee, AttendeeRole, Meeting, MeetingState, Reply

pytestmark = pytest.mark.django_db


def test_a_stand_in_and_the_one_he_stands_for_are_one_seat(meeting_city, make_meeting):
    """GIVEN a held meeting of 钱主任 (signed in), 周局长 (代会 by 孙科员, who signed in on his own row),
    李市长 (请假) and 何会务 (工作人员, signed in) WHEN attendance is counted THEN 3 are expected, 1 on leave,
    2 came — on the page, in the figures (出席率 100%) and in the 台账 (应到3, 请假1, 实到2)."""
    mc = meeting_city
    now = timezone.now()
    meeting = make_meeting(state=MeetingState.HELD, starts_at=now - timedelta(hours=1))
    Attendee.objects.create(meeting=meeting, person=mc.ndrc_head, reply=Reply.ATTEND, checked_in_at=now)
    Attendee.objects.create(meeting=meeting, person=mc.finance_head, reply=Reply.SUBSTITUTE, substitute=mc.ndrc_staff)
    Attendee.objects.create(meeting=meeting, person=mc.ndrc_staff, reply=Reply.ATTEND, checked_in_at=now)
    Attendee.objects.create(meeting=meeting, person=mc.vice_mayor, reply=Reply.LEAVE, reason="出差")
    Attendee.objects.create(meeting=meeting, person=mc.officer_low, role=AttendeeRole.STAFF, checked_in_at=now)

    page = services.attendance(meeting)
    assert (page["invited"], page["on_leave"], page["attended"]) == (3, 1, 2)
    year = figures.meeting_figures(user=mc.officer.user, year=meeting.year)
    assert year["attendance_rate"] == 1.0
    sheet = load_workbook(BytesIO(exports.meeting_register_workbook(Meeting.objects.filter(pk=meeting.pk)))).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["应到"], row["请假"], row["实到"]) == (3, 1, 2)
