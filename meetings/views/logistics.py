"""参会 logistics on a meeting's page: 请假 approval, 座次, 参会证, 分组讨论, 交通食宿 and 报到.

The panel's steps (``ACTIONS``): ``decide_leave`` (the attendee from the step's options), ``arrange``
(one attendee's 排序, 讨论组, 报到日期, 交通, 住宿) and ``register`` (报到). The 讨论组 are set up and
removed from the section itself (``arrange`` too). The printable 座次图 and 参会证 list (``?format=xlsx``
but for a 绝密 meeting) are for the 会务员 and the chair: a meeting out of sight is a 404, one in sight
but not theirs a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from meetings import forms, rules, selectors
from meetings.models import Attendee, AttendeeRole, DiscussionGroup, Meeting
from meetings.views._common import NO_PERSON, Action, _form, _nav, _private, _step
from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404
from office.pages import person_or_403, take_step, watermark

NOT_ARRANGER = gettext_lazy("座次图和参会证名单只向本次会议的会务员和主持人提供。")
NOT_EXPORTABLE = gettext_lazy("绝密会议的参会证名单只能在屏幕上查看，不能导出。")


def _pending(user, meeting: Meeting):
    """The 请假 the person may decide: the step's options."""
    ids = rules.MEETING.step("decide_leave").options(user, meeting)
    return Attendee.objects.filter(meeting=meeting, pk__in=[int(pk) for pk in ids]).select_related("person")


def _attendees(user, meeting: Meeting):
    return meeting.attendees.select_related("person").order_by("precedence", "person__unit__sort_order", "id")


def _groups(user, meeting: Meeting):
    return DiscussionGroup.objects.filter(meeting=meeting)


def _unregistered(user, meeting: Meeting):
    return _attendees(user, meeting).filter(registered_at__isnull=True)


def _people(user, meeting: Meeting):
    from office.org.models import Person

    return Person.objects.filter(pk__in=meeting.attendees.values("person_id")).order_by("name")


def _decided(row: Attendee) -> str:
    if row.leave_approved:
        return _("已同意%(name)s请假。") % {"name": row.person.name}
    return _("已退回%(name)s的请假，请其重新回执。") % {"name": row.person.name}


ACTIONS: dict = {
    "decide_leave": Action(
        "leave_decide", _form(forms.LeaveDecideForm, attendees=_pending), _step("leave_decide", _decided)
    ),
    "arrange": Action(
        "attendee_arrange",
        _form(forms.ArrangeForm, attendees=_attendees, groups=_groups),
        _step("attendee_arrange", lambda row: _("%(name)s的座次、分组和食宿已安排。") % {"name": row.person.name}),
    ),
    "register": Action(
        "attendee_register",
        _form(forms.RegisterForm, attendees=_unregistered),
        _step("attendee_register", lambda row: _("%(name)s已报到。") % {"name": row.person.name}),
    ),
}
HINTS: dict = {
    "decide_leave": gettext_lazy("不同意请假的须写明理由，请假人将重新回执。"),
    "arrange": gettext_lazy("排序小的居中就座；留空的项目保持不变。"),
    "register": gettext_lazy("多日会议的参会人员到达后登记报到。"),
}


def _multi_day(meeting: Meeting) -> bool:
    return timezone.localdate(meeting.ends_at) > timezone.localdate(meeting.starts_at)


def context(user, meeting) -> dict:
    """What ``meetings/_logistics.html`` shows on the meeting's page."""
    rows = list(meeting.attendees.select_related("person__unit", "group", "leave_decided_by", "substitute"))
    groups = list(meeting.groups.select_related("convener").prefetch_related("members__person"))
    may_arrange = rules.MEETING.allows(user, meeting, "arrange")
    deciding = set(rules.MEETING.step("decide_leave").options(user, meeting))
    return {
        "logistics": {
            "pending": [row for row in rows if row.reply == "leave" and row.leave_approved is None],
            "deciding": {int(pk) for pk in deciding},
            "groups": groups,
            "rows": sorted(rows, key=lambda r: (r.role != AttendeeRole.ATTEND, r.precedence, r.person.unit.sort_order)),
            "multi_day": _multi_day(meeting),
            "may_register": rules.MEETING.allows(user, meeting, "register"),
            "may_arrange": may_arrange,
            "may_print": rules.prints_lists(user, meeting),
            "group_form": forms.GroupAddForm(people=_people(user, meeting), auto_id="id_group_add_%s")
            if may_arrange
            else None,
        }
    }


# --- the printable pages ---------------------------------------------------------------------------


def _printable(request, pk) -> Meeting:
    meeting = get_visible_or_404(
        Meeting.objects.select_related("organ", "type", "room", "chair", "organizer", "organizing_unit"),
        request.user,
        pk,
    )
    if not rules.prints_lists(request.user, meeting):
        raise PermissionDenied(str(NOT_ARRANGER))
    return meeting


def _page_context(request, meeting: Meeting) -> dict:
    return {**_nav(request, "meetings"), "record": meeting, "watermark": watermark(request.user, meeting)}


@login_required
@require_GET
def seating_page(request, pk):
    """The 座次图: the 主席台 as a row of seats (seen from the hall), the 列席 rows below it."""
    meeting = _printable(request, pk)
    audit.record_read(request.user, meeting, request=request)
    context = {**_page_context(request, meeting), "chart": selectors.seating(meeting)}
    return _private(render(request, "meetings/seating.html", context))


@login_required
@require_GET
def badges_page(request, pk):
    """The 参会证 list on screen, or as .xlsx (``?format=xlsx``; never a 绝密 meeting's)."""
    meeting = _printable(request, pk)
    rows = selectors.badges(meeting)
    if request.GET.get("format") == "xlsx":
        if not rules.exportable(meeting):
            raise PermissionDenied(str(NOT_EXPORTABLE))
        from meetings.exports import badges_workbook
        from office.api.helpers import XLSX, download

        audit.record_read(request.user, meeting, request=request, action=AuditAction.EXPORT)
        return download(badges_workbook(meeting, rows), content_type=XLSX, filename=f"参会证-{meeting.pk}.xlsx")
    audit.record_read(request.user, meeting, request=request)
    context = {**_page_context(request, meeting), "rows": rows, "exportable": rules.exportable(meeting)}
    return _private(render(request, "meetings/badges.html", context))


# --- 讨论组 (the ``arrange`` step, from the section) ------------------------------------------------------


def _group_post(request, pk, make_form, perform):
    from meetings.views import _meeting_page, _visible  # the meeting page imports this module

    meeting = _visible(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = make_form(request.POST, meeting)
    status = take_step(request, form, lambda: perform(meeting, form.cleaned_data))
    if status is None:
        return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#logistics")
    if status == 400:  # the field errors, told above the page
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _meeting_page(request, _visible(request, pk), None, status)


@login_required
@require_POST
def group_add(request, pk):
    from meetings import services

    def perform(meeting, data):
        group = services.group_add(actor=request.user, meeting=meeting, **data)
        return _("讨论组“%(name)s”已设立。") % {"name": group.name}

    return _group_post(request, pk, lambda data, m: forms.GroupAddForm(data, people=_people(request.user, m)), perform)


@login_required
@require_POST
def group_remove(request, pk):
    from meetings import services

    def perform(meeting, data):
        services.group_remove(actor=request.user, meeting=meeting, group=data["group"])
        return _("讨论组“%(name)s”已撤销。") % {"name": data["group"].name}

    return _group_post(
        request, pk, lambda data, m: forms.GroupRemoveForm(data, groups=_groups(request.user, m)), perform
    )


urlpatterns: list = [
    path("<int:pk>/seating/", seating_page, name="meeting_seating"),
    path("<int:pk>/badges/", badges_page, name="meeting_badges"),
    path("<int:pk>/groups/add/", group_add, name="meeting_group_add"),
    path("<int:pk>/groups/remove/", group_remove, name="meeting_group_remove"),
]
