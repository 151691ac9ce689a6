"""A classified item's deadlines (task, assisting unit, milestone) keep its title from people outside
its reach: 我的期限 names them （涉密事项）, reminders travel without it."""

from datetime import date

import pytest
from django.test import Client

from office.confidentiality.levels import Level
from office.reminders import selectors as deadline_selectors
from office.reminders import services as reminders
from office.reminders.models import Deadline
from supervision.models import Milestone, TaskAssist
from tests.factories import make_person

SECRET_TITLE = "重点项目征地拆迁矛盾化解"


@pytest.fixture(autouse=True)
def classified_system(settings):
    """A deployment certified for classified content (the default ceiling keeps registers only)."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


def test_a_unit_deadline_of_a_classified_item_is_masked_for_a_member_below_its_level(city, open_item, split, today):
    """GIVEN a 秘密 item whose task 财政局 assists, and a 财政局 clerk with 内部 clearance
    WHEN the clerk opens 我的期限 (the assisting deadline is his unit's)
    THEN the deadline is listed as （涉密事项）, the title is nowhere on the page,
    and the 财政局 head (机密) sees the title."""
    item = open_item(title=SECRET_TITLE, level=Level.CONFIDENTIAL, basis="《国家秘密目录》第3项")
    split(item, due=date(2026, 4, 30), milestones=[("完成摸底", date(2026, 3, 31))])
    clerk = make_person(username="sv-finance-clerk", name="冯科员", unit=city.finance)

    mine = list(deadline_selectors.my_deadlines(user=clerk.user))
    assist_type = TaskAssist._meta.model_name
    assert [d.content_type.model for d in mine] == [assist_type]
    assert deadline_selectors.subject_labels(mine, user=clerk.user) == {mine[0].pk: deadline_selectors.masked_label()}
    client = Client()
    client.force_login(clerk.user)
    page = client.get("/reminders/").content.decode()
    assert SECRET_TITLE not in page and deadline_selectors.masked_label() in page

    head_view = deadline_selectors.my_deadlines(user=city.finance_head.user)
    labels = deadline_selectors.subject_labels(head_view, user=city.finance_head.user)
    assert any(SECRET_TITLE in label for label in labels.values())


def test_reminders_of_a_classified_milestone_never_carry_its_title(city, open_item, split, today):
    """GIVEN a 秘密 item with a milestone on 31 March
    WHEN the beat scan runs on the milestone's day and the reminder is sent
    THEN the responsible person's notification says 一项涉密事项, not the title."""
    item = open_item(title=SECRET_TITLE, level=Level.CONFIDENTIAL, basis="《国家秘密目录》第3项")
    split(item, due=date(2026, 4, 30), milestones=[("完成摸底", date(2026, 3, 31))])
    milestone = Deadline.objects.get(content_type__model=Milestone._meta.model_name)
    assert milestone.due_date == date(2026, 3, 31)

    today.move_to("2026-03-31 09:00 +0800")
    claimed = reminders.scan()
    for reminder_id in claimed:
        reminders.send(reminder_id)
    verbs = list(city.ndrc_head.user.notifications.values_list("verb", flat=True))
    assert verbs, "the responsible person was reminded"
    assert all(SECRET_TITLE not in verb for verb in verbs)
    assert any("一项涉密事项" in verb for verb in verbs)
