"""What the 督查督办 pages share: the visible item (404 otherwise), the units and people a form
offers, the 发文代字 of a person's organ, and where a split's error goes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from office.confidentiality.levels import Level
from office.confidentiality.visibility import get_visible_or_404
from office.org.models import Person, Role, Unit, User
from supervision import forms, rules
from supervision.models import (
    SupervisionItem,
)

NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理督办事项。")

# --- Helpers ---------------------------------------------------------------------------------------


def _item_queryset() -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.select_related(
        "organ", "supervising_unit", "instructing_leader", "supervisor", "opened_by", "source_type"
    )


def _visible_item(request, pk) -> SupervisionItem:
    return get_visible_or_404(_item_queryset(), request.user, pk)


def _organ_of(person: Person) -> Unit:
    return Unit.objects.get(pk=person.unit.organ_id) if person.unit.organ_id else person.unit


def _units_under(organ: Unit) -> QuerySet[Unit]:
    """The organ and every unit below it (bureaus under a government included): who may lead or assist."""
    return Unit.objects.active().filter(pk__in=organ.subtree_ids()).order_by("sort_order", "pk")


def _people_in(units: QuerySet[Unit], *, cleared_for: int = Level.PUBLIC) -> QuerySet[Person]:
    return (
        Person.objects.active()
        .filter(unit__in=units, clearance__gte=cleared_for)
        .select_related("unit")
        .order_by("unit__sort_order", "name")
    )


def _leaders(units: QuerySet[Unit], *, cleared_for: int = Level.PUBLIC) -> QuerySet[Person]:
    return _people_in(units, cleared_for=cleared_for).filter(user__groups__name=Role.LEADER.value)


def _series_for(person: Person) -> QuerySet:
    """The active 发文代字 of the person's organ (a 通报 or 督查专报 goes out in one of them)."""
    from documents.models import DocumentSeries

    return DocumentSeries.objects.filter(organ__organ=person.unit.organ_id, active=True).order_by("code")


def _may_open(user: User) -> bool:
    return rules.may_open_item(user)


def _only_tasks(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) == {"tasks"}


def _put_split_error(form_or_formset, error: ValidationError) -> None:
    """A split's error (``tasks``: 第N项任务：…) at the top of the task form(s)."""
    if hasattr(error, "error_dict") and "tasks" in error.error_dict:
        messages_ = [message for e in error.error_dict["tasks"] for message in e.messages]
        if isinstance(form_or_formset, forms.BaseTaskFormSet):
            form_or_formset._non_form_errors = form_or_formset.error_class(messages_)
        else:
            form_or_formset.add_error(None, messages_)
