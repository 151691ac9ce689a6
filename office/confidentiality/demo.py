"""The demo office's 保密 register: a few carriers at every level, with grants and numbered copies."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from office import demo
from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier


@dataclass(frozen=True)
class DemoCarrier:
    """A carrier in the 保密 register of ``unit``, granted to and copied for the named people (or
    units), with a 保密期限 of ``term_amount`` ``term_unit`` or until ``condition``."""

    title: str
    level: Level
    unit: str
    content: str
    kind: str = "paper"
    reference: str = ""
    source: str = ""
    basis: str = ""
    term_unit: str = ""
    term_amount: int | None = None
    condition: str = ""
    grant: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()


DEMO_CARRIERS = [
    DemoCarrier(
        title="关于全市重点项目布局调整的请示（送审稿）",
        level=Level.SECRET,
        unit="LJ-BGS-MS",
        reference="临发改〔2026〕31号",
        source="临江市发展和改革局",
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        content="一、调整的必要性……\n二、调整方案……",
        grant=("director", "office_chief"),
        copies=("director", "LJ-FGJ"),
    ),
    DemoCarrier(
        title="应急物资储备点位分布表",
        level=Level.CONFIDENTIAL,
        unit="LJ-BGS-ZH",
        kind="usb",
        term_unit="months",
        term_amount=6,
        basis="应急管理工作国家秘密范围",
        content="储备点位共12处，详见附表。",
        grant=("supervisor",),
        copies=("supervisor",),
    ),
    DemoCarrier(
        title="重大活动安全保卫方案",
        level=Level.TOP_SECRET,
        unit="LJ-BGS-BM",
        basis="公安工作国家秘密范围",
        content="（绝密内容仅在屏幕上显示，带阅读人水印。）",
        grant=("director",),
        copies=("director",),
    ),
    DemoCarrier(
        title="市政府常务会议议题安排（内部）",
        level=Level.INTERNAL,
        unit="LJ-BGS-HW",
        content="第1项：审议《临江市优化营商环境若干措施》。",
    ),
    DemoCarrier(
        title="招商引资项目谈判底线",
        level=Level.SECRET,
        unit="LJ-SWJ-MY",
        term_unit="condition",
        condition="项目签约并公开发布后",
        basis="商务工作国家秘密范围",
        content="谈判底线见附件。",
    ),
]


def seed(context: demo.DemoContext) -> None:
    """Each carrier registered by the 保密员 (or the director, above the 保密员's clearance), then
    granted and copied by whoever registered it."""
    units, people = context.units, context.people
    officer = people["security_officer"]
    for spec in DEMO_CARRIERS:
        if Carrier.objects.filter(title=spec.title).exists():
            continue
        carrier = services.carrier_register(
            actor=officer.user if spec.level <= officer.clearance else people["director"].user,
            title=spec.title,
            unit=units[spec.unit],
            level=spec.level,
            kind=spec.kind,
            reference=spec.reference,
            source_organ=spec.source,
            content=demo.content(spec.content, spec.level),
            basis=spec.basis,
            term_unit=spec.term_unit,
            term_amount=spec.term_amount,
            condition=spec.condition,
        )
        registrar = carrier.created_by.user
        for username in spec.grant:
            services.grant(actor=registrar, record=carrier, person=people[username], reason="工作需要")
        for holder in spec.copies:
            target = {"holder_person": people[holder]} if holder in people else {"holder_unit": units[holder]}
            services.copy_issue(
                actor=registrar, record=carrier, due_back=timezone.localdate() + timedelta(days=30), **target
            )
