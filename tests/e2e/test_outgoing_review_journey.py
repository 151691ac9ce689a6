"""核稿 by the 办公室主任, in a real browser: the 秘书科 runs the series (as the demo's 临府办发), its
文秘 drafts a notice and sends it to 核稿; the 办公室主任, head of the 办公室 above the 秘书科, finds
it in 我的待办 · 待核稿, opens it and passes 核稿 — the page offers him what the service accepts."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import DocumentSeries
from documents.outgoing import services
from office.org.models import Role, UnitKind
from tests.e2e.test_outgoing_journey import BODY, detail_url, login
from tests.factories import OrganFactory, UnitFactory, make_person

TITLE = "乙市人民政府办公室关于做好冬季防火工作的通知"


@pytest.fixture
def office(transactional_db):
    organ = OrganFactory(name="乙市人民政府")
    general_office = UnitFactory(parent=organ, name="乙市人民政府办公室", kind=UnitKind.DEPARTMENT)
    section = UnitFactory(parent=general_office, name="秘书科")
    chief = make_person(username="wangjg", name="王建国", unit=general_office, roles=(Role.OFFICE_CHIEF, Role.LEADER))
    general_office.head = chief
    general_office.save(update_fields=["head"])
    clerk = make_person(username="chenxj", name="陈晓静", unit=section, roles=(Role.SECRETARY,))
    series = DocumentSeries.objects.create(
        organ=general_office, office=section, code="乙府办发", issuer_name="乙市人民政府办公室文件"
    )
    document = services.outgoing_create(
        actor=clerk.user,
        series=series,
        title=TITLE,
        kind="notice",
        body=BODY,
        main_to_units=[OrganFactory(name="乙市财政局")],
        disclosure="proactive",
    )
    return services.outgoing_submit(actor=clerk.user, document=document, comment="请审核")


def test_the_office_chief_passes_review_of_a_draft_from_his_queue(live_server, page, office, screenshot_dir):
    login(page, live_server, "wangjg")
    page.goto(live_server.url + "/documents/outgoing/inbox/")
    page.get_by_test_id("inbox-review").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(detail_url(live_server, office.pk))
    expect(page.get_by_test_id("state-badge").first).to_have_text("核稿")

    review = page.get_by_test_id("action-review")
    review.get_by_label("意见").fill("内容、格式、文字已审核")
    review.get_by_role("button", name="核稿通过").click()

    expect(page.get_by_role("alert").filter(has_text="核稿通过，已送签发")).to_be_visible()
    expect(page.get_by_test_id("state-badge").first).to_have_text("签发")
    timeline = page.get_by_test_id("timeline")
    passed = timeline.get_by_test_id("transition-action").filter(has_text=re.compile("^核稿通过$"))
    expect(passed).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "e2e-outgoing-chief-review.png"), full_page=True)
