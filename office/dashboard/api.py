"""``/api/v1/dashboard/summary/``: the dashboard's figures for other systems (the same as the page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api.serializers import StrictFieldsMixin
from office.dashboard import access, service
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
