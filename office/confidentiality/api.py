"""``/api/v1/confidentiality/carriers/``: the classified-carrier register, through visible_to()."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from office.api.helpers import valid
from office.api.serializers import StrictFieldsMixin
from office.confidentiality import services
from office.confidentiality.api_base import VisibleViewSetMixin
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier, CarrierKind, TermUnit
from office.org.api import LevelField
from office.org.models import Person, Unit

# The 保密期限 and 定密依据 a record's detail shows after its 密级, in this order.
SECRECY_DETAIL_FIELDS = (
    "secrecy_term_unit",
    "secrecy_term_amount",
    "secrecy_until",
    "declassify_condition",
    "classification_basis",
)


class ClassificationFieldsMixin(serializers.Serializer):
    """The 密级 and 保密期限 as other systems send and read them."""

    classification = LevelField()
    secrecy_term_unit = serializers.ChoiceField(choices=TermUnit.choices, required=False, allow_blank=True)
    secrecy_term_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    secrecy_until = serializers.DateField(required=False, allow_null=True)
    declassify_condition = serializers.CharField(required=False, allow_blank=True, max_length=200)
    classification_basis = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @staticmethod
    def classification_arguments(data: dict) -> dict:
        return {
            "level": data["classification"],
            "term_unit": data.get("secrecy_term_unit", ""),
            "term_amount": data.get("secrecy_term_amount"),
            "until": data.get("secrecy_until"),
            "condition": data.get("declassify_condition", ""),
            "basis": data.get("classification_basis", ""),
        }


class CarrierSerializer(serializers.ModelSerializer):
    classification = LevelField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.name", read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = Carrier
        fields = [
            "id",
            "title",
            "kind",
            "reference",
            "source_organ",
            "unit",
            "unit_name",
            "classification",
            "level_mark",
            "secrecy_term_unit",
            "secrecy_term_amount",
            "secrecy_until",
            "declassify_condition",
            "secrecy_from",
            "declassify_due",
            "classification_basis",
            "created_by_name",
            "created_at",
            "content",
        ]
        read_only_fields = fields

    def get_content(self, carrier) -> str | None:
        # 绝密 content is shown on screen only, watermarked: the API (an export route) never carries it.
        return None if carrier.level == Level.TOP_SECRET else carrier.content


class CarrierCreateSerializer(StrictFieldsMixin, ClassificationFieldsMixin):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CarrierKind.choices, default=CarrierKind.PAPER)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True)
    source_organ = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.active())
    content = serializers.CharField(required=False, allow_blank=True, max_length=200_000)


class ScopeChangeSerializer(StrictFieldsMixin, serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ReclassifySerializer(StrictFieldsMixin, ClassificationFieldsMixin):
    reason = serializers.CharField(max_length=300)


class ContentSerializer(StrictFieldsMixin, serializers.Serializer):
    content = serializers.CharField(allow_blank=True, max_length=200_000)


class CarrierViewSet(VisibleViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Carriers the caller may see. Register with POST; change scope, level and content through
    the actions; nothing is ever deleted."""

    model = Carrier
    serializer_class = CarrierSerializer
    filterset_fields = ["unit", "kind", "classification"]

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "created_by")

    @extend_schema(request=CarrierCreateSerializer, responses={201: CarrierSerializer})
    def create(self, request, *args, **kwargs):
        data = valid(CarrierCreateSerializer, request.data)
        carrier = services.carrier_register(
            actor=request.user,
            title=data["title"],
            kind=data["kind"],
            reference=data.get("reference", ""),
            source_organ=data.get("source_organ", ""),
            unit=data["unit"],
            content=data.get("content", ""),
            **ClassificationFieldsMixin.classification_arguments(data),
        )
        return Response(CarrierSerializer(carrier).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScopeChangeSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        """Add a person or a unit to the 知悉范围 (owner or 保密员)."""
        record = self.get_managed_object()
        data = valid(ScopeChangeSerializer, request.data)
        services.grant(
            actor=request.user,
            record=record,
            person=data.get("person"),
            unit=data.get("unit"),
            reason=data.get("reason", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ScopeChangeSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Remove a person or a unit from the 知悉范围 (owner or 保密员)."""
        record = self.get_managed_object()
        data = valid(ScopeChangeSerializer, request.data)
        services.revoke(
            actor=request.user,
            record=record,
            person=data.get("person"),
            unit=data.get("unit"),
            reason=data.get("reason", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ReclassifySerializer, responses={200: CarrierSerializer})
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        """Change the level or the term, with a reason (owner or 保密员)."""
        record = self.get_managed_object()
        data = valid(ReclassifySerializer, request.data)
        carrier = services.reclassify(
            actor=request.user,
            record=record,
            reason=data["reason"],
            **ClassificationFieldsMixin.classification_arguments(data),
        )
        return Response(CarrierSerializer(carrier).data)

    @extend_schema(request=ContentSerializer, responses={200: CarrierSerializer})
    @action(detail=True, methods=["post"])
    def content(self, request, pk=None):
        """Replace the content; refused above the deployment's classification ceiling."""
        carrier = self.get_managed_object()
        data = valid(ContentSerializer, request.data)
        carrier = services.carrier_update_content(actor=request.user, carrier=carrier, content=data["content"])
        return Response(CarrierSerializer(carrier).data)
