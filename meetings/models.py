"""会议: the organ's 常务会议, 专题会议, 电视电话会议 … from 议题 to 纪要, and the 领导活动安排.

A ``Meeting`` of a ``MeetingType`` (data: its 议题 lead time, default 密级, video or not) is held in a
``Room`` booked without overlap (``RoomBooking``: the room's row is locked, then overlaps checked) or
on a video platform. Units submit ``Topic``s (议题), each approved by the 分管领导 and placed on the
agenda by the chair; ``Attendee``s are invited (出席/列席), reply (参加/请假/代会) and sign in by the
room's rotating QR code or by the 会务员. Classified ``Material``s are issued as numbered copies (the
份号 register, ``ClassifiedCopy``) and recalled after the meeting. The 纪要 is a 发文 (``documents``):
when it is issued, each ``Decision`` (议定事项) opens its 督办 item (``supervision``) by itself.
``ScheduleEntry`` rows make each leader's week (meetings from here, 调研/接待/外出 entered by the office).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from office.confidentiality.levels import Level
from office.confidentiality.models import Classified
from office.workflow.events import WorkflowEvent


class MeetingType(models.Model):
    """会议类型, as data: what the office plans each kind of meeting by."""

    code = models.SlugField(_("代码"), max_length=20, primary_key=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    topic_lead_days = models.PositiveSmallIntegerField(
        _("议题提前申报（工作日）"), help_text=_("议题至迟在会前多少个工作日报送。")
    )
    materials_lead_days = models.PositiveSmallIntegerField(_("材料提前报送（工作日）"), default=2)
    default_classification = models.PositiveSmallIntegerField(
        _("默认密级"), choices=Level.choices, default=Level.INTERNAL
    )
    video = models.BooleanField(_("电视电话会议"), default=False)
    numbered = models.BooleanField(_("按届内次数编号"), default=False, help_text=_("如“第12次常务会议”。"))
    government_name = models.BooleanField(_("以政府名义召开"), default=False, help_text=_("列入会议计划，须经审批。"))
    speech_max_chars = models.PositiveIntegerField(
        _("发言材料篇幅上限（字）"), null=True, blank=True, help_text=_("留空不限；超出的发言材料不能通过审核。")
    )
    speech_max_minutes = models.PositiveSmallIntegerField(_("发言时间上限（分钟）"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class RoomKind(models.TextChoices):
    ROOM = "room", _("会议室")
    VIDEO = "video", _("视频会议室")


class Room(models.Model):
    """A meeting room or video room, with the highest 密级 it is cleared to host (涉密会议室)."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=60)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=6, choices=RoomKind.choices, default=RoomKind.ROOM)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    max_classification = models.PositiveSmallIntegerField(
        _("可承办最高密级"), choices=Level.choices, default=Level.INTERNAL
    )
    needs_approval = models.BooleanField(_("预订须审批"), default=False)
    manager = models.ForeignKey(
        "org.Person", verbose_name=_("管理员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        ordering = ["organ", "name"]
        constraints = [models.UniqueConstraint(fields=["organ", "name"], name="room_name_unique")]

    def __str__(self) -> str:
        return self.name


class PlanState(models.TextChoices):
    DRAFT = "draft", _("拟订")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")
    DROPPED = "dropped", _("已撤销")


class MeetingPlan(Classified):
    """会议计划: one meeting the organ means to hold, in its yearly plan (``month`` empty) or a monthly
    one. A meeting held in the government's name (``MeetingType.government_name``) is approved by the
    主要领导 before its notice goes out; ``unplanned``: one reported for approval outside the plan (计划外)."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True, help_text=_("留空为年度计划。"))
    type = models.ForeignKey(MeetingType, verbose_name=_("会议类型"), on_delete=models.PROTECT)
    title = models.CharField(_("会议名称"), max_length=120)
    organizing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    expected_size = models.PositiveSmallIntegerField(_("规模（人）"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("会期（天）"), default=1)
    video = models.BooleanField(_("以视频会议召开"), default=False)
    budget = models.DecimalField(_("会议费预算（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("召开必要性"))
    unplanned = models.BooleanField(_("计划外"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_by = models.ForeignKey("org.Person", verbose_name=_("拟订人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    opinion = models.CharField(_("审批意见"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    participant_person_fields = ("submitted_by", "decided_by")
    participant_unit_fields = ("organizing_unit",)
    organ_field = "organ"
    owner_field = "submitted_by"

    class Meta:
        verbose_name = _("会议计划")
        verbose_name_plural = _("会议计划")
        ordering = ["year", "month", "type__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12), name="plan_month_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:plan", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.reason.strip())


class PlanUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(MeetingPlan, on_delete=models.CASCADE)


class PlanGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(MeetingPlan, on_delete=models.CASCADE)


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    NOTIFIED = "notified", _("已通知")
    HELD = "held", _("已召开")
    MINUTED = "minuted", _("纪要已印发")
    CLOSED = "closed", _("已归档")
    CANCELLED = "cancelled", _("已取消")


class Meeting(Classified):
    """One meeting: when, where, who chairs and who runs it (会务员), its agenda, people and papers."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("主办机关"), on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(MeetingType, verbose_name=_("会议类型"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("次数"), null=True, blank=True)  # 第N次 (numbered types)
    title = models.CharField(_("会议名称"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    room = models.ForeignKey(
        Room, verbose_name=_("会场"), null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    platform = models.CharField(_("视频会议平台"), max_length=60, blank=True)
    branch_venues = models.TextField(_("分会场"), blank=True)
    chair = models.ForeignKey("org.Person", verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+")
    organizer = models.ForeignKey(
        "org.Person", verbose_name=_("会务联系人"), on_delete=models.PROTECT, related_name="+"
    )
    organizing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("会务承办部门"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    notice = models.TextField(_("会议通知"), blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    notice_document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("会议通知公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes_document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("会议纪要"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField(_("取消理由"), max_length=200, blank=True)
    plan = models.ForeignKey(
        MeetingPlan,
        verbose_name=_("会议计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    cost = models.DecimalField(_("会议费（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    scheme = models.TextField(_("会议方案"), blank=True)
    contingency = models.TextField(_("预案"), blank=True)
    security = models.TextField(_("安全保卫"), blank=True)
    venue_checked_at = models.DateTimeField(_("会场保密检查时间"), null=True, blank=True)
    venue_checked_by = models.ForeignKey(
        "org.Person", verbose_name=_("会场检查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("会后总结"), blank=True)
    report_document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("会议情况通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey("org.Person", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    participant_person_fields = ("chair", "organizer", "created_by", "attendees__person", "attendees__substitute")
    participant_unit_fields = ("organizing_unit",)
    organ_field = "organ"
    owner_field = "organizer"

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"),
            models.UniqueConstraint(
                fields=["organ", "type", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="meeting_sequence_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["-starts_at", "-id"], name="meeting_recent", include=["classification", "access_keys"])
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:meeting", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.notice.strip()) or self.topics.exists()


class MeetingUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


class MeetingGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


class MeetingCounter(models.Model):
    """第N次: per organ, meeting type and year (``take_next``: no gap, no duplicate)."""

    organ = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "type", "year"], name="meeting_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.type_id} {self.last}"


class BookingState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    CONFIRMED = "confirmed", _("已预订")
    REFUSED = "refused", _("未批准")
    RELEASED = "released", _("已释放")


# A room is taken by a booking in these states: a new one may not overlap them.
HOLDING = (BookingState.REQUESTED, BookingState.CONFIRMED)


class RoomBooking(models.Model):
    """A room held for a meeting from ``starts_at`` to ``ends_at``."""

    room = models.ForeignKey(Room, verbose_name=_("会议室"), on_delete=models.PROTECT, related_name="bookings")
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    state = models.CharField(_("状态"), max_length=10, choices=BookingState.choices)
    requested_by = models.ForeignKey("org.Person", verbose_name=_("预订人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("预订时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("会议室预订")
        verbose_name_plural = _("会议室预订")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after")
        ]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class TopicState(models.TextChoices):
    DRAFT = "draft", _("拟报")
    SUBMITTED = "submitted", _("待分管领导审核")
    REVIEWED = "reviewed", _("待主要领导定题")
    APPROVED = "approved", _("已定题")
    PLACED = "placed", _("已列入议程")
    DISCUSSED = "discussed", _("已上会")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class Topic(Classified):
    """议题: what a unit asks the meeting to decide, with its 汇报人, 列席单位 and the evidence that the
    units concerned agree (征求意见, 会签: 不协调一致不上会) and, for a 规范性文件, its 合法性审查."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    meeting_type = models.ForeignKey(MeetingType, verbose_name=_("拟提交会议"), on_delete=models.PROTECT)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("议题名称"), max_length=120)
    summary = models.TextField(_("议题说明"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("汇报单位"), on_delete=models.PROTECT, related_name="+")
    presenter = models.ForeignKey("org.Person", verbose_name=_("汇报人"), on_delete=models.PROTECT, related_name="+")
    attending_units = models.ManyToManyField("org.Unit", verbose_name=_("列席单位"), blank=True, related_name="+")
    consultation = models.TextField(_("征求意见和会签情况"), blank=True)
    agreed = models.BooleanField(_("有关方面意见一致"), default=False)
    normative = models.BooleanField(_("涉及规范性文件"), default=False)
    legality_reviewed = models.BooleanField(_("已经合法性审查"), default=False)
    minutes = models.PositiveSmallIntegerField(_("汇报时长（分钟）"), default=15)
    wished_on = models.DateField(_("建议上会日期"), null=True, blank=True)
    reviewing_leader = models.ForeignKey(
        "org.Person", verbose_name=_("分管领导"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey("org.Person", verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=TopicState.choices, default=TopicState.DRAFT)
    order = models.PositiveSmallIntegerField(_("议程序号"), null=True, blank=True)
    opinion = models.CharField(_("审核意见"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    participant_person_fields = ("submitted_by", "presenter", "reviewing_leader", "meeting__chair")
    participant_unit_fields = ("unit", "meeting__organizing_unit")
    organ_field = "organ"
    owner_field = "submitted_by"

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "order", "-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:topic", args=[self.pk])

    def has_content(self) -> bool:
        return bool(self.summary.strip())


class TopicUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Topic, on_delete=models.CASCADE)


class TopicGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Topic, on_delete=models.CASCADE)


class AttendeeRole(models.TextChoices):
    ATTEND = "attend", _("出席")
    SIT_IN = "sit_in", _("列席")
    STAFF = "staff", _("工作人员")


class Reply(models.TextChoices):
    PENDING = "pending", _("未回执")
    ATTEND = "attend", _("参加")
    LEAVE = "leave", _("请假")
    SUBSTITUTE = "substitute", _("委托他人代会")


class CheckIn(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("会务员代签")


class Attendee(models.Model):
    """One person invited, his 回执 and his 签到."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("org.Person", verbose_name=_("参会人"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=8, choices=AttendeeRole.choices, default=AttendeeRole.ATTEND)
    reply = models.CharField(_("回执"), max_length=10, choices=Reply.choices, default=Reply.PENDING)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    substitute = models.ForeignKey(
        "org.Person", verbose_name=_("代会人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("回执时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in = models.CharField(_("签到方式"), max_length=6, choices=CheckIn.choices, blank=True)
    checked_in_by = models.ForeignKey(
        "org.Person", verbose_name=_("代签人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 请假 is approved by the chair or the 会务员: None while it waits, then True or False.
    leave_approved = models.BooleanField(_("请假已批准"), null=True, blank=True)
    leave_decided_by = models.ForeignKey(
        "org.Person", verbose_name=_("请假审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 座次 and 参会证: the rank order the 会务员 keeps (smaller sits nearer the centre).
    precedence = models.PositiveSmallIntegerField(_("排序"), default=100)
    group = models.ForeignKey(
        "DiscussionGroup",
        verbose_name=_("讨论组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # 交通食宿 and 报到, for meetings of more than a day.
    arrives_on = models.DateField(_("报到日期"), null=True, blank=True)
    transport = models.CharField(_("交通"), max_length=100, blank=True)
    lodging = models.CharField(_("住宿"), max_length=100, blank=True)
    registered_at = models.DateTimeField(_("报到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once")]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"


class MaterialKind(models.TextChoices):
    PAPER = "paper", _("会议材料")
    SPEECH = "speech", _("发言材料")


class Material(Classified):
    """会议材料: checked before the meeting; a classified one is issued as numbered copies (份号) to
    the attendees and recalled after it (``ClassifiedCopy``, due back the day after)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT, related_name="materials"
    )
    title = models.CharField(_("材料名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=8, choices=MaterialKind.choices, default=MaterialKind.PAPER)
    chars = models.PositiveIntegerField(_("篇幅（字）"), null=True, blank=True)
    speaking_minutes = models.PositiveSmallIntegerField(_("发言时间（分钟）"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to="meetings/%Y/%m/", blank=True)
    pages = models.PositiveSmallIntegerField(_("页数"), null=True, blank=True)
    checked = models.BooleanField(_("已审核"), default=False)
    checked_by = models.ForeignKey(
        "org.Person", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey("org.Person", verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    participant_person_fields = ("uploaded_by", "meeting__organizer", "meeting__chair", "meeting__attendees__person")
    organ_field = "organ"
    owner_field = "uploaded_by"

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def has_content(self) -> bool:
        return bool(self.file)


class MaterialUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Material, on_delete=models.CASCADE)


class MaterialGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Material, on_delete=models.CASCADE)


class Decision(models.Model):
    """议定事项: numbered in the 纪要; each opens a 督办 item when the 纪要 is issued (``item``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    assist_units = models.ManyToManyField("org.Unit", verbose_name=_("配合单位"), blank=True, related_name="+")
    due = models.DateField(_("完成时限"))
    item = models.OneToOneField(
        "supervision.SupervisionItem",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")]

    def __str__(self) -> str:
        return f"{self.meeting}议定事项{self.number}"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("会议")
    RESEARCH = "research", _("调研")
    RECEPTION = "reception", _("接待")
    TRAVEL = "travel", _("外出")
    OTHER = "other", _("其他")


class ScheduleEntry(Classified):
    """领导活动安排: one activity of a leader (a meeting of this app, or 调研/接待/外出 entered by the
    office); ``public`` ones may go on the published 一周安排."""

    organ = models.ForeignKey("org.Unit", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey("org.Person", verbose_name=_("领导"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("活动内容"), max_length=120)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.CASCADE, related_name="schedule"
    )
    public = models.BooleanField(_("可对外公布"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey("org.Person", verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    cancelled = models.BooleanField(_("已取消"), default=False)

    participant_person_fields = ("leader", "entered_by")
    organ_field = "organ"
    owner_field = "entered_by"

    class Meta:
        verbose_name = _("领导活动")
        verbose_name_plural = _("领导活动安排")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after"),
            models.UniqueConstraint(
                fields=["meeting", "leader"], condition=models.Q(meeting__isnull=False), name="activity_meeting_once"
            ),
        ]
        indexes = [models.Index(fields=["leader", "starts_at"], name="activity_leader_start")]

    def __str__(self) -> str:
        return f"{self.leader} {self.title}"

    def has_content(self) -> bool:
        return bool(self.title.strip())


class ScheduleUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(ScheduleEntry, on_delete=models.CASCADE)


class ScheduleGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ScheduleEntry, on_delete=models.CASCADE)


class MeetingEvent(WorkflowEvent):
    """流转记录 of a meeting (筹备, 通知, 召开, 纪要, 取消) — append-only."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=10, choices=MeetingState.choices)
    to_state = models.CharField(_("新状态"), max_length=10, choices=MeetingState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会议流转记录")
        verbose_name_plural = _("会议流转记录")


class TopicEvent(WorkflowEvent):
    """流转记录 of a 议题 (报送, 审核, 定题, 退回, 列入议程) — append-only."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=10, choices=TopicState.choices)
    to_state = models.CharField(_("新状态"), max_length=10, choices=TopicState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("议题流转记录")
        verbose_name_plural = _("议题流转记录")


class BranchVenue(models.Model):
    """分会场 of a video meeting, and its 调试 (the link tested before the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("分会场"), max_length=60)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField(_("联系人及电话"), max_length=60, blank=True)
    tested_at = models.DateTimeField(_("调试时间"), null=True, blank=True)
    tested_by = models.ForeignKey(
        "org.Person", verbose_name=_("调试人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    test_ok = models.BooleanField(_("调试正常"), null=True, blank=True)
    test_note = models.CharField(_("调试情况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("分会场")
        verbose_name_plural = _("分会场")
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="venue_name_once")]

    def __str__(self) -> str:
        return self.name


class TaskKind(models.TextChoices):
    SCHEME = "scheme", _("会议方案")
    LAYOUT = "layout", _("会场布置")
    SOUND = "sound", _("音响设备")
    VIDEO = "video", _("分会场调试")
    TRANSPORT = "transport", _("交通")
    LODGING = "lodging", _("食宿")
    REGISTRATION = "register", _("报到")
    SECURITY = "security", _("安全保卫")
    BADGES = "badges", _("参会证")
    SEATING = "seating", _("座次")
    MATERIALS = "materials", _("会议材料")
    OTHER = "other", _("其他")


class PrepTask(models.Model):
    """会务分工: one preparation task of a meeting, with the person answering for it and its due
    date (a ``Deadline`` of the 会议 kind, reminded by the beat scan)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("类别"), max_length=10, choices=TaskKind.choices)
    title = models.CharField(_("任务"), max_length=120)
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Person", verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        "org.Person", verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    classified_parent = "meeting"  # its deadline is masked with the meeting (office.reminders.selectors)

    class Meta:
        verbose_name = _("会务分工")
        verbose_name_plural = _("会务分工")
        ordering = ["meeting", "due", "id"]

    def __str__(self) -> str:
        return self.title


class DiscussionGroup(models.Model):
    """分组讨论: a group of attendees, its 召集人 and its room."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("组名"), max_length=40)
    convener = models.ForeignKey(
        "org.Person", verbose_name=_("召集人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("讨论地点"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("讨论组")
        verbose_name_plural = _("讨论组")
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="group_name_once")]

    def __str__(self) -> str:
        return self.name


class PlanEvent(WorkflowEvent):
    """流转记录 of a 会议计划 entry (报批, 批准, 退回, 撤销) — append-only."""

    plan = models.ForeignKey(MeetingPlan, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=10, choices=PlanState.choices)
    to_state = models.CharField(_("新状态"), max_length=10, choices=PlanState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会议计划流转记录")
        verbose_name_plural = _("会议计划流转记录")
