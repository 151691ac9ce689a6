"""The rooms' calendar (``views.rooms``): the week of every room (rooms as rows, days as columns), a
day of every room (``?day=``), and one room's month or week (``?room=`` with ``?month=`` or
``?week=``). A booking of a meeting the reader may not see shows as "已预订" (``selectors.Slot``); a
room of another organ is a 404."""

from __future__ import annotations

import calendar as months
from datetime import date, timedelta

from django.http import Http404
from django.utils import timezone

from meetings import selectors
from meetings.views._common import _in_calendar, _organ_of, _rooms, _week_start


def _day(value: str | None) -> date:
    today = timezone.localdate()
    try:
        return _in_calendar(date.fromisoformat(value)) if value else today
    except ValueError:
        return today


def _month(value: str | None) -> date:
    """The first of ``YYYY-MM`` (this month's when missing or junk)."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return _in_calendar(date(year, month, 1)).replace(day=1)
    except ValueError:
        return today.replace(day=1)


def _by_day(slots) -> dict[tuple[int, date], list]:
    found: dict[tuple[int, date], list] = {}
    for slot in slots:
        found.setdefault((slot.room.pk, timezone.localtime(slot.starts_at).date()), []).append(slot)
    return found


def _slots(user, organ, first: date, last: date) -> dict[tuple[int, date], list]:
    if organ is None:
        return {}
    return _by_day(selectors.room_calendar(user=user, organ=organ, first=first, last=last))


def context(request) -> dict:
    """What ``meetings/rooms.html`` shows for the query: ``view`` is week, day, room_week or room_month."""
    user, query = request.user, request.GET
    organ = _organ_of(user)
    rooms = list(_rooms(user))
    base = {"rooms": rooms, "today": timezone.localdate()}
    if query.get("room"):
        room = next((r for r in rooms if str(r.pk) == query["room"]), None)
        if room is None:
            raise Http404
        if "week" in query:
            return {**base, **_room_week(user, organ, room, _week_start(query.get("week")))}
        return {**base, **_room_month(user, organ, room, _month(query.get("month")))}
    if "day" in query:
        return {**base, **_one_day(user, organ, rooms, _day(query.get("day")))}
    return {**base, **_week(user, organ, rooms, _week_start(query.get("week")))}


def _week(user, organ, rooms, monday: date) -> dict:
    days = [monday + timedelta(days=n) for n in range(7)]
    slots = _slots(user, organ, days[0], days[-1])
    rows = [
        {"room": room, "cells": [{"date": day, "slots": slots.get((room.pk, day), [])} for day in days]}
        for room in rooms
    ]
    return {
        "view": "week",
        "days": days,
        "rows": rows,
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
    }


def _one_day(user, organ, rooms, day: date) -> dict:
    slots = _slots(user, organ, day, day)
    return {
        "view": "day",
        "day": day,
        "rows": [{"room": room, "slots": slots.get((room.pk, day), [])} for room in rooms],
        "previous": (day - timedelta(days=1)).isoformat(),
        "next": (day + timedelta(days=1)).isoformat(),
    }


def _room_week(user, organ, room, monday: date) -> dict:
    days = [monday + timedelta(days=n) for n in range(7)]
    slots = _slots(user, organ, days[0], days[-1])
    return {
        "view": "room_week",
        "room": room,
        "days": days,
        "cells": [{"date": day, "slots": slots.get((room.pk, day), [])} for day in days],
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
    }


def _room_month(user, organ, room, first: date) -> dict:
    length = months.monthrange(first.year, first.month)[1]
    last = first.replace(day=length)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    slots = _slots(user, organ, start, end)
    weeks, day = [], start
    while day <= end:
        weeks.append(
            [
                {"date": d, "in_month": d.month == first.month, "slots": slots.get((room.pk, d), [])}
                for d in (day + timedelta(days=n) for n in range(7))
            ]
        )
        day += timedelta(days=7)
    before = (first - timedelta(days=1)).replace(day=1)
    after = last + timedelta(days=1)
    return {
        "view": "room_month",
        "room": room,
        "month": first,
        "weeks": weeks,
        "booked": sum(len(cell["slots"]) for week in weeks for cell in week if cell["in_month"]),
        "previous": f"{before.year:04d}-{before.month:02d}",
        "next": f"{after.year:04d}-{after.month:02d}",
    }
