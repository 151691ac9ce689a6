"""The 建议提案 API's answers: sessions, rows, an item in full (shares, contacts, clocks, events,
``offered``) and the figures."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from office.workflow.api import EventSerializer, offers_of
from petitions.api.serializers import ClockSerializer
from petitions.proposals.models import (
    AssignmentState,
    Proposal,
    ProposalAssignment,
    ProposalContact,
    ProposalSession,
)
from petitions.proposals.rules import PROPOSAL

OUT_OF_REACH = OpenApiResponse(description=gettext_lazy("办理后本人已不在该建议提案的知悉范围内（无内容）"))


class ProposalSessionSerializer(serializers.ModelSerializer):
    body_label = serializers.CharField(source="get_body_display", read_only=True)

    class Meta:
        model = ProposalSession
        fields = ["id", "organ", "body", "body_label", "name", "year", "recipient_office"]
        read_only_fields = fields


class ProposalContactViewSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    written_by_name = serializers.CharField(source="written_by.name", read_only=True)

    class Meta:
        model = ProposalContact
        fields = ["id", "method", "method_label", "on", "people", "view", "leader_visit", "written_by_name"]
        read_only_fields = fields


class ProposalShareViewSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    result_code_label = serializers.CharField(source="get_result_code_display", read_only=True)
    satisfaction_label = serializers.CharField(source="get_satisfaction_display", read_only=True)
    liaison_name = serializers.CharField(source="liaison.name", read_only=True, default=None, allow_null=True)
    contacts = ProposalContactViewSerializer(many=True, read_only=True)

    class Meta:
        model = ProposalAssignment
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "role_label",
            "state",
            "state_label",
            "liaison",
            "liaison_name",
            "assigned_on",
            "due",
            "adjust_reason",
            "adjust_suggested_unit",
            "opinion",
            "opinion_on",
            "result_code",
            "result_code_label",
            "reply_text",
            "promised_on",
            "document",
            "replied_on",
            "replied_on_time",
            "satisfaction",
            "satisfaction_label",
            "rated_on",
            "rehandle_count",
            "follow_up",
            "contacts",
        ]
        read_only_fields = fields


class ProposalListSerializer(serializers.ModelSerializer):
    """A row of the 建议提案台账."""

    session_name = serializers.CharField(source="session.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "session",
            "session_name",
            "kind",
            "kind_label",
            "number",
            "title",
            "lead_proposer",
            "delegation",
            "submitted_on",
            "assigned_on",
            "mode",
            "mode_label",
            "key",
            "state",
            "state_label",
            "due",
        ]
        read_only_fields = fields


class ProposalSignerSerializer(serializers.Serializer):
    name = serializers.CharField()
    delegation = serializers.CharField()
    lead = serializers.BooleanField()


class ProposalDetailSerializer(ProposalListSerializer):
    """The whole item as the caller may see it, with the steps he may take now (``offered``)."""

    content = serializers.CharField(read_only=True)
    leading_leader_name = serializers.CharField(
        source="leading_leader.name", read_only=True, default=None, allow_null=True
    )
    intake_unit_name = serializers.CharField(source="intake_unit.name", read_only=True)
    signers = ProposalSignerSerializer(many=True, read_only=True)
    shares = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "content",
            "leading_leader",
            "leading_leader_name",
            "intake_unit",
            "intake_unit_name",
            "closed_at",
            "signers",
            "shares",
            "clocks",
            "events",
            "offered",
        ]
        read_only_fields = fields

    def get_shares(self, proposal) -> list[dict]:
        live = [a for a in proposal.assignments.all() if a.state != AssignmentState.WITHDRAWN]
        return ProposalShareViewSerializer(live, many=True).data

    def get_clocks(self, proposal) -> list[dict]:
        return ClockSerializer(self.context.get("clocks", []), many=True).data

    def get_offered(self, proposal) -> list[dict]:
        return offers_of(PROPOSAL, self.context["request"].user, proposal)


class ProposalFigureRowSerializer(serializers.Serializer):
    """One 承办单位's figures for the year (``unit`` null: the 合计 row); rates are 0–1, null without a base."""

    unit = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    lead = serializers.IntegerField()
    assist = serializers.IntegerField()
    split = serializers.IntegerField()
    answering = serializers.IntegerField()
    reckoned = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    contacted = serializers.IntegerField()
    contact_rate = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)
    coded = serializers.IntegerField()
    a_class = serializers.IntegerField()
    a_rate = serializers.FloatField(allow_null=True)
    rehandled = serializers.IntegerField()


def detail_queryset(items):
    return items.select_related("session", "intake_unit", "leading_leader").prefetch_related(
        "signers",
        "events",
        Prefetch(
            "assignments",
            queryset=ProposalAssignment.objects.select_related("unit", "liaison").prefetch_related(
                "contacts__written_by"
            ),
        ),
    )


def action_schema(request_serializer, *, summary: str = ""):
    return extend_schema(
        request=request_serializer,
        responses={200: ProposalDetailSerializer, 204: OUT_OF_REACH},
        description=summary or None,
    )
