"""``DisclosureRequestViewSet``: the 政府信息公开申请 the caller may see (the 依申请公开台账, a request in
full, 登记), every step of ``rules.REQUEST`` as an action, and the 已主动公开 search.

Thin over ``petitions.disclosure.services`` (writes) and ``petitions.disclosure.selectors`` (reads).
A request comes from ``visible_to`` before any body is read, so one outside the caller's reach is a
404 whatever is sent; every answer carrying a request is written to the access log (it holds an
applicant's personal data, at every level)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from documents.models import OutgoingDocument
from office.api.helpers import query_of, valid
from office.api.serializers import EmptyBody
from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.reminders import services as reminders
from office.workflow.api import RecordViewSet
from petitions.disclosure import selectors
from petitions.disclosure import services as disclosure
from petitions.disclosure.api import inputs
from petitions.disclosure.api.serializers import (
    AlreadyPublicSerializer,
    AnswerDraftSerializer,
    ConsultationAnswerSerializer,
    RequestDetailSerializer,
    RequestListSerializer,
)
from petitions.disclosure.models import DisclosureRequest, SecrecyReview
from petitions.disclosure.rules import REQUEST

ALREADY_PUBLIC_LIMIT = 50
OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已不在该申请的知悉范围内（无内容）"))


def detail_queryset(requests):
    """Everything a detail shows but the clocks, in a fixed number of queries."""
    return requests.select_related(
        "organ", "intake_unit", "holding_unit", "handler", "registrar", "secrecy_reviewer"
    ).prefetch_related(
        "events",
        "consultations__written_by",
        Prefetch("secrecy_reviews", queryset=SecrecyReview.objects.select_related("reviewer")),
        Prefetch("requested_documents", queryset=OutgoingDocument.objects.select_related("number")),
    )


def list_shape(requests):
    return requests.select_related("intake_unit", "handler", "organ")


def action_schema(request_serializer, *, response=RequestDetailSerializer, summary: str = ""):
    return extend_schema(
        request=request_serializer, responses={200: response, 204: OUT_OF_REACH}, description=summary or None
    )


class DisclosureRequestViewSet(RecordViewSet):
    """政府信息公开申请 the caller may see. Register one with ``POST``; move it with the actions;
    nothing is ever deleted."""

    model = DisclosureRequest
    serializer_class = RequestDetailSerializer
    list_serializer_class = RequestListSerializer
    query_class = inputs.RequestQuery
    list_visible = staticmethod(selectors.requests_visible)
    list_actions = ("list",)
    list_shape = staticmethod(list_shape)
    detail_queryset = staticmethod(detail_queryset)
    detail_actions = ()  # a detail answers through ``_respond``, which reads it in full
    http_method_names = ["get", "post", "head", "options"]

    def detail_context(self, record: DisclosureRequest) -> dict:
        asked = [d.pk for d in record.requested_documents.all()]
        readable = set()
        if asked:
            readable = set(
                OutgoingDocument.objects.visible_to(self.request.user).filter(pk__in=asked).values_list("pk", flat=True)
            )
        return {"request": self.request, "clocks": reminders.deadlines_of(record), "readable_documents": readable}

    def _respond(self, record, status_code: int = status.HTTP_200_OK, *, serializer=None, **extra):
        """The request as it is now, from the caller's visible set; the read is logged whatever its
        level (an applicant's identity is personal data even at 内部)."""
        visible = DisclosureRequest.objects.visible_to(self.request.user)
        record = detail_queryset(visible).filter(pk=record.pk).first()
        if record is None:  # the step took it out of the caller's reach
            return Response(status=status.HTTP_204_NO_CONTENT)
        audit.record(self.request.user, AuditAction.VIEW, obj=record, request=self.request)
        context = {**self.detail_context(record), **extra}
        return Response((serializer or RequestDetailSerializer)(record, context=context).data, status=status_code)

    # --- Reads ----------------------------------------------------------------------------------

    @extend_schema(parameters=[inputs.RequestQuery])
    def list(self, request, *args, **kwargs):
        """依申请公开台账: the requests the caller may see, filtered and searched."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: RequestDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The request with its applicant, clocks (with how each due date was counted), 征求意见,
        保密审查, 流转记录 and the steps the caller may take now (``offered``)."""
        return self._respond(self.get_object())

    @extend_schema(request=inputs.RequestCreateSerializer, responses={201: RequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        """登记 (a 政务公开员): the 登记号 is given; 当面 and 邮寄 start the 20 working days and the 7
        of 补正 at once, 网络 and 传真 once both sides confirm (``confirm``)."""
        data = valid(inputs.RequestCreateSerializer, request.data, context={"request": request})
        record = disclosure.request_register(actor=request.user, **data)
        return self._respond(record, status.HTTP_201_CREATED)

    @extend_schema(parameters=[inputs.AlreadyPublicQuery], responses={200: AlreadyPublicSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="already-public", url_name="already-public", pagination_class=None)
    def already_public(self, request, *args, **kwargs):
        """已主动公开: the 发文 the caller may read that are 主动公开 and match the words, newest first
        (at most ``ALREADY_PUBLIC_LIMIT``) — to answer a request with 已主动公开 and where."""
        query = query_of(inputs.AlreadyPublicQuery, request)
        found = disclosure.already_public(user=request.user, text=query["q"]).select_related("number")
        return Response(AlreadyPublicSerializer(found[:ALREADY_PUBLIC_LIMIT], many=True).data)

    # --- Receipt and 补正 ------------------------------------------------------------------------

    @action_schema(inputs.ConfirmSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        """确认收到 (网络、传真): both sides confirmed on ``on``; the clocks start from that day."""
        record = self.get_object()
        data = valid(inputs.ConfirmSerializer, request.data)
        return self._respond(disclosure.request_confirm(actor=request.user, request=record, **data))

    @action_schema(inputs.CorrectSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, *args, **kwargs):
        """告知补正 (once, within 7 working days): the answer clock stops, and restarts whole on the
        day the 补正 arrives."""
        record = self.get_object()
        data = valid(inputs.CorrectSerializer, request.data)
        return self._respond(disclosure.request_correct(actor=request.user, request=record, **data))

    @action_schema(inputs.ReceiveCorrectionSerializer)
    @action(detail=True, methods=["post"], url_path="receive-correction", url_name="receive-correction")
    def receive_correction(self, request, *args, **kwargs):
        """收到补正: the 20 working days run again from ``on``."""
        record = self.get_object()
        data = valid(inputs.ReceiveCorrectionSerializer, request.data)
        return self._respond(disclosure.request_receive_correction(actor=request.user, request=record, **data))

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def abandon(self, request, *args, **kwargs):
        """视为放弃: the 补正期限 passed without a 补正; the clocks are cancelled."""
        record = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(disclosure.request_abandon(actor=request.user, request=record))

    # --- 办理 -----------------------------------------------------------------------------------

    @action_schema(inputs.ConsultSerializer, response=ConsultationAnswerSerializer)
    @action(detail=True, methods=["post"])
    def consult(self, request, *args, **kwargs):
        """征求意见 of a third party (15 working days to answer) or another organ: the answer clock
        stops meanwhile."""
        record = self.get_object()
        data = valid(inputs.ConsultSerializer, request.data)
        made = disclosure.request_consult(actor=request.user, request=record, **data)
        return self._respond(record, serializer=ConsultationAnswerSerializer, consultation=made.pk)

    @action_schema(inputs.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, *args, **kwargs):
        """登记意见 of one consultation; the answer clock runs again once none is open."""
        record = self.get_object()
        data = dict(valid(inputs.OpinionSerializer, request.data))
        consultation = record.consultations.filter(pk=data.pop("consultation")).first()
        if consultation is None:
            REQUEST.check(request.user, record, "opinion")  # no step to take at all: 403 or 409 first
            raise exceptions.ValidationError({"consultation": [_("本申请没有这条征求意见。")]})
        disclosure.request_opinion(actor=request.user, request=record, consultation=consultation, **data)
        return self._respond(record)

    @action_schema(inputs.ExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        """批准延期 (the 公开工作机构负责人): once, at most 20 working days, before the clock runs out."""
        record = self.get_object()
        data = valid(inputs.ExtendSerializer, request.data)
        return self._respond(disclosure.request_extend(actor=request.user, request=record, **data))

    @action_schema(inputs.AskReviewSerializer)
    @action(detail=True, methods=["post"], url_path="ask-review", url_name="ask-review")
    def ask_review(self, request, *args, **kwargs):
        """送保密审查 to a 保密员 of the organ cleared for the 公文 asked for."""
        record = self.get_object()
        data = valid(inputs.AskReviewSerializer, request.data)
        return self._respond(disclosure.request_ask_review(actor=request.user, request=record, **data))

    @action_schema(inputs.SecrecyReviewSerializer)
    @action(detail=True, methods=["post"], url_path="secrecy-review", url_name="secrecy-review")
    def secrecy_review(self, request, *args, **kwargs):
        """保密审查 (the 保密员 it was sent to): 可以公开, 删除涉密内容后可以公开 or 不得公开."""
        record = self.get_object()
        data = valid(inputs.SecrecyReviewSerializer, request.data)
        disclosure.request_secrecy_review(actor=request.user, request=record, **data)
        return self._respond(record)

    @action_schema(inputs.FeeSerializer)
    @action(detail=True, methods=["post"])
    def fee(self, request, *args, **kwargs):
        """信息处理费: the 收费通知 (its 缴费期限 follows), then the payment."""
        record = self.get_object()
        data = valid(inputs.FeeSerializer, request.data)
        return self._respond(disclosure.request_fee(actor=request.user, request=record, **data))

    @action_schema(inputs.AbnormalSerializer)
    @action(detail=True, methods=["post"])
    def abnormal(self, request, *args, **kwargs):
        """数量、频次明显超过合理范围: recorded with the reasons asked of the applicant."""
        record = self.get_object()
        data = valid(inputs.AbnormalSerializer, request.data)
        return self._respond(disclosure.request_abnormal(actor=request.user, request=record, **data))

    # --- The answer -----------------------------------------------------------------------------

    @action_schema(inputs.AnswerSerializer, response=AnswerDraftSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """拟写告知书: the answer and its 告知书, a 信函 draft (``draft_document``) to 核稿 and 签发 in
        documents before ``deliver``."""
        record = self.get_object()
        data = valid(inputs.AnswerSerializer, request.data)
        answered = disclosure.request_answer(actor=request.user, request=record, **data)
        return self._respond(answered, serializer=AnswerDraftSerializer, draft_document=answered.document_id)

    @action_schema(inputs.DeliverSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, *args, **kwargs):
        """送达 of the signed 告知书: the day of 送达 is the day of the answer; the clock is met."""
        record = self.get_object()
        data = valid(inputs.DeliverSerializer, request.data)
        return self._respond(disclosure.request_deliver(actor=request.user, request=record, **data))

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """办结: after the 送达, or unanswered when the fee was not paid in time."""
        record = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(disclosure.request_close(actor=request.user, request=record))

    @action_schema(inputs.OutcomeSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, *args, **kwargs):
        """行政复议、行政诉讼 results (for the 年度报告)."""
        record = self.get_object()
        data = valid(inputs.OutcomeSerializer, request.data)
        return self._respond(disclosure.request_outcome(actor=request.user, request=record, **data))
