"""政府信息公开申请 through ``petitions.disclosure.services``: 登记 by channel with its 登记号, the 补正
(once, in time), 视为放弃, 征求意见, the one extension by the head, the 保密审查 gate, fees, the answer
types and their 告知书, 送达, 办结 and the 复议/诉讼 outcomes; search never reads the applicant."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from office import search
from office.confidentiality.levels import Level
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions.disclosure import services
from petitions.disclosure.models import (
    AnswerType,
    Consultation,
    DisclosureRequest,
    RequestChannel,
    RequestState,
    SecrecyReview,
)
from petitions.disclosure.rules import REQUEST
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)  # a Monday, an ordinary working week


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def clocks(request, kind=None, state=DeadlineState.OPEN):
    return [d for d in deadlines_of(request) if d.state == state and (kind is None or d.kind_id == kind)]


def searched(user, text):
    return list(DisclosureRequest.objects.visible_to(user).filter(search_vector=search.query(text)))


# --- 登记 -------------------------------------------------------------------------------------------


def test_registration_numbers_follow_on_without_gaps_per_organ_and_year(disclosure_flow):
    first = disclosure_flow.register()
    second = disclosure_flow.register()
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.number == "测依申〔2026〕1号"
    assert first.registrar == first.handler == disclosure_flow.city.officer


def test_only_a_disclosure_officer_registers(disclosure_flow, disclosure_city):
    assert services.may_register(disclosure_city.officer.user)
    assert not services.may_register(disclosure_city.bystander.user)
    with pytest.raises(PermissionDenied):
        disclosure_flow.register(actor=disclosure_city.bystander.user)


def test_in_person_is_received_the_day_it_is_handed_in_and_both_clocks_run(disclosure_flow):
    request = disclosure_flow.register(arrived_on=TODAY - timedelta(days=3))  # Fri 6 Mar
    assert request.state == RequestState.HANDLING
    assert request.received_on == date(2026, 3, 6)
    answer, correction = clocks(request, "disclosure")[0], clocks(request, "disclosure-correction")[0]
    assert answer.start == correction.start == date(2026, 3, 6)
    assert request.due == answer.due_date


def test_post_is_received_the_day_it_is_signed_for(disclosure_flow):
    request = disclosure_flow.register(
        channel=RequestChannel.POST, arrived_on=date(2026, 3, 4), received_on=date(2026, 3, 5)
    )
    assert request.received_on == date(2026, 3, 5)
    assert clocks(request, "disclosure")[0].start == date(2026, 3, 5)
    with pytest.raises(ValidationError) as refused:
        disclosure_flow.register(channel=RequestChannel.POST, arrived_on=date(2026, 3, 5), received_on=date(2026, 3, 4))
    assert "received_on" in refused.value.message_dict


@pytest.mark.parametrize("channel", [RequestChannel.ONLINE, RequestChannel.FAX])
def test_online_and_fax_run_no_clock_until_both_sides_confirm(disclosure_flow, disclosure_city, channel):
    request = disclosure_flow.register(channel=channel, arrived_on=date(2026, 3, 5))
    assert (request.state, request.received_on, request.due) == (RequestState.RECEIVED, None, None)
    assert clocks(request) == []
    with pytest.raises(ValidationError):
        services.request_confirm(actor=disclosure_city.officer.user, request=request, on=date(2026, 3, 4))
    with pytest.raises(ValidationError):
        services.request_confirm(actor=disclosure_city.officer.user, request=request, on=TODAY + timedelta(days=1))
    request = services.request_confirm(actor=disclosure_city.officer.user, request=request, on=date(2026, 3, 6))
    assert (request.state, request.received_on) == (RequestState.HANDLING, date(2026, 3, 6))
    assert clocks(request, "disclosure")[0].start == date(2026, 3, 6)
    assert request.due == clocks(request, "disclosure")[0].due_date


def test_requested_documents_must_be_visible_to_the_officer(disclosure_flow, issue_document, disclosure_city):
    from documents.outgoing import services as documents

    mine = issue_document()
    hidden = documents.outgoing_create(
        actor=disclosure_city.bureau_clerk.user,
        series=disclosure_city.city.series[disclosure_city.city.org.bureau.pk],
        title="住建局内部函",
        kind="letter",
    )
    request = disclosure_flow.register(requested_documents=[mine])
    assert list(request.requested_documents.all()) == [mine]
    with pytest.raises(ValidationError) as refused:
        disclosure_flow.register(requested_documents=[hidden])
    assert "requested_documents" in refused.value.message_dict


def test_search_reads_number_description_and_reference_never_the_applicant(disclosure_flow, disclosure_city):
    request = disclosure_flow.register(
        applicant_name="欧阳明",
        description="欧阳明申请获取城东片区征收补偿方案",
        document_reference="测政办〔2026〕3号",
        contact_phone="13900001111",
    )
    officer = disclosure_city.officer.user
    assert searched(officer, "征收补偿") == [request]
    assert searched(officer, "测政办") == [request]
    assert searched(officer, request.number) == [request]
    assert searched(officer, "欧阳明") == []
    assert searched(officer, "13900001111") == []


def test_the_applicant_is_not_seen_by_the_organs_other_staff(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    assert DisclosureRequest.objects.visible_to(disclosure_city.officer.user).filter(pk=request.pk).exists()
    assert DisclosureRequest.objects.visible_to(disclosure_city.head.user).filter(pk=request.pk).exists()
    for person in (disclosure_city.bystander, disclosure_city.bureau_clerk, disclosure_city.outsider):
        assert not DisclosureRequest.objects.visible_to(person.user).filter(pk=request.pk).exists()


# --- 补正 and 视为放弃 ----------------------------------------------------------------------------------


def test_correction_is_asked_once_and_stops_the_answer_clock(disclosure_flow, disclosure_city):
    request = disclosure_flow.to(None, RequestState.CORRECTING)
    assert request.correction_asked_on == TODAY
    assert request.due is None
    assert clocks(request, "disclosure")[0].suspended
    window = clocks(request, "disclosure-correction", DeadlineState.MET)[0]
    assert window.met_on_time
    request = services.request_receive_correction(actor=disclosure_city.officer.user, request=request, on=TODAY)
    assert request.state == RequestState.HANDLING
    assert not REQUEST.allows(disclosure_city.officer.user, request, "correct")
    with pytest.raises(TransitionNotAllowed):
        disclosure_flow.correct(request)


def test_correction_needs_items_and_a_later_deadline(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    with pytest.raises(ValidationError) as refused:
        services.request_correct(actor=officer, request=request, items="  ", until=TODAY + timedelta(days=5))
    assert "items" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.request_correct(actor=officer, request=request, items="写明文号", until=TODAY)
    assert "until" in refused.value.message_dict


def test_only_the_officer_asks_for_a_correction(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    with pytest.raises(PermissionDenied):
        services.request_correct(
            actor=disclosure_city.head.user, request=request, items="写明文号", until=TODAY + timedelta(days=5)
        )


def test_abandoned_only_after_the_correction_deadline(disclosure_flow, disclosure_city):
    request = disclosure_flow.to(None, RequestState.CORRECTING)
    officer = disclosure_city.officer.user
    with time_machine.travel(at(request.correction_until), tick=False), pytest.raises(TransitionNotAllowed):
        services.request_abandon(actor=officer, request=request)
    with time_machine.travel(at(request.correction_until + timedelta(days=1)), tick=False):
        request = services.request_abandon(actor=officer, request=request)
    assert (request.state, request.closed_reason, request.due) == (RequestState.ABANDONED, "abandoned", None)
    assert clocks(request) == []
    assert clocks(request, "disclosure", DeadlineState.CANCELLED)


def test_a_handled_request_cannot_be_abandoned(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    with pytest.raises(TransitionNotAllowed):
        services.request_abandon(actor=disclosure_city.officer.user, request=request)


# --- 征求意见 -------------------------------------------------------------------------------------------


def test_consultations_stop_the_clock_until_the_last_answer(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    third = services.request_consult(
        actor=officer, request=request, party=Consultation.Party.THIRD_PARTY, name="某置业公司", sent_on=TODAY
    )
    organ = services.request_consult(
        actor=officer, request=request, party=Consultation.Party.ORGAN, name="市自然资源局", sent_on=TODAY
    )
    request.refresh_from_db()
    assert request.due is None
    assert len(clocks(request, "disclosure-third-party")) == 1  # another organ has no 15-day clock
    services.request_opinion(
        actor=officer, request=request, consultation=third, on=TODAY, opinion="不同意公开", agrees=False
    )
    request.refresh_from_db()
    assert request.due is None  # the organ has not answered yet
    assert clocks(request, "disclosure-third-party", DeadlineState.MET)
    services.request_opinion(actor=officer, request=request, consultation=organ, on=TODAY, opinion="无意见")
    request.refresh_from_db()
    assert request.due == clocks(request, "disclosure")[0].due_date
    with pytest.raises(TransitionNotAllowed):  # nothing open any more
        services.request_opinion(actor=officer, request=request, consultation=organ, on=TODAY, opinion="再次")


def test_consultation_checks_its_party_and_dates(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    with pytest.raises(ValidationError) as refused:
        services.request_consult(actor=officer, request=request, party="x", name="某公司", sent_on=TODAY)
    assert "party" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.request_consult(
            actor=officer, request=request, party="third_party", name="某公司", sent_on=TODAY - timedelta(days=1)
        )
    assert "sent_on" in refused.value.message_dict
    consultation = services.request_consult(
        actor=officer, request=request, party="third_party", name="某公司", sent_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.request_opinion(
            actor=officer, request=request, consultation=consultation, on=TODAY - timedelta(days=1), opinion="同意"
        )
    assert "on" in refused.value.message_dict


# --- 延期 -----------------------------------------------------------------------------------------------


def test_only_the_head_extends(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    with pytest.raises(PermissionDenied):
        services.request_extend(actor=disclosure_city.officer.user, request=request, days=10, reason="信息量大")
    before = request.due
    request = services.request_extend(
        actor=disclosure_city.head.user, request=request, days=10, reason="信息量大", notice="已电话告知"
    )
    assert request.due > before
    extension = clocks(request, "disclosure")[0].extensions.get()
    assert extension.approved_by == disclosure_city.head


def test_extension_is_at_most_20_working_days_and_once(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    head = disclosure_city.head.user
    with pytest.raises(ValidationError) as refused:
        services.request_extend(actor=head, request=request, days=21, reason="信息量大")
    assert "days" in refused.value.message_dict
    services.request_extend(actor=head, request=request, days=20, reason="信息量大")
    with pytest.raises(TransitionNotAllowed):
        services.request_extend(actor=head, request=request, days=1, reason="还要")


def test_no_extension_after_the_period_ran_out(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    with time_machine.travel(at(request.due + timedelta(days=1)), tick=False), pytest.raises(TransitionNotAllowed):
        services.request_extend(actor=disclosure_city.head.user, request=request, days=5, reason="信息量大")
    with time_machine.travel(at(request.due), tick=False):  # the last day still counts
        services.request_extend(actor=disclosure_city.head.user, request=request, days=5, reason="信息量大")


# --- 保密审查 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", [{"level": Level.CONFIDENTIAL, "disclosure": "not_public"}, {"disclosure": "not_public"}]
)
def test_a_classified_or_not_public_document_needs_the_secrecy_review_first(
    disclosure_flow, disclosure_city, issue_document, document
):
    issued = issue_document(**document, disclosure_reason="涉及内部事务") if document else issue_document()
    request = disclosure_flow.register(requested_documents=[issued])
    officer = disclosure_city.officer.user
    with pytest.raises(TransitionNotAllowed):
        disclosure_flow.answer(request)
    with pytest.raises(PermissionDenied):  # not asked yet: not his step
        services.request_secrecy_review(
            actor=disclosure_city.security.user, request=request, conclusion="public", note="可以公开"
        )
    with pytest.raises(ValidationError):  # a reviewer must be a 保密员 of the organ
        services.request_ask_review(actor=officer, request=request, reviewer=disclosure_city.bystander)
    services.request_ask_review(actor=officer, request=request, reviewer=disclosure_city.security)
    assert DisclosureRequest.objects.visible_to(disclosure_city.security.user).filter(pk=request.pk).exists()
    review = services.request_secrecy_review(
        actor=disclosure_city.security.user,
        request=request,
        conclusion=SecrecyReview.Conclusion.NOT_PUBLIC,
        note="涉密",
    )
    assert review.reviewer == disclosure_city.security
    with pytest.raises(ValidationError) as refused:  # 不得公开: no 予以公开
        disclosure_flow.answer(request, answer_type=AnswerType.GRANTED)
    assert "answer_type" in refused.value.message_dict
    request = disclosure_flow.answer(
        request, answer_type=AnswerType.REFUSED, reason="state_secret", text="经审查涉密。"
    )
    assert request.answer_type == AnswerType.REFUSED


def test_a_public_document_needs_no_review(disclosure_flow, issue_document):
    request = disclosure_flow.register(requested_documents=[issue_document()])
    assert disclosure_flow.answer(request).document is not None


def test_the_reviewer_must_be_cleared_for_the_documents(disclosure_flow, disclosure_city, issue_document):
    from tests.factories import make_person

    issued = issue_document(level=Level.CONFIDENTIAL, disclosure="not_public", disclosure_reason="涉密")
    request = disclosure_flow.register(requested_documents=[issued])
    low = make_person(
        username="pd-bm2",
        name="低密保密员",
        unit=disclosure_city.security.unit,
        roles=(disclosure_city.security.user.groups.first().name,),
        clearance=Level.INTERNAL,
    )
    with pytest.raises(ValidationError) as refused:
        services.request_ask_review(actor=disclosure_city.officer.user, request=request, reviewer=low)
    assert "reviewer" in refused.value.message_dict


# --- 信息处理费 -----------------------------------------------------------------------------------------


def test_a_fee_stops_the_clock_until_paid(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    request = services.request_fee(actor=officer, request=request, mode="per_item", amount="100", notice_on=TODAY)
    assert request.fee_until == date(2026, 4, 7)  # 20 working days after Mon 9 Mar (清明 is 4–6 Apr)
    assert request.due is None
    with pytest.raises(TransitionNotAllowed):  # unpaid: no answer yet
        disclosure_flow.answer(request)
    with pytest.raises(ValidationError) as refused:
        services.request_fee(actor=officer, request=request, paid_on=TODAY - timedelta(days=1))
    assert "paid_on" in refused.value.message_dict
    request = services.request_fee(actor=officer, request=request, paid_on=TODAY)
    assert request.due == clocks(request, "disclosure")[0].due_date
    assert disclosure_flow.answer(request).document is not None


def test_a_fee_notice_needs_a_mode_and_a_positive_amount(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    with pytest.raises(ValidationError) as refused:
        services.request_fee(actor=officer, request=request, mode="", amount="100", notice_on=TODAY)
    assert "mode" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.request_fee(actor=officer, request=request, mode="per_item", amount="0", notice_on=TODAY)
    assert "amount" in refused.value.message_dict


def test_unpaid_fee_closes_the_request_as_unpaid_only_after_its_window(disclosure_flow, disclosure_city):
    request = disclosure_flow.register()
    officer = disclosure_city.officer.user
    request = services.request_fee(actor=officer, request=request, mode="per_volume", amount="50.5", notice_on=TODAY)
    with time_machine.travel(at(request.fee_until), tick=False), pytest.raises(TransitionNotAllowed):
        services.request_close(actor=officer, request=request)
    with time_machine.travel(at(request.fee_until + timedelta(days=1)), tick=False):
        with pytest.raises(ValidationError):  # too late to pay
            services.request_fee(actor=officer, request=request, paid_on=request.fee_until + timedelta(days=1))
        request = services.request_close(actor=officer, request=request)
    assert (request.state, request.closed_reason) == (RequestState.CLOSED, "unpaid")
    assert clocks(request) == []


# --- 答复 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer_type", "extra", "field"),
    [
        (AnswerType.REFUSED, {}, "reason"),
        (AnswerType.REFUSED, {"reason": "not_held"}, "reason"),  # a reason of another type
        (AnswerType.UNAVAILABLE, {}, "reason"),
        (AnswerType.NOT_PROCESSED, {"reason": "nonsense"}, "reason"),
        (AnswerType.ALREADY_PUBLIC, {}, "public_where"),
        (AnswerType.NOT_OURS, {}, "competent_organ"),
        ("maybe", {}, "answer_type"),
    ],
)
def test_answer_types_need_what_they_name(disclosure_flow, answer_type, extra, field):
    request = disclosure_flow.register()
    with pytest.raises(ValidationError) as refused:
        disclosure_flow.answer(request, answer_type=answer_type, **extra)
    assert field in refused.value.message_dict
    request.refresh_from_db()
    assert request.document is None


def test_the_notice_is_a_restricted_letter_to_the_applicant_citing_the_rules(disclosure_flow, disclosure_city):
    request = disclosure_flow.register(applicant_name="陈申请")
    request = disclosure_flow.answer(
        request, answer_type=AnswerType.NOT_OURS, competent_organ="市自然资源局", text="请向该局申请。"
    )
    document = request.document
    assert (document.kind, document.restricted, document.main_to_external) == ("letter", True, "陈申请")
    assert document.title == "非本机关政府信息告知书"
    assert "《中华人民共和国政府信息公开条例》第三十六条第（五）项" in document.body
    assert "市自然资源局" in document.body
    assert "行政复议" in document.body and "行政诉讼" in document.body
    assert request.competent_organ == "市自然资源局"
    assert not clocks(request, "disclosure-correction")  # no 补正 after the answer is drafted
    from documents.models import OutgoingDocument
    from tests.factories import UnitFactory, make_person

    colleague = make_person(username="pd-fgw", name="发改科员", unit=UnitFactory(parent=disclosure_city.organ))
    assert OutgoingDocument.objects.visible_to(disclosure_city.officer.user).filter(pk=document.pk).exists()
    assert not OutgoingDocument.objects.visible_to(colleague.user).filter(pk=document.pk).exists()  # not organ-wide


def test_a_refusal_notice_names_its_reason(disclosure_flow):
    request = disclosure_flow.answer(
        disclosure_flow.register(), answer_type=AnswerType.REFUSED, reason="process", text="属过程性信息。"
    )
    assert request.document.title == "政府信息不予公开告知书"
    assert "属于四类过程性信息" in request.document.body
    assert request.answer_reason == "process"


def test_the_notice_goes_in_the_organs_letter_series(disclosure_flow, disclosure_city, report_series):
    request = disclosure_flow.register()
    with pytest.raises(ValidationError) as refused:
        disclosure_flow.answer(request, series=report_series)
    assert "series" in refused.value.message_dict
    bureau_letters = disclosure_city.city.series[disclosure_city.city.org.bureau.pk]
    with pytest.raises(ValidationError):
        disclosure_flow.answer(request, series=bureau_letters)


def test_one_notice_only(disclosure_flow):
    request = disclosure_flow.answer(disclosure_flow.register())
    with pytest.raises(TransitionNotAllowed):
        disclosure_flow.answer(request)


# --- 送达, 办结, 复议诉讼 -------------------------------------------------------------------------------


def test_delivery_waits_for_the_registered_notice_and_meets_the_clock(disclosure_flow, disclosure_city):
    request = disclosure_flow.answer(disclosure_flow.register())
    with pytest.raises(TransitionNotAllowed):
        disclosure_flow.deliver(request)
    disclosure_flow.sign(request)
    with pytest.raises(ValidationError) as refused:
        disclosure_flow.deliver(request, method="pigeon")
    assert "method" in refused.value.message_dict
    with pytest.raises(ValidationError):
        disclosure_flow.deliver(request, on=TODAY - timedelta(days=1))  # before it was signed
    with pytest.raises(ValidationError):
        disclosure_flow.deliver(request, on=TODAY + timedelta(days=1))
    request = disclosure_flow.deliver(request)
    assert (request.state, request.answered_on, request.answered_on_time) == (RequestState.ANSWERED, TODAY, True)
    assert request.due is None
    assert clocks(request, "disclosure", DeadlineState.MET)[0].met_on == TODAY


def test_a_late_delivery_is_not_on_time(disclosure_flow):
    request = disclosure_flow.answer(disclosure_flow.register())
    due = request.due
    with time_machine.travel(at(due + timedelta(days=1)), tick=False):
        disclosure_flow.sign(request)
        request = disclosure_flow.deliver(request)
    assert request.answered_on_time is False


def test_close_after_delivery_and_outcomes_after(disclosure_flow, disclosure_city):
    officer = disclosure_city.officer.user
    request = disclosure_flow.register()
    with pytest.raises(TransitionNotAllowed):
        services.request_close(actor=officer, request=request)
    request = disclosure_flow.to(request, RequestState.CLOSED)
    assert request.closed_at is not None and request.closed_reason == ""
    with pytest.raises(ValidationError):
        services.request_outcome(actor=officer, request=request)
    with pytest.raises(ValidationError):
        services.request_outcome(actor=officer, request=request, litigation="pending", after_review=True)
    request = services.request_outcome(actor=officer, request=request, review="upheld")
    request = services.request_outcome(actor=officer, request=request, litigation="pending", after_review=True)
    assert (request.review_outcome, request.litigation_outcome, request.litigation_after_review) == (
        "upheld",
        "pending",
        True,
    )


def test_already_public_finds_visible_proactive_documents(disclosure_city, issue_document):
    public = issue_document(title="关于城东片区旧城改造征收补偿方案的通知")
    issue_document(title="关于城东片区内部事务的通知", disclosure="not_public", disclosure_reason="内部事务")
    found = list(services.already_public(user=disclosure_city.officer.user, text="城东片区"))
    assert found == [public]
    assert list(services.already_public(user=disclosure_city.outsider.user, text="城东片区")) == []
    assert list(services.already_public(user=disclosure_city.officer.user, text="")) == []
