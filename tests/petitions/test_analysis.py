"""The monthly 信访形势分析: a 报告 draft (上行文) whose figures are the month's cases the drafter
sees — totals, channels, 热点 categories, areas, 重复/越级/集体访, rates and the 环比 with the month
before — counted here by hand. Only a 信访员 or the 办公室主任 drafts it."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import OutgoingDocument
from petitions import services
from petitions.models import BeyondLevel, CaseState, Channel, IssueCategory
from petitions.services.analysis import previous_period

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        yield


@pytest.fixture
def month(petition_org, ledger_people, make_petition_case, petition_category):
    """November: a letter and a 集体访 (30 people) on 房屋质量, an online 越级 repeat on 物业管理, and a
    merged case (not counted twice); October: two cases; and a November case of 住建局 the city's
    信访员 does not see."""
    org = petition_org
    other = IssueCategory.objects.create(name="物业管理", code="urban-property", parent=petition_category.parent)
    first = make_petition_case(
        received_on=date(2026, 11, 2), area=org.bureau, accepted_on=date(2026, 11, 3), accepted_on_time=True
    )
    make_petition_case(
        received_on=date(2026, 11, 9),
        channel=Channel.VISIT,
        mass=True,
        headcount=30,
        area=org.finance,
        accepted_on=date(2026, 11, 30),
        accepted_on_time=False,
    )
    make_petition_case(
        received_on=date(2026, 11, 20),
        channel=Channel.ONLINE,
        category=other,
        area=org.bureau,
        beyond_level=BeyondLevel.PROVINCE,
        repeat_of=first,
    )
    make_petition_case(received_on=date(2026, 11, 21), state=CaseState.MERGED, merged_into=first)
    make_petition_case(received_on=date(2026, 10, 8))
    make_petition_case(received_on=date(2026, 10, 30), channel=Channel.PHONE)
    make_petition_case(
        received_on=date(2026, 11, 5),
        organ=org.bureau,
        intake_unit=ledger_people.bureau_officer.unit,
        registrar=ledger_people.bureau_officer,
        title="住建局自收件",
    )
    return org


def test_previous_period_is_the_month_before():
    assert previous_period(*NOVEMBER) == (date(2026, 10, 1), date(2026, 10, 31))
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert previous_period(date(2026, 3, 10), date(2026, 3, 19)) == (date(2026, 2, 28), date(2026, 3, 9))


def test_analysis_body_figures_equal_hand_counts(month, report_series):
    org = month
    document = services.analysis_draft(
        actor=org.registrar.user, series=report_series, start=NOVEMBER[0], end=NOVEMBER[1]
    )
    assert (document.kind, document.direction, document.series) == ("report", "up", report_series)
    assert document.title == "关于2026年11月信访形势的分析报告"
    body = document.body
    assert "2026年11月，共登记信访事项3件，环比上升50.0%（2件）。" in body
    for line in ("来信1件；", "来访1件；", "网上信访1件；", "房屋质量2件；", "物业管理1件；"):
        assert line in body
    assert "电话" not in body  # October's phone call is last month's
    assert f"{org.bureau.name}2件；" in body and f"{org.finance.name}1件；" in body
    assert "重复信访1件，上期为0。" in body
    assert "越级访1件，上期为0。" in body
    assert "集体访1批30人次，上期为0。" in body
    assert "及时受理率50.0%" in body
    assert "住建局自收件" not in body  # counts only, never a case


def test_who_drafts_the_analysis(month, petition_city, ledger_people, report_series):
    org = month
    for outsider in (petition_city.bystander, org.leader):
        with pytest.raises(PermissionDenied):
            services.analysis_draft(actor=outsider.user, series=report_series, start=NOVEMBER[0], end=NOVEMBER[1])
    # The 办公室主任 may (he counts what he sees: nothing here).
    document = services.analysis_draft(
        actor=ledger_people.office_chief.user, series=report_series, start=NOVEMBER[0], end=NOVEMBER[1]
    )
    assert "共登记信访事项0件" in document.body
    with pytest.raises(ValidationError) as refused:
        services.analysis_draft(
            actor=org.registrar.user, series=petition_city.series[org.city.pk], start=NOVEMBER[0], end=NOVEMBER[1]
        )
    assert "series" in refused.value.message_dict


def test_analysis_page_redirects_to_the_draft(client, month, petition_city, report_series):
    org = month
    client.force_login(org.registrar.user)
    assert client.get("/petitions/analysis/").status_code == 200
    response = client.post("/petitions/analysis/", {"month": "2026-11", "series": report_series.pk})
    document = OutgoingDocument.objects.get(title="关于2026年11月信访形势的分析报告")
    assert response.status_code == 302 and response["Location"].endswith(f"/{document.pk}/")
    client.force_login(petition_city.bystander.user)
    assert client.get("/petitions/analysis/").status_code == 403
