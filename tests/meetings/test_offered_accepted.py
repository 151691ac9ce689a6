"""Offered ⇔ accepted for **every** step of ``rules.MEETING``: for meetings in every state (and the
variants that open other steps: ready to notify, a booking 待审批, a 请假 waiting, a 分会场, 涉密 ones with
their papers checked, issued and out, one begun), for the meeting city's people, each step is offered
exactly when its service takes it (each attempt rolled back; ``tests.workflow.harness``), and a
refusal changes nothing (``snapshot``).

A step that needs an argument is asked with a valid one (``_arguments``: the 待审批 booking, the
attendee, the 分会场, the checked 涉密 paper, the copy out, the 请假); a meeting that has none at all is not
asked that step (``argument_missing``): 分发 and 清退 on a 内部 meeting (no paper there is numbered),
代签/报到/座次 with nobody invited, 调试 without a 分会场, and 会后总结 of a 涉密 meeting (above the
deployment's ceiling no text may be stored). 纪要印发 (``minute``) is never offered: it is taken by the
纪要's 核发 (``services.minutes_issued``), so the machine's own check is what refuses it here. The 议题's
machine: test_offered_accepted_topics.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents.models import DocumentSeries
from meetings import selectors, services
from meetings.models import (
    Attendee,
    BookingState,
    BranchVenue,
    Material,
    Meeting,
    MeetingState,
    Reply,
    RoomBooking,
    Topic,
    TopicState,
)
from meetings.rules import MEETING
from office.confidentiality.levels import Level
from office.workflow import TransitionNotAllowed
from tests.meetings.conftest import next_monday
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db

NEVER_OFFERED = {"minute"}


def begun_at():
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


DUE = timedelta(days=30)


@pytest.fixture(autouse=True)
def frozen(today):
    return today


@pytest.fixture(autouse=True)
def report_series(meeting_city):
    """The 办公室's 文件格式 series, for the 会议情况通报."""
    return DocumentSeries.objects.create(
        organ=meeting_city.organ,
        office=meeting_city.office,
        code="测府通",
        issuer_name="测试市人民政府",
        template="standard",
    )


def people(mc):
    return [
        p.user
        for p in (
            mc.mayor,
            mc.vice_mayor,
            mc.officer,
            mc.officer_low,
            mc.ndrc_head,
            mc.ndrc_staff,
            mc.finance_head,
            mc.low,
            mc.outsider,
        )
    ]


def approved_topic(mc, meeting: Meeting) -> Topic:
    """An approved 议题 for ``meeting``, straight through the ORM (its own flow is tested apart)."""
    return Topic.objects.create(
        organ=meeting.organ,
        meeting_type=meeting.type,
        meeting=meeting,
        title="待列入议程的议题",
        summary="提请会议研究。",
        unit=mc.ndrc,
        presenter=mc.ndrc_head,
        reviewing_leader=mc.vice_mayor,
        submitted_by=mc.ndrc_head,
        consultation="各方一致。",
        agreed=True,
        state=TopicState.APPROVED,
    )


# --- The arguments: each step's valid input on ``record`` (None: the record has none) ---------------


def _booking(mc, record):
    """The 待审批 booking; on a meeting without one, a booking already 已预订 (nothing to decide)."""
    waiting = record.bookings.filter(state=BookingState.REQUESTED).first()
    if waiting is not None:
        return {"booking": waiting, "approve": True}
    done = RoomBooking.objects.create(
        room=mc.room,
        meeting=record,
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        state=BookingState.CONFIRMED,
        requested_by=mc.officer,
    )
    return {"booking": done, "approve": True}


def _attendee(record):
    return record.attendees.filter(checked_in_at__isnull=True).order_by("pk").first()


def _material(record):
    """A checked 涉密 material (only these are issued by 份号)."""
    return Material.objects.filter(meeting=record, checked=True, classification__gte=Level.CONFIDENTIAL).first()


def _not_invited(record, *people):
    invited = set(record.attendees.values_list("person_id", flat=True))
    return next(person for person in people if person.pk not in invited)


def _on_leave(record):
    return record.attendees.filter(reply=Reply.LEAVE).order_by("pk").first()


def _arguments(mc):
    def attendee(record):
        row = _attendee(record)
        return None if row is None else {"attendee": row}

    def material(record):
        row = _material(record)
        return None if row is None else {"material": row}

    def copy(record):
        row = selectors.copies_out(record).order_by("pk").first()
        return None if row is None else {"copy": row}

    def leave(record):
        row = _on_leave(record)
        return None if row is None else {"meeting": record, "attendee": row, "approve": True}

    def registering(record):
        row = record.attendees.filter(registered_at__isnull=True).order_by("pk").first()
        return None if row is None else {"meeting": record, "attendee": row}

    def arranging(record):
        row = record.attendees.order_by("pk").first()
        return None if row is None else {"meeting": record, "attendee": row, "precedence": 1}

    def venue(record):
        row = record.venues.order_by("pk").first()
        return None if row is None else {"venue": row, "ok": True}

    def preparing(record):
        if record.classification > Level.INTERNAL:  # above the ceiling a meeting keeps no texts
            return {"_service": "venue_add", "meeting": record, "name": "县政府分会场"}
        return {"meeting": record, "scheme": "会议方案：议程、座次、会务分工。"}

    def summary(record):
        if record.classification > Level.INTERNAL:  # no text above the ceiling: nothing valid to send
            return None
        return {"meeting": record, "summary": "会议按议程完成各项议题。"}

    def meeting(**values):
        return lambda record: {"meeting": record, **values}

    return {
        "edit": lambda record: {"meeting": record, "title": f"{record.title}（调整）"},
        "book": lambda record: {
            "meeting": record,
            "room": mc.secure_room if record.classification > Level.INTERNAL else mc.room,
        },
        "invite": lambda record: {"meeting": record, "people": [_not_invited(record, mc.finance_head, mc.vice_mayor)]},
        "place_topic": lambda record: {"meeting": record, "topic": approved_topic(mc, record)},
        "add_material": meeting(title="补充汇报材料", pages=3),
        "decide_booking": lambda record: _booking(mc, record),
        "prepare": preparing,
        "arrange": arranging,
        "test_venue": venue,
        "check_venue": meeting(note="手机统一存放，会场已检查。"),
        "report_unplanned": meeting(reason="因工作需要临时召开。"),
        "decide_leave": leave,
        "register": registering,
        "notify": meeting(),
        "reply": meeting(reply=Reply.ATTEND),
        "hold": meeting(),
        "sign_in": lambda record: None if _attendee(record) is None else {"meeting": record, **attendee(record)},
        "issue_material": material,
        "recall": copy,
        "decide": meeting(text="由发改委牵头制定方案。", lead_unit=mc.ndrc, due=timezone.localdate() + DUE),
        "draft_minutes": meeting(),
        "minute": meeting(),
        "summarize": summary,
        "draft_report": meeting(),
        "close": meeting(),
        "cancel": meeting(reason="另行安排"),
    }


SERVICES = {
    "edit": "meeting_edit",
    "book": "room_book",
    "invite": "attendee_invite",
    "place_topic": "topic_place",
    "add_material": "material_add",
    "decide_booking": "booking_decide",
    "notify": "meeting_notify",
    "reply": "attendee_reply",
    "hold": "meeting_hold",
    "sign_in": "sign_in",
    "issue_material": "material_issue",
    "recall": "material_recall",
    "decide": "decision_add",
    "draft_minutes": "minutes_draft",
    "close": "meeting_close",
    "cancel": "meeting_cancel",
    "prepare": "meeting_prepare",
    "arrange": "attendee_arrange",
    "test_venue": "venue_test",
    "check_venue": "venue_check",
    "decide_leave": "leave_decide",
    "register": "attendee_register",
    "summarize": "meeting_summarize",
    "draft_report": "report_draft",
    "report_unplanned": "meeting_report_unplanned",
}
OPTIONAL = ("sign_in", "issue_material", "recall", "decide_leave", "register", "arrange", "test_venue", "summarize")


def test_every_step_has_its_attempt(meeting_city):
    """The harness below asks every step of the machine (a new step needs its argument and service)."""
    assert set(_arguments(meeting_city)) == {s.name for s in MEETING.steps}
    assert set(SERVICES) | NEVER_OFFERED == {s.name for s in MEETING.steps}


def snapshot(record: Meeting) -> tuple:
    """What a refused step must leave as it was."""
    meeting = Meeting.objects.filter(pk=record.pk).values().get()
    return (
        meeting,
        record.events.count(),
        list(record.attendees.values_list("pk", "reply", "checked_in_at", "leave_approved", "registered_at")),
        list(record.bookings.values_list("pk", "state")),
        list(Material.objects.filter(meeting=record).values_list("pk", "checked")),
        record.decisions.count(),
        list(selectors.copies_out(record).values_list("pk", "state")),
        list(Topic.objects.filter(meeting=record).values_list("pk", "state", "order")),
    )


def meeting_attempt(mc):
    arguments = _arguments(mc)

    def attempt(step: str, user, record: Meeting) -> None:
        values = arguments[step](record)
        assert values is not None, f"{step}: no argument on {record.title}"  # argument_missing leaves it out
        service = values.pop("_service", SERVICES.get(step))
        before = snapshot(record)
        try:
            if step in NEVER_OFFERED:
                MEETING.check(user, record, step)
            else:
                getattr(services, service)(actor=user, **values)
        except (PermissionDenied, TransitionNotAllowed):
            assert snapshot(record) == before, f"{step} refused for {user} but changed {record.title}"
            raise

    return attempt


def argument_missing(mc, record: Meeting) -> set[str]:
    """The steps ``record`` gives no argument for (nothing to issue, nobody to sign in, no 分会场)."""
    arguments = _arguments(mc)
    return {step for step in OPTIONAL if arguments[step](record) is None}


# --- The meetings -----------------------------------------------------------------------------------


def _paper(mc, meeting: Meeting) -> Material:
    """A 机密 paper 报送 and 审核 while the meeting is prepared."""
    officer = mc.officer.user
    paper = services.material_add(actor=officer, meeting=meeting, title=f"{meeting.title}汇报材料", pages=6)
    return services.material_check(actor=officer, material=paper)


def meetings_in_every_state(mc, make_meeting) -> dict[str, Meeting]:
    """A meeting in each state (筹备中: empty, ready to notify, 涉密; 已通知: coming, begun), as the desk's
    tests (test_desk_dashboard.py) count them too."""
    officer = mc.officer.user
    found = {
        "empty": make_meeting(room=None, title="尚无会场和人员的会议"),
        "ready": make_meeting(attendees=[mc.ndrc_head], title="可发通知的会议"),
        "secret": make_meeting(
            attendees=[mc.ndrc_head],
            room=mc.secure_room,
            title="涉密会议",
            classification=Level.SECRET,
            classification_basis="国家秘密目录第3项",
        ),
    }
    notified = make_meeting(attendees=[mc.ndrc_head], title="已通知的会议")
    found["notified"] = services.meeting_notify(actor=officer, meeting=notified)
    for name in ("begun", "held", "minuted", "closed"):
        meeting = make_meeting(attendees=[mc.ndrc_head], title=f"今天的会议（{name}）", starts_at=begun_at())
        found[name] = services.meeting_notify(actor=officer, meeting=meeting)
    for name in ("held", "minuted", "closed"):
        services.meeting_hold(actor=officer, meeting=found[name])
    # 纪要印发 and 归档 belong to the minutes' flow: set as it leaves them.
    Meeting.objects.filter(pk=found["minuted"].pk).update(state=MeetingState.MINUTED)
    Meeting.objects.filter(pk=found["closed"].pk).update(state=MeetingState.CLOSED)
    cancelled = make_meeting(attendees=[mc.ndrc_head], title="取消的会议", starts_at=next_monday(15))
    found["cancelled"] = services.meeting_cancel(actor=officer, meeting=cancelled, reason="改期")
    return {name: Meeting.objects.get(pk=m.pk) for name, m in found.items()}


def meetings_for_every_step(mc, make_meeting) -> dict[str, Meeting]:
    """Those, and the variants that open the steps needing a part of the meeting: a booking 待审批, a 请假
    waiting (and one on a meeting closed), a 分会场 (and one of a meeting held), the 涉密 meeting's paper
    checked, a 涉密 meeting 已通知 with its paper, and 涉密 ones held and 纪要已印发 with a copy out."""
    officer = mc.officer.user
    found = meetings_in_every_state(mc, make_meeting)
    found["booking"] = make_meeting(attendees=[mc.ndrc_head], title="会场待审批的会议", starts_at=next_monday(14))
    services.room_book(actor=officer, meeting=found["booking"], room=mc.video_room)  # 待审批
    found["unplanned"] = make_meeting(attendees=[mc.ndrc_head], title="计划外的会议", plan=None)
    found["leave"] = make_meeting(attendees=[mc.ndrc_head, mc.finance_head], title="有人请假的会议")
    services.attendee_reply(actor=mc.finance_head.user, meeting=found["leave"], reply=Reply.LEAVE, reason="出差")
    Attendee.objects.create(meeting=found["closed"], person=mc.finance_head, reply=Reply.LEAVE, reason="出差")
    BranchVenue.objects.create(meeting=found["ready"], name="县政府分会场")
    BranchVenue.objects.create(meeting=found["held"], name="县政府分会场")  # its 调试 is over
    _paper(mc, found["secret"])
    secret = {"attendees": [mc.ndrc_head], "room": mc.secure_room, "classification": Level.SECRET}
    secret["classification_basis"] = "国家秘密目录第3项"
    coming = make_meeting(title="已通知的涉密会议", starts_at=next_monday(15), **secret)
    _paper(mc, coming)
    found["secret_notified"] = services.meeting_notify(actor=officer, meeting=coming)
    for name in ("secret_held", "secret_minuted"):
        meeting = make_meeting(title=f"今天的涉密会议（{name}）", starts_at=begun_at(), **secret)
        paper = _paper(mc, meeting)
        services.meeting_notify(actor=officer, meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(venue_checked_at=timezone.now(), venue_checked_by=mc.officer)
        services.meeting_hold(actor=officer, meeting=meeting)
        services.material_issue(actor=officer, material=paper)  # 钱主任's copy, out
        found[name] = meeting
    Meeting.objects.filter(pk=found["secret_minuted"].pk).update(state=MeetingState.MINUTED)
    return {name: Meeting.objects.get(pk=m.pk) for name, m in found.items()}


def test_every_meeting_step_is_offered_exactly_when_the_service_takes_it(meeting_city, make_meeting):
    """GIVEN meetings 筹备中 (empty, ready, a booking 待审批, a 请假 waiting, 涉密), 已通知 (coming, 涉密, begun),
    已召开 (and 涉密 with a copy out), 纪要已印发 (and 涉密 with a copy out), 已归档 and 已取消 WHEN each person
    tries each step with a valid argument THEN what is offered is what the service takes, and what it
    refuses it leaves unchanged."""
    mc = meeting_city
    records = meetings_for_every_step(mc, make_meeting)
    assert {r.state for r in records.values()} == set(MeetingState.values)
    steps = [s.name for s in MEETING.steps]
    attempt = meeting_attempt(mc)
    found = []
    for record in records.values():
        asked = [step for step in steps if step not in argument_missing(mc, record)]
        found += mismatches(MEETING, [record], people(mc), attempt, steps=asked)
    assert found == []
    offered = {name for r in records.values() for u in people(mc) for name in MEETING.offered(u, r)}
    assert set(steps) - NEVER_OFFERED <= offered  # every step met at least once
    assert not offered & NEVER_OFFERED


def test_the_steps_no_meeting_could_be_asked_are_only_those_without_an_argument(meeting_city, make_meeting):
    """GIVEN the meetings above WHEN a step is left out for want of an argument THEN it is one that needs a
    part of the meeting (an attendee, a checked 涉密 paper, a copy out, a 请假) and the meetings that have
    one are asked it: 分发 on the 涉密 ones, 清退 where a copy is out."""
    mc = meeting_city
    records = meetings_for_every_step(mc, make_meeting)
    assert "issue_material" not in argument_missing(mc, records["secret_notified"])
    assert "recall" not in argument_missing(mc, records["secret_held"])
    assert "recall" not in argument_missing(mc, records["secret_minuted"])
    assert "sign_in" not in argument_missing(mc, records["begun"])
    assert "test_venue" not in argument_missing(mc, records["ready"])
    assert argument_missing(mc, records["empty"]) == set(OPTIONAL) - {"summarize"}
