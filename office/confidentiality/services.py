"""Every change to classification, 知悉范围, the ceiling-guarded content and the copy register.

Each action checks who may do it, changes the record in one transaction and writes its security
event to the audit chain. Refusals of rules are ``ValidationError`` (a 400 / a form message),
refusals of people are ``PermissionDenied``, moves the copy's state does not allow are
``TransitionNotAllowed`` (a 409).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import (
    MAX_TERM_YEARS,
    AuditAction,
    Carrier,
    Classified,
    ClassifiedCopy,
    CopyRequest,
    CopyRequestKind,
    CopyRequestState,
    CopyState,
    TermUnit,
)
from office.confidentiality.visibility import is_security_officer, lineage_of, person_of
from office.org.models import Person, Role, Unit, User
from office.reminders import services as reminders
from office.workdays.services import PeriodUnit, add_months
from office.workflow import TransitionNotAllowed


class CeilingExceeded(ValidationError):
    """Content above the deployment's classification ceiling: only the register may be kept."""


# --- Classification ----------------------------------------------------------------------------


def _person(user: User) -> Person:
    person = person_of(user)
    if person is None:
        raise PermissionDenied(_("该账号没有对应的人员信息，不能办理保密事项。"))
    return person


def may_manage(user: User, record: Classified) -> bool:
    """The record's owner, or a 保密员 cleared for its level."""
    person = _person(user)
    if is_security_officer(user) and person.clearance >= record.classification:
        return True
    return bool(record.owner_field) and getattr(record, f"{record.owner_field}_id", None) == person.pk


def normalize_term(
    level: Level,
    *,
    unit: str = "",
    amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    start: date,
) -> dict:
    """The 保密期限 fields for ``level``, checked against the law; a missing term is the maximum."""
    level = Level(level)
    if not level.is_classified:
        if unit or amount or until or condition:
            raise ValidationError({"secrecy_term_unit": _("公开和内部事项没有保密期限。")})
        return {
            "secrecy_term_unit": "",
            "secrecy_term_amount": None,
            "secrecy_until": None,
            "declassify_condition": "",
            "secrecy_from": None,
            "declassify_due": None,
        }
    maximum = MAX_TERM_YEARS[level]
    unit = unit or TermUnit.YEARS
    fields = {
        "secrecy_term_unit": unit,
        "secrecy_term_amount": None,
        "secrecy_until": None,
        "declassify_condition": "",
        "secrecy_from": start,
    }
    if unit == TermUnit.YEARS:
        amount = maximum if amount is None else amount
        if not 1 <= amount <= maximum:
            raise ValidationError(
                {
                    "secrecy_term_amount": _("%(level)s级事项的保密期限最长%(max)d年。")
                    % {"level": level.label, "max": maximum}
                }
            )
        fields.update(secrecy_term_amount=amount, declassify_due=add_months(start, 12 * amount))
    elif unit == TermUnit.MONTHS:
        if amount is None or not 1 <= amount <= 11:
            raise ValidationError({"secrecy_term_amount": _("不满一年的保密期限按月计，应为1至11个月。")})
        fields.update(secrecy_term_amount=amount, declassify_due=add_months(start, amount))
    elif unit == TermUnit.UNTIL:
        if until is None or until <= start:
            raise ValidationError({"secrecy_until": _("解密时间应晚于保密期限起算日。")})
        if until > add_months(start, 12 * maximum):
            raise ValidationError(
                {
                    "secrecy_until": _("%(level)s级事项的保密期限最长%(max)d年。")
                    % {"level": level.label, "max": maximum}
                }
            )
        fields.update(secrecy_until=until, declassify_due=until)
    elif unit == TermUnit.CONDITION:
        if not condition.strip():
            raise ValidationError({"declassify_condition": _("请写明解密条件。")})
        fields.update(declassify_condition=condition.strip(), declassify_due=None)
    else:
        raise ValidationError({"secrecy_term_unit": _("保密期限方式无效。")})
    return fields


def ensure_content_allowed(*, user: User | None, level: Level, record: Classified | None = None) -> None:
    """Refuse content above the ceiling (the law allows it only on certified classified networks)."""
    ceiling = Level(settings.SHUNIU_CLASSIFICATION_CEILING)
    if Level(level) <= ceiling:
        return
    if user is not None:
        audit.record(user, AuditAction.CEILING_REFUSED, obj=record, detail={"level": Level(level).code})
    raise CeilingExceeded(
        _(
            "本系统的密级上限为“%(ceiling)s”：“%(level)s”级事项只能登记份号、密级、期限和知悉范围，"
            "不得录入或上传内容。涉密内容请在经批准的涉密信息系统中处理。"
        )
        % {"ceiling": ceiling.label, "level": Level(level).label}
    )


def apply_classification(
    record: Classified,
    *,
    actor: User,
    level: Level,
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    basis: str = "",
    start: date | None = None,
) -> None:
    """Set the classification fields on an unsaved or locked record (the caller saves and logs)."""
    level = Level(level)
    if level.is_classified and not basis.strip():
        raise ValidationError({"classification_basis": _("涉密事项应写明定密依据。")})
    fields = normalize_term(
        level,
        unit=term_unit,
        amount=term_amount,
        until=until,
        condition=condition,
        start=start or timezone.localdate(),
    )
    for name, value in fields.items():
        setattr(record, name, value)
    record.classification = level
    record.classification_basis = basis.strip() if level.is_classified else ""
    record.declassify_condition_met = False
    record.classified_by = _person(actor)
    record.classified_at = timezone.now()


def reclassify(
    *,
    actor: User,
    record: Classified,
    level: Level,
    reason: str,
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    basis: str = "",
) -> Classified:
    """Change level or term (定密变更, extension, declassification), with a reason, logged."""
    if not reason.strip():
        raise ValidationError({"reason": _("请写明变更理由。")})
    if record.has_content() and may_manage(actor, record):
        # Before the transaction: its rollback would take the ceiling_refused audit row with it
        # (checked again under the lock).
        ensure_content_allowed(user=actor, level=level, record=record)
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        if not may_manage(actor, record):
            raise PermissionDenied(_("只有登记人或保密员可以变更密级和保密期限。"))
        level = Level(level)
        if level > _person(actor).clearance:
            raise PermissionDenied(_("不能定为高于本人涉密等级的密级。"))
        if record.has_content():
            ensure_content_allowed(user=actor, level=level, record=record)
        before = {"level": record.level.code, "mark": record.level_mark}
        # A changed or extended term still runs from the date first marked (it is one term).
        start = record.secrecy_from if record.is_classified and level.is_classified else None
        apply_classification(
            record,
            actor=actor,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis or record.classification_basis,
            start=start,
        )
        record.save()
        action = (
            AuditAction.DECLASSIFY
            if not level.is_classified and before["level"] != level.code
            else AuditAction.RECLASSIFY
        )
        audit.record(
            actor,
            action,
            obj=record,
            detail={
                "from": before,
                "to": {"level": level.code, "mark": record.level_mark},
                "reason": reason.strip(),
            },
        )
        return record


@transaction.atomic
def flag_declassify_condition(*, actor: User, record: Classified, reason: str) -> Classified:
    """Note that a record's 解密条件 has come about: it joins the declassification worklist."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if not may_manage(actor, record):
        raise PermissionDenied(_("只有登记人或保密员可以标记解密条件成就。"))
    if record.secrecy_term_unit != TermUnit.CONDITION:
        raise ValidationError(_("该事项没有设定解密条件。"))
    record.declassify_condition_met = True
    record.save(update_fields=["declassify_condition_met"])
    audit.record(actor, AuditAction.RECLASSIFY, obj=record, detail={"condition_met": True, "reason": reason})
    return record


# --- 知悉范围 grants -----------------------------------------------------------------------------


def _view_codename(record: Classified) -> str:
    return f"view_{record._meta.model_name}"


def _scope_change_target(actor: User, record: Classified, person: Person | None, unit: Unit | None, reason: str):
    """The grant's holder, once the actor may change the record's 知悉范围 and gave a reason."""
    if not may_manage(actor, record):
        raise PermissionDenied(_("只有登记人或保密员可以调整知悉范围。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明调整知悉范围的理由。")})
    if (person is None) == (unit is None):
        raise ValidationError(_("请指定一名人员或一个单位。"))
    if not _owns(actor, record):
        # A 保密员 keeps the register of records he is not inside: he cannot let himself in.
        me = _person(actor)
        if (person is not None and person.pk == me.pk) or (unit is not None and unit.pk in lineage_of(me)):
            raise PermissionDenied(_("不能把本人或本人所在单位加入知悉范围，请由登记人或另一名保密员办理。"))
    return person.user if person is not None else unit.group


def _owns(user: User, record: Classified) -> bool:
    person = person_of(user)
    return bool(record.owner_field) and person is not None and getattr(record, f"{record.owner_field}_id") == person.pk


def _scope_change_detail(person: Person | None, unit: Unit | None, reason: str) -> dict:
    return {
        "person": person.pk if person else None,
        "unit": unit.pk if unit else None,
        "to": person.name if person else unit.name,
        "reason": reason,
    }


@transaction.atomic
def grant(
    *, actor: User, record: Classified, person: Person | None = None, unit: Unit | None = None, reason: str = ""
) -> None:
    """Add a person or a unit to the record's 知悉范围, with a reason. A grant never lifts anyone
    above their clearance: a person whose clearance is below the record's level is refused."""
    target = _scope_change_target(actor, record, person, unit, reason)
    if person is not None and person.clearance < record.classification:
        raise ValidationError(
            {
                "person": _("%(name)s的涉密等级不足，不能知悉%(level)s级事项。")
                % {"name": person.name, "level": record.level.label}
            }
        )
    assign_perm(_view_codename(record), target, record)
    audit.record(actor, AuditAction.GRANT, obj=record, detail=_scope_change_detail(person, unit, reason))


@transaction.atomic
def revoke(
    *, actor: User, record: Classified, person: Person | None = None, unit: Unit | None = None, reason: str = ""
) -> None:
    """Take a person or a unit out of the record's 知悉范围, with a reason."""
    target = _scope_change_target(actor, record, person, unit, reason)
    remove_perm(_view_codename(record), target, record)
    audit.record(actor, AuditAction.REVOKE, obj=record, detail=_scope_change_detail(person, unit, reason))


def grants_of(record: Classified) -> dict[str, list]:
    """The record's explicit 知悉范围 in two queries: people and units."""
    from office.confidentiality.visibility import grant_models

    user_grants, group_grants = grant_models(type(record))
    people = Person.objects.filter(
        user__in=user_grants.objects.filter(content_object=record).values("user")
    ).select_related("unit")
    units = Unit.objects.filter(group__in=group_grants.objects.filter(content_object=record).values("group"))
    return {"people": list(people), "units": list(units)}


# --- The carrier register ----------------------------------------------------------------------


def carrier_register(
    *,
    actor: User,
    title: str,
    unit: Unit,
    level: Level,
    kind: str = "paper",
    reference: str = "",
    source_organ: str = "",
    content: str = "",
    basis: str = "",
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
) -> Carrier:
    """Register a carrier; above the ceiling its content is refused (the register is kept)."""
    person = _person(actor)
    if Level(level) > person.clearance:
        raise PermissionDenied(_("不能登记高于本人涉密等级的载体。"))
    if content.strip():
        # Before the transaction: its rollback would take the ceiling_refused audit row with it.
        ensure_content_allowed(user=actor, level=level)
    with transaction.atomic():
        carrier = Carrier(
            title=title.strip(),
            kind=kind,
            reference=reference,
            source_organ=source_organ,
            unit=unit,
            content=content,
            created_by=person,
        )
        apply_classification(
            carrier,
            actor=actor,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        carrier.full_clean()
        carrier.save()
        audit.record(actor, AuditAction.CLASSIFY, obj=carrier, detail={"mark": carrier.level_mark, "basis": basis})
        return carrier


def carrier_update_content(*, actor: User, carrier: Carrier, content: str) -> Carrier:
    if content.strip() and may_manage(actor, carrier):
        # Before the transaction: its rollback would take the ceiling_refused audit row with it.
        ensure_content_allowed(user=actor, level=carrier.level, record=carrier)
    with transaction.atomic():
        carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
        if not may_manage(actor, carrier):
            raise PermissionDenied(_("只有登记人或保密员可以修改载体内容。"))
        if content.strip():
            ensure_content_allowed(user=actor, level=carrier.level, record=carrier)
        carrier.content = content
        carrier.save(update_fields=["content"])
        return carrier


# --- The copy register (份号) ---------------------------------------------------------------------


def _copy_holder_is(actor: User, copy: ClassifiedCopy) -> bool:
    person = _person(actor)
    if copy.holder_person_id == person.pk:
        return True
    return copy.holder_unit_id is not None and copy.holder_unit_id in lineage_of(person)


@transaction.atomic
def copy_issue(
    *,
    actor: User,
    record: Classified,
    holder_person: Person | None = None,
    holder_unit: Unit | None = None,
    due_back: date | None = None,
    copy_number: int | None = None,
    note: str = "",
) -> ClassifiedCopy:
    """Issue the next numbered copy of a classified record to a person or a unit."""
    record = type(record).objects.select_for_update().get(pk=record.pk)  # serialises numbering
    if not record.is_classified:
        raise ValidationError(_("只有涉密事项才登记份号。"))
    if not may_manage(actor, record):
        raise PermissionDenied(_("只有登记人或保密员可以分发份号。"))
    if (holder_person is None) == (holder_unit is None):
        raise ValidationError(_("请指定一名持有人或一个持有单位。"))
    if holder_person is not None and holder_person.clearance < record.classification:
        raise ValidationError({"holder_person": _("%(name)s的涉密等级不足。") % {"name": holder_person.name}})
    content_type = ContentType.objects.get_for_model(record)
    copies = ClassifiedCopy.objects.filter(content_type=content_type, object_id=record.pk)
    if copy_number is None:
        copy_number = (copies.aggregate(last=Max("copy_number"))["last"] or 0) + 1
    elif copies.filter(copy_number=copy_number).exists():
        raise ValidationError({"copy_number": _("份号%(n)06d已登记。") % {"n": copy_number}})
    if not 1 <= copy_number <= 999_999:
        raise ValidationError({"copy_number": _("份号应为1至999999。")})
    if due_back is not None and not timezone.localdate() < due_back <= add_months(timezone.localdate(), 120):
        raise ValidationError({"due_back": _("应清退日期应在今天之后的十年以内。")})
    copy = ClassifiedCopy.objects.create(
        content_type=content_type,
        object_id=record.pk,
        copy_number=copy_number,
        holder_person=holder_person,
        holder_unit=holder_unit,
        issued_at=timezone.now(),
        issued_by=_person(actor),
        due_back=due_back,
        note=note,
    )
    # The holder must be able to read what they hold.
    assign_perm(_view_codename(record), holder_person.user if holder_person else holder_unit.group, record)
    if due_back is not None:
        # 清退 is chased like any other due date: reminders to the holder, then escalation.
        today = timezone.localdate()
        reminders.deadline_open(
            actor=actor,
            subject=copy,
            kind="copy-return",
            start=today,
            amount=(due_back - today).days,
            unit=PeriodUnit.CALENDAR_DAYS,
            responsible_person=holder_person,
            responsible_unit=holder_unit,
        )
    audit.record(
        actor,
        AuditAction.COPY_ISSUE,
        obj=record,
        detail={
            "copy": copy.number_display,
            "holder": str(holder_person or holder_unit),
            "due_back": due_back.isoformat() if due_back else None,
        },
    )
    return copy


def _locked_copy(copy: ClassifiedCopy) -> ClassifiedCopy:
    return ClassifiedCopy.objects.select_for_update().get(pk=copy.pk)


def _require_register_scope(actor: User, copy: ClassifiedCopy) -> None:
    """Officers and leaders act on copies of records they may see or whose register they keep."""
    model = copy.content_type.model_class()
    in_scope = model.objects.filter(pk=copy.object_id).filter(
        Q(pk__in=model.objects.visible_to(actor).values("pk"))
        | Q(pk__in=model.objects.registered_for(actor).values("pk"))
    )
    if not in_scope.exists():
        raise PermissionDenied(_("该份号不在您的管理范围内。"))


def _require_state(copy: ClassifiedCopy, *allowed: CopyState) -> None:
    if copy.state not in allowed:
        raise TransitionNotAllowed(
            _("份号%(n)s当前为“%(state)s”，不能办理此项。")
            % {"n": copy.number_display, "state": copy.get_state_display()}
        )


@transaction.atomic
def copy_sign(*, actor: User, copy: ClassifiedCopy) -> ClassifiedCopy:
    """The holder signs for the copy (签收)."""
    copy = _locked_copy(copy)
    if not (_copy_holder_is(actor, copy) or is_security_officer(actor)):
        raise PermissionDenied(_("只有持有人可以签收。"))
    _require_state(copy, CopyState.ISSUED)
    copy.state, copy.signed_at = CopyState.SIGNED, timezone.now()
    copy.save(update_fields=["state", "signed_at"])
    audit.record(actor, AuditAction.COPY_SIGN, obj=copy.record, detail={"copy": copy.number_display})
    return copy


@transaction.atomic
def copy_return(*, actor: User, copy: ClassifiedCopy) -> ClassifiedCopy:
    """The 保密员 takes the copy back (清退)."""
    copy = _locked_copy(copy)
    if not is_security_officer(actor):
        raise PermissionDenied(_("清退由保密员办理。"))
    _require_register_scope(actor, copy)
    _require_state(copy, CopyState.ISSUED, CopyState.SIGNED)
    copy.state, copy.returned_at = CopyState.RETURNED, timezone.now()
    copy.save(update_fields=["state", "returned_at"])
    for deadline in reminders.deadlines_of(copy):
        if deadline.state == "open":
            reminders.deadline_meet(actor=actor, deadline=deadline, reason=_("已清退"))
    audit.record(actor, AuditAction.COPY_RETURN, obj=copy.record, detail={"copy": copy.number_display})
    return copy


@transaction.atomic
def copy_request_destruction(*, actor: User, copy: ClassifiedCopy, note: str = "") -> ClassifiedCopy:
    """A 保密员 puts a returned copy up for destruction (经办人); a second person must confirm."""
    copy = _locked_copy(copy)
    if not is_security_officer(actor):
        raise PermissionDenied(_("销毁由保密员经办。"))
    _require_register_scope(actor, copy)
    _require_state(copy, CopyState.RETURNED)
    copy.state, copy.destruction_requested_by = CopyState.DESTRUCTION_REQUESTED, _person(actor)
    copy.note = note or copy.note
    copy.save(update_fields=["state", "destruction_requested_by", "note"])
    audit.record(actor, AuditAction.COPY_DESTROY_REQUEST, obj=copy.record, detail={"copy": copy.number_display})
    return copy


@transaction.atomic
def copy_confirm_destruction(*, actor: User, copy: ClassifiedCopy) -> ClassifiedCopy:
    """A second person (监销人: another 保密员 or a leader) confirms the destruction."""
    copy = _locked_copy(copy)
    person = _person(actor)
    if not (is_security_officer(actor) or actor.has_role(Role.LEADER)):
        raise PermissionDenied(_("监销人应为保密员或领导。"))
    _require_register_scope(actor, copy)
    _require_state(copy, CopyState.DESTRUCTION_REQUESTED)
    if copy.destruction_requested_by_id == person.pk:
        raise ValidationError(_("销毁须由两人办理：经办人不能同时担任监销人。"))
    copy.state, copy.destruction_confirmed_by, copy.destroyed_at = CopyState.DESTROYED, person, timezone.now()
    copy.save(update_fields=["state", "destruction_confirmed_by", "destroyed_at"])
    audit.record(
        actor,
        AuditAction.COPY_DESTROY,
        obj=copy.record,
        detail={
            "copy": copy.number_display,
            "by": [copy.destruction_requested_by.name, person.name],
        },
    )
    return copy


# --- Copy and excerpt requests -------------------------------------------------------------------


@transaction.atomic
def copy_request_submit(*, actor: User, record: Classified, kind: str, reason: str, copies: int = 1) -> CopyRequest:
    person = _person(actor)
    if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
        raise PermissionDenied(_("不能申请复制无权知悉的事项。"))
    if not record.is_classified:
        raise ValidationError(_("非涉密事项无需申请。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明事由。")})
    if not 1 <= copies <= 100:
        raise ValidationError({"copies": _("份数应为1至100。")})
    request = CopyRequest.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=CopyRequestKind(kind),
        copies=copies,
        reason=reason.strip(),
        requested_by=person,
        requested_at=timezone.now(),
    )
    audit.record(actor, AuditAction.COPY_REQUEST, obj=record, detail={"request": request.pk, "kind": kind})
    return request


@transaction.atomic
def copy_request_decide(
    *,
    actor: User,
    request: CopyRequest,
    approve: bool,
    note: str = "",
    originating_organ_approval: str = "",
) -> CopyRequest:
    """The organ head approves or refuses; for 绝密 the classifying organ's approval is recorded too."""
    request = CopyRequest.objects.select_for_update().get(pk=request.pk)
    person = _person(actor)
    record = request.record
    if not actor.has_role(Role.LEADER) or person.clearance < record.classification:
        raise PermissionDenied(_("复制摘抄涉密事项须经机关负责人批准。"))
    if request.state != CopyRequestState.PENDING:
        raise TransitionNotAllowed(_("该申请已审批。"))
    if request.requested_by.unit.organ_id != person.unit.organ_id:
        raise PermissionDenied(_("只能审批本机关人员的申请。"))
    if request.requested_by_id == person.pk:
        raise ValidationError(_("不能审批本人的申请。"))
    if approve and record.level == Level.TOP_SECRET and not originating_organ_approval.strip():
        raise ValidationError(
            {"originating_organ_approval": _("绝密级事项的复制摘抄须经定密机关批准，请写明批准情况。")}
        )
    request.state = CopyRequestState.APPROVED if approve else CopyRequestState.REJECTED
    request.decided_by, request.decided_at = person, timezone.now()
    request.decision_note, request.originating_organ_approval = note, originating_organ_approval.strip()
    request.save()
    audit.record(
        actor,
        AuditAction.COPY_REQUEST_DECIDE,
        obj=record,
        detail={
            "request": request.pk,
            "approved": approve,
            "note": note,
        },
    )
    return request
