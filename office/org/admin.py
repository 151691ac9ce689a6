"""The admin site of the 系统管理员 and the 安全保密管理员 (三员分立).

Every change goes through :mod:`office.org.services`, which decides with :mod:`office.org.rights`
who may change which field and writes the audit event; the forms here only leave out (read-only)
what the viewer may not change. Nobody becomes superuser, staff or a member of a group here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from office.admin_widgets import SafeAutocompleteMixin
from office.org import rights, services
from office.org.forms import UnitTree
from office.org.models import Person, Role, Unit, UnitGroup, User

# The fields of the person form, and the name each has in rights.editable_fields.
PERSON_FIELDS = ["name", "unit", "post", "clearance", "phone", "email", "roles", "active"]


class PersonAdminForm(forms.ModelForm):
    """The person and their login on one form; roles and "active" are the login's."""

    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则账号暂不能登录，之后在“登录账号”中设置密码。"),
    )
    roles = forms.TypedMultipleChoiceField(
        label=_("角色"),
        required=False,
        coerce=Role,
        choices=[(role.value, role.label) for role in rights.BUSINESS_ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("系统管理员、安全保密管理员和安全审计员三员分立，只能在服务器命令行指定。"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    class Meta:
        model = Person
        fields = ["name", "unit", "post", "clearance", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "username" in self.fields:
            self.fields["username"].required = not self.instance.pk  # a new person needs a login
        if self.instance.pk:
            user = self.instance.user
            self.initial.setdefault(
                "roles", list(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
            )
            self.initial.setdefault("active", user.is_active)


@admin.register(Person)
class PersonAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["name", "unit", "post", "clearance", "phone", "is_demo"]
    list_filter = ["clearance", "unit__organ", "is_demo"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["unit", "user"]
    autocomplete_fields = ["unit"]

    def get_fields(self, request, obj=None):
        account = ["username", "password"] if obj is None else []
        editable = rights.editable_fields(request.user, obj)
        shown = [name if name != "roles" or name in editable else "role_names" for name in PERSON_FIELDS]
        return [*account, *shown, "is_demo"]

    def get_readonly_fields(self, request, obj=None):
        editable = rights.editable_fields(request.user, obj)
        shown = [name for name in PERSON_FIELDS if name not in editable]
        return [*("role_names" if name == "roles" else name for name in shown), "is_demo"]

    @admin.display(description=_("角色"))
    def role_names(self, person):
        if person is None or not person.pk:
            return "—"
        names = sorted(name for name in person.user.groups.values_list("name", flat=True) if name in Role.values)
        return "、".join(names) or "—"

    def has_add_permission(self, request):
        return bool(rights.editable_fields(request.user, None)) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: official records name their people

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        editable = rights.editable_fields(request.user, obj if change else None)
        try:
            if change:
                changes = {name: data[name] for name in form.changed_data if name in editable and name in data}
                roles = changes.pop("roles", None)
                active = changes.pop("active", None)
                services.person_update(actor=request.user, person=obj, roles=roles, active=active, **changes)
            else:
                created = services.person_create(
                    actor=request.user,
                    username=data["username"],
                    password=data.get("password") or None,
                    name=data["name"],
                    unit=data["unit"],
                    post=data.get("post", ""),
                    phone=data.get("phone", ""),
                    email=data.get("email", ""),
                    roles=data.get("roles", []),
                    active=data.get("active", True),
                )
                obj.pk, obj.user = created.pk, created.user
        except (PermissionDenied, ValidationError) as error:
            # The form was valid but the service refused: say why, change nothing.
            messages.error(request, "；".join(_messages_of(error)))
            raise _Refused from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused:
            return redirect(request.get_full_path())


class _Refused(Exception):
    """A service refused what the admin form asked; the transaction is rolled back."""


def _messages_of(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or str(_("您没有执行该操作的权限。"))]


@admin.register(User)
class OfficeUserAdmin(UserAdmin):
    """Logins, read-only but for the password (set through the service, audited). Superuser and
    staff status, groups and permissions are never edited here: roles are on the person's form."""

    list_display = ["username", "first_name", "person_unit", "is_active", "is_staff"]
    list_select_related = ["person__unit"]
    search_fields = ["username", "first_name", "person__name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("账号状态"), {"fields": ["first_name", "email", "is_active", "is_staff", "is_superuser", "role_names"]}),
        (_("登录记录"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = [
        "username",
        "first_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "role_names",
        "last_login",
        "date_joined",
    ]
    filter_horizontal = []

    @admin.display(description=_("所在单位"))
    def person_unit(self, user):
        person = getattr(user, "person", None)
        return person.unit if person else "—"

    @admin.display(description=_("角色"))
    def role_names(self, user):
        return "、".join(sorted(name for name in user.groups.values_list("name", flat=True) if name in Role.values))

    def has_add_permission(self, request):
        return False  # a login comes with its person: 人员 › 新增

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: official records name their people

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        person = getattr(user, "person", None) if user is not None else None
        if user is None or person is None or "password" not in rights.editable_fields(request.user, person):
            raise Http404  # own password: 修改密码; the administrators': the command line
        if request.method == "POST":
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                usable = form.cleaned_data.get("usable_password", "true") != "false"
                password = form.cleaned_data["password1"] if usable else None
                services.password_set(actor=request.user, user=user, password=password)
                messages.success(request, _("已重置%(name)s的密码，并已记入安全日志。") % {"name": person.name})
                return redirect(reverse("admin:org_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["name", "short_name", "code", "kind", "sort_order", "active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a unit is added on its own form, through the service


@admin.register(Unit)
class UnitAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "parent", "organ", "head", "active"]
    list_filter = ["kind", "active", "organ"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent", "organ", "head"]
    autocomplete_fields = ["parent", "head"]
    inlines = [ChildUnitInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            services.unit_update(actor=request.user, unit=obj, **fields)
        else:
            created = services.unit_create(actor=request.user, **form.cleaned_data)
            obj.pk = created.pk


class SharedUnitGroupForm(forms.ModelForm):
    class Meta:
        model = UnitGroup
        fields = ["name", "units", "sort_order"]
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "units" in self.fields:
            self.fields["units"].queryset = Unit.objects.active().select_related("parent")
            tree = UnitTree()  # one query for every label
            self.fields["units"].label_from_instance = lambda unit: tree.label(unit.pk)


@admin.register(UnitGroup)
class SharedUnitGroupAdmin(admin.ModelAdmin):
    """常用组 shared by the whole organisation (no owner): the 系统管理员's alone. A person's own
    groups are theirs, kept on their 常用组 page and not shown here."""

    form = SharedUnitGroupForm
    list_display = ["name", "unit_count", "sort_order"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner__isnull=True).prefetch_related("units")

    @admin.display(description=_("单位数"))
    def unit_count(self, group: UnitGroup) -> int:
        return len(group.units.all())

    def _is_system_admin(self, request) -> bool:
        return request.user.is_active and request.user.is_system_admin

    def has_module_permission(self, request):
        return self._is_system_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_system_admin(request)

    def has_add_permission(self, request):
        return self._is_system_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_system_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_system_admin(request)

    def save_model(self, request, obj, form, change):
        obj.owner = None
        super().save_model(request, obj, form, change)


# API tokens and login lockouts (the 系统管理员's security housekeeping).
from office.org import admin_security  # noqa: E402, F401
