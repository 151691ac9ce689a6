"""信访 (《信访工作条例》, in force 2022-05-01): a 信访事项 from any channel, registered with its
信访人, routed within 15 days (直接受理 / 转送 / 交办 / 诉访分离 / 不再受理), accepted (受理告知) or
objected to by the receiving organ, handled within 60 days (one extension ≤ 30), answered by a
答复意见书 (a 信函 through ``documents``) and served, then 复查 and 复核 on request, rated and
archived.

Every clock is a ``Deadline`` opened from the statutory presets (``office.reminders.presets``);
the case keeps a copy of the current due date so the 台账 filters and sorts on a column.

Protection is part of the model: a 检举控告's 被检举单位 and 被检举人 are *barred* from the case
(``excluded_unit_fields``: the visibility rule drops them whatever grants or unit scope say), and
the 信访人's identity is masked for everyone but the case's handlers (``rules.may_see_identity``).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent

MAX_REPRESENTATIVES = 5  # 《信访工作条例》: a group visit sends at most 5 representatives


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上信访")
    PHONE = "phone", _("电话")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    MAILBOX = "mailbox", _("领导信箱")
    HOTLINE = "hotline", _("12345转入")
    SUPERIOR = "superior", _("上级转送交办")


class Kind(models.TextChoices):
    """诉求类型."""

    SUGGESTION = "suggestion", _("建议意见")
    ACCUSATION = "accusation", _("检举控告")
    CLAIM = "claim", _("申诉求决")


class BeyondLevel(models.TextChoices):
    """越级: to the province's or the capital's petition office, passing this one."""

    NONE = "", _("否")
    PROVINCE = "province", _("赴省")
    CAPITAL = "capital", _("进京")


class PetitionerKind(models.TextChoices):
    PERSON = "person", _("个人")
    GROUP = "group", _("联名")
    ORGANISATION = "organisation", _("单位或组织")


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("待处理")  # 登记 done; the 15-day routing clock runs
    TRANSFERRED = "transferred", _("待受理")  # 转送/交办: the receiving organ's 受理告知 or objection
    HANDLING = "handling", _("办理中")  # accepted; 60 days (+ ≤ 30)
    REPLIED = "replied", _("已答复")  # the 答复意见书 served; 30 days to ask for 复查/复核
    REVIEWING = "reviewing", _("复查中")
    REREVIEWING = "rereviewing", _("复核中")
    CLOSED = "closed", _("已办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")  # 诉访分离 or 不再受理
    MERGED = "merged", _("已并案")


class Route(models.TextChoices):
    DIRECT = "direct", _("直接受理办理")
    TRANSFER = "transfer", _("转送")
    ASSIGN = "assign", _("交办")
    STATUTORY = "statutory", _("导入法定途径（诉访分离）")
    REFUSE = "refuse", _("不再受理")


class Stage(models.TextChoices):
    FIRST = "first", _("办理")
    REVIEW = "review", _("复查")
    REREVIEW = "rereview", _("复核")


class Opinion(models.TextChoices):
    SUPPORT = "support", _("支持")
    PARTIAL = "partial", _("部分支持")
    REJECT = "reject", _("不支持")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("直接送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    OTHER = "other", _("其他方式")


class NoteKind(models.TextChoices):
    INVESTIGATION = "investigation", _("调查核实")
    INTERVIEW = "interview", _("约谈")
    HEARING = "hearing", _("听证")
    REVISIT = "revisit", _("回访")
    OTHER = "other", _("其他")


class IssueCategory(models.Model):
    """问题分类: a tree the office's administrators keep (城乡建设 › 房屋拆迁 …)."""

    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class RoutingRule(models.Model):
    """The routing table: a category in an area proposes the unit to route to (a person confirms)."""

    category = models.ForeignKey(IssueCategory, verbose_name=_("问题分类"), on_delete=models.PROTECT)
    area = models.ForeignKey(
        "org.Unit",
        verbose_name=_("问题属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示任何属地。"),
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("建议承办单位"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("分流规则")
        verbose_name_plural = _("分流规则")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="petition_route_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(area__isnull=True), name="petition_route_any_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


class Petitioner(models.Model):
    """信访人: a person, a 联名 group or an organisation. Personal data: masked for all but the
    handlers of a case that names him (``rules.may_see_identity``)."""

    kind = models.CharField(_("类型"), max_length=12, choices=PetitionerKind.choices, default=PetitionerKind.PERSON)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    hukou = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RegistrationCounter(models.Model):
    """登记号 counter per organ and year (``take_next``: no gap, no duplicate)."""

    organ = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="petition_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organ}〔{self.year}〕{self.last}"


class PetitionCase(Classified):
    """A 信访事项, from 登记 to 归档."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("登记机关"), on_delete=models.PROTECT, related_name="+")
    intake_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("登记部门"), on_delete=models.PROTECT, related_name="+"
    )  # the 信访科 that registered it: its 信访员 handle the case with the 承办单位
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("顺序号"))
    channel = models.CharField(_("信访形式"), max_length=12, choices=Channel.choices)
    received_on = models.DateField(
        _("收到日期"), help_text=_("来信以签收日、来访以接谈日、网上信访以提交日、上级转交以收到日计。")
    )
    superior_number = models.CharField(_("上级转交编号"), max_length=60, blank=True)
    kind = models.CharField(_("诉求类型"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(IssueCategory, verbose_name=_("问题分类"), on_delete=models.PROTECT)
    area = models.ForeignKey(
        "org.Unit", verbose_name=_("问题属地"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    involved_units = models.ManyToManyField("org.Unit", verbose_name=_("涉及单位"), blank=True, related_name="+")
    title = models.CharField(_("事项摘要"), max_length=200)
    content = models.TextField(_("诉求内容"))
    headcount = models.PositiveIntegerField(_("人数"), default=1)
    beyond_level = models.CharField(_("越级"), max_length=10, choices=BeyondLevel.choices, blank=True, default="")
    mass = models.BooleanField(_("群体性"), default=False, help_text=_("集体访或联名信访。"))
    first_time = models.BooleanField(_("初信初访"), default=True)
    urgent = models.BooleanField(_("紧急敏感"), default=False, help_text=_("登记后即报告领导。"))
    # 检举控告: who is accused is barred from the case (module docstring).
    accused_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("被检举单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accused_person = models.ForeignKey(
        "org.Person", verbose_name=_("被检举人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    barred_keys = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    registrar = models.ForeignKey("org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=14, choices=CaseState.choices, default=CaseState.REGISTERED)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), auto_now_add=True)
    # Routing and handling.
    route = models.CharField(_("处理方式"), max_length=10, choices=Route.choices, blank=True)
    route_note = models.CharField(_("处理说明"), max_length=300, blank=True)
    routed_on = models.DateField(_("分流日期"), null=True, blank=True)
    handling_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        "org.Person", verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("复查复核机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The 复查 organ, kept when the 复核 begins elsewhere: its answer stays in its sight.
    review_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("复查机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_back_due = models.DateField(_("报送结果时限"), null=True, blank=True)  # 交办
    window_until = models.DateField(_("可请求复查复核至"), null=True, blank=True)  # the petitioner's 30 days
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    stage = models.CharField(_("办理阶段"), max_length=10, choices=Stage.choices, default=Stage.FIRST)
    due = models.DateField(_("当前时限"), null=True, blank=True)  # copy of the open Deadline's due date
    satisfaction = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    accepted_on_time = models.BooleanField(_("及时受理"), null=True, blank=True)
    final = models.BooleanField(_("复核终结"), default=False, help_text=_("复核意见作出后，同一事实和理由不再受理。"))
    # Repeats: suggested, confirmed by a person; a merged case points to the one it joined.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复件（关联）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    repeat_count = models.PositiveIntegerField(_("重复次数"), default=0)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    retention = models.CharField(_("保管期限"), max_length=10, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    # The 承办单位's organ head approves the one extension: he sees the case sent to a 科室 of his.
    participant_person_fields = ("registrar", "handler", "handling_unit__organ__head")
    participant_unit_fields = ("intake_unit", "handling_unit", "reviewing_unit", "review_unit")
    organ_field = None  # never open organ-wide: a petition is need-to-know even at 内部
    owner_field = "registrar"
    excluded_person_fields = ("accused_person",)
    excluded_unit_fields = ("accused_unit",)

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year", "sequence"], name="petition_number_unique"),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="petition_headcount_positive"),
        ]
        indexes = [
            models.Index(fields=["state", "due"], name="petition_state_due"),
            GinIndex(fields=["search_vector", "access_keys"], name="petition_search_access"),
            models.Index(  # all that visible_to reads, the bar too (documents.OutgoingDocument)
                fields=["-year", "-sequence"],
                name="petition_recent",
                include=["classification", "access_keys", "barred_keys"],
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        """登记号: 临信〔2026〕118号 (the first character of the organ's name, as its 机关代字 begin, and 信)."""
        return f"{self.organ.name[:1]}信〔{self.year}〕{self.sequence}号"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("petitions:case", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.content.strip())


class PetitionUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(PetitionCase, on_delete=models.CASCADE)


class PetitionGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PetitionCase, on_delete=models.CASCADE)


class CasePetitioner(models.Model):
    """A 信访人 of a case; in a 集体访 at most ``MAX_REPRESENTATIVES`` are 代表."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="petitioners")
    petitioner = models.ForeignKey(Petitioner, on_delete=models.PROTECT, related_name="cases")
    representative = models.BooleanField(_("代表"), default=False)
    order = models.PositiveSmallIntegerField(_("序号"), default=1)

    class Meta:
        verbose_name = _("事项信访人")
        verbose_name_plural = _("事项信访人")
        ordering = ["case", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "petitioner"], name="petition_petitioner_once")]

    def __str__(self) -> str:
        return str(self.petitioner)


class CaseAttachment(models.Model):
    """诉求材料 and the case file's papers (信件扫描, 回证 …)."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="petitions/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey("org.Person", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访材料")
        verbose_name_plural = _("信访材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CaseNote(models.Model):
    """调查核实, 约谈, 听证 (with its dates: the clock stops meanwhile), 回访."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("类型"), max_length=14, choices=NoteKind.choices)
    on = models.DateField(_("日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)  # 听证: the day the clock runs again
    text = models.TextField(_("记录"))
    written_by = models.ForeignKey("org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class CaseReply(models.Model):
    """One answer: the 处理意见 (初次办理), the 复查意见 or the 复核意见, its 答复意见书 (a 信函 draft in
    ``documents``, 核稿 and 签发 there) and its 送达."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="replies")
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    opinion = models.CharField(_("处理意见"), max_length=10, choices=Opinion.choices)
    facts = models.TextField(_("认定事实"))
    basis = models.TextField(_("依据"))
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("答复意见书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_by = models.ForeignKey("org.Person", verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    served_method = models.CharField(_("送达方式"), max_length=12, choices=ServiceMethod.choices, blank=True)
    receipt = models.CharField(_("送达回证"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("答复意见")
        verbose_name_plural = _("答复意见")
        ordering = ["case", "written_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="petition_reply_per_stage")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.get_opinion_display()}"


class LeaderCase(models.Model):
    """领导包案 of a 重点信访事项: a named leader, a plan, a 化解 status."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("化解中")
        RESOLVED = "resolved", _("已化解")
        STALLED = "stalled", _("化解困难")

    case = models.OneToOneField(PetitionCase, on_delete=models.CASCADE, related_name="leader_case")
    leader = models.ForeignKey("org.Person", verbose_name=_("包案领导"), on_delete=models.PROTECT, related_name="+")
    plan = models.TextField(_("化解方案"))
    status = models.CharField(_("化解状态"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("领导包案")
        verbose_name_plural = _("领导包案")

    def __str__(self) -> str:
        return f"{self.leader} 包案：{self.case}"


class Reception(models.Model):
    """领导接访日: a leader receives petitioners on a day at a place."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey("org.Person", verbose_name=_("接访领导"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("接访日期"))
    place = models.CharField(_("地点"), max_length=100)
    topic = models.CharField(_("接访主题"), max_length=200, blank=True)
    cases = models.ManyToManyField(PetitionCase, verbose_name=_("接访事项"), blank=True, related_name="receptions")

    class Meta:
        verbose_name = _("领导接访")
        verbose_name_plural = _("领导接访")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.leader}"


class Dispute(models.Model):
    """矛盾纠纷排查化解 (and 积案化解) ledger: a risk found in the monthly 排查, a unit answerable for
    it, a plan, a due date, a 化解 status."""

    class Risk(models.TextChoices):
        HIGH = "high", _("高")
        MEDIUM = "medium", _("中")
        LOW = "low", _("低")

    class Status(models.TextChoices):
        OPEN = "open", _("化解中")
        RESOLVED = "resolved", _("已化解")
        ESCALATED = "escalated", _("上报")

    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("排查月份"))  # the first of the month
    title = models.CharField(_("矛盾纠纷"), max_length=200)
    area = models.ForeignKey(
        "org.Unit", verbose_name=_("属地"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    responsible_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.TextField(_("化解方案"))
    due = models.DateField(_("化解时限"))
    status = models.CharField(_("化解状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    backlog = models.BooleanField(_("信访积案"), default=False)
    case = models.ForeignKey(
        PetitionCase, verbose_name=_("关联信访事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey("org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷排查化解台账")
        ordering = ["-month", "due", "id"]

    def __str__(self) -> str:
        return self.title


class PetitionEvent(WorkflowEvent):
    """The case's 流转记录. Append-only: PostgreSQL refuses UPDATE and DELETE (migration)."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=14, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=14, choices=CaseState.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("信访流转记录")
        verbose_name_plural = _("信访流转记录")
        ordering = ["at", "id"]


# The two other record types of the app, each a package of the flow shape (petitions/proposals,
# petitions/disclosure); imported here so Django finds their models.
from petitions.disclosure import models as disclosure_models  # noqa: E402, F401
from petitions.proposals import models as proposal_models  # noqa: E402, F401
