"""A 人大代表建议 from the 交办会 to 办结, in a real browser: the city's 督查员 imports the 交办会's Excel
file into a new 届次会次 (the 台账 shows the item 待交办), assigns it to 住建局 as 主办; 住建局's 科员
finds it, is not offered the 答复件 before a 沟通联系, records a 电话 contact, drafts the 答复件 (A类, a
函 in 住建局's letter series, signed and registered here through the documents services) and records
its 送达 (confirmed); the 督查员 records the proposer's 满意 and closes it (confirmed). At phone width
neither the 台账 nor the item's page scrolls sideways; a person of 财政局 (not assigned) gets 404."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from documents.models import DocumentSeries
from documents.outgoing import services as documents
from office.confidentiality.levels import Level
from office.org.models import Role, UnitKind
from petitions.proposals.models import Proposal, ProposalState
from tests.factories import PASSWORD, OrganFactory, UnitFactory, make_person

TITLE = "关于加快老旧小区加装电梯的建议"
NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def city(transactional_db):
    """测试市人民政府 with its 办公室 (督查员 赵督查); 住建局 (科员 钱科员, 文秘 孙文秘, 副局长 李副局长, its
    letter series 住建函); 财政局 (周科员), never assigned."""
    organ = OrganFactory(name="测试市人民政府", short_name="测试市")
    office = UnitFactory(parent=organ, name="测试市人民政府办公室", kind=UnitKind.DEPARTMENT)
    bureau = OrganFactory(parent=organ, name="测试市住房和城乡建设局", short_name="住建局")
    bureau_office = UnitFactory(parent=bureau, name="住建局办公室")
    finance = OrganFactory(parent=organ, name="测试市财政局", short_name="财政局")
    secret = Level.SECRET
    make_person(username="zhaodc", name="赵督查", unit=office, roles=(Role.SUPERVISOR,), clearance=secret)
    clerk = make_person(username="qianky", name="钱科员", unit=bureau, roles=(Role.HANDLER,))
    secretary = make_person(
        username="sunws", name="孙文秘", unit=bureau_office, roles=(Role.SECRETARY,), clearance=secret
    )
    deputy = make_person(username="lifj", name="李副局长", unit=bureau, roles=(Role.LEADER,), clearance=secret)
    make_person(username="zhouky", name="周科员", unit=finance, roles=(Role.HANDLER,))
    DocumentSeries.objects.create(
        organ=bureau, office=bureau_office, code="住建函", issuer_name="测试市住房和城乡建设局（函）", template="letter"
    )
    return {"bureau": bureau, "clerk": clerk, "secretary": secretary, "deputy": deputy}


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


def batch_file() -> bytes:
    """The 交办会's export: a header row in Chinese and one item."""
    book = Workbook()
    sheet = book.active
    sheet.append(["类型", "编号", "案由", "内容", "领衔人", "代表团或界别", "提出日期", "附议人"])
    today = timezone.localdate().isoformat()
    sheet.append(
        ["代表建议", "0001", TITLE, "建议简化审批流程，加大财政补助。", "王代表", "城东代表团", today, "李代表"]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def sign_and_register(proposal, city):
    """The 答复件 through 发文 (its own journeys test the pages): 送核稿, 核稿, 签发, 登记."""
    share = proposal.assignments.get(unit=city["bureau"])
    secretary = city["secretary"].user
    document = documents.outgoing_submit(actor=share.document.drafter.user, document=share.document)
    document = documents.outgoing_review(actor=secretary, document=document, approve=True)
    document = documents.outgoing_sign(actor=city["deputy"].user, document=document, approve=True)
    return documents.outgoing_register(actor=secretary, document=document)


def test_a_suggestion_is_imported_assigned_answered_rated_and_closed(live_server, page, city, screenshot_dir):
    # 导入 into a new 届次会次.
    login(page, live_server, "zhaodc")
    page.goto(live_server.url + "/petitions/proposals/")
    page.get_by_test_id("module-nav").get_by_test_id("nav-proposal-import").click()
    form = page.get_by_test_id("import-form")
    form.locator('input[name="file"]').set_input_files(
        {
            "name": "交办清单.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": batch_file(),
        }
    )
    form.locator('select[name="body"]').select_option("npc")
    form.locator('input[name="name"]').fill("测试市十七届人大五次会议")
    form.locator('input[name="recipient_office"]').fill("市人大常委会选联工委")
    form.get_by_test_id("import-submit").click()
    expect(page.get_by_role("alert").filter(has_text="已导入1件建议提案")).to_be_visible()
    row = page.get_by_test_id("proposal-row").filter(has_text=TITLE)
    expect(row).to_contain_text("待交办")
    proposal = Proposal.objects.get(title=TITLE)

    # 交办 to 住建局 as 主办.
    row.get_by_role("link").first.click()
    item_url = page.url
    assign = page.get_by_test_id("action-assign")
    choose(assign, "lead_unit", city["bureau"].pk)
    assign.get_by_role("button", name="交办").click()
    expect(page.get_by_role("alert").filter(has_text="已交办")).to_be_visible()
    expect(page.get_by_test_id("proposal-state")).to_have_text("办理中")
    expect(page.get_by_test_id("shares")).to_contain_text("测试市住房和城乡建设局")
    logout(page, live_server)

    # The 主办's 科员: 沟通联系 first, then the 答复件.
    login(page, live_server, "qianky")
    page.goto(item_url)
    expect(page.get_by_test_id("action-contact")).to_be_visible()
    expect(page.get_by_test_id("action-reply")).to_have_count(0)  # the gate: no 答复件 before a 沟通联系
    contact = page.get_by_test_id("action-contact")
    contact.locator('select[name="method"]').select_option("phone")
    contact.locator('input[name="people"]').fill("钱科员、王代表")
    contact.locator('textarea[name="view"]').fill("代表赞成分批推进的方案。")
    contact.get_by_role("button", name="沟通联系").click()
    expect(page.get_by_role("alert").filter(has_text="沟通联系已登记")).to_be_visible()
    reply = page.get_by_test_id("action-reply")
    reply.locator('select[name="result_code"]').select_option("A")
    reply.locator('textarea[name="text"]').fill("已将老旧小区加装电梯纳入年度计划，审批时限压缩至15个工作日。")
    expect(reply.locator('select[name="series"]')).to_contain_text("住建函")
    reply.get_by_role("button", name="拟写答复件").click()
    expect(page.get_by_role("alert").filter(has_text="答复件已起草")).to_be_visible()
    expect(page.get_by_test_id("action-send")).to_have_count(0)
    assert sign_and_register(proposal, city).state == "registered"

    page.reload()
    send = page.get_by_test_id("action-send")
    send.get_by_role("button", name="答复送达").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("抄送")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_role("alert").filter(has_text="答复件已送达")).to_be_visible()
    expect(page.get_by_test_id("proposal-state")).to_have_text("已答复")
    logout(page, live_server)

    # The office: 满意, then 办结.
    login(page, live_server, "zhaodc")
    page.goto(item_url)
    rate = page.get_by_test_id("action-rate")
    rate.locator('select[name="satisfaction"]').select_option("satisfied")
    rate.get_by_role("button", name="登记征询意见").click()
    expect(page.get_by_role("alert").filter(has_text="征询意见已登记")).to_be_visible()
    page.get_by_test_id("action-close").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_test_id("proposal-state")).to_have_text("已办结")
    page.screenshot(path=str(screenshot_dir / "e2e-proposal.png"), full_page=True)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.CLOSED

    # At phone width: no sideways scroll on the 台账 nor the item's page.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/petitions/proposals/")
    expect(page.get_by_test_id("proposals")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(item_url)
    expect(page.get_by_test_id("proposal-number")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    page.screenshot(path=str(screenshot_dir / "e2e-proposal-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    logout(page, live_server)

    # 财政局 was never assigned: 404.
    login(page, live_server, "zhouky")
    assert page.goto(item_url).status == 404
