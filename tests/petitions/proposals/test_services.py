"""The 建议提案 services, step by step (``petitions.proposals.services``), the clock frozen on Monday
9 March 2026: 交办 (主办 + 会办, 分办, 重点), 调整申请 and its decision, 会办意见, the 沟通联系 gate, the
答复件 as a 函 and its 送达, B/C commitments opening one 督办 item, 征询意见 and 二次办理, 办结, and
that a unit acts on its own share only."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from office.reminders.models import DeadlineState, Notification
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions.proposals import services
from petitions.proposals.models import Proposal, ProposalEvent
from supervision.models import Source, SupervisionItem

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)  # a Monday


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


def clocks(proposal, kind=None, state=None):
    return [
        d for d in deadlines_of(proposal) if (kind is None or d.kind_id == kind) and (state is None or d.state == state)
    ]


def sees(person, proposal) -> bool:
    return Proposal.objects.visible_to(person.user).filter(pk=proposal.pk).exists()


def told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).values_list("verb", flat=True))


# --- 交办 -----------------------------------------------------------------------------------------------


def test_lead_and_assist_shares_with_their_clocks_and_liaison(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    proposal.refresh_from_db()
    assert proposal.state == "handling" and proposal.assigned_on == TODAY and proposal.mode == "lead"
    lead = proposal_flow.share(proposal, pc.bureau)
    assist = proposal_flow.share(proposal, pc.finance)
    assert (lead.role, assist.role) == ("lead", "assist")
    assert lead.liaison == pc.bureau_clerk and assist.liaison is None
    answer = clocks(proposal, "proposal")
    assert [(d.responsible_unit, d.due_date) for d in answer] == [(pc.bureau, date(2026, 6, 9))]
    help_ = clocks(proposal, "proposal-assist")
    assert [(d.responsible_unit, d.due_date) for d in help_] == [(pc.finance, date(2026, 4, 9))]
    assert (lead.due, assist.due) == (date(2026, 6, 9), date(2026, 4, 9))
    assert proposal.due == date(2026, 4, 9)  # the earliest open clock
    # The heads and the 联络员 are told; the units' people see the item, the province does not.
    assert any("已交办" in verb for verb in told(pc.bureau_head))
    assert any("已交办" in verb for verb in told(pc.bureau_clerk))
    assert any("会办意见" in verb for verb in told(pc.finance_head))
    assert sees(pc.bureau_clerk, proposal) and sees(pc.finance_clerk, proposal)
    assert not sees(pc.outsider, proposal)


def test_split_needs_two_units_and_each_answers_for_itself(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = make_proposal()
    with pytest.raises(ValidationError) as excinfo:
        proposal_flow.assign(proposal, mode="split", split_units=[pc.bureau])
    assert "split_units" in excinfo.value.message_dict
    proposal = proposal_flow.assign(proposal, mode="split")
    assert sorted(d.responsible_unit.name for d in clocks(proposal, "proposal")) == sorted(
        [pc.bureau.name, pc.finance.name]
    )
    proposal_flow.answer(proposal, pc.bureau)
    proposal.refresh_from_db()
    assert proposal.state == "handling"  # 财政局 still owes its answer
    proposal_flow.answer(proposal, pc.finance)
    proposal.refresh_from_db()
    assert proposal.state == "replied" and proposal.due is None


def test_lead_mode_needs_a_lead_unit_and_key_needs_a_leader(proposal_city, make_proposal):
    pc = proposal_city
    proposal = make_proposal()
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_assign(actor=pc.office.user, proposal=proposal, mode="lead")
    assert "lead_unit" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_assign(
            actor=pc.office.user,
            proposal=proposal,
            mode="lead",
            lead_unit=pc.bureau,
            key=True,
            leading_leader=pc.bystander,
        )
    assert "leading_leader" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.proposal_assign(
            actor=pc.office.user, proposal=proposal, mode="lead", lead_unit=pc.bureau, on=date(2026, 3, 10)
        )
    assert "on" in excinfo.value.message_dict
    services.proposal_assign(
        actor=pc.office.user, proposal=proposal, mode="lead", lead_unit=pc.bureau, key=True, leading_leader=pc.leader
    )
    proposal.refresh_from_db()
    assert proposal.key and proposal.leading_leader == pc.leader
    assert sees(pc.leader, proposal) and any("领办" in verb for verb in told(pc.leader))


def test_only_the_office_assigns(proposal_city, make_proposal, proposal_flow):
    proposal = make_proposal()
    with pytest.raises(PermissionDenied):
        services.proposal_assign(
            actor=proposal_city.bureau_head.user, proposal=proposal, mode="lead", lead_unit=proposal_city.bureau
        )
    proposal_flow.assign(proposal)
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.assign(proposal)


# --- 调整申请 ---------------------------------------------------------------------------------------------


def test_adjust_agreed_moves_the_share_with_fresh_clocks(proposal_city, make_proposal, proposal_flow, today):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    today.move_to("2026-03-11 10:00 +0800")
    share = services.proposal_adjust_request(
        actor=pc.bureau_clerk.user, proposal=proposal, reason="不属于本局职责", suggested_unit="财政局"
    )
    assert share.state == "adjusting"
    assert any("申请调整" in verb for verb in told(pc.office))
    # Only once: a second request is refused even within the window.
    with pytest.raises(TransitionNotAllowed):
        services.proposal_adjust_request(actor=pc.bureau_clerk.user, proposal=proposal, reason="再次申请")
    with pytest.raises(PermissionDenied):
        services.proposal_adjust_decide(
            actor=pc.bureau_head.user, proposal=proposal, share=share, agree=True, new_unit=pc.finance
        )
    services.proposal_adjust_decide(
        actor=pc.office.user, proposal=proposal, share=share, agree=True, new_unit=pc.finance
    )
    share.refresh_from_db()
    assert share.state == "withdrawn"
    assert [d.state for d in clocks(proposal, "proposal") if d.responsible_unit == pc.bureau] == [
        DeadlineState.CANCELLED
    ]
    new = proposal_flow.share(proposal, pc.finance)
    assert new.role == "lead" and new.assigned_on == date(2026, 3, 11)
    fresh = clocks(proposal, "proposal", DeadlineState.OPEN)
    assert [(d.responsible_unit, d.start, d.due_date) for d in fresh] == [
        (pc.finance, date(2026, 3, 11), date(2026, 6, 11))
    ]
    proposal.refresh_from_db()
    assert proposal.due == date(2026, 6, 11)
    assert any("调整由本单位承办" in verb for verb in told(pc.finance_head))


def test_adjust_refused_goes_back_to_handling(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    share = services.proposal_adjust_request(actor=pc.bureau_clerk.user, proposal=proposal, reason="不属于本局职责")
    services.proposal_adjust_decide(
        actor=pc.office.user, proposal=proposal, share=share, agree=False, note="属于住建职责"
    )
    share.refresh_from_db()
    assert share.state == "handling"
    assert clocks(proposal, "proposal", DeadlineState.OPEN)[0].responsible_unit == pc.bureau
    with pytest.raises(TransitionNotAllowed):  # nothing left to decide
        services.proposal_adjust_decide(actor=pc.office.user, proposal=proposal, share=share, agree=False)


def test_adjust_refused_after_the_window(proposal_city, make_proposal, proposal_flow, today):
    proposal = proposal_flow.assign(make_proposal())
    today.move_to("2026-03-17 10:00 +0800")  # the 6th working day after 交办 on 9 March
    with pytest.raises(TransitionNotAllowed):
        services.proposal_adjust_request(actor=proposal_city.bureau_clerk.user, proposal=proposal, reason="晚了")


# --- 会办意见 ---------------------------------------------------------------------------------------------


def test_assist_opinion_meets_its_clock_and_tells_the_lead(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    with pytest.raises(TransitionNotAllowed):  # the 主办 gives no 会办意见
        services.proposal_assist_opinion(actor=pc.bureau_clerk.user, proposal=proposal, text="意见")
    share = services.proposal_assist_opinion(actor=pc.finance_clerk.user, proposal=proposal, text="同意给予补助。")
    assert share.state == "opinion_given" and share.opinion_on == TODAY
    [assist] = clocks(proposal, "proposal-assist")
    assert assist.state == DeadlineState.MET and assist.met_on_time
    proposal.refresh_from_db()
    assert proposal.due == date(2026, 6, 9)
    assert any("会办意见" in verb for verb in told(pc.bureau_head))
    with pytest.raises(TransitionNotAllowed):  # once
        services.proposal_assist_opinion(actor=pc.finance_clerk.user, proposal=proposal, text="再提")


# --- 沟通联系, 答复件, 送达 -----------------------------------------------------------------------------


def test_no_reply_before_a_contact(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.reply(proposal)
    with pytest.raises(ValidationError) as excinfo:
        proposal_flow.contact(proposal, on=date(2026, 3, 10))
    assert "on" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        proposal_flow.contact(proposal, on=date(2026, 3, 8))  # before 交办
    assert "on" in excinfo.value.message_dict
    with pytest.raises(TransitionNotAllowed):  # a 会办 unit does not contact
        proposal_flow.contact(proposal, unit=pc.finance)
    proposal_flow.contact(proposal)
    share = proposal_flow.reply(proposal)
    assert share.document is not None


@override_settings(PROPOSAL_CONTACT_REQUIRED=False)
def test_the_gate_can_be_switched_off(make_proposal, proposal_flow):
    proposal = proposal_flow.assign(make_proposal())
    assert proposal_flow.reply(proposal).document is not None


def test_reply_letter_addressed_and_copied(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    proposal_flow.contact(proposal)
    with pytest.raises(ValidationError) as excinfo:  # another organ's series
        services.proposal_reply(
            actor=pc.bureau_clerk.user,
            proposal=proposal,
            result_code="A",
            text="答复",
            series=proposal_flow.series(pc.city.org.city),
        )
    assert "series" in excinfo.value.message_dict
    share = proposal_flow.reply(proposal)
    letter = share.document
    assert letter.kind == "letter" and letter.series == proposal_flow.series(pc.bureau)
    assert letter.main_to_external == "王代表"
    assert "李代表" in letter.cc_external and "市人大常委会选联工委" in letter.cc_external
    assert pc.office_unit.name in letter.cc_external
    assert letter.disclosure == "proactive"
    assert "第0" in letter.title and "建议的答复" in letter.title
    assert "A类" in letter.body
    with pytest.raises(TransitionNotAllowed):  # not before it is signed and registered
        proposal_flow.send(proposal)
    with pytest.raises(TransitionNotAllowed):  # one 答复件 per round
        proposal_flow.reply(proposal)


def test_send_meets_the_clock_and_the_item_is_replied(proposal_city, make_proposal, proposal_flow, today):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    today.move_to("2026-04-01 10:00 +0800")
    proposal_flow.contact(proposal)
    proposal_flow.sign(proposal_flow.reply(proposal).document)
    with pytest.raises(ValidationError) as excinfo:
        proposal_flow.send(proposal, on=date(2026, 3, 31))  # before 签发
    assert "on" in excinfo.value.message_dict
    proposal_flow.send(proposal)
    proposal.refresh_from_db()
    share = proposal_flow.share(proposal)
    assert proposal.state == "replied"
    assert share.state == "replied" and share.replied_on == date(2026, 4, 1) and share.replied_on_time is True
    [answer] = clocks(proposal, "proposal")
    assert answer.state == DeadlineState.MET
    assert share.follow_up is None and not SupervisionItem.objects.exists()  # an A answer promises nothing
    # The 会办 clock is still open until its opinion (or 办结).
    assert proposal.due == date(2026, 4, 9)
    assert any("已答复" in verb for verb in told(pc.office))


@pytest.mark.parametrize("code", ["B", "C"])
def test_b_and_c_open_one_supervision_item_due_on_the_promise(proposal_city, make_proposal, proposal_flow, code):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal(), assist_units=[])
    proposal_flow.contact(proposal)
    with pytest.raises(ValidationError) as excinfo:
        proposal_flow.reply(proposal, result_code=code)
    assert "promised_on" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        proposal_flow.reply(proposal, result_code=code, promised_on=TODAY)
    promised = date(2026, 9, 16)  # a Wednesday
    share = proposal_flow.reply(proposal, result_code=code, promised_on=promised)
    proposal_flow.sign(share.document)
    proposal_flow.send(proposal)
    [item] = SupervisionItem.objects.all()
    share.refresh_from_db()
    assert share.follow_up == item
    assert item.source == Source.PROPOSAL and item.source_id == proposal.pk and item.due == promised
    assert item.supervising_unit == pc.office_unit
    assert item.organ == pc.city.org.city  # the office's 督办, in the office's organ (not the bureau's)
    # 不满意 → 二次办理 → a second B answer does not open a second item.
    proposal_flow.rate(proposal, satisfaction="unsatisfied")
    proposal_flow.answer(proposal, result_code=code, promised_on=promised)
    assert SupervisionItem.objects.count() == 1


# --- a unit's own share only ---------------------------------------------------------------------------


def test_a_unit_cannot_act_on_another_units_share(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal(), mode="split")
    proposal_flow.contact(proposal, pc.bureau)
    # 财政局 cannot answer on 住建局's contact: its own share has none.
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.reply(proposal, pc.finance)
    share = proposal_flow.reply(proposal, pc.bureau)
    proposal_flow.sign(share.document)
    with pytest.raises(TransitionNotAllowed):  # 财政局's own share has no signed letter
        proposal_flow.send(proposal, pc.finance)
    for person in (pc.bystander, pc.outsider):
        with pytest.raises((PermissionDenied, TransitionNotAllowed)):
            services.proposal_send(actor=person.user, proposal=proposal, on=TODAY)
    proposal_flow.send(proposal, pc.bureau)
    assert proposal_flow.share(proposal, pc.finance).state == "handling"
    # The office rates; a unit cannot record the proposers' opinion.
    proposal_flow.answer(proposal, pc.finance)
    with pytest.raises(PermissionDenied):
        services.proposal_rate(
            actor=pc.bureau_clerk.user,
            proposal=proposal,
            share=proposal_flow.share(proposal, pc.bureau),
            satisfaction="satisfied",
            on=TODAY,
        )


# --- 征询意见, 二次办理, 办结 -------------------------------------------------------------------------


def test_unsatisfied_starts_rehandling_with_a_month(proposal_city, make_proposal, proposal_flow, today):
    pc = proposal_city
    proposal = proposal_flow.to(make_proposal(), "replied")
    first = proposal_flow.share(proposal).document
    today.move_to("2026-03-20 10:00 +0800")
    proposal_flow.rate(proposal, satisfaction="unsatisfied")
    proposal.refresh_from_db()
    share = proposal_flow.share(proposal)
    assert proposal.state == "rehandling"
    assert share.state == "rehandling" and share.rehandle_count == 1
    assert share.document is None and share.satisfaction == ""
    [again] = clocks(proposal, "proposal-rehandle")
    assert (again.start, again.due_date, again.responsible_unit) == (date(2026, 3, 20), date(2026, 4, 20), pc.bureau)
    assert proposal.due == date(2026, 4, 9)  # the 会办 clock, still open, is earlier
    assert any("二次办理" in verb for verb in told(pc.bureau_head))
    # The old answer stays in the 流转记录.
    assert ProposalEvent.objects.filter(proposal=proposal, action="拟写答复件", unit=pc.bureau).count() == 1
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.close(proposal)
    proposal_flow.answer(proposal)
    proposal.refresh_from_db()
    share = proposal_flow.share(proposal)
    assert proposal.state == "replied" and share.document != first
    [again] = clocks(proposal, "proposal-rehandle")
    assert again.state == DeadlineState.MET
    proposal_flow.rate(proposal)
    proposal_flow.close(proposal)
    proposal.refresh_from_db()
    assert proposal.state == "closed" and proposal.due is None and proposal.closed_at is not None


def test_close_only_when_every_answer_is_rated(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal(), mode="split")
    proposal_flow.answer(proposal, pc.bureau)
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.close(proposal)
    proposal_flow.answer(proposal, pc.finance)
    proposal_flow.rate(proposal, pc.bureau)
    with pytest.raises(TransitionNotAllowed):
        proposal_flow.close(proposal)
    with pytest.raises(ValidationError):  # rated already
        proposal_flow.rate(proposal, pc.bureau)
    proposal_flow.rate(proposal, pc.finance, satisfaction="basic")
    proposal_flow.close(proposal)
    proposal.refresh_from_db()
    assert proposal.state == "closed"
    assert {s.state for s in proposal.assignments.all()} == {"done"}
    assert not clocks(proposal, state=DeadlineState.OPEN)


def test_close_cancels_an_assist_clock_never_met(make_proposal, proposal_flow):
    proposal = proposal_flow.to(make_proposal(), "closed")
    [assist] = clocks(proposal, "proposal-assist")
    assert assist.state == DeadlineState.CANCELLED


def test_rehandle_by_hand_only_for_an_unsatisfied_answer(proposal_city, make_proposal, proposal_flow):
    proposal = proposal_flow.to(make_proposal(), "replied")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_rehandle(
            actor=proposal_city.office.user, proposal=proposal, share=proposal_flow.share(proposal)
        )


# --- 联络员, search ------------------------------------------------------------------------------------


def test_liaison_set_by_the_head_joins_open_items(proposal_city, make_proposal, proposal_flow):
    pc = proposal_city
    proposal = proposal_flow.assign(make_proposal())
    with pytest.raises(PermissionDenied):
        services.liaison_set(actor=pc.finance_clerk.user, unit=pc.finance, person=pc.finance_clerk)
    with pytest.raises(ValidationError):
        services.liaison_set(actor=pc.finance_head.user, unit=pc.finance, person=pc.bureau_clerk)
    services.liaison_set(actor=pc.finance_head.user, unit=pc.finance, person=pc.finance_clerk, phone="123")
    assert proposal_flow.share(proposal, pc.finance).liaison == pc.finance_clerk
    services.proposal_assist_opinion(actor=pc.finance_head.user, proposal=proposal, text="同意。")
    assert any("会办意见" in verb for verb in told(pc.bureau_clerk))


def test_search_finds_number_title_and_proposers(proposal_city, make_proposal):
    from petitions.proposals.selectors import proposals_visible

    rows = [
        {
            "kind": "代表建议",
            "number": "0777",
            "title": "关于保护古树名木的建议",
            "content": "加强巡查。",
            "lead_proposer": "钱代表",
            "delegation": "城西代表团",
            "submitted_on": "2026-01-15",
            "co_signers": "孙代表、周代表",
        }
    ]
    [proposal] = services.proposals_import(actor=proposal_city.office.user, session=proposal_city.session, rows=rows)
    user = proposal_city.office.user
    for text in ("0777", "古树名木", "钱代表", "周代表"):
        assert list(proposals_visible(user=user, text=text)) == [proposal], text


def test_a_cppcc_proposal_is_answered_as_a_proposal_to_a_member(proposal_city, make_proposal, proposal_flow):
    from petitions.proposals.models import ProposalSession

    session = ProposalSession.objects.create(
        organ=proposal_city.city.org.city,
        body="cppcc",
        name="测试市十届政协四次会议",
        year=2026,
        recipient_office="市政协提案委",
    )
    proposal = proposal_flow.assign(make_proposal(session=session, kind="cppcc", lead_proposer="章明"), assist_units=[])
    proposal_flow.contact(proposal)
    letter = proposal_flow.reply(proposal, result_code="B", promised_on=date(2026, 9, 16)).document
    assert letter.title.endswith("提案的答复") and letter.body.startswith("章明委员：")
    assert "市政协提案委" in letter.cc_external and "2026年9月16日" in letter.body
