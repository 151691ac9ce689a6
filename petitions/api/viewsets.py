"""``PetitionCaseViewSet``: the 信访事项 the caller may see (the 信访台账, a case in full, 登记), its
repeat candidates and every move of ``rules.CASE`` as an action.

Thin over ``petitions.services`` (writes) and ``petitions.selectors`` (reads). A case comes from
``visible_to`` before any body is read, so one outside the caller's reach (a 检举控告 for whom it
accuses, among others) is a 404 whatever is sent; every answer carrying the case is written to the
access log (``audit.record``, at every level)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from office.api.helpers import FILE_ROUTE, query_of, valid
from office.api.serializers import EmptyBody
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.reminders import services as reminders
from office.uploads import download_response, files_kept_only_if_stored
from office.workflow.api import RecordViewSet
from petitions import selectors, services
from petitions.api import inputs
from petitions.api.serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    RepeatCandidateSerializer,
    ReplyAnswerSerializer,
)
from petitions.models import CasePetitioner, CaseReply, PetitionCase

ATTACHMENT_ROUTE = r"attachments/(?P<attachment_id>\d+)"
OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已不在该事项的知悉范围内（无内容）"))


def detail_queryset(cases):
    """Everything a detail shows but the clocks, in a fixed number of queries."""
    return cases.select_related(
        "organ",
        "category__parent",
        "area",
        "intake_unit",
        "handling_unit",
        "reviewing_unit",
        "registrar",
        "handler",
        "accused_unit",
        "accused_person",
        "repeat_of__organ",
        "merged_into__organ",
    ).prefetch_related(
        "involved_units",
        "events",
        "notes__written_by",
        "attachments__uploaded_by",
        Prefetch("replies", queryset=CaseReply.objects.select_related("written_by")),
        Prefetch(
            "petitioners",
            queryset=CasePetitioner.objects.select_related("petitioner").order_by("order", "id"),
            to_attr="row_petitioners",
        ),
    )


def action_schema(request_serializer, *, response=CaseDetailSerializer, summary: str = ""):
    return extend_schema(
        request=request_serializer, responses={200: response, 204: OUT_OF_REACH}, description=summary or None
    )


class CaseAnswerMixin:
    """A case in full as the answer: the detail, its clocks and links, and the access-log row."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request}

    def detail_context(self, case: PetitionCase) -> dict:
        links = [pk for pk in (case.repeat_of_id, case.merged_into_id) if pk]
        visible = set()
        if links:
            visible = set(
                PetitionCase.objects.visible_to(self.request.user).filter(pk__in=links).values_list("pk", flat=True)
            )
        return {"request": self.request, "clocks": reminders.deadlines_of(case), "visible_links": visible}

    def _respond(self, case: PetitionCase, status_code: int = status.HTTP_200_OK, *, serializer=None, **extra):
        """The case as it is now, from the caller's visible set; the read is written to the access
        log whatever its level (a 信访事项 is personal data even at 内部)."""
        visible = PetitionCase.objects.visible_to(self.request.user)
        case = detail_queryset(visible).filter(pk=case.pk).first()
        if case is None:  # the step took it out of the caller's reach (an objection, say)
            return Response(status=status.HTTP_204_NO_CONTENT)
        audit.record(self.request.user, AuditAction.VIEW, obj=case, request=self.request)
        context = {**self.detail_context(case), **extra}
        return Response((serializer or CaseDetailSerializer)(case, context=context).data, status=status_code)


class PetitionCaseViewSet(CaseAnswerMixin, RecordViewSet):
    """信访事项 the caller may see. Register one with ``POST``; move it with the actions; nothing is
    ever deleted."""

    model = PetitionCase
    serializer_class = CaseDetailSerializer
    list_serializer_class = CaseListSerializer
    query_class = inputs.CaseQuery
    list_visible = staticmethod(selectors.cases_visible)
    list_actions = ("list",)
    list_shape = staticmethod(selectors.ledger_rows)
    detail_queryset = staticmethod(detail_queryset)
    detail_actions = ()  # a detail answers through ``_respond``, which reads it in full
    http_method_names = ["get", "post", "head", "options"]

    # --- Reads ----------------------------------------------------------------------------------

    @extend_schema(parameters=[inputs.CaseQuery])
    def list(self, request, *args, **kwargs):
        """信访台账: the cases the caller may see, filtered and searched (never by a 信访人's identity)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: CaseDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The case with its 信访人 (masked unless the caller handles it), clocks, answers, notes,
        流转记录 and the steps the caller may take now (``offered``)."""
        return self._respond(self.get_object())

    @extend_schema(request=inputs.CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        """登记 (a 信访员): the 登记号 is given, the 15-day routing clock starts from the day received."""
        serializer = inputs.CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_register(actor=request.user, **serializer.service_arguments())
        return self._respond(case, status.HTTP_201_CREATED)

    @extend_schema(responses={200: RepeatCandidateSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def repeats(self, request, *args, **kwargs):
        """Possible repeats among the cases the caller may see (the same 信访人, or a similar matter):
        numbers, summaries and states only; a person confirms with ``link`` or ``merge``."""
        case = self.get_object()
        query_of(inputs.NoQuery, request)
        found = selectors.repeat_candidates(user=request.user, case=case)
        return Response(RepeatCandidateSerializer(found, many=True).data)

    # --- 分流 and the receiving organ's answer --------------------------------------------------

    @action_schema(inputs.PetitionRouteSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, *args, **kwargs):
        """分流 (the 信访员): 直接受理, 转送 or 交办 to a unit, 诉访分离 or 不再受理 with a notice."""
        case = self.get_object()
        data = valid(inputs.PetitionRouteSerializer, request.data)
        return self._respond(services.case_route(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionAcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """受理告知 (the receiving unit): its 60 days start today."""
        case = self.get_object()
        data = valid(inputs.PetitionAcceptSerializer, request.data)
        return self._respond(services.case_accept(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionReasonSerializer)
    @action(detail=True, methods=["post"])
    def object(self, request, *args, **kwargs):
        """异议 (the receiving unit, within 5 working days): the case goes back to be routed again."""
        case = self.get_object()
        data = valid(inputs.PetitionReasonSerializer, request.data)
        return self._respond(services.case_object(actor=request.user, case=case, **data))

    # --- 办理 -----------------------------------------------------------------------------------

    @action_schema(inputs.PetitionNoteSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, *args, **kwargs):
        """办理记录: 调查核实, 约谈 or another note."""
        case = self.get_object()
        data = valid(inputs.PetitionNoteSerializer, request.data)
        services.case_note(actor=request.user, case=case, **data)
        return self._respond(case)

    @action_schema(inputs.PetitionHearingSerializer)
    @action(detail=True, methods=["post"])
    def hearing(self, request, *args, **kwargs):
        """听证 begins: the stage's clock stops from ``on``."""
        case = self.get_object()
        data = valid(inputs.PetitionHearingSerializer, request.data)
        services.case_hearing(actor=request.user, case=case, **data)
        return self._respond(case)

    @action_schema(inputs.PetitionHearingEndSerializer)
    @action(detail=True, methods=["post"], url_path="hearing-end", url_name="hearing-end")
    def hearing_end(self, request, *args, **kwargs):
        """听证 ends: the clock runs again with the paused days added back."""
        case = self.get_object()
        data = valid(inputs.PetitionHearingEndSerializer, request.data)
        services.case_hearing_end(actor=request.user, case=case, **data)
        return self._respond(case)

    @action_schema(inputs.PetitionAskExtensionSerializer)
    @action(detail=True, methods=["post"], url_path="ask-extension", url_name="ask-extension")
    def ask_extension(self, request, *args, **kwargs):
        """延期申请 (the 承办单位) to its organ head, who decides with ``extend``."""
        case = self.get_object()
        data = valid(inputs.PetitionAskExtensionSerializer, request.data)
        return self._respond(services.case_ask_extension(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        """批准延期 (the organ head): the one extension, at most 30 days, with its 延期告知."""
        case = self.get_object()
        data = valid(inputs.PetitionExtendSerializer, request.data)
        return self._respond(services.case_extend(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionReplySerializer, response=ReplyAnswerSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, *args, **kwargs):
        """答复意见 and its 答复意见书, a 信函 draft (``draft_document``) to 核稿 and 签发 in documents
        before ``serve``."""
        case = self.get_object()
        data = valid(inputs.PetitionReplySerializer, request.data)
        answer = services.case_reply(actor=request.user, case=case, **data)
        return self._respond(case, serializer=ReplyAnswerSerializer, draft_document=answer.document_id)

    @action_schema(inputs.PetitionServeSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request, *args, **kwargs):
        """送达 of the signed 答复意见书: the stage's clock is met; the 信访人's 30 days begin."""
        case = self.get_object()
        data = valid(inputs.PetitionServeSerializer, request.data)
        return self._respond(services.case_serve(actor=request.user, case=case, **data))

    # --- After the answer -----------------------------------------------------------------------

    @action_schema(inputs.PetitionReviewRequestSerializer)
    @action(detail=True, methods=["post"], url_path="review-request", url_name="review-request")
    def review_request(self, request, *args, **kwargs):
        """复查 (then 复核) asked by the 信访人 within his 30 days, to the next-higher organ."""
        case = self.get_object()
        data = valid(inputs.PetitionReviewRequestSerializer, request.data)
        return self._respond(services.case_review_request(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionRateSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, *args, **kwargs):
        """满意度评价 as the 信访人 gave it, with the 回访 record."""
        case = self.get_object()
        data = valid(inputs.PetitionRateSerializer, request.data)
        return self._respond(services.case_rate(actor=request.user, case=case, **data))

    @action_schema(EmptyBody)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """办结: once rated, the window passed, or the 复核 answered."""
        case = self.get_object()
        valid(EmptyBody, request.data)
        return self._respond(services.case_close(actor=request.user, case=case))

    @action_schema(inputs.PetitionArchiveSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        """归档 of an ended case with its 保管期限."""
        case = self.get_object()
        data = valid(inputs.PetitionArchiveSerializer, request.data)
        return self._respond(services.case_archive(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionLinkSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, *args, **kwargs):
        """关联重复件: this case repeats ``original`` (a case the caller sees)."""
        case = self.get_object()
        data = valid(inputs.PetitionLinkSerializer, request.data, context={"request": request})
        return self._respond(services.case_link(actor=request.user, case=case, **data))

    @action_schema(inputs.PetitionMergeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        """并案: this case is answered with ``into``."""
        case = self.get_object()
        data = valid(inputs.PetitionMergeSerializer, request.data, context={"request": request})
        return self._respond(services.case_merge(actor=request.user, case=case, **data))

    @extend_schema(
        request={"multipart/form-data": inputs.PetitionAttachSerializer},
        responses={200: CaseDetailSerializer, 204: OUT_OF_REACH},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request, *args, **kwargs):
        """上传材料 (multipart ``file``, optional ``name``): checked by its bytes, refused above the
        classification ceiling; the 信访员 or the 承办单位."""
        case = self.get_object()
        data = valid(inputs.PetitionAttachSerializer, request.data)
        with files_kept_only_if_stored() as keep:
            keep(services.case_attach(actor=request.user, case=case, upload=data["file"], name=data["name"]).file)
        return self._respond(case)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>\d+)",
        url_name="attachment",
        **FILE_ROUTE,
    )
    def attachment(self, request, attachment_id=None, *args, **kwargs):
        """Download one paper of a visible case; logged; never for 绝密."""
        case = self.get_object()
        found = case.attachments.filter(pk=attachment_id).first()
        if found is None:
            raise exceptions.NotFound()
        if case.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(gettext_lazy("绝密信访事项的材料只能在屏幕上阅读，不能下载。"))
        audit.record(request.user, AuditAction.DOWNLOAD, obj=case, request=request)
        return download_response(found.file, name=found.name)

    @action_schema(inputs.PetitionInstructSerializer)
    @action(detail=True, methods=["post"])
    def instruct(self, request, *args, **kwargs):
        """领导批示 (a leader inside the 知悉范围); with ``supervise`` a 督办 item is opened from it."""
        case = self.get_object()
        data = valid(inputs.PetitionInstructSerializer, request.data)
        services.case_instruct(actor=request.user, case=case, **data)
        return self._respond(case)
