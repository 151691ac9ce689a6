"""The answers: a 依申请公开台账 row, the whole request (its applicant, its clocks with how each due date
was counted, its 征求意见 and 保密审查, its 流转记录 and what the caller may do now), a 主动公开 and the
portal's feed line, and a 公文 found already public.

A request is need-to-know (``organ_field`` is None): whoever may see it is one of its participants,
so the applicant's identity is shown whole to every reader. A publication's 保密审查 and clocks are
shown only to those who may read its 公文; the published line itself is public."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from office.confidentiality.api import SECRECY_DETAIL_FIELDS
from office.org.api import LevelField
from office.workflow.api import EventSerializer, OfferSerializer, offers_of
from petitions.api.serializers import ClockSerializer
from petitions.disclosure.models import REASONS, Consultation, DisclosureRequest, Publication, SecrecyReview
from petitions.disclosure.rules import PUBLICATION, REQUEST

REASON_LABELS = {key: label for reasons in REASONS.values() for key, label in reasons}


class ConsultationSerializer(serializers.ModelSerializer):
    """征求意见 of a third party or another organ; the answer clock stops while one is open."""

    party_label = serializers.CharField(source="get_party_display", read_only=True)
    written_by_name = serializers.CharField(source="written_by.name", read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "party",
            "party_label",
            "name",
            "sent_on",
            "answered_on",
            "opinion",
            "agrees",
            "written_by_name",
        ]
        read_only_fields = fields


class SecrecyReviewViewSerializer(serializers.ModelSerializer):
    """A 保密审查: its conclusion, its note and who made it."""

    conclusion_label = serializers.CharField(source="get_conclusion_display", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True)

    class Meta:
        model = SecrecyReview
        fields = ["id", "conclusion", "conclusion_label", "note", "reviewer_name", "reviewed_at"]
        read_only_fields = fields


class DocumentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField(source="number_text")


class RequestListSerializer(serializers.ModelSerializer):
    """A row of the 依申请公开台账."""

    number = serializers.CharField(read_only=True)
    applicant_kind_label = serializers.CharField(source="get_applicant_kind_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    answer_type_label = serializers.CharField(source="get_answer_type_display", read_only=True)
    intake_unit_name = serializers.CharField(source="intake_unit.name", read_only=True)
    handler_name = serializers.CharField(source="handler.name", read_only=True, default=None, allow_null=True)
    classification = LevelField(read_only=True)
    level_mark = serializers.CharField(read_only=True)

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "number",
            "year",
            "applicant_kind",
            "applicant_kind_label",
            "applicant_name",
            "description",
            "channel",
            "channel_label",
            "arrived_on",
            "received_on",
            "state",
            "state_label",
            "due",
            "answer_type",
            "answer_type_label",
            "answered_on",
            "answered_on_time",
            "intake_unit",
            "intake_unit_name",
            "handler",
            "handler_name",
            "classification",
            "level_mark",
        ]
        read_only_fields = fields


class RequestDetailSerializer(RequestListSerializer):
    """The whole request as the caller may see it."""

    contact_email = serializers.CharField(read_only=True)  # "" when none: not an e-mail format
    medium_label = serializers.CharField(source="get_medium_display", read_only=True)
    delivery_label = serializers.CharField(source="get_delivery_display", read_only=True)
    holding_unit_name = serializers.CharField(source="holding_unit.name", read_only=True, default=None, allow_null=True)
    secrecy_reviewer_name = serializers.CharField(
        source="secrecy_reviewer.name", read_only=True, default=None, allow_null=True
    )
    registrar_name = serializers.CharField(source="registrar.name", read_only=True)
    answer_reason_label = serializers.SerializerMethodField()
    fee_mode_label = serializers.CharField(source="get_fee_mode_display", read_only=True)
    delivered_method_label = serializers.CharField(source="get_delivered_method_display", read_only=True)
    review_outcome_label = serializers.CharField(source="get_review_outcome_display", read_only=True)
    litigation_outcome_label = serializers.CharField(source="get_litigation_outcome_display", read_only=True)
    requested_documents = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    consultations = ConsultationSerializer(many=True, read_only=True)
    secrecy_reviews = SecrecyReviewViewSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    offered = serializers.SerializerMethodField()

    class Meta(RequestListSerializer.Meta):
        fields = [
            *RequestListSerializer.Meta.fields,
            *SECRECY_DETAIL_FIELDS,
            "organ",
            "sequence",
            "id_document",
            "contact_phone",
            "contact_address",
            "contact_email",
            "document_reference",
            "requested_documents",
            "medium",
            "medium_label",
            "delivery",
            "delivery_label",
            "holding_unit",
            "holding_unit_name",
            "secrecy_reviewer",
            "secrecy_reviewer_name",
            "registrar",
            "registrar_name",
            "registered_at",
            "state_changed_at",
            "correction_asked_on",
            "correction_items",
            "correction_until",
            "corrected_on",
            "abnormal",
            "abnormal_note",
            "fee_mode",
            "fee_mode_label",
            "fee_amount",
            "fee_notice_on",
            "fee_until",
            "fee_paid_on",
            "answer_reason",
            "answer_reason_label",
            "answer_text",
            "public_where",
            "competent_organ",
            "document",
            "delivered_method",
            "delivered_method_label",
            "closed_reason",
            "closed_at",
            "review_outcome",
            "review_outcome_label",
            "litigation_outcome",
            "litigation_outcome_label",
            "litigation_after_review",
            "clocks",
            "consultations",
            "secrecy_reviews",
            "events",
            "offered",
        ]
        read_only_fields = fields

    def get_answer_reason_label(self, request) -> str:
        return str(REASON_LABELS.get(request.answer_reason, ""))

    @extend_schema_field(DocumentLinkSerializer(many=True))
    def get_requested_documents(self, request) -> list[dict]:
        """The 公文 asked for, those the caller may read (the others are not named)."""
        readable = self.context.get("readable_documents", set())
        documents = [d for d in request.requested_documents.all() if d.pk in readable]
        return DocumentLinkSerializer(documents, many=True).data

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, request) -> list[dict]:
        return ClockSerializer(self.context.get("clocks", []), many=True).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, request) -> list[dict]:
        return offers_of(REQUEST, self.context["request"].user, request)


class AnswerDraftSerializer(RequestDetailSerializer):
    """The request after 拟写告知书, with the 告知书 draft made (a 信函 to 核稿 and 签发 in documents)."""

    draft_document = serializers.SerializerMethodField()

    class Meta(RequestDetailSerializer.Meta):
        fields = [*RequestDetailSerializer.Meta.fields, "draft_document"]
        read_only_fields = fields

    def get_draft_document(self, request) -> int:
        return self.context["draft_document"]


class ConsultationAnswerSerializer(RequestDetailSerializer):
    """The request after 征求意见, naming the consultation made (for its ``opinion`` later)."""

    consultation = serializers.SerializerMethodField()

    class Meta(RequestDetailSerializer.Meta):
        fields = [*RequestDetailSerializer.Meta.fields, "consultation"]
        read_only_fields = fields

    def get_consultation(self, request) -> int:
        return self.context["consultation"]


# --- 主动公开 ------------------------------------------------------------------------------------------


class PublicationSerializer(serializers.ModelSerializer):
    """A 主动公开: its 公文, where and when it is (to be) public."""

    title = serializers.CharField(source="document.title", read_only=True)
    number = serializers.CharField(source="document.number_text", read_only=True)
    organ_name = serializers.CharField(source="organ.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    url = serializers.CharField(read_only=True)  # "" until published: not a URI format

    class Meta:
        model = Publication
        fields = [
            "id",
            "document",
            "title",
            "number",
            "organ",
            "organ_name",
            "category",
            "category_label",
            "state",
            "state_label",
            "made_on",
            "due",
            "published_on",
            "published_on_time",
            "channel",
            "url",
            "index_number",
            "repealed_on",
            "updated_at",
        ]
        read_only_fields = fields


class PublicationDetailSerializer(PublicationSerializer):
    """A 主动公开 in full: with its 保密审查 and its clock for those who may read the 公文, and the
    steps the caller may take now."""

    secrecy_reviews = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    offered = serializers.SerializerMethodField()

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "secrecy_reviews", "clocks", "offered"]
        read_only_fields = fields

    @extend_schema_field(SecrecyReviewViewSerializer(many=True))
    def get_secrecy_reviews(self, publication) -> list[dict]:
        if not self.context.get("reads_document"):
            return []
        return SecrecyReviewViewSerializer(publication.secrecy_reviews.all(), many=True).data

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, publication) -> list[dict]:
        if not self.context.get("reads_document"):
            return []
        return ClockSerializer(self.context.get("clocks", []), many=True).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_offered(self, publication) -> list[dict]:
        return offers_of(PUBLICATION, self.context["request"].user, publication)


class FeedItemSerializer(serializers.ModelSerializer):
    """One line of the portal's feed (the 公开目录): what was published, where it is."""

    title = serializers.CharField(source="document.title", read_only=True)
    number = serializers.CharField(source="document.number_text", read_only=True)
    organ = serializers.CharField(source="organ.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "title", "number", "organ", "category", "category_label", "published_on", "url", "index_number"]
        read_only_fields = fields


class AlreadyPublicSerializer(serializers.Serializer):
    """A 发文 already 主动公开 that matches the request's words."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField(source="number_text")
    state = serializers.CharField()
    written_date = serializers.DateField(allow_null=True)


# --- 年度报告 ------------------------------------------------------------------------------------------


class ReportOrganSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReportRowSerializer(serializers.Serializer):
    """One row of a table: its code (``new``, ``refused.state_secret``, ``publication.rules`` …), its
    label as printed, its depth and one count per column (none for a heading row)."""

    code = serializers.CharField()
    label = serializers.CharField()
    level = serializers.IntegerField(help_text=gettext_lazy("0 一级部分，1（一）等分组，2 分组下的具体情形"))
    counts = serializers.ListField(child=serializers.IntegerField(), allow_null=True)


class ReportTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)


class ReportOutcomeGroupSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy("review 行政复议；direct 未经复议直接起诉；after_review 复议后起诉")
    )
    label = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField())


class ReportOutcomesSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    groups = ReportOutcomeGroupSerializer(many=True)


@extend_schema_serializer(many=False)  # one report, though the route is a viewset's ``list``
class AnnualReportSerializer(serializers.Serializer):
    """The 年度报告's tables: 二、主动公开 (``publications``), 三、收到和处理政府信息公开申请 (``requests``: a
    column per 申请人类型 and 总计) and 四、行政复议、行政诉讼 (``outcomes``)."""

    organ = ReportOrganSerializer()
    year = serializers.IntegerField()
    publications = ReportTableSerializer()
    requests = ReportTableSerializer()
    outcomes = ReportOutcomesSerializer()
