from django import forms
from django.utils.translation import gettext_lazy as _

from office.dashboard.report import KINDS
from office.forms import BootstrapMixin, PeriodForm


class DashboardForm(PeriodForm):
    start_label = _("统计起")
    end_label = _("统计止")

    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[("own", _("本人知悉范围")), ("global", _("全局"))],
    )


class ReportDraftForm(BootstrapMixin, forms.Form):
    """生成月报草稿 / 生成季报草稿: the month (or its quarter) in one of his 发文代字; the two
    buttons send ``kind``."""

    series = forms.TypedChoiceField(label=_("发文代字"), coerce=int)
    month = forms.DateField(
        label=_("报告期"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    kind = forms.ChoiceField(choices=KINDS, widget=forms.HiddenInput, required=True)

    def __init__(self, *args, series: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = series
