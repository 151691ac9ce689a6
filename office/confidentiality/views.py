"""The 保密 pages: the carrier register, a carrier's page, the 份号 register, copy requests, the
declassification worklist and the access log.

Thin edges: forms check shape, ``services`` change state (and check who may), ``selectors`` and
``visible_to()`` read. A carrier a person may not see is a 404 (and a ``denied`` audit event); a
read above 内部 is logged. The 保密员's registers are 403 for everyone else and show a record's
title only where the officer may see the record itself; otherwise only its mark.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import wraps

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
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView

from office.api.helpers import XLSX
from office.confidentiality import audit, exports, forms, selectors, services
from office.confidentiality.api_base import VisibleObjectMixin
from office.confidentiality.levels import Level
from office.confidentiality.models import (
    AuditAction,
    Carrier,
    ClassifiedCopy,
    CopyRequestState,
    CopyState,
    TermUnit,
)
from office.confidentiality.visibility import (
    exportable,
    get_visible_or_404,
    is_security_officer,
    person_of,
    reads_access_log,
)
from office.org.models import Person, Role, Unit
from office.pages import no_store, page_of, person_or_403, query_without_page, service_error_text, watermark
from office.workflow import TransitionNotAllowed

NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理保密事项。")
EXPORT_LIMIT = 50_000  # rows in one access-log export; narrow the filters for more


# --- Helpers ---------------------------------------------------------------------------------------


def _only(may_open):
    """A page for those ``may_open`` lets in; everyone else gets a plain 403 page that shows
    nothing of it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not may_open(request.user):
                return _render(request, "confidentiality/forbidden.html", {}, section="", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


security_officer_required = _only(is_security_officer)  # the 保密员's registers
access_log_reader_required = _only(reads_access_log)  # the log: 保密员 and 安全审计员


def _render(request, template: str, context: dict, *, section: str, status: int = 200) -> HttpResponse:
    """Every page of the module knows its tab and whether to offer the 保密员's registers (and,
    to the 安全审计员 as well, the access log)."""
    user = request.user
    context = {"section": section, "is_security_officer": is_security_officer(user), **context}
    context.setdefault("reads_access_log", reads_access_log(user))
    return render(request, template, context, status=status)


def _back(request, default: str) -> str:
    """Where a POST from a list goes back to: the page's own ``next`` if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _organ_units(person: Person) -> QuerySet[Unit]:
    return Unit.objects.active().filter(organ=person.unit.organ_id)


def _organ_people(person: Person, *, cleared_for: int) -> QuerySet[Person]:
    """People of the person's organ cleared for a level (grants never lift anyone above it)."""
    return (
        Person.objects.active()
        .filter(unit__organ=person.unit.organ_id, clearance__gte=cleared_for)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__code", "name")
    )


def _records_for_rows(user, pairs) -> dict[tuple[int, int], dict]:
    """For register rows that point at records by (content type, id): each record with its mark,
    and its title only when ``user`` may see the record itself. Two queries per record type,
    however many rows."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in pairs:
        wanted[content_type_id].add(object_id)
    found: dict[tuple[int, int], dict] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        visible = set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        for record in model._default_manager.filter(pk__in=ids):
            found[(content_type_id, record.pk)] = {
                "record": record,
                "title": str(record) if record.pk in visible else None,
                "url": reverse("confidentiality:carrier_detail", args=[record.pk])
                if model is Carrier and record.pk in visible
                else None,
            }
    return found


def _copy_rows(user, copies, today) -> list[dict]:
    records = _records_for_rows(user, [(copy.content_type_id, copy.object_id) for copy in copies])
    return [
        {"copy": copy, "overdue": copy.is_overdue(today), **records.get((copy.content_type_id, copy.object_id), {})}
        for copy in copies
    ]


# --- The carrier register --------------------------------------------------------------------------


@login_required
@require_GET
def carrier_list(request):
    """The carriers the person may see (visible_to), newest first, 50 a page."""
    form = forms.CarrierFilterForm(request.GET or None)
    filters = form.selector_filters() if form.is_valid() else {}
    page = page_of(request, selectors.carrier_list_visible(user=request.user, filters=filters))
    return _render(
        request,
        "confidentiality/carrier_list.html",
        section="carriers",
        context={
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_register": person_of(request.user) is not None,
        },
    )


@login_required
def carrier_create(request):
    """Register a carrier. Above the deployment's ceiling only the register is kept: content is
    refused with a message and nothing is stored."""
    person = person_or_403(request.user, NO_PERSON)
    form_kwargs = {"clearance": person.clearance, "units": _organ_units(person)}
    if request.method != "POST":
        form = forms.CarrierForm(initial={"unit": person.unit_id, "classification": Level.INTERNAL}, **form_kwargs)
        return _render_carrier_form(request, form)
    form = forms.CarrierForm(request.POST, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            carrier = services.carrier_register(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                reference=data["reference"],
                source_organ=data["source_organ"],
                unit=data["unit"],
                content=data["content"],
                **form.classification_arguments(),
            )
        except ValidationError as error:  # CeilingExceeded included
            forms.add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, service_error_text(error))
        else:
            messages.success(
                request, _("已登记：%(title)s（%(mark)s）") % {"title": carrier.title, "mark": _mark(carrier)}
            )
            return redirect("confidentiality:carrier_detail", pk=carrier.pk)
    return _render_carrier_form(request, form)


def _render_carrier_form(request, form):
    return _render(
        request,
        "confidentiality/carrier_form.html",
        {"form": form, "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING)},
        section="carriers",
    )


def _mark(record) -> str:
    return record.level_mark or str(record.level.label)


# --- A carrier's page ------------------------------------------------------------------------------


def may_manage(user, carrier: Carrier) -> bool:
    # The service's own rule (owner, or a 保密员 cleared for the level), so page and service agree.
    return person_of(user) is not None and services.may_manage(user, carrier)


def _carrier_copies(carrier: Carrier, today) -> list[dict]:
    copies = (
        ClassifiedCopy.objects.filter(content_type=ContentType.objects.get_for_model(Carrier), object_id=carrier.pk)
        .select_related("holder_person", "holder_unit")
        .order_by("copy_number")
    )
    return [{"copy": copy, "overdue": copy.is_overdue(today)} for copy in copies]


def _detail_forms(user, carrier: Carrier, bound: dict) -> dict:
    """The forms a carrier's page offers this person, with any bound (failed) one in place."""
    person = person_of(user)
    result = {}
    if carrier.is_classified:
        result["copy_request_form"] = bound.get("copy_request_form") or forms.CopyRequestForm()
    if not may_manage(user, carrier):
        return result
    organ_units = _organ_units(person)
    result["grant_form"] = bound.get("grant_form") or forms.ScopeForm(
        people=_organ_people(person, cleared_for=carrier.classification), units=organ_units
    )
    result["reclassify_form"] = bound.get("reclassify_form") or forms.ReclassifyForm(
        clearance=person.clearance,
        initial={
            "classification": carrier.classification,
            "secrecy_term_unit": carrier.secrecy_term_unit,
            "secrecy_term_amount": carrier.secrecy_term_amount,
            "secrecy_until": carrier.secrecy_until,
            "declassify_condition": carrier.declassify_condition,
            "classification_basis": carrier.classification_basis,
        },
    )
    if carrier.is_classified:
        result["issue_form"] = bound.get("issue_form") or forms.CopyIssueForm(
            people=_organ_people(person, cleared_for=carrier.classification), units=organ_units
        )
    if carrier.secrecy_term_unit == TermUnit.CONDITION and not carrier.declassify_condition_met:
        result["condition_form"] = bound.get("condition_form") or forms.ConditionMetForm()
    if "revoke_error" in bound:
        result["revoke_error"] = bound["revoke_error"]
    return result


def _detail_context(request, carrier: Carrier, bound: dict | None = None) -> dict:
    user = request.user
    manage = may_manage(user, carrier)
    context = {
        "section": "carriers",
        "is_security_officer": is_security_officer(user),
        "reads_access_log": reads_access_log(user),
        "carrier": carrier,
        "object": carrier,
        "mark": _mark(carrier),
        "is_top_secret": carrier.level == Level.TOP_SECRET,
        "watermark": watermark(user, carrier),
        "content_allowed": carrier.level <= Level(settings.SHUNIU_CLASSIFICATION_CEILING),
        "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING),
        "can_manage": manage,
        **_detail_forms(user, carrier, bound or {}),
    }
    if manage:
        context["grants"] = services.grants_of(carrier)
        context["copies"] = _carrier_copies(carrier, timezone.localdate())
    return context


class CarrierDetailView(VisibleObjectMixin, DetailView):
    """A carrier from the person's visible set (404 otherwise, and a ``denied`` event); the read
    is logged above 内部. 绝密 content is on screen only, watermarked, never printable."""

    model = Carrier
    template_name = "confidentiality/carrier_detail.html"

    def get_object(self, queryset=None):
        return super().get_object(Carrier.objects.select_related("unit", "created_by", "classified_by"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_detail_context(self.request, self.object)}

    def render_to_response(self, context, **response_kwargs):
        return no_store(super().render_to_response(context, **response_kwargs), self.object)


carrier_detail = CarrierDetailView.as_view()


def _visible_carrier(request, pk) -> Carrier:
    return get_visible_or_404(Carrier.objects.select_related("unit", "created_by", "classified_by"), request.user, pk)


def _render_detail_again(request, carrier: Carrier, bound: dict, status: int = 200) -> HttpResponse:
    """The carrier's page with a failed form in place (showing the content again is a read)."""
    audit.record_read(request.user, carrier, request=request)
    response = render(
        request, "confidentiality/carrier_detail.html", _detail_context(request, carrier, bound), status=status
    )
    return no_store(response, carrier)


def _carrier_action(request, pk, *, form_key: str, make_form, perform, done: str) -> HttpResponse:
    """POST a form from a carrier's page: validate, call the service, back to the page with a
    message; on a refusal, the page again with the form and the service's message."""
    carrier = _visible_carrier(request, pk)
    person = person_or_403(request.user, NO_PERSON)
    form = make_form(request.POST, carrier, person)
    status = 200
    if form.is_valid():
        try:
            result = perform(carrier, form)
        except ValidationError as error:
            forms.add_service_error(form, error)
        except PermissionDenied as error:
            # A page message: the person may not even be offered this form.
            messages.error(request, service_error_text(error))
            status = 403
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, result or done)
            return redirect("confidentiality:carrier_detail", pk=carrier.pk)
    return _render_detail_again(request, carrier, {form_key: form}, status=status)


@login_required
@require_POST
def carrier_grant(request, pk):
    def make_form(data, carrier, person):
        return forms.ScopeForm(
            data, people=_organ_people(person, cleared_for=carrier.classification), units=_organ_units(person)
        )

    def perform(carrier, form):
        data = form.cleaned_data
        services.grant(
            actor=request.user, record=carrier, person=data["person"], unit=data["unit"], reason=data["reason"]
        )

    return _carrier_action(
        request, pk, form_key="grant_form", make_form=make_form, perform=perform, done=_("已加入知悉范围。")
    )


@login_required
@require_POST
def carrier_revoke(request, pk):
    """Remove one of the carrier's current grants (the choices are exactly those grants)."""
    carrier = _visible_carrier(request, pk)
    person_or_403(request.user, NO_PERSON)
    granted = services.grants_of(carrier)
    form = forms.ScopeForm(
        request.POST,
        people=Person.objects.filter(pk__in=[person.pk for person in granted["people"]]).select_related("unit"),
        units=Unit.objects.filter(pk__in=[unit.pk for unit in granted["units"]]),
    )
    if not form.is_valid():
        return _render_detail_again(request, carrier, {"revoke_error": forms.errors_as_text(form)})
    data = form.cleaned_data
    try:
        services.revoke(
            actor=request.user, record=carrier, person=data["person"], unit=data["unit"], reason=data["reason"]
        )
    except ValidationError as error:
        return _render_detail_again(request, carrier, {"revoke_error": service_error_text(error)})
    except PermissionDenied as error:
        messages.error(request, service_error_text(error))
        return _render_detail_again(request, carrier, {}, status=403)
    messages.success(request, _("已移出知悉范围。"))
    return redirect("confidentiality:carrier_detail", pk=carrier.pk)


@login_required
@require_POST
def carrier_reclassify(request, pk):
    def perform(carrier, form):
        services.reclassify(
            actor=request.user, record=carrier, reason=form.cleaned_data["reason"], **form.classification_arguments()
        )

    return _carrier_action(
        request,
        pk,
        form_key="reclassify_form",
        make_form=lambda data, carrier, person: forms.ReclassifyForm(data, clearance=person.clearance),
        perform=perform,
        done=_("密级和保密期限已变更。"),
    )


@login_required
@require_POST
def carrier_condition_met(request, pk):
    def perform(carrier, form):
        services.flag_declassify_condition(actor=request.user, record=carrier, reason=form.cleaned_data["reason"])

    return _carrier_action(
        request,
        pk,
        form_key="condition_form",
        make_form=lambda data, carrier, person: forms.ConditionMetForm(data),
        perform=perform,
        done=_("已标记解密条件成就，转入解密审核。"),
    )


@login_required
@require_POST
def carrier_copy_issue(request, pk):
    def make_form(data, carrier, person):
        return forms.CopyIssueForm(
            data, people=_organ_people(person, cleared_for=carrier.classification), units=_organ_units(person)
        )

    def perform(carrier, form):
        data = form.cleaned_data
        copy = services.copy_issue(
            actor=request.user,
            record=carrier,
            holder_person=data["holder_person"],
            holder_unit=data["holder_unit"],
            due_back=data["due_back"],
            copy_number=data["copy_number"],
            note=data["note"],
        )
        return _("份号%(n)s已分发。") % {"n": copy.number_display}

    return _carrier_action(
        request, pk, form_key="issue_form", make_form=make_form, perform=perform, done=_("份号已分发。")
    )


@login_required
@require_POST
def carrier_copy_request(request, pk):
    def perform(carrier, form):
        data = form.cleaned_data
        services.copy_request_submit(
            actor=request.user, record=carrier, kind=data["kind"], reason=data["reason"], copies=data["copies"]
        )

    return _carrier_action(
        request,
        pk,
        form_key="copy_request_form",
        make_form=lambda data, carrier, person: forms.CopyRequestForm(data),
        perform=perform,
        done=_("复制摘抄申请已提交，待机关负责人审批。"),
    )


# --- The 份号 register -----------------------------------------------------------------------------


@security_officer_required
@require_GET
def copy_register(request):
    """Every numbered copy of the records in the 保密员's register; ``?overdue=1`` for the copies
    past their return date."""
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    state = request.GET.get("state") if request.GET.get("state") in CopyState.values else None
    copies = selectors.copy_register(user=request.user, overdue_on=today if overdue else None, state=state)
    page = page_of(request, copies.order_by("-issued_at", "-pk"))
    return _render(
        request,
        "confidentiality/copy_register.html",
        section="copy_register",
        context={
            "page": page,
            "rows": _copy_rows(request.user, page.object_list, today),
            "overdue": overdue,
            "state": state or "",
            "states": CopyState.choices,
            "query": query_without_page(request),
            "today": today,
        },
    )


@login_required
@require_GET
def my_copies(request):
    """The copies the person holds, personally or through their unit, with 签收."""
    today = timezone.localdate()
    page = page_of(request, selectors.copies_held_by(user=request.user).order_by("-issued_at", "-pk"))
    return _render(
        request,
        "confidentiality/my_copies.html",
        section="my_copies",
        context={
            "page": page,
            "rows": _copy_rows(request.user, page.object_list, today),
            "query": query_without_page(request),
        },
    )


COPY_ACTIONS = {
    "sign": (services.copy_sign, gettext_lazy("已签收。")),
    "return": (services.copy_return, gettext_lazy("已清退。")),
    "request-destruction": (
        services.copy_request_destruction,
        gettext_lazy("已申请销毁，待另一名保密员或领导监销确认。"),
    ),
    "confirm-destruction": (services.copy_confirm_destruction, gettext_lazy("已确认销毁。")),
}


@login_required
@require_POST
def copy_action(request, pk, action):
    """签收 (the holder), 清退 / 申请销毁 / 确认销毁 (保密员; a second person confirms). The copy
    comes from the person's register or the copies they hold: anything else is a 404."""
    if action not in COPY_ACTIONS:
        raise Http404
    copy = selectors.copy_register(user=request.user).filter(pk=pk).first()
    if copy is None and action == "sign":
        copy = selectors.copies_held_by(user=request.user).filter(pk=pk).first()
    if copy is None:
        raise Http404
    service, done = COPY_ACTIONS[action]
    arguments = {"note": request.POST.get("note", "")[:200]} if action == "request-destruction" else {}
    try:
        service(actor=request.user, copy=copy, **arguments)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, _("份号%(number)s：%(done)s") % {"number": copy.number_display, "done": done})
    default = reverse(
        "confidentiality:copy_register" if is_security_officer(request.user) else "confidentiality:my_copies"
    )
    return redirect(_back(request, default))


# --- Copy and excerpt requests ---------------------------------------------------------------------


@login_required
@require_GET
def copy_requests(request):
    """The person's own requests and, for a leader, those of their organ awaiting a decision."""
    user = request.user
    person = person_of(user)
    page = page_of(request, selectors.copy_requests_for(user=user).order_by("-requested_at", "-pk"))
    records = _records_for_rows(user, [(row.content_type_id, row.object_id) for row in page.object_list])
    may_decide = person is not None and user.has_role(Role.LEADER)
    rows = []
    for row in page.object_list:
        found = records.get((row.content_type_id, row.object_id), {})
        record = found.get("record")
        decidable = (
            may_decide
            and row.state == CopyRequestState.PENDING
            and row.requested_by_id != person.pk
            and record is not None
            and person.clearance >= record.classification
        )
        rows.append(
            {
                "request": row,
                **found,
                "decidable": decidable,
                "needs_organ_approval": record is not None and record.level == Level.TOP_SECRET,
            }
        )
    return _render(
        request,
        "confidentiality/copy_requests.html",
        {"page": page, "rows": rows, "query": query_without_page(request)},
        section="copy_requests",
    )


@login_required
@require_POST
def copy_request_decide(request, pk):
    copy_request = selectors.copy_requests_for(user=request.user).filter(pk=pk).first()
    if copy_request is None:
        raise Http404
    form = forms.CopyDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.errors_as_text(form))
    else:
        data = form.cleaned_data
        try:
            services.copy_request_decide(
                actor=request.user,
                request=copy_request,
                approve=data["decision"] == forms.CopyDecisionForm.APPROVE,
                note=data["note"],
                originating_organ_approval=data["originating_organ_approval"],
            )
        except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, _("已审批。"))
    return redirect(_back(request, reverse("confidentiality:copy_requests")))


# --- Declassification worklist ---------------------------------------------------------------------


def _prefix(form: str, record) -> str:
    """Each row's forms have their own field names (records of two types may share an id)."""
    return f"{form}{ContentType.objects.get_for_model(record).pk}-{record.pk}"


@security_officer_required
@require_GET
def declassification_worklist(request):
    """Records of the 保密员's register whose term has run out or whose 解密条件 is flagged."""
    user = request.user
    person = person_of(user)
    today = timezone.localdate()
    records = selectors.declassification_worklist(user=user, today=today)
    by_type: dict[type, set[int]] = defaultdict(set)
    for record in records:
        by_type[type(record)].add(record.pk)
    visible = {
        (model, pk)
        for model, ids in by_type.items()
        for pk in model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    }
    rows = [
        {
            "record": record,
            "content_type_id": ContentType.objects.get_for_model(record).pk,
            "kind": record._meta.verbose_name,
            "title": str(record) if (type(record), record.pk) in visible else None,
            "url": reverse("confidentiality:carrier_detail", args=[record.pk])
            if isinstance(record, Carrier) and (Carrier, record.pk) in visible
            else None,
            "days_over": (today - record.declassify_due).days if record.declassify_due else None,
            "declassify_form": forms.DeclassifyForm(prefix=_prefix("d", record)),
            "change_form": forms.ReclassifyForm(
                clearance=person.clearance,
                at_least=Level.CONFIDENTIAL,
                prefix=_prefix("c", record),
                initial={"classification": record.classification, "classification_basis": record.classification_basis},
            ),
        }
        for record in records
    ]
    return _render(
        request, "confidentiality/declassification.html", {"rows": rows, "today": today}, section="declassification"
    )


@security_officer_required
@require_POST
def declassification_decide(request, content_type_id, pk):
    """解密 (to 内部 or 公开) or 延期/变更密级 of a record on the worklist, always with a reason."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model not in selectors.classified_models():
        raise Http404
    record = model.objects.registered_for(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    person = person_of(request.user)
    decision = request.POST.get("decision")
    if decision == "declassify":
        form = forms.DeclassifyForm(request.POST, prefix=_prefix("d", record))
    elif decision == "change":
        form = forms.ReclassifyForm(
            request.POST, clearance=person.clearance, at_least=Level.CONFIDENTIAL, prefix=_prefix("c", record)
        )
    else:
        raise Http404
    back = reverse("confidentiality:declassification")
    if not form.is_valid():
        messages.error(request, forms.errors_as_text(form))
        return redirect(back)
    data = form.cleaned_data
    arguments = (
        form.classification_arguments()
        if decision == "change"
        else {"level": Level(data["classification"]), "basis": record.classification_basis}
    )
    try:
        record = services.reclassify(actor=request.user, record=record, reason=data["reason"], **arguments)
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        messages.error(request, service_error_text(error))
    else:
        done = _("已解密，现为“%(mark)s”。") if decision == "declassify" else _("已变更为“%(mark)s”。")
        messages.success(request, done % {"mark": _mark(record)})
    return redirect(back)


# --- The access log --------------------------------------------------------------------------------


def _record_types() -> QuerySet[ContentType]:
    models = selectors.classified_models()
    return ContentType.objects.filter(pk__in=[ContentType.objects.get_for_model(model).pk for model in models])


def _record_type_label(content_type: ContentType | None) -> str:
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model else ""


def _detail_text(detail: dict) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


def _access_log_form(request) -> forms.AccessLogFilterForm:
    return forms.AccessLogFilterForm(request.GET or None, record_types=_record_types())


@access_log_reader_required
@require_GET
def access_log(request):
    """The access and security log, filtered, 50 a page (保密员 and 安全审计员; search terms only
    as ``audit.shown_detail`` lets the reader see them)."""
    form = _access_log_form(request)
    if form.is_bound and not form.is_valid():
        events = selectors.access_log(user=request.user).none()
    else:
        filters = form.selector_filters() if form.is_bound else {}
        events = selectors.access_log(user=request.user, filters=filters)
    page = page_of(request, events)
    terms_up_to = audit.terms_readable_up_to(request.user)
    rows = [
        {
            "event": event,
            "record_type": _record_type_label(event.content_type),
            "detail": _detail_text(audit.shown_detail(event.detail, terms_up_to=terms_up_to)),
        }
        for event in page.object_list
    ]
    return _render(
        request,
        "confidentiality/access_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
        section="access_log",
    )


@access_log_reader_required
@require_GET
def access_log_export(request):
    """The filtered log as an Excel file; the export is itself an audit event. Events about 绝密
    records (their titles) stay on screen: ``exportable`` leaves them out, as every export does."""
    form = _access_log_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(forms.errors_as_text(form), status=400, content_type="text/plain; charset=utf-8")
    filters = form.selector_filters() if form.is_bound else {}
    events = exportable(selectors.access_log(user=request.user, filters=filters))

    workbook, sheet = exports.log_workbook()
    headers = [
        _("序号"),
        _("时间"),
        _("操作人"),
        _("操作"),
        _("记录类型"),
        _("记录编号"),
        _("记录"),
        _("密级"),
        _("来源地址"),
        _("详情"),
    ]
    sheet.append(headers)

    rows = 0
    terms_up_to = audit.terms_readable_up_to(request.user)
    for event in events[:EXPORT_LIMIT].iterator(chunk_size=2000):
        detail = audit.shown_detail(event.detail, terms_up_to=terms_up_to)
        sheet.append(
            exports.event_cells(sheet, event, record_type=_record_type_label(event.content_type), detail=detail)
        )
        rows += 1
    if rows == EXPORT_LIMIT:
        sheet.append([exports.text_cell(sheet, _("仅导出前%(n)d条，请缩小筛选范围。") % {"n": EXPORT_LIMIT})])
    content = exports.workbook_bytes(workbook)

    audit.record(
        request.user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": "access_log", "filters": form.described() if form.is_bound else {}, "rows": rows},
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.xlsx"'
    add_never_cache_headers(response)
    return response
