"""``/api/v1/documents/incoming/{id}/…``: 分办 inside a 承办单位 and the 原件扫描件 — the actions the
document's page offers, for other systems.

A mixin of ``documents.incoming.api.IncomingViewSet``: the document comes from the caller's visible
set first (404 otherwise), a row or a scan from that document's (404 otherwise); serializers check
shape, ``documents.incoming.subassign`` / ``services`` act and check who may (``rules``): a step not
allowed now is a 409, a person whose step it is not a 403, bad input a 400 and nothing stored.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from documents.incoming import services, subassign
from documents.models import IncomingScan, UnitAssignment
from office.api.helpers import FILE_ROUTE, valid
from office.api.serializers import StrictFieldsMixin
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.org.models import Person, Unit
from office.uploads import download_response


class SubassignmentSerializer(serializers.ModelSerializer):
    """A 分办 row: the 科室, the 承办人, his time limit, his 办理情况 and where it stands."""

    unit = serializers.IntegerField(source="assignment.unit_id", read_only=True)
    section_name = serializers.CharField(source="section.name", read_only=True)
    handler_name = serializers.CharField(source="handler.name", read_only=True)
    assigned_by_name = serializers.CharField(source="assigned_by.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default=None, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = UnitAssignment
        fields = [
            "id",
            "unit",
            "section",
            "section_name",
            "handler",
            "handler_name",
            "due",
            "instruction",
            "state",
            "state_label",
            "report",
            "reported_at",
            "return_reason",
            "assigned_by_name",
            "assigned_at",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields


class ScanSerializer(serializers.ModelSerializer):
    """A scan's register fields: its name and type, not its bytes."""

    class Meta:
        model = IncomingScan
        fields = ["id", "name", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


class SubassignSerializer(StrictFieldsMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), help_text=gettext_lazy("分办的承办单位（主办或协办）")
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), help_text=gettext_lazy("承办科室：该单位或其下属科室")
    )
    handler = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), help_text=gettext_lazy("承办人"))
    due = serializers.DateField(help_text=gettext_lazy("承办人的办理时限，不晚于本单位的办理时限"))
    instruction = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SubReportSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text=gettext_lazy("办理情况"))


class SubAcceptSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=gettext_lazy("上报意见；不填以办理情况上报")
    )


class SubReturnSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ScanUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


ROW_ROUTE = r"subassignments/(?P<row_id>\d+)/"


class SubassignmentActionsMixin:
    """分办, 报送, 上报, 退回 and the scans, mixed into ``IncomingViewSet`` (its ``get_object`` and
    ``_respond``)."""

    def _row(self, row_id) -> UnitAssignment:
        found = UnitAssignment.objects.filter(assignment__document=self.get_object(), pk=row_id).first()
        if found is None:
            raise exceptions.NotFound()
        return found

    @extend_schema(request=SubassignSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def subassign(self, request, *args, **kwargs):
        """分办: a 承办单位's head or 收文员 passes its assignment on to a 科室 and a 承办人, due on or
        before the unit's time limit."""
        document = self.get_object()
        data = valid(SubassignSerializer, request.data)
        subassign.unit_subassign(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=SubReportSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path=ROW_ROUTE + "report", url_name="subassignment-report")
    def subassignment_report(self, request, row_id=None, *args, **kwargs):
        """报送: the 承办人 records his 办理情况 for his unit's head (the 承办人 only)."""
        row = self._row(row_id)
        data = valid(SubReportSerializer, request.data)
        subassign.subassignment_report(actor=request.user, row=row, **data)
        return self._respond(row.assignment.document)

    @extend_schema(request=SubAcceptSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path=ROW_ROUTE + "accept", url_name="subassignment-accept")
    def subassignment_accept(self, request, row_id=None, *args, **kwargs):
        """上报: the unit's head sends the report up (an assisting unit's 协办意见; the lead unit's
        answer before 办结)."""
        row = self._row(row_id)
        data = valid(SubAcceptSerializer, request.data)
        subassign.subassignment_accept(actor=request.user, row=row, note=data.get("note", ""))
        return self._respond(row.assignment.document)

    @extend_schema(request=SubReturnSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path=ROW_ROUTE + "return", url_name="subassignment-return")
    def subassignment_return(self, request, row_id=None, *args, **kwargs):
        """退回: the unit's head returns the report to the 承办人 with a ``reason``."""
        row = self._row(row_id)
        data = valid(SubReturnSerializer, request.data)
        subassign.subassignment_return(actor=request.user, row=row, **data)
        return self._respond(row.assignment.document)

    @extend_schema(request={"multipart/form-data": ScanUploadSerializer}, responses={201: ScanSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def scans(self, request, *args, **kwargs):
        """Upload a 原件扫描件 (multipart ``file``, PDF or an image; optional ``name``): size and type
        checked by its bytes, refused above the classification ceiling (the receiving office)."""
        document = self.get_object()
        upload = ScanUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        scan = services.incoming_attach_scan(
            actor=request.user,
            document=document,
            upload=upload.validated_data["file"],
            name=upload.validated_data.get("name", ""),
        )
        return Response(ScanSerializer(scan).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"scans/(?P<scan_id>\d+)", url_name="scan", **FILE_ROUTE)
    def scan(self, request, scan_id=None, *args, **kwargs):
        """Download one scan of a visible document; logged; never for 绝密."""
        document = self.get_object()
        found = document.scans.filter(pk=scan_id).first()
        if found is None:
            raise exceptions.NotFound()
        if document.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(_("绝密来文的原件扫描件只能登记，不能下载。"))
        audit.record_read(request.user, document, request=request, action=AuditAction.DOWNLOAD)
        return download_response(found.file, name=found.name)
