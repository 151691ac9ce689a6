"""Form fields over the organisation that every module's pages use: the unit and people pickers.

They render as plain ``<select>`` elements (a form works without JavaScript) that
``office/static/office/pickers.js`` turns into searchable Tom Select pickers:

- a unit is labelled with its parents ("市政府办公室 › 秘书科", never four bare "办公室"), the
  options grouped by organ; a multiple unit picker offers the person's 常用组 as well;
- a person is labelled "姓名（单位 · 职务）" and carries the ids of their units (``data-units``), so
  that a person field tied to a unit field of the same form (``unit_field``) offers only the
  people of the chosen unit. The server checks the choice as before: the filter only helps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from office.org.models import Person, Unit, UnitKind

PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class _Node:
    name: str
    short_name: str
    parent_id: int | None
    organ_id: int | None
    kind: str


class UnitTree:
    """Every unit's name and parent, read in one query, to label units with their path."""

    def __init__(self):
        self.nodes = {
            row["id"]: _Node(row["name"], row["short_name"], row["parent_id"], row["organ_id"], row["kind"])
            for row in Unit.objects.values("id", "name", "short_name", "parent_id", "organ_id", "kind")
        }

    def label(self, unit_id: int) -> str:
        """The unit's name after its parents' (short) names, the root of the tree left out:
        "市政府办公室 › 秘书科", "市商务局 › 办公室"; an organ directly under the root is its name."""
        node = self.nodes.get(unit_id)
        if node is None:
            return ""
        parts, parent_id = [node.name], node.parent_id
        while parent_id is not None and parent_id in self.nodes:
            parent = self.nodes[parent_id]
            if parent.parent_id is None:
                break  # the root (the government itself) would only lengthen every label
            parts.append(parent.short_name or parent.name)
            parent_id = parent.parent_id
        return PATH_SEPARATOR.join(reversed(parts))

    def organ_name(self, unit_id: int) -> str:
        node = self.nodes.get(unit_id)
        organ = self.nodes.get(node.organ_id) if node else None
        return organ.name if organ else str(_("其他"))

    def organ_lineage(self, unit_id: int) -> list[int]:
        """The unit and the units above it up to and including its organ (``Person.units``)."""
        ids, current = [], unit_id
        while current is not None and current in self.nodes:
            ids.append(current)
            node = self.nodes[current]
            if node.kind == UnitKind.ORGAN:
                break
            current = node.parent_id
        return ids


def unit_label(unit: Unit) -> str:
    """One unit's label with its parents (one query: use a field for many)."""
    return UnitTree().label(unit.pk)


class _TreeMixin:
    """A field that labels its choices from one :class:`UnitTree` per form: the fields of a form
    are copied in one ``deepcopy`` (Django's ``BaseForm.__init__``), whose memo they share."""

    def unit_tree(self) -> UnitTree:
        holder = getattr(self, "_tree_holder", None)
        if holder is None:
            holder = self._tree_holder = [None]
        if holder[0] is None:
            holder[0] = UnitTree()
        return holder[0]

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._tree_holder = memo.setdefault("office.org.forms.unit_tree", [None])  # read afresh per form
        if isinstance(result.widget, _TreeOptions):
            result.widget.field = result
        return result


# --- Units -------------------------------------------------------------------------------------


class GroupedUnitIterator(ModelChoiceIterator):
    """The units as ``<optgroup>`` per organ, in the queryset's order of organs."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        tree = self.field.unit_tree()
        groups: dict[str, list] = {}
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        for unit in queryset:
            groups.setdefault(tree.organ_name(unit.pk), []).append(self.choice(unit))
        yield from groups.items()


class _TreeOptions:
    """Each option carries what the picker searches besides its label (``data-search``: the full
    name and the short name, so "发改委" finds 发展和改革委员会); ``field`` is the field whose
    unit tree labels the options (set per form)."""

    picker = "unit"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": self.picker, **(attrs or {})}, choices)
        self.field = None

    def option_data(self, instance, tree: UnitTree) -> dict[str, str]:
        node = tree.nodes.get(instance.pk)
        return {"data-search": " ".join(dict.fromkeys(filter(None, (node.name, node.short_name))))} if node else {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(value, ModelChoiceIteratorValue) and self.field is not None:
            data = self.option_data(value.instance, self.field.unit_tree())
            if data.get("data-search") in (None, str(label)):
                data.pop("data-search", None)  # nothing to find beyond the label itself
            option["attrs"].update(data)
        return option


class UnitSelect(_TreeOptions, forms.Select):
    picker = "unit"


class UnitSelectMultiple(_TreeOptions, forms.SelectMultiple):
    """Several units; the picker's 常用组 menu is read from ``org_unit_group_options``."""

    picker = "units"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("data-unit-groups", reverse("org_unit_group_options"))
        context["widget"]["attrs"].setdefault("data-unit-groups-page", reverse("org_unit_groups"))
        return context


class UnitChoiceField(_TreeMixin, forms.ModelChoiceField):
    """One unit, labelled with its parents, grouped by organ."""

    iterator = GroupedUnitIterator
    widget = UnitSelect

    def label_from_instance(self, unit: Unit) -> str:
        return self.unit_tree().label(unit.pk)


class UnitMultipleChoiceField(_TreeMixin, forms.ModelMultipleChoiceField):
    """Several units (主送, 抄送, 会签, 协办), labelled with their parents, grouped by organ."""

    iterator = GroupedUnitIterator
    widget = UnitSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("输入名称检索，可一次加入一个常用组。"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit: Unit) -> str:
        return self.unit_tree().label(unit.pk)


# --- People ------------------------------------------------------------------------------------


class PersonIterator(ModelChoiceIterator):
    """The people as ``<optgroup>`` per organ (催办人, 责任人: not one flat list of everyone)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        tree = self.field.unit_tree()
        groups: dict[str, list] = {}
        queryset = self.queryset.select_related("unit")
        for person in queryset.iterator() if not queryset._prefetch_related_lookups else queryset:
            groups.setdefault(tree.organ_name(person.unit_id), []).append(self.choice(person))
        yield from groups.items()


class _PersonOptions(_TreeOptions):
    """Each person's option carries the ids of their units (``data-units``), for the unit filter of
    the picker, and their unit's names for the search."""

    picker = "person"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.unit_field = None
        self.clearance_field = None

    def option_data(self, person, tree: UnitTree) -> dict[str, str]:
        node = tree.nodes.get(person.unit_id)
        names = (person.name, node.name, node.short_name) if node else (person.name,)
        return {
            "data-units": " ".join(str(pk) for pk in tree.organ_lineage(person.unit_id)),
            "data-search": " ".join(dict.fromkeys(filter(None, names))),
            "data-clearance": str(int(person.clearance)),
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The other fields' names as submitted, with this form's prefix ("form-0-lead_unit").
        prefix = name.rpartition("-")[0]
        for attr, field_name in (("data-unit-field", self.unit_field), ("data-clearance-field", self.clearance_field)):
            if field_name:
                context["widget"]["attrs"][attr] = f"{prefix}-{field_name}" if prefix else field_name
        return context


class PersonSelect(_PersonOptions, forms.Select):
    pass


class PersonSelectMultiple(_PersonOptions, forms.SelectMultiple):
    picker = "people"


class _PersonFieldMixin(_TreeMixin):
    iterator = PersonIterator

    def __init__(self, *args, unit_field: str | None = None, clearance_field: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The picker offers only the people of the unit chosen in this form's ``unit_field``, and
        # cleared for the level chosen in its ``clearance_field`` (the service checks both again).
        self.widget.unit_field = unit_field
        self.widget.clearance_field = clearance_field

    def label_from_instance(self, person: Person) -> str:
        return person_label(person, tree=self.unit_tree())


def person_label(person: Person, *, tree: UnitTree | None = None) -> str:
    """A person named as people in the office know them: name, unit (with its parents) and post
    (or clearance)."""
    unit = tree.label(person.unit_id) if tree is not None else person.unit.name
    return f"{person.name}（{unit} · {person.post or person.get_clearance_display()}）"


class PersonChoiceField(_PersonFieldMixin, forms.ModelChoiceField):
    """One person; ``unit_field`` names the unit field of the same form that narrows the choice."""

    widget = PersonSelect


class PeopleChoiceField(_PersonFieldMixin, forms.ModelMultipleChoiceField):
    """Several people (传阅人), in the order chosen."""

    widget = PersonSelectMultiple
