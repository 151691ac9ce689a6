"""The 信访 ledger pages: the 矛盾纠纷排查化解台账 (by month, filters, Excel), the 领导接访日 and the
领导包案, each with its create and update forms, and the 信访形势分析 draft.

Thin edges: ``petitions.ledger_selectors`` read (the viewer's organ only, and never a row linked to
a case he does not see — such a row is a 404), ``petitions.ledger_rules`` say which forms a person
is offered (the very rules the services check), ``petitions.services`` change.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.api.helpers import XLSX
from office.confidentiality import audit
from office.confidentiality.forms import add_service_error
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.pages import page_of, query_without_page, service_error_text
from petitions import ledger_rules, ledger_selectors, services
from petitions.forms import ledgers as forms
from petitions.models import CaseState, Dispute, LeaderCase, PetitionCase

PAGE_SIZE = 50


def _organ(user: User) -> Unit | None:
    return ledger_rules.organ_of(person_of(user))


def _units(user: User) -> QuerySet[Unit]:
    organ = _organ(user)
    if organ is None:
        return Unit.objects.none()
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


def _cases(user: User) -> QuerySet[PetitionCase]:
    """The cases a form may link: the organ's, that the person sees, not merged."""
    organ = _organ(user)
    if organ is None:
        return PetitionCase.objects.none()
    return (
        PetitionCase.objects.visible_to(user)
        .filter(organ=organ)
        .exclude(state=CaseState.MERGED)
        .select_related("organ")
        .defer("content", "search_vector")
        .order_by("-year", "-sequence")
    )


def _leaders(user: User) -> QuerySet[Person]:
    organ = _organ(user)
    if organ is None:
        return Person.objects.none()
    return (
        Person.objects.active()
        .filter(unit__organ=organ, user__groups__name=Role.LEADER.value)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


def _fail(request, form, error: Exception) -> int:
    if isinstance(error, ValidationError):
        add_service_error(form, error)
        return 400
    messages.error(request, service_error_text(error))
    return 403


# --- 矛盾纠纷排查化解台账 -----------------------------------------------------------------------------


def _dispute_rows(request) -> tuple[forms.DisputeFilterForm, QuerySet[Dispute]]:
    form = forms.DisputeFilterForm(request.GET or None, units=Unit.objects.active())
    return form, ledger_selectors.disputes_visible(user=request.user, filters=form.filters())


@login_required
def disputes(request):
    """矛盾纠纷排查化解台账 (and 积案): by month, risk, status and 责任单位; a keeper records one."""
    user = request.user
    may_create = ledger_rules.may_create_dispute(user)
    form, status = None, 200
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(_("矛盾纠纷排查化解台账由信访员登记。"))
        form = forms.DisputeForm(request.POST, units=_units(user), cases=_cases(user))
        status = 400
        if form.is_valid():
            try:
                services.dispute_create(actor=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                status = _fail(request, form, error)
            else:
                messages.success(request, _("矛盾纠纷已登记。"))
                return redirect("petitions:disputes")
    elif may_create:
        form = forms.DisputeForm(units=_units(user), cases=_cases(user))
    filter_form, rows = _dispute_rows(request)
    page = page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "petitions/ledger_disputes.html",
        {
            "section": "disputes",
            "filter_form": filter_form,
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "may_update": may_create,
            "statuses": Dispute.Status.choices,
        },
        status=status,
    )


@login_required
@require_GET
def disputes_export(request):
    """The filtered 台账 as .xlsx, written to the access log."""
    form, rows = _dispute_rows(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("筛选条件有误，请改正后再导出。"))
        return redirect("petitions:disputes")
    rows = list(rows)
    content = ledger_selectors.dispute_workbook(rows)
    audit.record(
        request.user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": "petition_disputes", "filters": request.GET.dict(), "rows": len(rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_('矛盾纠纷排查化解台账')}-{stamp}.xlsx"
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def dispute_update(request, pk: int):
    dispute = ledger_selectors.dispute_visible(user=request.user, pk=pk)
    if dispute is None:
        raise Http404
    form = forms.DisputeUpdateForm(request.POST)
    update = lambda data: services.dispute_update(actor=request.user, dispute=dispute, **data)  # noqa: E731
    return _status_update(request, form, update, _("化解情况已更新。"), "petitions:disputes")


def _status_update(request, form, update, done: str, back: str):
    """A ledger row's 化解状态 from its list: the service decides; the list again, with the outcome."""
    if not form.is_valid():
        messages.error(request, _("请选择化解状态。"))
        return redirect(back)
    try:
        update(form.cleaned_data)
    except PermissionDenied as error:
        raise PermissionDenied(service_error_text(error)) from None
    except ValidationError as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, done)
    return redirect(back)


# --- 领导接访日 -------------------------------------------------------------------------------------


@login_required
def receptions(request):
    """领导接访日: the organ's schedule; a keeper adds a day."""
    user = request.user
    may_create = ledger_rules.may_create_reception(user)
    form, status = None, 200
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(_("领导接访日由信访员安排。"))
        form = forms.ReceptionForm(request.POST, leaders=_leaders(user), cases=_cases(user))
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["cases"] = list(data["cases"])
            try:
                services.reception_create(actor=user, **data)
            except (ValidationError, PermissionDenied) as error:
                status = _fail(request, form, error)
            else:
                messages.success(request, _("领导接访日已安排。"))
                return redirect("petitions:receptions")
    elif may_create:
        form = forms.ReceptionForm(leaders=_leaders(user), cases=_cases(user))
    page = page_of(request, ledger_selectors.receptions_visible(user=user), PAGE_SIZE)
    return render(
        request,
        "petitions/ledger_receptions.html",
        {"section": "receptions", "form": form, "page": page, "query": query_without_page(request)},
        status=status,
    )


# --- 领导包案 ---------------------------------------------------------------------------------------


@login_required
def leader_cases(request):
    """领导包案: the organ's 重点信访事项 with their leaders; a keeper assigns one, a leader (or a
    keeper) updates the 化解 status."""
    user = request.user
    may_assign = ledger_rules.may_keep_ledgers(user)
    form, status = None, 200
    if request.method == "POST":
        if not may_assign:
            raise PermissionDenied(_("领导包案由本机关的信访员安排。"))
        form = forms.LeaderCaseForm(request.POST, leaders=_leaders(user), cases=_cases(user))
        status = 400
        if form.is_valid():
            try:
                services.leader_case_assign(actor=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                status = _fail(request, form, error)
            else:
                messages.success(request, _("包案领导已确定。"))
                return redirect("petitions:leader_cases")
    elif may_assign:
        form = forms.LeaderCaseForm(leaders=_leaders(user), cases=_cases(user).filter(leader_case__isnull=True))
    mine = request.GET.get("mine") == "1"
    page = page_of(request, ledger_selectors.leader_cases_visible(user=user, mine=mine), PAGE_SIZE)
    person = person_of(user)
    for row in page.object_list:
        row.may_update = may_assign or (person is not None and row.leader_id == person.pk)
    return render(
        request,
        "petitions/ledger_leader_cases.html",
        {
            "section": "leader_cases",
            "form": form,
            "page": page,
            "mine": mine,
            "query": query_without_page(request),
            "statuses": LeaderCase.Status.choices,
        },
        status=status,
    )


@login_required
@require_POST
def leader_case_update(request, pk: int):
    leader_case = ledger_selectors.leader_case_visible(user=request.user, pk=pk)
    if leader_case is None:
        raise Http404
    form = forms.LeaderCaseUpdateForm(request.POST)
    update = lambda data: services.leader_case_update(actor=request.user, leader_case=leader_case, **data)  # noqa: E731
    return _status_update(request, form, update, _("包案化解情况已更新。"), "petitions:leader_cases")


# --- 信访形势分析 -----------------------------------------------------------------------------------


def _report_series(user: User) -> QuerySet:
    """The active 文件格式 发文代字 of the person's organ (a 报告 goes out in one of them)."""
    from documents.models import DocumentSeries

    organ = _organ(user)
    return DocumentSeries.objects.filter(organ__organ=organ, active=True, template="standard").order_by("code")


@login_required
def analysis(request):
    """信访形势分析: the month and the 发文代字; the draft opens in the documents module."""
    user = request.user
    if not ledger_rules.may_draft_analysis(user):
        raise PermissionDenied(_("信访形势分析由信访员或办公室主任起草。"))
    status = 200
    if request.method == "POST":
        form = forms.AnalysisForm(request.POST, series=_report_series(user))
        status = 400
        if form.is_valid():
            start, end = form.period()
            try:
                document = services.analysis_draft(actor=user, series=form.cleaned_data["series"], start=start, end=end)
            except (ValidationError, PermissionDenied) as error:
                status = _fail(request, form, error)
            else:
                messages.success(request, _("信访形势分析已起草，请修改后送核稿。"))
                return redirect("documents:outgoing_detail", pk=document.pk)
    else:
        form = forms.AnalysisForm(series=_report_series(user))
    return render(request, "petitions/ledger_analysis.html", {"section": "analysis", "form": form}, status=status)
