"""The carrier register and a carrier's page: registering a carrier, and what its page offers
those who manage it (知悉范围, 密级 and 保密期限, 解密条件, 份号) and everyone who may see it (a
copy or excerpt request)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView

from office.confidentiality import audit, forms, selectors, services
from office.confidentiality.api_base import VisibleObjectMixin
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier, ClassifiedCopy, TermUnit
from office.confidentiality.views._common import NO_PERSON, mark_of, page_context, render_page
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.org.models import Person, Unit
from office.pages import no_store, page_of, person_or_403, query_without_page, service_error_text, watermark
from office.workflow import TransitionNotAllowed


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


# --- The carrier register --------------------------------------------------------------------------


@login_required
@require_GET
def carrier_list(request):
    """The carriers the person may see (visible_to), newest first, 50 a page."""
    form = forms.CarrierFilterForm(request.GET or None)
    filters = form.selector_filters() if form.is_valid() else {}
    page = page_of(request, selectors.carrier_list_visible(user=request.user, filters=filters))
    return render_page(
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
                request, _("已登记：%(title)s（%(mark)s）") % {"title": carrier.title, "mark": mark_of(carrier)}
            )
            return redirect("confidentiality:carrier_detail", pk=carrier.pk)
    return _render_carrier_form(request, form)


def _render_carrier_form(request, form):
    return render_page(
        request,
        "confidentiality/carrier_form.html",
        {"form": form, "ceiling": Level(settings.SHUNIU_CLASSIFICATION_CEILING)},
        section="carriers",
    )


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
        **page_context(user, section="carriers"),
        "carrier": carrier,
        "object": carrier,
        "mark": mark_of(carrier),
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
