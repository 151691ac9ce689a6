"""议题: 拟报, 修改, 报送 (不协调一致不上会, before the type's lead time: ``rules.TOPIC``), 分管领导审核,
定题, 退回, 撤回, 列入议程 (its 汇报人 invited to 列席) and the agenda's order."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import Attendee, AttendeeRole, Meeting, MeetingType, Topic, TopicState
from meetings.rules import MEETING, PREPARING, TOPIC, in_or_above
from meetings.services._common import notify, require_text, unit_organ
from meetings.services.preparation import materials_reminder_sync
from office.confidentiality import audit
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.org.models import Person, Unit, User
from office.workflow.machine import actor_of

__all__ = [
    "agenda_order",
    "topic_approve",
    "topic_create",
    "topic_edit",
    "topic_place",
    "topic_return",
    "topic_review",
    "topic_submit",
    "topic_unplace",
    "topic_withdraw",
]

EDITABLE = (
    "title",
    "summary",
    "presenter",
    "reviewing_leader",
    "attending_units",
    "consultation",
    "agreed",
    "normative",
    "legality_reviewed",
    "minutes",
    "wished_on",
    "meeting",
)


def _check_meeting(topic: Topic, meeting: Meeting | None) -> None:
    if meeting is None:
        return
    if meeting.type_id != topic.meeting_type_id or meeting.organ_id != topic.organ_id:
        raise ValidationError({"meeting": _("议题只能列入本机关同一类型的会议。")})
    if topic.classification > meeting.classification:
        raise ValidationError({"meeting": _("议题的密级高于会议密级，不能列入该会议。")})
    if meeting.state not in PREPARING:
        raise ValidationError(
            {"meeting": _("会议“%(state)s”，不能再列入议题。") % {"state": meeting.get_state_display()}}
        )


def _check_people(topic: Topic) -> None:
    for name in ("presenter", "reviewing_leader"):
        person: Person = getattr(topic, name)
        if person.clearance < topic.classification:
            raise ValidationError({name: _("%(name)s的涉密等级低于议题密级。") % {"name": person.name}})


def _check_fields(topic: Topic) -> None:
    topic.title = require_text(topic.title, "title", _("请填写议题名称。"), 120)
    topic.summary = require_text(topic.summary, "summary", _("请填写议题说明（需要会议研究决定的事项）。"))
    topic.consultation = (topic.consultation or "").strip()
    if not 1 <= (topic.minutes or 0) <= 240:
        raise ValidationError({"minutes": _("汇报时长应在1至240分钟之间。")})
    if topic.wished_on is not None and topic.wished_on < timezone.localdate():
        raise ValidationError({"wished_on": _("建议上会日期不能早于今天。")})
    _check_people(topic)


def topic_create(
    *,
    actor: User,
    meeting_type: MeetingType,
    title: str,
    summary: str,
    unit: Unit,
    presenter: Person,
    reviewing_leader: Person,
    attending_units=(),
    consultation: str = "",
    agreed: bool = False,
    normative: bool = False,
    legality_reviewed: bool = False,
    minutes: int = 15,
    wished_on: date | None = None,
    meeting: Meeting | None = None,
    level: Level = Level.INTERNAL,
    basis: str = "",
    term_unit: str = "",
    term_amount: int | None = None,
    until: date | None = None,
    condition: str = "",
    organ: Unit | None = None,
) -> Topic:
    """拟报议题: a person of the 汇报单位 (or above it). The 议题 belongs to the organ of the meeting it
    is meant for (``meeting``, or ``organ``: a bureau's 议题 for the government's 常务会议), else to
    the unit's own organ."""
    acting = actor_of(actor)
    if not in_or_above(acting.person, unit):
        raise PermissionDenied(_("议题由汇报单位申报。"))
    organ = meeting.organ if meeting is not None else (organ or unit_organ(unit))
    if organ.pk not in unit_organ(unit).lineage_ids():
        raise ValidationError({"unit": _("汇报单位不属于该机关。")})
    if Level(level) > acting.person.clearance:
        raise PermissionDenied(_("不能申报高于本人涉密等级的议题。"))
    with transaction.atomic():
        topic = Topic(
            organ=organ,
            meeting_type=meeting_type,
            meeting=meeting,
            title=title,
            summary=summary,
            unit=unit,
            presenter=presenter,
            reviewing_leader=reviewing_leader,
            consultation=consultation,
            agreed=agreed,
            normative=normative,
            legality_reviewed=legality_reviewed,
            minutes=minutes,
            wished_on=wished_on,
            submitted_by=acting.person,
        )
        secrecy.apply_classification(
            topic,
            actor=acting.user,
            level=level,
            term_unit=term_unit,
            term_amount=term_amount,
            until=until,
            condition=condition,
            basis=basis,
        )
        _check_fields(topic)
        _check_meeting(topic, meeting)
        topic.save()
        if attending_units:
            topic.attending_units.set(attending_units)
        TOPIC.record(topic, actor=acting, action=N_("拟报议题"), comment=topic.title)
        if topic.is_classified:
            audit.record(acting.user, AuditAction.CLASSIFY, obj=topic, detail={"mark": topic.level_mark})
        return topic


@transaction.atomic
def topic_edit(*, actor: User, topic: Topic, **fields) -> Topic:
    """修改议题 (拟报 or 退回), by its unit."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: _("这一项不能在此修改。") for name in unknown})
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "edit")
    units = fields.pop("attending_units", None)
    changed = [name for name, value in fields.items() if getattr(topic, name) != value]
    for name in changed:
        setattr(topic, name, fields[name])
    _check_fields(topic)
    if "meeting" in changed:
        _check_meeting(topic, topic.meeting)
    topic.save(update_fields=[*changed, "title", "summary", "consultation", "updated_at"])
    if units is not None:
        topic.attending_units.set(units)
        changed.append("attending_units")
    if changed:
        labels = "、".join(str(Topic._meta.get_field(name).verbose_name) for name in changed)
        TOPIC.record(topic, actor=acting, action=N_("修改议题"), comment=labels)
    return topic


def _decider(topic: Topic) -> Person | None:
    return topic.meeting.chair if topic.meeting_id else topic.organ.head


@transaction.atomic
def topic_submit(*, actor: User, topic: Topic) -> Topic:
    """报送 to the 分管领导: only coordinated (不协调一致不上会) and within the type's lead time."""
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "submit")
    topic.submitted_at = timezone.now()
    TOPIC.move(topic, TopicState.SUBMITTED, actor=acting, action=N_("报送"), update_fields=["submitted_at"])
    notify(topic.reviewing_leader, _("议题待审核：%(title)s"), topic)
    return topic


@transaction.atomic
def topic_review(*, actor: User, topic: Topic, opinion: str = "") -> Topic:
    """分管领导审核: on to the 主要领导 (or the chair of the meeting it is meant for)."""
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "review")
    topic.opinion = opinion.strip()[:300]
    TOPIC.move(
        topic,
        TopicState.REVIEWED,
        actor=acting,
        action=N_("分管领导审核"),
        comment=topic.opinion,
        update_fields=["opinion"],
    )
    decider = _decider(topic)
    if decider is not None and decider.pk != acting.person.pk:
        notify(decider, _("议题待定题：%(title)s"), topic)
    return topic


@transaction.atomic
def topic_approve(*, actor: User, topic: Topic, opinion: str = "") -> Topic:
    """定题: the 议题 may be placed on an agenda."""
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "approve")
    topic.opinion = opinion.strip()[:300] or topic.opinion
    TOPIC.move(
        topic,
        TopicState.APPROVED,
        actor=acting,
        action=N_("定题"),
        comment=opinion.strip(),
        update_fields=["opinion"],
    )
    notify(topic.submitted_by, _("议题已定题：%(title)s"), topic)
    return topic


@transaction.atomic
def topic_return(*, actor: User, topic: Topic, opinion: str) -> Topic:
    """退回 to the unit, with the reason (it may be amended and submitted again)."""
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "return")
    topic.opinion = require_text(opinion, "opinion", _("请写明退回理由。"), 300)
    TOPIC.move(
        topic,
        TopicState.RETURNED,
        actor=acting,
        action=N_("退回"),
        comment=topic.opinion,
        update_fields=["opinion"],
    )
    notify(topic.submitted_by, _("议题被退回：%(title)s（%(reason)s）"), topic, reason=topic.opinion)
    return topic


@transaction.atomic
def topic_withdraw(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    """撤回 by the unit before it is approved."""
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "withdraw")
    TOPIC.move(topic, TopicState.WITHDRAWN, actor=acting, action=N_("撤回"), comment=reason.strip())
    return topic


def _placed(meeting: Meeting):
    return Topic.objects.filter(meeting=meeting, state=TopicState.PLACED)


@transaction.atomic
def topic_place(*, actor: User, topic: Topic, meeting: Meeting, order: int | None = None) -> Topic:
    """列入议程: an approved 议题 on a meeting of its type and organ still in preparation, at
    ``order`` (the next free place by default); its 汇报人 is invited to 列席."""
    meeting = MEETING.lock(meeting)  # the meeting first, as ``agenda_order`` locks it
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "place")
    MEETING.check(acting, meeting, "place_topic")
    _check_meeting(topic, meeting)
    if topic.classification > meeting.classification:
        raise ValidationError({"meeting": _("议题密级高于会议密级，不能列入本次会议。")})
    if topic.presenter.clearance < meeting.classification:
        raise ValidationError(
            {"presenter": _("%(name)s的涉密等级低于会议密级，不能列席。") % {"name": topic.presenter.name}}
        )
    placed = _placed(meeting).select_for_update()
    last = placed.aggregate(last=Max("order"))["last"] or 0
    if order is None:
        order = last + 1
    elif not 1 <= order <= last + 1:
        raise ValidationError({"order": _("议程序号应在1至%(n)d之间。") % {"n": last + 1}})
    else:
        for other in placed.filter(order__gte=order).order_by("-order"):
            other.order += 1
            other.save(update_fields=["order"])
    topic.meeting, topic.order = meeting, order
    TOPIC.move(topic, TopicState.PLACED, actor=acting, action=N_("列入议程"), update_fields=["meeting", "order"])
    Attendee.objects.get_or_create(meeting=meeting, person=topic.presenter, defaults={"role": AttendeeRole.SIT_IN})
    MEETING.record(meeting, actor=acting, action=N_("列入议程"), comment=f"{order}. {topic.title}")
    notify(topic.submitted_by, _("议题已列入会议议程：%(title)s"), topic)
    materials_reminder_sync(topic, actor=acting)  # its materials are owed before the meeting
    return topic


@transaction.atomic
def topic_unplace(*, actor: User, topic: Topic, reason: str = "") -> Topic:
    """退出议程 (the 会务员, while the meeting is still prepared): back to 已定题, to be placed again;
    the 议题 after it move up one place."""
    meeting = MEETING.lock(topic.meeting) if topic.meeting_id else None  # the meeting first, as topic_place
    topic = TOPIC.lock(topic)
    acting = TOPIC.check(actor, topic, "unplace")
    was = topic.order
    topic.order = None
    TOPIC.move(
        topic, TopicState.APPROVED, actor=acting, action=N_("退出议程"), comment=reason.strip(), update_fields=["order"]
    )
    if meeting is not None:
        if was is not None:
            for other in _placed(meeting).select_for_update().filter(order__gt=was).order_by("order"):
                other.order -= 1
                other.save(update_fields=["order"])
        MEETING.record(meeting, actor=acting, action=N_("议题退出议程"), comment=topic.title)
    materials_reminder_sync(topic, actor=acting)
    return topic


@transaction.atomic
def agenda_order(*, actor: User, meeting: Meeting, topics) -> list[Topic]:
    """调整议程顺序: ``topics`` (every 议题 on the agenda, once) numbered 1..n in the order given."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "place_topic")
    wanted = [t.pk for t in topics]
    rows = {t.pk: t for t in _placed(meeting).select_for_update().order_by("pk")}
    if len(set(wanted)) != len(wanted) or set(wanted) != set(rows):
        raise ValidationError({"topics": _("请列出本次会议议程上的全部议题，每项一次。")})
    ordered = [rows[pk] for pk in wanted]
    for number, topic in enumerate(ordered, start=1):
        if topic.order != number:
            topic.order = number
            topic.save(update_fields=["order", "updated_at"])
    MEETING.record(meeting, actor=acting, action=N_("调整议程顺序"), comment="；".join(t.title for t in ordered))
    return ordered
