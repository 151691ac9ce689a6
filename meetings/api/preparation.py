"""``/api/v1/meetings/tasks/`` and ``/api/v1/meetings/venues/``: 会务筹备.

- ``tasks/?meeting=`` — the 会务分工 of a meeting the caller may see; created by the 会务员 (the 责任人
  reminded by a Deadline), actions ``done`` (the 责任人 or the 会务员) and ``remove`` (with a reason);
- ``venues/?meeting=`` — its 分会场; created by the 会务员, actions ``test`` (调试) and ``remove``.

A meeting out of the caller's sight is a 404 (so is a task or a venue of one), whatever is sent;
``services`` decide who may (403) and when (409). The meeting-level steps (方案, 保密检查, 总结, 通报)
are actions of ``meetings/meetings``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meetings import rules, services
from meetings.models import BranchVenue, Meeting, PrepTask, TaskKind
from office.api.helpers import query_of, state_refusal_as, valid
from office.api.schema import ErrorSerializer
from office.api.serializers import StrictFieldsMixin
from office.confidentiality import audit
from office.confidentiality.visibility import get_or_404
from office.org.models import Person, Unit


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    400: _error(gettext_lazy("提交的数据有误，或办理规则不允许；数据未作改动")),
    403: _error(gettext_lazy("不是本人可以办理的事项")),
    404: _error(gettext_lazy("会议、任务或分会场不存在，或不在本人可见范围内")),
    409: _error(gettext_lazy("当前状态不允许此操作（如会议已召开、已取消，或无需调试）")),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k in (400, 403, 404)}
CREATE_ERRORS = READ_ERRORS  # a create moves nothing: a refusal by the meeting's state is a 400
REMOVED = OpenApiResponse(description=gettext_lazy("已删除"))


# --- shapes ------------------------------------------------------------------------------------------

# Inline, not an enum component: the name “kind” is taken by other apps' choice sets.
KIND_SCHEMA = {
    "allOf": [{"type": "string", "enum": list(TaskKind.values)}],
    "description": "、".join(f"{value} {label}" for value, label in TaskKind.choices),
}


LIGHT_HELP = gettext_lazy("done 已完成、overdue 已逾期、soon 即将到期（一天内）、open 进行中")


@extend_schema_field(KIND_SCHEMA)
class TaskKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=TaskKind.choices, **kwargs)


class PrepMeetingQuery(StrictFieldsMixin, serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text=gettext_lazy("会议（meetings/meetings 的 id）"))


class PrepTaskSerializer(serializers.ModelSerializer):
    """One 会务分工 task, its state as a light (done / overdue / soon / open) and whether the caller
    may mark it done."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    done_by_name = serializers.CharField(source="done_by.name", read_only=True, default=None, allow_null=True)
    kind = TaskKindField(read_only=True)
    light = serializers.SerializerMethodField(help_text=LIGHT_HELP)
    may_complete = serializers.SerializerMethodField()

    class Meta:
        model = PrepTask
        fields = [
            "id",
            "meeting",
            "kind",
            "kind_label",
            "title",
            "unit",
            "unit_name",
            "owner",
            "owner_name",
            "due",
            "done_at",
            "done_by",
            "done_by_name",
            "note",
            "light",
            "may_complete",
        ]
        read_only_fields = fields

    def get_light(self, task) -> str:
        today = timezone.localdate()
        if task.done_at is not None:
            return "done"
        if task.due < today:
            return "overdue"
        return "soon" if task.due <= today + timedelta(days=1) else "open"

    def get_may_complete(self, task) -> bool:
        request = self.context.get("request")
        return bool(request) and rules.may_complete_task(request.user, task)


class BranchVenueSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)
    tested_by_name = serializers.CharField(source="tested_by.name", read_only=True, default=None, allow_null=True)
    test_ok = serializers.BooleanField(read_only=True, allow_null=True, help_text=gettext_lazy("未调试时为 null"))

    class Meta:
        model = BranchVenue
        fields = [
            "id",
            "meeting",
            "name",
            "unit",
            "unit_name",
            "contact",
            "tested_at",
            "tested_by",
            "tested_by_name",
            "test_ok",
            "test_note",
        ]
        read_only_fields = fields


class TaskCreateInput(StrictFieldsMixin, serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1)
    kind = TaskKindField()
    title = serializers.CharField(max_length=120)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    due = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TaskDoneInput(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TaskRemoveInput(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class VenueCreateInput(StrictFieldsMixin, serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=60)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    contact = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class VenueTestInput(StrictFieldsMixin, serializers.Serializer):
    ok = serializers.BooleanField(help_text=gettext_lazy("调试是否正常；不正常的须写明 note"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- views -------------------------------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    return get_or_404(Meeting.objects.visible_to(request.user), request.user, pk)


def _queried_meeting(request) -> Meeting:
    return _meeting(request, query_of(PrepMeetingQuery, request)["meeting"])


class _OfVisibleMeetings(viewsets.GenericViewSet):
    pagination_class = None
    related: tuple[str, ...] = ()

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        return self.model.objects.filter(meeting__in=visible).select_related("meeting", *self.related)

    def get_object(self):
        return get_or_404(self.get_queryset(), self.request.user, self.kwargs["pk"])

    def _answer(self, row, code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=row.pk)
        return Response(self.serializer_class(row, context={"request": self.request}).data, status=code)

    def _listed(self, request) -> Response:
        meeting = _queried_meeting(request)
        audit.record_read(request.user, meeting, request=request)
        rows = self.get_queryset().filter(meeting=meeting)
        return Response(self.serializer_class(rows, many=True, context={"request": request}).data)


class PrepTaskViewSet(mixins.ListModelMixin, _OfVisibleMeetings):
    """会务分工 of the meetings the caller may see (one meeting at a time)."""

    serializer_class = PrepTaskSerializer
    model = PrepTask
    related = ("unit", "owner", "done_by")

    @extend_schema(parameters=[PrepMeetingQuery], responses={200: PrepTaskSerializer(many=True), **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        """The tasks of ``meeting``, soonest due first."""
        return self._listed(request)

    @extend_schema(request=TaskCreateInput, responses={201: PrepTaskSerializer, **CREATE_ERRORS})
    def create(self, request, *args, **kwargs):
        """安排会务任务 (the 会务员): the 责任人 active and cleared for the meeting, due by its day; he is
        reminded by a Deadline of the 会议 kind."""
        data = dict(valid(TaskCreateInput, request.data))
        meeting = _meeting(request, data.pop("meeting"))
        with state_refusal_as("meeting"):
            task = services.task_add(actor=request.user, meeting=meeting, **data)
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(request=TaskDoneInput, responses={200: PrepTaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def done(self, request, *args, **kwargs):
        """完成 (the 责任人 or the 会务员): its reminder is met; a task already done is a 400."""
        task = self.get_object()
        data = valid(TaskDoneInput, request.data)
        services.task_done(actor=request.user, task=task, **data)
        return self._answer(task)

    @extend_schema(request=TaskRemoveInput, responses={204: REMOVED, **ERRORS})
    @action(detail=True, methods=["post"])
    def remove(self, request, *args, **kwargs):
        """撤销 a task (the 会务员, with the reason): its reminder is cancelled."""
        task = self.get_object()
        data = valid(TaskRemoveInput, request.data)
        services.task_remove(actor=request.user, task=task, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BranchVenueViewSet(mixins.ListModelMixin, _OfVisibleMeetings):
    """分会场 of the meetings the caller may see (one meeting at a time)."""

    serializer_class = BranchVenueSerializer
    model = BranchVenue
    related = ("unit", "tested_by")

    @extend_schema(parameters=[PrepMeetingQuery], responses={200: BranchVenueSerializer(many=True), **READ_ERRORS})
    def list(self, request, *args, **kwargs):
        """The 分会场 of ``meeting`` with their 调试."""
        return self._listed(request)

    @extend_schema(request=VenueCreateInput, responses={201: BranchVenueSerializer, **CREATE_ERRORS})
    def create(self, request, *args, **kwargs):
        """增加分会场 (the 会务员, before the meeting); a name once per meeting."""
        data = dict(valid(VenueCreateInput, request.data))
        meeting = _meeting(request, data.pop("meeting"))
        with state_refusal_as("meeting"):
            venue = services.venue_add(actor=request.user, meeting=meeting, **data)
        return self._answer(venue, status.HTTP_201_CREATED)

    @extend_schema(request=VenueTestInput, responses={200: BranchVenueSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def test(self, request, *args, **kwargs):
        """分会场调试 (the 会务员): normal, or not with what went wrong."""
        venue = self.get_object()
        data = valid(VenueTestInput, request.data)
        services.venue_test(actor=request.user, venue=venue, **data)
        return self._answer(venue)

    @extend_schema(request=None, responses={204: REMOVED, **ERRORS})
    @action(detail=True, methods=["post"])
    def remove(self, request, *args, **kwargs):
        """删除分会场 (the 会务员, before the meeting)."""
        venue = self.get_object()
        services.venue_remove(actor=request.user, venue=venue)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(route) -> None:
    """Register this module's viewsets (``route`` is ``office.api.routes.register``)."""
    route("meetings/tasks", PrepTaskViewSet, basename="meeting-task")
    route("meetings/venues", BranchVenueViewSet, basename="meeting-venue")
