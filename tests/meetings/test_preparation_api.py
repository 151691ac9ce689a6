"""``/api/v1/meetings/tasks/`` and ``/api/v1/meetings/venues/`` (meetings/api/preparation.py): lists of
one meeting the caller may see, create, ``done`` / ``remove`` / ``test``; their answers conform to the
served schema; and the leak matrix — a 秘密 meeting's tasks and venues are a 404 and an empty nothing to
郑科员 (another city) and 吴科员 (内部)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import schemathesis
from django.test import Client
from schemathesis.core.transport import Response as SchemaResponse

from meetings import services
from meetings.models import BranchVenue, PrepTask, TaskKind
from office.confidentiality.levels import Level
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
TASKS = "/api/v1/meetings/tasks/"
VENUES = "/api/v1/meetings/venues/"


@pytest.fixture(scope="module")
def schema():
    return schemathesis.openapi.from_dict(Client().get("/api/schema/", {"format": "json"}).json())


def conforms(schema, method: str, template: str, response) -> None:
    request = requests.Request(method, f"http://testserver{template}").prepare()
    answer = SchemaResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    schema[template][method].validate_response(answer)


@pytest.fixture
def meeting(meeting_city, make_meeting, today):
    """A 秘密 meeting on Wednesday 4 March in the 保密会议室, with 钱主任 invited, 筹备中."""
    mc = meeting_city
    return make_meeting(
        starts_at=datetime(2026, 3, 4, 9, tzinfo=BEIJING),
        room=mc.secure_room,
        classification=Level.CONFIDENTIAL,
        classification_basis="《国家秘密目录》第3项",
        title="秘密专题会议",
        attendees=[mc.ndrc_head],
    )


def task_body(mc, meeting, **extra) -> dict:
    body = {
        "meeting": meeting.pk,
        "kind": TaskKind.SECURITY,
        "title": "会场保密检查和手机存放",
        "unit": mc.services_unit.pk,
        "owner": mc.officer.pk,
        "due": "2026-03-04",
    }
    body.update(extra)
    return body


def test_the_officer_runs_tasks_through_the_api(meeting_city, meeting, api_as, schema):
    mc = meeting_city
    api = api_as(mc.officer)
    created = api.post(TASKS, task_body(mc, meeting), format="json")
    assert created.status_code == 201, created.content
    conforms(schema, "POST", TASKS, created)
    body = created.json()
    assert body["kind"] == "security" and body["owner_name"] == "周会务" and body["may_complete"] is True
    task = PrepTask.objects.get(pk=body["id"])
    (deadline,) = deadlines_of(task)
    listed = api.get(TASKS, {"meeting": meeting.pk})
    assert listed.status_code == 200 and [row["id"] for row in listed.json()] == [task.pk]
    conforms(schema, "GET", TASKS, listed)
    assert api.get(TASKS).status_code == 400  # ?meeting= is required
    done = api.post(f"{TASKS}{task.pk}/done/", {"note": "已检查"}, format="json")
    assert done.status_code == 200 and done.json()["light"] == "done"
    conforms(schema, "POST", "/api/v1/meetings/tasks/{id}/done/", done)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET
    again = api.post(f"{TASKS}{task.pk}/done/", {}, format="json")
    assert again.status_code == 400
    conforms(schema, "POST", "/api/v1/meetings/tasks/{id}/done/", again)


def test_bad_input_and_refusals(meeting_city, meeting, api_as, schema):
    mc = meeting_city
    api = api_as(mc.officer)
    late = api.post(TASKS, task_body(mc, meeting, due="2026-03-09"), format="json")
    assert late.status_code == 400 and "due" in late.json()["errors"]
    conforms(schema, "POST", TASKS, late)
    unknown = api.post(TASKS, task_body(mc, meeting, colour="red"), format="json")
    assert unknown.status_code == 400 and "colour" in unknown.json()["errors"]
    low_owner = api.post(TASKS, task_body(mc, meeting, owner=mc.low.pk), format="json")
    assert low_owner.status_code == 400 and "owner" in low_owner.json()["errors"]
    assert not PrepTask.objects.exists()
    forbidden = api_as(mc.ndrc_head).post(TASKS, task_body(mc, meeting), format="json")
    assert forbidden.status_code == 403
    conforms(schema, "POST", TASKS, forbidden)
    assert not PrepTask.objects.exists()


def test_venues_are_added_tested_and_removed(meeting_city, meeting, api_as, schema):
    mc = meeting_city
    api = api_as(mc.officer)
    created = api.post(VENUES, {"meeting": meeting.pk, "name": "发改委分会场", "unit": mc.ndrc.pk}, format="json")
    assert created.status_code == 201 and created.json()["test_ok"] is None
    conforms(schema, "POST", VENUES, created)
    venue = created.json()["id"]
    bad = api.post(f"{VENUES}{venue}/test/", {"ok": False}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()["errors"]
    tested = api.post(f"{VENUES}{venue}/test/", {"ok": False, "note": "无图像"}, format="json")
    assert tested.status_code == 200 and tested.json()["test_ok"] is False
    conforms(schema, "POST", "/api/v1/meetings/venues/{id}/test/", tested)
    listed = api.get(VENUES, {"meeting": meeting.pk})
    assert [row["name"] for row in listed.json()] == ["发改委分会场"]
    conforms(schema, "GET", VENUES, listed)
    assert api.post(f"{VENUES}{venue}/remove/", format="json").status_code == 204
    assert not BranchVenue.objects.exists()


def test_a_cancelled_meeting_takes_no_task(meeting_city, meeting, api_as, schema):
    mc = meeting_city
    services.meeting_cancel(actor=mc.officer.user, meeting=meeting, reason="延期")
    refused = api_as(mc.officer).post(TASKS, task_body(mc, meeting), format="json")
    # A create moves nothing: the meeting's state refusing it is an invalid ``meeting`` (400), not a 409.
    assert refused.status_code == 400 and "meeting" in refused.json()["errors"], refused.json()
    conforms(schema, "POST", TASKS, refused)
    assert not meeting.tasks.exists()


@pytest.mark.parametrize("who", ["outsider", "low"])
def test_nothing_leaks_to_people_outside(meeting_city, meeting, api_as, who):
    """GIVEN the 秘密 meeting with a task and a venue WHEN 郑科员 or 吴科员 lists, creates or acts on them
    THEN every answer is a 404 (never a 403, never the title), and nothing changes."""
    mc = meeting_city
    task = services.task_add(
        actor=mc.officer.user,
        meeting=meeting,
        kind=TaskKind.LAYOUT,
        title="秘密任务标题",
        unit=mc.services_unit,
        owner=mc.officer,
        due=date(2026, 3, 3),
    )
    venue = services.venue_add(actor=mc.officer.user, meeting=meeting, name="秘密分会场")
    api = api_as(getattr(mc, who))
    for base in (TASKS, VENUES):
        answer = api.get(base, {"meeting": meeting.pk})
        assert answer.status_code == 404 and "秘密" not in answer.content.decode()
    assert api.post(TASKS, task_body(mc, meeting), format="json").status_code == 404
    assert api.post(VENUES, {"meeting": meeting.pk, "name": "x"}, format="json").status_code == 404
    for path in (f"{TASKS}{task.pk}/done/", f"{TASKS}{task.pk}/remove/"):
        for body in ({}, {"reason": "x", "note": "x"}):
            assert api.post(path, body, format="json").status_code == 404, path
    for path in (f"{VENUES}{venue.pk}/test/", f"{VENUES}{venue.pk}/remove/"):
        for body in ({}, {"ok": True}):
            assert api.post(path, body, format="json").status_code == 404, path
    task.refresh_from_db()
    assert task.done_at is None and PrepTask.objects.count() == 1 and BranchVenue.objects.count() == 1
    assert api.get(f"{TASKS}{task.pk}/").status_code in (404, 405)
