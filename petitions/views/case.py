"""A 信访事项's page — its register fields and flags, the 信访人 (masked unless the reader handles
the case), the 诉求内容 and materials, every clock with its legal derivation, the answers and
their 答复意见书, the handling notes, the repeats, the 流转记录 — and one form per step
``rules.CASE`` offers this person now; the POSTs of those steps; a material's download.

Every read is logged (``audit.record`` VIEW, DOWNLOAD); the page and the files are never kept in
a cache (they name the 信访人). What is offered is ``CASE.offered``: the view decides nothing, and
a step posted though not offered is refused by its service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.org.models import Person, Unit, User
from office.pages import no_store, person_or_403, service_error_text, watermark
from office.reminders import services as reminders
from office.uploads import files_kept_only_if_stored, streaming_response
from office.workdays.services import format_date
from office.workflow import TransitionNotAllowed
from office.workflow.confirm import confirmation_page
from petitions import selectors, services
from petitions.forms import actions as forms
from petitions.models import CaseState, Kind, PetitionCase, Route, RoutingRule
from petitions.rules import CASE, OPEN, may_see_identity

NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理信访事项。")
PAGE = "petitions/case_detail.html"

# --- Reads -------------------------------------------------------------------------------------------


def _case_queryset() -> QuerySet[PetitionCase]:
    return PetitionCase.objects.select_related(
        "organ",
        "accused_unit",
        "intake_unit",
        "handling_unit__organ",
        "reviewing_unit",
        "handler__unit",
        "registrar",
        "category__parent",
        "area",
        "repeat_of",
        "merged_into",
    )


def _visible_case(request, pk) -> PetitionCase:
    return get_visible_or_404(_case_queryset(), request.user, pk)


def _private(response: HttpResponse, case: PetitionCase) -> HttpResponse:
    """A case names its 信访人: never kept in a cache, whatever its level."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return no_store(response, case)


def _visible_ids(user: User, ids) -> set[int]:
    ids = [pk for pk in ids if pk]
    if not ids:
        return set()
    return set(PetitionCase.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _deadlines(case: PetitionCase) -> list:
    """Every clock of the case, oldest first, with its extensions and suspensions."""
    found = reminders.deadlines_of(case)
    if not found:
        return []
    from office.reminders.models import Deadline

    return list(
        Deadline.objects.filter(pk__in=[d.pk for d in found])
        .select_related("kind", "responsible_unit", "responsible_person")
        .prefetch_related("extensions", "suspensions")
        .order_by("opened_at", "id")
    )


def _replies(user: User, case: PetitionCase) -> list:
    from documents.models import OutgoingDocument

    replies = list(case.replies.select_related("document__number", "written_by"))
    doc_ids = [r.document_id for r in replies if r.document_id]
    visible = (
        set(OutgoingDocument.objects.visible_to(user).filter(pk__in=doc_ids).values_list("pk", flat=True))
        if doc_ids
        else set()
    )
    identity = may_see_identity(user, case)
    for reply in replies:
        if reply.receipt and not identity:  # a 回证 may name who signed for it
            reply.receipt = MASK
        reply.document_link = (
            reverse("documents:outgoing_detail", args=[reply.document_id]) if reply.document_id in visible else None
        )
    return replies


# --- The forms of the steps ------------------------------------------------------------------------------


def _units_of(case: PetitionCase) -> QuerySet[Unit]:
    """Where a case may be routed: the registering organ and every unit below it, but never the
    accused unit of a 检举控告 nor a unit inside it (the service refuses them anyway)."""
    units = Unit.objects.active().filter(pk__in=case.organ.subtree_ids())
    if case.kind == Kind.ACCUSATION and case.accused_unit_id:
        units = units.exclude(pk__in=case.accused_unit.subtree_ids())
    return units.order_by("sort_order", "pk")


def _people_in(unit_ids, case: PetitionCase) -> QuerySet[Person]:
    return (
        Person.objects.active()
        .filter(unit__in=unit_ids, clearance__gte=case.classification)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


def routing_proposal(case: PetitionCase) -> Unit | None:
    """The routing table's unit for the case: its category, then the category's parent, each first
    in the case's area, then in any area. A proposal only: the 信访员 confirms or changes it."""
    categories = [case.category_id] + ([case.category.parent_id] if case.category.parent_id else [])
    rules = {
        (rule.category_id, rule.area_id): rule.unit
        for rule in RoutingRule.objects.filter(category__in=categories).select_related("unit")
        if rule.area_id in (None, case.area_id)
    }
    for category in categories:
        for area in (case.area_id, None) if case.area_id else (None,):
            if (category, area) in rules:
                return rules[(category, area)]
    return None


def _letter_series(user: User) -> QuerySet:
    from documents.models import DocumentSeries

    person = person_of(user)
    if person is None:
        return DocumentSeries.objects.none()
    return DocumentSeries.objects.filter(
        organ__organ=person.unit.organ_id or person.unit_id, active=True, template="letter"
    ).order_by("code")


def _others(user: User, case: PetitionCase) -> QuerySet[PetitionCase]:
    return PetitionCase.objects.visible_to(user).exclude(pk=case.pk)


MASK = "***"


@dataclass(frozen=True)
class Action:
    make_form: Callable[..., object]  # (data, user, case, **form kwargs)
    perform: Callable[[User, PetitionCase, object], str]  # the message


def _plain(form_class):
    return lambda data, user, case, **kwargs: form_class(data, **kwargs)


def _route_form(data, user, case, **kwargs):
    units = _units_of(case)
    try:
        routes = CASE.step("route").options(CASE.check(user, case, "route"), case)
    except (PermissionDenied, TransitionNotAllowed):
        routes = list(Route.values)  # not offered: the service refuses it, with its own message
    return forms.RouteForm(
        data,
        routes=routes,
        units=units,
        people=_people_in(units, case),
        proposal=routing_proposal(case),
        **kwargs,
    )


def _route(user, case, form):
    data = form.cleaned_data
    case = services.case_route(
        actor=user,
        case=case,
        route=data["route"],
        unit=data["unit"],
        handler=data["handler"],
        note=data["note"],
        report_back_due=data["report_back_due"],
    )
    if case.state == CaseState.NOT_ACCEPTED:
        return _("已%(route)s，事项不予受理。") % {"route": case.get_route_display()}
    return _("已%(route)s：%(unit)s。") % {"route": case.get_route_display(), "unit": case.handling_unit.name}


def _accept_form(data, user, case, **kwargs):
    units = case.handling_unit.subtree_ids() if case.handling_unit_id else []
    form = forms.AcceptForm(data, people=_people_in(units, case), **kwargs)
    if case.handler_id and not form.is_bound:
        form.initial["handler"] = case.handler_id
    return form


def _accept(user, case, form):
    services.case_accept(actor=user, case=case, handler=form.cleaned_data["handler"], note=form.cleaned_data["note"])
    return _("已受理，办理期限自今日起算。")


def _object(user, case, form):
    services.case_object(actor=user, case=case, reason=form.cleaned_data["reason"])
    return _("已提出异议，事项退回信访员重新分流。")


def _note(user, case, form):
    data = form.cleaned_data
    services.case_note(actor=user, case=case, kind=data["kind"], on=data["on"], text=data["text"])
    return _("办理记录已保存。")


def _hearing(user, case, form):
    services.case_hearing(actor=user, case=case, on=form.cleaned_data["on"], text=form.cleaned_data["text"])
    return _("听证已登记，听证期间不计入办理期限。")


def _hearing_end(user, case, form):
    services.case_hearing_end(actor=user, case=case, on=form.cleaned_data["on"], text=form.cleaned_data["text"])
    return _("听证已结束，办理期限恢复计算。")


def _ask_extension(user, case, form):
    data = form.cleaned_data
    services.case_ask_extension(actor=user, case=case, days=data["days"], reason=data["reason"])
    return _("延期申请已报机关负责人批准。")


def _extend(user, case, form):
    data = form.cleaned_data
    case = services.case_extend(actor=user, case=case, days=data["days"], reason=data["reason"], notice=data["notice"])
    return _("已批准延期，办理期限延至%(due)s。") % {"due": format_date(case.due) if case.due else "—"}


def _reply_form(data, user, case, **kwargs):
    return forms.ReplyForm(data, series=_letter_series(user), **kwargs)


def _reply(user, case, form):
    data = form.cleaned_data
    services.case_reply(
        actor=user, case=case, opinion=data["opinion"], facts=data["facts"], basis=data["basis"], series=data["series"]
    )
    return _("答复意见已拟写，答复意见书已起草：请在公文中送核稿、签发、登记后送达。")


def _serve(user, case, form):
    data = form.cleaned_data
    services.case_serve(actor=user, case=case, on=data["on"], method=data["method"], receipt=data["receipt"])
    return _("答复意见书已送达。")


def _review_request_form(data, user, case, **kwargs):
    return forms.ReviewRequestForm(data, units=Unit.objects.active().order_by("sort_order", "pk"), **kwargs)


def _review_request(user, case, form):
    data = form.cleaned_data
    case = services.case_review_request(
        actor=user, case=case, on=data["on"], reviewing_unit=data["reviewing_unit"], reason=data["reason"]
    )
    return _("已登记%(stage)s请求，送%(unit)s办理。") % {
        "stage": case.get_stage_display(),
        "unit": case.reviewing_unit.name,
    }


def _rate(user, case, form):
    data = form.cleaned_data
    services.case_rate(actor=user, case=case, satisfaction=data["satisfaction"], on=data["on"], revisit=data["revisit"])
    return _("评价已登记。")


def _close(user, case, form):
    services.case_close(actor=user, case=case)
    return _("信访事项已办结。")


def _archive(user, case, form):
    services.case_archive(actor=user, case=case, retention=form.cleaned_data["retention"])
    return _("已归档。")


def _link_form(data, user, case, **kwargs):
    return forms.LinkForm(data, cases=_others(user, case), **kwargs)


def _link(user, case, form):
    case = services.case_link(actor=user, case=case, original=form.cleaned_data["original"])
    return _("已关联为%(number)s的重复件。") % {"number": case.repeat_of.number}


def _merge_form(data, user, case, **kwargs):
    return forms.MergeForm(data, cases=_others(user, case), **kwargs)


def _merge(user, case, form):
    into = form.cleaned_data["into"]
    services.case_merge(actor=user, case=case, into=into, reason=form.cleaned_data["reason"])
    return _("已并入%(number)s办理。") % {"number": into.number}


def _attach_form(data, user, case, files=None, **kwargs):
    return forms.AttachForm(data, files, **kwargs)


def _attach(user, case, form):
    with files_kept_only_if_stored() as keep:
        attachment = services.case_attach(
            actor=user, case=case, upload=form.cleaned_data["file"], name=form.cleaned_data["name"]
        )
        keep(attachment.file)
    return _("已上传材料：%(name)s。") % {"name": attachment.name}


def _instruct(user, case, form):
    data = form.cleaned_data
    item = services.case_instruct(
        actor=user, case=case, text=data["text"], supervise=data["supervise"], due=data["due"]
    )
    if item is not None:
        return _("批示已记录，并已转督办（%(number)s）。") % {"number": item.number}
    return _("批示已记录，并已告知承办人。")


ACTIONS: dict[str, Action] = {
    "route": Action(_route_form, _route),
    "link": Action(_link_form, _link),
    "merge": Action(_merge_form, _merge),
    "accept": Action(_accept_form, _accept),
    "object": Action(_plain(forms.ObjectForm), _object),
    "note": Action(_plain(forms.NoteForm), _note),
    "hearing": Action(_plain(forms.HearingForm), _hearing),
    "hearing_end": Action(_plain(forms.HearingEndForm), _hearing_end),
    "ask_extension": Action(_plain(forms.AskExtensionForm), _ask_extension),
    "extend": Action(_plain(forms.ExtendForm), _extend),
    "reply": Action(_reply_form, _reply),
    "serve": Action(_plain(forms.ServeForm), _serve),
    "review_request": Action(_review_request_form, _review_request),
    "rate": Action(_plain(forms.RateForm), _rate),
    "close": Action(_plain(forms.CloseForm), _close),
    "archive": Action(_plain(forms.ArchiveForm), _archive),
    "attach": Action(_attach_form, _attach),
    "instruct": Action(_plain(forms.InstructForm), _instruct),
}


# --- The page ------------------------------------------------------------------------------------------

# What each form tells the person before he acts (the step's rule, in a line).
HINTS = {
    "route": gettext_lazy("登记之日起15日内分流；转送、交办的，承办单位15日内书面告知信访人受理。"),
    "accept": gettext_lazy("受理后60日内办结；受理告知以书面形式告知信访人。"),
    "object": gettext_lazy("不属于本单位职责范围的，收到之日起5个工作日内提出异议并说明理由。"),
    "hearing": gettext_lazy("听证所需时间不计入办理期限。"),
    "ask_extension": gettext_lazy("情况复杂的，经本机关负责人批准可延长，延长期限不得超过30日。"),
    "extend": gettext_lazy("批准后须告知信访人延期理由。"),
    "reply": gettext_lazy("答复意见书以信函起草，经核稿、签发、登记后方可送达。"),
    "review_request": gettext_lazy("信访人自收到书面答复之日起30日内可请求复查、复核。"),
    "instruct": gettext_lazy("批示将告知登记人和承办人；转督办的，立为督办事项跟踪落实。"),
}
REPEAT_STEPS = ("link", "merge")  # shown beside the suggested repeats


def _form(name: str, data, user: User, case: PetitionCase, files=None):
    """The step's form; its fields' ids carry the step (several forms on one page)."""
    extra = {"files": files} if name == "attach" else {}
    return ACTIONS[name].make_form(data, user, case, auto_id=f"id_{name}_%s", **extra)


def _context(request, case: PetitionCase, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    offered = CASE.offered(user, case)
    action_forms = {
        name: bound["form"] if bound.get("action") == name else _form(name, None, user, case)
        for name in offered
        if name in ACTIONS
    }
    links = _visible_ids(user, [case.repeat_of_id, case.merged_into_id])
    merged = list(PetitionCase.objects.visible_to(user).filter(merged_into=case).order_by("received_on", "id"))
    candidates = selectors.repeat_candidates(user=user, case=case) if case.state in OPEN or "link" in offered else []
    events = list(case.events.all())
    panel = [
        {
            "name": name,
            "label": _(CASE.step(name).label),
            "form": form,
            "hint": HINTS.get(name, ""),
            "irreversible": bool(CASE.step(name).confirm),
        }
        for name, form in action_forms.items()
        if name not in REPEAT_STEPS
    ]
    return {
        "section": "ledger",
        "case": case,
        "object": case,
        "light": selectors.light(case),
        "watermark": watermark(user, case),
        "is_top_secret": case.level == Level.TOP_SECRET,
        "petitioners": selectors.petitioners_of(case, user),
        "involved_units": list(case.involved_units.all()),
        "attachments": list(case.attachments.select_related("uploaded_by")),
        "deadlines": _deadlines(case),
        "replies": _replies(user, case),
        "notes": list(case.notes.select_related("written_by")),
        "events": events,
        "repeat_of": case.repeat_of if case.repeat_of_id in links else None,
        "merged_into": case.merged_into if case.merged_into_id in links else None,
        "merged": merged,
        "candidates": candidates,
        "offered": offered,
        "forms": action_forms,
        "panel": panel,
        "bound_action": bound.get("action"),
    }


def _page(request, case: PetitionCase, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The page (a read, logged each time it shows the case)."""
    audit.record(request.user, AuditAction.VIEW, obj=case, request=request)
    case.__dict__.pop("_deadlines", None)
    response = render(request, PAGE, _context(request, case, bound), status=status)
    return _private(response, case)


@login_required
@require_GET
def case_detail(request, pk):
    """A case from the person's visible set (404 otherwise: the accused never learn of it)."""
    return _page(request, _visible_case(request, pk))


@login_required
@require_POST
def case_action(request, pk, action):
    """POST one step: validate its form, ask the confirmation of an irreversible step, call the
    service; back to the page with a message, or the page again with the form's errors (400), the
    refusal (409 not now, 403 not you) and nothing changed."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = _visible_case(request, pk)
    person_or_403(request.user, NO_PERSON)
    form = _form(action, request.POST, request.user, case, files=request.FILES)
    back = reverse("petitions:case", args=[case.pk])
    if form.is_valid() and (asked := confirmation_page(request, CASE, case, action, back=back)):
        return _private(asked, case)
    status = 400
    if form.is_valid():
        try:
            done = spec.perform(request.user, case, form)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            status = 409
        except PermissionDenied as error:
            messages.error(request, service_error_text(error))
            status = 403
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("petitions:case", pk=case.pk)
    return _page(request, _visible_case(request, case.pk), {"action": action, "form": form}, status)


@login_required
@require_GET
def attachment(request, pk, attachment_id):
    """A material of a case, for those who see the case (404 otherwise); 绝密 is never downloaded."""
    case = _visible_case(request, pk)
    upload = case.attachments.filter(pk=attachment_id).first()
    if upload is None:
        raise Http404
    if case.level == Level.TOP_SECRET:
        messages.error(request, _("绝密信访事项的材料不能下载，只能在屏幕上阅读。"))
        return redirect("petitions:case", pk=case.pk)
    audit.record(request.user, AuditAction.DOWNLOAD, obj=case, request=request, detail={"attachment": upload.pk})
    response = streaming_response(upload.file, name=upload.name)
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response, case)


__all__ = ["ACTIONS", "attachment", "case_action", "case_detail", "routing_proposal"]
