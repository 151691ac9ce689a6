"""The 督办流转记录 and the 延期审批 decisions can be neither rewritten nor removed, not even by a
database role holding every privilege on the table and asking pgtrigger to look away."""

from datetime import date

import pytest
from django.db import DatabaseError, transaction

from supervision import services
from supervision.models import ExtensionDecision
from tests.db_roles import assert_append_only, database_role, refused_as
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db


def test_an_items_events_cannot_be_changed_or_removed(open_item, split):
    """GIVEN an item opened and split (its 流转记录 written by the services) WHEN the ORM, or a role
    with ALL privileges and pgtrigger.ignore set, updates, deletes or truncates the events THEN
    PostgreSQL refuses each, and the 流转记录 reads as before."""
    item = open_item()
    split(item)
    before = list(item.events.order_by("id").values_list("id", "action", "actor_id", "comment"))
    assert len(before) >= 2

    assert_append_only(item.events.all(), comment="改写")

    assert list(item.events.order_by("id").values_list("id", "action", "actor_id", "comment")) == before


def test_an_extension_approval_cannot_be_turned_into_a_refusal(city, open_item, split, today):
    """GIVEN the unit head's approval of an extension WHEN someone flips it to a refusal or removes
    it THEN PostgreSQL refuses: a decision once taken stays on record."""
    [task] = split(open_item(), due=date(2026, 3, 31))
    on(today, date(2026, 3, 30))
    request = services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地手续未办完", progress="已完成60%", new_due=date(2026, 4, 30)
    )
    services.extension_decide(actor=city.ndrc_head.user, request=request, approve=True)
    decision = ExtensionDecision.objects.get(request=request)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ExtensionDecision.objects.filter(pk=decision.pk).update(approved=False)
    with database_role("supervision_extensiondecision") as role:
        assert "append-only" in refused_as(
            role, "DELETE FROM supervision_extensiondecision", ignore_table="supervision_extensiondecision"
        )

    decision.refresh_from_db()
    assert decision.approved is True
