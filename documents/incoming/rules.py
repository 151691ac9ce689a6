"""Who may move a 收文 and its 传阅, decided once (STYLE.md §5): two machines on ``office.workflow``.

The document: 签收 → 登记 → 初审 (退回, or 办件 / 阅件) → 办件: 拟办 → 批示 → 承办 (协办意见) → 办结;
阅件: 传阅 → 办结; → 归档. 传阅 runs alongside from 拟办 to 承办, 催办 while someone owes a step.
The reader: each 传阅人's row goes 已送达 → 已收到 → 已阅, or is 收回 with its round.
The 分办 (``subassignment_machine``): a 承办单位's 收文员/文秘 or head passes its assignment on to a 科室
and a named 承办人 (the document's step ``subassign``); his row goes 待办理 → 已报送 (办理情况) → 已上报
by the unit's head (the unit's answer: 协办意见, or the lead unit's answer before 办结), or back to
已退回 with a reason and reported again.

``documents.incoming.services`` takes every step through ``check`` (and ``move``/``record``); the pages show
``offered`` and nothing else. Input validation (a reason, a leader, a unit) stays in the service.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.models import (
    OPEN_SUBASSIGNMENT_STATES,
    AssignmentRole,
    CirculationReader,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
    ReaderState,
    SubassignmentState,
    UnitAssignment,
)
from office import navigation
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.workflow import Actor, Machine, Step

S, R, U = IncomingState, ReaderState, SubassignmentState
PENDING_READER_STATES = (R.SENT, R.OPENED)


# --- Who: the receiving office, the leader, the units -------------------------------------------------


def is_office(actor: Actor) -> bool:
    """A 文秘 or 办公室主任 (of whichever unit: ``office_of`` says of which)."""
    return actor.has_role(Role.SECRETARY) or actor.has_role(Role.OFFICE_CHIEF)


def may_receive(user: User) -> bool:
    """来文登记 (the page and its link): a person who is a 文秘 or 办公室主任."""
    return person_of(user) is not None and is_office(user)


def serves(person: Person, unit: Unit) -> bool:
    """The person works in ``unit``, below it or above it — within the same organ: a bureau (an organ
    of its own under the city government) does not sign for or route the city government's mail."""
    if person.unit.organ_id != unit.organ_id:
        return False
    return unit.pk in person.units() or person.unit_id in unit.organ_lineage_ids()


def office_of(actor: Actor, document: IncomingDocument) -> bool:
    """The receiving unit's 文秘 and 办公室主任 (in it, below or above it, in its organ) run 签收 to 归档."""
    return is_office(actor) and serves(actor.person, document.receiving_unit)


def _office_or_chaser(actor: Actor, document: IncomingDocument) -> bool:
    return office_of(actor, document) or document.chaser_id == actor.person.pk


def _instructing_leader(actor: Actor, document: IncomingDocument) -> bool:
    return document.instructing_leader_id == actor.person.pk


def _answers_for(actor: Actor, unit: Unit) -> bool:
    """The unit is one of "my units" (``Person.units()``: organ-bounded) and he heads it or leads."""
    return unit.pk in actor.person.units() and (unit.head_id == actor.person.pk or actor.has_role(Role.LEADER))


def _assisting(actor: Actor, document: IncomingDocument) -> list:
    """The 协办 rows of the units this person answers for."""
    rows = document.assignments.filter(role=AssignmentRole.ASSIST).select_related("unit").order_by("id")
    return [row for row in rows if _answers_for(actor, row.unit)]


def _reports_for_some_unit(actor: Actor, document: IncomingDocument) -> bool:
    return bool(_assisting(actor, document))


def _input_still_due(actor: Actor, document: IncomingDocument) -> bool:
    return any(row.done_at is None for row in _assisting(actor, document))


def units_to_report_for(actor: Actor, document: IncomingDocument) -> list[Unit]:
    """The assisting units whose 协办意见 this person may still send."""
    return [row.unit for row in _assisting(actor, document) if row.done_at is None]


def _may_complete(actor: Actor, document: IncomingDocument) -> bool:
    """A 阅件 is closed by the office; a 办件 by the lead unit's head, a leader of it, or the office
    where the lead unit is one of theirs."""
    if document.state == S.CIRCULATING:
        return office_of(actor, document)
    lead = document.assignments.filter(role=AssignmentRole.LEAD).select_related("unit").first()
    if lead is None or lead.unit_id not in actor.person.units():
        return False
    return lead.unit.head_id == actor.person.pk or actor.has_role(Role.LEADER) or office_of(actor, document)


def _lead_subassignments_closed(actor: Actor, document: IncomingDocument) -> bool:
    """办结 waits for the lead unit's 分办: every row reported and sent up by the unit's head."""
    return not UnitAssignment.objects.filter(
        assignment__document=document, assignment__role=AssignmentRole.LEAD, state__in=OPEN_SUBASSIGNMENT_STATES
    ).exists()


def runs_unit(actor: Actor, unit: Unit) -> bool:
    """Who passes a unit's assignment on (分办): its head or a leader of it (``_answers_for``), or a
    文秘/办公室主任 working in it or below it (its 收文员)."""
    return _answers_for(actor, unit) or (is_office(actor) and unit.pk in actor.person.units())


def _runs_some_unit(actor: Actor, document: IncomingDocument) -> bool:
    return any(runs_unit(actor, row.unit) for row in document.assignments.select_related("unit"))


def units_to_subassign(actor: Actor, document: IncomingDocument) -> list[Unit]:
    """The 承办单位 (lead or assisting, not yet done) whose assignment this person may pass on."""
    rows = document.assignments.filter(done_at__isnull=True).select_related("unit").order_by("role", "id")
    return [row.unit for row in rows if runs_unit(actor, row.unit)]


def _content_allowed(actor: Actor, document: IncomingDocument) -> bool:
    return document.level <= Level(settings.SHUNIU_CLASSIFICATION_CEILING)


def _ceiling_refusal(actor: Actor, document: IncomingDocument) -> str:
    return _("本系统的密级上限为“%(ceiling)s”：此来文只登记，不上传原件扫描件。") % {
        "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING).label
    }


def _complete_refusal(actor: Actor, document: IncomingDocument) -> str:
    return _("阅件由办公室办结。") if document.state == S.CIRCULATING else _("办结由主办单位负责人报送。")


def recallable_rounds(actor: Actor, document: IncomingDocument) -> list:
    """The rounds of 传阅 with a reader this person may still recall (``reader_machine``'s 收回)."""
    rounds = document.circulations.filter(recalled_at__isnull=True).prefetch_related("readers").order_by("id")
    return [
        circulation
        for circulation in rounds
        if any(reader_machine.allows(actor, reader, "recall") for reader in circulation.readers.all())
    ]


def _has_recallable_round(actor: Actor, document: IncomingDocument) -> bool:
    return bool(recallable_rounds(actor, document))


def _unit_done_wrong_state(actor: Actor, document: IncomingDocument) -> str:
    return _("收文处于“%(state)s”，不能报送协办意见。") % {"state": document.get_state_display()}


# --- The document -----------------------------------------------------------------------------------

CIRCULATION_STATES = (S.PROPOSAL, S.INSTRUCTION, S.HANDLING, S.CIRCULATING)
CHASE_STATES = (S.INSTRUCTION, S.HANDLING, S.CIRCULATING)

incoming_machine = Machine(
    name="incoming",
    model=IncomingDocument,
    event_model=IncomingTransition,
    event_for=lambda document: {"document": document},
    noun=N_("收文"),
    stamp_field="state_changed_at",
    lock_related=("receiving_unit",),
    steps=[
        Step(
            "sign_for",
            N_("签收"),
            sources=(S.PENDING,),
            targets=(S.SIGNED,),
            who=office_of,
            refusal=N_("签收由收文单位的文秘或办公室主任办理。"),
        ),
        Step(
            "register",
            N_("登记"),
            sources=(S.SIGNED,),
            targets=(S.REGISTERED,),
            who=office_of,
            refusal=N_("登记由收文单位的文秘或办公室主任办理。"),
            wrong_state=N_("收文须先签收再登记。"),
        ),
        Step(
            "screen",
            N_("初审"),
            sources=(S.REGISTERED,),
            targets=(S.RETURNED, S.PROPOSAL, S.CIRCULATING),
            who=office_of,
            refusal=N_("初审由收文单位办公室办理。"),
        ),
        Step(
            "propose",
            N_("拟办"),
            sources=(S.PROPOSAL,),
            targets=(S.INSTRUCTION,),
            who=office_of,
            refusal=N_("拟办由办公室提出。"),
        ),
        Step(
            "instruct",
            N_("批示"),
            sources=(S.INSTRUCTION,),
            targets=(S.HANDLING, S.PROPOSAL),
            who=_instructing_leader,
            refusal=N_("批示由拟办时选定的领导办理。"),
            deadline="opens each 承办单位's 办理时限: the 批示's, else 2/5/15 working days by urgency",
        ),
        Step(
            "unit_done",
            N_("协办意见"),
            sources=(S.HANDLING,),
            targets=(),  # records, never moves
            who=_reports_for_some_unit,
            refusal=N_("由协办单位负责人报送协办意见。"),
            when=_input_still_due,
            not_now=N_("该单位已报送协办意见。"),
            options=units_to_report_for,
            wrong_state=_unit_done_wrong_state,
            deadline="meets the assisting unit's 办理时限",
        ),
        Step(
            "subassign",
            N_("分办"),
            sources=(S.HANDLING,),
            targets=(),  # records, never moves
            who=_runs_some_unit,
            refusal=N_("分办由承办单位的负责人或收文员办理。"),
            when=lambda actor, document: bool(units_to_subassign(actor, document)),
            not_now=N_("本单位的承办已办完，不能再分办。"),
            options=units_to_subassign,
            wrong_state=N_("收文不在承办中，不能分办。"),
            deadline="opens the 承办人's 办理时限 (on or before the unit's)",
        ),
        Step(
            "complete",
            N_("办结"),
            sources=(S.HANDLING, S.CIRCULATING),
            targets=(S.DONE,),
            who=_may_complete,
            refusal=_complete_refusal,
            when=_lead_subassignments_closed,
            not_now=N_("主办单位的分办尚未办完：须承办人报送办理情况、单位负责人上报后再办结。"),
            deadline="meets every open 办理时限 of the document",
            confirm=N_("办结后本文的办理时限全部终结，不能再报送办理情况，此后只能归档。"),
        ),
        Step(
            "archive",
            N_("归档"),
            sources=(S.DONE,),
            targets=(S.ARCHIVED,),
            who=office_of,
            refusal=N_("归档由办公室办理。"),
        ),
        Step(
            "chase",
            N_("催办"),
            sources=CHASE_STATES,
            targets=(),  # records, never moves
            who=_office_or_chaser,
            refusal=N_("催办由办公室或指定的催办人办理。"),
            wrong_state=N_("该文当前无需催办。"),
        ),
        Step(
            "scan",
            N_("上传原件扫描件"),
            sources=(S.SIGNED, S.REGISTERED, S.PROPOSAL, S.INSTRUCTION, S.HANDLING, S.CIRCULATING),
            targets=(),  # records, never moves
            who=office_of,
            refusal=N_("原件扫描件由收文单位的文秘或办公室主任上传。"),
            when=_content_allowed,
            not_now=_ceiling_refusal,
            wrong_state=N_("收文当前不能上传原件扫描件。"),
        ),
        Step(
            "circulate",
            N_("传阅"),
            sources=CIRCULATION_STATES,
            targets=(),  # alongside the handling: records, never moves
            who=office_of,
            refusal=N_("传阅由办公室组织。"),
            wrong_state=N_("该文当前不能传阅。"),
            deadline="opens each reader's 阅毕时限 (the due date given, else 3 days)",
        ),
        Step(
            "recall",
            N_("收回传阅"),
            sources=(*CIRCULATION_STATES, S.DONE, S.ARCHIVED),  # whatever became of the document since
            targets=(),  # records, never moves
            who=office_of,
            refusal=N_("收回传阅由办公室办理。"),
            when=_has_recallable_round,
            not_now=N_("没有可收回的传阅。"),
            options=recallable_rounds,
            deadline="cancels the pending readers' 阅毕时限",
        ),
    ],
)


# --- The reader ---------------------------------------------------------------------------------------


def _own_row(actor: Actor, reader: CirculationReader) -> bool:
    return reader.person_id == actor.person.pk


def _reader_office(actor: Actor, reader: CirculationReader) -> bool:
    return office_of(actor, reader.circulation.document)


def _already(actor: Actor, reader: CirculationReader) -> str:
    return _("该传阅件已%(state)s。") % {"state": reader.get_state_display()}


def _read_wrong_state(actor: Actor, reader: CirculationReader) -> str:
    return _("请先签收传阅件，再阅签。") if reader.state == R.SENT else _already(actor, reader)


reader_machine = Machine(
    name="circulation_reader",
    model=CirculationReader,
    event_model=None,  # the document's 流转记录 records 已阅 and 收回传阅
    event_for=lambda reader: {},
    noun=N_("传阅件"),
    lock_related=("circulation__document__receiving_unit",),
    steps=[
        Step(
            "open",
            N_("签收传阅件"),
            sources=(R.SENT,),
            targets=(R.OPENED,),
            who=_own_row,
            refusal=N_("只能签收送给本人的传阅件。"),
            wrong_state=_already,
        ),
        Step(
            "read",
            N_("已阅"),
            sources=(R.OPENED,),
            targets=(R.READ,),
            who=_own_row,
            refusal=N_("只能阅签送给本人的传阅件。"),
            wrong_state=_read_wrong_state,
            deadline="meets the reader's 阅毕时限",
        ),
        Step(
            "recall",
            N_("收回传阅"),
            sources=PENDING_READER_STATES,
            targets=(R.RECALLED,),
            who=_reader_office,
            refusal=N_("收回传阅由办公室办理。"),
            wrong_state=_already,
            deadline="cancels the reader's 阅毕时限",
        ),
    ],
)


# --- The 分办 -----------------------------------------------------------------------------------------


def _own_subassignment(actor: Actor, row: UnitAssignment) -> bool:
    return row.handler_id == actor.person.pk


def _heads_subassigning_unit(actor: Actor, row: UnitAssignment) -> bool:
    """The unit's head (or a leader of it) sends the 承办人's report up or returns it."""
    return _answers_for(actor, row.assignment.unit)


def _unit_still_handling(actor: Actor, row: UnitAssignment) -> bool:
    return row.assignment.document.state == S.HANDLING and row.assignment.done_at is None


def _subassignment_already(actor: Actor, row: UnitAssignment) -> str:
    return _("该分办事项%(state)s。") % {"state": row.get_state_display()}


subassignment_machine = Machine(
    name="incoming_subassignment",
    model=UnitAssignment,
    event_model=None,  # the document's 流转记录 records every step, with names
    event_for=lambda row: {},
    noun=N_("分办事项"),
    lock_related=("assignment__document__receiving_unit", "assignment__unit", "section", "handler"),
    steps=[
        Step(
            "report",
            N_("报送办理情况"),
            sources=(U.ASSIGNED, U.RETURNED),
            targets=(U.REPORTED,),
            who=_own_subassignment,
            refusal=N_("只能报送分办给本人的事项。"),
            when=_unit_still_handling,
            not_now=N_("该单位的承办已办完或收文已不在承办中。"),
            wrong_state=_subassignment_already,
            deadline="meets the 承办人's 办理时限",
        ),
        Step(
            "accept",
            N_("上报办理情况"),
            sources=(U.REPORTED,),
            targets=(U.ACCEPTED,),
            who=_heads_subassigning_unit,
            refusal=N_("由承办单位负责人审核上报。"),
            when=_unit_still_handling,
            not_now=N_("该单位的承办已办完或收文已不在承办中。"),
            wrong_state=N_("承办人尚未报送办理情况。"),
            deadline="an assisting unit's last row sends its 协办意见 and meets the unit's 办理时限",
        ),
        Step(
            "return",
            N_("退回办理情况"),
            sources=(U.REPORTED,),
            targets=(U.RETURNED,),
            who=_heads_subassigning_unit,
            refusal=N_("由承办单位负责人审核退回。"),
            when=_unit_still_handling,
            not_now=N_("该单位的承办已办完或收文已不在承办中。"),
            wrong_state=N_("承办人尚未报送办理情况。"),
            deadline="reopens the 承办人's 办理时限 while it lies ahead",
        ),
    ],
)

navigation.offer("incoming_receive", may_receive)
