"""催办 and 领导批示 on an item, by service, page and API; red and yellow items in the 督查员's 我的督办.

The city and its people come from ``conftest.py``; the clock stands on Monday 2 March 2026."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.confidentiality.levels import Level
from office.org.models import Role
from office.reminders.models import Notification
from office.workflow import TransitionNotAllowed
from supervision import services
from supervision.models import Chase, Instruction, SupervisionEvent
from tests.factories import make_person
from tests.supervision.api_helpers import as_, assert_forbidden, assert_invalid, post, snapshot, url
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

SECRET = {"level": Level.SECRET, "basis": "保密事项范围第2项", "term_unit": "years", "term_amount": 10}


def item_url(item) -> str:
    return f"/supervision/{item.pk}/"


def notices(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person.user).order_by("id").values_list("verb", flat=True))


def actions(item) -> list[str]:
    return list(SupervisionEvent.objects.filter(item=item).order_by("id").values_list("action", flat=True))


# --- 催办 --------------------------------------------------------------------------------------------


def test_a_chase_is_recorded_and_reaches_the_lead_unit_head(city, item):
    """GIVEN an item in hand led by 发改委 WHEN the 督查员 chases it THEN the 催办 is on the item and
    in its 流转记录, and 钱主任 (the lead unit's head) reads the text; the assisting unit is not told."""
    chase = services.item_chase(actor=city.supervisor.user, item=item, text="请于3日内报送进展。")

    assert (chase.text, chase.by, chase.sent_to) == ("请于3日内报送进展。", city.supervisor, "钱主任")
    assert actions(item)[-1] == "催办"
    assert notices(city.ndrc_head)[-1] == f"督查员催办：{item.title}。请于3日内报送进展。"
    assert not any("催办" in verb for verb in notices(city.finance_head))


def test_a_chase_of_a_classified_item_carries_neither_title_nor_text(city, open_item, split, settings, today):
    """GIVEN a 机密 item WHEN it is chased THEN the head's notice names no title and no text: he
    reads them on the item's page."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    secret = open_item(
        title="水库调度预案", level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10
    )
    split(secret, due=date(2026, 4, 30), assisting_units=[])
    services.item_chase(actor=city.supervisor.user, item=secret, text="调度数据请于周五前报送")

    verb = notices(city.ndrc_head)[-1]
    assert "水库" not in verb and "调度数据" not in verb and "请登录系统查看" in verb


@pytest.mark.parametrize("who", ["ndrc_head", "leader", "chief", "low"])
def test_only_a_supervisor_chases(city, item, who):
    before = snapshot(item)
    with pytest.raises(PermissionDenied):
        services.item_chase(actor=getattr(city, who).user, item=item, text="请尽快办理")
    assert snapshot(item) == before and not Chase.objects.exists()


def test_nothing_to_chase_before_the_split_or_once_reported(city, open_item, item, finish):
    with pytest.raises(TransitionNotAllowed):
        services.item_chase(actor=city.supervisor.user, item=open_item(title="未分解事项"), text="请办理")
    finish(item.tasks.get())
    with pytest.raises(TransitionNotAllowed):
        services.item_chase(actor=city.supervisor.user, item=item, text="请办理")
    assert not Chase.objects.exists()


def test_a_chase_needs_its_text(city, item):
    with pytest.raises(ValidationError) as refused:
        services.item_chase(actor=city.supervisor.user, item=item, text="   ")
    assert "请填写催办内容" in str(refused.value) and not Chase.objects.exists()


def test_a_task_waiting_for_its_signoff_is_still_chased(city, item):
    """A 科员's report waiting for 审签 is still owed by the unit: the 催办 reaches its head."""
    services.task_report(actor=city.ndrc_staff.user, task=item.tasks.get(), text="已完成", final=True)
    services.item_chase(actor=city.supervisor.user, item=item, text="请尽快审签")
    assert notices(city.ndrc_head)[-1].endswith("请尽快审签")


# --- 领导批示 ------------------------------------------------------------------------------------------


def test_a_leader_s_instruction_is_recorded_and_told_to_the_supervisor(city, item):
    instruction = services.item_instruct(actor=city.leader.user, item=item, text="务必按期完成，确保质量。")

    assert (instruction.leader, instruction.text) == (city.leader, "务必按期完成，确保质量。")
    assert actions(item)[-1] == "领导批示"
    assert notices(city.supervisor)[-1] == f"李市长批示：{item.title}。务必按期完成，确保质量。"


def test_another_leader_inside_the_scope_may_instruct_one_outside_may_not(city, item, open_item, settings, today):
    """GIVEN a 内部 item (open to the organ) and a 机密 one WHEN a 副市长 not named on them instructs
    THEN the 内部 one takes it, the 机密 one (outside his clearance) refuses; a leader of another
    city's government is refused too."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    vice = make_person(username="sv-vice", name="孙副市长", unit=city.organ, roles=(Role.LEADER,))
    other = make_person(username="sv-other-leader", name="周市长", unit=city.outsider.unit, roles=(Role.LEADER,))
    secret = open_item(
        title="机密事项", level=Level.SECRET, basis="保密事项范围第2项", term_unit="years", term_amount=10
    )

    services.item_instruct(actor=vice.user, item=item, text="同意")
    for leader, record in ((vice, secret), (other, item)):
        with pytest.raises(PermissionDenied):
            services.item_instruct(actor=leader.user, item=record, text="同意")
    with pytest.raises(PermissionDenied):
        services.item_instruct(actor=city.ndrc_head.user, item=item, text="同意")  # no leader
    assert Instruction.objects.count() == 1


def test_an_instruction_on_a_done_item_but_not_a_cancelled_one(city, item, open_item, finish):
    finish(item.tasks.get())
    services.item_instruct(actor=city.leader.user, item=item, text="办得好")
    cancelled = open_item(title="已撤销事项")
    services.item_cancel(actor=city.supervisor.user, item=cancelled, reason="不再督办")
    with pytest.raises(TransitionNotAllowed):
        services.item_instruct(actor=city.leader.user, item=cancelled, text="同意")


# --- Pages ------------------------------------------------------------------------------------------


def test_chase_and_instruction_through_the_page(client, city, item):
    """GIVEN an item in hand WHEN the 督查员 chases and the leader instructs from the item's page THEN
    both are shown on the page and in its 流转记录."""
    client.force_login(city.supervisor.user)
    assert 'data-testid="action-chase"' in client.get(item_url(item)).content.decode()
    response = client.post(f"{item_url(item)}chase/", {"chase-text": "请报送进展"}, follow=True)
    assert "已催办：钱主任。" in response.content.decode()

    client.force_login(city.leader.user)
    page = client.get(item_url(item)).content.decode()
    assert 'data-testid="action-instruct"' in page and 'data-testid="action-chase"' not in page
    client.post(f"{item_url(item)}instruct/", {"instruct-text": "抓紧办理"})
    page = client.get(item_url(item)).content.decode()
    assert page.count('data-testid="chase"') == 1 and page.count('data-testid="instruction"') == 1
    assert "请报送进展" in page and "抓紧办理" in page and "领导批示" in page


def test_a_page_chase_without_text_is_a_400_and_stores_nothing(client, city, item):
    client.force_login(city.supervisor.user)
    response = client.post(f"{item_url(item)}chase/", {"chase-text": ""})
    assert response.status_code == 400 and not Chase.objects.exists()


def test_a_chase_refused_to_the_lead_unit_on_the_page(client, city, item):
    client.force_login(city.ndrc_head.user)
    assert client.post(f"{item_url(item)}chase/", {"chase-text": "x"}).status_code == 403
    assert not Chase.objects.exists()


def test_an_outsider_gets_nothing(client, city, item):
    """GIVEN 郑科员 of another city WHEN he opens, chases or instructs the item THEN each is a 404,
    nothing is stored and he is told nothing."""
    services.item_chase(actor=city.supervisor.user, item=item, text="请报送进展")
    client.force_login(city.outsider.user)
    assert client.get(item_url(item)).status_code == 404
    assert client.post(f"{item_url(item)}chase/", {"chase-text": "x"}).status_code == 404
    assert client.post(f"{item_url(item)}instruct/", {"instruct-text": "x"}).status_code == 404
    assert post(city.outsider, url(item, "chase"), {"text": "x"}).status_code == 404
    assert Chase.objects.count() == 1 and not Instruction.objects.exists()
    assert notices(city.outsider) == []
    assert item.title not in client.get("/supervision/mine/").content.decode()


# --- API --------------------------------------------------------------------------------------------


def test_chase_and_instruct_through_the_api(city, item):
    chased = post(city.supervisor, url(item, "chase"), {"text": "请报送进展"})
    assert chased.status_code == 201 and chased.json()["chases"][0]["sent_to"] == "钱主任"
    instructed = post(city.leader, url(item, "instruct"), {"text": "抓紧办理"})
    assert instructed.status_code == 201
    assert [(i["leader_name"], i["text"]) for i in instructed.json()["instructions"]] == [("李市长", "抓紧办理")]
    assert_forbidden(post(city.ndrc_head, url(item, "chase"), {"text": "x"}))
    assert_forbidden(post(city.ndrc_head, url(item, "instruct"), {"text": "x"}))
    assert_invalid(post(city.supervisor, url(item, "chase"), {}), "text")
    assert_invalid(post(city.supervisor, url(item, "chase"), {"text": "x", "extra": 1}))


# --- 我的督办: red and yellow items -----------------------------------------------------------------------


def test_red_and_yellow_items_have_their_own_section_for_the_supervisor(client, city, open_item, split, today):
    """GIVEN three items in hand, one overdue, one due within 3 working days, one due in April WHEN
    the 督查员 opens 我的督办 THEN the red and the yellow ones are in their section, red first; the
    lead unit's head has no such section."""
    red, yellow, green = (open_item(title=title) for title in ("修缮危桥", "清理河道", "建设公园"))
    split(red, due=date(2026, 3, 4))
    split(yellow, due=date(2026, 3, 12))
    split(green, due=date(2026, 4, 30))
    on(today, date(2026, 3, 9))

    client.force_login(city.supervisor.user)
    page = client.get("/supervision/mine/").content.decode()
    section = page.split('data-testid="mine-lights"')[1].split("</section>")[0]
    assert "修缮危桥" in section and "清理河道" in section and "建设公园" not in section
    assert section.index("修缮危桥") < section.index("清理河道")
    lights = as_(city.supervisor).get("/api/v1/supervision/items/mine/").json()["lights"]
    assert [row["title"] for row in lights["results"]] == ["修缮危桥", "清理河道"]
    client.force_login(city.ndrc_head.user)
    assert 'data-testid="mine-lights"' not in client.get("/supervision/mine/").content.decode()
