"""通报 and 督查专报 land in the documents module as drafts (so they go through 核稿 and 签发): a bulletin
names the exemplary and the overdue units and leaves classified items out; a 督查专报 is as secret as
its item and refused above the deployment's ceiling."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import DocumentSeries, DocumentState, OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.services import CeilingExceeded
from supervision import services
from tests.supervision.conftest import on

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


@pytest.fixture
def series(city):
    return DocumentSeries.objects.create(
        organ=city.office, office=city.office, code="测府办督", issuer_name="测试市人民政府办公室文件"
    )


@pytest.fixture
def month(city, open_item, split, finish, today, settings):
    """On 2 March: an 内部 item led by 发改委 (done on time on 6 March), an 内部 one led by 财政局 (due 10
    March, never reported) and a 机密 one led by 发改委 (due 10 March, overdue). The clock ends on 20
    March."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    done = open_item(title="推进老旧小区改造", due=date(2026, 3, 31))
    [done_task] = split(done, assisting_units=[])
    late = open_item(title="落实惠企资金", due=date(2026, 3, 10))
    split(late, lead_unit=city.finance, assisting_units=[])
    secret = open_item(
        title="涉密督办事项",
        requirement="完成涉密工程选址。",
        level=Level.SECRET,
        basis="《国家秘密目录》第3项",
        due=date(2026, 3, 10),
    )
    split(secret, assisting_units=[])
    on(today, date(2026, 3, 6))
    finish(done_task)
    on(today, date(2026, 3, 20))
    return {"done": done, "late": late, "secret": secret}


def test_the_bulletin_is_a_draft_naming_the_units_without_classified_items(city, month, series):
    """GIVEN March's items WHEN the 督查员 drafts the month's bulletin THEN an 内部 通报 draft exists in
    the documents module, drafted by him, whose text counts the two 内部 tasks, praises 发改委 (its only
    counted task done on time — its overdue 机密 task is left out), names 财政局 and its overdue item,
    and never mentions the 机密 item."""
    document = services.bulletin_draft(actor=city.supervisor.user, series=series, **MARCH)

    document = OutgoingDocument.objects.get(pk=document.pk)
    assert (document.kind, document.state, document.drafter, document.classification) == (
        "bulletin",
        DocumentState.DRAFT,
        city.supervisor,
        Level.INTERNAL,
    )
    assert document.title == "关于2026年3月1日至2026年3月31日督查督办事项办理情况的通报"
    assert "本期共交办督办任务2项，已办结1项，其中按期办结1项。" in document.body
    assert "测试市发展和改革委员会交办任务全部按期办结，予以通报表扬。" in document.body
    assert "测试市财政局：逾期未办结1项，逾期办结0项，退回重办0次。" in document.body
    assert "（测试市财政局）落实惠企资金，时限2026年3月10日。" in document.body
    assert "涉密" not in document.body


def test_a_whole_years_bulletin_is_titled_by_the_year(city, month, series):
    """GIVEN the year 2026 as the period WHEN drafted THEN the title says 2026年."""
    document = services.bulletin_draft(
        actor=city.supervisor.user, series=series, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert document.title == "关于2026年督查督办事项办理情况的通报"


def test_only_a_supervisor_drafts_a_bulletin_over_a_real_period(city, month, series):
    """GIVEN March WHEN 发改委's head drafts a bulletin, or the 督查员 gives a period ending before it
    starts THEN refused and no document is made."""
    with pytest.raises(PermissionDenied):
        services.bulletin_draft(actor=city.ndrc_head.user, series=series, **MARCH)
    with pytest.raises(ValidationError):
        services.bulletin_draft(
            actor=city.supervisor.user, series=series, start=date(2026, 3, 31), end=date(2026, 3, 1)
        )
    assert not OutgoingDocument.objects.exists()


def test_a_supervision_report_is_an_upward_report_as_secret_as_its_item(city, month, series):
    """GIVEN the 机密 item WHEN the 督查员 drafts a 督查专报 on it THEN a 报告 draft, upward, marked 机密
    with the item's basis, titled after the item, whose text gives its source, requirement and the
    lead unit's standing."""
    document = services.report_draft(actor=city.supervisor.user, series=series, items=[month["secret"]])

    document = OutgoingDocument.objects.get(pk=document.pk)
    assert (document.kind, document.direction, document.state, document.classification) == (
        "report",
        "up",
        DocumentState.DRAFT,
        Level.SECRET,
    )
    assert document.classification_basis == "《国家秘密目录》第3项"
    assert document.title == "关于涉密督办事项督查情况的报告"
    assert "该事项来源于领导批示" in document.body and "完成涉密工程选址。" in document.body
    assert "测试市发展和改革委员会（办理中，时限2026年3月10日）：尚未报送进展" in document.body


def test_a_themed_report_takes_the_highest_classification(city, month, series):
    """GIVEN an 内部 and a 机密 item WHEN one report covers both under a theme THEN it is 机密 and titled
    by the theme."""
    document = services.report_draft(
        actor=city.supervisor.user, series=series, items=[month["done"], month["secret"]], theme="重点工程"
    )
    assert (document.title, document.classification) == ("关于重点工程督查情况的报告", Level.SECRET)


def test_a_report_above_the_ceiling_or_the_drafters_clearance_is_refused(city, month, series, settings):
    """GIVEN the 机密 item WHEN the ceiling is lowered to 秘密 and the 督查员 drafts a report on it THEN it
    is refused (content above the ceiling); WHEN 陈督查 (内部) drafts it THEN refused; no document is
    made, and a report on no item at all is refused too."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.CONFIDENTIAL
    with pytest.raises(CeilingExceeded):
        services.report_draft(actor=city.supervisor.user, series=series, items=[month["secret"]])

    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    with pytest.raises(PermissionDenied):
        services.report_draft(actor=city.supervisor2.user, series=series, items=[month["secret"]])
    with pytest.raises(ValidationError):
        services.report_draft(actor=city.supervisor.user, series=series, items=[])
    assert not OutgoingDocument.objects.exists()
