"""政府信息公开 (《政府信息公开条例》 2019): 依申请公开 requests and the 主动公开 of 发文.

A ``DisclosureRequest`` is received by channel (当面: that day; 邮寄: the 签收 day; 网络/传真: the day
both sides confirm), may be sent back once for 补正 within 7 working days (the answer clock then
restarts on the day the 补正 arrives; none in time → 视为放弃), is answered within 20 working days
(one extension ≤ 20, approved by the 公开工作机构负责人), with third-party consultation (15 working
days) and consulting other organs stopping the clock. Each answer type has its 告知书, a 信函 draft
through ``documents``. Results, 复议 and 诉讼 feed the 年度报告 (``petitions.disclosure.report``).

A ``Publication`` is the 主动公开 of one 发文 whose 公开属性 is 主动公开: opened when it is 核发, with
a 20-working-day clock, a 公开前保密审查 by the 保密员, and its place in the 公开目录.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class ApplicantKind(models.TextChoices):
    """申请人: the 年度报告's columns."""

    PERSON = "person", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄")
    ONLINE = "online", _("网络")
    FAX = "fax", _("传真")


class Medium(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("自行领取")


class RequestState(models.TextChoices):
    RECEIVED = "received", _("待确认收到")  # 网络/传真: until both sides confirm, no clock runs
    HANDLING = "handling", _("办理中")
    CORRECTING = "correcting", _("待补正")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    ABANDONED = "abandoned", _("视为放弃")


class AnswerType(models.TextChoices):
    ALREADY_PUBLIC = "already_public", _("已主动公开")
    GRANTED = "granted", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    REFUSED = "refused", _("不予公开")
    UNAVAILABLE = "unavailable", _("无法提供")
    NOT_PROCESSED = "not_processed", _("不予处理")
    NOT_OURS = "not_ours", _("不属于本机关公开")
    SPECIAL = "special", _("按特别规定办理")


# The reasons each answer type must give, as the 年度报告 counts them.
REASONS: dict[str, list[tuple[str, str]]] = {
    AnswerType.REFUSED: [
        ("state_secret", _("属于国家秘密")),
        ("law_forbids", _("其他法律行政法规禁止公开")),
        ("security", _("危及“三安全一稳定”")),
        ("third_party", _("保护第三方合法权益")),
        ("internal", _("属于三类内部事务信息")),
        ("process", _("属于四类过程性信息")),
        ("enforcement", _("属于行政执法案卷")),
        ("inquiry", _("属于行政查询事项")),
    ],
    AnswerType.UNAVAILABLE: [
        ("not_held", _("本机关不掌握相关政府信息")),
        ("needs_making", _("没有现成信息需要另行制作")),
        ("still_unclear", _("补正后申请内容仍不明确")),
    ],
    AnswerType.NOT_PROCESSED: [
        ("petition", _("信访举报投诉类申请")),
        ("repeat", _("重复申请")),
        ("publication", _("要求提供公开出版物")),
        ("excessive", _("无正当理由大量反复申请")),
        ("confirm", _("要求行政机关确认或重新出具已获取信息")),
    ],
}


class Outcome(models.TextChoices):
    """行政复议 and 行政诉讼 results, as the 年度报告 counts them."""

    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class FeeMode(models.TextChoices):
    PER_ITEM = "per_item", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class RequestCounter(models.Model):
    """依申请公开 登记号 counter per organ and year."""

    organ = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="disclosure_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organ}〔{self.year}〕{self.last}"


class DisclosureRequest(Classified):
    """One 政府信息公开申请, from receipt to 办结 (and the 复议/诉讼 after)."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("行政机关"), on_delete=models.PROTECT, related_name="+")
    intake_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("公开工作机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    # The applicant: personal data, for the request's participants only (never organ-wide).
    applicant_kind = models.CharField(_("申请人类型"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=100)
    id_document = models.CharField(_("身份证明"), max_length=60, blank=True, help_text=_("证件名称及号码。"))
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_address = models.CharField(_("通信地址"), max_length=200, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    description = models.TextField(_("所需信息的内容描述"))
    document_reference = models.CharField(_("所需信息的名称或文号"), max_length=200, blank=True)
    medium = models.CharField(_("获取信息的载体形式"), max_length=10, choices=Medium.choices)
    delivery = models.CharField(_("获取信息的方式"), max_length=8, choices=Delivery.choices)
    channel = models.CharField(_("申请方式"), max_length=10, choices=RequestChannel.choices)
    arrived_on = models.DateField(_("到达日期"))
    received_on = models.DateField(
        _("收到申请日期"),
        null=True,
        blank=True,
        help_text=_("当面提交以提交之日、邮寄以签收之日、网络或传真以双方确认之日计。"),
    )
    state = models.CharField(_("状态"), max_length=10, choices=RequestState.choices, default=RequestState.HANDLING)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), auto_now_add=True)
    due = models.DateField(_("答复期限"), null=True, blank=True)  # copy of the open answer clock's due
    handler = models.ForeignKey(
        "org.Person", verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holding_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("信息所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the unit asked to find the information (inside the organ)
    secrecy_reviewer = models.ForeignKey(
        "org.Person", verbose_name=_("保密审查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the 保密员 asked to review before answering (inside the 知悉范围 from then on)
    requested_documents = models.ManyToManyField(
        "documents.OutgoingDocument", verbose_name=_("涉及公文"), blank=True, related_name="+"
    )
    # 补正: once.
    correction_asked_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    correction_items = models.TextField(_("需补正事项"), blank=True)
    correction_until = models.DateField(_("补正期限"), null=True, blank=True)
    corrected_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    # Abnormal volume (数量、频次明显超过合理范围): reasons asked, the answer deferred.
    abnormal = models.BooleanField(_("数量频次明显超过合理范围"), default=False)
    abnormal_note = models.TextField(_("说明"), blank=True)
    # 信息处理费.
    fee_mode = models.CharField(_("收费方式"), max_length=12, choices=FeeMode.choices, blank=True)
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_notice_on = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_until = models.DateField(_("缴费期限"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    # The answer.
    answer_type = models.CharField(_("答复类型"), max_length=14, choices=AnswerType.choices, blank=True)
    answer_reason = models.CharField(_("具体情形"), max_length=16, blank=True)  # a key of REASONS
    answer_text = models.TextField(_("答复内容"), blank=True)
    public_where = models.CharField(_("公开途径"), max_length=200, blank=True)  # 已主动公开: where
    competent_organ = models.CharField(_("有权机关"), max_length=100, blank=True)  # 不属于本机关
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("告知书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)  # the 告知书 送达
    answered_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    delivered_method = models.CharField(_("送达方式"), max_length=8, choices=Delivery.choices, blank=True)
    closed_reason = models.CharField(_("其他处理情形"), max_length=16, blank=True)  # abandoned / unpaid / other
    # After: 行政复议 and 行政诉讼 (for the 年度报告).
    review_outcome = models.CharField(_("行政复议结果"), max_length=10, choices=Outcome.choices, blank=True)
    litigation_outcome = models.CharField(_("行政诉讼结果"), max_length=10, choices=Outcome.choices, blank=True)
    litigation_after_review = models.BooleanField(_("复议后起诉"), default=False)
    registrar = models.ForeignKey("org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    participant_person_fields = ("registrar", "handler", "secrecy_reviewer", "intake_unit__head")
    participant_unit_fields = ("intake_unit", "holding_unit")
    organ_field = None  # an applicant's request is need-to-know
    owner_field = "registrar"

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year", "sequence"], name="disclosure_number_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "due"], name="disclosure_state_due"),
            GinIndex(fields=["search_vector", "access_keys"], name="disclosure_search_access"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def number(self) -> str:
        """登记号: 临依申〔2026〕7号."""
        return f"{self.organ.name[:1]}依申〔{self.year}〕{self.sequence}号"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("petitions:disclosure", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.description.strip())


class DisclosureUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE)


class DisclosureGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE)


class Consultation(models.Model):
    """征求意见: a third party (15 working days to answer) or another organ; the answer clock stops
    meanwhile (a Suspension of it)."""

    class Party(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方")
        ORGAN = "organ", _("其他机关")

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    party = models.CharField(_("征求对象类型"), max_length=12, choices=Party.choices)
    name = models.CharField(_("征求对象"), max_length=100)
    sent_on = models.DateField(_("发出征求意见日期"))
    answered_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    agrees = models.BooleanField(_("同意公开"), null=True, blank=True)
    written_by = models.ForeignKey("org.Person", verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_party_display()}：{self.name}"


class SecrecyReview(models.Model):
    """保密审查 by the 保密员: before answering about a classified or 不予公开 发文 (依申请), and before
    a 主动公开 (``publication``)."""

    class Conclusion(models.TextChoices):
        PUBLIC = "public", _("可以公开")
        PARTIAL = "partial", _("删除涉密内容后可以公开")
        NOT_PUBLIC = "not_public", _("不得公开")

    request = models.ForeignKey(
        DisclosureRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="secrecy_reviews"
    )
    publication = models.ForeignKey(
        "Publication", null=True, blank=True, on_delete=models.CASCADE, related_name="secrecy_reviews"
    )
    conclusion = models.CharField(_("审查结论"), max_length=12, choices=Conclusion.choices)
    note = models.TextField(_("审查意见"))
    reviewer = models.ForeignKey("org.Person", verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审查时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(request__isnull=False) ^ models.Q(publication__isnull=False),
                name="secrecy_review_of_one",
            )
        ]

    def __str__(self) -> str:
        return self.get_conclusion_display()


class DisclosureEvent(WorkflowEvent):
    """The request's 流转记录. Append-only (migration)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=10, choices=RequestState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, choices=RequestState.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("依申请公开流转记录")
        verbose_name_plural = _("依申请公开流转记录")
        ordering = ["at", "id"]


# --- 主动公开 ------------------------------------------------------------------------------------------


class Category(models.TextChoices):
    """公开目录 categories (the ones an office's 年报 counts)."""

    RULES = "rules", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    PLANS = "plans", _("规划计划")
    POLICY = "policy", _("政策解读")
    PERSONNEL = "personnel", _("人事信息")
    FINANCE = "finance", _("财政资金")
    OTHER = "other", _("其他")


class PublicationState(models.TextChoices):
    PENDING = "pending", _("待保密审查")
    CLEARED = "cleared", _("待发布")
    PUBLISHED = "published", _("已公开")
    WITHHELD = "withheld", _("不予公开")
    REPEALED = "repealed", _("已废止")


class Publication(models.Model):
    """The 主动公开 of one 发文: 20 working days from its 核发, after the 保密员's review."""

    document = models.OneToOneField(
        "documents.OutgoingDocument", verbose_name=_("公文"), on_delete=models.PROTECT, related_name="+"
    )
    organ = models.ForeignKey("org.Unit", verbose_name=_("公开机关"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("公开类别"), max_length=10, choices=Category.choices, default=Category.OTHER)
    state = models.CharField(
        _("状态"), max_length=10, choices=PublicationState.choices, default=PublicationState.PENDING
    )
    made_on = models.DateField(_("形成日期"))  # the day it was 核发
    due = models.DateField(_("公开期限"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    published_on_time = models.BooleanField(_("按期公开"), null=True, blank=True)
    channel = models.CharField(_("公开途径"), max_length=60, blank=True, default="政府门户网站")
    url = models.URLField(_("网址"), blank=True)
    index_number = models.CharField(_("索引号"), max_length=40, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    classified_parent = "document"  # its clock and notices are masked with the 公文 (office.reminders.selectors)

    class Meta:
        verbose_name = _("主动公开")
        verbose_name_plural = _("主动公开")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["state", "published_on"], name="publication_state_day")]

    def __str__(self) -> str:
        return str(self.document)
