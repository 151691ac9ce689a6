"""建议提案办理 figures of 2026 per 承办单位 against hand counts: 主办/会办/分办 shares, an overdue
unanswered share, an adjusted-away share (counted nowhere), a 二次办理, ratings and result codes; an
item of last year's session and one of the province the office does not see stay out. Then the
workbook, the 办理工作总结 draft, and that someone outside sees no counts."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from petitions.proposals import exports
from petitions.proposals.models import (
    AssignmentState,
    Body,
    ProposalAssignment,
    ProposalContact,
    ProposalSession,
    ResultCode,
    Satisfaction,
    ShareRole,
)
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db

ASSIGNED = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        yield


@pytest.fixture
def items(proposal_city, make_proposal):
    """P1 住建局 主办 (answered on time, A, 满意, contacted) with 财政局 会办; P2 住建局 主办 (late, B,
    二次办理 then 基本满意, contacted); P3 分办 to 住建局 (overdue, unanswered, not contacted) and 财政局
    (on time, D, 不满意, contacted); P4 财政局 主办 (on time, A, not rated) after 住建局's share was
    adjusted away; P5 last year's; P6 the province's, which the city's office does not see."""
    city = proposal_city
    clerk = city.bureau_clerk

    def share(proposal, unit, role, *, contact=False, **fields):
        values = {"assigned_on": ASSIGNED, "due": date(2026, 6, 10), "state": AssignmentState.HANDLING}
        values.update(fields)
        made = ProposalAssignment.objects.create(proposal=proposal, unit=unit, role=role, **values)
        if contact:
            ProposalContact.objects.create(
                assignment=made, method="phone", on=date(2026, 4, 1), people="赵科员", view="同意", written_by=clerk
            )
        return made

    def answered(on_time=True, code=ResultCode.A, rating="", **fields):
        return {
            "state": AssignmentState.REPLIED,
            "replied_on": date(2026, 5, 20) if on_time else date(2026, 7, 1),
            "replied_on_time": on_time,
            "result_code": code,
            "satisfaction": rating,
            **fields,
        }

    p1, p2, p3, p4 = (make_proposal(state="handling", assigned_on=ASSIGNED) for _ in range(4))
    share(p1, city.bureau, ShareRole.LEAD, contact=True, **answered(rating=Satisfaction.SATISFIED))
    share(p1, city.finance, ShareRole.ASSIST, contact=True, state=AssignmentState.OPINION_GIVEN)
    share(
        p2,
        city.bureau,
        ShareRole.LEAD,
        contact=True,
        **answered(on_time=False, code=ResultCode.B, rating=Satisfaction.BASIC, rehandle_count=1),
    )
    share(p3, city.bureau, ShareRole.SPLIT, due=date(2026, 11, 1))
    share(
        p3, city.finance, ShareRole.SPLIT, contact=True, **answered(code=ResultCode.D, rating=Satisfaction.UNSATISFIED)
    )
    share(p4, city.bureau, ShareRole.LEAD, state=AssignmentState.WITHDRAWN, contact=True)
    share(p4, city.finance, ShareRole.LEAD, **answered())

    last_year = ProposalSession.objects.create(
        organ=city.city.org.city,
        body=Body.CPPCC,
        name="测试市十届政协三次会议",
        year=2025,
        recipient_office="市政协提案委",
    )
    p5 = make_proposal(session=last_year, kind="cppcc", state="closed")
    share(p5, city.bureau, ShareRole.LEAD, contact=True, **answered(rating=Satisfaction.SATISFIED))

    province = city.city.province
    theirs = ProposalSession.objects.create(
        organ=province, body=Body.NPC, name="测试省人大会议", year=2026, recipient_office="省人大选联工委"
    )
    p6 = make_proposal(session=theirs, organ=province, intake_unit=province, registrar=city.outsider)
    share(p6, city.finance, ShareRole.LEAD, **answered())
    return city


def _by_label(rows):
    return {row["label"]: row for row in rows}


def test_figures_per_unit_equal_hand_counts(items):
    rows = exports.proposal_figures(user=items.office.user, year=2026)
    assert [row["label"] for row in rows] == [items.bureau.name, items.finance.name, "合计"]
    bureau, finance, whole = rows
    # 住建局: 主办 P1 P2, 分办 P3 (P4 adjusted away); answers P1 on time, P2 late, P3 overdue.
    assert (bureau["lead"], bureau["assist"], bureau["split"]) == (2, 0, 1)
    assert bureau["on_time_rate"] == 33.3  # 1 / 3
    assert bureau["contact_rate"] == 66.7  # P1, P2 / 3
    assert bureau["satisfaction_rate"] == 100.0  # 满意 + 基本满意 / 2 rated
    assert bureau["a_rate"] == 50.0  # A of A, B
    assert bureau["rehandled"] == 1
    # 财政局: 主办 P4, 会办 P1, 分办 P3 (the province's P6 unseen).
    assert (finance["lead"], finance["assist"], finance["split"]) == (1, 1, 1)
    assert finance["on_time_rate"] == 100.0  # P3, P4
    assert finance["contact_rate"] == 50.0  # P3 of P3, P4 (the 会办 contact does not count)
    assert finance["satisfaction_rate"] == 0.0  # P3 不满意; P4 not rated
    assert finance["a_rate"] == 50.0  # P4 A, P3 D
    assert finance["rehandled"] == 0
    assert (whole["unit"], whole["lead"], whole["assist"], whole["split"]) == (None, 3, 1, 2)
    assert (whole["on_time_rate"], whole["contact_rate"], whole["satisfaction_rate"], whole["a_rate"]) == (
        60.0,
        60.0,
        66.7,
        50.0,
    )
    assert whole["rehandled"] == 1


def test_last_year_is_its_own(items):
    bureau, whole = exports.proposal_figures(user=items.office.user, year=2025)
    assert (bureau["label"], bureau["lead"], bureau["on_time_rate"], whole["lead"]) == (items.bureau.name, 1, 100.0, 1)


def test_someone_outside_sees_no_counts(items):
    stranger = make_person(username="pp-out", name="外市科员", unit=OrganFactory(name="另一市人民政府"))
    rows = exports.proposal_figures(user=stranger.user, year=2026)
    assert [row["label"] for row in rows] == ["合计"]
    assert (rows[0]["lead"], rows[0]["assist"], rows[0]["split"], rows[0]["on_time_rate"]) == (0, 0, 0, None)
    # The province's 省科员 sees only the province's item; 住建局 never sees it.
    theirs = exports.proposal_figures(user=items.outsider.user, year=2026)
    assert [(row["label"], row["lead"]) for row in theirs] == [(items.finance.name, 1), ("合计", 1)]
    seen = _by_label(exports.proposal_figures(user=items.bureau_clerk.user, year=2026))
    assert seen[items.finance.name]["lead"] == 1  # P4 only (its adjusted-away share let 住建局 in)


def test_the_workbook_opens_with_its_headings(items):
    rows = exports.proposal_figures(user=items.office.user, year=2026)
    book = load_workbook(BytesIO(exports.proposal_figures_workbook(rows, year=2026)))
    sheet = book.active
    assert sheet.title == "2026年建议提案办理情况"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == (
        "承办单位",
        "主办件数",
        "会办件数",
        "分办件数",
        "按期答复率",
        "沟通率",
        "满意率",
        "A类占比",
        "二次办理件数",
    )
    assert values[1] == (items.bureau.name, 2, 0, 1, "33.3%", "66.7%", "100.0%", "50.0%", 1)
    assert values[-1] == ("合计", 3, 1, 2, "60.0%", "60.0%", "66.7%", "50.0%", 1)


def test_the_summary_is_a_report_draft_with_the_figures(items, report_series):
    document = exports.proposal_summary_draft(actor=items.office.user, year=2026, series=report_series)
    assert (document.kind, document.direction, document.state) == ("report", "up", "draft")
    assert document.title == "关于2026年建议提案办理工作情况的报告"
    body = document.body
    assert "共交办建议提案4件，其中代表建议4件，闭会期间建议0件，政协提案0件" in body
    assert "各承办单位主办3件，会办1件，分办2件。" in body
    assert "按期答复率60.0%，沟通率60.0%，满意率66.7%，A类（已解决或基本解决）占比50.0%，二次办理1件。" in body
    assert f"{items.bureau.name}：主办2件，会办0件，分办1件，按期答复率33.3%" in body
    assert "王代表" not in body  # figures only

    with pytest.raises(PermissionDenied):
        exports.proposal_summary_draft(actor=items.bystander.user, year=2026, series=report_series)
    with pytest.raises(ValidationError):
        exports.proposal_summary_draft(
            actor=items.office.user, year=2026, series=items.city.series[items.city.org.city.pk]
        )
