"""One Deadline table for every due date in the system, the reminders the beat scan claims from
it, and the in-app notifications they become."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from office.workdays.services import PeriodUnit


class Audience(models.TextChoices):
    RESPONSIBLE = "responsible", _("承办人")
    UNIT_HEAD = "unit_head", _("承办单位负责人")
    SUPERVISION = "supervision", _("督办部门和分管领导")


class DeadlineKind(models.Model):
    """A kind of deadline and its rules: reminder stages, extension cap, escalation."""

    code = models.SlugField(_("代码"), primary_key=True, max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    legal_basis = models.CharField(
        _("法定依据"),
        max_length=120,
        blank=True,
        help_text=_("规定本类期限的条款，如《信访工作条例》第三十二条；写入每个期限的计算过程。"),
    )
    max_extensions = models.PositiveSmallIntegerField(_("最多延期次数"), default=1)
    extension_cap_amount = models.PositiveSmallIntegerField(_("延期合计上限"), null=True, blank=True)
    extension_cap_unit = models.CharField(
        _("延期上限单位"), max_length=16, choices=PeriodUnit.choices, default=PeriodUnit.CALENDAR_DAYS
    )
    very_overdue_after = models.PositiveSmallIntegerField(
        _("严重逾期（工作日）"), default=5, help_text=_("逾期超过这么多个工作日，提醒督办部门和分管领导。")
    )
    supervising_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督办部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("期限类型")
        verbose_name_plural = _("期限类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ReminderStage(models.Model):
    """When to remind whom, relative to the due date (negative = before)."""

    kind = models.ForeignKey(DeadlineKind, verbose_name=_("期限类型"), on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    offset = models.SmallIntegerField(_("相对届满日"), help_text=_("负数为届满前，正数为届满后。"))
    offset_unit = models.CharField(
        _("单位"), max_length=16, choices=[(PeriodUnit.CALENDAR_DAYS, _("日")), (PeriodUnit.WORKING_DAYS, _("工作日"))]
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("重复间隔（日）"), null=True, blank=True, help_text=_("逾期后每隔多少日重复提醒；留空不重复。")
    )
    audience = models.CharField(_("提醒对象"), max_length=16, choices=Audience.choices, default=Audience.RESPONSIBLE)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("提醒节点")
        verbose_name_plural = _("提醒节点")
        ordering = ["kind", "offset"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="stage_code_unique_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind.name} · {self.name}"


class DeadlineState(models.TextChoices):
    OPEN = "open", _("进行中")
    MET = "met", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class Deadline(models.Model):
    """A due date of any record, computed from its clock and never edited by hand."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    subject_repr = models.CharField(_("事项"), max_length=200)
    kind = models.ForeignKey(DeadlineKind, verbose_name=_("期限类型"), on_delete=models.PROTECT, related_name="+")
    responsible_person = models.ForeignKey(
        "org.Person", verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "org.Person", verbose_name=_("分管领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The clock.
    start = models.DateField(_("起算日"))
    amount = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=PeriodUnit.choices)
    # Derived from the clock, suspensions and extensions (services.recompute).
    due_date = models.DateField(_("届满日"), null=True, blank=True)
    derivation = models.TextField(_("计算过程"), blank=True)
    calendar_complete = models.BooleanField(_("节假日安排齐全"), default=True)
    suspended = models.BooleanField(_("中止中"), default=False)
    state = models.CharField(_("状态"), max_length=12, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    met_on = models.DateField(_("办结日"), null=True, blank=True)
    met_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    opened_at = models.DateTimeField(_("设立时间"), auto_now_add=True)
    # The first day the beat scan has something to claim for it, kept by the services (recompute, meet,
    # cancel) and moved on by the scan as it claims; NULL when nothing will fire (closed, suspended, or
    # every stage past). It may be earlier than the truth (the scan then claims nothing and moves it
    # on), never later: the scan reads only the deadlines with ``next_fire_on <= today``.
    next_fire_on = models.DateField(_("下次提醒日"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="deadline_scan"),
            models.Index(fields=["content_type", "object_id"], name="deadline_subject"),
            models.Index(fields=["responsible_person", "state"], name="deadline_person"),
            models.Index(fields=["responsible_unit", "state"], name="deadline_unit"),
            models.Index(
                fields=["next_fire_on"],
                name="deadline_next_fire",
                condition=models.Q(state="open", suspended=False, next_fire_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(responsible_person__isnull=False) | models.Q(responsible_unit__isnull=False),
                name="deadline_has_someone_responsible",
            ),
            models.CheckConstraint(
                condition=models.Q(state="open") | models.Q(suspended=False), name="deadline_closed_not_suspended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_repr} · {self.due_date or '—'}"


class ScanState(models.Model):
    """One row: the fingerprint of what the stored ``Deadline.next_fire_on`` dates were computed from
    (the active stages, each kind's ``very_overdue_after``, the holiday calendar). When the scan finds
    it changed (an administrator edited a stage, a year's arrangement was imported) it computes every
    open deadline's date again before reading."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    fingerprint = models.CharField(max_length=64, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("提醒扫描状态")
        verbose_name_plural = _("提醒扫描状态")

    def __str__(self) -> str:
        return self.fingerprint


class Suspension(models.Model):
    """An interval the clock does not run (a hearing, a third party consulted), or — when it
    restarts the clock — the wait for a correction (补正), after which the period begins anew.

    A 补登 (``late_entry_reason``) is a pause entered by the office chief after the period had run
    out: it is kept on the record, but no day of it after ``counts_until`` (the due date in force
    when it was entered) is taken out of the clock, so it never revives an expired period."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="suspensions")
    start = models.DateField(_("中止日"))
    end = models.DateField(_("恢复日"), null=True, blank=True)
    restarts_clock = models.BooleanField(_("恢复后重新起算"), default=False)
    reason = models.CharField(_("理由"), max_length=200)
    late_entry_reason = models.CharField(
        _("补登理由"), max_length=200, blank=True, help_text=_("期限届满后由办公室主任补登时，写明未及时登记的原因。")
    )
    counts_until = models.DateField(
        _("计入至"), null=True, blank=True, help_text=_("补登时的届满日：此后的中止时间不计入，期限不因补登而延后。")
    )

    class Meta:
        verbose_name = _("期限中止")
        verbose_name_plural = _("期限中止")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.start}–{self.end or '…'} {self.reason}"


class Extension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    amount = models.PositiveSmallIntegerField(_("延长"))
    unit = models.CharField(_("单位"), max_length=16, choices=PeriodUnit.choices)
    reason = models.CharField(_("理由"), max_length=200)
    approved_by = models.ForeignKey("org.Person", verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限延长")
        verbose_name_plural = _("期限延长")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=1), name="extension_amount_positive")]

    def __str__(self) -> str:
        return f"+{self.amount} {self.get_unit_display()} {self.reason}"


class DeadlineEvent(models.Model):
    """The deadline's history: who opened, suspended, resumed, extended, met or cancelled it, and why."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    due_before = models.DateField(_("原届满日"), null=True, blank=True)
    due_after = models.DateField(_("新届满日"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限记录")
        verbose_name_plural = _("期限记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.reason}"


class ReminderState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Reminder(models.Model):
    """One reminder of one stage to one person for one due date, created once, ever (the unique key)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    stage_key = models.CharField(_("节点"), max_length=60)
    # Part of the key: after an extension or a resume the stages fire again for the new due date.
    for_due_date = models.DateField(_("针对届满日"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(_("提醒对象"), max_length=16, choices=Audience.choices)
    state = models.CharField(_("状态"), max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING)
    claimed_at = models.DateTimeField(_("认领时间"))
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    email_sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "stage_key", "recipient", "for_due_date"], name="reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="reminder_pending")]

    def __str__(self) -> str:
        return f"{self.deadline} · {self.stage_key}"


class Notification(models.Model):
    """An in-app notification (the bell)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("内容"), max_length=200)
    subject_repr = models.CharField(_("事项"), max_length=200, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.verb
