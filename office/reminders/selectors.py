"""Reads of deadlines and notifications for the person asking (pages, the bell, the API).

A deadline's own row is the responsible person's business, but its subject is a record with its
own 知悉范围: the subject's title (kept in ``subject_repr``) is shown only where the person may see
the record itself (``visible_to``), whatever its level. ``subject_labels`` decides that for a whole
page at once, one query per record type; ``travelling_title`` for a text that is stored or mailed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.confidentiality.visibility import lineage_of, person_of
from office.reminders.models import Deadline, DeadlineEvent, DeadlineState, Notification
from office.workdays.services import PeriodUnit, WorkCalendar, format_date

# How many of a deadline's latest events the 我的期限 page shows.
RECENT_EVENTS = 3
# Green while more working days than this remain; yellow from here down to the due day itself.
WARN_WORKING_DAYS = 3


def masked_label() -> str:
    """What a subject the reader may not see is called, wherever it would be named."""
    return _("一项您无权查看的事项")


def travelling_classified_label() -> str:
    """What a classified subject the reader may see is called in texts that leave the screen (an
    in-app notification is stored, an email travels): its title stays in the system."""
    return _("一项涉密事项（请登录系统查看）")


# --- Deadlines ---------------------------------------------------------------------------------


def my_deadlines(*, user, states: Iterable[str] = (DeadlineState.OPEN,)) -> QuerySet[Deadline]:
    """The deadlines ``user`` answers for: those naming them as 承办人, and those given to their
    unit (or a unit above it) without a named person. Soonest first, suspended ones (no due date)
    last. Subjects are not loaded: label them with :func:`subject_labels`."""
    person = person_of(user)
    if person is None:
        return Deadline.objects.none()
    mine = Q(responsible_person=person) | Q(responsible_person__isnull=True, responsible_unit__in=lineage_of(person))
    return (
        Deadline.objects.filter(mine, state__in=list(states))
        .select_related("kind", "responsible_person", "responsible_unit")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def with_recent_events(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Each deadline's latest events as ``recent_events`` (one query for the whole page)."""
    events = DeadlineEvent.objects.select_related("actor__person").order_by("-at", "-id")
    return deadlines.prefetch_related(Prefetch("events", queryset=events[:RECENT_EVENTS], to_attr="recent_events"))


def subject_labels(deadlines: Iterable[Deadline], *, user) -> dict[int, str]:
    """What to call each deadline's subject for ``user``: its title where ``user`` may see the record
    it belongs to (``visible_to``, the rule every read starts from), otherwise :func:`masked_label`
    — whatever the record's level: an 内部 record of another organ is as closed to him as a secret.

    One query per subject type on the page (besides the person's unit chain, loaded once), however
    many deadlines. A subject whose record type is gone is masked too: no proof, no title."""
    deadlines = list(deadlines)
    wanted: dict[int, set[int]] = defaultdict(set)
    for deadline in deadlines:
        wanted[deadline.content_type_id].add(deadline.object_id)
    hidden: set[tuple[int, int]] = set()
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        shown = set() if model is None else visible_subject_ids(model, ids, user=user)
        hidden |= {(content_type_id, pk) for pk in ids - shown}
    masked = masked_label()
    return {
        deadline.pk: masked if (deadline.content_type_id, deadline.object_id) in hidden else deadline.subject_repr
        for deadline in deadlines
    }


def subject_label(deadline: Deadline, user) -> str:
    """:func:`subject_labels` for one deadline."""
    return subject_labels([deadline], user=user)[deadline.pk]


def visible_subject_ids(model, ids: Iterable[int], *, user) -> set[int]:
    """Which of ``ids`` (subjects of type ``model``) ``user`` may see, in one query: a classifiable
    record through its own ``visible_to``; a part of one (a task of a supervised item, a reader of
    a circulated document: ``classified_parent``) through its record's. A subject of no record (a
    stand-in, a 份号 row named by its number only) names nothing secret and is shown."""
    ids = set(ids)
    if _is_classifiable(model):
        visible = model.objects.visible_to(user).filter(pk__in=ids)
    elif parent := getattr(model, "classified_parent", None):
        parent_model = _related_model(model, parent)
        visible = model._default_manager.filter(
            pk__in=ids, **{f"{parent}__in": parent_model.objects.visible_to(user).values("pk")}
        )
    else:
        return ids
    return set(visible.values_list("pk", flat=True))


def record_of(subject):
    """The classifiable record ``subject`` belongs to: itself, its ``classified_parent``, or None
    for a subject of no record."""
    model = type(subject)
    if _is_classifiable(model):
        return subject
    if path := getattr(model, "classified_parent", None):
        record = subject
        for name in path.split("__"):
            record = getattr(record, name)
        return record
    return None


def may_see_subject(subject, user) -> bool:
    """:func:`visible_subject_ids` for one subject (a record, a part of one, or a stand-in)."""
    return subject.pk in visible_subject_ids(type(subject), [subject.pk], user=user)


def travelling_title(subject, user, *, title: str | None = None) -> str:
    """What a notification or an email to ``user`` may call ``subject``: nothing he may not see
    (:func:`masked_label`), and no classified title even when he may (it would sit in a stored text
    or travel by mail): :func:`travelling_classified_label`. ``title`` defaults to ``str(subject)``."""
    if subject is None or not may_see_subject(subject, user):
        return masked_label()
    record = record_of(subject)
    if record is not None and record.classification > Level.INTERNAL:
        return travelling_classified_label()
    return str(subject) if title is None else title


def _related_model(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def _is_classifiable(model) -> bool:
    fields = {field.name for field in model._meta.get_fields()}
    return "classification" in fields and hasattr(model.objects, "visible_to")


# --- How much time is left ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineStatus:
    """What the deadline badge shows: a tone (green, yellow, red, grey, closed) and words."""

    tone: str
    text: str
    due_label: str
    days_left: int | None  # in the clock's unit; 0 on the due day; negative: calendar days overdue
    overdue: bool


def deadline_status(deadline: Deadline, *, today: date, calendar: WorkCalendar) -> DeadlineStatus:
    """Days left in the clock's unit (working days for a working-day clock, calendar days for
    calendar-day and month clocks); the colour always by working days, so a long holiday ahead
    turns a deadline yellow while many calendar days remain. Pass one calendar for a whole page."""
    due = deadline.due_date
    due_label = format_date(due) if due else ""
    if deadline.state == DeadlineState.MET:
        return DeadlineStatus("closed", _("已办结"), due_label, None, False)
    if deadline.state == DeadlineState.CANCELLED:
        return DeadlineStatus("closed", _("已撤销"), due_label, None, False)
    if deadline.suspended or due is None:
        return DeadlineStatus("grey", _("中止中"), due_label, None, False)
    if due < today:
        late = (today - due).days
        return DeadlineStatus("red", _("逾期%(n)d日") % {"n": late}, due_label, -late, True)
    if due == today:
        return DeadlineStatus("yellow", _("今日届满"), due_label, 0, False)
    if deadline.unit == PeriodUnit.WORKING_DAYS:
        working = working_days_after(today, due, calendar)
        text, left = _("剩%(n)d个工作日") % {"n": working}, working
    else:
        # Only whether more than the warning span remains matters for the colour.
        working = working_days_after(today, due, calendar, stop_after=WARN_WORKING_DAYS)
        left = (due - today).days
        text = _("剩%(n)d日") % {"n": left}
    tone = "green" if working > WARN_WORKING_DAYS else "yellow"
    return DeadlineStatus(tone, text, due_label, left, False)


def working_days_after(today: date, due: date, calendar: WorkCalendar, *, stop_after: int | None = None) -> int:
    """Working days from the day after ``today`` up to and including ``due`` (stopping early once
    more than ``stop_after`` are found)."""
    count, day = 0, today
    while day < due:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            count += 1
            if stop_after is not None and count > stop_after:
                break
    return count


# --- Notifications -----------------------------------------------------------------------------


def notifications_for(user) -> QuerySet[Notification]:
    """The person's own notifications, newest first (no one reads another's)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
