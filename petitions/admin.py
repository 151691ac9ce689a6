"""The 信访 reference data the office's administrators keep: the 问题分类 tree and the routing table.

Cases, 信访人 and ledgers are not here on purpose: the admin reads past ``visible_to`` and the
identity mask, so a 检举控告 or a petitioner's ID number would leak to whoever runs the system.
They change through their actions (pages and API) only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from petitions.models import IssueCategory, RoutingRule


class ChildInline(admin.TabularInline):
    model = IssueCategory
    fk_name = "parent"
    fields = ["name", "code", "sort_order", "active"]
    extra = 0
    verbose_name = _("下级分类")
    verbose_name_plural = _("下级分类")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    """问题分类: added, renamed, reordered or switched off (never deleted: cases keep their class)."""

    list_display = ["__str__", "code", "sort_order", "active"]
    list_filter = ["active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    ordering = ["parent__sort_order", "sort_order", "code"]
    autocomplete_fields = ["parent"]
    inlines = [ChildInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """分流规则: category × area → the unit proposed (the 信访员 confirms it case by case)."""

    list_display = ["category", "area", "unit"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["category__name", "unit__name"]
    autocomplete_fields = ["category"]
