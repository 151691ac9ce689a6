"""The 信访 page forms: ``intake`` (登记, the 台账 filters, the figures' period) for the list pages;
the case page's action forms live in ``petitions.forms.actions`` (imported from there)."""

from petitions.forms.intake import (
    MAX_PETITIONERS,
    BasePetitionerFormSet,
    LedgerFilterForm,
    MultipleFileField,
    PeriodForm,
    PetitionerForm,
    PetitionerFormSet,
    RegisterForm,
    categories,
    upload_name,
)

__all__ = [
    "MAX_PETITIONERS",
    "BasePetitionerFormSet",
    "LedgerFilterForm",
    "MultipleFileField",
    "PeriodForm",
    "PetitionerForm",
    "PetitionerFormSet",
    "RegisterForm",
    "categories",
    "upload_name",
]
