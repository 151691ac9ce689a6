"""What the 会议 API's callers send: query parameters and bodies (shape only; the services check rules).

A meeting or 议题 named in a body is looked up in the caller's visible set, so one he cannot see is
"不存在" exactly like one that does not exist."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import (
    ActivityKind,
    AttendeeRole,
    MaterialKind,
    Meeting,
    MeetingState,
    MeetingType,
    Reply,
    Room,
    TopicState,
)
from office.api.serializers import ListQuery, StrictFieldsMixin
from office.confidentiality.models import TermUnit
from office.org.api import LevelField
from office.org.models import Person, Unit

# A calendar or a list by dates covers at most this many days.
MAX_SPAN_DAYS = 92


def _ends_after(data: dict, instance=None) -> None:
    """``ends_at`` after ``starts_at`` (either may come from ``instance`` on a PATCH)."""
    starts = data.get("starts_at", getattr(instance, "starts_at", None))
    ends = data.get("ends_at", getattr(instance, "ends_at", None))
    if starts is not None and ends is not None and ends <= starts:
        raise serializers.ValidationError({"ends_at": [_("结束时间须晚于开始时间。")]})


def _dates_in_order(data: dict, first: str = "date_from", last: str = "date_to") -> None:
    if data.get(first) and data.get(last) and data[last] < data[first]:
        raise serializers.ValidationError({last: [_("结束日期不能早于开始日期。")]})


class MeetingClassificationMixin(serializers.Serializer):
    """The 密级 (by default the meeting type's, or 内部) and its 定密依据, as ``classification`` codes."""

    classification = LevelField(required=False, help_text=gettext_lazy("密级代码，默认按会议类型（议题、活动：内部）"))
    classification_basis = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @staticmethod
    def classification_arguments(data: dict) -> dict:
        """``data``'s 密级 fields, taken out, as the service's keywords (only those sent)."""
        names = {"classification": "level", "classification_basis": "basis"}
        names.update(
            secrecy_term_unit="term_unit",
            secrecy_term_amount="term_amount",
            secrecy_until="until",
            declassify_condition="condition",
        )
        return {names[name]: data.pop(name) for name in list(data) if name in names}


@extend_schema_field(OpenApiTypes.INT)
class VisibleMeetingField(serializers.PrimaryKeyRelatedField):
    """A meeting the caller may see (``visible_to``); any other id is "不存在"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Meeting.objects.none()
        return Meeting.objects.visible_to(request.user)


# --- Query parameters -------------------------------------------------------------------------------


class MeetingQuery(ListQuery):
    """The meeting list's filters (``selectors.meeting_list_visible``); unknown parameters are a 400."""

    type = serializers.SlugRelatedField(
        slug_field="code", queryset=MeetingType.objects.all(), required=False, help_text=gettext_lazy("会议类型代码")
    )
    state = serializers.ChoiceField(choices=MeetingState.choices, required=False)
    date_from = serializers.DateField(required=False, help_text=gettext_lazy("开始时间不早于该日"))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy("开始时间不晚于该日"))

    def validate(self, data):
        _dates_in_order(data)
        return data


class TopicQuery(ListQuery):
    """The 议题 list's filters (``selectors.topic_list_visible``)."""

    state = serializers.ChoiceField(choices=TopicState.choices, required=False)
    meeting_type = serializers.SlugRelatedField(
        slug_field="code", queryset=MeetingType.objects.all(), required=False, help_text=gettext_lazy("会议类型代码")
    )
    meeting = serializers.IntegerField(min_value=1, required=False)


class ScheduleQuery(ListQuery):
    """The 领导活动安排 list's filters."""

    leader = serializers.IntegerField(min_value=1, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, data):
        _dates_in_order(data)
        return data


class RoomCalendarQuery(StrictFieldsMixin, serializers.Serializer):
    """The rooms' calendar over [``date_from``, ``date_to``] (by default this week), at most 92 days."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, data):
        today = timezone.localdate()
        for name in ("date_from", "date_to"):
            if name in data and not 2000 <= data[name].year <= 2100:
                raise serializers.ValidationError({name: [_("日期应在2000年至2100年之间。")]})
        data.setdefault("date_from", today - timedelta(days=today.weekday()))
        data.setdefault("date_to", data["date_from"] + timedelta(days=6))
        _dates_in_order(data)
        if (data["date_to"] - data["date_from"]).days >= MAX_SPAN_DAYS:
            raise serializers.ValidationError({"date_to": [_("一次最多查询92天。")]})
        return data


class ScheduleWeekQuery(StrictFieldsMixin, serializers.Serializer):
    """A week of the 领导活动安排, named by its Monday (by default this week's)."""

    monday = serializers.DateField(required=False, help_text=gettext_lazy("该周的星期一，YYYY-MM-DD"))

    def validate(self, data):
        if "monday" not in data:
            today = timezone.localdate()
            data["monday"] = today - timedelta(days=today.weekday())
        elif data["monday"].weekday() != 0:
            raise serializers.ValidationError({"monday": [_("请给出一周的星期一。")]})
        return data


# --- Meetings ------------------------------------------------------------------------------------------


class MeetingEditSerializer(StrictFieldsMixin, serializers.Serializer):
    """修改会议安排 (PATCH): only the fields sent change."""

    title = serializers.CharField(max_length=120, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False)
    platform = serializers.CharField(max_length=60, required=False, allow_blank=True)
    branch_venues = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    notice = serializers.CharField(max_length=20000, required=False, allow_blank=True)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError([_("请至少修改一项。")])
        _ends_after(data, self.context.get("instance"))
        return data


class MeetingCreateSerializer(StrictFieldsMixin, MeetingClassificationMixin):
    """A new meeting (筹备中); the caller is its 会务联系人; with ``room`` the room is booked."""

    type = serializers.SlugRelatedField(slug_field="code", queryset=MeetingType.objects.all())
    title = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active())
    organizing_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, default=None
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.filter(active=True), required=False, allow_null=True, default=None
    )
    platform = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    branch_venues = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    notice = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    secrecy_term_unit = serializers.ChoiceField(choices=TermUnit.choices, required=False, allow_blank=True)
    secrecy_term_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    secrecy_until = serializers.DateField(required=False, allow_null=True)
    declassify_condition = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, data):
        _ends_after(data)
        return data


class MeetingBookSerializer(StrictFieldsMixin, serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.filter(active=True))


class MeetingInviteSerializer(StrictFieldsMixin, serializers.Serializer):
    people = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), many=True, allow_empty=False)
    role = serializers.ChoiceField(choices=AttendeeRole.choices, required=False, default=AttendeeRole.ATTEND)


class MeetingReplySerializer(StrictFieldsMixin, serializers.Serializer):
    reply = serializers.ChoiceField(choices=[c for c in Reply.choices if c[0] != Reply.PENDING])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    substitute = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True, default=None
    )


class MeetingCancelSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MeetingCheckInSerializer(StrictFieldsMixin, serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text=gettext_lazy("会场签到二维码中的签到码"))


class MeetingSignInSerializer(StrictFieldsMixin, serializers.Serializer):
    attendee = serializers.IntegerField(min_value=1, help_text=gettext_lazy("参会人员（attendees[].id）"))


class MeetingDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    due = serializers.DateField()
    assist_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    topic = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text=gettext_lazy("本次会议的议题")
    )


class MeetingPlaceTopicSerializer(StrictFieldsMixin, serializers.Serializer):
    """列入议程 from the meeting: an approved 议题 of its type, at ``order`` (by default last)."""

    topic = serializers.IntegerField(min_value=1, help_text=gettext_lazy("已定题的议题（本人可见）"))
    order = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True, default=None)


class MeetingMaterialAddSerializer(StrictFieldsMixin, serializers.Serializer):
    """报送会议材料 (JSON, or multipart with ``file``): at the meeting's 密级 unless ``classification``
    says otherwise; a 发言材料 states its 篇幅 (``chars``) and 发言时间 (``speaking_minutes``), checked
    against the meeting type's limits at 审核."""

    title = serializers.CharField(max_length=120)
    file = serializers.FileField(required=False, allow_null=True, default=None)
    topic = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text=gettext_lazy("本次会议的议题")
    )
    pages = serializers.IntegerField(min_value=1, max_value=9999, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=MaterialKind.choices, required=False, default=MaterialKind.PAPER)
    chars = serializers.IntegerField(
        min_value=1, max_value=10_000_000, required=False, allow_null=True, default=None, help_text=gettext_lazy("字数")
    )
    speaking_minutes = serializers.IntegerField(
        min_value=1,
        max_value=600,
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("发言时间（分钟）"),
    )
    classification = LevelField(required=False, help_text=gettext_lazy("密级代码，默认为会议密级"))
    classification_basis = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BookingDecideSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField(help_text=gettext_lazy("true 批准，false 不予批准（须写明理由）"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LeaveDecideSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField(help_text=gettext_lazy("true 准假，false 不准假"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MeetingPrepareSerializer(StrictFieldsMixin, serializers.Serializer):
    """会议方案、应急预案和保卫方案: only the parts sent change."""

    scheme = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, help_text=gettext_lazy("会议方案")
    )
    contingency = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, help_text=gettext_lazy("应急预案")
    )
    security = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, help_text=gettext_lazy("安全保卫方案")
    )

    def validate(self, data):
        if not data:
            raise serializers.ValidationError([_("请至少填写一项。")])
        return data


class VenueCheckSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MeetingSummarySerializer(StrictFieldsMixin, serializers.Serializer):
    summary = serializers.CharField(max_length=20000, help_text=gettext_lazy("会后总结"))


# --- 议题 ---------------------------------------------------------------------------------------------


class TopicEditSerializer(StrictFieldsMixin, serializers.Serializer):
    """修改议题 (PATCH): only the fields sent change."""

    title = serializers.CharField(max_length=120, required=False)
    summary = serializers.CharField(max_length=20000, required=False)
    presenter = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False)
    reviewing_leader = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False)
    attending_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    consultation = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    agreed = serializers.BooleanField(required=False)
    normative = serializers.BooleanField(required=False)
    legality_reviewed = serializers.BooleanField(required=False)
    minutes = serializers.IntegerField(min_value=1, max_value=600, required=False)
    wished_on = serializers.DateField(required=False, allow_null=True)
    meeting = VisibleMeetingField(required=False, allow_null=True)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError([_("请至少修改一项。")])
        return data


class TopicCreateSerializer(StrictFieldsMixin, MeetingClassificationMixin):
    """拟报 a 议题 (拟报 state); the caller is its 申报人."""

    meeting_type = serializers.SlugRelatedField(slug_field="code", queryset=MeetingType.objects.all())
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=20000)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    presenter = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active())
    reviewing_leader = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active())
    attending_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    consultation = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    agreed = serializers.BooleanField(required=False, default=False)
    normative = serializers.BooleanField(required=False, default=False)
    legality_reviewed = serializers.BooleanField(required=False, default=False)
    minutes = serializers.IntegerField(min_value=1, max_value=600, required=False, default=15)
    wished_on = serializers.DateField(required=False, allow_null=True, default=None)
    meeting = VisibleMeetingField(required=False, allow_null=True, default=None)
    organ = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("议题报送的机关（如部门报市政府常务会议的议题），默认为会议的机关或汇报单位的机关"),
    )


class TopicOpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    opinion = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TopicReturnSerializer(StrictFieldsMixin, serializers.Serializer):
    opinion = serializers.CharField(max_length=300, help_text=gettext_lazy("退回理由"))


class TopicWithdrawSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TopicUnplaceSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TopicPlaceSerializer(StrictFieldsMixin, serializers.Serializer):
    meeting = VisibleMeetingField()
    order = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True, default=None)


# --- 领导活动安排 ---------------------------------------------------------------------------------------


class ScheduleEntryInputSerializer(StrictFieldsMixin, MeetingClassificationMixin):
    """An activity of a leader: all of it on POST; on PATCH (``partial=True``) only the fields sent change."""

    leader = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active())
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    public = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    allow_overlap = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("与该领导的其他活动时间重叠也保存")
    )

    def validate(self, data):
        if self.partial and not data:
            raise serializers.ValidationError([_("请至少修改一项。")])
        if self.partial and {"classification", "classification_basis"} & set(data):
            raise serializers.ValidationError(
                {name: [_("密级不在此修改。")] for name in ("classification", "classification_basis") if name in data}
            )
        _ends_after(data, self.context.get("instance"))
        return data


class ScheduleCancelSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
