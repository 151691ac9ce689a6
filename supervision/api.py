"""``/api/v1/supervision/items/``: supervised items (督办事项) — 立项, 分解交办, 协办意见, 进展反馈,
审结 / 退回重办, 延期 along its chain, 撤销 — the 督办台账 export, the figures and scores, the overdue
list, 我的督办, and the 通报 / 督查专报 drafts handed to the documents module.

Thin edges over ``supervision.services`` and ``supervision.selectors``: serializers check shape,
services check rules. Lists and the ledger come from ``selectors.items_visible``; single items
(details and every action) from ``VisibleViewSetMixin.get_object``, looked up before the body is
read, so an item outside the caller's reach is a 404 whatever is sent. A task, an extension request
or an attachment that is not the item's own is a 404 too. A detail above 内部 is written to the
access log; a 绝密 item's texts (requirement, reports, inputs, reasons, comments) are never
returned, and it is never in the ledger.

A move the workflow does not allow is a 409 ``{"detail", "code": "transition_not_allowed"}``; a
person whose step it is not gets 403; bad input is a 400 and changes nothing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from documents.models import DocumentSeries
from office.api.helpers import FILE_ROUTE, XLSX, download, export_register, query_of, valid
from office.api.serializers import ListQuery, PeriodQuery, StrictFieldsMixin
from office.confidentiality import audit
from office.confidentiality.api import SECRECY_DETAIL_FIELDS, ClassificationFieldsMixin
from office.confidentiality.api_base import VisibleViewSetMixin
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import person_of
from office.org.api import LevelField
from office.org.models import Person, Unit
from office.reminders.models import Deadline
from supervision import exports, selectors, services
from supervision.models import (
    ApprovalStep,
    Cadence,
    ExtensionDecision,
    ExtensionRequest,
    ItemState,
    Light,
    Milestone,
    Priority,
    ProgressReport,
    ReportAttachment,
    Source,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
    TaskState,
)

GROUPINGS = [("unit", gettext_lazy("主办单位")), ("leader", gettext_lazy("批示领导")), ("source", gettext_lazy("来源"))]
QUEUE_SIZE = 50
CLASSIFICATION_FIELDS = frozenset(ClassificationFieldsMixin._declared_fields)


# --- Querysets ------------------------------------------------------------------------------------


def _task_count(condition: Q | None = None):
    tasks = SupervisionTask.objects.filter(item=OuterRef("pk"))
    if condition is not None:
        tasks = tasks.filter(condition)
    counted = tasks.order_by().values("item").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def list_queryset(items, today=None):
    """A list row's counts and lead units, in a fixed number of queries whatever the page size."""
    today = today or timezone.localdate()
    return items.annotate(
        task_count=_task_count(~Q(state=TaskState.CANCELLED)),
        done_count=_task_count(Q(state=TaskState.DONE)),
        overdue_count=_task_count(Q(state=TaskState.ASSIGNED, due__lt=today)),
    ).prefetch_related(
        Prefetch(
            "tasks",
            queryset=SupervisionTask.objects.select_related("lead_unit").order_by("order", "id"),
            to_attr="row_tasks",
        )
    )


def detail_queryset(items):
    """Everything a detail shows but the tasks (``selectors.item_tasks``), in a fixed number of queries."""
    return selectors.with_item_light(
        items.select_related(
            "organ", "supervising_unit", "instructing_leader", "supervisor", "opened_by", "source_type"
        ).prefetch_related("events")
    )


def item_deadlines(item: SupervisionItem, tasks: list[SupervisionTask]) -> list[dict]:
    """Every Deadline of the item, its tasks, their assisting units and milestones (one query)."""
    subjects = {("item", item.pk): SupervisionItem}
    for task in tasks:
        subjects[("task", task.pk)] = SupervisionTask
        subjects.update({("assist", assist.pk): TaskAssist for assist in task.assists.all()})
        subjects.update({("milestone", milestone.pk): Milestone for milestone in task.milestones.all()})
    types = ContentType.objects.get_for_models(SupervisionItem, SupervisionTask, TaskAssist, Milestone)
    names = {types[model].pk: name for (name, _pk), model in subjects.items()}
    condition = Q(pk__in=[])
    for model in (SupervisionItem, SupervisionTask, TaskAssist, Milestone):
        ids = [pk for (_name, pk), subject_model in subjects.items() if subject_model is model]
        if ids:
            condition |= Q(content_type=types[model], object_id__in=ids)
    deadlines = Deadline.objects.filter(condition).order_by("due_date", "id")
    for deadline in deadlines:
        deadline.subject_kind = names[deadline.content_type_id]
    return deadlines


# --- Reading --------------------------------------------------------------------------------------


class ContentField(serializers.CharField):
    """A free text of the item (requirement, report, input, reason, comment): ``null`` for a 绝密
    item — shown on screen only, never carried away through the API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if self.context.get("hide_content"):
            return None
        return super().get_attribute(instance)


class SupervisionAttachmentSerializer(serializers.ModelSerializer):
    """An attachment's register fields (download it through ``attachments/{id}/``)."""

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    text = ContentField()
    review_label = serializers.CharField(source="get_review_display", read_only=True)
    review_comment = ContentField()
    submitted_by_name = serializers.CharField(source="submitted_by.name", read_only=True)
    reviewed_by_name = serializers.CharField(source="reviewed_by.name", read_only=True, default=None)
    attachments = SupervisionAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "kind",
            "kind_label",
            "text",
            "percent",
            "milestone",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "review",
            "review_label",
            "review_comment",
            "reviewed_by_name",
            "reviewed_at",
            "attachments",
        ]
        read_only_fields = fields


class TaskAssistSerializer(serializers.ModelSerializer):
    """A 协办 unit and the state of its input (``sent``)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    sent = serializers.SerializerMethodField()
    text = ContentField()
    sent_by_name = serializers.CharField(source="sent_by.name", read_only=True, default=None)

    class Meta:
        model = TaskAssist
        fields = ["id", "unit", "unit_name", "sent", "text", "sent_by_name", "sent_at"]
        read_only_fields = fields

    def get_sent(self, assist) -> bool:
        return assist.sent_at is not None


class SupervisionMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "reached_on"]
        read_only_fields = fields


class ExtensionDecisionSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    approver_name = serializers.CharField(source="approver.name", read_only=True)
    comment = ContentField()

    class Meta:
        model = ExtensionDecision
        fields = ["id", "step", "step_label", "approver_name", "approved", "comment", "at"]
        read_only_fields = fields


class ExtensionRequestSerializer(serializers.ModelSerializer):
    """A 延期申请 with its chain, the step it waits at (``null`` once decided) and the decisions."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)
    reason = ContentField()
    progress = ContentField()
    chain = serializers.ListField(child=serializers.ChoiceField(choices=ApprovalStep.choices), read_only=True)
    current_step = serializers.ChoiceField(choices=ApprovalStep.choices, read_only=True, allow_null=True)
    current_step_label = serializers.CharField(source="get_current_step_display", read_only=True)
    decisions = ExtensionDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "state",
            "state_label",
            "requested_by_name",
            "requested_at",
            "reason",
            "progress",
            "due_before",
            "new_due",
            "chain",
            "current_step",
            "current_step_label",
            "decided_at",
            "decisions",
        ]
        read_only_fields = fields


class SupervisionTaskSerializer(serializers.ModelSerializer):
    """One task of the split, with its 协办 units, 时间节点, reports and 延期申请."""

    requirement = ContentField()
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    responsible_person_name = serializers.CharField(source="responsible_person.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    light = serializers.ChoiceField(choices=Light.choices, read_only=True)
    assists = TaskAssistSerializer(many=True, read_only=True)
    milestones = SupervisionMilestoneSerializer(many=True, read_only=True)
    reports = ProgressReportSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionTask
        fields = [
            "id",
            "order",
            "title",
            "requirement",
            "lead_unit",
            "lead_unit_name",
            "responsible_person",
            "responsible_person_name",
            "due",
            "report_due",
            "state",
            "state_label",
            "light",
            "assigned_at",
            "submitted_on",
            "done_at",
            "done_on_time",
            "returns",
            "assists",
            "milestones",
            "reports",
            "extension_requests",
        ]
        read_only_fields = fields


class SupervisionEventSerializer(serializers.Serializer):
    """One line of the 流转记录."""

    action = serializers.SerializerMethodField()
    task = serializers.IntegerField(source="task_id", allow_null=True)
    actor_name = serializers.CharField()
    comment = ContentField()
    at = serializers.DateTimeField()

    def get_action(self, event) -> str:
        return _(event.action)


class SupervisionDeadlineSerializer(serializers.Serializer):
    """A Deadline of the item (``subject``: the item's split, a task, an input, a milestone, a report)."""

    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind_id")
    subject = serializers.ChoiceField(
        source="subject_kind", choices=["item", "task", "assist", "milestone"], read_only=True
    )
    subject_id = serializers.IntegerField(source="object_id")
    responsible_unit = serializers.IntegerField(source="responsible_unit_id", allow_null=True)
    responsible_person = serializers.IntegerField(source="responsible_person_id", allow_null=True)
    start = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    met_on = serializers.DateField(allow_null=True)
    met_on_time = serializers.BooleanField(allow_null=True)


class ItemListSerializer(serializers.ModelSerializer):
    """A row of the ledger: register fields, the light and the task counts (no requirement)."""

    number = serializers.CharField(read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    light = serializers.ChoiceField(choices=Light.choices, read_only=True)
    light_label = serializers.SerializerMethodField()
    classification = LevelField(read_only=True)
    supervising_unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)
    instructing_leader_name = serializers.CharField(source="instructing_leader.name", read_only=True, default=None)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True)
    lead_units = serializers.SerializerMethodField()
    task_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "number",
            "title",
            "source",
            "source_label",
            "source_text",
            "priority",
            "priority_label",
            "cadence",
            "state",
            "state_label",
            "due",
            "light",
            "light_label",
            "classification",
            "level_mark",
            "supervising_unit",
            "supervising_unit_name",
            "instructing_leader",
            "instructing_leader_name",
            "supervisor",
            "supervisor_name",
            "lead_units",
            "task_count",
            "done_count",
            "overdue_count",
            "opened_at",
            "done_at",
            "done_on_time",
        ]
        read_only_fields = fields

    def get_light_label(self, item) -> str:
        return str(Light(item.light).label)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lead_units(self, item) -> list[str]:
        return list(dict.fromkeys(task.lead_unit.name for task in getattr(item, "row_tasks", [])))


class ItemDetailSerializer(ItemListSerializer):
    """The whole item: its requirement (``null`` for 绝密), tasks, 流转记录 and deadlines."""

    requirement = ContentField()
    cancel_reason = ContentField()
    opened_by_name = serializers.CharField(source="opened_by.name", read_only=True)
    source_record = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    events = SupervisionEventSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta(ItemListSerializer.Meta):
        fields = [
            *[f for f in ItemListSerializer.Meta.fields if f not in ("task_count", "done_count", "overdue_count")],
            *SECRECY_DETAIL_FIELDS,
            "requirement",
            "source_record",
            "opened_by",
            "opened_by_name",
            "state_changed_at",
            "cancel_reason",
            "tasks",
            "events",
            "deadlines",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"type": {"type": "string"}, "id": {"type": "integer"}},
        }
    )
    def get_source_record(self, item) -> dict | None:
        if item.source_type_id is None:
            return None
        return {"type": item.source_type.natural_key()[0] + "." + item.source_type.model, "id": item.source_id}

    @extend_schema_field(SupervisionTaskSerializer(many=True))
    def get_tasks(self, item) -> list[dict]:
        return SupervisionTaskSerializer(self.context["tasks"], many=True, context=self.context).data

    @extend_schema_field(SupervisionDeadlineSerializer(many=True))
    def get_deadlines(self, item) -> list[dict]:
        return SupervisionDeadlineSerializer(item_deadlines(item, self.context["tasks"]), many=True).data


class TaskRowSerializer(serializers.ModelSerializer):
    """A task in a queue (overdue, 我的督办) with its item's register fields."""

    item_number = serializers.CharField(source="item.number", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    level_mark = serializers.CharField(source="item.level_mark", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    responsible_person_name = serializers.CharField(source="responsible_person.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    light = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionTask
        fields = [
            "id",
            "item",
            "item_number",
            "item_title",
            "level_mark",
            "title",
            "lead_unit",
            "lead_unit_name",
            "responsible_person",
            "responsible_person_name",
            "due",
            "report_due",
            "state",
            "state_label",
            "light",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Light.choices, allow_null=True))
    def get_light(self, task) -> str | None:
        return getattr(task, "light", None)


class ExtensionRowSerializer(serializers.ModelSerializer):
    """A 延期申请 waiting for the caller's decision."""

    item = serializers.IntegerField(source="task.item_id", read_only=True)
    item_number = serializers.CharField(source="task.item.number", read_only=True)
    item_title = serializers.CharField(source="task.item.title", read_only=True)
    lead_unit_name = serializers.CharField(source="task.lead_unit.name", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)
    current_step = serializers.ChoiceField(choices=ApprovalStep.choices, read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "item",
            "item_number",
            "item_title",
            "lead_unit_name",
            "requested_by_name",
            "requested_at",
            "due_before",
            "new_due",
            "current_step",
        ]
        read_only_fields = fields


class TaskQueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = TaskRowSerializer(many=True)


class ItemQueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ItemListSerializer(many=True)


class ExtensionQueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ExtensionRowSerializer(many=True)


class MineSerializer(serializers.Serializer):
    """我的督办, each queue a count and its first 50."""

    lead = TaskQueueSerializer(help_text=gettext_lazy("本单位主办、正在办理的任务"))
    assist = TaskQueueSerializer(help_text=gettext_lazy("本单位尚未报送协办意见的任务"))
    review = TaskQueueSerializer(help_text=gettext_lazy("待审核的办结报告（督查员）"))
    split = ItemQueueSerializer(help_text=gettext_lazy("待分解的督办事项（督查员）"))
    extensions = ExtensionQueueSerializer(help_text=gettext_lazy("待本人审批的延期申请"))


class FiguresSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    tasks = serializers.IntegerField()
    done = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    returned = serializers.IntegerField()
    expected = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)


class ScoreSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    returned = serializers.IntegerField()
    points = serializers.IntegerField()


class SupervisionDraftSerializer(serializers.Serializer):
    """The outgoing-document draft a 通报 or 督查专报 became (it goes on through 核稿 and 签发)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


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


# --- The viewset ----------------------------------------------------------------------------------


class SupervisionItemViewSet(VisibleViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Supervised items the caller may see. Open one with ``POST``; move it with the actions; nothing
    is ever deleted (cancel it with a reason)."""

    model = SupervisionItem
    serializer_class = ItemDetailSerializer
    filter_backends = []  # ItemQuery does the filtering, through the selector
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if self.action in ("list", "ledger"):
            filters = query_of(ItemQuery, self.request)
            text = filters.pop("q", "")
            items = selectors.items_visible(user=self.request.user, filters=filters, text=text)
            return list_queryset(items) if self.action == "list" else items
        return super().get_queryset()

    def get_serializer_class(self):
        return ItemListSerializer if self.action == "list" else ItemDetailSerializer

    def _respond(self, item: SupervisionItem, status_code: int = status.HTTP_200_OK) -> Response:
        """The item as it is now, from the caller's visible set (a read, logged above 内部)."""
        visible = SupervisionItem.objects.visible_to(self.request.user)
        item = detail_queryset(visible).filter(pk=item.pk).first()
        if item is None:  # the step took it out of the caller's reach
            return Response(status=status.HTTP_204_NO_CONTENT)
        audit.record_read(self.request.user, item, request=self.request)
        context = {
            "request": self.request,
            "tasks": list(selectors.item_tasks_in_full(item)),
            "hide_content": item.level == Level.TOP_SECRET,
        }
        return Response(ItemDetailSerializer(item, context=context).data, status=status_code)

    def _task(self, task_id) -> SupervisionTask:
        item = self.get_object()
        task = item.tasks.filter(pk=task_id).first()
        if task is None:
            raise exceptions.NotFound()
        task.item = item
        return task

    @extend_schema(parameters=[ItemQuery])
    def list(self, request, *args, **kwargs):
        """督办台账: the items the caller may see, filtered and searched, with their lights."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ItemDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The item with its tasks, reports, extension requests, 流转记录 and deadlines."""
        return self._respond(self.get_object())

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        """立项 (a 督查员, a leader or the office chief); with ``tasks`` split at once."""
        serializer = ItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.open_item(actor=request.user, **serializer.service_arguments())
        return self._respond(item, status.HTTP_201_CREATED)

    # --- The workflow ---------------------------------------------------------------------------

    @extend_schema(request=SplitSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        """分解交办 into tasks (the 督查员); also later, to add a task to an item in hand."""
        item = self.get_object()
        data = valid(SplitSerializer, request.data)
        services.split_item(actor=request.user, item=item, tasks=[TaskInput.spec(task) for task in data["tasks"]])
        return self._respond(item)

    @extend_schema(request=CancelSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """撤销 with a reason (the 督查员 or the instructing leader); its deadlines are cancelled."""
        item = self.get_object()
        data = valid(CancelSerializer, request.data)
        item = services.cancel_item(actor=request.user, item=item, **data)
        return self._respond(item)

    @extend_schema(request=InputSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/input", url_name="task-input")
    def task_input(self, request, task_id=None, *args, **kwargs):
        """协办意见 of an assisting unit (someone in it), sent to the lead unit."""
        task = self._task(task_id)
        data = valid(InputSerializer, request.data)
        unit = data.get("unit") or self._my_assisting_unit(task)
        services.send_input(actor=request.user, task=task, unit=unit, text=data["text"])
        return self._respond(task.item)

    def _my_assisting_unit(self, task: SupervisionTask) -> Unit:
        person = person_of(self.request.user)
        lineage = person.unit.lineage_ids() if person else []
        assist = task.assists.filter(unit__in=lineage).select_related("unit").first()
        if assist is None:
            raise exceptions.PermissionDenied(_("协办意见由协办单位报送。"))
        return assist.unit

    @extend_schema(
        request={"application/json": ProgressSerializer, "multipart/form-data": ProgressSerializer},
        responses={201: ItemDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_id>\d+)/report",
        url_name="task-report",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def task_report(self, request, task_id=None, *args, **kwargs):
        """进展反馈 by the lead unit (``final``: the 办结报告, for 审结); attachments by multipart,
        checked for size and type."""
        task = self._task(task_id)
        data = dict(valid(ProgressSerializer, request.data))
        milestone = data.pop("milestone", None)
        if milestone is not None:
            milestone = task.milestones.filter(pk=milestone).first()
            if milestone is None:
                raise exceptions.ValidationError({"milestone": [_("该时间节点不属于本任务。")]})
        services.report_progress(
            actor=request.user,
            task=task,
            milestone=milestone,
            text=data["text"],
            percent=data.get("percent"),
            final=data["final"],
            attachments=data.get("attachments", []),
        )
        return self._respond(task.item, status.HTTP_201_CREATED)

    @extend_schema(request=TaskReviewSerializer, responses={200: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/review", url_name="task-review")
    def task_review(self, request, task_id=None, *args, **kwargs):
        """审核 of the 办结报告 (the 督查员): 审结 (``accept``), or 退回重办 with ``missing`` and ``new_due``."""
        task = self._task(task_id)
        data = valid(TaskReviewSerializer, request.data)
        services.review_task(
            actor=request.user,
            task=task,
            accept=data["accept"],
            comment=data.get("comment", ""),
            missing=data.get("missing", ""),
            new_due=data.get("new_due"),
        )
        return self._respond(task.item)

    @extend_schema(request=ExtensionInput, responses={201: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>\d+)/extension", url_name="task-extension")
    def task_extension(self, request, task_id=None, *args, **kwargs):
        """延期申请 by the lead unit, before the due date: reason, new date, progress so far."""
        task = self._task(task_id)
        data = valid(ExtensionInput, request.data)
        services.request_extension(actor=request.user, task=task, **data)
        return self._respond(task.item, status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses={200: ItemDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"extensions/(?P<request_id>\d+)/decide",
        url_name="extension-decide",
    )
    def extension_decide(self, request, request_id=None, *args, **kwargs):
        """One step of the extension's chain (the person the step waits for): approve or refuse
        with a ``comment``; the last approval moves the task's Deadline."""
        item = self.get_object()
        found = ExtensionRequest.objects.filter(task__item=item, pk=request_id).first()
        if found is None:
            raise exceptions.NotFound()
        data = valid(DecideSerializer, request.data)
        services.decide_extension(actor=request.user, request=found, **data)
        return self._respond(item)

    # --- Files ----------------------------------------------------------------------------------

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)", **FILE_ROUTE)
    def attachment(self, request, attachment_id=None, *args, **kwargs):
        """Download one report attachment of a visible item; logged above 内部; never for 绝密."""
        item = self.get_object()
        found = ReportAttachment.objects.filter(report__task__item=item, pk=attachment_id).first()
        if found is None:
            raise exceptions.NotFound()
        if item.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(_("绝密事项的附件只能在屏幕上阅读，不能下载。"))
        audit.record_read(request.user, item, request=request, action=AuditAction.DOWNLOAD)
        with found.file.open("rb") as upload:
            return download(upload.read(), content_type=found.content_type, filename=found.name)

    @extend_schema(
        parameters=[ItemQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("督办台账"))},
    )
    @action(detail=False, methods=["get"], url_path="ledger", url_name="ledger", **FILE_ROUTE)
    def ledger(self, request, *args, **kwargs):
        """The 督办台账 of the filtered list (same filters as the list) as .xlsx (also ``ledger.xlsx``):
        no 绝密 item (``export_register`` leaves them out), no progress text of a classified one; the
        export is written to the access log with the classified items it contains."""
        return export_register(
            request,
            self.get_queryset(),
            workbook=exports.ledger_workbook,
            what="supervision_ledger",
            title=_("督办台账"),
            too_many=_("符合条件的督办事项超过 %(max)d 项，请缩小筛选范围后再导出。"),
        )

    # --- Reads beyond the list ------------------------------------------------------------------

    @extend_schema(parameters=[FiguresQuery], responses={200: FiguresSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def figures(self, request, *args, **kwargs):
        """Counts, 办结率 and 按期办结率 by lead unit, instructing leader or source, for the tasks
        assigned in [``start``, ``end``] (default: this year), over the items the caller may see."""
        query = query_of(FiguresQuery, request)
        rows = selectors.figures(user=request.user, by=query["by"], start=query["start"], end=query["end"])
        return Response(FiguresSerializer(rows, many=True).data)

    @extend_schema(parameters=[ScoresQuery], responses={200: ScoreSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def scores(self, request, *args, **kwargs):
        """Per lead unit, the year's points for the annual assessment (on time, late, 退回重办), best
        first, over the items the caller may see."""
        year = query_of(ScoresQuery, request).get("year") or timezone.localdate().year
        start, end = (
            timezone.localdate().replace(year=year, month=1, day=1),
            timezone.localdate().replace(year=year, month=12, day=31),
        )
        return Response(ScoreSerializer(selectors.unit_scores(user=request.user, start=start, end=end), many=True).data)

    @extend_schema(responses={200: TaskRowSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def overdue(self, request, *args, **kwargs):
        """Tasks in hand past their due date, most overdue first (paginated)."""
        query_of(ListQuery, request)
        page = self.paginate_queryset(selectors.overdue_tasks(user=request.user))
        return self.get_paginated_response(TaskRowSerializer(page, many=True).data)

    @extend_schema(responses={200: MineSerializer})
    @action(detail=False, methods=["get"])
    def mine(self, request, *args, **kwargs):
        """我的督办: tasks my unit leads, inputs my unit owes, reports to review and items to split
        (督查员), extension requests waiting for me — each a count and the first 50."""
        query_of(NoQuery, request)
        queues = selectors.my_tasks(user=request.user)
        if not queues:
            empty = {"count": 0, "results": []}
            return Response(dict.fromkeys(("lead", "assist", "review", "split", "extensions"), empty))
        answer = {}
        for name in ("lead", "assist", "review"):
            queryset = queues[name]
            answer[name] = {
                "count": queryset.count(),
                "results": TaskRowSerializer(queryset[:QUEUE_SIZE], many=True).data,
            }
        split = queues["split"]
        answer["split"] = {
            "count": split.count(),
            "results": ItemListSerializer(list_queryset(split)[:QUEUE_SIZE], many=True).data,
        }
        extensions = queues["extensions"]
        answer["extensions"] = {
            "count": len(extensions),
            "results": ExtensionRowSerializer(extensions[:QUEUE_SIZE], many=True).data,
        }
        return Response(answer)

    # --- 通报 and 督查专报 -------------------------------------------------------------------------

    def _draft(self, document) -> Response:
        url = reverse("outgoing-detail", args=[document.pk])
        return Response(
            SupervisionDraftSerializer({"id": document.pk, "title": document.title, "url": url}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=BulletinSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=False, methods=["post"])
    def bulletin(self, request, *args, **kwargs):
        """通报 of the period's overdue and exemplary units, as a 发文 draft (文种 通报) of the caller
        (a 督查员), from the items at 内部 or below the caller may see."""
        data = valid(BulletinSerializer, request.data)
        return self._draft(services.draft_bulletin(actor=request.user, **data))

    @extend_schema(request=ReportDraftSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=True, methods=["post"], url_path="report-draft", url_name="report-draft")
    def report_draft(self, request, *args, **kwargs):
        """督查专报 on this item, as a 发文 draft (文种 报告) as secret as the item."""
        item = self.get_object()
        data = valid(ReportDraftSerializer, request.data)
        return self._draft(services.draft_report(actor=request.user, series=data["series"], items=[item]))

    @extend_schema(request=ThemeReportSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=False, methods=["post"], url_path="theme-report", url_name="theme-report")
    def theme_report(self, request, *args, **kwargs):
        """督查专报 on a theme's items (each visible to the caller), as secret as the most secret."""
        serializer = ThemeReportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = list(dict.fromkeys(data["items"]))
        return self._draft(
            services.draft_report(actor=request.user, series=data["series"], items=items, theme=data["theme"])
        )
