"""建议提案 through the API, as another system (the 人大/政协 system's export) and the office's people
would use it: 导入 all or nothing, 交办, 沟通联系, the 答复件 and its 送达, 征询意见 and 办结, the figures
— each step's refusal in Chinese, and bad input a 400 that changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.utils import timezone

from petitions.proposals.models import Proposal, ProposalContact, ProposalState

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/proposals/"
TODAY = str(timezone.localdate())


def _rows():
    return [
        {
            "kind": "代表建议",
            "number": "0101",
            "title": "关于加强社区养老服务的建议",
            "content": "建议增加社区养老服务站点。",
            "lead_proposer": "赵代表",
            "delegation": "城西代表团",
            "submitted_on": TODAY,
            "co_signers": [{"name": "钱代表", "delegation": "城西代表团"}],
        },
        {
            "kind": "代表建议",
            "number": "0102",
            "title": "关于改善背街小巷照明的建议",
            "content": "建议更换老旧路灯。",
            "lead_proposer": "孙代表",
            "delegation": "城东代表团",
            "submitted_on": TODAY,
            "co_signers": [],
        },
    ]


def test_the_office_imports_a_batch_and_a_bad_row_stores_nothing(proposal_city, api_as):
    api = api_as(proposal_city.office)
    bad = _rows()
    bad[1]["submitted_on"] = "2026-02-30"
    answer = api.post(f"{BASE}import/", {"session": proposal_city.session.pk, "rows": bad}, format="json")
    assert answer.status_code == 400
    assert any("第2行" in message for message in answer.json()["errors"]["rows"])
    assert not Proposal.objects.exists()

    answer = api.post(f"{BASE}import/", {"session": proposal_city.session.pk, "rows": _rows()}, format="json")
    assert answer.status_code == 201, answer.content
    assert [row["number"] for row in answer.json()] == ["0101", "0102"]
    assert Proposal.objects.filter(state=ProposalState.IMPORTED).count() == 2

    again = api.post(f"{BASE}import/", {"session": proposal_city.session.pk, "rows": _rows()[:1]}, format="json")
    assert again.status_code == 400 and Proposal.objects.count() == 2  # the number is already in


def test_a_json_file_is_imported_and_a_unit_may_not_import(proposal_city, api_as):
    upload = io.BytesIO(json.dumps(_rows()).encode())
    upload.name = "建议.json"
    refused = api_as(proposal_city.bureau_clerk).post(
        f"{BASE}import/", {"session": proposal_city.session.pk, "file": upload}, format="multipart"
    )
    assert refused.status_code == 403 and not Proposal.objects.exists()
    upload.seek(0)
    answer = api_as(proposal_city.office).post(
        f"{BASE}import/", {"session": proposal_city.session.pk, "file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.content
    assert Proposal.objects.count() == 2


def test_an_item_is_assigned_answered_rated_and_closed(proposal_city, make_proposal, proposal_flow, api_as):
    pc = proposal_city
    proposal = make_proposal()
    office = api_as(pc.office)
    answer = office.post(
        f"{BASE}{proposal.pk}/assign/",
        {"mode": "lead", "lead_unit": pc.bureau.pk, "assist_units": [pc.finance.pk]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "handling"
    assert {share["unit"]: share["role"] for share in body["shares"]} == {pc.bureau.pk: "lead", pc.finance.pk: "assist"}
    assert {clock["kind"] for clock in body["clocks"]} == {"proposal", "proposal-assist"}

    unit = api_as(pc.bureau_clerk)
    steps = {offer["step"] for offer in unit.get(f"{BASE}{proposal.pk}/").json()["offered"]}
    assert "contact" in steps and "reply" not in steps  # the gate: no 答复件 before a 沟通联系
    series = proposal_flow.series(pc.bureau).pk
    gated = unit.post(f"{BASE}{proposal.pk}/reply/", {"result_code": "A", "text": "已办理。", "series": series})
    assert gated.status_code == 409 and "沟通联系" in gated.json()["detail"]

    contact = {"method": "visit", "on": TODAY, "people": "赵科员", "view": "赞成办理方案。"}
    assert unit.post(f"{BASE}{proposal.pk}/contact/", contact, format="json").status_code == 200
    replied = unit.post(
        f"{BASE}{proposal.pk}/reply/", {"result_code": "A", "text": "已办理。", "series": series}, format="json"
    )
    assert replied.status_code == 200, replied.content
    share = proposal_flow.share(proposal)
    proposal_flow.sign(share.document)
    sent = unit.post(f"{BASE}{proposal.pk}/send/", {"on": TODAY}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["state"] == "replied"

    office = api_as(pc.office)  # one client: logged in again as the office
    rated = office.post(
        f"{BASE}{proposal.pk}/rate/", {"share": share.pk, "satisfaction": "satisfied", "on": TODAY}, format="json"
    )
    assert rated.status_code == 200, rated.content
    closed = office.post(f"{BASE}{proposal.pk}/close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_bad_input_is_a_chinese_400_and_changes_nothing(proposal_city, make_proposal, proposal_flow, api_as):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    unit = api_as(pc.bureau_clerk)
    for body in (
        {"method": "visit", "on": "2026-13-01", "people": "赵科员", "view": "x"},
        {"method": "pigeon", "on": TODAY, "people": "赵科员", "view": "x"},
        {"method": "visit", "on": TODAY, "people": "赵\x00科员", "view": "x"},
        {"method": "visit", "on": TODAY, "people": "赵科员", "view": "x", "extra": 1},
    ):
        answer = unit.post(f"{BASE}{proposal.pk}/contact/", body, format="json")
        assert answer.status_code == 400, (body, answer.content)
    future = str(timezone.localdate().replace(year=timezone.localdate().year + 1))
    answer = unit.post(
        f"{BASE}{proposal.pk}/contact/", {"method": "visit", "on": future, "people": "赵科员", "view": "x"}
    )
    assert answer.status_code == 400 and "今天" in json.dumps(answer.json(), ensure_ascii=False)
    assert not ProposalContact.objects.exists()
    unknown = api_as(pc.office).post(
        f"{BASE}{proposal.pk}/rate/", {"share": 999999, "satisfaction": "satisfied", "on": TODAY}
    )
    assert unknown.status_code in (400, 409)


def test_a_unit_cannot_take_the_office_s_steps(proposal_city, make_proposal, api_as):
    proposal = make_proposal()
    refused = api_as(proposal_city.bureau_clerk).post(
        f"{BASE}{proposal.pk}/assign/", {"mode": "lead", "lead_unit": proposal_city.bureau.pk}, format="json"
    )
    assert refused.status_code == 404  # not yet assigned: the bureau cannot even see it
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.IMPORTED


def test_figures_count_the_visible_items(proposal_city, make_proposal, proposal_flow, api_as):
    proposal_flow.assign(make_proposal())
    proposal_flow.assign(make_proposal(), mode="split")
    rows = api_as(proposal_city.office).get(f"{BASE}figures/", {"year": proposal_city.session.year}).json()
    total = rows[-1]
    assert total["unit"] is None and total["lead"] == 1 and total["assist"] == 1 and total["split"] == 2
    bureau = next(row for row in rows if row["unit"] == proposal_city.bureau.pk)
    assert bureau["lead"] == 1 and bureau["split"] == 1


def test_sessions_are_listed_and_created_by_the_office(proposal_city, api_as):
    office = api_as(proposal_city.office)
    assert [s["name"] for s in office.get("/api/v1/petitions/proposal-sessions/").json()] == [
        "测试市十七届人大五次会议"
    ]
    body = {"body": "cppcc", "name": "测试市十届政协四次会议", "year": 2026, "recipient_office": "市政协提案委"}
    assert office.post("/api/v1/petitions/proposal-sessions/", body, format="json").status_code == 201
    refused = api_as(proposal_city.bureau_clerk).post("/api/v1/petitions/proposal-sessions/", body, format="json")
    assert refused.status_code == 403
