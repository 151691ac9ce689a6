"""委托 as the workflow reads it: the principals a person may act for now, on a record he may see.

``office.workflow.Machine.check`` asks here only when a step refuses the person himself; each
principal found is tried as ``Actor(user=<the delegate>, person=<the principal>)``, so the step's
own rule decides, the rows written name the delegate's account, and the 流转记录 reads
"何佳（代李明华）". A delegate never acts for someone through a 委托 of that someone's own
(no chains), and never on a record closed to himself (``visible_to`` stays the floor).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from office.desk.models import Delegation


def active(person, *, today=None) -> list[Delegation]:
    """The 委托 ``person`` holds today (not revoked, in their period), read once per person object
    and day."""
    today = today or timezone.localdate()
    cached = getattr(person, "_held_delegations", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    held = list(
        Delegation.objects.filter(delegate=person, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
        .select_related("principal__user", "principal__unit")
        .order_by("id")
    )
    person._held_delegations = (today, held)
    return held


def covers(delegation: Delegation, machine_name: str) -> bool:
    return not delegation.flows or machine_name in delegation.flows


def acting_for(actor, machine, record: Any) -> Iterator[Any]:
    """Actors "代" each principal whose 委托 covers ``machine``, when ``actor`` may see ``record``."""
    from office.reminders.selectors import may_see_subject
    from office.workflow.machine import Actor

    if actor.on_behalf:
        return
    held = [d for d in active(actor.person) if covers(d, machine.name)]
    if not held or not may_see_subject(record, actor.user):
        return
    for delegation in held:
        principal = delegation.principal
        if principal.user_id and principal.user.is_active:
            yield Actor(user=actor.user, person=principal, principal_user=principal.user)
