from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.workdays import services
from office.workdays.forms import ArrangementImportForm
from office.workdays.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "notice", "loaded_at"]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def has_add_permission(self, request):
        return False  # years come from the package or from an imported notice

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workdays_calendaryear_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.is_system_admin:
            raise PermissionDenied
        form = ArrangementImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.calendar_import_year(
                actor=request.user, year=data["year"], days=data["days"], notice=data["notice"]
            )
            messages.success(
                request,
                _("已导入%(year)d年节假日安排，共%(count)d天。") % {"year": data["year"], "count": len(data["days"])},
            )
            return redirect("admin:workdays_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": gettext_lazy("导入年度节假日安排"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/import.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]
