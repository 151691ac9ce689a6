"""The 建议提案 page forms: the 台账 filters, 导入, one form per step of ``rules.PROPOSAL`` and the
figures' year. They check shape; ``petitions.proposals.services`` checks the rules, and its
``ValidationError`` lands on these fields, which carry the services' argument names."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.confidentiality.forms import BootstrapMixin
from office.org.forms import PersonChoiceField, UnitChoiceField
from office.widgets import DateInput
from petitions.proposals.models import (
    Body,
    ContactMethod,
    Mode,
    ProposalKind,
    ProposalState,
    ResultCode,
    Satisfaction,
)

ALL = ("", _("全部"))
MAX_EXTENSION = 3  # months (6 in all from 交办)


def _today():
    return timezone.localdate()


def _text(label, *, required: bool = True, max_length: int = 5000, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _day(label, *, required: bool = True, initial=_today, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, initial=initial, widget=DateInput(), **kwargs)


def _years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(year), f"{year}年") for year in range(this, this - 8, -1)]


class ShareChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, share) -> str:
        return f"{share.get_role_display()}：{share.unit.name}"


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series) -> str:
        return f"{series.code}（{series.issuer_name}）"


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit.name


# --- 台账 --------------------------------------------------------------------------------------------


class ProposalFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100, help_text=_("编号、案由或内容中的词语。"))
    session = forms.ModelChoiceField(label=_("届次会次"), required=False, queryset=None, empty_label=_("全部"))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[ALL, *ProposalKind.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[ALL, *ProposalState.choices])
    unit = forms.ModelChoiceField(label=_("承办单位"), required=False, queryset=None, empty_label=_("全部"))
    key = forms.BooleanField(label=_("只看重点建议提案"), required=False)
    overdue = forms.BooleanField(label=_("只看已逾期"), required=False)

    def __init__(self, *args, sessions: QuerySet, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["unit"].queryset = units

    def selector_arguments(self) -> tuple[dict, str]:
        data = self.cleaned_data
        filters = {
            "session": data["session"],
            "kind": data["kind"],
            "state": data["state"],
            "unit": data["unit"],
            "key": True if data["key"] else None,
            "overdue": True if data["overdue"] else None,
        }
        return filters, data["q"].strip()


# --- 导入 --------------------------------------------------------------------------------------------


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("建议提案文件"),
        help_text=_("Excel（.xlsx，表头：类型、编号、案由、内容、领衔人、代表团或界别、提出日期、附议人）或JSON。"),
    )
    session = forms.ModelChoiceField(label=_("届次会次"), required=False, queryset=None, empty_label=_("新建届次会次"))
    body = forms.ChoiceField(label=_("类别"), required=False, choices=[ALL, *Body.choices])
    name = forms.CharField(label=_("届次会次名称"), required=False, max_length=60)
    year = forms.IntegerField(label=_("年度"), required=False, initial=lambda: timezone.localdate().year)
    recipient_office = forms.CharField(
        label=_("抄送机关"), required=False, max_length=60, help_text=_("人大选联工委或政协提案委。")
    )

    def __init__(self, *args, sessions: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions

    def clean(self):
        data = super().clean()
        if not data.get("session"):
            for name, text in (
                ("body", _("请选择人大或政协。")),
                ("name", _("请填写届次会次。")),
                ("year", _("请填写年度。")),
                ("recipient_office", _("请填写抄送的人大或政协工作机构。")),
            ):
                if not data.get(name):
                    self.add_error(name, text)
        return data


# --- Steps -------------------------------------------------------------------------------------------


class EmptyForm(BootstrapMixin, forms.Form):
    """A step with nothing to type (its confirmation says what it does)."""


class AssignForm(BootstrapMixin, forms.Form):
    mode = forms.ChoiceField(label=_("办理方式"), choices=Mode.choices, initial=Mode.LEAD)
    lead_unit = UnitChoiceField(label=_("主办单位"), required=False, queryset=None)
    assist_units = UnitsField(label=_("会办单位"), required=False, queryset=None)
    split_units = UnitsField(label=_("分办单位"), required=False, queryset=None, help_text=_("分办须选两个以上单位。"))
    key = forms.BooleanField(label=_("重点建议提案"), required=False)
    leading_leader = PersonChoiceField(label=_("领办领导"), required=False, queryset=None)
    on = _day(_("交办日期"))

    def __init__(self, *args, units: QuerySet, leaders: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "assist_units", "split_units"):
            self.fields[name].queryset = units
        self.fields["leading_leader"].queryset = leaders


class AdjustRequestForm(BootstrapMixin, forms.Form):
    reason = _text(_("调整理由"), max_length=2000)
    suggested_unit = forms.CharField(label=_("建议调整至"), required=False, max_length=100)


class AdjustDecideForm(BootstrapMixin, forms.Form):
    share = ShareChoiceField(label=_("调整申请"), queryset=None, empty_label=None)
    agree = forms.TypedChoiceField(
        label=_("审定意见"),
        choices=[("1", _("同意调整")), ("0", _("不同意，退回原单位办理"))],
        coerce=lambda v: v == "1",
    )
    new_unit = UnitChoiceField(label=_("调整至"), required=False, queryset=None)
    note = _text(_("说明"), required=False, max_length=2000, rows=2)

    def __init__(self, *args, shares: QuerySet, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = shares
        self.fields["new_unit"].queryset = units


class AssistOpinionForm(BootstrapMixin, forms.Form):
    text = _text(_("会办意见"), max_length=5000, rows=4)


class ContactForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(label=_("方式"), choices=ContactMethod.choices)
    on = _day(_("日期"))
    people = forms.CharField(label=_("参加人员"), max_length=200)
    view = _text(_("代表委员意见"), max_length=5000)
    leader_visit = forms.BooleanField(label=_("领导走访"), required=False)


class ReplyForm(BootstrapMixin, forms.Form):
    result_code = forms.ChoiceField(label=_("办理结果"), choices=ResultCode.choices)
    text = _text(_("答复内容"), max_length=20000, rows=6)
    series = SeriesChoiceField(label=_("发文代字"), queryset=None, empty_label=None)
    promised_on = forms.DateField(
        label=_("承诺解决时间"), required=False, widget=DateInput(), help_text=_("B类、C类须填写。")
    )

    def __init__(self, *args, series: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


class SendForm(BootstrapMixin, forms.Form):
    on = _day(_("送达日期"))


class ExtendForm(BootstrapMixin, forms.Form):
    months = forms.IntegerField(label=_("延长月数"), min_value=1, max_value=MAX_EXTENSION, initial=MAX_EXTENSION)
    reason = _text(_("延期理由"), max_length=200, rows=2)


class RateForm(BootstrapMixin, forms.Form):
    share = ShareChoiceField(label=_("答复"), queryset=None, empty_label=None)
    satisfaction = forms.ChoiceField(label=_("征询意见"), choices=Satisfaction.choices)
    on = _day(_("征询日期"))
    note = _text(_("说明"), required=False, max_length=2000, rows=2)

    def __init__(self, *args, shares: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = shares


class RehandleForm(BootstrapMixin, forms.Form):
    share = ShareChoiceField(label=_("承办单位"), queryset=None, empty_label=None)
    note = _text(_("说明"), required=False, max_length=2000, rows=2)

    def __init__(self, *args, shares: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = shares


# --- Figures -----------------------------------------------------------------------------------------


class YearForm(BootstrapMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
