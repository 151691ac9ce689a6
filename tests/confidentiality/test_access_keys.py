"""The 知悉范围 kept as keys on each record (``access.py``) says exactly what the declarations say.

Over the whole demo office — every classifiable model, every record, every demo person — the
records ``visible_to`` lists are those the declarations (``declared_q``: participants through
joins, grants through sub-queries, the organ) let in; and the keys follow every kind of change
they derive from, in the same transaction."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm, remove_perm

from documents.models import Countersign, OutgoingDocument
from office.confidentiality import access
from office.confidentiality.levels import Level
from office.confidentiality.visibility import declared_q
from office.org.models import User
from supervision.models import SupervisionItem, SupervisionTask, TaskAssist
from tests.workflow.harness import demo_office


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield


def people():
    return list(User.objects.filter(person__isnull=False).select_related("person__unit"))


@pytest.mark.django_db
def test_every_person_sees_what_the_declarations_let_in(demo):
    checked = 0
    for model in access.classified_models():
        assert model.objects.exists(), f"the demo has no {model._meta.label}"
        for user in people():
            stored = set(model.objects.visible_to(user).values_list("pk", flat=True))
            declared = set(model.objects.filter(declared_q(model, user)).values_list("pk", flat=True))
            assert stored == declared, (model._meta.label, user.username, stored ^ declared)
            checked += len(declared)
        assert access.stale(model) == []
    assert checked > 100  # the demo gives people plenty to see


@pytest.mark.django_db
def test_keys_follow_grants_countersigns_and_the_level(demo):
    document = OutgoingDocument.objects.filter(classification=Level.INTERNAL).order_by("pk").first()
    outsider = next(
        user
        for user in people()
        if user.person.clearance >= Level.SECRET
        and not OutgoingDocument.objects.visible_to(user).filter(pk=document.pk).exists()
    )
    # A grant to the person lets them in; taking it back shuts them out again.
    assign_perm("view_outgoingdocument", outsider, document)
    assert OutgoingDocument.objects.visible_to(outsider).filter(pk=document.pk).exists()
    remove_perm("view_outgoingdocument", outsider, document)
    assert not OutgoingDocument.objects.visible_to(outsider).filter(pk=document.pk).exists()
    # A countersign by the person's unit lets the unit in; withdrawn, it does not.
    countersign = Countersign.objects.create(document=document, unit=outsider.person.unit)
    assert OutgoingDocument.objects.visible_to(outsider).filter(pk=document.pk).exists()
    countersign.delete()
    assert not OutgoingDocument.objects.visible_to(outsider).filter(pk=document.pk).exists()
    # Raised above 内部, a record is no longer open to the whole organ.
    organ_only = [
        user
        for user in people()
        if OutgoingDocument.objects.filter(pk=document.pk).filter(declared_q(OutgoingDocument, user)).exists()
    ]
    document.classification = Level.CONFIDENTIAL
    document.save(update_fields=["classification"])
    for user in organ_only:
        declared = OutgoingDocument.objects.filter(pk=document.pk).filter(declared_q(OutgoingDocument, user))
        assert OutgoingDocument.objects.visible_to(user).filter(pk=document.pk).exists() == declared.exists()
    assert access.stale(OutgoingDocument) == []


@pytest.mark.django_db
def test_keys_follow_rows_two_tables_away(demo):
    """An assisting unit of a task of an item (tasks__assists__unit) is inside the item's scope."""
    item = SupervisionItem.objects.filter(classification=Level.CONFIDENTIAL).order_by("pk").first() or (
        SupervisionItem.objects.order_by("pk").first()
    )
    task = SupervisionTask.objects.filter(item=item).first()
    assert task is not None
    outsider = next(
        user
        for user in people()
        if user.person.clearance >= item.classification
        and not SupervisionItem.objects.visible_to(user).filter(pk=item.pk).exists()
    )
    assist = TaskAssist.objects.create(task=task, unit=outsider.person.unit)
    assert SupervisionItem.objects.visible_to(outsider).filter(pk=item.pk).exists()
    assist.delete()
    assert not SupervisionItem.objects.visible_to(outsider).filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_a_record_without_keys_is_seen_by_nobody_until_migrate_fills_them(demo):
    OutgoingDocument.objects.update(access_keys=None)  # as rows loaded by SQL arrive
    assert not any(OutgoingDocument.objects.visible_to(user).exists() for user in people())
    with pytest.raises(CommandError):
        call_command("access_keys", stdout=io.StringIO())
    access.fill_missing()
    assert access.stale(OutgoingDocument) == []
    call_command("access_keys", stdout=io.StringIO())  # all current: no error


@pytest.mark.django_db
def test_the_rule_is_applied_once(demo):
    user = next(user for user in people() if OutgoingDocument.objects.visible_to(user).exists())
    twice = OutgoingDocument.objects.visible_to(user).filter(state__isnull=False).visible_to(user)
    with CaptureQueriesContext(connection) as queries:
        list(twice[:5])
    assert queries.captured_queries[-1]["sql"].count('"access_keys" &&') == 1
    # Widened by an OR, a queryset is narrowed again.
    widened = OutgoingDocument.objects.visible_to(user) | OutgoingDocument.objects.all()
    assert widened.visible_to(user).count() == OutgoingDocument.objects.visible_to(user).count()


@pytest.mark.django_db
def test_no_login_sees_nothing(demo):
    assert not OutgoingDocument.objects.visible_to(None).exists()
    assert not SupervisionItem.objects.visible_to(None).visible_to(None).exists()
