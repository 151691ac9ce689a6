"""参会 logistics: 请假审批 (the chair or the 会务员; a refused leave sends the attendee back to 未回执),
座次 and 分组讨论 (排序, the group, its 召集人 and place), 交通食宿 and 报到 (once, stamped).

The 座次图 and the 参会证 list are reads: ``meetings.selectors.seating`` and ``badges``."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import Attendee, DiscussionGroup, Meeting, MeetingState, Reply
from meetings.rules import MEETING, chairs, leaves_to_decide, runs
from meetings.services._common import notify, require_text, sync_schedule
from office.org.models import Person, User
from office.workflow import TransitionNotAllowed, person_acting

__all__ = [
    "attendee_arrange",
    "attendee_register",
    "group_add",
    "group_remove",
    "leave_decide",
]

EARLIEST_ARRIVAL = timedelta(days=3)  # 报到 at most three days before the meeting
MAX_PRECEDENCE = 9999


def _row(meeting: Meeting, attendee: Attendee | int) -> Attendee:
    """The attendee's row of this meeting, locked; another meeting's row is a field error."""
    pk = attendee.pk if isinstance(attendee, Attendee) else attendee
    row = (
        Attendee.objects.select_for_update(of=("self",))
        .select_related("person", "person__unit")
        .filter(pk=pk, meeting=meeting)
        .first()
    )
    if row is None:
        raise ValidationError({"attendee": _("该人员不在本次会议的参会名单中。")})
    return row


# --- 请假审批 --------------------------------------------------------------------------------------------


@transaction.atomic
def leave_decide(*, actor: User, meeting: Meeting, attendee: Attendee, approve: bool, note: str = "") -> Attendee:
    """审批请假 (the chair or the 会务员): approved, he is 请假 for good; refused (with the reason), his
    回执 goes back to 未回执 and he is told to reply again."""
    meeting = MEETING.lock(meeting)
    if not (chairs(actor, meeting) or runs(actor, meeting)):
        MEETING.check(actor, meeting, "decide_leave")  # not his step: 403 (or 409 for the state)
    row = _row(meeting, attendee)
    if row.person_id == person_acting(actor).pk:
        raise PermissionDenied(_("不能审批本人的请假。"))
    if row.reply != Reply.LEAVE or row.leave_approved is not None:
        raise TransitionNotAllowed(_("%(name)s没有待审批的请假。") % {"name": row.person.name})
    acting = MEETING.check(actor, meeting, "decide_leave")
    if str(row.pk) not in leaves_to_decide(acting, meeting):
        raise TransitionNotAllowed(_("%(name)s没有待审批的请假。") % {"name": row.person.name})
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("请写明不同意请假的理由。")})
    row.leave_approved = bool(approve)
    row.leave_decided_by = acting.person
    fields = ["leave_approved", "leave_decided_by"]
    if not approve:
        row.reply, row.replied_at = Reply.PENDING, None
        fields += ["reply", "replied_at"]
    row.save(update_fields=fields)
    action = N_("同意请假") if approve else N_("不同意请假")
    comment = row.person.name + (f"：{note[:200]}" if note else "")
    MEETING.record(meeting, actor=acting, action=action, comment=comment)
    if approve:
        notify(row.person, _("您的请假已获批准：%(title)s"), meeting)
    else:
        notify(row.person, _("您的请假未获批准，请重新回执：%(title)s（%(note)s）"), meeting, note=note[:200])
        if meeting.state == MeetingState.NOTIFIED:
            sync_schedule(meeting)  # a leader whose leave is refused is expected again
    return row


# --- 座次, 分组, 交通食宿 -------------------------------------------------------------------------------


def _arrival_window(meeting: Meeting) -> tuple[date, date]:
    first = timezone.localdate(meeting.starts_at)
    return first - EARLIEST_ARRIVAL, timezone.localdate(meeting.ends_at)


def _group_of(meeting: Meeting, group) -> DiscussionGroup:
    pk = group.pk if isinstance(group, DiscussionGroup) else group
    found = DiscussionGroup.objects.filter(pk=pk, meeting=meeting).first() if pk else None
    if found is None:
        raise ValidationError({"group": _("请选择本次会议的讨论组。")})
    return found


@transaction.atomic
def attendee_arrange(
    *,
    actor: User,
    meeting: Meeting,
    attendee: Attendee,
    precedence: int | None = None,
    group: DiscussionGroup | bool | None = None,
    arrives_on: date | None = None,
    transport: str | None = None,
    lodging: str | None = None,
) -> Attendee:
    """安排座次、分组和食宿 of one attendee (the 会务员, before the meeting): only what is given changes
    (``None``: as it was; ``group=False``: out of any group; ``""``: no 交通 or 住宿)."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "arrange")
    row = _row(meeting, attendee)
    changed: dict[str, object] = {}
    if precedence is not None:
        if isinstance(precedence, bool) or not isinstance(precedence, int) or not 0 <= precedence <= MAX_PRECEDENCE:
            raise ValidationError({"precedence": _("排序须是0至%(max)d之间的整数。") % {"max": MAX_PRECEDENCE}})
        changed["precedence"] = precedence
    if group is False:
        changed["group"] = None
    elif group is not None:
        changed["group"] = _group_of(meeting, group)
    if arrives_on is not None:
        first, last = _arrival_window(meeting)
        if not first <= arrives_on <= last:
            raise ValidationError(
                {
                    "arrives_on": _("报到日期须在%(first)s至%(last)s之间（会前三日至会议结束）。")
                    % {"first": f"{first.month}月{first.day}日", "last": f"{last.month}月{last.day}日"}
                }
            )
        changed["arrives_on"] = arrives_on
    if transport is not None:
        changed["transport"] = transport.strip()[:100]
    if lodging is not None:
        changed["lodging"] = lodging.strip()[:100]
    if not changed:
        raise ValidationError({"precedence": _("请填写要安排的排序、讨论组、报到日期、交通或住宿。")})
    for name, value in changed.items():
        setattr(row, name, value)
    row.save(update_fields=list(changed))
    MEETING.record(meeting, actor=acting, action=N_("安排座次、分组和食宿"), comment=row.person.name)
    return row


@transaction.atomic
def group_add(
    *, actor: User, meeting: Meeting, name: str, convener: Person | None = None, place: str = ""
) -> DiscussionGroup:
    """分组讨论: a new group (its name unique in the meeting), its 召集人 one of the attendees."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "arrange")
    name = require_text(name, "name", _("请填写组名。"), 40)
    if meeting.groups.filter(name=name).exists():
        raise ValidationError({"name": _("本次会议已有“%(name)s”。") % {"name": name}})
    if convener is not None and not meeting.attendees.filter(person=convener).exists():
        raise ValidationError({"convener": _("召集人须是本次会议的参会人员。")})
    order = (meeting.groups.aggregate(last=Max("order"))["last"] or 0) + 1
    group = DiscussionGroup.objects.create(
        meeting=meeting, name=name, convener=convener, place=(place or "").strip()[:100], order=order
    )
    MEETING.record(meeting, actor=acting, action=N_("设立讨论组"), comment=name)
    return group


@transaction.atomic
def group_remove(*, actor: User, meeting: Meeting, group: DiscussionGroup) -> None:
    """撤销讨论组: its members are left without a group."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "arrange")
    found = _group_of(meeting, group)
    name = found.name
    found.delete()
    MEETING.record(meeting, actor=acting, action=N_("撤销讨论组"), comment=name)


# --- 报到 ----------------------------------------------------------------------------------------------


@transaction.atomic
def attendee_register(*, actor: User, meeting: Meeting, attendee: Attendee) -> Attendee:
    """报到 (the 会务员, once the notice is out): stamped once; a second time is refused."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "register")
    row = _row(meeting, attendee)
    if row.registered_at is not None:
        at = timezone.localtime(row.registered_at)
        raise TransitionNotAllowed(
            _("%(name)s已于%(when)s报到。") % {"name": row.person.name, "when": f"{at.month}月{at.day}日 {at:%H:%M}"}
        )
    row.registered_at = timezone.now()
    row.save(update_fields=["registered_at"])
    MEETING.record(meeting, actor=acting, action=N_("报到"), comment=row.person.name)
    return row
