"""``MeetingViewSet`` (``meetings/meetings/``), ``RoomViewSet`` (``meetings/rooms/``),
``TopicViewSet`` (``meetings/topics/``) and ``ScheduleViewSet`` (``meetings/schedule/``).

A meeting, 议题 or 活动 comes from ``visible_to`` before any body is read, so one outside the
caller's reach is a 404 whatever is sent; a room of another organ is a 404 too."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from meetings import rules, selectors, services
from meetings.api.inputs import (
    BookingDecideSerializer,
    LeaveDecideSerializer,
    MeetingBookSerializer,
    MeetingCancelSerializer,
    MeetingCheckInSerializer,
    MeetingCreateSerializer,
    MeetingDecisionSerializer,
    MeetingEditSerializer,
    MeetingInviteSerializer,
    MeetingMaterialAddSerializer,
    MeetingPlaceTopicSerializer,
    MeetingPrepareSerializer,
    MeetingQuery,
    MeetingReplySerializer,
    MeetingSignInSerializer,
    MeetingSummarySerializer,
    RoomCalendarQuery,
    ScheduleCancelSerializer,
    ScheduleEntryInputSerializer,
    ScheduleQuery,
    ScheduleWeekQuery,
    TopicCreateSerializer,
    TopicEditSerializer,
    TopicOpinionSerializer,
    TopicPlaceSerializer,
    TopicQuery,
    TopicReturnSerializer,
    TopicUnplaceSerializer,
    TopicWithdrawSerializer,
    VenueCheckSerializer,
)
from meetings.api.serializers import (
    OUT_OF_REACH,
    MeetingAttendanceSerializer,
    MeetingDetailSerializer,
    MeetingDraftSerializer,
    MeetingListSerializer,
    RoomCalendarSlotSerializer,
    RoomSerializer,
    ScheduleEntrySerializer,
    SchedulePublicRowSerializer,
    ScheduleWeekRowSerializer,
    TopicDetailSerializer,
    TopicListSerializer,
    action_schema,
    meeting_detail_queryset,
    meeting_list_shape,
    schedule_queryset,
    topic_detail_queryset,
    topic_list_shape,
)
from meetings.models import Material, Meeting, Room, ScheduleEntry, Topic
from meetings.rules import MEETING
from office.api.helpers import FILE_ROUTE, query_of, valid
from office.api.serializers import EmptyBody
from office.confidentiality import audit
from office.confidentiality.models import ClassifiedCopy
from office.confidentiality.visibility import get_or_404, person_of
from office.org.models import Unit
from office.workflow.api import RecordViewSet

PATCH_METHODS = ["get", "post", "patch", "head", "options"]


def organ_of(user) -> Unit | None:
    """The caller's organ (None for an account without a person)."""
    person = person_of(user)
    if person is None:
        return None
    return person.unit.organ if person.unit.organ_id else person.unit


def _meetings_visible(*, user, filters, text=""):
    """``selectors.meeting_list_visible``, the days of the start as it names them."""
    given = dict(filters)
    if "date_from" in given:
        given["after"] = given.pop("date_from")
    if "date_to" in given:
        given["before"] = given.pop("date_to")
    return selectors.meeting_list_visible(user=user, filters=given)


def _topics_visible(*, user, filters, text=""):
    return selectors.topic_list_visible(user=user, filters=filters)


def _schedule_visible(*, user, filters, text=""):
    entries = ScheduleEntry.objects.visible_to(user)
    if "leader" in filters:
        entries = entries.filter(leader_id=filters["leader"])
    if "date_from" in filters:
        entries = entries.filter(ends_at__date__gte=filters["date_from"])
    if "date_to" in filters:
        entries = entries.filter(starts_at__date__lte=filters["date_to"])
    return entries


class MeetingViewSet(RecordViewSet):
    """Meetings the caller may see, newest first; created by a 会务员, moved by the actions. Nothing is
    ever deleted (取消 instead)."""

    model = Meeting
    serializer_class = MeetingDetailSerializer
    list_serializer_class = MeetingListSerializer
    query_class = MeetingQuery
    list_visible = staticmethod(_meetings_visible)
    list_actions = ("list",)
    list_shape = staticmethod(meeting_list_shape)
    detail_queryset = staticmethod(meeting_detail_queryset)
    detail_actions = ()
    action_related = ("organ", "room", "type", "organizing_unit")
    http_method_names = PATCH_METHODS

    def _body(self, serializer_class, **context) -> dict:
        return dict(valid(serializer_class, self.request.data, context={"request": self.request, **context}))

    @extend_schema(parameters=[MeetingQuery])
    def list(self, request, *args, **kwargs):
        """The meetings the caller may see (by type, state, and the day they start), newest first."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MeetingDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The meeting with its agenda in order, attendees (回执, 签到), materials, 议定事项 (and the
        督办 item each opened), 流转记录 and ``offered``."""
        return self._respond(self.get_object())

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A new meeting (筹备中), its 会务联系人 the caller; 第N次 for a numbered type."""
        data = self._body(MeetingCreateSerializer)
        secrecy = MeetingCreateSerializer.classification_arguments(data)
        meeting = services.meeting_create(actor=request.user, **data, **secrecy)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingEditSerializer, responses={200: MeetingDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """修改会议安排 (the 会务员, while 筹备中 or 已通知): only the fields sent change."""
        meeting = self.get_object()
        data = self._body(MeetingEditSerializer, instance=meeting)
        return self._respond(services.meeting_edit(actor=request.user, meeting=meeting, **data))

    @action_schema(MeetingBookSerializer)
    @action(detail=True, methods=["post"])
    def book(self, request, *args, **kwargs):
        """预订会场: no overlap with another booking of the room; a room that needs approval waits for it."""
        meeting = self.get_object()
        data = self._body(MeetingBookSerializer)
        services.room_book(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(MeetingInviteSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request, *args, **kwargs):
        """邀请参会 (出席, 列席 or 工作人员)."""
        meeting = self.get_object()
        data = self._body(MeetingInviteSerializer)
        services.attendee_invite(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(MeetingReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, *args, **kwargs):
        """回执 (an attendee, before the meeting begins): 参加, 请假 with the reason, or 代会 by a substitute."""
        meeting = self.get_object()
        data = self._body(MeetingReplySerializer)
        services.attendee_reply(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def notify(self, request, *args, **kwargs):
        """发会议通知 (once the room or platform and the attendees are set)."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.meeting_notify(actor=request.user, meeting=meeting)
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def hold(self, request, *args, **kwargs):
        """召开 (once it has begun)."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.meeting_hold(actor=request.user, meeting=meeting)
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """归档 (the 纪要 issued and every numbered copy back)."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.meeting_close(actor=request.user, meeting=meeting)
        return self._respond(meeting)

    @action_schema(MeetingCancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """取消 (before it is held): the room is released and the people notified."""
        meeting = self.get_object()
        data = self._body(MeetingCancelSerializer)
        services.meeting_cancel(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(MeetingCheckInSerializer)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, *args, **kwargs):
        """扫码签到 by the attendee, with the room's current code."""
        meeting = self.get_object()
        data = self._body(MeetingCheckInSerializer)
        services.check_in(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(MeetingSignInSerializer)
    @action(detail=True, methods=["post"], url_path="sign-in", url_name="sign-in")
    def sign_in(self, request, *args, **kwargs):
        """代为签到 by the 会务员, for an attendee (``attendees[].id``)."""
        meeting = self.get_object()
        data = self._body(MeetingSignInSerializer)
        attendee = meeting.attendees.filter(pk=data["attendee"]).first()
        if attendee is None:
            MEETING.check(request.user, meeting, "sign_in")  # no step to take at all: 403 or 409 first
            raise exceptions.ValidationError({"attendee": [_("本次会议没有这位参会人员。")]})
        services.sign_in(actor=request.user, meeting=meeting, attendee=attendee)
        return self._respond(meeting)

    @action_schema(MeetingDecisionSerializer, status_code=201)
    @action(detail=True, methods=["post"])
    def decisions(self, request, *args, **kwargs):
        """记录议定事项 (after the meeting, before the 纪要 is issued): each opens its 督办 item when the
        纪要 is issued."""
        meeting = self.get_object()
        data = self._body(MeetingDecisionSerializer)
        if data["topic"] is not None:
            topic = Topic.objects.visible_to(request.user).filter(meeting=meeting, pk=data["topic"]).first()
            if topic is None:
                MEETING.check(request.user, meeting, "decide")
                raise exceptions.ValidationError({"topic": [_("本次会议没有这个议题。")]})
            data["topic"] = topic
        services.decision_add(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting, status.HTTP_201_CREATED)

    # --- A part of the meeting named in the path: of this meeting and visible, or a 404 ------------------

    def _material(self, meeting: Meeting, material_id) -> Material:
        found = Material.objects.visible_to(self.request.user).filter(meeting=meeting, pk=material_id).first()
        if found is None:
            raise exceptions.NotFound(_("本次会议没有这份材料。"))
        return found

    def _copy(self, meeting: Meeting, copy_id) -> ClassifiedCopy:
        materials = Material.objects.visible_to(self.request.user).filter(meeting=meeting).values("pk")
        found = (
            ClassifiedCopy.objects.filter(
                content_type=ContentType.objects.get_for_model(Material), object_id__in=materials, pk=copy_id
            )
            .select_related("holder_person")
            .first()
        )
        if found is None:
            raise exceptions.NotFound(_("本次会议的材料没有这个份号。"))
        return found

    def _booking(self, meeting: Meeting, booking_id):
        found = meeting.bookings.select_related("room").filter(pk=booking_id).first()
        if found is None:
            raise exceptions.NotFound(_("本次会议没有这项会场预订。"))
        return found

    def _attendee(self, meeting: Meeting, attendee_id):
        found = meeting.attendees.select_related("person").filter(pk=attendee_id).first()
        if found is None:
            raise exceptions.NotFound(_("本次会议没有这位参会人员。"))
        return found

    @action_schema(MeetingPlaceTopicSerializer)
    @action(detail=True, methods=["post"], url_path="place-topic", url_name="place-topic")
    def place_topic(self, request, *args, **kwargs):
        """列入议程 from the meeting (the 会务员): an approved 议题 of its type, at ``order`` (by default
        last); its 汇报人 is invited to 列席."""
        meeting = self.get_object()
        data = self._body(MeetingPlaceTopicSerializer)
        topic = Topic.objects.visible_to(request.user).filter(pk=data["topic"]).first()
        if topic is None:
            MEETING.check(request.user, meeting, "place_topic")  # no step to take at all: 403 or 409 first
            raise exceptions.ValidationError({"topic": [_("没有这个议题。")]})
        services.topic_place(actor=request.user, topic=topic, meeting=meeting, order=data["order"])
        return self._respond(meeting)

    @extend_schema(
        request={"application/json": MeetingMaterialAddSerializer, "multipart/form-data": MeetingMaterialAddSerializer},
        responses={201: MeetingDetailSerializer, 204: OUT_OF_REACH},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def materials(self, request, *args, **kwargs):
        """报送会议材料 (the 会务员, while the meeting is prepared), with its file by multipart: at the
        meeting's 密级 unless said otherwise; a 发言材料 with its 字数 and 发言时间."""
        meeting = self.get_object()
        data = self._body(MeetingMaterialAddSerializer)
        level = data.pop("classification", None)
        basis = data.pop("classification_basis")
        if data["topic"] is not None:
            topic = Topic.objects.visible_to(request.user).filter(meeting=meeting, pk=data["topic"]).first()
            if topic is None:
                MEETING.check(request.user, meeting, "add_material")
                raise exceptions.ValidationError({"topic": [_("本次会议没有这个议题。")]})
            data["topic"] = topic
        services.material_add(actor=request.user, meeting=meeting, level=level, basis=basis, **data)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @action_schema(EmptyBody)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"materials/(?P<material_id>\d+)/check",
        url_name="material-check",
    )
    def material_check(self, request, material_id=None, *args, **kwargs):
        """审核会议材料 (the 会务员): a 发言材料 over the meeting type's 篇幅 or 发言时间 limit is refused."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.material_check(actor=request.user, material=self._material(meeting, material_id))
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"materials/(?P<material_id>\d+)/issue",
        url_name="material-issue",
    )
    def material_issue(self, request, material_id=None, *args, **kwargs):
        """分发涉密材料: a numbered copy (份号) to each attendee who comes, due back the day after."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.material_issue(actor=request.user, material=self._material(meeting, material_id))
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"], url_path=r"copies/(?P<copy_id>\d+)/sign", url_name="copy-sign")
    def copy_sign(self, request, copy_id=None, *args, **kwargs):
        """签收 by the copy's holder (``materials[].copies[].id``)."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.copy_sign(actor=request.user, copy=self._copy(meeting, copy_id))
        return self._respond(meeting)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"], url_path=r"copies/(?P<copy_id>\d+)/recall", url_name="copy-recall")
    def copy_recall(self, request, copy_id=None, *args, **kwargs):
        """清退 by the 会务员, once the meeting is held: the copy is back, its reminder met."""
        meeting = self.get_object()
        self._body(EmptyBody)
        services.material_recall(actor=request.user, copy=self._copy(meeting, copy_id))
        return self._respond(meeting)

    @action_schema(BookingDecideSerializer)
    @action(detail=True, methods=["post"], url_path=r"bookings/(?P<booking_id>\d+)/decide", url_name="booking-decide")
    def booking_decide(self, request, booking_id=None, *args, **kwargs):
        """会场预订审批 (the room's 管理员 or a 会务员 of its organ): 批准, or 不予批准 with the reason."""
        meeting = self.get_object()
        data = self._body(BookingDecideSerializer)
        services.booking_decide(actor=request.user, booking=self._booking(meeting, booking_id), **data)
        return self._respond(meeting)

    # --- 会务筹备, 请假, 报到, 会后 (services.preparation and services.logistics) ---------------------------

    @action_schema(MeetingPrepareSerializer)
    @action(detail=True, methods=["post"])
    def prepare(self, request, *args, **kwargs):
        """修改会议方案 (the 会务员, while the meeting is prepared): 会议方案, 应急预案, 安全保卫方案 — only
        the parts sent change (a 涉密 meeting keeps no texts above the deployment's ceiling)."""
        meeting = self.get_object()
        data = self._body(MeetingPrepareSerializer)
        services.meeting_prepare(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(VenueCheckSerializer)
    @action(detail=True, methods=["post"], url_path="venue-check", url_name="venue-check")
    def venue_check(self, request, *args, **kwargs):
        """会场保密检查 of a 涉密 meeting (the 会务员): phones left outside, the room swept; it may then
        be held."""
        meeting = self.get_object()
        data = self._body(VenueCheckSerializer)
        services.venue_check(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @action_schema(LeaveDecideSerializer)
    @action(detail=True, methods=["post"], url_path=r"leaves/(?P<attendee_id>\d+)/decide", url_name="leave-decide")
    def leave_decide(self, request, attendee_id=None, *args, **kwargs):
        """审批请假 (the chair or the 会务员) of an attendee (``attendees[].id``): refused, with the reason,
        he is asked to reply again."""
        meeting = self.get_object()
        data = self._body(LeaveDecideSerializer)
        attendee = self._attendee(meeting, attendee_id)
        services.leave_decide(actor=request.user, meeting=meeting, attendee=attendee, **data)
        return self._respond(meeting)

    @action_schema(MeetingSignInSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, *args, **kwargs):
        """报到 (the 会务员, once the notice is out) of an attendee (``attendees[].id``), once."""
        meeting = self.get_object()
        data = self._body(MeetingSignInSerializer)
        attendee = meeting.attendees.filter(pk=data["attendee"]).first()
        if attendee is None:
            MEETING.check(request.user, meeting, "register")  # no step to take at all: 403 or 409 first
            raise exceptions.ValidationError({"attendee": [_("本次会议没有这位参会人员。")]})
        services.attendee_register(actor=request.user, meeting=meeting, attendee=attendee)
        return self._respond(meeting)

    @action_schema(MeetingSummarySerializer)
    @action(detail=True, methods=["post"])
    def summary(self, request, *args, **kwargs):
        """会后总结 (the 会务员, once the meeting is held)."""
        meeting = self.get_object()
        data = self._body(MeetingSummarySerializer)
        services.meeting_summarize(actor=request.user, meeting=meeting, **data)
        return self._respond(meeting)

    @extend_schema(request=EmptyBody, responses={201: MeetingDraftSerializer})
    @action(detail=True, methods=["post"], url_path="report-draft", url_name="report-draft")
    def report_draft(self, request, *args, **kwargs):
        """起草会议情况通报: a 通报 draft (发文, 拟稿) from the meeting and its 会后总结; answers the document."""
        meeting = self.get_object()
        self._body(EmptyBody)
        document = services.report_draft(actor=request.user, meeting=meeting)
        url = document.get_absolute_url() if hasattr(document, "get_absolute_url") else ""
        return Response(
            MeetingDraftSerializer({"document": document.pk, "url": url}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=EmptyBody, responses={201: MeetingDraftSerializer})
    @action(detail=True, methods=["post"], url_path="minutes-draft", url_name="minutes-draft")
    def minutes_draft(self, request, *args, **kwargs):
        """起草会议纪要: a 纪要 draft (发文, 拟稿) with the 议定事项; answers the document."""
        meeting = self.get_object()
        self._body(EmptyBody)
        document = services.minutes_draft(actor=request.user, meeting=meeting)
        url = document.get_absolute_url() if hasattr(document, "get_absolute_url") else ""
        return Response(
            MeetingDraftSerializer({"document": document.pk, "url": url}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: MeetingAttendanceSerializer})
    @action(detail=True, methods=["get"])
    def attendance(self, request, *args, **kwargs):
        """签到情况: invited, attended, on leave, absent (once begun), late, the 出席率 and the names."""
        meeting = self.get_object()
        audit.record_read(request.user, meeting, request=request)
        return Response(MeetingAttendanceSerializer(services.attendance(meeting)).data)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], **FILE_ROUTE)
    def ics(self, request, *args, **kwargs):
        """The meeting as an iCalendar event (.ics), for the caller's calendar."""
        from meetings import ical

        meeting = self.get_object()
        if not rules.exportable(meeting):
            raise exceptions.PermissionDenied(ical.NOT_EXPORTABLE)
        audit.record_read(request.user, meeting, request=request)
        content = ical.meeting_ics(meeting)
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"meeting-{meeting.pk}.ics")
        response["Cache-Control"] = "no-store"
        return response


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """The rooms of the caller's organ; another organ's room is a 404."""

    serializer_class = RoomSerializer

    def get_queryset(self):
        organ = organ_of(self.request.user)
        if organ is None:
            return Room.objects.none()
        return Room.objects.filter(organ=organ).select_related("manager").order_by("name", "id")

    def get_object(self):
        return get_or_404(self.get_queryset(), self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[RoomCalendarQuery], responses={200: RoomCalendarSlotSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def calendar(self, request, *args, **kwargs):
        """The organ's rooms and their bookings from ``date_from`` to ``date_to`` (by default this week);
        a meeting the caller may not see shows as taken, without its name."""
        query = query_of(RoomCalendarQuery, request)
        organ = organ_of(request.user)
        if organ is None:
            return Response([])
        slots = selectors.room_calendar(user=request.user, organ=organ, first=query["date_from"], last=query["date_to"])
        return Response(RoomCalendarSlotSerializer(slots, many=True).data)


class TopicViewSet(RecordViewSet):
    """议题 the caller may see; 拟报 by a unit, moved by the actions; nothing is ever deleted."""

    model = Topic
    serializer_class = TopicDetailSerializer
    list_serializer_class = TopicListSerializer
    query_class = TopicQuery
    list_visible = staticmethod(_topics_visible)
    list_actions = ("list",)
    list_shape = staticmethod(topic_list_shape)
    detail_queryset = staticmethod(topic_detail_queryset)
    detail_actions = ()
    action_related = ("organ", "meeting_type", "meeting", "unit")
    http_method_names = PATCH_METHODS

    def _body(self, serializer_class) -> dict:
        return dict(valid(serializer_class, self.request.data, context={"request": self.request}))

    @extend_schema(parameters=[TopicQuery])
    def list(self, request, *args, **kwargs):
        """The 议题 the caller may see."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: TopicDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The 议题 with its 征求意见 and 会签, 流转记录 and ``offered``."""
        return self._respond(self.get_object())

    @extend_schema(request=TopicCreateSerializer, responses={201: TopicDetailSerializer})
    def create(self, request, *args, **kwargs):
        """拟报 a 议题 for a type of meeting (or a meeting), the caller its 申报人."""
        data = self._body(TopicCreateSerializer)
        secrecy = TopicCreateSerializer.classification_arguments(data)
        return self._respond(services.topic_create(actor=request.user, **data, **secrecy), status.HTTP_201_CREATED)

    @extend_schema(request=TopicEditSerializer, responses={200: TopicDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """修改议题 (the unit, while 拟报 or 已退回)."""
        topic = self.get_object()
        data = self._body(TopicEditSerializer)
        return self._respond(services.topic_edit(actor=request.user, topic=topic, **data))

    @action_schema(EmptyBody, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        """报送 (the unit, within the type's lead time; 不协调一致不上会)."""
        topic = self.get_object()
        self._body(EmptyBody)
        return self._respond(services.topic_submit(actor=request.user, topic=topic) or topic)

    @action_schema(TopicOpinionSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """分管领导审核."""
        topic = self.get_object()
        data = self._body(TopicOpinionSerializer)
        return self._respond(services.topic_review(actor=request.user, topic=topic, **data) or topic)

    @action_schema(TopicOpinionSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """定题 (the 主要领导, or the chair of the meeting it is meant for)."""
        topic = self.get_object()
        data = self._body(TopicOpinionSerializer)
        return self._respond(services.topic_approve(actor=request.user, topic=topic, **data) or topic)

    @action_schema(TopicReturnSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, *args, **kwargs):
        """退回 to the unit, with the reason (the 分管领导 or the 主要领导)."""
        topic = self.get_object()
        data = self._body(TopicReturnSerializer)
        return self._respond(services.topic_return(actor=request.user, topic=topic, **data) or topic)

    @action_schema(TopicWithdrawSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """撤回 (the unit, before it is placed on an agenda)."""
        topic = self.get_object()
        data = self._body(TopicWithdrawSerializer)
        return self._respond(services.topic_withdraw(actor=request.user, topic=topic, **data) or topic)

    @action_schema(TopicPlaceSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def place(self, request, *args, **kwargs):
        """列入议程 of a meeting of its type (the 会务员), at ``order`` (by default last)."""
        topic = self.get_object()
        data = self._body(TopicPlaceSerializer)
        return self._respond(services.topic_place(actor=request.user, topic=topic, **data) or topic)

    @action_schema(TopicUnplaceSerializer, TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def unplace(self, request, *args, **kwargs):
        """退出议程 (the 会务员, while the meeting is still prepared): back to 已定题."""
        topic = self.get_object()
        data = self._body(TopicUnplaceSerializer)
        return self._respond(services.topic_unplace(actor=request.user, topic=topic, **data) or topic)


class ScheduleViewSet(RecordViewSet):
    """领导活动安排 the caller may see; the office enters, changes and cancels activities."""

    model = ScheduleEntry
    serializer_class = ScheduleEntrySerializer
    list_serializer_class = ScheduleEntrySerializer
    query_class = ScheduleQuery
    list_visible = staticmethod(_schedule_visible)
    list_actions = ("list",)
    list_shape = staticmethod(schedule_queryset)
    detail_queryset = staticmethod(lambda entries: entries.select_related("leader"))
    detail_actions = ()
    action_related = ("organ", "leader")
    http_method_names = PATCH_METHODS

    @extend_schema(parameters=[ScheduleQuery])
    def list(self, request, *args, **kwargs):
        """The activities the caller may see (by leader and days), in time order."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ScheduleEntrySerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(request=ScheduleEntryInputSerializer, responses={201: ScheduleEntrySerializer})
    def create(self, request, *args, **kwargs):
        """Enter an activity of a leader (the office); an overlap with another is refused unless
        ``allow_overlap``."""
        data = dict(valid(ScheduleEntryInputSerializer, request.data))
        secrecy = ScheduleEntryInputSerializer.classification_arguments(data)
        entry = services.schedule_add(actor=request.user, **data, **secrecy)
        return self._respond(entry, status.HTTP_201_CREATED)

    @extend_schema(request=ScheduleEntryInputSerializer, responses={200: ScheduleEntrySerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change an activity (the office): only the fields sent change."""
        entry = self.get_object()
        data = dict(valid(ScheduleEntryInputSerializer, request.data, partial=True, context={"instance": entry}))
        return self._respond(services.schedule_edit(actor=request.user, entry=entry, **data) or entry)

    @action_schema(ScheduleCancelSerializer, ScheduleEntrySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        entry = self.get_object()
        data = dict(valid(ScheduleCancelSerializer, request.data))
        services.schedule_cancel(actor=request.user, entry=entry, **data)
        return self._respond(entry)

    @extend_schema(parameters=[ScheduleWeekQuery], responses={200: ScheduleWeekRowSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def week(self, request, *args, **kwargs):
        """The organ's leaders' week from ``monday``, of what the caller may see: a row per leader (the
        主要领导 first), each day's activities in time order."""
        monday = query_of(ScheduleWeekQuery, request)["monday"]
        organ = organ_of(request.user)
        rows = services.week(user=request.user, organ=organ, monday=monday) if organ is not None else []
        return Response(ScheduleWeekRowSerializer(rows, many=True).data)

    @extend_schema(parameters=[ScheduleWeekQuery], responses={200: SchedulePublicRowSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="public-week", url_name="public-week", pagination_class=None)
    def public_week(self, request, *args, **kwargs):
        """The published 一周安排 of the caller's organ: only activities marked 可对外公布 and not
        classified, without their 备注."""
        monday = query_of(ScheduleWeekQuery, request)["monday"]
        organ = organ_of(request.user)
        rows = services.public_week(organ=organ, monday=monday) if organ is not None else []
        return Response(SchedulePublicRowSerializer(rows, many=True).data)
