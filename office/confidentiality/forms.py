"""Forms of the 保密 pages. They check the shape of what a person typed; the rules (clearance,
ceiling, terms allowed by law, two-person destruction) live in ``services`` and come back as
``ValidationError`` that :func:`add_service_error` puts on the form."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office import widgets
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, CarrierKind, CopyRequestKind, TermUnit
from office.inputs import guard_form_fields
from office.org.models import Person, Unit


class BootstrapMixin:
    """The base of every page form: Bootstrap classes on every widget, ``is-invalid`` on a field
    once it has an error, text fields that refuse control characters and dates within the calendar
    (``office.inputs``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_form_fields(self.fields)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the field it names when the form has
    that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_as_text(form: forms.Form) -> str:
    """A form's errors in one line for a page message: ``变更理由：这个字段是必填项。``"""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}：{error}" if label else str(error) for error in errors)
    return " ".join(parts)


DateInput = widgets.DateInput  # the Chinese date picker every page form uses


def level_choices(*, up_to: int, at_least: int = Level.PUBLIC) -> list[tuple[int, str]]:
    """The levels a person may choose: never above their own clearance."""
    return [(level.value, level.label) for level in Level if at_least <= level <= up_to]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return f"{person.name}（{person.unit.name} · {person.get_clearance_display()}）"


# --- Classification and 保密期限 ------------------------------------------------------------------


class ClassificationFieldsMixin(forms.Form):
    """密级, 保密期限 (years, months, a date or a 解密条件) and 定密依据, named as the model and the
    services name them so that a service's field error lands on the right input."""

    classification = forms.TypedChoiceField(label=_("密级"), coerce=int, choices=())
    secrecy_term_unit = forms.ChoiceField(
        label=_("保密期限方式"),
        required=False,
        choices=[("", _("按法定最长期限")), *TermUnit.choices],
        help_text=_("不填写期限的，按法定最长期限：绝密30年、机密20年、秘密10年。"),
    )
    secrecy_term_amount = forms.IntegerField(label=_("期限（年或月数）"), required=False, min_value=1, max_value=30)
    secrecy_until = forms.DateField(label=_("解密时间"), required=False, widget=DateInput())
    declassify_condition = forms.CharField(label=_("解密条件"), required=False, max_length=200)
    classification_basis = forms.CharField(
        label=_("定密依据"), required=False, max_length=200, help_text=_("涉密事项必填，如保密事项范围的条目。")
    )

    def __init__(self, *args, clearance: int, at_least: int = Level.PUBLIC, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = level_choices(up_to=clearance, at_least=at_least)

    def classification_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "level": Level(data["classification"]),
            "term_unit": data.get("secrecy_term_unit") or "",
            "term_amount": data.get("secrecy_term_amount"),
            "until": data.get("secrecy_until"),
            "condition": data.get("declassify_condition") or "",
            "basis": data.get("classification_basis") or "",
        }


class CarrierForm(BootstrapMixin, ClassificationFieldsMixin):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("载体类型"), choices=CarrierKind.choices, initial=CarrierKind.PAPER)
    reference = forms.CharField(label=_("文号或编号"), max_length=80, required=False)
    source_organ = forms.CharField(label=_("来源机关"), max_length=100, required=False)
    unit = forms.ModelChoiceField(label=_("保管单位"), queryset=Unit.objects.none())
    content = forms.CharField(
        label=_("内容"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("超出本系统密级上限的载体只登记，不得录入内容。"),
    )

    field_order = [
        "title",
        "kind",
        "reference",
        "source_organ",
        "unit",
        "classification",
        "secrecy_term_unit",
        "secrecy_term_amount",
        "secrecy_until",
        "declassify_condition",
        "classification_basis",
        "content",
    ]

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReclassifyForm(BootstrapMixin, ClassificationFieldsMixin):
    """定密变更: a new level and/or term, always with a reason."""

    reason = forms.CharField(label=_("变更理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DeclassifyForm(BootstrapMixin, forms.Form):
    """解密: the record becomes 内部 or 公开, with a reason."""

    classification = forms.TypedChoiceField(
        label=_("解密后"),
        coerce=int,
        choices=[(Level.INTERNAL.value, Level.INTERNAL.label), (Level.PUBLIC.value, Level.PUBLIC.label)],
        initial=Level.INTERNAL.value,
    )
    reason = forms.CharField(label=_("解密理由"), max_length=300)


class ConditionMetForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("说明"), max_length=300)


# --- 知悉范围 ---------------------------------------------------------------------------------------


class ScopeForm(BootstrapMixin, forms.Form):
    """A person or a unit added to (or removed from) the 知悉范围, with a reason."""

    person = PersonChoiceField(label=_("人员"), queryset=Person.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    reason = forms.CharField(label=_("理由"), max_length=300)

    def __init__(self, *args, people: QuerySet[Person], units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("unit")):
            raise ValidationError(_("请指定一名人员或一个单位（二者选一）。"))
        return data


# --- The copy register (份号) and copy/excerpt requests ------------------------------------------


class CopyIssueForm(BootstrapMixin, forms.Form):
    holder_person = PersonChoiceField(label=_("持有人"), queryset=Person.objects.none(), required=False)
    holder_unit = forms.ModelChoiceField(label=_("持有单位"), queryset=Unit.objects.none(), required=False)
    due_back = forms.DateField(label=_("应清退日期"), required=False, widget=DateInput())
    copy_number = forms.IntegerField(
        label=_("份号"), required=False, min_value=1, max_value=999_999, help_text=_("不填写的，自动取下一个份号。")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, people: QuerySet[Person], units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_person"].queryset = people
        self.fields["holder_unit"].queryset = units

    def clean_due_back(self):
        due_back = self.cleaned_data.get("due_back")
        if due_back is not None and due_back < timezone.localdate():
            raise ValidationError(_("应清退日期不能早于今天。"))
        return due_back

    def clean(self):
        data = super().clean()
        if bool(data.get("holder_person")) == bool(data.get("holder_unit")):
            raise ValidationError(_("请指定一名持有人或一个持有单位（二者选一）。"))
        return data


class DestructionRequestForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CopyRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CopyRequestKind.choices)
    copies = forms.IntegerField(label=_("份数"), min_value=1, max_value=100, initial=1)
    reason = forms.CharField(label=_("事由"), max_length=300)


class CopyDecisionForm(BootstrapMixin, forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(label=_("审批"), choices=[(APPROVE, _("批准")), (REJECT, _("不批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)
    originating_organ_approval = forms.CharField(
        label=_("定密机关批准情况"), max_length=300, required=False, help_text=_("绝密级：定密机关的批准文件或批准人。")
    )


# --- Filters ---------------------------------------------------------------------------------------


class CarrierFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("标题"), required=False, max_length=100)
    classification = forms.TypedChoiceField(
        label=_("密级"), required=False, coerce=int, empty_value=None, choices=[("", _("全部")), *Level.choices]
    )
    kind = forms.ChoiceField(label=_("载体类型"), required=False, choices=[("", _("全部")), *CarrierKind.choices])

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        filters = {}
        if data.get("q"):
            filters["title__icontains"] = data["q"]
        if data.get("classification") is not None:
            filters["classification"] = data["classification"]
        if data.get("kind"):
            filters["kind"] = data["kind"]
        return filters


class AccessLogFilterForm(BootstrapMixin, forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    content_type = forms.ModelChoiceField(
        label=_("记录类型"), required=False, queryset=ContentType.objects.none(), empty_label=_("全部")
    )
    object_id = forms.CharField(label=_("记录编号"), required=False, max_length=64)

    def __init__(self, *args, record_types: QuerySet[ContentType], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["content_type"]
        field.queryset = record_types
        field.label_from_instance = lambda content_type: str(content_type.model_class()._meta.verbose_name)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def selector_filters(self) -> dict:
        """The filters as ``AuditEvent`` lookups; dates are whole days in local time."""
        data = self.cleaned_data
        filters = {}
        if data.get("actor"):
            filters["actor_name__icontains"] = data["actor"].strip()
        if data.get("action"):
            filters["action"] = data["action"]
        if data.get("date_from"):
            filters["at__gte"] = timezone.make_aware(datetime.combine(data["date_from"], time.min))
        if data.get("date_to"):
            filters["at__lt"] = timezone.make_aware(datetime.combine(data["date_to"] + timedelta(days=1), time.min))
        if data.get("content_type"):
            filters["content_type"] = data["content_type"]
        if data.get("object_id"):
            filters["object_id"] = data["object_id"].strip()
        return filters

    def described(self) -> dict:
        """The filters as typed, for the export's own audit row."""
        data = self.cleaned_data
        described = {}
        for name in ("actor", "action", "object_id"):
            if data.get(name):
                described[name] = data[name]
        for name in ("date_from", "date_to"):
            if data.get(name):
                described[name] = data[name].isoformat()
        if data.get("content_type"):
            described["content_type"] = f"{data['content_type'].app_label}.{data['content_type'].model}"
        return described
