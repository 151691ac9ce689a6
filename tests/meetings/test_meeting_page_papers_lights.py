"""The meeting page's 会议材料 and 议定事项, as 周会务 (会务员) reads them: a 发言材料 报送 from the page with
its 字数 and 发言时间, shown with them and whether it passed 审核; each 议定事项 with its 督办 item's light as
the 督办台账 shows it (红灯 overdue, 黄灯 due within 3 working days, 绿灯, 已结束) — an item the reader may
not see shows only "已立项督办", no light and no link. Someone outside gets a 404 and nothing stored."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from meetings.models import Decision, Material, MaterialKind
from supervision.models import ItemState, SupervisionItem
from supervision.selectors import with_item_light
from tests.supervision.conftest import on
from tests.supervision.conftest import open_item as open_item  # a fixture used here

pytestmark = pytest.mark.django_db

LIST = "/meetings/"


def rows(page: str, testid: str) -> list[str]:
    """The HTML of each ``<li data-testid=…>`` of the page, in order."""
    return re.findall(rf'<li[^>]*data-testid="{testid}".*?</li>', page, flags=re.S)


def test_a_speech_is_entered_on_the_page_and_shown_with_its_length_and_check(client, meeting_city, make_meeting, today):
    """GIVEN a meeting 筹备中 WHEN the 会务员 报送 a 发言材料 of 2800字, 8分钟 on the page THEN it is stored as a
    speech and the materials list shows 发言材料, 2800字, 发言8分钟 and 待审核 — 已审核 once checked; a bad
    字数 is refused on the form and stores nothing; 郑科员 of another city gets a 404."""
    c = meeting_city
    meeting = make_meeting()
    client.force_login(c.outsider.user)
    body = {"title": "发改委主任发言", "kind": "speech", "chars": "2800", "speaking_minutes": "8"}
    assert client.post(f"{LIST}{meeting.pk}/add_material/", body).status_code == 404
    assert not Material.objects.exists()

    client.force_login(c.officer.user)
    bad = client.post(f"{LIST}{meeting.pk}/add_material/", {**body, "chars": "-5"})
    assert bad.status_code == 400 and not Material.objects.exists()
    answer = client.post(f"{LIST}{meeting.pk}/add_material/", body)
    assert answer.status_code in (200, 302), answer.content.decode()[:500]
    speech = Material.objects.get(meeting=meeting)
    assert (speech.kind, speech.chars, speech.speaking_minutes) == (MaterialKind.SPEECH, 2800, 8)

    shown = rows(client.get(f"{LIST}{meeting.pk}/").content.decode(), "material")
    assert len(shown) == 1
    for part in ("发言材料", "2800字", "发言8分钟", "待审核"):
        assert part in shown[0], part
    Material.objects.filter(pk=speech.pk).update(checked=True, checked_by=c.officer)
    shown = rows(client.get(f"{LIST}{meeting.pk}/").content.decode(), "material")
    assert "已审核" in shown[0] and "待审核" not in shown[0]


def test_each_decision_shows_its_items_light_only_to_who_may_see_the_item(
    client, meeting_city, make_meeting, open_item, today
):
    """GIVEN a meeting's 议定事项 whose 督办 items are overdue, due within 3 working days, well in time and
    done WHEN, on Thursday 5 March, 周会务 reads the meeting THEN they show 红灯, 黄灯, 绿灯 and 已结束 with
    their links, as the 督办台账 computes them; 孙科员 of 发改委, invited but outside the items' 知悉范围,
    reads only "已立项督办", no light and no link."""
    c = meeting_city
    due = [date(2026, 3, 3), date(2026, 3, 9), date(2026, 4, 30), date(2026, 4, 30)]
    items = [open_item(title=f"督办事项{n}", due=day) for n, day in enumerate(due, start=1)]
    SupervisionItem.objects.filter(pk=items[3].pk).update(state=ItemState.DONE)
    meeting = make_meeting(attendees=[c.ndrc_staff])
    for number, item in enumerate(items, start=1):
        Decision.objects.create(
            meeting=meeting, number=number, text=f"议定事项{number}", lead_unit=c.ndrc, due=item.due, item=item
        )
    on(today, date(2026, 3, 5))
    ledger = with_item_light(SupervisionItem.objects.filter(pk__in=[i.pk for i in items]))
    assert dict(ledger.values_list("pk", "light")) == {
        items[0].pk: "red",
        items[1].pk: "yellow",
        items[2].pk: "green",
        items[3].pk: "none",
    }

    client.force_login(c.officer.user)
    shown = rows(client.get(f"{LIST}{meeting.pk}/").content.decode(), "decision")
    assert [re.findall(r'data-light="(\w+)"', row) for row in shown] == [["red"], ["yellow"], ["green"], ["none"]]
    for row, item in zip(shown, items, strict=True):
        assert f'href="{reverse("supervision:item_detail", args=[item.pk])}"' in row
    assert "红灯" in shown[0] and "黄灯" in shown[1] and "绿灯" in shown[2] and "已结束" in shown[3]

    assert not SupervisionItem.objects.visible_to(c.ndrc_staff.user).exists()
    client.force_login(c.ndrc_staff.user)
    shown = rows(client.get(f"{LIST}{meeting.pk}/").content.decode(), "decision")
    assert len(shown) == 4
    for row in shown:
        assert "已立项督办" in row and "data-light" not in row and "decision-item" not in row
