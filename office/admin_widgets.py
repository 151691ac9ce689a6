"""Admin pieces every app's admin uses.

Django's autocomplete widget re-renders a refused value by looking it up, and a value that is no
id (``?unit=abc``, ``unit=\\x01``) makes that lookup raise ``ValueError``: a 500 instead of the
form's "select a valid choice". :class:`SafeAutocompleteMixin` gives an admin's
``autocomplete_fields`` a widget that drops such values before the lookup."""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [choice for choice in value if _converts(target, choice)], attr)


def _converts(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteMixin:
    """For a ModelAdmin with ``autocomplete_fields`` (foreign keys)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
