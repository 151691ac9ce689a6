"""``/api/v1/org/``: the directory for every logged-in caller; units changed by the 系统管理员, people
by the 系统管理员 and the 安全保密管理员, each within :mod:`office.org.rights`."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from office.api.permissions import PeopleAdminsOrReadOnly, SystemAdminOrReadOnly
from office.api.serializers import StrictFieldsMixin
from office.confidentiality.levels import Level
from office.org import selectors, services
from office.org.models import Person, Role, Unit, UnitKind


class LevelField(serializers.ChoiceField):
    """A clearance or classification as its stable code (``public`` … ``top_secret``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=[(level.code, level.label) for level in Level], **kwargs)

    def to_representation(self, value):
        return Level(value).code

    def to_internal_value(self, data):
        return Level.from_code(super().to_internal_value(data))


class UnitSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "code", "kind", "parent", "organ", "head", "sort_order", "active"]
        read_only_fields = ["organ"]


class PersonSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", max_length=150)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    clearance = LevelField()
    clearance_label = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    active = serializers.BooleanField(source="user.is_active", required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "password",
            "name",
            "unit",
            "unit_name",
            "post",
            "clearance",
            "clearance_label",
            "phone",
            "email",
            "roles",
            "active",
        ]

    @extend_schema_field(serializers.CharField())
    def get_clearance_label(self, person: Person) -> str:
        return str(person.clearance_level.label)

    def to_representation(self, person):
        data = super().to_representation(person)
        data["roles"] = sorted(group.name for group in person.user.groups.all() if group.name in Role.values)
        return data

    def validate_username(self, value):
        if self.instance is not None and value != self.instance.user.username:
            raise serializers.ValidationError(_("用户名创建后不能修改。"))
        return value


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称包含"))

    class Meta:
        model = Unit
        fields = ["kind", "parent", "organ", "active"]


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("姓名包含"))
    role = django_filters.ChoiceFilter(field_name="user__groups__name", choices=Role.choices, label=_("角色"))

    class Meta:
        model = Person
        fields = ["unit"]


class OrgViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Units and people are never deleted: deactivate them instead (official records cite them)."""

    permission_classes = [SystemAdminOrReadOnly]


class UnitViewSet(OrgViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return selectors.unit_list()

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            actor=self.request.user, unit=serializer.instance, **serializer.validated_data
        )


class PersonViewSet(OrgViewSet):
    serializer_class = PersonSerializer
    permission_classes = [PeopleAdminsOrReadOnly]
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.person_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        user = data.pop("user")
        serializer.instance = services.person_create(
            actor=self.request.user, username=user["username"], active=user.get("is_active", True), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        user = data.pop("user", {})
        user.pop("username", None)
        if "password" in data:
            raise serializers.ValidationError({"password": [_("请在管理后台或“修改密码”页面修改密码。")]})
        serializer.instance = services.person_update(
            actor=self.request.user,
            person=serializer.instance,
            active=user.get("is_active"),
            **data,
        )
