"""``/api/v1/meetings/plans/``: 会议计划 — the entries the caller may see (by year, month, state and
type), an entry in full with its meetings, 流转记录 and ``offered``, 拟订 (POST), 修改 (PATCH), one POST
per step of ``rules.PLAN`` (报批, 列入计划, 批准, 退回, 撤销), ``unplanned/`` (计划外报批 of a meeting),
``{id}/attach/`` (a meeting held under the entry) and ``figures/`` (the 精文减会 figures of a year).

An entry or a meeting the caller may not see is a 404 on every route, whatever the body; the lists
and their counts hold only what he may see."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from meetings import services
from meetings.api.inputs import MeetingClassificationMixin, VisibleMeetingField
from meetings.api.serializers import OUT_OF_REACH
from meetings.figures import meeting_figures
from meetings.models import Meeting, MeetingPlan, MeetingType, PlanState
from meetings.rules import PLAN
from office.api.helpers import query_of, valid
from office.api.serializers import EmptyBody, ListQuery, StrictFieldsMixin
from office.confidentiality.models import TermUnit
from office.org.api import LevelField
from office.org.models import Unit
from office.workflow import TransitionNotAllowed
from office.workflow.api import EventSerializer, OfferSerializer, RecordViewSet, offers_of

PATCH_METHODS = ["get", "post", "patch", "head", "options"]
YEARS = {"min_value": 2000, "max_value": 2100}


# --- Answers -------------------------------------------------------------------------------------------


class PlanListSerializer(serializers.ModelSerializer):
    """A row of the plan: the entry, its state and its approval."""

    type = serializers.CharField(source="type_id", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    organizing_unit_name = serializers.CharField(source="organizing_unit.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    submitted_by_name = serializers.CharField(source="submitted_by.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default=None, allow_null=True)
    classification = LevelField(read_only=True)
    classification_label = serializers.CharField(source="get_classification_display", read_only=True)

    class Meta:
        model = MeetingPlan
        fields = [
            "id",
            "organ",
            "year",
            "month",
            "type",
            "type_name",
            "title",
            "organizing_unit",
            "organizing_unit_name",
            "expected_size",
            "days",
            "video",
            "budget",
            "unplanned",
            "state",
            "state_label",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "opinion",
            "classification",
            "classification_label",
        ]
        read_only_fields = fields


class PlanMeetingSerializer(serializers.ModelSerializer):
    """A meeting held under the entry (those the caller may see)."""

    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "starts_at", "ends_at", "state", "state_label", "cost"]
        read_only_fields = fields


# Each step of ``rules.PLAN`` and the route that takes it ("" is PATCH of the entry itself).
PLAN_ROUTES = {
    "edit": "",
    "submit": "submit",
    "list": "list",
    "approve": "approve",
    "return": "return",
    "drop": "drop",
}


class PlanDetailSerializer(PlanListSerializer):
    """The whole entry: its 召开必要性, its meetings, 流转记录 and the steps the caller may take now."""

    meetings = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(PlanListSerializer.Meta):
        fields = [*PlanListSerializer.Meta.fields, "reason", "meetings", "events", "offered"]
        read_only_fields = fields

    @extend_schema_field(PlanMeetingSerializer(many=True))
    def get_meetings(self, plan) -> list[dict]:
        rows = Meeting.objects.visible_to(self.context["request"].user).filter(plan=plan).order_by("starts_at")
        return PlanMeetingSerializer(rows, many=True).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, plan) -> list[dict]:
        return offers_of(PLAN, self.context["request"].user, plan, routes=PLAN_ROUTES)


def plan_detail_queryset(plans):
    return plans.select_related("type", "organizing_unit", "submitted_by", "decided_by").prefetch_related("events")


def plan_list_shape(plans):
    return plans.select_related("type", "organizing_unit", "submitted_by", "decided_by").order_by("-year", "id")


# --- Figures ---------------------------------------------------------------------------------------------


class TypeHeldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    by_month = serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy("1—12月"))


class TypeVersusSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text=gettext_lazy("本年召开"))
    last_year = serializers.IntegerField(help_text=gettext_lazy("上年召开"))
    change = serializers.IntegerField(help_text=gettext_lazy("增减（本年 − 上年）"))


class VersusSerializer(serializers.Serializer):
    last_year = serializers.IntegerField()
    change = serializers.IntegerField()
    by_type = TypeVersusSerializer(many=True)


class TopicFiguresSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    returned = serializers.IntegerField()


class DecisionFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    with_item = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=gettext_lazy("落实率 0—1；无可计算时为 null"))


class CostSerializer(serializers.Serializer):
    spent = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=gettext_lazy("已召开会议的会议费（元）")
    )
    with_cost = serializers.IntegerField(help_text=gettext_lazy("记有会议费的已召开会议数"))
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=gettext_lazy("已批准会议计划的会议费预算（元）")
    )
    budgeted = serializers.IntegerField(help_text=gettext_lazy("有预算的已批准计划数"))


class PlanFiguresSerializer(serializers.Serializer):
    entries = serializers.IntegerField(help_text=gettext_lazy("列入计划（未撤销）"))
    approved = serializers.IntegerField()
    held = serializers.IntegerField(help_text=gettext_lazy("已批准且已按其召开会议的计划数"))
    rate = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("执行率 held ÷ approved；无批准计划时为 null")
    )
    unplanned = serializers.IntegerField(help_text=gettext_lazy("已批准的计划外会议"))
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    dropped = serializers.IntegerField()


class MeetingFiguresSerializer(serializers.Serializer):
    """The year's 会议 figures (``meetings.figures.meeting_figures``), over what the caller may see."""

    year = serializers.IntegerField()
    held = serializers.IntegerField()
    by_type = TypeHeldSerializer(many=True)
    by_month = serializers.ListField(child=serializers.IntegerField())
    topics = TopicFiguresSerializer()
    attendance_rate = serializers.FloatField(allow_null=True)
    decisions = DecisionFiguresSerializer()
    video_share = serializers.FloatField(allow_null=True)
    video = serializers.IntegerField()
    versus_last_year = VersusSerializer()
    cost = CostSerializer()
    plans = PlanFiguresSerializer()


# --- Inputs ------------------------------------------------------------------------------------------------


class PlanQuery(ListQuery):
    """The plan's filters: ``month`` 0 for the yearly entries."""

    year = serializers.IntegerField(required=False, **YEARS)
    month = serializers.IntegerField(required=False, min_value=0, max_value=12, help_text=gettext_lazy("0 为年度计划"))
    state = serializers.ChoiceField(choices=PlanState.choices, required=False)
    type = serializers.SlugRelatedField(
        slug_field="code", queryset=MeetingType.objects.all(), required=False, help_text=gettext_lazy("会议类型代码")
    )


class PlanFiguresQuery(StrictFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(required=False, help_text=gettext_lazy("默认本年"), **YEARS)

    def validate(self, data):
        data.setdefault("year", timezone.localdate().year)
        return data


class PlanFieldsMixin(serializers.Serializer):
    year = serializers.IntegerField(**YEARS)
    month = serializers.IntegerField(
        min_value=1, max_value=12, allow_null=True, required=False, default=None, help_text=gettext_lazy("空为年度计划")
    )
    type = serializers.SlugRelatedField(slug_field="code", queryset=MeetingType.objects.all())
    title = serializers.CharField(max_length=120)
    organizing_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    reason = serializers.CharField(max_length=5000, help_text=gettext_lazy("召开必要性"))
    expected_size = serializers.IntegerField(
        min_value=1, max_value=10000, allow_null=True, required=False, default=None
    )
    days = serializers.IntegerField(min_value=1, max_value=30, required=False, default=1)
    video = serializers.BooleanField(required=False, default=False)
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, allow_null=True, required=False, default=None
    )


class PlanCreateSerializer(StrictFieldsMixin, MeetingClassificationMixin, PlanFieldsMixin):
    """A new entry (拟订), the caller its 拟订人; 密级 by default the type's."""

    secrecy_term_unit = serializers.ChoiceField(choices=TermUnit.choices, required=False, allow_blank=True)
    secrecy_term_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    secrecy_until = serializers.DateField(required=False, allow_null=True)
    declassify_condition = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PlanEditSerializer(StrictFieldsMixin, PlanFieldsMixin):
    """修改 (PATCH): only the fields sent change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError([_("请至少修改一项。")])
        return data


class PlanOpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    opinion = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PlanReturnSerializer(StrictFieldsMixin, serializers.Serializer):
    opinion = serializers.CharField(max_length=300, help_text=gettext_lazy("退回理由"))


class PlanDropSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text=gettext_lazy("撤销理由"))


class UnplannedSerializer(StrictFieldsMixin, serializers.Serializer):
    meeting = VisibleMeetingField(help_text=gettext_lazy("以政府名义召开、尚未列入会议计划的会议"))
    reason = serializers.CharField(max_length=2000, help_text=gettext_lazy("计划外召开的必要性"))


class AttachSerializer(StrictFieldsMixin, serializers.Serializer):
    meeting = VisibleMeetingField(help_text=gettext_lazy("按本计划召开的会议（本机关同类会议）"))


def _step_schema(request_serializer, status_code: int = 200):
    return extend_schema(request=request_serializer, responses={status_code: PlanDetailSerializer, 204: OUT_OF_REACH})


# --- The viewset -----------------------------------------------------------------------------------------


def _plans_visible(*, user, filters, text=""):
    plans = MeetingPlan.objects.visible_to(user)
    if "year" in filters:
        plans = plans.filter(year=filters["year"])
    if "month" in filters:
        plans = plans.filter(month__isnull=True) if filters["month"] == 0 else plans.filter(month=filters["month"])
    if "state" in filters:
        plans = plans.filter(state=filters["state"])
    if "type" in filters:
        plans = plans.filter(type=filters["type"])
    return plans


class PlanViewSet(RecordViewSet):
    """会议计划 entries the caller may see; 拟订 by the organ's 会务员, moved by the actions; never deleted
    (撤销 instead)."""

    model = MeetingPlan
    serializer_class = PlanDetailSerializer
    list_serializer_class = PlanListSerializer
    query_class = PlanQuery
    list_visible = staticmethod(_plans_visible)
    list_actions = ("list",)
    list_shape = staticmethod(plan_list_shape)
    detail_queryset = staticmethod(plan_detail_queryset)
    detail_actions = ()
    action_related = ("organ", "type", "organizing_unit")
    http_method_names = PATCH_METHODS

    def _body(self, serializer_class) -> dict:
        return dict(valid(serializer_class, self.request.data, context={"request": self.request}))

    @extend_schema(parameters=[PlanQuery])
    def list(self, request, *args, **kwargs):
        """The entries the caller may see (by year, month, state and type), the latest year first."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PlanDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The entry with its 召开必要性, meetings, 流转记录 and ``offered``."""
        return self._respond(self.get_object())

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        """拟订 an entry (a 会务员 of the organ), 拟订 state."""
        data = self._body(PlanCreateSerializer)
        secrecy = PlanCreateSerializer.classification_arguments(data)
        plan = services.plan_create(actor=request.user, **data, **secrecy)
        return self._respond(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanEditSerializer, responses={200: PlanDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """修改 (the 会务员, while 拟订 or 已退回): only the fields sent change."""
        plan = self.get_object()
        data = self._body(PlanEditSerializer)
        return self._respond(services.plan_edit(actor=request.user, plan=plan, **data))

    @_step_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        """报批 to the 主要领导 (a meeting in the government's name)."""
        plan = self.get_object()
        self._body(EmptyBody)
        return self._respond(services.plan_submit(actor=request.user, plan=plan))

    @_step_schema(EmptyBody)
    @action(detail=True, methods=["post"], url_path="list", url_name="list-entry")
    def list_entry(self, request, *args, **kwargs):
        """列入计划 (a type not held in the government's name: no approval)."""
        plan = self.get_object()
        self._body(EmptyBody)
        return self._respond(services.plan_list(actor=request.user, plan=plan))

    @_step_schema(PlanOpinionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """批准 (the organ's 主要领导)."""
        plan = self.get_object()
        data = self._body(PlanOpinionSerializer)
        return self._respond(services.plan_approve(actor=request.user, plan=plan, **data))

    @_step_schema(PlanReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, *args, **kwargs):
        """退回 with the reason (the 主要领导)."""
        plan = self.get_object()
        data = self._body(PlanReturnSerializer)
        return self._respond(services.plan_return(actor=request.user, plan=plan, **data))

    @_step_schema(PlanDropSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request, *args, **kwargs):
        """撤销 with the reason (the 会务员; not under a meeting still on)."""
        plan = self.get_object()
        data = self._body(PlanDropSerializer)
        return self._respond(services.plan_drop(actor=request.user, plan=plan, **data))

    @_step_schema(AttachSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, *args, **kwargs):
        """A meeting of the organ and the type held under this entry (修改会议安排 of the meeting: its
        会务员, while 筹备中 or 已通知)."""
        plan = self.get_object()
        data = self._body(AttachSerializer)
        services.meeting_edit(actor=request.user, meeting=data["meeting"], plan=plan)
        return self._respond(plan)

    @_step_schema(UnplannedSerializer, status.HTTP_201_CREATED)
    @action(detail=False, methods=["post"])
    def unplanned(self, request, *args, **kwargs):
        """计划外报批: a meeting in the government's name without an entry gets one (计划外), linked
        to it and 报批 at once; the head's 批准 lets its notice go out. A meeting that needs no report
        (already under an approved or reported entry, or not in the government's name) is a 400."""
        data = self._body(UnplannedSerializer)
        try:
            plan = services.meeting_report_unplanned(actor=request.user, **data)
        except TransitionNotAllowed as refusal:  # the meeting named needs no report: its field is wrong
            raise serializers.ValidationError({"meeting": [refusal.message]}) from None
        return self._respond(plan, status.HTTP_201_CREATED)

    @extend_schema(parameters=[PlanFiguresQuery], responses={200: MeetingFiguresSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def figures(self, request, *args, **kwargs):
        """精文减会: the year's meetings against last year's by type, the video share, the 会议费 spent
        and budgeted, and the plan's execution, over what the caller may see."""
        year = query_of(PlanFiguresQuery, request)["year"]
        return Response(MeetingFiguresSerializer(meeting_figures(user=request.user, year=year)).data)


def register(route) -> None:
    """Register this module's viewsets (``route`` is ``office.api.routes.register``)."""
    route("meetings/plans", PlanViewSet, basename="meeting-plan")
