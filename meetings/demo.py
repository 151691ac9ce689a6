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
- the leaders' week: meetings from here, 调研, 接待, 外出 entered by the office;
- this year's 会议计划 (``_plans``): each 常务会议 held under its month's entry (报批, 批准 by the 市长), the
  电视电话会议 reported 计划外 and approved, a 全体会议 报批 and waiting, a 专题会议 列入计划, a 工作会议
  撤销 (merged into another), a yearly 电视电话会议 entry; the held meetings carry their 会议费.

Dates are relative to now. A second run adds nothing (the rooms are the marker).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from documents.outgoing import services as documents
from meetings import services
from meetings.models import ActivityKind, AttendeeRole, MeetingPlan, MeetingType, PlanState, Reply, Room, RoomKind
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
            plan=_plan(context, standing, "临江市人民政府第13次常务会议", start),
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
        services.meeting_edit(actor=officer, meeting=held, cost=Decimal("1800.00"))  # 会议费: 材料印制、茶水
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
            plan=_plan(context, standing, "临江市人民政府第15次常务会议", starts),
            ends_at=ends,
            chair=people["director"],
            room=rooms["standing"],
        )
        services.attendee_invite(actor=officer, meeting=planned, people=leaders)
    _plans(context)
    _schedule(context)
    context.report.append(
        "会议: 第13次常务会议（纪要已印发，议定事项已转督办）、涉密专题会议（材料待清退）、"
        "第14次（已通知）、第15次（筹备中）、电视电话会议"
    )


def _plan(context, meeting_type: MeetingType, title: str, starts_at: datetime) -> MeetingPlan | None:
    """The approved 会议计划 entry of its month a meeting in the government's name is held under
    (that month's 常务会议 entry, 报批 and 批准 through ``services`` when it is not there yet)."""
    if not meeting_type.government_name:
        return None
    day = timezone.localtime(starts_at)
    held_under = MeetingPlan.objects.filter(
        organ=context.units[ORGAN], year=day.year, month=day.month, type=meeting_type, state=PlanState.APPROVED
    )
    found = held_under.filter(unplanned=False).order_by("id").first()
    if found is not None:
        return found
    name = f"{meeting_type.name}（{day.month}月）" if meeting_type.numbered else title
    entry = _plan_entry(context, meeting_type, name, day.year, day.month, "按年度会议计划，研究本月重要事项。")
    return _approve(context, entry, "同意按计划召开。")


def _plan_entry(context, meeting_type, title, year, month, reason, **fields) -> MeetingPlan:
    """An entry 拟订 by the 会务员 of the 会务科."""
    people = context.people
    return services.plan_create(
        actor=people[OFFICER].user,
        year=year,
        month=month,
        type=meeting_type,
        title=title,
        organizing_unit=people[OFFICER].unit,
        reason=reason,
        **fields,
    )


def _approve(context, entry: MeetingPlan, opinion: str) -> MeetingPlan:
    """报批 by the 会务员 and 批准 by the 市长 (the organ's 主要领导)."""
    people = context.people
    entry = services.plan_submit(actor=people[OFFICER].user, plan=entry)
    return services.plan_approve(actor=people["director"].user, plan=entry, opinion=opinion)


def _plans(context) -> None:
    """This year's 会议计划 beyond the 常务会议 entries: a 全体会议 报批 and waiting for the 市长, a 专题会议
    列入计划 (no approval), a 工作会议 撤销 (merged into another: 精文减会), a yearly 电视电话会议 entry; and
    this month's 常务会议 entry (a meeting registered today is held under it)."""
    people, year = context.people, timezone.localdate().year
    month = timezone.localdate().month
    later = min(month + 1, 12)
    other = month - 1 if month > 1 else month + 1  # the plan spans several months whenever it is loaded
    types = {kind.code: kind for kind in MeetingType.objects.all()}
    plenary = _plan_entry(
        context,
        types["plenary"],
        "临江市人民政府第六次全体会议",
        year,
        later,
        "总结全年工作，部署明年重点任务。",
        expected_size=150,
        budget=Decimal("12000.00"),
    )
    services.plan_submit(actor=people[OFFICER].user, plan=plenary)
    special = _plan_entry(
        context,
        types["special"],
        "城市更新专题会议",
        year,
        other,
        "研究老旧小区改造和城市更新项目推进。",
        expected_size=30,
    )
    services.plan_list(actor=people[OFFICER].user, plan=special)
    merged = _plan_entry(
        context,
        types["work"],
        "全市农村工作会议",
        year,
        month,
        "部署冬春农田水利建设。",
        expected_size=200,
        days=1,
        budget=Decimal("30000.00"),
    )
    services.plan_drop(actor=people[OFFICER].user, plan=merged, reason="与全市经济工作会议合并召开，不再单独召开。")
    yearly = _plan_entry(
        context,
        types["video"],
        "全市安全生产电视电话会议（全年4次）",
        year,
        None,
        "每季度分析安全生产形势，以电视电话会议形式召开，不再集中开会。",
        video=True,
        budget=Decimal("2000.00"),
    )
    _approve(context, yearly, "同意，以视频会议形式召开。")
    _plan(context, types["standing"], "临江市人民政府常务会议", timezone.now())


def _unplanned(context, meeting) -> None:
    """计划外报批 by the 会务员 (the meeting is not in the plan), 批准 by the 市长."""
    people = context.people
    entry = services.meeting_report_unplanned(
        actor=people[OFFICER].user, meeting=meeting, reason="省政府临时召开，须设临江分会场参加。"
    )
    services.plan_approve(actor=people["director"].user, plan=entry, opinion="同意计划外召开。")


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
            plan=_plan(context, special, "全市安全生产形势分析专题会议", start),
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
        services.meeting_edit(actor=officer, meeting=meeting, cost=Decimal("600.00"))  # 会议费
        services.venue_check(actor=officer, meeting=meeting, note="手机统一存放，会场已检查。")  # 涉密: before 召开
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
            plan=_plan(context, standing, "临江市人民政府第14次常务会议", starts),
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
        _unplanned(context, meeting)  # not in the plan: 计划外, approved by the 市长
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
