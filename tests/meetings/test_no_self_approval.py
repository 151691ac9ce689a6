"""No one approves his own request: a chair (or 会务员) who asks for leave, a 会务员 who asked for a
room, a 主要领导 who drafted a 会议计划 entry himself — each is neither offered the decision nor
may take it; someone else still may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import PlanState, Reply
from meetings.rules import MEETING, PLAN
from office.org.models import Role

pytestmark = pytest.mark.django_db


def test_the_chair_does_not_approve_his_own_leave(meeting_city, make_meeting):
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.mayor, mc.ndrc_head], chair=mc.vice_mayor)
    meeting.organizer = mc.mayor  # he also runs it (会务联系人)
    meeting.save(update_fields=["organizer"])
    services.attendee_reply(actor=mc.mayor.user, meeting=meeting, reply=Reply.LEAVE, reason="出差")
    own = meeting.attendees.get(person=mc.mayor)
    assert "decide_leave" not in MEETING.offered(mc.mayor.user, meeting)
    with pytest.raises(PermissionDenied, match="本人"):
        services.leave_decide(actor=mc.mayor.user, meeting=meeting, attendee=own, approve=True)
    own.refresh_from_db()
    assert own.leave_approved is None
    assert MEETING.offered(mc.vice_mayor.user, meeting)["decide_leave"] == [str(own.pk)]  # the chair may
    services.leave_decide(actor=mc.vice_mayor.user, meeting=meeting, attendee=own, approve=True)
    own.refresh_from_db()
    assert own.leave_approved is True


def test_the_head_does_not_approve_a_plan_entry_he_drafted(meeting_city):
    mc = meeting_city
    mc.mayor.user.groups.add(Group.objects.get_or_create(name=Role.MEETING_OFFICER.value)[0])
    mc.mayor.user.__dict__.pop("_role_names", None)
    plan = services.plan_create(
        actor=mc.mayor.user,
        year=2026,
        month=4,
        type=mc.type("standing"),
        title="第20次常务会议",
        organizing_unit=mc.services_unit,
        reason="研究二季度重点工作。",
    )
    plan = services.plan_submit(actor=mc.mayor.user, plan=plan)
    assert plan.state == PlanState.SUBMITTED
    assert not ({"approve", "return"} & set(PLAN.offered(mc.mayor.user, plan)))
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=mc.mayor.user, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
