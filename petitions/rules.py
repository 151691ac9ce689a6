"""Who may move a 信访事项, decided once (STYLE.md §5).

One machine, ``CASE``: 登记 → 分流 (直接受理 / 转送 / 交办 / 诉访分离 / 不再受理) → 受理告知 or 异议 by
the receiving organ → 办理 (调查, 约谈, 听证 as a pause, one 延期 by the organ head) → 答复意见 and
its 答复意见书 → 送达 → 复查 → 复核 on the petitioner's request → 评价 → 办结 → 归档. ``services`` take
every step through it; pages, the API and the desk show exactly ``offered(user, case)``.

Three kinds of people act:
- the **信访员** of the registering unit (``is_intake``): registration, routing, the petitioner's
  requests, rating, closing, archiving, repeats;
- the **承办单位** (``is_handling``): the receiving organ's people — acceptance or objection, the
  handling record, the 答复意见 and its 送达; in 复查/复核 the reviewing organ (``reviewing_unit``);
- the **机关负责人** of the handling organ (``is_organ_head``): the one extension.
A 领导 inside the case's 知悉范围 may give a 批示, which opens a 督办 item.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.workflow import Machine, Step, in_state, person_acting, user_acting
from office.workflow.machine import Actor
from petitions.models import CaseState, Kind, PetitionCase, PetitionEvent, Route, Stage

OPEN = (CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.HANDLING, CaseState.REVIEWING, CaseState.REREVIEWING)
IN_HAND = (CaseState.HANDLING, CaseState.REVIEWING, CaseState.REREVIEWING)  # someone owes an answer
ENDED = (CaseState.CLOSED, CaseState.NOT_ACCEPTED, CaseState.MERGED)
# 复查 follows the first answer, 复核 the 复查's; after the 复核 nothing follows.
NEXT_STAGE = {Stage.FIRST: Stage.REVIEW, Stage.REVIEW: Stage.REREVIEW}
REVIEW_STATE = {Stage.REVIEW: CaseState.REVIEWING, Stage.REREVIEW: CaseState.REREVIEWING}
# A document in these states has been signed and numbered: its 答复意见书 may be served.
SIGNED_STATES = ("registered", "issued", "archived")


def in_unit(person: Person | None, unit: Unit | None) -> bool:
    """The person works in ``unit`` or below it (within the organ)."""
    return person is not None and unit is not None and unit.pk in person.units()


# --- Who is who -------------------------------------------------------------------------------------


def is_intake(user: User | Actor, case: PetitionCase) -> bool:
    """A 信访员 of the unit that registered the case (or one above it within the organ)."""
    person = person_acting(user)
    return (
        person is not None and user_acting(user).has_role(Role.PETITION_OFFICER) and in_unit(person, case.intake_unit)
    )


def answering_unit(case: PetitionCase) -> Unit | None:
    """Who owes the answer now: the reviewing organ in 复查/复核, else the 承办单位."""
    if case.stage != Stage.FIRST and case.reviewing_unit_id:
        return case.reviewing_unit
    return case.handling_unit


def is_handling(user: User | Actor, case: PetitionCase) -> bool:
    """The 承办人, or a person of the unit that owes the answer now (``answering_unit``)."""
    person = person_acting(user)
    if person is None:
        return False
    if case.handler_id == person.pk and case.stage == Stage.FIRST:
        return True
    return in_unit(person, answering_unit(case))


def organ_head(case: PetitionCase) -> Person | None:
    """The 机关负责人 of the 承办单位's organ (who approves the one extension)."""
    unit = case.handling_unit
    if unit is None:
        return None
    organ = unit.organ or unit
    return organ.head


def is_organ_head(user: User | Actor, case: PetitionCase) -> bool:
    person, head = person_acting(user), organ_head(case)
    return person is not None and head is not None and head.pk == person.pk


def may_see_identity(user: User | Actor, case: PetitionCase) -> bool:
    """The 信访人's name, ID number, phone and address: only the case's handlers (its 信访员, its
    承办人 and the people of the units that answer for it). Leaders, grantees and figures see a mask."""
    person = person_acting(user)
    if person is None:
        return False
    if person.pk in (case.registrar_id, case.handler_id):
        return True
    return is_intake(user, case) or any(
        in_unit(person, unit) for unit in (case.handling_unit, case.reviewing_unit, case.review_unit)
    )


def is_leader_inside(user: User | Actor, case: PetitionCase) -> bool:
    """A 领导 inside the case's 知悉范围."""
    user = user_acting(user)
    return (
        person_of(user) is not None
        and user.has_role(Role.LEADER)
        and PetitionCase.objects.visible_to(user).filter(pk=case.pk).exists()
    )


def barred_unit(case: PetitionCase, unit: Unit | None) -> bool:
    """A 检举控告 never goes to the accused unit or a unit inside it (nor to the accused's unit)."""
    if unit is None:
        return False
    lineage = unit.organ_lineage_ids()
    if case.accused_unit_id and case.accused_unit_id in lineage:
        return True
    return bool(case.accused_person_id and case.accused_person.unit_id in lineage)


# --- What the case allows now -----------------------------------------------------------------------


def routes_open(actor: Actor, case: PetitionCase) -> list[str]:
    """The routes the 信访员 may take: 不再受理 only for a repeat of a matter whose 复核 is done."""
    routes = [Route.DIRECT, Route.TRANSFER, Route.ASSIGN, Route.STATUTORY]
    if case.repeat_of_id and case.repeat_of.final:
        routes.append(Route.REFUSE)
    return [str(route) for route in routes]


def open_deadline(case: PetitionCase, kind: str):
    from office.reminders.models import DeadlineState

    return next((d for d in _deadlines(case) if d.kind_id == kind and d.state == DeadlineState.OPEN), None)


def _deadlines(case: PetitionCase):
    from office.reminders import services as reminders

    if "_deadlines" not in case.__dict__:
        case.__dict__["_deadlines"] = reminders.deadlines_of(case)
    return case.__dict__["_deadlines"]


def may_object_now(actor: Actor, case: PetitionCase) -> bool:
    """An objection only within its 5 working days (the clock's due date)."""
    deadline = open_deadline(case, "petition-object")
    return deadline is not None and deadline.due_date is not None and timezone.localdate() <= deadline.due_date


def hearing_running(case: PetitionCase) -> bool:
    deadline = _handling_deadline(case)
    return deadline is not None and deadline.suspended


def _handling_deadline(case: PetitionCase):
    return open_deadline(case, "petition" if case.stage == Stage.FIRST else "petition-review")


def may_extend_now(actor: Actor, case: PetitionCase) -> bool:
    """The one extension: first handling only, while its 60 days run and none was granted yet."""
    deadline = open_deadline(case, "petition")
    if case.stage != Stage.FIRST or deadline is None or deadline.suspended:
        return False
    if deadline.due_date is not None and timezone.localdate() > deadline.due_date:
        return False
    return not deadline.extensions.exists()


def extension_asked(case: PetitionCase) -> bool:
    """The 承办单位 asked for the extension (``ask_extension``): what the organ head decides on."""
    return case.events.filter(action="申请延期").exists()


def current_reply(case: PetitionCase):
    return case.replies.filter(stage=case.stage).first()


def may_serve_now(actor: Actor, case: PetitionCase) -> bool:
    """The 答复意见书 is served once signed and numbered (签发, 登记)."""
    reply = current_reply(case)
    return reply is not None and reply.document_id is not None and reply.document.state in SIGNED_STATES


def may_request_review_now(actor: Actor, case: PetitionCase) -> bool:
    """复查 after the first answer, 复核 after the 复查's, within the petitioner's 30 days."""
    return (
        case.stage in NEXT_STAGE
        and case.window_until is not None
        and timezone.localdate() <= case.window_until
        and not case.final
    )


def may_close_now(actor: Actor, case: PetitionCase) -> bool:
    """办结 once the petitioner rated the answer, his window passed, or the 复核 was answered."""
    if case.final or case.satisfaction:
        return True
    return case.window_until is not None and timezone.localdate() > case.window_until


CASE = Machine(
    name="petition-case",
    model=PetitionCase,
    noun=N_("信访事项"),
    event_model=PetitionEvent,
    event_for=lambda case: {"case": case},
    stamp_field="state_changed_at",
    lock_related=("intake_unit", "handling_unit", "reviewing_unit", "review_unit", "repeat_of"),
    steps=[
        Step(
            "route",
            N_("分流"),
            sources=(CaseState.REGISTERED,),
            targets=(CaseState.HANDLING, CaseState.TRANSFERRED, CaseState.NOT_ACCEPTED),
            who=is_intake,
            refusal=N_("信访事项由登记部门的信访员分流。"),
            options=routes_open,
            wrong_state=in_state(N_("信访事项“%(state)s”，不能再分流。")),
            deadline="登记后15日内（petition-route）",
        ),
        Step(
            "link",
            N_("关联重复件"),
            sources=(CaseState.REGISTERED, CaseState.TRANSFERRED, CaseState.HANDLING),
            targets=(),
            who=is_intake,
            refusal=N_("重复件由信访员确认关联。"),
            when=lambda actor, case: case.repeat_of_id is None,
            not_now=N_("已关联重复件。"),
        ),
        Step(
            "merge",
            N_("并案"),
            sources=(CaseState.REGISTERED,),
            targets=(CaseState.MERGED,),
            who=is_intake,
            refusal=N_("并案由信访员办理。"),
            wrong_state=in_state(N_("信访事项“%(state)s”，不能并案：只有待处理的事项可以并入其他事项。")),
            confirm=N_("并案后本件不再单独办理，随所并入的事项一并答复。"),
        ),
        Step(
            "accept",
            N_("受理"),
            sources=(CaseState.TRANSFERRED,),
            targets=(CaseState.HANDLING,),
            who=is_handling,
            refusal=N_("转送、交办的事项由承办单位决定是否受理。"),
            deadline="收到后15日内书面告知（petition-accept）",
        ),
        Step(
            "object",
            N_("提出异议"),
            sources=(CaseState.TRANSFERRED,),
            targets=(CaseState.REGISTERED,),
            who=is_handling,
            refusal=N_("异议由承办单位提出。"),
            when=may_object_now,
            not_now=N_("收到转送、交办事项5个工作日内方可提出异议，已超过期限。"),
            deadline="收到后5个工作日内（petition-object）",
        ),
        Step(
            "note",
            N_("办理记录"),
            sources=IN_HAND,
            targets=(),
            who=lambda actor, case: is_handling(actor, case) or is_intake(actor, case),
            refusal=N_("办理记录由承办单位或信访员填写。"),
        ),
        Step(
            "hearing",
            N_("举行听证"),
            sources=IN_HAND,
            targets=(),
            who=is_handling,
            refusal=N_("听证由承办单位组织。"),
            when=lambda actor, case: _handling_deadline(case) is not None and not hearing_running(case),
            not_now=N_("听证正在进行，或本阶段没有正在计算的办理期限。"),
        ),
        Step(
            "hearing_end",
            N_("听证结束"),
            sources=IN_HAND,
            targets=(),
            who=is_handling,
            refusal=N_("听证由承办单位组织。"),
            when=lambda actor, case: hearing_running(case),
            not_now=N_("没有正在进行的听证。"),
        ),
        Step(
            "ask_extension",
            N_("申请延期"),
            sources=(CaseState.HANDLING,),
            targets=(),
            who=is_handling,
            refusal=N_("延期由承办单位申请。"),
            when=may_extend_now,
            not_now=N_("只有初次办理在60日期限内可以延期一次，且已延期的不能再延。"),
        ),
        Step(
            "extend",
            N_("批准延期"),
            sources=(CaseState.HANDLING,),
            targets=(),
            who=is_organ_head,
            refusal=N_("延期须经承办机关负责人批准。"),
            when=lambda actor, case: may_extend_now(actor, case) and extension_asked(case),
            not_now=N_("承办单位尚未申请延期；或已延期，或60日期限已过。"),
            confirm=N_("批准后办理期限延长（合计不超过30日），并须向信访人告知延期理由。"),
        ),
        Step(
            "reply",
            N_("拟写答复意见"),
            sources=IN_HAND,
            targets=(),
            who=is_handling,
            refusal=N_("答复意见由承办单位拟写。"),
            when=lambda actor, case: current_reply(case) is None,
            not_now=N_("本阶段的答复意见已拟写，请在答复意见书上继续办理。"),
        ),
        Step(
            "serve",
            N_("送达答复"),
            sources=IN_HAND,
            targets=(CaseState.REPLIED,),
            who=lambda actor, case: is_handling(actor, case) or is_intake(actor, case),
            refusal=N_("答复意见书由承办单位或信访员送达。"),
            when=may_serve_now,
            not_now=N_("答复意见书签发、登记后方可送达。"),
            confirm=N_("登记送达后，本阶段办理期限即告结束。"),
        ),
        Step(
            "review_request",
            N_("请求复查复核"),
            sources=(CaseState.REPLIED,),
            targets=(CaseState.REVIEWING, CaseState.REREVIEWING),
            who=is_intake,
            refusal=N_("复查、复核请求由信访员登记。"),
            when=may_request_review_now,
            not_now=N_("复查、复核须在收到书面答复之日起30日内请求；复核意见作出后不再受理。"),
        ),
        Step(
            "rate",
            N_("满意度评价"),
            sources=(CaseState.REPLIED, CaseState.CLOSED),
            targets=(),
            who=is_intake,
            refusal=N_("评价和回访由信访员登记。"),
            when=lambda actor, case: case.archived_at is None,
            not_now=N_("已归档的事项不能再登记评价。"),
        ),
        Step(
            "close",
            N_("办结"),
            sources=(CaseState.REPLIED,),
            targets=(CaseState.CLOSED,),
            who=is_intake,
            refusal=N_("办结由信访员确认。"),
            when=may_close_now,
            not_now=N_("信访人尚未评价，且仍在可请求复查、复核的期限内。"),
            confirm=N_("办结后不能再请求复查或复核。"),
        ),
        Step(
            "archive",
            N_("归档"),
            sources=ENDED,
            targets=(),
            who=is_intake,
            refusal=N_("归档由信访员办理。"),
            when=lambda actor, case: case.archived_at is None,
            not_now=N_("已归档。"),
            confirm=N_("归档后案卷不能再变更。"),
        ),
        Step(
            "attach",
            N_("上传材料"),
            sources=(*OPEN, CaseState.REPLIED, *ENDED),
            targets=(),
            who=lambda actor, case: is_intake(actor, case) or is_handling(actor, case),
            refusal=N_("材料由信访员或承办单位上传。"),
            when=lambda actor, case: case.archived_at is None,
            not_now=N_("已归档的案卷不能再增加材料。"),
        ),
        Step(
            "instruct",
            N_("领导批示"),
            sources=(*OPEN, CaseState.REPLIED),
            targets=(),
            who=is_leader_inside,
            refusal=N_("批示由知悉范围内的领导作出。"),
        ),
    ],
)


def accusation_guard(case: PetitionCase, unit: Unit | None) -> str:
    """The refusal for routing a 检举控告 to whom it accuses (empty when the unit may take it)."""
    if case.kind == Kind.ACCUSATION and barred_unit(case, unit):
        return _("检举控告事项不得转送、交办给被检举单位或被检举人所在单位。")
    return ""
