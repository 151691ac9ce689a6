"""The demo office's 会议: the 会务科 (周涛, 唐静) runs the 市政府's meetings in its rooms, each walked
through ``meetings.services`` on its day (``office.demo.as_of``):

- 第13次常务会议, a week ago: two 议题 (发改局, 住建局) 报送 → 审核 → 定题 → 列入议程, the people signed in,
  two 议定事项, the 纪要 walked through ``documents`` (核稿, 签发, 登记, 核发) — which opened one 督办
  item per decision by itself;
- a 秘密 专题会议 three days ago in the 涉密会议室, its numbered material issued to the attendees and
  recalled from all but one (the 会务员 sees who has not returned his copy);
- 第14次常务会议 in three days, notified: 议题 placed, one waiting for 定题, one for the 分管领导's
  审核, one returned; replies in (one 请假), others pending;
- a 电视电话会议 tomorrow on the province's platform (its video room booked and approved);
- 第15次常务会议 in ten days, in preparation;
- the leaders' week: meetings from here, 调研, 接待, 外出 entered by the office.

Dates are relative to now. A second run adds nothing (the rooms are the marker).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from documents.outgoing import services as documents
from meetings import services
from meetings.models import ActivityKind, AttendeeRole, MeetingType, Reply, Room, RoomKind
from office import demo
from office.confidentiality.levels import Level

OFFICER, CHIEF_OFFICER = "meeting_officer", "hw_chief"
ORGAN = "LJ"


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """``hour``:``minute`` of the day ``days`` from today (take it before ``as_of``: it shifts "now")."""
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _around_now(days: int) -> datetime:
    """The start of a meeting ``days`` from now that is running when ``as_of(days)`` acts (the demo
    acts at the present hour of that day), on the hour."""
    start = timezone.localtime() + timedelta(days=days) - timedelta(hours=1)
    return start.replace(minute=0, second=0, microsecond=0)


def seed(context: demo.DemoContext) -> None:
    units, people = context.units, context.people
    organ = units[ORGAN]
    if Room.objects.filter(organ=organ).exists():
        return
    rooms = _rooms(context)
    officer = people[OFFICER].user
    standing = MeetingType.objects.get(code="standing")
    leaders = [people["director"], people["vice_mayor"], people["secretary_general"], people["office_chief"]]
    bureaus = [people["fgj_director"], people["czj_director"], people["zjj_director"]]

    # 第13次常务会议, a week ago.
    start = _around_now(-7)
    with demo.as_of(-12):
        held = services.meeting_create(
            actor=officer,
            type=standing,
            title="临江市人民政府第13次常务会议",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            chair=people["director"],
            room=rooms["standing"],
            notice="研究2027年重点项目安排和老旧小区改造工作。",
        )
        services.attendee_invite(actor=officer, meeting=held, people=leaders)
        services.attendee_invite(actor=officer, meeting=held, people=bureaus, role=AttendeeRole.SIT_IN)
        topics = [
            _topic(context, standing, "2027年市级重点项目安排", "LJ-FGJ", "fgj_director", held),
            _topic(context, standing, "老旧小区改造三年行动方案", "LJ-ZJJ", "zjj_director", held),
        ]
        services.meeting_notify(actor=officer, meeting=held)
    with demo.as_of(-7):
        services.meeting_hold(actor=officer, meeting=held)
        for attendee in held.attendees.select_related("person"):
            services.sign_in(actor=officer, meeting=held, attendee=attendee)
        services.decision_add(
            actor=officer,
            meeting=held,
            text="原则同意2027年市级重点项目安排，由市发改局会同市财政局于一个月内落实资金计划。",
            lead_unit=units["LJ-FGJ"],
            assist_units=[units["LJ-CZJ"]],
            due=timezone.localdate() + timedelta(days=30),
            topic=topics[0],
        )
        services.decision_add(
            actor=officer,
            meeting=held,
            text="原则同意老旧小区改造三年行动方案，市住建局于两个月内完成首批12个小区的改造设计。",
            lead_unit=units["LJ-ZJJ"],
            due=timezone.localdate() + timedelta(days=60),
            topic=topics[1],
        )
        minutes = services.minutes_draft(actor=officer, meeting=held)
    with demo.as_of(-6):
        _walk_minutes(context, minutes)

    _secret_meeting(context, rooms)
    _next_standing(context, rooms, standing, leaders, bureaus)
    _video_meeting(context, rooms)
    starts, ends = _at(10, 9), _at(10, 12)
    with demo.as_of(-1):
        planned = services.meeting_create(
            actor=officer,
            type=standing,
            title="临江市人民政府第15次常务会议",
            starts_at=starts,
            ends_at=ends,
            chair=people["director"],
            room=rooms["standing"],
        )
        services.attendee_invite(actor=officer, meeting=planned, people=leaders)
    _schedule(context)
    context.report.append(
        "会议: 第13次常务会议（纪要已印发，议定事项已转督办）、涉密专题会议（材料待清退）、"
        "第14次（已通知）、第15次（筹备中）、电视电话会议"
    )


def _rooms(context) -> dict[str, Room]:
    organ, people = context.units[ORGAN], context.people
    made = {
        "first": {"name": "市政府第一会议室", "location": "市政府大楼3楼", "capacity": 60, "equipment": "投影、扩声"},
        "standing": {
            "name": "常务会议室",
            "location": "市政府大楼5楼",
            "capacity": 40,
            "equipment": "扩声、录音",
            "max_classification": Level.CONFIDENTIAL,
        },
        "secure": {
            "name": "涉密会议室",
            "location": "市政府大楼5楼（屏蔽）",
            "capacity": 20,
            "equipment": "屏蔽设施",
            "max_classification": Level.SECRET,
        },
        "video": {
            "name": "视频会议室",
            "location": "市政府大楼2楼",
            "kind": RoomKind.VIDEO,
            "capacity": 80,
            "equipment": "视频会议终端、双屏、扩声",
            "needs_approval": True,
        },
    }
    return {
        key: Room.objects.create(organ=organ, manager=people[CHIEF_OFFICER], **values) for key, values in made.items()
    }


def _topic(context, meeting_type, title, unit_code, presenter, meeting=None, *, upto="placed"):
    """A 议题 of ``unit_code``'s 局长 walked to ``upto``: submitted, reviewed, approved or placed."""
    units, people = context.units, context.people
    bureau_head = people[presenter]
    topic = services.topic_create(
        actor=bureau_head.user,
        meeting_type=meeting_type,
        title=title,
        summary=f"提请市政府常务会议审议《{title}》。",
        unit=units[unit_code],
        presenter=bureau_head,
        reviewing_leader=people["vice_mayor"],
        organ=units[ORGAN],  # for the 市政府's 常务会议
        consultation="已征求市财政局、市自然资源和规划局意见，均无不同意见；已会签。",
        agreed=True,
        minutes=15,
    )
    services.topic_submit(actor=bureau_head.user, topic=topic)
    if upto == "submitted":
        return topic
    services.topic_review(actor=people["vice_mayor"].user, topic=topic, opinion="同意提交常务会议。")
    if upto == "reviewed":
        return topic
    services.topic_approve(actor=people["director"].user, topic=topic, opinion="同意上会。")
    if upto == "approved" or meeting is None:
        return topic
    return services.topic_place(actor=people[OFFICER].user, topic=topic, meeting=meeting)


def _walk_minutes(context, document) -> None:
    """核稿 by the 秘书科, 签发 by the 市长, 登记 and 核发: the 纪要's issue opens the 督办 items."""
    people = context.people
    clerk, director = people["clerk"].user, people["director"].user
    document = documents.outgoing_submit(actor=document.drafter.user, document=document)
    document = documents.outgoing_review(actor=clerk, document=document, approve=True)
    document = documents.outgoing_sign(actor=director, document=document, approve=True, opinion="同意印发。")
    document = documents.outgoing_register(actor=clerk, document=document)
    documents.outgoing_issue(actor=clerk, document=document)


def _secret_meeting(context, rooms) -> None:
    people = context.people
    officer = people[OFFICER].user
    special = MeetingType.objects.get(code="special")
    start = _around_now(-3)
    with demo.as_of(-5):
        meeting = services.meeting_create(
            actor=officer,
            type=special,
            title="全市安全生产形势分析专题会议",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            chair=people["vice_mayor"],
            room=rooms["secure"],
            level=Level.CONFIDENTIAL,
            basis="《应急管理工作国家秘密范围的规定》",
            term_unit="years",
            term_amount=5,
        )
        services.attendee_invite(
            actor=officer,
            meeting=meeting,
            people=[people["vice_mayor"], people["office_chief"], people["fgj_director"], people["zjj_director"]],
        )
        material = services.material_add(
            actor=officer, meeting=meeting, title="全市安全生产风险隐患排查情况汇报", pages=12
        )
        services.material_check(actor=officer, material=material)
        services.meeting_notify(actor=officer, meeting=meeting)
    with demo.as_of(-3):
        services.meeting_hold(actor=officer, meeting=meeting)
        for attendee in meeting.attendees.select_related("person"):
            services.sign_in(actor=officer, meeting=meeting, attendee=attendee)
        copies = services.material_issue(actor=officer, material=material)
        for copy in copies[:-1]:  # all but the last come back
            services.material_recall(actor=officer, copy=copy)


def _next_standing(context, rooms, standing, leaders, bureaus) -> None:
    people = context.people
    officer = people[OFFICER].user
    starts, ends = _at(3, 9), _at(3, 12)  # from today, not from the day acted on
    with demo.as_of(-4):
        meeting = services.meeting_create(
            actor=officer,
            type=standing,
            title="临江市人民政府第14次常务会议",
            starts_at=starts,
            ends_at=ends,
            chair=people["director"],
            room=rooms["standing"],
            notice="研究促进消费和优化营商环境有关工作。",
        )
        services.attendee_invite(actor=officer, meeting=meeting, people=leaders)
        services.attendee_invite(actor=officer, meeting=meeting, people=bureaus, role=AttendeeRole.SIT_IN)
        _topic(context, standing, "促进消费若干措施", "LJ-SWJ", "swj_director", meeting)
        _topic(context, standing, "2027年财政预算编制方案", "LJ-CZJ", "czj_director", upto="approved")
        _topic(context, standing, "优化营商环境行动方案", "LJ-FGJ", "fgj_director", upto="reviewed")
        services.meeting_notify(actor=officer, meeting=meeting)
    with demo.as_of(-2):
        _topic(context, standing, "城区停车设施建设规划", "LJ-ZJJ", "zjj_director", upto="submitted")
        services.attendee_reply(
            actor=people["secretary_general"].user, meeting=meeting, reply=Reply.LEAVE, reason="赴省参加会议"
        )
        services.attendee_reply(actor=people["vice_mayor"].user, meeting=meeting, reply=Reply.ATTEND)


def _video_meeting(context, rooms) -> None:
    people = context.people
    officer = people[OFFICER].user
    video = MeetingType.objects.get(code="video")
    starts, ends = _at(1, 15), _at(1, 17)
    with demo.as_of(-2):
        meeting = services.meeting_create(
            actor=officer,
            type=video,
            title="全省防汛抗旱工作电视电话会议临江分会场",
            starts_at=starts,
            ends_at=ends,
            chair=people["vice_mayor"],
            platform="省政府视频会议系统",
            branch_venues="各县（市、区）政府设分会场",
        )
        booking = services.room_book(actor=officer, meeting=meeting, room=rooms["video"])
        services.booking_decide(actor=people[CHIEF_OFFICER].user, booking=booking, approve=True, note="已调试终端")
        services.attendee_invite(
            actor=officer,
            meeting=meeting,
            people=[people["vice_mayor"], people["office_chief"], people["zjj_director"]],
        )
        services.meeting_notify(actor=officer, meeting=meeting)


def _schedule(context) -> None:
    people = context.people
    officer = people[OFFICER].user
    entries = [
        (
            "director",
            ActivityKind.RESEARCH,
            "到临江经开区调研重点项目建设",
            "临江经开区",
            _at(2, 9),
            _at(2, 11, 30),
            True,
        ),
        ("director", ActivityKind.RECEPTION, "会见来访客商代表团", "市政府贵宾室", _at(4, 15), _at(4, 16), False),
        ("vice_mayor", ActivityKind.TRAVEL, "赴省城参加全省安全生产工作会议", "省城", _at(5, 8), _at(5, 18), True),
        ("secretary_general", ActivityKind.OTHER, "陪同检查节前市场供应", "城区各大商超", _at(2, 14), _at(2, 17), True),
    ]
    for leader, kind, title, place, starts, ends, public in entries:
        services.schedule_add(
            actor=officer,
            leader=people[leader],
            kind=kind,
            title=title,
            place=place,
            starts_at=starts,
            ends_at=ends,
            public=public,
        )
