"""The 收文 forms: they check shape; ``documents.incoming.services`` checks the rules and who may act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from documents.models import Channel, DocumentKind, Handling, IncomingState, Urgency
from documents.vocabulary import RETENTION_CHOICES
from office import forms as office_forms
from office.confidentiality.forms import BootstrapMixin, DateInput, level_choices
from office.confidentiality.levels import Level
from office.confidentiality.models import TermUnit
from office.org.forms import PeopleChoiceField, PersonChoiceField, UnitChoiceField, UnitMultipleChoiceField
from office.org.models import Person, Unit

RECEIVED_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.INTERNAL]


PeopleField = PeopleChoiceField  # 传阅人: "姓名（单位 · 职务）", searchable


MultipleFileInput = office_forms.MultipleFileInput  # "选择文件" / "未选择文件"


class ScansField(forms.FileField):
    """Several files in one input (Django's documented pattern): each checked by the service's own
    ``check_scan`` (size, type by the bytes, PDF or an image) when the form is cleaned."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(ScansField, self).clean(file, initial) for file in files]


class IncomingReceiveForm(BootstrapMixin, forms.Form):
    """来文登记: a document from outside the system, signed for now by the office."""

    receiving_unit = UnitChoiceField(label=_("收文单位"), queryset=Unit.objects.none(), empty_label=None)
    sender_organ = forms.CharField(
        label=_("来文机关"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("例如：江东省人民政府办公厅")}),
    )
    sender_number = forms.CharField(
        label=_("来文字号"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "江东政办发〔2026〕3号"}),
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("文种"), required=False, choices=[("", "—"), *DocumentKind.choices])
    urgency = forms.ChoiceField(label=_("紧急程度"), required=False, choices=Urgency.choices)
    copies_received = forms.IntegerField(label=_("份数"), min_value=1, max_value=32_767, initial=1)
    copy_numbers = forms.CharField(
        label=_("份号"), max_length=120, required=False, help_text=_("涉密来文按份登记份号。")
    )
    channel = forms.ChoiceField(label=_("来文方式"), choices=RECEIVED_CHANNELS, initial=Channel.PAPER)
    body = forms.CharField(
        label=_("正文或摘要"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    classification = forms.TypedChoiceField(label=_("密级"), coerce=int, choices=())
    secrecy_term_unit = forms.ChoiceField(
        label=_("保密期限方式"),
        required=False,
        choices=[
            ("", _("按来文标注或法定最长期限")),
            (TermUnit.YEARS, TermUnit.YEARS.label),
            (TermUnit.MONTHS, TermUnit.MONTHS.label),
        ],
    )
    secrecy_term_amount = forms.IntegerField(label=_("期限（年或月数）"), required=False, min_value=1, max_value=30)
    classification_basis = forms.CharField(label=_("定密依据"), required=False, max_length=200)
    scans = ScansField(
        label=_("原件扫描件"),
        required=False,
        help_text=_("纸质来文的扫描件或原件：PDF 或图片（JPEG、PNG），可多选。"),
    )

    def __init__(self, *args, person: Person, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = units
        self.fields["classification"].choices = level_choices(up_to=person.clearance)
        self.initial.setdefault("classification", Level.INTERNAL.value)

    def clean_scans(self):
        from documents.incoming.services import check_scan  # the service's own check, not a copy

        scans = self.cleaned_data.get("scans") or []
        errors = []
        for upload in scans:
            try:
                check_scan(upload, field="scans")
            except ValidationError as error:
                errors.extend(error.message_dict["scans"])
        if errors:
            raise ValidationError(errors)
        return scans

    def service_arguments(self) -> dict:
        """The arguments of ``services.incoming_receive``."""
        data = self.cleaned_data
        return {
            "receiving_unit": data["receiving_unit"],
            "sender_organ": data["sender_organ"],
            "sender_number": data["sender_number"],
            "title": data["title"],
            "kind": data["kind"],
            "urgency": data["urgency"],
            "copies_received": data["copies_received"],
            "copy_numbers": data["copy_numbers"],
            "channel": data["channel"],
            "body": data["body"],
            "level": Level(data["classification"]),
            "basis": data["classification_basis"],
            "term_unit": data["secrecy_term_unit"],
            "term_amount": data["secrecy_term_amount"],
        }


# --- The actions on a document's page ------------------------------------------------------------


class EmptyForm(BootstrapMixin, forms.Form):
    """签收, 登记, 已收到: a button, nothing to fill in."""


class ScreenForm(BootstrapMixin, forms.Form):
    """初审: take it in (办件 or 阅件) or return it to the sender with the reason."""

    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("收进")), (RETURN, _("退回"))], widget=forms.HiddenInput)
    handling = forms.ChoiceField(label=_("办理类型"), choices=Handling.choices, initial=Handling.ACTION)
    important = forms.BooleanField(label=_("重要文件"), required=False)
    chaser = PersonChoiceField(label=_("催办人"), queryset=Person.objects.none(), required=False)
    reason = forms.CharField(label=_("退回理由"), required=False, max_length=300)

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chaser"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回来文请写明理由。"))
        return data


class ProposeForm(BootstrapMixin, forms.Form):
    proposal = forms.CharField(label=_("拟办意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    leader = PersonChoiceField(label=_("送批领导"), queryset=Person.objects.none())
    lead_unit = UnitChoiceField(label=_("拟主办单位"), queryset=Unit.objects.none(), required=False)
    assisting_units = UnitMultipleChoiceField(
        label=_("拟协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("领导批示时以此为准预填主办、协办单位。"),
    )

    def __init__(self, *args, leaders: QuerySet[Person], units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units


class InstructForm(BootstrapMixin, forms.Form):
    """批示: the instruction, the lead and assisting units and the time limit — or back to 拟办."""

    APPROVE, SEND_BACK = "approve", "send_back"

    decision = forms.ChoiceField(choices=[(APPROVE, _("批示")), (SEND_BACK, _("退回重拟"))], widget=forms.HiddenInput)
    instruction = forms.CharField(label=_("批示意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), required=False)
    assisting_units = UnitMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)
    time_limit = forms.DateField(
        label=_("办理时限"), required=False, widget=DateInput(), help_text=_("紧急公文必须明确办理时限。")
    )
    supervise = forms.BooleanField(label=_("列入督办"), required=False)

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units

    @property
    def send_back(self) -> bool:
        return self.cleaned_data["decision"] == self.SEND_BACK


class UnitDoneForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), widget=forms.HiddenInput)
    note = forms.CharField(label=_("协办意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SubassignForm(BootstrapMixin, forms.Form):
    """分办: the unit (hidden: one form per unit offered), the 科室, the 承办人, his time limit."""

    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), widget=forms.HiddenInput)
    section = UnitChoiceField(label=_("承办科室"), queryset=Unit.objects.none())
    handler = PersonChoiceField(label=_("承办人"), queryset=Person.objects.none(), unit_field="section")
    due = forms.DateField(label=_("办理时限"), widget=DateInput(), help_text=_("不得晚于本单位的办理时限。"))
    instruction = forms.CharField(label=_("分办意见"), required=False, max_length=300)

    def __init__(self, *args, units: QuerySet[Unit], sections: QuerySet[Unit], people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["section"].queryset = sections
        self.fields["handler"].queryset = people


class SubReportForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("办理情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class SubAcceptForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("上报意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不填写的，以承办人报送的办理情况上报。"),
    )


class SubReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=300)


class ScanForm(BootstrapMixin, forms.Form):
    scans = ScansField(label=_("原件扫描件"), help_text=_("PDF 或图片（JPEG、PNG），可多选。"))

    def clean_scans(self):
        if not self.cleaned_data.get("scans"):
            raise ValidationError(_("请选择要上传的扫描件。"))
        return IncomingReceiveForm.clean_scans(self)


class CompleteForm(BootstrapMixin, forms.Form):
    result = forms.CharField(
        label=_("办理结果"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply = forms.CharField(
        label=_("答复情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IncomingArchiveForm(BootstrapMixin, forms.Form):
    retention = forms.ChoiceField(label=_("保管期限"), choices=RETENTION_CHOICES, initial="30年")
    override_reason = forms.CharField(
        label=_("传阅未完归档理由"), required=False, max_length=200, help_text=_("尚有人员未阅时必填。")
    )


class ChaseForm(BootstrapMixin, forms.Form):
    message = forms.CharField(label=_("催办内容"), max_length=300)


class CirculateForm(BootstrapMixin, forms.Form):
    readers = PeopleField(
        label=_("传阅人"), queryset=Person.objects.none(), help_text=_("输入姓名检索，可选多人；按所选顺序传阅。")
    )
    note = forms.CharField(label=_("传阅事由"), max_length=300)
    due = forms.DateField(label=_("阅毕时限"), required=False, widget=DateInput(), help_text=_("不填写的，3日内阅毕。"))

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = people


class ReadForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("阅文意见"), required=False, max_length=300)


class RecallForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("收回理由"), max_length=300)


# --- The register's filters and the figures' period ------------------------------------------------


class IncomingFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *IncomingState.choices])
    handling = forms.ChoiceField(label=_("办理类型"), required=False, choices=[("", _("全部")), *Handling.choices])
    channel = forms.ChoiceField(label=_("来文方式"), required=False, choices=[("", _("全部")), *Channel.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    classification = forms.TypedChoiceField(
        label=_("密级"), required=False, coerce=int, empty_value=None, choices=[("", _("全部")), *Level.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("标题、来文字号、来文机关或收文编号")

    def selector_arguments(self) -> tuple[dict, str]:
        """``(filters, text)`` for ``selectors.incoming_list_visible``."""
        data = self.cleaned_data
        filters = {name: data[name] for name in ("state", "handling", "channel", "year") if data.get(name)}
        if data.get("classification") is not None:
            filters["classification"] = data["classification"]
        return filters, (data.get("q") or "").strip()


class PeriodForm(office_forms.PeriodForm):
    """The period of the 办结率 figures, by 批示 date."""

    start_label = _("批示日期起")
    end_label = _("批示日期止")
