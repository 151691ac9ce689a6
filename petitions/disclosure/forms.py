"""The 政府信息公开 page forms: the 台账 filters, 登记, one form per step of ``rules.REQUEST`` and
``rules.PUBLICATION``, the 年报 year and the 公开目录 filters. They check shape (a required text, a
date, a choice among what is offered); ``petitions.disclosure.services`` and ``.publication`` check
the rules, and their ``ValidationError`` lands on these fields, which carry the services' argument
names."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.confidentiality.forms import BootstrapMixin
from office.org.forms import PersonChoiceField, UnitChoiceField
from office.widgets import DateInput
from petitions.disclosure.models import (
    REASONS,
    AnswerType,
    ApplicantKind,
    Category,
    Consultation,
    Delivery,
    FeeMode,
    Medium,
    Outcome,
    RequestChannel,
    RequestState,
    SecrecyReview,
)

ALL = ("", _("全部"))
MAX_EXTENSION = 20  # working days (《政府信息公开条例》第三十三条)


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


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, document) -> str:
        number = document.number_text if hasattr(document, "number_text") else ""
        return f"{number} {document.title}".strip()


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, series) -> str:
        return f"{series.code}（{series.issuer_name}）"


# --- 依申请公开台账 -------------------------------------------------------------------------------------


class RequestFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("检索"), required=False, max_length=100, help_text=_("登记号或内容描述中的词语。"))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[ALL, *RequestState.choices])
    channel = forms.ChoiceField(label=_("申请方式"), required=False, choices=[ALL, *RequestChannel.choices])
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), required=False, choices=[ALL, *ApplicantKind.choices])
    answer_type = forms.ChoiceField(label=_("答复类型"), required=False, choices=[ALL, *AnswerType.choices])
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None, choices=())
    overdue = forms.BooleanField(label=_("只看已逾期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [ALL, *_years()]

    def selector_arguments(self) -> tuple[dict, str]:
        data = dict(self.cleaned_data)
        text = data.pop("q", "") or ""
        data["overdue"] = data.get("overdue") or None
        return data, text


# --- 登记 -----------------------------------------------------------------------------------------------


class RegisterForm(BootstrapMixin, forms.Form):
    """登记: the applicant, what is asked and in what form, how it came and when."""

    channel = forms.ChoiceField(label=_("申请方式"), choices=RequestChannel.choices, initial=RequestChannel.IN_PERSON)
    arrived_on = _day(_("到达日期"), help_text=_("申请到达本机关之日。"))
    received_on = forms.DateField(
        label=_("收到申请日期"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "当面提交的，提交之日即收到之日（不必填写）；邮寄的，填写签收之日（不填按到达日期）；"
            "网络、传真提交的，双方确认之日为收到之日，登记后在申请页“确认收到”，此前不计算期限。"
        ),
    )
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=100)
    id_document = forms.CharField(label=_("身份证明"), max_length=60, required=False, help_text=_("证件名称及号码。"))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)
    description = _text(_("所需信息的内容描述"), rows=4)
    document_reference = forms.CharField(label=_("所需信息的名称或文号"), max_length=200, required=False)
    requested_documents = DocumentChoiceField(
        label=_("涉及公文"),
        queryset=None,
        required=False,
        help_text=_("申请所指的本机关发文（只列出您有权查看的已核发公文）。"),
    )
    medium = forms.ChoiceField(label=_("获取信息的载体形式"), choices=Medium.choices)
    delivery = forms.ChoiceField(label=_("获取信息的方式"), choices=Delivery.choices)
    holding_unit = UnitChoiceField(label=_("信息所在单位"), queryset=None, required=False)
    handler = PersonChoiceField(label=_("承办人"), queryset=None, required=False)

    def __init__(self, *args, documents: QuerySet, units: QuerySet, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_documents"].queryset = documents
        self.fields["holding_unit"].queryset = units
        self.fields["handler"].queryset = people

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["requested_documents"] = list(data.get("requested_documents") or [])
        return data


# --- The request's steps -------------------------------------------------------------------------------


class ConfirmForm(BootstrapMixin, forms.Form):
    on = _day(_("双方确认日期"), help_text=_("自该日起计算答复期限。"))


class CorrectForm(BootstrapMixin, forms.Form):
    items = _text(_("需补正事项"), max_length=2000, help_text=_("一次性列明需要补正的事项。"))
    until = forms.DateField(label=_("补正期限"), widget=DateInput(), help_text=_("给申请人的合理补正期限。"))
    on = _day(_("告知补正日期"))


class ReceiveCorrectionForm(BootstrapMixin, forms.Form):
    on = _day(_("收到补正日期"), help_text=_("答复期限自该日起重新计算。"))


class EmptyForm(BootstrapMixin, forms.Form):
    """A step with nothing to type (its confirmation says what it does)."""


class ConsultForm(BootstrapMixin, forms.Form):
    party = forms.ChoiceField(label=_("征求对象类型"), choices=Consultation.Party.choices)
    name = forms.CharField(label=_("征求对象"), max_length=100)
    sent_on = _day(_("发出征求意见日期"))


class OpinionForm(BootstrapMixin, forms.Form):
    consultation = forms.ModelChoiceField(label=_("征求意见"), queryset=None, empty_label=None)
    on = _day(_("收到意见日期"))
    opinion = _text(_("意见"), max_length=5000)
    agrees = forms.NullBooleanField(
        label=_("是否同意公开"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("未表态")), ("true", _("同意")), ("false", _("不同意"))]),
    )

    def __init__(self, *args, consultations: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations


class ExtendForm(BootstrapMixin, forms.Form):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION, initial=MAX_EXTENSION)
    reason = _text(_("延期理由"), max_length=200, rows=2)
    notice = _text(_("告知申请人"), required=False, max_length=500, rows=2, help_text=_("告知申请人延期的方式和内容。"))


class AskReviewForm(BootstrapMixin, forms.Form):
    reviewer = PersonChoiceField(label=_("保密员"), queryset=None)

    def __init__(self, *args, reviewers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class SecrecyReviewForm(BootstrapMixin, forms.Form):
    conclusion = forms.ChoiceField(label=_("审查结论"), choices=SecrecyReview.Conclusion.choices)
    note = _text(_("审查意见"), max_length=2000, rows=2)


class FeeForm(BootstrapMixin, forms.Form):
    mode = forms.ChoiceField(label=_("收费方式"), required=False, choices=[("", "—"), *FeeMode.choices])
    amount = forms.DecimalField(
        label=_("信息处理费（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    notice_on = forms.DateField(label=_("收费通知日期"), required=False, widget=DateInput())
    paid_on = forms.DateField(
        label=_("缴费日期"), required=False, widget=DateInput(), help_text=_("先登记收费通知，缴费后再登记缴费日期。")
    )

    def clean(self):
        data = super().clean()
        if not data.get("notice_on") and not data.get("paid_on"):
            raise forms.ValidationError(_("请填写收费通知日期或缴费日期。"))
        return data


class AbnormalForm(BootstrapMixin, forms.Form):
    note = _text(_("说明"), max_length=2000, rows=2, help_text=_("要求申请人说明理由，并写明延后答复的安排。"))


def _reason_choices() -> list:
    groups = [(AnswerType(kind).label, list(reasons)) for kind, reasons in REASONS.items()]
    return [("", "—"), *groups]


class AnswerForm(BootstrapMixin, forms.Form):
    answer_type = forms.ChoiceField(label=_("答复类型"), choices=AnswerType.choices)
    reason = forms.ChoiceField(
        label=_("具体情形"), required=False, choices=(), help_text=_("不予公开、无法提供、不予处理的须选择。")
    )
    public_where = forms.CharField(
        label=_("公开途径"), required=False, max_length=200, help_text=_("已主动公开的，写明获取途径（网址、栏目）。")
    )
    competent_organ = forms.CharField(
        label=_("有权机关"), required=False, max_length=100, help_text=_("不属于本机关公开的，写明负责公开的机关。")
    )
    text = _text(_("答复内容"), max_length=20_000, rows=4)
    series = SeriesChoiceField(
        label=_("发文代字（信函格式）"), queryset=None, empty_label=None, help_text=_("告知书以信函格式制发。")
    )

    def __init__(self, *args, series: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _reason_choices()
        self.fields["series"].queryset = series


class DeliverForm(BootstrapMixin, forms.Form):
    on = _day(_("送达日期"), help_text=_("送达之日为答复之日。"))
    method = forms.ChoiceField(label=_("送达方式"), choices=Delivery.choices)


class OutcomeForm(BootstrapMixin, forms.Form):
    review = forms.ChoiceField(label=_("行政复议结果"), required=False, choices=[("", "—"), *Outcome.choices])
    litigation = forms.ChoiceField(label=_("行政诉讼结果"), required=False, choices=[("", "—"), *Outcome.choices])
    after_review = forms.BooleanField(label=_("复议后起诉"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("review") and not data.get("litigation"):
            raise forms.ValidationError(_("请选择行政复议或行政诉讼结果。"))
        return data


class AlreadyPublicForm(BootstrapMixin, forms.Form):
    public = forms.CharField(label=_("查找已主动公开的公文"), max_length=100, help_text=_("输入标题或文号中的词语。"))


# --- 主动公开 ----------------------------------------------------------------------------------------------


class PublicationReviewForm(BootstrapMixin, forms.Form):
    conclusion = forms.ChoiceField(label=_("审查结论"), choices=SecrecyReview.Conclusion.choices)
    note = _text(_("审查意见"), max_length=2000, rows=2)


class PublishForm(BootstrapMixin, forms.Form):
    on = _day(_("公开日期"))
    channel = forms.CharField(label=_("公开途径"), max_length=60, initial="政府门户网站")
    url = forms.URLField(label=_("网址"), required=False, assume_scheme="https")
    category = forms.ChoiceField(label=_("公开类别"), choices=Category.choices, initial=Category.OTHER)
    index_number = forms.CharField(label=_("索引号"), max_length=40, required=False)


class RepealForm(BootstrapMixin, forms.Form):
    on = _day(_("废止日期"))


# --- 年度报告, 公开目录 ----------------------------------------------------------------------------------


class YearForm(BootstrapMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()

    @staticmethod
    def default_year() -> int:
        """The report written in the first months of a year is the last year's."""
        return timezone.localdate().year - 1


class CatalogueFilterForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("公开类别"), required=False, choices=[ALL, *Category.choices])
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [ALL, *_years()]

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        return {"category": data.get("category"), "published_on__year": data.get("year")}
