"""A deadline's subject is named only to whoever may see its record (``visible_to``), whatever its
level: on 我的期限, in ``/api/v1/reminders/``, and in the notifications and emails a reminder becomes —
composed for their recipient when they are sent, so no stored text holds a title he may not see.
And a 承办人 who cannot see the record is refused when the deadline is opened.

The leak these tests close: a bureau's 承办人 read, in his reminders, the title of an 内部 record of
the city government's 会务科 — a 404 for him everywhere else (a bureau is an organ of its own, and
内部 records are open only within their organ).

Dates: Monday 2 March 2026 (no holiday near); a 4-calendar-day deadline from then is due Friday
6 March (a working day: §203 moves nothing), so the reminders fire on that day.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from office.confidentiality import services as confidentiality
from office.confidentiality.levels import Level
from office.confidentiality.models import Carrier
from office.org.models import Person, Role, Unit
from office.reminders import services
from office.reminders.models import Deadline, Notification, Reminder
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)
DUE = date(2026, 3, 6)
AGENDA = "市政府常务会议议题安排（内部）"
MASK = "一项您无权查看的事项"


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@dataclass
class City:
    government: Unit  # 临江市人民政府 (an organ)
    meetings: Unit  # its 会务科
    bureau_section: Unit  # 商务局市场运行科 (the bureau is an organ of its own, under the government)
    meeting_officer: Person  # 会务员 of the 会务科: registers the agenda
    city_clerk: Person  # 文秘 of the government: 内部 records of his organ are open to him
    staff: Person  # 商务局承办人, 内部 clearance
    security_officer: Person  # the government's 保密员


@pytest.fixture
def city(db) -> City:
    government = OrganFactory(name="临江市人民政府")
    general_office = UnitFactory(parent=government, name="市政府办公室")
    meetings = UnitFactory(parent=general_office, name="会务科")
    secretariat = UnitFactory(parent=general_office, name="秘书科")
    bureau = OrganFactory(parent=government, name="临江市商务局")
    bureau_section = UnitFactory(parent=bureau, name="市场运行科")
    return City(
        government=government,
        meetings=meetings,
        bureau_section=bureau_section,
        meeting_officer=make_person(
            username="hw", name="周会务", unit=meetings, roles=(Role.MEETING_OFFICER,), clearance=Level.CONFIDENTIAL
        ),
        city_clerk=make_person(username="ms", name="陈文秘", unit=secretariat, roles=(Role.SECRETARY,)),
        staff=make_person(
            username="swj-staff", name="郑浩", unit=bureau_section, roles=(Role.HANDLER,), email="zh@example.gov.cn"
        ),
        security_officer=make_person(
            username="bm", name="吴保密", unit=general_office, roles=(Role.SECURITY_OFFICER,), clearance=Level.SECRET
        ),
    )


@pytest.fixture
def agenda(city) -> Carrier:
    """The 会务科's 内部 agenda: open to everyone in the government, closed to the bureau."""
    return confidentiality.carrier_register(
        actor=city.meeting_officer.user, title=AGENDA, unit=city.meetings, level=Level.INTERNAL
    )


def open_on(record, **people) -> Deadline:
    return services.deadline_open(
        actor=None, subject=record, kind="general", start=MONDAY, amount=4, unit="calendar_days", **people
    )


@pytest.fixture
def staffs_deadline(city, agenda) -> Deadline:
    """A deadline of the bureau's 承办人 on the agenda, opened while he was in its 知悉范围 (granted),
    whose grant was then revoked: the deadline stays his, the record is closed to him again."""
    registrar = city.meeting_officer.user
    with at(MONDAY):
        confidentiality.grant(actor=registrar, record=agenda, person=city.staff, reason="报送议题材料")
        deadline = open_on(agenda, responsible_person=city.staff)
        confidentiality.revoke(actor=registrar, record=agenda, person=city.staff, reason="材料已报送")
    return deadline


@pytest.fixture
def staff_browser(city) -> Client:
    client = Client()
    client.force_login(city.staff.user)
    return client


def send_due_reminders(day: date) -> None:
    with at(day, 9):
        for reminder_id in services.scan():
            services.send(reminder_id)


# --- Opening: the 承办人 must be able to see the record ----------------------------------------------


def test_opening_a_deadline_for_someone_outside_the_records_reach_is_refused(city, agenda):
    """GIVEN the government's 内部 agenda, which the bureau's 承办人 may not see
    WHEN a deadline on it is opened naming him as 承办人
    THEN the service refuses with a Chinese message naming him, and no deadline exists."""
    with at(MONDAY), pytest.raises(ValidationError) as refused:
        open_on(agenda, responsible_person=city.staff)

    assert "郑浩不在该事项的知悉范围内" in " ".join(refused.value.messages)
    assert AGENDA not in " ".join(refused.value.messages)
    assert not Deadline.objects.exists()


def test_opening_a_deadline_for_someone_inside_the_records_reach_succeeds(city, agenda):
    """GIVEN the same agenda WHEN a deadline on it is opened for the government's 文秘 (same organ),
    and for the bureau's 承办人 once he has been granted it THEN both are opened."""
    with at(MONDAY):
        clerks = open_on(agenda, responsible_person=city.city_clerk)
        confidentiality.grant(actor=city.meeting_officer.user, record=agenda, person=city.staff, reason="报送材料")
        staffs = open_on(agenda, responsible_person=city.staff)

    assert (clerks.due_date, staffs.due_date) == (DUE, DUE)
    assert Deadline.objects.filter(object_id=agenda.pk).count() == 2


def test_a_secret_record_refuses_a_responsible_person_below_its_level(city):
    """GIVEN a 秘密 carrier of the 会务科 WHEN the government's 文秘 (内部 clearance, same organ) is named
    its 承办人 THEN the opening is refused: same organ is not enough above 内部."""
    secret = confidentiality.carrier_register(
        actor=city.meeting_officer.user,
        title="会议安保方案",
        unit=city.meetings,
        level=Level.CONFIDENTIAL,
        basis="范围",
    )
    with at(MONDAY), pytest.raises(ValidationError):
        open_on(secret, responsible_person=city.city_clerk)
    assert not Deadline.objects.exists()


# --- On screen: 我的期限 and the reminders API ---------------------------------------------------------


def test_my_deadlines_page_names_no_record_he_may_not_see(city, agenda, staffs_deadline, staff_browser):
    """GIVEN the 承办人's deadline on the agenda he may no longer see (his grant revoked)
    WHEN he opens 我的期限
    THEN the row reads 一项您无权查看的事项 with its due date, and the agenda's title is nowhere — as
    the agenda itself is a 404 for him."""
    with at(MONDAY):
        page = staff_browser.get("/reminders/")
        carrier = staff_browser.get(f"/confidentiality/carriers/{agenda.pk}/")

    content = page.content.decode()
    assert carrier.status_code == 404
    assert page.status_code == 200
    assert [label for _deadline, label in page.context["rows"]] == [MASK]
    assert MASK in content and "2026年3月6日" in content
    assert AGENDA not in content


def test_a_units_deadline_on_another_organs_record_is_masked_for_its_members(city, agenda, staff_browser):
    """GIVEN a deadline given to the bureau's 市场运行科 (no person named) on the government's agenda
    WHEN the 承办人 of that section opens 我的期限 and the reminders API
    THEN he finds the deadline under 一项您无权查看的事项 with its due date, never the title."""
    with at(MONDAY):
        deadline = open_on(agenda, responsible_unit=city.bureau_section)
        page = staff_browser.get("/reminders/").content.decode()
        api = staff_browser.get("/api/v1/reminders/")

    assert MASK in page and AGENDA not in page
    assert [(row["id"], row["subject"], row["due_date"]) for row in api.json()["results"]] == [
        (deadline.pk, MASK, "2026-03-06")
    ]
    assert AGENDA not in api.content.decode()


def test_the_reminders_api_names_no_record_he_may_not_see(city, staffs_deadline, staff_browser):
    """GIVEN the 承办人's deadline on the agenda he may no longer see
    WHEN he lists and opens it through /api/v1/reminders/
    THEN its subject is 一项您无权查看的事项, its due date is there, and the title is in neither."""
    with at(MONDAY):
        listed = staff_browser.get("/api/v1/reminders/")
        single = staff_browser.get(f"/api/v1/reminders/{staffs_deadline.pk}/")

    assert [(row["subject"], row["due_date"]) for row in listed.json()["results"]] == [(MASK, "2026-03-06")]
    assert (single.json()["subject"], single.json()["due_date"]) == (MASK, "2026-03-06")
    for response in (listed, single):
        assert AGENDA not in response.content.decode()


def test_whoever_may_see_the_record_reads_its_title(city, agenda):
    """GIVEN a deadline of the government's 文秘 on the agenda of his own organ
    WHEN he opens 我的期限 and the reminders API
    THEN the agenda is named by its title."""
    client = Client()
    client.force_login(city.city_clerk.user)
    with at(MONDAY):
        open_on(agenda, responsible_person=city.city_clerk)
        page = client.get("/reminders/").content.decode()
        api = client.get("/api/v1/reminders/").json()

    assert AGENDA in page and MASK not in page
    assert [row["subject"] for row in api["results"]] == [AGENDA]


# --- Travelling: notifications, the bell and email -----------------------------------------------------


def test_the_reminder_sent_to_him_holds_no_title_he_may_not_see(city, staffs_deadline, staff_browser, mailoutbox):
    """GIVEN the 承办人's deadline on the agenda he may no longer see, due Friday 6 March
    WHEN the beat scans and sends on the due day and he reads the bell, his notifications page and
    /api/v1/notifications/
    THEN his one notification reads 今日届满：一项您无权查看的事项（2026年3月6日）, its stored texts and
    his email hold no title, and none of what he reads does."""
    send_due_reminders(DUE)
    with at(DUE):
        bell = staff_browser.get("/reminders/notifications/count/")
        page = staff_browser.get("/reminders/notifications/").content.decode()
        api = staff_browser.get("/api/v1/notifications/")

    [note] = Notification.objects.filter(recipient=city.staff.user)
    assert note.verb == f"今日届满：{MASK}（2026年3月6日）。"
    assert note.subject_repr == MASK
    assert 'data-testid="bell-count">1' in bell.content.decode()
    assert [(row["verb"], row["subject"]) for row in api.json()["results"]] == [(note.verb, MASK)]
    [email] = mailoutbox
    assert email.to == ["zh@example.gov.cn"] and MASK in email.body
    for text in (page, api.content.decode(), email.subject, email.body):
        assert AGENDA not in text


def test_each_recipient_gets_the_text_composed_for_him(city, agenda, staffs_deadline):
    """GIVEN two deadlines on the same 内部 agenda, due the same day: the 承办人's (who may no longer see
    it) and the government's 文秘's (whose organ's record it is)
    WHEN the reminders are sent on the due day
    THEN the 文秘's notification names the agenda, the 承办人's does not: the text is decided for its
    recipient when it is sent, not once for the record."""
    with at(MONDAY):
        open_on(agenda, responsible_person=city.city_clerk)

    send_due_reminders(DUE)

    verbs = dict(Notification.objects.values_list("recipient__username", "verb"))
    assert verbs == {
        "ms": f"今日届满：{AGENDA}（2026年3月6日）。",
        "swj-staff": f"今日届满：{MASK}（2026年3月6日）。",
    }


def test_a_text_is_composed_when_sent_not_when_the_deadline_was_opened(city, agenda):
    """GIVEN the 承办人 granted the agenda and his deadline opened on Monday, and the grant revoked on
    Wednesday — after the deadline was opened, before anything was sent
    WHEN the reminder is sent on the due day
    THEN it holds no title: what counts is what he may see at send time."""
    registrar = city.meeting_officer.user
    with at(MONDAY):
        confidentiality.grant(actor=registrar, record=agenda, person=city.staff, reason="报送议题材料")
        open_on(agenda, responsible_person=city.staff)
    with at(date(2026, 3, 4)):
        confidentiality.revoke(actor=registrar, record=agenda, person=city.staff, reason="调整知悉范围")

    send_due_reminders(DUE)

    [note] = Notification.objects.filter(recipient=city.staff.user)
    assert AGENDA not in note.verb and AGENDA not in note.subject_repr
    assert MASK in note.verb


def test_a_classified_title_stays_home_even_for_whoever_may_see_it(city):
    """GIVEN a 秘密 carrier of the 会务科 and a deadline on it of its 会务员 (who may see it)
    WHEN his reminder is sent on the due day
    THEN the stored notification says 一项涉密事项（请登录系统查看）, not the title: a classified title
    never sits in a stored text or an email."""
    secret = confidentiality.carrier_register(
        actor=city.meeting_officer.user,
        title="会议安保方案",
        unit=city.meetings,
        level=Level.CONFIDENTIAL,
        basis="范围",
    )
    with at(MONDAY):
        open_on(secret, responsible_person=city.meeting_officer)

    send_due_reminders(DUE)

    [note] = Notification.objects.filter(recipient=city.meeting_officer.user)
    assert note.verb == "今日届满：一项涉密事项（请登录系统查看）（2026年3月6日）。"
    assert "会议安保方案" not in note.subject_repr


def test_a_notification_about_a_record_names_it_only_to_whoever_may_see_it(city, agenda):
    """GIVEN the notify service called about the agenda for the 文秘 and for the bureau's 承办人
    (a 催办 or a returned document names its record the same way)
    WHEN both notifications are stored
    THEN the 文秘's names the agenda, the 承办人's says 一项您无权查看的事项 — and the sender's own words
    are kept in both."""
    for person in (city.city_clerk, city.staff):
        services.notify(
            recipient=person.user, verb="催办：%(title)s。%(message)s", subject=agenda, message="请于周五前报送"
        )

    verbs = dict(Notification.objects.values_list("recipient__username", "verb"))
    assert verbs == {"ms": f"催办：{AGENDA}。请于周五前报送", "swj-staff": f"催办：{MASK}。请于周五前报送"}
    assert Notification.objects.get(recipient=city.staff.user).subject_repr == MASK


def test_redact_notifications_masks_titles_stored_before_the_fix(city, agenda, staffs_deadline):
    """GIVEN a reminder notification stored the way texts were stored before they were composed for
    their recipient — the 承办人's bell naming the agenda he may not see — and the 文秘's, naming it
    rightly
    WHEN ``manage.py redact_notifications`` runs (twice)
    THEN the 承办人's text and subject read 一项您无权查看的事项 and keep the rest of their words; the
    文秘's is untouched; the second run changes nothing."""
    with at(MONDAY):
        clerks_deadline = open_on(agenda, responsible_person=city.city_clerk)
    stored = {}
    for person, deadline in ((city.staff, staffs_deadline), (city.city_clerk, clerks_deadline)):
        reminder = Reminder.objects.create(
            deadline=deadline,
            stage_key="due",
            for_due_date=DUE,
            recipient=person.user,
            audience="responsible",
            state="sent",
            claimed_at=deadline.opened_at,
        )
        stored[person.pk] = Notification.objects.create(
            recipient=person.user, verb=f"今日届满：{AGENDA}（2026年3月6日）。", subject_repr=AGENDA, reminder=reminder
        )

    first, second = io.StringIO(), io.StringIO()
    call_command("redact_notifications", stdout=first)
    call_command("redact_notifications", stdout=second)

    staffs, clerks = (Notification.objects.get(pk=stored[p.pk].pk) for p in (city.staff, city.city_clerk))
    assert (staffs.verb, staffs.subject_repr) == (f"今日届满：{MASK}（2026年3月6日）。", MASK)
    assert (clerks.verb, clerks.subject_repr) == (f"今日届满：{AGENDA}（2026年3月6日）。", AGENDA)
    assert first.getvalue().strip() == "notifications redacted: 1"
    assert second.getvalue().strip() == "notifications redacted: 0"
