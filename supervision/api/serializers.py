"""The answers: an item (a ledger row, or the whole item with its tasks, reports, extension requests,
流转记录 and deadlines), the queues of 我的督办, the figures and scores, and the drafts made. A 绝密 item's
texts are ``null`` (``ContentField``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.confidentiality.api import SECRECY_DETAIL_FIELDS
from office.org.api import LevelField
from supervision import selectors
from supervision.api.querysets import item_deadlines
from supervision.models import (
    ApprovalStep,
    Chase,
    ExtensionDecision,
    ExtensionRequest,
    Instruction,
    Light,
    Milestone,
    ProgressReport,
    ReportAttachment,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
)


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
    reviewed_by_name = serializers.CharField(source="reviewed_by.name", read_only=True, default=None, allow_null=True)
    signoff_label = serializers.CharField(source="get_signoff_display", read_only=True)
    signoff_comment = ContentField()
    signed_off_by_name = serializers.CharField(
        source="signed_off_by.name", read_only=True, default=None, allow_null=True
    )
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
            "signoff",
            "signoff_label",
            "signoff_comment",
            "signed_off_by_name",
            "signed_off_at",
            "attachments",
        ]
        read_only_fields = fields


class TaskAssistSerializer(serializers.ModelSerializer):
    """A 协办 unit and the state of its input (``sent``)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    sent = serializers.SerializerMethodField()
    text = ContentField()
    sent_by_name = serializers.CharField(source="sent_by.name", read_only=True, default=None, allow_null=True)

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


class InstructionSerializer(serializers.ModelSerializer):
    """A leader's 批示 on the item."""

    text = ContentField()
    leader_name = serializers.CharField(source="leader.name", read_only=True)

    class Meta:
        model = Instruction
        fields = ["id", "leader", "leader_name", "text", "at"]
        read_only_fields = fields


class ChaseSerializer(serializers.ModelSerializer):
    """A 催办 by the 督查员, and whom it reached."""

    text = ContentField()
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = Chase
        fields = ["id", "by", "by_name", "text", "sent_to", "at"]
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
    instructing_leader_name = serializers.CharField(
        source="instructing_leader.name", read_only=True, default=None, allow_null=True
    )
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
        return selectors.row_units(item)[0] if hasattr(item, "row_tasks") else []


class ItemDetailSerializer(ItemListSerializer):
    """The whole item: its requirement (``null`` for 绝密), tasks, 流转记录 and deadlines."""

    requirement = ContentField()
    cancel_reason = ContentField()
    opened_by_name = serializers.CharField(source="opened_by.name", read_only=True)
    source_record = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    events = SupervisionEventSerializer(many=True, read_only=True)
    instructions = InstructionSerializer(many=True, read_only=True)
    chases = ChaseSerializer(many=True, read_only=True)
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
            "instructions",
            "chases",
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
    signoff = TaskQueueSerializer(help_text=gettext_lazy("待本人审签的办结报告（主办单位负责人）"))
    review = TaskQueueSerializer(help_text=gettext_lazy("待审核的办结报告（督查员）"))
    lights = ItemQueueSerializer(help_text=gettext_lazy("督查员督办的红灯、黄灯事项，红灯在前"))
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
