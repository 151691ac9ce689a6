from django.utils.translation import gettext as _
from rest_framework import serializers


class StrictFieldsMixin:
    """Refuse fields the serializer does not know, instead of silently dropping them.

    A caller who misspells ``clearence`` must hear about it, not find the value unchanged.
    """

    # DRF's own query parameters, which a query serializer may be handed along with its fields.
    framework_parameters = frozenset({"format"})

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                name: [_("未知字段或只读字段。")] for name in sorted(set(data) - writable - self.framework_parameters)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value
