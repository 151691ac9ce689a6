from django import forms
from django.utils.translation import gettext_lazy as _

from office.forms import PeriodForm


class DashboardForm(PeriodForm):
    start_label = _("统计起")
    end_label = _("统计止")

    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[("own", _("本人知悉范围")), ("global", _("全局"))],
    )
