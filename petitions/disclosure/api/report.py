"""``GET /api/v1/petitions/annual-report/?year=&organ=``: the 政府信息公开工作年度报告's tables of an
organ and a year, as JSON (``petitions.disclosure.report.annual_report``), for those who may read
them (``report.may_read_annual_report``: the organ's 政务公开员 and 公开工作机构); anyone else, and
an organ that does not exist, is a 404."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from office.api.helpers import query_of
from office.api.schema import ErrorSerializer
from office.confidentiality.visibility import person_of
from office.org.models import Unit
from petitions.disclosure import report
from petitions.disclosure.api import inputs
from petitions.disclosure.api.serializers import AnnualReportSerializer


def organ_of(user, pk: int | None) -> Unit:
    """The organ asked for, or the caller's own; one he may not read the report of is a 404."""
    if pk is None:
        person = person_of(user)
        if person is None:
            raise exceptions.NotFound()
        organ = person.unit.organ or person.unit
    else:
        organ = Unit.objects.filter(pk=pk).first()
    if organ is None or not report.may_read_annual_report(user, organ):
        raise exceptions.NotFound()
    return organ


class AnnualReportViewSet(viewsets.ViewSet):
    """The 年度报告's tables: one route, ``GET``."""

    @extend_schema(
        parameters=[inputs.AnnualReportQuery],
        responses={
            200: AnnualReportSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("机关不存在，或本人不是该机关的政务公开员（同样答 404）")
            ),
        },
        description=gettext_lazy("年度报告的表格（默认本人所在机关、上一年度）"),
    )
    def list(self, request, *args, **kwargs):
        """二、主动公开, 三、收到和处理政府信息公开申请情况 and 四、行政复议、行政诉讼 of the organ and
        year, counted from what the caller may see."""
        query = query_of(inputs.AnnualReportQuery, request)
        organ = organ_of(request.user, query.get("organ"))
        year = query.get("year") or timezone.localdate().year - 1
        tables = report.annual_report_json(report.annual_report(organ=organ, year=year, user=request.user))
        return Response(AnnualReportSerializer(tables).data)
