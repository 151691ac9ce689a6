"""The 流转记录 of 发文 and 收文 can be neither rewritten nor removed, not even by a database role
holding every privilege on the table and asking pgtrigger to look away."""

import pytest
from django.db import DatabaseError, transaction

from documents.models import IncomingTransition, Transition
from tests.db_roles import assert_append_only, database_role, refused_as

pytestmark = pytest.mark.django_db


def _history(model, document) -> list[tuple]:
    return list(
        model.objects.filter(document=document).order_by("id").values_list("id", "action", "actor_id", "comment")
    )


def test_an_outgoing_documents_transitions_cannot_be_changed_or_removed(make_document, walk):
    """GIVEN a 发文 moved to 核稿 (its 流转记录 written by the workflow) WHEN the ORM, or a role with
    ALL privileges and pgtrigger.ignore set, updates, deletes or truncates its transitions THEN
    PostgreSQL refuses each, and the 流转记录 reads as before."""
    document = walk(make_document(), "review")
    before = _history(Transition, document)
    assert before

    assert_append_only(document.transitions.all(), comment="改写的意见")

    assert _history(Transition, document) == before


def test_an_incoming_documents_transitions_cannot_be_changed_or_removed(advance, receive):
    """GIVEN a 收文 signed for and registered WHEN its 流转记录 is updated or deleted (ORM, or a role
    with every privilege and pgtrigger.ignore set) THEN PostgreSQL refuses and nothing changes."""
    document = advance(receive(), "registered")
    before = _history(IncomingTransition, document)
    assert before

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IncomingTransition.objects.filter(document=document).update(comment="改写")
    with database_role("documents_incomingtransition") as role:
        for sql in ("UPDATE documents_incomingtransition SET comment = ''", "DELETE FROM documents_incomingtransition"):
            assert "append-only" in refused_as(role, sql, ignore_table="documents_incomingtransition")

    assert _history(IncomingTransition, document) == before
