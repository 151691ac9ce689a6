"""领导驾驶舱: the page and its Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from office.dashboard import access, service
from office.dashboard.forms import DashboardForm


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
@require_GET
def dashboard(request):
    form, scope = _scope(request)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "data": service.summary(scope),
            "may_see_whole": access.may_see_whole(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def dashboard_export(request):
    _form, scope = _scope(request)
    return service.workbook_response(scope, service.summary(scope))
