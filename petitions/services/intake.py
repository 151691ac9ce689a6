"""登记 of a 信访事项 from any channel with its 信访人, and the repeats: 关联 (the same person and
matter again) and 并案 (merged into the case that answers for both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.uploads import check_upload
from office.workflow import take_next
from petitions.models import (
    MAX_REPRESENTATIVES,
    BeyondLevel,
    CaseAttachment,
    CasePetitioner,
    CaseState,
    Channel,
    IssueCategory,
    Kind,
    PetitionCase,
    Petitioner,
    PetitionerKind,
    RegistrationCounter,
)
from petitions.rules import CASE
from petitions.services._common import (
    cancel,
    locked,
    not_future,
    notify,
    open_clock,
    refresh_due,
    refresh_search,
    require_text,
)

ID_NUMBER_CHARS = set("0123456789Xx")


@dataclass
class PetitionerSpec:
    """One 信访人 as registered: found again by ID number when given."""

    name: str
    kind: str = PetitionerKind.PERSON
    id_number: str = ""
    phone: str = ""
    address: str = ""
    hukou: str = ""
    representative: bool = False


def _petitioner(spec: PetitionerSpec) -> Petitioner:
    name = require_text(spec.name, "petitioners", _("请填写信访人姓名或名称。"))
    id_number = (spec.id_number or "").strip().upper()
    if id_number and (len(id_number) != 18 or not set(id_number) <= ID_NUMBER_CHARS):
        raise ValidationError({"petitioners": _("身份证号码应为18位数字（末位可为X）：%(n)s") % {"n": name}})
    values = {
        "kind": spec.kind,
        "name": name[:100],
        "phone": spec.phone.strip()[:30],
        "address": spec.address.strip()[:200],
        "hukou": spec.hukou.strip()[:100],
    }
    if id_number:
        petitioner, created = Petitioner.objects.get_or_create(id_number=id_number, defaults=values)
        if not created:  # the same person: keep what we knew, add what is new
            changed = [k for k, v in values.items() if v and getattr(petitioner, k) != v and k != "kind"]
            for k in changed:
                setattr(petitioner, k, values[k])
            if changed:
                petitioner.save(update_fields=changed)
        return petitioner
    return Petitioner.objects.create(id_number="", **values)


def may_register(user: User) -> bool:
    """Who registers: a 信访员 (the page, the API and the intake endpoint ask this one rule)."""
    return person_of(user) is not None and user.has_role(Role.PETITION_OFFICER)


@transaction.atomic
def case_register(
    *,
    actor: User,
    channel: str,
    received_on: date,
    kind: str,
    category: IssueCategory,
    title: str,
    content: str,
    petitioners: list[PetitionerSpec],
    area: Unit | None = None,
    involved_units: list[Unit] = (),
    headcount: int | None = None,
    beyond_level: str = BeyondLevel.NONE,
    mass: bool = False,
    urgent: bool = False,
    superior_number: str = "",
    accused_unit: Unit | None = None,
    accused_person: Person | None = None,
    level: int = Level.INTERNAL,
) -> PetitionCase:
    """登记: the 登记号, the 信访人, the flags, and the 15-day routing clock from the day received."""
    if not may_register(actor):
        raise PermissionDenied(_("信访事项由信访员登记。"))
    person = person_of(actor)
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("请选择信访形式。")
    if kind not in Kind.values:
        errors["kind"] = _("请选择诉求类型。")
    if beyond_level not in BeyondLevel.values:
        errors["beyond_level"] = _("越级情形无效。")
    if channel == Channel.SUPERIOR and not superior_number.strip():
        errors["superior_number"] = _("上级转送、交办的事项请填写上级转交编号。")
    if not petitioners:
        errors["petitioners"] = _("请至少登记一名信访人。")
    representatives = [p for p in petitioners if p.representative]
    if channel == Channel.VISIT and len(representatives) > MAX_REPRESENTATIVES:
        errors["petitioners"] = _("集体访推选的代表不得超过%(n)d人。") % {"n": MAX_REPRESENTATIVES}
    count = headcount if headcount is not None else len(petitioners)
    if count < max(len(petitioners), 1):
        errors["headcount"] = _("人数不能少于登记的信访人数。")
    if kind != Kind.ACCUSATION and (accused_unit or accused_person):
        errors["accused_unit"] = _("只有检举控告事项登记被检举单位或被检举人。")
    if Level(level) > person.clearance:
        errors["classification"] = _("不能登记高于本人涉密等级的事项。")
    if errors:
        raise ValidationError(errors)
    not_future(received_on, "received_on", _("收到日期"))
    title = require_text(title, "title", _("请填写事项摘要。"))[:200]
    people_names = (p.name.strip() for p in petitioners if p.kind == PetitionerKind.PERSON)
    if any(len(name) >= 2 and name in title for name in people_names):
        # The summary travels in notifications, lists and exports: never the 信访人's identity.
        raise ValidationError({"title": _("事项摘要不得包含信访人姓名或名称。")})
    content = require_text(content, "content", _("请填写诉求内容。"))
    secrecy.ensure_content_allowed(user=actor, level=level)
    people = [_petitioner(spec) for spec in petitioners]
    first_time = not CasePetitioner.objects.filter(petitioner__in=[p for p in people if p.id_number]).exists()
    organ = person.unit.organ or person.unit
    year = received_on.year
    case = PetitionCase.objects.create(
        organ=organ,
        intake_unit=person.unit,
        year=year,
        sequence=take_next(RegistrationCounter, organ=organ, year=year),
        channel=channel,
        received_on=received_on,
        superior_number=superior_number.strip()[:60],
        kind=kind,
        category=category,
        area=area,
        title=title,
        content=content,
        headcount=count,
        beyond_level=beyond_level,
        mass=mass or count > 1 or any(p.kind == PetitionerKind.GROUP for p in petitioners),
        first_time=first_time,
        urgent=urgent,
        accused_unit=accused_unit,
        accused_person=accused_person,
        registrar=person,
        classification=level,
    )
    case.involved_units.set(involved_units)
    CasePetitioner.objects.bulk_create(
        CasePetitioner(case=case, petitioner=p, representative=spec.representative, order=n)
        for n, (p, spec) in enumerate(zip(people, petitioners, strict=True), start=1)
    )
    CASE.record(case, actor=actor, action=N_("登记"), comment=case.number)
    open_clock(actor, case, "petition-route", received_on, person=person)
    refresh_due(case)
    refresh_search(case)
    if urgent:
        _report_urgent(actor, case)
    return case


def _report_urgent(actor: User, case: PetitionCase) -> None:
    """紧急/敏感: the organ's leaders are told at once and brought into the case (never one it bars)."""
    leaders = Person.objects.active().filter(unit__organ=case.organ, user__groups__name=Role.LEADER.value)
    for leader in leaders:
        if leader.clearance < case.classification:
            continue
        secrecy.grant(actor=actor, record=case, person=leader, reason=_("紧急敏感信访事项，报告领导"))
        if PetitionCase.objects.visible_to(leader.user).filter(pk=case.pk).exists():
            notify(leader, _("紧急敏感信访事项：%(title)s"), case)


@transaction.atomic
def case_link(*, actor: User, case: PetitionCase, original: PetitionCase) -> PetitionCase:
    """关联: a person confirms ``case`` repeats ``original`` (same person, same matter); the original
    counts the repeat. Only cases the 信访员 may see can be linked."""
    case = locked(case)
    acting = CASE.check(actor, case, "link")
    original = _visible_other(actor, case, original)
    root = original.repeat_of if original.repeat_of_id else original
    case.repeat_of, case.first_time = root, False
    case.save(update_fields=["repeat_of", "first_time"])
    PetitionCase.objects.filter(pk=root.pk).update(repeat_count=F("repeat_count") + 1)
    case.repeat_count = PetitionCase.objects.values_list("repeat_count", flat=True).get(pk=root.pk)
    case.save(update_fields=["repeat_count"])
    CASE.record(case, actor=acting, action=N_("关联重复件"), comment=root.number)
    return case


@transaction.atomic
def case_merge(*, actor: User, case: PetitionCase, into: PetitionCase, reason: str = "") -> PetitionCase:
    """并案: ``case`` is answered with ``into`` (the same matter from many people)."""
    case = locked(case)
    acting = CASE.check(actor, case, "merge")
    into = _visible_other(actor, case, into)
    if into.state in (CaseState.MERGED, CaseState.CLOSED, CaseState.NOT_ACCEPTED):
        raise ValidationError({"into": _("只能并入仍在办理的事项。")})
    case.merged_into = into
    CASE.move(
        case,
        CaseState.MERGED,
        actor=acting,
        action=N_("并案"),
        comment=_("并入%(number)s。%(reason)s") % {"number": into.number, "reason": reason.strip()},
        update_fields=["merged_into"],
    )
    cancel(actor, case, _("并入%(number)s办理") % {"number": into.number})
    refresh_due(case)
    PetitionCase.objects.filter(pk=into.pk).update(repeat_count=F("repeat_count") + 1)
    CASE.record(into, actor=acting, action=N_("并案"), comment=_("并入%(number)s") % {"number": case.number})
    return case


def _visible_other(actor: User, case: PetitionCase, other: PetitionCase) -> PetitionCase:
    if other is None or other.pk == case.pk:
        raise ValidationError({"original": _("请选择另一件信访事项。")})
    found = PetitionCase.objects.visible_to(actor).filter(pk=other.pk).first()
    if found is None:
        raise ValidationError({"original": _("找不到该信访事项。")})
    return found


@transaction.atomic
def case_attach(*, actor: User, case: PetitionCase, upload, name: str = "") -> CaseAttachment:
    """诉求材料 or a paper of the case file (信件扫描, 回证 …): checked as every upload (size, not empty,
    bytes as the name says), refused above the ceiling, recorded in the 流转记录."""
    check_upload(upload, field="file")
    case = locked(case)
    acting = CASE.check(actor, case, "attach")
    secrecy.ensure_content_allowed(user=actor, level=case.level, record=case)
    attachment = CaseAttachment.objects.create(
        case=case, file=upload, name=(name.strip() or upload.name)[:200], uploaded_by=acting.person
    )
    CASE.record(case, actor=acting, action=N_("上传材料"), comment=attachment.name)
    return attachment
