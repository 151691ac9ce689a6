"""The actions on an item's page: a form and a service call each, and what the person is offered
(``supervision.rules``' machines, shaped for the template and deciding nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from office.org.models import Unit, User
from office.workdays.services import format_date
from supervision import forms, rules, services
from supervision.models import SupervisionItem, SupervisionTask, TaskState
from supervision.views._common import _people_in, _series_for, _units_under

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
    report = services.task_report(
        actor=actor, task=task, text=form.cleaned_data["text"], final=True, attachments=form.cleaned_data["attachments"]
    )
    if report.task.state == TaskState.SIGNOFF:
        return _("办结报告已报送本单位负责人审签，审签后转报督查员。")
    return _("办结报告已报送督查员审核。")


def _signoff(actor, item, task, form):
    services.task_sign_off(actor=actor, task=task, forward=form.forward, comment=form.cleaned_data["comment"])
    if form.forward:
        return _("办结报告已转报督查员审核。")
    return _("办结报告已退回修改。")


def _chase(actor, item, task, form):
    chase = services.item_chase(actor=actor, item=item, text=form.cleaned_data["text"])
    return _("已催办：%(people)s。") % {"people": chase.sent_to or "—"}


def _instruct(actor, item, task, form):
    services.item_instruct(actor=actor, item=item, text=form.cleaned_data["text"])
    return _("批示已记录，并已告知督查员。")


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
    return _("已退回重办，重办时限%(due)s。") % {"due": format_date(task.due)}


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
    "chase": Action(_simple(forms.ChaseForm, "chase"), _chase),
    "instruct": Action(_simple(forms.InstructionForm, "instruct"), _instruct),
    "cancel": Action(_simple(forms.CancelForm, "cancel"), _cancel),
    "draft-report": Action(_draft_report_form, _draft_report),
}
TASK_ACTIONS: dict[str, Action] = {
    "input": Action(_input_form, _input),
    "progress": Action(_progress_form, _progress),
    "final": Action(_final_form, _final),
    "signoff": Action(_simple(forms.SignOffForm, "signoff"), _signoff),
    "review": Action(_simple(forms.ReviewForm, "review"), _review),
    "extension": Action(_simple(forms.ExtensionForm, "extension"), _extension),
}
