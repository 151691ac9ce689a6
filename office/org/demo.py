"""The demo office's units and people: 临江市人民政府 with its office and four bureaus, and the demo
logins of DESIGN.md (``manage.py seed_demo --print-logins`` prints ``DEMO_LOGINS``)."""

from dataclasses import dataclass

from django.conf import settings

from office.confidentiality.levels import Level
from office.demo import DemoContext
from office.org import services
from office.org.models import Person, Role, Unit, UnitKind


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    unit: str
    post: str
    clearance: Level
    roles: tuple[Role, ...]
    head: bool = False
    login: str = ""  # what the login is for, printed by --print-logins (demo logins only)


ORGAN, DEPT, SECTION = UnitKind.ORGAN, UnitKind.DEPARTMENT, UnitKind.SECTION

UNITS = [
    DemoUnit("LJ", "临江市人民政府", "市政府", ORGAN, None),
    DemoUnit("LJ-BGS", "临江市人民政府办公室", "市政府办公室", DEPT, "LJ"),
    DemoUnit("LJ-BGS-MS", "秘书科", "秘书科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-DC", "督查科", "督查科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-XF", "信访科", "信访科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-BM", "保密办公室", "保密办", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-HW", "会务科", "会务科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-BGS-ZH", "综合科", "综合科", SECTION, "LJ-BGS"),
    DemoUnit("LJ-FGJ", "临江市发展和改革局", "市发展改革局", ORGAN, "LJ"),
    DemoUnit("LJ-FGJ-BGS", "办公室", "发改局办公室", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-FGJ-GH", "综合规划科", "规划科", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-FGJ-TZ", "固定资产投资科", "投资科", SECTION, "LJ-FGJ"),
    DemoUnit("LJ-SWJ", "临江市商务局", "市商务局", ORGAN, "LJ"),
    DemoUnit("LJ-SWJ-BGS", "办公室", "商务局办公室", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-SWJ-SC", "市场运行科", "市场运行科", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-SWJ-MY", "对外贸易科", "外贸科", SECTION, "LJ-SWJ"),
    DemoUnit("LJ-CZJ", "临江市财政局", "市财政局", ORGAN, "LJ"),
    DemoUnit("LJ-CZJ-BGS", "办公室", "财政局办公室", SECTION, "LJ-CZJ"),
    DemoUnit("LJ-CZJ-YS", "预算科", "预算科", SECTION, "LJ-CZJ"),
    DemoUnit("LJ-ZJJ", "临江市住房和城乡建设局", "市住建局", ORGAN, "LJ"),
    DemoUnit("LJ-ZJJ-BGS", "办公室", "住建局办公室", SECTION, "LJ-ZJJ"),
    DemoUnit("LJ-ZJJ-JZ", "建筑业管理科", "建管科", SECTION, "LJ-ZJJ"),
    DemoUnit("LJ-ZJJ-CJ", "城市建设科", "城建科", SECTION, "LJ-ZJJ"),
]

L, CH, SEC, SUP, PET, MTG, SO, H, ADM, SADM, AUD = (
    Role.LEADER,
    Role.OFFICE_CHIEF,
    Role.SECRETARY,
    Role.SUPERVISOR,
    Role.PETITION_OFFICER,
    Role.MEETING_OFFICER,
    Role.SECURITY_OFFICER,
    Role.HANDLER,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDITOR,
)
TS, S, C, I = Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL

PEOPLE = [
    # The demo logins of DESIGN.md.
    DemoPerson(
        "director", "李明华", "LJ", "市长", TS, (L,), head=True, login="市长（机关主要负责人，领导），核心涉密人员"
    ),
    DemoPerson("office_chief", "王建国", "LJ-BGS", "办公室主任", S, (CH, L), head=True, login="办公室主任"),
    DemoPerson("clerk", "陈晓静", "LJ-BGS-MS", "文秘", C, (SEC,), login="文秘（收发文）"),
    DemoPerson("supervisor", "赵立新", "LJ-BGS-DC", "督查员", C, (SUP,), login="督查员"),
    DemoPerson("petition_officer", "孙丽", "LJ-BGS-XF", "信访员", I, (PET,), login="信访员"),
    DemoPerson("meeting_officer", "周涛", "LJ-BGS-HW", "会务员", C, (MTG,), login="会务员"),
    DemoPerson("security_officer", "吴敏", "LJ-BGS-BM", "保密员", S, (SO,), login="保密员"),
    DemoPerson("staff", "郑浩", "LJ-SWJ-SC", "科员", I, (H,), login="商务局承办人，无涉密资格"),
    # 三员分立: three people, one administrator role each.
    DemoPerson("sysadmin", "冯宇", "LJ-BGS-ZH", "信息化管理员", I, (ADM,), login="系统管理员（账号、单位、设置）"),
    DemoPerson("secadmin", "韩雪", "LJ-BGS-BM", "安全保密管理员", TS, (SADM,), login="安全保密管理员（涉密等级）"),
    DemoPerson("auditor", "蒋文", "LJ-BGS-ZH", "安全审计员", C, (AUD,), login="安全审计员（审计日志，只读）"),
    # A few more people per unit.
    DemoPerson("vice_mayor", "张卫东", "LJ", "副市长", S, (L,)),
    DemoPerson("secretary_general", "刘志刚", "LJ", "秘书长", S, (L,)),
    DemoPerson("ms_chief", "黄蕾", "LJ-BGS-MS", "科长", S, (SEC,), head=True),
    DemoPerson("ms_clerk2", "何佳", "LJ-BGS-MS", "科员", I, (SEC,)),
    DemoPerson("dc_chief", "马骏", "LJ-BGS-DC", "科长", S, (SUP,), head=True),
    DemoPerson("xf_chief", "罗红梅", "LJ-BGS-XF", "科长", C, (PET,), head=True),
    DemoPerson("xf_officer2", "梁斌", "LJ-BGS-XF", "科员", I, (PET,)),
    DemoPerson("bm_chief", "宋建平", "LJ-BGS-BM", "主任", TS, (SO,), head=True),
    DemoPerson("hw_chief", "唐静", "LJ-BGS-HW", "科长", C, (MTG,), head=True),
    DemoPerson("zh_chief", "许文", "LJ-BGS-ZH", "科长", I, (H,), head=True),
    DemoPerson("fgj_director", "韩磊", "LJ-FGJ", "局长", S, (L,), head=True),
    DemoPerson("fgj_office", "曹颖", "LJ-FGJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("fgj_gh_chief", "邓强", "LJ-FGJ-GH", "科长", C, (H,), head=True),
    DemoPerson("fgj_tz_chief", "彭飞", "LJ-FGJ-TZ", "科长", C, (H,), head=True),
    DemoPerson("fgj_staff", "曾雪", "LJ-FGJ-TZ", "科员", I, (H,)),
    DemoPerson("swj_director", "萧红", "LJ-SWJ", "局长", S, (L,), head=True),
    DemoPerson("swj_office", "田野", "LJ-SWJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("swj_sc_chief", "董明", "LJ-SWJ-SC", "科长", C, (H,), head=True),
    DemoPerson("swj_my_chief", "袁方", "LJ-SWJ-MY", "科长", C, (H,), head=True),
    DemoPerson("czj_director", "潘杰", "LJ-CZJ", "局长", S, (L,), head=True),
    DemoPerson("czj_office", "蒋琳", "LJ-CZJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("czj_ys_chief", "蔡亮", "LJ-CZJ-YS", "科长", C, (H,), head=True),
    DemoPerson("zjj_director", "余国强", "LJ-ZJJ", "局长", S, (L,), head=True),
    DemoPerson("zjj_office", "杜娟", "LJ-ZJJ-BGS", "办公室主任", C, (CH, SEC), head=True),
    DemoPerson("zjj_jz_chief", "叶峰", "LJ-ZJJ-JZ", "科长", C, (H,), head=True),
    DemoPerson("zjj_cj_chief", "程浩然", "LJ-ZJJ-CJ", "科长", C, (H,), head=True),
    # The 公开工作机构 (综合科)'s 政务公开员: last, so that the others keep their phone numbers.
    DemoPerson(
        "disclosure_officer", "林晓", "LJ-BGS-ZH", "政务公开员", I, (Role.DISCLOSURE_OFFICER,), login="政务公开员"
    ),
]

DEMO_LOGINS = [person for person in PEOPLE if person.login]


def seed(context: DemoContext) -> None:
    """The units, then the people (demo accounts, with the demo password), then the units' heads;
    fills ``context.units`` and ``context.people`` for the parts that follow."""
    units = context.units
    created_units = 0
    for spec in UNITS:
        unit = Unit.objects.filter(code=spec.code).first()
        if unit is None:
            # Written directly: org.services.unit_create wants a 系统管理员, and there is none
            # before there are units to put people in (an installation starts the same way).
            unit = Unit(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                parent=units.get(spec.parent),
                sort_order=len(units),
            )
            unit.full_clean()
            unit.save()
            created_units += 1
        units[spec.code] = unit

    created_people = 0
    people: dict[str, Person] = {}
    for index, spec in enumerate(PEOPLE):
        person = Person.objects.filter(user__username=spec.username).first()
        if person is None:
            person = services.person_create(
                actor=None,
                username=spec.username,
                name=spec.name,
                unit=units[spec.unit],
                post=spec.post,
                clearance=spec.clearance,
                roles=spec.roles,
                password=settings.DEMO_PASSWORD,
                is_demo=True,
                phone=f"0571-8{6100001 + index:07d}",
            )
            created_people += 1
        people[spec.username] = person
    for spec in PEOPLE:
        unit = units[spec.unit]
        if spec.head and unit.head_id is None:
            units[spec.unit] = services.unit_update(
                actor=people["sysadmin"].user, unit=unit, head=people[spec.username]
            )
    # Read back with their users and units, as the parts that follow use them (the units now headed).
    context.people.update(
        (p.user.username, p) for p in Person.objects.filter(is_demo=True).select_related("user", "unit")
    )
    context.report.append(
        f"demo office: {created_units} units and {created_people} people created "
        f"({Unit.objects.count()} units, {Person.objects.count()} people in all)"
    )
