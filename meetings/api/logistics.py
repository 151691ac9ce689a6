"""``/api/v1/meetings/attendees/`` and ``/api/v1/meetings/groups/``: 参会 logistics.

- ``attendees/?meeting=`` — the attendees of a meeting the caller may see, with 请假审批, 排序, 讨论组,
  交通食宿 and 报到; actions ``leave-decide``, ``arrange``, ``register`` on one of them; ``seating/`` (the
  座次图) and ``badges/`` (the 参会证 list) of a meeting, for its 会务员 and its chair;
- ``groups/?meeting=`` — its 分组讨论 groups, created and deleted by the 会务员.

A meeting out of the caller's sight is a 404 (so is an attendee or a group of one), whatever is sent;
``services`` decide who may (403) and when (409)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meetings import rules, selectors, services
from meetings.models import Attendee, DiscussionGroup, Meeting
from office.api.helpers import query_of, state_refusal_as, valid
from office.api.schema import ErrorSerializer
from office.api.serializers import EmptyBody, StrictFieldsMixin
from office.confidentiality import audit
from office.confidentiality.visibility import get_or_404
from office.org.models import Person

NOT_ARRANGER = gettext_lazy("座次图和参会证名单只向本次会议的会务员和主持人提供。")


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    400: _error(gettext_lazy("提交的数据有误，或办理规则不允许；数据未作改动")),
    403: _error(gettext_lazy("不是本人可以办理的事项")),
    404: _error(gettext_lazy("会议或参会人员不存在，或不在本人可见范围内")),
    409: _error(gettext_lazy("当前状态不允许此操作（如会议已召开、请假已审批、已报到）")),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k in (400, 403, 404)}
CREATE_ERRORS = READ_ERRORS  # a create moves nothing: a refusal by the meeting's state is a 400


# --- shapes ------------------------------------------------------------------------------------------


class MeetingQueryInput(StrictFieldsMixin, serializers.Serializer):
    """The one meeting asked about (required); unknown parameters are a 400."""

    meeting = serializers.IntegerField(min_value=1, help_text=gettext_lazy("会议（meetings/meetings 的 id）"))


class LogisticsAttendeeSerializer(serializers.ModelSerializer):
    """One attendee with his 请假审批, 座次排序, 讨论组, 交通食宿 and 报到."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="person.unit.name", read_only=True)
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    reply = serializers.CharField(read_only=True)
    reply_label = serializers.CharField(source="get_reply_display", read_only=True)
    leave_approved = serializers.BooleanField(read_only=True, allow_null=True)
    leave_decided_by_name = serializers.CharField(
        source="leave_decided_by.name", read_only=True, default=None, allow_null=True
    )
    group_name = serializers.CharField(source="group.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Attendee
        fields = [
            "id",
            "meeting",
            "person",
            "person_name",
            "unit_name",
            "role",
            "role_label",
            "reply",
            "reply_label",
            "reason",
            "substitute",
            "leave_approved",
            "leave_decided_by",
            "leave_decided_by_name",
            "precedence",
            "group",
            "group_name",
            "arrives_on",
            "transport",
            "lodging",
            "registered_at",
            "checked_in_at",
        ]
        read_only_fields = fields


class LogisticsSeatSerializer(serializers.Serializer):
    """One seat of the 座次图."""

    rank = serializers.IntegerField(help_text=gettext_lazy("排序名次，1居中"))
    column = serializers.IntegerField(help_text=gettext_lazy("自台下看左起第几座"))
    seat = serializers.CharField()
    attendee = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    post = serializers.CharField(allow_blank=True)
    substitute_for = serializers.CharField(allow_blank=True, help_text=gettext_lazy("代会时，被代的人"))


class LogisticsSeatingSerializer(serializers.Serializer):
    """The 座次图: the 主席台 and the 列席 rows below it."""

    podium = LogisticsSeatSerializer(many=True, help_text=gettext_lazy("主席台，自台下看从左到右"))
    rows = serializers.ListField(child=LogisticsSeatSerializer(many=True), help_text=gettext_lazy("列席，逐排"))
    attending = serializers.IntegerField()
    sitting_in = serializers.IntegerField()


class LogisticsBadgeSerializer(serializers.Serializer):
    """One line of the 参会证 list."""

    number = serializers.CharField(help_text=gettext_lazy("证号"))
    attendee = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    post = serializers.CharField(allow_blank=True)
    role = serializers.CharField()
    role_display = serializers.CharField()
    substitute_for = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)
    seat = serializers.CharField(allow_blank=True)


class DiscussionGroupSerializer(serializers.ModelSerializer):
    """分组讨论: a group, its 召集人, place and members."""

    convener_name = serializers.CharField(source="convener.name", read_only=True, default=None, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = DiscussionGroup
        fields = ["id", "meeting", "name", "convener", "convener_name", "place", "order", "members"]
        read_only_fields = fields

    def get_members(self, group) -> list[int]:
        return [member.pk for member in group.members.all()]


class LeaveDecideInput(StrictFieldsMixin, serializers.Serializer):
    """同意 (``approve: true``) or not, with the reason (required when refusing)."""

    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ArrangeInput(StrictFieldsMixin, serializers.Serializer):
    """Only the fields sent change; ``group: null`` takes him out of any group."""

    precedence = serializers.IntegerField(min_value=0, max_value=9999, required=False)
    group = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    arrives_on = serializers.DateField(required=False)
    transport = serializers.CharField(max_length=100, required=False, allow_blank=True)
    lodging = serializers.CharField(max_length=100, required=False, allow_blank=True)


class GroupCreateInput(StrictFieldsMixin, serializers.Serializer):
    """A new 讨论组 of ``meeting``: its name, its 召集人 (an attendee) and its place."""

    meeting = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=40)
    convener = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


# --- views -------------------------------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    return get_or_404(Meeting.objects.visible_to(request.user), request.user, pk)


def _queried_meeting(request) -> Meeting:
    return _meeting(request, query_of(MeetingQueryInput, request)["meeting"])


class LogisticsAttendeeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendees of the meetings the caller may see (one meeting at a time)."""

    serializer_class = LogisticsAttendeeSerializer
    pagination_class = None
    model = Attendee

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        return (
            Attendee.objects.filter(meeting__in=visible)
            .select_related("person__unit", "group", "leave_decided_by")
            .order_by("role", "precedence", "person__unit__sort_order", "id")
        )

    def get_object(self):
        return get_or_404(self.get_queryset(), self.request.user, self.kwargs["pk"])

    def _answer(self, row: Attendee) -> Response:
        row = self.get_queryset().filter(pk=row.pk).first() or row
        return Response(LogisticsAttendeeSerializer(row).data)

    @extend_schema(
        parameters=[MeetingQueryInput], responses={200: LogisticsAttendeeSerializer(many=True), **READ_ERRORS}
    )
    def list(self, request, *args, **kwargs):
        """The attendees of ``meeting`` (出席, 列席, 工作人员; each in rank order)."""
        meeting = _queried_meeting(request)
        audit.record_read(request.user, meeting, request=request)
        rows = self.get_queryset().filter(meeting=meeting)
        return Response(LogisticsAttendeeSerializer(rows, many=True).data)

    @extend_schema(request=LeaveDecideInput, responses={200: LogisticsAttendeeSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="leave-decide", url_name="leave-decide")
    def leave_decide(self, request, *args, **kwargs):
        """审批请假 (the chair or the 会务员): refusing needs a ``note``; a refused one replies again."""
        row = self.get_object()
        data = valid(LeaveDecideInput, request.data)
        services.leave_decide(actor=request.user, meeting=row.meeting, attendee=row, **data)
        return self._answer(row)

    @extend_schema(request=ArrangeInput, responses={200: LogisticsAttendeeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def arrange(self, request, *args, **kwargs):
        """安排座次、分组和食宿 (the 会务员, before the meeting)."""
        row = self.get_object()
        data = dict(valid(ArrangeInput, request.data))
        if "group" in data and data["group"] is None:
            data["group"] = False
        services.attendee_arrange(actor=request.user, meeting=row.meeting, attendee=row, **data)
        return self._answer(row)

    @extend_schema(request=EmptyBody, responses={200: LogisticsAttendeeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def register(self, request, *args, **kwargs):
        """报到 (the 会务员, once the notice is out); a second time is a 409."""
        row = self.get_object()
        valid(EmptyBody, request.data)
        services.attendee_register(actor=request.user, meeting=row.meeting, attendee=row)
        return self._answer(row)

    def _arranger_meeting(self, request) -> Meeting:
        meeting = _queried_meeting(request)
        if not rules.prints_lists(request.user, meeting):
            raise exceptions.PermissionDenied(str(NOT_ARRANGER))
        audit.record_read(request.user, meeting, request=request)
        return meeting

    @extend_schema(parameters=[MeetingQueryInput], responses={200: LogisticsSeatingSerializer, **READ_ERRORS})
    @action(detail=False, methods=["get"])
    def seating(self, request, *args, **kwargs):
        """The 座次图 (the 会务员 and the chair): the 主席台 left to right as the hall sees it, 列席 rows."""
        meeting = self._arranger_meeting(request)
        return Response(LogisticsSeatingSerializer(selectors.seating(meeting)).data)

    @extend_schema(parameters=[MeetingQueryInput], responses={200: LogisticsBadgeSerializer(many=True), **READ_ERRORS})
    @action(detail=False, methods=["get"])
    def badges(self, request, *args, **kwargs):
        """The 参会证 list (the 会务员 and the chair)."""
        meeting = self._arranger_meeting(request)
        return Response(LogisticsBadgeSerializer(selectors.badges(meeting), many=True).data)


class DiscussionGroupViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """分组讨论 groups of the meetings the caller may see."""

    serializer_class = DiscussionGroupSerializer
    pagination_class = None
    model = DiscussionGroup

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        return (
            DiscussionGroup.objects.filter(meeting__in=visible).select_related("convener").prefetch_related("members")
        )

    def get_object(self):
        return get_or_404(self.get_queryset(), self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[MeetingQueryInput], responses={200: DiscussionGroupSerializer(many=True), **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        """The groups of ``meeting``, with their members (attendee ids)."""
        meeting = _queried_meeting(request)
        return Response(DiscussionGroupSerializer(self.get_queryset().filter(meeting=meeting), many=True).data)

    @extend_schema(request=GroupCreateInput, responses={201: DiscussionGroupSerializer, **CREATE_ERRORS})
    def create(self, request, *args, **kwargs):
        """设立讨论组 (the 会务员): its name unique in the meeting, its 召集人 an attendee."""
        data = dict(valid(GroupCreateInput, request.data))
        meeting = _meeting(request, data.pop("meeting"))
        with state_refusal_as("meeting"):
            group = services.group_add(actor=request.user, meeting=meeting, **data)
        group = self.get_queryset().get(pk=group.pk)
        return Response(DiscussionGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: OpenApiResponse(description=gettext_lazy("已撤销")), **ERRORS})
    def destroy(self, request, *args, **kwargs):
        """撤销讨论组 (the 会务员): its members are left without a group."""
        group = self.get_object()
        services.group_remove(actor=request.user, meeting=group.meeting, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(route) -> None:
    """Register this module's viewsets (``route`` is ``office.api.routes.register``)."""
    route("meetings/attendees", LogisticsAttendeeViewSet, basename="meeting-attendee")
    route("meetings/groups", DiscussionGroupViewSet, basename="meeting-group")
