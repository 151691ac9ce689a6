"""Shared setup for the outgoing-document (发文) tests.

A small organ: the 测试市人民政府 with its 办公室 (the office that issues 测办发 in its own name and runs
核稿, 复核, 登记, 核发 for it), the office's 秘书科 (a 文秘 clerk) and 综合科 (the drafter, a 承办人), the
office director (办公室主任 and 领导, the office's head: the principal leader who signs its
important and upward documents), a deputy director (领导, not the principal), and the 政策法规处 that
countersigns. Outside the organ, the 测试市财政局 receives the documents.

Documents are made and moved only through ``documents.services``, so every Transition, Deadline and
version the workflow writes exists as it would in use.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from documents import services
from documents.models import DocumentSeries, DocumentState, OutgoingDocument
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
