"""常用组 pages: a person's own groups (made and deleted here), the organisation-wide ones shown
beside them, and the JSON the unit pickers read. Thin over :mod:`office.org.groups`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from office.confidentiality.forms import BootstrapMixin, add_service_error
from office.confidentiality.visibility import person_of
from office.org import groups
from office.org.forms import UnitMultipleChoiceField
from office.org.models import Unit
from office.pages import person_or_403


class UnitGroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    units = UnitMultipleChoiceField(label=gettext_lazy("单位"), queryset=Unit.objects.none(), help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.active()


@login_required
def unit_group_list(request):
    person = person_or_403(request.user, _("没有人员信息的账号不能使用常用组。"))
    form = UnitGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.unit_group_create(
                actor=person, name=form.cleaned_data["name"], units=form.cleaned_data["units"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存常用组“%(name)s”。") % {"name": group.name})
            return redirect("org_unit_groups")
    visible = list(groups.unit_group_list_visible(person=person))
    context = {
        "form": form,
        "shared_groups": [group for group in visible if group.shared],
        "own_groups": [group for group in visible if not group.shared],
    }
    return render(request, "org/unit_groups.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def unit_group_delete(request, pk: int):
    person = person_or_403(request.user, _("没有人员信息的账号不能使用常用组。"))
    # Another person's group, or a shared one, is not found: only one's own may be deleted here.
    group = get_object_or_404(groups.unit_group_list_own(person=person), pk=pk)
    groups.unit_group_delete(actor=person, group=group)
    messages.success(request, _("已删除常用组“%(name)s”。") % {"name": group.name})
    return redirect("org_unit_groups")


@login_required
@require_GET
def unit_group_options(request):
    """The groups the picker offers: organisation-wide ones and the person's own."""
    return JsonResponse({"groups": groups.unit_group_options(person=person_of(request.user))})
