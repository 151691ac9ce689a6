"""The answers: a 信访台账 row, the whole case (its 信访人 as the caller may see them, its clocks,
answers, handling notes, 流转记录 and what the caller may do now), and a repeat candidate.

The 信访人 are read through ``selectors.petitioners_of`` only: masked for all but the case's
handlers. A repeat candidate carries no identity at all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from office.confidentiality.api import SECRECY_DETAIL_FIELDS
from office.org.api import LevelField
from office.workflow.api import EventSerializer, OfferSerializer, offers_of
from petitions import selectors
from petitions.models import CaseAttachment, CaseNote, CaseReply, PetitionCase
from petitions.rules import CASE, may_see_identity

LIGHTS = [("green", "green"), ("yellow", "yellow"), ("red", "red"), ("none", "none")]


class PetitionerViewSerializer(serializers.Serializer):
    """A 信访人 as the caller may see him (``masked``: name, ID number, phone, address hidden)."""

    name = serializers.CharField()
    kind_label = serializers.CharField(source="kind")
    id_number = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    hukou = serializers.CharField()
    representative = serializers.BooleanField()
    masked = serializers.BooleanField()


class ClockSerializer(serializers.Serializer):
    """One statutory clock of the case (open, met or cancelled) with how its due date was counted."""

    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind_id")
    kind_name = serializers.CharField(source="kind.name")
    start = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    suspended = serializers.BooleanField()
    met_on = serializers.DateField(allow_null=True)
    met_on_time = serializers.BooleanField(allow_null=True)
    derivation = serializers.CharField()


class CaseReplySerializer(serializers.ModelSerializer):
    """An answer of a stage, its 答复意见书 (``document``: an outgoing document) and its 送达."""

    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    opinion_label = serializers.CharField(source="get_opinion_display", read_only=True)
    served_method_label = serializers.CharField(source="get_served_method_display", read_only=True)
    written_by_name = serializers.CharField(source="written_by.name", read_only=True)
    receipt = serializers.SerializerMethodField(help_text=gettext_lazy("送达回证（可能写有签收人：非经办人员见 ***）"))

    class Meta:
        model = CaseReply
        fields = [
            "id",
            "stage",
            "stage_label",
            "opinion",
            "opinion_label",
            "facts",
            "basis",
            "document",
            "written_by_name",
            "written_at",
            "served_on",
            "served_method",
            "served_method_label",
            "receipt",
        ]
        read_only_fields = fields

    def get_receipt(self, reply: CaseReply) -> str:
        request = self.context.get("request")
        if not reply.receipt or (request is not None and may_see_identity(request.user, reply.case)):
            return reply.receipt
        return "***"


class CaseNoteSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    written_by_name = serializers.CharField(source="written_by.name", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "kind_label", "on", "ends_on", "text", "written_by_name", "written_at"]
        read_only_fields = fields


class CaseLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer):
    """A row of the 信访台账 (no content; the 信访人's names as the caller may see them)."""

    number = serializers.CharField(read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    category_name = serializers.CharField(source="category.__str__", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default=None, allow_null=True)
    handling_unit_name = serializers.CharField(
        source="handling_unit.name", read_only=True, default=None, allow_null=True
    )
    intake_unit_name = serializers.CharField(source="intake_unit.name", read_only=True)
    petitioner_names = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
    classification = LevelField(read_only=True)
    level_mark = serializers.CharField(read_only=True)

    class Meta:
        model = PetitionCase
        fields = [
            "id",
            "number",
            "title",
            "channel",
            "channel_label",
            "kind",
            "kind_label",
            "category",
            "category_name",
            "area",
            "area_name",
            "received_on",
            "state",
            "state_label",
            "stage",
            "stage_label",
            "route",
            "intake_unit",
            "intake_unit_name",
            "handling_unit",
            "handling_unit_name",
            "petitioner_names",
            "headcount",
            "mass",
            "urgent",
            "first_time",
            "beyond_level",
            "repeat_count",
            "due",
            "light",
            "satisfaction",
            "classification",
            "level_mark",
        ]
        read_only_fields = fields

    def get_petitioner_names(self, case) -> str:
        return selectors.petitioner_names(case, self.context["request"].user)

    @extend_schema_field(serializers.ChoiceField(choices=LIGHTS))
    def get_light(self, case) -> str:
        return selectors.light(case)


class CaseAttachmentSerializer(serializers.ModelSerializer):
    """A paper of the case file: its name and when, not its bytes (``attachments/{id}/`` downloads it)."""

    uploaded_by_name = serializers.CharField(source="uploaded_by.name", read_only=True)

    class Meta:
        model = CaseAttachment
        fields = ["id", "name", "uploaded_by_name", "uploaded_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseListSerializer):
    """The whole case as the caller may see it."""

    petitioners = serializers.SerializerMethodField()
    involved_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    accused_unit_name = serializers.CharField(source="accused_unit.name", read_only=True, default=None, allow_null=True)
    accused_person_name = serializers.CharField(
        source="accused_person.name", read_only=True, default=None, allow_null=True
    )
    registrar_name = serializers.CharField(source="registrar.name", read_only=True)
    handler_name = serializers.CharField(source="handler.name", read_only=True, default=None, allow_null=True)
    reviewing_unit_name = serializers.CharField(
        source="reviewing_unit.name", read_only=True, default=None, allow_null=True
    )
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    repeat_of = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    replies = CaseReplySerializer(many=True, read_only=True)
    notes = CaseNoteSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    attachments = CaseAttachmentSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            *SECRECY_DETAIL_FIELDS,
            "content",
            "superior_number",
            "petitioners",
            "involved_units",
            "accused_unit",
            "accused_unit_name",
            "accused_person",
            "accused_person_name",
            "registrar",
            "registrar_name",
            "registered_at",
            "route_label",
            "route_note",
            "routed_on",
            "handler",
            "handler_name",
            "reviewing_unit",
            "reviewing_unit_name",
            "report_back_due",
            "accepted_on",
            "accepted_on_time",
            "window_until",
            "rated_on",
            "done_on_time",
            "final",
            "closed_at",
            "archived_at",
            "retention",
            "state_changed_at",
            "repeat_of",
            "merged_into",
            "clocks",
            "replies",
            "notes",
            "events",
            "attachments",
            "offered",
        ]
        read_only_fields = fields

    @extend_schema_field(PetitionerViewSerializer(many=True))
    def get_petitioners(self, case) -> list[dict]:
        views = selectors.petitioners_of(case, self.context["request"].user)
        return PetitionerViewSerializer(views, many=True).data

    def _link(self, other: PetitionCase | None) -> dict | None:
        """Another case by number, when the caller may see it (never one outside his reach)."""
        if other is None:
            return None
        visible = self.context.get("visible_links", set())
        return {"id": other.pk, "number": other.number} if other.pk in visible else None

    @extend_schema_field(CaseLinkSerializer(allow_null=True))
    def get_repeat_of(self, case) -> dict | None:
        return self._link(case.repeat_of)

    @extend_schema_field(CaseLinkSerializer(allow_null=True))
    def get_merged_into(self, case) -> dict | None:
        return self._link(case.merged_into)

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, case) -> list[dict]:
        return ClockSerializer(self.context.get("clocks", []), many=True).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, case) -> list[dict]:
        return offers_of(CASE, self.context["request"].user, case)


class ReplyAnswerSerializer(CaseDetailSerializer):
    """The case after 拟写答复意见, with the 答复意见书 draft made (an outgoing document to 核稿 and 签发)."""

    draft_document = serializers.SerializerMethodField()

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "draft_document"]
        read_only_fields = fields

    def get_draft_document(self, case) -> int:
        return self.context["draft_document"]


class RepeatCandidateSerializer(serializers.ModelSerializer):
    """A case that may repeat this one: its number, summary and state — no 信访人."""

    number = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = PetitionCase
        fields = ["id", "number", "title", "received_on", "state", "state_label", "repeat_count"]
        read_only_fields = fields
