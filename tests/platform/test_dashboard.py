"""领导驾驶舱: figures equal hand counts for viewers of different scope, records outside a
viewer's 知悉范围 change nothing he sees, organisation-wide figures need the permission, and the
page, the export and the API answer the same summary."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from documents.models import AssignmentRole, IncomingDocument, IncomingState
from office.dashboard import registry, service
from office.dashboard.forms import DashboardForm
from office.dashboard.models import FigureSnapshot
from office.dashboard.registry import Scope
from office.org.models import Person
from supervision.models import SupervisionItem, TaskState
from tests.workflow.harness import demo_office

pytestmark = pytest.mark.django_db
DONE = (IncomingState.DONE, IncomingState.ARCHIVED)


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}


def _summary(user, *, whole=False):
    """The summary as the page reads it (from the reader's snapshot once he has one)."""
    start, end = DashboardForm.default_period()
    return service.summary(Scope(user=user, start=start, end=end, whole=whole))


def _counted(user, *, whole=False):
    """The figures counted now, as a snapshot would be computed (no snapshot read)."""
    start, end = DashboardForm.default_period()
    return registry.summary(Scope(user=user, start=start, end=end, whole=whole))


def _table(summary, key) -> dict:
    panel = next(p for p in summary["panels"] if p["key"] == key)
    return {row[0]: row[1] for row in panel["table"]}


def _by_hand(user) -> tuple[int, int, int, int]:
    """收文 交办 and 已办结, 督办 tasks and 审结 — counted in Python over what he may see."""
    start, end = DashboardForm.default_period()
    tz = timezone.get_current_timezone()
    since, until = datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)
    assigned = done = 0
    for document in IncomingDocument.objects.visible_to(user).prefetch_related("assignments"):
        if document.instructed_at is None or not since <= document.instructed_at < until:
            continue
        leads = [a for a in document.assignments.all() if a.role == AssignmentRole.LEAD]
        assigned += len(leads)
        done += len(leads) if document.state in DONE else 0
    tasks = finished = 0
    for item in SupervisionItem.objects.visible_to(user).prefetch_related("tasks"):
        for task in item.tasks.all():
            if task.state == TaskState.CANCELLED or not start <= timezone.localdate(task.assigned_at) <= end:
                continue
            tasks += 1
            finished += task.state == TaskState.DONE
    return assigned, done, tasks, finished


@pytest.mark.parametrize("username", ["director", "office_chief", "swj_director"])
def test_figures_equal_hand_counts(people, username):
    user = people[username].user
    summary = _summary(user)
    incoming, tasks = _table(summary, "incoming-completion"), _table(summary, "supervision-completion")
    assert (incoming["交办"], incoming["已办结"], tasks["任务"], tasks["已审结"]) == _by_hand(user)


def test_the_three_viewers_see_different_scopes(people):
    seen = {name: _by_hand(people[name].user) for name in ("director", "office_chief", "swj_director")}
    assert len(set(seen.values())) > 1, "the fixtures give the viewers different scopes"


def test_a_record_outside_his_scope_changes_nothing_he_sees(people):
    head = people["swj_director"].user
    hidden = (
        IncomingDocument.objects.exclude(pk__in=IncomingDocument.objects.visible_to(head).values("pk"))
        .filter(assignments__role=AssignmentRole.LEAD, instructed_at__isnull=False)
        .exclude(state__in=DONE)
        .first()
    )
    assert hidden is not None, "the demo office has 收文 in hand he may not see"
    before, whole_before = _counted(head), _counted(people["director"].user, whole=True)
    IncomingDocument.objects.filter(pk=hidden.pk).update(state=IncomingState.DONE, done_on_time=True)
    assert _counted(head) == before
    assert _counted(people["director"].user, whole=True) != whole_before


def test_organisation_wide_figures_need_the_permission(people, client):
    chief = people["office_chief"].user
    client.force_login(chief)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/", {"scope": "global", "start": "2026-01-01", "end": "2026-12-01"}).status_code == 403
    chief.user_permissions.add(Permission.objects.get(codename="view_global_statistics"))
    assert client.get("/dashboard/", {"scope": "global", "start": "2026-01-01", "end": "2026-12-01"}).status_code == 200
    client.force_login(people["clerk"].user)  # neither leader, office director nor a unit's head
    assert client.get("/dashboard/").status_code == 403
    assert 'data-testid="nav-dashboard"' not in client.get("/").content.decode()


def test_the_page_draws_charts_links_bars_to_the_ledger_and_exports_the_figures(people, client):
    client.force_login(people["director"].user)
    page = client.get("/dashboard/")
    html = page.content.decode()
    assert 'data-testid="nav-dashboard"' in html
    assert 'data-chart="chart-option-supervision-lights"' in html and 'id="chart-option-incoming-trend"' in html
    summary = page.context["data"]
    lights = next(p for p in summary["panels"] if p["key"] == "supervision-lights")
    for link in lights["links"]:
        assert link.startswith("/supervision/?lead_unit=")
        assert client.get(link + "&light=red").status_code == 200
    export = client.get("/dashboard/export.xlsx")
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(export.content))
    overview = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    tiles = {tile["label"]: tile["value"] for tile in summary["tiles"]}
    assert {row[0]: row[1] for row in overview[1:]} == tiles
    assert "收文办结率" in book.sheetnames


def test_the_api_answers_the_same_summary_and_refuses_bad_periods(people, api):
    director = people["director"].user
    api.force_authenticate(director)
    data = api.get("/api/v1/dashboard/summary/").json()
    assert data == _summary(director)
    assert api.get("/api/v1/dashboard/summary/", {"start": "2026-12-01", "end": "2026-01-01"}).status_code == 400
    assert api.get("/api/v1/dashboard/summary/", {"start": "2026-13-01"}).status_code == 400
    assert api.get("/api/v1/dashboard/summary/", {"scope": "all"}).status_code == 400
    api.force_authenticate(people["clerk"].user)
    assert api.get("/api/v1/dashboard/summary/").status_code == 403


def test_the_snapshot_serves_global_figures_with_the_readers_own_tiles(people):
    start, end = DashboardForm.default_period()
    snapshot = service.store(Scope(user=None, start=start, end=end, whole=True))
    assert FigureSnapshot.objects.filter(key=snapshot.key).exists()
    director = people["director"].user
    data = _summary(director, whole=True)
    assert data["computed_at"]
    own = {t["key"]: t["value"] for t in _summary(director)["tiles"]}
    shown = {t["key"]: t["value"] for t in data["tiles"]}
    assert shown["outgoing-sign"] == own["outgoing-sign"]
    # Every tile of his own work is his, not the snapshot's (stored without a reader: 0).
    assert all(shown[key] == own[key] for key in ("incoming-instruct", "supervision-extensions", "deadlines-week"))
    assert own["deadlines-week"] > 0 or own["incoming-instruct"] > 0
    assert _table(data, "incoming-completion") == _table(_summary(director, whole=True), "incoming-completion")


def test_dates_outside_the_calendar_are_refused_not_a_500(people, client, api):
    client.force_login(people["director"].user)
    page = client.get("/dashboard/", {"start": "0001-01-01", "end": "9999-12-31"})
    assert page.status_code == 200 and "日期应在 1900-01-01 至 2999-12-31 之间" in page.content.decode()
    assert api.get("/api/v1/dashboard/summary/", {"start": "0001-01-01"}).status_code in (400, 401)
    api.force_authenticate(people["director"].user)
    assert api.get("/api/v1/dashboard/summary/", {"start": "0001-01-01"}).status_code == 400
