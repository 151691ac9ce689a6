"""``/api/v1/supervision/items/``: 立项 (POST, with and without tasks, a classified item with its mark;
missing, malformed, past or unknown fields, a task that breaks a rule, malformed JSON, unit staff
and the ceiling refused with nothing stored), 分解 of an item into tasks and 撤销 — each done,
refused by the workflow with 409, refused to the wrong person with 403, or given bad input with
400 and nothing changed.

The city, its people and the ``open_item`` / ``item`` / ``task`` fixtures come from ``conftest.py``,
the client, URLs, ``snapshot`` and answer checks from ``api_helpers.py``; the clock stands on
Monday 2 March 2026 (``today``)."""

from __future__ import annotations

import pytest

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.reminders.models import Deadline
from supervision import services
from supervision.models import SupervisionEvent, SupervisionItem
from tests.supervision.api_helpers import (
    BASE,
    as_,
    assert_conflict,
    assert_forbidden,
    assert_invalid,
    post,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db


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
