"""议定事项 and the 会议纪要: the decisions recorded after the meeting, the 纪要 drafted as a 发文
(``documents``) and, when that 发文 is 核发, one 督办 item opened per decision (``minutes_issued``,
called from ``meetings.receivers``).

Who drafts: the 纪要 is drafted by whoever runs the meeting (its 会务员, step ``draft_minutes``): he is
its 拟稿人 in the organ's 纪要 series whose 办文部门 is the 会务承办部门 or a unit above it. From there
it walks the 发文 flow like any other: the series' office (its 文秘) 核稿, a leader 签发, the office
登记 and 核发 — and the drafter is never his own 核稿人, so the 会务员 drafting leaves the 核稿 to the
秘书科 as the rules of ``documents.outgoing`` want it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.models import DocumentSeries, OutgoingDocument
from documents.outgoing import services as outgoing
from documents.vocabulary import DocumentKind
from meetings.models import Attendee, AttendeeRole, Decision, Meeting, MeetingState, Reply, Topic
from meetings.rules import MEETING
from meetings.selectors import agenda
from office.org.models import Unit, User
from office.workdays.services import format_date

__all__ = ["decision_add", "decision_edit", "minutes_body", "minutes_draft", "minutes_issued"]

DECISION_FIELDS = {"text", "lead_unit", "due", "assist_units", "topic"}
NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (the 纪要's item numbers, up to 99)."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[ones] if ones else ''}"


# --- 议定事项 ------------------------------------------------------------------------------------------


def _check_decision(meeting: Meeting, text: str, lead_unit: Unit | None, due: date | None, assist_units, topic):
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("请填写议定事项。")
    if lead_unit is None:
        errors["lead_unit"] = _("请指定牵头单位。")
    if due is None:
        errors["due"] = _("请填写完成时限。")
    elif due <= timezone.localdate():
        errors["due"] = _("完成时限应晚于今天。")
    if lead_unit is not None and any(unit.pk == lead_unit.pk for unit in assist_units):
        errors["assist_units"] = _("牵头单位不能同时为配合单位。")
    if topic is not None and topic.meeting_id != meeting.pk:
        errors["topic"] = _("该议题不是本次会议的议题。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    lead_unit: Unit,
    due: date,
    assist_units=(),
    topic: Topic | None = None,
) -> Decision:
    """记录议定事项 (the meeting held, before its 纪要 is issued): numbered 1, 2, … in the meeting."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "decide")
    assist_units = list(dict.fromkeys(assist_units))
    _check_decision(meeting, text, lead_unit, due, assist_units, topic)
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting, number=number, text=text.strip(), lead_unit=lead_unit, due=due, topic=topic
    )
    decision.assist_units.set(assist_units)
    MEETING.record(
        meeting, actor=acting, action=N_("记录议定事项"), comment=_("第%(n)d项：%(text)s") % {"n": number, "text": text}
    )
    return decision


@transaction.atomic
def decision_edit(*, actor: User, decision: Decision, **fields) -> Decision:
    """Change a 议定事项 (text, 牵头单位, 配合单位, 完成时限, 议题) while the meeting is held and its 纪要
    not yet issued."""
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    meeting = MEETING.lock(decision.meeting)
    acting = MEETING.check(actor, meeting, "decide")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    assist_units = list(dict.fromkeys(fields.get("assist_units", decision.assist_units.all())))
    text = fields.get("text", decision.text)
    lead_unit = fields.get("lead_unit", decision.lead_unit)
    due = fields.get("due", decision.due)
    topic = fields.get("topic", decision.topic)
    _check_decision(meeting, text, lead_unit, due, assist_units, topic)
    decision.text, decision.lead_unit, decision.due, decision.topic = text.strip(), lead_unit, due, topic
    decision.save(update_fields=["text", "lead_unit", "due", "topic"])
    if "assist_units" in fields:
        decision.assist_units.set(assist_units)
    MEETING.record(
        meeting,
        actor=acting,
        action=N_("修改议定事项"),
        comment=_("第%(n)d项：%(text)s") % {"n": decision.number, "text": decision.text},
    )
    return decision


# --- 纪要 --------------------------------------------------------------------------------------------


def _attended(attendee: Attendee) -> bool:
    return attendee.checked_in_at is not None or attendee.reply == Reply.ATTEND


def _place(meeting: Meeting) -> str:
    if meeting.room_id is not None:
        return meeting.room.name
    return meeting.platform


def minutes_body(meeting: Meeting) -> str:
    """The 纪要's body in its official shape: who met when and where, 出席 / 请假 / 列席, then the
    议定事项 numbered 一、二、… with their 牵头单位 and 完成时限 (one paragraph a line)."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    opening = _("%(date)s%(start)s—%(end)s，%(chair)s在%(place)s主持召开%(title)s。") % {
        "date": format_date(starts.date()),
        "start": f"{starts.hour}:{starts.minute:02d}",
        "end": f"{ends.hour}:{ends.minute:02d}",
        "chair": meeting.chair.name,
        "place": _place(meeting),
        "title": meeting.title,
    }
    topics = [t.title for t in agenda(meeting)]  # the agenda: placed, in order
    if topics:
        opening += _("会议研究了%(topics)s等事项。") % {"topics": "、".join(f"“{t}”" for t in topics)}
    opening += _("现纪要如下：")
    present, leave, sit_in = [], [], []
    for attendee in meeting.attendees.select_related("person", "substitute").order_by("id"):
        name = attendee.person.name
        if attendee.role == AttendeeRole.STAFF:
            continue
        if attendee.reply == Reply.LEAVE:
            leave.append(f"{name}（{attendee.reason.strip()}）" if attendee.reason.strip() else name)
        elif attendee.reply == Reply.SUBSTITUTE and attendee.substitute_id is not None:
            (sit_in if attendee.role == AttendeeRole.SIT_IN else present).append(
                _("%(substitute)s（代%(name)s）") % {"substitute": attendee.substitute.name, "name": name}
            )
        elif attendee.role == AttendeeRole.SIT_IN:
            sit_in.append(name)
        elif _attended(attendee):
            present.append(name)
    lines = [opening, _("出席：") + "、".join(present)]
    if leave:
        lines.append(_("请假：") + "、".join(leave))
    if sit_in:
        lines.append(_("列席：") + "、".join(sit_in))
    decisions = list(meeting.decisions.select_related("lead_unit").prefetch_related("assist_units").order_by("number"))
    if decisions:
        lines.append(_("会议议定事项如下："))
    for decision in decisions:
        parts = [_("牵头单位：%(unit)s") % {"unit": decision.lead_unit.name}]
        assists = [unit.name for unit in decision.assist_units.all()]
        if assists:
            parts.append(_("配合单位：%(units)s") % {"units": "、".join(assists)})
        parts.append(_("完成时限：%(due)s") % {"due": format_date(decision.due)})
        text = decision.text.strip().rstrip("。")
        lines.append(f"{chinese_number(decision.number)}、{text}。（{'；'.join(parts)}）")
    return "\n".join(lines)


def minutes_series(meeting: Meeting) -> DocumentSeries | None:
    """The organ's 纪要 series: the one whose 办文部门 is the 会务承办部门 or the nearest unit above
    it, else the organ's first (its 纪要 are numbered in one series whichever section runs the
    meeting: the 秘书科's, while the 会务科 prepares it)."""
    lineage = meeting.organizing_unit.organ_lineage_ids()  # the unit first, then up to the organ
    candidates = DocumentSeries.objects.filter(organ=meeting.organ, template="minutes", active=True).order_by("id")

    def nearness(series: DocumentSeries) -> int:
        return lineage.index(series.office_id) if series.office_id in lineage else len(lineage)

    return min(candidates, key=nearness, default=None)


def _recipients(meeting: Meeting) -> list[Unit]:
    """The units that carry the decisions out (牵头 and 配合): the 纪要's 主送."""
    units: dict[int, Unit] = {}
    for decision in meeting.decisions.select_related("lead_unit").prefetch_related("assist_units").order_by("number"):
        for unit in (decision.lead_unit, *decision.assist_units.all()):
            units.setdefault(unit.pk, unit)
    return list(units.values())


@transaction.atomic
def minutes_draft(*, actor: User, meeting: Meeting) -> OutgoingDocument:
    """起草会议纪要: a 发文 draft of kind 纪要 in the organ's 纪要 series, at the meeting's 密级, its body
    prefilled (``minutes_body``); the meeting keeps it as its ``minutes_document``."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "draft_minutes")
    series = minutes_series(meeting)
    if series is None:
        raise ValidationError(
            {"series": _("本机关没有会务承办部门可用的纪要发文代字，请系统管理员设置（模板“纪要”）。")}
        )
    with translation.override(settings.LANGUAGE_CODE):  # a 公文 is written in Chinese, whatever the reader's UI
        title = _("%(title)s纪要") % {"title": meeting.title}
        body = minutes_body(meeting) if meeting.classification <= settings.SHUNIU_CLASSIFICATION_CEILING else ""
    document = outgoing.outgoing_create(
        actor=actor,
        series=series,
        title=title,
        kind=DocumentKind.MINUTES,
        level=meeting.classification,
        basis=meeting.classification_basis,
        term_unit=meeting.secrecy_term_unit,
        term_amount=meeting.secrecy_term_amount,
        until=meeting.secrecy_until,
        condition=meeting.declassify_condition,
        main_to_units=_recipients(meeting),
        body=body,  # above the deployment's ceiling a 发文 is a register entry only: no body
    )
    meeting.minutes_document = document
    meeting.save(update_fields=["minutes_document", "updated_at"])
    MEETING.record(meeting, actor=acting, action=N_("起草会议纪要"), comment=document.title)
    return document


# --- 纪要印发: the decisions become 督办 items ---------------------------------------------------------


def _open_item(actor: User, meeting: Meeting, decision: Decision):
    from supervision import services as supervision
    from supervision.models import Source

    try:
        return supervision.item_open(
            actor=actor,
            title=decision.text.strip()[:200],
            requirement=decision.text,
            source=Source.MEETING,
            source_record=decision,
            source_text=f"{meeting.title}议定事项第{decision.number}项"[:200],
            due=decision.due,
            level=meeting.classification,
            basis=meeting.classification_basis,
            term_unit=meeting.secrecy_term_unit,
            term_amount=meeting.secrecy_term_amount,
            until=meeting.secrecy_until,
            condition=meeting.declassify_condition,
            tasks=[
                supervision.TaskSpec(
                    lead_unit=decision.lead_unit,
                    assisting_units=list(decision.assist_units.all()),
                    due=decision.due,
                )
            ],
        )
    except ValidationError as error:
        # The issuer sees which decision stands in the way (a 完成时限 passed, a unit with no head).
        messages = "；".join(error.messages)
        raise ValidationError(
            _("议定事项第%(n)d项不能转为督办事项：%(messages)s") % {"n": decision.number, "messages": messages}
        ) from error


@transaction.atomic
def minutes_issued(document: OutgoingDocument, actor: User) -> Meeting | None:
    """On 核发 of a 发文 (inside its transaction): if it is a held meeting's 纪要, the meeting moves to
    纪要已印发 and each 议定事项 with no item yet opens its 督办 item (立项 and 交办 to its 牵头单位) —
    once: the meeting's row is locked, and a decision that has its item is passed over."""
    meeting = Meeting.objects.filter(minutes_document=document).only("pk").first()
    if meeting is None:
        return None
    meeting = MEETING.lock(meeting)
    if meeting.state not in (MeetingState.HELD, MeetingState.MINUTED):
        return None
    if meeting.state == MeetingState.HELD:
        MEETING.move(meeting, MeetingState.MINUTED, actor=actor, action=N_("纪要印发"), comment=document.number_text)
    pending = meeting.decisions.filter(item__isnull=True).select_related("lead_unit").order_by("number")
    for decision in pending.select_for_update(of=("self",)):
        decision.item = _open_item(actor, meeting, decision)
        decision.save(update_fields=["item"])
    return meeting
