"""会议材料:报送 (by whoever runs the meeting), 审核, and for a classified one (秘密 and above) the
numbered copies (份号) issued to the attendees and recalled after the meeting.

The copy register is ``office.confidentiality``'s (``ClassifiedCopy``). Its ``copy_issue`` admits
only the record's 登记人 or a 保密员, and the meeting's 会务员 issues its papers, so the copies are
written here the way ``documents.outgoing`` writes a 发文's: each row with its 清退 due date (the
day after the meeting), a grant to its holder, a reminder to him, and its ``COPY_ISSUE`` in the
audit chain. 签收 is the register's own ``copy_sign`` (the holder); 清退 is the 会务员's here
(step ``recall``), with its ``COPY_RETURN``.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from guardian.shortcuts import assign_perm

from meetings.models import Material, MaterialKind, Meeting, Reply, Topic
from meetings.rules import MEETING
from meetings.selectors import copies_out
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, ClassifiedCopy, CopyState
from office.confidentiality.visibility import person_of
from office.org.models import Person, User
from office.reminders import services as reminders
from office.uploads import check_upload
from office.workdays.services import PeriodUnit
from office.workflow import TransitionNotAllowed

__all__ = [
    "copy_sign",
    "material_add",
    "material_check",
    "material_issue",
    "material_recall",
    "outstanding_holders",
    "speech_over_limits",
]

# Copies are handed out before the meeting (at the door) or during it.


def _material_type() -> ContentType:
    return ContentType.objects.get_for_model(Material)


def _copies_of(material: Material):
    return ClassifiedCopy.objects.filter(content_type=_material_type(), object_id=material.pk)


def _check_fields(meeting: Meeting, person: Person, title: str, topic: Topic | None, level: Level, pages) -> dict:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写材料名称。")
    if topic is not None and topic.meeting_id != meeting.pk:
        errors["topic"] = _("该议题不是本次会议的议题。")
    if level > person.clearance:
        errors["level"] = _("材料密级不能高于您的涉密等级。")
    elif level > meeting.classification:
        errors["level"] = _("材料密级不能高于会议密级（%(level)s）。") % {"level": meeting.level.label}
    if pages is not None and pages < 1:
        errors["pages"] = _("页数应为正整数。")
    return errors


def _check_speech(kind: str, chars, speaking_minutes) -> dict:
    errors = {}
    if kind not in MaterialKind.values:
        errors["kind"] = _("请选择材料类别（会议材料或发言材料）。")
    if chars is not None and chars < 1:
        errors["chars"] = _("字数应为正整数。")
    if speaking_minutes is not None and speaking_minutes < 1:
        errors["speaking_minutes"] = _("发言时间应为正整数（分钟）。")
    return errors


def speech_over_limits(material: Material) -> dict[str, str]:
    """What keeps a 发言材料 from passing 审核: its 篇幅 or 发言时间 above its meeting type's limit (or
    not stated while there is one), by field; nothing for a 会议材料 or a type without limits."""
    if material.kind != MaterialKind.SPEECH:
        return {}
    meeting_type = material.meeting.type
    errors = {}
    most = meeting_type.speech_max_chars
    if most is not None and material.chars is None:
        errors["chars"] = _("请先登记发言材料的字数（篇幅限制：不超过%(n)d字）。") % {"n": most}
    elif most is not None and material.chars > most:
        errors["chars"] = _("发言材料超过篇幅限制（不超过%(n)d字），本材料%(chars)d字，请压缩后重新报送。") % {
            "n": most,
            "chars": material.chars,
        }
    most = meeting_type.speech_max_minutes
    if most is not None and material.speaking_minutes is None:
        errors["speaking_minutes"] = _("请先登记发言时间（发言时间限制：不超过%(n)d分钟）。") % {"n": most}
    elif most is not None and material.speaking_minutes > most:
        errors["speaking_minutes"] = _(
            "发言材料超过发言时间限制（不超过%(n)d分钟），本材料需%(minutes)d分钟，请压缩后重新报送。"
        ) % {"n": most, "minutes": material.speaking_minutes}
    return errors


def material_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    file=None,
    topic: Topic | None = None,
    level: Level | int | None = None,
    pages: int | None = None,
    basis: str = "",
    kind: str = MaterialKind.PAPER,
    chars: int | None = None,
    speaking_minutes: int | None = None,
) -> Material:
    """报送会议材料 (the 会务员 gathers them while the meeting is prepared): at the meeting's 密级 unless
    said otherwise — never above the meeting's nor the sender's own; its 定密依据 that of the meeting
    unless given. A file is checked by its bytes; above the deployment's ceiling none is kept. A
    发言材料 (``kind``) states its 篇幅 (``chars``) and 发言时间 (``speaking_minutes``): the type's limits
    are checked at its 审核."""
    level = Level(meeting.classification if level is None else level)
    if file is not None:
        check_upload(file)
        # Before the transaction: its rollback would take the ceiling_refused audit row with it.
        secrecy.ensure_content_allowed(user=actor, level=level, record=meeting)
    with transaction.atomic():
        meeting = MEETING.lock(meeting)
        acting = MEETING.check(actor, meeting, "add_material")
        person = person_of(acting.user)
        errors = _check_fields(meeting, person, title, topic, level, pages)
        errors |= _check_speech(kind, chars, speaking_minutes)
        if errors:
            raise ValidationError(errors)
        material = Material(
            meeting=meeting,
            organ=meeting.organ,
            topic=topic,
            title=title.strip(),
            pages=pages,
            kind=kind,
            chars=chars,
            speaking_minutes=speaking_minutes,
            uploaded_by=person,
        )
        same = level == meeting.classification
        secrecy.apply_classification(
            material,
            actor=actor,
            level=level,
            term_unit=meeting.secrecy_term_unit if same else "",
            term_amount=meeting.secrecy_term_amount if same else None,
            until=meeting.secrecy_until if same else None,
            condition=meeting.declassify_condition if same else "",
            basis=basis or meeting.classification_basis,
        )
        if file is not None:
            material.file = file
        material.save()
        if material.is_classified:
            audit.record(
                actor,
                AuditAction.CLASSIFY,
                obj=material,
                detail={"level": level.code, "basis": material.classification_basis},
            )
        MEETING.record(meeting, actor=acting, action=N_("报送会议材料"), comment=material.title)
        if topic is not None:
            from meetings.services.preparation import materials_reminder_sync  # it reads this module's rows

            materials_reminder_sync(topic, actor=acting)  # the 汇报单位's materials are in
    return material


@transaction.atomic
def material_check(*, actor: User, material: Material) -> Material:
    """审核会议材料 (the 会务员, before the meeting): it may then be issued. A 发言材料 above its meeting
    type's 篇幅 or 发言时间 limit is refused (``speech_over_limits``)."""
    meeting = MEETING.lock(material.meeting)
    acting = MEETING.check(actor, meeting, "add_material")
    material = Material.objects.select_for_update(of=("self",)).select_related("meeting__type").get(pk=material.pk)
    if material.checked:
        return material
    over = speech_over_limits(material)
    if over:
        raise ValidationError(over)
    material.checked, material.checked_by = True, person_of(acting.user)
    material.save(update_fields=["checked", "checked_by"])
    MEETING.record(meeting, actor=acting, action=N_("审核会议材料"), comment=material.title)
    return material


def _holder(row) -> Person:
    """Who is handed the copy: the attendee, or his 代会人 when he sends one."""
    if row.reply == Reply.SUBSTITUTE and row.substitute is not None:
        return row.substitute
    return row.person


def _issue_copy(actor: User, issuer: Person, material: Material, holder: Person, number: int, due_back):
    copy = ClassifiedCopy.objects.create(
        content_type=_material_type(),
        object_id=material.pk,
        copy_number=number,
        holder_person=holder,
        issued_at=timezone.now(),
        issued_by=issuer,
        due_back=due_back,
    )
    # The holder must be able to read what he holds (a 代会人 is not on the list).
    if holder.user_id is not None:
        assign_perm(f"view_{Material._meta.model_name}", holder.user, material)
    today = timezone.localdate()
    if due_back > today:
        reminders.deadline_open(
            actor=actor,
            subject=copy,
            kind="copy-return",
            start=today,
            amount=(due_back - today).days,
            unit=PeriodUnit.CALENDAR_DAYS,
            responsible_person=holder,
        )
    audit.record(
        actor,
        AuditAction.COPY_ISSUE,
        obj=material,
        detail={"copy": copy.number_display, "holder": holder.name, "due_back": due_back.isoformat()},
    )
    return copy


@transaction.atomic
def material_issue(*, actor: User, material: Material) -> list[ClassifiedCopy]:
    """分发涉密材料: one numbered copy (1, 2, … in the list's order) to each attendee who comes (not
    请假; a 代会人 for one who sends him), due back the day after the meeting. Issuing again hands
    copies only to those who have none yet (someone invited since): never a second set. Answers
    every copy of the material."""
    meeting = MEETING.lock(material.meeting)
    acting = MEETING.check(actor, meeting, "issue_material")
    material = Material.objects.select_for_update().get(pk=material.pk)  # serialises the numbering
    if not material.is_classified:
        raise ValidationError(_("只有涉密材料（秘密级以上）才按份号分发。"))
    if not material.checked:
        raise TransitionNotAllowed(_("材料尚未审核，请先审核再分发。"))
    copies = _copies_of(material)
    holding = set(copies.values_list("holder_person_id", flat=True))
    rows = meeting.attendees.exclude(reply=Reply.LEAVE).select_related("person__user", "substitute__user")
    holders = list(dict.fromkeys(p for p in map(_holder, rows) if p.pk not in holding))
    short = [p.name for p in holders if p.clearance < material.classification]
    if short:
        raise ValidationError(
            _("以下人员的涉密等级低于材料密级（%(level)s），不能分发：%(names)s。")
            % {"level": material.level.label, "names": "、".join(short)}
        )
    if holders:
        due_back = timezone.localtime(meeting.ends_at).date() + timedelta(days=1)
        issuer = person_of(acting.user)
        last = copies.aggregate(last=Max("copy_number"))["last"] or 0
        for number, holder in enumerate(holders, start=last + 1):
            _issue_copy(acting.user, issuer, material, holder, number, due_back)
        MEETING.record(
            meeting,
            actor=acting,
            action=N_("分发涉密材料"),
            comment=_("%(title)s %(n)d份") % {"title": material.title, "n": len(holders)},
        )
    return list(copies.select_related("holder_person").order_by("copy_number"))


def _meeting_copy(copy: ClassifiedCopy) -> tuple[ClassifiedCopy, Material]:
    copy = ClassifiedCopy.objects.select_for_update().get(pk=copy.pk)
    if copy.content_type_id != _material_type().pk:
        raise ValidationError(_("该份号不是会议材料的份号。"))
    return copy, Material.objects.select_related("meeting").get(pk=copy.object_id)


@transaction.atomic
def copy_sign(*, actor: User, copy: ClassifiedCopy) -> ClassifiedCopy:
    """签收: the holder signs for his copy (the register's own rule and audit event)."""
    _meeting_copy(copy)
    return secrecy.copy_sign(actor=actor, copy=copy)


@transaction.atomic
def material_recall(*, actor: User, copy: ClassifiedCopy) -> ClassifiedCopy:
    """清退: the 会务员 takes a copy back after the meeting; its reminder is met."""
    copy, material = _meeting_copy(copy)
    meeting = MEETING.lock(material.meeting)
    acting = MEETING.check(actor, meeting, "recall")
    if copy.state not in (CopyState.ISSUED, CopyState.SIGNED):
        raise TransitionNotAllowed(
            _("份号%(n)s当前为“%(state)s”，不能清退。") % {"n": copy.number_display, "state": copy.get_state_display()}
        )
    copy.state, copy.returned_at = CopyState.RETURNED, timezone.now()
    copy.save(update_fields=["state", "returned_at"])
    for deadline in reminders.deadlines_of(copy):
        if deadline.state == "open":
            reminders.deadline_meet(actor=acting.user, deadline=deadline, reason=_("已清退"))
    audit.record(
        acting.user,
        AuditAction.COPY_RETURN,
        obj=material,
        detail={"copy": copy.number_display, "holder": str(copy.holder_person or copy.holder_unit)},
    )
    return copy


def outstanding_holders(meeting: Meeting) -> list[tuple[Person, list[ClassifiedCopy]]]:
    """Who still holds copies of the meeting's papers (not returned), each with his copies, in the
    order the copies were issued."""
    held: dict[int, tuple[Person, list[ClassifiedCopy]]] = {}
    for copy in copies_out(meeting).select_related("holder_person").order_by("object_id", "copy_number"):
        if copy.holder_person is None:
            continue
        held.setdefault(copy.holder_person_id, (copy.holder_person, []))[1].append(copy)
    return list(held.values())
