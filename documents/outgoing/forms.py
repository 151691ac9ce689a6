"""The 发文 forms: they check shape; ``documents.outgoing.services`` checks the rules and who may act."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentKind, DocumentSeries, DocumentState, OutgoingDocument
from documents.vocabulary import RETENTION_CHOICES
from office.confidentiality.forms import BootstrapMixin, level_choices
from office.confidentiality.levels import Level
from office.confidentiality.models import TermUnit
from office.org.forms import PersonChoiceField, UnitMultipleChoiceField
from office.org.models import Person, Unit

# The content fields the drafting form passes to ``outgoing_create`` / ``outgoing_update``
# as they are (the unit lists and the classification go as their own arguments).
CONTENT_FIELDS = [
    "series",
    "title",
    "kind",
    "direction",
    "urgency",
    "important",
    "designated_signer",
    "main_to_external",
    "cc_external",
    "body",
    "attachment_note",
    "in_reply_to",
    "note",
    "disclosure",
    "disclosure_reason",
    "copies",
]


class OutgoingForm(BootstrapMixin, forms.ModelForm):
    """拟稿 and 修改: the elements of the document. The 密级 is set when the draft is made (and
    changed later only through the 保密 module's 定密变更); a change in 复核 names its reason."""

    main_to_units = UnitMultipleChoiceField(
        label=_("主送机关"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("输入名称检索，可一次加入一个常用组；系统外的机关填在下一栏。"),
    )
    cc_units = UnitMultipleChoiceField(label=_("抄送机关"), queryset=Unit.objects.none(), required=False)
    countersign_units = UnitMultipleChoiceField(
        label=_("会签单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("公文内容涉及其职权的本机关单位，由其负责人会签。"),
    )
    designated_signer = PersonChoiceField(
        label=_("拟请签发人"), queryset=Person.objects.none(), required=False, clearance_field="classification"
    )
    # 密级和保密期限: the service takes years or months (a 解密时间 or 解密条件 is set in 保密管理).
    classification = forms.TypedChoiceField(label=_("密级"), coerce=int, choices=())
    secrecy_term_unit = forms.ChoiceField(
        label=_("保密期限方式"),
        required=False,
        choices=[
            ("", _("按法定最长期限")),
            (TermUnit.YEARS, TermUnit.YEARS.label),
            (TermUnit.MONTHS, TermUnit.MONTHS.label),
        ],
        help_text=_("不填写期限的，按法定最长期限：绝密30年、机密20年、秘密10年。"),
    )
    secrecy_term_amount = forms.IntegerField(label=_("期限（年或月数）"), required=False, min_value=1, max_value=30)
    classification_basis = forms.CharField(
        label=_("定密依据"), required=False, max_length=200, help_text=_("涉密公文必填，如保密事项范围的条目。")
    )
    reason = forms.CharField(
        label=_("修改说明"),
        required=False,
        max_length=300,
        help_text=_("复核时对标题、正文、文种、行文方向或附件说明的修改属实质性修改，公文将退回签发人重新签发。"),
    )

    class Meta:
        model = OutgoingDocument
        fields = CONTENT_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14, "class": "font-body"}),
            "attachment_note": forms.Textarea(attrs={"rows": 3}),
            "main_to_external": forms.TextInput(attrs={"placeholder": _("例如：中共临江市委；多个机关用顿号分隔")}),
            "cc_external": forms.TextInput(attrs={"placeholder": _("例如：市人大常委会办公室，市政协办公室")}),
        }

    field_order = [
        "series",
        "title",
        "kind",
        "direction",
        "urgency",
        "important",
        "main_to_units",
        "main_to_external",
        "cc_units",
        "cc_external",
        "countersign_units",
        "designated_signer",
        "body",
        "attachment_note",
        "in_reply_to",
        "note",
        "disclosure",
        "disclosure_reason",
        "copies",
        "classification",
        "secrecy_term_unit",
        "secrecy_term_amount",
        "classification_basis",
        "reason",
    ]

    def __init__(
        self,
        *args,
        person: Person,
        series: QuerySet[DocumentSeries],
        recipients: QuerySet[Unit],
        organ_units: QuerySet[Unit],
        signers: QuerySet[Person],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["series"].empty_label = None
        self.fields["main_to_units"].queryset = recipients
        self.fields["cc_units"].queryset = recipients
        self.fields["countersign_units"].queryset = organ_units
        self.fields["designated_signer"].queryset = signers
        self.fields["classification"].choices = level_choices(up_to=person.clearance)
        self.fields["urgency"].required = False
        editing = self.instance.pk is not None
        if editing:
            # The level is fixed at drafting; changing it is a 定密变更 in 保密管理.
            for name in ("classification", "secrecy_term_unit", "secrecy_term_amount", "classification_basis"):
                del self.fields[name]
            self.initial.setdefault("main_to_units", list(self.instance.main_to_units.all()))
            self.initial.setdefault("cc_units", list(self.instance.cc_units.all()))
            self.initial.setdefault("countersign_units", [c.unit for c in self.instance.countersigns.all()])
            if self.instance.state != DocumentState.DRAFT:
                # 会签 units are settled once the draft leaves the drafter.
                self.fields["countersign_units"].disabled = True
        else:
            self.initial.setdefault("classification", Level.INTERNAL.value)
        if not editing or self.instance.state != DocumentState.RECHECK:
            del self.fields["reason"]

    def service_arguments(self) -> dict:
        """The arguments of ``outgoing_create`` / ``outgoing_update`` from the cleaned data."""
        data = self.cleaned_data
        arguments = {name: data[name] for name in CONTENT_FIELDS if name in data}
        arguments["urgency"] = arguments.get("urgency") or ""
        arguments["main_to_units"] = list(data["main_to_units"])
        arguments["cc_units"] = list(data["cc_units"])
        if not self.fields["countersign_units"].disabled:
            arguments["countersign_units"] = list(data["countersign_units"])
        if "classification" in self.fields:
            arguments.update(
                level=Level(data["classification"]),
                term_unit=data.get("secrecy_term_unit") or "",
                term_amount=data.get("secrecy_term_amount"),
                basis=data.get("classification_basis") or "",
            )
        if "reason" in self.fields:
            arguments["reason"] = data.get("reason") or ""
        return arguments


# --- The actions on a document's page ------------------------------------------------------------


class DecisionForm(BootstrapMixin, forms.Form):
    """Approve or return, with the opinion a return needs (the two buttons send ``decision``)."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(choices=[(APPROVE, _("通过")), (RETURN, _("退回"))], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("退回请写明意见。"))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class CountersignForm(DecisionForm):
    unit = forms.ModelChoiceField(label=_("会签单位"), queryset=Unit.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("说明"), required=False, max_length=300)


class SubmitForm(CommentForm):
    """送核稿, optionally naming the 核稿人 (the service checks he may 核稿 it)."""

    reviewer = forms.ModelChoiceField(
        label=_("核稿人"),
        queryset=None,
        required=False,
        empty_label=_("（不指定，由发文机关办公室核稿）"),
    )

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda person: (
            f"{person.name}（{person.unit.short_name or person.unit.name}）"
        )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class RegisterForm(BootstrapMixin, forms.Form):
    copies = forms.IntegerField(
        label=_("印制份数"), min_value=0, max_value=999_999, required=False, help_text=_("涉密公文按份编号。")
    )


class IssueForm(BootstrapMixin, forms.Form):
    pass


class ArchiveForm(BootstrapMixin, forms.Form):
    retention = forms.ChoiceField(label=_("保管期限"), choices=RETENTION_CHOICES, initial="30年")


class EndForm(BootstrapMixin, forms.Form):
    REVOKE, ABOLISH = "revoke", "abolish"

    how = forms.ChoiceField(
        label=_("方式"),
        choices=[(REVOKE, _("撤销（自始无效）")), (ABOLISH, _("废止（自即日起失效）"))],
        widget=forms.RadioSelect,
        initial=ABOLISH,
    )
    reason = forms.CharField(label=_("理由"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how"].widget.attrs["class"] = "form-check-input"


# --- The register's filters ----------------------------------------------------------------------


class OutgoingFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *DocumentState.choices])
    kind = forms.ChoiceField(label=_("文种"), required=False, choices=[("", _("全部")), *DocumentKind.choices])
    series = forms.ModelChoiceField(
        label=_("发文代字"), required=False, queryset=DocumentSeries.objects.none(), empty_label=_("全部")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    classification = forms.TypedChoiceField(
        label=_("密级"), required=False, coerce=int, empty_value=None, choices=[("", _("全部")), *Level.choices]
    )

    def __init__(self, *args, series: QuerySet[DocumentSeries], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["q"].widget.attrs["placeholder"] = _("标题、文号或正文")

    def selector_arguments(self) -> tuple[dict, str]:
        """``(filters, text)`` for ``selectors.outgoing_list_visible``."""
        data = self.cleaned_data
        filters = {}
        for name in ("state", "kind", "year"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("series"):
            filters["series"] = data["series"].pk
        if data.get("classification") is not None:
            filters["classification"] = data["classification"]
        return filters, (data.get("q") or "").strip()


class AttachmentForm(BootstrapMixin, forms.Form):
    """One attachment from the page: the file (its size and type are checked by the service, as
    for the API) and, optionally, the name the 附件说明 gives it."""

    file = forms.FileField(
        label=_("附件文件"),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("上传的文件是空的。")},
        help_text=_("PDF、OFD、Word、Excel、WPS、图片或文本文件。"),
    )
    name = forms.CharField(
        label=_("附件名称"), required=False, max_length=200, help_text=_("不填写的，用文件名；应与附件说明一致。")
    )
