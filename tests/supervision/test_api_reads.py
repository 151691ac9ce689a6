"""``/api/v1/supervision/items/``: the reads — the list (rows, lights, filters and search, bad
parameters, a fixed query count), the detail with tasks, reports, extension requests, 流转记录 and
deadlines (classified reads logged, 绝密 texts never returned), the 督办台账 export, figures by unit,
leader and source, the year's scores, the overdue list and 我的督办.

The city, its people and the ``open_item`` / ``split`` / ``item`` / ``task`` / ``in_review`` fixtures
come from ``conftest.py``, the client, URLs and answer checks from ``api_helpers.py``;
the clock stands on Monday 2 March 2026 (``today``)."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from supervision import services
from supervision.models import Source
from tests.factories import make_person
from tests.supervision.api_helpers import BASE, XLSX, as_, assert_invalid, url

pytestmark = pytest.mark.django_db


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
