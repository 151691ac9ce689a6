"""``/api/v1/petitions/batches/``: 转送/交办 in files, for the national 信访信息系统 (no open API).

- ``GET export/?start=&end=&format=csv|json``: the cases routed by 转送 or 交办 in the period that
  the caller sees, 信访人 masked unless he may see them; in the access log (``EXPORT``).
- ``POST import/`` (multipart: ``file``, ``format``): cases received from a higher office, all
  rows or none; a 400 lists each bad row with its row number and field.

Thin over ``petitions.batches``; who may is ``petitions.ledger_rules``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from office.api.helpers import FILE_ROUTE, download, query_of, valid
from petitions import batches


class BatchExportQuery(serializers.Serializer):
    start = serializers.DateField(help_text=gettext_lazy("转送、交办日期起"))
    end = serializers.DateField(help_text=gettext_lazy("转送、交办日期止"))
    format = serializers.ChoiceField(
        choices=batches.FORMATS, default=batches.CSV, help_text=gettext_lazy("csv 或 json")
    )

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": gettext_lazy("结束日期不能早于开始日期。")})
        return data


class BatchImportBody(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy("CSV（UTF-8，可带 BOM）或 JSON；列与导出相同，上级转交编号（或登记号）必填")
    )
    format = serializers.ChoiceField(
        choices=batches.FORMATS, required=False, help_text=gettext_lazy("不填写的，按文件扩展名判断")
    )


class PetitionBatchViewSet(viewsets.ViewSet):
    """转送/交办 batch export and import."""

    @extend_schema(
        summary=gettext_lazy("导出转送、交办事项"),
        parameters=[BatchExportQuery],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("CSV（UTF-8 BOM）")),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description=gettext_lazy("JSON")),
        },
    )
    @action(detail=False, methods=["get"], url_path="export", url_name="export", **FILE_ROUTE)
    def export(self, request):
        """The cases routed by 转送/交办 in [start, end] that the caller sees (no 绝密 one), with
        their 信访人 masked unless he may see them."""
        query = query_of(BatchExportQuery, request)
        batch = batches.export(request.user, query["start"], query["end"], query["format"], request=request)
        return download(batch.content, content_type=batch.content_type, filename=batch.filename)

    @extend_schema(
        summary=gettext_lazy("导入上级转送、交办事项"),
        request={"multipart/form-data": BatchImportBody},
        responses={
            201: inline_serializer(
                "PetitionBatchImport",
                {
                    "count": serializers.IntegerField(help_text=gettext_lazy("登记的事项数")),
                    "cases": inline_serializer(
                        "PetitionBatchImportCase",
                        {
                            "id": serializers.IntegerField(),
                            "number": serializers.CharField(help_text=gettext_lazy("登记号")),
                            "superior_number": serializers.CharField(help_text=gettext_lazy("上级转交编号")),
                        },
                        many=True,
                    ),
                },
            )
        },
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_(self, request):
        """Register every row as a case received from a higher office (上级转送交办), or none."""
        data = valid(BatchImportBody, request.data)
        upload = data["file"]
        fmt = data.get("format") or ("json" if (upload.name or "").lower().endswith(".json") else batches.CSV)
        created = batches.import_cases(request.user, upload, fmt)
        return Response(
            {
                "count": len(created),
                "cases": [{"id": c.pk, "number": c.number, "superior_number": c.superior_number} for c in created],
            },
            status=status.HTTP_201_CREATED,
        )
