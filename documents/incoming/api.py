"""``/api/v1/documents/incoming/``: incoming documents (收文) — 签收, 登记, 初审, 拟办, 批示, 承办, 办结,
归档, 催办 and 传阅 per reader.

Thin edges over ``documents.incoming.services`` (the services) and ``documents.incoming.selectors``, as
``documents.outgoing.api`` is for outgoing documents: serializers check shape, services check rules. Lists
and the 收文登记簿 export come from ``incoming_list_visible``; single documents (details and every
action) from ``VisibleViewSetMixin.get_object``, so a document outside the caller's reach is a 404
however it is asked for. A detail above 内部 is written to the access log; a 绝密 document's body
is never returned (it is shown on screen only).

A move the workflow does not allow is a 409 ``{"detail", "code": "transition_not_allowed"}``; a
person whose step it is not gets 403; bad input is a 400 and changes nothing. The document is
looked up before the body is read, so an unreachable one is a 404 whatever is sent.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from documents.incoming import exports, selectors, services
from documents.incoming.api_units import ScanSerializer, SubassignmentActionsMixin, SubassignmentSerializer
from documents.models import (
    Assignment,
    Channel,
    Circulation,
    CirculationReader,
    DocumentKind,
    Handling,
    IncomingDocument,
    IncomingState,
    UnitAssignment,
    Urgency,
)
from documents.vocabulary import RETENTIONS
from office.api.helpers import FILE_ROUTE, XLSX, export_register, query_of, valid
from office.api.serializers import EmptyBody, PeriodQuery, StrictFieldsMixin
from office.confidentiality.api import SECRECY_DETAIL_FIELDS
from office.confidentiality.levels import Level
from office.confidentiality.models import TermUnit
from office.org.api import LevelField
from office.org.models import Person, Unit
from office.reminders import services as reminders
from office.workflow.api import RecordViewSet, TransitionSerializer

# 来文方式 a person registers by hand; 系统内交换 arrives by itself from 核发.
RECEIVED_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.INTERNAL]


def detail_queryset(queryset):
    """Everything a detail shows, in a fixed number of queries."""
    return selectors.with_circulating(
        queryset.select_related(
            "receiving_unit",
            "sender_unit",
            "signed_for_by",
            "registered_by",
            "proposed_by",
            "instructing_leader",
            "chaser",
        ).prefetch_related(
            "transitions",
            "proposed_assisting_units",
            "scans",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit")
                .order_by("role", "id")
                .prefetch_related(
                    Prefetch(
                        "subassignments",
                        queryset=UnitAssignment.objects.select_related(
                            "section", "handler", "assigned_by", "decided_by"
                        ).order_by("assigned_at", "id"),
                    )
                ),
            ),
            Prefetch(
                "circulations",
                queryset=Circulation.objects.select_related("sent_by").prefetch_related(
                    Prefetch("readers", queryset=CirculationReader.objects.select_related("person"))
                ),
            ),
        )
    )


# --- Reading ------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    subassignments = SubassignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "role", "role_label", "due", "done_at", "note", "subassignments"]
        read_only_fields = fields


class ReaderSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CirculationReader
        fields = ["id", "person", "person_name", "order", "state", "state_label", "opened_at", "read_at", "comment"]
        read_only_fields = fields


class CirculationSerializer(serializers.ModelSerializer):
    sent_by_name = serializers.CharField(source="sent_by.name", read_only=True)
    readers = ReaderSerializer(many=True, read_only=True)

    class Meta:
        model = Circulation
        fields = ["id", "note", "sent_by", "sent_by_name", "sent_at", "due", "recalled_at", "readers"]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    """A handling or reading deadline of the document (its due date is computed, never set)."""

    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind_id")
    responsible_unit = serializers.IntegerField(source="responsible_unit_id", allow_null=True)
    responsible_person = serializers.IntegerField(source="responsible_person_id", allow_null=True)
    start = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()


class IncomingListSerializer(serializers.ModelSerializer):
    """A row of the list: register fields only (no body). ``circulating``: readers still pending."""

    registration_text = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    handling_label = serializers.CharField(source="get_handling_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    classification = LevelField(read_only=True)
    receiving_unit_name = serializers.CharField(source="receiving_unit.name", read_only=True)
    signed_for_by_name = serializers.CharField(
        source="signed_for_by.name", read_only=True, default=None, allow_null=True
    )
    circulating = serializers.BooleanField(read_only=True)

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "registration_text",
            "title",
            "sender_organ",
            "sender_number",
            "kind",
            "kind_label",
            "urgency",
            "urgency_label",
            "important",
            "classification",
            "level_mark",
            "channel",
            "channel_label",
            "handling",
            "handling_label",
            "state",
            "state_label",
            "circulating",
            "receiving_unit",
            "receiving_unit_name",
            "signed_for_by_name",
            "signed_for_at",
            "delivered_at",
            "time_limit",
            "done_at",
            "duplicate_of",
        ]
        read_only_fields = fields


class IncomingDetailSerializer(IncomingListSerializer):
    """The whole record: its 来文 elements, 拟办 and 批示, 承办 with deadlines, 传阅 per reader and
    the 流转记录. A 绝密 document's body is ``null``: on screen only, never through the API."""

    body = serializers.SerializerMethodField()
    sender_unit_name = serializers.CharField(source="sender_unit.name", read_only=True, default=None, allow_null=True)
    registered_by_name = serializers.CharField(
        source="registered_by.name", read_only=True, default=None, allow_null=True
    )
    proposed_by_name = serializers.CharField(source="proposed_by.name", read_only=True, default=None, allow_null=True)
    instructing_leader_name = serializers.CharField(
        source="instructing_leader.name", read_only=True, default=None, allow_null=True
    )
    chaser_name = serializers.CharField(source="chaser.name", read_only=True, default=None, allow_null=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    scans = ScanSerializer(many=True, read_only=True)
    circulations = CirculationSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta(IncomingListSerializer.Meta):
        fields = [
            *IncomingListSerializer.Meta.fields,
            *SECRECY_DETAIL_FIELDS,
            "sender_unit",
            "sender_unit_name",
            "source_outgoing",
            "copies_received",
            "copy_numbers",
            "body",
            "registration_year",
            "registration_sequence",
            "registered_by",
            "registered_by_name",
            "return_reason",
            "proposal",
            "proposed_by",
            "proposed_by_name",
            "proposed_lead_unit",
            "proposed_assisting_units",
            "instructing_leader",
            "instructing_leader_name",
            "instruction",
            "instructed_at",
            "supervise",
            "chaser",
            "chaser_name",
            "result",
            "reply_required",
            "reply",
            "done_on_time",
            "retention",
            "archive_override",
            "state_changed_at",
            "assignments",
            "scans",
            "circulations",
            "deadlines",
            "transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, document) -> str | None:
        return None if document.level == Level.TOP_SECRET else document.body

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, document) -> list[dict]:
        return DeadlineSerializer(reminders.deadlines_of(document), many=True).data


class IncomingQuery(StrictFieldsMixin, serializers.Serializer):
    """The list's (and the register export's) filters; unknown parameters are a 400."""

    framework_parameters = frozenset({"format", "page", "page_size"})

    state = serializers.ChoiceField(choices=IncomingState.choices, required=False)
    handling = serializers.ChoiceField(choices=Handling.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    receiving_unit = serializers.IntegerField(min_value=1, required=False)
    classification = LevelField(required=False)
    year = serializers.IntegerField(min_value=1949, max_value=2999, required=False, help_text=gettext_lazy("收文年度"))
    date_from = serializers.DateField(required=False, help_text=gettext_lazy("签收日期起"))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy("签收日期止"))
    q = serializers.CharField(
        max_length=200, required=False, help_text=gettext_lazy("全文检索：标题、来文字号、来文机关、收文编号、正文")
    )

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": [_("结束日期不能早于开始日期。")]})
        return data


class UnitFiguresSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    assigned = serializers.IntegerField()
    done = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class ReadingInboxSerializer(serializers.ModelSerializer):
    """A 传阅件 waiting for this reader (the reader row, with the document's register fields)."""

    document = serializers.IntegerField(source="circulation.document_id", read_only=True)
    title = serializers.CharField(source="circulation.document.title", read_only=True)
    level_mark = serializers.CharField(source="circulation.document.level_mark", read_only=True)
    registration_text = serializers.CharField(source="circulation.document.registration_text", read_only=True)
    note = serializers.CharField(source="circulation.note", read_only=True)
    due = serializers.DateField(source="circulation.due", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CirculationReader
        fields = ["id", "document", "title", "level_mark", "registration_text", "note", "due", "state", "state_label"]
        read_only_fields = fields


# --- Writing ------------------------------------------------------------------------------------


class IncomingCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """签收 a document that came from outside the system (paper, electronic exchange, fax)."""

    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active())
    sender_organ = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200)
    sender_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)
    copies_received = serializers.IntegerField(min_value=1, max_value=32_767, required=False)
    copy_numbers = serializers.CharField(max_length=120, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=RECEIVED_CHANNELS, required=False)
    body = serializers.CharField(max_length=200_000, required=False, allow_blank=True, trim_whitespace=False)
    classification = LevelField(required=False, default=Level.INTERNAL)
    classification_basis = serializers.CharField(max_length=200, required=False, allow_blank=True)
    secrecy_term_unit = serializers.ChoiceField(
        choices=[(TermUnit.YEARS, TermUnit.YEARS.label), (TermUnit.MONTHS, TermUnit.MONTHS.label)],
        required=False,
        allow_blank=True,
    )
    secrecy_term_amount = serializers.IntegerField(min_value=1, max_value=30, required=False, allow_null=True)

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        data["level"] = data.pop("classification")
        data["basis"] = data.pop("classification_basis", "")
        data["term_unit"] = data.pop("secrecy_term_unit", "")
        data["term_amount"] = data.pop("secrecy_term_amount", None)
        return data


class ScreenSerializer(StrictFieldsMixin, serializers.Serializer):
    accept = serializers.BooleanField(help_text=gettext_lazy("true 收进（办件或阅件），false 退回来文单位"))
    handling = serializers.ChoiceField(choices=Handling.choices, required=False, default=Handling.ACTION)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    important = serializers.BooleanField(required=False, default=False)
    chaser = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), required=False, allow_null=True)


class ProposeSerializer(StrictFieldsMixin, serializers.Serializer):
    proposal = serializers.CharField(max_length=2000)
    leader = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active().select_related("user"))
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), required=False, allow_null=True, help_text=gettext_lazy("拟主办单位")
    )
    assisting_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), many=True, required=False, help_text=gettext_lazy("拟协办单位")
    )


class InstructSerializer(StrictFieldsMixin, serializers.Serializer):
    instruction = serializers.CharField(max_length=2000)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), required=False, allow_null=True)
    assisting_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active(), many=True, required=False)
    time_limit = serializers.DateField(required=False, allow_null=True)
    supervise = serializers.BooleanField(required=False, default=False)
    send_back = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("退回办公室重新拟办"))


class UnitDoneSerializer(StrictFieldsMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    note = serializers.CharField(max_length=300)


class CompleteSerializer(StrictFieldsMixin, serializers.Serializer):
    result = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    reply = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class IncomingArchiveSerializer(StrictFieldsMixin, serializers.Serializer):
    retention = serializers.ChoiceField(choices=[(value, value) for value in RETENTIONS])
    override_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ChaseSerializer(StrictFieldsMixin, serializers.Serializer):
    message = serializers.CharField(max_length=300)


class CirculateSerializer(StrictFieldsMixin, serializers.Serializer):
    readers = serializers.PrimaryKeyRelatedField(queryset=Person.objects.active(), many=True, allow_empty=False)
    note = serializers.CharField(max_length=300)
    due = serializers.DateField(required=False, allow_null=True)


class ReadSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RecallSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# --- The viewset --------------------------------------------------------------------------------


DETAIL = extend_schema(responses={200: IncomingDetailSerializer})


@extend_schema_view(
    subassign=DETAIL, subassignment_report=DETAIL, subassignment_accept=DETAIL, subassignment_return=DETAIL
)
class IncomingViewSet(SubassignmentActionsMixin, RecordViewSet):
    """Incoming documents the caller may see. Register one from outside with ``POST``; move it
    with the actions; nothing is ever deleted (return it to the sender, or archive it)."""

    model = IncomingDocument
    serializer_class = IncomingDetailSerializer
    list_serializer_class = IncomingListSerializer
    query_class = IncomingQuery
    list_visible = staticmethod(selectors.incoming_list_visible)
    list_shape = staticmethod(selectors.incoming_list_rows)
    detail_queryset = staticmethod(detail_queryset)
    action_related = ("receiving_unit",)
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(parameters=[IncomingQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IncomingCreateSerializer, responses={201: IncomingDetailSerializer})
    def create(self, request, *args, **kwargs):
        """签收 a document from outside the system (文秘 or 办公室主任 of the receiving unit)."""
        serializer = IncomingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.incoming_receive(actor=request.user, **serializer.service_arguments())
        return self._respond(document, status.HTTP_201_CREATED)

    # --- The workflow ---------------------------------------------------------------------------

    @extend_schema(request=EmptyBody, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="sign-for", url_name="sign-for")
    def sign_for(self, request, *args, **kwargs):
        """签收 a document delivered by the internal exchange (the receiving unit's office)."""
        document = self.get_object()
        valid(EmptyBody, request.data)
        document = services.incoming_sign_for(actor=request.user, document=document)
        return self._respond(document)

    @extend_schema(request=EmptyBody, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request, *args, **kwargs):
        """登记: takes the 收文编号 (the receiving unit's office)."""
        document = self.get_object()
        valid(EmptyBody, request.data)
        document = services.incoming_register(actor=request.user, document=document)
        return self._respond(document)

    @extend_schema(request=ScreenSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def screen(self, request, *args, **kwargs):
        """初审: take it in as 办件 or 阅件 (``accept``), or return it to the sender with a ``reason``."""
        document = self.get_object()
        data = valid(ScreenSerializer, request.data)
        document = services.incoming_screen(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=ProposeSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request, *args, **kwargs):
        """拟办: the office's proposal, for the chosen leader's 批示."""
        document = self.get_object()
        data = dict(valid(ProposeSerializer, request.data))
        data["assisting_units"] = list(dict.fromkeys(data.get("assisting_units", [])))
        document = services.incoming_propose(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=InstructSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def instruct(self, request, *args, **kwargs):
        """批示 (the leader chosen at 拟办): the lead and assisting units and the time limit, or
        ``send_back`` for a new 拟办."""
        document = self.get_object()
        data = dict(valid(InstructSerializer, request.data))
        data["assisting_units"] = list(dict.fromkeys(data.get("assisting_units", [])))
        document = services.incoming_instruct(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=UnitDoneSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="unit-done", url_name="unit-done")
    def unit_done(self, request, *args, **kwargs):
        """协办意见 of an assisting unit (its head), sent to the lead unit."""
        document = self.get_object()
        data = valid(UnitDoneSerializer, request.data)
        document = services.incoming_unit_done(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=CompleteSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, *args, **kwargs):
        """办结: the lead unit's result (and the 答复 to the sender); a 阅件 by the office."""
        document = self.get_object()
        data = valid(CompleteSerializer, request.data)
        document = services.incoming_complete(
            actor=request.user, document=document, result=data.get("result", ""), reply=data.get("reply", "")
        )
        return self._respond(document)

    @extend_schema(request=IncomingArchiveSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        """归档 with a 保管期限; with readers pending only with ``override_reason``."""
        document = self.get_object()
        data = valid(IncomingArchiveSerializer, request.data)
        document = services.incoming_archive(actor=request.user, document=document, **data)
        return self._respond(document)

    @extend_schema(request=ChaseSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def chase(self, request, *args, **kwargs):
        """催办: notify whoever the document waits for (the office or the named chaser)."""
        document = self.get_object()
        data = valid(ChaseSerializer, request.data)
        document = services.incoming_chase(actor=request.user, document=document, **data)
        return self._respond(document)

    # --- 传阅 -------------------------------------------------------------------------------------

    @extend_schema(request=CirculateSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"])
    def circulate(self, request, *args, **kwargs):
        """传阅 to the chosen ``readers`` (in order), with the reason (``note``) and a ``due`` date."""
        document = self.get_object()
        data = valid(CirculateSerializer, request.data)
        services.circulation_start(actor=request.user, document=document, **data)
        return self._respond(document)

    def _reader(self, reader_id) -> CirculationReader:
        found = CirculationReader.objects.filter(circulation__document=self.get_object(), pk=reader_id).first()
        if found is None:
            raise exceptions.NotFound()
        return found

    @extend_schema(request=EmptyBody, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"readers/(?P<reader_id>\d+)/open", url_name="reader-open")
    def reader_open(self, request, reader_id=None, *args, **kwargs):
        """已收到: the reader has the 传阅件 (the reader only)."""
        reader = self._reader(reader_id)
        valid(EmptyBody, request.data)
        reader = services.circulation_open(actor=request.user, reader=reader)
        return self._respond(reader.circulation.document)

    @extend_schema(request=ReadSerializer, responses={200: IncomingDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"readers/(?P<reader_id>\d+)/read", url_name="reader-read")
    def reader_read(self, request, reader_id=None, *args, **kwargs):
        """已阅, with an optional ``comment`` — after 已收到 (the reader only)."""
        reader = self._reader(reader_id)
        data = valid(ReadSerializer, request.data)
        reader = services.circulation_read(actor=request.user, reader=reader, **data)
        return self._respond(reader.circulation.document)

    @extend_schema(request=RecallSerializer, responses={200: IncomingDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"circulations/(?P<circulation_id>\d+)/recall",
        url_name="circulation-recall",
    )
    def recall(self, request, circulation_id=None, *args, **kwargs):
        """收回 a circulation with a ``reason``: pending readers are released (the office)."""
        document = self.get_object()
        circulation = document.circulations.filter(pk=circulation_id).first()
        if circulation is None:
            raise exceptions.NotFound()
        data = valid(RecallSerializer, request.data)
        services.circulation_recall(actor=request.user, circulation=circulation, **data)
        return self._respond(document)

    # --- Reads beyond the detail ----------------------------------------------------------------

    @extend_schema(
        parameters=[IncomingQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("收文登记簿"))},
    )
    @action(detail=False, methods=["get"], url_path="register", url_name="register-export", **FILE_ROUTE)
    def register_export(self, request, *args, **kwargs):
        """The 收文登记簿 of the filtered list (same filters as the list) as .xlsx; the export is
        written to the access log with the classified documents it contains."""
        return export_register(request, self.get_queryset(), exports.REGISTER)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def inbox(self, request, *args, **kwargs):
        """我的收文待办 by step (sign_for, register, propose, instruct, handle, subassigned, read): each a count
        and the first 50 (``read``: the caller's 传阅件 still to be received or read)."""
        queues = selectors.incoming_inbox(user=request.user)
        answer = {}
        for step, queryset in queues.items():
            if step == "read":
                rows = ReadingInboxSerializer(queryset[:50], many=True).data
            else:
                page = selectors.with_circulating(queryset.select_related("signed_for_by"))[:50]
                rows = IncomingListSerializer(page, many=True).data
            answer[step] = {"count": queryset.count(), "results": rows}
        return Response(answer)

    @extend_schema(parameters=[PeriodQuery], responses={200: UnitFiguresSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)  # one row per unit, never paged
    def figures(self, request, *args, **kwargs):
        """办结率 and 按期办结率 per lead unit for documents instructed in [``start``, ``end``]
        (default: this year), over the documents the caller may see."""
        period = query_of(PeriodQuery, request)
        figures = selectors.completion_by_unit(user=request.user, start=period["start"], end=period["end"])
        return Response(UnitFiguresSerializer(figures, many=True).data)
