"""通报 and 督查专报, as actions of ``SupervisionItemViewSet``: drafts handed to the documents module."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from office.api.helpers import valid
from supervision import services
from supervision.api.inputs import BulletinSerializer, ReportDraftSerializer, ThemeReportSerializer
from supervision.api.serializers import SupervisionDraftSerializer


class DraftActionsMixin:
    """The draft actions; mixed into ``SupervisionItemViewSet`` (``report_draft`` uses its
    ``get_object``)."""

    def _draft(self, document) -> Response:
        url = reverse("outgoing-detail", args=[document.pk])
        return Response(
            SupervisionDraftSerializer({"id": document.pk, "title": document.title, "url": url}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=BulletinSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=False, methods=["post"])
    def bulletin(self, request, *args, **kwargs):
        """通报 of the period's overdue and exemplary units, as a 发文 draft (文种 通报) of the caller
        (a 督查员), from the items at 内部 or below the caller may see."""
        data = valid(BulletinSerializer, request.data)
        return self._draft(services.bulletin_draft(actor=request.user, **data))

    @extend_schema(request=ReportDraftSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=True, methods=["post"], url_path="report-draft", url_name="report-draft")
    def report_draft(self, request, *args, **kwargs):
        """督查专报 on this item, as a 发文 draft (文种 报告) as secret as the item."""
        item = self.get_object()
        data = valid(ReportDraftSerializer, request.data)
        return self._draft(services.report_draft(actor=request.user, series=data["series"], items=[item]))

    @extend_schema(request=ThemeReportSerializer, responses={201: SupervisionDraftSerializer})
    @action(detail=False, methods=["post"], url_path="theme-report", url_name="theme-report")
    def theme_report(self, request, *args, **kwargs):
        """督查专报 on a theme's items (each visible to the caller), as secret as the most secret."""
        serializer = ThemeReportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = list(dict.fromkeys(data["items"]))
        return self._draft(
            services.report_draft(actor=request.user, series=data["series"], items=items, theme=data["theme"])
        )
