"""The user-facing side of deadlines: the deadline badge, 我的期限, the notifications page and the
bell, the notifications and reminders API, and the admin — with classified subjects masked
everywhere their reader may not see them.

Dates are counted by hand over the 2025 National Day holiday: 1–8 October off, Sunday 28 September
and Saturday 11 October worked. Five working days from Friday 26 September are 28, 29, 30 September,
9 and 10 October.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from office.confidentiality import services as confidentiality
from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders import selectors, services
from office.reminders.models import Deadline, DeadlineKind, Notification, ReminderStage
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECRET_TITLE = "关于某重点工程选址的请示"
MASK = "一项您无权查看的事项"
PAGE_URL = "/reminders/"
NOTIFICATIONS_URL = "/reminders/notifications/"
COUNT_URL = "/reminders/notifications/count/"
READ_ALL_URL = "/reminders/notifications/read-all/"
API_NOTIFICATIONS = "/api/v1/notifications/"
API_REMINDERS = "/api/v1/reminders/"


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


# --- The office ------------------------------------------------------------------------------------


@pytest.fixture
def organ(db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def section(organ):
    return UnitFactory(parent=organ, name="综合处")


@pytest.fixture
def other_section(organ):
    return UnitFactory(parent=organ, name="法规处")


@pytest.fixture
def me(section):
    """A 承办人 without secret clearance."""
    return make_person(username="me", name="李承办", unit=section)


@pytest.fixture
def colleague(other_section):
    return make_person(username="colleague", name="周同事", unit=other_section)


@pytest.fixture
def registrar(other_section):
    """Registers classified carriers in the other section (inside their 知悉范围, not mine)."""
    return make_person(username="registrar", name="吴登记", unit=other_section, clearance=Level.SECRET)


@pytest.fixture
def subject(registrar):
    def _subject(title: str = "关于老旧小区加装电梯的来信", *, level: Level = Level.INTERNAL):
        return confidentiality.carrier_register(
            actor=registrar.user,
            title=title,
            unit=registrar.unit,
            level=level,
            basis="范围" if level.is_classified else "",
        )

    return _subject


@pytest.fixture
def open_deadline(subject, me):
    def _open(*, start=date(2025, 9, 26), amount=5, unit="working_days", record=None, **people):
        if not people:
            people["responsible_person"] = me
        return services.deadline_open(
            actor=None,
            subject=record if record is not None else subject(),
            kind="general",
            start=start,
            amount=amount,
            unit=unit,
            **people,
        )

    return _open


@pytest.fixture
def browser(me):
    client = Client()
    client.force_login(me.user)
    return client


def badge(deadline) -> dict:
    """The badge as rendered: its tone, its words, its hover text and whole HTML."""
    rendered = Template("{% load deadlines %}{% deadline_badge deadline %}").render(Context({"deadline": deadline}))
    return {
        "tone": re.search(r'data-tone="(\w+)"', rendered).group(1),
        "left": re.search(r'data-testid="deadline-left">([^<]*)<', rendered).group(1),
        "title": html.unescape(re.search(r'title="([^"]*)"', rendered).group(1)),
        "html": rendered,
    }


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


# --- The badge -------------------------------------------------------------------------------------


def test_working_day_badge_turns_yellow_within_three_working_days_across_national_day(open_deadline):
    """GIVEN a 5-working-day deadline opened on Friday 26 September 2025 (due Friday 10 October)
    WHEN its badge is shown on 26, 28, 29 and 30 September
    THEN it counts working days only: green with 5 and 4 left, yellow with 3 and with 2 left —
    although ten calendar days still remain on the 30th, eight of them holiday."""
    deadline = open_deadline(start=date(2025, 9, 26), amount=5, unit="working_days")
    assert deadline.due_date == date(2025, 10, 10)

    seen = {}
    for day in (date(2025, 9, 26), date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30)):
        with at(day):
            shown = badge(deadline)
        seen[day.day] = (shown["tone"], shown["left"])

    assert seen == {
        26: ("green", "剩5个工作日"),
        28: ("green", "剩4个工作日"),
        29: ("yellow", "剩3个工作日"),
        30: ("yellow", "剩2个工作日"),
    }
    assert "2025年10月10日" in shown["html"]


def test_calendar_day_badge_counts_calendar_days_but_colours_by_working_days(open_deadline):
    """GIVEN a 14-day (calendar) deadline opened on 26 September 2025, due Friday 10 October
    WHEN its badge is shown on 26 and on 29 September
    THEN it says 剩14日 (green) and then 剩11日 — yellow, because only 30 September, 9 and 10 October
    are working days before it."""
    deadline = open_deadline(start=date(2025, 9, 26), amount=14, unit="calendar_days")
    assert deadline.due_date == date(2025, 10, 10)

    with at(date(2025, 9, 26)):
        early = badge(deadline)
    with at(date(2025, 9, 29)):
        later = badge(deadline)

    assert (early["tone"], early["left"]) == ("green", "剩14日")
    assert (later["tone"], later["left"]) == ("yellow", "剩11日")


def test_badge_on_the_due_day_and_after_it(open_deadline):
    """GIVEN the deadline due Friday 10 October 2025
    WHEN its badge is shown on 10 October and on Monday 13 October
    THEN it says 今日届满 in yellow, then 逾期3日 in red."""
    deadline = open_deadline(start=date(2025, 9, 26), amount=5, unit="working_days")

    with at(date(2025, 10, 10)):
        today = badge(deadline)
    with at(date(2025, 10, 13)):
        late = badge(deadline)

    assert (today["tone"], today["left"]) == ("yellow", "今日届满")
    assert (late["tone"], late["left"]) == ("red", "逾期3日")


def test_suspended_and_closed_badges(open_deadline):
    """GIVEN three deadlines: one suspended for a hearing, one met, one cancelled
    WHEN their badges are shown
    THEN the first is grey 中止中 without a date, the others say 已办结 and 已撤销."""
    with at(date(2025, 9, 26)):
        suspended = services.deadline_suspend(actor=None, deadline=open_deadline(), on=date(2025, 9, 26), reason="听证")
        met = services.deadline_meet(actor=None, deadline=open_deadline())
        cancelled = services.deadline_cancel(actor=None, deadline=open_deadline(), reason="重复立项")
        shown = [badge(suspended), badge(met), badge(cancelled)]

    assert [(b["tone"], b["left"]) for b in shown] == [("grey", "中止中"), ("closed", "已办结"), ("closed", "已撤销")]
    assert "bi-calendar-event" not in shown[0]["html"]  # no due date while the clock stands still
    assert "bi-calendar-event" in shown[1]["html"]
    assert "听证" in shown[0]["title"]


def test_badge_shows_the_derivation_on_hover(open_deadline):
    """GIVEN the 5-working-day deadline across National Day
    WHEN its badge is rendered
    THEN the derivation is its title, as a Bootstrap tooltip."""
    deadline = open_deadline(start=date(2025, 9, 26), amount=5, unit="working_days")

    with at(date(2025, 9, 26)):
        shown = badge(deadline)

    assert shown["title"] == deadline.derivation
    assert "数满5个工作日" in shown["title"] and "2025年10月10日" in shown["title"]
    assert 'data-bs-toggle="tooltip"' in shown["html"]


# --- 我的期限 ----------------------------------------------------------------------------------------


def test_my_deadlines_lists_mine_and_my_units_but_not_others(open_deadline, me, colleague, section, organ):
    """GIVEN deadlines on me, on my section (no person named), on the organ above it, on my colleague,
    on my section but named to my colleague, and one of mine already met
    WHEN I open 我的期限
    THEN I see exactly mine, my section's and the organ's, soonest first, with their last events."""
    with at(date(2025, 9, 26)):
        mine = open_deadline(record=Group.objects.create(name="我承办的件"), amount=3)
        units = open_deadline(record=Group.objects.create(name="本处的件"), amount=5, responsible_unit=section)
        organs = open_deadline(record=Group.objects.create(name="本机关的件"), amount=8, responsible_unit=organ)
        open_deadline(record=Group.objects.create(name="同事的件"), responsible_person=colleague)
        open_deadline(
            record=Group.objects.create(name="本处同事的件"), responsible_person=colleague, responsible_unit=section
        )
        done = open_deadline(record=Group.objects.create(name="已办结的件"))
        services.deadline_meet(actor=None, deadline=done)
        services.deadline_extend(actor=None, deadline=mine, amount=2, reason="材料补充", approved_by=me)

        client = Client()
        client.force_login(me.user)
        page = client.get(PAGE_URL)

    content = page.content.decode()
    assert page.status_code == 200
    assert [deadline.pk for deadline, _label in page.context["rows"]] == [
        mine.pk,
        units.pk,
        organs.pk,
    ]
    for title in ("我承办的件", "本处的件", "本机关的件"):
        assert title in content
    for title in ("同事的件", "本处同事的件", "已办结的件"):
        assert title not in content
    assert "材料补充" in content and "延期" in content  # the latest events
    assert content.count('data-testid="deadline-badge"') == 3


def test_my_deadlines_page_needs_a_login():
    """GIVEN no one logged in WHEN 我的期限 is opened THEN the login page is where it goes."""
    response = Client().get(PAGE_URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- Classified subjects are masked ------------------------------------------------------------------


@pytest.fixture
def secret_deadline(open_deadline, subject, me, section):
    """A deadline on my section (I am its head, so its reminders are mine) whose subject is a 机密
    carrier of the other section: outside my reach. (One naming me could not be opened on it: a
    承办人 must be able to see his record.)"""
    section.head = me
    section.save(update_fields=["head"])
    with at(date(2025, 9, 26)):
        return open_deadline(record=subject(SECRET_TITLE, level=Level.SECRET), responsible_unit=section)


def test_classified_subject_is_masked_on_my_page(secret_deadline, open_deadline, browser):
    """GIVEN a deadline of mine on a 机密 record I may not see, and one on an internal record
    WHEN I open 我的期限
    THEN the first is called 一项您无权查看的事项, the second by its title, and the secret title is nowhere."""
    with at(date(2025, 9, 26)):
        open_deadline(record=None)  # an internal carrier: its title is shown
        response = browser.get(PAGE_URL)

    content = response.content.decode()
    assert MASK in content
    assert "关于老旧小区加装电梯的来信" in content
    assert SECRET_TITLE not in content
    assert SECRET_TITLE in Deadline.objects.get(pk=secret_deadline.pk).subject_repr  # kept, just never shown


def test_classified_subject_is_masked_in_the_api(secret_deadline, me, api_as):
    """GIVEN a deadline of mine on a 机密 record I may not see
    WHEN I list my reminders through the API
    THEN its subject is 一项您无权查看的事项 and the title appears nowhere in the response."""
    with at(date(2025, 9, 26)):
        response = api_as(me).get(API_REMINDERS)

    assert response.status_code == 200
    assert [row["subject"] for row in response.json()["results"]] == [MASK]
    assert SECRET_TITLE not in response.content.decode()


def test_classified_subject_is_shown_to_whoever_may_see_it(subject, registrar):
    """GIVEN a deadline on a 机密 carrier, named to the person who registered it (inside its 知悉范围)
    WHEN they look at 我的期限 and at the selector's label
    THEN they see its title."""
    with at(date(2025, 9, 26)):
        carrier = subject(SECRET_TITLE, level=Level.SECRET)
        deadline = services.deadline_open(
            actor=None,
            subject=carrier,
            kind="general",
            start=date(2025, 9, 26),
            amount=5,
            unit="working_days",
            responsible_person=registrar,
        )
        client = Client()
        client.force_login(registrar.user)
        response = client.get(PAGE_URL)

    assert selectors.subject_label(deadline, registrar.user) == SECRET_TITLE
    assert SECRET_TITLE in response.content.decode()
    assert MASK not in response.content.decode()


def test_reminder_notification_of_a_classified_subject_carries_no_title(secret_deadline, me, browser, api_as):
    """GIVEN a deadline of mine on a 机密 record, due Friday 10 October
    WHEN the beat scan and the sender run on the due day and I read my notifications page and API
    THEN the notification is there, and the secret title is in neither."""
    with at(date(2025, 10, 10)):
        for reminder_id in services.scan():
            services.send(reminder_id)
        page = browser.get(NOTIFICATIONS_URL).content.decode()
        api = api_as(me).get(API_NOTIFICATIONS).content.decode()

    assert Notification.objects.filter(recipient=me.user).count() == 1
    assert "今日届满" in page
    for content in (page, api):
        assert SECRET_TITLE not in content


# --- Notifications page, mark read, the bell ----------------------------------------------------------


@pytest.fixture
def notifications(me, colleague):
    first = services.notify(recipient=me.user, verb="请及时办理来文", link="/reminders/")
    second = services.notify(recipient=me.user, verb="督办件已退回", link="javascript:alert(1)")
    others = services.notify(recipient=colleague.user, verb="同事的通知")
    return first, second, others


def test_notifications_page_lists_only_mine(notifications, browser):
    """GIVEN two notifications of mine and one of my colleague's
    WHEN I open the notifications page
    THEN I see mine, each with 标为已读 and the page with 全部标为已读, and not my colleague's;
    a link that would leave the site is not made a link."""
    response = browser.get(NOTIFICATIONS_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "请及时办理来文" in content and "督办件已退回" in content
    assert "同事的通知" not in content
    assert content.count('data-testid="mark-read"') == 2
    assert "全部标为已读" in content
    assert 'href="/reminders/"' in content
    assert "javascript:" not in content


def test_mark_one_read(notifications, browser):
    """GIVEN an unread notification of mine WHEN I press 标为已读 THEN it is read, the other is not."""
    first, second, _others = notifications

    response = browser.post(f"/reminders/notifications/{first.pk}/read/", {"page": "1"})

    assert response.status_code == 302 and response["Location"] == "/reminders/notifications/?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_cannot_mark_someone_elses_notification(notifications, browser):
    """GIVEN my colleague's unread notification WHEN I post 标为已读 for it THEN 404 and it stays unread."""
    _first, _second, others = notifications

    response = browser.post(f"/reminders/notifications/{others.pk}/read/")

    assert response.status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_all_read(notifications, browser, me):
    """GIVEN two unread notifications of mine and one of my colleague's
    WHEN I press 全部标为已读
    THEN mine are read and my colleague's is not."""
    _first, _second, others = notifications
    assert selectors.unread_count(me.user) == 2

    response = browser.post(READ_ALL_URL, follow=True)

    assert response.status_code == 200
    assert "已将2条通知标为已读" in response.content.decode()
    assert selectors.unread_count(me.user) == 0
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_read_needs_the_csrf_token(notifications, me):
    """GIVEN a browser session that does not send the CSRF token
    WHEN it posts 全部标为已读
    THEN 403 and nothing is marked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(me.user)

    response = client.post(READ_ALL_URL)

    assert response.status_code == 403
    assert selectors.unread_count(me.user) == 2


def test_mark_read_is_post_only(notifications, browser):
    """GIVEN my unread notification WHEN 标为已读 is requested with GET THEN 405 and it stays unread."""
    first, _second, _others = notifications

    assert browser.get(f"/reminders/notifications/{first.pk}/read/").status_code == 405
    assert browser.get(READ_ALL_URL).status_code == 405
    first.refresh_from_db()
    assert first.read_at is None


def test_bell_fragment_shows_the_unread_count(notifications, browser):
    """GIVEN two unread notifications WHEN htmx polls the bell, before and after 全部标为已读
    THEN it shows the icon with a red 2, then the icon alone; never cached."""
    before = browser.get(COUNT_URL, headers={"HX-Request": "true"})
    browser.post(READ_ALL_URL)
    after = browser.get(COUNT_URL, headers={"HX-Request": "true"})

    assert before.status_code == after.status_code == 200
    assert re.search(r'data-testid="bell-count">2<', before.content.decode())
    assert "bg-danger" in before.content.decode()
    assert "bi-bell" in after.content.decode() and "bell-count" not in after.content.decode()
    assert "no-cache" in before["Cache-Control"]
    assert "<html" not in before.content.decode()  # a fragment, not a page


def test_bell_fragment_after_logout_stops_polling(notifications):
    """GIVEN no session (logged out in another tab) WHEN htmx polls the bell
    THEN it gets the bare icon with status 286 (htmx stops polling), not the login page."""
    response = Client().get(COUNT_URL, headers={"HX-Request": "true"})

    assert response.status_code == 286
    assert "bi-bell" in response.content.decode()
    assert "bell-count" not in response.content.decode()


def test_bell_is_in_the_top_bar(browser, notifications):
    """GIVEN a logged-in person WHEN any page is opened THEN the top bar has the bell polling its count."""
    content = browser.get("/").content.decode()

    bell = re.search(r'<a [^>]*data-testid="bell"[^>]*>', content).group(0)
    assert 'hx-get="/reminders/notifications/count/"' in bell
    assert "every 30s" in bell
    assert 'href="/reminders/notifications/"' in bell


# --- API: notifications --------------------------------------------------------------------------


def test_api_lists_own_notifications_and_filters_unread(notifications, me, api_as):
    """GIVEN two notifications of mine, one read, and one of my colleague's
    WHEN I list them, and the unread ones (unread=1)
    THEN I get my two, then my one unread one; never my colleague's."""
    first, second, _others = notifications
    services.notification_mark_read(actor=me.user, notification=first)
    client = api_as(me)

    everything = client.get(API_NOTIFICATIONS).json()
    unread = client.get(API_NOTIFICATIONS, {"unread": "1"}).json()

    assert everything["count"] == 2
    assert {row["id"] for row in everything["results"]} == {first.pk, second.pk}
    assert [row["id"] for row in unread["results"]] == [second.pk]
    assert set(unread["results"][0]) == {"id", "verb", "subject", "link", "created_at", "read_at", "unread"}
    assert unread["results"][0]["unread"] is True


def test_api_refuses_unknown_filters_and_fields(notifications, me, api_as):
    """GIVEN my notifications WHEN I list with a misspelt filter or post read-all with a body field
    THEN 400 naming the field, and nothing is marked."""
    client = api_as(me)

    listed = client.get(API_NOTIFICATIONS, {"unraed": "1"})
    marked = client.post(f"{API_NOTIFICATIONS}read-all/", {"all": True}, format="json")

    assert listed.status_code == 400 and "unraed" in listed.json()["errors"]
    assert marked.status_code == 400 and "all" in marked.json()["errors"]
    assert selectors.unread_count(me.user) == 2


def test_api_mark_read_own_and_404_for_anothers(notifications, me, api_as):
    """GIVEN my unread notification and my colleague's
    WHEN I mark mine read, then try my colleague's
    THEN mine is read (200), my colleague's is a 404 and stays unread."""
    first, _second, others = notifications
    client = api_as(me)

    mine = client.post(f"{API_NOTIFICATIONS}{first.pk}/read/")
    theirs = client.post(f"{API_NOTIFICATIONS}{others.pk}/read/")

    assert mine.status_code == 200 and mine.json()["unread"] is False
    assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"
    others.refresh_from_db()
    assert others.read_at is None
    assert client.get(f"{API_NOTIFICATIONS}{others.pk}/").status_code == 404


def test_api_read_all_marks_only_mine(notifications, me, colleague, api_as):
    """GIVEN two unread notifications of mine and one of my colleague's
    WHEN I post read-all THEN it answers 2 and leaves my colleague's unread."""
    response = api_as(me).post(f"{API_NOTIFICATIONS}read-all/")

    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert selectors.unread_count(me.user) == 0
    assert selectors.unread_count(colleague.user) == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", API_NOTIFICATIONS),
        ("post", f"{API_NOTIFICATIONS}read-all/"),
        ("get", API_REMINDERS),
    ],
)
def test_api_anonymous_is_401(notifications, api, method, url):
    """GIVEN no credentials WHEN the notifications or reminders API is called THEN 401, nothing marked."""
    response = getattr(api, method)(url)

    assert response.status_code == 401
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


# --- API: reminders ------------------------------------------------------------------------------


def test_api_reminders_fields(open_deadline, me, colleague, api_as):
    """GIVEN my 5-working-day deadline (due 10 October) and a calendar-day one of mine already overdue,
    and my colleague's
    WHEN I list my reminders on 30 September 2025
    THEN I get mine only, soonest first, with days left in the clock's unit and the derivation."""
    with at(date(2025, 9, 26)):
        late = open_deadline(start=date(2025, 9, 1), amount=10, unit="calendar_days")
        soon = open_deadline(start=date(2025, 9, 26), amount=5, unit="working_days")
        open_deadline(responsible_person=colleague)
    with at(date(2025, 9, 30)):
        response = api_as(me).get(API_REMINDERS)
        detail = api_as(me).get(f"{API_REMINDERS}{soon.pk}/")

    rows = response.json()["results"]
    assert response.json()["count"] == 2
    assert [row["id"] for row in rows] == [late.pk, soon.pk]
    assert set(rows[1]) >= {
        "id",
        "subject",
        "kind",
        "due_date",
        "unit",
        "amount",
        "days_left",
        "overdue",
        "suspended",
        "derivation",
        "state",
    }
    assert rows[1] | {"derivation": None} == {
        "id": soon.pk,
        "subject": "关于老旧小区加装电梯的来信",
        "kind": "general",
        "kind_name": "一般期限",
        "due_date": "2025-10-10",
        "unit": "working_days",
        "amount": 5,
        "days_left": 2,
        "overdue": False,
        "suspended": False,
        "derivation": None,
        "state": "open",
    }
    assert rows[1]["derivation"] == soon.derivation
    # 1 September + 10 days = 11 September, 19 days before 30 September.
    assert (rows[0]["due_date"], rows[0]["days_left"], rows[0]["overdue"]) == ("2025-09-11", -19, True)
    assert detail.status_code == 200 and detail.json()["days_left"] == 2


def test_api_reminders_are_read_only_and_anothers_is_404(open_deadline, me, colleague, api_as):
    """GIVEN my colleague's deadline and one of mine
    WHEN I fetch my colleague's, and try to change mine
    THEN 404 for theirs and 405 for the change; mine keeps its due date."""
    with at(date(2025, 9, 26)):
        theirs = open_deadline(responsible_person=colleague)
        mine = open_deadline()
    client = api_as(me)

    assert client.get(f"{API_REMINDERS}{theirs.pk}/").status_code == 404
    assert client.patch(f"{API_REMINDERS}{mine.pk}/", {"due_date": "2026-01-01"}, format="json").status_code == 405
    assert client.delete(f"{API_REMINDERS}{mine.pk}/").status_code == 405
    mine.refresh_from_db()
    assert mine.due_date == date(2025, 10, 10)


# --- Query counts ------------------------------------------------------------------------------------


def _grow(open_deadline, subject, me, n):
    """n deadlines of mine: every third on a classified record (given to my section: I could not be
    named on it), the rest internal, with events."""
    for i in range(n):
        level = Level.SECRET if i % 3 == 0 else Level.INTERNAL
        people = {"responsible_unit": me.unit} if level == Level.SECRET else {}
        deadline = open_deadline(record=subject(f"件{i}", level=level), amount=3 + i % 7, **people)
        if i % 2:
            services.deadline_extend(actor=me.user, deadline=deadline, amount=1, reason="补充材料", approved_by=me)


def test_my_deadlines_page_queries_do_not_grow(open_deadline, subject, me):
    """GIVEN 5 then 25 deadlines of mine (some on classified records, some extended)
    WHEN I open 我的期限
    THEN the page costs the same number of queries both times."""

    def page_queries():
        client = Client()
        client.force_login(me.user)
        with at(date(2025, 9, 26)):
            count = queries(lambda: client.get(PAGE_URL))
            response = client.get(PAGE_URL)
        return count, response

    with at(date(2025, 9, 26)):
        _grow(open_deadline, subject, me, 5)
    small, response = page_queries()
    assert len(response.context["rows"]) == 5
    with at(date(2025, 9, 26)):
        _grow(open_deadline, subject, me, 20)
    large, response = page_queries()

    assert len(response.context["rows"]) == 25
    assert response.content.decode().count(MASK) == 9
    assert small == large


def test_api_reminders_queries_do_not_grow(open_deadline, subject, me, api_as):
    """GIVEN 5 then 25 deadlines of mine WHEN I list my reminders through the API THEN the same number of queries."""
    client = api_as(me)
    with at(date(2025, 9, 26)):
        _grow(open_deadline, subject, me, 5)
        small = queries(lambda: client.get(API_REMINDERS))
        _grow(open_deadline, subject, me, 20)
        large = queries(lambda: client.get(API_REMINDERS))
        assert client.get(API_REMINDERS).json()["count"] == 25

    assert small == large


# --- Admin -----------------------------------------------------------------------------------------


@pytest.fixture
def sysadmin_client(section):
    """The 系统管理员 on the admin site (the Django superuser cannot sign in: 三员分立)."""
    boss = make_person(username="root", name="系统管理员", unit=section, roles=(Role.SYSTEM_ADMIN,))
    client = Client()
    client.force_login(boss.user)
    return client


def test_admin_lists_kinds_and_edits_their_stages(sysadmin_client):
    """GIVEN the default deadline kinds WHEN the 系统管理员 opens their admin and moves the general
    kind's first reminder from 3 to 5 working days before the due date THEN the stage is changed."""
    listed = sysadmin_client.get("/admin/reminders/deadlinekind/")
    assert listed.status_code == 200
    assert "一般期限" in listed.content.decode() and "信访办理" in listed.content.decode()

    kind = DeadlineKind.objects.get(code="general")
    stages = list(kind.stages.order_by("id"))
    form = {
        "name": kind.name,
        "max_extensions": kind.max_extensions,
        "extension_cap_amount": "",
        "extension_cap_unit": kind.extension_cap_unit,
        "very_overdue_after": kind.very_overdue_after,
        "supervising_unit": "",
        "stages-TOTAL_FORMS": len(stages),
        "stages-INITIAL_FORMS": len(stages),
        "stages-MIN_NUM_FORMS": 0,
        "stages-MAX_NUM_FORMS": 1000,
    }
    for i, stage in enumerate(stages):
        form |= {
            f"stages-{i}-id": stage.pk,
            f"stages-{i}-kind": kind.pk,
            f"stages-{i}-code": stage.code,
            f"stages-{i}-name": stage.name,
            f"stages-{i}-offset": -5 if stage.code == "before-3" else stage.offset,
            f"stages-{i}-offset_unit": stage.offset_unit,
            f"stages-{i}-repeat_every_days": stage.repeat_every_days or "",
            f"stages-{i}-audience": stage.audience,
            f"stages-{i}-active": "on" if stage.active else "",
        }
    page = sysadmin_client.get(f"/admin/reminders/deadlinekind/{kind.pk}/change/")
    assert page.status_code == 200 and "届满前3个工作日" in page.content.decode()

    response = sysadmin_client.post(f"/admin/reminders/deadlinekind/{kind.pk}/change/", form)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert ReminderStage.objects.get(kind=kind, code="before-3").offset == -5


def test_admin_deadlines_are_read_only_and_masked(secret_deadline, sysadmin_client):
    """GIVEN a deadline on a 机密 record the 系统管理员 is not cleared for
    WHEN the 系统管理员 opens the deadline list and the deadline's page, and tries to change or delete it
    THEN both pages show 一项您无权查看的事项 and never the title; changing and deleting are refused."""
    with at(date(2025, 10, 6)):
        listed = sysadmin_client.get("/admin/reminders/deadline/?due=week")
    page = sysadmin_client.get(f"/admin/reminders/deadline/{secret_deadline.pk}/change/")
    changed = sysadmin_client.post(
        f"/admin/reminders/deadline/{secret_deadline.pk}/change/", {"due_date": "2026-01-01"}
    )
    deleted = sysadmin_client.post(f"/admin/reminders/deadline/{secret_deadline.pk}/delete/", {"post": "yes"})

    assert listed.context["cl"].result_count == 1
    for response in (listed, page):
        assert response.status_code == 200
        assert MASK in response.content.decode()
        assert SECRET_TITLE not in response.content.decode()
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert Deadline.objects.get(pk=secret_deadline.pk).due_date == date(2025, 10, 10)


def test_admin_reminder_and_notification_lists(secret_deadline, me, sysadmin_client):
    """GIVEN a reminder sent on the due day for a deadline on a 机密 record
    WHEN the 系统管理员 opens the reminder and notification lists and the reminder's page
    THEN they load, and the secret title is on none of them."""
    with at(date(2025, 10, 10)):
        for reminder_id in services.scan():
            services.send(reminder_id)
        reminder_page = sysadmin_client.get("/admin/reminders/reminder/")
        notification_page = sysadmin_client.get("/admin/reminders/notification/")
        reminder = secret_deadline.reminders.get()
        detail = sysadmin_client.get(f"/admin/reminders/reminder/{reminder.pk}/change/")

    for response in (reminder_page, notification_page, detail):
        assert response.status_code == 200
        assert SECRET_TITLE not in response.content.decode()
    assert MASK in reminder_page.content.decode()


def test_days_left_helper_is_timezone_local(open_deadline):
    """GIVEN the deadline due 10 October WHEN it is 9 October 23:30 in Beijing (15:30 UTC)
    THEN the badge counts from Beijing's date: 1 working day left, not 今日届满."""
    deadline = open_deadline(start=date(2025, 9, 26), amount=5, unit="working_days")

    with time_machine.travel(datetime(2025, 10, 9, 23, 30, tzinfo=SHANGHAI), tick=False):
        assert timezone.localdate() == date(2025, 10, 9)
        shown = badge(deadline)

    assert (shown["tone"], shown["left"]) == ("yellow", "剩1个工作日")
