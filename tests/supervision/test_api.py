"""``/api/v1/supervision/items/``: 立项 (with and without tasks), every action as a POST sub-route
(each: done, refused by the workflow with 409, refused to the wrong person with 403, bad input 400
with nothing stored), the reads (list with filters and search, detail with tasks, reports,
extension requests, 流转记录 and deadlines; figures, scores, overdue, 我的督办), the 督办台账 export,
the 通报 / 督查专报 drafts, and the list's query count.

The city, its people and the ``open_item`` / ``split`` helpers come from ``conftest.py``; the clock
stands on Monday 2 March 2026 (``today``)."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import DocumentSeries, OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from office.reminders.models import Deadline
from supervision import services
from supervision.models import (
    ExtensionRequest,
    ProgressReport,
    ReportAttachment,
    Source,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
)
from tests.factories import make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/supervision/items/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4 progress report"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(item, action: str = "") -> str:
    return f"{BASE}{item.pk}/{action + '/' if action else ''}"


def task_url(task, action: str) -> str:
    return f"{BASE}{task.item_id}/tasks/{task.pk}/{action}/"


def post(person, path: str, body: dict | None = None):
    return as_(person).post(path, body or {}, format="json")


def snapshot(item) -> tuple:
    """What an action may change: the item, its tasks, reports, inputs, requests, events, deadlines."""
    item = SupervisionItem.objects.get(pk=item.pk)
    tasks = SupervisionTask.objects.filter(item=item)
    return (
        item.state,
        item.due,
        list(tasks.values_list("state", "due", "returns", "report_due")),
        ProgressReport.objects.filter(task__item=item).count(),
        ReportAttachment.objects.filter(report__task__item=item).count(),
        list(tasks.values_list("assists__sent_at", flat=True)),
        list(ExtensionRequest.objects.filter(task__item=item).values_list("state", "step")),
        SupervisionEvent.objects.filter(item=item).count(),
        Deadline.objects.count(),
    )


def assert_conflict(response) -> None:
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["detail"]


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.content
    assert response.json()["detail"]


def assert_invalid(response, *fields: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    for field in fields:
        assert field in body["errors"], body
    return body["errors"]


@pytest.fixture
def item(open_item, split, today):
    """An 内部 item split to 发改委 (lead, 钱主任 responsible) with 财政局 assisting, due 30 April,
    with one milestone on 20 March."""
    item = open_item()
    split(item, due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 20))])
    return item


@pytest.fixture
def task(item) -> SupervisionTask:
    return item.tasks.get()


@pytest.fixture
def in_review(city, task):
    """The task with its final report in, waiting for the 督查员."""
    services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    return task


@pytest.fixture
def series(city) -> DocumentSeries:
    return DocumentSeries.objects.create(
        organ=city.office, office=city.office, code="测政办督", issuer_name="测试市人民政府办公室文件"
    )


# --- 立项 ----------------------------------------------------------------------------------------


def test_create_opens_and_splits_an_item(city, today):
    """GIVEN the 督查员 WHEN they POST an item with one task THEN it is 办理中 with its number, the
    task (lead, assisting unit, milestone), the 流转记录 and the task's deadlines."""
    response = post(
        city.supervisor,
        BASE,
        {
            "title": "推进老旧小区改造",
            "requirement": "年内完成12个小区改造并通过验收。",
            "source": "instruction",
            "instructing_leader": city.leader.pk,
            "priority": "normal",
            "cadence": "monthly",
            "due": "2026-04-30",
            "tasks": [
                {
                    "lead_unit": city.ndrc.pk,
                    "assisting_units": [city.finance.pk],
                    "milestones": [{"title": "完成方案", "due": "2026-03-20"}],
                }
            ],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "督〔2026〕1号"
    assert body["state"] == "assigned" and body["light"] == "green"
    assert body["requirement"] == "年内完成12个小区改造并通过验收。"
    assert body["supervisor_name"] == "王督查" and body["instructing_leader_name"] == "李市长"
    assert body["level_mark"] == "内部" and body["classification"] == "internal"
    [task] = body["tasks"]
    assert task["lead_unit_name"] == "测试市发展和改革委员会"
    assert task["responsible_person_name"] == "钱主任"
    assert task["due"] == "2026-04-30"
    assert [(a["unit"], a["sent"]) for a in task["assists"]] == [(city.finance.pk, False)]
    assert [m["title"] for m in task["milestones"]] == ["完成方案"]
    assert [e["action"] for e in body["events"]] == ["立项", "分解交办"]
    subjects = sorted({(d["subject"], d["state"]) for d in body["deadlines"]})
    assert subjects == [("assist", "open"), ("milestone", "open"), ("task", "open")]
    kinds = sorted(d["kind"] for d in body["deadlines"] if d["subject"] == "task")
    assert kinds == ["supervision", "supervision-report"]  # the 办结时限 and the monthly report


def test_create_without_tasks_waits_for_the_split(city, today):
    """GIVEN a leader WHEN they open an item without tasks or due date THEN it is 已立项, due by the
    source's default (15 days for a normal instruction), with a split deadline for the 督查员."""
    response = post(
        city.leader,
        BASE,
        {"title": "研究停车难问题", "requirement": "提出解决方案。", "source": "instruction"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "opened" and body["due"] == "2026-03-17" and body["tasks"] == []
    assert [(d["subject"], d["state"]) for d in body["deadlines"]] == [("item", "open")]


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"requirement": "要求", "source": "instruction"}, ["title"]),
        ({"title": "事项", "source": "instruction"}, ["requirement"]),
        ({"title": "事项", "requirement": "要求", "source": "nonsense"}, ["source"]),
        ({"title": "事项", "requirement": "要求", "source": "other", "due": "2026-13-01"}, ["due"]),
        ({"title": "事项", "requirement": "要求", "source": "other", "due": "2026-03-01"}, ["due"]),
        ({"title": "事项", "requirement": "要求", "source": "other", "due": "9999-12-31"}, ["due"]),
        ({"title": "事项", "requirement": "要求", "source": "other", "urgent": True}, ["urgent"]),
        ({"title": "事项", "requirement": "要求", "source": "other", "classification": "very"}, ["classification"]),
        (
            {"title": "事项", "requirement": "要求", "source": "other", "tasks": [{"lead_unit": 0}]},
            ["tasks"],
        ),
        (
            {"title": "事项", "requirement": "要求", "source": "other", "tasks": [{"unit": 1}]},
            ["tasks"],
        ),
        (  # past what the deadline clock counts: a 400, not a crash inside the transaction
            {
                "title": "事项",
                "requirement": "要求",
                "source": "other",
                "tasks": [{"lead_unit": "LEAD", "due": "9999-12-31"}],
            },
            ["tasks"],
        ),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(city, today, body, fields):
    """GIVEN the 督查员 WHEN they POST an item with a missing, malformed, past or unknown field THEN
    400 with the field's error, and no item, event or deadline is stored."""
    for task in body.get("tasks", []):
        if task.get("lead_unit") == "LEAD":
            task["lead_unit"] = city.ndrc.pk
    before = (SupervisionItem.objects.count(), SupervisionEvent.objects.count(), Deadline.objects.count())

    assert_invalid(post(city.supervisor, BASE, body), *fields)

    assert (SupervisionItem.objects.count(), SupervisionEvent.objects.count(), Deadline.objects.count()) == before


def test_create_refuses_a_task_whose_rules_fail(city, today):
    """GIVEN a task whose lead unit also assists WHEN it is POSTed THEN 400 under ``tasks`` and
    nothing is stored (the transaction takes the item back too)."""
    response = post(
        city.supervisor,
        BASE,
        {
            "title": "事项",
            "requirement": "要求",
            "source": "other",
            "tasks": [{"lead_unit": city.ndrc.pk, "assisting_units": [city.ndrc.pk]}],
        },
    )

    assert_invalid(response, "tasks")
    assert not SupervisionItem.objects.exists()


def test_create_refuses_malformed_json(city, today):
    """GIVEN a body that is not JSON WHEN it is POSTed THEN 400 with a message, nothing stored."""
    response = as_(city.supervisor).post(BASE, data="{title: 1", content_type="application/json")

    assert response.status_code == 400 and response.json()["detail"]
    assert not SupervisionItem.objects.exists()


def test_create_is_refused_to_unit_staff(city, today):
    """GIVEN 孙科员 (no supervision role) WHEN they POST an item THEN 403 and nothing is stored."""
    response = post(city.ndrc_staff, BASE, {"title": "事项", "requirement": "要求", "source": "other"})

    assert_forbidden(response)
    assert not SupervisionItem.objects.exists()


def test_create_above_the_ceiling_is_refused(city, today):
    """GIVEN the default ceiling (内部) WHEN a 机密 item is POSTed THEN 400 and nothing is stored."""
    response = post(
        city.supervisor,
        BASE,
        {"title": "事项", "requirement": "要求", "source": "other", "classification": "secret"},
    )

    assert response.status_code == 400, response.content
    assert not SupervisionItem.objects.exists()


# --- Reads -----------------------------------------------------------------------------------------


def test_list_rows_carry_the_register_fields_lights_and_counts(city, item, open_item):
    """GIVEN a split item and an unsplit one WHEN the 督查员 lists the items THEN each row has its
    number, light, lead units and task counts (never the requirement)."""
    open_item(title="研究停车难问题", source=Source.MEETING)

    response = as_(city.supervisor).get(BASE)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["count_exact"] is True
    rows = {row["title"]: row for row in body["results"]}
    split_row = rows["推进老旧小区改造"]
    assert split_row["number"] == "督〔2026〕1号" and split_row["light"] == "green"
    assert split_row["lead_units"] == ["测试市发展和改革委员会"]
    assert (split_row["task_count"], split_row["done_count"], split_row["overdue_count"]) == (1, 0, 0)
    assert split_row["source_label"] == "领导批示" and split_row["supervising_unit_name"] == "督查室"
    assert "requirement" not in split_row
    assert rows["研究停车难问题"]["state"] == "opened" and rows["研究停车难问题"]["task_count"] == 0


def test_list_filters_and_search(city, item, open_item):
    """GIVEN two items WHEN the list is filtered by state, source, light, lead unit, due date or
    searched THEN only the matching one comes back."""
    other = open_item(title="整治河道污染", requirement="河道水质达标。", source=Source.MEETING)
    client = as_(city.supervisor)

    def ids(**params):
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(state="assigned") == [item.pk]
    assert ids(state="opened") == [other.pk]
    assert ids(source="meeting") == [other.pk]
    assert ids(lead_unit=city.ndrc.pk) == [item.pk]
    assert ids(light="green", state="assigned") == [item.pk]
    # 20 days for a meeting decision; the split item is due with its task, 30 April
    assert ids(due_to="2026-03-23") == [other.pk]
    assert ids(due_from="2026-04-30") == [item.pk]
    assert ids(q="河道") == [other.pk]
    assert ids(q="老旧小区") == [item.pk]
    assert ids(classification="internal", year=2026) == sorted([item.pk, other.pk], reverse=True)
    assert ids(state="") == sorted([item.pk, other.pk], reverse=True)  # a blank field is no filter


@pytest.mark.parametrize(
    "params, field",
    [
        ({"due_from": "2026-02-30"}, "due_from"),
        ({"due_from": "2026-05-01", "due_to": "2026-04-01"}, "due_to"),
        ({"light": "blue"}, "light"),
        ({"colour": "red"}, "colour"),
        ({"year": "twenty"}, "year"),
    ],
)
def test_list_refuses_bad_parameters(city, item, params, field):
    """GIVEN the list WHEN it is asked with a bad date, an inverted range, an unknown value or an
    unknown parameter THEN 400 with the parameter's error."""
    assert_invalid(as_(city.supervisor).get(BASE, params), field)


def test_detail_shows_tasks_reports_extensions_events_and_deadlines(city, task, item, settings):
    """GIVEN a task with an input, a progress report and a pending extension request WHEN the 督查员
    opens the item THEN the detail shows each with its state, and the request's current step."""
    services.task_send_input(actor=city.finance_head.user, task=task, unit=city.finance, text="资金已落实")
    services.task_report(actor=city.ndrc_staff.user, task=task, text="方案已完成", percent=30)
    services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地未完成", new_due=date(2026, 5, 29), progress="60%"
    )

    response = as_(city.supervisor).get(url(item))

    assert response.status_code == 200, response.content
    [row] = response.json()["tasks"]
    assert row["assists"][0]["sent"] is True and row["assists"][0]["text"] == "资金已落实"
    assert [(r["kind"], r["text"], r["percent"]) for r in row["reports"]] == [("progress", "方案已完成", 30)]
    [request] = row["extension_requests"]
    assert request["state"] == "pending" and request["current_step"] == "unit_head"
    assert request["chain"] == ["unit_head", "supervisor", "leader"]
    assert request["current_step_label"] == "主办单位负责人"
    actions = [e["action"] for e in response.json()["events"]]
    assert actions == ["立项", "分解交办", "协办意见", "进展反馈", "申请延期"]


def test_detail_of_an_unknown_item_is_404(city):
    """GIVEN no item #999999 WHEN it is asked for THEN 404 in the API's error format."""
    response = as_(city.supervisor).get(f"{BASE}999999/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_classified_detail_reads_are_logged_and_top_secret_texts_never_returned(city, open_item, settings, today):
    """GIVEN a 机密 item and a 绝密 item WHEN their 督查员 reads them THEN each read is in the access
    log; the 机密 requirement comes back, the 绝密 requirement and event comments are null."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    top_supervisor = make_person(
        username="sv-top", name="绝密督查", unit=city.supervision, roles=(Role.SUPERVISOR,), clearance=Level.TOP_SECRET
    )
    secret = open_item(level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10)
    top = open_item(
        actor=top_supervisor.user,
        supervisor=top_supervisor,
        instructing_leader=None,
        title="绝密事项",
        requirement="绝密的办理要求",
        source_text="绝密来源",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1项",
        term_unit="years",
        term_amount=30,
    )

    secret_body = as_(city.supervisor).get(url(secret)).json()
    top_body = as_(top_supervisor).get(url(top)).json()

    assert secret_body["requirement"] == "年内完成12个小区改造并通过验收。"
    assert secret_body["level_mark"] == "机密★10年"
    assert top_body["requirement"] is None and top_body["level_mark"] == "绝密★30年"
    assert all(event["comment"] is None for event in top_body["events"])
    assert "绝密的办理要求" not in json.dumps(top_body, ensure_ascii=False)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW)
    assert views.filter(actor=city.supervisor.user, object_id=str(secret.pk)).count() == 1
    assert views.filter(actor=top_supervisor.user, object_id=str(top.pk)).count() == 1


def test_list_query_count_does_not_grow_with_the_number_of_items(
    city, open_item, split, today, django_assert_max_num_queries
):
    """GIVEN 3 split items, then 15 WHEN the 督查员 lists them THEN the same number of queries."""

    def make(n):
        for index in range(n):
            item = open_item(title=f"事项{index}")
            split(item, due=date(2026, 4, 30))

    def count_queries() -> int:
        client = as_(city.supervisor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    make(3)
    few, rows = count_queries()
    assert rows == 3
    make(12)
    many, rows = count_queries()
    assert rows == 15
    assert many == few
    with django_assert_max_num_queries(few):
        as_(city.supervisor).get(BASE)


# --- 分解, 撤销 ----------------------------------------------------------------------------------------


def test_split_adds_tasks(city, open_item, today):
    """GIVEN an unsplit item WHEN the 督查员 splits it into two tasks THEN it is 办理中 with both."""
    item = open_item()

    response = post(
        city.supervisor,
        url(item, "split"),
        {
            "tasks": [
                {"lead_unit": city.ndrc.pk, "title": "制定方案", "due": "2026-03-16"},
                {"lead_unit": city.finance.pk, "title": "落实资金", "responsible_person": city.finance_head.pk},
            ]
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "assigned"
    assert [(t["title"], t["lead_unit"]) for t in body["tasks"]] == [
        ("制定方案", city.ndrc.pk),
        ("落实资金", city.finance.pk),
    ]


def test_split_refusals(city, open_item, today):
    """GIVEN an item WHEN it is split with no tasks, a bad date, an unknown field, by the lead unit's
    head, or after it was cancelled THEN 400, 400, 400, 403 and 409, and nothing changes."""
    item = open_item()
    before = snapshot(item)

    assert_invalid(post(city.supervisor, url(item, "split"), {"tasks": []}), "tasks")
    assert_invalid(post(city.supervisor, url(item, "split"), {"tasks": [{"lead_unit": city.ndrc.pk, "due": "x"}]}))
    assert_invalid(post(city.supervisor, url(item, "split"), {"tasks": [], "force": True}), "force")
    assert_forbidden(post(city.low, url(item, "split"), {"tasks": [{"lead_unit": city.ndrc.pk}]}))
    assert snapshot(item) == before

    services.item_cancel(actor=city.supervisor.user, item=item, reason="领导批示收回")
    before = snapshot(item)
    assert_conflict(post(city.supervisor, url(item, "split"), {"tasks": [{"lead_unit": city.ndrc.pk}]}))
    assert snapshot(item) == before


def test_cancel_and_its_refusals(city, item, task):
    """GIVEN an item in hand WHEN the lead unit cancels it, or the 督查员 without a reason THEN 403
    and 400, nothing changes; WHEN the 督查员 cancels it with a reason THEN 已撤销 with the task and
    its deadlines cancelled; a second cancel is a 409."""
    before = snapshot(item)
    assert_forbidden(post(city.ndrc_head, url(item, "cancel"), {"reason": "不办了"}))
    assert_invalid(post(city.supervisor, url(item, "cancel"), {}), "reason")
    assert_invalid(post(city.supervisor, url(item, "cancel"), {"reason": ""}), "reason")
    assert snapshot(item) == before

    response = post(city.supervisor, url(item, "cancel"), {"reason": "领导批示收回"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "cancelled" and body["cancel_reason"] == "领导批示收回" and body["light"] == "none"
    assert body["tasks"][0]["state"] == "cancelled"
    assert not Deadline.objects.filter(state="open").exists()
    assert_conflict(post(city.supervisor, url(item, "cancel"), {"reason": "再撤一次"}))


# --- 协办意见 ----------------------------------------------------------------------------------------


def test_input_by_the_assisting_unit(city, item, task):
    """GIVEN the task WHEN 财政局's head sends the input (unit omitted: their own) THEN it is sent."""
    response = post(city.finance_head, task_url(task, "input"), {"text": "资金已落实"})

    assert response.status_code == 200, response.content
    [assist] = response.json()["tasks"][0]["assists"]
    assert assist["sent"] is True and assist["sent_by_name"] == "周局长" and assist["text"] == "资金已落实"


def test_input_refusals(city, item, task, open_item, split):
    """GIVEN the task WHEN the input is sent by the lead unit, blank, with an unknown field, twice,
    or to a task of another item THEN 403, 400, 400, 409 and 404, nothing else changes."""
    before = snapshot(item)
    assert_forbidden(post(city.ndrc_staff, task_url(task, "input"), {"text": "意见"}))
    assert_forbidden(post(city.ndrc_staff, task_url(task, "input"), {"text": "意见", "unit": city.finance.pk}))
    assert_invalid(post(city.finance_head, task_url(task, "input"), {"text": ""}), "text")
    assert_invalid(post(city.finance_head, task_url(task, "input"), {"text": "意见", "cc": 1}), "cc")
    assert_invalid(post(city.finance_head, task_url(task, "input"), {"text": "意见", "unit": city.ndrc.pk}), "unit")
    assert snapshot(item) == before

    assert post(city.finance_head, task_url(task, "input"), {"text": "资金已落实"}).status_code == 200
    assert_conflict(post(city.finance_head, task_url(task, "input"), {"text": "再报一次"}))

    other = open_item(title="另一事项")
    [other_task] = split(other, due=date(2026, 4, 30))
    wrong = f"{BASE}{item.pk}/tasks/{other_task.pk}/input/"
    assert post(city.finance_head, wrong, {"text": "意见"}).status_code == 404
    assert not other_task.assists.get().sent_at


# --- 进展反馈 ----------------------------------------------------------------------------------------


def test_report_progress_as_json(city, item, task):
    """GIVEN the task WHEN the lead unit reports progress reaching the milestone THEN 201, the report
    is listed and the milestone reached."""
    milestone = task.milestones.get()

    response = post(
        city.ndrc_staff, task_url(task, "report"), {"text": "方案已完成", "percent": 30, "milestone": milestone.pk}
    )

    assert response.status_code == 201, response.content
    [row] = response.json()["tasks"]
    assert [(r["text"], r["percent"], r["milestone"]) for r in row["reports"]] == [("方案已完成", 30, milestone.pk)]
    assert row["milestones"][0]["reached_on"] == "2026-03-02"


def test_report_progress_with_attachments(city, item, task):
    """GIVEN the task WHEN the lead unit posts a multipart report with two attachments THEN both are
    stored and listed, and a visible caller can download one."""
    response = as_(city.ndrc_staff).post(
        task_url(task, "report"),
        {
            "text": "方案已完成",
            "percent": "40",
            "attachments": [
                SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("说明.txt", "说明".encode(), content_type="text/plain"),
            ],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    [report] = response.json()["tasks"][0]["reports"]
    assert report["percent"] == 40
    assert [a["name"] for a in report["attachments"]] == ["方案.pdf", "说明.txt"]
    download = as_(city.supervisor).get(url(item, f"attachments/{report['attachments'][0]['id']}"))
    assert download.status_code == 200 and download.content == PDF
    assert download["Cache-Control"] == "no-store"
    assert as_(city.supervisor).get(url(item, "attachments/999999")).status_code == 404


def test_report_refuses_oversize_and_unknown_uploads_and_stores_nothing(city, item, task, settings):
    """GIVEN a 1 KB upload limit WHEN a report comes with a 2 KB file, or an .exe THEN 400 under
    ``attachments``, and neither the report nor a file is stored."""
    settings.SHUNIU_MAX_UPLOAD_BYTES = 1024
    before = snapshot(item)

    for upload in (
        SimpleUploadedFile("大文件.pdf", b"%PDF" + b"x" * 2048, content_type="application/pdf"),
        SimpleUploadedFile("程序.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    ):
        response = as_(city.ndrc_staff).post(
            task_url(task, "report"), {"text": "进展", "attachments": [upload]}, format="multipart"
        )
        assert_invalid(response, "attachments")

    assert snapshot(item) == before


def test_report_refusals(city, item, task, open_item, split):
    """GIVEN the task WHEN a report is sent by the assisting unit, blank, over 100 %, for another
    task's milestone, with an unknown field, or after the final report THEN 403, 400, 400, 400, 400
    and 409, nothing else changes."""
    other = open_item(title="另一事项")
    [other_task] = split(other, due=date(2026, 4, 30), milestones=[("节点", date(2026, 3, 25))])
    before = snapshot(item)

    assert_forbidden(post(city.finance_head, task_url(task, "report"), {"text": "进展"}))
    assert_invalid(post(city.ndrc_staff, task_url(task, "report"), {"text": ""}), "text")
    assert_invalid(post(city.ndrc_staff, task_url(task, "report"), {"text": "进展", "percent": 120}), "percent")
    assert_invalid(
        post(city.ndrc_staff, task_url(task, "report"), {"text": "进展", "milestone": other_task.milestones.get().pk}),
        "milestone",
    )
    assert_invalid(post(city.ndrc_staff, task_url(task, "report"), {"text": "进展", "note": "x"}), "note")
    assert snapshot(item) == before

    final = post(city.ndrc_head, task_url(task, "report"), {"text": "全部完成", "final": True})
    assert final.status_code == 201 and final.json()["tasks"][0]["state"] == "review"
    before = snapshot(item)
    assert_conflict(post(city.ndrc_head, task_url(task, "report"), {"text": "补充"}))
    assert snapshot(item) == before


# --- 审核 --------------------------------------------------------------------------------------------


def test_review_accepts_and_the_item_is_done(city, item, in_review):
    """GIVEN a final report WHEN the 督查员 accepts it THEN the task is 已审结 on time and the item 已办结."""
    response = post(city.supervisor, task_url(in_review, "review"), {"accept": True, "comment": "同意办结"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done" and body["done_on_time"] is True and body["light"] == "none"
    [task] = body["tasks"]
    assert task["state"] == "done" and task["reports"][-1]["review"] == "accepted"


def test_review_returns_with_what_is_missing(city, item, in_review):
    """GIVEN a final report WHEN the 督查员 returns it with what is missing and a new date THEN the
    task is back in hand, due then, with one return counted."""
    response = post(
        city.supervisor,
        task_url(in_review, "review"),
        {"accept": False, "missing": "缺少验收材料", "new_due": "2026-05-15"},
    )

    assert response.status_code == 200, response.content
    [task] = response.json()["tasks"]
    assert (task["state"], task["due"], task["returns"]) == ("assigned", "2026-05-15", 1)
    assert task["reports"][-1]["review"] == "returned" and task["reports"][-1]["review_comment"] == "缺少验收材料"


def test_review_refusals(city, item, task):
    """GIVEN the task in hand WHEN the 督查员 reviews it THEN 409; GIVEN its final report WHEN the lead
    unit reviews it, or it is returned without what is missing, with a bad or past date THEN 403 and
    400s; nothing changes."""
    before = snapshot(item)
    assert_conflict(post(city.supervisor, task_url(task, "review"), {"accept": True}))
    assert snapshot(item) == before

    services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    before = snapshot(item)
    assert_forbidden(post(city.ndrc_head, task_url(task, "review"), {"accept": True}))
    assert_invalid(post(city.supervisor, task_url(task, "review"), {}), "accept")
    assert_invalid(
        post(city.supervisor, task_url(task, "review"), {"accept": False, "new_due": "2026-05-15"}), "missing"
    )
    assert_invalid(
        post(city.supervisor, task_url(task, "review"), {"accept": False, "missing": "缺", "new_due": "明天"}),
        "new_due",
    )
    assert_invalid(
        post(city.supervisor, task_url(task, "review"), {"accept": False, "missing": "缺", "new_due": "2026-03-01"}),
        "new_due",
    )
    assert snapshot(item) == before


# --- 延期 --------------------------------------------------------------------------------------------


def test_extension_along_the_chain_moves_the_deadline(city, item, task):
    """GIVEN the task WHEN 孙科员 asks for an extension and the unit head, the 督查员 and the leader
    approve in turn THEN the task (and its Deadline) is due on the new date."""
    response = post(
        city.ndrc_staff,
        task_url(task, "extension"),
        {"reason": "征地未完成", "new_due": "2026-05-29", "progress": "完成60%"},
    )
    assert response.status_code == 201, response.content
    [request] = response.json()["tasks"][0]["extension_requests"]
    decide = f"{url(item)}extensions/{request['id']}/decide/"

    steps = []
    for person in (city.ndrc_head, city.supervisor2, city.leader):
        answer = post(person, decide, {"approve": True})
        assert answer.status_code == 200, answer.content
        steps.append(answer.json()["tasks"][0]["extension_requests"][0]["current_step"])

    assert steps == ["supervisor", "leader", None]
    detail = as_(city.supervisor).get(url(item)).json()
    assert detail["tasks"][0]["due"] == "2026-05-29"
    assert detail["tasks"][0]["extension_requests"][0]["state"] == "approved"
    task_deadline = next(d for d in detail["deadlines"] if d["subject"] == "task" and d["kind"] == "supervision")
    assert task_deadline["due_date"] == "2026-05-29"


def test_extension_refusals(city, item, task, today, open_item, split):
    """GIVEN the task WHEN an extension is asked by the assisting unit, without a reason, to an
    earlier date, past what the deadline clock counts, or twice THEN 403, 400, 400, 400 and 409;
    WHEN a step is decided by the wrong person or refused without a comment THEN 403 and 400; a
    request of another item is a 404; after the due date asking is a 409."""
    body = {"reason": "征地未完成", "new_due": "2026-05-29", "progress": "完成60%"}
    other = open_item(title="另一事项")
    split(other, due=date(2026, 4, 30))
    before = snapshot(item)
    assert_forbidden(post(city.finance_head, task_url(task, "extension"), body))
    assert_invalid(post(city.ndrc_staff, task_url(task, "extension"), {**body, "reason": ""}), "reason")
    assert_invalid(post(city.ndrc_staff, task_url(task, "extension"), {**body, "new_due": "2026-04-01"}), "new_due")
    assert_invalid(post(city.ndrc_staff, task_url(task, "extension"), {**body, "new_due": "soon"}), "new_due")
    assert_invalid(post(city.ndrc_staff, task_url(task, "extension"), {**body, "new_due": "9999-12-31"}), "new_due")
    assert snapshot(item) == before

    assert post(city.ndrc_staff, task_url(task, "extension"), body).status_code == 201
    request = task.extension_requests.get()
    before = snapshot(item)
    assert_conflict(post(city.ndrc_staff, task_url(task, "extension"), body))
    decide = f"{url(item)}extensions/{request.pk}/decide/"
    assert_forbidden(post(city.supervisor, decide, {"approve": True}))  # the unit head's step
    assert_invalid(post(city.ndrc_head, decide, {"approve": False}), "comment")
    assert_invalid(post(city.ndrc_head, decide, {"approve": "maybe"}), "approve")
    assert post(city.ndrc_head, f"{url(other)}extensions/{request.pk}/decide/", {"approve": True}).status_code == 404
    assert snapshot(item) == before

    refused = post(city.ndrc_head, decide, {"approve": False, "comment": "理由不充分"})
    assert refused.json()["tasks"][0]["extension_requests"][0]["state"] == "refused"
    assert_conflict(post(city.ndrc_head, decide, {"approve": True}))

    today.move_to("2026-04-30 10:00 +0800")
    before = snapshot(item)
    assert_conflict(post(city.ndrc_staff, task_url(task, "extension"), {**body, "new_due": "2026-06-30"}))
    assert snapshot(item) == before


# --- Ledger, figures, scores, overdue, mine --------------------------------------------------------


def test_ledger_export(city, item, task, open_item, settings, today):
    """GIVEN an 内部 item with a progress report, a 机密 item with one and an unsplit item due in
    two days WHEN the 督查员 exports the ledger THEN one row per item with its columns, the light
    in words and colour, the 机密 row without its progress text; the export is in the audit log."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    services.task_report(actor=city.ndrc_staff.user, task=task, text="方案已完成", percent=30)
    secret = open_item(
        title="机密事项", level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10
    )
    [secret_task] = services.item_split(
        actor=city.supervisor.user,
        item=secret,
        tasks=[services.TaskSpec(lead_unit=city.finance, due=date(2026, 4, 30))],
    )
    services.task_report(actor=city.finance_head.user, task=secret_task, text="机密进展", percent=10)
    soon = open_item(title="临期事项", due=date(2026, 3, 4), source=Source.MEETING, instructing_leader=None)

    response = as_(city.supervisor).get(f"{BASE}ledger/")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX and response["Cache-Control"] == "no-store"
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "督办编号", "督办事项", "来源", "批示领导", "主办单位", "协办单位", "办结时限",
        "状态", "警示灯", "最新进展", "按期办结", "密级",
    )  # fmt: skip
    by_title = {row[1]: row for row in rows[1:]}
    assert by_title["推进老旧小区改造"] == (
        item.number, "推进老旧小区改造", "领导批示", "李市长", "测试市发展和改革委员会", "测试市财政局",
        "2026年4月30日", "办理中", "绿灯", "方案已完成", None, "内部",
    )  # fmt: skip
    assert by_title["机密事项"][9] is None and by_title["机密事项"][11] == "机密★10年"
    assert by_title["临期事项"][8] == "黄灯" and by_title["临期事项"][3] is None
    fills = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=9).fill.fgColor.rgb for r in range(2, 5)}
    assert fills["推进老旧小区改造"].endswith("C6EFCE") and fills["临期事项"].endswith("FFEB9C")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=city.supervisor.user)
    assert event.detail["what"] == "supervision_ledger" and event.detail["rows"] == 3
    assert event.detail["classified"] == [secret.pk]
    assert soon.pk  # (the unsplit one is a row too)


def test_ledger_filters_suffix_and_refusals(city, item, open_item):
    """GIVEN two items WHEN the ledger is asked as ``ledger.xlsx`` with a filter THEN the filtered
    rows; an unknown parameter or a bad date is a 400 in JSON."""
    open_item(title="整治河道污染", source=Source.MEETING)
    client = as_(city.supervisor)

    response = client.get(f"{BASE}ledger.xlsx", {"source": "meeting"})

    assert response.status_code == 200, response.content
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["整治河道污染"]
    assert_invalid(client.get(f"{BASE}ledger/", {"sort": "due"}), "sort")
    assert_invalid(client.get(f"{BASE}ledger.xlsx", {"due_to": "2026-02-31"}), "due_to")


def test_figures_by_unit_leader_and_source(city, item, in_review, open_item, split):
    """GIVEN one task done on time (发改委) and one in hand (财政局) WHEN the figures are asked by unit,
    leader and source THEN the counts and rates match."""
    services.task_review(actor=city.supervisor.user, task=in_review, accept=True)
    other = open_item(title="另一事项", source=Source.MEETING)
    split(other, due=date(2026, 4, 30), lead_unit=city.finance, assisting_units=[])
    client = as_(city.supervisor)

    by_unit = {row["label"]: row for row in client.get(f"{BASE}figures/", {"by": "unit"}).json()}
    by_leader = client.get(f"{BASE}figures/", {"by": "leader", "start": "2026-01-01", "end": "2026-12-31"}).json()
    by_source = {row["key"]: row for row in client.get(f"{BASE}figures/", {"by": "source"}).json()}

    ndrc = by_unit["测试市发展和改革委员会"]
    assert (ndrc["tasks"], ndrc["done"], ndrc["on_time"], ndrc["on_time_rate"]) == (1, 1, 1, 1.0)
    finance = by_unit["测试市财政局"]
    assert (finance["tasks"], finance["done"], finance["on_time_rate"]) == (1, 0, None)
    assert [(row["label"], row["tasks"]) for row in by_leader] == [("李市长", 2)]
    assert by_source["instruction"]["label"] == "领导批示" and by_source["meeting"]["tasks"] == 1
    assert client.get(f"{BASE}figures/").status_code == 200


@pytest.mark.parametrize(
    "params, field",
    [
        ({"by": "colour"}, "by"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "end"),
        ({"start": "x"}, "start"),
        ({"who": 1}, "who"),
    ],
)
def test_figures_refuse_bad_parameters(city, params, field):
    """GIVEN the figures WHEN asked with a bad grouping, an inverted period, a bad date or an
    unknown parameter THEN 400."""
    assert_invalid(as_(city.supervisor).get(f"{BASE}figures/", params), field)


def test_scores(city, item, in_review, open_item, split, today):
    """GIVEN 发改委's task done on time and 财政局's overdue WHEN the year's scores are asked THEN
    发改委 has +2, 财政局 -2, best first; a bad year is a 400."""
    services.task_review(actor=city.supervisor.user, task=in_review, accept=True)
    other = open_item(title="另一事项")
    split(other, due=date(2026, 3, 10), lead_unit=city.finance, assisting_units=[])
    today.move_to("2026-03-20 10:00 +0800")

    response = as_(city.supervisor).get(f"{BASE}scores/", {"year": 2026})

    assert response.status_code == 200, response.content
    assert [(row["unit_name"], row["points"]) for row in response.json()] == [
        ("测试市发展和改革委员会", 2),
        ("测试市财政局", -2),
    ]
    assert as_(city.supervisor).get(f"{BASE}scores/", {"year": 2025}).json() == []
    assert_invalid(as_(city.supervisor).get(f"{BASE}scores/", {"year": "last"}), "year")


def test_overdue(city, item, task, open_item, split, today):
    """GIVEN a task due 10 March and one due 30 April WHEN on 20 March the overdue list is asked
    THEN only the first, paginated; an unknown parameter is a 400."""
    other = open_item(title="逾期事项")
    [late] = split(other, due=date(2026, 3, 10), lead_unit=city.finance, assisting_units=[])
    today.move_to("2026-03-20 10:00 +0800")

    response = as_(city.supervisor).get(f"{BASE}overdue/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert (row["id"], row["item"], row["item_title"], row["due"]) == (late.pk, other.pk, "逾期事项", "2026-03-10")
    assert_invalid(as_(city.supervisor).get(f"{BASE}overdue/", {"unit": 1}), "unit")


def test_mine(city, item, task, open_item):
    """GIVEN a task led by 发改委 with 财政局 assisting and an unsplit item WHEN each asks for 我的督办
    THEN 发改委 sees the task to lead, 财政局 the input it owes, the 督查员 the item to split and,
    after the final report, the review."""
    unsplit = open_item(title="待分解事项")

    lead = as_(city.ndrc_staff).get(f"{BASE}mine/").json()
    assist = as_(city.finance_head).get(f"{BASE}mine/").json()
    services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    supervisor = as_(city.supervisor).get(f"{BASE}mine/").json()

    assert [row["id"] for row in lead["lead"]["results"]] == [task.pk] and lead["lead"]["count"] == 1
    assert [row["id"] for row in assist["assist"]["results"]] == [task.pk]
    assert [row["id"] for row in supervisor["split"]["results"]] == [unsplit.pk]
    assert [row["id"] for row in supervisor["review"]["results"]] == [task.pk]
    assert_invalid(as_(city.supervisor).get(f"{BASE}mine/", {"page": 2}), "page")


def test_mine_lists_extensions_waiting_for_me(city, item, task):
    """GIVEN an extension request at the unit head's step WHEN 钱主任 asks for 我的督办 THEN it is there."""
    request = services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地", new_due=date(2026, 5, 29), progress="60%"
    )

    body = as_(city.ndrc_head).get(f"{BASE}mine/").json()

    assert [(row["id"], row["current_step"]) for row in body["extensions"]["results"]] == [(request.pk, "unit_head")]
    assert as_(city.supervisor).get(f"{BASE}mine/").json()["extensions"]["count"] == 0


# --- 通报 and 督查专报 --------------------------------------------------------------------------------


def test_bulletin_draft_lands_in_documents(city, item, series):
    """GIVEN the 督查员 WHEN they ask for the year's bulletin THEN 201 with the new outgoing draft's
    id and API URL; the draft is a 通报 they can open there."""
    response = post(
        city.supervisor, f"{BASE}bulletin/", {"series": series.pk, "start": "2026-01-01", "end": "2026-12-31"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    document = OutgoingDocument.objects.get(pk=body["id"])
    assert body["url"] == f"/api/v1/documents/outgoing/{document.pk}/"
    assert document.kind == "bulletin" and body["title"] == document.title
    assert "2026年" in document.title
    assert as_(city.supervisor).get(body["url"]).status_code == 200


def test_bulletin_refusals(city, series):
    """GIVEN the bulletin WHEN asked by unit staff, with an inverted period, a bad date, or no
    series THEN 403, 400, 400, 400, and no document is drafted."""
    body = {"series": series.pk, "start": "2026-01-01", "end": "2026-12-31"}
    assert_forbidden(post(city.ndrc_head, f"{BASE}bulletin/", body))
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {**body, "end": "2025-12-31"}), "end")
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {**body, "start": "1 Jan"}), "start")
    assert_invalid(post(city.supervisor, f"{BASE}bulletin/", {"start": "2026-01-01", "end": "2026-12-31"}), "series")
    assert not OutgoingDocument.objects.exists()


def test_report_draft_on_an_item_and_on_a_theme(city, item, open_item, series):
    """GIVEN two items WHEN the 督查员 drafts a 督查专报 on one, then on both as a theme THEN each is
    a 报告 draft; an item id the caller cannot see is refused like one that does not exist."""
    other = open_item(title="整治河道污染")

    single = post(city.supervisor, url(item, "report-draft"), {"series": series.pk})
    theme = post(
        city.supervisor,
        f"{BASE}theme-report/",
        {"series": series.pk, "items": [item.pk, other.pk], "theme": "城市更新"},
    )

    assert single.status_code == 201, single.content
    assert OutgoingDocument.objects.get(pk=single.json()["id"]).kind == "report"
    assert "推进老旧小区改造" in single.json()["title"]
    assert theme.status_code == 201, theme.content
    assert "城市更新" in theme.json()["title"]
    assert_forbidden(post(city.ndrc_head, url(item, "report-draft"), {"series": series.pk}))
    assert_invalid(
        post(city.supervisor, f"{BASE}theme-report/", {"series": series.pk, "items": [999999], "theme": "x"}), "items"
    )
    assert_invalid(
        post(city.supervisor, f"{BASE}theme-report/", {"series": series.pk, "items": [], "theme": "x"}), "items"
    )
    assert OutgoingDocument.objects.count() == 2


def test_create_a_classified_item(city, today, settings):
    """GIVEN the ceiling raised to 绝密 WHEN the 督查员 POSTs a 机密 item with its term and basis THEN
    it carries the mark, and its creation read is in the access log."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    response = post(
        city.supervisor,
        BASE,
        {
            "title": "水库调度预案",
            "requirement": "汛前完成。",
            "source": "superior",
            "classification": "secret",
            "secrecy_term_unit": "years",
            "secrecy_term_amount": 10,
            "classification_basis": "保密事项范围第2项",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["classification"] == "secret" and body["level_mark"] == "机密★10年"
    assert body["classification_basis"] == "保密事项范围第2项"
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(body["id"])).exists()
