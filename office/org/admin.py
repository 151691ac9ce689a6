from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from office.org.models import Person, Unit, User


class PersonInline(admin.StackedInline):
    model = Person
    fk_name = "user"
    can_delete = False
    readonly_fields = ["is_demo"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class OfficeUserAdmin(UserAdmin):
    inlines = [PersonInline]
    list_display = ["username", "first_name", "person_unit", "is_active", "is_staff"]
    list_select_related = ["person__unit"]
    search_fields = ["username", "first_name", "person__name"]

    @admin.display(description=_("所在单位"))
    def person_unit(self, user):
        person = getattr(user, "person", None)
        return person.unit if person else "—"

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: official records name their people


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["name", "short_name", "code", "kind", "sort_order", "active"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "parent", "organ", "head", "active"]
    list_filter = ["kind", "active", "organ"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent", "organ", "head"]
    autocomplete_fields = ["parent", "head"]
    inlines = [ChildUnitInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "post", "clearance", "phone", "is_demo"]
    list_filter = ["clearance", "unit__organ", "is_demo"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["unit", "user"]
    autocomplete_fields = ["unit", "user"]
    readonly_fields = ["is_demo"]

    def has_delete_permission(self, request, obj=None):
        return False
