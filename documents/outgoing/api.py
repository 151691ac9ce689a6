"""``/api/v1/documents/``: outgoing documents (发文) and their series (发文代字).

Thin edges over ``documents.outgoing.services`` and ``documents.outgoing.selectors``: serializers check shape,
services check rules. Every read starts from ``visible_to``: lists and the register export through
``selectors.outgoing_list_visible``, single documents (details and every action) through
``VisibleViewSetMixin.get_object``, so a document outside the caller's reach is a 404 however it
is asked for. A detail of a document above 内部 is written to the access log; a 绝密 document's
body is never returned, rendered or exported (it is shown on screen only).

Business actions are ``POST`` sub-routes (``{id}/submit/`` …). A move the workflow does not allow
is a 409 ``{"detail", "code": "transition_not_allowed"}``; a person whose step it is not gets 403.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from documents.models import (
    Countersign,
    Direction,
    Disclosure,
    DocumentKind,
    DocumentSeries,
    DocumentState,
    OutgoingDocument,
    Urgency,
)
from documents.outgoing import checker, exports, selectors, services
from documents.vocabulary import RETENTIONS
from office.api.helpers import FILE_ROUTE, XLSX, download, export_register, valid
from office.api.serializers import EmptyBody, StrictFieldsMixin
from office.confidentiality import audit
from office.confidentiality.api import SECRECY_DETAIL_FIELDS, ClassificationFieldsMixin
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.inputs import file_name
from office.org.api import LevelField
from office.org.models import Person, Unit
from office.uploads import download_response
from office.workflow.api import RecordViewSet, TransitionSerializer

RENDER_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def detail_queryset(queryset):
    """Everything a detail shows, in a fixed number of queries."""
    return queryset.select_related(
        "series__organ",
        "series__office",
        "number__series",
        "drafting_unit",
        "drafter",
        "signed_by",
        "designated_signer",
        "reviewer",
    ).prefetch_related(
        "main_to_units",
        "cc_units",
        "attachments",
        "transitions",
        Prefetch("countersigns", queryset=Countersign.objects.select_related("unit", "decided_by").order_by("id")),
    )


# --- Reading ------------------------------------------------------------------------------------


class CountersignSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Countersign
        fields = ["id", "unit", "unit_name", "state", "state_label", "opinion", "decided_by_name", "decided_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AttachmentSerializer(serializers.Serializer):
    """An attachment's register fields: its name, not its file."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    order = serializers.IntegerField()


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=[checker.ERROR, checker.WARNING])
    element = serializers.CharField()
    message = serializers.CharField()


def findings_of(document: OutgoingDocument) -> list[dict]:
    return [asdict(finding) for finding in checker.check(document)]


class OutgoingListSerializer(serializers.ModelSerializer):
    """A row of the list: register fields only (no body)."""

    number = serializers.SerializerMethodField()
    series_code = serializers.CharField(source="series.code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    classification = LevelField(read_only=True)
    drafting_unit_name = serializers.CharField(source="drafting_unit.name", read_only=True)
    drafter_name = serializers.CharField(source="drafter.name", read_only=True)
    signed_by_name = serializers.CharField(source="signed_by.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "number",
            "title",
            "series",
            "series_code",
            "kind",
            "kind_label",
            "direction",
            "urgency",
            "important",
            "classification",
            "level_mark",
            "state",
            "state_label",
            "drafting_unit",
            "drafting_unit_name",
            "drafter",
            "drafter_name",
            "signed_by_name",
            "written_date",
            "copies",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_number(self, document) -> str | None:
        return document.number_text or None


class OutgoingDetailSerializer(OutgoingListSerializer):
    """The whole document: its elements, 会签, 流转记录 and the 核稿 findings. A 绝密 document's
    body is ``null``: it is shown on screen only, never carried away through the API."""

    body = serializers.SerializerMethodField()
    main_to_text = serializers.SerializerMethodField()
    cc_text = serializers.SerializerMethodField()
    designated_signer_name = serializers.CharField(
        source="designated_signer.name", read_only=True, default=None, allow_null=True
    )
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True, default=None, allow_null=True)
    countersigns = CountersignSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta(OutgoingListSerializer.Meta):
        fields = [
            *OutgoingListSerializer.Meta.fields,
            *SECRECY_DETAIL_FIELDS,
            "main_to_units",
            "main_to_external",
            "main_to_text",
            "cc_units",
            "cc_external",
            "cc_text",
            "body",
            "attachment_note",
            "attachments",
            "in_reply_to",
            "note",
            "printing_organ",
            "printed_on",
            "disclosure",
            "disclosure_reason",
            "designated_signer",
            "designated_signer_name",
            "reviewer",
            "reviewer_name",
            "signed_by",
            "sign_opinion",
            "signed_at",
            "state_reason",
            "retention",
            "countersigns",
            "transitions",
            "findings",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, document) -> str | None:
        return None if document.level == Level.TOP_SECRET else document.body

    def get_main_to_text(self, document) -> str:
        return exports.main_to_text(document)

    def get_cc_text(self, document) -> str:
        names = [unit.name for unit in document.cc_units.all()]
        if document.cc_external.strip():
            names.append(document.cc_external.strip())
        return "、".join(names)

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, document) -> list[dict]:
        return findings_of(document)


class OutgoingQuery(StrictFieldsMixin, serializers.Serializer):
    """The list's (and the register export's) filters; unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=DocumentState.choices, required=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    series = serializers.IntegerField(min_value=1, required=False)
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False, help_text=gettext_lazy("文号年度"))
    drafting_unit = serializers.IntegerField(min_value=1, required=False)
    classification = LevelField(required=False)
    date_from = serializers.DateField(required=False, help_text=gettext_lazy("成文日期起"))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy("成文日期止"))
    q = serializers.CharField(max_length=200, required=False, help_text=gettext_lazy("全文检索：标题、文号、正文"))

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": [_("结束日期不能早于开始日期。")]})
        return data


# --- Writing ------------------------------------------------------------------------------------


class OutgoingContentFields(StrictFieldsMixin, serializers.Serializer):
    """The elements a drafter writes (and the office may correct during 核稿 and 复核)."""

    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)
    important = serializers.BooleanField(required=False)
    main_to_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    main_to_external = serializers.CharField(max_length=300, required=False, allow_blank=True)
    cc_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    cc_external = serializers.CharField(max_length=300, required=False, allow_blank=True)
    countersign_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    body = serializers.CharField(max_length=200_000, required=False, allow_blank=True, trim_whitespace=False)
    attachment_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    in_reply_to = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    printing_organ = serializers.CharField(max_length=60, required=False, allow_blank=True)
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False)
    disclosure_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    copies = serializers.IntegerField(min_value=0, max_value=999_999, required=False)
    designated_signer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(), required=False, allow_null=True
    )


class OutgoingCreateSerializer(OutgoingContentFields, ClassificationFieldsMixin):
    series = serializers.PrimaryKeyRelatedField(queryset=DocumentSeries.objects.all())
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    classification = LevelField(required=False, default=Level.INTERNAL)


class OutgoingUpdateSerializer(OutgoingContentFields):
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=gettext_lazy("复核中实质性修改的说明")
    )


class CommentSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SubmitSerializer(CommentSerializer):
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.active(),
        required=False,
        allow_null=True,
        help_text="核稿人（人员 id）：指定时只有他可以核稿；不指定时由发文机关办公室人员核稿。",
    )


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class OptionalReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CountersignDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    agree = serializers.BooleanField()
    opinion = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SignSerializer(StrictFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    opinion = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RegisterSerializer(StrictFieldsMixin, serializers.Serializer):
    copies = serializers.IntegerField(min_value=1, max_value=999_999, required=False)


class ArchiveSerializer(StrictFieldsMixin, serializers.Serializer):
    retention = serializers.ChoiceField(choices=[(value, value) for value in RETENTIONS])


class EndSerializer(StrictFieldsMixin, serializers.Serializer):
    abolish = serializers.BooleanField(help_text=gettext_lazy("true 废止（自即日起失效），false 撤销（自始无效）"))
    reason = serializers.CharField(max_length=200)


class RenderQuery(StrictFieldsMixin, serializers.Serializer):
    framework_parameters = frozenset()

    format = serializers.ChoiceField(choices=sorted(RENDER_FORMATS), required=False, default="docx")


class RenderingUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("公文排版功能暂不可用，请稍后再试。")
    default_code = "rendering_unavailable"


# --- The viewsets -------------------------------------------------------------------------------


class OutgoingViewSet(RecordViewSet):
    """Outgoing documents the caller may see. Draft with ``POST``, edit with ``PATCH``, move with
    the actions; nothing is ever deleted (void a draft, revoke or abolish an issued document)."""

    model = OutgoingDocument
    serializer_class = OutgoingDetailSerializer
    list_serializer_class = OutgoingListSerializer
    query_class = OutgoingQuery
    list_visible = staticmethod(selectors.outgoing_list_visible)
    list_shape = staticmethod(selectors.outgoing_list_rows)
    detail_queryset = staticmethod(detail_queryset)
    action_related = ("series",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(parameters=[OutgoingQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OutgoingCreateSerializer, responses={201: OutgoingDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Draft a document in the caller's unit (the caller is its 拟稿人)."""
        data = dict(valid(OutgoingCreateSerializer, request.data))
        classification = ClassificationFieldsMixin.classification_arguments(data)
        for name in (
            "classification",
            "secrecy_term_unit",
            "secrecy_term_amount",
            "secrecy_until",
            "declassify_condition",
            "classification_basis",
        ):
            data.pop(name, None)
        document = services.outgoing_create(actor=request.user, **data, **classification)
        return self._respond(document, status.HTTP_201_CREATED)

    @extend_schema(request=OutgoingUpdateSerializer, responses={200: OutgoingDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Edit the content: the drafter in 拟稿, the office in 核稿 and 复核 (a substantive change
        in 复核 goes back to the signer, with ``reason``). Level and term change through 定密变更."""
        document = self.get_object()
        data = dict(valid(OutgoingUpdateSerializer, request.data))
        document = services.outgoing_update(actor=request.user, document=document, **data)
        return self._respond(document)

    # --- The workflow ---------------------------------------------------------------------------

    @extend_schema(request=SubmitSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        """送核稿 (the drafter), optionally naming the ``reviewer`` (核稿人)."""
        document = self.get_object()
        data = valid(SubmitSerializer, request.data)
        document = services.outgoing_submit(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=OptionalReasonSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """撤回 (the drafter, before the next person has acted)."""
        document = self.get_object()
        data = valid(OptionalReasonSerializer, request.data)
        document = services.outgoing_withdraw(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=ReviewSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """核稿: pass on (``approve``) or return to the drafter with a ``comment`` (the office)."""
        document = self.get_object()
        data = valid(ReviewSerializer, request.data)
        document = services.outgoing_review(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=CountersignDecisionSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def countersign(self, request, *args, **kwargs):
        """会签 for ``unit`` (its head): agree, or return with an ``opinion``."""
        document = self.get_object()
        data = valid(CountersignDecisionSerializer, request.data)
        document = services.outgoing_countersign(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=SignSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, *args, **kwargs):
        """签发 (a leader of the organ; important and upward documents: the principal leader)."""
        document = self.get_object()
        data = valid(SignSerializer, request.data)
        document = services.outgoing_sign(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=RegisterSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request, *args, **kwargs):
        """登记: takes the 发文字号 (the office, after 复核)."""
        document = self.get_object()
        data = valid(RegisterSerializer, request.data)
        document = services.outgoing_register(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=EmptyBody, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, *args, **kwargs):
        """核发 to the recipient units (the office)."""
        document = self.get_object()
        valid(EmptyBody, request.data)
        document = services.outgoing_issue(actor=request.user, document=document)
        return self._respond(document)

    @extend_schema(request=ArchiveSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        """归档 with a 保管期限 (永久, 30年, 10年)."""
        document = self.get_object()
        data = valid(ArchiveSerializer, request.data)
        document = services.outgoing_archive(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=EndSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        """撤销 (``abolish: false``) or 废止 (``abolish: true``) an issued document, with a reason."""
        document = self.get_object()
        data = valid(EndSerializer, request.data)
        document = services.outgoing_end(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=ReasonSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, *args, **kwargs):
        """作废 a draft (the drafter), with a reason; it stays on record."""
        document = self.get_object()
        data = valid(ReasonSerializer, request.data)
        document = services.outgoing_void_draft(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=ReasonSerializer, responses={200: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="void-number")
    def void_number(self, request, *args, **kwargs):
        """作废 the document's 发文字号 before it is issued (the office); the number is never reused."""
        document = self.get_object()
        data = valid(ReasonSerializer, request.data)
        if document.number_id is None:
            raise exceptions.ValidationError({"number": [_("该公文尚未编号。")]})
        services.number_void(actor=request.user, number=document.number, **data)
        return self._respond(document)

    # --- Attachments ---------------------------------------------------------------------------

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, *args, **kwargs):
        """Upload an attachment (multipart ``file``, optional ``name``): size and type checked,
        refused above the classification ceiling."""
        document = self.get_object()
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        attachment = services.outgoing_attach(
            actor=request.user,
            document=document,
            upload=upload.validated_data["file"],
            name=upload.validated_data.get("name", ""),
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)", **FILE_ROUTE)
    def attachment(self, request, attachment_id=None, *args, **kwargs):
        """Download one attachment of a visible document; logged above 内部; never for 绝密."""
        document = self.get_object()
        found = document.attachments.filter(pk=attachment_id).first()
        if found is None:
            raise exceptions.NotFound()
        if document.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(_("绝密公文的附件只能在屏幕上阅读，不能下载。"))
        audit.record_read(request.user, document, request=request, action=AuditAction.DOWNLOAD)
        return download_response(found.file, name=found.name)

    # --- Reads beyond the detail ----------------------------------------------------------------

    @extend_schema(responses={200: FindingSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # all the findings, never paged
    def check(self, request, *args, **kwargs):
        """The 核稿 checker's findings; errors block 核稿通过 and 签发."""
        document = detail_queryset(OutgoingDocument.objects.filter(pk=self.get_object().pk)).get()
        return Response(findings_of(document))

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=sorted(RENDER_FORMATS), description=gettext_lazy("docx（默认）或 pdf"))
        ],
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("排版后的公文"))
            for media in RENDER_FORMATS.values()
        },
    )
    @action(detail=True, methods=["get"], **FILE_ROUTE)
    def render(self, request, *args, **kwargs):
        """The document laid out (GB/T 9704) as .docx or .pdf. 绝密 documents are never downloaded
        (403); a download of a classified document is written to the access log."""
        document = self.get_object()
        params = {name: value for name, value in request.query_params.dict().items() if value != ""}
        if kwargs.get("format"):  # render.pdf
            params["format"] = kwargs["format"]
        extension = valid(RenderQuery, params)["format"]
        refused = _("绝密级公文只能在屏幕上阅读，不得下载、导出或打印。")
        if document.level == Level.TOP_SECRET:
            raise exceptions.PermissionDenied(refused)
        try:
            from documents.rendering import ExportRefused, render_docx, render_pdf
        except ModuleNotFoundError as exc:
            if exc.name != "documents.rendering":
                raise
            raise RenderingUnavailable() from exc
        renderer = render_docx if extension == "docx" else render_pdf
        try:
            content = renderer(document, reader=request.user)
        except ExportRefused as exc:
            raise exceptions.PermissionDenied(str(exc) or refused) from exc
        audit.record_read(request.user, document, request=request, action=AuditAction.DOWNLOAD)
        return download(
            content,
            content_type=RENDER_FORMATS[extension],
            filename=file_name(document.number_text or document.title, extension),
        )

    @extend_schema(
        parameters=[OutgoingQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("发文登记簿"))},
    )
    @action(detail=False, methods=["get"], url_path="register", url_name="register-export", **FILE_ROUTE)
    def register_export(self, request, *args, **kwargs):
        """The 发文登记簿 of the filtered list (same filters as the list) as .xlsx; the export is
        written to the access log with the classified documents it contains."""
        return export_register(request, self.get_queryset(), exports.REGISTER)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def inbox(self, request, *args, **kwargs):
        """我的待办 by step (drafts, review, countersign, signoff, recheck): each a count and the
        first 50 documents."""
        queues = selectors.outgoing_inbox(user=request.user)
        related = ("number__series", "drafting_unit", "signed_by")
        return Response(
            {
                step: {
                    "count": queryset.count(),
                    "results": OutgoingListSerializer(queryset.select_related(*related)[:50], many=True).data,
                }
                for step, queryset in queues.items()
            }
        )


class DocumentSeriesSerializer(serializers.ModelSerializer):
    organ_name = serializers.CharField(source="organ.name", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = DocumentSeries
        fields = ["id", "code", "issuer_name", "organ", "organ_name", "office", "office_name", "template", "active"]
        read_only_fields = fields


class DocumentSeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """The 发文代字 a drafter may choose from (read-only; administrators keep them in the admin)."""

    serializer_class = DocumentSeriesSerializer
    filterset_fields = ["organ", "office", "active"]

    def get_queryset(self):
        return DocumentSeries.objects.select_related("organ", "office")
