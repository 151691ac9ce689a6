"""The 流转记录 of 发文 and 收文 can be neither rewritten nor removed, not even by a database role
holding every privilege on the table and asking pgtrigger to look away."""

import pytest
from django.db import DatabaseError, transaction

from documents.models import IncomingTransition, Transition
from tests.db_roles import database_role, refused_as

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

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        document.transitions.update(comment="改写的意见")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Transition.objects.filter(document=document).delete()
    with database_role("documents_transition") as role:
        for sql in (
            "UPDATE documents_transition SET actor_name = '他人'",
            "DELETE FROM documents_transition",
            "TRUNCATE documents_transition",
        ):
            assert "append-only" in refused_as(role, sql, ignore_table="documents_transition")

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
