"""Alongside the work: the 督查员's 催办 on an item whose tasks are still owed (a record, and a
notice to each lead unit's head), and a leader's 批示 on an item (a record, and a notice to the
督查员). Neither moves the item: each is a step that records (``supervision.rules.ITEM``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_  # stored untranslated, shown translated

from office.confidentiality.levels import Level
from office.org.models import Person, User
from office.reminders import selectors as reminder_selectors
from office.reminders import services as reminders
from supervision import rules
from supervision.models import Chase, Instruction, SupervisionItem
from supervision.rules import ITEM
from supervision.services._common import _check_text

MAX_TEXT = 2000


def _chased(item: SupervisionItem) -> list[Person]:
    """Who a 催办 reaches: the head of each unit that still owes a task (its responsible person when
    the unit has no head), each once."""
    people: dict[int, Person] = {}
    for task in rules.tasks_to_chase(item):
        person = task.lead_unit.head or task.responsible_person
        people.setdefault(person.pk, person)
    return list(people.values())


def _tell(person: Person | None, item: SupervisionItem, verb: str, text: str, **values: str) -> None:
    """A notice naming the item for ``person``; the typed text travels only where the title may
    (he may see the item, and it is 内部 or below), else he reads it on the item's page."""
    if person is None or not person.user.is_active:
        return
    user = person.user
    shown = item.classification <= Level.INTERNAL and reminder_selectors.may_see_subject(item, user)
    reminders.notify(
        recipient=user,
        verb=verb,
        subject=item,
        link=f"/supervision/{item.pk}/",
        message=text if shown and text else _("请登录系统查看。"),
        **values,
    )


@transaction.atomic
def item_chase(*, actor: User, item: SupervisionItem, text: str) -> Chase:
    """催办 by the 督查员: recorded on the item (its 流转记录 too) and sent to the head of each unit
    whose task is still owed (in hand, or its 办结报告 waiting for 审签)."""
    item = ITEM.lock(item)
    acting = ITEM.check(actor, item, "chase")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("催办内容不能超过%(n)d字。") % {"n": MAX_TEXT}})
    _check_text(actor, item, item.level, text, "text", _("请填写催办内容。"))
    people = _chased(item)
    chase = Chase.objects.create(
        item=item, text=text, by=acting.person, sent_to="、".join(person.name for person in people)[:500]
    )
    ITEM.record(item, actor=acting, action=N_("催办"), comment=text)
    for person in people:
        _tell(person, item, _("督查员催办：%(title)s。%(message)s"), text)
    return chase


@transaction.atomic
def item_instruct(*, actor: User, item: SupervisionItem, text: str) -> Instruction:
    """领导批示 on an item by a leader inside its 知悉范围: recorded on the item (its 流转记录 too) and
    sent to the item's 督查员."""
    item = ITEM.lock(item)
    acting = ITEM.check(actor, item, "instruct")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("批示内容不能超过%(n)d字。") % {"n": MAX_TEXT}})
    _check_text(actor, item, item.level, text, "text", _("请填写批示内容。"))
    instruction = Instruction.objects.create(item=item, text=text, leader=acting.person)
    ITEM.record(item, actor=acting, action=N_("领导批示"), comment=text)
    if item.supervisor_id != acting.person.pk:
        _tell(item.supervisor, item, _("%(leader)s批示：%(title)s。%(message)s"), text, leader=acting.person.name)
    return instruction
