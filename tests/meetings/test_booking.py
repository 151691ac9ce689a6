"""预订会场 (``services.room_book``): no two meetings hold a room at overlapping times — also when the
会务员 book at the same moment (the room's row is locked, then the overlaps checked) — a meeting as
ending when the next begins is no overlap; a 涉密 meeting only in a room cleared for it; the room's
seats; a room that needs approval waits for its 管理员."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from meetings import services
from meetings.models import BookingState, Meeting, RoomBooking
from office.confidentiality.levels import Level
from office.org.models import User
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from tests.factories import make_person
from tests.meetings.conftest import next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def book(mc, meeting, room=None):
    return services.room_book(actor=mc.officer.user, meeting=meeting, room=room or mc.room)


def test_an_overlapping_booking_is_refused_naming_the_meeting(meeting_city, make_meeting):
    """GIVEN 第一会议室 booked 9:00–12:00 WHEN another meeting asks for it 11:00–13:00 THEN refused, naming
    the first meeting and its time; the second meeting keeps no room."""
    mc = meeting_city
    first = make_meeting(room=None, title="第一次常务会议")
    book(mc, first)
    second = make_meeting(room=None, title="专题会", starts_at=first.starts_at + timedelta(hours=2))
    with pytest.raises(ValidationError) as error:
        book(mc, second)
    message = error.value.message_dict["room"][0]
    assert "《第一次常务会议》" in message and "3月9日 09:00—12:00" in message
    second.refresh_from_db()
    assert second.room is None and not second.bookings.exists()


def test_a_classified_meeting_in_the_way_is_not_named(meeting_city, make_meeting):
    """GIVEN 保密会议室 booked for a 机密 meeting WHEN 何会务 (内部) books it for an overlapping one THEN the
    refusal says 其他会议, not the title."""
    mc = meeting_city
    secret = make_meeting(room=None, title="保密事项会议", classification=Level.SECRET, classification_basis="依据")
    book(mc, secret, mc.secure_room)
    other = make_meeting(room=None, title="另一会", organizer=mc.officer_low)
    with pytest.raises(ValidationError) as error:
        services.room_book(actor=mc.officer_low.user, meeting=other, room=mc.secure_room)
    assert "保密事项会议" not in error.value.message_dict["room"][0]
    assert "其他会议" in error.value.message_dict["room"][0]


def test_back_to_back_bookings_are_allowed(meeting_city, make_meeting):
    """GIVEN 第一会议室 booked 9:00–12:00 WHEN another meeting books it 12:00–14:00 THEN both hold it."""
    mc = meeting_city
    first = make_meeting(room=None)
    book(mc, first)
    second = make_meeting(room=None, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=2))
    booking = book(mc, second)
    assert booking.state == BookingState.CONFIRMED
    assert RoomBooking.objects.filter(room=mc.room, state=BookingState.CONFIRMED).count() == 2


def test_a_released_booking_frees_the_room(meeting_city, make_meeting):
    """GIVEN a meeting that booked 第一会议室 and then moved to 保密会议室 WHEN another meeting books 第一会议室 at
    the same time THEN it gets it: the first booking was released."""
    mc = meeting_city
    first = make_meeting(room=None)
    book(mc, first)
    book(mc, first, mc.secure_room)
    assert list(first.bookings.values_list("room__name", "state")) == [
        ("第一会议室", BookingState.RELEASED),
        ("保密会议室", BookingState.CONFIRMED),
    ]
    first.refresh_from_db()
    assert first.room == mc.secure_room
    assert book(mc, make_meeting(room=None)).state == BookingState.CONFIRMED


def test_a_classified_meeting_needs_a_room_cleared_for_it(meeting_city, make_meeting):
    """GIVEN a 机密 meeting WHEN it books 第一会议室 (up to 内部) THEN refused (涉密会议须在相应等级的涉密会议室召开);
    保密会议室 (up to 机密) takes it."""
    mc = meeting_city
    meeting = make_meeting(room=None, classification=Level.SECRET, classification_basis="依据")
    with pytest.raises(ValidationError) as error:
        book(mc, meeting)
    assert "涉密会议须在相应等级的涉密会议室召开" in error.value.message_dict["room"][0]
    assert book(mc, meeting, mc.secure_room).state == BookingState.CONFIRMED


def test_the_room_must_seat_the_attendees(meeting_city, make_meeting):
    """GIVEN a meeting of 21 people WHEN it books 保密会议室 (20 seats) THEN refused; 第一会议室 (40) takes it."""
    mc = meeting_city
    people = [make_person(username=f"mt-a{i}", name=f"参会{i}", unit=mc.ndrc) for i in range(21)]
    meeting = make_meeting(room=None, attendees=people)
    with pytest.raises(ValidationError) as error:
        book(mc, meeting, mc.secure_room)
    assert "20人" in error.value.message_dict["room"][0]
    assert book(mc, meeting).room == mc.room


def test_an_inactive_room_or_another_organs_is_refused(meeting_city, make_meeting):
    """GIVEN a room out of use and one of another organ WHEN booked THEN refused."""
    mc = meeting_city
    meeting = make_meeting(room=None)
    mc.room.active = False
    mc.room.save()
    with pytest.raises(ValidationError):
        book(mc, meeting)
    foreign = mc.room.__class__.objects.create(organ=mc.ndrc, name="发改委会议室", capacity=30)
    with pytest.raises(ValidationError):
        book(mc, meeting, foreign)


def test_a_room_needing_approval_waits_for_its_manager(meeting_city, make_meeting):
    """GIVEN 视频会议室 (needs approval, managed by 周会务) WHEN 何会务 books it THEN it is 待审批 (and holds the
    time), the manager is told; a 科员 cannot decide; the manager confirms it. A second request refused
    frees the meeting's room."""
    mc = meeting_city
    meeting = make_meeting(room=None, organizer=mc.officer_low)
    booking = services.room_book(actor=mc.officer_low.user, meeting=meeting, room=mc.video_room)
    assert booking.state == BookingState.REQUESTED
    assert Notification.objects.filter(recipient=mc.officer.user, verb__startswith="会议室预订待审批").exists()
    clash = make_meeting(room=None)
    with pytest.raises(ValidationError):
        book(mc, clash, mc.video_room)  # a request holds the room too
    with pytest.raises(PermissionDenied):
        services.booking_decide(actor=mc.low.user, booking=booking, approve=True)
    services.booking_decide(actor=mc.officer.user, booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.decided_by == mc.officer
    with pytest.raises(TransitionNotAllowed):
        services.booking_decide(actor=mc.officer.user, booking=booking, approve=False, note="重复")

    later = make_meeting(room=None, starts_at=next_monday(15), ends_at=next_monday(17), organizer=mc.officer_low)
    request = services.room_book(actor=mc.officer_low.user, meeting=later, room=mc.video_room)
    with pytest.raises(ValidationError):
        services.booking_decide(actor=mc.officer.user, booking=request, approve=False)  # a reason is needed
    services.booking_decide(actor=mc.officer.user, booking=request, approve=False, note="设备检修")
    later.refresh_from_db()
    assert later.room is None
    assert RoomBooking.objects.get(pk=request.pk).state == BookingState.REFUSED
    assert Notification.objects.filter(recipient=mc.officer_low.user, verb__startswith="会议室预订未获批准").exists()


THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_room_leave_one_holder(meeting_city, make_meeting):
    """GIVEN 8 meetings at overlapping times next Monday WHEN 8 sessions (separate connections) book
    第一会议室 for them at the same moment THEN exactly one holds it and the seven others are refused."""
    mc = meeting_city
    start = next_monday()
    meetings = [
        make_meeting(room=None, title=f"会议{i}", starts_at=start + timedelta(minutes=10 * i)) for i in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    won: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []

    def attempt(meeting: Meeting) -> None:
        try:
            officer = User.objects.get(pk=mc.officer.user.pk)
            barrier.wait(timeout=60)
            try:
                services.room_book(actor=officer, meeting=meeting, room=mc.room)
                won.append(meeting.pk)
            except ValidationError:
                refused.append(meeting.pk)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    assert len(won) == 1 and len(refused) == THREADS - 1
    holding = RoomBooking.objects.filter(room=mc.room, state__in=(BookingState.REQUESTED, BookingState.CONFIRMED))
    assert list(holding.values_list("meeting", flat=True)) == won
    assert Meeting.objects.filter(room=mc.room).count() == 1
