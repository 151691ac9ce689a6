"""The 督查督办 pages: the 督办台账 (filters, lights, counts, paging, the Excel link), 立项, an item's page
(tasks, reports, extension requests with their chain, the 流转记录, and the forms each person may use
now), 我的督办, and the figures with the 通报 draft — each action posted through the page.

The city, its people and the ``open_item`` / ``split`` helpers come from ``conftest.py``; the clock
stands on Monday 2 March 2026 (``today``)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.incoming import services as incoming
from documents.models import DocumentSeries, IncomingState, OutgoingDocument
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from supervision import services
from supervision.models import (
    ExtensionRequest,
    ExtensionState,
    ItemState,
    ProgressReport,
    ReportKind,
    SupervisionEvent,
    SupervisionItem,
    TaskState,
)
from supervision.views import pages as views
from tests.confidentiality.leaks import assert_pages_visible
from tests.documents.conftest import advance, bureau, office, receive  # noqa: F401  (收文 for the 批示 link)
from tests.factories import make_person

pytestmark = pytest.mark.django_db

LEDGER_URL = "/supervision/"
NEW_URL = "/supervision/new/"
MINE_URL = "/supervision/mine/"
FIGURES_URL = "/supervision/figures/"
BULLETIN_URL = "/supervision/figures/bulletin/"
EXPORT_URL = "/supervision/ledger.xlsx"
APRIL_30 = date(2026, 4, 30)


def item_url(item) -> str:
    return f"/supervision/{item.pk}/"


def action_url(item, action: str) -> str:
    return f"/supervision/{item.pk}/{action}/"


def task_url(task, action: str) -> str:
    return f"/supervision/{task.item_id}/tasks/{task.pk}/{action}/"


def page_of(response) -> str:
    return response.content.decode()


def rows(html: str) -> int:
    return html.count('data-testid="item-row"')


def actions_offered(html: str) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z-]+)"', html))


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def events(item) -> list[str]:
    return list(SupervisionEvent.objects.filter(item=item).order_by("id").values_list("action", flat=True))


def split_data(*tasks: dict) -> dict:
    data = {
        "split-TOTAL_FORMS": str(len(tasks)),
        "split-INITIAL_FORMS": "0",
        "split-MIN_NUM_FORMS": "1",
        "split-MAX_NUM_FORMS": "20",
    }
    for index, task in enumerate(tasks):
        data.update({f"split-{index}-{name}": value for name, value in task.items()})
    return data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def series(city):
    return DocumentSeries.objects.create(
        organ=city.office, office=city.office, code="测府办发", issuer_name="测试市人民政府办公室文件"
    )


@pytest.fixture
def in_hand(city, open_item, split, today):
    """An item split to 发改委 (主办) with 财政局 assisting, due 30 April, one milestone on 20 March."""
    item = open_item()
    [task] = split(item, due=APRIL_30, milestones=[("完成方案", date(2026, 3, 20))])
    return item, task


# --- The ledger ----------------------------------------------------------------------------------------


def test_the_ledger_shows_each_item_with_its_light_in_words_and_the_counts(client, city, open_item, split, today):
    """GIVEN on Monday 9 March an item due on Wednesday (yellow), one split and on track (green) and one past due (red)
    WHEN the 督查员 opens the ledger THEN each row has its light with words, the counts on top say
    1 red, 1 yellow, 1 green, and 立项 is offered."""
    yellow = open_item(title="修订应急预案", due=date(2026, 3, 11))
    green = open_item(title="建设口袋公园")
    split(green, due=APRIL_30)
    red = open_item(title="清理拖欠账款", due=date(2026, 3, 5))
    split(red, due=date(2026, 3, 5))
    today.move_to("2026-03-09 10:00 +0800")
    client.force_login(city.supervisor.user)

    listing = page_of(client.get(LEDGER_URL))

    assert rows(listing) == 3
    for item, light, words in ((yellow, "yellow", "黄灯"), (green, "green", "绿灯"), (red, "red", "红灯")):
        row = next(r for r in listing.split('data-testid="item-row"')[1:] if item.title in r)
        assert f'data-light="{light}"' in row and words in row and item.number in row
    counts = listing.split('data-testid="light-counts"')[1].split("</div>")[0]
    assert re.findall(r'data-testid="count">(\d+)<', counts) == ["1", "1", "1"]
    assert 'data-testid="new-item"' in listing
    assert "发改委" in listing or city.ndrc.name in listing


def test_the_ledger_filters_by_light_unit_source_state_and_text(client, city, open_item, split, today):
    """GIVEN items led by 发改委 and 财政局, one still to split WHEN the ledger is filtered THEN only
    the matching rows are listed, and the export link carries the same filters."""
    ndrc = open_item(title="推进老旧小区改造")
    split(ndrc, due=APRIL_30)
    finance = open_item(title="盘活闲置国有资产", source="superior")
    split(finance, lead_unit=city.finance, assisting_units=[], due=APRIL_30)
    waiting = open_item(title="整治背街小巷")
    client.force_login(city.supervisor.user)

    def listed(**query) -> set[str]:
        html = page_of(client.get(LEDGER_URL, query))
        return {item.title for item in (ndrc, finance, waiting) if item.title in html.split('data-testid="items"')[1]}

    assert listed(lead_unit=city.finance.pk) == {finance.title}
    assert listed(source="superior") == {finance.title}
    assert listed(state=ItemState.OPENED) == {waiting.title}
    assert listed(q="盘活闲置") == {finance.title}
    assert listed(light="green") == {ndrc.title, finance.title, waiting.title}
    assert listed(light="red") == set()
    html = page_of(client.get(LEDGER_URL, {"source": "superior"}))
    assert f'href="{EXPORT_URL}?source=superior"' in html


def test_the_ledger_pages_fifty_at_a_time(client, city, open_item, today, monkeypatch):
    """GIVEN more items than a page holds WHEN the ledger is opened THEN it pages."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        open_item(title=f"第{n}项督办事项")
    client.force_login(city.supervisor.user)

    first, second = page_of(client.get(LEDGER_URL)), page_of(client.get(LEDGER_URL, {"page": 2}))

    assert rows(first) == 2 and rows(second) == 1 and 'data-testid="pagination"' in first


def test_the_ledger_exports_the_filtered_items_with_an_audit_event(client, city, open_item, today):
    """GIVEN items WHEN the 督查员 follows 导出Excel THEN an .xlsx comes back and the export is logged."""
    open_item()
    client.force_login(city.supervisor.user)

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content[:2] == b"PK"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["what"] == "supervision_ledger" and event.detail["rows"] == 1


# --- 立项 ------------------------------------------------------------------------------------------------


def test_the_open_form_opens_an_item_and_splits_its_first_task(client, city, today):
    """GIVEN the 督查员 WHEN she fills the 立项 form with 发改委 as lead unit THEN the item is opened,
    already split, and she lands on its page with the message."""
    client.force_login(city.supervisor.user)
    assert client.get(NEW_URL).status_code == 200

    response = client.post(
        NEW_URL,
        {
            "title": "推进老旧小区改造",
            "requirement": "年内完成12个小区改造并通过验收。",
            "source": "instruction",
            "source_text": "李市长在《专报》上的批示",
            "instructing_leader": city.leader.pk,
            "priority": "normal",
            "cadence": "monthly",
            "due": "2026-04-30",
            "classification": Level.INTERNAL.value,
            "task-lead_unit": city.ndrc.pk,
            "task-assisting_units": [city.finance.pk],
            "task-milestones": "2026-03-20 完成方案",
        },
        follow=True,
    )

    item = SupervisionItem.objects.get()
    assert response.redirect_chain[-1][0] == item_url(item)
    assert "已立项" in page_of(response) and item.number in page_of(response)
    assert item.state == ItemState.ASSIGNED and item.instructing_leader == city.leader
    [task] = item.tasks.all()
    assert (task.lead_unit, task.due, task.milestones.get().title) == (city.ndrc, APRIL_30, "完成方案")


def test_the_open_form_without_a_task_leaves_the_item_to_split(client, city, today):
    """GIVEN the office chief WHEN he opens an item naming no unit THEN it waits to be split."""
    client.force_login(city.chief.user)

    client.post(
        NEW_URL,
        {
            "title": "整治背街小巷",
            "requirement": "6月底前完成整治。",
            "source": "meeting",
            "priority": "normal",
            "cadence": "quarterly",
            "classification": Level.INTERNAL.value,
        },
    )

    item = SupervisionItem.objects.get()
    assert item.state == ItemState.OPENED and item.tasks.count() == 0 and item.supervisor == city.supervisor


def test_the_open_form_is_for_openers_and_refuses_bad_input_storing_nothing(client, city, today):
    """GIVEN unit staff, then the 督查员 WHEN staff open the form, or the 督查员 posts it without a
    requirement, with a past due date, or with the lead unit also assisting THEN 403 / the form again
    with the message, and no item exists."""
    client.force_login(city.ndrc_staff.user)
    assert client.get(NEW_URL).status_code == 403
    client.force_login(city.supervisor.user)
    base = {
        "title": "推进老旧小区改造",
        "requirement": "年内完成。",
        "source": "instruction",
        "priority": "normal",
        "cadence": "monthly",
        "classification": Level.INTERNAL.value,
    }

    no_requirement = client.post(NEW_URL, {**base, "requirement": ""})
    past = client.post(NEW_URL, {**base, "due": "2026-03-01"})
    same_unit = client.post(NEW_URL, {**base, "task-lead_unit": city.ndrc.pk, "task-assisting_units": [city.ndrc.pk]})
    bad_milestone = client.post(NEW_URL, {**base, "task-lead_unit": city.ndrc.pk, "task-milestones": "下周 完成"})

    assert no_requirement.status_code == 400 and "该字段是必填项" in page_of(no_requirement)
    assert past.status_code == 400 and "办结时限应晚于今天" in page_of(past)
    assert same_unit.status_code == 400 and "主办单位不能同时为协办单位" in page_of(same_unit)
    assert bad_milestone.status_code == 400 and "请按“日期 节点内容”填写" in page_of(bad_milestone)
    assert not SupervisionItem.objects.exists()


# --- An item's page ------------------------------------------------------------------------------------


def test_the_item_page_shows_header_tasks_milestones_and_timeline(client, city, in_hand):
    """GIVEN a split item WHEN the leader opens it THEN the number, source, leader, 督查员, due, light,
    mark, the task with its units, responsible person, deadline badge and milestone, and the
    流转记录 are there."""
    item, _task = in_hand
    client.force_login(city.leader.user)

    page = page_of(client.get(item_url(item)))

    # The item is due with its task (30 April), not on its own 15-day default.
    for text in (item.number, "领导批示", "李市长", "王督查", "2026年4月30日", "绿灯", "内部"):
        assert text in page, text
    assert city.ndrc.name in page and city.finance.name in page and "钱主任" in page
    assert 'data-testid="deadline-badge"' in page and "完成方案" in page
    assert page.count('data-testid="event"') == 2 and "立项" in page and "分解交办" in page


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("supervisor", {"split", "chase", "cancel", "draft-report"}),
        ("supervisor2", {"split", "chase", "cancel", "draft-report"}),
        ("leader", {"split", "instruct", "cancel"}),
        ("ndrc_head", {"progress", "final", "extension"}),
        ("ndrc_staff", {"progress", "final", "extension"}),
        ("finance_head", {"input"}),
        ("low", set()),
    ],
)
def test_each_form_is_offered_only_to_the_right_person(client, city, in_hand, series, who, offered):
    """GIVEN an item in hand WHEN each person opens it THEN exactly their forms are on the page."""
    item, _task = in_hand
    client.force_login(getattr(city, who).user)

    page = page_of(client.get(item_url(item)))

    assert actions_offered(page) == offered


def test_split_into_two_tasks_from_the_page(client, city, open_item, today):
    """GIVEN an item to split WHEN the 督查员 asks for one more row, then posts two tasks THEN the
    extra row comes back with nothing stored, and then both tasks are assigned."""
    item = open_item()
    client.force_login(city.supervisor.user)
    first = {"lead_unit": city.ndrc.pk, "assisting_units": [city.finance.pk], "due": "2026-04-30"}

    more = client.post(action_url(item, "split"), {**split_data(first), "add_task": "1"})
    assert more.status_code == 200 and page_of(more).count('data-testid="split-task"') == 2
    assert not item.tasks.exists()

    response = client.post(
        action_url(item, "split"),
        split_data(first, {"lead_unit": city.finance.pk, "title": "落实改造资金", "milestones": "2026-03-10 资金到位"}),
        follow=True,
    )

    assert "已分解交办2项任务" in page_of(response)
    assert list(item.tasks.values_list("lead_unit__name", "title")) == [
        (city.ndrc.name, item.title),
        (city.finance.name, "落实改造资金"),
    ]
    assert fresh(item).state == ItemState.ASSIGNED


def test_a_bad_split_comes_back_with_the_error_and_stores_nothing(client, city, open_item, today):
    """GIVEN an item to split WHEN the 督查员 posts no lead unit, or a task due in the past, THEN the
    form comes back (400) with the reason and no task exists."""
    item = open_item()
    client.force_login(city.supervisor.user)

    empty = client.post(action_url(item, "split"), split_data({"due": "2026-04-30"}))
    past = client.post(action_url(item, "split"), split_data({"lead_unit": city.ndrc.pk, "due": "2026-03-02"}))

    assert empty.status_code == 400 and "该字段是必填项" in page_of(empty)
    assert past.status_code == 400 and "第1项任务：办结时限应晚于今天" in page_of(past)
    assert not item.tasks.exists() and fresh(item).state == ItemState.OPENED


def test_input_progress_final_and_accept_from_the_pages(client, city, in_hand):
    """GIVEN a task in hand WHEN 财政局 sends its input, 发改委 reports progress with the milestone and
    an attachment, then the final report, and the 督查员 accepts it THEN the item is 已办结 and the
    timeline has every step."""
    item, task = in_hand

    def post(person, action, data, **extra):
        client.force_login(person.user)
        response = client.post(task_url(task, action), data, follow=True, **extra)
        assert response.status_code == 200, page_of(response)
        return page_of(response)

    assert "协办意见已报送" in post(
        city.finance_head, "input", {"input-unit": city.finance.pk, "input-text": "资金已落实。"}
    )
    milestone = task.milestones.get()
    attachment = SimpleUploadedFile("进展情况.pdf", b"%PDF-1.4 progress", content_type="application/pdf")
    assert "进展情况已报送" in post(
        city.ndrc_staff,
        "progress",
        {
            "progress-text": "方案已完成。",
            "progress-percent": "40",
            "progress-milestone": milestone.pk,
            "progress-attachments": attachment,
        },
    )
    assert "办结报告已报送" in post(city.ndrc_head, "final", {"final-text": "12个小区全部完工。"})
    accept = {"review-decision": "accept", "review-comment": "同意审结。", "confirmed": "1"}  # 审结 is confirmed
    done = post(city.supervisor, "review", accept)

    assert "已审结" in done and 'data-state="done"' in done
    assert fresh(item).state == ItemState.DONE and fresh(task).state == TaskState.DONE
    assert events(item) == ["立项", "分解交办", "协办意见", "进展反馈", "报送办结报告", "审结", "办结"]
    [upload] = ProgressReport.objects.get(kind=ReportKind.PROGRESS).attachments.all()
    assert upload.name == "进展情况.pdf" and 'data-testid="attachment"' in done
    download = client.get(f"/supervision/{item.pk}/attachments/{upload.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 progress"


def test_return_for_rework_from_the_page_needs_what_is_missing_and_a_new_due(client, city, in_hand):
    """GIVEN a final report waiting for review WHEN the 督查员 returns it without saying what is
    missing THEN 400 and nothing changes; with it and a new due date THEN the task reopens."""
    _item, task = in_hand
    services.task_report(actor=city.ndrc_head.user, task=task, text="已完成。", final=True)
    client.force_login(city.supervisor.user)

    bad = client.post(task_url(task, "review"), {"review-decision": "return", "review-new_due": "2026-05-15"})
    assert bad.status_code == 400 and "请写明退回重办的原因" in page_of(bad)
    assert fresh(task).state == TaskState.REVIEW

    response = client.post(
        task_url(task, "review"),
        {"review-decision": "return", "review-missing": "缺少验收材料。", "review-new_due": "2026-05-15"},
        follow=True,
    )

    assert "已退回重办，重办时限2026年5月15日" in page_of(response)
    task = fresh(task)
    assert (task.state, task.due, task.returns) == (TaskState.ASSIGNED, date(2026, 5, 15), 1)
    assert 'data-testid="returns"' in page_of(response)


def test_an_extension_goes_along_the_chain_from_the_page(client, city, in_hand):
    """GIVEN a task due 30 April WHEN 孙科员 asks to extend it to 29 May and 钱主任, a 督查员 and 李市长
    approve in turn THEN each sees the form at their step only, and the due date moves."""
    item, task = in_hand
    client.force_login(city.ndrc_staff.user)
    client.post(
        task_url(task, "extension"),
        {"extension-reason": "征地未完成。", "extension-progress": "完成60%。", "extension-new_due": "2026-05-29"},
    )
    request = ExtensionRequest.objects.get()

    for person, message in (
        (city.ndrc_head, "送督查员审批"),
        (city.supervisor2, "送分管领导审批"),
        (city.leader, "办结时限延至2026年5月29日"),
    ):
        client.force_login(city.finance_head.user)
        assert "decide" not in actions_offered(page_of(client.get(item_url(item))))
        client.force_login(person.user)
        page = page_of(client.get(item_url(item)))
        assert "decide" in actions_offered(page) and 'data-testid="current-step"' in page
        response = client.post(
            f"/supervision/{item.pk}/extensions/{request.pk}/decide/", {"decide-decision": "approve"}, follow=True
        )
        assert message in page_of(response), page_of(response)

    assert fresh(request).state == ExtensionState.APPROVED and fresh(task).due == date(2026, 5, 29)


def test_refusing_an_extension_needs_a_reason(client, city, in_hand):
    """GIVEN a pending extension WHEN the unit head refuses without a reason THEN 400 and it stays
    pending; with a reason THEN it is refused."""
    _item, task = in_hand
    request = services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地未完成。", new_due=date(2026, 5, 29), progress="60%"
    )
    client.force_login(city.ndrc_head.user)
    url = f"/supervision/{task.item_id}/extensions/{request.pk}/decide/"

    bad = client.post(url, {"decide-decision": "refuse"})
    assert bad.status_code == 400 and "不同意延期时请写明理由" in page_of(bad)
    assert fresh(request).state == ExtensionState.PENDING

    client.post(url, {"decide-decision": "refuse", "decide-comment": "应按期完成。"})
    assert fresh(request).state == ExtensionState.REFUSED


def test_an_extension_after_the_due_date_is_refused_with_the_reason(client, city, in_hand, today):
    """GIVEN a task due 30 April WHEN the lead unit asks on 30 April THEN the page says it must be
    asked before the due date (409) and no request exists."""
    _item, task = in_hand
    today.move_to("2026-04-30 10:00 +0800")
    client.force_login(city.ndrc_staff.user)

    response = client.post(
        task_url(task, "extension"),
        {"extension-reason": "来不及。", "extension-progress": "80%。", "extension-new_due": "2026-05-29"},
    )

    assert response.status_code == 409 and "延期须在办结时限" in page_of(response)
    assert not ExtensionRequest.objects.exists()


def test_cancel_from_the_page_needs_a_reason(client, city, in_hand):
    """GIVEN an item in hand WHEN the instructing leader cancels it without, then with, a reason
    THEN first the form comes back, then the item is 已撤销 and its tasks with it."""
    item, task = in_hand
    client.force_login(city.leader.user)

    assert client.post(action_url(item, "cancel"), {"cancel-reason": ""}).status_code == 400
    assert fresh(item).state == ItemState.ASSIGNED
    cancel = {"cancel-reason": "该项工作已调整。", "confirmed": "1"}  # 撤销 is confirmed
    response = client.post(action_url(item, "cancel"), cancel, follow=True)

    assert "督办事项已撤销" in page_of(response) and "该项工作已调整" in page_of(response)
    assert fresh(item).state == ItemState.CANCELLED and fresh(task).state == TaskState.CANCELLED


def test_the_supervision_report_draft_opens_the_new_outgoing_document(client, city, in_hand, series):
    """GIVEN an item WHEN the 督查员 drafts the 督查专报 from its page THEN a 报告 draft exists and she
    is on its page."""
    item, _task = in_hand
    client.force_login(city.supervisor.user)

    response = client.post(action_url(item, "draft-report"), {"report-series": series.pk})

    document = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/outgoing/{document.pk}/"
    assert document.kind == "report" and item.title in document.title


def test_refusals_from_the_page_change_nothing(client, city, in_hand):
    """GIVEN a task in hand WHEN a review is posted before any final report (409), unit staff post a
    review (403) or an unknown action (404) THEN the page says why and nothing changes."""
    item, task = in_hand
    before = events(item)

    client.force_login(city.supervisor.user)
    conflict = client.post(task_url(task, "review"), {"review-decision": "accept"})
    assert conflict.status_code == 409 and "没有待审核的办结报告" in page_of(conflict)
    client.force_login(city.ndrc_staff.user)
    forbidden = client.post(action_url(item, "cancel"), {"cancel-reason": "不办了。"})
    assert forbidden.status_code == 403 and "督办事项由督查员或批示领导撤销" in page_of(forbidden)
    assert client.post(action_url(item, "teleport")).status_code == 404
    assert client.post(task_url(task, "teleport")).status_code == 404

    assert events(item) == before and fresh(item).state == ItemState.ASSIGNED


def test_notification_links_lead_to_the_item_page(client, city, in_hand):
    """GIVEN a notification linking /supervision/items/<id>/ WHEN it is followed THEN the item's page."""
    item, _task = in_hand
    client.force_login(city.ndrc_head.user)

    response = client.get(f"/supervision/items/{item.pk}/", follow=True)

    assert response.redirect_chain[-1][0] == item_url(item) and response.status_code == 200


def test_a_classified_item_is_watermarked_and_its_read_logged(client, city, open_item, split, today, settings):
    """GIVEN a 机密 item, and a 绝密 one (the ceiling raised) WHEN their 督查员 opens them THEN the
    reader's watermark is over the content, each read is in the access log, and the 绝密 one says
    screen only and refuses its attachments."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    secret = open_item(title="某专项整治", level=Level.SECRET, basis="保密事项范围第3条")
    client.force_login(city.supervisor.user)

    page = page_of(client.get(item_url(secret)))

    assert 'data-testid="watermark"' in page and "王督查" in page.split('data-testid="watermark"')[1]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(secret.pk)).count() == 1

    top = make_person(
        username="sv-top", name="冯督查", unit=city.supervision, roles=(Role.SUPERVISOR,), clearance=Level.TOP_SECRET
    )
    ndrc_top = make_person(username="sv-ndrc-top", name="褚处长", unit=city.ndrc, clearance=Level.TOP_SECRET)
    item = services.item_open(
        actor=top.user,
        title="某绝密事项",
        requirement="按要求办理。",
        source="other",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1条",
    )
    [task] = services.item_split(
        actor=top.user,
        item=item,
        tasks=[services.TaskSpec(lead_unit=city.ndrc, responsible_person=ndrc_top, due=APRIL_30)],
    )
    report = services.task_report(
        actor=ndrc_top.user,
        task=task,
        text="进展。",
        attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    client.force_login(top.user)
    page = page_of(client.get(item_url(item)))

    assert "watermark-dense" in page and 'data-testid="screen-only-notice"' in page
    assert 'data-testid="attachment"' not in page
    upload = report.attachments.get()
    download = client.get(f"/supervision/{item.pk}/attachments/{upload.pk}/")
    assert download.status_code == 302 and not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


# --- 我的督办 and the figures --------------------------------------------------------------------------------


def test_my_tasks_show_what_waits_for_each_person(client, city, open_item, split, today):
    """GIVEN an item to split, a task in hand with 财政局's input owed, a final report to review and
    an extension waiting for 钱主任 WHEN each opens 我的督办 THEN each sees their section."""
    waiting = open_item(title="整治背街小巷")
    in_hand = open_item(title="推进老旧小区改造")
    [task] = split(in_hand, due=APRIL_30)
    reviewed = open_item(title="清理拖欠账款")
    [final] = split(reviewed, lead_unit=city.finance, assisting_units=[], due=APRIL_30)
    services.task_report(actor=city.finance_head.user, task=final, text="已办结。", final=True)
    services.extension_request(
        actor=city.ndrc_staff.user, task=task, reason="征地未完成。", new_due=date(2026, 5, 29), progress="60%"
    )

    def mine(person) -> str:
        client.force_login(person.user)
        return page_of(client.get(MINE_URL))

    supervisor = mine(city.supervisor)
    assert waiting.title in supervisor.split('data-testid="mine-split"')[1].split("</section>")[0]
    assert reviewed.title in supervisor.split('data-testid="mine-review"')[1].split("</section>")[0]
    ndrc_head = mine(city.ndrc_head)
    assert in_hand.title in ndrc_head.split('data-testid="mine-lead"')[1].split("</section>")[0]
    assert in_hand.title in ndrc_head.split('data-testid="mine-extensions"')[1].split("</section>")[0]
    finance = mine(city.finance_head)
    assert in_hand.title in finance.split('data-testid="mine-assist"')[1].split("</section>")[0]
    assert 'data-testid="nothing-to-do"' in mine(city.low)


def test_the_figures_show_rates_scores_and_the_overdue_list(client, city, open_item, split, today):
    """GIVEN one task done on time by 发改委 and one of 财政局 overdue WHEN the leader opens the
    figures for 2026 THEN 发改委 shows 100%, 财政局 0% with 1 overdue, the scores rank 发改委 first
    (+2 against −2) and the overdue list names 财政局's task."""
    done = open_item(title="推进老旧小区改造")
    [task] = split(done, due=date(2026, 3, 20))
    late = open_item(title="盘活闲置国有资产")
    split(late, lead_unit=city.finance, assisting_units=[], due=date(2026, 3, 10))
    services.task_report(actor=city.ndrc_head.user, task=task, text="已办结。", final=True)
    services.task_review(actor=city.supervisor.user, task=task, accept=True)
    today.move_to("2026-03-16 10:00 +0800")
    client.force_login(city.leader.user)

    page = page_of(client.get(FIGURES_URL, {"start": "2026-01-01", "end": "2026-12-31"}))

    units = page.split('data-testid="figures-unit"')[1].split("</section>")[0]
    assert units.count('data-testid="figures-row"') == 2
    ndrc_row = next(r for r in units.split('data-testid="figures-row"')[1:] if city.ndrc.name in r)
    finance_row = next(r for r in units.split('data-testid="figures-row"')[1:] if city.finance.name in r)
    assert 'data-testid="on-time-rate">100%<' in ndrc_row and 'data-testid="on-time-rate">0%<' in finance_row
    scores = page.split('data-testid="scores"')[1].split("</section>")[0]
    assert re.findall(r'data-testid="points">(-?\d+)<', scores) == ["2", "-2"]
    assert scores.index(city.ndrc.name) < scores.index(city.finance.name)
    overdue = page.split('data-testid="overdue"')[1].split("</section>")[0]
    assert late.title in overdue and done.title not in overdue and "6天" in overdue
    assert 'data-testid="bulletin-panel"' not in page  # a leader does not draft the 通报


def test_the_bulletin_button_drafts_a_notice_and_opens_it(client, city, open_item, split, today, series):
    """GIVEN the figures WHEN the 督查员 generates the 通报 for 2026 THEN a 通报 draft exists in the
    chosen series and she is on its page; a period ending before it starts comes back with the error."""
    split(open_item(), due=APRIL_30)
    client.force_login(city.supervisor.user)
    assert 'data-testid="bulletin-panel"' in page_of(client.get(FIGURES_URL))

    bad = client.post(BULLETIN_URL, {"series": series.pk, "start": "2026-12-31", "end": "2026-01-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in page_of(bad)
    assert not OutgoingDocument.objects.exists()

    response = client.post(BULLETIN_URL, {"series": series.pk, "start": "2026-01-01", "end": "2026-12-31"})

    document = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/outgoing/{document.pk}/"
    assert document.kind == "bulletin" and document.series == series


# --- Leaks ------------------------------------------------------------------------------------------------


def test_the_leak_matrix_over_the_pages(client, city, open_item, split, today, settings):
    """GIVEN a 机密 item led by 发改委 and an 内部 item led by 发改委 alone WHEN someone of another city,
    someone of the organ below 机密 (吴科员) and a bureau not involved (财政局) open the pages THEN
    each sees exactly what their scope allows: no row, no page, no export line, no figures, no
    task in 我的督办 — and every form post on a hidden item is a 404."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    secret = open_item(title="某专项资金问题线索核查", level=Level.SECRET, basis="保密事项范围第3条")
    [secret_task] = split(secret, due=APRIL_30, assisting_units=[])
    internal = open_item(title="推进老旧小区改造")
    [internal_task] = split(internal, due=APRIL_30, assisting_units=[])
    universe = [secret, internal]
    expectations = {
        "outsider": [],  # another city's government, cleared for 机密
        "low": [internal],  # 内部 items are open to the organ; 机密 is above 吴科员's clearance
        "finance_head": [],  # 财政局 is an organ of its own and has no part in either item
        "ndrc_staff": [internal],  # 发改委 leads both, but 孙科员 is cleared for 秘密 only
        "supervisor": [secret, internal],
    }

    for who, expected in expectations.items():
        client.force_login(getattr(city, who).user)
        assert_pages_visible(client, "/supervision/{pk}/", expected=expected, universe=universe, who=who)
        listing = page_of(client.get(LEDGER_URL))
        assert {i.title for i in universe if i.title in listing} == {i.title for i in expected}, who
        figures, mine = page_of(client.get(FIGURES_URL)), page_of(client.get(MINE_URL))
        for item in universe:
            if item in expected:
                continue
            assert item.title not in figures and item.title not in mine, (who, item.title)
            assert client.post(action_url(item, "cancel"), {"cancel-reason": "x"}).status_code == 404
            task = secret_task if item == secret else internal_task
            assert client.post(task_url(task, "final"), {"final-text": "x"}).status_code == 404
            assert client.get(f"/supervision/{item.pk}/attachments/1/").status_code == 404
        content = client.get(EXPORT_URL).content
        for item in universe:
            if item not in expected:
                assert item.title.encode() not in content, (who, item.title)
    assert fresh(secret).state == ItemState.ASSIGNED and fresh(internal).state == ItemState.ASSIGNED
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(secret.pk)).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, city, open_item, today):
    """GIVEN an item WHEN an anonymous visitor opens the pages THEN they are sent to log in."""
    item = open_item()
    for url in (LEDGER_URL, NEW_URL, MINE_URL, FIGURES_URL, item_url(item)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


# --- Navigation, the 收文 link, query counts --------------------------------------------------------------


def test_the_top_bar_and_the_home_page_lead_to_supervision(client, city):
    """GIVEN a logged-in person WHEN a supervision page is open THEN 督查督办 is in the top bar (active)
    and on the home page."""
    client.force_login(city.ndrc_staff.user)

    nav = page_of(client.get(LEDGER_URL)).split('id="mainnav"')[1].split("</ul>")[0]
    home = page_of(client.get("/"))

    assert re.search(r'class="nav-link active" href="/supervision/" data-testid="nav-supervision"', nav)
    assert 'data-testid="module-supervision"' in home


def test_the_incoming_document_links_to_its_item_both_ways(client, bureau, receive, advance, settings):  # noqa: F811
    """GIVEN a 批示 列入督办 on an incoming document WHEN the bureau's 督查员 opens the document and then
    the item THEN each links to the other."""
    document = advance(receive(), IncomingState.INSTRUCTION)
    incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=document,
        instruction="请预算处牵头办理，列入督办。",
        lead_unit=bureau.budget,
        assisting_units=[],
        time_limit=None,
        supervise=True,
    )
    item = SupervisionItem.objects.get()
    client.force_login(bureau.supervisor.user)

    doc_page = page_of(client.get(f"/documents/incoming/{document.pk}/"))
    item_page = page_of(client.get(item_url(item)))

    assert f'href="/supervision/{item.pk}/" data-testid="supervision-item"' in doc_page and item.number in doc_page
    assert f'href="/documents/incoming/{document.pk}/" data-testid="source-link"' in item_page


def test_the_ledger_takes_the_same_number_of_queries_for_3_and_15_items(
    client, city, open_item, split, today, django_assert_max_num_queries
):
    """GIVEN 3 and then 15 visible items, most split into two tasks WHEN the ledger is opened THEN the
    number of queries does not grow (no query per row)."""

    def grow(start: int, stop: int) -> None:
        for n in range(start, stop):
            item = open_item(title=f"第{n}项督办事项")
            if n % 3:
                split(item, due=APRIL_30)
                split(item, lead_unit=city.finance, assisting_units=[], due=APRIL_30)

    client.force_login(city.supervisor.user)
    grow(0, 3)
    client.get(LEDGER_URL)  # warm the per-process caches (content types, calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert rows(page_of(client.get(LEDGER_URL))) == 3
    grow(3, 15)
    with django_assert_max_num_queries(len(few)):
        assert rows(page_of(client.get(LEDGER_URL))) == 15
