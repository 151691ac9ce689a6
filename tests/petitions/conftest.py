"""Shared setup for the 信访 tests.

``petition_org``: 测试市人民政府 with its 办公室 and the 信访科 under it (the intake unit: 信访员 孙信访 who
registers cases, 李信访 beside him), a 副市长 in the government itself, and two bureaus (organs of
their own under the government): 住建局 with its 城建科 and the 质量站 under that, and 财政局.

``make_petition_case`` creates a case straight through the ORM (the services are not under test
here), with only what a registered case needs; any field can be overridden.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, UnitKind
from petitions.models import Channel, IssueCategory, Kind, PetitionCase
from tests.factories import OrganFactory, UnitFactory, make_person


@dataclass
class PetitionOrg:
    city: Unit  # 测试市人民政府
    general_office: Unit  # 办公室 (a department of the government)
    intake: Unit  # 信访科, under the 办公室: registers the cases
    bureau: Unit  # 住建局, an organ under the government
    bureau_section: Unit  # 城建科, under 住建局
    bureau_subsection: Unit  # 质量站, under 城建科
    finance: Unit  # 财政局, another organ under the government
    registrar: Person  # 孙信访, 信访员 of the 信访科
    intake_colleague: Person  # 李信访, 信访员 of the 信访科
    leader: Person  # 周副市长, in the government itself
    bureau_head: Person  # 王局长, 住建局
    bureau_clerk: Person  # 赵科员, 城建科
    bureau_inspector: Person  # 钱站长, 质量站
    finance_official: Person  # 吴科长, 财政局
    finance_clerk: Person  # 郑科员, 财政局


@pytest.fixture
def petition_org(db) -> PetitionOrg:
    city = OrganFactory(name="测试市人民政府", short_name="测试市")
    general_office = UnitFactory(parent=city, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    intake = UnitFactory(parent=general_office, name="信访科")
    bureau = OrganFactory(parent=city, name="测试市住房和城乡建设局", short_name="住建局")
    bureau_section = UnitFactory(parent=bureau, name="城建科")
    bureau_subsection = UnitFactory(parent=bureau_section, name="质量站")
    finance = OrganFactory(parent=city, name="测试市财政局", short_name="财政局")
    officer = (Role.PETITION_OFFICER,)
    return PetitionOrg(
        city=city,
        general_office=general_office,
        intake=intake,
        bureau=bureau,
        bureau_section=bureau_section,
        bureau_subsection=bureau_subsection,
        finance=finance,
        registrar=make_person(username="pt-sun", name="孙信访", unit=intake, roles=officer, clearance=Level.SECRET),
        intake_colleague=make_person(username="pt-li", name="李信访", unit=intake, roles=officer),
        leader=make_person(
            username="pt-zhou", name="周副市长", unit=city, roles=(Role.LEADER,), clearance=Level.SECRET
        ),
        bureau_head=make_person(username="pt-wang", name="王局长", unit=bureau, clearance=Level.SECRET),
        bureau_clerk=make_person(username="pt-zhao", name="赵科员", unit=bureau_section, roles=(Role.HANDLER,)),
        bureau_inspector=make_person(username="pt-qian", name="钱站长", unit=bureau_subsection),
        finance_official=make_person(username="pt-wu", name="吴科长", unit=finance),
        finance_clerk=make_person(username="pt-zheng", name="郑科员", unit=finance),
    )


@pytest.fixture
def petition_category(db) -> IssueCategory:
    parent = IssueCategory.objects.create(name="城乡建设", code="urban")
    return IssueCategory.objects.create(name="房屋质量", code="urban-housing", parent=parent)


@pytest.fixture
def make_petition_case(petition_org, petition_category):
    """A registered case of the 信访科 (a 建议意见 received 3 March 2025 unless told otherwise)."""
    sequence = itertools.count(1)

    def _make(**fields) -> PetitionCase:
        values = {
            "organ": petition_org.city,
            "intake_unit": petition_org.intake,
            "year": 2025,
            "sequence": next(sequence),
            "channel": Channel.LETTER,
            "received_on": date(2025, 3, 3),
            "kind": Kind.SUGGESTION,
            "category": petition_category,
            "title": "关于小区房屋漏水的来信",
            "content": "楼顶防水层破损，雨天漏水，请求维修。",
            "registrar": petition_org.registrar,
        }
        values.update(fields)
        return PetitionCase.objects.create(**values)

    return _make


# --- The services' world (test_services, test_offered_accepted, test_masking, test_repeats, test_figures) ---
#
# ``petition_city`` builds on ``petition_org``: the heads named (王局长 of 住建局, 吴科长 of 财政局), a
# 副局长 (领导) and a 文秘 in a 住建局办公室, so the bureau signs and registers its 答复意见书 in its own
# letter series 住建信函; the city's 办公室 has a 文秘 and a 复查 clerk and the series 测信函 (周副市长
# signs); a 测试省信访局 (复核) has its 复核 clerk, 文秘, 领导 and series 省信函. ``new_case`` registers
# through ``services.case_register`` as 孙信访; ``sign_reply`` takes a reply's document to 登记.


@dataclass
class PetitionCity:
    org: PetitionOrg
    bureau_office: Unit  # 住建局办公室
    bureau_deputy: Person  # 刘副局长: 领导 of 住建局, signs its letters
    bureau_secretary: Person  # 陈文秘 of 住建局办公室
    city_secretary: Person  # 林文秘 of the city's 办公室
    city_reviewer: Person  # 何科员 of the city's 办公室: answers a 复查
    province: Unit  # 测试省信访局: the 复核 organ
    province_clerk: Person  # 黄科员: answers a 复核
    province_secretary: Person
    province_leader: Person
    bystander: Person  # 冯科员 of the city's 办公室: the organ's other staff
    supervisor: Person  # 督查员 of the city's 办公室 (a 批示 with 督办 opens an item there)
    series: dict  # organ pk → its letter-format DocumentSeries


@pytest.fixture
def petition_city(petition_org) -> PetitionCity:
    from documents.models import DocumentSeries
    from office.reminders.models import DeadlineKind

    org = petition_org
    for unit, head in ((org.bureau, org.bureau_head), (org.finance, org.finance_official), (org.city, org.leader)):
        unit.head = head
        unit.save(update_fields=["head"])
    DeadlineKind.objects.filter(code="supervision").update(supervising_unit=org.general_office)
    bureau_office = UnitFactory(parent=org.bureau, name="住建局办公室")
    province = OrganFactory(name="测试省信访局", short_name="省信访局")
    secret = Level.SECRET
    city = PetitionCity(
        org=org,
        bureau_office=bureau_office,
        bureau_deputy=make_person(
            username="pt-liu", name="刘副局长", unit=org.bureau, roles=(Role.LEADER,), clearance=secret
        ),
        bureau_secretary=make_person(
            username="pt-chen", name="陈文秘", unit=bureau_office, roles=(Role.SECRETARY,), clearance=secret
        ),
        city_secretary=make_person(
            username="pt-lin", name="林文秘", unit=org.general_office, roles=(Role.SECRETARY,), clearance=secret
        ),
        city_reviewer=make_person(username="pt-he", name="何科员", unit=org.general_office, roles=(Role.HANDLER,)),
        province=province,
        province_clerk=make_person(username="pt-huang", name="黄科员", unit=province, roles=(Role.HANDLER,)),
        province_secretary=make_person(
            username="pt-ps", name="省文秘", unit=province, roles=(Role.SECRETARY,), clearance=secret
        ),
        province_leader=make_person(
            username="pt-pl", name="省局长", unit=province, roles=(Role.LEADER,), clearance=secret
        ),
        bystander=make_person(username="pt-feng", name="冯科员", unit=org.general_office),
        supervisor=make_person(
            username="pt-dc", name="督查员", unit=org.general_office, roles=(Role.SUPERVISOR,), clearance=secret
        ),
        series={},
    )
    for organ, office, code in (
        (org.bureau, bureau_office, "住建信函"),
        (org.city, org.general_office, "测信函"),
        (province, province, "省信函"),
    ):
        city.series[organ.pk] = DocumentSeries.objects.create(
            organ=organ, office=office, code=code, issuer_name=f"{organ.name}（函）", template="letter"
        )
    return city


PETITIONER_NAME = "张大山"
PETITIONER_ID = "330102198001011234"


@pytest.fixture
def new_case(petition_org, petition_category):
    """Register a case through the services as 孙信访 (a letter of 张大山 received today unless told)."""
    from django.utils import timezone

    from petitions import services

    def _new(**overrides) -> PetitionCase:
        arguments = {
            "actor": petition_org.registrar.user,
            "channel": Channel.LETTER,
            "received_on": timezone.localdate(),
            "kind": Kind.SUGGESTION,
            "category": petition_category,
            "title": "关于小区房屋漏水的来信",
            "content": "楼顶防水层破损，雨天漏水，请求维修。",
            "petitioners": [
                services.PetitionerSpec(name=PETITIONER_NAME, id_number=PETITIONER_ID, phone="13812345678")
            ],
        }
        arguments.update(overrides)
        return services.case_register(**arguments)

    return _new


@pytest.fixture
def sign_reply(petition_city):
    """Take the current 答复意见书 of ``case`` from draft to 登记 in its organ's letter series."""
    from documents.outgoing import services as documents
    from petitions.rules import current_reply

    def _sign(case: PetitionCase):
        document = current_reply(case).document
        organ = document.series.organ
        secretary, leader = {
            petition_city.org.bureau.pk: (petition_city.bureau_secretary, petition_city.bureau_deputy),
            petition_city.org.city.pk: (petition_city.city_secretary, petition_city.org.leader),
            petition_city.province.pk: (petition_city.province_secretary, petition_city.province_leader),
        }[organ.pk]
        document = documents.outgoing_submit(actor=document.drafter.user, document=document)
        document = documents.outgoing_review(actor=secretary.user, document=document, approve=True)
        document = documents.outgoing_sign(actor=leader.user, document=document, approve=True)
        document = documents.outgoing_register(actor=secretary.user, document=document)
        return document

    return _sign


class PetitionFlow:
    """Each step of a case through ``petitions.services``, by the person whose step it is, with
    valid arguments; ``to(case, state)`` walks the main line (转送 to 城建科, 复查 by the city, 复核 by
    the province)."""

    def __init__(self, city: PetitionCity, sign):
        self.city, self.org, self.sign = city, city.org, sign

    def answerer(self, case: PetitionCase) -> Person:
        case.refresh_from_db()
        return {"first": case.handler or self.org.bureau_clerk, "review": self.city.city_reviewer}.get(
            case.stage, self.city.province_clerk
        )

    def transfer(self, case, unit=None, **extra):
        from petitions import services

        return services.case_route(
            actor=self.org.registrar.user, case=case, route="transfer", unit=unit or self.org.bureau_section, **extra
        )

    def accept(self, case):
        from petitions import services

        return services.case_accept(actor=self.org.bureau_clerk.user, case=case, handler=self.org.bureau_clerk)

    def reply(self, case, opinion="support"):
        from petitions import services
        from petitions.rules import answering_unit

        case.refresh_from_db()
        organ = answering_unit(case).organ or answering_unit(case)
        return services.case_reply(
            actor=self.answerer(case).user,
            case=case,
            opinion=opinion,
            facts="经现场查看，楼顶防水层确有破损。",
            basis="《物业管理条例》第五十五条",
            series=self.city.series[organ.pk],
        )

    def serve(self, case, on=None):
        from django.utils import timezone

        from petitions import services

        return services.case_serve(
            actor=self.answerer(case).user, case=case, on=on or timezone.localdate(), method="in_person"
        )

    def answer(self, case):
        self.reply(case)
        self.sign(case)
        return self.serve(case)

    def review(self, case, unit=None):
        from django.utils import timezone

        from petitions import services

        case.refresh_from_db()
        if unit is None:
            unit = self.org.city if case.stage == "first" else self.city.province
        return services.case_review_request(
            actor=self.org.registrar.user, case=case, on=timezone.localdate(), reviewing_unit=unit, reason="对答复不服"
        )

    def to(self, case, state: str) -> PetitionCase:
        """Walk ``case`` (registered) to: transferred, handling, replied, reviewing, reviewed,
        rereviewing, final, closed."""
        from petitions import services

        line = ["registered", "transferred", "handling", "replied", "reviewing", "reviewed", "rereviewing", "final"]
        moves = [self.transfer, self.accept, self.answer, self.review, self.answer, self.review, self.answer]
        target = "replied" if state == "closed" else state
        for move in moves[: line.index(target)]:
            case = move(case)
        if state == "closed":
            from django.utils import timezone

            services.case_rate(
                actor=self.org.registrar.user, case=case, satisfaction="satisfied", on=timezone.localdate()
            )
            case = services.case_close(actor=self.org.registrar.user, case=case)
        case.refresh_from_db()
        return case


@pytest.fixture
def flow(petition_city, sign_reply) -> PetitionFlow:
    return PetitionFlow(petition_city, sign_reply)


# --- The ledgers, the 形势分析 and the batches (test_ledgers, test_analysis, test_batches) ----------
#
# ``ledger_people`` adds to ``petition_city``: 钟科长, head of the 信访科 (no 信访员 role of his own),
# the city's 办公室主任 and a 信访员 of 住建局 (in its 办公室) who imports what the city routes there;
# ``report_series`` is the city's 文件格式 series 测政办 (a 报告 goes out in it).


@dataclass
class LedgerPeople:
    chief: Person  # 钟科长: head of the 信访科
    office_chief: Person  # 办公室主任 of the city
    bureau_officer: Person  # 住建局's 信访员


@pytest.fixture
def ledger_people(petition_city) -> LedgerPeople:
    org = petition_city.org
    chief = make_person(username="pt-zhong", name="钟科长", unit=org.intake, clearance=Level.SECRET)
    org.intake.head = chief
    org.intake.save(update_fields=["head"])
    return LedgerPeople(
        chief=chief,
        office_chief=make_person(
            username="pt-zr", name="办公室主任", unit=org.general_office, roles=(Role.OFFICE_CHIEF,)
        ),
        bureau_officer=make_person(
            username="pt-bxf",
            name="住建信访员",
            unit=petition_city.bureau_office,
            roles=(Role.PETITION_OFFICER,),
        ),
    )


@pytest.fixture
def report_series(petition_org):
    from documents.models import DocumentSeries

    return DocumentSeries.objects.create(
        organ=petition_org.city,
        office=petition_org.general_office,
        code="测政办",
        issuer_name="测试市人民政府办公室文件",
        template="standard",
    )
