"""The demo office's 会议计划, walked through ``meetings.services``: this year's entries in several months,
the 常务会议 held under approved ones, a 全体会议 报批 and waiting for the 市长, the 电视电话会议 reported
计划外 and approved, a 工作会议 撤销; held meetings carry a 会议费, so the 精文减会 figures are not empty."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from meetings.figures import meeting_figures
from meetings.models import Meeting, MeetingPlan, MeetingState, PlanState
from meetings.rules import plan_cleared
from office.confidentiality.levels import Level
from office.org.models import Person

pytestmark = pytest.mark.django_db


@override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)
def test_the_demo_plan_has_an_entry_in_every_state_but_returned():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # a second run adds nothing
    year = timezone.localdate().year
    plans = MeetingPlan.objects.filter(year=year)
    assert {PlanState.APPROVED, PlanState.SUBMITTED, PlanState.DROPPED} <= set(plans.values_list("state", flat=True))
    assert (
        plans.filter(month__isnull=True).exists() and plans.exclude(month=None).values("month").distinct().count() > 1
    )
    waiting = plans.get(state=PlanState.SUBMITTED)
    assert waiting.type.government_name and waiting.submitted_at is not None

    video = Meeting.objects.get(title="全省防汛抗旱工作电视电话会议临江分会场")
    assert (video.plan.unplanned, video.plan.state, video.state) == (True, PlanState.APPROVED, MeetingState.NOTIFIED)
    director = Person.objects.get(user__username="director")
    assert video.plan.decided_by == director
    # Every meeting in the government's name is under an approved entry; this month's 常务会议 has one.
    for meeting in Meeting.objects.filter(type__government_name=True):
        assert plan_cleared(meeting), meeting.title
    today = timezone.localdate()
    assert plans.filter(type="standing", month=today.month, state=PlanState.APPROVED, unplanned=False).exists()
    dropped = plans.get(state=PlanState.DROPPED)
    assert "合并召开" in dropped.events.last().comment

    officer = Person.objects.get(user__username="meeting_officer").user
    figures = meeting_figures(user=officer, year=today.year)
    held = Meeting.objects.filter(state__in=(MeetingState.HELD, MeetingState.MINUTED), year=today.year)
    if held.exists():  # (early January: last week's meetings were last year's)
        assert figures["cost"]["with_cost"] >= 1 and figures["cost"]["spent"] > 0
    assert figures["plans"]["approved"] >= 2 and figures["plans"]["submitted"] == 1
    assert figures["plans"]["dropped"] == 1
    assert figures["plans"]["unplanned"] == (1 if video.plan.year == today.year else 0)
