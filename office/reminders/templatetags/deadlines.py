"""``{% deadline_badge deadline %}``: a deadline's due date, the time left and its colour, with
the derivation on hover. One working-day calendar serves the whole request, so a page of badges
costs the calendar's few queries once, not once per row."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from office.reminders import selectors
from office.workdays.services import PeriodUnit, WorkCalendar, current_calendar

register = template.Library()

TONE_CLASSES = {
    "green": "text-bg-success",
    "yellow": "text-bg-warning",
    "red": "text-bg-danger",
    "grey": "text-bg-secondary",
    "closed": "text-bg-light border",
}

EVENT_LABELS = {
    "open": _("设立"),
    "suspend": _("中止"),
    "late-suspend": _("补登中止"),
    "resume": _("恢复计算"),
    "extend": _("延期"),
    "meet": _("办结"),
    "cancel": _("撤销"),
}


def work_calendar(context) -> WorkCalendar:
    """The request's calendar (or this render's, outside a request)."""
    if context.get("request") is None:
        return context.render_context.setdefault("work_calendar", WorkCalendar())
    return current_calendar()


@register.inclusion_tag("reminders/partials/deadline_badge.html", takes_context=True)
def deadline_badge(context, deadline):
    status = selectors.deadline_status(deadline, today=timezone.localdate(), calendar=work_calendar(context))
    return {
        "deadline": deadline,
        "status": status,
        "tone_class": TONE_CLASSES[status.tone],
    }


@register.filter
def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


@register.filter
def local_link(link: str) -> str:
    """A notification's link only when it stays on this site (a path, never a scheme or host)."""
    link = (link or "").strip()
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return ""


@register.filter
def period(deadline) -> str:
    """The clock's period in words: 5个工作日, 60日, 3个月."""
    if deadline.unit == PeriodUnit.WORKING_DAYS:
        return gettext("%(n)d个工作日") % {"n": deadline.amount}
    return f"{deadline.amount}{deadline.get_unit_display()}"
