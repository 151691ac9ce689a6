"""``/api/v1/dashboard/summary/``: the dashboard's figures for other systems (the same as the page);
``/api/v1/dashboard/report-draft/``: its 月报/季报 as a draft 报告 (as the page's buttons make it)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.helpers import valid
from office.api.serializers import StrictFieldsMixin
from office.dashboard import access, report, service
from office.dashboard.forms import DashboardForm


class SummaryQuery(StrictFieldsMixin, serializers.Serializer):
    start = serializers.DateField(required=False, help_text=gettext_lazy("统计起（默认本年1月1日）"))
    end = serializers.DateField(required=False, help_text=gettext_lazy("统计止（默认今天）"))
    scope = serializers.ChoiceField(
        choices=["own", "global"],
        required=False,
        default="own",
        help_text=gettext_lazy("own 本人知悉范围；global 全局（需权限）"),
    )

    def validate(self, attrs):
        start, end = DashboardForm.default_period()
        attrs.setdefault("start", start)
        attrs.setdefault("end", end)
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [gettext_lazy("结束日期不能早于开始日期。")]})
        return attrs


PANEL_FIELDS = {
    "key": serializers.CharField(),
    "kind": serializers.ChoiceField(choices=["chart", "listing"]),
    "title": serializers.CharField(),
    "option": serializers.DictField(required=False, help_text=gettext_lazy("ECharts 配置（仅数据）")),
    "links": serializers.ListField(child=serializers.CharField(), required=False),
    "table": serializers.ListField(child=serializers.ListField(), required=False),
    "rows": serializers.ListField(child=serializers.DictField(), required=False),
    "url": serializers.CharField(required=False),
}
TILE_FIELDS = {
    "key": serializers.CharField(),
    "kind": serializers.CharField(),
    "label": serializers.CharField(),
    "value": serializers.IntegerField(),
    "url": serializers.CharField(),
    "tone": serializers.CharField(),
    "hint": serializers.CharField(),
}


class MayOpenDashboard(permissions.BasePermission):
    """The page's rule (``access.may_open``): a 403 in the schema for those it refuses."""

    message = gettext_lazy("领导驾驶舱供领导、办公室主任和单位负责人使用。")

    def has_permission(self, request, view) -> bool:
        return access.may_open(request.user)


class SummaryView(APIView):
    permission_classes = [permissions.IsAuthenticated, MayOpenDashboard]

    @extend_schema(
        summary=gettext_lazy("领导驾驶舱汇总"),
        parameters=[SummaryQuery],
        responses=inline_serializer(
            "DashboardSummary",
            {
                "scope": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "computed_at": serializers.DateTimeField(required=False),
                "tiles": inline_serializer("DashboardTile", TILE_FIELDS, many=True),
                "panels": inline_serializer("DashboardPanel", PANEL_FIELDS, many=True),
            },
        ),
    )
    def get(self, request):
        query = SummaryQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = access.scope_for(request.user, start=data["start"], end=data["end"], whole=data["scope"] == "global")
        return Response(service.summary(scope))


class ReportDraftBody(StrictFieldsMixin, serializers.Serializer):
    series = serializers.IntegerField(min_value=1, help_text=gettext_lazy("发文代字 id（本机关启用的代字）"))
    kind = serializers.ChoiceField(choices=report.KINDS, help_text=gettext_lazy("month 月报；quarter 季报"))
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", help_text=gettext_lazy("报告期所在月份，如 2026-11（季报取该月所在季度）")
    )
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=gettext_lazy("不填写的，按报告期自动生成")
    )

    def validate_month(self, value: str) -> date:
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12 or year < 1:
            raise serializers.ValidationError(gettext_lazy("请填写有效的月份，如 2026-11。"))
        return date(year, month, 1)


class ReportDraftViewSet(viewsets.ViewSet):
    """The 月报/季报 of a month or a quarter, over what the caller may see, as his draft 报告."""

    permission_classes = [permissions.IsAuthenticated, MayOpenDashboard]

    @extend_schema(
        summary=gettext_lazy("生成月报/季报草稿"),
        request=ReportDraftBody,
        responses={
            201: inline_serializer(
                "DashboardReportDraft",
                {
                    "id": serializers.IntegerField(help_text=gettext_lazy("发文草稿 id")),
                    "url": serializers.CharField(help_text=gettext_lazy("草稿页面")),
                    "start": serializers.DateField(),
                    "end": serializers.DateField(),
                },
            )
        },
    )
    def create(self, request):
        data = valid(ReportDraftBody, request.data)
        start, end = report.period(data["kind"], data["month"])
        pk, url = report.draft(
            user=request.user,
            series=data["series"],
            kind=data["kind"],
            month=data["month"],
            title=data.get("title", ""),
        )
        return Response({"id": pk, "url": url, "start": start, "end": end}, status=status.HTTP_201_CREATED)
