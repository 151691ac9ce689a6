"""The 信访 list pages' forms: 信访登记 (with its 信访人 formset and the 诉求材料), the 信访台账 filters and
the figures' period. They check shape; ``petitions.services`` checks the rules and who may register."""

from __future__ import annotations

import os

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import forms as office_forms
from office.confidentiality.forms import BootstrapMixin
from office.org.forms import PersonChoiceField, UnitChoiceField, UnitMultipleChoiceField
from office.org.models import Person, Unit
from office.uploads import check_upload
from office.widgets import DateInput, MultipleFileInput
from petitions.models import (
    MAX_REPRESENTATIVES,
    BeyondLevel,
    CaseState,
    Channel,
    IssueCategory,
    Kind,
    PetitionerKind,
    Stage,
)
from petitions.services import PetitionerSpec

ID_NUMBER_CHARS = set("0123456789X")
MAX_PETITIONERS = 50
ALL = ("", _("全部"))


def categories() -> QuerySet[IssueCategory]:
    """The active 问题分类, each parent followed by its children (labelled "城乡建设 › 房屋质量")."""
    return (
        IssueCategory.objects.filter(active=True)
        .select_related("parent")
        .order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent__code", "code"),
            F("parent").asc(nulls_first=True),
            "sort_order",
            "code",
        )
    )


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and type by its bytes (``office.uploads``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads if upload]
        for upload in cleaned:
            try:
                check_upload(upload, field="attachments")
            except ValidationError as error:
                raise ValidationError(error.message_dict["attachments"]) from None
        return cleaned


# --- 信访登记 --------------------------------------------------------------------------------------


class RegisterForm(BootstrapMixin, forms.Form):
    """登记: the channel and the day received, what is asked and about what, where, the flags."""

    channel = forms.ChoiceField(label=_("信访形式"), choices=Channel.choices, initial=Channel.LETTER)
    received_on = forms.DateField(
        label=_("收到日期"),
        widget=DateInput(),
        help_text=_("来信以签收日、来访以接谈日、网上信访以提交日、上级转交以收到日计。"),
    )
    superior_number = forms.CharField(
        label=_("上级转交编号"), max_length=60, required=False, help_text=_("上级转送交办的事项必填。")
    )
    kind = forms.ChoiceField(label=_("诉求类型"), choices=Kind.choices, initial=Kind.CLAIM)
    category = forms.ModelChoiceField(
        label=_("问题分类"),
        queryset=IssueCategory.objects.none(),
        empty_label=_("（请选择）"),
        error_messages={"required": _("请选择问题分类。"), "invalid_choice": _("请选择有效的问题分类。")},
    )
    area = UnitChoiceField(label=_("问题属地"), queryset=Unit.objects.none(), required=False)
    involved_units = UnitMultipleChoiceField(label=_("涉及单位"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("事项摘要"), max_length=200, error_messages={"required": _("请填写事项摘要。")})
    content = forms.CharField(
        label=_("诉求内容"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写诉求内容。")},
    )
    attachments = MultipleFileField(
        label=_("诉求材料"), required=False, help_text=_("信件扫描件、照片等，可一次选择多个文件。")
    )
    beyond_level = forms.ChoiceField(label=_("越级"), choices=BeyondLevel.choices, required=False)
    mass = forms.BooleanField(label=_("群体性（集体访或联名信访）"), required=False)
    urgent = forms.BooleanField(label=_("紧急敏感（登记后即报告领导）"), required=False)
    headcount = forms.IntegerField(
        label=_("人数"), required=False, min_value=1, max_value=100_000, help_text=_("不填写的，按登记的信访人数计。")
    )
    accused_unit = UnitChoiceField(label=_("被检举单位"), queryset=Unit.objects.none(), required=False)
    accused_person = PersonChoiceField(
        label=_("被检举人"), queryset=Person.objects.none(), required=False, unit_field="accused_unit"
    )

    def __init__(self, *args, units: QuerySet[Unit], people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()
        self.fields["category"].label_from_instance = str
        for name in ("area", "involved_units", "accused_unit"):
            self.fields[name].queryset = units
        self.fields["accused_person"].queryset = people

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("收到日期不能晚于今天。"))
        return day

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.SUPERIOR and not (data.get("superior_number") or "").strip():
            self.add_error("superior_number", _("上级转送、交办的事项请填写上级转交编号。"))
        if data.get("kind") != Kind.ACCUSATION and (data.get("accused_unit") or data.get("accused_person")):
            self.add_error("accused_unit", _("只有检举控告事项登记被检举单位或被检举人。"))
        return data

    @property
    def accusation(self) -> bool:
        """Whether the 被检举 fields open: the kind chosen (or posted) is 检举控告."""
        value = self["kind"].value()
        return value == Kind.ACCUSATION

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "received_on": data["received_on"],
            "superior_number": data.get("superior_number") or "",
            "kind": data["kind"],
            "category": data["category"],
            "area": data.get("area"),
            "involved_units": list(data.get("involved_units") or []),
            "title": data["title"],
            "content": data["content"],
            "beyond_level": data.get("beyond_level") or BeyondLevel.NONE,
            "mass": bool(data.get("mass")),
            "urgent": bool(data.get("urgent")),
            "headcount": data.get("headcount"),
            "accused_unit": data.get("accused_unit") if data["kind"] == Kind.ACCUSATION else None,
            "accused_person": data.get("accused_person") if data["kind"] == Kind.ACCUSATION else None,
        }


class PetitionerForm(BootstrapMixin, forms.Form):
    """One 信访人: name (or the group's / organisation's name), kind, ID number, phone, address, 户籍, 代表."""

    name = forms.CharField(
        label=_("姓名或名称"), max_length=100, error_messages={"required": _("请填写信访人姓名或名称。")}
    )
    kind = forms.ChoiceField(label=_("类型"), choices=PetitionerKind.choices, initial=PetitionerKind.PERSON)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    hukou = forms.CharField(label=_("户籍所在地"), max_length=100, required=False)
    representative = forms.BooleanField(label=_("代表"), required=False)

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value and (len(value) != 18 or not set(value) <= ID_NUMBER_CHARS):
            raise ValidationError(_("身份证号码应为18位数字（末位可为X）。"))
        return value

    def has_changed(self) -> bool:
        # The kind's default alone is not a petitioner.
        return any(name != "kind" for name in self.changed_data)

    def spec(self) -> PetitionerSpec:
        data = self.cleaned_data
        return PetitionerSpec(
            name=data["name"],
            kind=data["kind"],
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
            address=data.get("address") or "",
            hukou=data.get("hukou") or "",
            representative=bool(data.get("representative")),
        )


class BasePetitionerFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.has_changed()]
        if not filled:
            raise ValidationError(_("请至少登记一名信访人。"))

    def specs(self) -> list[PetitionerSpec]:
        return [form.spec() for form in self.forms if form.has_changed() and form.cleaned_data.get("name")]

    def check_representatives(self, channel: str) -> None:
        """A 集体访 sends at most five 代表 (the service says so again)."""
        count = sum(1 for spec in self.specs() if spec.representative)
        if channel == Channel.VISIT and count > MAX_REPRESENTATIVES:
            raise ValidationError(_("集体访推选的代表不得超过%(n)d人。") % {"n": MAX_REPRESENTATIVES})

    def suppress_errors(self) -> None:
        """Show what was typed without judging it (a row was only added)."""
        self._errors, self._non_form_errors = [], self.error_class()
        for form in self.forms:
            form._errors = ErrorDict()


PetitionerFormSet = forms.formset_factory(
    PetitionerForm,
    formset=BasePetitionerFormSet,
    extra=2,
    min_num=1,
    max_num=MAX_PETITIONERS,
    validate_max=True,
)


# --- 信访台账 filters ------------------------------------------------------------------------------


class LedgerFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[ALL, *CaseState.choices])
    channel = forms.ChoiceField(label=_("信访形式"), required=False, choices=[ALL, *Channel.choices])
    kind = forms.ChoiceField(label=_("诉求类型"), required=False, choices=[ALL, *Kind.choices])
    category = forms.ModelChoiceField(
        label=_("问题分类"), required=False, queryset=IssueCategory.objects.none(), empty_label=_("全部")
    )
    area = UnitChoiceField(label=_("问题属地"), required=False, queryset=Unit.objects.none(), empty_label=_("全部"))
    handling_unit = UnitChoiceField(
        label=_("承办单位"), required=False, queryset=Unit.objects.none(), empty_label=_("全部")
    )
    stage = forms.ChoiceField(label=_("办理阶段"), required=False, choices=[ALL, *Stage.choices])
    beyond_level = forms.ChoiceField(
        label=_("越级"),
        required=False,
        choices=[
            ALL,
            ("any", _("越级（赴省或进京）")),
            (BeyondLevel.PROVINCE, _("赴省")),
            (BeyondLevel.CAPITAL, _("进京")),
        ],
    )
    received_from = forms.DateField(label=_("收到日期起"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("收到日期止"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("已超期"), required=False)
    mass = forms.BooleanField(label=_("群体性"), required=False)
    urgent = forms.BooleanField(label=_("紧急敏感"), required=False)
    repeat = forms.BooleanField(label=_("重复件"), required=False)

    FLAGS = ("overdue", "mass", "urgent", "repeat")
    CHOICES = ("state", "channel", "kind", "category", "area", "handling_unit", "stage", "beyond_level")

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()
        self.fields["category"].label_from_instance = str
        self.fields["area"].queryset = units
        self.fields["handling_unit"].queryset = units
        self.fields["q"].widget.attrs["placeholder"] = _("登记号、摘要、内容或问题分类")

    def clean(self):
        data = super().clean()
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            self.add_error("received_to", _("结束日期不能早于开始日期。"))
        return data

    def selector_arguments(self) -> tuple[dict, str]:
        """``(filters, text)`` for ``selectors.cases_visible``; a flag left unticked filters nothing."""
        data = self.cleaned_data
        filters = {name: data[name] for name in (*self.CHOICES, "received_from", "received_to") if data.get(name)}
        filters.update({name: True for name in self.FLAGS if data.get(name)})
        return filters, (data.get("q") or "").strip()


# --- 信访统计 --------------------------------------------------------------------------------------


class PeriodForm(office_forms.PeriodForm):
    """The period of the figures, by the day received; by default this year up to today."""

    start_label = _("收到日期起")
    end_label = _("收到日期止")

    BY = [("unit", _("按承办单位")), ("category", _("按问题分类")), ("area", _("按问题属地"))]

    by = forms.ChoiceField(label=_("分组"), choices=BY, required=False)

    def grouping(self) -> str:
        by = self.cleaned_data.get("by") if self.is_bound and self.is_valid() else ""
        return by or "unit"


def upload_name(upload) -> str:
    return os.path.basename(upload.name or "")[:200]
