"""人大代表建议 and 政协提案: imported at the 交办会 by session (届次/会次), assigned (交办) to a 主办
unit with 会办 units, or split (分办) among units each answering for itself, answered within 3
months of 交办 (complex ones up to 6, with the office's approval) after contacting the proposer,
rated by each proposer, re-handled within 1 month when 不满意, and closed.

Each unit's share is a ``ProposalAssignment``: its own clock (a ``Deadline`` with the unit as
responsible unit), its 会办意见 or its 答复件 (a 函 in 信函格式 through ``documents``) with the
办理结果 code A/B/C/D. The office (``intake_unit``, the 建议提案 staff of 督查科) decides 调整申请s;
a unit never forwards an item itself. Defaults that are local practice, not statute, are settings
(``SHUNIU_PROPOSAL_*``, see ``petitions.proposals.rules``).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class Body(models.TextChoices):
    NPC = "npc", _("人大")
    CPPCC = "cppcc", _("政协")


class ProposalKind(models.TextChoices):
    DEPUTY = "deputy", _("代表建议")
    RECESS = "recess", _("闭会期间建议")
    CPPCC = "cppcc", _("政协提案")


class ProposalState(models.TextChoices):
    IMPORTED = "imported", _("待交办")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")  # every answering unit's 答复件 sent; the proposers rate
    REHANDLING = "rehandling", _("二次办理")
    CLOSED = "closed", _("已办结")


class Mode(models.TextChoices):
    LEAD = "lead", _("主办会办")
    SPLIT = "split", _("分办")


class ShareRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("会办")
    SPLIT = "split", _("分办")


class AssignmentState(models.TextChoices):
    HANDLING = "handling", _("办理中")
    ADJUSTING = "adjusting", _("申请调整")
    OPINION_GIVEN = "opinion_given", _("已提会办意见")  # 会办 only
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("二次办理")
    DONE = "done", _("已办结")
    WITHDRAWN = "withdrawn", _("已调整")  # the office moved the item to another unit


class ResultCode(models.TextChoices):
    A = "A", _("A类：已解决或基本解决")
    B = "B", _("B类：正在解决或列入计划解决")
    C = "C", _("C类：因条件限制以后解决")
    D = "D", _("D类：留作参考")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("走访")
    FORUM = "forum", _("座谈")
    PHONE = "phone", _("电话")
    INSPECTION = "inspection", _("邀请视察")
    MEETING = "meeting", _("邀请参加专业会议")


class ProposalSession(models.Model):
    """届次/会次: 市十七届人大五次会议, 市十届政协四次会议 — the batch an item came with."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("交办机关"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("类别"), max_length=6, choices=Body.choices)
    name = models.CharField(_("届次会次"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    recipient_office = models.CharField(
        _("抄送机关"), max_length=60, help_text=_("答复件抄送的人大选联工委或政协提案委。")
    )

    class Meta:
        verbose_name = _("届次会次")
        verbose_name_plural = _("届次会次")
        ordering = ["-year", "body", "name"]
        constraints = [models.UniqueConstraint(fields=["organ", "name"], name="proposal_session_unique")]

    def __str__(self) -> str:
        return self.name


class UnitLiaison(models.Model):
    """联络员制度: each 承办单位 names one person told of every step of its items."""

    unit = models.OneToOneField("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", verbose_name=_("联络员"), on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("建议提案联络员")
        verbose_name_plural = _("建议提案联络员")

    def __str__(self) -> str:
        return f"{self.unit}：{self.person}"


class Proposal(Classified):
    """One 建议 or 提案, from import to 办结."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("交办机关"), on_delete=models.PROTECT, related_name="+")
    intake_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("交办部门"), on_delete=models.PROTECT, related_name="+"
    )  # the office's 建议提案 staff (督查科): they assign, decide adjustments, follow up
    session = models.ForeignKey(ProposalSession, verbose_name=_("届次会次"), on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=8, choices=ProposalKind.choices)
    number = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("案由"), max_length=200)
    content = models.TextField(_("内容"))
    lead_proposer = models.CharField(_("领衔人"), max_length=60)
    delegation = models.CharField(_("代表团或界别"), max_length=60, blank=True)
    submitted_on = models.DateField(_("提出日期"))
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    mode = models.CharField(_("办理方式"), max_length=6, choices=Mode.choices, blank=True)
    key = models.BooleanField(_("重点建议提案"), default=False)
    leading_leader = models.ForeignKey(
        "org.Person", verbose_name=_("领办领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=12, choices=ProposalState.choices, default=ProposalState.IMPORTED)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), auto_now_add=True)
    due = models.DateField(_("当前时限"), null=True, blank=True)  # the earliest open clock of its units
    registrar = models.ForeignKey("org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    participant_person_fields = ("registrar", "leading_leader", "assignments__liaison")
    participant_unit_fields = ("intake_unit", "assignments__unit")
    organ_field = None  # for the office and the units it assigned; 复文公开 goes through 主动公开
    owner_field = "registrar"

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")
        ordering = ["-session__year", "session__name", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="proposal_number_unique")]
        indexes = [
            models.Index(fields=["state", "due"], name="proposal_state_due"),
            GinIndex(fields=["search_vector", "access_keys"], name="proposal_search_access"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("petitions:proposal", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.content.strip())


class ProposalUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Proposal, on_delete=models.CASCADE)


class ProposalGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Proposal, on_delete=models.CASCADE)


class ProposalSigner(models.Model):
    """领衔人 (``lead``) and the 附议/联名 people: each is answered (or sent a copy) and rates."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signers")
    name = models.CharField(_("姓名"), max_length=60)
    delegation = models.CharField(_("代表团或界别"), max_length=60, blank=True)
    lead = models.BooleanField(_("领衔"), default=False)
    order = models.PositiveSmallIntegerField(_("序号"), default=1)

    class Meta:
        verbose_name = _("提出人")
        verbose_name_plural = _("提出人")
        ordering = ["proposal", "-lead", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "name"], name="proposal_signer_once"),
            models.UniqueConstraint(
                fields=["proposal"], condition=models.Q(lead=True), name="proposal_one_lead_signer"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalAssignment(models.Model):
    """A unit's share of an item: 主办, 会办 or 分办, with its clock, its answer and its rating."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("承办方式"), max_length=6, choices=ShareRole.choices)
    state = models.CharField(
        _("状态"), max_length=14, choices=AssignmentState.choices, default=AssignmentState.HANDLING
    )
    liaison = models.ForeignKey(
        "org.Person", verbose_name=_("联络员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # copied from UnitLiaison at 交办: inside the item's 知悉范围
    assigned_on = models.DateField(_("交办日期"))
    due = models.DateField(_("办理时限"), null=True, blank=True)  # copy of its open Deadline's due date
    adjust_reason = models.TextField(_("调整理由"), blank=True)
    adjust_suggested_unit = models.CharField(_("建议调整至"), max_length=100, blank=True)
    opinion = models.TextField(_("会办意见"), blank=True)
    opinion_on = models.DateField(_("会办意见日期"), null=True, blank=True)
    result_code = models.CharField(_("办理结果"), max_length=1, choices=ResultCode.choices, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    promised_on = models.DateField(_("承诺解决时间"), null=True, blank=True)  # B/C: the 督办 item's due
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("答复件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    satisfaction = models.CharField(_("征询意见"), max_length=12, choices=Satisfaction.choices, blank=True)
    rated_on = models.DateField(_("征询日期"), null=True, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("二次办理次数"), default=0)
    follow_up = models.ForeignKey(
        "supervision.SupervisionItem",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("建议提案承办")
        verbose_name_plural = _("建议提案承办")
        ordering = ["proposal", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"],
                condition=~models.Q(state="withdrawn"),
                name="proposal_unit_once",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(role="lead") & ~models.Q(state="withdrawn"),
                name="proposal_one_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.unit}"

    @property
    def answers(self) -> bool:
        """主办 and 分办 answer the proposer; 会办 answers the 主办."""
        return self.role != ShareRole.ASSIST


class ProposalContact(models.Model):
    """沟通联系 with the proposer before answering (走访, 座谈, 电话 …), and 领导走访."""

    assignment = models.ForeignKey(ProposalAssignment, on_delete=models.CASCADE, related_name="contacts")
    method = models.CharField(_("方式"), max_length=12, choices=ContactMethod.choices)
    on = models.DateField(_("日期"))
    people = models.CharField(_("参加人员"), max_length=200)
    view = models.TextField(_("代表委员意见"))
    leader_visit = models.BooleanField(_("领导走访"), default=False)
    written_by = models.ForeignKey("org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("沟通联系")
        verbose_name_plural = _("沟通联系")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.on}"


class ProposalEvent(WorkflowEvent):
    """The item's 流转记录. Append-only: PostgreSQL refuses UPDATE and DELETE (migration)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(_("原状态"), max_length=12, choices=ProposalState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=ProposalState.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("建议提案流转记录")
        verbose_name_plural = _("建议提案流转记录")
        ordering = ["at", "id"]
