"""Meetings as iCalendar (RFC 5545): one meeting's ``.ics`` and a person's subscribed feed.

A calendar app is not a safe place: a meeting above 内部 appears as “涉密会议” at its time, with no
title, place or people. The feed is read with a signed token in its address (a calendar app sends
no session): ``feed_token`` names the account and a fingerprint of its password, so changing the
password (or deactivating the account) ends every address given out before.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from meetings.models import Meeting, MeetingState
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import User

FEED_SALT = "meetings.feed"
FEED_DAYS_BACK = 30
PRODID = "-//Shuniu//Meetings//ZH"


def _calendar(name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Asia/Shanghai")
    return calendar


def _place(meeting: Meeting) -> str:
    if meeting.room_id is not None:
        room = meeting.room
        return f"{room.name}（{room.location}）" if room.location else room.name
    return meeting.platform


STATUS = {MeetingState.PLANNED: "TENTATIVE", MeetingState.CANCELLED: "CANCELLED"}


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@shuniu")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("status", STATUS.get(meeting.state, "CONFIRMED"))
    if meeting.classification > Level.INTERNAL:
        event.add("summary", _("涉密会议"))
        event.add("class", "CONFIDENTIAL")
        return event
    event.add("summary", meeting.title)
    place = _place(meeting)
    if place:
        event.add("location", place)
    event.add(
        "description",
        _("主持：%(chair)s；会务联系人：%(organizer)s")
        % {
            "chair": meeting.chair.name,
            "organizer": meeting.organizer.name,
        },
    )
    return event


def _ics(calendar: Calendar, meetings: Iterable[Meeting]) -> bytes:
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    """One meeting as a calendar of one event (UID ``meeting-<pk>@shuniu``, times in UTC)."""
    return _ics(_calendar(), [meeting])


def feed_meetings(user: User):
    """The meetings of ``user``'s feed: those he may see and attends (or attends for), chairs or runs as
    会务联系人, not cancelled, from 30 days ago on."""
    person = person_of(user)
    if person is None:
        return Meeting.objects.none()
    mine = Q(chair=person) | Q(organizer=person) | Q(attendees__person=person) | Q(attendees__substitute=person)
    ids = Meeting.objects.filter(mine).values("pk")
    return (
        Meeting.objects.visible_to(user)
        .filter(pk__in=ids, ends_at__gte=timezone.now() - timedelta(days=FEED_DAYS_BACK))
        .exclude(state=MeetingState.CANCELLED)
        .select_related("room", "chair", "organizer")
        .order_by("starts_at", "id")
    )


def person_feed(user: User) -> bytes:
    """The subscribed calendar of ``user``'s meetings (``feed_meetings``)."""
    person = person_of(user)
    name = _("%(name)s的会议") % {"name": person.name} if person else _("会议")
    return _ics(_calendar(name), feed_meetings(user))


def _fingerprint(user: User) -> str:
    return salted_hmac(FEED_SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def feed_token(user: User) -> str:
    """The token of ``user``'s feed address (no expiry; a new password revokes it)."""
    return signing.Signer(salt=FEED_SALT).sign(f"{user.pk}:{_fingerprint(user)}")


def user_for_feed_token(token: str) -> User | None:
    """The account a feed token names, or None: forged, revoked (password changed since) or inactive."""
    try:
        pk, fingerprint = signing.Signer(salt=FEED_SALT).unsign((token or "").strip()).split(":")
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).select_related("person").first()
    if user is None or person_of(user) is None or not constant_time_compare(fingerprint, _fingerprint(user)):
        return None
    return user


NOT_EXPORTABLE = gettext_lazy("绝密会议只能在屏幕上查看，不能导出日历文件。")
