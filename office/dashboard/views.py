"""领导驾驶舱: the page (and its 月报/季报 draft), and its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from office.confidentiality.forms import add_service_error
from office.dashboard import access, report, service
from office.dashboard.forms import DashboardForm, ReportDraftForm


def _scope(request):
    """The period and scope asked for (this year and his own figures by default); an invalid
    period is shown on the form and the default is used meanwhile."""
    start, end = DashboardForm.default_period()
    form = DashboardForm(request.GET or None, initial={"start": start, "end": end, "scope": "own"})
    whole = False
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        whole = form.cleaned_data.get("scope") == "global"
    return form, access.scope_for(request.user, start=start, end=end, whole=whole)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """The page; a POST (生成月报草稿 / 生成季报草稿) drafts the 报告 and opens it."""
    form, scope = _scope(request)
    series = report.series_choices(request.user)
    draft_form = ReportDraftForm(series=series, initial={"month": scope.end})
    status = 200
    if request.method == "POST":
        draft_form = ReportDraftForm(request.POST, series=series)
        status = 400
        if draft_form.is_valid():
            data = draft_form.cleaned_data
            try:
                _pk, url = report.draft(
                    user=request.user, series=data["series"], kind=data["kind"], month=data["month"]
                )
            except ValidationError as error:
                add_service_error(draft_form, error)
            else:
                messages.success(request, _("报告草稿已生成，请修改后送核稿。"))
                return redirect(url)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "data": service.summary(scope),
            "may_see_whole": access.may_see_whole(request.user),
            "query": request.GET.urlencode(),
            "draft_form": draft_form if series else None,
        },
        status=status,
    )


@login_required
@require_GET
def dashboard_export(request):
    _form, scope = _scope(request)
    return service.workbook_response(scope, service.summary(scope))
