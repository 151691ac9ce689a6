"""Every action on an outgoing document: drafting, the workflow steps, numbering, distribution.

One function per step. Each locks the document, checks the move against ``ALLOWED`` and the actor
against the step's rule, writes the 流转记录 (Transition), moves the step's Deadline, and defers
nothing it cannot undo. A move the state does not allow raises ``TransitionNotAllowed`` (409).
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated
from guardian.shortcuts import assign_perm

from documents import checker
from documents.models import (
    Attachment,
    Countersign,
    CountersignState,
    DocumentNumber,
    DocumentSeries,
    DocumentState,
    NumberCounter,
    NumberState,
    OutgoingDocument,
    Transition,
)
from office import search
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, ClassifiedCopy
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.uploads import check_upload
from office.workdays.services import PeriodUnit
from office.workflow import TransitionNotAllowed

S = DocumentState

# What may follow what (STYLE.md §5). Returns go back to the drafter.
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.REVIEW, S.VOIDED},
    S.REVIEW: {S.COUNTERSIGN, S.SIGNOFF, S.DRAFT},
    S.COUNTERSIGN: {S.SIGNOFF, S.DRAFT},
    S.SIGNOFF: {S.RECHECK, S.DRAFT},
    S.RECHECK: {S.REGISTERED, S.SIGNOFF},
    S.REGISTERED: {S.ISSUED, S.RECHECK},  # back to 复核 when its number is voided
    S.ISSUED: {S.ARCHIVED, S.REVOKED, S.ABOLISHED},
    S.ARCHIVED: {S.REVOKED, S.ABOLISHED},
}

# How long each step may take (working days), each a Deadline of kind "document".
STEP_DAYS = {S.REVIEW: 2, S.COUNTERSIGN: 3, S.SIGNOFF: 2, S.RECHECK: 1, S.REGISTERED: 1}

CONTENT_FIELDS = {
    "title",
    "kind",
    "direction",
    "urgency",
    "important",
    "body",
    "attachment_note",
    "in_reply_to",
    "note",
    "main_to_external",
    "cc_external",
    "printing_organ",
    "disclosure",
    "disclosure_reason",
    "copies",
    "designated_signer",
    "series",
    "retention",
}


def _person(user: User) -> Person:
    person = person_of(user)
    if person is None:
        raise PermissionDenied(_("该账号没有对应的人员信息。"))
    return person


def _is_office_staff(user: User, document: OutgoingDocument) -> bool:
    """The series' processing office runs review, recheck, registration and issue: its 文秘, and
    the 办公室主任 of the office or of the unit above it."""
    person = _person(user)
    if user.has_role(Role.SECRETARY) and document.series.office_id in person.unit.lineage_ids():
        return True
    return user.has_role(Role.OFFICE_CHIEF) and person.unit_id in document.series.office.lineage_ids()


def _check_signer(document: OutgoingDocument) -> None:
    """The 拟请签发人 must be cleared for the document: 签发 waits on him (his deadline), and he could
    not open what he is asked to sign."""
    signer = document.designated_signer
    if signer is not None and signer.clearance < document.classification:
        raise ValidationError(
            {"designated_signer": _("拟请签发人%(name)s的涉密等级低于公文密级。") % {"name": signer.name}}
        )


def _principal_leader(document: OutgoingDocument) -> Person | None:
    """The issuing unit's head: the mayor for 府发, the office director for 府办发."""
    return document.series.organ.head


def _move(document: OutgoingDocument, to: str, *, actor: User, action: str, comment: str = "") -> None:
    if to not in ALLOWED.get(document.state, set()):
        raise TransitionNotAllowed(
            _("公文处于“%(state)s”，不能%(action)s。") % {"state": document.get_state_display(), "action": _(action)}
        )
    person = person_of(actor)
    Transition.objects.create(
        document=document,
        action=action,
        from_state=document.state,
        to_state=to,
        actor=actor,
        actor_name=person.name if person else actor.get_username(),
        comment=comment,
    )
    _close_step_deadline(document, actor)
    document.state = to
    document.save()
    _open_step_deadline(document, actor)


def _close_step_deadline(document: OutgoingDocument, actor: User) -> None:
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open":
            reminders.deadline_meet(actor=actor, deadline=deadline, reason=_("已办理"))


def _open_step_deadline(document: OutgoingDocument, actor: User) -> None:
    days = STEP_DAYS.get(document.state)
    if days is None:
        return
    responsible_unit = document.series.organ if document.state != S.COUNTERSIGN else None
    responsible_person = None
    if document.state == S.SIGNOFF:
        responsible_person = document.designated_signer or _principal_leader(document)
    if document.state == S.COUNTERSIGN:
        pending = document.countersigns.filter(state=CountersignState.PENDING).select_related("unit")
        for countersign in pending:
            reminders.deadline_open(
                actor=actor,
                subject=document,
                kind="document",
                start=timezone.localdate(),
                amount=days,
                unit=PeriodUnit.WORKING_DAYS,
                responsible_unit=countersign.unit,
            )
        return
    reminders.deadline_open(
        actor=actor,
        subject=document,
        kind="document",
        start=timezone.localdate(),
        amount=days,
        unit=PeriodUnit.WORKING_DAYS,
        responsible_person=responsible_person,
        responsible_unit=None if responsible_person else responsible_unit,
    )


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("series__organ__head")
        .get(pk=document.pk)
    )


def _refresh_search(document: OutgoingDocument) -> None:
    text = search.document_text(document.title, document.number_text, document.body, document.attachment_note)
    OutgoingDocument.objects.filter(pk=document.pk).update(search_vector=SearchVector(Value(text), config="simple"))


# --- Drafting ------------------------------------------------------------------------------------


def outgoing_create(
    *,
    actor: User,
    series: DocumentSeries,
    title: str,
    kind: str,
    level: Level = Level.INTERNAL,
    main_to_units: list[Unit] = (),
    cc_units: list[Unit] = (),
    countersign_units: list[Unit] = (),
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    basis: str = "",
    **fields,
) -> OutgoingDocument:
    """Start a draft in the actor's unit. Nobody marks a document above their own clearance (they
    could not read it back); content above the deployment's ceiling is refused."""
    person = _person(actor)
    if not series.active:
        raise ValidationError({"series": _("该发文代字已停用。")})
    if Level(level) > person.clearance:
        raise PermissionDenied(_("不能拟制高于本人涉密等级的公文。"))
    if fields.get("body", "").strip():
        # Before the transaction: its rollback would take the ceiling_refused audit row with it.
        secrecy.ensure_content_allowed(user=actor, level=level)
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    with transaction.atomic():
        document = OutgoingDocument(
            series=series,
            title=title.strip(),
            kind=kind,
            drafter=person,
            drafting_unit=person.unit,
            printing_organ=fields.pop("printing_organ", "") or series.organ.name,
            **fields,
        )
        secrecy.apply_classification(
            document,
            actor=actor,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        _check_signer(document)
        document.full_clean(exclude=["number"])
        document.save()
        document.main_to_units.set(main_to_units)
        document.cc_units.set(cc_units)
        for unit in countersign_units:
            Countersign.objects.create(document=document, unit=unit)
        _refresh_search(document)
        Transition.objects.create(
            document=document,
            action=N_("拟稿"),
            from_state=S.DRAFT,
            to_state=S.DRAFT,
            actor=actor,
            actor_name=person.name,
        )
        if document.is_classified:
            audit.record(
                actor,
                AuditAction.CLASSIFY,
                obj=document,
                detail={"mark": document.level_mark, "basis": document.classification_basis},
            )
        return document


@transaction.atomic
def outgoing_update(
    *,
    actor: User,
    document: OutgoingDocument,
    main_to_units=None,
    cc_units=None,
    countersign_units=None,
    reason: str = "",
    **fields,
) -> OutgoingDocument:
    """Edit the content. The drafter edits a draft; office staff may edit during review and recheck
    (every version is kept); after signing, a substantive change sends it back to the signer."""
    document = _locked(document)
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    person = _person(actor)
    if document.state == S.DRAFT:
        if document.drafter_id != person.pk:
            raise PermissionDenied(_("只有拟稿人可以修改草稿。"))
    elif document.state in (S.REVIEW, S.RECHECK):
        if not _is_office_staff(actor, document):
            raise PermissionDenied(_("核稿、复核阶段只有办公室人员可以修改。"))
    else:
        raise TransitionNotAllowed(_("公文处于“%(state)s”，不能修改。") % {"state": document.get_state_display()})
    if fields.get("body", "").strip():
        secrecy.ensure_content_allowed(user=actor, level=document.level, record=document)
    substantive = any(
        getattr(document, name) != value
        for name, value in fields.items()
        if name in {"title", "body", "kind", "direction", "attachment_note"}
    )
    for name, value in fields.items():
        setattr(document, name, value)
    _check_signer(document)
    document.full_clean(exclude=["number"])
    document.save()
    if main_to_units is not None:
        document.main_to_units.set(main_to_units)
    if cc_units is not None:
        document.cc_units.set(cc_units)
    if countersign_units is not None and document.state == S.DRAFT:
        document.countersigns.exclude(unit__in=countersign_units).delete()
        for unit in countersign_units:
            Countersign.objects.get_or_create(document=document, unit=unit)
    _refresh_search(document)
    if document.state == S.RECHECK and substantive:
        # 复核: a substantive change after signing goes back to the signer.
        _move(document, S.SIGNOFF, actor=actor, action=N_("实质性修改，退回签发人"), comment=reason)
    return document


# --- The workflow --------------------------------------------------------------------------------


def _blocking_findings(document: OutgoingDocument) -> list[checker.Finding]:
    return [f for f in checker.check(document) if f.severity == checker.ERROR]


@transaction.atomic
def outgoing_submit(*, actor: User, document: OutgoingDocument, comment: str = "") -> OutgoingDocument:
    """The drafter sends the draft to the office for 核稿."""
    document = _locked(document)
    if document.drafter_id != _person(actor).pk:
        raise PermissionDenied(_("只有拟稿人可以送核。"))
    _move(document, S.REVIEW, actor=actor, action=N_("送核稿"), comment=comment)
    return document


@transaction.atomic
def outgoing_withdraw(*, actor: User, document: OutgoingDocument, reason: str = "") -> OutgoingDocument:
    """The drafter takes the document back (撤回) until the next person has acted."""
    document = _locked(document)
    if document.drafter_id != _person(actor).pk:
        raise PermissionDenied(_("只有拟稿人可以撤回。"))
    if document.state not in (S.REVIEW, S.COUNTERSIGN, S.SIGNOFF):
        raise TransitionNotAllowed(_("公文处于“%(state)s”，不能撤回。") % {"state": document.get_state_display()})
    last = document.transitions.order_by("-at", "-id").first()
    acted = document.countersigns.exclude(state=CountersignState.PENDING).exists()
    if last is None or last.actor_id != actor.pk or acted:
        raise TransitionNotAllowed(_("下一环节已经办理，不能撤回。"))
    document.countersigns.update(state=CountersignState.PENDING, opinion="", decided_by=None, decided_at=None)
    _move(document, S.DRAFT, actor=actor, action=N_("撤回"), comment=reason)
    return document


@transaction.atomic
def outgoing_review(*, actor: User, document: OutgoingDocument, approve: bool, comment: str = "") -> OutgoingDocument:
    """核稿: the office checks 内容、格式、文字 and passes it on, or returns it to the drafter."""
    document = _locked(document)
    if not _is_office_staff(actor, document):
        raise PermissionDenied(_("核稿由发文机关办公室办理。"))
    if document.state != S.REVIEW:
        # 会签 and 签发 may also go back to the drafter, but only by their own step's people.
        raise TransitionNotAllowed(_("公文不在核稿环节。"))
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": _("退回修改请写明理由。")})
        _move(document, S.DRAFT, actor=actor, action=N_("核稿退回"), comment=comment)
        return document
    if errors := _blocking_findings(document):
        raise ValidationError({"findings": [f"{f.element}：{f.message}" for f in errors]})
    to = S.COUNTERSIGN if document.countersigns.exists() else S.SIGNOFF
    if to == S.COUNTERSIGN:
        # Each round of 会签 starts afresh: a unit that returned (or agreed to) an earlier draft
        # decides again on this one. The earlier opinions stay in the 流转记录.
        document.countersigns.exclude(state=CountersignState.PENDING).update(
            state=CountersignState.PENDING, opinion="", decided_by=None, decided_at=None
        )
    _move(document, to, actor=actor, action=N_("核稿通过"), comment=comment)
    return document


@transaction.atomic
def outgoing_countersign(
    *, actor: User, document: OutgoingDocument, unit: Unit, agree: bool, opinion: str = ""
) -> OutgoingDocument:
    """会签: each unit asked agrees; any may return the document to the drafter with an opinion."""
    document = _locked(document)
    if document.state != S.COUNTERSIGN:
        raise TransitionNotAllowed(_("公文不在会签环节。"))
    person = _person(actor)
    countersign = document.countersigns.select_for_update().filter(unit=unit).first()
    if countersign is None:
        raise ValidationError({"unit": _("该单位不在会签范围内。")})
    if not (unit.head_id == person.pk or (person.unit_id == unit.pk and actor.has_role(Role.LEADER))):
        raise PermissionDenied(_("会签由会签单位负责人办理。"))
    if countersign.state != CountersignState.PENDING:
        raise TransitionNotAllowed(_("本单位已会签。"))
    if not agree and not opinion.strip():
        raise ValidationError({"opinion": _("退回请写明意见。")})
    countersign.state = CountersignState.AGREED if agree else CountersignState.RETURNED
    countersign.opinion, countersign.decided_by, countersign.decided_at = opinion, person, timezone.now()
    countersign.save()
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open" and deadline.responsible_unit_id == unit.pk:
            reminders.deadline_meet(actor=actor, deadline=deadline)
    if not agree:
        document.countersigns.exclude(pk=countersign.pk).update(state=CountersignState.PENDING)
        _move(document, S.DRAFT, actor=actor, action=N_("会签退回"), comment=f"{unit.name}：{opinion}")
    elif not document.countersigns.exclude(state=CountersignState.AGREED).exists():
        _move(document, S.SIGNOFF, actor=actor, action=N_("会签完毕"), comment=f"{unit.name}：{opinion}")
    else:
        Transition.objects.create(
            document=document,
            action=N_("会签同意"),
            from_state=S.COUNTERSIGN,
            to_state=S.COUNTERSIGN,
            actor=actor,
            actor_name=person.name,
            comment=f"{unit.name}：{opinion}",
        )
    return document


@transaction.atomic
def outgoing_sign(
    *, actor: User, document: OutgoingDocument, approve: bool, opinion: str = "", on: date | None = None
) -> OutgoingDocument:
    """签发: a leader of the organ signs with opinion, name and full date (成文日期); important and
    上行 documents are signed by the principal leader. Errors in the 核稿 findings block it."""
    document = _locked(document)
    person = _person(actor)
    if not actor.has_role(Role.LEADER) or person.unit.organ_id != document.series.organ.organ_id:
        raise PermissionDenied(_("签发由本机关领导办理。"))
    if document.state != S.SIGNOFF:
        raise TransitionNotAllowed(_("公文不在签发环节。"))
    if not approve:
        if not opinion.strip():
            raise ValidationError({"opinion": _("退回请写明意见。")})
        _move(document, S.DRAFT, actor=actor, action=N_("签发退回"), comment=opinion)
        return document
    principal = _principal_leader(document)
    if (document.important or document.direction == "up") and principal is not None and principal.pk != person.pk:
        raise PermissionDenied(_("重要公文和上行文由主要负责人%(name)s签发。") % {"name": principal.name})
    if errors := _blocking_findings(document):
        raise ValidationError({"findings": [f"{f.element}：{f.message}" for f in errors]})
    document.signed_by, document.signed_at = person, timezone.now()
    document.sign_opinion = opinion or _("同意")
    document.written_date = on or timezone.localdate()
    _move(document, S.RECHECK, actor=actor, action=N_("签发"), comment=document.sign_opinion)
    return document


def _take_number(series: DocumentSeries, year: int) -> DocumentNumber:
    """The next number of the series' year, under the counter row's lock: unique and gapless."""
    with connection.cursor() as cursor:  # create the counter row once, race-free
        cursor.execute(
            f"INSERT INTO {NumberCounter._meta.db_table} (series_id, year, last) VALUES (%s, %s, 0) "  # noqa: S608
            "ON CONFLICT (series_id, year) DO NOTHING",
            [series.pk, year],
        )
    counter = NumberCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return DocumentNumber.objects.create(series=series, year=year, sequence=counter.last)


@transaction.atomic
def outgoing_register(*, actor: User, document: OutgoingDocument, copies: int | None = None) -> OutgoingDocument:
    """登记 after 复核: the 发文字号 is taken inside this transaction."""
    document = _locked(document)
    if not _is_office_staff(actor, document):
        raise PermissionDenied(_("登记由发文机关办公室办理。"))
    if document.state != S.RECHECK:
        raise TransitionNotAllowed(_("公文须经复核后登记。"))
    if copies is not None:
        document.copies = copies
    if document.is_classified and document.copies < 1:
        raise ValidationError({"copies": _("涉密公文须确定印制份数，以便编制份号。")})
    document.number = _take_number(document.series, timezone.localdate().year)
    document.printed_on = timezone.localdate()
    _move(document, S.REGISTERED, actor=actor, action=N_("登记编号"), comment=document.number.text)
    _refresh_search(document)
    return document


@transaction.atomic
def number_void(*, actor: User, number: DocumentNumber, reason: str) -> DocumentNumber:
    """A number is never reused: a voided one stays in the ledger with its reason."""
    number = DocumentNumber.objects.select_for_update().get(pk=number.pk)
    organ_staff = number.series.office_id in _person(actor).unit.lineage_ids() and (
        actor.has_role(Role.OFFICE_CHIEF) or actor.has_role(Role.SECRETARY)
    )
    if not organ_staff:
        raise PermissionDenied(_("只有发文机关办公室可以作废文号。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明作废理由。")})
    if number.state == NumberState.VOID:
        raise TransitionNotAllowed(_("该文号已作废。"))
    document = getattr(number, "document", None)
    if document is not None and document.state not in (S.REGISTERED,):
        raise TransitionNotAllowed(_("已核发的公文不能作废文号，请撤销或废止公文。"))
    number.state, number.void_reason = NumberState.VOID, reason.strip()
    number.save(update_fields=["state", "void_reason"])
    if document is not None:
        # The document goes back to 复核, so that 登记 gives it a new number (this one is never reused).
        document = _locked(document)
        document.number = None
        _move(document, S.RECHECK, actor=actor, action=N_("文号作废"), comment=f"{number.text}：{reason}")
        _refresh_search(document)
    return number


# 核发 is the issuing office's step: the distribution below is its own, so it does not go through
# ``secrecy.grant``/``secrecy.copy_issue``, which admit only the record's owner (the drafter) or a
# 保密员. It writes the same guardian grant, copy row and audit events they write.


def _open_to_recipient(actor: User, document: OutgoingDocument, unit: Unit) -> None:
    assign_perm(f"view_{OutgoingDocument._meta.model_name}", unit.group, document)
    audit.record(
        actor,
        AuditAction.GRANT,
        obj=document,
        detail={"person": None, "unit": unit.pk, "to": unit.name, "reason": _("核发")},
    )


def _issue_copy(actor: User, document: OutgoingDocument, unit: Unit, copy_number: int) -> ClassifiedCopy:
    copy = ClassifiedCopy.objects.create(
        content_type=ContentType.objects.get_for_model(OutgoingDocument),
        object_id=document.pk,
        copy_number=copy_number,
        holder_unit=unit,
        issued_at=timezone.now(),
        issued_by=_person(actor),
    )
    audit.record(
        actor,
        AuditAction.COPY_ISSUE,
        obj=document,
        detail={"copy": copy.number_display, "holder": unit.name, "due_back": None},
    )
    return copy


@transaction.atomic
def outgoing_issue(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """核发: every recipient unit inside the system can now read it (its incoming queue takes it
    from here), and each copy of a classified document gets its 份号."""
    document = _locked(document)
    if not _is_office_staff(actor, document):
        raise PermissionDenied(_("核发由发文机关办公室办理。"))
    if document.state != S.REGISTERED or document.number is None:
        raise TransitionNotAllowed(_("公文须先登记编号再核发。"))
    from documents import incoming  # the internal exchange: each recipient's incoming queue

    recipients = list(dict.fromkeys([*document.main_to_units.all(), *document.cc_units.all()]))
    copies = {}
    for unit in recipients:
        _open_to_recipient(actor, document, unit)
    if document.is_classified:
        for index, unit in enumerate(recipients[: document.copies], start=1):
            copies[unit.pk] = _issue_copy(actor, document, unit, index)
    for unit in recipients:
        incoming.deliver_internal(actor=actor, outgoing=document, unit=unit, copy=copies.get(unit.pk))
    _move(document, S.ISSUED, actor=actor, action=N_("核发"), comment="、".join(unit.name for unit in recipients))
    return document


@transaction.atomic
def outgoing_archive(*, actor: User, document: OutgoingDocument, retention: str) -> OutgoingDocument:
    document = _locked(document)
    if not _is_office_staff(actor, document):
        raise PermissionDenied(_("归档由发文机关办公室办理。"))
    if retention not in ("永久", "30年", "10年"):
        raise ValidationError({"retention": _("保管期限应为永久、30年或10年。")})
    document.retention = retention
    _move(document, S.ARCHIVED, actor=actor, action=N_("归档"), comment=retention)
    return document


@transaction.atomic
def outgoing_end(*, actor: User, document: OutgoingDocument, abolish: bool, reason: str) -> OutgoingDocument:
    """撤销 (void from the start) or 废止 (void from today) an issued document; never deleted."""
    document = _locked(document)
    person = _person(actor)
    in_organ = person.unit.organ_id == document.series.organ.organ_id
    if not in_organ or not (actor.has_role(Role.OFFICE_CHIEF) or actor.has_role(Role.LEADER)):
        # A recipient organ's leaders can read the document, but only the issuing organ ends it.
        raise PermissionDenied(_("撤销、废止须由发文机关的办公室主任或领导办理。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    document.state_reason = reason.strip()
    to = S.ABOLISHED if abolish else S.REVOKED
    _move(document, to, actor=actor, action=N_("废止") if abolish else N_("撤销"), comment=reason)
    return document


@transaction.atomic
def outgoing_void_draft(*, actor: User, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    document = _locked(document)
    if document.drafter_id != _person(actor).pk:
        raise PermissionDenied(_("只有拟稿人可以作废草稿。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    document.state_reason = reason.strip()
    _move(document, S.VOIDED, actor=actor, action=N_("作废"), comment=reason)
    return document


# --- Attachments -------------------------------------------------------------------------------


def outgoing_attach(*, actor: User, document: OutgoingDocument, upload, name: str = "") -> Attachment:
    """Add an attachment: drafter in 拟稿, office in 核稿/复核; size checked and typed by its bytes
    (the stored type is the sniffed one, never the client's); above the ceiling nothing is stored."""
    person = _person(actor)
    content_type = check_upload(upload)
    secrecy.ensure_content_allowed(user=actor, level=document.level, record=document)
    with transaction.atomic():
        document = _locked(document)
        allowed = (document.state == S.DRAFT and document.drafter_id == person.pk) or (
            document.state in (S.REVIEW, S.RECHECK) and _is_office_staff(actor, document)
        )
        if not allowed:
            raise PermissionDenied(_("只有拟稿人在拟稿时、办公室在核稿或复核时可以添加附件。"))
        order = document.attachments.count() + 1
        attachment = Attachment.objects.create(
            document=document,
            name=(name or upload.name)[:200],
            file=upload,
            size=upload.size,
            content_type=content_type,
            order=order,
            uploaded_by=person,
        )
        Transition.objects.create(
            document=document,
            action=N_("添加附件"),
            from_state=document.state,
            to_state=document.state,
            actor=actor,
            actor_name=person.name,
            comment=attachment.name,
        )
    return attachment
