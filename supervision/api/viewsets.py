"""``SupervisionItemViewSet``: the items the caller may see (list, detail, 立项), their attachments
and the 督办台账 export, the figures, scores, overdue list and 我的督办 — with the workflow moves
(``workflow``) and the drafts (``drafts``) mixed in."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from office.api.helpers import FILE_ROUTE, XLSX, export_register, query_of
from office.api.serializers import ListQuery
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.uploads import download_response
from office.workflow.api import RecordViewSet
from supervision import exports, selectors, services
from supervision.api.drafts import DraftActionsMixin
from supervision.api.inputs import FiguresQuery, ItemCreateSerializer, ItemQuery, NoQuery, ScoresQuery
from supervision.api.querysets import detail_queryset, list_queryset
from supervision.api.serializers import (
    ExtensionRowSerializer,
    FiguresSerializer,
    ItemDetailSerializer,
    ItemListSerializer,
    MineSerializer,
    ScoreSerializer,
    TaskRowSerializer,
)
from supervision.api.workflow import WorkflowActionsMixin
from supervision.models import ReportAttachment, SupervisionItem, SupervisionTask

QUEUE_SIZE = 50


class SupervisionItemViewSet(WorkflowActionsMixin, DraftActionsMixin, RecordViewSet):
    """Supervised items the caller may see. Open one with ``POST``; move it with the actions; nothing
    is ever deleted (cancel it with a reason)."""

    model = SupervisionItem
    serializer_class = ItemDetailSerializer
    list_serializer_class = ItemListSerializer
    query_class = ItemQuery
    list_visible = staticmethod(selectors.items_visible)
    list_actions = ("list", "ledger")
    list_shape = staticmethod(list_queryset)
    detail_queryset = staticmethod(detail_queryset)
    detail_actions = ()  # a detail answers through ``_respond``, which reads it in full
    http_method_names = ["get", "post", "head", "options"]

    def detail_context(self, item: SupervisionItem) -> dict:
        return {
            "request": self.request,
            "tasks": list(selectors.item_tasks_in_full(item)),
            "hide_content": item.level == Level.TOP_SECRET,
        }

    def _task(self, task_id) -> SupervisionTask:
        item = self.get_object()
        task = item.tasks.filter(pk=task_id).first()
        if task is None:
            raise exceptions.NotFound()
        task.item = item
        return task

    @extend_schema(parameters=[ItemQuery])
    def list(self, request, *args, **kwargs):
        """督办台账: the items the caller may see, filtered and searched, with their lights."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ItemDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        """The item with its tasks, reports, extension requests, 流转记录 and deadlines."""
        return self._respond(self.get_object())

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        """立项 (a 督查员, a leader or the office chief); with ``tasks`` split at once."""
        serializer = ItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_open(actor=request.user, **serializer.service_arguments())
        return self._respond(item, status.HTTP_201_CREATED)

    # --- Files ----------------------------------------------------------------------------------

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)", **FILE_ROUTE)
    def attachment(self, request, attachment_id=None, *args, **kwargs):
        """Download one report attachment of a visible item; logged above 内部; never for 绝密."""
        item = self.get_object()
        found = ReportAttachment.objects.filter(report__task__item=item, pk=attachment_id).first()
        if found is None:
            raise exceptions.NotFound()
        if item.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(_("绝密事项的附件只能在屏幕上阅读，不能下载。"))
        audit.record_read(request.user, item, request=request, action=AuditAction.DOWNLOAD)
        return download_response(found.file, name=found.name)

    @extend_schema(
        parameters=[ItemQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("督办台账"))},
    )
    @action(detail=False, methods=["get"], url_path="ledger", url_name="ledger", **FILE_ROUTE)
    def ledger(self, request, *args, **kwargs):
        """The 督办台账 of the filtered list (same filters as the list) as .xlsx (also ``ledger.xlsx``):
        no 绝密 item (``export_register`` leaves them out), no progress text of a classified one; the
        export is written to the access log with the classified items it contains."""
        return export_register(request, self.get_queryset(), exports.REGISTER)

    # --- Reads beyond the list ------------------------------------------------------------------

    @extend_schema(parameters=[FiguresQuery], responses={200: FiguresSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def figures(self, request, *args, **kwargs):
        """Counts, 办结率 and 按期办结率 by lead unit, instructing leader or source, for the tasks
        assigned in [``start``, ``end``] (default: this year), over the items the caller may see."""
        query = query_of(FiguresQuery, request)
        rows = selectors.figures(user=request.user, by=query["by"], start=query["start"], end=query["end"])
        return Response(FiguresSerializer(rows, many=True).data)

    @extend_schema(parameters=[ScoresQuery], responses={200: ScoreSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def scores(self, request, *args, **kwargs):
        """Per lead unit, the year's points for the annual assessment (on time, late, 退回重办), best
        first, over the items the caller may see."""
        year = query_of(ScoresQuery, request).get("year") or timezone.localdate().year
        start, end = (
            timezone.localdate().replace(year=year, month=1, day=1),
            timezone.localdate().replace(year=year, month=12, day=31),
        )
        return Response(ScoreSerializer(selectors.unit_scores(user=request.user, start=start, end=end), many=True).data)

    @extend_schema(responses={200: TaskRowSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def overdue(self, request, *args, **kwargs):
        """Tasks in hand past their due date, most overdue first (paginated)."""
        query_of(ListQuery, request)
        page = self.paginate_queryset(selectors.overdue_tasks(user=request.user))
        return self.get_paginated_response(TaskRowSerializer(page, many=True).data)

    @extend_schema(responses={200: MineSerializer})
    @action(detail=False, methods=["get"])
    def mine(self, request, *args, **kwargs):
        """我的督办: tasks my unit leads, inputs my unit owes, 办结报告 waiting for my 审签, reports to
        review, red and yellow items and items to split (督查员), extension requests waiting for me —
        each a count and the first 50."""
        query_of(NoQuery, request)
        queues = selectors.my_tasks(user=request.user)
        if not queues:
            empty = {"count": 0, "results": []}
            return Response(
                dict.fromkeys(("lead", "assist", "signoff", "review", "lights", "split", "extensions"), empty)
            )
        answer = {}
        for name in ("lead", "assist", "signoff", "review"):
            queryset = queues[name]
            answer[name] = {
                "count": queryset.count(),
                "results": TaskRowSerializer(queryset[:QUEUE_SIZE], many=True).data,
            }
        for name in ("lights", "split"):
            items = queues[name]
            answer[name] = {
                "count": items.count(),
                "results": ItemListSerializer(list_queryset(items)[:QUEUE_SIZE], many=True).data,
            }
        extensions = queues["extensions"]
        answer["extensions"] = {
            "count": len(extensions),
            "results": ExtensionRowSerializer(extensions[:QUEUE_SIZE], many=True).data,
        }
        return Response(answer)
