"""The forms of a 信访事项's page, one per step of ``rules.CASE``: they check shape (a required
text, a date, a choice among what is offered); ``petitions.services`` checks the rules (dates not
in the future, who may act, the accused unit) and its ``ValidationError`` lands on these fields,
which carry the services' argument names."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.vocabulary import RETENTION_CHOICES
from office.confidentiality.forms import BootstrapMixin, DateInput
from office.org import forms as org_forms
from office.org.forms import PersonChoiceField
from petitions.models import NoteKind, Opinion, Route, Satisfaction, ServiceMethod

UnitChoiceField = org_forms.UnitChoiceField
MAX_DAYS = 30  # the one extension: at most 30 days (《信访工作条例》第三十五条)


def _today():
    return timezone.localdate()


def _text(label, *, required: bool = True, max_length: int = 5000, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, **kwargs.pop("attrs", {})}),
        **kwargs,
    )


def _day(label, *, required: bool = True, initial=_today) -> forms.DateField:
    return forms.DateField(label=label, required=required, initial=initial, widget=DateInput())


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case) -> str:
        return f"{case.number} {case.title}"


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series) -> str:
        return f"{series.code}（{series.issuer_name}）"


class RouteForm(BootstrapMixin, forms.Form):
    """分流: the route (among those open now), the unit (the routing table's proposal preselected),
    the 承办人 within that unit, the note to the 信访人 and, for 交办, the date to report back."""

    route = forms.ChoiceField(label=_("处理方式"), choices=())
    unit = UnitChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=None,
        help_text=_("直接受理不选时由本部门办理；转送、交办必选。"),
    )
    handler = PersonChoiceField(label=_("承办人"), required=False, queryset=None, unit_field="unit")
    note = _text(
        _("处理说明"),
        required=False,
        max_length=300,
        rows=2,
        help_text=_("导入法定途径或不再受理的，写明告知信访人的内容。"),
    )
    report_back_due = forms.DateField(label=_("报送结果时限"), required=False, widget=DateInput())

    def __init__(self, *args, routes: list[str], units: QuerySet, people: QuerySet, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(route, Route(route).label) for route in routes]
        self.fields["unit"].queryset = units
        self.fields["handler"].queryset = people
        self.proposal = proposal  # the routing table's unit, shown and preselected; a person confirms it
        if proposal is not None and not self.is_bound:
            self.initial.setdefault("unit", proposal.pk)


class AcceptForm(BootstrapMixin, forms.Form):
    handler = PersonChoiceField(label=_("承办人"), required=False, queryset=None)
    note = _text(
        _("受理告知"), required=False, max_length=500, rows=2, help_text=_("不填写时记为“书面告知信访人受理”。")
    )

    def __init__(self, *args, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = people


class ObjectForm(BootstrapMixin, forms.Form):
    reason = _text(_("异议理由"), max_length=2000, rows=2)


class NoteForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k.value, k.label) for k in (NoteKind.INVESTIGATION, NoteKind.INTERVIEW, NoteKind.OTHER)],
    )
    on = _day(_("日期"))
    text = _text(_("记录内容"))


class HearingForm(BootstrapMixin, forms.Form):
    on = _day(_("听证日期"))
    text = _text(_("听证事项"), max_length=2000, rows=2)


class HearingEndForm(BootstrapMixin, forms.Form):
    on = _day(_("听证结束日期"))
    text = _text(_("听证结论"), required=False, max_length=2000, rows=2)


class AskExtensionForm(BootstrapMixin, forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=MAX_DAYS, initial=MAX_DAYS)
    reason = _text(_("延期理由"), max_length=200, rows=2)


class ExtendForm(AskExtensionForm):
    notice = _text(
        _("延期告知"), required=False, max_length=500, rows=2, help_text=_("告知信访人延期理由的方式和内容。")
    )


class ReplyForm(BootstrapMixin, forms.Form):
    opinion = forms.ChoiceField(label=_("处理意见"), choices=Opinion.choices)
    facts = _text(_("认定事实"), max_length=20_000, rows=4)
    basis = _text(_("依据"), max_length=5000, rows=2)
    series = SeriesChoiceField(
        label=_("发文代字（信函格式）"), queryset=None, empty_label=None, help_text=_("答复意见书以信函格式制发。")
    )

    def __init__(self, *args, series: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


class ServeForm(BootstrapMixin, forms.Form):
    on = _day(_("送达日期"))
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    receipt = forms.CharField(
        label=_("送达回证"), required=False, max_length=200, help_text=_("回证编号、签收人或邮件单号。")
    )


class ReviewRequestForm(BootstrapMixin, forms.Form):
    on = _day(_("请求日期"))
    reviewing_unit = UnitChoiceField(label=_("复查复核机关"), queryset=None)
    reason = _text(_("请求理由"), max_length=2000, rows=2)

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewing_unit"].queryset = units


class RateForm(BootstrapMixin, forms.Form):
    satisfaction = forms.ChoiceField(label=_("评价"), choices=Satisfaction.choices)
    on = _day(_("评价日期"))
    revisit = _text(_("回访记录"), required=False, max_length=2000, rows=2)


class CloseForm(BootstrapMixin, forms.Form):
    """办结: nothing to type (the confirmation says what it ends)."""


class ArchiveForm(BootstrapMixin, forms.Form):
    retention = forms.ChoiceField(label=_("保管期限"), choices=RETENTION_CHOICES)


class LinkForm(BootstrapMixin, forms.Form):
    original = CaseChoiceField(label=_("重复的原事项"), queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, cases: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = cases


class MergeForm(BootstrapMixin, forms.Form):
    into = CaseChoiceField(label=_("并入事项"), queryset=None, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("并案理由"), required=False, max_length=200)

    def __init__(self, *args, cases: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = cases


class InstructForm(BootstrapMixin, forms.Form):
    text = _text(_("批示内容"), max_length=2000)
    supervise = forms.BooleanField(label=_("转督办"), required=False, help_text=_("立为督办事项，跟踪办理结果。"))
    due = forms.DateField(label=_("督办时限"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("due") and not data.get("supervise"):
            self.add_error("due", _("只有转督办时才填写督办时限。"))
        elif data.get("due") and data["due"] <= timezone.localdate():
            self.add_error("due", _("督办时限应晚于今天。"))
        return data


class AttachForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("材料"), help_text=_("信件扫描件、证据材料、送达回证等（PDF、图片或办公文档）。"))
    name = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("不填则用文件名。"))
