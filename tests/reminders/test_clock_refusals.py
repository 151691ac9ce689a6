"""Statutory clocks that cannot be revived: no suspension or extension once the period has run out
(a 补登 by the office chief is kept on the record but moves nothing past the due date), no period or
extension of 0 or fewer units, "3 months, up to 6" counted from 交办, and derivations that cite the
rule, the 调休 working day and the pause days as the arithmetic uses them.

Dates are counted by hand in the comments (2025: 清明 4–6 April; 2026: 劳动节 1–5 May, 端午 19–21
June, 国庆 1–7 October with Sun 20 September and Sat 10 October worked)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.org.models import Role
from office.reminders import selectors, services
from office.reminders.models import Deadline, DeadlineEvent, Extension, Suspension
from office.workdays.services import WorkCalendar
from office.workflow import TransitionNotAllowed
from tests.factories import OrganFactory, make_person
from tests.reminders.conftest import at, record

pytestmark = pytest.mark.django_db

# A petition accepted Monday 2 June 2025: 60 days, due Friday 1 August 2025.
ACCEPTED, DUE = date(2025, 6, 2), date(2025, 8, 1)


@pytest.fixture
def chief(office):
    """The 办公室主任 of the organ the handler's section belongs to."""
    return make_person(username="rem-chief", name="周主任", unit=office.organ, roles=(Role.OFFICE_CHIEF,))


@pytest.fixture
def petition(open_deadline, time_machine):
    time_machine.move_to(at(ACCEPTED), tick=False)
    deadline = open_deadline(kind="petition", start=ACCEPTED, amount=60, unit="calendar_days")
    assert deadline.due_date == DUE
    return deadline


def refreshed(deadline: Deadline) -> Deadline:
    deadline.refresh_from_db()
    return deadline


def actions(deadline: Deadline) -> list[str]:
    return list(DeadlineEvent.objects.filter(deadline=deadline).order_by("at", "id").values_list("action", flat=True))


def unchanged(deadline: Deadline) -> None:
    """Nothing was recorded: the due date, the pauses, the extensions and the history are as opened."""
    deadline = refreshed(deadline)
    assert (deadline.due_date, deadline.suspended) == (DUE, False)
    assert not Suspension.objects.filter(deadline=deadline).exists()
    assert not Extension.objects.filter(deadline=deadline).exists()
    assert actions(deadline) == ["open"]


# --- Suspensions once the period has run out ---------------------------------------------------------


@pytest.mark.parametrize(
    "today", [date(2025, 8, 4), date(2025, 7, 30)], ids=["recorded-after-expiry", "recorded-in-advance"]
)
def test_a_suspension_beginning_after_the_due_date_is_refused(petition, office, time_machine, today):
    """GIVEN a petition due Friday 1 August 2025
    WHEN a hearing said to begin on Monday 4 August is recorded (on 4 August, or ahead on 30 July)
    THEN it is refused on the date with a message saying the period ran out on 1 August and that only
    the office chief may record it as a 补登; the due date stays 1 August and nothing is recorded."""
    time_machine.move_to(at(today), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.deadline_suspend(actor=office.handler.user, deadline=petition, on=date(2025, 8, 4), reason="听证")

    [message] = refused.value.message_dict["on"]
    assert "期限已于2025年8月1日届满，2025年8月4日开始的中止在届满之后，不能使期限延后" in message
    assert "由办公室主任写明理由补登" in message
    unchanged(petition)


def test_a_suspension_recorded_after_the_due_date_is_refused_even_if_it_began_in_time(petition, office, time_machine):
    """GIVEN a petition due 1 August 2025, and a hearing that began on 28 July but was not recorded
    WHEN the handler records it on 4 August
    THEN it is refused: after the due date a pause can no longer be entered in the ordinary way."""
    time_machine.move_to(at(date(2025, 8, 4)), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.deadline_suspend(actor=office.handler.user, deadline=petition, on=date(2025, 7, 28), reason="听证")

    assert "期限已于2025年8月1日届满，届满后不能再登记中止" in refused.value.message_dict["on"][0]
    unchanged(petition)


def test_a_suspension_recorded_on_the_due_date_is_accepted(petition, office, time_machine):
    """GIVEN a petition due Friday 1 August 2025
    WHEN on that day a hearing stops the clock, and it resumes on Wednesday 6 August
    THEN the due date is the last day of the period: the period still ran on 1 August, so the pause
    counts — five days (1–5 August) added to 1 August: Wednesday 6 August."""
    time_machine.move_to(at(DUE), tick=False)
    services.deadline_suspend(actor=office.handler.user, deadline=petition, on=DUE, reason="听证")
    assert refreshed(petition).suspended is True

    time_machine.move_to(at(date(2025, 8, 6)), tick=False)
    services.deadline_resume(actor=office.handler.user, deadline=petition, on=date(2025, 8, 6))

    petition = refreshed(petition)
    assert petition.due_date == date(2025, 8, 6)
    assert "中止首日2025年8月1日至末日2025年8月5日，按日历日计共5日，不计入期限，顺延5日至2025年8月6日" in (
        petition.derivation
    )


def test_only_the_office_chief_of_the_organ_may_enter_a_late_suspension(petition, office, chief, time_machine):
    """GIVEN a petition due 1 August 2025, on 11 August
    WHEN the handler, then another organ's 办公室主任, try to record a hearing of 4 August as a 补登
    THEN both are refused as not theirs to do, and nothing is recorded."""
    other_chief = make_person(
        username="rem-other-chief", name="吴主任", unit=OrganFactory(name="邻县人民政府"), roles=(Role.OFFICE_CHIEF,)
    )
    time_machine.move_to(at(date(2025, 8, 11)), tick=False)

    for person in (office.handler, other_chief):
        with pytest.raises(PermissionDenied, match="只能由本机关办公室主任补登"):
            services.deadline_suspend(
                actor=person.user,
                deadline=petition,
                on=date(2025, 8, 4),
                reason="听证",
                late_entry_reason="承办人未及时登记",
            )

    unchanged(petition)


def test_a_late_entry_of_a_pause_begun_after_the_due_date_is_kept_but_moves_nothing(
    petition, office, chief, time_machine
):
    """GIVEN a petition due 1 August 2025, answered late
    WHEN on 11 August the office chief enters, as a 补登, a hearing held from 4 to 20 August
    THEN the pause is on the record (its row, a 补登中止 event, the derivation) but the due date stays
    1 August, the clock never stops, the deadline stays overdue, and an answer on 21 August is late."""
    time_machine.move_to(at(date(2025, 8, 11)), tick=False)

    services.deadline_suspend(
        actor=chief.user, deadline=petition, on=date(2025, 8, 4), reason="听证", late_entry_reason="承办人未及时登记"
    )

    petition = refreshed(petition)
    assert (petition.due_date, petition.suspended) == (DUE, False)
    assert selectors.deadline_status(petition, today=date(2025, 8, 11), calendar=WorkCalendar()).overdue is True
    pause = Suspension.objects.get(deadline=petition)
    assert (pause.start, pause.counts_until, pause.late_entry_reason) == (date(2025, 8, 4), DUE, "承办人未及时登记")
    event = DeadlineEvent.objects.get(deadline=petition, action="late-suspend")
    assert (event.actor, event.due_before, event.due_after) == (chief.user, DUE, DUE)
    assert event.reason == "听证（补登：承办人未及时登记）"
    assert (
        "中止（听证）：2025年8月4日起中止；系期限届满后由办公室主任补登（承办人未及时登记），"
        "补登时的届满日2025年8月1日之后的中止时间不计入，中止开始时期限已届满，期限不顺延"
    ) in petition.derivation
    assert petition.derivation.endswith("期限届满日为2025年8月1日。")

    time_machine.move_to(at(date(2025, 8, 21)), tick=False)
    services.deadline_resume(actor=office.handler.user, deadline=petition, on=date(2025, 8, 20))
    services.deadline_meet(actor=office.handler.user, deadline=petition, on=date(2025, 8, 21))

    petition = refreshed(petition)
    assert petition.due_date == DUE
    assert "2025年8月20日恢复计算" in petition.derivation
    assert petition.met_on_time is False


def test_a_late_entry_of_a_pause_begun_in_time_counts_only_its_days_up_to_the_due_date(
    petition, office, chief, time_machine
):
    """GIVEN a petition due Friday 1 August 2025
    WHEN on 11 August the office chief enters, as a 补登, a hearing from 25 July that ended on 20 August
    THEN only its days up to the due date are taken out — 25 July to 1 August, 8 days — so the period
    ends on Saturday 9 August, moved to Monday 11 August (§203); the 19 days after 1 August are
    ignored (entered in time, the same hearing would have moved it to 27 August)."""
    time_machine.move_to(at(date(2025, 8, 11)), tick=False)

    services.deadline_suspend(
        actor=chief.user, deadline=petition, on=date(2025, 7, 25), reason="听证", late_entry_reason="听证记录迟交"
    )
    while_open = refreshed(petition)
    assert (while_open.due_date, while_open.suspended) == (date(2025, 8, 11), False)

    services.deadline_resume(actor=office.handler.user, deadline=petition, on=date(2025, 8, 20))

    petition = refreshed(petition)
    assert petition.due_date == date(2025, 8, 11)
    assert "补登时的届满日2025年8月1日之后的中止时间不计入" in petition.derivation
    assert "中止首日2025年7月25日至末日2025年8月1日，按日历日计共8日，不计入期限，顺延8日至2025年8月9日" in (
        petition.derivation
    )
    assert "该日为周末，顺延至休息日结束的次日2025年8月11日（第二百零三条）" in petition.derivation


def test_a_late_entry_is_refused_while_the_period_runs(petition, chief, time_machine):
    """GIVEN a petition due 1 August 2025, on 28 July
    WHEN the office chief enters a hearing of 28 July as a 补登
    THEN it is refused: the period still runs, so it is entered as an ordinary suspension."""
    time_machine.move_to(at(date(2025, 7, 28)), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.deadline_suspend(
            actor=chief.user, deadline=petition, on=date(2025, 7, 28), reason="听证", late_entry_reason="补登"
        )

    assert "期限尚未届满，按一般中止登记即可，无需补登" in refused.value.message_dict["late_entry_reason"][0]
    unchanged(petition)


def test_a_correction_cannot_be_entered_late(petition, chief, time_machine):
    """GIVEN a petition due 1 August 2025, on 11 August
    WHEN the office chief enters a 补正 (which would start the whole period again) as a 补登
    THEN it is refused on restarts_clock and nothing is recorded."""
    time_machine.move_to(at(date(2025, 8, 11)), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.deadline_suspend(
            actor=chief.user,
            deadline=petition,
            on=date(2025, 7, 30),
            reason="告知补正",
            restarts_clock=True,
            late_entry_reason="漏登",
        )

    assert "期限届满后不能补登补正" in refused.value.message_dict["restarts_clock"][0]
    unchanged(petition)


# --- Extensions once the period has run out -------------------------------------------------------


def test_an_extension_approved_after_the_due_date_is_refused(petition, office, time_machine):
    """GIVEN a petition due Friday 1 August 2025
    WHEN the head approves a 30-day extension on Saturday 2 August
    THEN it is refused as too late, naming the due date, and nothing is recorded."""
    time_machine.move_to(at(date(2025, 8, 2)), tick=False)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.deadline_extend(
            actor=office.admin.user, deadline=petition, amount=30, reason="案情复杂", approved_by=office.leader
        )

    assert "期限已于2025年8月1日届满，届满后不能再批准延期" in refused.value.message
    unchanged(petition)


def test_an_extension_approved_on_the_due_date_is_accepted(petition, office, time_machine):
    """GIVEN a petition due Friday 1 August 2025
    WHEN the head approves 30 days on 1 August
    THEN the period is extended: 31 August is a Sunday, so Monday 1 September."""
    time_machine.move_to(at(DUE), tick=False)

    services.deadline_extend(
        actor=office.admin.user, deadline=petition, amount=30, reason="案情复杂", approved_by=office.leader
    )

    assert refreshed(petition).due_date == date(2025, 9, 1)
    assert "经批准延长30日（案情复杂），至2025年9月1日（自原届满日2025年8月1日的次日起算" in petition.derivation


# --- Amounts of 0 or less ---------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -5])
def test_a_period_of_zero_or_fewer_units_is_refused(open_deadline, amount):
    """GIVEN a domain service opening a deadline
    WHEN the period is 0 or negative
    THEN it is refused on amount, and no deadline exists."""
    with pytest.raises(ValidationError) as refused:
        open_deadline(start=date(2025, 6, 2), amount=amount, unit="calendar_days")

    assert "期限应为正整数（至少1日），不能为0或负数" in refused.value.message_dict["amount"][0]
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("amount", [0, -3])
def test_an_extension_of_zero_or_fewer_units_is_refused(petition, office, time_machine, amount):
    """GIVEN a petition due 1 August 2025, on 25 July
    WHEN an extension of 0 or a negative number of days is approved
    THEN it is refused on amount and the due date stays 1 August."""
    time_machine.move_to(at(date(2025, 7, 25)), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.deadline_extend(
            actor=office.admin.user, deadline=petition, amount=amount, reason="案情复杂", approved_by=office.leader
        )

    assert "不能为0或负数" in refused.value.message_dict["amount"][0]
    unchanged(petition)


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_the_due_date_api_answers_400_for_zero_or_fewer_units(api_as, person, amount):
    """GIVEN the due-date API
    WHEN a caller asks for a period of 0 or -1 days
    THEN the answer is 400 with the error under amount, and no due date."""
    response = api_as(person).get(
        "/api/v1/calendar/due-date/", {"start": "2025-06-02", "amount": amount, "unit": "calendar_days"}
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"amount": ["期限应为正整数（至少为1），不能为0或负数。"]}
    assert "due_date" not in body


def test_the_calculator_page_shows_a_form_error_for_zero_units(client, person):
    """GIVEN the calendar page's calculator
    WHEN it is submitted with a period of 0 days
    THEN the amount's error is shown and no due date."""
    client.force_login(person.user)

    page = client.get(
        "/calendar/", {"start": "2025-06-02", "amount": "0", "unit": "calendar_days"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "期限：应为正整数（至少为1），不能为0或负数。" in page
    assert 'data-testid="due-date"' not in page


# --- "3 months from 交办, up to 6": counted from 交办 ---------------------------------------------


def extend_proposal(office, time_machine, *, start: date, approved_on: date) -> tuple[date, Deadline]:
    """A 建议 assigned on ``start`` (3 months), extended by 3 months on ``approved_on``: (first due date, deadline)."""
    time_machine.move_to(at(start), tick=False)
    proposal = services.deadline_open(
        actor=office.admin.user,
        subject=record("关于加快城区停车设施建设的建议"),
        kind="proposal",
        start=start,
        amount=3,
        unit="months",
        responsible_person=office.handler,
    )
    first_due = proposal.due_date
    time_machine.move_to(at(approved_on), tick=False)
    services.deadline_extend(
        actor=office.admin.user, deadline=proposal, amount=3, reason="内容复杂", approved_by=office.leader
    )
    return first_due, refreshed(proposal)


def test_a_complex_proposal_is_due_six_months_from_assignment_not_three_after_the_rolled_date(office, time_machine):
    """GIVEN a 建议 assigned (交办) on Monday 2 February 2026: 3 months end on Saturday 2 May, in the
    劳动节 holiday, so it is due Wednesday 6 May
    WHEN on 20 April it is found complex and 3 more months are approved
    THEN it is due 6 months from 交办 — Sunday 2 August, so Monday 3 August — not 3 months after
    6 May (6 August); a fourth month more is refused (the cap is 3)."""
    first_due, proposal = extend_proposal(office, time_machine, start=date(2026, 2, 2), approved_on=date(2026, 4, 20))

    assert first_due == date(2026, 5, 6)
    assert proposal.due_date == date(2026, 8, 3)
    assert "经批准延长3个月（内容复杂）" in proposal.derivation
    assert "期限合计6个月，仍自起算日2026年2月2日起算，不从原3个月期限的届满日2026年5月6日起算" in proposal.derivation
    assert "按月计算，到期月的对应日为最后一日，无对应日的为月末日（第二百零二条）：2026年8月2日" in proposal.derivation
    assert "该日为周末，顺延至休息日结束的次日2026年8月3日（第二百零三条）" in proposal.derivation
    assert proposal.derivation.endswith("期限届满日为2026年8月3日。")


def test_six_months_from_the_31st_of_january_end_on_the_31st_of_july(office, time_machine):
    """GIVEN a 提案 assigned on Friday 31 January 2025: 3 months end on Wednesday 30 April (April has no 31st)
    WHEN 3 more months are approved on 25 April
    THEN it is due Thursday 31 July (6 months from 交办), not 30 July (3 months after 30 April)."""
    first_due, proposal = extend_proposal(office, time_machine, start=date(2025, 1, 31), approved_on=date(2025, 4, 25))

    assert (first_due, proposal.due_date) == (date(2025, 4, 30), date(2025, 7, 31))


def test_a_six_month_end_on_a_weekend_stands_when_it_is_a_make_up_working_day(office, time_machine):
    """GIVEN a 建议 assigned on Thursday 19 March 2026: 3 months end on Friday 19 June (端午), so Monday 22 June
    WHEN 3 more months are approved on 10 June
    THEN 6 months from 交办 end on Saturday 19 September, a rest day, so Sunday 20 September — a 调休
    working day (国庆) — where it stands; the derivation says why a Sunday is the due date."""
    first_due, proposal = extend_proposal(office, time_machine, start=date(2026, 3, 19), approved_on=date(2026, 6, 10))

    assert (first_due, proposal.due_date) == (date(2026, 6, 22), date(2026, 9, 20))
    assert "2026年9月20日（星期日）为调休工作日，期限届满日不顺延" in proposal.derivation


# --- The derivation -----------------------------------------------------------------------------


def test_the_derivation_cites_the_petition_rule_and_a_saturday_make_up_day(open_deadline):
    """GIVEN a petition accepted on Tuesday 11 August 2026 (60 days)
    WHEN its deadline is opened
    THEN the 60th day is Saturday 10 October 2026, a 调休 working day after National Day: the due
    date stays, and the derivation cites 《信访工作条例》第三十二条 and 《民法典》 §201–203 and says why."""
    deadline = open_deadline(kind="petition", start=date(2026, 8, 11), amount=60, unit="calendar_days")

    assert deadline.due_date == date(2026, 10, 10)
    assert deadline.derivation.startswith(
        "依据《信访工作条例》第三十二条，期限为60日；期间依照《民法典》第二百零一条至第二百零三条计算；"
    )
    assert "60日期间的最后一日为2026年10月10日" in deadline.derivation
    assert "2026年10月10日（星期六）为调休工作日，期限届满日不顺延" in deadline.derivation
    assert deadline.derivation.endswith("期限届满日为2026年10月10日。")


def test_the_derivation_shows_a_third_party_pause_in_working_days(open_deadline, office, time_machine):
    """GIVEN a disclosure request received Monday 3 March 2025 (20 working days)
    WHEN a third party is consulted from Monday 10 March until it answers on Monday 24 March
    THEN the derivation cites 《政府信息公开条例》第三十三条 and shows the pause as the arithmetic uses it:
    first day 10 March, last day 23 March, 10 working days not counted, moved to 15 April."""
    time_machine.move_to(at(date(2025, 3, 3)), tick=False)
    deadline = open_deadline(kind="disclosure", start=date(2025, 3, 3), amount=20, unit="working_days")
    time_machine.move_to(at(date(2025, 3, 10)), tick=False)
    services.deadline_suspend(
        actor=office.handler.user, deadline=deadline, on=date(2025, 3, 10), reason="征求第三方意见"
    )
    time_machine.move_to(at(date(2025, 3, 24)), tick=False)
    services.deadline_resume(actor=office.handler.user, deadline=deadline, on=date(2025, 3, 24))

    deadline = refreshed(deadline)
    assert deadline.derivation.startswith("依据《政府信息公开条例》第三十三条，期限为20个工作日；")
    assert (
        "中止（征求第三方意见）：2025年3月10日起中止，2025年3月24日恢复计算；"
        "中止首日2025年3月10日至末日2025年3月23日，按工作日计其中10个工作日，不计入期限，"
        "顺延10个工作日至2025年4月15日"
    ) in deadline.derivation


def test_a_kind_without_a_basis_cites_the_civil_code_only(open_deadline):
    """GIVEN a general deadline (its period is the office's own, no provision behind it)
    WHEN it is opened for 10 days
    THEN the derivation cites 《民法典》 §201–203 and no procedure rule."""
    deadline = open_deadline(start=date(2025, 6, 9), amount=10, unit="calendar_days")

    assert deadline.derivation.startswith("期限为10日；期间依照《民法典》第二百零一条至第二百零三条计算；")
    assert "依据" not in deadline.derivation
