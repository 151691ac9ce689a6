"""Rules that hold the module together: register-only items above the ceiling, an item due with its
last task, unit membership bounded by the organ, who may split, the 通报's addressees, and the
start-up check of the extension chain."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from documents.models import DocumentSeries
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent
from office.confidentiality.services import CeilingExceeded
from office.org.models import Role
from supervision import services
from supervision.models import ProgressReport, SupervisionItem
from tests.factories import make_person
from tests.supervision.test_from_incoming import BASIS, instruct

SECRET = {"level": Level.SECRET, "basis": "《国家秘密目录》第3项"}


# --- Above the ceiling: the register only ------------------------------------------------------------


def test_above_the_ceiling_an_item_is_a_register_entry_without_content(city, open_item, split, today):
    """GIVEN the default ceiling (内部) WHEN a 机密 item is opened with a requirement THEN it is refused and
    the refusal is in the audit log; WHEN it is opened without one THEN it is registered (number, title,
    units, dates) and its tasks report without text — a text or a file is refused, nothing stored."""
    with pytest.raises(CeilingExceeded):
        open_item(requirement="涉密要求", **SECRET)
    assert not SupervisionItem.objects.exists()
    assert AuditEvent.objects.filter(action="ceiling_refused").count() == 1

    item = open_item(requirement="", **SECRET)
    [task] = split(item, due=date(2026, 4, 30))
    assert (item.number, item.requirement, item.level_mark) == ("督〔2026〕1号", "", "机密★20年")

    with pytest.raises(CeilingExceeded):
        services.task_report(actor=city.ndrc_head.user, task=task, text="涉密进展", percent=20)
    assert not ProgressReport.objects.exists()
    services.task_report(actor=city.ndrc_head.user, task=task, text="", percent=20)
    assert task.reports.get().percent == 20


def test_within_the_ceiling_the_requirement_and_report_text_are_required(city, open_item, split, today):
    """GIVEN the default ceiling WHEN an 内部 item is opened without a requirement, or a report is sent
    without text THEN each is a field error and nothing is stored."""
    with pytest.raises(ValidationError) as refused:
        open_item(requirement=" ")
    assert "requirement" in refused.value.message_dict
    [task] = split(open_item(), due=date(2026, 4, 30))
    with pytest.raises(ValidationError) as refused:
        services.task_report(actor=city.ndrc_head.user, task=task, text="", percent=20)
    assert "text" in refused.value.message_dict and not ProgressReport.objects.exists()


def test_a_supervised_instruction_on_a_document_above_the_ceiling_opens_a_register_entry(
    bureau, receive, advance, today
):
    """GIVEN the default ceiling and a 机密 document at the 局长's 批示 (registered, no content) WHEN he
    puts it under supervision THEN the 批示 goes through and the item exists, 机密, without the
    instruction's text."""
    document = advance(receive(level=Level.SECRET, basis=BASIS), "instruction")

    document = instruct(bureau, document, time_limit=date(2026, 3, 31))

    assert document.state == "handling"
    [item] = services.items_from(document)
    assert (item.classification, item.requirement) == (Level.SECRET, "")


# --- The item is due with its last task --------------------------------------------------------------


def test_the_item_is_due_with_its_last_task_also_after_an_extension(city, open_item, split, today):
    """GIVEN an item due 17 March (15 days) WHEN it is split into a task due 30 April THEN the item is due
    30 April; WHEN that task is extended to 29 May along the chain THEN the item is due 29 May."""
    item = open_item()
    assert item.due == date(2026, 3, 17)
    [task] = split(item, due=date(2026, 4, 30))
    item.refresh_from_db()
    assert item.due == date(2026, 4, 30)

    request = services.extension_request(
        actor=city.ndrc_head.user, task=task, reason="征地未完成", new_due=date(2026, 5, 29), progress="完成60%"
    )
    for person in (city.supervisor, city.leader):
        request = services.extension_decide(actor=person.user, request=request, approve=True)
    item.refresh_from_db()
    assert item.due == date(2026, 5, 29)


# --- Units end at the organ --------------------------------------------------------------------------


def test_a_task_led_by_the_government_itself_is_not_reported_by_a_bureau_below_it(city, open_item, split, today):
    """GIVEN a task led by 测试市人民政府 itself WHEN 钱主任 of 发改委 (an organ under it) reports on it
    THEN he is refused: a bureau is not part of the government's own units."""
    [task] = split(open_item(), due=date(2026, 4, 30), lead_unit=city.organ, responsible_person=city.leader)

    with pytest.raises(PermissionDenied):
        services.task_report(actor=city.ndrc_head.user, task=task, text="代为报送", percent=10)
    assert not ProgressReport.objects.exists()


def test_only_the_items_supervisor_or_its_instructing_leader_splits_it(city, open_item, today):
    """GIVEN an item instructed by 李市长 WHEN another 领导 splits it THEN he is refused; 李市长 may."""
    other_leader = make_person(username="sv-other-leader", name="冯副市长", unit=city.organ, roles=(Role.LEADER,))
    item = open_item()
    spec = services.TaskSpec(lead_unit=city.ndrc, due=date(2026, 4, 30))

    with pytest.raises(PermissionDenied):
        services.item_split(actor=other_leader.user, item=item, tasks=[spec])
    assert not item.tasks.exists()
    services.item_split(actor=city.leader.user, item=item, tasks=[spec])
    assert item.tasks.count() == 1


# --- 通报 addressees ------------------------------------------------------------------------------------


def test_the_bulletin_is_addressed_to_the_lead_units_it_counts(city, open_item, split, today):
    """GIVEN March tasks led by 发改委 and 财政局, and a 机密 one led by 发改委 only WHEN the 督查员 drafts the
    通报 THEN its 主送 are 发改委 and 财政局."""
    split(open_item(), due=date(2026, 4, 30))
    split(open_item(title="盘活存量资产"), due=date(2026, 4, 30), lead_unit=city.finance, assisting_units=[])
    series = DocumentSeries.objects.create(organ=city.office, office=city.office, code="测督通", issuer_name="督查通报")

    draft = services.bulletin_draft(
        actor=city.supervisor.user, series=series, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )

    assert set(draft.main_to_units.all()) == {city.ndrc, city.finance}


# --- The extension chain is checked at start-up --------------------------------------------------------


@pytest.mark.parametrize("chain", [["unit_head", "supervisr"], []])
def test_a_misspelt_or_empty_extension_chain_stops_the_system_check(settings, chain):
    """GIVEN SHUNIU_SUPERVISION_EXTENSION_CHAIN misspelt or empty WHEN manage.py check runs THEN it fails
    with supervision.E001 instead of a server error on the first request."""
    settings.SUPERVISION_EXTENSION_CHAIN = chain
    with pytest.raises(SystemCheckError, match=r"supervision\.E001"):
        call_command("check")
