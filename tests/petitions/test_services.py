"""The petitions services, step by step (``petitions.services``), the clock frozen on Monday
9 March 2026 (no holiday within weeks; 劳动节 1–5 May): registration, routing, acceptance or
objection, handling, the answer and its 送达, 复查 and 复核, 不再受理 of a repeat, 评价/办结/归档 and a
leader's 批示. Each clock's due date is counted by hand in the comments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import DocumentSeries
from office.org.models import Role
from office.reminders.models import DeadlineState, Notification
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from petitions import services
from petitions.models import CaseState, Channel, Kind, PetitionCase, PetitionerKind, Route
from supervision.models import SupervisionItem
from tests.factories import make_person
from tests.petitions.conftest import PETITIONER_ID, PETITIONER_NAME

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)  # a Monday


@pytest.fixture
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


def on(traveller, day: date) -> None:
    traveller.move_to(f"{day.isoformat()} 10:00 +0800")


def clock(case: PetitionCase, kind: str):
    """The case's one Deadline of ``kind`` (asserting there is exactly one)."""
    found = [d for d in deadlines_of(case) if d.kind_id == kind]
    assert len(found) == 1, (kind, found)
    return found[0]


def sees(person, case) -> bool:
    return PetitionCase.objects.visible_to(person.user).filter(pk=case.pk).exists()


def spec(name=PETITIONER_NAME, id_number="", **extra):
    return services.PetitionerSpec(name=name, id_number=id_number, **extra)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- 登记 ----------------------------------------------------------------------------------------------


def test_registration_numbers_run_per_organ_and_year_and_a_refusal_takes_none(today, petition_org, new_case):
    """GIVEN the 信访科 WHEN it registers two cases, a third is refused (received tomorrow), then a
    fourth, and one received last December THEN 2026 runs 1, 2, 3 with no gap, 2025 starts at 1, and a
    bureau's own 信访员 starts his organ's count at 1."""
    first, second = new_case(), new_case()
    with pytest.raises(ValidationError) as refused:
        new_case(received_on=TODAY + timedelta(days=1))
    assert "received_on" in errors_of(refused)
    third = new_case()
    late = new_case(received_on=date(2025, 12, 30))
    assert [(c.year, c.sequence) for c in (first, second, third, late)] == [(2026, 1), (2026, 2), (2026, 3), (2025, 1)]
    assert third.number == "测信〔2026〕3号"
    bureau_officer = make_person(username="pt-bx", unit=petition_org.bureau, roles=(Role.PETITION_OFFICER,))
    own = new_case(actor=bureau_officer.user)
    assert (own.organ, own.year, own.sequence) == (petition_org.bureau, 2026, 1)


def test_first_time_is_told_by_the_id_number(today, new_case):
    """GIVEN 张大山 registered once WHEN he comes again (his ID typed with a lower-case x) THEN the new
    case is not 初信初访; someone without an ID number, or with another one, is."""
    new_case(petitioners=[spec(id_number="33010219800101123x")])
    again = new_case(petitioners=[spec(id_number="33010219800101123X")])
    stranger = new_case(petitioners=[spec(name="李四", id_number="330102199001011111")])
    anonymous = new_case(petitioners=[spec(name="王五")])
    assert [again.first_time, stranger.first_time, anonymous.first_time] == [False, True, True]


def test_a_visit_elects_at_most_five_representatives(today, new_case):
    people = [spec(name=f"村民{n}", representative=True) for n in range(6)]
    with pytest.raises(ValidationError) as refused:
        new_case(channel=Channel.VISIT, petitioners=people)
    assert "petitioners" in errors_of(refused)
    case = new_case(channel=Channel.VISIT, petitioners=people[:5], headcount=40)
    assert (case.headcount, case.mass, case.petitioners.filter(representative=True).count()) == (40, True, 5)


def test_headcount_defaults_to_the_petitioners_and_never_falls_below_them(today, new_case):
    two = [spec(name="甲某"), spec(name="乙某")]
    assert (new_case(petitioners=two).headcount, new_case(petitioners=two).mass) == (2, True)
    alone = new_case()
    assert (alone.headcount, alone.mass) == (1, False)
    assert new_case(petitioners=[spec(kind=PetitionerKind.GROUP)]).mass
    with pytest.raises(ValidationError) as refused:
        new_case(petitioners=two, headcount=1)
    assert "headcount" in errors_of(refused)


def test_only_an_accusation_names_the_accused(today, petition_org, new_case):
    with pytest.raises(ValidationError) as refused:
        new_case(accused_unit=petition_org.bureau)
    assert "accused_unit" in errors_of(refused)
    with pytest.raises(ValidationError):
        new_case(accused_person=petition_org.bureau_clerk)
    case = new_case(kind=Kind.ACCUSATION, accused_unit=petition_org.bureau, accused_person=petition_org.bureau_clerk)
    assert (case.accused_unit, case.accused_person) == (petition_org.bureau, petition_org.bureau_clerk)


def test_a_superior_referral_needs_its_number(today, new_case):
    with pytest.raises(ValidationError) as refused:
        new_case(channel=Channel.SUPERIOR, superior_number="  ")
    assert "superior_number" in errors_of(refused)
    assert (
        new_case(channel=Channel.SUPERIOR, superior_number="省信转〔2026〕7号").superior_number == "省信转〔2026〕7号"
    )


def test_the_registration_clock_runs_15_days_from_the_day_received(today, new_case):
    case = new_case(received_on=date(2026, 3, 2))
    route = clock(case, "petition-route")
    assert (route.state, route.due_date, case.due) == (DeadlineState.OPEN, date(2026, 3, 17), date(2026, 3, 17))


def test_an_urgent_case_brings_the_organs_leaders_in_and_tells_them_without_a_name(today, petition_org, new_case):
    """GIVEN 周副市长 (领导 of the government) WHEN an ordinary case is registered he is outside it; an
    urgent one lets him in and notifies him — naming neither the 信访人 nor his ID number."""
    quiet = new_case()
    assert not sees(petition_org.leader, quiet)
    urgent = new_case(urgent=True)
    assert sees(petition_org.leader, urgent)
    told = Notification.objects.filter(recipient=petition_org.leader.user)
    assert told.count() == 1
    assert "紧急敏感" in told.get().verb
    assert not sees(petition_org.finance_official, urgent)  # another organ's people are not brought in


def test_a_summary_naming_the_petitioner_is_refused(today, new_case):
    """The summary travels in notifications and lists: it must not carry the 信访人's name."""
    with pytest.raises(ValidationError) as refused:
        new_case(title=f"{PETITIONER_NAME}反映房屋漏水", urgent=True)
    assert "title" in errors_of(refused)
    assert not Notification.objects.exists()


# --- 分流 ----------------------------------------------------------------------------------------------


def test_direct_handling_meets_the_route_clock_and_opens_the_60_days(today, petition_org, new_case):
    case = new_case(received_on=date(2026, 3, 2))
    case = services.case_route(actor=petition_org.registrar.user, case=case, route=Route.DIRECT)
    assert (case.state, case.handling_unit, case.accepted_on, case.accepted_on_time) == (
        CaseState.HANDLING,
        petition_org.intake,
        TODAY,
        True,
    )
    route = clock(case, "petition-route")
    assert (route.state, route.met_on, route.met_on_time) == (DeadlineState.MET, TODAY, True)
    handle = clock(case, "petition")
    assert (handle.state, handle.due_date) == (DeadlineState.OPEN, date(2026, 5, 8))  # 9 March + 60 日
    assert case.due == date(2026, 5, 8)
    assert not [d for d in deadlines_of(case) if d.kind_id in ("petition-accept", "petition-object")]


def test_a_late_route_is_recorded_late(today, petition_org, new_case):
    case = new_case(received_on=date(2026, 2, 19))  # due Friday 6 March, routed Monday 9 March
    case = services.case_route(actor=petition_org.registrar.user, case=case, route=Route.DIRECT)
    assert (clock(case, "petition-route").met_on_time, case.accepted_on_time) == (False, False)


@pytest.mark.parametrize("route", [Route.TRANSFER, Route.ASSIGN])
def test_transfer_and_assign_open_15_days_to_accept_and_5_working_days_to_object(
    today, route, petition_org, petition_city, new_case
):
    case = new_case()
    extra = {"report_back_due": date(2026, 4, 30)} if route == Route.ASSIGN else {}
    case = services.case_route(
        actor=petition_org.registrar.user, case=case, route=route, unit=petition_org.bureau, **extra
    )
    assert (case.state, case.handling_unit, case.route) == (CaseState.TRANSFERRED, petition_org.bureau, route)
    assert case.report_back_due == (date(2026, 4, 30) if route == Route.ASSIGN else None)
    assert clock(case, "petition-route").state == DeadlineState.MET
    assert clock(case, "petition-accept").due_date == date(2026, 3, 24)  # 9 March + 15 日
    assert clock(case, "petition-object").due_date == date(2026, 3, 16)  # 10–13, 16 March: 5 working days
    assert case.due == date(2026, 3, 16)
    assert not [d for d in deadlines_of(case) if d.kind_id == "petition"]
    assert sees(petition_org.bureau_clerk, case) and not sees(petition_org.finance_clerk, case)
    assert Notification.objects.filter(recipient=petition_org.bureau_head.user).exists()


def test_a_transfer_to_a_section_without_a_head_tells_its_people(today, petition_org, petition_city, flow, new_case):
    """城建科 has no head named: its own 赵科员 is told the case waits for acceptance (王局长 above it,
    outside the case, is not)."""
    assert petition_org.bureau_section.head is None
    flow.transfer(new_case())
    told = Notification.objects.filter(verb__contains="待受理")
    assert list(told.values_list("recipient__username", flat=True)) == ["pt-zhao"]
    assert "关于小区房屋漏水的来信" in told.get().verb


def test_an_assignment_needs_a_report_date_after_today(today, petition_org, new_case):
    case = new_case()
    for due in (None, TODAY):
        with pytest.raises(ValidationError) as refused:
            services.case_route(
                actor=petition_org.registrar.user,
                case=case,
                route=Route.ASSIGN,
                unit=petition_org.bureau,
                report_back_due=due,
            )
        assert "report_back_due" in errors_of(refused)
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_statutory_route_ends_the_case_with_its_notice(today, petition_org, new_case):
    case = new_case()
    with pytest.raises(ValidationError):
        services.case_route(actor=petition_org.registrar.user, case=case, route=Route.STATUTORY)
    case = services.case_route(
        actor=petition_org.registrar.user, case=case, route=Route.STATUTORY, note="请依法向人民法院提起诉讼"
    )
    assert case.state == CaseState.NOT_ACCEPTED
    assert case.due is None


def test_only_the_intake_officers_route(today, petition_org, new_case):
    case = new_case()
    with pytest.raises(PermissionDenied):
        services.case_route(actor=petition_org.bureau_clerk.user, case=case, route=Route.DIRECT)
    services.case_route(actor=petition_org.intake_colleague.user, case=case, route=Route.DIRECT)


def test_an_accusation_never_goes_to_the_accused_unit_or_inside_it(today, petition_org, petition_city, flow, new_case):
    org = petition_org
    case = new_case(kind=Kind.ACCUSATION, accused_unit=org.bureau_section)
    for unit in (org.bureau_section, org.bureau_subsection):
        with pytest.raises(ValidationError) as refused:
            flow.transfer(case, unit=unit)
        assert "unit" in errors_of(refused)
    with pytest.raises(ValidationError) as refused:  # nor directly with a handler inside it
        services.case_route(actor=org.registrar.user, case=case, route=Route.DIRECT, handler=org.bureau_inspector)
    assert "handler" in errors_of(refused)
    case = flow.transfer(case, unit=org.finance)
    assert case.handling_unit == org.finance
    person = make_person(username="pt-accused", unit=org.finance)
    against = new_case(kind=Kind.ACCUSATION, accused_person=person)
    with pytest.raises(ValidationError):
        flow.transfer(against, unit=org.finance)


def test_an_accusation_is_never_reviewed_by_the_accused(today, petition_org, petition_city, flow, new_case):
    org = petition_org
    case = new_case(kind=Kind.ACCUSATION, accused_unit=petition_city.province)
    case = flow.to(case, "replied")
    with pytest.raises(ValidationError) as refused:
        flow.review(case, unit=petition_city.province)
    assert "reviewing_unit" in errors_of(refused)
    assert flow.review(case, unit=org.city).state == CaseState.REVIEWING


# --- 受理 and 异议 ----------------------------------------------------------------------------------------


def test_acceptance_meets_its_clock_cancels_the_objection_and_opens_the_60_days(today, petition_org, flow, new_case):
    case = flow.transfer(new_case())
    on(today, date(2026, 3, 12))
    case = flow.accept(case)
    assert (case.state, case.handler, case.accepted_on, case.accepted_on_time) == (
        CaseState.HANDLING,
        petition_org.bureau_clerk,
        date(2026, 3, 12),
        True,
    )
    assert clock(case, "petition-accept").state == DeadlineState.MET
    assert clock(case, "petition-object").state == DeadlineState.CANCELLED
    assert clock(case, "petition").due_date == date(2026, 5, 11)  # 12 March + 60 日
    assert Notification.objects.filter(recipient=petition_org.registrar.user, verb__contains="已受理").exists()


def test_an_objection_within_5_working_days_sends_the_case_back(today, petition_org, flow, new_case):
    """GIVEN a case transferred to 城建科 on Monday 9 March WHEN 赵科员 objects on the fifth working day
    (16 March) THEN it waits to be routed again with 15 new days, and 城建科 no longer sees it."""
    case = flow.transfer(new_case())
    on(today, date(2026, 3, 16))
    case = services.case_object(actor=petition_org.bureau_clerk.user, case=case, reason="不属于本单位职责")
    assert (case.state, case.handling_unit, case.route) == (CaseState.REGISTERED, None, "")
    routes = [d for d in deadlines_of(case) if d.kind_id == "petition-route"]
    assert sorted((d.state, d.due_date) for d in routes) == [
        (DeadlineState.MET, date(2026, 3, 24)),
        (DeadlineState.OPEN, date(2026, 3, 31)),  # 16 March + 15 日
    ]
    assert clock(case, "petition-accept").state == DeadlineState.CANCELLED
    assert case.due == date(2026, 3, 31)
    assert not sees(petition_org.bureau_clerk, case)
    assert sees(petition_org.registrar, case)


def test_no_objection_after_the_5_working_days(today, petition_org, flow, new_case):
    case = flow.transfer(new_case())
    on(today, date(2026, 3, 17))
    with pytest.raises(TransitionNotAllowed):
        services.case_object(actor=petition_org.bureau_clerk.user, case=case, reason="不属于本单位职责")
    with pytest.raises(ValidationError):  # within the days, a reason is required
        on(today, date(2026, 3, 10))
        services.case_object(actor=petition_org.bureau_clerk.user, case=case, reason=" ")


# --- 办理 ----------------------------------------------------------------------------------------------


def test_a_hearing_pauses_the_clock_and_the_due_date_moves_by_the_paused_days(today, petition_org, flow, new_case):
    case = flow.to(new_case(), "handling")
    assert clock(case, "petition").due_date == date(2026, 5, 8)
    clerk = petition_org.bureau_clerk.user
    on(today, date(2026, 3, 20))
    services.case_hearing(actor=clerk, case=case, on=date(2026, 3, 20), text="就维修责任举行听证")
    assert clock(case, "petition").suspended
    with pytest.raises(TransitionNotAllowed):  # one hearing at a time
        services.case_hearing(actor=clerk, case=case, on=date(2026, 3, 20), text="再次听证")
    on(today, date(2026, 3, 30))
    services.case_hearing_end(actor=clerk, case=case, on=date(2026, 3, 30), text="听证结束")
    handle = clock(case, "petition")
    assert not handle.suspended
    assert handle.due_date == date(2026, 5, 18)  # 8 May + the 10 paused days
    case.refresh_from_db()
    assert case.due == date(2026, 5, 18)
    assert case.notes.get(kind="hearing").ends_on == date(2026, 3, 30)


def test_the_one_extension_is_approved_by_the_organ_head_only(today, petition_org, flow, new_case):
    org = petition_org
    case = flow.to(new_case(), "handling")
    services.case_ask_extension(actor=org.bureau_clerk.user, case=case, days=20, reason="需要第三方鉴定")
    assert Notification.objects.filter(recipient=org.bureau_head.user, verb__contains="延期").exists()
    with pytest.raises(PermissionDenied):
        services.case_extend(actor=org.bureau_clerk.user, case=case, days=20, reason="需要第三方鉴定")
    with pytest.raises(ValidationError) as refused:
        services.case_extend(actor=org.bureau_head.user, case=case, days=31, reason="需要第三方鉴定")
    assert "days" in errors_of(refused)
    services.case_extend(actor=org.bureau_head.user, case=case, days=30, reason="需要第三方鉴定")
    assert clock(case, "petition").due_date == date(2026, 6, 8)  # 8 May + 30 日 (7 June a Sunday)
    assert case.notes.filter(text__startswith="延期告知").exists()
    for actor in (org.bureau_head.user, org.bureau_clerk.user):
        with pytest.raises(TransitionNotAllowed):  # not twice, nor asked for again
            (services.case_extend if actor == org.bureau_head.user else services.case_ask_extension)(
                actor=actor, case=case, days=5, reason="仍需鉴定"
            )


def test_no_extension_after_the_60_days_ran_out(today, petition_org, flow, new_case):
    case = flow.to(new_case(), "handling")
    on(today, date(2026, 5, 11))
    with pytest.raises(TransitionNotAllowed):
        services.case_extend(actor=petition_org.bureau_head.user, case=case, days=10, reason="需要鉴定")


def test_the_reply_is_a_letter_draft_with_the_answer_in_its_body(today, petition_org, petition_city, flow, new_case):
    case = flow.to(new_case(), "handling")
    standard = DocumentSeries.objects.create(
        organ=petition_org.bureau, office=petition_city.bureau_office, code="住建发", issuer_name="住建局文件"
    )
    with pytest.raises(ValidationError) as refused:
        services.case_reply(
            actor=petition_org.bureau_clerk.user,
            case=case,
            opinion="support",
            facts="属实",
            basis="条例",
            series=standard,
        )
    assert "series" in errors_of(refused)
    reply = flow.reply(case)
    document = reply.document
    assert (document.state, document.kind, document.series.template) == ("draft", "letter", "letter")
    assert document.drafter == petition_org.bureau_clerk
    assert "经现场查看，楼顶防水层确有破损。" in document.body and "《物业管理条例》第五十五条" in document.body
    assert "30日内" in document.body and case.number in document.body
    with pytest.raises(TransitionNotAllowed):  # one answer per stage
        flow.reply(case)


def test_serving_waits_for_the_signed_letter_then_meets_the_clock_and_opens_30_days(
    today, petition_org, flow, sign_reply, new_case
):
    case = flow.to(new_case(), "handling")
    flow.reply(case)
    with pytest.raises(TransitionNotAllowed):
        flow.serve(case)
    on(today, date(2026, 4, 1))
    sign_reply(case)
    with pytest.raises(ValidationError) as refused:  # not served before it was signed
        flow.serve(case, on=date(2026, 3, 31))
    assert "on" in errors_of(refused)
    case = flow.serve(case, on=date(2026, 4, 1))
    assert (case.state, case.done_on_time, case.window_until) == (CaseState.REPLIED, True, date(2026, 5, 6))
    # 1 April + 30 日 = 1 May, in the 劳动节 holiday: runs to 6 May
    assert clock(case, "petition").met_on == date(2026, 4, 1)
    assert case.due is None
    assert case.replies.get().served_on == date(2026, 4, 1)


def test_a_review_request_within_the_window_and_to_another_unit(today, petition_org, flow, new_case):
    case = flow.to(new_case(), "replied")  # served 9 March: the window runs to 8 April
    assert case.window_until == date(2026, 4, 8)
    with pytest.raises(ValidationError) as refused:
        flow.review(case, unit=case.handling_unit)
    assert "reviewing_unit" in errors_of(refused)
    on(today, date(2026, 4, 9))
    with pytest.raises(TransitionNotAllowed):
        flow.review(case)
    on(today, date(2026, 4, 8))
    with pytest.raises(ValidationError) as refused:  # nor asked before the answer was served
        services.case_review_request(
            actor=petition_org.registrar.user,
            case=case,
            on=date(2026, 3, 8),
            reviewing_unit=petition_org.city,
            reason="不服",
        )
    assert "on" in errors_of(refused)
    case = flow.review(case)
    assert (case.state, case.stage, case.reviewing_unit) == (CaseState.REVIEWING, "review", petition_org.city)
    assert clock(case, "petition-review").due_date == date(2026, 5, 8)  # 8 April + 30 日
    assert case.window_until is None


def test_review_then_rereview_end_in_a_final_answer(today, petition_org, petition_city, flow, new_case):
    case = flow.to(new_case(), "reviewed")
    assert (case.state, case.stage, case.final, case.window_until) == (
        CaseState.REPLIED,
        "review",
        False,
        date(2026, 4, 8),
    )
    case = flow.review(case)
    assert (case.state, case.stage, case.reviewing_unit) == (
        CaseState.REREVIEWING,
        "rereview",
        petition_city.province,
    )
    case = flow.answer(case)
    assert (case.state, case.final, case.window_until) == (CaseState.REPLIED, True, None)
    assert "终结意见" in case.replies.get(stage="rereview").document.body
    with pytest.raises(TransitionNotAllowed):
        flow.review(case, unit=petition_org.finance)
    review_clocks = [d for d in deadlines_of(case) if d.kind_id == "petition-review"]
    assert [d.state for d in review_clocks] == [DeadlineState.MET, DeadlineState.MET]


def test_only_a_repeat_of_a_final_matter_may_be_refused(today, petition_org, flow, new_case):
    officer = petition_org.registrar.user
    done = flow.to(new_case(), "final")
    fresh = new_case()
    with pytest.raises(ValidationError) as refused:
        services.case_route(actor=officer, case=fresh, route=Route.REFUSE, note="复核已终结")
    assert "route" in errors_of(refused)
    fresh = services.case_link(actor=officer, case=fresh, original=done)
    case = services.case_route(actor=officer, case=fresh, route=Route.REFUSE, note="复核已终结，不再受理")
    assert (case.state, case.route) == (CaseState.NOT_ACCEPTED, Route.REFUSE)


def test_rate_close_and_archive(today, petition_org, flow, new_case):
    officer = petition_org.registrar.user
    case = flow.to(new_case(), "replied")
    with pytest.raises(TransitionNotAllowed):  # not rated, window open
        services.case_close(actor=officer, case=case)
    with pytest.raises(TransitionNotAllowed):
        services.case_archive(actor=officer, case=case, retention="30年")
    services.case_rate(actor=officer, case=case, satisfaction="basic", on=TODAY, revisit="电话回访，基本满意")
    case = services.case_close(actor=officer, case=case)
    assert (case.state, case.satisfaction) == (CaseState.CLOSED, "basic")
    with pytest.raises(ValidationError):
        services.case_archive(actor=officer, case=case, retention="一百年")
    case = services.case_archive(actor=officer, case=case, retention="30年")
    assert case.archived_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.case_rate(actor=officer, case=case, satisfaction="satisfied", on=TODAY)
    with pytest.raises(TransitionNotAllowed):
        services.case_archive(actor=officer, case=case, retention="30年")


def test_close_after_the_window_without_a_rating(today, petition_org, flow, new_case):
    case = flow.to(new_case(), "replied")
    on(today, date(2026, 4, 9))
    assert services.case_close(actor=petition_org.registrar.user, case=case).state == CaseState.CLOSED


def test_a_supervised_instruction_opens_an_item_sourced_from_the_case(today, petition_org, flow, new_case):
    case = flow.to(new_case(urgent=True), "handling")
    with pytest.raises(PermissionDenied):
        services.case_instruct(actor=petition_org.bureau_clerk.user, case=case, text="抓紧办理")
    assert services.case_instruct(actor=petition_org.leader.user, case=case, text="请尽快答复") is None
    item = services.case_instruct(
        actor=petition_org.leader.user, case=case, text="限期解决漏水问题", supervise=True, due=date(2026, 4, 30)
    )
    item = SupervisionItem.objects.get(pk=item.pk)
    assert item.source_record == case
    assert item.instructing_leader == petition_org.leader
    assert Notification.objects.filter(recipient=petition_org.bureau_clerk.user, verb__contains="批示").exists()


def test_no_notification_of_the_whole_flow_names_the_petitioner(today, petition_org, flow, new_case):
    case = flow.to(new_case(urgent=True), "transferred")
    services.case_object(actor=petition_org.bureau_clerk.user, case=case, reason="不属于本单位")
    case = flow.to(case, "handling")
    services.case_instruct(actor=petition_org.leader.user, case=case, text="做好回访")
    services.case_ask_extension(actor=petition_org.bureau_clerk.user, case=case, days=10, reason="需要鉴定")
    services.case_extend(actor=petition_org.bureau_head.user, case=case, days=10, reason="需要鉴定")
    flow.answer(case)
    flow.review(case)
    texts = list(Notification.objects.values_list("verb", "subject_repr"))
    assert len(texts) >= 5
    for verb, subject in texts:
        assert PETITIONER_NAME not in verb + subject and PETITIONER_ID not in verb + subject
