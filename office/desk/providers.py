"""The provider interface of the desk and the merge of what the providers answer.

A provider is a small class per flow (``documents/outgoing/desk.py``…): ``waiting`` (待办 and
待阅), ``done`` (已办) and ``started`` (我发起), each over what ``visible_to(user)`` lets the
person see, each a bounded, constant number of queries whatever the number of items; and
``mark_read`` for 批量已阅 when the provider has reading items. The desk attaches each item's
earliest open deadline in one query per kind of record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

TODO, READ, DONE, STARTED, FOLLOWED = "todo", "read", "done", "started", "followed"
TABS = [
    (TODO, _("待办")),
    (READ, _("待阅")),
    (DONE, _("已办")),
    (STARTED, _("我发起")),
    (FOLLOWED, _("跟踪")),
]
TAB_KEYS = tuple(key for key, _label in TABS)

# How many items one section of one provider may bring: the desk is a list to work through,
# not a register (the module's own lists page through everything).
SECTION_LIMIT = 100
HISTORY_LIMIT = 50

URGENCY_RANK = {"extra_urgent": 2, "urgent": 1}


@dataclass
class DeskItem:
    """One line of the desk: a record, why it is here and where to act on it."""

    provider: str  # the provider's key: outgoing, incoming, supervision…
    module: str  # 发文, 收文, 督办 — for the reader
    section: str  # the provider's section key: review, sign, read…
    section_label: str  # 待核稿, 待签发, 待阅…
    tab: str  # TODO or READ (or DONE / STARTED for the history tabs)
    record: Any  # the record (a document, an item, a task…)
    title: str
    url: str
    reference: str = ""  # 文号, 编号
    urgency: str = ""  # "", urgent, extra_urgent
    urgency_label: str = ""
    since: datetime | None = None  # when it arrived (or was done)
    readable_id: int | None = None  # for 批量已阅: the provider's own row id
    steps: tuple[str, ...] = ()  # the flow's steps this section stands for (tests check them offered)
    deadline: Any = None  # the earliest open Deadline of the record, attached by ``attach_deadlines``
    classified: Any = None  # the record whose classification applies, when not ``record`` (a task's item)
    subject: Any = None  # the row the steps act on, when not ``record`` (a 传阅 reader, an extension request)
    on_behalf_of: str = ""  # the principal's name, for an item waiting for him under a 委托

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.section}:{self.readable_id or self.record.pk}"

    @property
    def level_record(self):
        return self.classified if self.classified is not None else self.record

    @property
    def classification(self) -> int:
        return getattr(self.level_record, "classification", 0)

    @property
    def due_date(self) -> date | None:
        return getattr(self.deadline, "due_date", None)


@dataclass
class Provider:
    """What one flow answers the desk. Subclasses set ``key`` and ``label`` and override the
    methods they have; the defaults answer nothing."""

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    models: ClassVar[tuple] = ()  # the records it describes (跟踪)
    options: dict = field(default_factory=dict)

    def describe(self, records) -> list[DeskItem]:
        """跟踪: these records (already within what the person may see) as desk lines."""
        return []

    def waiting(self, user) -> list[DeskItem]:
        return []

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        return []

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        return []

    def mark_read(self, user, ids: list[int]) -> int:
        """Mark these reading items (``readable_id``) read; returns how many were. Only items
        the person may still read are touched: the others are left as they are."""
        return 0


def last_acted(event_model, user, record_field: str, limit: int) -> dict[int, datetime]:
    """The records ``user`` took a step on (a flow's 流转记录 ``event_model``), the latest first,
    with the time of his last step on each."""
    from django.db.models import Max

    rows = (
        event_model.objects.filter(actor=user)
        .values(record_field)
        .annotate(last=Max("at"))
        .order_by("-last")
        .values_list(record_field, "last")
    )
    return dict(rows[:limit])


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Called from an app's ``ready()``; a second call for the same key replaces the first."""
    _providers[provider.key] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def provider(key: str) -> Provider | None:
    return _providers.get(key)


def sort_key(item: DeskItem):
    """Most urgent first; then the nearest due date (none last); then the oldest arrival."""
    due = item.due_date or date.max
    since = item.since.timestamp() if item.since else float("inf")
    return (-URGENCY_RANK.get(item.urgency, 0), due, since)


def attach_deadlines(items: list[DeskItem]) -> list[DeskItem]:
    """Each item's earliest open deadline, one query per kind of record on the desk."""
    from office.reminders.models import Deadline, DeadlineState

    by_model: dict[type, list[DeskItem]] = defaultdict(list)
    for item in items:
        by_model[type(item.record)].append(item)
    for model, group in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        earliest: dict[int, Deadline] = {}
        deadlines = Deadline.objects.filter(
            content_type=content_type,
            object_id__in={item.record.pk for item in group},
            state=DeadlineState.OPEN,
        ).order_by("due_date", "id")
        for deadline in deadlines:
            earliest.setdefault(deadline.object_id, deadline)
        for item in group:
            item.deadline = earliest.get(item.record.pk)
    return items


def _own_waiting(user) -> list[DeskItem]:
    return [item for p in providers() for item in p.waiting(user)]


def delegated(user) -> list[DeskItem]:
    """What waits for those who named ``user`` their delegate (委托), of the kinds of work they
    named and on records ``user`` may see himself."""
    from office.confidentiality.visibility import person_of
    from office.desk.delegation import active, covers
    from office.reminders.selectors import may_see_subject
    from office.workflow.machine import MACHINES

    person = person_of(user)
    if person is None:
        return []
    machines = {machine.model: machine.name for machine in MACHINES.values()}
    items = []
    for delegation in active(person):
        principal = delegation.principal
        for item in _own_waiting(principal.user):
            subject = item.subject if item.subject is not None else item.record
            # Reading is the reader's own: a 委托 brings the principal's steps, not his 传阅.
            if item.tab == READ or not covers(delegation, machines.get(type(subject), "")):
                continue
            if not may_see_subject(item.record, user):
                continue
            item.on_behalf_of = principal.name
            items.append(item)
    return items


def waiting(user) -> list[DeskItem]:
    items = _own_waiting(user) + delegated(user)
    return sorted(attach_deadlines(items), key=sort_key)


def _counts(items: list[DeskItem]) -> dict[str, int]:
    counts = {TODO: 0, READ: 0}
    for item in items:
        counts[item.tab] += 1
    return counts


def desk(user, tab: str) -> tuple[list[DeskItem], dict[str, int]]:
    """The items of ``tab`` and the counts: 待办/待阅 from what waits, and the tab asked for when
    it is a history tab (as listed: at most ``HISTORY_LIMIT`` per provider)."""
    pending = waiting(user)
    counts = _counts(pending)
    if tab in (TODO, READ):
        return [item for item in pending if item.tab == tab], counts
    if tab == FOLLOWED:
        items = followed(user)
    else:
        method = "done" if tab == DONE else "started"
        items = [item for p in providers() for item in getattr(p, method)(user)]
        items.sort(key=lambda item: item.since.timestamp() if item.since else 0, reverse=True)
    return items, {**counts, tab: len(items)}


def followed(user) -> list[DeskItem]:
    """跟踪: the records the person follows, only those he may still see, the latest followed
    first (one query for the follows, one per kind of record)."""
    from office.confidentiality.visibility import person_of
    from office.desk.models import Follow

    person = person_of(user)
    if person is None:
        return []
    follows = list(Follow.objects.filter(person=person).select_related("content_type")[:HISTORY_LIMIT])
    by_model: dict[type, list[int]] = defaultdict(list)
    for follow in follows:
        model = follow.content_type.model_class()
        if model is not None:
            by_model[model].append(follow.object_id)
    items: dict[tuple[type, int], DeskItem] = {}
    for p in providers():
        for model in p.models:
            if model in by_model:
                records = model.objects.visible_to(user).filter(pk__in=by_model[model])
                items.update({(model, item.record.pk): item for item in p.describe(records)})
    return [items[key] for follow in follows if (key := (follow.content_type.model_class(), follow.object_id)) in items]


def waiting_counts(user) -> dict[str, int]:
    """The navigation's badge: what waits, without the deadlines the list attaches."""
    return _counts(_own_waiting(user) + delegated(user))


def mark_read(user, keys: list[str]) -> int:
    """批量已阅: ``keys`` are items' ``key``; each provider marks its own."""
    by_provider: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        parts = str(key).split(":")
        if len(parts) == 3 and parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 19:
            by_provider[parts[0]].append(int(parts[2]))
    done = 0
    for key, ids in by_provider.items():
        if (p := provider(key)) is not None:
            done += p.mark_read(user, ids)
    return done
