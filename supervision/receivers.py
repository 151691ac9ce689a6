"""What supervision does when another app tells it something (``documents.hooks``), inside that
app's transaction. Connected in ``SupervisionConfig.ready()``: documents never imports supervision."""

from __future__ import annotations

from documents import hooks
from supervision import services
from supervision.models import Priority, Source, SupervisionItem


def open_item_from_instruction(event: hooks.InstructionGiven) -> None:
    """列入督办: an item from the 批示, already split to the units the leader named (its due date:
    the time limit, or the default for a document)."""
    document = event.document
    services.item_open(
        actor=event.actor,
        title=document.title,
        # Above the ceiling the item is a register entry: the instruction's text stays off it.
        requirement="" if services.above_ceiling(document.classification) else document.instruction,
        source=Source.DOCUMENT,
        source_record=document,
        source_text=" ".join(filter(None, [document.registration_text, document.sender_organ, document.sender_number])),
        instructing_leader=document.instructing_leader,
        priority=Priority.URGENT if document.urgency else Priority.NORMAL,
        due=document.time_limit,
        tasks=[
            services.TaskSpec(
                lead_unit=event.lead_unit, assisting_units=list(event.assisting_units), due=document.time_limit
            )
        ],
    )


def items_opened_from(query: hooks.FollowUpsOf) -> list[SupervisionItem]:
    opened = [item.pk for item in services.items_from(query.record)]
    if not opened:
        return []
    return list(SupervisionItem.objects.visible_to(query.user).filter(pk__in=opened))


def connect() -> None:
    hooks.instruction_given.connect(open_item_from_instruction)
    hooks.follow_ups_of.connect(items_opened_from)
