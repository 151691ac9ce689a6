"""The 督查督办 pages: the 督办台账 (filters, warning lights, paging, the Excel ledger), 立项, an item's
page — its tasks with lead and assisting units, milestones, reports, extension requests along their
chain, the 流转记录 and the actions this person may take now — 我的督办, and the figures with the
通报 draft.

Thin edges, as the 收文 pages are: forms check shape, ``supervision.services`` change state (and
check who may), ``supervision.selectors`` and ``visible_to()`` read. An item outside the person's
知悉范围 is a 404 (and a ``denied`` audit event); a read above 内部 is logged. Which forms a person
sees is what ``supervision.rules`` offers (:func:`available_actions` only shapes it), the very check
the services take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.org.models import Person, Role, Unit, User
from office.pages import (
    no_store,
    page_of,
    person_or_403,
    query_without_page,
    register_download,
    service_error_text,
    watermark,
)
from office.reminders.models import Deadline, DeadlineState
from office.uploads import streaming_response
from office.workflow import TransitionNotAllowed
from supervision import exports, forms, rules, selectors, services
from supervision.models import (
    ApprovalStep,
    ExtensionRequest,
    ExtensionState,
    Light,
    ReportAttachment,
    SupervisionItem,
    SupervisionTask,
)

PAGE_SIZE = 50
NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理督办事项。")
LIST_LIMIT = 100  # rows per section of 我的督办 and of the overdue list

MINE_SECTIONS = [
    ("split", gettext_lazy("待分解交办的事项")),
    ("review", gettext_lazy("待审核的办结报告")),
    ("extensions", gettext_lazy("待我审批的延期申请")),
    ("lead", gettext_lazy("本单位主办的任务")),
    ("assist", gettext_lazy("本单位待报送协办意见的任务")),
]
FIGURE_GROUPS = [
    ("unit", gettext_lazy("按主办单位")),
    ("leader", gettext_lazy("按批示领导")),
    ("source", gettext_lazy("按来源")),
]


# --- Helpers ---------------------------------------------------------------------------------------


def _item_queryset() -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.select_related(
        "organ", "supervising_unit", "instructing_leader", "supervisor", "opened_by", "source_type"
    )


def _visible_item(request, pk) -> SupervisionItem:
    return get_visible_or_404(_item_queryset(), request.user, pk)


def _organ_of(person: Person) -> Unit:
    return Unit.objects.get(pk=person.unit.organ_id) if person.unit.organ_id else person.unit


def _units_under(organ: Unit) -> QuerySet[Unit]:
    """The organ and every unit below it (bureaus under a government included): who may lead or assist."""
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


def _people_in(units: QuerySet[Unit], *, cleared_for: int = Level.PUBLIC) -> QuerySet[Person]:
    return (
        Person.objects.active()
        .filter(unit__in=units, clearance__gte=cleared_for)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


def _leaders(units: QuerySet[Unit], *, cleared_for: int = Level.PUBLIC) -> QuerySet[Person]:
    return _people_in(units, cleared_for=cleared_for).filter(user__groups__name=Role.LEADER.value)


def _series_for(person: Person) -> QuerySet:
    """The active 发文代字 of the person's organ (a 通报 or 督查专报 goes out in one of them)."""
    from documents.models import DocumentSeries

    return DocumentSeries.objects.filter(organ__organ=person.unit.organ_id, active=True).order_by("code")


def _may_open(user: User) -> bool:
    return person_of(user) is not None and any(user.has_role(role) for role in services.OPENERS)


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
    """我的督办: tasks my unit leads, inputs it owes, extension requests waiting for me, and for a
    督查员 the items to split and the final reports to review."""
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


def _only_tasks(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) == {"tasks"}


def _put_split_error(form_or_formset, error: ValidationError) -> None:
    """A split's error (``tasks``: 第N项任务：…) at the top of the task form(s)."""
    if hasattr(error, "error_dict") and "tasks" in error.error_dict:
        messages_ = [message for e in error.error_dict["tasks"] for message in e.messages]
        if isinstance(form_or_formset, forms.BaseTaskFormSet):
            form_or_formset._non_form_errors = form_or_formset.error_class(messages_)
        else:
            form_or_formset.add_error(None, messages_)


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


# --- Who may do what, now ---------------------------------------------------------------------------


def available_actions(user: User, item: SupervisionItem, tasks: list[SupervisionTask]) -> dict:
    """What ``user`` is offered on ``item`` now — ``supervision.rules``' machines, shaped for the
    template and deciding nothing: item steps by name, per task its steps (``input`` carries the
    units) and ``decide`` the extension requests waiting for him (each with ``offer``: 同意/不同意)."""
    item_actions = {name for name in rules.ITEM.offered(user, item) if name in ITEM_ACTIONS}
    if rules.may_draft_report(user):
        item_actions.add("draft-report")
    per_task = {}
    for task in tasks:
        task.item = item
        actions = dict(rules.TASK.offered(user, task))
        decide = []
        for request in task.extension_rows:
            request.task = task
            request.offer = rules.EXTENSION.offered(user, request)
            if request.offer:
                decide.append(request)
        if decide:
            actions["decide"] = decide
        per_task[task.pk] = actions
    return {"item": item_actions, "tasks": per_task}


# --- The actions: a form and a service call each -------------------------------------------------------


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., object]  # (data, files, item, task, **kwargs)
    perform: Callable[[User, SupervisionItem, SupervisionTask | None, object], object]  # message or redirect


def _task_form_kwargs(item: SupervisionItem) -> dict:
    units = _units_under(item.organ)
    return {"units": units, "people": _people_in(units, cleared_for=item.classification)}


def _split_form(data, files, item, task, **kwargs):
    return forms.TaskFormSet(data, prefix="split", **_task_form_kwargs(item), **kwargs)


def _split(actor, item, task, formset):
    created = services.item_split(actor=actor, item=item, tasks=formset.task_specs())
    units = "、".join(t.lead_unit.name for t in created)
    return _("已分解交办%(n)d项任务：%(units)s。") % {"n": len(created), "units": units}


def _input_form(data, files, item, task, *, unit=None, **kwargs):
    units = Unit.objects.filter(pk__in=task.assists.values("unit")) if task else Unit.objects.none()
    if unit is not None:
        kwargs.update(initial={"unit": unit.pk}, auto_id=f"id_input{task.pk}_{unit.pk}_%s")
    return forms.InputForm(data, prefix="input", units=units, **kwargs)


def _input(actor, item, task, form):
    unit = form.cleaned_data["unit"]
    services.task_send_input(actor=actor, task=task, unit=unit, text=form.cleaned_data["text"])
    return _("%(unit)s的协办意见已报送主办单位。") % {"unit": unit.name}


def _progress_form(data, files, item, task, **kwargs):
    milestones = task.milestones.filter(reached_on__isnull=True) if task else None
    kwargs.setdefault("auto_id", f"id_progress{task.pk}_%s" if task else "id_%s")
    return forms.ReportForm(data, files, prefix="progress", milestones=milestones, **kwargs)


def _progress(actor, item, task, form):
    data = form.cleaned_data
    services.task_report(
        actor=actor,
        task=task,
        text=data["text"],
        percent=data["percent"],
        milestone=data["milestone"],
        attachments=data["attachments"],
    )
    return _("进展情况已报送。")


def _final_form(data, files, item, task, **kwargs):
    kwargs.setdefault("auto_id", f"id_final{task.pk}_%s" if task else "id_%s")
    return forms.ReportForm(data, files, prefix="final", final=True, **kwargs)


def _final(actor, item, task, form):
    services.task_report(
        actor=actor, task=task, text=form.cleaned_data["text"], final=True, attachments=form.cleaned_data["attachments"]
    )
    return _("办结报告已报送督查员审核。")


def _review(actor, item, task, form):
    data = form.cleaned_data
    task = services.task_review(
        actor=actor,
        task=task,
        accept=form.accept,
        comment=data["comment"],
        missing=data["missing"],
        new_due=data["new_due"],
    )
    if form.accept:
        return _("已审结。")
    return _("已退回重办，重办时限%(due)s。") % {"due": task.due.isoformat()}


def _extension(actor, item, task, form):
    data = form.cleaned_data
    services.extension_request(
        actor=actor, task=task, reason=data["reason"], new_due=data["new_due"], progress=data["progress"]
    )
    return _("延期申请已提交。")


def _cancel(actor, item, task, form):
    services.item_cancel(actor=actor, item=item, reason=form.cleaned_data["reason"])
    return _("督办事项已撤销。")


def _draft_report_form(data, files, item, task, *, person=None, **kwargs):
    return forms.DraftReportForm(data, prefix="report", series=_series_for(person), **kwargs)


def _draft_report(actor, item, task, form):
    document = services.report_draft(actor=actor, series=form.cleaned_data["series"], items=[item])
    return redirect("documents:outgoing_detail", pk=document.pk)


def _simple(form_class, prefix):
    def make(data, files, item, task, **kwargs):
        if task is not None:
            kwargs.setdefault("auto_id", f"id_{prefix}{task.pk}_%s")
        return form_class(data, prefix=prefix, **kwargs)

    return make


ITEM_ACTIONS: dict[str, Action] = {
    "split": Action(_split_form, _split),
    "cancel": Action(_simple(forms.CancelForm, "cancel"), _cancel),
    "draft-report": Action(_draft_report_form, _draft_report),
}
TASK_ACTIONS: dict[str, Action] = {
    "input": Action(_input_form, _input),
    "progress": Action(_progress_form, _progress),
    "final": Action(_final_form, _final),
    "review": Action(_simple(forms.ReviewForm, "review"), _review),
    "extension": Action(_simple(forms.ExtensionForm, "extension"), _extension),
}


# --- An item's page ----------------------------------------------------------------------------------


def _source_link(user: User, item: SupervisionItem) -> str | None:
    """The source record's page when it is an incoming document the person may see."""
    source_type = item.source_type
    if source_type is None or (source_type.app_label, source_type.model) != ("documents", "incomingdocument"):
        return None
    model = source_type.model_class()
    if not model.objects.visible_to(user).filter(pk=item.source_id).exists():
        return None
    return reverse("documents:incoming_detail", args=[item.source_id])


def _tasks(item: SupervisionItem) -> list[SupervisionTask]:
    """The item's tasks with their lights, assisting units, milestones, reports (with attachments),
    extension requests (with decisions) and open due-date Deadline — a fixed number of queries."""
    tasks = list(selectors.item_tasks_in_full(item))
    deadlines = {}
    if tasks:
        for deadline in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(SupervisionTask),
            object_id__in=[task.pk for task in tasks],
            state=DeadlineState.OPEN,
            kind_id=services.TASK_KIND,
        ).order_by("opened_at"):
            deadlines[deadline.object_id] = deadline
    for task in tasks:
        task.item = item
        task.deadline = deadlines.get(task.pk)
        task.extension_rows = list(task.extension_requests.all())
        for request in task.extension_rows:
            request.steps = [
                {"label": ApprovalStep(step).label, "current": index == request.step and request.state == "pending"}
                for index, step in enumerate(request.chain)
            ]
    return tasks


def _action_forms(actions: dict, item: SupervisionItem, tasks: list, bound: dict, person: Person) -> dict:
    """One form per available action (per task, per assisting unit), a failed one in its place."""
    bound_key = bound.get("key")  # (action, task id, unit id)

    def form_for(action, spec, task=None, **kwargs):
        key = (action, task.pk if task else None, kwargs.get("unit").pk if kwargs.get("unit") else None)
        if bound_key == key:
            return bound["form"]
        return spec.make_form(None, None, item, task, **kwargs)

    item_forms = {}
    for action in actions["item"]:
        extra = {"person": person} if action == "draft-report" else {}
        item_forms[action.replace("-", "_")] = form_for(action, ITEM_ACTIONS[action], **extra)
    for task in tasks:
        task_actions = actions["tasks"].get(task.pk, {})
        task.forms = {}
        for action, value in task_actions.items():
            if action == "input":
                task.forms["input"] = [
                    {"unit": unit, "form": form_for("input", TASK_ACTIONS["input"], task, unit=unit)} for unit in value
                ]
            elif action == "decide":
                for request in value:
                    key = ("decide", request.pk, None)
                    request.decide_form = (
                        bound["form"]
                        if bound_key == key
                        else forms.DecideForm(prefix="decide", auto_id=f"id_decide{request.pk}_%s")
                    )
                task.forms["decide"] = value
            else:
                task.forms[action] = form_for(action, TASK_ACTIONS[action], task)
    return item_forms


def _detail_context(request, item: SupervisionItem, bound: dict | None = None) -> dict:
    user = request.user
    person = person_of(user)
    tasks = _tasks(item)
    actions = available_actions(user, item, tasks)
    item_forms = _action_forms(actions, item, tasks, bound or {}, person)
    light = selectors.with_item_light(SupervisionItem.objects.filter(pk=item.pk)).values_list("light", flat=True)
    ceiling = Level(settings.SHUNIU_CLASSIFICATION_CEILING)
    item_deadline = next(
        (
            d
            for d in Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(SupervisionItem),
                object_id=item.pk,
                state=DeadlineState.OPEN,
            ).order_by("opened_at")
        ),
        None,
    )
    return {
        "section": "ledger",
        "item": item,
        "object": item,
        "light": light.first() or Light.NONE,
        "mark": item.level_mark or str(item.level.label),
        "is_top_secret": item.level == Level.TOP_SECRET,
        "watermark": watermark(user, item),
        "content_allowed": item.level <= ceiling,
        "ceiling": ceiling,
        "source_link": _source_link(user, item),
        "split_deadline": item_deadline,
        "tasks": tasks,
        "events": list(item.events.select_related("task")),
        "actions": actions,
        "has_actions": bool(actions["item"]) or any(actions["tasks"].values()),
        "item_forms": item_forms,
    }


@login_required
@require_GET
def item_detail(request, pk):
    """An item from the person's visible set (404 otherwise, and a ``denied`` event); the read is
    logged above 内部. 绝密 content is on screen only, watermarked."""
    item = _visible_item(request, pk)
    audit.record_read(request.user, item, request=request)
    return no_store(render(request, "supervision/item_detail.html", _detail_context(request, item)), item)


@login_required
def item_redirect(request, pk):
    """Notifications link to ``/supervision/items/<id>/``: the item's page."""
    return redirect("supervision:item_detail", pk=pk)


def _render_detail_again(request, item: SupervisionItem, bound: dict, status: int) -> HttpResponse:
    """The item's page with a failed form in place (showing the content again is a read)."""
    item = _visible_item(request, item.pk)
    audit.record_read(request.user, item, request=request)
    response = render(request, "supervision/item_detail.html", _detail_context(request, item, bound), status=status)
    return no_store(response, item)


def _perform(request, item, key: tuple, form, perform: Callable[[], object]) -> HttpResponse:
    """Validate ``form``, run ``perform``; back to the page with a message, or the page again with
    the refusal (409 not now, 403 not you, 400 bad input) and nothing changed."""
    status = 400
    if form.is_valid():
        try:
            done = perform()
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            status = 409
        except PermissionDenied as error:
            messages.error(request, service_error_text(error))
            status = 403
        except ValidationError as error:
            if isinstance(form, forms.BaseTaskFormSet):
                _put_split_error(form, error)
                if not _only_tasks(error):
                    messages.error(request, service_error_text(error))
            else:
                add_service_error(form, error)
        else:
            if isinstance(done, HttpResponse):
                messages.success(request, _("督查专报已起草，请修改后送核稿。"))
                return done
            messages.success(request, done)
            return redirect("supervision:item_detail", pk=item.pk)
    return _render_detail_again(request, item, {"key": key, "form": form}, status)


@login_required
@require_POST
def item_action(request, pk, action):
    """POST an item-level step (分解交办, 撤销, 督查专报): validate, call the service, back to the page."""
    spec = ITEM_ACTIONS.get(action)
    if spec is None:
        raise Http404
    item = _visible_item(request, pk)
    person = person_or_403(request.user, NO_PERSON)
    form = spec.make_form(
        request.POST, request.FILES, item, None, **({"person": person} if action == "draft-report" else {})
    )
    key = (action, None, None)
    if action == "split" and "add_task" in request.POST:
        # One more blank task row, nothing stored: the rows again as typed, unvalidated.
        typed = [{name: each[name].value() for name in each.fields} for each in form.forms]
        form = forms.TaskFormSet(prefix="split", initial=[*typed, {}], **_task_form_kwargs(item))
        return _render_detail_again(request, item, {"key": key, "form": form}, 200)
    return _perform(request, item, key, form, lambda: spec.perform(request.user, item, None, form))


def _task_of(item: SupervisionItem, task_id) -> SupervisionTask:
    task = item.tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404
    task.item = item
    return task


@login_required
@require_POST
def task_action(request, pk, task_id, action):
    """POST a task's step (协办意见, 进展反馈, 办结报告, 审核, 延期申请)."""
    spec = TASK_ACTIONS.get(action)
    if spec is None:
        raise Http404
    item = _visible_item(request, pk)
    person_or_403(request.user, NO_PERSON)
    task = _task_of(item, task_id)
    form = spec.make_form(request.POST, request.FILES, item, task)
    unit_id = None
    if action == "input":
        unit_id = request.POST.get("input-unit")
        unit_id = int(unit_id) if unit_id and unit_id.isdigit() else None
    return _perform(
        request, item, (action, task.pk, unit_id), form, lambda: spec.perform(request.user, item, task, form)
    )


@login_required
@require_POST
def extension_decide(request, pk, request_id):
    """One step of an extension's approval chain: 同意 or 不同意 (with the reason)."""
    item = _visible_item(request, pk)
    person_or_403(request.user, NO_PERSON)
    extension = ExtensionRequest.objects.filter(task__item=item, pk=request_id).select_related("task").first()
    if extension is None:
        raise Http404
    form = forms.DecideForm(request.POST, prefix="decide")

    def perform():
        decided = services.extension_decide(
            actor=request.user, request=extension, approve=form.approve, comment=form.cleaned_data["comment"]
        )
        if decided.state == ExtensionState.APPROVED:
            return _("已同意延期，办结时限延至%(due)s。") % {"due": decided.new_due.isoformat()}
        if decided.state == ExtensionState.REFUSED:
            return _("已不同意延期。")
        return _("已同意，送%(step)s审批。") % {"step": decided.get_current_step_display()}

    return _perform(request, item, ("decide", extension.pk, None), form, perform)


@login_required
@require_GET
def attachment(request, pk, attachment_id):
    """A report's attachment, for those who may see the item; 绝密 is never downloaded."""
    item = _visible_item(request, pk)
    upload = ReportAttachment.objects.filter(report__task__item=item, pk=attachment_id).first()
    if upload is None:
        raise Http404
    if item.level == Level.TOP_SECRET:
        messages.error(request, _("绝密督办事项的附件不能下载，只能在屏幕上阅读。"))
        return redirect("supervision:item_detail", pk=item.pk)
    audit.record_read(request.user, item, request=request, action=AuditAction.DOWNLOAD)
    return no_store(streaming_response(upload.file, name=upload.name), item)
