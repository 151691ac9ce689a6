"""Load the demo office: 临江市人民政府 with its office, a few bureaus, and the demo logins.

Idempotent: what exists is left as it is, so running it twice changes nothing. Refuses to run
outside demo mode (SHUNIU_DEMO=1), and demo accounts cannot log in outside demo mode anyway.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from office.confidentiality.levels import Level
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

L, CH, SEC, SUP, PET, MTG, SO, H, ADM = (
    Role.LEADER,
    Role.OFFICE_CHIEF,
    Role.SECRETARY,
    Role.SUPERVISOR,
    Role.PETITION_OFFICER,
    Role.MEETING_OFFICER,
    Role.SECURITY_OFFICER,
    Role.HANDLER,
    Role.SYSTEM_ADMIN,
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
    DemoPerson("sysadmin", "冯宇", "LJ-BGS-ZH", "信息化管理员", I, (ADM,), login="系统管理员（管理后台）"),
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
]

DEMO_LOGINS = [person for person in PEOPLE if person.login]

DEMO_CARRIERS = [
    {
        "title": "关于全市重点项目布局调整的请示（送审稿）",
        "level": S,
        "unit": "LJ-BGS-MS",
        "reference": "临发改〔2026〕31号",
        "source": "临江市发展和改革局",
        "basis": "国家秘密及其密级具体范围（发展改革）第3项",
        "content": "一、调整的必要性……\n二、调整方案……",
        "grant": ("director", "office_chief"),
        "copies": ("director", "LJ-FGJ"),
    },
    {
        "title": "应急物资储备点位分布表",
        "level": C,
        "unit": "LJ-BGS-ZH",
        "kind": "usb",
        "term_unit": "months",
        "term_amount": 6,
        "basis": "应急管理工作国家秘密范围",
        "content": "储备点位共12处，详见附表。",
        "grant": ("supervisor",),
        "copies": ("supervisor",),
    },
    {
        "title": "重大活动安全保卫方案",
        "level": TS,
        "unit": "LJ-BGS-BM",
        "basis": "公安工作国家秘密范围",
        "content": "（绝密内容仅在屏幕上显示，带阅读人水印。）",
        "grant": ("director",),
        "copies": ("director",),
    },
    {
        "title": "市政府常务会议议题安排（内部）",
        "level": I,
        "unit": "LJ-BGS-HW",
        "content": "第1项：审议《临江市优化营商环境若干措施》。",
    },
    {
        "title": "招商引资项目谈判底线",
        "level": S,
        "unit": "LJ-SWJ-MY",
        "term_unit": "condition",
        "condition": "项目签约并公开发布后",
        "basis": "商务工作国家秘密范围",
        "content": "谈判底线见附件。",
    },
]


class Command(BaseCommand):
    help = "载入演示机关（临江市人民政府）及演示账号；可重复运行。仅在演示模式（SHUNIU_DEMO=1）下可用。"

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="只打印演示账号，不写数据库。")

    def handle(self, *args, print_logins: bool = False, **options):
        if not settings.SHUNIU_DEMO:
            raise CommandError("演示数据只能在演示模式下载入：请设置 SHUNIU_DEMO=1（make run 会设置）。")
        if print_logins:
            self._print_logins()
            return
        created_units, created_people = self._seed()
        self.stdout.write(
            f"demo office: {created_units} units and {created_people} people created "
            f"({Unit.objects.count()} units, {Person.objects.count()} people in all)"
        )

    @transaction.atomic
    def _seed(self) -> tuple[int, int]:
        units: dict[str, Unit] = {}
        created_units = 0
        for spec in UNITS:
            unit = Unit.objects.filter(code=spec.code).first()
            if unit is None:
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
        for spec in PEOPLE:
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
                    phone=f"0571-8{6100001 + PEOPLE.index(spec):07d}",
                )
                created_people += 1
            unit = units[spec.unit]
            if spec.head and unit.head_id is None:
                unit.head = person
                unit.save(update_fields=["head"])
        self._seed_confidentiality(units)
        self._seed_deadlines(units)
        return created_units, created_people

    def _seed_deadlines(self, units: dict[str, Unit]) -> None:
        """A few due dates around today, so the reminders, badges and the bell have something to show."""
        from datetime import timedelta

        from django.utils import timezone

        from office.confidentiality.models import Carrier
        from office.reminders import services as reminders

        subject = Carrier.objects.filter(title="市政府常务会议议题安排（内部）").first()
        if subject is None or reminders.deadlines_of(subject):
            return
        today = timezone.localdate()
        people = {p.user.username: p for p in Person.objects.filter(is_demo=True)}
        # due in two days, overdue by a week, and due in a month; opened as the office would.
        for person, start, amount, unit in [
            ("staff", today - timedelta(days=13), 15, "calendar_days"),
            ("staff", today - timedelta(days=37), 30, "calendar_days"),
            ("clerk", today, 20, "working_days"),
        ]:
            reminders.deadline_open(
                actor=None,
                subject=subject,
                kind="general",
                start=start,
                amount=amount,
                unit=unit,
                responsible_person=people[person],
                leader=people["office_chief"],
            )

    def _seed_confidentiality(self, units: dict[str, Unit]) -> None:
        """A few carriers in the 保密 register, with grants and numbered copies."""
        from datetime import timedelta

        from django.utils import timezone

        from office.confidentiality import services as secrecy
        from office.confidentiality.models import Carrier

        people = {p.user.username: p for p in Person.objects.filter(is_demo=True).select_related("user", "unit")}
        officer = people["security_officer"]
        for spec in DEMO_CARRIERS:
            if Carrier.objects.filter(title=spec["title"]).exists():
                continue
            carrier = secrecy.carrier_register(
                actor=officer.user if spec["level"] <= officer.clearance else people["director"].user,
                title=spec["title"],
                unit=units[spec["unit"]],
                level=spec["level"],
                kind=spec.get("kind", "paper"),
                reference=spec.get("reference", ""),
                source_organ=spec.get("source", ""),
                # Above the ceiling only the register is kept (the demo raises it to 绝密).
                content=spec["content"] if spec["level"] <= settings.SHUNIU_CLASSIFICATION_CEILING else "",
                basis=spec.get("basis", ""),
                term_unit=spec.get("term_unit", ""),
                term_amount=spec.get("term_amount"),
                condition=spec.get("condition", ""),
            )
            registrar = carrier.created_by.user
            for username in spec.get("grant", ()):
                secrecy.grant(actor=registrar, record=carrier, person=people[username], reason="工作需要")
            for holder in spec.get("copies", ()):
                target = {"holder_person": people[holder]} if holder in people else {"holder_unit": units[holder]}
                secrecy.copy_issue(
                    actor=registrar, record=carrier, due_back=timezone.localdate() + timedelta(days=30), **target
                )

    def _print_logins(self) -> None:
        width = max(len(person.username) for person in DEMO_LOGINS)
        self.stdout.write(f"演示账号 / demo logins (password: {settings.DEMO_PASSWORD}):")
        for person in DEMO_LOGINS:
            self.stdout.write(f"  {person.username.ljust(width)}  {person.name}  {person.login}")
