"""An item's page — its tasks with lead and assisting units, milestones, reports (with their
attachments and 审签), extension requests along their chain, the 批示 and 催办, the 流转记录 and
the actions this person may take now — and the POSTs of those actions."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import person_of
from office.org.models import Person, User
from office.pages import (
    no_store,
    person_or_403,
    service_error_text,
    watermark,
)
from office.reminders.models import Deadline, DeadlineState
from office.uploads import JPEG, PDF, PNG, inline_response, streaming_response
from office.workdays.services import format_date
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page
from supervision import forms, rules, selectors, services
from supervision.models import (
    ApprovalStep,
    ExtensionRequest,
    ExtensionState,
    Light,
    ReportAttachment,
    SupervisionItem,
    SupervisionTask,
)
from supervision.views._common import NO_PERSON, _only_tasks, _put_split_error, _visible_item
from supervision.views.actions import ITEM_ACTIONS, TASK_ACTIONS, _task_form_kwargs, available_actions

# A report's attachments of these types have a 预览 (as stored; the bytes decide when served).
PREVIEWABLE = {PDF, JPEG, PNG}

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
        "instructions": list(item.instructions.select_related("leader")),
        "chases": list(item.chases.select_related("by")),
        "previewable_types": sorted(PREVIEWABLE),
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
    back = reverse("supervision:item_detail", args=[item.pk])
    is_step = any(step.name == action for step in rules.ITEM.steps)  # 督查专报 is no step of the item
    if is_step and form.is_valid() and (asked := confirmation_page(request, rules.ITEM, item, action, back=back)):
        return asked
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
    back = reverse("supervision:item_detail", args=[item.pk])
    if form.is_valid() and (
        asked := confirmation_page(request, rules.TASK, task, action, back=back, applies=getattr(form, "accept", True))
    ):
        return asked
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
            return _("已同意延期，办结时限延至%(due)s。") % {"due": format_date(decided.new_due)}
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


@login_required
@require_GET
def attachment_preview(request, pk, attachment_id):
    """A report's PDF or image shown in the browser (``inline``), for those who may see the item;
    anything else is offered as a download. 绝密 is never sent to the browser as a file."""
    item = _visible_item(request, pk)
    upload = ReportAttachment.objects.filter(report__task__item=item, pk=attachment_id).first()
    if upload is None:
        raise Http404
    if item.level == Level.TOP_SECRET:
        messages.error(request, _("绝密督办事项的附件不能下载，只能在屏幕上阅读。"))
        return redirect("supervision:item_detail", pk=item.pk)
    response = inline_response(upload.file, name=upload.name, types=PREVIEWABLE)
    if response is None:
        return redirect("supervision:attachment", pk=item.pk, attachment_id=upload.pk)
    audit.record_read(request.user, item, request=request)
    return no_store(response, item)
