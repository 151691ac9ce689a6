"""What the caller sends: the list's (and ledger's) query parameters, and the body of each action.
Strict: an unknown parameter or field is a 400."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from documents.models import DocumentSeries
from office.api.serializers import PeriodQuery, StrictFieldsMixin
from office.confidentiality.api import ClassificationFieldsMixin
from office.confidentiality.levels import Level
from office.org.api import LevelField
from office.org.models import Person, Unit
from supervision import services
from supervision.models import Cadence, ItemState, Light, Priority, Source, SupervisionItem

GROUPINGS = [("unit", gettext_lazy("主办单位")), ("leader", gettext_lazy("批示领导")), ("source", gettext_lazy("来源"))]


CLASSIFICATION_FIELDS = frozenset(ClassificationFieldsMixin._declared_fields)


# --- Queries --------------------------------------------------------------------------------------


class ItemQuery(StrictFieldsMixin, serializers.Serializer):
    """The list's (and the ledger export's) filters; unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=ItemState.choices, required=False)
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    light = serializers.ChoiceField(choices=Light.choices, required=False)
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False, help_text=gettext_lazy("立项年度"))
    lead_unit = serializers.IntegerField(min_value=1, required=False)
    instructing_leader = serializers.IntegerField(min_value=1, required=False)
    supervisor = serializers.IntegerField(min_value=1, required=False)
    classification = LevelField(required=False)
    due_from = serializers.DateField(required=False, help_text=gettext_lazy("办结时限起"))
    due_to = serializers.DateField(required=False, help_text=gettext_lazy("办结时限止"))
    q = serializers.CharField(
        max_length=200, required=False, help_text=gettext_lazy("全文检索：事项、编号、办理要求、来源")
    )

    def validate(self, data):
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            raise serializers.ValidationError({"due_to": [_("结束日期不能早于开始日期。")]})
        return data


class FiguresQuery(PeriodQuery):
    by = serializers.ChoiceField(choices=GROUPINGS, required=False, default="unit")


class ScoresQuery(StrictFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(
        min_value=1949, max_value=2999, required=False, help_text=gettext_lazy("考核年度，默认今年")
    )


class NoQuery(StrictFieldsMixin, serializers.Serializer):
    """No parameters at all (unknown ones are a 400)."""


# --- Writing --------------------------------------------------------------------------------------


class MilestoneInput(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due = serializers.DateField()


class TaskInput(StrictFieldsMixin, serializers.Serializer):
    """One task of a split; ``due`` defaults to the item's, ``responsible_person`` to the lead unit's head."""

    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    requirement = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    assisting_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    responsible_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )
    due = serializers.DateField(required=False, allow_null=True)
    milestones = MilestoneInput(many=True, required=False)

    @staticmethod
    def spec(data: dict) -> services.TaskSpec:
        return services.TaskSpec(
            lead_unit=data["lead_unit"],
            title=data.get("title", ""),
            requirement=data.get("requirement", ""),
            assisting_units=list(data.get("assisting_units", [])),
            responsible_person=data.get("responsible_person"),
            due=data.get("due"),
            milestones=[(m["title"], m["due"]) for m in data.get("milestones", [])],
        )


class ItemCreateSerializer(StrictFieldsMixin, ClassificationFieldsMixin):
    """立项 (a 督查员, a leader or the office chief); with ``tasks`` the item is split at once."""

    title = serializers.CharField(max_length=200)
    requirement = serializers.CharField(max_length=5000)
    source = serializers.ChoiceField(choices=Source.choices)
    source_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    instructing_leader = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    cadence = serializers.ChoiceField(choices=Cadence.choices, required=False, default=Cadence.MONTHLY)
    due = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("不填则按来源取默认时限"))
    classification = LevelField(required=False, default=Level.INTERNAL)
    supervising_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), required=False, allow_null=True
    )
    supervisor = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False, allow_null=True)
    tasks = TaskInput(many=True, required=False)

    def service_arguments(self) -> dict:
        data = self.validated_data
        arguments = {name: value for name, value in data.items() if name not in CLASSIFICATION_FIELDS}
        arguments["tasks"] = [TaskInput.spec(task) for task in data.get("tasks", [])]
        return {**arguments, **ClassificationFieldsMixin.classification_arguments(data)}


class SplitSerializer(StrictFieldsMixin, serializers.Serializer):
    tasks = TaskInput(many=True, allow_empty=False)


class CancelSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class InputSerializer(StrictFieldsMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, help_text=gettext_lazy("协办单位；不填则为本人所在的协办单位")
    )
    text = serializers.CharField(max_length=5000)


class ProgressSerializer(StrictFieldsMixin, serializers.Serializer):
    """进展反馈 (JSON, or multipart with ``attachments``); ``final`` asks for 审结."""

    text = serializers.CharField(max_length=20_000)
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    milestone = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy("到达的时间节点")
    )
    final = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("办结报告，报请审结"))
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class TaskReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    accept = serializers.BooleanField(help_text=gettext_lazy("true 审结，false 退回重办"))
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)
    missing = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=gettext_lazy("退回重办：尚缺的内容")
    )
    new_due = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("退回重办：新的办结时限"))


class SignOffSerializer(StrictFieldsMixin, serializers.Serializer):
    forward = serializers.BooleanField(help_text=gettext_lazy("true 转报督查员，false 退回修改"))
    comment = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=gettext_lazy("审签意见；退回修改时必填")
    )


class FollowUpSerializer(StrictFieldsMixin, serializers.Serializer):
    """催办 or 领导批示: the text."""

    text = serializers.CharField(max_length=2000, allow_blank=True)


class ExtensionInput(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    new_due = serializers.DateField()
    progress = serializers.CharField(max_length=2000)


class DecideSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BulletinSerializer(StrictFieldsMixin, serializers.Serializer):
    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReportDraftSerializer(StrictFieldsMixin, serializers.Serializer):
    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.all())


class ThemeReportSerializer(StrictFieldsMixin, serializers.Serializer):
    """A 督查专报 on a theme: the items (each one the caller may see) and the theme's name."""

    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.all())
    items = serializers.PrimaryKeyRelatedField(queryset=SupervisionItem.objects.none(), many=True, allow_empty=False)
    theme = serializers.CharField(max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An id outside the caller's reach reads as one that does not exist.
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["items"].child_relation.queryset = SupervisionItem.objects.visible_to(request.user)
