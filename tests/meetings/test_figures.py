"""会议 figures of a year against hand counts: held by type and month, 议题, attendance, 落实率, video."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from meetings.figures import meeting_figures
from meetings.models import Attendee, AttendeeRole, Decision, MeetingState, Reply, Topic, TopicState
from office.confidentiality.levels import Level
from supervision.models import ItemState
from tests.supervision.conftest import open_item  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def year_of_meetings(meeting_city, make_meeting, open_item, today):  # noqa: F811
    """2026 for the 会务员 (who sees the organ's 内部 meetings and his own):

    - a 常务会议 held 2 March: 刘市长 and 李市长 signed in, 周局长 on leave, 钱主任 absent, 何会务 staff
      (signed in, not counted) → 2 / (4 − 1); three decisions: one item 办结, one in hand, one none;
    - an 电视电话会议 纪要已印发 3 March: 钱主任 signed in → 1 / 1; one decision, its item 办结;
    - a 专题会议 归档 6 April, nobody invited (no attendance rate);
    - not counted: one 筹备中, one cancelled, one held in 2025, and a 机密 meeting held of 发改委's that
      the 会务员 is not in.
    """
    c = meeting_city
    now = timezone.now()
    standing = make_meeting(starts_at=at(2026, 3, 2), state=MeetingState.HELD)
    for person, fields in (
        (c.mayor, {"checked_in_at": now}),
        (c.vice_mayor, {"checked_in_at": now, "reply": Reply.ATTEND}),
        (c.finance_head, {"reply": Reply.LEAVE, "reason": "出差"}),
        (c.ndrc_head, {}),
        (c.officer_low, {"role": AttendeeRole.STAFF, "checked_in_at": now}),
    ):
        Attendee.objects.create(meeting=standing, person=person, **fields)
    video = make_meeting(
        type_code="video", title="全市安全生产电视电话会议", starts_at=at(2026, 3, 3), state=MeetingState.MINUTED
    )
    Attendee.objects.create(meeting=video, person=c.ndrc_head, checked_in_at=now)
    make_meeting(type_code="special", title="专题会议", starts_at=at(2026, 4, 6), state=MeetingState.CLOSED)
    make_meeting(title="筹备中", starts_at=at(2026, 5, 4))
    make_meeting(title="已取消", starts_at=at(2026, 5, 11), state=MeetingState.CANCELLED)
    make_meeting(title="去年", year=2025, starts_at=at(2025, 12, 1), state=MeetingState.HELD)
    make_meeting(
        title="机密会议",
        starts_at=at(2026, 3, 4),
        state=MeetingState.HELD,
        classification=Level.SECRET,
        classification_basis="涉密",
        chair=c.vice_mayor,
        organizer=c.ndrc_head,
        created_by=c.ndrc_head,
        organizing_unit=c.ndrc,
    )

    def decision(meeting, number, state=None):
        item = None
        if state is not None:
            item = open_item(title=f"事项{meeting.pk}-{number}")
            item.state = state
            item.save(update_fields=["state"])
        return Decision.objects.create(
            meeting=meeting, number=number, text="事项", lead_unit=c.ndrc, due=today_plus(30), item=item
        )

    decision(standing, 1, ItemState.DONE)
    decision(standing, 2, ItemState.ASSIGNED)
    decision(standing, 3)
    decision(video, 1, ItemState.DONE)

    for state, when in (
        (TopicState.APPROVED, at(2026, 2, 20)),
        (TopicState.PLACED, at(2026, 2, 21)),
        (TopicState.DISCUSSED, at(2026, 2, 22)),
        (TopicState.WITHDRAWN, at(2026, 2, 23)),
        (TopicState.RETURNED, at(2026, 2, 24)),
        (TopicState.SUBMITTED, at(2026, 2, 25)),
        (TopicState.DISCUSSED, at(2025, 11, 3)),
    ):
        Topic.objects.create(
            organ=c.organ,
            meeting_type=c.type(),
            title=f"议题{state}",
            summary="说明",
            unit=c.ndrc,
            presenter=c.ndrc_head,
            reviewing_leader=c.vice_mayor,
            submitted_by=c.ndrc_staff,
            submitted_at=when,
            state=state,
        )
    return c


def today_plus(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_the_years_figures_match_the_hand_counts(year_of_meetings):
    """GIVEN the year above WHEN the 会务员 reads the 2026 figures THEN three meetings were held (常务
    and 电视电话 in March, 专题 in April), three 议题 passed 定题 against one withdrawn and one returned,
    attendance averages (2/3 + 1) / 2, two of three decisions with an item are 办结, one meeting in three
    was by video."""
    figures = meeting_figures(user=year_of_meetings.officer.user, year=2026)
    assert figures["held"] == 3
    assert figures["by_month"] == [0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    by_type = {row["code"]: (row["count"], row["by_month"][2], row["by_month"][3]) for row in figures["by_type"]}
    assert by_type == {"standing": (1, 1, 0), "video": (1, 1, 0), "special": (1, 0, 1)}
    assert figures["topics"] == {"approved": 3, "withdrawn": 1, "returned": 1}
    assert figures["attendance_rate"] == round((2 / 3 + 1) / 2, 4)
    assert figures["decisions"] == {"total": 4, "with_item": 3, "done": 2, "rate": round(2 / 3, 4)}
    assert figures["video_share"] == round(1 / 3, 4)


def test_figures_of_an_empty_year_divide_by_nothing(year_of_meetings):
    """GIVEN no meeting in 2024 WHEN its figures are read THEN the counts are zero and the rates None."""
    figures = meeting_figures(user=year_of_meetings.officer.user, year=2024)
    assert (figures["held"], figures["by_type"], figures["attendance_rate"], figures["video_share"]) == (
        0,
        [],
        None,
        None,
    )
    assert figures["decisions"]["rate"] is None
