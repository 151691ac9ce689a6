"""Classification of records, 知悉范围 grants, the append-only audit log, the copy register.

Every classifiable record inherits :class:`Classified` and gets ``visible_to(user)`` from
:class:`ClassifiedQuerySet`; see ``visibility.py`` for the rule.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.levels import Level


class TermUnit(models.TextChoices):
    YEARS = "years", _("年")
    MONTHS = "months", _("个月")
    UNTIL = "until", _("解密时间")
    CONDITION = "condition", _("解密条件")


# 《保守国家秘密法》: at most 30 / 20 / 10 years unless stated otherwise; none given = the maximum.
MAX_TERM_YEARS = {Level.TOP_SECRET: 30, Level.SECRET: 20, Level.CONFIDENTIAL: 10}


class ClassifiedQuerySet(models.QuerySet):
    _visible_for = None  # the user this queryset is already narrowed to

    def visible_to(self, user):
        """What ``user`` may see: within clearance and inside the 知悉范围 (``visibility.py``).
        Narrowing twice for the same user adds nothing (and would mislead the planner)."""
        from office.confidentiality.visibility import visible_q

        who = (getattr(user, "pk", None), getattr(user, "is_authenticated", False))
        if self._visible_for is not None and self._visible_for == who:
            return self
        narrowed = self.filter(visible_q(self.model, user))
        narrowed._visible_for = who
        return narrowed

    def _clone(self):
        clone = super()._clone()
        clone._visible_for = self._visible_for
        return clone

    # What widens a queryset is no longer narrowed to anyone.
    def __or__(self, other):
        combined = super().__or__(other)
        combined._visible_for = None
        return combined

    def __xor__(self, other):
        combined = super().__xor__(other)
        combined._visible_for = None
        return combined

    def _combinator_query(self, *args, **kwargs):
        combined = super()._combinator_query(*args, **kwargs)
        combined._visible_for = None
        return combined

    def registered_for(self, user):
        """The register a 保密员 keeps: their organ's records within their clearance (register
        fields only: pages built on this show marks, holders and dates, never content)."""
        from office.confidentiality.visibility import register_q

        return self.filter(register_q(self.model, user))

    def above(self, level: Level):
        return self.filter(classification__gt=level)


class Classified(models.Model):
    """The classification every classifiable record carries (密级, 保密期限, 定密依据)."""

    classification = models.PositiveSmallIntegerField(
        _("密级"), choices=Level.choices, default=Level.INTERNAL, db_index=True
    )
    secrecy_term_unit = models.CharField(_("保密期限方式"), max_length=12, choices=TermUnit.choices, blank=True)
    secrecy_term_amount = models.PositiveSmallIntegerField(_("保密期限"), null=True, blank=True)
    secrecy_until = models.DateField(_("解密时间"), null=True, blank=True)
    declassify_condition = models.CharField(_("解密条件"), max_length=200, blank=True)
    declassify_condition_met = models.BooleanField(_("解密条件已成就"), default=False)
    secrecy_from = models.DateField(_("保密期限起算日"), null=True, blank=True)
    classification_basis = models.CharField(_("定密依据"), max_length=200, blank=True)
    classified_by = models.ForeignKey(
        "org.Person", verbose_name=_("定密人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    classified_at = models.DateTimeField(_("定密时间"), null=True, blank=True)
    # Derived from the term when it is set (services.classify), so the declassification
    # worklist is one indexed comparison.
    declassify_due = models.DateField(_("保密期限届满日"), null=True, blank=True, db_index=True)
    # Who may see it, as keys (access.py): kept by signals in the same transaction; NULL until
    # computed, and then nobody sees it. Each model indexes it (GIN).
    access_keys = ArrayField(models.BigIntegerField(), null=True, blank=True, editable=False)

    # What a model declares so that visible_to() can find the people inside its 知悉范围.
    participant_person_fields: ClassVar[tuple[str, ...]] = ()
    participant_unit_fields: ClassVar[tuple[str, ...]] = ()
    organ_field: ClassVar[str | None] = None  # public/internal records are open within this organ
    owner_field: ClassVar[str | None] = None  # the person who may grant and revoke besides 保密员
    # Who is barred from the record whatever else lets them in (a 检举控告's accused person and unit,
    # and every unit below it): direct foreign keys, kept as ``barred_keys`` by ``save``. A model
    # declaring any adds the column ``barred_keys = ArrayField(BigIntegerField(), default=list)``.
    excluded_person_fields: ClassVar[tuple[str, ...]] = ()
    excluded_unit_fields: ClassVar[tuple[str, ...]] = ()
    # A boolean field that, when set, closes a 公开/内部 record to its organ (限定知悉范围: a letter
    # naming a petitioner is for its participants only, not for every colleague in the organ).
    organ_closed_field: ClassVar[str | None] = None

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.excluded_person_fields or self.excluded_unit_fields:
            from office.confidentiality.access import barred_keys

            self.barred_keys = barred_keys(self)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "barred_keys"}
        super().save(*args, **kwargs)

    @property
    def level(self) -> Level:
        return Level(self.classification)

    @property
    def is_classified(self) -> bool:
        return self.level.is_classified

    @property
    def level_mark(self) -> str:
        """The mark on the record, as printed on official documents whatever the page language
        (GB/T 9704): ``机密★10年``, ``秘密★6个月``, ``绝密★2030年12月31日``, ``机密★解密条件``, ``内部``."""
        labels = {Level.INTERNAL: "内部", Level.CONFIDENTIAL: "秘密", Level.SECRET: "机密", Level.TOP_SECRET: "绝密"}
        if not self.is_classified:
            return labels.get(self.level, "")
        until = self.secrecy_until
        term = {
            TermUnit.YEARS: lambda: f"{self.secrecy_term_amount}年",
            TermUnit.MONTHS: lambda: f"{self.secrecy_term_amount}个月",
            TermUnit.UNTIL: lambda: f"{until.year}年{until.month}月{until.day}日",
            TermUnit.CONDITION: lambda: "解密条件",
        }.get(self.secrecy_term_unit)
        return f"{labels[self.level]}★{term()}" if term else labels[self.level]

    def has_content(self) -> bool:
        """Whether the record holds content (text or files) beyond its register fields."""
        return False


# --- A classifiable record of the 保密 office itself ------------------------------------------------


class CarrierKind(models.TextChoices):
    PAPER = "paper", _("纸质文件资料")
    DISC = "disc", _("光盘")
    USB = "usb", _("U盘")
    DISK = "disk", _("移动硬盘")
    OTHER = "other", _("其他")


class Carrier(Classified):
    """A classified carrier (涉密载体) in the office's register: a document or medium it holds.

    Above the deployment's ceiling only the register is kept (title, marks, holders, copies);
    its content is refused (``services.ensure_content_allowed``)."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("载体类型"), max_length=12, choices=CarrierKind.choices, default=CarrierKind.PAPER)
    reference = models.CharField(_("文号或编号"), max_length=80, blank=True)
    source_organ = models.CharField(_("来源机关"), max_length=100, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("保管单位"), on_delete=models.PROTECT, related_name="carriers")
    content = models.TextField(_("内容"), blank=True)
    created_by = models.ForeignKey(
        "org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="registered_carriers"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    participant_person_fields = ("created_by",)
    participant_unit_fields = ("unit",)
    organ_field = "unit__organ"
    owner_field = "created_by"

    class Meta:
        verbose_name = _("涉密载体")
        verbose_name_plural = _("涉密载体")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "classification"], name="carrier_unit_level"),
            GinIndex(fields=["access_keys"], name="carrier_access"),
        ]

    def __str__(self) -> str:
        return self.title

    def has_content(self) -> bool:
        return bool(self.content.strip())


class CarrierUserGrant(UserObjectPermissionBase):
    """知悉范围: a named person (guardian's direct foreign-key permission table)."""

    content_object = models.ForeignKey(Carrier, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("涉密载体知悉人员")
        verbose_name_plural = _("涉密载体知悉人员")


class CarrierGroupGrant(GroupObjectPermissionBase):
    """知悉范围: a unit, through the unit's managed group."""

    content_object = models.ForeignKey(Carrier, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("涉密载体知悉单位")
        verbose_name_plural = _("涉密载体知悉单位")


# --- The append-only, hash-chained audit log ------------------------------------------------


class AuditAction(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")
    PRINT = "print", _("打印")
    DENIED = "denied", _("访问未授权记录")
    CLASSIFY = "classify", _("定密")
    RECLASSIFY = "reclassify", _("变更密级或期限")
    DECLASSIFY = "declassify", _("解密")
    GRANT = "grant", _("授予知悉范围")
    REVOKE = "revoke", _("撤销知悉范围")
    COPY_ISSUE = "copy_issue", _("分发份号")
    COPY_SIGN = "copy_sign", _("签收")
    COPY_RETURN = "copy_return", _("清退")
    COPY_DESTROY_REQUEST = "copy_destroy_request", _("申请销毁")
    COPY_DESTROY = "copy_destroy", _("销毁")
    COPY_REQUEST = "copy_request", _("申请复制摘抄")
    COPY_REQUEST_DECIDE = "copy_request_decide", _("审批复制摘抄")
    CEILING_REFUSED = "ceiling_refused", _("超出密级上限被拒")
    CLEARANCE = "clearance", _("变更人员涉密等级")
    ACCOUNT = "account", _("账号变更")
    ROLE = "role", _("变更人员角色")
    UNIT_CHANGE = "unit_change", _("变更人员所在单位")
    PASSWORD_SET = "password_set", _("重置密码")
    LOGIN_LOCKED = "login_locked", _("登录失败锁定")
    LOGIN_UNLOCKED = "login_unlocked", _("解除登录锁定")
    TOKEN_ISSUED = "token_issued", _("签发 API 令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销 API 令牌")
    SEARCH = "search", _("检索")
    CHAIN_HEAD_REBUILT = "chain_head_rebuilt", _("重建审计链头")


class AuditEvent(models.Model):
    """One row per read of a record above 内部 and per security event. Never updated, deleted or
    truncated: plain PL/pgSQL triggers refuse it whatever the session sets (migration 0004, not
    pgtrigger's, whose triggers a session may switch off); each row's hash covers its content and
    the previous hash."""

    id = models.BigIntegerField(primary_key=True)  # assigned in chain order under the head's lock
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=24, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("记录编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("记录"), max_length=200, blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Level.choices, null=True, blank=True)
    # The organ whose 保密员 keep this row: the record's organ, else the actor's.
    organ = models.ForeignKey(
        "org.Unit", verbose_name=_("所属机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("访问与安全日志")
        verbose_name_plural = _("访问与安全日志")
        ordering = ["-id"]
        # Organisation-wide figures (counts over records one cannot see) need this, not is_staff.
        permissions = [("view_global_statistics", _("查看全机关统计"))]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.actor_name} {self.get_action_display()} {self.object_repr}"


class AuditChainHead(models.Model):
    """The single row every audit insert locks: the last id and hash of the chain. A trigger
    (migration 0004) refuses to delete it or to move it anywhere but onto the chain's last row."""

    singleton = models.BooleanField(primary_key=True, default=True)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"


# --- The copy register (份号) and copy/excerpt requests -----------------------------------------


class CopyState(models.TextChoices):
    ISSUED = "issued", _("已分发")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("已清退")
    DESTRUCTION_REQUESTED = "destruction_requested", _("待销毁确认")
    DESTROYED = "destroyed", _("已销毁")


class ClassifiedCopy(models.Model):
    """One numbered copy of a classified record and who holds it (the 份号 register)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    copy_number = models.PositiveIntegerField(_("份号"))
    holder_person = models.ForeignKey(
        "org.Person", verbose_name=_("持有人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("持有单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=24, choices=CopyState.choices, default=CopyState.ISSUED)
    issued_at = models.DateTimeField(_("分发时间"))
    issued_by = models.ForeignKey("org.Person", verbose_name=_("分发人"), on_delete=models.PROTECT, related_name="+")
    due_back = models.DateField(_("应清退日期"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("清退时间"), null=True, blank=True)
    destruction_requested_by = models.ForeignKey(
        "org.Person", verbose_name=_("销毁经办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destruction_confirmed_by = models.ForeignKey(
        "org.Person", verbose_name=_("销毁监销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("份号登记")
        verbose_name_plural = _("份号登记")
        ordering = ["content_type", "object_id", "copy_number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "copy_number"], name="copy_number_unique"),
            models.CheckConstraint(
                condition=models.Q(copy_number__gte=1, copy_number__lte=999999), name="copy_number_six_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(holder_person__isnull=False) | models.Q(holder_unit__isnull=False),
                name="copy_has_holder",
            ),
            # Destruction takes two different people (经办人 and 监销人).
            models.CheckConstraint(
                condition=models.Q(destroyed_at__isnull=True)
                | (
                    models.Q(destruction_requested_by__isnull=False, destruction_confirmed_by__isnull=False)
                    & ~models.Q(destruction_requested_by=models.F("destruction_confirmed_by"))
                ),
                name="copy_destroyed_by_two_people",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_back"], name="copy_state_due")]

    def __str__(self) -> str:
        return f"份号{self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.copy_number:06d}"

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_back is not None and self.due_back < today and self.state in (CopyState.ISSUED, CopyState.SIGNED)
        )


class CopyRequestKind(models.TextChoices):
    COPY = "copy", _("复制")
    EXCERPT = "excerpt", _("摘抄")


class CopyRequestState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class CopyRequest(models.Model):
    """A request to copy or excerpt classified content; 机密/秘密 need the organ head's approval,
    绝密 also the classifying organ's, recorded explicitly."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类型"), max_length=10, choices=CopyRequestKind.choices)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    reason = models.CharField(_("事由"), max_length=300)
    requested_by = models.ForeignKey("org.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    state = models.CharField(
        _("状态"), max_length=10, choices=CopyRequestState.choices, default=CopyRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    originating_organ_approval = models.CharField(
        _("定密机关批准情况"), max_length=300, blank=True, help_text=_("绝密级：定密机关的批准文件或批准人。")
    )

    class Meta:
        verbose_name = _("复制摘抄申请")
        verbose_name_plural = _("复制摘抄申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reason[:20]}"
