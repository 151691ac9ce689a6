"""Form fields over the organisation that every module's pages use."""

from __future__ import annotations

from django import forms

from office.org.models import Person


class PersonChoiceField(forms.ModelChoiceField):
    """A person named as people in the office know them: name, unit and post (or clearance)."""

    def label_from_instance(self, person: Person) -> str:
        return f"{person.name}（{person.unit.name} · {person.post or person.get_clearance_display()}）"
