"""The 督查督办 list pages: the 督办台账 (filters, warning lights, paging, the Excel ledger), 立项,
我的督办, and the figures with the 通报 draft (an item's page: ``supervision.views.item``).

Thin edges, as the 收文 pages are: forms check shape, ``supervision.services`` change state (and
check who may), ``supervision.selectors`` and ``visible_to()`` read. An item outside the person's
知悉范围 is a 404 (and a ``denied`` audit event); a read above 内部 is logged. Which forms a person
sees is what ``supervision.rules`` offers (:func:`available_actions` only shapes it), the very check
the services take.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Role, Unit, User
from office.pages import (
    page_of,
    person_or_403,
    query_without_page,
    register_download,
    service_error_text,
)
from supervision import exports, forms, selectors, services
from supervision.models import (
    SupervisionItem,
    SupervisionTask,
)
from supervision.views._common import (
    NO_PERSON,
    _leaders,
    _may_open,
    _only_tasks,
    _organ_of,
    _people_in,
    _put_split_error,
    _series_for,
    _units_under,
)

PAGE_SIZE = 50
LIST_LIMIT = 100  # rows per section of 我的督办 and of the overdue list

MINE_SECTIONS = [
    ("lights", gettext_lazy("红灯、黄灯事项（逾期、临期或缺报）")),
    ("split", gettext_lazy("待分解交办的事项")),
    ("review", gettext_lazy("待审核的办结报告")),
    ("signoff", gettext_lazy("待我审签的办结报告")),
    ("extensions", gettext_lazy("待我审批的延期申请")),
    ("lead", gettext_lazy("本单位主办的任务")),
    ("assist", gettext_lazy("本单位待报送协办意见的任务")),
]
FIGURE_GROUPS = [
    ("unit", gettext_lazy("按主办单位")),
    ("leader", gettext_lazy("按批示领导")),
    ("source", gettext_lazy("按来源")),
]


# --- The ledger, its export, 我的督办, the figures ------------------------------------------------------


def _filtered_items(request) -> tuple[forms.LedgerFilterForm, QuerySet[SupervisionItem]]:
    person = person_of(request.user)
    units = _units_under(_organ_of(person)) if person else Unit.objects.none()
    form = forms.LedgerFilterForm(request.GET or None, units=units, leaders=_leaders(units))
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    return form, selectors.items_visible(user=request.user, filters=filters, text=text)


@login_required
@require_GET
def ledger(request):
    """督办台账: the items the person may see (``items_visible``), 50 a page, each with its warning
    light and its lead units; the red/yellow/green counts of the items in hand on top."""
    form, items = _filtered_items(request)
    page = page_of(request, selectors.ledger_rows(items), PAGE_SIZE)
    for item in page.object_list:
        item.lead_units = selectors.row_units(item)[0]
    return render(
        request,
        "supervision/ledger.html",
        {
            "section": "ledger",
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "counts": selectors.light_counts(user=request.user),
            "can_open": _may_open(request.user),
        },
    )


@login_required
@require_GET
def ledger_export(request):
    """The filtered 督办台账 as .xlsx; the export is written to the access log with the classified
    items it contains. 绝密 items never leave the screen: the register download leaves them out."""
    form, items = _filtered_items(request)
    return register_download(request, items, exports.REGISTER, form=form, back=reverse("supervision:ledger"))


@login_required
@require_GET
def mine(request):
    """我的督办: tasks my unit leads, inputs it owes, 办结报告 waiting for my 审签, extension requests
    waiting for me, and for a 督查员 his red and yellow items (in a section of their own, on top),
    the items to split and the final reports to review."""
    sections = selectors.my_tasks(user=request.user)
    groups = []
    for key, label in MINE_SECTIONS:
        rows = sections.get(key)
        if rows is None:
            continue
        rows = list(rows[:LIST_LIMIT]) if not isinstance(rows, list) else rows[:LIST_LIMIT]
        if key == "split" and not rows and not request.user.has_role(Role.SUPERVISOR):
            continue
        groups.append({"key": key, "label": label, "rows": rows})
    return render(
        request,
        "supervision/mine.html",
        {"section": "mine", "groups": groups, "total": sum(len(group["rows"]) for group in groups)},
    )


@login_required
@require_GET
def figures(request):
    """Counts and on-time rates by lead unit, instructing leader and source for a period, the
    per-unit scores for the annual assessment and the overdue list — over the items the person
    may see; a 督查员 drafts the period's 通报 from here."""
    person = person_of(request.user)
    start, end = forms.PeriodForm.default_period()
    form = forms.PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return _render_figures(request, form, start, end, person=person)


def _render_figures(request, form, start, end, *, person, bulletin_form=None, status=200):
    user = request.user
    tables = [
        {"key": key, "label": label, "rows": selectors.figures(user=user, by=key, start=start, end=end)}
        for key, label in FIGURE_GROUPS
    ]
    may_draft = services.is_any_supervisor(user)
    if may_draft and bulletin_form is None:
        bulletin_form = forms.BulletinForm(series=_series_for(person), initial={"start": start, "end": end})
    return render(
        request,
        "supervision/figures.html",
        {
            "section": "figures",
            "form": form,
            "start": start,
            "end": end,
            "tables": tables,
            "scores": selectors.unit_scores(user=user, start=start, end=end),
            "points": settings.SUPERVISION_SCORE_POINTS,
            "overdue": _overdue(user),
            "bulletin_form": bulletin_form if may_draft else None,
        },
        status=status,
    )


def _overdue(user: User) -> list[SupervisionTask]:
    today = timezone.localdate()
    tasks = list(selectors.overdue_tasks(user=user, today=today)[:LIST_LIMIT])
    for task in tasks:
        task.days_overdue = (today - task.due).days
    return tasks


@login_required
@require_POST
def bulletin(request):
    """生成督查通报: a 通报 draft in the documents module, then its page."""
    person = person_or_403(request.user, NO_PERSON)
    form = forms.BulletinForm(request.POST, series=_series_for(person))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.bulletin_draft(
                actor=request.user, series=data["series"], start=data["start"], end=data["end"], title=data["title"]
            )
        except PermissionDenied as error:
            messages.error(request, service_error_text(error))
            status = 403
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("督查通报已起草，请修改后送核稿。"))
            return redirect("documents:outgoing_detail", pk=document.pk)
    start, end = forms.PeriodForm.default_period()
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    period = forms.PeriodForm(initial={"start": start, "end": end})
    return _render_figures(request, period, start, end, person=person, bulletin_form=form, status=status)


# --- 立项 ------------------------------------------------------------------------------------------------


@login_required
def item_open(request):
    """立项 (督查员, 领导 or 办公室主任), with one task split at once if the lead unit is named. On a
    refusal the form comes back with the message and nothing is stored."""
    person = person_or_403(request.user, NO_PERSON)
    if not _may_open(request.user):
        raise PermissionDenied(_("督办事项由督查员、领导或办公室主任立项。"))
    units = _units_under(_organ_of(person))
    item_kwargs = {"clearance": person.clearance, "leaders": _leaders(units)}
    task_kwargs = {"units": units, "people": _people_in(units), "required": False, "prefix": "task"}
    if request.method != "POST":
        form = forms.ItemOpenForm(initial={"classification": Level.INTERNAL.value}, **item_kwargs)
        return _render_open(request, form, forms.TaskForm(**task_kwargs))
    form = forms.ItemOpenForm(request.POST, **item_kwargs)
    task_form = forms.TaskForm(request.POST, empty_permitted=True, use_required_attribute=False, **task_kwargs)
    if form.is_valid() and task_form.is_valid():
        spec = task_form.task_spec() if task_form.has_changed() else None
        try:
            item = services.item_open(actor=request.user, tasks=[spec] if spec else [], **form.service_arguments())
        except ValidationError as error:
            _put_split_error(task_form, error)
            if not _only_tasks(error):
                add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, service_error_text(error))
        else:
            messages.success(request, _("已立项：%(number)s %(title)s") % {"number": item.number, "title": item.title})
            return redirect("supervision:item_detail", pk=item.pk)
    return _render_open(request, form, task_form, status=400)


def _render_open(request, form, task_form, status=200):
    return render(
        request,
        "supervision/item_form.html",
        {
            "section": "new",
            "form": form,
            "task_form": task_form,
            "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING),
        },
        status=status,
    )
