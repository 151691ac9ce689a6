"""The 会议 API's answers: a meeting row and a meeting in full (agenda, attendees with 回执 and 签到,
materials, 议定事项 with their 督办 item, 流转记录, ``offered``), a room, a 议题, a 领导活动.

States and kinds are answered as their codes (plain strings) with a ``…_label``; what the agenda and
the material list show of a 议题 or a 材料 is only what the caller may see of it (``visible_to``)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers

from meetings import rules, selectors
from meetings.models import Attendee, Decision, Material, Meeting, Room, RoomBooking, ScheduleEntry, Topic
from meetings.rules import MEETING, TOPIC
from office.confidentiality.models import ClassifiedCopy
from office.confidentiality.visibility import person_of
from office.org.api import LevelField
from office.workflow.api import EventSerializer, OfferSerializer, offers_of

OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已不在知悉范围内（无内容）"))


def _user(serializer):
    return serializer.context["request"].user


# --- Meetings ------------------------------------------------------------------------------------------


class MeetingListSerializer(serializers.ModelSerializer):
    """A row of the meeting list."""

    type_name = serializers.CharField(source="type.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True, default=None, allow_null=True)
    chair_name = serializers.CharField(source="chair.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    organizing_unit_name = serializers.CharField(source="organizing_unit.name", read_only=True)
    classification = LevelField(read_only=True)
    classification_label = serializers.CharField(source="get_classification_display", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organ",
            "type",
            "type_name",
            "year",
            "sequence",
            "title",
            "starts_at",
            "ends_at",
            "room",
            "room_name",
            "platform",
            "chair",
            "chair_name",
            "organizer",
            "organizer_name",
            "organizing_unit",
            "organizing_unit_name",
            "state",
            "state_label",
            "classification",
            "classification_label",
        ]
        read_only_fields = fields


class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    """One 议题 on the agenda, in its order."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    presenter_name = serializers.CharField(source="presenter.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    classification = LevelField(read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "order",
            "title",
            "unit",
            "unit_name",
            "presenter",
            "presenter_name",
            "minutes",
            "state",
            "state_label",
            "classification",
        ]
        read_only_fields = fields


class MeetingAttendeeSerializer(serializers.ModelSerializer):
    """One person invited: his 回执 and his 签到."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="person.unit.name", read_only=True)
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    reply = serializers.CharField(read_only=True)
    reply_label = serializers.CharField(source="get_reply_display", read_only=True)
    substitute_name = serializers.CharField(source="substitute.name", read_only=True, default=None, allow_null=True)
    check_in = serializers.CharField(read_only=True)
    check_in_label = serializers.CharField(source="get_check_in_display", read_only=True)

    class Meta:
        model = Attendee
        fields = [
            "id",
            "person",
            "person_name",
            "unit_name",
            "role",
            "role_label",
            "reply",
            "reply_label",
            "reason",
            "substitute",
            "substitute_name",
            "replied_at",
            "checked_in_at",
            "check_in",
            "check_in_label",
        ]
        read_only_fields = fields


class MeetingCopySerializer(serializers.Serializer):
    """A numbered copy (份号) of a classified material: to 签收 (its holder) or 清退 (the 会务员)."""

    id = serializers.IntegerField()
    number = serializers.CharField(source="number_display")
    holder_name = serializers.CharField(source="holder_person.name", default=None, allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    due_back = serializers.DateField(allow_null=True)


class MeetingMaterialSerializer(serializers.ModelSerializer):
    """A 会议材料's title, 类别 (a 发言材料 with its 字数 and 发言时间), 审核 and 密级 (its file is read on its
    own page), and its numbered copies: all of them for whoever runs the meeting, else the caller's own."""

    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    classification = LevelField(read_only=True)
    classification_label = serializers.CharField(source="get_classification_display", read_only=True)
    copies = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = [
            "id",
            "title",
            "topic",
            "kind",
            "kind_label",
            "chars",
            "speaking_minutes",
            "pages",
            "checked",
            "classification",
            "classification_label",
            "copies",
        ]
        read_only_fields = fields

    @extend_schema_field(MeetingCopySerializer(many=True))
    def get_copies(self, material) -> list[dict]:
        if not material.is_classified:
            return []
        copies = (
            ClassifiedCopy.objects.filter(
                content_type=ContentType.objects.get_for_model(Material), object_id=material.pk
            )
            .select_related("holder_person")
            .order_by("copy_number")
        )
        if not self.context.get("runs"):
            person = person_of(_user(self))
            copies = copies.filter(holder_person=person) if person is not None else copies.none()
        return MeetingCopySerializer(copies, many=True).data


class MeetingDecisionViewSerializer(serializers.ModelSerializer):
    """议定事项, with the 督办 item it opened (``item``, once the 纪要 is issued)."""

    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "number", "text", "topic", "lead_unit", "lead_unit_name", "assist_units", "due", "item"]
        read_only_fields = fields


class MeetingBookingSerializer(serializers.ModelSerializer):
    """A booking of a room for the meeting (待审批, 已预订, 未批准, 已释放)."""

    room_name = serializers.CharField(source="room.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = RoomBooking
        fields = ["id", "room", "room_name", "starts_at", "ends_at", "state", "state_label", "note"]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingListSerializer):
    """The whole meeting as the caller may see it, with the steps he may take now (``offered``)."""

    agenda = serializers.SerializerMethodField()
    bookings = MeetingBookingSerializer(many=True, read_only=True)
    attendees = MeetingAttendeeSerializer(many=True, read_only=True)
    materials = serializers.SerializerMethodField()
    decisions = MeetingDecisionViewSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields,
            "branch_venues",
            "notice",
            "notified_at",
            "notice_document",
            "minutes_document",
            "report_document",
            "venue_checked_at",
            "summary",
            "cancel_reason",
            "created_at",
            "updated_at",
            "bookings",
            "agenda",
            "attendees",
            "materials",
            "decisions",
            "events",
            "offered",
        ]
        read_only_fields = fields

    @extend_schema_field(MeetingAgendaItemSerializer(many=True))
    def get_agenda(self, meeting) -> list[dict]:
        """The 议题 placed on it, in order (``selectors.agenda``), those the caller may see."""
        visible = Topic.objects.visible_to(_user(self)).filter(meeting=meeting).values("pk")
        return MeetingAgendaItemSerializer(selectors.agenda(meeting).filter(pk__in=visible), many=True).data

    @extend_schema_field(MeetingMaterialSerializer(many=True))
    def get_materials(self, meeting) -> list[dict]:
        visible = set(Material.objects.visible_to(_user(self)).filter(meeting=meeting).values_list("pk", flat=True))
        context = {**self.context, "runs": rules.runs(_user(self), meeting)}
        rows = [m for m in meeting.materials.all() if m.pk in visible]
        return MeetingMaterialSerializer(rows, many=True, context=context).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, meeting) -> list[dict]:
        return offers_of(MEETING, _user(self), meeting, routes=MEETING_ROUTES)


# Each offered step and the route that takes it (relative to the record; "" is PATCH of the record
# itself; ``{id}`` is one of the offer's ``options`` — a booking's, an attendee's — or of the record's
# parts: ``materials[].id`` to 分发, ``materials[].copies[].id`` to 清退). A step the API does not route
# (分会场调试, 座次 and 食宿: on their own roots) is not offered here: an offer always names a route that
# accepts it.
MEETING_ROUTES = {
    "edit": "",
    "book": "book",
    "invite": "invite",
    "place_topic": "place-topic",
    "add_material": "materials",
    "decide_booking": "bookings/{id}/decide",
    "prepare": "prepare",
    "check_venue": "venue-check",
    "decide_leave": "leaves/{id}/decide",
    "register": "register",
    "reply": "reply",
    "notify": "notify",
    "hold": "hold",
    "sign_in": "sign-in",
    "issue_material": "materials/{id}/issue",
    "recall": "copies/{id}/recall",
    "decide": "decisions",
    "draft_minutes": "minutes-draft",
    "summarize": "summary",
    "draft_report": "report-draft",
    "close": "close",
    "cancel": "cancel",
}
TOPIC_ROUTES = {
    "edit": "",
    "submit": "submit",
    "review": "review",
    "approve": "approve",
    "return": "return",
    "withdraw": "withdraw",
    "place": "place",
    "unplace": "unplace",
}


def meeting_detail_queryset(meetings):
    return meetings.select_related("type", "room", "chair", "organizer", "organizing_unit").prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("person__unit", "substitute")),
        Prefetch("bookings", queryset=RoomBooking.objects.select_related("room")),
        "materials",
        Prefetch("decisions", queryset=Decision.objects.prefetch_related("assist_units")),
        "events",
    )


def meeting_list_shape(meetings):
    return meetings.select_related("type", "room", "chair", "organizer", "organizing_unit").order_by(
        "-starts_at", "-id"
    )


# --- Rooms ---------------------------------------------------------------------------------------------


class RoomSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    max_classification = LevelField(read_only=True)
    manager_name = serializers.CharField(source="manager.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "organ",
            "name",
            "location",
            "kind",
            "kind_label",
            "capacity",
            "equipment",
            "max_classification",
            "needs_approval",
            "manager",
            "manager_name",
            "active",
        ]
        read_only_fields = fields


class RoomCalendarSlotSerializer(serializers.Serializer):
    """One booking on the rooms' calendar; ``meeting`` and its title only when the caller may see it
    (else ``title`` is "已预订" and ``meeting`` null)."""

    booking = serializers.IntegerField(source="booking.pk")
    room = serializers.IntegerField(source="room.pk")
    room_name = serializers.CharField(source="room.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.CharField()
    title = serializers.CharField()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)


# --- 议题 ---------------------------------------------------------------------------------------------


class TopicListSerializer(serializers.ModelSerializer):
    """A row of the 议题 list."""

    meeting_type_name = serializers.CharField(source="meeting_type.name", read_only=True)
    meeting_title = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    presenter_name = serializers.CharField(source="presenter.name", read_only=True)
    reviewing_leader_name = serializers.CharField(source="reviewing_leader.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    classification = LevelField(read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "meeting_type",
            "meeting_type_name",
            "meeting",
            "meeting_title",
            "title",
            "unit",
            "unit_name",
            "presenter",
            "presenter_name",
            "reviewing_leader",
            "reviewing_leader_name",
            "wished_on",
            "state",
            "state_label",
            "order",
            "submitted_at",
            "updated_at",
            "classification",
        ]
        read_only_fields = fields

    def get_meeting_title(self, topic) -> str | None:
        """The meeting's name, only when the caller may see the meeting."""
        if topic.meeting_id is None:
            return None
        visible = self.context.setdefault("_visible_meetings", {})
        if topic.meeting_id not in visible:
            visible[topic.meeting_id] = Meeting.objects.visible_to(_user(self)).filter(pk=topic.meeting_id).exists()
        return topic.meeting.title if visible[topic.meeting_id] else None


class TopicDetailSerializer(TopicListSerializer):
    """The whole 议题, with its 流转记录 and the steps the caller may take now (``offered``)."""

    submitted_by_name = serializers.CharField(source="submitted_by.name", read_only=True)

    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(TopicListSerializer.Meta):
        fields = [
            *TopicListSerializer.Meta.fields,
            "summary",
            "attending_units",
            "consultation",
            "agreed",
            "normative",
            "legality_reviewed",
            "minutes",
            "opinion",
            "submitted_by",
            "submitted_by_name",
            "events",
            "offered",
        ]
        read_only_fields = fields

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, topic) -> list[dict]:
        return offers_of(TOPIC, _user(self), topic, routes=TOPIC_ROUTES)


def topic_list_shape(topics):
    """The 议题 list, last changed first (a keyset orders by fields, not by the meeting)."""
    return topics.select_related("meeting_type", "meeting", "unit", "presenter", "reviewing_leader").order_by(
        "-updated_at", "-id"
    )


def topic_detail_queryset(topics):
    return (
        topic_list_shape(topics).select_related("submitted_by", "organ").prefetch_related("attending_units", "events")
    )


# --- 领导活动安排 ---------------------------------------------------------------------------------------


class ScheduleEntrySerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.name", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    classification = LevelField(read_only=True)

    class Meta:
        model = ScheduleEntry
        fields = [
            "id",
            "leader",
            "leader_name",
            "kind",
            "kind_label",
            "title",
            "place",
            "starts_at",
            "ends_at",
            "meeting",
            "public",
            "note",
            "cancelled",
            "classification",
        ]
        read_only_fields = fields


class SchedulePublicEntrySerializer(serializers.ModelSerializer):
    """An activity as the published 一周安排 shows it."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ScheduleEntry
        fields = ["id", "kind_label", "title", "place", "starts_at", "ends_at"]
        read_only_fields = fields


class ScheduleDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    entries = ScheduleEntrySerializer(many=True)


class SchedulePublicDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    entries = SchedulePublicEntrySerializer(many=True)


class ScheduleWeekRowSerializer(serializers.Serializer):
    """One leader's week: seven days, Monday first."""

    leader = serializers.IntegerField(source="leader.pk")
    leader_name = serializers.CharField(source="leader.name")
    post = serializers.CharField(source="leader.post", default="")
    days = ScheduleDaySerializer(many=True)


class SchedulePublicRowSerializer(serializers.Serializer):
    leader_name = serializers.CharField(source="leader.name")
    post = serializers.CharField(source="leader.post", default="")
    days = SchedulePublicDaySerializer(many=True)


def schedule_queryset(entries):
    return entries.select_related("leader").order_by("starts_at", "id")


# --- Small answers ------------------------------------------------------------------------------------


class MeetingAttendanceSerializer(serializers.Serializer):
    """签到情况 (``services.attendance``); ``rate`` is the 出席率 in per cent, null when nobody is expected."""

    invited = serializers.IntegerField()
    attended = serializers.IntegerField()
    on_leave = serializers.IntegerField()
    absent = serializers.IntegerField()
    late = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    late_names = serializers.ListField(child=serializers.CharField())
    absent_names = serializers.ListField(child=serializers.CharField())
    leave_names = serializers.ListField(child=serializers.CharField())


class MeetingDraftSerializer(serializers.Serializer):
    """The draft made (the 纪要, or the 会议情况通报): a 发文 in 拟稿."""

    document = serializers.IntegerField()
    url = serializers.CharField()


def action_schema(request_serializer, response=None, *, status_code: int = 200):
    return extend_schema(
        request=request_serializer,
        responses={status_code: response or MeetingDetailSerializer, 204: OUT_OF_REACH},
    )
