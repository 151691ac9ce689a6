"""Shared setup for the 会议 tests, on top of the supervision ``city`` (tests/supervision/conftest.py).

测试市人民政府: its head 刘市长 (领导, 机密) chairs the 常务会议; 李市长 (副市长, 领导) is a 分管领导 and
gives instructions; the 办公室 has 会务科 (会务员 周会务, 机密; 会务员 何会务, 内部) and 秘书科 (文秘
秘书甲, who runs the 纪要 series 测府纪要 of the 办公室); 督查室 (王督查) takes the 议定事项. 发改委 (钱主任,
孙科员) and 财政局 (周局长) submit 议题 and attend. 吴科员 (内部, 办公室, no role) and 郑科员 (another
city) are outside.

Rooms: 第一会议室 (40 seats, up to 内部), 保密会议室 (20 seats, up to 机密, needs no approval), 视频会议室
(video, up to 内部, needs the 会务科's approval).

``make_meeting`` creates a meeting straight through the ORM (default: a 常务会议 of the city next
Monday 9:00–12:00 in 第一会议室, chaired by 刘市长, run by 周会务, 筹备中, no attendees); pass
``attendees=[person, …]`` to invite them (出席). A meeting of a type held in the government's name gets
an approved 会议计划 entry of its month (``approved_plan``) unless ``plan=`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from documents.models import DocumentSeries
from meetings.models import Attendee, AttendeeRole, Meeting, MeetingPlan, MeetingType, PlanState, Room, RoomKind
from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit
from tests.factories import UnitFactory, make_person
from tests.supervision.conftest import City, city, set_head, today  # noqa: F401  (fixtures used here)


@dataclass
class MeetingCity:
    city: City
    organ: Unit
    office: Unit  # 办公室
    services_unit: Unit  # 会务科
    secretariat: Unit  # 秘书科
    mayor: Person  # 刘市长: head of the organ, chairs (机密)
    vice_mayor: Person  # 李市长: 分管领导 (机密)
    officer: Person  # 周会务: 会务员 of 会务科 (机密)
    officer_low: Person  # 何会务: 会务员 of 会务科 (内部)
    secretary: Person  # 秘书甲: 文秘 of 秘书科, runs the 纪要 series
    supervisor: Person  # 王督查
    ndrc: Unit
    ndrc_head: Person  # 钱主任 (机密)
    ndrc_staff: Person  # 孙科员 (秘密)
    finance: Unit
    finance_head: Person  # 周局长 (机密)
    low: Person  # 吴科员 (内部, 办公室)
    outsider: Person  # 郑科员, another city
    room: Room  # 第一会议室
    secure_room: Room  # 保密会议室
    video_room: Room  # 视频会议室
    series: DocumentSeries  # 测府纪要 (纪要格式) of the 办公室

    def type(self, code: str = "standing") -> MeetingType:
        return MeetingType.objects.get(code=code)


@pytest.fixture
def meeting_city(city) -> MeetingCity:  # noqa: F811
    services_unit = UnitFactory(parent=city.office, name="会务科")
    secretariat = UnitFactory(parent=city.office, name="秘书科")
    mayor = make_person(
        username="mt-mayor", name="刘市长", unit=city.organ, roles=(Role.LEADER,), clearance=Level.SECRET
    )
    set_head(city.organ, mayor)
    officer = make_person(
        username="mt-officer", name="周会务", unit=services_unit, roles=(Role.MEETING_OFFICER,), clearance=Level.SECRET
    )
    officer_low = make_person(username="mt-officer2", name="何会务", unit=services_unit, roles=(Role.MEETING_OFFICER,))
    set_head(services_unit, officer)
    secretary = make_person(
        username="mt-secretary", name="秘书甲", unit=secretariat, roles=(Role.SECRETARY,), clearance=Level.SECRET
    )
    series = DocumentSeries.objects.create(
        organ=city.organ,
        office=city.office,
        code="测府纪要",
        issuer_name="测试市人民政府常务会议纪要",
        template="minutes",
    )
    room = Room.objects.create(organ=city.organ, name="第一会议室", location="市政府大楼3楼", capacity=40)
    secure_room = Room.objects.create(
        organ=city.organ,
        name="保密会议室",
        location="市政府大楼5楼",
        capacity=20,
        max_classification=Level.SECRET,
        manager=officer,
    )
    video_room = Room.objects.create(
        organ=city.organ,
        name="视频会议室",
        kind=RoomKind.VIDEO,
        capacity=60,
        equipment="视频终端、双屏",
        needs_approval=True,
        manager=officer,
    )
    return MeetingCity(
        city=city,
        organ=city.organ,
        office=city.office,
        services_unit=services_unit,
        secretariat=secretariat,
        mayor=mayor,
        vice_mayor=city.leader,
        officer=officer,
        officer_low=officer_low,
        secretary=secretary,
        supervisor=city.supervisor,
        ndrc=city.ndrc,
        ndrc_head=city.ndrc_head,
        ndrc_staff=city.ndrc_staff,
        finance=city.finance,
        finance_head=city.finance_head,
        low=city.low,
        outsider=city.outsider,
        room=room,
        secure_room=secure_room,
        video_room=video_room,
        series=series,
    )


def next_monday(hour: int = 9) -> datetime:
    day = timezone.localdate()
    monday = day + timedelta(days=7 - day.weekday())
    return timezone.make_aware(datetime(monday.year, monday.month, monday.day, hour))


def approved_plan(meeting_city, meeting_type: MeetingType, starts) -> MeetingPlan:
    """An approved 会议计划 entry for a meeting of ``meeting_type`` in the month of ``starts``."""
    return MeetingPlan.objects.create(
        organ=meeting_city.organ,
        year=starts.year,
        month=starts.month,
        type=meeting_type,
        title=f"{meeting_type.name}（{starts.month}月）",
        organizing_unit=meeting_city.services_unit,
        reason="按年度会议计划召开",
        state=PlanState.APPROVED,
        submitted_by=meeting_city.officer,
        decided_by=meeting_city.mayor,
        decided_at=timezone.now(),
    )


@pytest.fixture
def make_meeting(meeting_city):
    def _make(*, attendees=(), **fields) -> Meeting:
        starts = fields.pop("starts_at", None) or next_monday()
        values = {
            "organ": meeting_city.organ,
            "type": meeting_city.type(fields.pop("type_code", "standing")),
            "year": starts.year,
            "title": "测试市人民政府第12次常务会议",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "room": meeting_city.room,
            "chair": meeting_city.mayor,
            "organizer": meeting_city.officer,
            "organizing_unit": meeting_city.services_unit,
            "created_by": meeting_city.officer,
        }
        values.update(fields)
        if "plan" not in values and values["type"].government_name:
            values["plan"] = approved_plan(meeting_city, values["type"], starts)
        meeting = Meeting.objects.create(**values)
        for person in attendees:
            Attendee.objects.create(meeting=meeting, person=person, role=AttendeeRole.ATTEND)
        return meeting

    return _make
