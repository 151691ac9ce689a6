"""会务筹备: the 会议方案, 预案 and 安全保卫; 会务分工 tasks (each with a ``Deadline`` of the 会议 kind,
reminded by the beat scan to its 责任人); 分会场 and their 调试; the 会场保密检查 of a classified
meeting; after it, the 会后总结 and the 会议情况通报 (a 通报 draft through ``documents``).

And the reminders of the meeting itself (``meeting_reminders_sync``): once the notice is out, each
attendee who will come has one ``Deadline`` due the meeting's day, so the scan reminds him before it
and on the day; cancelled when the meeting is, or when he answers 请假 or sends someone (代会), met
when it is held, and dated again when it moves.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from documents.models import DocumentSeries, OutgoingDocument
from documents.outgoing import services as outgoing
from documents.outgoing.models import SeriesTemplate
from documents.vocabulary import DocumentKind
from meetings.models import BranchVenue, Meeting, MeetingState, PrepTask, Reply, TaskKind, Topic, TopicState
from meetings.rules import MEETING, PREPARING, completes_task, materials_due
from meetings.services._common import require_text
from meetings.services.minutes import minutes_body
from office.confidentiality import services as secrecy
from office.org.models import Person, Unit, User
from office.reminders import services as reminders
from office.reminders.models import Deadline, DeadlineState
from office.workdays.services import PeriodUnit, format_date
from office.workflow.machine import actor_of

__all__ = [
    "materials_reminder_sync",
    "meeting_prepare",
    "meeting_reminders_sync",
    "meeting_summarize",
    "report_draft",
    "task_add",
    "task_done",
    "task_remove",
    "venue_add",
    "venue_check",
    "venue_remove",
    "venue_test",
]

KIND = "meeting"  # the Deadline kind of a 会务分工 task
NOTICE_KIND = "meeting-notice"  # an attendee's 会前提醒: the day before and the day (meetings.defaults)
COMING = (Reply.PENDING, Reply.ATTEND)  # an attendee who will come (请假 and 代会 do not)


def meeting_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()


def _open_deadline(actor, subject, day: date, person: Person, kind: str = KIND) -> Deadline:
    """A Deadline of the 会议 kind that falls due on ``day`` (opened today, or the day before when
    ``day`` is today: a period is at least one day)."""
    start = min(timezone.localdate(), day - timedelta(days=1))
    return reminders.deadline_open(
        actor=actor,
        subject=subject,
        kind=kind,
        start=start,
        amount=(day - start).days,
        unit=PeriodUnit.CALENDAR_DAYS,
        responsible_person=person,
    )


def _open_of(subject, kind: str = KIND) -> list[Deadline]:
    return [d for d in reminders.deadlines_of(subject) if d.state == DeadlineState.OPEN and d.kind_id == kind]


def _intended(deadline: Deadline) -> date:
    """The day the deadline was opened for (before a rest day moved its due date on)."""
    return deadline.start + timedelta(days=deadline.amount)


# --- 会议方案, 预案, 安全保卫 ------------------------------------------------------------------------------

PLAN_FIELDS = ("scheme", "contingency", "security")


def _content_allowed(actor: User, meeting: Meeting, *texts) -> None:
    """Above the deployment's ceiling a meeting keeps no texts (refused, with its audit row: called
    before the transaction, whose rollback would take the row with it)."""
    if any((text or "").strip() for text in texts):
        secrecy.ensure_content_allowed(user=actor_of(actor).user, level=meeting.classification, record=meeting)


def meeting_prepare(*, actor: User, meeting: Meeting, scheme=None, contingency=None, security=None) -> Meeting:
    """修改会议方案: the 方案, 预案 and 安全保卫 (None leaves a field as it is)."""
    MEETING.check(actor, Meeting.objects.get(pk=meeting.pk), "prepare")  # who may, before the ceiling's audit
    _content_allowed(actor, meeting, scheme, contingency, security)
    with transaction.atomic():
        return _prepare(actor, meeting, {"scheme": scheme, "contingency": contingency, "security": security})


def _prepare(actor: User, meeting: Meeting, given: dict) -> Meeting:
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "prepare")
    changed = []
    for name, value in given.items():
        if value is None:
            continue
        value = value.strip()
        if len(value) > 20000:
            raise ValidationError({name: _("内容过长（不超过20000字）。")})
        if getattr(meeting, name) != value:
            setattr(meeting, name, value)
            changed.append(name)
    if not changed:
        return meeting
    meeting.save(update_fields=[*changed, "updated_at"])
    labels = "、".join(str(Meeting._meta.get_field(name).verbose_name) for name in changed)
    MEETING.record(meeting, actor=acting, action=N_("修改会议方案"), comment=labels)
    return meeting


# --- 会务分工 ----------------------------------------------------------------------------------------------


def within_reach(meeting: Meeting, unit: Unit) -> bool:
    """An active unit under the top of the meeting's organ (the units a meeting's pages offer)."""
    top = meeting.organ.lineage_ids()[-1]
    return unit.active and unit.pk in Unit.objects.get(pk=top).subtree_ids()


def _check_task(meeting: Meeting, kind: str, title: str, unit: Unit | None, owner: Person | None, due) -> str:
    errors = {}
    if kind not in TaskKind.values:
        errors["kind"] = _("请选择任务类别。")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写任务内容。")
    if unit is None:
        errors["unit"] = _("请指定责任单位。")
    elif not within_reach(meeting, unit):
        errors["unit"] = _("责任单位应为本地区在用的单位。")
    if owner is None:
        errors["owner"] = _("请指定责任人。")
    elif not owner.active:
        errors["owner"] = _("%(name)s已不在岗，不能作为责任人。") % {"name": owner.name}
    elif owner.clearance < meeting.classification:
        errors["owner"] = _("%(name)s的涉密等级低于会议密级，不能承担会务任务。") % {"name": owner.name}
    if due is None:
        errors["due"] = _("请填写完成时限。")
    elif due < timezone.localdate():
        errors["due"] = _("完成时限不能早于今天。")
    elif due > meeting_day(meeting):
        errors["due"] = _("完成时限不能晚于会议当天（%(day)s）。") % {"day": format_date(meeting_day(meeting))}
    if errors:
        raise ValidationError(errors)
    return title[:120]


@transaction.atomic
def task_add(
    *, actor: User, meeting: Meeting, kind: str, title: str, unit: Unit, owner: Person, due: date, note: str = ""
) -> PrepTask:
    """会务分工: a task, its 责任单位 and 责任人 (active, cleared for the meeting), due by the meeting's
    day at the latest; the 责任人 is reminded by a Deadline of the 会议 kind."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "prepare")
    title = _check_task(meeting, kind, title, unit, owner, due)
    task = PrepTask.objects.create(
        meeting=meeting, kind=kind, title=title, unit=unit, owner=owner, due=due, note=(note or "").strip()[:200]
    )
    try:
        _open_deadline(acting.user, task, due, owner)
    except ValidationError as error:  # he may not see the meeting (not in its 知悉范围)
        raise ValidationError({"owner": error.messages}) from error
    MEETING.record(
        meeting,
        actor=acting,
        action=N_("会务分工"),
        comment=_("%(title)s（%(name)s，%(due)s前）") % {"title": title, "name": owner.name, "due": format_date(due)},
    )
    return task


def _locked_task(task: PrepTask) -> tuple[Meeting, PrepTask]:
    meeting = MEETING.lock(task.meeting)
    task = PrepTask.objects.select_for_update().select_related("owner", "unit").get(pk=task.pk)
    task.meeting = meeting
    return meeting, task


@transaction.atomic
def task_done(*, actor: User, task: PrepTask, note: str = "") -> PrepTask:
    """完成: the task's 责任人 or whoever runs the meeting marks it done; its reminder is met."""
    meeting, task = _locked_task(task)
    acting = actor_of(actor)
    if not completes_task(acting, task):
        raise PermissionDenied(_("会务任务由其责任人或会务员确认完成。"))
    if meeting.state in (MeetingState.CANCELLED, MeetingState.CLOSED):
        raise ValidationError(_("会议“%(state)s”，不能再确认会务任务。") % {"state": meeting.get_state_display()})
    if task.done_at is not None:
        raise ValidationError(_("该任务已于%(day)s完成。") % {"day": format_date(timezone.localdate(task.done_at))})
    task.done_at, task.done_by = timezone.now(), acting.person
    if note.strip():
        task.note = note.strip()[:200]
    task.save(update_fields=["done_at", "done_by", "note"])
    for deadline in _open_of(task):
        reminders.deadline_meet(actor=acting.user, deadline=deadline, reason=_("已完成"))
    MEETING.record(meeting, actor=acting, action=N_("会务任务完成"), comment=task.title)
    return task


@transaction.atomic
def task_remove(*, actor: User, task: PrepTask, reason: str) -> None:
    """撤销 a task (its reminder cancelled, the reason kept in the 流转记录)."""
    meeting, task = _locked_task(task)
    acting = MEETING.check(actor, meeting, "prepare")
    if task.done_at is not None:
        raise ValidationError(_("已完成的会务任务不能撤销。"))
    reason = require_text(reason, "reason", _("请写明撤销该任务的理由。"), 200)
    for deadline in _open_of(task):
        reminders.deadline_cancel(actor=acting.user, deadline=deadline, reason=reason)
    title = task.title
    task.delete()
    MEETING.record(meeting, actor=acting, action=N_("撤销会务任务"), comment=f"{title}：{reason}"[:200])


# --- 分会场 ------------------------------------------------------------------------------------------------


@transaction.atomic
def venue_add(*, actor: User, meeting: Meeting, name: str, unit: Unit | None = None, contact: str = "") -> BranchVenue:
    """增加分会场 (its name once per meeting)."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "prepare")
    name = require_text(name, "name", _("请填写分会场名称。"), 60)
    if meeting.venues.filter(name=name).exists():
        raise ValidationError({"name": _("分会场“%(name)s”已登记。") % {"name": name}})
    if unit is not None and not within_reach(meeting, unit):
        raise ValidationError({"unit": _("承办单位应为本地区在用的单位。")})
    venue = BranchVenue.objects.create(meeting=meeting, name=name, unit=unit, contact=(contact or "").strip()[:60])
    MEETING.record(meeting, actor=acting, action=N_("增加分会场"), comment=name)
    return venue


@transaction.atomic
def venue_remove(*, actor: User, venue: BranchVenue) -> None:
    meeting = MEETING.lock(venue.meeting)
    acting = MEETING.check(actor, meeting, "prepare")
    name = venue.name
    BranchVenue.objects.filter(pk=venue.pk, meeting=meeting).delete()
    MEETING.record(meeting, actor=acting, action=N_("删除分会场"), comment=name)


@transaction.atomic
def venue_test(*, actor: User, venue: BranchVenue, ok: bool, note: str = "") -> BranchVenue:
    """分会场调试: the link tested, normal or not (a failure says what went wrong)."""
    meeting = MEETING.lock(venue.meeting)
    acting = MEETING.check(actor, meeting, "test_venue")
    venue = BranchVenue.objects.select_for_update().get(pk=venue.pk, meeting=meeting)
    note = (note or "").strip()
    if not ok and not note:
        raise ValidationError({"note": _("调试不正常的，请写明问题。")})
    venue.tested_at, venue.tested_by, venue.test_ok, venue.test_note = timezone.now(), acting.person, ok, note[:200]
    venue.save(update_fields=["tested_at", "tested_by", "test_ok", "test_note"])
    result = _("正常") if ok else _("异常：%(note)s") % {"note": venue.test_note}
    MEETING.record(meeting, actor=acting, action=N_("分会场调试"), comment=f"{venue.name}（{result}）"[:200])
    return venue


@transaction.atomic
def venue_check(*, actor: User, meeting: Meeting, note: str = "") -> Meeting:
    """会场保密检查 of a classified meeting: the room swept, phones and other devices left outside."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "check_venue")
    meeting.venue_checked_at, meeting.venue_checked_by = timezone.now(), acting.person
    meeting.save(update_fields=["venue_checked_at", "venue_checked_by", "updated_at"])
    MEETING.record(
        meeting, actor=acting, action=N_("会场保密检查"), comment=(note or "").strip()[:200] or _("检查合格")
    )
    return meeting


# --- 会后 --------------------------------------------------------------------------------------------------


def meeting_summarize(*, actor: User, meeting: Meeting, summary: str) -> Meeting:
    """会后总结 (after the meeting)."""
    MEETING.check(actor, Meeting.objects.get(pk=meeting.pk), "summarize")  # who may, before the text and the ceiling
    summary = require_text(summary, "summary", _("请填写会后总结。"), 20000)
    _content_allowed(actor, meeting, summary)
    with transaction.atomic():
        meeting = MEETING.lock(meeting)
        acting = MEETING.check(actor, meeting, "summarize")
        meeting.summary = summary
        meeting.save(update_fields=["summary", "updated_at"])
        MEETING.record(meeting, actor=acting, action=N_("会后总结"))
        return meeting


def report_series(meeting: Meeting) -> DocumentSeries | None:
    """The organ's 文件格式 series whose 办文部门 is nearest the 会务承办部门."""
    lineage = meeting.organizing_unit.organ_lineage_ids()
    candidates = DocumentSeries.objects.filter(
        organ=meeting.organ, template=SeriesTemplate.STANDARD, active=True
    ).order_by("id")

    def nearness(series: DocumentSeries) -> int:
        return lineage.index(series.office_id) if series.office_id in lineage else len(lineage)

    return min(candidates, key=nearness, default=None)


def report_body(meeting: Meeting) -> str:
    """The 通报's body: the meeting as the 纪要 tells it (when, who, agenda, decisions), then the
    会后总结 when there is one."""
    body = minutes_body(meeting).replace(_("现纪要如下："), _("现将会议情况通报如下："))
    if meeting.summary.strip():
        body += "\n" + _("会后总结：") + meeting.summary.strip()
    return body


@transaction.atomic
def report_draft(*, actor: User, meeting: Meeting) -> OutgoingDocument:
    """起草会议情况通报: a 通报 draft at the meeting's 密级 in the organ's 文件格式 series, its body from
    the meeting; kept as the meeting's ``report_document``."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "draft_report")
    series = report_series(meeting)
    if series is None:
        raise ValidationError({"series": _("本机关没有可用的发文代字（文件格式），请系统管理员设置。")})
    with translation.override(settings.LANGUAGE_CODE):  # a 公文 is written in Chinese, whatever the reader's UI
        title = _("关于%(title)s情况的通报") % {"title": meeting.title}
        body = report_body(meeting) if meeting.classification <= settings.SHUNIU_CLASSIFICATION_CEILING else ""
    document = outgoing.outgoing_create(
        actor=acting.user,
        series=series,
        title=title,
        kind=DocumentKind.BULLETIN,
        level=meeting.classification,
        basis=meeting.classification_basis,
        term_unit=meeting.secrecy_term_unit,
        term_amount=meeting.secrecy_term_amount,
        until=meeting.secrecy_until,
        condition=meeting.declassify_condition,
        body=body,  # above the deployment's ceiling a 发文 is a register entry only: no body
    )
    meeting.report_document = document
    meeting.save(update_fields=["report_document", "updated_at"])
    MEETING.record(meeting, actor=acting, action=N_("起草会议情况通报"), comment=document.title)
    return document


# --- 会前提醒 ----------------------------------------------------------------------------------------------


def materials_reminder_sync(topic: Topic, *, actor: User | None = None) -> None:
    """材料报送: a 议题 on the agenda of a meeting still prepared owes its materials by
    ``rules.materials_due``; its 汇报人 holds a Deadline (of the 会议 kind) until a material of the 议题
    comes in (met), or the 议题 leaves the agenda, or the meeting is held or cancelled (cancelled)."""
    topic = Topic.objects.select_related("meeting__type", "presenter__user").get(pk=topic.pk)
    user = actor_of(actor).user if actor is not None else None
    held = _open_of(topic)
    meeting = topic.meeting
    if topic.materials.exists():
        for deadline in held:
            reminders.deadline_meet(actor=user, deadline=deadline, reason=_("材料已报送"))
        return
    if topic.state != TopicState.PLACED or meeting is None or meeting.state not in PREPARING:
        for deadline in held:
            reminders.deadline_cancel(actor=user, deadline=deadline, reason=_("议题不再待会"))
        return
    due = materials_due(meeting)
    for deadline in held:
        if _intended(deadline) != due:
            reminders.deadline_cancel(actor=user, deadline=deadline, reason=_("会议改期"))
    if due >= timezone.localdate() and not any(_intended(d) == due for d in held):
        _open_deadline(user, topic, due, topic.presenter)


def meeting_reminders_sync(meeting: Meeting, *, actor: User | None = None) -> None:
    """Keep each attendee's reminder in step with the meeting (called inside the services that
    notify, move, cancel, hold it and take 回执): once notified, one open Deadline per attendee who
    will come, due the meeting's day; none for one on 请假 or 代会 (cancelled); all cancelled with
    the meeting (the 会务分工 tasks' too), met once it is held."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    for topic in meeting.topics.filter(state__in=(TopicState.PLACED, TopicState.DISCUSSED, TopicState.APPROVED)):
        materials_reminder_sync(topic, actor=actor)
    user = actor_of(actor).user if actor is not None else None
    rows = list(meeting.attendees.select_related("person__user"))
    day = meeting_day(meeting)
    open_by_person: dict[int, list[Deadline]] = {}
    for deadline in _open_of(meeting, NOTICE_KIND):
        open_by_person.setdefault(deadline.responsible_person_id, []).append(deadline)

    if meeting.state == MeetingState.CANCELLED:
        reason = _("会议已取消")
        for deadlines in open_by_person.values():
            for deadline in deadlines:
                reminders.deadline_cancel(actor=user, deadline=deadline, reason=reason)
        for task in meeting.tasks.filter(done_at__isnull=True):
            for deadline in _open_of(task):
                reminders.deadline_cancel(actor=user, deadline=deadline, reason=reason)
        return
    if meeting.state != MeetingState.NOTIFIED:
        for deadlines in open_by_person.values():  # held (or later): nothing more to remind
            for deadline in deadlines:
                reminders.deadline_meet(actor=user, deadline=deadline, reason=_("会议已召开"))
        return

    coming = {row.person_id: row.person for row in rows if row.reply in COMING and row.person.user.is_active}
    for person_id, deadlines in open_by_person.items():
        for deadline in deadlines:
            if person_id not in coming:
                reminders.deadline_cancel(actor=user, deadline=deadline, reason=_("已请假或委托他人代会"))
            elif _intended(deadline) != day:
                reminders.deadline_cancel(actor=user, deadline=deadline, reason=_("会议改期"))
    kept = {
        person_id
        for person_id, deadlines in open_by_person.items()
        if person_id in coming and any(_intended(d) == day for d in deadlines)
    }
    if day < timezone.localdate():
        return
    for person_id, person in coming.items():
        if person_id not in kept:
            try:
                _open_deadline(user, meeting, day, person, NOTICE_KIND)
            except ValidationError:  # outside the meeting's 知悉范围 (a stale invitation): no reminder
                continue
