"""What the 建议提案 API's callers send: query parameters and bodies (shape only; the services check rules)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from documents.models import DocumentSeries
from office.api.serializers import StrictFieldsMixin
from office.org.models import Person, Unit
from petitions.proposals.models import (
    Body,
    ContactMethod,
    Mode,
    ProposalKind,
    ProposalSession,
    ProposalState,
    ResultCode,
    Satisfaction,
)

# --- What the caller sends --------------------------------------------------------------------------


class ProposalQuery(StrictFieldsMixin, serializers.Serializer):
    """The 建议提案台账's filters (``selectors.proposals_visible``); unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    session = serializers.IntegerField(min_value=1, required=False)
    kind = serializers.ChoiceField(choices=ProposalKind.choices, required=False)
    state = serializers.ChoiceField(choices=ProposalState.choices, required=False)
    key = serializers.BooleanField(required=False, allow_null=True, default=None)
    unit = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy("承办单位（任一承办方式）"))
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(
        max_length=200, required=False, help_text=gettext_lazy("全文检索：编号、案由、内容、提出人")
    )

    def validate(self, data):
        return {name: value for name, value in data.items() if value is not None}


class ProposalFiguresQuery(StrictFieldsMixin, serializers.Serializer):
    framework_parameters = frozenset({"format"})

    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)


class ProposalImportSerializer(StrictFieldsMixin, serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=ProposalSession.objects.all())
    rows = serializers.ListField(
        child=serializers.DictField(), required=False, max_length=2000, help_text=gettext_lazy("JSON 行")
    )
    file = serializers.FileField(required=False, help_text=gettext_lazy(".xlsx 或 .json 文件（multipart）"))

    def validate(self, data):
        if bool(data.get("rows")) == bool(data.get("file")):
            raise serializers.ValidationError({"rows": [_("请提供 rows 或上传一个文件（二选一）。")]})
        return data


class ProposalAssignSerializer(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    assist_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    split_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    key = serializers.BooleanField(required=False, default=False)
    leading_leader = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )
    on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("交办日期，默认今天"))


class ProposalAdjustRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    suggested_unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ProposalShareSerializer(StrictFieldsMixin, serializers.Serializer):
    share = serializers.IntegerField(min_value=1, help_text=gettext_lazy("承办单位（shares[].id）"))


class ProposalAdjustDecideSerializer(ProposalShareSerializer):
    agree = serializers.BooleanField()
    new_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalOpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ProposalContactSerializer(StrictFieldsMixin, serializers.Serializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    on = serializers.DateField()
    people = serializers.CharField(max_length=200)
    view = serializers.CharField(max_length=5000)
    leader_visit = serializers.BooleanField(required=False, default=False)


class ProposalReplySerializer(StrictFieldsMixin, serializers.Serializer):
    result_code = serializers.ChoiceField(choices=ResultCode.choices)
    text = serializers.CharField(max_length=20000)
    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.filter(active=True))
    promised_on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("B、C类：承诺解决时间"))


class ProposalSendSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField(help_text=gettext_lazy("送达日期"))


class ProposalExtendSerializer(StrictFieldsMixin, serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField(max_length=2000)


class ProposalRateSerializer(ProposalShareSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalRehandleSerializer(ProposalShareSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalSessionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    body = serializers.ChoiceField(choices=Body.choices)
    name = serializers.CharField(max_length=60)
    year = serializers.IntegerField(min_value=1949, max_value=2999)
    recipient_office = serializers.CharField(max_length=60)
