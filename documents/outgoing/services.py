"""Every action on an outgoing document: drafting, the workflow steps, numbering, distribution.

One function per step. Each locks the document (``OUTGOING.lock``), checks the step for the actor
(``OUTGOING.check``: the rules of ``documents.outgoing.rules``), validates its input, and moves it
(``OUTGOING.move``: the 流转记录, the save, the step's deadlines). A step the state does not allow
raises ``TransitionNotAllowed`` (409), one the person may not take ``PermissionDenied`` (403).
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

from documents import hooks
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
from documents.outgoing import checker
from documents.outgoing.rules import OUTGOING, countersign_units, may_be_reviewer, runs_series
from office import search
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, ClassifiedCopy
from office.org.models import Person, Unit, User
from office.reminders import services as reminders
from office.uploads import check_upload
from office.workflow import Actor, TransitionNotAllowed, actor_of, next_number_sql

S = DocumentState

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
    "restricted",  # set by a module drafting a letter on someone's behalf, not by a form
    "barred_unit",
    "barred_person",
}


def _person(user: User) -> Person:
    return actor_of(user).person


def _check_signer(document: OutgoingDocument) -> None:
    """The 拟请签发人 must be cleared for the document: 签发 waits on him (his deadline), and he could
    not open what he is asked to sign."""
    signer = document.designated_signer
    if signer is not None and signer.clearance < document.classification:
        raise ValidationError(
            {"designated_signer": _("拟请签发人%(name)s的涉密等级低于公文密级。") % {"name": signer.name}}
        )


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return OUTGOING.lock(document)


def _search_vector(document: OutgoingDocument) -> SearchVector:
    text = search.document_text(document.title, document.number_text, document.body, document.attachment_note)
    return SearchVector(Value(text), config="simple")


def _refresh_search(document: OutgoingDocument) -> None:
    OutgoingDocument.objects.filter(pk=document.pk).update(search_vector=_search_vector(document))


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
        OUTGOING.record(document, actor=actor, action=N_("拟稿"))
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
    actor = OUTGOING.check(actor, document, "edit")
    if fields.get("body", "").strip():
        secrecy.ensure_content_allowed(user=actor.user, level=document.level, record=document)
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
        OUTGOING.check(actor, document, "send_back_to_signer")
        OUTGOING.move(document, S.SIGNOFF, actor=actor, action=N_("实质性修改，退回签发人"), comment=reason)
    return document


# --- The workflow --------------------------------------------------------------------------------


def _blocking_findings(document: OutgoingDocument) -> list[checker.Finding]:
    return [f for f in checker.check(document) if f.severity == checker.ERROR]


def _check_reviewer(document: OutgoingDocument, reviewer: Person) -> None:
    """A named 核稿人 is someone who could 核稿 it anyway (the issuing office, not the drafter) and
    is cleared for it."""
    if not may_be_reviewer(reviewer, document):
        message = _("%(name)s不能核稿本件：核稿人须是发文机关办公室人员，且不是拟稿人。")
        raise ValidationError({"reviewer": message % {"name": reviewer.name}})
    if reviewer.clearance < document.classification:
        raise ValidationError({"reviewer": _("核稿人%(name)s的涉密等级低于公文密级。") % {"name": reviewer.name}})


@transaction.atomic
def outgoing_submit(
    *, actor: User, document: OutgoingDocument, comment: str = "", reviewer: Person | None = None
) -> OutgoingDocument:
    """The drafter sends the draft to the office for 核稿, optionally naming the 核稿人 (then only he
    may 核稿 it, and the step's deadline is his)."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "submit")
    if reviewer is not None:
        _check_reviewer(document, reviewer)
    document.reviewer = reviewer
    OUTGOING.move(document, S.REVIEW, actor=actor, action=N_("送核稿"), comment=comment, update_fields=["reviewer"])
    return document


@transaction.atomic
def outgoing_withdraw(*, actor: User, document: OutgoingDocument, reason: str = "") -> OutgoingDocument:
    """The drafter takes the document back (撤回) until the next person has acted."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "withdraw")
    document.countersigns.update(state=CountersignState.PENDING, opinion="", decided_by=None, decided_at=None)
    OUTGOING.move(document, S.DRAFT, actor=actor, action=N_("撤回"), comment=reason)
    return document


@transaction.atomic
def outgoing_review(*, actor: User, document: OutgoingDocument, approve: bool, comment: str = "") -> OutgoingDocument:
    """核稿: the office checks 内容、格式、文字 and passes it on, or returns it to the drafter."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "review")
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": _("退回修改请写明理由。")})
        OUTGOING.move(document, S.DRAFT, actor=actor, action=N_("核稿退回"), comment=comment)
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
    OUTGOING.move(document, to, actor=actor, action=N_("核稿通过"), comment=comment)
    return document


@transaction.atomic
def outgoing_countersign(
    *, actor: User, document: OutgoingDocument, unit: Unit, agree: bool, opinion: str = ""
) -> OutgoingDocument:
    """会签: each unit asked agrees; any may return the document to the drafter with an opinion."""
    document = _locked(document)
    countersign = document.countersigns.select_for_update().filter(unit=unit).first()
    if document.state == S.COUNTERSIGN and countersign is None:
        raise ValidationError({"unit": _("该单位不在会签范围内。")})
    if countersign is not None and document.state == S.COUNTERSIGN and countersign.state != CountersignState.PENDING:
        raise TransitionNotAllowed(_("本单位已会签。"))
    actor = OUTGOING.check(actor, document, "countersign")
    if unit not in countersign_units(actor, document):
        raise PermissionDenied(_("会签由会签单位负责人办理。"))
    if not agree and not opinion.strip():
        raise ValidationError({"opinion": _("退回请写明意见。")})
    countersign.state = CountersignState.AGREED if agree else CountersignState.RETURNED
    countersign.opinion, countersign.decided_by, countersign.decided_at = opinion, actor.person, timezone.now()
    countersign.save()
    for deadline in reminders.deadlines_of(document):
        if deadline.state == "open" and deadline.responsible_unit_id == unit.pk:
            reminders.deadline_meet(actor=actor.user, deadline=deadline)
    comment = f"{unit.name}：{opinion}"
    if not agree:
        document.countersigns.exclude(pk=countersign.pk).update(state=CountersignState.PENDING)
        OUTGOING.move(document, S.DRAFT, actor=actor, action=N_("会签退回"), comment=comment)
    elif not document.countersigns.exclude(state=CountersignState.AGREED).exists():
        OUTGOING.move(document, S.SIGNOFF, actor=actor, action=N_("会签完毕"), comment=comment)
    else:
        OUTGOING.record(document, actor=actor, action=N_("会签同意"), comment=comment)
    return document


@transaction.atomic
def outgoing_sign(
    *, actor: User, document: OutgoingDocument, approve: bool, opinion: str = "", on: date | None = None
) -> OutgoingDocument:
    """签发: a leader of the organ signs with opinion, name and full date (成文日期); important and
    上行 documents are signed (and returned) by the principal leader. Errors in the 核稿 findings
    block it."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "sign")
    if not approve:
        if not opinion.strip():
            raise ValidationError({"opinion": _("退回请写明意见。")})
        OUTGOING.move(document, S.DRAFT, actor=actor, action=N_("签发退回"), comment=opinion)
        return document
    if errors := _blocking_findings(document):
        raise ValidationError({"findings": [f"{f.element}：{f.message}" for f in errors]})
    document.signed_by, document.signed_at = actor.person, timezone.now()
    document.sign_opinion = opinion or _("同意")
    document.written_date = on or timezone.localdate()
    OUTGOING.move(
        document,
        S.RECHECK,
        actor=actor,
        action=N_("签发"),
        comment=document.sign_opinion,
        update_fields=["signed_by", "signed_at", "sign_opinion", "written_date"],
    )
    return document


# The sequence's place in the number's search text, so the statement that takes it can write it.
_SEQUENCE_MARK = "shuniusequence"


def _search_text_around_sequence(document: OutgoingDocument, year: int) -> tuple[str, str]:
    """The document's search text once numbered (``_search_vector``'s), split where the sequence
    goes: the terms are every CJK term, then the Latin words in order, so the sequence sits before
    the Latin words of the body and the attachment note."""
    marked = DocumentNumber(series=document.series, year=year, sequence=_SEQUENCE_MARK).text
    terms = search.document_text(document.title, marked, document.body, document.attachment_note).split(" ")
    at = len(terms) - 1 - len(search.LATIN.findall(f"{document.body} {document.attachment_note}"))
    return " ".join([*terms[:at], ""]), " ".join(["", *terms[at + 1 :]])


def _number(document: OutgoingDocument, *, actor: Actor, source: str, action: str) -> None:
    """Number the registered document in one statement: the next number of its series' year (the
    kernel's year counter: unique and gapless), its ledger row, the document's number and search
    text, and the step's 流转记录 (append-only, so written with the number it names). Taking the
    number locks the counter row to the commit, so this is the transaction's last statement: every
    other registration of the series waits for it and the commit, not for the whole step."""
    year = document.printed_on.year
    counter, counter_params = next_number_sql(NumberCounter, year=year, series=document.series)
    before, after = _search_text_around_sequence(document, year)
    number_before, number_after = DocumentNumber(series=document.series, year=year, sequence=_SEQUENCE_MARK).text.split(
        _SEQUENCE_MARK
    )
    now = timezone.now()
    event = OUTGOING.event_values(document, actor=actor, action=action, source=source)
    event.pop("comment")
    event_fields = [Transition._meta.get_field(name) for name in event]
    event_columns = ", ".join(field.column for field in event_fields)
    numbers, documents, events = (model._meta.db_table for model in (DocumentNumber, OutgoingDocument, Transition))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH counter AS ({counter}),
            taken AS (
              INSERT INTO {numbers} (series_id, year, sequence, state, void_reason, assigned_at)
              SELECT %s, %s, last, %s, '', %s FROM counter RETURNING id, sequence),
            stored AS (
              UPDATE {documents} SET number_id = taken.id,
                     search_vector = to_tsvector('simple', %s || taken.sequence || %s)
              FROM taken WHERE {documents}.id = %s),
            recorded AS (
              INSERT INTO {events} ({event_columns}, comment, at)
              SELECT {", ".join(["%s"] * len(event_fields))}, %s || taken.sequence || %s, %s FROM taken)
            SELECT id, sequence FROM taken""",  # noqa: S608 (names from the models)
            [
                *counter_params,
                *(document.series_id, year, NumberState.ASSIGNED, now),
                *(before, after, document.pk),
                *(getattr(value, "pk", value) for value in event.values()),
                *(number_before, number_after, now),
            ],
        )
        number_id, sequence = cursor.fetchone()
    document.number = DocumentNumber(
        id=number_id, series=document.series, year=year, sequence=sequence, assigned_at=now
    )


@transaction.atomic
def outgoing_register(*, actor: User, document: OutgoingDocument, copies: int | None = None) -> OutgoingDocument:
    """登记 after 复核: the 发文字号 is taken inside this transaction, as its last step (``_number``);
    a rollback gives it back."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "register")
    if copies is not None:
        document.copies = copies
    if document.is_classified and document.copies < 1:
        raise ValidationError({"copies": _("涉密公文须确定印制份数，以便编制份号。")})
    document.printed_on = timezone.localdate()
    source, action = document.state, N_("登记编号")
    OUTGOING.move(
        document, S.REGISTERED, actor=actor, action=action, update_fields=["copies", "printed_on"], recorded=False
    )
    _number(document, actor=actor, source=source, action=action)
    return document


@transaction.atomic
def number_void(*, actor: User, number: DocumentNumber, reason: str) -> DocumentNumber:
    """A number is never reused: a voided one stays in the ledger with its reason; its document
    goes back to 复核, so that 登记 gives it a new number."""
    number = DocumentNumber.objects.select_for_update().select_related("series").get(pk=number.pk)
    document = getattr(number, "document", None)
    if document is not None:
        document = _locked(document)
        actor = OUTGOING.check(actor, document, "void_number")
    elif not runs_series(actor_of(actor), number.series):
        raise PermissionDenied(_("只有发文机关办公室可以作废文号。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明作废理由。")})
    if number.state == NumberState.VOID:
        raise TransitionNotAllowed(_("该文号已作废。"))
    number.state, number.void_reason = NumberState.VOID, reason.strip()
    number.save(update_fields=["state", "void_reason"])
    if document is not None:
        document.number = None
        OUTGOING.move(
            document,
            S.RECHECK,
            actor=actor,
            action=N_("文号作废"),
            comment=f"{number.text}：{reason}",
            update_fields=["number"],
        )
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
    actor = OUTGOING.check(actor, document, "issue")
    from documents.incoming import services as incoming  # the internal exchange: each recipient's incoming queue

    user = actor.user
    recipients = list(dict.fromkeys([*document.main_to_units.all(), *document.cc_units.all()]))
    copies = {}
    for unit in recipients:
        _open_to_recipient(user, document, unit)
    if document.is_classified:
        for index, unit in enumerate(recipients[: document.copies], start=1):
            copies[unit.pk] = _issue_copy(user, document, unit, index)
    for unit in recipients:
        incoming.deliver_internal(actor=user, outgoing=document, unit=unit, copy=copies.get(unit.pk))
    names = "、".join(unit.name for unit in recipients)
    OUTGOING.move(document, S.ISSUED, actor=actor, action=N_("核发"), comment=names)
    hooks.document_issued.send(hooks.DocumentIssued(actor=user, document=document))  # 主动公开, in this transaction
    return document


@transaction.atomic
def outgoing_archive(*, actor: User, document: OutgoingDocument, retention: str) -> OutgoingDocument:
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "archive")
    if retention not in ("永久", "30年", "10年"):
        raise ValidationError({"retention": _("保管期限应为永久、30年或10年。")})
    document.retention = retention
    OUTGOING.move(document, S.ARCHIVED, actor=actor, action=N_("归档"), comment=retention, update_fields=["retention"])
    return document


@transaction.atomic
def outgoing_end(*, actor: User, document: OutgoingDocument, abolish: bool, reason: str) -> OutgoingDocument:
    """撤销 (void from the start) or 废止 (void from today) an issued document; never deleted."""
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "end")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    document.state_reason = reason.strip()
    to = S.ABOLISHED if abolish else S.REVOKED
    action = N_("废止") if abolish else N_("撤销")
    OUTGOING.move(document, to, actor=actor, action=action, comment=reason, update_fields=["state_reason"])
    return document


@transaction.atomic
def outgoing_void_draft(*, actor: User, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    document = _locked(document)
    actor = OUTGOING.check(actor, document, "void")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明理由。")})
    document.state_reason = reason.strip()
    OUTGOING.move(document, S.VOIDED, actor=actor, action=N_("作废"), comment=reason, update_fields=["state_reason"])
    return document


# --- Attachments -------------------------------------------------------------------------------


def outgoing_attach(*, actor: User, document: OutgoingDocument, upload, name: str = "") -> Attachment:
    """Add an attachment where the content may be edited (drafter in 拟稿, office in 核稿/复核);
    size checked and typed by its bytes (the stored type is the sniffed one, never the client's);
    above the ceiling nothing is stored."""
    person = _person(actor)
    content_type = check_upload(upload)
    secrecy.ensure_content_allowed(user=actor, level=document.level, record=document)
    with transaction.atomic():
        document = _locked(document)
        if not OUTGOING.allows(actor, document, "edit"):
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
        OUTGOING.record(document, actor=actor, action=N_("添加附件"), comment=attachment.name)
    return attachment


def outgoing_detach(*, actor: User, document: OutgoingDocument, attachment: Attachment) -> None:
    """Remove an attachment where it could be added (``outgoing_attach``'s rule); the 流转记录
    names it, and the stored file stays (nothing official is lost)."""
    with transaction.atomic():
        document = _locked(document)
        if not OUTGOING.allows(actor, document, "edit"):
            raise PermissionDenied(_("只有拟稿人在拟稿时、办公室在核稿或复核时可以删除附件。"))
        attachment = document.attachments.select_for_update().filter(pk=attachment.pk).first()
        if attachment is None:
            raise ValidationError(_("该附件已删除。"))
        name = attachment.name
        attachment.delete()  # the row only: the FileField leaves the stored file in place
        OUTGOING.record(document, actor=actor, action=N_("删除附件"), comment=name)
