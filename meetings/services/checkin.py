"""签到: the room's rotating code, 扫码签到 by the attendee himself, 会务员代签, and the figures.

The screen in the room shows a QR code of a signed token naming the meeting and the current time
window (``SHUNIU_CHECKIN_WINDOW_SECONDS``, 30 s by default): a token of this window or the one before
is accepted (a code read at the very end of its window still works), an older one is refused — a
photographed code sent on to someone who is not in the room is stale after a minute. Sign-in is open
from one hour before the meeting until its end, while it is 已通知 or 已召开; a second scan keeps the
first time. Each scan writes the attendee's row only (no 流转记录 per person: there are too many);
a 会务员's 代签 is recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from meetings.models import Attendee, AttendeeRole, CheckIn, Meeting, MeetingState, Reply
from meetings.rules import MEETING
from office.confidentiality.visibility import person_of
from office.org.models import User
from office.workflow import TransitionNotAllowed
from office.workflow.machine import actor_of

__all__ = ["attendance", "check_in", "checkin_token", "sign_in"]

SALT = "meetings.checkin"
OPEN_BEFORE = timedelta(hours=1)  # sign-in opens an hour before the meeting starts
SIGNING_IN = (MeetingState.NOTIFIED, MeetingState.HELD)


def window_seconds() -> int:
    return int(getattr(settings, "SHUNIU_CHECKIN_WINDOW_SECONDS", 30))


def window_of(at: datetime | None = None) -> int:
    """The number of the time window ``at`` (default: now) falls in."""
    at = at or timezone.now()
    return int(at.timestamp() // window_seconds())


def checkin_token(meeting: Meeting, at: datetime | None = None) -> str:
    """The code shown in the room now (or at ``at``): the meeting and the window, signed."""
    return signing.Signer(salt=SALT).sign(f"{meeting.pk}:{window_of(at)}")


def _token_window(meeting: Meeting, token: str) -> int:
    """The window ``token`` was shown in, once it is a genuine code of this meeting."""
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
        pk, window = (int(part) for part in value.split(":"))
    except (signing.BadSignature, ValueError):
        raise ValidationError({"token": _("签到码无效，请扫描会场显示的二维码。")}) from None
    if pk != meeting.pk:
        raise ValidationError({"token": _("该签到码不是本次会议的，请扫描本会场显示的二维码。")})
    return window


def _own_row(person, meeting: Meeting) -> Attendee | None:
    """The person's own row, or the row he attends for as 代会人."""
    rows = Attendee.objects.select_for_update().filter(meeting=meeting)
    return (
        rows.filter(person=person).first()
        or rows.filter(substitute=person, reply=Reply.SUBSTITUTE).order_by("id").first()
    )


def _require_state(meeting: Meeting) -> None:
    if meeting.state not in SIGNING_IN:
        raise TransitionNotAllowed(_("会议“%(state)s”，不能签到。") % {"state": meeting.get_state_display()})


def _require_time(meeting: Meeting) -> None:
    now = timezone.now()
    if now < meeting.starts_at - OPEN_BEFORE:
        raise TransitionNotAllowed(_("签到尚未开始：会前一小时起方可签到。"))
    if now > meeting.ends_at:
        raise TransitionNotAllowed(_("会议已经结束，签到已关闭。"))


@transaction.atomic
def check_in(*, actor: User, meeting: Meeting, token: str) -> Attendee:
    """扫码签到: the attendee (or his 代会人) signs himself in with the code shown in the room now."""
    acting = actor_of(actor)
    meeting = Meeting.objects.get(pk=meeting.pk)  # its state now (no lock: scans run side by side)
    _require_state(meeting)
    row = _own_row(person_of(acting.user), meeting)
    if row is None:
        raise PermissionDenied(_("您不在本次会议的参会名单中。"))
    _require_time(meeting)
    shown = _token_window(meeting, token)
    if not 0 <= window_of() - shown <= 1:
        raise ValidationError({"token": _("签到码已过期，请扫描会场当前显示的二维码。")})
    if row.checked_in_at is not None:
        return row  # the first time stands
    row.checked_in_at, row.check_in, row.checked_in_by = timezone.now(), CheckIn.QR, None
    row.save(update_fields=["checked_in_at", "check_in", "checked_in_by"])
    return row


@transaction.atomic
def sign_in(*, actor: User, meeting: Meeting, attendee: Attendee) -> Attendee:
    """会务员代签: the 会务员 signs an attendee in (he came without his phone); a second time keeps
    the first."""
    meeting = MEETING.lock(meeting)
    acting = MEETING.check(actor, meeting, "sign_in")
    row = Attendee.objects.select_for_update().filter(pk=attendee.pk, meeting=meeting).select_related("person").first()
    if row is None:
        raise ValidationError({"attendee": _("该人员不在本次会议的参会名单中。")})
    if row.checked_in_at is not None:
        return row
    row.checked_in_at, row.check_in, row.checked_in_by = timezone.now(), CheckIn.MANUAL, person_of(acting.user)
    row.save(update_fields=["checked_in_at", "check_in", "checked_in_by"])
    MEETING.record(meeting, actor=acting, action=N_("代为签到"), comment=row.person.name)
    return row


def _rate(attended: int, expected: int) -> Decimal | None:
    if expected <= 0:
        return None
    return (Decimal(100 * attended) / Decimal(expected)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attendance(meeting: Meeting) -> dict:
    """The meeting's 签到情况, counted over the people invited to take part (出席 and 列席; the 工作人员
    are not counted, as in ``meetings.figures``):

    - ``invited``; ``attended`` (signed in, by code or by the 会务员);
    - ``on_leave``: 请假 and not signed in (one who asked leave and came anyway attended);
    - ``absent``: neither signed in nor on leave, once the meeting has begun (0 before);
    - ``late``: signed in after the start;
    - ``rate``: 出席率 in per cent, attended / (invited − on_leave), a Decimal to 0.1 (None when
      nobody is expected);
    - ``late_names``, ``absent_names``, ``leave_names``: the people, in the list's order.
    """
    rows = list(meeting.attendees.exclude(role=AttendeeRole.STAFF).select_related("person", "substitute"))
    begun = timezone.now() >= meeting.starts_at
    # A 代会 substitute has a row of his own: he and the one he stands for are one seat, counted on
    # the principal's row, signed in when either row is.
    own = {r.person_id: r for r in rows}
    stand_ins = {r.substitute_id: r for r in rows if r.reply == Reply.SUBSTITUTE and r.substitute_id in own}
    for person_id, principal in stand_ins.items():
        times = [t for t in (principal.checked_in_at, own[person_id].checked_in_at) if t is not None]
        principal.checked_in_at = min(times) if times else None
    rows = [r for r in rows if r.person_id not in stand_ins]

    def name(row: Attendee) -> str:
        if row.reply == Reply.SUBSTITUTE and row.substitute is not None:
            return _("%(substitute)s（代%(person)s）") % {"substitute": row.substitute.name, "person": row.person.name}
        return row.person.name

    attended = [r for r in rows if r.checked_in_at is not None]
    leave = [r for r in rows if r.checked_in_at is None and r.reply == Reply.LEAVE]
    absent = [r for r in rows if begun and r.checked_in_at is None and r.reply != Reply.LEAVE]
    late = [r for r in attended if r.checked_in_at > meeting.starts_at]
    return {
        "invited": len(rows),
        "attended": len(attended),
        "on_leave": len(leave),
        "absent": len(absent),
        "late": len(late),
        "rate": _rate(len(attended), len(rows) - len(leave)),
        "late_names": [name(r) for r in late],
        "absent_names": [name(r) for r in absent],
        "leave_names": [r.person.name for r in leave],
    }
