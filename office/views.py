"""The shell's pages: home, the directory, the calendar, and a health probe."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from office import health
from office.desk.views import desk_context
from office.org import selectors as org_selectors
from office.workdays import services as workdays_services
from office.workdays.forms import DueDateForm


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "office/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_system_admin"] = user.is_system_admin
        context.update(desk_context(self.request))
        if user.is_system_admin:
            context["missing_calendar_year"] = workdays_services.missing_next_year(timezone.localdate())
            context["health"] = health.status()
        return context


class DirectoryView(LoginRequiredMixin, TemplateView):
    template_name = "office/directory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people_by_unit: dict[int, list] = {}
        for person in org_selectors.person_list(filters={"user__is_active": True}):
            people_by_unit.setdefault(person.unit_id, []).append(person)
        context["rows"] = [(unit, depth, people_by_unit.get(unit.pk, [])) for unit, depth in org_selectors.unit_tree()]
        return context


@login_required
def calendar_view(request):
    """The due-date calculator; htmx posts the form and swaps in the result."""
    form = DueDateForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = workdays_services.due_date(data["start"], data["amount"], data["unit"])
        except workdays_services.PeriodOutOfRange as exc:
            form.add_error(None, str(exc))
    template = "office/partials/due_date_result.html" if request.htmx else "office/calendar.html"
    today = timezone.localdate()
    month_start = today.replace(day=1)
    context = {"form": form, "result": result}
    if not request.htmx:
        next_month = (month_start.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
        context["month_days"] = workdays_services.workdays_between(month_start, next_month - timezone.timedelta(days=1))
        context["month_start"] = month_start
        context["leading_blanks"] = range(month_start.weekday())
        context["today"] = today
        context["weekday_headers"] = [
            date_format(month_start + timezone.timedelta(days=offset - month_start.weekday()), "D")
            for offset in range(7)
        ]
    return render(request, template, context)


@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database and Redis answer."""
    status = health.status()
    body = {
        "database": status.database,
        "cache": status.cache,
        "workers_alive": status.workers_alive,
    }
    return JsonResponse(body, status=200 if status.ok else 503)
