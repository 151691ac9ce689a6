"""Outgoing documents (发文): the 18 elements, the series and their number ledger, the workflow
record, countersigns, attachments. Official content keeps its history (django-pghistory)."""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from documents.vocabulary import DocumentKind, Urgency
from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class Direction(models.TextChoices):
    UPWARD = "up", _("上行文")
    PARALLEL = "parallel", _("平行文")
    DOWNWARD = "down", _("下行文")


class Disclosure(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_PUBLIC = "not_public", _("不予公开")


class SeriesTemplate(models.TextChoices):
    STANDARD = "standard", _("文件格式")
    LETTER = "letter", _("信函格式")
    MINUTES = "minutes", _("纪要格式")


class DocumentSeries(models.Model):
    """发文代字系列: e.g. 临府办发 of 临江市人民政府办公室; each has its own yearly counter."""

    organ = models.ForeignKey(
        "org.Unit",
        verbose_name=_("发文机关"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("以其名义发文的机关或部门；其负责人是主要负责人签发的签发人。"),
    )
    office = models.ForeignKey(
        "org.Unit",
        verbose_name=_("办文部门"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责核稿、复核、登记、核发的办公室。"),
    )
    issuer_name = models.CharField(_("发文机关标志"), max_length=60, help_text=_("例如：临江市人民政府办公室文件"))
    code = models.CharField(_("机关代字"), max_length=20, help_text=_("例如：临府办发"))
    template = models.CharField(
        _("版式"), max_length=12, choices=SeriesTemplate.choices, default=SeriesTemplate.STANDARD
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发文代字")
        verbose_name_plural = _("发文代字")
        ordering = ["organ", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="series_code_unique"),
            models.CheckConstraint(condition=~models.Q(code__regex=r"[〔〕\[\]()（）0-9]"), name="series_code_plain"),
        ]

    def __str__(self) -> str:
        return self.code


class NumberCounter(models.Model):
    """The per-series, per-year counter (``take_next``: locked from the number to the commit)."""

    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="counter_per_series_year")]

    def __str__(self) -> str:
        return f"{self.series}〔{self.year}〕{self.last}"


class NumberState(models.TextChoices):
    ASSIGNED = "assigned", _("已使用")
    VOID = "void", _("已作废")


class DocumentNumber(models.Model):
    """The number ledger: every number ever taken, used or void, never reused."""

    series = models.ForeignKey(DocumentSeries, verbose_name=_("代字"), on_delete=models.PROTECT, related_name="numbers")
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    state = models.CharField(_("状态"), max_length=10, choices=NumberState.choices, default=NumberState.ASSIGNED)
    void_reason = models.CharField(_("作废理由"), max_length=200, blank=True)
    assigned_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发文字号")
        verbose_name_plural = _("发文字号登记")
        ordering = ["series", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="number_unique"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="number_from_one"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """代字〔YYYY〕N号: six-corner brackets, full year, no padding, no 第."""
        return f"{self.series.code}〔{self.year}〕{self.sequence}号"


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("拟稿")
    REVIEW = "review", _("核稿")
    COUNTERSIGN = "countersign", _("会签")
    SIGNOFF = "signoff", _("签发")
    RECHECK = "recheck", _("复核")
    REGISTERED = "registered", _("已登记")
    ISSUED = "issued", _("已核发")
    ARCHIVED = "archived", _("已归档")
    REVOKED = "revoked", pgettext_lazy("公文状态", "已撤销")
    ABOLISHED = "abolished", _("已废止")
    VOIDED = "voided", _("已作废")


@pghistory.track(
    pghistory.InsertEvent("drafted"),  # the first version, so every later edit has its predecessor
    pghistory.UpdateEvent(
        "content_changed",
        condition=pghistory.AnyChange(
            "title",
            "body",
            "attachment_note",
            "note",
            "main_to_external",
            "cc_external",
            "kind",
            "direction",
            "urgency",
        ),
    ),
    fields=[
        "title",
        "body",
        "attachment_note",
        "note",
        "main_to_external",
        "cc_external",
        "kind",
        "direction",
        "urgency",
        "state",
    ],
    model_name="OutgoingDocumentVersion",
)
class OutgoingDocument(Classified):
    """A document the organ sends out (发文), with the elements of GB/T 9704 as fields."""

    # 版头
    series = models.ForeignKey(DocumentSeries, verbose_name=_("发文代字"), on_delete=models.PROTECT, related_name="+")
    number = models.OneToOneField(
        DocumentNumber,
        verbose_name=_("发文字号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document",
    )
    copies = models.PositiveIntegerField(_("印制份数"), default=0, help_text=_("涉密公文按份编号。"))
    urgency = models.CharField(_("紧急程度"), max_length=16, choices=Urgency.choices, blank=True)
    designated_signer = models.ForeignKey(
        "org.Person", verbose_name=_("拟请签发人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        "org.Person",
        verbose_name=_("核稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("送核稿时指定；未指定时由发文机关办公室人员核稿。"),
    )
    # 主体
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    direction = models.CharField(_("行文方向"), max_length=10, choices=Direction.choices, default=Direction.DOWNWARD)
    important = models.BooleanField(_("重要公文"), default=False, help_text=_("须由主要负责人签发。"))
    main_to_units = models.ManyToManyField("org.Unit", verbose_name=_("主送机关"), blank=True, related_name="+")
    main_to_external = models.CharField(_("主送机关（系统外）"), max_length=300, blank=True)
    body = models.TextField(
        _("正文"), blank=True, help_text=_("每段一行；以“一、”“（一）”“1.”“（1）”开头的行为各级标题。")
    )
    attachment_note = models.TextField(_("附件说明"), blank=True, help_text=_("每个附件一行，按顺序。"))
    in_reply_to = models.CharField(
        _("所答复的请示"), max_length=120, blank=True, help_text=_("批复：对方请示的标题或文号。")
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    note = models.CharField(_("附注"), max_length=200, blank=True)
    # 版记
    cc_units = models.ManyToManyField("org.Unit", verbose_name=_("抄送机关"), blank=True, related_name="+")
    cc_external = models.CharField(_("抄送机关（系统外）"), max_length=300, blank=True)
    printing_organ = models.CharField(_("印发机关"), max_length=60, blank=True)
    printed_on = models.DateField(_("印发日期"), null=True, blank=True)
    disclosure = models.CharField(
        _("公开属性"), max_length=12, choices=Disclosure.choices, default=Disclosure.NOT_PUBLIC
    )
    disclosure_reason = models.CharField(_("不予公开理由"), max_length=200, blank=True)
    # 签发
    signed_by = models.ForeignKey(
        "org.Person", verbose_name=_("签发人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_opinion = models.CharField(_("签发意见"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    # 办文
    drafter = models.ForeignKey("org.Person", verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+")
    # Both lead the (drafting_unit, state) and (state, -updated_at) indexes: no index of their own
    # (every registration writes each index of a million-row table).
    drafting_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("拟稿单位"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    state = models.CharField(_("状态"), max_length=12, choices=DocumentState.choices, default=DocumentState.DRAFT)
    state_reason = models.CharField(_("撤销、废止或作废理由"), max_length=200, blank=True)
    retention = models.CharField(_("保管期限"), max_length=8, blank=True)
    # CJK bigrams + Latin words and digits under the 'simple' configuration (office/search.py).
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # A letter on someone's behalf (a 信访 答复意见书): for its participants only, never the organ at
    # large; and never for whom the matter accuses (set by the module that drafts it).
    restricted = models.BooleanField(
        _("限定知悉范围"),
        default=False,
        help_text=_("含个人信息等：仅拟稿、核稿、签发等经办人员可见，不向本机关公开。"),
    )
    barred_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("回避单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    barred_person = models.ForeignKey(
        "org.Person", verbose_name=_("回避人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    barred_keys = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    participant_person_fields = ("drafter", "designated_signer", "signed_by", "series__organ__head")
    participant_unit_fields = ("drafting_unit", "countersigns__unit", "series__office")
    organ_field = "series__organ__organ"
    owner_field = "drafter"
    organ_closed_field = "restricted"
    excluded_unit_fields = ("barred_unit",)
    excluded_person_fields = ("barred_person",)

    class Meta:
        verbose_name = _("发文")
        verbose_name_plural = _("发文")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-updated_at"], name="outgoing_state"),
            models.Index(fields=["drafting_unit", "state"], name="outgoing_unit_state"),
            # One GIN index over both: a search intersects the words with the viewer's keys inside
            # the index (a rare word or a narrow viewer reads only the rows in both), and the keys
            # alone serve every visible_to count.
            GinIndex(fields=["search_vector", "access_keys"], name="outgoing_search_access"),
            # The list's order, carrying all that visible_to reads (the bar too): a page and its
            # capped count walk the index alone and fetch only the rows shown — whatever the
            # table's physical order, which a plain scan would depend on.
            models.Index(
                fields=["-updated_at", "-id"],
                name="outgoing_recent",
                include=["classification", "access_keys", "barred_keys"],
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number_text(self) -> str:
        return self.number.text if self.number_id else ""

    def has_content(self) -> bool:
        return bool(self.body.strip()) or self.attachments.exists()


class OutgoingUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE)


class OutgoingGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE)


class CountersignState(models.TextChoices):
    PENDING = "pending", _("待会签")
    AGREED = "agreed", _("同意")
    RETURNED = "returned", _("退回")


class Countersign(models.Model):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="countersigns")
    unit = models.ForeignKey("org.Unit", verbose_name=_("会签单位"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=10, choices=CountersignState.choices, default=CountersignState.PENDING
    )
    opinion = models.CharField(_("意见"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("会签人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("会签时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会签")
        verbose_name_plural = _("会签")
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="countersign_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_state_display()}"


class Attachment(models.Model):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="documents/%Y/%m/")
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    uploaded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Transition(WorkflowEvent):
    """流转记录: who moved the document from which step to which, when, and what they said.
    Append-only: PostgreSQL refuses UPDATE and DELETE (migration 0003)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=20)  # the table's width (the kernel's is 24)
    from_state = models.CharField(_("原状态"), max_length=12, choices=DocumentState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=DocumentState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
