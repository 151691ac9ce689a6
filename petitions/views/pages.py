"""The 信访 list pages: 信访登记, the 信访台账 (filters, lights, paging, the Excel ledger), 我的信访 and
the figures with their Excel table (a case's page: ``petitions.views.case``).

Thin edges, as the 督查督办 pages are: forms check shape, ``petitions.services`` register (and check
who may), ``petitions.selectors`` read, every read from ``visible_to()`` — a 检举控告 never reaches
whom it accuses, in a row, a count or a file. The 信访人 are named only through
``selectors.petitioner_names`` (masked for all but the case's handlers).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from office.api.helpers import XLSX
from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import person_of
from office.org.models import Person, Unit, User
from office.pages import page_of, query_without_page, register_download, service_error_text
from office.uploads import files_kept_only_if_stored
from petitions import exports, forms, selectors, services
from petitions.models import PetitionCase

PAGE_SIZE = 50
NOT_OFFICER = gettext_lazy("信访事项由信访员登记。")

MINE_TABS = [
    ("route", gettext_lazy("待分流")),
    ("accept", gettext_lazy("待受理")),
    ("handle", gettext_lazy("办理中")),
    ("after", gettext_lazy("待办结")),
    ("registered", gettext_lazy("我登记的")),
]
MINE_EMPTY = {
    "route": gettext_lazy("没有待分流的信访事项。"),
    "accept": gettext_lazy("没有待本单位受理的信访事项。"),
    "handle": gettext_lazy("没有本单位正在办理的信访事项。"),
    "after": gettext_lazy("没有已答复、待评价办结的信访事项。"),
    "registered": gettext_lazy("您还没有登记过信访事项。"),
}


def _units_of(person: Person | None) -> QuerySet[Unit]:
    """The person's organ and every unit below it: the 属地, 涉及单位 and 承办单位 a form offers."""
    if person is None:
        return Unit.objects.none()
    organ = Unit.objects.get(pk=person.unit.organ_id) if person.unit.organ_id else person.unit
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


def _people_in(units: QuerySet[Unit]) -> QuerySet[Person]:
    return Person.objects.active().filter(unit__in=units).select_related("unit").order_by("unit__sort_order", "name")


def _rows(page, user: User) -> None:
    """What each row of a list shows: its 信访人 as the reader may see them, its light."""
    today = timezone.localdate()
    for case in page.object_list:
        case.petitioner_list = selectors.petitioner_names(case, user)
        case.light = selectors.light(case, today)


# --- 信访台账 ---------------------------------------------------------------------------------------


def _filtered_cases(request) -> tuple[forms.LedgerFilterForm, QuerySet[PetitionCase]]:
    form = forms.LedgerFilterForm(request.GET or None, units=_units_of(person_of(request.user)))
    filters, text = form.selector_arguments() if form.is_valid() else ({}, "")
    return form, selectors.cases_visible(user=request.user, filters=filters, text=text)


@login_required
@require_GET
def ledger(request):
    """信访台账: the cases the person may see, 50 a page, each with its 信访人 (masked unless he
    handles it), its current clock and light, and how often it came again."""
    form, cases = _filtered_cases(request)
    page = page_of(request, selectors.ledger_rows(cases), PAGE_SIZE)
    _rows(page, request.user)
    return render(
        request,
        "petitions/ledger.html",
        {
            "section": "ledger",
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_register": services.may_register(request.user),
        },
    )


@login_required
@require_GET
def ledger_export(request):
    """The filtered 信访台账 as .xlsx (masked as on screen); an EXPORT row in the access log."""
    form, cases = _filtered_cases(request)
    register = exports.ledger_register(request.user)
    return register_download(request, cases, register, form=form, back=reverse("petitions:ledger"))


# --- 我的信访 ---------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """我的信访: 待分流 (the 信访员's), 待受理 and 办理中 (his unit's), 待办结 and what he registered."""
    sections = selectors.my_cases(user=request.user)
    tabs = [{"key": key, "label": label, "count": sections[key].count()} for key, label in MINE_TABS]
    current = request.GET.get("tab")
    if current not in sections:
        current = next((tab["key"] for tab in tabs if tab["count"]), "route")
    page = page_of(request, selectors.ledger_rows(sections[current]).order_by("due", "-year", "-sequence"), PAGE_SIZE)
    _rows(page, request.user)
    return render(
        request,
        "petitions/mine.html",
        {
            "section": "mine",
            "tabs": tabs,
            "current": current,
            "page": page,
            "query": f"tab={current}",
            "empty": MINE_EMPTY[current],
        },
    )


# --- 信访统计 ---------------------------------------------------------------------------------------


def _period(request) -> tuple[forms.PeriodForm, object, object, str]:
    start, end = forms.PeriodForm.default_period()
    data = None
    if request.GET:  # a date left out is the default period's
        data = request.GET.copy()
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
    form = forms.PeriodForm(data, initial={"start": start, "end": end, "by": "unit"})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end, form.grouping()


def _figure_rows(user: User, by: str, start, end) -> tuple[list, selectors.Figures]:
    rows = selectors.figures(user=user, by=by, start=start, end=end)
    whole = selectors.figures(user=user, by=by, start=start, end=end, whole=True)[0]
    return rows, whole


@login_required
@require_GET
def figures(request):
    """信访统计 over the cases received in the period that the person may see, by 承办单位, 问题分类
    or 问题属地: 及时受理率, 按期办结率, 参评率, 满意率, the repeats, 越级 and 集体访, 一次性化解率."""
    form, start, end, by = _period(request)
    rows, whole = _figure_rows(request.user, by, start, end)
    return render(
        request,
        "petitions/figures.html",
        {
            "section": "figures",
            "form": form,
            "start": start,
            "end": end,
            "by_label": dict(forms.PeriodForm.BY)[by],
            "rows": rows,
            "whole": whole,
            "query": query_without_page(request),
        },
    )


@login_required
@require_GET
def figures_export(request):
    """The figures table as .xlsx; the export is written to the access log with its period."""
    form, start, end, by = _period(request)
    if form.errors:
        messages.error(request, _("统计期间有误，请改正后再导出。"))
        return redirect(reverse("petitions:figures") + "?" + request.GET.urlencode())
    rows, whole = _figure_rows(request.user, by, start, end)
    content = exports.figures_workbook([*rows, whole], title=_("信访统计"))
    audit.record(
        request.user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": "petition_figures", "filters": {"start": str(start), "end": str(end), "by": by}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"信访统计-{stamp}.xlsx")
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


# --- 信访登记 ---------------------------------------------------------------------------------------

ADD_ROW = "add_petitioner"


@login_required
def register(request):
    """信访登记 (信访员 only): the case, its 信访人 (one at least) and its 诉求材料, in one go; then the
    case's page, where the repeat suggestions wait. On a refusal nothing is stored."""
    if not services.may_register(request.user):
        raise PermissionDenied(str(NOT_OFFICER))
    person = person_of(request.user)
    units = _units_of(person)
    form_kwargs = {"units": units, "people": _people_in(units)}
    if request.method != "POST":
        form = forms.RegisterForm(initial={"received_on": timezone.localdate()}, **form_kwargs)
        return _render_register(request, form, forms.PetitionerFormSet(prefix="petitioners"))
    if ADD_ROW in request.POST:
        return _add_row(request, form_kwargs)
    form = forms.RegisterForm(request.POST, request.FILES, **form_kwargs)
    formset = forms.PetitionerFormSet(request.POST, prefix="petitioners")
    if form.is_valid() and formset.is_valid():
        try:
            formset.check_representatives(form.cleaned_data["channel"])
            case = _register(request.user, person, form, formset)
        except ValidationError as error:
            _put_errors(form, formset, error)
        except PermissionDenied as error:
            form.add_error(None, service_error_text(error))
        else:
            messages.success(request, _("已登记：%(number)s %(title)s") % {"number": case.number, "title": case.title})
            return redirect(reverse("petitions:case", kwargs={"pk": case.pk}))
    return _render_register(request, form, formset, status=400)


def _register(user: User, person: Person, form, formset) -> PetitionCase:
    """The case and its papers, or nothing (no file left behind either)."""
    with files_kept_only_if_stored() as keep, transaction.atomic():
        case = services.case_register(actor=user, petitioners=formset.specs(), **form.service_arguments())
        for upload in form.cleaned_data.get("attachments") or []:
            keep(services.case_attach(actor=user, case=case, upload=upload, name=forms.upload_name(upload)).file)
    return case


def _put_errors(form, formset, error: ValidationError) -> None:
    """A service's (or the formset's) refusal on the field it names; the 信访人's above their rows."""
    if hasattr(error, "error_dict") and "petitioners" in error.error_dict:
        formset._non_form_errors = formset.error_class(
            [message for e in error.error_dict.pop("petitioners") for message in e.messages]
        )
        if not error.error_dict:
            return
    elif not hasattr(error, "error_dict"):
        formset._non_form_errors = formset.error_class(error.messages)
        return
    add_service_error(form, error)


def _add_row(request, form_kwargs):
    """增加信访人: the page again with one more blank row, what was typed kept and not yet judged."""
    data = request.POST.copy()
    total = data.get("petitioners-TOTAL_FORMS", "1")
    rows = int(total) + 1 if total.isdigit() else 1
    data["petitioners-TOTAL_FORMS"] = str(min(rows, forms.MAX_PETITIONERS))
    form = forms.RegisterForm(data, **form_kwargs)
    form._errors = ErrorDict()
    formset = forms.PetitionerFormSet(data, prefix="petitioners")
    formset.suppress_errors()
    return _render_register(request, form, formset)


def _render_register(request, form, formset, status=200):
    return render(
        request,
        "petitions/register.html",
        {"section": "register", "form": form, "formset": formset, "add_row": ADD_ROW},
        status=status,
    )
