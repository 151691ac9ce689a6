"""The forms of the 信访 ledgers (矛盾纠纷, 领导接访日, 领导包案) and of the 信访形势分析 draft. They
check shape; ``petitions.services`` (and ``petitions.ledger_rules``) check the rules and who may."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.confidentiality.forms import BootstrapMixin
from office.org.forms import PersonChoiceField, UnitChoiceField
from office.org.models import Person, Unit
from office.widgets import DateInput
from petitions.models import Dispute, LeaderCase, PetitionCase

ALL = ("", _("全部"))
MONTH_FORMATS = ["%Y-%m", "%Y年%m月"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (2026-11), cleaned to its first day."""

    widget = MonthInput
    input_formats = MONTH_FORMATS

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: PetitionCase) -> str:
        return f"{case.number} {case.title}"


class CasesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, case: PetitionCase) -> str:
        return f"{case.number} {case.title}"


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series) -> str:
        return f"{series.code}（{series.issuer_name}）"


# --- 矛盾纠纷 ---------------------------------------------------------------------------------------


class DisputeFilterForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("排查月份"), required=False)
    risk = forms.ChoiceField(label=_("风险等级"), required=False, choices=[ALL, *Dispute.Risk.choices])
    status = forms.ChoiceField(label=_("化解状态"), required=False, choices=[ALL, *Dispute.Status.choices])
    responsible_unit = UnitChoiceField(
        label=_("责任单位"), required=False, queryset=Unit.objects.none(), empty_label=_("全部")
    )
    backlog = forms.BooleanField(label=_("仅信访积案"), required=False)

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units

    def filters(self) -> dict:
        return dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}


class DisputeForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("排查月份"))
    title = forms.CharField(label=_("矛盾纠纷"), max_length=200)
    area = UnitChoiceField(label=_("属地"), required=False, queryset=Unit.objects.none())
    risk = forms.ChoiceField(label=_("风险等级"), choices=Dispute.Risk.choices, initial=Dispute.Risk.MEDIUM)
    responsible_unit = UnitChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    plan = forms.CharField(label=_("化解方案"), widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("化解时限"), widget=DateInput())
    backlog = forms.BooleanField(label=_("信访积案"), required=False)
    case = CaseChoiceField(label=_("关联信访事项"), required=False, queryset=PetitionCase.objects.none())

    def __init__(self, *args, units: QuerySet[Unit], cases: QuerySet[PetitionCase], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("month", timezone.localdate().replace(day=1))
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = units
        self.fields["responsible_unit"].queryset = Unit.objects.active().order_by("sort_order", "pk")
        self.fields["case"].queryset = cases


class DisputeUpdateForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("化解状态"), choices=Dispute.Status.choices)
    plan = forms.CharField(label=_("化解方案"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- 领导接访日 -------------------------------------------------------------------------------------


class ReceptionForm(BootstrapMixin, forms.Form):
    leader = PersonChoiceField(label=_("接访领导"), queryset=Person.objects.none())
    day = forms.DateField(label=_("接访日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100)
    topic = forms.CharField(label=_("接访主题"), max_length=200, required=False)
    cases = CasesChoiceField(label=_("接访事项"), required=False, queryset=PetitionCase.objects.none())

    def __init__(self, *args, leaders: QuerySet[Person], cases: QuerySet[PetitionCase], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["cases"].queryset = cases


# --- 领导包案 ---------------------------------------------------------------------------------------


class LeaderCaseForm(BootstrapMixin, forms.Form):
    case = CaseChoiceField(label=_("信访事项"), queryset=PetitionCase.objects.none())
    leader = PersonChoiceField(label=_("包案领导"), queryset=Person.objects.none())
    plan = forms.CharField(label=_("化解方案"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, leaders: QuerySet[Person], cases: QuerySet[PetitionCase], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["case"].queryset = cases


class LeaderCaseUpdateForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("化解状态"), choices=LeaderCase.Status.choices)
    plan = forms.CharField(
        label=_("化解方案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不填写的，保留原方案；方案由信访员调整。"),
    )


# --- 信访形势分析 -----------------------------------------------------------------------------------


class AnalysisForm(BootstrapMixin, forms.Form):
    """The month analysed and the 发文代字 (文件格式) of the 报告."""

    month = MonthField(label=_("分析月份"))
    series = SeriesChoiceField(label=_("发文代字"), queryset=None, empty_label=None)

    def __init__(self, *args, series: QuerySet, **kwargs):
        last = timezone.localdate().replace(day=1)
        previous = (last - timedelta(days=1)).replace(day=1)
        kwargs.setdefault("initial", {}).setdefault("month", previous)
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series

    def period(self) -> tuple[date, date]:
        month = self.cleaned_data["month"]
        return month, month_end(month)
