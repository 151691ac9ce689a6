"""督办 on the desk: the sections of 我的督办 (``selectors.my_tasks``), what I did, what I opened."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from office.confidentiality.visibility import person_of
from office.desk.providers import (
    DONE,
    FOLLOWED,
    HISTORY_LIMIT,
    SECTION_LIMIT,
    STARTED,
    TODO,
    DeskItem,
    Provider,
    last_acted,
)
from supervision import selectors
from supervision.models import ExtensionRequest, Priority, SupervisionEvent, SupervisionItem, SupervisionTask

# Each section of 我的督办, its label and the steps (of ITEM, TASK or EXTENSION) it stands for.
SECTIONS = (
    ("split", _("待分解交办"), ("split",)),
    ("signoff", _("待审签办结报告"), ("signoff",)),
    ("review", _("待审核办结报告"), ("review",)),
    ("extensions", _("待审批延期"), ("approve", "refuse")),
    ("lead", _("本单位主办"), ("progress", "final", "extension")),
    ("assist", _("待报协办意见"), ("input",)),
)


def _urgency(item: SupervisionItem) -> tuple[str, str]:
    return ("urgent", str(Priority.URGENT.label)) if item.priority == Priority.URGENT else ("", "")


class SupervisionProvider(Provider):
    key = "supervision"
    models = (SupervisionItem,)
    label = _("督办")

    def item(self, record, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        subject = record
        if isinstance(record, ExtensionRequest):
            record = record.task
        item = record.item if isinstance(record, SupervisionTask) else record
        urgency, urgency_label = _urgency(item)
        title = item.title
        if isinstance(record, SupervisionTask) and record.title and record.title != item.title:
            title = f"{item.title}：{record.title}"
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=record,
            title=title,
            url=reverse("supervision:item_detail", args=[item.pk]),
            reference=item.number,
            urgency=urgency,
            urgency_label=urgency_label,
            since=since or (record.assigned_at if isinstance(record, SupervisionTask) else item.state_changed_at),
            steps=steps,
            classified=item,
            subject=subject,
        )

    def waiting(self, user) -> list[DeskItem]:
        sections = selectors.my_tasks(user=user)
        items = []
        for section, label, steps in SECTIONS:
            rows = sections.get(section)
            if rows is None:
                continue
            rows = rows[:SECTION_LIMIT] if isinstance(rows, list) else list(rows[:SECTION_LIMIT])
            for row in rows:
                since = row.requested_at if isinstance(row, ExtensionRequest) else None
                items.append(self.item(row, section=section, label=label, tab=TODO, steps=steps, since=since))
        return items

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        last = last_acted(SupervisionEvent, user, "item_id", limit)
        items = SupervisionItem.objects.visible_to(user).filter(pk__in=list(last))
        return [self.item(i, section="done", label=_("经我办理"), tab=DONE, since=last[i.pk]) for i in items]

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        items = SupervisionItem.objects.visible_to(user).filter(opened_by=person).order_by("-year", "-sequence")[:limit]
        return [self.item(i, section="opened", label=_("我立项"), tab=STARTED) for i in items]

    def describe(self, records) -> list[DeskItem]:
        return [self.item(record, section="followed", label=_("跟踪"), tab=FOLLOWED) for record in records]
