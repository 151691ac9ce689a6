"""What the caller sends: the 依申请公开台账's and the 主动公开 list's query parameters, the 登记 body,
the body of each action, the 已主动公开 search and the 年度报告's year and organ. Strict: an unknown
parameter or field is a 400; text fields refuse control characters and dates keep to the calendar
(``StrictFieldsMixin``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocumentSeries, OutgoingDocument
from office.api.serializers import StrictFieldsMixin
from office.org.models import Person, Unit
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
    PublicationState,
    RequestChannel,
    RequestState,
    SecrecyReview,
)

# Every reason key of an answer type that must give one (``models.REASONS``), for the schema.
REASON_CHOICES = [(key, label) for reasons in REASONS.values() for key, label in reasons]


@extend_schema_field(OpenApiTypes.INT)
class VisibleDocumentField(serializers.PrimaryKeyRelatedField):
    """A 发文 by id: one the caller cannot read reads as one that does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # the schema is generated
            return OutgoingDocument.objects.none()
        return OutgoingDocument.objects.visible_to(request.user)


# --- Queries --------------------------------------------------------------------------------------


class RequestQuery(StrictFieldsMixin, serializers.Serializer):
    """The 依申请公开台账's filters (``selectors.requests_visible``); unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=RequestState.choices, required=False)
    channel = serializers.ChoiceField(choices=RequestChannel.choices, required=False)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices, required=False)
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, required=False)
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("未办结且已超过答复期限")
    )
    q = serializers.CharField(
        max_length=200, required=False, help_text=gettext_lazy("全文检索：登记号、所需信息的内容描述")
    )

    def validate(self, data):
        return {name: value for name, value in data.items() if value is not None}


class PublicationQuery(StrictFieldsMixin, serializers.Serializer):
    """The 主动公开 list's filters (``selectors.publications_visible``)."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=PublicationState.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    organ = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy("公开机关"))


class FeedQuery(StrictFieldsMixin, serializers.Serializer):
    """The portal's feed: optionally one category, or what was published since a day."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    category = serializers.ChoiceField(choices=Category.choices, required=False)
    since = serializers.DateField(required=False, help_text=gettext_lazy("只列出该日及以后公开的"))


class AlreadyPublicQuery(StrictFieldsMixin, serializers.Serializer):
    """已主动公开 search: the words of the request (a title, a 文号)."""

    q = serializers.CharField(max_length=200, help_text=gettext_lazy("检索词：标题或文号中的词"))

    def validate_q(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("请填写检索词。"))
        return value


class AnnualReportQuery(StrictFieldsMixin, serializers.Serializer):
    """The 年度报告 of an organ and a year (by default the caller's organ and last year)."""

    year = serializers.IntegerField(min_value=2008, max_value=2999, required=False)
    organ = serializers.IntegerField(
        min_value=1, required=False, help_text=gettext_lazy("行政机关（默认本人所在机关）")
    )


# --- 登记 -----------------------------------------------------------------------------------------


class RequestCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """登记 of a 政府信息公开申请 (a 政务公开员)."""

    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=100, help_text=gettext_lazy("申请人姓名或名称"))
    id_document = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text=gettext_lazy("身份证明：证件名称及号码")
    )
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=20_000, help_text=gettext_lazy("所需信息的内容描述"))
    document_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=gettext_lazy("所需信息的名称或文号")
    )
    medium = serializers.ChoiceField(choices=Medium.choices, help_text=gettext_lazy("获取信息的载体形式"))
    delivery = serializers.ChoiceField(choices=Delivery.choices, help_text=gettext_lazy("获取信息的方式"))
    channel = serializers.ChoiceField(choices=RequestChannel.choices, help_text=gettext_lazy("申请方式"))
    arrived_on = serializers.DateField(help_text=gettext_lazy("申请到达日期"))
    received_on = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("邮寄：签收日期（默认到达日期）")
    )
    requested_documents = VisibleDocumentField(many=True, required=False, help_text=gettext_lazy("涉及的本机关公文"))
    holding_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), required=False, allow_null=True, help_text=gettext_lazy("信息所在单位")
    )
    handler = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True, help_text=gettext_lazy("承办人")
    )

    def validate(self, data):
        data = dict(data)
        data["requested_documents"] = list(data.get("requested_documents", []))
        return data


# --- Actions --------------------------------------------------------------------------------------


class OnSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField()


class ConfirmSerializer(OnSerializer):
    on = serializers.DateField(help_text=gettext_lazy("双方确认收到之日（不早于到达日期，不晚于今天）"))


class CorrectSerializer(StrictFieldsMixin, serializers.Serializer):
    items = serializers.CharField(max_length=5000, help_text=gettext_lazy("需补正事项（一次性告知）"))
    until = serializers.DateField(help_text=gettext_lazy("补正期限"))
    on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("告知补正日期，默认今天"))


class ReceiveCorrectionSerializer(OnSerializer):
    on = serializers.DateField(help_text=gettext_lazy("收到补正之日：答复期限自该日重新计算"))


class ConsultSerializer(StrictFieldsMixin, serializers.Serializer):
    party = serializers.ChoiceField(choices=Consultation.Party.choices)
    name = serializers.CharField(max_length=100, help_text=gettext_lazy("征求对象"))
    sent_on = serializers.DateField(help_text=gettext_lazy("发出征求意见日期"))


class OpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    consultation = serializers.IntegerField(min_value=1, help_text=gettext_lazy("本申请的一条征求意见"))
    on = serializers.DateField(help_text=gettext_lazy("收到意见日期"))
    opinion = serializers.CharField(max_length=5000)
    agrees = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("第三方是否同意公开")
    )


class ExtendSerializer(StrictFieldsMixin, serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=20, help_text=gettext_lazy("延长的工作日数（不超过20）"))
    reason = serializers.CharField(max_length=2000)
    notice = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text=gettext_lazy("向申请人的延期告知")
    )


class AskReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), help_text=gettext_lazy("本机关的保密员")
    )


class SecrecyReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=SecrecyReview.Conclusion.choices)
    note = serializers.CharField(max_length=5000, help_text=gettext_lazy("审查意见"))


class FeeSerializer(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=FeeMode.choices, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    notice_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("收费通知日期")
    )
    paid_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=gettext_lazy("缴费日期"))


class AbnormalSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text=gettext_lazy("数量、频次明显超过合理范围的说明"))


class AnswerSerializer(StrictFieldsMixin, serializers.Serializer):
    answer_type = serializers.ChoiceField(choices=AnswerType.choices)
    text = serializers.CharField(max_length=20_000, help_text=gettext_lazy("答复内容"))
    series = serializers.PrimaryKeyRelatedField(
        queryset=DocumentSeries.objects.filter(active=True), help_text=gettext_lazy("信函格式的发文代字")
    )
    reason = serializers.ChoiceField(
        choices=REASON_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("不予公开、无法提供、不予处理：具体情形"),
    )
    public_where = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=gettext_lazy("已主动公开：公开途径")
    )
    competent_organ = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text=gettext_lazy("不属于本机关：有权机关")
    )


class DeliverSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField(help_text=gettext_lazy("送达日期（即答复日期）"))
    method = serializers.ChoiceField(choices=Delivery.choices)


class OutcomeSerializer(StrictFieldsMixin, serializers.Serializer):
    review = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, default="", help_text=gettext_lazy("行政复议结果")
    )
    litigation = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, default="", help_text=gettext_lazy("行政诉讼结果")
    )
    after_review = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("复议后起诉"))


# --- 主动公开 ------------------------------------------------------------------------------------------


class PublicationReviewSerializer(SecrecyReviewSerializer):
    """公开前保密审查."""


class PublishSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField(help_text=gettext_lazy("公开日期"))
    channel = serializers.CharField(max_length=60, required=False, default="政府门户网站")
    url = serializers.URLField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_null=True, default=None)
    index_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class RepealSerializer(OnSerializer):
    on = serializers.DateField(help_text=gettext_lazy("废止日期"))
