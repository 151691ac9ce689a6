"""``manage.py seed_demo`` loads 督查督办 items from every source and in every state, walked there
through the services on days relative to today — so some are red on whatever day the demo is
loaded — once however often it runs."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from documents.models import IncomingDocument, OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent
from office.org.models import Person
from office.reminders.models import Deadline, DeadlineKind, DeadlineState, Notification
from supervision import selectors
from supervision.models import (
    Cadence,
    ExtensionRequest,
    ExtensionState,
    ItemState,
    Light,
    ProgressReport,
    Review,
    Source,
    SupervisionEvent,
    SupervisionItem,
    SupervisionTask,
    TaskState,
)

pytestmark = pytest.mark.django_db

# The demo that `make run` starts raises the ceiling so that classified items can be tried too.
DEMO = override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        "items": SupervisionItem.objects.count(),
        "tasks": SupervisionTask.objects.count(),
        "reports": ProgressReport.objects.count(),
        "extensions": ExtensionRequest.objects.count(),
        "events": SupervisionEvent.objects.count(),
        "deadlines": Deadline.objects.count(),
        "notifications": Notification.objects.count(),
        "outgoing": OutgoingDocument.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _people() -> dict[str, Person]:
    return {p.user.username: p for p in Person.objects.select_related("user", "unit")}


@DEMO
def test_seed_demo_has_items_in_every_state_and_every_light_and_running_it_again_adds_nothing():
    """GIVEN an empty database in demo mode WHEN seed_demo runs twice THEN there are items in every
    state, tasks in every state, items and tasks under every light (some red), and the second run
    adds nothing."""
    _seed()
    first = _counts()
    _seed()

    assert _counts() == first
    assert set(SupervisionItem.objects.values_list("state", flat=True)) == set(ItemState.values)
    assert set(SupervisionTask.objects.values_list("state", flat=True)) == set(TaskState.values)
    director = _people()["director"].user
    item_lights = set(selectors.items_visible(user=director).values_list("light", flat=True))
    assert {Light.GREEN, Light.YELLOW, Light.RED, Light.NONE} <= item_lights
    task_lights = set(selectors.with_task_light(SupervisionTask.objects.all()).values_list("light", flat=True))
    assert set(Light.values) == task_lights
    assert selectors.items_visible(user=director, filters={"light": Light.RED}).count() >= 2


@DEMO
def test_demo_items_come_from_every_source_with_cadences_reports_returns_and_extensions():
    """GIVEN the demo office WHEN we read its items THEN every source but 其他 is there, the mayor's
    批示 列入督办 on an incoming document opened one linked to it, monthly and milestone cadences
    have reports, one task was returned once, one extension went along the whole chain and moved
    the Deadline, another waits for the mayor, one item was done on time and one late."""
    _seed()
    people = _people()

    assert set(SupervisionItem.objects.values_list("source", flat=True)) >= set(Source.values) - {Source.OTHER}
    document = IncomingDocument.objects.get(title="江东省人民政府办公厅关于做好2026年春季农业生产工作的通知")
    linked = SupervisionItem.objects.get(
        source_type=ContentType.objects.get_for_model(IncomingDocument), source_id=document.pk
    )
    assert linked.source == Source.DOCUMENT and linked.instructing_leader == people["director"]
    assert linked.tasks.get().lead_unit.code == "LJ-FGJ"
    for cadence in (Cadence.MONTHLY, Cadence.MILESTONE):
        assert ProgressReport.objects.filter(task__item__cadence=cadence, kind="progress").exists(), cadence
    assert ProgressReport.objects.filter(milestone__isnull=False).exists()

    returned = SupervisionTask.objects.get(returns=1)
    assert returned.state == TaskState.ASSIGNED and returned.due > timezone.localdate()
    assert returned.reports.filter(review=Review.RETURNED).exists()

    approved = ExtensionRequest.objects.get(state=ExtensionState.APPROVED)
    assert list(approved.decisions.values_list("step", flat=True)) == ["unit_head", "supervisor", "leader"]
    assert approved.task.due == approved.new_due > approved.due_before
    deadline = Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(SupervisionTask),
        object_id=approved.task.pk,
        state=DeadlineState.OPEN,
    )
    assert deadline.due_date == approved.new_due and deadline.events.filter(action="extend").exists()
    pending = ExtensionRequest.objects.get(state=ExtensionState.PENDING)
    assert pending.current_step == "leader" and pending.task.item.instructing_leader == people["director"]

    done = SupervisionItem.objects.filter(state=ItemState.DONE)
    assert set(done.values_list("done_on_time", flat=True)) == {True, False}
    assert DeadlineKind.objects.get(code="supervision").supervising_unit.code == "LJ-BGS-DC"


@DEMO
def test_every_open_task_has_its_deadline_and_the_figures_show_several_bureaus():
    """GIVEN the demo office WHEN we check the open tasks THEN each has an open 督查督办 Deadline due
    on its due date, overdue ones exist, and the figures and scores cover several lead bureaus."""
    _seed()
    today = timezone.localdate()
    task_type = ContentType.objects.get_for_model(SupervisionTask)

    for task in SupervisionTask.objects.filter(state=TaskState.ASSIGNED):
        deadline = Deadline.objects.get(
            content_type=task_type, object_id=task.pk, kind="supervision", state=DeadlineState.OPEN
        )
        assert deadline.due_date == task.due, task
    assert Deadline.objects.filter(content_type=task_type, state=DeadlineState.OPEN, due_date__lt=today).exists()

    director = _people()["director"].user
    start = today - timedelta(days=60)  # the demo's oldest task was assigned 40 days ago
    by_unit = selectors.figures(user=director, by="unit", start=start, end=today)
    assert len(by_unit) >= 4
    assert any(row.on_time for row in by_unit) and any(row.overdue for row in by_unit)
    scores = selectors.unit_scores(user=director, start=start, end=today)
    assert len({score.points for score in scores}) >= 3


@DEMO
def test_demo_logins_find_work_in_my_supervision():
    """GIVEN the demo office WHEN the 督查员, the mayor and the 商务局 staff open 我的督办 THEN the
    督查员 has an item to split and a final report to review, the mayor an extension to decide, and
    the staff tasks their unit leads."""
    _seed()
    people = _people()

    supervisor = selectors.my_tasks(user=people["supervisor"].user)
    assert supervisor["split"].exists() and supervisor["review"].exists()
    assert selectors.my_tasks(user=people["director"].user)["extensions"]
    staff = selectors.my_tasks(user=people["staff"].user)
    assert staff["lead"].filter(responsible_person=people["staff"]).exists()
    assert set(staff["lead"].values_list("light", flat=True)) >= {Light.YELLOW}


@DEMO
def test_the_demo_has_a_staff_report_waiting_for_its_head_and_red_items_to_chase():
    """GIVEN the demo office WHEN the 商务局 director opens 我的督办 THEN the staff member's 办结报告
    waits for his 审签 (not yet with the 督查员); the 督查员 sees red and yellow items of his own,
    one of them chased and instructed on by the 副市长."""
    _seed()
    people = _people()

    waiting = selectors.my_tasks(user=people["swj_director"].user)["signoff"]
    assert [task.responsible_person for task in waiting] == [people["staff"]]
    assert waiting[0].reports.get(kind="final").submitted_by == people["staff"]
    supervisor = selectors.my_tasks(user=people["supervisor"].user)
    assert not supervisor["review"].filter(pk=waiting[0].pk).exists()
    assert set(supervisor["lights"].values_list("light", flat=True)) == {Light.RED, Light.YELLOW}
    chased = SupervisionItem.objects.get(chases__isnull=False)
    assert chased.instructions.get().leader == people["vice_mayor"] and chased.pk in {
        item.pk for item in supervisor["lights"]
    }


@DEMO
def test_staff_without_clearance_sees_no_classified_item_and_bulletins_are_drafts():
    """GIVEN the demo office with a 秘密 and a 机密 item WHEN the 商务局 staff (内部 clearance, in the
    unit leading the 秘密 one) lists items THEN neither is there; the 机密 one is hidden from the
    秘密-cleared 督查员 too; the 通报 and the 督查专报 wait as outgoing drafts."""
    _seed()
    people = _people()
    classified = SupervisionItem.objects.filter(classification__gt=Level.INTERNAL)
    assert set(classified.values_list("classification", flat=True)) == {Level.CONFIDENTIAL, Level.SECRET}

    staff = selectors.items_visible(user=people["staff"].user)
    assert staff.exists()
    assert not staff.filter(classification__gt=Level.INTERNAL).exists()
    assert classified.filter(tasks__lead_unit__code="LJ-SWJ").exists()
    assert not selectors.items_visible(user=people["supervisor"].user).filter(classification=Level.SECRET).exists()
    assert selectors.items_visible(user=people["dc_chief"].user).filter(classification=Level.SECRET).exists()

    drafts = OutgoingDocument.objects.filter(drafter=people["supervisor"], state="draft")
    assert set(drafts.values_list("kind", flat=True)) == {"bulletin", "report"}


@override_settings(SHUNIU_DEMO=True)
def test_below_the_ceiling_the_demo_leaves_out_classified_items(settings):
    """GIVEN a deployment whose ceiling is below 秘密 WHEN the demo is seeded THEN the internal items
    are there and no classified one is (its requirement would be content above the ceiling)."""
    assert Level(settings.SHUNIU_CLASSIFICATION_CEILING) < Level.CONFIDENTIAL
    _seed()

    assert SupervisionItem.objects.count() >= 10
    assert not SupervisionItem.objects.filter(classification__gt=Level.INTERNAL).exists()


@pytest.mark.parametrize("moment", ["2026-02-22 10:00 +0800", "2026-10-06 10:00 +0800", "2027-01-04 09:00 +0800"])
@DEMO
def test_the_demo_has_red_yellow_and_green_items_whatever_day_it_is_loaded(moment):
    """GIVEN the demo loaded at the end of the 2026 Spring Festival holiday, inside the National Day
    holiday, or on the first working day of a year WHEN the director opens the ledger THEN items
    under every light are there (due dates are counted from that day, past rest days)."""
    with time_machine.travel(moment, tick=True):
        _seed()
        director = _people()["director"].user
        lights = set(selectors.items_visible(user=director).values_list("light", flat=True))

    assert {Light.GREEN, Light.YELLOW, Light.RED} <= lights
