"""The 保密 份号 register and copy requests: the register is for 保密员 only and never names a record
they may not read; the overdue filter; destruction takes two people; a move the copy does not
allow says why; a fixed query count; and requests to copy or excerpt, decided by a leader (绝密
only with the classifying organ's approval), never by anyone else.

The office these pages are tried in (甲市人民政府: its 市政府办公室 with the ``owner``, a ``colleague``,
a ``leader`` and two 保密员 ``officer`` / ``second_officer``; an ``outsider`` in its 发展改革局) comes
from ``conftest.py``; ``register`` (a carrier registered as a person), the URLs and the small reads
of a response come from ``page_helpers.py``."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import CopyRequest, CopyRequestState, CopyState
from tests.confidentiality.page_helpers import COPIES_URL, REQUESTS_URL, detail_url, messages_of, page_of, register

pytestmark = pytest.mark.django_db


# --- The 份号 register -----------------------------------------------------------------------------


def test_the_copy_register_is_for_security_officers_only(client, owner, colleague, officer):
    """GIVEN a copy of a 机密 carrier
    WHEN the holder (not a 保密员) opens the register, tries an officer action, and the 保密员 opens it
    THEN the holder gets 403 with no rows and a 404 for the action; the officer sees copy 000001 with
    the carrier's title, holder and dates."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)

    client.force_login(colleague.user)
    refused = client.get(COPIES_URL)
    assert refused.status_code == 403
    assert "000001" not in page_of(refused) and "防汛指挥部署" not in page_of(refused)
    assert client.post(f"/confidentiality/copies/{copy.pk}/return/").status_code == 404

    client.force_login(officer.user)
    page = page_of(client.get(COPIES_URL))
    row = page[page.index('data-testid="copy-row"') :]
    assert "000001" in row and "防汛指挥部署" in row and "陈晓静" in row and "已分发" in row


def test_the_register_hides_titles_of_records_the_officer_may_not_read(client, officer, outsider):
    """GIVEN a 机密 carrier of the planning bureau, with a copy, outside the 保密员's 知悉范围
    WHEN the 保密员 opens the register
    THEN the row shows （登记事项） and the mark 机密★20年, never the title."""
    carrier = register(outsider, title="项目审批台账", level=Level.SECRET)
    services.copy_issue(actor=outsider.user, record=carrier, holder_person=outsider)
    client.force_login(officer.user)

    page = page_of(client.get(COPIES_URL))

    assert "（登记事项）" in page and "机密★20年" in page
    assert "项目审批台账" not in page


@time_machine.travel("2026-05-10 10:00 +0800")
def test_the_overdue_filter_shows_only_copies_past_their_return_date(client, owner, colleague, officer):
    """GIVEN two copies out: one due back yesterday, one next month
    WHEN the 保密员 opens the register with ?overdue=1
    THEN only the overdue one is listed, highlighted; without the filter both are, the overdue one
    flagged."""
    carrier = register(owner, level=Level.SECRET)
    today = timezone.localdate()
    with time_machine.travel("2026-04-30 10:00 +0800"):  # issued ten days ago, due back yesterday
        late = services.copy_issue(
            actor=owner.user, record=carrier, holder_person=colleague, due_back=today - timedelta(1)
        )
    services.copy_issue(actor=owner.user, record=carrier, holder_person=owner, due_back=today + timedelta(30))
    client.force_login(officer.user)

    overdue = page_of(client.get(COPIES_URL, {"overdue": "1"}))
    everything = page_of(client.get(COPIES_URL))

    assert overdue.count('data-testid="copy-row"') == 1
    assert late.number_display in overdue and "000002" not in overdue
    assert 'class="table-danger overdue"' in overdue and 'data-testid="overdue"' in overdue
    assert everything.count('data-testid="copy-row"') == 2
    assert everything.count('data-testid="overdue"') == 1


def test_destruction_on_the_page_takes_two_people(client, owner, colleague, officer, second_officer):
    """GIVEN a returned copy put up for destruction by one 保密员
    WHEN the same 保密员 confirms it, and then a second 保密员 does
    THEN the first is refused with the two-person message and the copy waits; the second destroys it
    and the register names both."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(officer.user)
    client.post(f"/confidentiality/copies/{copy.pk}/return/")
    client.post(f"/confidentiality/copies/{copy.pk}/request-destruction/", {"note": "年度清理"})
    copy.refresh_from_db()
    assert copy.state == CopyState.DESTRUCTION_REQUESTED

    same = client.post(f"/confidentiality/copies/{copy.pk}/confirm-destruction/", follow=True)
    copy.refresh_from_db()
    assert "销毁须由两人办理：经办人不能同时担任监销人。" in messages_of(same)
    assert copy.state == CopyState.DESTRUCTION_REQUESTED

    client.force_login(second_officer.user)
    done = client.post(f"/confidentiality/copies/{copy.pk}/confirm-destruction/", follow=True)
    copy.refresh_from_db()
    assert copy.state == CopyState.DESTROYED
    assert copy.destruction_requested_by == officer and copy.destruction_confirmed_by == second_officer
    assert "吴敏" in page_of(done) and "郑洁" in page_of(done)


def test_a_move_the_copy_does_not_allow_shows_its_message(client, owner, colleague, officer):
    """GIVEN a copy already returned WHEN the 保密员 posts 清退 again THEN the page says why and
    nothing changes."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    services.copy_return(actor=officer.user, copy=copy)
    client.force_login(officer.user)

    response = client.post(f"/confidentiality/copies/{copy.pk}/return/", follow=True)

    assert "份号000001当前为“已清退”，不能办理此项。" in messages_of(response)


def test_the_copy_register_stays_at_a_fixed_number_of_queries(
    client, owner, colleague, officer, django_assert_max_num_queries
):
    """GIVEN 2 and then 20 copies WHEN the 保密员 opens the register THEN the query count does not grow."""
    carrier = register(owner, level=Level.SECRET)
    for _ in range(2):
        services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(officer.user)
    with django_assert_max_num_queries(50) as few:
        client.get(COPIES_URL)
    for _ in range(18):
        services.copy_issue(actor=owner.user, record=carrier, holder_unit=colleague.unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = page_of(client.get(COPIES_URL))
    assert page.count('data-testid="copy-row"') == 20


# --- Copy and excerpt requests ---------------------------------------------------------------------


def test_a_copy_request_from_the_page_is_decided_by_a_leader(client, owner, colleague, leader):
    """GIVEN a 机密 carrier the colleague may read
    WHEN the colleague asks to copy it on the carrier's page and a leader approves it on the
    requests page
    THEN the request is 已批准 by the leader, and the colleague sees the decision."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    client.post(f"{detail_url(carrier)}copy-request/", {"kind": "copy", "copies": "2", "reason": "分送防汛办"})
    request = CopyRequest.objects.get()
    assert request.requested_by == colleague and request.copies == 2

    client.force_login(leader.user)
    listing = page_of(client.get(REQUESTS_URL))
    assert 'data-testid="decide-form"' in listing and "分送防汛办" in listing
    client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve", "note": "同意"})
    request.refresh_from_db()
    assert request.state == CopyRequestState.APPROVED and request.decided_by == leader

    client.force_login(colleague.user)
    mine = page_of(client.get(REQUESTS_URL))
    assert "已批准" in mine and 'data-testid="decide-form"' not in mine


def test_a_top_secret_copy_needs_the_classifying_organs_approval(client, owner, leader, officer):
    """GIVEN a pending request to copy a 绝密 carrier
    WHEN a leader approves it without the classifying organ's approval, then with it
    THEN the first is refused with the message and the request stays pending; the second approves it."""
    carrier = register(owner, level=Level.TOP_SECRET)
    services.grant(actor=owner.user, record=carrier, person=officer, reason="保密检查")
    request = services.copy_request_submit(actor=officer.user, record=carrier, kind="excerpt", reason="检查摘录")
    client.force_login(leader.user)
    assert 'name="originating_organ_approval"' in page_of(client.get(REQUESTS_URL))

    refused = client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve"}, follow=True)
    request.refresh_from_db()
    assert "绝密级事项的复制摘抄须经定密机关批准，请写明批准情况。" in messages_of(refused)
    assert request.state == CopyRequestState.PENDING

    client.post(
        f"/confidentiality/copy-requests/{request.pk}/decide/",
        {"decision": "approve", "originating_organ_approval": "市保密局批复〔2026〕1号"},
    )
    request.refresh_from_db()
    assert request.state == CopyRequestState.APPROVED
    assert request.originating_organ_approval == "市保密局批复〔2026〕1号"


def test_a_person_who_is_not_a_leader_cannot_decide(client, owner, colleague, outsider):
    """GIVEN a colleague's pending request WHEN a person who is neither the requester nor a leader
    posts a decision THEN 404 and the request stays pending."""
    carrier = register(owner, level=Level.SECRET)
    request = services.copy_request_submit(actor=colleague.user, record=carrier, kind="copy", reason="x")
    client.force_login(outsider.user)

    assert (
        client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve"}).status_code == 404
    )
    request.refresh_from_db()
    assert request.state == CopyRequestState.PENDING
