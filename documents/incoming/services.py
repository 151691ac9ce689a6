"""Incoming documents (收文): every step a service, as for outgoing documents.

签收 → 登记 (收文编号, duplicate check) → 初审 (return to the sender, or take it in as 阅件 / 办件)
→ for 办件: 拟办 → 批示 → 承办 (lead and assisting units, each a Deadline) → 办结 (and 答复);
→ for 阅件: 传阅 (per reader: sent → opened → read) → 办结; → 归档 (not with readers pending unless
the office overrides with a reason). 传阅 may also run alongside 办件. 催办 notifies and is recorded.

Who may take each step, and when, is ``documents.incoming.rules`` (the document and the reader
machines): every service checks it first, then validates its input, then moves or records.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from guardian.shortcuts import assign_perm, remove_perm

from documents import hooks
from documents.incoming import rules
from documents.models import (
    OPEN_SUBASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    Channel,
    Circulation,
    CirculationReader,
    Handling,
    IncomingCounter,
    IncomingDocument,
    IncomingScan,
    IncomingState,
    OutgoingDocument,
    ReaderState,
    UnitAssignment,
    Urgency,
)
from office import search
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent, ClassifiedCopy
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.uploads import JPEG, PDF, PNG, check_upload
from office.workdays.services import PeriodUnit
from office.workflow import TransitionNotAllowed, actor_of, take_next

S = IncomingState
machine, readers_machine = rules.incoming_machine, rules.reader_machine
ALLOWED = {state: moves for state, moves in machine.allowed.items() if moves}  # what may follow what

# Default time limits (working days) where the instruction gives none.
DEFAULT_HANDLING_DAYS = {Urgency.EXTRA_URGENT: 2, Urgency.URGENT: 5, Urgency.NONE: 15}
DEFAULT_READING_DAYS = 3


def _search_vector(document: IncomingDocument) -> SearchVector:
    text = search.document_text(
        document.title, document.sender_number, document.sender_organ, document.registration_text, document.body
    )
    return SearchVector(Value(text), config="simple")


def _refresh_search(document: IncomingDocument) -> None:
    IncomingDocument.objects.filter(pk=document.pk).update(search_vector=_search_vector(document))


def find_duplicate(
    *, receiving_unit: Unit, sender_organ: str, sender_number: str, exclude: int | None = None
) -> IncomingDocument | None:
    """The same sender and 发文字号 already received by this unit."""
    if not sender_number.strip():
        return None
    found = IncomingDocument.objects.filter(
        receiving_unit=receiving_unit, sender_organ=sender_organ.strip(), sender_number=sender_number.strip()
    )
    if exclude:
        found = found.exclude(pk=exclude)
    return found.order_by("pk").first()


# --- Receiving ----------------------------------------------------------------------------------


@transaction.atomic
def incoming_receive(
    *,
    actor: User,
    receiving_unit: Unit,
    sender_organ: str,
    title: str,
    sender_number: str = "",
    kind: str = "",
    urgency: str = "",
    copies_received: int = 1,
    copy_numbers: str = "",
    channel: str = Channel.PAPER,
    body: str = "",
    level: Level = Level.INTERNAL,
    basis: str = "",
    term_unit: str = "",
    term_amount: int | None = None,
) -> IncomingDocument:
    """签收 a document that came from outside (paper, electronic exchange, fax): signed for now."""
    taker = actor_of(actor)
    person = taker.person
    if not rules.is_office(taker):
        raise PermissionDenied(_("收文由文秘或办公室主任签收。"))
    if not rules.serves(person, receiving_unit):
        raise PermissionDenied(_("只能为本单位签收来文。"))
    if Level(level) > person.clearance:
        raise PermissionDenied(_("不能签收高于本人涉密等级的来文。"))
    if body.strip():
        secrecy.ensure_content_allowed(user=actor, level=level)
    document = IncomingDocument(
        receiving_unit=receiving_unit,
        sender_organ=sender_organ.strip(),
        sender_number=sender_number.strip(),
        title=title.strip(),
        kind=kind,
        urgency=urgency,
        copies_received=copies_received,
        copy_numbers=copy_numbers,
        channel=channel,
        body=body,
        signed_for_by=person,
        signed_for_at=timezone.now(),
        state=S.SIGNED,
    )
    secrecy.apply_classification(
        document, actor=actor, level=level, basis=basis or _("来文标注"), term_unit=term_unit, term_amount=term_amount
    )
    document.duplicate_of = find_duplicate(
        receiving_unit=receiving_unit, sender_organ=sender_organ, sender_number=sender_number
    )
    document.full_clean()
    document.save()
    machine.record(document, actor=taker, action=N_("签收"), comment=_("疑似重复来文") if document.duplicate_of else "")
    _refresh_search(document)
    return document


def deliver_internal(
    *, actor: User, outgoing: OutgoingDocument, unit: Unit, copy: ClassifiedCopy | None = None
) -> IncomingDocument:
    """系统内交换: an issued outgoing document arrives in a recipient unit's queue, to be signed for.

    Called by the outgoing documents' 核发 inside its transaction."""
    document = IncomingDocument(
        receiving_unit=unit,
        sender_organ=outgoing.series.organ.name,
        sender_unit=outgoing.series.organ,
        sender_number=outgoing.number_text,
        title=outgoing.title,
        kind=outgoing.kind,
        urgency=outgoing.urgency,
        copies_received=1,
        copy_numbers=copy.number_display if copy else "",
        channel=Channel.INTERNAL,
        body=outgoing.body,
        source_outgoing=outgoing,
        state=S.PENDING,
        classification=outgoing.classification,
        secrecy_term_unit=outgoing.secrecy_term_unit,
        secrecy_term_amount=outgoing.secrecy_term_amount,
        secrecy_until=outgoing.secrecy_until,
        declassify_condition=outgoing.declassify_condition,
        secrecy_from=outgoing.secrecy_from,
        classification_basis=outgoing.classification_basis,
        classified_by=outgoing.classified_by,
        classified_at=outgoing.classified_at,
        declassify_due=outgoing.declassify_due,
    )
    document.save()
    machine.record(document, actor=actor, action=N_("系统内送达"), comment=outgoing.number_text)
    _refresh_search(document)
    return document


@transaction.atomic
def incoming_sign_for(*, actor: User, document: IncomingDocument) -> IncomingDocument:
    """签收 an internally delivered document (with the time)."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "sign_for")
    document.signed_for_by, document.signed_for_at = taker.person, timezone.now()
    document.duplicate_of = find_duplicate(
        receiving_unit=document.receiving_unit,
        sender_organ=document.sender_organ,
        sender_number=document.sender_number,
        exclude=document.pk,
    )
    machine.move(
        document,
        S.SIGNED,
        actor=taker,
        action=N_("签收"),
        update_fields=["signed_for_by", "signed_for_at", "duplicate_of"],
    )
    return document


@transaction.atomic
def incoming_register(*, actor: User, document: IncomingDocument) -> IncomingDocument:
    """登记: the 收文编号 of the receiving unit, per year, gapless. The number is taken last (the
    counter row stays locked to the commit, and every other 登记 of the unit waits for it): the
    move first, then the number, the document's number and search text (one UPDATE) and the
    step's 流转记录, which names the number."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "register")
    document.registered_by = taker.person
    source, action = document.state, N_("登记")
    machine.move(document, S.REGISTERED, actor=taker, action=action, update_fields=["registered_by"], recorded=False)
    year = timezone.localdate().year
    document.registration_year = year
    document.registration_sequence = take_next(IncomingCounter, organ=document.receiving_unit, year=year)
    IncomingDocument.objects.filter(pk=document.pk).update(
        registration_year=year,
        registration_sequence=document.registration_sequence,
        search_vector=_search_vector(document),
    )
    # The 流转记录 is append-only and names the number: it is written now, with it.
    machine.record(document, actor=taker, action=action, comment=document.registration_text, source=source)
    return document


@transaction.atomic
def incoming_screen(
    *,
    actor: User,
    document: IncomingDocument,
    accept: bool,
    handling: str = Handling.ACTION,
    reason: str = "",
    important: bool = False,
    chaser: Person | None = None,
) -> IncomingDocument:
    """初审: take it in as 办件 or 阅件, or return it to the sender with the reason."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "screen")
    if not accept:
        if not reason.strip():
            raise ValidationError({"reason": _("退回来文请写明理由。")})
        document.return_reason = reason.strip()
        machine.move(
            document, S.RETURNED, actor=taker, action=N_("初审退回"), comment=reason, update_fields=["return_reason"]
        )
        _tell_sender(document, _("来文被退回：%(title)s。理由：%(reason)s"), reason=reason)
        return document
    document.handling = Handling(handling)
    document.important = important
    if chaser is not None:
        document.chaser = chaser
    if (document.urgency or important) and document.chaser is None:
        document.chaser = taker.person  # urgent and important documents have a named chaser
    to = S.PROPOSAL if document.handling == Handling.ACTION else S.CIRCULATING
    machine.move(
        document,
        to,
        actor=taker,
        action=N_("初审通过"),
        comment=document.get_handling_display(),
        update_fields=["handling", "important", "chaser"],
    )
    return document


def _tell_sender(document: IncomingDocument, verb: str, **values: str) -> None:
    """A unit inside the system hears about what happened to what it sent: named by its own 发文 (the
    record its people may see), not by the receiving organ's 收文."""
    source = document.source_outgoing
    if source is None:
        return
    recipients = {source.drafter.user}
    if document.sender_unit is not None and document.sender_unit.head is not None:
        recipients.add(document.sender_unit.head.user)
    for user in recipients:
        _notify(user, verb, source, link=f"/documents/outgoing/{source.pk}/", **values)


def _notify(user: User, verb: str, record, *, link: str, **values: str) -> None:
    """``verb`` names ``record`` as ``%(title)s``, filled for ``user`` with what he may see of it
    (never a title outside his 知悉范围, never a classified one in a stored text); the reminders
    service cuts the text to what its columns hold (a reason or a message may be longer)."""
    reminders.notify(recipient=user, verb=verb, subject=record, link=link, **values)


@transaction.atomic
def incoming_propose(
    *,
    actor: User,
    document: IncomingDocument,
    proposal: str,
    leader: Person,
    lead_unit: Unit | None = None,
    assisting_units: list[Unit] = (),
) -> IncomingDocument:
    """拟办: the office proposes how to handle it — and, optionally, the 主办 and 协办 units, which the
    leader's 批示 form starts from — for the leader's 批示."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "propose")
    if not proposal.strip():
        raise ValidationError({"proposal": _("请填写拟办意见。")})
    if not leader.user.has_role(Role.LEADER):
        raise ValidationError({"leader": _("请选择批示领导。")})
    if leader.clearance < document.classification:
        # He could not open it (visible_to), so it would wait for a 批示 that can never come.
        raise ValidationError({"leader": _("所选领导的涉密等级低于来文密级。")})
    if lead_unit is not None and lead_unit in assisting_units:
        raise ValidationError({"assisting_units": _("拟主办单位不能同时为拟协办单位。")})
    document.proposal, document.proposed_by, document.instructing_leader = proposal.strip(), taker.person, leader
    document.proposed_lead_unit = lead_unit
    machine.move(
        document,
        S.INSTRUCTION,
        actor=taker,
        action=N_("拟办"),
        comment=proposal,
        update_fields=["proposal", "proposed_by", "instructing_leader", "proposed_lead_unit"],
    )
    document.proposed_assisting_units.set(list(dict.fromkeys(assisting_units)))
    _notify(leader.user, _("请批示：%(title)s"), document, link=f"/documents/incoming/{document.pk}/")
    return document


@transaction.atomic
def incoming_instruct(
    *,
    actor: User,
    document: IncomingDocument,
    instruction: str,
    lead_unit: Unit | None = None,
    assisting_units: list[Unit] = (),
    time_limit: date | None = None,
    supervise: bool = False,
    send_back: bool = False,
) -> IncomingDocument:
    """批示: the leader's instruction; it names the lead unit (主办) and assisting units (协办), each
    with its due date (urgent documents must have one), or sends it back for a new 拟办."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "instruct")
    person = taker.person
    if not instruction.strip():
        raise ValidationError({"instruction": _("请填写批示意见。")})
    document.instruction, document.instructed_at = instruction.strip(), timezone.now()
    if send_back:
        machine.move(
            document,
            S.PROPOSAL,
            actor=taker,
            action=N_("批示退回重拟"),
            comment=instruction,
            update_fields=["instruction", "instructed_at"],
        )
        return document
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("请指定主办单位。")})
    if lead_unit in assisting_units:
        raise ValidationError({"assisting_units": _("主办单位不能同时为协办单位。")})
    if document.urgency and time_limit is None:
        raise ValidationError({"time_limit": _("紧急公文必须明确办理时限。")})
    today = timezone.localdate()
    if time_limit is not None and time_limit <= today:
        raise ValidationError({"time_limit": _("办理时限应晚于今天。")})
    document.time_limit, document.supervise = time_limit, supervise
    machine.move(
        document,
        S.HANDLING,
        actor=taker,
        action=N_("批示"),
        comment=instruction,
        update_fields=["instruction", "instructed_at", "time_limit", "supervise"],
    )
    days = DEFAULT_HANDLING_DAYS.get(document.urgency or Urgency.NONE, 15)
    for unit, role in [(lead_unit, AssignmentRole.LEAD), *[(u, AssignmentRole.ASSIST) for u in assisting_units]]:
        Assignment.objects.create(document=document, unit=unit, role=role, due=time_limit)
        assign_perm("view_incomingdocument", unit.group, document)  # the units handle it: they read it
        if time_limit is not None:
            amount, unit_kind = (time_limit - today).days, PeriodUnit.CALENDAR_DAYS
        else:
            amount, unit_kind = days, PeriodUnit.WORKING_DAYS
        reminders.deadline_open(
            actor=actor,
            subject=document,
            kind="document",
            start=today,
            amount=amount,
            unit=unit_kind,
            responsible_unit=unit,
            leader=person,
        )
    if supervise:
        _open_supervision(actor, document, lead_unit, list(assisting_units))
    return document


def _open_supervision(actor: User, document: IncomingDocument, lead_unit: Unit, assisting_units: list[Unit]) -> None:
    """列入督办: whoever keeps 督办 (the supervision app) opens an item from this 批示, in this
    transaction, already split to the units the leader named."""
    hooks.instruction_given.send(
        hooks.InstructionGiven(actor=actor, document=document, lead_unit=lead_unit, assisting_units=assisting_units)
    )


@transaction.atomic
def incoming_unit_done(*, actor: User, document: IncomingDocument, unit: Unit, note: str) -> IncomingDocument:
    """An assisting unit sends its input to the lead unit; its own deadline is met."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "unit_done")
    assignment = document.assignments.filter(unit=unit, role=AssignmentRole.ASSIST).first()
    if assignment is None:
        raise ValidationError({"unit": _("该单位不是协办单位。")})
    if unit not in rules.units_to_report_for(taker, document):
        if assignment.done_at is not None:
            raise TransitionNotAllowed(_("该单位已报送协办意见。"))
        raise PermissionDenied(_("由协办单位负责人报送协办意见。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写协办意见。")})
    note = note.strip()
    assignment.done_at, assignment.note = timezone.now(), note
    assignment.save(update_fields=["done_at", "note"])
    _meet_unit_deadlines(document, unit, actor)
    machine.record(document, actor=taker, action=N_("协办意见"), comment=f"{unit.name}：{note}")
    return document


def _meet_unit_deadlines(document, unit, actor) -> None:
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open" and deadline.responsible_unit_id == unit.pk:
            reminders.deadline_meet(actor=actor, deadline=deadline)


@transaction.atomic
def incoming_complete(*, actor: User, document: IncomingDocument, result: str, reply: str = "") -> IncomingDocument:
    """办结: the lead unit records the result (and the 答复 to the sender when one is required)."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "complete")
    if document.state == S.HANDLING:
        lead = document.assignments.get(role=AssignmentRole.LEAD)
        if not result.strip():
            raise ValidationError({"result": _("请填写办理结果。")})
        if document.reply_required and not reply.strip():
            raise ValidationError({"reply": _("该文需要答复来文单位，请填写答复情况。")})
        lead.done_at, lead.note = timezone.now(), result
        lead.save(update_fields=["done_at", "note"])
    document.result, document.reply = result.strip(), reply.strip()
    document.done_at = timezone.now()
    due = document.time_limit
    if due is None and document.state == S.HANDLING:
        # No explicit limit: the lead unit's default deadline (DEFAULT_HANDLING_DAYS) is what counts.
        due = next(
            (
                d.due_date
                for d in reminders.deadlines_of(document)
                if d.kind_id == "document" and d.responsible_unit_id == lead.unit_id
            ),
            None,
        )
    document.done_on_time = due is None or timezone.localdate() <= due
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open" and deadline.kind_id == "document":
            reminders.deadline_meet(actor=actor, deadline=deadline)
    for row in UnitAssignment.objects.filter(assignment__document=document, state__in=OPEN_SUBASSIGNMENT_STATES):
        for deadline in reminders.deadlines_of(row):  # an assisting unit's 分办 left open: no more reminders
            if deadline.state == "open":
                reminders.deadline_cancel(actor=actor, deadline=deadline, reason=_("收文已办结"))
    machine.move(
        document,
        S.DONE,
        actor=taker,
        action=N_("办结"),
        comment=result,
        update_fields=["result", "reply", "done_at", "done_on_time"],
    )
    if reply.strip():
        _tell_sender(document, _("来文已办结：%(title)s。答复：%(reply)s"), reply=reply)
    return document


@transaction.atomic
def incoming_archive(
    *, actor: User, document: IncomingDocument, retention: str, override_reason: str = ""
) -> IncomingDocument:
    """归档 with 保管期限; not while readers are pending, unless the office overrides with a reason."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "archive")
    if retention not in ("永久", "30年", "10年"):
        raise ValidationError({"retention": _("保管期限应为永久、30年或10年。")})
    if pending_readers(document).exists():
        if not override_reason.strip():
            raise ValidationError({"override_reason": _("尚有人员未阅，不能归档；确需归档请写明理由。")})
        document.archive_override = override_reason.strip()
    document.retention = retention
    machine.move(
        document,
        S.ARCHIVED,
        actor=taker,
        action=N_("归档"),
        comment=override_reason or retention,
        update_fields=["retention", "archive_override"],
    )
    return document


@transaction.atomic
def incoming_chase(*, actor: User, document: IncomingDocument, message: str) -> IncomingDocument:
    """催办 by the office: a notification to the lead unit's head (or the pending readers), recorded."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "chase")
    if not message.strip():
        raise ValidationError({"message": _("请填写催办内容。")})
    targets: set[User] = set()
    if document.state == S.INSTRUCTION and document.instructing_leader:
        targets.add(document.instructing_leader.user)
    for assignment in document.assignments.filter(done_at__isnull=True).select_related("unit__head__user"):
        if assignment.unit.head:
            targets.add(assignment.unit.head.user)
    for reader in pending_readers(document).select_related("person__user"):
        targets.add(reader.person.user)
    for user in targets:
        _notify(
            user,
            _("催办：%(title)s。%(message)s"),
            document,
            link=f"/documents/incoming/{document.pk}/",
            message=message,
        )
    machine.record(document, actor=taker, action=N_("催办"), comment=message)
    return document


# --- 原件扫描件 ------------------------------------------------------------------------------------

SCAN_TYPES = (PDF, JPEG, PNG)


def check_scan(upload, *, field: str = "file") -> str:
    """The one check of a scan, for the page's form and the service alike: every upload's check
    (``office.uploads.check_upload``: size, not empty, bytes as the name says), then PDF or an image."""
    content_type = check_upload(upload, field=field)
    if content_type not in SCAN_TYPES:
        raise ValidationError(
            {field: _("原件扫描件须为 PDF 或图片（JPEG、PNG）：“%(name)s”。") % {"name": upload.name}}
        )
    return content_type


def incoming_attach_scan(*, actor: User, document: IncomingDocument, upload, name: str = "") -> IncomingScan:
    """原件扫描件 of a paper original (the receiving unit's office, from 签收 to 承办): checked by
    ``check_scan``, refused above the ceiling (the register only), recorded in the 流转记录."""
    content_type = check_scan(upload)
    with transaction.atomic():
        document = machine.lock(document)
        taker = machine.check(actor, document, "scan")
        secrecy.ensure_content_allowed(user=actor, level=document.level, record=document)
        scan = IncomingScan.objects.create(
            document=document,
            name=(name or upload.name)[:200],
            file=upload,
            size=upload.size,
            content_type=content_type,
            uploaded_by=taker.person,
        )
        machine.record(document, actor=taker, action=N_("上传原件扫描件"), comment=scan.name)
    return scan


# --- 传阅 -----------------------------------------------------------------------------------------


PENDING_READER_STATES = rules.PENDING_READER_STATES


def pending_readers(document: IncomingDocument):
    return CirculationReader.objects.filter(
        circulation__document=document,
        circulation__recalled_at__isnull=True,
        state__in=PENDING_READER_STATES,
    )


@transaction.atomic
def circulation_start(
    *, actor: User, document: IncomingDocument, readers: list[Person], note: str, due: date | None = None
) -> Circulation:
    """传阅: to chosen readers, with why; each reader has a reading deadline."""
    document = machine.lock(document)
    taker = machine.check(actor, document, "circulate")
    if not readers:
        raise ValidationError({"readers": _("请选择传阅人。")})
    if not note.strip():
        raise ValidationError({"note": _("请说明传阅事由。")})
    too_low = [p.name for p in readers if p.clearance < document.classification]
    if too_low:
        raise ValidationError({"readers": _("涉密等级不足：%(names)s") % {"names": "、".join(too_low)}})
    today = timezone.localdate()
    due = due or (today + timedelta(days=DEFAULT_READING_DAYS))
    if due <= today:
        raise ValidationError({"due": _("阅毕时限应晚于今天。")})
    circulation = Circulation.objects.create(document=document, note=note.strip(), sent_by=taker.person, due=due)
    for order, person in enumerate(dict.fromkeys(readers), start=1):
        reader = CirculationReader.objects.create(circulation=circulation, person=person, order=order)
        assign_perm("view_incomingdocument", person.user, document)
        reminders.deadline_open(
            actor=actor,
            subject=reader_subject(reader),
            kind="circulation",
            start=today,
            amount=(due - today).days,
            unit=PeriodUnit.CALENDAR_DAYS,
            responsible_person=person,
        )
    machine.record(document, actor=taker, action=N_("传阅"), comment=f"{note}（{'、'.join(p.name for p in readers)}）")
    return circulation


def reader_subject(reader: CirculationReader):
    """Reading deadlines hang on the reader row (one per person and round)."""
    return reader


@transaction.atomic
def circulation_open(*, actor: User, reader: CirculationReader) -> CirculationReader:
    """The reader has it (已收到): the first step, recorded with the time."""
    reader = readers_machine.lock(reader)
    taker = readers_machine.check(actor, reader, "open")
    reader.opened_at = timezone.now()
    readers_machine.move(reader, ReaderState.OPENED, actor=taker, action=N_("签收传阅件"), update_fields=["opened_at"])
    return reader


@transaction.atomic
def circulation_read(*, actor: User, reader: CirculationReader, comment: str = "") -> CirculationReader:
    """已阅, with an optional comment — only after it was received, in that order."""
    reader = readers_machine.lock(reader)
    taker = readers_machine.check(actor, reader, "read")
    reader.read_at, reader.comment = timezone.now(), comment
    readers_machine.move(reader, ReaderState.READ, actor=taker, action=N_("已阅"), update_fields=["read_at", "comment"])
    for deadline in reminders.deadlines_of(reader):
        if deadline.state == "open":
            reminders.deadline_meet(actor=actor, deadline=deadline)
    document = reader.circulation.document
    machine.record(document, actor=taker, action=N_("已阅"), comment=comment)
    return reader


@transaction.atomic
def circulation_recall(*, actor: User, circulation: Circulation, reason: str) -> Circulation:
    """收回 a circulation: pending readers are released, their deadlines cancelled, and the access
    the round gave them taken back — a reader who has not read it no longer sees the document
    (unless something else still lets him: another round, a copy he holds, a 知悉范围 grant). One who
    has read it keeps it: he knows it already, and the record of his reading stays his to open."""
    circulation = Circulation.objects.select_for_update().select_related("document").get(pk=circulation.pk)
    if circulation.recalled_at is not None:
        raise TransitionNotAllowed(_("该传阅已收回。"))
    if not circulation.readers.filter(state__in=PENDING_READER_STATES).exists():
        raise TransitionNotAllowed(_("该传阅的传阅人均已阅毕，无需收回。"))
    taker = machine.check(actor, circulation.document, "recall")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明收回理由。")})
    circulation.recalled_at = timezone.now()
    circulation.save(update_fields=["recalled_at"])
    document = circulation.document
    pending = circulation.readers.filter(state__in=PENDING_READER_STATES).select_related("person__user")
    for reader in pending.select_for_update(of=("self",)):
        readers_machine.move(reader, ReaderState.RECALLED, actor=taker, action=N_("收回传阅"))
        for deadline in reminders.deadlines_of(reader):
            if deadline.state == "open":
                reminders.deadline_cancel(actor=actor, deadline=deadline, reason=_("传阅已收回"))
        if not _grant_held_otherwise(reader.person, document, circulation):
            remove_perm("view_incomingdocument", reader.person.user, document)
    machine.record(circulation.document, actor=taker, action=N_("收回传阅"), comment=reason)
    return circulation


def _grant_held_otherwise(person: Person, document: IncomingDocument, recalled: Circulation) -> bool:
    """Whether the person's own grant on ``document`` rests on more than the recalled round (one
    grant serves every reason, so it stays while another reason does): another round he is reading
    or has read, a numbered copy he holds, or a 知悉范围 grant by the registrar or the 保密员 (the
    latest grant or revoke of him in the audit log is a grant)."""
    other_rounds = CirculationReader.objects.filter(circulation__document=document, person=person).exclude(
        circulation=recalled
    )
    if other_rounds.filter(
        Q(state=ReaderState.READ) | Q(circulation__recalled_at__isnull=True, state__in=PENDING_READER_STATES)
    ).exists():
        return True
    content_type = ContentType.objects.get_for_model(IncomingDocument)
    if ClassifiedCopy.objects.filter(content_type=content_type, object_id=document.pk, holder_person=person).exists():
        return True
    scope_change = (
        AuditEvent.objects.filter(
            content_type=content_type,
            object_id=str(document.pk),
            action__in=[AuditAction.GRANT, AuditAction.REVOKE],
            detail__person=person.pk,
        )
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    return scope_change == AuditAction.GRANT


def is_circulating(document: IncomingDocument) -> bool:
    return pending_readers(document).exists()
