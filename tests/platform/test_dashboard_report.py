"""领导驾驶舱 → 月报/季报 draft: the page's buttons and the API make a 报告 (上行文) draft in 拟稿 in
the 发文代字 chosen, whose body carries the period's figures exactly as the viewer's dashboard shows
them (over what he may see); nobody who may not open the dashboard makes one."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from documents.models import (
    AssignmentRole,
    DocumentKind,
    DocumentSeries,
    IncomingDocument,
    IncomingState,
    OutgoingDocument,
)
from documents.outgoing.models import Direction, DocumentState
from office.dashboard import report, service
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


def _quarter():
    return report.period(report.QUARTER, timezone.localdate())


def _by_hand(user, start, end) -> dict[str, int]:
    """收文 交办/已办结 and 督办 任务/已审结 of the period, counted in Python over what he may see."""
    tz = timezone.get_current_timezone()
    since, until = datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)
    counts = dict.fromkeys(("交办", "已办结", "任务", "已审结"), 0)
    for document in IncomingDocument.objects.visible_to(user).prefetch_related("assignments"):
        if document.instructed_at is None or not since <= document.instructed_at < until:
            continue
        leads = sum(a.role == AssignmentRole.LEAD for a in document.assignments.all())
        counts["交办"] += leads
        counts["已办结"] += leads if document.state in DONE else 0
    for item in SupervisionItem.objects.visible_to(user).prefetch_related("tasks"):
        for task in item.tasks.all():
            if task.state == TaskState.CANCELLED or not start <= timezone.localdate(task.assigned_at) <= end:
                continue
            counts["任务"] += 1
            counts["已审结"] += task.state == TaskState.DONE
    return counts


def _figure(body: str, label: str) -> int:
    found = re.findall(rf"(?:^|；){re.escape(label)}：(\d+)", body, flags=re.M)
    assert len(found) == 1, (label, body)
    return int(found[0])


def _series_of(person) -> list[DocumentSeries]:
    series = DocumentSeries.objects.filter(organ__organ=person.unit.organ_id, active=True)
    return list(series.exclude(template="letter").order_by("code"))  # a 报告 is never drafted as a 函


@pytest.mark.parametrize("username", ["director", "office_chief"])
def test_the_page_drafts_a_report_with_the_figures_he_sees(people, client, username):
    """GIVEN a viewer of the dashboard WHEN he presses 生成季报草稿 THEN he lands on a new 报告 draft
    (上行文, 拟稿, his, in the 发文代字 he chose) whose figures are his own hand counts of the quarter."""
    person = people[username]
    series = _series_of(person)[-1]
    client.force_login(person.user)
    page = client.get("/dashboard/")
    assert 'data-testid="dashboard-report-draft"' in page.content.decode()
    assert "生成月报草稿" in page.content.decode() and "生成季报草稿" in page.content.decode()

    answer = client.post(
        "/dashboard/", {"series": series.pk, "month": timezone.localdate().strftime("%Y-%m"), "kind": "quarter"}
    )

    document = OutgoingDocument.objects.get(drafter=person, kind=DocumentKind.REPORT, title__contains="季度工作情况")
    assert answer.status_code == 302 and answer["Location"] == f"/documents/outgoing/{document.pk}/"
    assert (document.state, document.direction, document.series) == (DocumentState.DRAFT, Direction.UPWARD, series)
    start, end = _quarter()
    assert {label: _figure(document.body, label) for label in ("交办", "已办结", "任务", "已审结")} == _by_hand(
        person.user, start, end
    )
    assert client.get(answer["Location"]).status_code == 200


def test_the_body_is_the_dashboard_of_that_period_and_names_no_title(people):
    """GIVEN the 市长's dashboard of this month WHEN its 月报 is drafted THEN every tile and every chart
    figure the page shows for that month is in the body, and no title of its lists."""
    user = people["director"].user
    start, end = report.period(report.MONTH, timezone.localdate())
    data = service.summary(Scope(user=user, start=start, end=end))
    pk, _url = report.draft(user=user, series=_series_of(people["director"])[0].pk, kind="month", month=start)
    body = OutgoingDocument.objects.get(pk=pk).body

    assert body.startswith(f"根据领导驾驶舱统计，现将{start.year}年{start.month}月1日至") and body.endswith(
        "特此报告。"
    )
    assert "一、主要数字" in body
    for tile in data["tiles"]:
        assert f"{tile['label']}：{tile['value']}" in body
    for panel in data["panels"]:
        if panel["kind"] == "chart":
            assert f"、{panel['title']}\n" in body
        else:
            assert all(row["title"] not in body for row in panel["rows"])


def test_nobody_outside_the_dashboard_drafts_one(people, client, api):
    """GIVEN a 文秘 (neither leader, office director nor a unit's head) WHEN he posts the form or
    calls the API THEN he is refused as the dashboard refuses him, and no draft is made."""
    clerk = people["clerk"]
    form = {"series": _series_of(clerk)[0].pk, "month": timezone.localdate().strftime("%Y-%m"), "kind": "month"}
    before = OutgoingDocument.objects.count()
    client.force_login(clerk.user)
    assert client.get("/dashboard/").status_code == 403
    assert client.post("/dashboard/", form).status_code == 403
    api.force_authenticate(clerk.user)
    answer = api.post("/api/v1/dashboard/report-draft/", form, format="json")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert OutgoingDocument.objects.count() == before


def test_the_api_drafts_one_and_refuses_a_bad_period_or_another_organs_series(people, api):
    """GIVEN the 市长 WHEN he asks the API for this month's 月报 THEN 201 names the draft and its page;
    a month that is no month, one not yet begun, or a 发文代字 not his organ's is a 400."""
    director = people["director"]
    series = _series_of(director)[0]
    api.force_authenticate(director.user)
    today = timezone.localdate()
    body = {"series": series.pk, "kind": "month", "month": today.strftime("%Y-%m")}

    answer = api.post("/api/v1/dashboard/report-draft/", body, format="json")

    assert answer.status_code == 201
    created = answer.json()
    document = OutgoingDocument.objects.get(pk=created["id"])
    assert created["url"] == f"/documents/outgoing/{document.pk}/"
    assert (created["start"], created["end"]) == (today.replace(day=1).isoformat(), today.isoformat())
    assert document.title == f"关于{today.year}年{today.month}月份工作情况的报告"
    assert (document.kind, document.state, document.series) == (DocumentKind.REPORT, DocumentState.DRAFT, series)

    next_year = f"{today.year + 1}-01"
    wrongs = [{"month": "2026-13"}, {"month": "2026-11-01"}, {"month": next_year}, {"month": "9999-12"}]
    for wrong, field in [*((w, "month") for w in wrongs), ({"kind": "year"}, "kind")]:
        refused = api.post("/api/v1/dashboard/report-draft/", {**body, **wrong}, format="json")
        assert refused.status_code == 400 and field in refused.json()["errors"], wrong
    other = DocumentSeries.objects.filter(active=True).exclude(organ__organ=director.unit.organ_id).first()
    if other is not None:
        refused = api.post("/api/v1/dashboard/report-draft/", {**body, "series": other.pk}, format="json")
        assert refused.status_code == 400 and "series" in refused.json()["errors"]
    assert api.post("/api/v1/dashboard/report-draft/", {**body, "series": 10**9}, format="json").status_code == 400


def test_a_head_whose_organ_has_no_series_is_offered_no_draft(people, client):
    head = people["swj_director"]
    assert _series_of(head) == []
    client.force_login(head.user)
    page = client.get("/dashboard/")
    assert page.status_code == 200 and 'data-testid="dashboard-report-draft"' not in page.content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    refused = client.post("/dashboard/", {"series": 1, "month": month, "kind": "month"})
    assert refused.status_code == 400
    assert not OutgoingDocument.objects.filter(drafter=head, kind=DocumentKind.REPORT).exists()


def test_the_page_shows_a_bad_period_on_the_form(people, client):
    person = people["office_chief"]
    client.force_login(person.user)
    before = OutgoingDocument.objects.count()
    next_year = f"{timezone.localdate().year + 1}-03"
    answer = client.post("/dashboard/", {"series": _series_of(person)[0].pk, "month": next_year, "kind": "month"})
    assert answer.status_code == 400
    assert "报告期尚未开始。" in answer.content.decode()
    assert OutgoingDocument.objects.count() == before


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/dashboard/report-draft/"]["post"]
    assert {"201", "400", "401", "403"} <= set(operation["responses"])
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][request]["required"]) == {"series", "kind", "month"}
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"id", "url", "start", "end"} <= set(schema["components"]["schemas"][created]["properties"])
