"""``/api/v1/supervision/items/{id}/tasks/{task}/…``: a task's actions — 协办意见 from the assisting
unit, 进展反馈 (JSON or multipart with attachments, upload limits), 审核 of the final report
(accepted, or returned with what is missing), and 延期 along its approval chain — each done,
refused by the workflow with 409, refused to the wrong person with 403, given bad input with 400,
or aimed at another item's task with 404, and nothing changed.

The city, its people and the ``open_item`` / ``split`` / ``item`` / ``task`` / ``in_review`` fixtures
come from ``conftest.py``, the client, URLs, ``snapshot`` and answer checks from ``api_helpers.py``;
the clock stands on Monday 2 March 2026 (``today``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import services
from tests.supervision.api_helpers import (
    BASE,
    PDF,
    as_,
    assert_conflict,
    assert_forbidden,
    assert_invalid,
    post,
    snapshot,
    task_url,
    url,
)

pytestmark = pytest.mark.django_db


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
