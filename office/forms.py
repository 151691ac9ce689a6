"""Form pieces shared by the domains' pages: ``BootstrapMixin`` (in ``office.confidentiality.forms``),
the Chinese date and file widgets (``office.widgets``) and the unit and people pickers
(``office.org.forms``), gathered here so that a domain's form imports them from one place."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.confidentiality.forms import BootstrapMixin
from office.org.forms import (
    PeopleChoiceField,
    PersonChoiceField,
    UnitChoiceField,
    UnitMultipleChoiceField,
)
from office.widgets import DateInput, FileInput, MultipleFileInput

__all__ = [
    "BootstrapMixin",
    "DateInput",
    "FileInput",
    "MultipleFileInput",
    "PeopleChoiceField",
    "PeriodForm",
    "PersonChoiceField",
    "UnitChoiceField",
    "UnitMultipleChoiceField",
]


class PeriodForm(BootstrapMixin, forms.Form):
    """A period [``start``, ``end``] of figures, the end not before the start. A domain names its
    dates (``start_label``, ``end_label``) and may change the default period."""

    start_label = ""
    end_label = ""

    start = forms.DateField(widget=DateInput())
    end = forms.DateField(widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].label = self.start_label
        self.fields["end"].label = self.end_label

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    @staticmethod
    def default_period() -> tuple[date, date]:
        """This year up to today."""
        today = timezone.localdate()
        return today.replace(month=1, day=1), today
