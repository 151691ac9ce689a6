"""会议计划 pages: the year's plan (by month, type and state, each entry with its approval), 拟订 an
entry, an entry's page with the ``rules.PLAN`` steps offered, 计划外报批 of a meeting in the
government's name registered without one, and the 精文减会 figures.

Every read from ``visible_to``: an entry or a meeting the reader may not see is a 404. What a page
offers is ``PLAN.offered``; the services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from meetings import forms, rules, services
from meetings.figures import meeting_figures
from meetings.models import Meeting, MeetingPlan, PlanState
from meetings.views._common import (
    NO_PERSON,
    PAGE_SIZE,
    Action,
    _act,
    _nav,
    _organ_of,
    _panel,
    _plain,
    _private,
    _step,
    _types,
    _units,
)
from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404
from office.org.models import User
from office.pages import page_of, person_or_403, query_without_page, take_step, watermark

NOT_PLANNER = gettext_lazy("会议计划由本机关的会务员拟订。")


# --- What other pages take from here --------------------------------------------------------------------


def approved_plans(user: User) -> QuerySet[MeetingPlan]:
    """The approved entries of the reader's organ, this year and next, that he may see (what the
    registration form offers a meeting to be held under)."""
    organ = _organ_of(user)
    if organ is None:
        return MeetingPlan.objects.none()
    this = timezone.localdate().year
    return (
        MeetingPlan.objects.visible_to(user)
        .filter(organ=organ, state=PlanState.APPROVED, year__in=(this, this + 1))
        .select_related("type")
        .order_by("year", "month", "type__order", "id")
    )


def _may_plan(user: User) -> bool:
    organ = _organ_of(user)
    return organ is not None and rules.is_meeting_officer(user, organ.pk)


def unplanned_meetings(user: User) -> list[Meeting]:
    """The meetings in the government's name the reader runs that have no plan entry yet (计划外报批)."""
    organ = _organ_of(user)
    if organ is None or not _may_plan(user):
        return []
    rows = (
        Meeting.objects.visible_to(user)
        .filter(organ=organ, type__government_name=True, state__in=rules.PREPARING, plan__isnull=True)
        .select_related("type", "organizing_unit")
        .order_by("starts_at", "id")
    )
    return [meeting for meeting in rows if rules.MEETING.allows(user, meeting, "report_unplanned")]


# --- The year's plan ----------------------------------------------------------------------------------


def _plan_rows(user: User, form: forms.PlanFilterForm) -> tuple[int, QuerySet[MeetingPlan]]:
    year, data = timezone.localdate().year, form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or year
    rows = MeetingPlan.objects.visible_to(user).filter(year=year)
    month = data.get("month")
    if month == 0:
        rows = rows.filter(month__isnull=True)
    elif month:
        rows = rows.filter(month=month)
    if data.get("type"):
        rows = rows.filter(type=data["type"])
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    held = Meeting.objects.visible_to(user).only("pk", "title", "state", "starts_at", "plan_id").order_by("starts_at")
    rows = rows.select_related("type", "organizing_unit", "decided_by").prefetch_related(
        Prefetch("meetings", queryset=held, to_attr="visible_meetings")
    )
    return year, rows.order_by("month", "type__order", "id")


def _plans_page(request, bound: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    form = forms.PlanFilterForm(request.GET or None, types=_types(), states=PlanState.choices)
    year, rows = _plan_rows(user, form)
    bound = bound or {}
    unplanned = [
        {
            "meeting": meeting,
            "form": bound["form"]
            if bound.get("meeting") == meeting.pk
            else forms.UnplannedForm(auto_id=f"id_unplanned_{meeting.pk}_%s"),
        }
        for meeting in unplanned_meetings(user)
    ]
    context = {
        **_nav(request, "plans"),
        "form": form,
        "year": year,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "may_plan": _may_plan(user),
        "unplanned": unplanned,
    }
    return _private(render(request, "meetings/plans.html", context, status=status))


@login_required
@require_GET
def plans(request):
    """会议计划 of a year (``?year=``, by default this one; ``?month=``, 0 for the yearly entries)."""
    return _plans_page(request)


@login_required
def plan_new(request):
    """拟订 an entry (a 会务员 of the organ): the form, then ``plan_create``; the entry's page."""
    if not _may_plan(request.user):
        raise PermissionDenied(str(NOT_PLANNER))
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None, types=_types(), units=_units(request.user)
    )
    status = 200
    if request.method == "POST":
        created = {}

        def perform():
            created["plan"] = services.plan_create(actor=request.user, **form.cleaned_data)
            return _("会议计划已拟订。")

        status = take_step(request, form, perform)
        if status is None:
            return redirect(created["plan"].get_absolute_url())
    context = {"form": form, **_nav(request, "plans")}
    return _private(render(request, "meetings/plan_form.html", context, status=status))


# --- An entry's page ------------------------------------------------------------------------------------


def _edit_form(data, files, user, plan, **kwargs):
    if data is None:
        kwargs["initial"] = {
            **{name: getattr(plan, name) for name in services.PLAN_EDITABLE if name not in ("type", "organizing_unit")},
            "type": plan.type_id,
            "organizing_unit": plan.organizing_unit_id,
        }
    return forms.PlanEditForm(data, files, types=_types(), units=_units(user), **kwargs)


def _action(service: str, form_class, message) -> Action:
    return Action(service, _plain(form_class), _step(service, message, "plan"))


ACTIONS: dict[str, Action] = {
    "edit": Action("plan_edit", _edit_form, _step("plan_edit", gettext_lazy("会议计划已修改。"), "plan")),
    "submit": _action("plan_submit", forms.EmptyForm, gettext_lazy("已报主要领导审批。")),
    "list": _action("plan_list", forms.EmptyForm, gettext_lazy("已列入会议计划。")),
    "approve": _action("plan_approve", forms.OpinionForm, gettext_lazy("已批准。")),
    "return": _action("plan_return", forms.ReturnForm, gettext_lazy("会议计划已退回。")),
    "drop": _action("plan_drop", forms.PlanDropForm, gettext_lazy("会议计划已撤销。")),
}

HINTS = {
    "submit": gettext_lazy("以政府名义召开的会议报主要领导批准后方可发会议通知。"),
    "list": gettext_lazy("不以政府名义召开的会议无需报批，列入计划即可安排。"),
    "drop": gettext_lazy("精文减会：能合并的合并，能以视频会议召开的不再集中召开，不必召开的撤销。"),
}


def _visible_plan(request, pk) -> MeetingPlan:
    queryset = MeetingPlan.objects.select_related("organ", "type", "organizing_unit", "submitted_by", "decided_by")
    return get_visible_or_404(queryset, request.user, pk)


def _plan_page(request, plan: MeetingPlan, bound: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    audit.record(user, AuditAction.VIEW, obj=plan, request=request)
    context = {
        **_nav(request, "plans"),
        "record": plan,
        "object": plan,
        "watermark": watermark(user, plan),
        "meetings": list(Meeting.objects.visible_to(user).filter(plan=plan).order_by("starts_at")),
        "events": list(plan.events.all()),
        "panel": _panel(rules.PLAN, ACTIONS, user, plan, bound or {}, HINTS),
        "bound_action": (bound or {}).get("action"),
    }
    return _private(render(request, "meetings/plan.html", context, status=status))


@login_required
@require_GET
def plan(request, pk):
    return _plan_page(request, _visible_plan(request, pk))


@login_required
@require_POST
def plan_action(request, pk, action):
    record = _visible_plan(request, pk)
    return _act(
        request,
        rules.PLAN,
        ACTIONS,
        record,
        action,
        reverse("meetings:plan", args=[record.pk]),
        lambda bound, status: _plan_page(request, _visible_plan(request, record.pk), bound, status),
    )


# --- 计划外报批 -------------------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_unplanned(request, pk):
    """计划外报批 of a meeting (``meeting_report_unplanned``): back to the meeting, or the plan list
    with the form's errors."""
    meeting = get_visible_or_404(Meeting.objects.select_related("type", "plan"), request.user, pk)
    person_or_403(request.user, NO_PERSON)
    form = forms.UnplannedForm(request.POST, auto_id=f"id_unplanned_{meeting.pk}_%s")

    def perform():
        services.meeting_report_unplanned(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        return _("已作为计划外会议报主要领导审批，批准后方可发会议通知。")

    status = take_step(request, form, perform)
    if status is None:
        return redirect(meeting.get_absolute_url())
    return _plans_page(request, {"meeting": meeting.pk, "form": form}, status)


# --- 精文减会 figures -------------------------------------------------------------------------------------


def _year(value: str | None) -> int:
    this = timezone.localdate().year
    try:
        year = int(value) if value else this
    except ValueError:
        return this
    return year if 2000 <= year <= this + 1 else this


@login_required
@require_GET
def plan_figures(request):
    """精文减会: this year's meetings against last year's by type, the share by video, the 会议费 spent
    and budgeted, and how much of the approved plan was held (``?year=``)."""
    year = _year(request.GET.get("year"))
    figures = meeting_figures(user=request.user, year=year)
    context = {
        **_nav(request, "plan_figures"),
        "year": year,
        "figures": figures,
        "video_percent": _percent(figures["video_share"]),
        "plan_percent": _percent(figures["plans"]["rate"]),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
    }
    return _private(render(request, "meetings/plan_figures.html", context))


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


urlpatterns: list = [
    path("plans/", plans, name="plans"),
    path("plans/new/", plan_new, name="plan_new"),
    path("plans/figures/", plan_figures, name="plan_figures"),
    path("plans/unplanned/<int:pk>/", meeting_unplanned, name="meeting_unplanned"),
    path("plans/<int:pk>/", plan, name="plan"),
    path("plans/<int:pk>/<slug:action>/", plan_action, name="plan_action"),
]
