from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.forms import BootstrapMixin, DateInput, PersonChoiceField
from office.org.models import Person


def flow_choices() -> list[tuple[str, str]]:
    from office.workflow.machine import MACHINES

    return [(name, f"{_(machine.noun) or name}（{name}）") for name, machine in sorted(MACHINES.items())]


class DelegationForm(BootstrapMixin, forms.Form):
    delegate = PersonChoiceField(label=gettext_lazy("受托人"), queryset=Person.objects.none())
    starts_on = forms.DateField(label=gettext_lazy("起始日"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("截止日"), widget=DateInput())
    flows = forms.MultipleChoiceField(
        label=gettext_lazy("委托事项"),
        required=False,
        help_text=gettext_lazy("不选择的，委托全部事项。"),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=gettext_lazy("事由"), max_length=200, required=False)

    def __init__(self, *args, principal: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (
            Person.objects.filter(unit__organ=principal.unit.organ_id, user__is_active=True)
            .exclude(pk=principal.pk)
            .select_related("unit")
            .order_by("unit__sort_order", "name")
        )
        self.fields["flows"].choices = flow_choices()
