"""The 建议提案 pages (petitions/proposals/views.py) as the people of ``proposal_city`` see them: the
office's 督查员 who imports and assigns, 住建局's 赵科员 (主办), 财政局's 郑科员 (会办), 冯科员 of the
办公室 (no role) and the province's 省科员 (outside)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from petitions.proposals.models import Proposal, ProposalContact, ProposalSession, ProposalState

pytestmark = pytest.mark.django_db

LIST = "/petitions/proposals/"
IMPORT = "/petitions/proposals/import/"
FIGURES = "/petitions/proposals/figures/"


def html(response) -> str:
    return response.content.decode()


def as_user(client, person):
    client.force_login(person.user)
    return client


def upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("交办.json", json.dumps(rows, ensure_ascii=False).encode(), "application/json")


def row(number, **extra) -> dict:
    return {
        "kind": "代表建议",
        "number": number,
        "title": "关于增设公交线路的建议",
        "content": "城东新区公交线路少。",
        "lead_proposer": "陈代表",
        "delegation": "城东代表团",
        "submitted_on": timezone.localdate().isoformat(),
        "co_signers": "刘代表、孙代表",
        **extra,
    }


def test_the_office_and_the_units_see_the_item_an_outsider_gets_a_404(
    client, proposal_city, proposal_flow, make_proposal
):
    """GIVEN an item assigned to 住建局 (主办) with 财政局 (会办) WHEN each opens the ledger and the page
    THEN the office and both units see it (the page with the shares and clocks), the outsider gets a
    404 and an empty ledger, the office's bystander sees it with nothing to do."""
    item = proposal_flow.to(make_proposal(title="关于老旧小区加装电梯的建议"), "handling")
    page = f"{LIST}{item.pk}/"
    for person in (proposal_city.office, proposal_city.bureau_clerk, proposal_city.finance_clerk):
        as_user(client, person)
        listed = client.get(LIST)
        assert listed.status_code == 200
        assert "关于老旧小区加装电梯的建议" in html(listed)
        shown = client.get(page)
        assert shown.status_code == 200
        text = html(shown)
        assert 'data-testid="proposal-page"' in text
        assert "王代表" in text and "李代表" in text  # 领衔人 and 附议人
        assert text.count('data-testid="share"') == 2
        assert 'data-kind="proposal"' in text  # the 3-month answer clock
    as_user(client, proposal_city.outsider)
    assert client.get(page).status_code == 404
    assert "关于老旧小区加装电梯的建议" not in html(client.get(LIST))
    as_user(client, proposal_city.bystander)  # of the 交办部门: sees the item, may do nothing on it
    assert 'data-testid="no-actions"' in html(client.get(page))


def test_the_page_offers_the_office_assignment_and_the_unit_nothing_before_it(client, proposal_city, make_proposal):
    item = make_proposal()
    as_user(client, proposal_city.office)
    text = html(client.get(f"{LIST}{item.pk}/"))
    assert set(re.findall(r'data-testid="action-([a-z_]+)"', text)) == {"assign"}
    as_user(client, proposal_city.bureau_clerk)
    assert client.get(f"{LIST}{item.pk}/").status_code == 404


def test_assign_and_contact_through_the_page_move_the_item(client, proposal_city, make_proposal):
    """GIVEN an imported item WHEN the office assigns it to 住建局 with 财政局 and 住建局's clerk records
    a 沟通联系 THEN the item is 办理中 with both shares, and the contact shows on the page; 住建局 is then
    offered the 答复件."""
    item = make_proposal()
    as_user(client, proposal_city.office)
    response = client.post(
        f"{LIST}{item.pk}/assign/",
        {
            "mode": "lead",
            "lead_unit": proposal_city.bureau.pk,
            "assist_units": [proposal_city.finance.pk],
            "on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, html(response)
    item.refresh_from_db()
    assert item.state == ProposalState.HANDLING
    assert {a.unit_id for a in item.assignments.all()} == {proposal_city.bureau.pk, proposal_city.finance.pk}
    assert item.due is not None

    as_user(client, proposal_city.bureau_clerk)
    response = client.post(
        f"{LIST}{item.pk}/contact/",
        {"method": "phone", "on": timezone.localdate().isoformat(), "people": "赵科员", "view": "同意办理思路"},
    )
    assert response.status_code == 302, html(response)
    assert ProposalContact.objects.filter(assignment__proposal=item).count() == 1
    text = html(client.get(f"{LIST}{item.pk}/"))
    assert "同意办理思路" in text
    assert 'data-testid="action-reply"' in text


def test_a_step_not_yours_is_refused_and_nothing_changes(client, proposal_city, make_proposal):
    item = make_proposal()
    as_user(client, proposal_city.outsider)
    response = client.post(f"{LIST}{item.pk}/assign/", {"mode": "lead", "lead_unit": proposal_city.bureau.pk})
    assert response.status_code == 404  # not even visible
    as_user(client, proposal_city.bystander)
    response = client.post(
        f"{LIST}{item.pk}/assign/",
        {"mode": "lead", "lead_unit": proposal_city.bureau.pk, "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    as_user(client, proposal_city.office)
    response = client.post(f"{LIST}{item.pk}/assign/", {"mode": "lead", "on": timezone.localdate().isoformat()})
    assert response.status_code == 400  # no 主办单位
    item.refresh_from_db()
    assert item.state == ProposalState.IMPORTED


def test_an_import_with_a_bad_row_stores_nothing(client, proposal_city):
    """GIVEN a file whose second row has no 案由 WHEN the office imports it into a new session THEN the
    row's error is shown, and neither the items nor the new session are stored."""
    as_user(client, proposal_city.office)
    response = client.post(
        IMPORT,
        {
            "file": upload([row("0101"), row("0102", title="")]),
            "body": "npc",
            "name": "测试市十七届人大六次会议",
            "year": timezone.localdate().year,
            "recipient_office": "市人大常委会选联工委",
        },
    )
    assert response.status_code == 400
    assert 'data-testid="row-error"' in html(response)
    assert not Proposal.objects.filter(number__in=("0101", "0102")).exists()
    assert not ProposalSession.objects.filter(name="测试市十七届人大六次会议").exists()


def test_a_good_import_creates_the_items(client, proposal_city):
    as_user(client, proposal_city.office)
    response = client.post(IMPORT, {"file": upload([row("0201"), row("0202")]), "session": proposal_city.session.pk})
    assert response.status_code == 302, html(response)
    items = Proposal.objects.filter(session=proposal_city.session, number__in=("0201", "0202"))
    assert items.count() == 2
    assert {i.state for i in items} == {ProposalState.IMPORTED}
    assert "0201" in html(client.get(LIST))


def test_only_the_office_may_import(client, proposal_city):
    as_user(client, proposal_city.bureau_clerk)
    assert client.get(IMPORT).status_code == 403
    as_user(client, proposal_city.office)
    assert client.get(IMPORT).status_code == 200


def test_the_figures_page_counts_the_shares(client, proposal_city, proposal_flow, make_proposal):
    """GIVEN two items assigned to 住建局 (主办) with 财政局 (会办) WHEN the office opens the figures
    THEN 住建局 has 2 主办, 财政局 2 会办, and the office is offered the 办理工作总结; the Excel downloads."""
    for _n in range(2):
        proposal_flow.to(make_proposal(), "handling")
    as_user(client, proposal_city.office)
    response = client.get(FIGURES)
    assert response.status_code == 200
    text = html(response)
    rows = re.findall(r'<tr data-testid="figure-row"[^>]*>(.*?)</tr>', text, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r) for r in rows]
    by_unit = {c[0]: c[1:] for c in cells}
    assert by_unit[proposal_city.bureau.name][:3] == ["2", "0", "0"]
    assert by_unit[proposal_city.finance.name][:3] == ["0", "2", "0"]
    assert 'data-testid="summary-draft"' in text
    export = client.get("/petitions/proposals/figures.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    as_user(client, proposal_city.bureau_clerk)
    assert 'data-testid="summary-draft"' not in html(client.get(FIGURES))


def test_sending_the_answer_asks_for_confirmation_then_answers_the_item(
    client, proposal_city, proposal_flow, make_proposal
):
    """GIVEN 住建局's signed 答复件 (主办; the 会办 owes no answer to the proposer) WHEN its clerk sends it
    through the page THEN he is first asked to confirm (nothing changes), then the item is 已答复 and
    the page links the 答复件."""
    item = proposal_flow.to(make_proposal(), "handling")
    proposal_flow.contact(item)
    share = proposal_flow.reply(item)
    proposal_flow.sign(share.document)
    as_user(client, proposal_city.bureau_clerk)
    day = timezone.localdate().isoformat()
    asked = client.post(f"{LIST}{item.pk}/send/", {"on": day})
    assert asked.status_code == 200
    assert 'name="confirmed"' in html(asked)
    item.refresh_from_db()
    assert item.state == ProposalState.HANDLING
    done = client.post(f"{LIST}{item.pk}/send/", {"on": day, "confirmed": "1"})
    assert done.status_code == 302, html(done)
    item.refresh_from_db()
    assert item.state == ProposalState.REPLIED
    text = html(client.get(f"{LIST}{item.pk}/"))
    assert "/documents/" in text and 'data-testid="letter-link"' in text


def test_the_ledger_filters_by_state_unit_and_key(client, proposal_city, proposal_flow, make_proposal):
    """GIVEN an imported item and a 重点 one assigned to 住建局 WHEN the office filters THEN each filter
    keeps only the matching item."""
    waiting = make_proposal(title="关于增设停车位的建议")
    assigned = proposal_flow.to(make_proposal(title="关于治理内河污染的建议"), "handling")
    Proposal.objects.filter(pk=assigned.pk).update(key=True)
    as_user(client, proposal_city.office)

    def titles(query) -> set[str]:
        text = html(client.get(LIST, query))
        return {t for t in (waiting.title, assigned.title) if t in text}

    assert titles({}) == {waiting.title, assigned.title}
    assert titles({"state": "imported"}) == {waiting.title}
    assert titles({"unit": proposal_city.bureau.pk}) == {assigned.title}
    assert titles({"key": "on"}) == {assigned.title}
    assert titles({"session": proposal_city.session.pk, "kind": "deputy"}) == {waiting.title, assigned.title}
    assert titles({"overdue": "on"}) == set()
