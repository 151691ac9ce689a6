"""``/api/v1/meetings/plans/``: 拟订, 修改, 报批, 批准, 退回, 列入计划, 撤销, 计划外报批 and a meeting put under
an entry, the list's filters, ``offered`` and the figures; and the leak matrix: a 机密 entry is a 404 to
郑科员 (another city) and 吴科员 (内部) on its detail and every route, absent from their lists and counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetings import services
from meetings.models import Meeting, MeetingPlan, PlanState
from office.confidentiality.levels import Level
from tests.meetings.conftest import approved_plan, next_monday

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/plans/"
SECRET = "机密专题研究会议计划"
POSTS = ["submit", "list", "approve", "return", "drop", "attach"]


@pytest.fixture(autouse=True)
def frozen(today):
    return today


def body(mc, **fields) -> dict:
    values = {
        "year": 2026,
        "month": 4,
        "type": "standing",
        "title": "市政府常务会议（4月）",
        "organizing_unit": mc.services_unit.pk,
        "reason": "研究一季度经济运行情况。",
        "budget": "2000.00",
    }
    values.update(fields)
    return values


def test_an_entry_is_drafted_reported_and_approved_through_the_api(meeting_city, api_as):
    """GIVEN 周会务 WHEN he POSTs an entry THEN 201, 拟订, offered 修改 / 报批 / 撤销 with their routes; he PATCHes
    and 报批 it; the 市长 is offered 批准 and 退回, 退回 without a reason is a 400, 批准 answers it 已批准."""
    mc = meeting_city
    officer = api_as(mc.officer)
    created = officer.post(BASE, body(mc), format="json")
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert (answer["state"], answer["type"], answer["budget"], answer["classification"]) == (
        "draft",
        "standing",
        "2000.00",
        "internal",
    )
    assert {(o["step"], o["path"]) for o in answer["offered"]} == {("edit", ""), ("submit", "submit"), ("drop", "drop")}
    pk = answer["id"]
    assert officer.patch(f"{BASE}{pk}/", {"expected_size": 40}, format="json").json()["expected_size"] == 40
    assert officer.post(f"{BASE}{pk}/submit/", {}, format="json").json()["state"] == "submitted"
    assert officer.post(f"{BASE}{pk}/approve/", {}, format="json").status_code == 403
    mayor = api_as(mc.mayor)
    assert {o["step"] for o in mayor.get(f"{BASE}{pk}/").json()["offered"]} == {"approve", "return"}
    assert mayor.post(f"{BASE}{pk}/return/", {}, format="json").status_code == 400
    approved = mayor.post(f"{BASE}{pk}/approve/", {"opinion": "同意。"}, format="json").json()
    assert (approved["state"], approved["decided_by_name"], approved["opinion"]) == ("approved", "刘市长", "同意。")
    assert [e["action"] for e in approved["events"]] == ["拟订会议计划", "修改会议计划", "报批", "批准"]
    assert mayor.post(f"{BASE}{pk}/approve/", {}, format="json").status_code == 409


def test_bad_bodies_are_400_and_store_nothing(meeting_city, api_as):
    """GIVEN 周会务 WHEN the body has month 13, a negative budget, an unknown field, a 机密 level without its
    basis, or no reason THEN 400 with the field named; 钱主任 (no role) gets 403; nothing is stored."""
    mc = meeting_city
    officer = api_as(mc.officer)
    for fields, key in (
        ({"month": 13}, "month"),
        ({"budget": "-1"}, "budget"),
        ({"colour": "red"}, "colour"),
        ({"classification": "secret"}, "classification_basis"),
        ({"reason": ""}, "reason"),
        ({"year": 2030}, "year"),
    ):
        answer = officer.post(BASE, body(mc, **fields), format="json")
        assert answer.status_code == 400, (fields, answer.json())
        assert key in answer.json()["errors"], (fields, answer.json())
    assert api_as(mc.ndrc_head).post(BASE, body(mc), format="json").status_code == 403
    assert not MeetingPlan.objects.exists()


def test_the_list_filters_by_year_month_state_and_type(meeting_city, api_as):
    """GIVEN a yearly 电视电话会议 entry, an April 常务会议 one 报批 and a May 专题会议 列入计划 WHEN the list is
    filtered THEN each filter finds its own; month 0 the yearly one; a junk filter is a 400."""
    mc = meeting_city
    officer = mc.officer.user

    def make(**fields):
        values = {"organizing_unit": mc.services_unit, "reason": "工作需要。", "year": 2026}
        values.update(fields)
        return services.plan_create(actor=officer, **values)

    yearly = make(month=None, type=mc.type("video"), title="全年电视电话会议")
    april = services.plan_submit(actor=officer, plan=make(month=4, type=mc.type(), title="四月常务会议"))
    may = services.plan_list(actor=officer, plan=make(month=5, type=mc.type("special"), title="五月专题会议"))
    api = api_as(mc.officer)

    def ids(**query):
        return {row["id"] for row in api.get(BASE, query).json()["results"]}

    assert ids() == {yearly.pk, april.pk, may.pk}
    assert ids(year=2026, month=0) == {yearly.pk}
    assert ids(month=4) == {april.pk}
    assert ids(state="approved") == {may.pk}
    assert ids(type="special") == {may.pk}
    assert ids(year=2025) == set()
    assert api.get(BASE, {"month": 13}).status_code == 400
    assert api.get(BASE, {"colour": "red"}).status_code == 400


def test_an_unplanned_meeting_is_reported_and_a_meeting_put_under_an_entry(meeting_city, api_as):
    """GIVEN two 常务会议 registered without an entry WHEN 周会务 reports one 计划外 THEN 201, its own 计划外
    entry 报批 and linked; WHEN he attaches the other to an approved entry THEN it is under it (a 专题会议
    entry is a 400); 钱主任 reporting is a 403."""
    mc = meeting_city
    starts = next_monday()

    def register(title):
        return services.meeting_create(
            actor=mc.officer.user,
            type=mc.type(),
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            chair=mc.mayor,
        )

    first, second = register("计划外会议"), register("按计划召开的会议")
    api = api_as(mc.officer)
    assert api.post(f"{BASE}unplanned/", {"meeting": first.pk, "reason": ""}, format="json").status_code == 400
    assert (
        api_as(mc.ndrc_head).post(f"{BASE}unplanned/", {"meeting": first.pk, "reason": "x"}, format="json").status_code
        == 400  # 钱主任 may not see the meeting: "不存在"
    )
    api = api_as(mc.officer)  # one client: it speaks for whom it was last given
    reported = api.post(f"{BASE}unplanned/", {"meeting": first.pk, "reason": "上级临时部署。"}, format="json")
    assert reported.status_code == 201, reported.json()
    answer = reported.json()
    assert (answer["unplanned"], answer["state"], [m["id"] for m in answer["meetings"]]) == (
        True,
        "submitted",
        [first.pk],
    )
    again = api.post(f"{BASE}unplanned/", {"meeting": first.pk, "reason": "再报一次"}, format="json")
    assert again.status_code == 400 and "请在该计划中报批" in again.json()["errors"]["meeting"][0]
    wrong = approved_plan(mc, mc.type("special"), starts)
    assert api.post(f"{BASE}{wrong.pk}/attach/", {"meeting": second.pk}, format="json").status_code == 400
    entry = approved_plan(mc, mc.type(), starts)
    attached = api.post(f"{BASE}{entry.pk}/attach/", {"meeting": second.pk}, format="json")
    assert attached.status_code == 200 and [m["id"] for m in attached.json()["meetings"]] == [second.pk]
    assert Meeting.objects.get(pk=second.pk).plan == entry


def test_the_figures_answer_integers_and_amounts(meeting_city, make_meeting, api_as):
    """GIVEN a 常务会议 held this year with its 会议费 under an approved entry WHEN the figures are read THEN
    held 1, the cost and the budget as amounts, the entry executed; a junk year is a 400."""
    mc = meeting_city
    held_on = next_monday() - timedelta(days=14)
    plan = approved_plan(mc, mc.type(), held_on)
    MeetingPlan.objects.filter(pk=plan.pk).update(budget="2000.00")
    make_meeting(plan=plan, starts_at=held_on, state="held", cost="1500.00")
    figures = api_as(mc.officer).get(f"{BASE}figures/", {"year": 2026}).json()
    assert figures["held"] == 1 and figures["video"] == 0
    assert figures["cost"] == {"spent": "1500.00", "with_cost": 1, "budget": "2000.00", "budgeted": 1}
    assert (figures["plans"]["approved"], figures["plans"]["held"], figures["plans"]["rate"]) == (1, 1, 1.0)
    assert figures["versus_last_year"] == {
        "last_year": 0,
        "change": 1,
        "by_type": [{"code": "standing", "name": "常务会议", "count": 1, "last_year": 0, "change": 1}],
    }
    assert api_as(mc.officer).get(f"{BASE}figures/", {"year": "x"}).status_code == 400
    outside = api_as(mc.outsider).get(f"{BASE}figures/").json()
    assert (outside["held"], outside["plans"]["entries"], outside["cost"]["spent"]) == (0, 0, "0.00")


@pytest.mark.parametrize("who", ["outsider", "low"])
def test_a_classified_entry_is_a_404_on_every_route_and_in_no_list(meeting_city, make_meeting, api_as, who):
    """GIVEN a 机密 entry 报批 WHEN 郑科员 or 吴科员 read it, PATCH it or POST any step (empty or full body)
    THEN 404; the lists and the figures count nothing of it; nothing changes."""
    mc = meeting_city
    plan = services.plan_create(
        actor=mc.officer.user,
        year=2026,
        month=4,
        type=mc.type(),
        title=SECRET,
        organizing_unit=mc.services_unit,
        reason="涉密事项。",
        level=Level.SECRET,
        basis="涉及重大项目布局",
    )
    plan = services.plan_submit(actor=mc.officer.user, plan=plan)
    assert api_as(mc.mayor).get(f"{BASE}{plan.pk}/").status_code == 200  # not empty by accident
    api = api_as(getattr(mc, who))
    assert api.get(f"{BASE}{plan.pk}/").status_code == 404
    assert api.patch(f"{BASE}{plan.pk}/", {"title": "改名"}, format="json").status_code == 404
    full = {"opinion": "x", "reason": "x", "meeting": make_meeting(type_code="special").pk}
    for step in POSTS:
        assert api.post(f"{BASE}{plan.pk}/{step}/", {}, format="json").status_code == 404, step
        assert api.post(f"{BASE}{plan.pk}/{step}/", full, format="json").status_code == 404, step
    assert api.get(BASE).json() == {"count": 0, "count_exact": True, "next": None, "previous": None, "results": []}
    assert api.get(BASE, {"state": "submitted", "cursor": ""}).json()["results"] == []
    figures = api.get(f"{BASE}figures/").json()
    assert figures["plans"]["submitted"] == 0 and SECRET not in str(figures)
    plan.refresh_from_db()
    assert (plan.title, plan.state) == (SECRET, PlanState.SUBMITTED)
