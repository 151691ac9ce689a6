"""The organisation-wide snapshot follows the transitions: a workflow move, once committed, has the
refresh task run (Celery in eager mode: the very task the worker would run, on the real database),
so the 全局 figures are not stale until the beat's next round; one pending refresh serves every
move meanwhile, and a move that is rolled back queues nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from documents.incoming import rules as incoming_rules
from documents.incoming import services as incoming
from documents.models import IncomingDocument, IncomingState
from office.celery import app
from office.dashboard import refresh, service
from office.dashboard.forms import DashboardForm
from office.dashboard.models import FigureSnapshot
from office.dashboard.registry import Scope
from office.org.models import Person
from tests.workflow.harness import demo_office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield list(Person.objects.select_related("user", "unit").filter(user__isnull=False))


@pytest.fixture
def eager():
    """The worker's task run in-process (``task_always_eager``), the debounce key cleared."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    cache.delete(refresh.KEY)
    yield
    app.conf.task_always_eager = before
    cache.delete(refresh.KEY)


def _scope() -> Scope:
    start, end = DashboardForm.default_period()
    return Scope(user=None, start=start, end=end, whole=True)


def _done(snapshot: FigureSnapshot) -> int:
    panel = next(p for p in snapshot.payload["panels"] if p["key"] == "incoming-completion")
    return dict(panel["table"])["已办结"]


def _one_to_complete(people) -> tuple[IncomingDocument, object]:
    """A 收文 in hand, instructed this year, and the person its flow offers 办结 to."""
    start, end = DashboardForm.default_period()
    candidates = IncomingDocument.objects.filter(
        state=IncomingState.HANDLING, instructed_at__date__gte=start, instructed_at__date__lte=end
    )
    for document in candidates:
        for person in people:
            if "complete" in incoming_rules.incoming_machine.offered(person.user, document):
                return document, person.user
    pytest.fail("the demo office has a 收文 in hand that someone may 办结")


def _complete(document, user) -> None:
    incoming.incoming_complete(actor=user, document=document, result="已办理完毕。", reply="已答复来文单位。")


def test_a_transition_refreshes_the_snapshot_after_its_commit(people, eager, django_capture_on_commit_callbacks):
    """GIVEN the beat's snapshot WHEN a 收文 is 办结 THEN, once the step is committed, the snapshot is
    computed again and counts it — not before the commit."""
    stored = service.store(_scope())
    document, user = _one_to_complete(people)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _complete(document, user)
        assert FigureSnapshot.objects.get(pk=stored.pk).computed_at == stored.computed_at

    assert len(callbacks) >= 1
    fresh = FigureSnapshot.objects.get(pk=stored.pk)
    assert fresh.computed_at > stored.computed_at
    assert _done(fresh) == _done(stored) + 1
    assert fresh.payload == service.store(_scope()).payload  # what the beat itself would store


def test_one_pending_refresh_serves_every_move_meanwhile(people, eager, django_capture_on_commit_callbacks):
    """GIVEN a refresh already queued (its key taken) WHEN a move commits THEN no second refresh is
    queued; once the refresh has started (the key given back) the next move queues one again."""
    stored = service.store(_scope())
    assert refresh.schedule() is True  # eager: runs at once, and gives the key back
    assert FigureSnapshot.objects.get(pk=stored.pk).computed_at > stored.computed_at
    cache.add(refresh.KEY, 1, timeout=60)  # as if a refresh were waiting for its countdown
    before = FigureSnapshot.objects.get(pk=stored.pk).computed_at
    document, user = _one_to_complete(people)

    with django_capture_on_commit_callbacks(execute=True):
        _complete(document, user)

    assert FigureSnapshot.objects.get(pk=stored.pk).computed_at == before
    refresh.release()
    assert refresh.schedule() is True
    assert _done(FigureSnapshot.objects.get(pk=stored.pk)) == _done(stored) + 1


def test_a_move_rolled_back_queues_nothing(people, eager, django_capture_on_commit_callbacks):
    stored = service.store(_scope())
    document, user = _one_to_complete(people)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _complete(document, user)
        raise RuntimeError("the step fails after the move")

    assert callbacks == []
    assert FigureSnapshot.objects.get(pk=stored.pk).computed_at == stored.computed_at
    assert IncomingDocument.objects.get(pk=document.pk).state == IncomingState.HANDLING
