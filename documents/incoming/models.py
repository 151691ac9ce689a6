"""Incoming documents (收文): 签收 → 登记 → 初审 → 拟办 → 批示 → 承办 → 办结 → 归档, with 传阅 per reader.

Imported by ``documents.models`` so Django registers them with the app.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from documents.vocabulary import DocumentKind, Urgency
from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class Channel(models.TextChoices):
    PAPER = "paper", _("纸质来文")
    ELECTRONIC = "electronic", _("电子公文交换")
    INTERNAL = "internal", _("系统内交换")
    FAX = "fax", _("传真")


class Handling(models.TextChoices):
    READING = "reading", _("阅件")
    ACTION = "action", _("办件")


class IncomingState(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    REGISTERED = "registered", _("已登记")
    RETURNED = "returned", _("已退回")
    PROPOSAL = "proposal", _("拟办")
    INSTRUCTION = "instruction", _("待批示")
    HANDLING = "handling", _("承办中")
    CIRCULATING = "circulating", _("传阅")
    DONE = "done", _("已办结")
    ARCHIVED = "archived", _("已归档")


class IncomingCounter(models.Model):
    """收文编号 counter per receiving organ and year."""

    organ = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="incoming_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organ}〔{self.year}〕{self.last}"


class IncomingDocument(Classified):
    """A document received by a unit: from outside (paper, exchange, fax) or inside the system."""

    receiving_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("收文单位"), on_delete=models.PROTECT, related_name="+"
    )
    # 来文
    sender_organ = models.CharField(_("来文机关"), max_length=100)
    sender_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("来文单位（系统内）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_number = models.CharField(_("来文字号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, blank=True)
    copies_received = models.PositiveSmallIntegerField(_("份数"), default=1)
    copy_numbers = models.CharField(_("份号"), max_length=120, blank=True)
    channel = models.CharField(_("来文方式"), max_length=12, choices=Channel.choices, default=Channel.PAPER)
    body = models.TextField(_("正文或摘要"), blank=True)
    source_outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("系统内来文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("疑似重复"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 签收、登记
    delivered_at = models.DateTimeField(_("送达时间"), auto_now_add=True)
    signed_for_by = models.ForeignKey(
        "org.Person", verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_for_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("收文年度"), null=True, blank=True)
    registration_sequence = models.PositiveIntegerField(_("收文顺序号"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 初审
    handling = models.CharField(_("办理类型"), max_length=10, choices=Handling.choices, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    # 拟办、批示
    proposal = models.TextField(_("拟办意见"), blank=True)
    proposed_by = models.ForeignKey(
        "org.Person", verbose_name=_("拟办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("拟主办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_assisting_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("拟协办单位"), blank=True, related_name="+"
    )
    instructing_leader = models.ForeignKey(
        "org.Person", verbose_name=_("批示领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.TextField(_("领导批示"), blank=True)
    instructed_at = models.DateTimeField(_("批示时间"), null=True, blank=True)
    time_limit = models.DateField(_("办理时限"), null=True, blank=True)
    supervise = models.BooleanField(_("列入督办"), default=False, help_text=_("批示要求督办：督查督办模块据此立项。"))
    important = models.BooleanField(_("重要文件"), default=False)
    chaser = models.ForeignKey(
        "org.Person", verbose_name=_("催办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 办结、答复
    result = models.TextField(_("办理结果"), blank=True)
    reply_required = models.BooleanField(_("需要答复来文单位"), default=False)
    reply = models.TextField(_("答复情况"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    retention = models.CharField(_("保管期限"), max_length=8, blank=True)
    archive_override = models.CharField(_("传阅未完归档理由"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=IncomingState.choices, default=IncomingState.SIGNED, db_index=True
    )
    state_changed_at = models.DateTimeField(_("进入当前环节时间"), auto_now_add=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    participant_person_fields = ("signed_for_by", "registered_by", "proposed_by", "instructing_leader", "chaser")
    participant_unit_fields = ("receiving_unit", "assignments__unit")
    organ_field = "receiving_unit__organ"
    owner_field = "registered_by"

    class Meta:
        verbose_name = _("收文")
        verbose_name_plural = _("收文")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_unit", "registration_year", "registration_sequence"],
                condition=models.Q(registration_sequence__isnull=False),
                name="incoming_registration_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"], name="incoming_state"),
            models.Index(fields=["receiving_unit", "state"], name="incoming_unit_state"),
            models.Index(fields=["sender_organ", "sender_number"], name="incoming_sender_number"),
            # One GIN index over both: a search intersects the words with the viewer's keys inside
            # the index (a rare word or a narrow viewer reads only the rows in both), and the keys
            # alone serve every visible_to count.
            GinIndex(fields=["search_vector", "access_keys"], name="incoming_search_access"),
            # The list's order, carrying what visible_to reads (see OutgoingDocument).
            models.Index(
                fields=["-delivered_at", "-id"], name="incoming_recent", include=["classification", "access_keys"]
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def registration_text(self) -> str:
        """收文编号: 收〔2026〕15号."""
        if self.registration_sequence is None:
            return ""
        return f"收〔{self.registration_year}〕{self.registration_sequence}号"

    def has_content(self) -> bool:
        return bool(self.body.strip())


class IncomingUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE)


class IncomingGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class Assignment(models.Model):
    """承办: the lead unit and the assisting units, each with its due date."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("分工"), max_length=8, choices=AssignmentRole.choices)
    due = models.DateField(_("办理时限"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("办理情况"), blank=True)  # a lead unit's combined 分办 answers can be long

    class Meta:
        verbose_name = _("承办")
        verbose_name_plural = _("承办")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="assignment_once_per_unit"),
            models.UniqueConstraint(fields=["document"], condition=models.Q(role="lead"), name="one_lead_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()}"


class SubassignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("待办理")
    REPORTED = "reported", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已上报")


OPEN_SUBASSIGNMENT_STATES = (SubassignmentState.ASSIGNED, SubassignmentState.REPORTED, SubassignmentState.RETURNED)
# The 分办 rows whose 承办人 owes his 办理情况 (his 待办).
OWED_BY_HANDLER = (SubassignmentState.ASSIGNED, SubassignmentState.RETURNED)


class UnitAssignment(models.Model):
    """分办: a 承办单位 passes its assignment on to a 科室 and a named 承办人, with a time limit inside
    the unit's; he reports his 办理情况 back, and the unit's head sends it up or returns it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="subassignments")
    section = models.ForeignKey("org.Unit", verbose_name=_("承办科室"), on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey("org.Person", verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("办理时限"))
    instruction = models.CharField(_("分办意见"), max_length=300, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=SubassignmentState.choices, default=SubassignmentState.ASSIGNED
    )
    report = models.TextField(_("办理情况"), blank=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    assigned_by = models.ForeignKey("org.Person", verbose_name=_("分办人"), on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("分办时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    classified_parent = "assignment__document"  # its deadline is masked with the document

    class Meta:
        verbose_name = _("分办")
        verbose_name_plural = _("分办")
        ordering = ["assigned_at", "id"]
        indexes = [models.Index(fields=["handler", "state"], name="subassignment_inbox")]

    def __str__(self) -> str:
        return f"分办：{self.assignment.document.title}"

    @property
    def document(self) -> IncomingDocument:
        return self.assignment.document

    @property
    def classification(self) -> int:
        """A 承办人's deadline is as secret as the document (reminders mask classified titles)."""
        return self.assignment.document.classification

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_SUBASSIGNMENT_STATES


class IncomingScan(models.Model):
    """原件扫描件: the scan of a paper original (PDF or images), uploaded at 来文登记 or later."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="scans")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to="documents/incoming/%Y/%m/")
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("原件扫描件")
        verbose_name_plural = _("原件扫描件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def previewable(self) -> bool:
        return self.content_type in ("application/pdf", "image/jpeg", "image/png")


class Circulation(models.Model):
    """传阅: one round of circulating a document to chosen readers, with why and by when."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="circulations")
    note = models.CharField(_("传阅说明"), max_length=300)
    sent_by = models.ForeignKey("org.Person", verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    due = models.DateField(_("阅毕时限"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("收回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("传阅")
        verbose_name_plural = _("传阅")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return self.note


class ReaderState(models.TextChoices):
    SENT = "sent", _("已送达")
    OPENED = "opened", _("已收到")
    READ = "read", _("已阅")
    RECALLED = "recalled", _("已收回")


class CirculationReader(models.Model):
    circulation = models.ForeignKey(Circulation, on_delete=models.CASCADE, related_name="readers")
    person = models.ForeignKey("org.Person", verbose_name=_("阅读人"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    state = models.CharField(_("状态"), max_length=10, choices=ReaderState.choices, default=ReaderState.SENT)
    opened_at = models.DateTimeField(_("收到时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅毕时间"), null=True, blank=True)
    comment = models.CharField(_("阅文意见"), max_length=300, blank=True)

    classified_parent = "circulation__document"  # its reading deadline is masked with the document

    class Meta:
        verbose_name = _("传阅人")
        verbose_name_plural = _("传阅人")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["circulation", "person"], name="reader_once_per_round")]
        indexes = [models.Index(fields=["person", "state"], name="reader_inbox")]

    def __str__(self) -> str:
        return f"传阅：{self.circulation.document.title}"

    @property
    def classification(self) -> int:
        """A reading deadline is as secret as the document (reminders mask classified titles)."""
        return self.circulation.document.classification


class IncomingTransition(WorkflowEvent):
    """流转记录 of an incoming document (the kernel's event row, with its states). Append-only:
    PostgreSQL refuses UPDATE and DELETE (migration 0003)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("原状态"), max_length=12, choices=IncomingState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=IncomingState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("收文流转记录")
        verbose_name_plural = _("收文流转记录")
