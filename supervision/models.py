"""督查督办: an item (立项) from any source, split (分解) into tasks with a lead unit (主办), assisting
units (协办), a responsible person, a due date and milestones; progress reports on a cadence; the
督查员's review (审结 or 退回重办); extension requests approved along a chain.

Every due date is a ``Deadline`` in ``office.reminders`` (the source of truth for reminders); a task
keeps a copy of its current due date and its next expected report so that the warning lights are
plain column comparisons a ledger of thousands of rows can filter and sort on.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class Source(models.TextChoices):
    INSTRUCTION = "instruction", _("领导批示")
    MEETING = "meeting", _("会议决定事项")
    DOCUMENT = "document", _("公文办理")
    SUPERIOR = "superior", _("上级交办")
    PROPOSAL = "proposal", _("建议提案")
    PETITION = "petition", _("信访事项")
    OTHER = "other", _("其他")


class Priority(models.TextChoices):
    URGENT = "urgent", _("紧急")
    NORMAL = "normal", _("一般")
    DIFFICULT = "difficult", _("重大复杂")


class Cadence(models.TextChoices):
    """How often the lead unit reports (《政府督查工作条例》: as few reports as will do)."""

    MILESTONE = "milestone", _("按时间节点报送")
    MONTHLY = "monthly", _("每月报送")
    QUARTERLY = "quarterly", _("每季度报送")
    FINAL = "final", _("办结时报送")


class ItemState(models.TextChoices):
    OPENED = "opened", _("已立项")
    ASSIGNED = "assigned", _("办理中")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("办理中")
    SIGNOFF = "signoff", _("待单位负责人审签")  # a 科员's 办结报告, before it goes to the 督查员
    REVIEW = "review", _("待审核")
    DONE = "done", _("已审结")
    CANCELLED = "cancelled", _("已撤销")


class Light(models.TextChoices):
    GREEN = "green", _("正常推进")
    YELLOW = "yellow", _("临期或缺报")
    RED = "red", _("逾期")
    NONE = "none", _("已结束")


class ItemCounter(models.Model):
    """督办编号 counter per organ and year (``take_next``: no gap, no duplicate)."""

    organ = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="supervision_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organ}〔{self.year}〕{self.last}"


class SupervisionItem(Classified):
    """A supervised matter (督办事项), from its source to 办结."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("督办机关"), on_delete=models.PROTECT, related_name="+")
    supervising_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督查部门"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    title = models.CharField(_("督办事项"), max_length=200)
    requirement = models.TextField(_("办理要求"), help_text=_("办结的标准：做到什么程度算办结。"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("来源类型")
    )
    source_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")
    source_text = models.CharField(_("来源说明"), max_length=200, blank=True)
    instructing_leader = models.ForeignKey(
        "org.Person", verbose_name=_("批示领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        "org.Person", verbose_name=_("督查员"), on_delete=models.PROTECT, related_name="supervised_items"
    )
    opened_by = models.ForeignKey("org.Person", verbose_name=_("立项人"), on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(_("缓急"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    cadence = models.CharField(_("反馈频次"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    due = models.DateField(_("办结时限"))
    state = models.CharField(_("状态"), max_length=10, choices=ItemState.choices, default=ItemState.OPENED)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("立项时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    participant_person_fields = ("opened_by", "instructing_leader", "supervisor", "tasks__responsible_person")
    participant_unit_fields = ("supervising_unit", "tasks__lead_unit", "tasks__assists__unit")
    organ_field = "organ"
    owner_field = "supervisor"

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year", "sequence"], name="supervision_number_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "due"], name="supervision_item_state_due"),
            models.Index(fields=["source_type", "source_id"], name="supervision_item_source"),
            # One GIN index over both: a search intersects the words with the viewer's keys inside
            # the index (a rare word or a narrow viewer reads only the rows in both), and the keys
            # alone serve every visible_to count.
            GinIndex(fields=["search_vector", "access_keys"], name="supervision_item_search_access"),
            # The ledger's order, carrying what visible_to reads (see documents' OutgoingDocument).
            models.Index(
                fields=["-year", "-sequence"], name="supervision_item_recent", include=["classification", "access_keys"]
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        """督办编号: 督〔2026〕15号."""
        return f"督〔{self.year}〕{self.sequence}号"

    def has_content(self) -> bool:
        return bool(self.requirement.strip())


class SupervisionUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE)


class SupervisionGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE)


class SupervisionTask(models.Model):
    """One part of an item (分解): a lead unit answers for it, assisting units give their input."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("任务"), max_length=200)
    requirement = models.TextField(_("具体要求"), blank=True)
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    responsible_person = models.ForeignKey(
        "org.Person", verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="supervision_tasks"
    )
    # Copies of the open Deadlines (see the module docstring): kept by services, never edited.
    due = models.DateField(_("办结时限"))
    report_due = models.DateField(_("下次应报送进展"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=TaskState.choices, default=TaskState.ASSIGNED)
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    submitted_on = models.DateField(_("报送办结日"), null=True, blank=True)
    done_at = models.DateTimeField(_("审结时间"), null=True, blank=True)
    done_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    returns = models.PositiveSmallIntegerField(_("退回重办次数"), default=0)

    classified_parent = "item"  # its deadlines are masked with the item (office.reminders.selectors)

    class Meta:
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        ordering = ["item", "order", "id"]
        indexes = [
            models.Index(fields=["state", "due"], name="supervision_task_state_due"),
            models.Index(fields=["lead_unit", "state"], name="supervision_task_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.item.title}：{self.title}" if self.title != self.item.title else self.title

    @property
    def classification(self) -> int:
        """Its deadlines are as secret as the item (reminders mask classified subjects)."""
        return self.item.classification


class TaskAssist(models.Model):
    """An assisting unit (协办) and the input it sends to the lead unit."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="assists")
    unit = models.ForeignKey("org.Unit", verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("协办意见"), blank=True)
    sent_by = models.ForeignKey(
        "org.Person", verbose_name=_("报送人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    classified_parent = "task__item"

    class Meta:
        verbose_name = _("协办")
        verbose_name_plural = _("协办")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assist_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.task}（{_('协办')}：{self.unit}）"

    @property
    def classification(self) -> int:
        return self.task.item.classification


class Milestone(models.Model):
    """时间节点: a date by which a stage is reached, reported in a progress report."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("节点时间"))
    reached_on = models.DateField(_("完成日"), null=True, blank=True)

    classified_parent = "task__item"

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.task}（{self.title}）"

    @property
    def classification(self) -> int:
        return self.task.item.classification


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("进展情况")
    FINAL = "final", _("办结报告")


class Review(models.TextChoices):
    ACCEPTED = "accepted", _("审结")
    RETURNED = "returned", _("退回重办")


class SignOff(models.TextChoices):
    """The lead unit's head on a 办结报告 written by someone else in the unit."""

    FORWARDED = "forwarded", _("转报督查员")
    RETURNED = "returned", _("退回修改")


class ProgressReport(models.Model):
    """进展反馈 from the lead unit; a final one asks for 审结 and gets the 督查员's review."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices, default=ReportKind.PROGRESS)
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成比例（%）"), null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("到达节点"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    submitted_by = models.ForeignKey("org.Person", verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    review = models.CharField(_("审核结果"), max_length=10, choices=Review.choices, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        "org.Person", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    signoff = models.CharField(_("单位审签"), max_length=10, choices=SignOff.choices, blank=True)
    signoff_comment = models.TextField(_("审签意见"), blank=True)
    signed_off_by = models.ForeignKey(
        "org.Person", verbose_name=_("审签人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展反馈")
        verbose_name_plural = _("进展反馈")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="report_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task}：{self.get_kind_display()}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="supervision/%Y/%m/")
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("反馈附件")
        verbose_name_plural = _("反馈附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Chase(models.Model):
    """催办: the 督查员 presses the units that hold an item's open tasks; the text goes to their heads."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="chases")
    text = models.TextField(_("催办内容"), blank=True)  # empty above the ceiling (a register entry)
    by = models.ForeignKey("org.Person", verbose_name=_("催办人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("催办时间"), auto_now_add=True)
    sent_to = models.CharField(_("催办对象"), max_length=500, blank=True)  # the heads notified, by name

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item}：{_('催办')}"


class Instruction(models.Model):
    """领导批示 on an item, by a leader inside its 知悉范围; the 督查员 is told."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="instructions")
    text = models.TextField(_("批示内容"), blank=True)  # empty above the ceiling (a register entry)
    leader = models.ForeignKey("org.Person", verbose_name=_("批示领导"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("批示时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item}：{self.leader}{_('批示')}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class ApprovalStep(models.TextChoices):
    """Who approves an extension, in the order ``SHUNIU_SUPERVISION_EXTENSION_CHAIN`` lists."""

    UNIT_HEAD = "unit_head", _("主办单位负责人")
    SUPERVISOR = "supervisor", _("督查员")
    LEADER = "leader", _("分管领导")


class ExtensionRequest(models.Model):
    """延期申请: asked before the due date, with reason, new date and progress so far."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey("org.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reason = models.TextField(_("延期理由"))
    progress = models.TextField(_("目前进展"))
    due_before = models.DateField(_("原办结时限"))
    new_due = models.DateField(_("申请延至"))
    chain = models.JSONField(_("审批链"), default=list)  # the steps fixed when asked
    step = models.PositiveSmallIntegerField(_("当前审批环节"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(state="pending"), name="one_pending_extension_per_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}：{_('延期至')}{self.new_due}"

    @property
    def current_step(self) -> str | None:
        return self.chain[self.step] if self.state == ExtensionState.PENDING and self.step < len(self.chain) else None

    def get_current_step_display(self) -> str:
        step = self.current_step
        return str(ApprovalStep(step).label) if step else ""


class ExtensionDecision(models.Model):
    """One approver's 同意/不同意 on an extension request. Append-only: PostgreSQL refuses UPDATE
    and DELETE (migration 0002)."""

    request = models.ForeignKey(ExtensionRequest, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(_("环节"), max_length=12, choices=ApprovalStep.choices)
    approver = models.ForeignKey("org.Person", verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField(_("同意"))
    comment = models.CharField(_("意见"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期审批")
        verbose_name_plural = _("延期审批")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.approver}"


class SupervisionEvent(WorkflowEvent):
    """The item's 流转记录: 立项, 分解交办, 协办意见, 进展反馈, 延期, 审结, 退回重办, 撤销 …
    (``office.workflow``'s event row; no from/to state: a task's or an extension's step is named by
    its action). Append-only: PostgreSQL refuses UPDATE and DELETE (migration 0002)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="events")
    task = models.ForeignKey(SupervisionTask, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    comment = models.CharField(_("说明"), max_length=500, blank=True)  # as migrated: 说明, not 意见

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("督办流转记录")
        verbose_name_plural = _("督办流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action}"
