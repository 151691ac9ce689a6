"""What the caller sends: the 信访台账's query parameters, the 登记 body (also the intake
endpoint's) and the body of each action. Strict: an unknown parameter or field is a 400; text
fields refuse control characters and dates keep to the calendar (``StrictFieldsMixin``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocumentSeries
from documents.vocabulary import RETENTION_CHOICES
from office.api.serializers import StrictFieldsMixin
from office.confidentiality.levels import Level
from office.org.api import LevelField
from office.org.models import Person, Unit
from petitions import services
from petitions.models import (
    BeyondLevel,
    CaseState,
    Channel,
    IssueCategory,
    Kind,
    NoteKind,
    Opinion,
    PetitionCase,
    PetitionerKind,
    Route,
    Satisfaction,
    ServiceMethod,
    Stage,
)

# What the intake endpoint takes in: the 12345 hotline and the online portal's channels.
INTAKE_CHANNELS = (Channel.HOTLINE, Channel.ONLINE, Channel.EMAIL, Channel.MAILBOX)
INTAKE_CHANNEL_CHOICES = [(c.value, c.label) for c in INTAKE_CHANNELS]
NOTE_KINDS = (NoteKind.INVESTIGATION, NoteKind.INTERVIEW, NoteKind.OTHER)
NOTE_KIND_CHOICES = [(k.value, k.label) for k in NOTE_KINDS]
BEYOND_FILTER_CHOICES = [
    *((b.value, b.label) for b in BeyondLevel if b.value),
    ("any", gettext_lazy("任一越级")),
]


@extend_schema_field(OpenApiTypes.INT)
class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """Another 信访事项 by id: one the caller cannot see reads as one that does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # the schema is generated
            return PetitionCase.objects.none()
        return PetitionCase.objects.visible_to(request.user)


# --- Queries --------------------------------------------------------------------------------------


class CaseQuery(StrictFieldsMixin, serializers.Serializer):
    """The 信访台账's filters (``selectors.cases_visible``); unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=CaseState.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy("问题分类（含下级分类）"))
    area = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy("问题属地"))
    handling_unit = serializers.IntegerField(min_value=1, required=False)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False)
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)
    mass = serializers.BooleanField(required=False, allow_null=True, default=None)
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    first_time = serializers.BooleanField(required=False, allow_null=True, default=None)
    repeat = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=gettext_lazy("重复件"))
    beyond_level = serializers.ChoiceField(choices=BEYOND_FILTER_CHOICES, required=False)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("未办结且已超过当前时限")
    )
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    q = serializers.CharField(
        max_length=200,
        required=False,
        help_text=gettext_lazy("全文检索：登记号、摘要、诉求内容、问题分类（不含信访人）"),
    )

    def validate(self, data):
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise serializers.ValidationError({"received_to": [_("结束日期不能早于开始日期。")]})
        # An absent flag is no filter (``repeat``/``overdue`` false: no filter either, as on the page).
        return {name: value for name, value in data.items() if value is not None}


class NoQuery(StrictFieldsMixin, serializers.Serializer):
    """No parameters at all (unknown ones are a 400)."""


# --- 登记 -----------------------------------------------------------------------------------------


class PetitionerInput(StrictFieldsMixin, serializers.Serializer):
    """One 信访人 (found again by ID number when given)."""

    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PetitionerKind.choices, required=False, default=PetitionerKind.PERSON)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hukou = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    representative = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("集体访代表"))

    @staticmethod
    def spec(data: dict) -> services.PetitionerSpec:
        return services.PetitionerSpec(**data)


class CaseCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """登记 (a 信访员): the matter, its 信访人 and its flags."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField(help_text=gettext_lazy("收到日期（不晚于今天）"))
    kind = serializers.ChoiceField(choices=Kind.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=IssueCategory.objects.filter(active=True))
    title = serializers.CharField(max_length=200, help_text=gettext_lazy("事项摘要"))
    content = serializers.CharField(max_length=20_000, help_text=gettext_lazy("诉求内容"))
    petitioners = PetitionerInput(many=True, allow_empty=False)
    area = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), required=False, allow_null=True)
    involved_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    headcount = serializers.IntegerField(min_value=1, max_value=100_000, required=False, allow_null=True)
    beyond_level = serializers.ChoiceField(choices=BeyondLevel.choices, required=False, default=BeyondLevel.NONE)
    mass = serializers.BooleanField(required=False, default=False)
    urgent = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("紧急敏感：登记后即报告领导")
    )
    superior_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text=gettext_lazy("上级转交编号")
    )
    accused_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    accused_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    classification = LevelField(required=False, default=Level.INTERNAL)

    def service_arguments(self) -> dict:
        return self.arguments_of(self.validated_data)

    @staticmethod
    def arguments_of(validated: dict) -> dict:
        """The ``services.case_register`` arguments of a checked body."""
        data = dict(validated)
        data["petitioners"] = [PetitionerInput.spec(p) for p in data["petitioners"]]
        data["level"] = data.pop("classification")
        data["involved_units"] = list(data.get("involved_units", []))
        return data


class IntakeSerializer(CaseCreateSerializer):
    """A 信访事项 from the 12345 hotline or the portal, keyed by the sender's own number
    (``external_id``, e.g. the 12345 工单号): sent twice, it is registered once."""

    external_id = serializers.CharField(
        max_length=60, help_text=gettext_lazy("来源系统的编号（如12345工单号），同一编号只登记一次")
    )
    channel = serializers.ChoiceField(choices=INTAKE_CHANNEL_CHOICES)
    received_on = serializers.DateField(required=False, help_text=gettext_lazy("收到日期，默认今天"))

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("superior_number")  # ``external_id`` is kept there
        return fields

    def validate_external_id(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("请填写来源系统的编号。"))
        return value


# --- Actions --------------------------------------------------------------------------------------


class PetitionRouteSerializer(StrictFieldsMixin, serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), required=False, allow_null=True, help_text=gettext_lazy("承办单位")
    )
    handler = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True, help_text=gettext_lazy("承办人")
    )
    note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text=gettext_lazy("诉访分离、不再受理：告知信访人的内容")
    )
    report_back_due = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("交办：报送结果时限")
    )


class PetitionAcceptSerializer(StrictFieldsMixin, serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PetitionReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PetitionNoteSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=NOTE_KIND_CHOICES)
    on = serializers.DateField()
    text = serializers.CharField(max_length=20_000)


class PetitionHearingSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField(max_length=5000)


class PetitionHearingEndSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class PetitionAskExtensionSerializer(StrictFieldsMixin, serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField(max_length=2000)


class PetitionExtendSerializer(PetitionAskExtensionSerializer):
    notice = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=gettext_lazy("向信访人的延期告知")
    )


class PetitionReplySerializer(StrictFieldsMixin, serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    facts = serializers.CharField(max_length=20_000)
    basis = serializers.CharField(max_length=5000)
    series = serializers.PrimaryKeyRelatedField(
        queryset=DocumentSeries.objects.filter(active=True), help_text=gettext_lazy("信函格式的发文代字")
    )


class PetitionServeSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField()
    method = serializers.ChoiceField(choices=ServiceMethod.choices)
    receipt = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=gettext_lazy("送达回证")
    )


class PetitionReviewRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField()
    reviewing_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active())
    reason = serializers.CharField(max_length=2000)


class PetitionRateSerializer(StrictFieldsMixin, serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    on = serializers.DateField()
    revisit = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=gettext_lazy("回访记录")
    )


class PetitionArchiveSerializer(StrictFieldsMixin, serializers.Serializer):
    retention = serializers.ChoiceField(choices=RETENTION_CHOICES)


class PetitionLinkSerializer(StrictFieldsMixin, serializers.Serializer):
    original = VisibleCaseField(help_text=gettext_lazy("所重复的信访事项"))


class PetitionMergeSerializer(StrictFieldsMixin, serializers.Serializer):
    into = VisibleCaseField(help_text=gettext_lazy("并入的信访事项"))
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PetitionInstructSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    supervise = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("同时立项督办"))
    due = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("督办时限"))


class PetitionAttachSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("信件扫描件、证据材料、送达回证等"))
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
