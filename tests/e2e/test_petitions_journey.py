"""A 信访事项 from the window to 办结, in a real browser: the 信访员 of the city's 信访科 registers a 来访
(the case page shows its 登记号 and the 15日 分流 clock) and transfers it (转送) to 住建局; the bureau's
head finds it in 我的信访 (待受理), accepts it, records the 调查核实 and writes the 答复意见 (an
答复意见书 draft in the bureau's letter series, signed and registered here through the documents
services), and records its 送达; the 信访员 records the 评价 with the 回访 and closes it, confirmed;
the 台账 shows it 已办结. At phone width neither the 台账 nor the case page scrolls sideways; a
person of another bureau gets 404 on the case; a leader brought in reads the 信访人 masked."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import DocumentSeries
from documents.outgoing import services as documents
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.org.models import Role, UnitKind
from petitions.models import CaseState, IssueCategory, PetitionCase
from petitions.rules import current_reply
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "反映临江小区楼顶漏水问题"
NAME = "张岚"
ID_NUMBER = "330102198001011234"
PHONE = "13812345678"
NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def city(transactional_db):
    """测试市人民政府: its 办公室 with the 信访科 (孙丽, 信访员) and a 副市长; 临江街道 (a 属地); 住建局
    (head 王局长, a 副局长 who signs, a 文秘 in its 办公室, the letter series 住建信函); 财政局 (吴科长)."""
    organ = OrganFactory(name="测试市人民政府", short_name="测试市")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    intake = UnitFactory(parent=office, name="信访科")
    area = UnitFactory(parent=organ, name="临江街道")
    bureau = OrganFactory(parent=organ, name="测试市住房和城乡建设局", short_name="住建局")
    bureau_office = UnitFactory(parent=bureau, name="住建局办公室")
    finance = OrganFactory(parent=organ, name="测试市财政局", short_name="财政局")
    secret = Level.SECRET
    officer = make_person(username="sunli", name="孙丽", unit=intake, roles=(Role.PETITION_OFFICER,), clearance=secret)
    leader = make_person(username="zhoufs", name="周副市长", unit=organ, roles=(Role.LEADER,), clearance=secret)
    head = make_person(username="wangjz", name="王局长", unit=bureau, clearance=secret)
    deputy = make_person(username="liufj", name="刘副局长", unit=bureau, roles=(Role.LEADER,), clearance=secret)
    secretary = make_person(
        username="chenws", name="陈文秘", unit=bureau_office, roles=(Role.SECRETARY,), clearance=secret
    )
    make_person(username="wukz", name="吴科长", unit=finance, clearance=secret)
    bureau.head = head
    bureau.save(update_fields=["head"])
    DocumentSeries.objects.create(
        organ=bureau, office=bureau_office, code="住建信函", issuer_name="住建局（函）", template="letter"
    )
    parent = IssueCategory.objects.create(name="城乡建设", code="urban")
    category = IssueCategory.objects.create(name="房屋质量", code="urban-housing", parent=parent)
    return {
        "area": area,
        "bureau": bureau,
        "category": category,
        "officer": officer,
        "leader": leader,
        "secretary": secretary,
        "deputy": deputy,
    }


def login(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-person")).to_be_visible()


def logout(page, live_server):
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/login/(\?.*)?$"))


def choose(form, name, value):
    """Pick an option of the plain select behind a searchable picker (the form posts the select)."""
    form.locator(f'select[name="{name}"]').select_option(str(value), force=True)


def sign_and_register(case, city):
    """The 答复意见书 through 发文 (its own journeys test the pages): 送核稿, 核稿, 签发, 登记."""
    document = current_reply(case).document
    secretary = city["secretary"].user
    document = documents.outgoing_submit(actor=document.drafter.user, document=document)
    document = documents.outgoing_review(actor=secretary, document=document, approve=True)
    document = documents.outgoing_sign(actor=city["deputy"].user, document=document, approve=True)
    return documents.outgoing_register(actor=secretary, document=document)


def test_a_visit_is_registered_transferred_answered_served_rated_and_closed(live_server, page, city, screenshot_dir):
    today = timezone.localdate()

    # 信访登记: a 来访 of 张岚 with her ID number and phone, about 房屋质量 in 临江街道.
    login(page, live_server, "sunli")
    page.locator("nav.navbar").get_by_test_id("nav-petitions").click()
    expect(page.get_by_role("heading", name="信访台账")).to_be_visible()
    page.get_by_test_id("module-nav").get_by_test_id("nav-petition-register").click()
    form = page.get_by_test_id("register-form")
    form.locator('select[name="channel"]').select_option("visit")
    form.locator('select[name="category"]').select_option(str(city["category"].pk))
    choose(form, "area", city["area"].pk)
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="content"]').fill("临江小区3号楼楼顶防水层破损，雨天屋内漏水，请求督促维修。")
    row = form.get_by_test_id("petitioner-row").first
    row.locator('input[name="petitioners-0-name"]').fill(NAME)
    row.locator('input[name="petitioners-0-id_number"]').fill(ID_NUMBER)
    row.locator('input[name="petitioners-0-phone"]').fill(PHONE)
    form.get_by_test_id("submit-register").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/petitions/\d+/$"))
    case_url = page.url
    case = PetitionCase.objects.get(title=TITLE)
    number = f"测信〔{today.year}〕1号"
    expect(page.get_by_role("alert").filter(has_text=f"已登记：{number}")).to_be_visible()
    expect(page.get_by_test_id("case-head").get_by_test_id("case-number")).to_have_text(number)
    expect(page.get_by_test_id("case-state")).to_have_text("待处理")
    clock = page.get_by_test_id("clock").filter(has_text="信访事项分流")
    expect(clock).to_contain_text("15日")
    expect(clock.get_by_test_id("deadline-badge")).to_be_visible()
    expect(page.get_by_test_id("petitioner-name")).to_have_text(NAME)  # the 信访员 reads her in clear
    expect(page.get_by_test_id("petitioner-id")).to_have_text(ID_NUMBER)

    # 转送 to 住建局.
    route = page.get_by_test_id("action-route")
    route.locator('select[name="route"]').select_option("transfer")
    choose(route, "unit", city["bureau"].pk)
    route.get_by_role("button", name="分流").click()
    expect(page.get_by_role("alert").filter(has_text="已转送：测试市住房和城乡建设局")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    logout(page, live_server)

    # The bureau's head finds it in 我的信访 (待受理) and accepts it.
    login(page, live_server, "wangjz")
    page.goto(live_server.url + "/petitions/mine/?tab=accept")
    expect(page.get_by_test_id("tab-accept").get_by_test_id("count")).to_have_text("1")
    page.get_by_test_id("case-row").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(case_url)
    accept = page.get_by_test_id("action-accept")
    accept.locator('textarea[name="note"]').fill("已书面告知信访人受理。")
    accept.get_by_role("button", name="受理").click()
    expect(page.get_by_role("alert").filter(has_text="已受理")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("办理中")

    # 调查核实, then the 答复意见 (支持, with facts and basis, in 住建信函).
    note = page.get_by_test_id("action-note")
    note.locator('select[name="kind"]').select_option("investigation")
    note.locator('textarea[name="text"]').fill("现场查看，3号楼楼顶防水层确有破损。")
    note.get_by_role("button", name="办理记录").click()
    expect(page.get_by_role("alert").filter(has_text="办理记录已保存")).to_be_visible()
    expect(page.get_by_test_id("note").filter(has_text="调查核实")).to_contain_text("防水层确有破损")
    reply = page.get_by_test_id("action-reply")
    reply.locator('select[name="opinion"]').select_option("support")
    reply.locator('textarea[name="facts"]').fill("经现场查看，3号楼楼顶防水层破损属实。")
    reply.locator('textarea[name="basis"]').fill("《物业管理条例》第五十五条")
    expect(reply.locator('select[name="series"]')).to_contain_text("住建信函")
    reply.get_by_role("button", name="拟写答复意见").click()
    expect(page.get_by_role("alert").filter(has_text="答复意见书已起草")).to_be_visible()
    answer = page.get_by_test_id("reply")
    expect(answer.get_by_test_id("reply-opinion")).to_have_text("支持")
    expect(answer.get_by_test_id("reply-document")).to_be_visible()
    expect(page.get_by_test_id("action-serve")).to_have_count(0)  # not before 签发 and 登记

    case.refresh_from_db()
    document = current_reply(case).document
    assert document.state == "draft" and document.series.code == "住建信函"
    document = sign_and_register(case, city)
    assert document.state == "registered"

    # 送达, confirmed (the stage's clock ends with it).
    page.reload()
    serve = page.get_by_test_id("action-serve")
    serve.locator('select[name="method"]').select_option("in_person")
    serve.locator('input[name="receipt"]').fill("回证第001号")
    serve.get_by_role("button", name="送达答复").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("办理期限即告结束")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="答复意见书已送达")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("已答复")
    expect(page.get_by_test_id("reply-served")).to_contain_text("直接送达")
    logout(page, live_server)

    # The 信访员: 评价 (满意) with the 回访, then 办结, confirmed.
    login(page, live_server, "sunli")
    page.goto(case_url)
    rate = page.get_by_test_id("action-rate")
    rate.locator('select[name="satisfaction"]').select_option("satisfied")
    rate.locator('textarea[name="revisit"]').fill("电话回访，信访人表示漏水已修复，满意。")
    rate.get_by_role("button", name="满意度评价").click()
    expect(page.get_by_role("alert").filter(has_text="评价已登记")).to_be_visible()
    expect(page.get_by_test_id("satisfaction")).to_contain_text("满意")
    page.get_by_test_id("action-close").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("办结后不能再请求复查或复核")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="信访事项已办结")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("已办结")
    timeline = page.get_by_test_id("timeline")
    for step in ("分流", "受理", "拟写答复意见", "送达答复", "满意度评价", "办结"):
        expect(timeline.get_by_test_id("event-action").filter(has_text=re.compile(f"^{step}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-petitions-case.png"), full_page=True)
    assert PetitionCase.objects.get(pk=case.pk).state == CaseState.CLOSED

    page.get_by_test_id("module-nav").get_by_role("link", name="信访台账").click()
    row = page.get_by_test_id("case-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("case-number")).to_have_text(number)
    expect(row).to_contain_text("已办结")
    expect(row.get_by_test_id("petitioners")).to_have_text(NAME)

    # At phone width: no sideways scroll on the 台账 nor the case page; its actions within reach.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_test_id("cases")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(case_url)
    expect(page.get_by_test_id("case-title")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    button = page.get_by_test_id("action-archive").get_by_role("button", name="归档")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(screenshot_dir / "e2e-petitions-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})  # the navbar (and 退出) uncollapsed again
    logout(page, live_server)

    # Another bureau's person: 404. A leader brought in: the 信访人 masked (张*), the ID hidden.
    login(page, live_server, "wukz")
    assert page.goto(case_url).status == 404
    logout(page, live_server)
    secrecy.grant(actor=city["officer"].user, record=case, person=city["leader"], reason="领导阅知")
    login(page, live_server, "zhoufs")
    assert page.goto(case_url).status == 200
    expect(page.get_by_test_id("petitioner").first).to_have_attribute("data-masked", "1")
    expect(page.get_by_test_id("petitioner-name")).to_have_text("张*")
    expect(page.get_by_test_id("masked-notice")).to_be_visible()
    expect(page.get_by_test_id("case-page")).not_to_contain_text(ID_NUMBER)
    expect(page.get_by_test_id("case-page")).not_to_contain_text(PHONE)
