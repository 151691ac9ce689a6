"""``ProposalViewSet`` (``petitions/proposals/``) and ``ProposalSessionViewSet`` (``petitions/proposal-sessions/``).

An item comes from ``visible_to`` before any body is read, so one outside the caller's reach is a
404 whatever is sent."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from office.api.helpers import query_of, valid
from office.api.serializers import EmptyBody
from office.confidentiality.visibility import person_of
from office.reminders import services as reminders
from office.workflow.api import RecordViewSet
from petitions.proposals import exports, imports, selectors
from petitions.proposals import services as proposals
from petitions.proposals.api.inputs import (
    ProposalAdjustDecideSerializer,
    ProposalAdjustRequestSerializer,
    ProposalAssignSerializer,
    ProposalContactSerializer,
    ProposalExtendSerializer,
    ProposalFiguresQuery,
    ProposalImportSerializer,
    ProposalOpinionSerializer,
    ProposalQuery,
    ProposalRateSerializer,
    ProposalRehandleSerializer,
    ProposalReplySerializer,
    ProposalSendSerializer,
    ProposalSessionCreateSerializer,
)
from petitions.proposals.api.serializers import (
    ProposalDetailSerializer,
    ProposalFigureRowSerializer,
    ProposalListSerializer,
    ProposalSessionSerializer,
    action_schema,
    detail_queryset,
)
from petitions.proposals.models import (
    AssignmentState,
    Proposal,
    ProposalAssignment,
    ProposalSession,
)
from petitions.proposals.rules import PROPOSAL


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
