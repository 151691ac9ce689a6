"""``/api/v1/petitions/``: 建议提案 — ``proposals/`` (the 建议提案台账, an item in full with its 提出人,
shares, clocks and 流转记录, the 导入 at the 交办会, every step of ``rules.PROPOSAL`` as an action, and
the figures) and ``proposal-sessions/`` (届次会次).

Thin over ``petitions.proposals.services`` (writes) and ``selectors`` / ``exports`` (reads):
serializers check shape, services check rules. An item outside the caller's reach is a 404 on its
detail and every action, and absent from the list, its count and the figures."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from documents.models import DocumentSeries
from office.api.helpers import query_of, valid
from office.api.serializers import EmptyBody, StrictFieldsMixin
from office.confidentiality.visibility import person_of
from office.org.models import Person, Unit
from office.reminders import services as reminders
from office.workflow.api import RecordViewSet
from petitions.api.serializers import ClockSerializer
from petitions.disclosure.api.serializers import EventSerializer, offers_of
from petitions.proposals import exports, imports, selectors
from petitions.proposals import services as proposals
from petitions.proposals.models import (
    AssignmentState,
    Body,
    ContactMethod,
    Mode,
    Proposal,
    ProposalAssignment,
    ProposalContact,
    ProposalKind,
    ProposalSession,
    ProposalState,
    ResultCode,
    Satisfaction,
)
from petitions.proposals.rules import PROPOSAL

OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已不在该建议提案的知悉范围内（无内容）"))

# --- What the caller sends --------------------------------------------------------------------------


class ProposalQuery(StrictFieldsMixin, serializers.Serializer):
    """The 建议提案台账's filters (``selectors.proposals_visible``); unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    session = serializers.IntegerField(min_value=1, required=False)
    kind = serializers.ChoiceField(choices=ProposalKind.choices, required=False)
    state = serializers.ChoiceField(choices=ProposalState.choices, required=False)
    key = serializers.BooleanField(required=False, allow_null=True, default=None)
    unit = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy("承办单位（任一承办方式）"))
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(
        max_length=200, required=False, help_text=gettext_lazy("全文检索：编号、案由、内容、提出人")
    )

    def validate(self, data):
        return {name: value for name, value in data.items() if value is not None}


class ProposalFiguresQuery(StrictFieldsMixin, serializers.Serializer):
    framework_parameters = frozenset({"format"})

    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False)


class ProposalImportSerializer(StrictFieldsMixin, serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=ProposalSession.objects.all())
    rows = serializers.ListField(
        child=serializers.DictField(), required=False, max_length=2000, help_text=gettext_lazy("JSON 行")
    )
    file = serializers.FileField(required=False, help_text=gettext_lazy(".xlsx 或 .json 文件（multipart）"))

    def validate(self, data):
        if bool(data.get("rows")) == bool(data.get("file")):
            raise serializers.ValidationError({"rows": [_("请提供 rows 或上传一个文件（二选一）。")]})
        return data


class ProposalAssignSerializer(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    assist_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    split_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    key = serializers.BooleanField(required=False, default=False)
    leading_leader = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )
    on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("交办日期，默认今天"))


class ProposalAdjustRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    suggested_unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ProposalShareSerializer(StrictFieldsMixin, serializers.Serializer):
    share = serializers.IntegerField(min_value=1, help_text=gettext_lazy("承办单位（shares[].id）"))


class ProposalAdjustDecideSerializer(ProposalShareSerializer):
    agree = serializers.BooleanField()
    new_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalOpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ProposalContactSerializer(StrictFieldsMixin, serializers.Serializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    on = serializers.DateField()
    people = serializers.CharField(max_length=200)
    view = serializers.CharField(max_length=5000)
    leader_visit = serializers.BooleanField(required=False, default=False)


class ProposalReplySerializer(StrictFieldsMixin, serializers.Serializer):
    result_code = serializers.ChoiceField(choices=ResultCode.choices)
    text = serializers.CharField(max_length=20000)
    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.filter(active=True))
    promised_on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("B、C类：承诺解决时间"))


class ProposalSendSerializer(StrictFieldsMixin, serializers.Serializer):
    on = serializers.DateField(help_text=gettext_lazy("送达日期"))


class ProposalExtendSerializer(StrictFieldsMixin, serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField(max_length=2000)


class ProposalRateSerializer(ProposalShareSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalRehandleSerializer(ProposalShareSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposalSessionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    body = serializers.ChoiceField(choices=Body.choices)
    name = serializers.CharField(max_length=60)
    year = serializers.IntegerField(min_value=1949, max_value=2999)
    recipient_office = serializers.CharField(max_length=60)


# --- The answers ------------------------------------------------------------------------------------


class ProposalSessionSerializer(serializers.ModelSerializer):
    body_label = serializers.CharField(source="get_body_display", read_only=True)

    class Meta:
        model = ProposalSession
        fields = ["id", "organ", "body", "body_label", "name", "year", "recipient_office"]
        read_only_fields = fields


class ProposalContactViewSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    written_by_name = serializers.CharField(source="written_by.name", read_only=True)

    class Meta:
        model = ProposalContact
        fields = ["id", "method", "method_label", "on", "people", "view", "leader_visit", "written_by_name"]
        read_only_fields = fields


class ProposalShareViewSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    result_code_label = serializers.CharField(source="get_result_code_display", read_only=True)
    satisfaction_label = serializers.CharField(source="get_satisfaction_display", read_only=True)
    liaison_name = serializers.CharField(source="liaison.name", read_only=True, default=None, allow_null=True)
    contacts = ProposalContactViewSerializer(many=True, read_only=True)

    class Meta:
        model = ProposalAssignment
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "role_label",
            "state",
            "state_label",
            "liaison",
            "liaison_name",
            "assigned_on",
            "due",
            "adjust_reason",
            "adjust_suggested_unit",
            "opinion",
            "opinion_on",
            "result_code",
            "result_code_label",
            "reply_text",
            "promised_on",
            "document",
            "replied_on",
            "replied_on_time",
            "satisfaction",
            "satisfaction_label",
            "rated_on",
            "rehandle_count",
            "follow_up",
            "contacts",
        ]
        read_only_fields = fields


class ProposalListSerializer(serializers.ModelSerializer):
    """A row of the 建议提案台账."""

    session_name = serializers.CharField(source="session.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "session",
            "session_name",
            "kind",
            "kind_label",
            "number",
            "title",
            "lead_proposer",
            "delegation",
            "submitted_on",
            "assigned_on",
            "mode",
            "mode_label",
            "key",
            "state",
            "state_label",
            "due",
        ]
        read_only_fields = fields


class ProposalSignerSerializer(serializers.Serializer):
    name = serializers.CharField()
    delegation = serializers.CharField()
    lead = serializers.BooleanField()


class ProposalDetailSerializer(ProposalListSerializer):
    """The whole item as the caller may see it, with the steps he may take now (``offered``)."""

    content = serializers.CharField(read_only=True)
    leading_leader_name = serializers.CharField(
        source="leading_leader.name", read_only=True, default=None, allow_null=True
    )
    intake_unit_name = serializers.CharField(source="intake_unit.name", read_only=True)
    signers = ProposalSignerSerializer(many=True, read_only=True)
    shares = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "content",
            "leading_leader",
            "leading_leader_name",
            "intake_unit",
            "intake_unit_name",
            "closed_at",
            "signers",
            "shares",
            "clocks",
            "events",
            "offered",
        ]
        read_only_fields = fields

    def get_shares(self, proposal) -> list[dict]:
        live = [a for a in proposal.assignments.all() if a.state != AssignmentState.WITHDRAWN]
        return ProposalShareViewSerializer(live, many=True).data

    def get_clocks(self, proposal) -> list[dict]:
        return ClockSerializer(self.context.get("clocks", []), many=True).data

    def get_offered(self, proposal) -> list[dict]:
        return offers_of(PROPOSAL, self.context["request"].user, proposal)


class ProposalFigureRowSerializer(serializers.Serializer):
    """One 承办单位's figures for the year (``unit`` null: the 合计 row); rates are 0–1, null without a base."""

    unit = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    lead = serializers.IntegerField()
    assist = serializers.IntegerField()
    split = serializers.IntegerField()
    answering = serializers.IntegerField()
    reckoned = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    contacted = serializers.IntegerField()
    contact_rate = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)
    coded = serializers.IntegerField()
    a_class = serializers.IntegerField()
    a_rate = serializers.FloatField(allow_null=True)
    rehandled = serializers.IntegerField()


def detail_queryset(items):
    return items.select_related("session", "intake_unit", "leading_leader").prefetch_related(
        "signers",
        "events",
        Prefetch(
            "assignments",
            queryset=ProposalAssignment.objects.select_related("unit", "liaison").prefetch_related(
                "contacts__written_by"
            ),
        ),
    )


def action_schema(request_serializer, *, summary: str = ""):
    return extend_schema(
        request=request_serializer,
        responses={200: ProposalDetailSerializer, 204: OUT_OF_REACH},
        description=summary or None,
    )


# --- The viewsets -----------------------------------------------------------------------------------


class ProposalViewSet(RecordViewSet):
    """建议提案 the caller may see. Imported in batches (``import``), moved by the actions; nothing is
    ever deleted."""

    model = Proposal
    serializer_class = ProposalDetailSerializer
    list_serializer_class = ProposalListSerializer
    query_class = ProposalQuery
    list_visible = staticmethod(selectors.proposals_visible)
    list_actions = ("list",)
    list_shape = staticmethod(lambda items: items.select_related("session"))
    detail_queryset = staticmethod(detail_queryset)
    detail_actions = ()
    http_method_names = ["get", "post", "head", "options"]

    def _respond(self, record, status_code: int = status.HTTP_200_OK):
        """The item as it is now, re-read from the caller's visible set."""
        record = detail_queryset(Proposal.objects.visible_to(self.request.user)).filter(pk=record.pk).first()
        if record is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        context = {"request": self.request, "clocks": reminders.deadlines_of(record)}
        return Response(ProposalDetailSerializer(record, context=context).data, status=status_code)

    def _share(self, record: Proposal, step: str, share_id: int) -> ProposalAssignment:
        share = record.assignments.filter(pk=share_id).exclude(state=AssignmentState.WITHDRAWN).first()
        if share is None:
            PROPOSAL.check(self.request.user, record, step)  # no step to take at all: 403 or 409 first
            raise exceptions.ValidationError({"share": [_("本建议提案没有这个承办单位。")]})
        return share

    @extend_schema(parameters=[ProposalQuery])
    def list(self, request, *args, **kwargs):
        """建议提案台账: the items the caller may see, filtered and searched."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ProposalDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The item with its 提出人, shares (each unit's state, clock, answer, rating and contacts),
        clocks, 流转记录 and ``offered``."""
        return self._respond(self.get_object())

    @extend_schema(
        request={"application/json": ProposalImportSerializer, "multipart/form-data": ProposalImportSerializer},
        responses={201: ProposalListSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[JSONParser, MultiPartParser],
        pagination_class=None,
    )
    def import_rows(self, request, *args, **kwargs):
        """导入 (a 督查员 of the 交办部门): JSON rows or an .xlsx/.json file, all or nothing (400 with
        ``rows: ["第3行：…"]``)."""
        if not proposals.may_import(request.user):
            raise exceptions.PermissionDenied(_("建议提案由交办部门的督查员导入。"))
        data = valid(ProposalImportSerializer, request.data)
        session = data["session"]
        person = person_of(request.user)
        if session.organ_id not in person.units():
            raise exceptions.ValidationError({"session": [_("请选择本机关的届次会次。")]})
        rows = imports.parse_rows(data["file"]) if data.get("file") else data["rows"]
        made = proposals.proposals_import(actor=request.user, session=session, rows=rows)
        return Response(ProposalListSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ProposalFiguresQuery], responses={200: ProposalFigureRowSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def figures(self, request, *args, **kwargs):
        """Figures per 承办单位 for the year (the visible items only), then the 合计 row."""
        year = query_of(ProposalFiguresQuery, request).get("year") or timezone.localdate().year
        rows = exports.proposal_figures(user=request.user, year=year)
        rows = [{**row, "unit": row["unit"].pk if row["unit"] else None} for row in rows]
        return Response(ProposalFigureRowSerializer(rows, many=True).data)

    @action_schema(ProposalAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, *args, **kwargs):
        """交办: 主办 (+ 会办) or 分办; each answering unit's 3 months and each 会办's 1 month start."""
        record = self.get_object()
        data = valid(ProposalAssignSerializer, request.data)
        return self._respond(proposals.proposal_assign(actor=request.user, proposal=record, **data))

    @action_schema(ProposalAdjustRequestSerializer)
    @action(detail=True, methods=["post"], url_path="adjust-request", url_name="adjust-request")
    def adjust_request(self, request, *args, **kwargs):
        """调整申请 by the unit, within the working days after 交办, once."""
        record = self.get_object()
        data = valid(ProposalAdjustRequestSerializer, request.data)
        proposals.proposal_adjust_request(actor=request.user, proposal=record, **data)
        return self._respond(record)

    @action_schema(ProposalAdjustDecideSerializer)
    @action(detail=True, methods=["post"], url_path="adjust-decide", url_name="adjust-decide")
    def adjust_decide(self, request, *args, **kwargs):
        """审定调整 (the office): agree (``new_unit`` takes the share, with fresh clocks) or refuse."""
        record = self.get_object()
        data = dict(valid(ProposalAdjustDecideSerializer, request.data))
        share = self._share(record, "adjust_decide", data.pop("share"))
        return self._respond(proposals.proposal_adjust_decide(actor=request.user, proposal=record, share=share, **data))

    @action_schema(ProposalOpinionSerializer)
    @action(detail=True, methods=["post"], url_path="assist-opinion", url_name="assist-opinion")
    def assist_opinion(self, request, *args, **kwargs):
        """会办意见 to the 主办 (a 会办 unit)."""
        record = self.get_object()
        data = valid(ProposalOpinionSerializer, request.data)
        proposals.proposal_assist_opinion(actor=request.user, proposal=record, **data)
        return self._respond(record)

    @action_schema(ProposalContactSerializer)
    @action(detail=True, methods=["post"])
    def contact(self, request, *args, **kwargs):
        """沟通联系 with the proposer (the gate before the 答复件)."""
        record = self.get_object()
        data = valid(ProposalContactSerializer, request.data)
        proposals.proposal_contact(actor=request.user, proposal=record, **data)
        return self._respond(record)

    @action_schema(ProposalReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, *args, **kwargs):
        """拟写答复件: a 函 draft in a letter-format series, with the result code (B/C: a promised date)."""
        record = self.get_object()
        data = valid(ProposalReplySerializer, request.data)
        proposals.proposal_reply(actor=request.user, proposal=record, **data)
        return self._respond(record)

    @action_schema(ProposalSendSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, *args, **kwargs):
        """答复送达 once the 答复件 is signed and registered; a B/C answer opens its 督办 item."""
        record = self.get_object()
        data = valid(ProposalSendSerializer, request.data)
        return self._respond(proposals.proposal_send(actor=request.user, proposal=record, **data))

    @action_schema(ProposalExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        """批准延期 (the office): once, up to 6 months from 交办 in all, before the clock runs out."""
        record = self.get_object()
        data = valid(ProposalExtendSerializer, request.data)
        return self._respond(proposals.proposal_extend(actor=request.user, proposal=record, **data))

    @action_schema(ProposalRateSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, *args, **kwargs):
        """登记征询意见 of an answer; 不满意 on a first answer starts 二次办理."""
        record = self.get_object()
        data = dict(valid(ProposalRateSerializer, request.data))
        share = self._share(record, "rate", data.pop("share"))
        proposals.proposal_rate(actor=request.user, proposal=record, share=share, **data)
        return self._respond(record)

    @action_schema(ProposalRehandleSerializer)
    @action(detail=True, methods=["post"])
    def rehandle(self, request, *args, **kwargs):
        """二次办理 of an answer the proposers are 不满意 with (1 month)."""
        record = self.get_object()
        data = dict(valid(ProposalRehandleSerializer, request.data))
        share = self._share(record, "rehandle", data.pop("share"))
        proposals.proposal_rehandle(actor=request.user, proposal=record, share=share, **data)
        return self._respond(record)

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """办结 (the office), once every answer is sent and rated."""
        record = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(proposals.proposal_close(actor=request.user, proposal=record))


class ProposalSessionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """届次会次 of the caller's organ; a 督查员 of the 交办部门 creates one before an 导入."""

    serializer_class = ProposalSessionSerializer
    pagination_class = None
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        person = person_of(self.request.user)
        if person is None:
            return ProposalSession.objects.none()
        return ProposalSession.objects.filter(organ__in=person.units())

    @extend_schema(request=ProposalSessionCreateSerializer, responses={201: ProposalSessionSerializer})
    def create(self, request, *args, **kwargs):
        if not proposals.may_import(request.user):
            raise exceptions.PermissionDenied(_("届次会次由交办部门的督查员建立。"))
        data = valid(ProposalSessionCreateSerializer, request.data)
        session = proposals.session_create(actor=request.user, **data)
        return Response(ProposalSessionSerializer(session).data, status=status.HTTP_201_CREATED)


def register() -> None:
    """Register this package's viewsets with ``office.api.routes.register``."""
    from office.api.routes import register as route

    route("petitions/proposals", ProposalViewSet, basename="proposal")
    route("petitions/proposal-sessions", ProposalSessionViewSet, basename="proposal-session")
