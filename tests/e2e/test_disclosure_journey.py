"""A 政府信息公开申请 from the window to 办结, in a real browser: the 政务公开员 of the city's 政务公开办
registers a request handed in three days ago (the page shows its 登记号 and the 20-working-day answer
clock), asks for 补正 (confirmed: the clock stops), records the 补正 arriving today (the 20 working
days start again: the page shows the later due date), answers 予以公开 (a 告知书 draft in the city's
letter series, signed and registered here through the documents services), records its 送达
(confirmed) and closes it (confirmed); the 台账 shows it 已办结. At phone width neither the 台账 nor
the request page scrolls sideways; a person of a bureau gets 404 on the request."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import DocumentSeries
from documents.outgoing import services as documents
from office.confidentiality.levels import Level
from office.org.models import Role, UnitKind
from office.workdays.services import format_date
from petitions.disclosure.models import DisclosureRequest, RequestState
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

APPLICANT = "陈明远"
WANTED = "2025年度城东片区旧城改造项目征收补偿方案"
NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def city(transactional_db):
    """测试市人民政府: its 办公室 with the 政务公开办 (head 钱主任, 政务公开员 李公开), a 文秘 and a 副市长 who
    sign its letters (测信函); 住建局 (赵科员), outside."""
    organ = OrganFactory(name="测试市人民政府", short_name="测试市")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    unit = UnitFactory(parent=office, name="政务公开办")
    bureau = OrganFactory(parent=organ, name="测试市住房和城乡建设局", short_name="住建局")
    secret = Level.SECRET
    head = make_person(username="qianzr", name="钱主任", unit=unit, clearance=secret)
    unit.head = head
    unit.save(update_fields=["head"])
    officer = make_person(username="ligk", name="李公开", unit=unit, roles=(Role.DISCLOSURE_OFFICER,), clearance=secret)
    secretary = make_person(username="linws", name="林文秘", unit=office, roles=(Role.SECRETARY,), clearance=secret)
    leader = make_person(username="zhoufs", name="周副市长", unit=organ, roles=(Role.LEADER,), clearance=secret)
    make_person(username="zhaoky", name="赵科员", unit=bureau, roles=(Role.HANDLER,))
    DocumentSeries.objects.create(
        organ=organ, office=office, code="测信函", issuer_name="测试市人民政府（函）", template="letter"
    )
    return {"officer": officer, "secretary": secretary, "leader": leader}


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-person")).to_be_visible()


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))


def set_date(form, name, day):
    """A date through the Chinese calendar when it is there, else the plain date box."""
    form.locator(f'input[name="{name}"]').evaluate(
        "(el, v) => { if (el._flatpickr) { el._flatpickr.setDate(v, true); } else { el.value = v; } }",
        day.isoformat(),
    )


def sign_and_register(record, city):
    """The 告知书 through 发文 (its own journeys test the pages): 送核稿, 核稿, 签发, 登记."""
    record.refresh_from_db()
    secretary = city["secretary"].user
    document = documents.outgoing_submit(actor=record.document.drafter.user, document=record.document)
    document = documents.outgoing_review(actor=secretary, document=document, approve=True)
    document = documents.outgoing_sign(actor=city["leader"].user, document=document, approve=True)
    return documents.outgoing_register(actor=secretary, document=document)


def test_a_request_is_registered_corrected_answered_delivered_and_closed(live_server, page, city, screenshot_dir):
    today = timezone.localdate()
    arrived = today - timedelta(days=3)

    # 登记: handed in three days ago, in person (收到 that day).
    login(page, live_server, "ligk")
    page.goto(live_server.url + "/petitions/disclosure/")
    expect(page.get_by_role("heading", name="依申请公开台账")).to_be_visible()
    page.get_by_test_id("module-nav").get_by_test_id("nav-disclosure-register").click()
    form = page.get_by_test_id("register-form")
    expect(form.get_by_test_id("received-rules")).to_contain_text("双方确认之日")
    form.locator('select[name="channel"]').select_option("in_person")
    set_date(form, "arrived_on", arrived)
    form.locator('select[name="applicant_kind"]').select_option("person")
    form.locator('input[name="applicant_name"]').fill(APPLICANT)
    form.locator('input[name="contact_phone"]').fill("13900001111")
    form.locator('textarea[name="description"]').fill(WANTED)
    form.locator('select[name="medium"]').select_option("electronic")
    form.locator('select[name="delivery"]').select_option("email")
    form.get_by_test_id("submit-register").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/petitions/disclosure/\d+/$"))
    request_url = page.url
    record = DisclosureRequest.objects.get(applicant_name=APPLICANT)
    expect(page.get_by_role("alert").filter(has_text=f"已登记：{record.number}")).to_be_visible()
    expect(page.get_by_test_id("request-state")).to_have_text("办理中")
    clock = page.locator('[data-testid="clock"][data-kind="disclosure"]')
    expect(clock).to_contain_text("20个工作日")
    first_due = record.due
    expect(page.get_by_test_id("request-due")).to_contain_text(format_date(first_due))

    # 告知补正, confirmed: the clock stops.
    correct = page.get_by_test_id("action-correct")
    correct.locator('textarea[name="items"]').fill("请写明所需信息的具体名称或文号。")
    set_date(correct, "until", today + timedelta(days=10))
    correct.get_by_role("button", name="告知补正").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("答复期限中止")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="已告知补正")).to_be_visible()
    expect(page.get_by_test_id("request-state")).to_have_text("待补正")
    expect(clock.get_by_test_id("clock-suspended")).to_be_visible()

    # 收到补正 today: the 20 working days start again.
    receive = page.get_by_test_id("action-receive_correction")
    receive.get_by_role("button", name="收到补正").click()
    expect(page.get_by_role("alert").filter(has_text="已收到补正")).to_be_visible()
    expect(page.get_by_test_id("request-state")).to_have_text("办理中")
    record.refresh_from_db()
    assert record.corrected_on == today and record.due > first_due
    expect(page.get_by_test_id("request-due")).to_contain_text(format_date(record.due))
    expect(page.get_by_test_id("correction")).to_contain_text("重新计算")

    # 答复: 予以公开, a 告知书 in 测信函; 送达 only once it is signed and registered.
    answer = page.get_by_test_id("action-answer")
    answer.locator('select[name="answer_type"]').select_option("granted")
    answer.locator('textarea[name="text"]').fill("经审核，现将征收补偿方案全文以电子邮件方式提供给你。")
    expect(answer.locator('select[name="series"]')).to_contain_text("测信函")
    answer.get_by_role("button", name="拟写告知书").click()
    expect(page.get_by_role("alert").filter(has_text="告知书已起草")).to_be_visible()
    expect(page.get_by_test_id("letter-link")).to_be_visible()
    expect(page.get_by_test_id("action-deliver")).to_have_count(0)
    assert sign_and_register(record, city).state == "registered"

    page.reload()
    deliver = page.get_by_test_id("action-deliver")
    deliver.locator('select[name="method"]').select_option("email")
    deliver.get_by_role("button", name="送达告知书").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("答复期限即告结束")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="告知书已送达")).to_be_visible()
    expect(page.get_by_test_id("request-state")).to_have_text("已答复")

    page.get_by_test_id("action-close").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("办结后申请不能再变更")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="申请已办结")).to_be_visible()
    expect(page.get_by_test_id("request-state")).to_have_text("已办结")
    timeline = page.get_by_test_id("timeline")
    for step in ("告知补正", "收到补正", "送达告知书", "办结"):
        expect(timeline.get_by_test_id("event-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-disclosure-request.png"), full_page=True)
    assert DisclosureRequest.objects.get(pk=record.pk).state == RequestState.CLOSED

    page.get_by_test_id("module-nav").get_by_test_id("nav-disclosure-ledger").click()
    row = page.get_by_test_id("request-row").filter(has_text=record.number)
    expect(row).to_contain_text("已办结")

    # At phone width: no sideways scroll on the 台账 nor the request page; its actions within reach.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_test_id("requests")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(request_url)
    expect(page.get_by_test_id("request-number")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    button = page.get_by_test_id("action-outcome").get_by_role("button", name="登记复议诉讼")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(screenshot_dir / "e2e-disclosure-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    logout(page, live_server)

    # A bureau's clerk: 404.
    login(page, live_server, "zhaoky")
    assert page.goto(request_url).status == 404


def test_a_proactive_document_is_reviewed_published_and_listed_in_the_catalogue(live_server, page, city):
    """主动公开: a 发文 marked 主动公开 is 核发 (here through the services); the city's 保密员 clears it on
    the 主动公开 page, the 政务公开员 publishes it (confirmed), and every signed-in person — a bureau's
    clerk too — finds it in the 公开目录; before it is published that clerk does not see it."""
    from petitions.disclosure.models import Publication, PublicationState

    organ = city["leader"].unit
    office = city["secretary"].unit
    make_person(username="wubm", name="吴保密", unit=office, roles=(Role.SECURITY_OFFICER,), clearance=Level.SECRET)
    series = DocumentSeries.objects.create(
        organ=organ, office=office, code="测政办", issuer_name="测试市人民政府办公室文件", template="standard"
    )
    secretary, leader = city["secretary"].user, city["leader"].user
    title = "测试市2026年老旧小区改造实施方案"
    document = documents.outgoing_create(
        actor=city["officer"].user,
        series=series,
        title=title,
        kind="notice",
        disclosure="proactive",
        main_to_units=[office],
        body="一、改造范围\n城东片区12个小区。",
    )
    document = documents.outgoing_submit(actor=document.drafter.user, document=document)
    document = documents.outgoing_review(actor=secretary, document=document, approve=True)
    document = documents.outgoing_sign(actor=leader, document=document, approve=True)
    document = documents.outgoing_register(actor=secretary, document=document)
    documents.outgoing_issue(actor=secretary, document=document)
    publication = Publication.objects.get(document=document)
    assert publication.state == PublicationState.PENDING and publication.due is not None

    login(page, live_server, "zhaoky")
    page.goto(live_server.url + "/petitions/disclosure/catalogue/")
    expect(page.get_by_test_id("catalogue-row").filter(has_text=title)).to_have_count(0)
    logout(page, live_server)

    login(page, live_server, "wubm")
    page.goto(live_server.url + "/petitions/disclosure/publications/")
    card = page.get_by_test_id("publication").filter(has_text=title)
    review = card.get_by_test_id("publication-action-review")
    review.locator('select[name="conclusion"]').select_option("public")
    review.locator('textarea[name="note"]').fill("不含国家秘密和工作秘密，可以公开。")
    review.get_by_role("button", name="公开前保密审查").click()
    expect(page.get_by_role("alert").filter(has_text="保密审查已登记")).to_be_visible()
    logout(page, live_server)

    login(page, live_server, "ligk")
    page.goto(live_server.url + "/petitions/disclosure/publications/?tab=cleared")
    card = page.get_by_test_id("publication").filter(has_text=title)
    publish = card.get_by_test_id("publication-action-publish")
    publish.locator('input[name="url"]').fill("https://www.example.gov.cn/zwgk/2026/001.html")
    publish.locator('select[name="category"]').select_option("plans")
    publish.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("公开目录")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="已发布")).to_be_visible()
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED and publication.published_on_time is True
    logout(page, live_server)

    login(page, live_server, "zhaoky")
    page.goto(live_server.url + "/petitions/disclosure/catalogue/")
    expect(page.get_by_test_id("catalogue-row").filter(has_text=title)).to_have_count(1)
