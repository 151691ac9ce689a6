"""参会 logistics on the pages: the meeting page's 会务安排 section (待审批的请假 with 同意/不同意, 分组讨论
with their members, 交通食宿 and 报到 columns for a meeting of more than a day, the 报到 button), the
printable 座次图 and 参会证 list (and its .xlsx, never a 绝密 meeting's) for the 会务员 and the chair: a
meeting out of sight is a 404, in sight but not his a 403 with a Chinese message."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from meetings.models import Attendee, AttendeeRole, DiscussionGroup, Meeting, MeetingState, Reply
from office.confidentiality.levels import Level
from office.org.models import Role
from tests.factories import make_person

pytestmark = pytest.mark.django_db

LIST = "/meetings/"


def html(response) -> str:
    return response.content.decode()


def logistics_of(page: str) -> str:
    start = page.index('data-testid="logistics"')
    return page[start : page.index("</section>", start)]


def as_user(client, person):
    client.force_login(person.user)
    return client


def row(meeting, person) -> Attendee:
    return Attendee.objects.get(meeting=meeting, person=person)


@pytest.fixture
def meeting(meeting_city, make_meeting, today) -> Meeting:
    """已通知, two days from next Monday, 钱主任 (请假 waiting), 周局长 and 李市长 出席, 孙科员 列席."""
    mc = meeting_city
    starts = timezone.now() + timedelta(days=7)
    meeting = make_meeting(
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=3),
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head, mc.finance_head, mc.vice_mayor],
    )
    Attendee.objects.create(meeting=meeting, person=mc.ndrc_staff, role=AttendeeRole.SIT_IN)
    Attendee.objects.filter(meeting=meeting, person=mc.ndrc_head).update(reply=Reply.LEAVE, reason="赴省里开会")
    Attendee.objects.filter(meeting=meeting, person=mc.vice_mayor).update(precedence=1)
    Attendee.objects.filter(meeting=meeting, person=mc.finance_head).update(precedence=2)
    group = DiscussionGroup.objects.create(meeting=meeting, name="第一组", place="301室", convener=mc.finance_head)
    Attendee.objects.filter(meeting=meeting, person__in=[mc.finance_head, mc.ndrc_staff]).update(group=group)
    return meeting


def test_the_officer_sees_the_section_with_leave_groups_lodging_and_registration(client, meeting_city, meeting, today):
    mc = meeting_city
    page = html(as_user(client, mc.officer).get(f"{LIST}{meeting.pk}/"))
    section = logistics_of(page)
    assert 'data-testid="pending-leave"' in section and "赴省里开会" in section
    assert 'data-testid="leave-approve"' in section and 'data-testid="leave-refuse"' in section
    group = section[section.index('data-testid="group"') :]
    assert "第一组" in group and "301室" in group and "召集人：周局长" in group
    members = re.search(r'data-testid="group-members">(.*?)</div>', group, re.S).group(1)
    assert "周局长" in members and "孙科员" in members and "李市长" not in members
    assert "报到日期" in section and "住宿" in section  # more than one day
    assert section.count('data-testid="register-button"') == 4
    assert 'data-testid="seating-link"' in section and 'data-testid="badges-link"' in section
    assert 'data-testid="group-add"' in section
    assert 'data-testid="action-arrange"' in page and 'data-testid="action-register"' in page


def test_an_attendee_sees_the_groups_but_no_buttons(client, meeting_city, meeting, today):
    mc = meeting_city
    page = html(as_user(client, mc.finance_head).get(f"{LIST}{meeting.pk}/"))
    section = logistics_of(page)
    assert "第一组" in section and "待主持人或会务员审批" in section
    for absent in ("leave-approve", "register-button", "seating-link", "group-add", "group-remove"):
        assert f'data-testid="{absent}"' not in section, absent


def test_a_one_day_meeting_has_no_lodging_columns(client, meeting_city, make_meeting, today):
    mc = meeting_city
    meeting = make_meeting(attendees=[mc.ndrc_head])  # 筹备中, one morning
    section = logistics_of(html(as_user(client, mc.officer).get(f"{LIST}{meeting.pk}/")))
    assert "报到日期" not in section and 'data-testid="lodging"' not in section


def test_the_chair_approves_and_the_officer_refuses_with_a_reason(client, meeting_city, meeting, today):
    mc = meeting_city
    leave = row(meeting, mc.ndrc_head)
    address = f"{LIST}{meeting.pk}/decide_leave/"
    as_user(client, mc.officer)
    answer = client.post(address, {"attendee": leave.pk, "approve": "0", "note": ""})
    assert answer.status_code == 400 and "请写明不同意请假的理由" in html(answer)
    assert row(meeting, mc.ndrc_head).leave_approved is None
    as_user(client, mc.mayor)
    answer = client.post(address, {"attendee": leave.pk, "approve": "1"})
    assert answer.status_code == 302
    assert row(meeting, mc.ndrc_head).leave_approved is True
    assert 'data-testid="pending-leave"' not in html(client.get(f"{LIST}{meeting.pk}/"))


def test_register_from_the_row_then_a_second_time_is_a_409(client, meeting_city, meeting, today):
    mc = meeting_city
    as_user(client, mc.officer)
    address = f"{LIST}{meeting.pk}/register/"
    attendee = row(meeting, mc.finance_head)
    assert client.post(address, {"attendee": attendee.pk}).status_code == 302
    assert row(meeting, mc.finance_head).registered_at == timezone.now()
    page = html(client.get(f"{LIST}{meeting.pk}/"))
    registered = re.search(rf'data-attendee="{attendee.pk}" data-registered="1"', page)
    assert registered is not None
    # The 报到 form no longer offers him; the service refuses a second stamp all the same.
    from meetings import services
    from office.workflow import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        services.attendee_register(actor=mc.officer.user, meeting=meeting, attendee=attendee)
    assert client.post(address, {"attendee": attendee.pk}).status_code == 400  # not among the choices
    other = row(meeting, mc.ndrc_staff)
    assert as_user(client, mc.finance_head).post(address, {"attendee": other.pk}).status_code == 403
    assert as_user(client, mc.outsider).post(address, {"attendee": other.pk}).status_code == 404
    assert row(meeting, mc.ndrc_staff).registered_at is None


def test_groups_are_set_up_and_removed_from_the_section(client, meeting_city, meeting, today):
    mc = meeting_city
    as_user(client, mc.officer)
    answer = client.post(f"{LIST}{meeting.pk}/groups/add/", {"name": "第二组", "place": "302室"})
    assert answer.status_code == 302
    assert meeting.groups.filter(name="第二组", place="302室").exists()
    answer = client.post(f"{LIST}{meeting.pk}/groups/add/", {"name": "第二组"})
    assert answer.status_code == 400 and "本次会议已有“第二组”" in html(answer)
    first = meeting.groups.get(name="第一组")
    assert client.post(f"{LIST}{meeting.pk}/groups/remove/", {"group": first.pk}).status_code == 302
    assert not meeting.groups.filter(name="第一组").exists()
    assert row(meeting, mc.finance_head).group is None
    as_user(client, mc.finance_head)
    assert client.post(f"{LIST}{meeting.pk}/groups/add/", {"name": "第三组"}).status_code == 403
    as_user(client, mc.outsider)
    assert client.post(f"{LIST}{meeting.pk}/groups/add/", {"name": "第三组"}).status_code == 404
    assert not meeting.groups.filter(name="第三组").exists()


def test_the_seating_chart_puts_the_podium_in_rank_order(client, meeting_city, meeting, today):
    mc = meeting_city
    page = html(as_user(client, mc.officer).get(f"{LIST}{meeting.pk}/seating/"))
    podium = re.findall(r'data-testid="podium-seat" data-rank="(\d+)"', page)
    # 李市长 (1), 周局长 (2), 钱主任 (100, his leave still waits): from the hall 3 1 2.
    assert podium == ["3", "1", "2"]
    names = re.findall(r'class="seat-name">([^<]+)<', page)
    assert names[:3] == ["钱主任", "李市长", "周局长"] and names[3] == "孙科员"
    assert 'data-testid="sit-in-seat"' in page and "logistics.css" in page
    Attendee.objects.filter(meeting=meeting, person=mc.ndrc_head).update(leave_approved=True)
    page = html(client.get(f"{LIST}{meeting.pk}/seating/"))
    assert re.findall(r'data-testid="podium-seat" data-rank="(\d+)"', page) == ["2", "1"]
    assert as_user(client, mc.mayor).get(f"{LIST}{meeting.pk}/seating/").status_code == 200  # the chair


def test_the_printable_pages_are_the_officers_and_the_chairs(client, meeting_city, meeting, today):
    mc = meeting_city
    for address in (
        f"{LIST}{meeting.pk}/seating/",
        f"{LIST}{meeting.pk}/badges/",
        f"{LIST}{meeting.pk}/badges/?format=xlsx",
    ):
        answer = as_user(client, mc.finance_head).get(address)  # invited: sees the meeting
        assert answer.status_code == 403 and "只向本次会议的会务员和主持人提供" in html(answer), address
        assert as_user(client, mc.outsider).get(address).status_code == 404, address
        assert as_user(client, mc.low).get(address).status_code == 403, address  # sees it, not his


def test_the_badge_list_on_screen_and_as_xlsx(client, meeting_city, meeting, today):
    mc = meeting_city
    as_user(client, mc.officer)
    page = html(client.get(f"{LIST}{meeting.pk}/badges/"))
    assert page.count('data-testid="badge"') == 4 and 'data-testid="badges-xlsx"' in page
    answer = client.get(f"{LIST}{meeting.pk}/badges/?format=xlsx")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(BytesIO(answer.content)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert values[0] == ["证号", "姓名", "单位", "职务", "身份", "讨论组", "座次", "备注"]
    assert [r[:2] for r in values[1:]] == [["001", "李市长"], ["002", "周局长"], ["003", "钱主任"], ["004", "孙科员"]]
    assert values[2][4:7] == ["出席", "第一组", "主席台左起第3座"]
    assert values[4][4:7] == ["列席", "第一组", "列席第1排左起第1座"]


def test_a_top_secret_meetings_badges_stay_on_screen(client, meeting_city, make_meeting, today):
    mc = meeting_city
    keeper = make_person(
        username="mt-ts",
        name="严会务",
        unit=mc.services_unit,
        roles=(Role.MEETING_OFFICER,),
        clearance=Level.TOP_SECRET,
    )
    meeting = make_meeting(classification=Level.TOP_SECRET, organizer=keeper, room=mc.secure_room)
    Attendee.objects.create(meeting=meeting, person=keeper, role=AttendeeRole.STAFF)
    as_user(client, keeper)
    page = client.get(f"{LIST}{meeting.pk}/badges/")
    assert page.status_code == 200 and 'data-testid="badges-screen-only"' in html(page)
    assert 'data-testid="badges-xlsx"' not in html(page)
    answer = client.get(f"{LIST}{meeting.pk}/badges/?format=xlsx")
    assert answer.status_code == 403 and "只能在屏幕上查看" in html(answer)


def test_the_arrange_step_changes_only_the_fields_filled_in(client, meeting_city, meeting, today):
    mc = meeting_city
    attendee = row(meeting, mc.finance_head)
    as_user(client, mc.officer)
    address = f"{LIST}{meeting.pk}/arrange/"
    form = {"attendee": attendee.pk, "precedence": "", "group": "", "arrives_on": "", "transport": "", "lodging": ""}
    day = timezone.localdate(meeting.starts_at)
    answer = client.post(address, {**form, "precedence": "3", "lodging": "市政府招待所", "arrives_on": str(day)})
    assert answer.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.precedence, attendee.lodging, attendee.arrives_on) == (3, "市政府招待所", day)
    assert attendee.group is not None  # 第一组, left as it was
    assert client.post(address, {**form, "group": "none"}).status_code == 302
    attendee.refresh_from_db()
    assert attendee.group is None and attendee.lodging == "市政府招待所" and attendee.precedence == 3
    answer = client.post(address, {**form, "arrives_on": str(day - timedelta(days=5))})
    assert answer.status_code == 400 and "报到日期须在" in html(answer)
    answer = client.post(address, form)
    assert answer.status_code == 400 and "请填写要安排的" in html(answer)
    assert as_user(client, mc.finance_head).post(address, {**form, "precedence": "1"}).status_code == 403
    attendee.refresh_from_db()
    assert attendee.precedence == 3 and attendee.arrives_on == day
