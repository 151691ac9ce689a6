from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from office.inputs import DateRangeValidator, with_control_character_check

# Declared text fields this short are one line (titles, names, numbers, notes); longer ones, and
# any rendered as a textarea, may hold line breaks.
SINGLE_LINE_MAX_LENGTH = 200


def guard_field(field) -> None:
    """Add the control-character check to a writable text field and the range check to a date
    (also to a list's or a dict's items). Passwords are hashed, never printed, and are left alone."""
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field):
        guard_field(child)
    if field.read_only:
        return
    if isinstance(field, serializers.DateField | serializers.DateTimeField):
        field.validators.append(DateRangeValidator())
        return
    if not isinstance(field, serializers.CharField):
        return
    if field.style.get("input_type") == "password":
        return
    multiline = field.style.get("base_template") == "textarea.html" or (
        field.max_length is None or field.max_length > SINGLE_LINE_MAX_LENGTH
    )
    field.validators = with_control_character_check(field.validators, multiline=multiline)


class StrictFieldsMixin:
    """Refuse fields the serializer does not know, instead of silently dropping them.

    A caller who misspells ``clearence`` must hear about it, not find the value unchanged. Every
    input serializer is built on this mixin, so it is also where text fields learn to refuse
    control characters and dates to keep to the calendar (:mod:`office.inputs`).
    """

    # DRF's own query parameters, which a query serializer may be handed along with its fields.
    framework_parameters = frozenset({"format"})

    def to_internal_value(self, data):
        if not getattr(self, "_fields_guarded", False):
            # Here rather than in get_fields: a subclass may add fields after it (AccessLogQuery).
            for field in self.fields.values():
                guard_field(field)
            self._fields_guarded = True
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


class EmptyBody(StrictFieldsMixin, serializers.Serializer):
    """An action that takes no fields: anything sent is refused rather than ignored."""


class ListQuery(StrictFieldsMixin, serializers.Serializer):
    """Query parameters of a list: unknown ones are a 400, like unknown fields in a body."""

    framework_parameters = frozenset({"format", "page", "page_size"})


class PeriodQuery(StrictFieldsMixin, serializers.Serializer):
    """A period [``start``, ``end``] of figures; by default this year up to today."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data):
        today = timezone.localdate()
        data.setdefault("start", today.replace(month=1, day=1))
        data.setdefault("end", today)
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return data
