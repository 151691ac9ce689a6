"""The querysets the answers are built from, each in a fixed number of queries whatever the page size."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from office.reminders.models import Deadline
from supervision import selectors
from supervision.models import Milestone, SupervisionItem, SupervisionTask, TaskAssist


def list_queryset(items, today=None):
    """A list row: the ledger row every 督办台账 shows (``selectors.ledger_rows``)."""
    return selectors.ledger_rows(items, today)


def detail_queryset(items):
    """Everything a detail shows but the tasks (``selectors.item_tasks``), in a fixed number of queries."""
    return selectors.with_item_light(
        items.select_related(
            "organ", "supervising_unit", "instructing_leader", "supervisor", "opened_by", "source_type"
        ).prefetch_related("events", "instructions__leader", "chases__by")
    )


def item_deadlines(item: SupervisionItem, tasks: list[SupervisionTask]) -> list[dict]:
    """Every Deadline of the item, its tasks, their assisting units and milestones (one query)."""
    subjects = {("item", item.pk): SupervisionItem}
    for task in tasks:
        subjects[("task", task.pk)] = SupervisionTask
        subjects.update({("assist", assist.pk): TaskAssist for assist in task.assists.all()})
        subjects.update({("milestone", milestone.pk): Milestone for milestone in task.milestones.all()})
    types = ContentType.objects.get_for_models(SupervisionItem, SupervisionTask, TaskAssist, Milestone)
    names = {types[model].pk: name for (name, _pk), model in subjects.items()}
    condition = Q(pk__in=[])
    for model in (SupervisionItem, SupervisionTask, TaskAssist, Milestone):
        ids = [pk for (_name, pk), subject_model in subjects.items() if subject_model is model]
        if ids:
            condition |= Q(content_type=types[model], object_id__in=ids)
    deadlines = Deadline.objects.filter(condition).order_by("due_date", "id")
    for deadline in deadlines:
        deadline.subject_kind = names[deadline.content_type_id]
    return deadlines
