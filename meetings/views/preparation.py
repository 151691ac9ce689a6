"""会务筹备 on a meeting's page: the 会议方案 and 预案, 会务分工 tasks (each a Deadline), 分会场 and
their 调试, the 会场保密检查 of a classified meeting (no phones), 安全保卫, and after the meeting the
会后总结 and the 会议情况通报.

The steps ``prepare``, ``test_venue``, ``check_venue``, ``summarize`` and ``draft_report`` join the
meeting page's panel (``ACTIONS``); adding a task or a 分会场, marking a task done and removing one
are the POST-only routes of ``urlpatterns``, each from a meeting the person may see (else 404)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings import forms, rules, services
from meetings.models import Meeting, PrepTask
from meetings.views._common import NO_PERSON, Action, _form, _people, _plain, _step, _units
from office.confidentiality.levels import Level
from office.pages import person_or_403, take_step

SOON_DAYS = 1  # a task due within this many days (and not done) shows as 即将到期


def _initial(*names: str):
    """The form of a step whose fields start from the meeting's own values."""

    def make(form_class):
        def build(data, files, user, meeting, **kwargs):
            if data is None:
                kwargs["initial"] = {name: getattr(meeting, name) for name in names}
            return form_class(data, files, **kwargs)

        return build

    return make


ACTIONS: dict = {
    "prepare": Action(
        "meeting_prepare",
        _initial("scheme", "contingency", "security")(forms.PrepareForm),
        _step("meeting_prepare", gettext_lazy("会议方案已保存。")),
    ),
    "test_venue": Action(
        "venue_test",
        _form(forms.VenueTestForm, venues=lambda user, meeting: meeting.venues.all()),
        _step(
            "venue_test",
            lambda venue: (
                (_("%(name)s调试正常。") if venue.test_ok else _("%(name)s调试异常，已登记。")) % {"name": venue.name}
            ),
            record=None,
        ),
    ),
    "check_venue": Action(
        "venue_check", _plain(forms.VenueCheckForm), _step("venue_check", gettext_lazy("会场保密检查已登记。"))
    ),
    "summarize": Action(
        "meeting_summarize",
        _initial("summary")(forms.SummaryForm),
        _step("meeting_summarize", gettext_lazy("会后总结已保存。")),
    ),
    "draft_report": Action(
        "report_draft",
        _plain(forms.EmptyForm),
        _step("report_draft", lambda document: _("会议情况通报已起草：%(title)s") % {"title": document.title}),
    ),
}

HINTS: dict = {
    "prepare": gettext_lazy("会务分工和分会场在“会务筹备”一栏中安排。"),
    "check_venue": gettext_lazy("涉密会议召开前检查会场，手机等电子设备统一存放，不得带入会场。"),
    "test_venue": gettext_lazy("会前逐个调试分会场的视频音频；异常的写明问题。"),
    "draft_report": gettext_lazy("以通报起草发文，正文载明会议情况、出席人员和议定事项。"),
}


# --- What the section shows --------------------------------------------------------------------------


def _light(task: PrepTask, today) -> tuple[str, str]:
    """(the 状态 text, its Bootstrap colour)."""
    if task.done_at is not None:
        return _("已完成"), "success"
    if task.due < today:
        return _("已逾期"), "danger"
    if task.due <= today + timedelta(days=SOON_DAYS):
        return _("即将到期"), "warning"
    return _("进行中"), "secondary"


def _report_link(user, meeting: Meeting) -> str | None:
    from documents.models import OutgoingDocument

    if meeting.report_document_id is None:
        return None
    if not OutgoingDocument.objects.visible_to(user).filter(pk=meeting.report_document_id).exists():
        return None
    return reverse("documents:outgoing_detail", args=[meeting.report_document_id])


def context(user, meeting) -> dict:
    """What ``meetings/_preparation.html`` shows on the meeting's page."""
    today = timezone.localdate()
    offered = rules.MEETING.offered(user, meeting)
    may_prepare = "prepare" in offered
    tasks = []
    for task in meeting.tasks.select_related("unit", "owner", "done_by").order_by("due", "id"):
        task.meeting = meeting
        label, colour = _light(task, today)
        tasks.append(
            {
                "task": task,
                "light": label,
                "colour": colour,
                "may_complete": rules.may_complete_task(user, task),
                "may_remove": rules.may_remove_task(user, task),
            }
        )
    return {
        "prep_tasks": tasks,
        "prep_venues": list(meeting.venues.select_related("unit", "tested_by")),
        "prep_may_prepare": may_prepare,
        "prep_task_form": forms.PrepTaskForm(units=_units(user), people=_people(user), auto_id="id_task_%s")
        if may_prepare
        else None,
        "prep_venue_form": forms.VenueForm(units=_units(user), auto_id="id_venue_%s") if may_prepare else None,
        "prep_check_needed": meeting.classification >= Level.CONFIDENTIAL,
        "prep_no_phones": meeting.classification >= Level.CONFIDENTIAL,
        "prep_report_link": _report_link(user, meeting),
    }


# --- The routes (POST only) ----------------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    from meetings.views import _visible

    return _visible(request, pk)


def _back(meeting: Meeting):
    return redirect(reverse("meetings:meeting", args=[meeting.pk]))


def _post(request, meeting: Meeting, form, perform):
    """Take the service for a valid ``form``; back to the page, or the page again with the refusal or
    the field errors (their messages queued) and its status."""
    from meetings.views import _meeting_page

    person_or_403(request.user, NO_PERSON)
    status = take_step(request, form, perform)
    if status is None:
        return _back(meeting)
    if status == 400:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    return _meeting_page(request, _meeting(request, meeting.pk), None, status)


def _task(meeting: Meeting, task_pk: int) -> PrepTask:
    task = get_object_or_404(PrepTask.objects.select_related("owner", "unit"), pk=task_pk, meeting=meeting)
    task.meeting = meeting
    return task


@login_required
@require_POST
def task_add(request, pk):
    meeting = _meeting(request, pk)
    form = forms.PrepTaskForm(
        request.POST, units=_units(request.user), people=_people(request.user), auto_id="id_task_%s"
    )

    def perform():
        task = services.task_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        return _("已安排会务任务：%(title)s") % {"title": task.title}

    return _post(request, meeting, form, perform)


@login_required
@require_POST
def task_done(request, pk, task):
    meeting = _meeting(request, pk)
    row = _task(meeting, task)
    form = forms.TaskDoneForm(request.POST)

    def perform():
        services.task_done(actor=request.user, task=row, **form.cleaned_data)
        return _("会务任务已完成：%(title)s") % {"title": row.title}

    return _post(request, meeting, form, perform)


@login_required
@require_POST
def task_remove(request, pk, task):
    meeting = _meeting(request, pk)
    row = _task(meeting, task)
    form = forms.TaskRemoveForm(request.POST)

    def perform():
        services.task_remove(actor=request.user, task=row, **form.cleaned_data)
        return _("会务任务已撤销：%(title)s") % {"title": row.title}

    return _post(request, meeting, form, perform)


@login_required
@require_POST
def venue_add(request, pk):
    meeting = _meeting(request, pk)
    form = forms.VenueForm(request.POST, units=_units(request.user), auto_id="id_venue_%s")

    def perform():
        venue = services.venue_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        return _("已增加分会场：%(name)s") % {"name": venue.name}

    return _post(request, meeting, form, perform)


@login_required
@require_POST
def venue_remove(request, pk, venue):
    meeting = _meeting(request, pk)
    row = meeting.venues.filter(pk=venue).first()
    if row is None:
        raise Http404
    form = forms.EmptyForm(request.POST)

    def perform():
        services.venue_remove(actor=request.user, venue=row)
        return _("已删除分会场：%(name)s") % {"name": row.name}

    return _post(request, meeting, form, perform)


urlpatterns: list = [
    path("<int:pk>/tasks/add/", task_add, name="meeting_task_add"),
    path("<int:pk>/tasks/<int:task>/done/", task_done, name="meeting_task_done"),
    path("<int:pk>/tasks/<int:task>/remove/", task_remove, name="meeting_task_remove"),
    path("<int:pk>/venues/add/", venue_add, name="meeting_venue_add"),
    path("<int:pk>/venues/<int:venue>/remove/", venue_remove, name="meeting_venue_remove"),
]
