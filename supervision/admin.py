from django.contrib import admin

from supervision.models import SupervisionItem


@admin.register(SupervisionItem)
class SupervisionItemAdmin(admin.ModelAdmin):
    """Read-only: items change through their actions (pages and API), never by hand."""

    list_display = ["__str__", "source", "state", "due", "supervising_unit"]
    list_filter = ["state", "source", "priority"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
