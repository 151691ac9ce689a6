"""Shared setup for the outgoing-document (发文) tests.

A small organ: the 测试市人民政府 with its 办公室 (the office that issues 测办发 in its own name and runs
核稿, 复核, 登记, 核发 for it), the office's 秘书科 (a 文秘 clerk) and 综合科 (the drafter, a 承办人), the
office director (办公室主任 and 领导, the office's head: the principal leader who signs its
important and upward documents), a deputy director (领导, not the principal), and the 政策法规处 that
countersigns. Outside the organ, the 测试市财政局 receives the documents.

Documents are made and moved only through ``documents.outgoing.services``, so every Transition, Deadline and
version the workflow writes exists as it would in use.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from documents.models import DocumentSeries, DocumentState, OutgoingDocument
from documents.outgoing import services
from office.confidentiality.levels import Level
from office.org.models import Person, Role, Unit, UnitKind
from tests.factories import OrganFactory, UnitFactory, make_person

S = DocumentState

GOOD_BODY = (
    "各区人民政府，市政府各部门：\n"
    "为做好年终各项工作，现将有关事项通知如下。\n"
    "一、高度重视年终工作\n"
    "各单位要于2026年12月31日前完成年度工作总结。\n"
    "二、加强组织领导\n"
    "请各单位明确责任人，按时报送材料。"
)


def set_head(unit: Unit, person: Person) -> Unit:
    """Name the unit's head (负责人), as an administrator does on the organisation page."""
    unit.head = person
    unit.save(update_fields=["head"])
    return unit


@dataclass
class Office:
    organ: Unit  # 测试市人民政府
    office: Unit  # 办公室: issues 测办发, runs review to issue
    secretariat: Unit  # 秘书科
    general_section: Unit  # 综合科, where the drafter works
    countersign_unit: Unit  # 政策法规处
    bureau: Unit  # 测试市财政局, another organ: the recipient
    drafter: Person  # 承办人 in 综合科
    clerk: Person  # 文秘 in 秘书科
    director: Person  # 办公室主任 + 领导, head of the office (principal leader of the series)
    deputy: Person  # 领导 in the office, not its head
    countersign_head: Person  # head of 政策法规处
    bureau_staff: Person  # a reader in the bureau
    series: DocumentSeries


@pytest.fixture
def office(db) -> Office:
    organ = OrganFactory(name="测试市人民政府", short_name="测试市政府")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", short_name="测试办公室", kind=UnitKind.DEPARTMENT)
    secretariat = UnitFactory(parent=office, name="秘书科")
    general_section = UnitFactory(parent=office, name="综合科")
    countersign_unit = UnitFactory(parent=organ, name="政策法规处", kind=UnitKind.DEPARTMENT)
    bureau = OrganFactory(name="测试市财政局", short_name="财政局")

    drafter = make_person(username="doc-drafter", name="李拟稿", unit=general_section, roles=(Role.HANDLER,))
    clerk = make_person(username="doc-clerk", name="王文秘", unit=secretariat, roles=(Role.SECRETARY,))
    director = make_person(
        username="doc-director",
        name="赵主任",
        unit=office,
        roles=(Role.OFFICE_CHIEF, Role.LEADER),
        clearance=Level.TOP_SECRET,
    )
    deputy = make_person(username="doc-deputy", name="钱副主任", unit=office, roles=(Role.LEADER,))
    countersign_head = make_person(username="doc-fagui", name="孙处长", unit=countersign_unit)
    bureau_staff = make_person(username="doc-bureau", name="周科员", unit=bureau, clearance=Level.SECRET)
    set_head(office, director)
    set_head(countersign_unit, countersign_head)

    series = DocumentSeries.objects.create(organ=office, office=office, code="测办发", issuer_name="测试办公室文件")
    return Office(
        organ=organ,
        office=office,
        secretariat=secretariat,
        general_section=general_section,
        countersign_unit=countersign_unit,
        bureau=bureau,
        drafter=drafter,
        clerk=clerk,
        director=director,
        deputy=deputy,
        countersign_head=countersign_head,
        bureau_staff=bureau_staff,
        series=series,
    )


@pytest.fixture
def make_document(office):
    """Draft a document as the drafter through ``services.outgoing_create``: by default a clean
    notice (no checker finding) to the bureau. Any argument of the service can be overridden."""

    def _make(**overrides) -> OutgoingDocument:
        arguments = {
            "actor": office.drafter.user,
            "series": office.series,
            "title": "测试办公室关于做好年终工作的通知",
            "kind": "notice",
            "main_to_units": [office.bureau],
            "body": GOOD_BODY,
            "disclosure": "proactive",
        }
        arguments.update(overrides)
        return services.outgoing_create(**arguments)

    return _make


# The main line of the workflow, in order; the ends branch off it.
MAIN_LINE = [S.DRAFT, S.REVIEW, S.COUNTERSIGN, S.SIGNOFF, S.RECHECK, S.REGISTERED, S.ISSUED, S.ARCHIVED]


@pytest.fixture
def walk(office):
    """Move a document forward, each step by the person whose step it is (its own drafter, the
    clerk, each countersign unit's head, the director), until it is in ``to``.

    COUNTERSIGN is passed through (every countersign unit's head agrees) when the document has
    countersign units, skipped otherwise. REVOKED and ABOLISHED are reached from ISSUED, VOIDED
    from DRAFT. Returns the document fresh from the database."""

    def _step(document: OutgoingDocument) -> OutgoingDocument:
        state = document.state
        if state == S.DRAFT:
            return services.outgoing_submit(actor=document.drafter.user, document=document)
        if state == S.REVIEW:
            return services.outgoing_review(actor=office.clerk.user, document=document, approve=True)
        if state == S.COUNTERSIGN:
            for countersign in document.countersigns.select_related("unit__head__user"):
                if countersign.state == "pending":
                    document = services.outgoing_countersign(
                        actor=countersign.unit.head.user, document=document, unit=countersign.unit, agree=True
                    )
            return document
        if state == S.SIGNOFF:
            return services.outgoing_sign(actor=office.director.user, document=document, approve=True)
        if state == S.RECHECK:
            return services.outgoing_register(actor=office.clerk.user, document=document)
        if state == S.REGISTERED:
            return services.outgoing_issue(actor=office.clerk.user, document=document)
        if state == S.ISSUED:
            return services.outgoing_archive(actor=office.clerk.user, document=document, retention="30年")
        raise AssertionError(f"no step forward from {state}")

    def _walk(document: OutgoingDocument, to: str) -> OutgoingDocument:
        document.refresh_from_db()
        if to == S.VOIDED:
            assert document.state == S.DRAFT
            return services.outgoing_void_draft(actor=document.drafter.user, document=document, reason="不再发文")
        if to in (S.REVOKED, S.ABOLISHED):
            document = _walk(document, S.ISSUED)
            return services.outgoing_end(
                actor=office.director.user, document=document, abolish=to == S.ABOLISHED, reason="情况已变化"
            )
        target = MAIN_LINE.index(to)
        while MAIN_LINE.index(document.state) < target:
            before = document.state
            document = _step(document)
            assert document.state != before, f"the document is stuck in {before}"
        assert document.state == to, (document.state, to)
        document.refresh_from_db()
        return document

    return _walk


# --- 收文 (incoming): the bureau that receives the office's documents --------------------------------


@dataclass
class Bureau:
    """测试市财政局 as a receiving organ: its 办公室 signs for, registers, screens, proposes and
    circulates; its 局长 instructs; 预算处 leads and 国库处 assists; 政策研究室 reads."""

    organ: Unit  # 测试市财政局 (the office fixture's ``bureau``: main_to of the office's documents)
    office: Unit  # 财政局办公室
    budget: Unit  # 预算处: the lead unit (主办)
    treasury: Unit  # 国库处: the assisting unit (协办)
    research: Unit  # 政策研究室: where the readers work
    clerk: Person  # 文秘 in 办公室 (机密)
    chief: Person  # 办公室主任, head of 办公室 (机密)
    leader: Person  # 局长: 领导 (机密), in the bureau itself
    budget_head: Person  # head of 预算处 (机密)
    treasury_head: Person  # head of 国库处 (机密)
    budget_staff: Person  # 预算处, not its head (机密)
    reader: Person  # 政策研究室 (机密)
    second_reader: Person  # 政策研究室 (机密)
    low_reader: Person  # 政策研究室 (内部 only)
    supervisor: Person  # 督查员 in 办公室 (机密): a 批示 列入督办 opens an item in his office


@pytest.fixture
def bureau(office) -> Bureau:
    organ = office.bureau
    bureau_office = UnitFactory(parent=organ, name="财政局办公室", kind=UnitKind.DEPARTMENT)
    budget = UnitFactory(parent=organ, name="预算处", kind=UnitKind.DEPARTMENT)
    treasury = UnitFactory(parent=organ, name="国库处", kind=UnitKind.DEPARTMENT)
    research = UnitFactory(parent=organ, name="政策研究室", kind=UnitKind.DEPARTMENT)
    secret = Level.SECRET
    clerk = make_person(
        username="in-clerk", name="郑文秘", unit=bureau_office, roles=(Role.SECRETARY,), clearance=secret
    )
    chief = make_person(
        username="in-chief", name="冯主任", unit=bureau_office, roles=(Role.OFFICE_CHIEF,), clearance=secret
    )
    leader = make_person(username="in-leader", name="陈局长", unit=organ, roles=(Role.LEADER,), clearance=secret)
    budget_head = make_person(username="in-budget-head", name="杨处长", unit=budget, clearance=secret)
    treasury_head = make_person(username="in-treasury-head", name="朱处长", unit=treasury, clearance=secret)
    budget_staff = make_person(username="in-budget-staff", name="秦科员", unit=budget, clearance=secret)
    reader = make_person(username="in-reader", name="尤研究员", unit=research, clearance=secret)
    second_reader = make_person(username="in-reader2", name="许研究员", unit=research, clearance=secret)
    low_reader = make_person(username="in-reader-low", name="何科员", unit=research)
    supervisor = make_person(
        username="in-supervisor", name="褚督查", unit=bureau_office, roles=(Role.SUPERVISOR,), clearance=secret
    )
    set_head(bureau_office, chief)
    set_head(budget, budget_head)
    set_head(treasury, treasury_head)
    for unit in (bureau_office, budget, treasury, research):
        unit.refresh_from_db()
    return Bureau(
        organ=organ,
        office=bureau_office,
        budget=budget,
        treasury=treasury,
        research=research,
        clerk=clerk,
        chief=chief,
        leader=leader,
        budget_head=budget_head,
        treasury_head=treasury_head,
        budget_staff=budget_staff,
        reader=reader,
        second_reader=second_reader,
        low_reader=low_reader,
        supervisor=supervisor,
    )


@pytest.fixture
def receive(bureau):
    """签收 a paper document as the bureau's 文秘 through ``incoming.incoming_receive``: by default an
    internal notice from the province with a 发文字号 no other call shares. Any argument of the
    service can be overridden."""
    from documents.incoming import services as incoming

    count = iter(range(1, 10_000))

    def _receive(**overrides):
        arguments = {
            "actor": bureau.clerk.user,
            "receiving_unit": bureau.organ,
            "sender_organ": "测试省财政厅",
            "sender_number": f"测财发〔2026〕{next(count)}号",
            "title": "测试省财政厅关于做好预算执行工作的通知",
            "kind": "notice",
        }
        arguments.update(overrides)
        return incoming.incoming_receive(**arguments)

    return _receive


INCOMING_ACTION_LINE = ["pending", "signed", "registered", "proposal", "instruction", "handling", "done", "archived"]
INCOMING_READING_LINE = ["pending", "signed", "registered", "circulating", "done", "archived"]


@pytest.fixture
def advance(bureau):
    """Move an incoming document forward, each step by the person whose step it is (the bureau's
    文秘, its 局长, the head of 预算处), until it is in ``to``. A 办件 is instructed to 预算处 (主办) and
    国库处 (协办) with ``time_limit`` (default: 14 days from today); ``reading=True`` takes it in as
    a 阅件 (传阅) instead. ``returned`` is reached from ``registered``. Returns it fresh."""
    from datetime import timedelta

    from django.utils import timezone

    from documents.incoming import services as incoming
    from documents.models import IncomingDocument

    def _step(document, reading: bool, time_limit):
        clerk = bureau.clerk.user
        match document.state:
            case "pending":
                return incoming.incoming_sign_for(actor=clerk, document=document)
            case "signed":
                return incoming.incoming_register(actor=clerk, document=document)
            case "registered":
                handling = "reading" if reading else "action"
                return incoming.incoming_screen(actor=clerk, document=document, accept=True, handling=handling)
            case "proposal":
                return incoming.incoming_propose(
                    actor=clerk, document=document, proposal="拟请预算处牵头办理，国库处协办。", leader=bureau.leader
                )
            case "instruction":
                return incoming.incoming_instruct(
                    actor=bureau.leader.user,
                    document=document,
                    instruction="同意，请预算处牵头抓紧办理。",
                    lead_unit=bureau.budget,
                    assisting_units=[bureau.treasury],
                    time_limit=time_limit or timezone.localdate() + timedelta(days=14),
                )
            case "handling":
                return incoming.incoming_complete(
                    actor=bureau.budget_head.user, document=document, result="已按要求落实。"
                )
            case "circulating":
                return incoming.incoming_complete(actor=clerk, document=document, result="已阅毕。")
            case "done":
                return incoming.incoming_archive(actor=clerk, document=document, retention="10年")
        raise AssertionError(f"no step forward from {document.state}")

    def _advance(document, to: str, *, reading: bool = False, time_limit=None):
        document = IncomingDocument.objects.get(pk=document.pk)
        if to == "returned":
            document = _advance(document, "registered")
            return incoming.incoming_screen(
                actor=bureau.clerk.user, document=document, accept=False, reason="不属于本机关职责范围"
            )
        reading = reading or document.handling == "reading"
        line = INCOMING_READING_LINE if reading or to == "circulating" else INCOMING_ACTION_LINE
        while line.index(document.state) < line.index(to):
            before = document.state
            document = _step(document, reading or to == "circulating", time_limit)
            assert document.state != before, f"the incoming document is stuck in {before}"
        assert document.state == to, (document.state, to)
        return IncomingDocument.objects.get(pk=document.pk)

    return _advance


@pytest.fixture
def issued(office, make_document, walk, bureau):
    """The office's notice walked to 核发: the IncomingDocument it delivered to the bureau's queue
    (待签收)."""
    from documents.models import IncomingDocument

    outgoing = walk(make_document(), S.ISSUED)
    return IncomingDocument.objects.get(source_outgoing=outgoing, receiving_unit=bureau.organ)


@pytest.fixture
def circulated(bureau, receive, advance, time_machine):
    """A 机密 阅件 sent round on Monday 2 March 2026 to two readers, to be read by Thursday 5 March:
    the Circulation."""
    from datetime import date

    from documents.incoming import services as incoming
    from documents.models import IncomingState
    from tests.documents.incoming_helpers import MONDAY, SECRET_TITLE, at

    time_machine.move_to(at(MONDAY), tick=False)
    document = advance(receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注"), IncomingState.CIRCULATING)
    circulation = incoming.circulation_start(
        actor=bureau.clerk.user,
        document=document,
        readers=[bureau.reader, bureau.second_reader],
        note="请研究室阅知",
        due=date(2026, 3, 5),
    )
    return circulation


@pytest.fixture
def circulating(bureau, receive, advance):
    """A 阅件 sent round to the two readers of 政策研究室: the document, fresh."""
    from documents.incoming import services as incoming
    from documents.models import IncomingDocument, IncomingState

    document = advance(receive(), IncomingState.CIRCULATING)
    incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=[bureau.reader, bureau.second_reader], note="请阅"
    )
    return IncomingDocument.objects.get(pk=document.pk)


# --- The API's people beyond the office fixture (test_outgoing_api_*.py) -----------------------------


@pytest.fixture
def cleared_clerk(office):
    return make_person(
        username="doc-clerk2", name="冯文秘", unit=office.secretariat, clearance=Level.SECRET, roles=(Role.SECRETARY,)
    )


@pytest.fixture
def ceiling_top_secret(settings):
    """The demo deployment's ceiling: classified content may be entered."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
