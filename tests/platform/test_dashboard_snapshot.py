"""A reader's own dashboard is read from his snapshot, so no request counts a million rows: the
first read computes and keeps it, later reads serve it — with his own tiles and the listings read
live — the refresh task recomputes it as he would see it now, and a 知悉范围 that changes drops it."""

from __future__ import annotations

import pytest
from django.db import transaction

from documents.models import IncomingDocument, IncomingState
from office.confidentiality import services as secrecy
from office.dashboard import service, tasks
from office.dashboard.forms import DashboardForm
from office.dashboard.models import FigureSnapshot
from office.dashboard.registry import Scope
from office.org.models import Person
from tests.workflow.harness import demo_office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}


def _read(user) -> dict:
    start, end = DashboardForm.default_period()
    return service.summary(Scope(user=user, start=start, end=end))


def _panel(summary, key) -> dict:
    return next(p for p in [*summary["tiles"], *summary["panels"]] if p["key"] == key)


def _completion(summary) -> dict:
    return {row[0]: row[1] for row in _panel(summary, "incoming-completion")["table"]}


def _one_in_hand(user) -> IncomingDocument:
    document = (
        IncomingDocument.objects.visible_to(user)
        .filter(instructed_at__isnull=False, assignments__role="lead")
        .exclude(state__in=[IncomingState.DONE, IncomingState.ARCHIVED])
        .first()
    )
    assert document is not None, "the demo office has 收文 in hand the 市长 may see"
    return document


def test_later_reads_serve_the_snapshot_until_the_refresh_recomputes_it(people):
    mayor = people["director"].user
    first = _read(mayor)
    kept = FigureSnapshot.objects.get(key__startswith=f"own:{mayor.pk}:")
    assert first["computed_at"] == kept.computed_at.isoformat()
    IncomingDocument.objects.filter(pk=_one_in_hand(mayor).pk).update(state=IncomingState.DONE, done_on_time=True)

    served = _read(mayor)
    assert served["computed_at"] == first["computed_at"]
    assert _completion(served) == _completion(first)  # not counted again by the request

    tasks.refresh()  # the beat's round (or the debounced one after a transition)
    refreshed = _read(mayor)
    assert refreshed["computed_at"] > first["computed_at"]
    assert _completion(refreshed)["已办结"] == _completion(first)["已办结"] + 1


def test_his_own_tiles_and_the_listings_are_read_live(people):
    mayor = people["director"].user
    first = _read(mayor)
    waiting = _panel(first, "incoming-instruct")["value"]
    assert waiting > 0, "the demo office has 收文 waiting for the 市长's 批示"
    IncomingDocument.objects.filter(state=IncomingState.INSTRUCTION).update(state=IncomingState.HANDLING)

    served = _read(mayor)
    assert served["computed_at"] == first["computed_at"]
    assert _panel(served, "incoming-instruct")["value"] == 0
    kept = FigureSnapshot.objects.get(key__startswith=f"own:{mayor.pk}:").payload
    assert next(t for t in kept["tiles"] if t["key"] == "incoming-instruct")["value"] == 0  # never stored
    assert all(not p["rows"] for p in kept["panels"] if p["kind"] == "listing")


def test_a_grant_given_drops_every_readers_figures(people, django_capture_on_commit_callbacks):
    mayor, head = people["director"].user, people["swj_director"]
    _read(mayor)
    _read(head.user)
    assert FigureSnapshot.objects.filter(key__startswith="own:").count() == 2
    hidden = IncomingDocument.objects.exclude(pk__in=IncomingDocument.objects.visible_to(head.user).values("pk"))
    document = hidden.filter(classification__lte=head.clearance).first()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        secrecy.grant(actor=people["security_officer"].user, record=document, person=head, reason="工作需要")
    assert not FigureSnapshot.objects.filter(key__startswith="own:").exists()
