"""The 保密 pages: the carrier register and a carrier's page (watermark, scope, copies), the 份号
register, copy requests, the declassification worklist and the access log with its export."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.utils import timezone
from openpyxl import load_workbook

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import (
    AuditAction,
    AuditEvent,
    Carrier,
    ClassifiedCopy,
    CopyRequest,
    CopyRequestState,
    CopyState,
)
from office.org.models import Role
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

LIST_URL = "/confidentiality/carriers/"
NEW_URL = "/confidentiality/carriers/new/"
COPIES_URL = "/confidentiality/copies/"
MY_COPIES_URL = "/confidentiality/my-copies/"
REQUESTS_URL = "/confidentiality/copy-requests/"
WORKLIST_URL = "/confidentiality/declassification/"
LOG_URL = "/confidentiality/access-log/"
EXPORT_URL = "/confidentiality/access-log/export.xlsx"


def detail_url(carrier) -> str:
    return f"/confidentiality/carriers/{carrier.pk}/"


# --- The office these pages are tried in -------------------------------------------------------


@pytest.fixture
def organ(db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def general_office(organ):
    return UnitFactory(parent=organ, name="市政府办公室")


@pytest.fixture
def planning_bureau(organ):
    return UnitFactory(parent=organ, name="发展改革局")


@pytest.fixture
def officer(general_office):
    """The organ's 保密员, cleared for 绝密."""
    return make_person(
        username="p_officer",
        name="吴敏",
        unit=general_office,
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def second_officer(general_office):
    return make_person(
        username="p_officer2",
        name="郑洁",
        unit=general_office,
        clearance=Level.SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def owner(general_office):
    """A 核心涉密人员 who registers carriers."""
    return make_person(username="p_owner", name="李明华", unit=general_office, clearance=Level.TOP_SECRET)


@pytest.fixture
def colleague(general_office):
    """Same unit as the owner, cleared for 机密 but not for 绝密."""
    return make_person(username="p_colleague", name="陈晓静", unit=general_office, clearance=Level.SECRET)


@pytest.fixture
def outsider(planning_bureau):
    """Another unit of the same organ, cleared for 机密: outside the 知悉范围 of the office's carriers."""
    return make_person(username="p_outsider", name="韩磊", unit=planning_bureau, clearance=Level.SECRET)


@pytest.fixture
def leader(general_office):
    return make_person(
        username="p_leader", name="王局长", unit=general_office, clearance=Level.TOP_SECRET, roles=(Role.LEADER,)
    )


@pytest.fixture
def top_secret_ceiling(settings):
    """A certified classified network: content up to 绝密 may be kept."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


def register(actor, *, level=Level.SECRET, title="涉密载体", unit=None, **extra):
    return services.carrier_register(
        actor=actor.user,
        title=title,
        unit=unit or actor.unit,
        level=level,
        basis="保密事项范围第三条" if Level(level).is_classified else "",
        **extra,
    )


def events(action, obj=None):
    rows = AuditEvent.objects.filter(action=action)
    if obj is not None:
        rows = rows.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return rows


def page_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- The carrier register ----------------------------------------------------------------------


def test_anonymous_callers_are_sent_to_the_login_page(client, owner):
    """GIVEN nobody logged in
    WHEN the module's pages, the export and a carrier's page are requested
    THEN each redirects to the login page and shows nothing."""
    carrier = register(owner)
    for url in (LIST_URL, NEW_URL, detail_url(carrier), COPIES_URL, MY_COPIES_URL, WORKLIST_URL, LOG_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url


def test_carrier_list_shows_the_visible_carriers_with_their_marks(client, owner, outsider):
    """GIVEN a 机密 carrier of 20 years and an 内部 one in the general office, and a 机密 carrier of
    the planning bureau
    WHEN the owner opens the carrier register
    THEN they see their office's two carriers with the marks 机密★20年 and 内部, the unit and the date,
    and not the bureau's carrier."""
    register(owner, title="年度防汛预案", level=Level.SECRET, term_unit="years", term_amount=20)
    register(owner, title="值班表", level=Level.INTERNAL)
    register(outsider, title="项目审批台账", level=Level.SECRET)
    client.force_login(owner.user)

    page = page_of(client.get(LIST_URL))

    assert "年度防汛预案" in page and "值班表" in page
    assert "项目审批台账" not in page
    assert re.search(r'class="level-mark level-secret[^"]*"[^>]*>机密★20年<', page)
    assert re.search(r'class="level-mark level-internal[^"]*"[^>]*>内部<', page)
    assert "市政府办公室" in page
    assert timezone.localdate().strftime("%Y-%m-%d") in page


def test_carrier_list_leaves_out_what_is_above_the_readers_clearance(client, owner, colleague):
    """GIVEN a 绝密 and a 机密 carrier of the general office
    WHEN a colleague of the office cleared for 机密 opens the register, and filters it by 绝密
    THEN only the 机密 one is listed, and the 绝密 filter finds nothing."""
    register(owner, title="核心部署", level=Level.TOP_SECRET)
    register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(LIST_URL))
    filtered = page_of(client.get(LIST_URL, {"classification": Level.TOP_SECRET}))

    assert "防汛指挥部署" in page and "核心部署" not in page and "绝密★" not in page
    assert 'data-testid="carrier-row"' not in filtered


def test_carrier_list_stays_at_a_fixed_number_of_queries(client, owner, django_assert_max_num_queries):
    """GIVEN 30 carriers visible to the owner
    WHEN the register is opened
    THEN it takes no more queries than with 3 carriers (no query per row)."""
    for index in range(3):
        register(owner, title=f"载体{index}")
    client.force_login(owner.user)
    with django_assert_max_num_queries(50) as few:
        client.get(LIST_URL)
    for index in range(27):
        register(owner, title=f"更多载体{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = page_of(client.get(LIST_URL))
    assert page.count('data-testid="carrier-row"') == 30


def test_register_form_offers_only_levels_within_the_persons_clearance(client, colleague):
    """GIVEN a person cleared for 机密
    WHEN they open the register form
    THEN 公开 to 机密 are offered and 绝密 is not."""
    client.force_login(colleague.user)

    form = client.get(NEW_URL).context["form"]

    offered = [label for _, label in form.fields["classification"].choices]
    assert offered == ["公开", "内部", "秘密", "机密"]


def test_registering_secret_content_above_the_ceiling_is_refused_and_stores_nothing(client, owner):
    """GIVEN the default ceiling 内部 (an ordinary government network)
    WHEN the owner registers a 机密 carrier with its content
    THEN the form comes back with the ceiling message, no carrier is stored, and the refusal is in
    the audit log."""
    client.force_login(owner.user)
    before = Carrier.objects.count()

    response = client.post(
        NEW_URL,
        {
            "title": "关于某项目的请示",
            "kind": "paper",
            "unit": owner.unit_id,
            "classification": Level.SECRET,
            "classification_basis": "保密事项范围第三条",
            "content": "这里是机密内容",
        },
    )

    assert response.status_code == 200
    page = page_of(response)
    assert 'data-testid="form-errors"' in page
    assert "本系统的密级上限为“内部”：“机密”级事项只能登记" in page
    assert Carrier.objects.count() == before
    assert events(AuditAction.CEILING_REFUSED).filter(actor=owner.user).count() == 1


def test_registering_a_secret_carrier_without_content_keeps_the_register(client, owner):
    """GIVEN the default ceiling 内部
    WHEN the owner registers a 机密 carrier for 10 years without content
    THEN it is stored with its mark, the page shows 机密★10年 and says the content is not kept here."""
    client.force_login(owner.user)

    response = client.post(
        NEW_URL,
        {
            "title": "关于某项目的请示",
            "kind": "paper",
            "reference": "甲政发〔2026〕3号",
            "unit": owner.unit_id,
            "classification": Level.SECRET,
            "secrecy_term_unit": "years",
            "secrecy_term_amount": "10",
            "classification_basis": "保密事项范围第三条",
        },
        follow=True,
    )

    carrier = Carrier.objects.get(title="关于某项目的请示")
    assert carrier.level == Level.SECRET and carrier.level_mark == "机密★10年"
    assert carrier.created_by == owner and carrier.reference == "甲政发〔2026〕3号"
    page = page_of(response)
    assert 'data-testid="mark-corner"' in page and "机密★10年" in page
    assert 'data-testid="register-only"' in page


def test_a_term_beyond_the_legal_maximum_is_refused_on_the_field(client, owner):
    """GIVEN a 秘密 carrier (at most 10 years)
    WHEN it is registered for 15 years
    THEN the term field carries the service's message and nothing is stored."""
    client.force_login(owner.user)

    response = client.post(
        NEW_URL,
        {
            "title": "某会议材料",
            "kind": "paper",
            "unit": owner.unit_id,
            "classification": Level.CONFIDENTIAL,
            "secrecy_term_unit": "years",
            "secrecy_term_amount": "15",
            "classification_basis": "保密事项范围第三条",
        },
    )

    assert response.context["form"].errors["secrecy_term_amount"] == ["秘密级事项的保密期限最长10年。"]
    assert not Carrier.objects.filter(title="某会议材料").exists()


def test_a_level_above_the_persons_clearance_cannot_be_posted(client, colleague):
    """GIVEN a person cleared for 机密
    WHEN they post a 绝密 registration anyway
    THEN the level is refused as an invalid choice and nothing is stored."""
    client.force_login(colleague.user)

    response = client.post(
        NEW_URL,
        {
            "title": "越级登记",
            "kind": "paper",
            "unit": colleague.unit_id,
            "classification": Level.TOP_SECRET,
            "classification_basis": "x",
        },
    )

    assert "classification" in response.context["form"].errors
    assert not Carrier.objects.filter(title="越级登记").exists()


# --- A carrier's page: 404s, the access log, the watermark -------------------------------------


def test_detail_is_404_outside_the_scope_and_the_miss_is_audited(client, owner, outsider):
    """GIVEN a 机密 carrier of the general office
    WHEN a person of another unit (cleared for 机密) opens its page
    THEN 404, nothing of it is shown, and a ``denied`` event names the carrier."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(outsider.user)

    response = client.get(detail_url(carrier))

    assert response.status_code == 404
    assert "防汛指挥部署" not in page_of(response)
    assert events(AuditAction.DENIED, carrier).filter(actor=outsider.user).count() == 1
    assert not events(AuditAction.VIEW, carrier).exists()


def test_detail_is_404_for_too_low_a_clearance_inside_the_unit(client, owner, colleague):
    """GIVEN a 绝密 carrier of the general office
    WHEN a colleague of the same office cleared only for 机密 opens it
    THEN 404 and a ``denied`` event."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET)
    client.force_login(colleague.user)

    response = client.get(detail_url(carrier))

    assert response.status_code == 404
    assert "核心部署" not in page_of(response)
    assert events(AuditAction.DENIED, carrier).filter(actor=colleague.user).count() == 1


def test_reading_a_secret_carrier_writes_a_view_event(client, owner, colleague):
    """GIVEN a 机密 carrier of the general office
    WHEN a colleague cleared for 机密 opens its page
    THEN it shows, and the read is in the access log as ``view`` by them; the page is not cached."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    assert not events(AuditAction.VIEW, carrier).exists()

    response = client.get(detail_url(carrier))

    assert response.status_code == 200
    assert "防汛指挥部署" in page_of(response)
    view = events(AuditAction.VIEW, carrier).get()
    assert view.actor == colleague.user and view.classification == Level.SECRET
    assert "no-store" in response["Cache-Control"]


def test_reading_an_internal_carrier_is_not_logged(client, owner, colleague):
    """GIVEN an 内部 carrier WHEN a colleague opens it THEN it shows and no ``view`` row is written."""
    carrier = register(owner, title="值班表", level=Level.INTERNAL)
    client.force_login(colleague.user)

    assert client.get(detail_url(carrier)).status_code == 200
    assert not events(AuditAction.VIEW, carrier).exists()


@time_machine.travel("2026-03-02 09:30 +0800", tick=False)
def test_top_secret_content_is_on_screen_only_under_the_readers_watermark(client, owner, top_secret_ceiling):
    """GIVEN a deployment whose ceiling is 绝密 and a 绝密 carrier with content
    WHEN its owner opens the page
    THEN the content shows under a watermark with the reader's name, unit and the time, the mark
    绝密★30年 is at the top left, the content is marked not to print or be selected, and the page
    offers no download, export or print link."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET, content="第一条 绝密内容正文")
    client.force_login(owner.user)

    response = client.get(detail_url(carrier))

    page = page_of(response)
    assert "第一条 绝密内容正文" in page
    watermark = page[page.index('data-testid="watermark"') : page.index("</svg>")]
    assert "李明华 · 市政府办公室 · 2026-03-02 09:30" in watermark
    assert page.index('data-testid="mark-corner"') < page.index('data-testid="classified-sheet"')
    assert "绝密★30年" in page
    sheet = page[page.index('data-testid="classified-sheet"') - 120 :]
    assert "classified-content" in sheet[:200]
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [href for href in hrefs if re.search(r"export|download|print|xlsx|pdf", href, re.IGNORECASE)]
    assert "window.print" not in page and " download" not in page
    assert "@media print { .classified-content { display:none !important } }" in page
    assert "no-store" in response["Cache-Control"]
    assert events(AuditAction.VIEW, carrier).filter(actor=owner.user).count() == 1


def test_the_stylesheet_hides_classified_content_from_print_and_selection():
    """GIVEN the module's stylesheet WHEN it is read THEN classified content is display:none in
    print, not selectable, and the watermark lets clicks through."""
    css = Path(finders.find("confidentiality/confidentiality.css")).read_text(encoding="utf-8")
    compact = re.sub(r"\s+", "", css)
    assert "@mediaprint{.classified-content{display:none!important;}" in compact
    assert ".classified-content{user-select:none;" in compact
    assert "pointer-events:none" in compact


def test_a_secret_page_carries_a_light_watermark_with_name_and_time(client, owner, colleague):
    """GIVEN a 机密 carrier WHEN a colleague opens it THEN a watermark with their name is drawn
    over the sheet (without their unit, the 绝密 form)."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(detail_url(carrier)))

    watermark = page[page.index('data-testid="watermark"') : page.index("</svg>")]
    assert "陈晓静 · " in watermark and "市政府办公室" not in watermark
    assert "watermark-dense" not in page


# --- 知悉范围, level changes and copies from a carrier's page -----------------------------------------


def test_granting_a_person_on_the_page_makes_the_carrier_visible_to_them(client, owner, outsider):
    """GIVEN a 机密 carrier the bureau's person cannot see (404)
    WHEN the owner adds them to the 知悉范围 with a reason on the carrier's page
    THEN the carrier opens for them, the page lists them, and a ``grant`` event has the reason;
    revoking them again makes it a 404 once more."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 404

    client.force_login(owner.user)
    response = client.post(
        f"{detail_url(carrier)}grant/", {"person": outsider.pk, "reason": "参与防汛会商"}, follow=True
    )
    assert "已加入知悉范围。" in messages_of(response)
    grants = page_of(response)[page_of(response).index('data-testid="grants"') :]
    assert "韩磊" in grants[:2000]
    assert events(AuditAction.GRANT, carrier).get().detail["reason"] == "参与防汛会商"

    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 200

    client.force_login(owner.user)
    client.post(f"{detail_url(carrier)}revoke/", {"person": outsider.pk, "reason": "会商结束"})
    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 404


def test_a_grant_without_a_reason_or_target_is_refused_on_the_form(client, owner, outsider):
    """GIVEN a 机密 carrier
    WHEN the owner posts a grant without a reason, and then one naming nobody
    THEN the page comes back with the form's messages and no grant exists."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)

    no_reason = client.post(f"{detail_url(carrier)}grant/", {"person": outsider.pk})
    nobody = client.post(f"{detail_url(carrier)}grant/", {"reason": "会商"})

    assert "reason" in no_reason.context["grant_form"].errors
    assert "请指定一名人员或一个单位（二者选一）。" in page_of(nobody)
    assert services.grants_of(carrier) == {"people": [], "units": []}


def test_only_the_owner_or_a_security_officer_sees_and_uses_the_scope_forms(client, owner, colleague, outsider):
    """GIVEN a 机密 carrier the colleague may read (same unit)
    WHEN the colleague opens it and then posts a grant anyway
    THEN no scope, reclassify or copy forms are offered, and the post is refused with the service's
    message (403) and changes nothing."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(detail_url(carrier)))
    response = client.post(f"{detail_url(carrier)}grant/", {"person": outsider.pk, "reason": "x"})

    assert 'data-testid="grant-form"' not in page and 'data-testid="reclassify-form"' not in page
    assert 'data-testid="issue-form"' not in page
    assert 'data-testid="copy-request-form"' in page
    assert response.status_code == 403
    assert "只有登记人或保密员可以调整知悉范围。" in page_of(response)
    assert services.grants_of(carrier)["people"] == []


def test_reclassifying_on_the_page_needs_a_reason_and_then_changes_the_mark(client, owner):
    """GIVEN a 机密★20年 carrier
    WHEN the owner changes it to 秘密 for 5 years, first without a reason, then with one
    THEN the first is refused on the reason field, the second gives 秘密★5年 and a ``reclassify`` event."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)
    data = {"classification": Level.CONFIDENTIAL, "secrecy_term_unit": "years", "secrecy_term_amount": "5"}

    refused = client.post(f"{detail_url(carrier)}reclassify/", data)
    carrier.refresh_from_db()
    assert "reason" in refused.context["reclassify_form"].errors
    assert carrier.level_mark == "机密★20年"

    client.post(f"{detail_url(carrier)}reclassify/", {**data, "reason": "部分内容已公开"})
    carrier.refresh_from_db()
    assert carrier.level_mark == "秘密★5年"
    assert events(AuditAction.RECLASSIFY, carrier).get().detail["reason"] == "部分内容已公开"


def test_issuing_a_copy_on_the_page_and_signing_for_it(client, owner, colleague):
    """GIVEN a 机密 carrier
    WHEN the owner issues a copy to a colleague on the carrier's page, and the colleague signs for it
    on 我持有的份号
    THEN copy 000001 is held by the colleague, listed on both pages, and is 已签收."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(owner.user)

    response = client.post(
        f"{detail_url(carrier)}copies/issue/",
        {"holder_person": colleague.pk, "due_back": "2030-12-31"},
        follow=True,
    )
    copy = ClassifiedCopy.objects.get(object_id=carrier.pk)
    assert copy.holder_person == colleague and copy.number_display == "000001"
    copies_panel = page_of(response)[page_of(response).index('data-testid="carrier-copies"') :]
    assert "000001" in copies_panel[:1500] and "陈晓静" in copies_panel[:1500]

    client.force_login(colleague.user)
    mine = page_of(client.get(MY_COPIES_URL))
    assert "000001" in mine and "防汛指挥部署" in mine and 'data-testid="sign"' in mine
    signed = client.post(f"/confidentiality/copies/{copy.pk}/sign/", {"next": MY_COPIES_URL}, follow=True)
    copy.refresh_from_db()
    assert copy.state == CopyState.SIGNED
    assert "份号000001：已签收。" in messages_of(signed)


def test_a_copy_cannot_be_issued_with_a_return_date_in_the_past(client, owner, colleague):
    """GIVEN a 机密 carrier WHEN the owner issues a copy due back yesterday THEN the date field says
    why and no copy is registered."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = client.post(
        f"{detail_url(carrier)}copies/issue/", {"holder_person": colleague.pk, "due_back": yesterday}
    )

    assert response.context["issue_form"].errors["due_back"] == ["应清退日期不能早于今天。"]
    assert not ClassifiedCopy.objects.exists()


def test_a_person_cannot_sign_for_someone_elses_copy(client, owner, colleague, outsider):
    """GIVEN a copy issued to a colleague WHEN a person of another unit posts 签收 for it THEN 404
    and the copy stays 已分发."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(outsider.user)

    assert client.post(f"/confidentiality/copies/{copy.pk}/sign/").status_code == 404
    copy.refresh_from_db()
    assert copy.state == CopyState.ISSUED


# --- The 份号 register -----------------------------------------------------------------------------


def test_the_copy_register_is_for_security_officers_only(client, owner, colleague, officer):
    """GIVEN a copy of a 机密 carrier
    WHEN the holder (not a 保密员) opens the register, tries an officer action, and the 保密员 opens it
    THEN the holder gets 403 with no rows and a 404 for the action; the officer sees copy 000001 with
    the carrier's title, holder and dates."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)

    client.force_login(colleague.user)
    refused = client.get(COPIES_URL)
    assert refused.status_code == 403
    assert "000001" not in page_of(refused) and "防汛指挥部署" not in page_of(refused)
    assert client.post(f"/confidentiality/copies/{copy.pk}/return/").status_code == 404

    client.force_login(officer.user)
    page = page_of(client.get(COPIES_URL))
    row = page[page.index('data-testid="copy-row"') :]
    assert "000001" in row and "防汛指挥部署" in row and "陈晓静" in row and "已分发" in row


def test_the_register_hides_titles_of_records_the_officer_may_not_read(client, officer, outsider):
    """GIVEN a 机密 carrier of the planning bureau, with a copy, outside the 保密员's 知悉范围
    WHEN the 保密员 opens the register
    THEN the row shows （登记事项） and the mark 机密★20年, never the title."""
    carrier = register(outsider, title="项目审批台账", level=Level.SECRET)
    services.copy_issue(actor=outsider.user, record=carrier, holder_person=outsider)
    client.force_login(officer.user)

    page = page_of(client.get(COPIES_URL))

    assert "（登记事项）" in page and "机密★20年" in page
    assert "项目审批台账" not in page


@time_machine.travel("2026-05-10 10:00 +0800")
def test_the_overdue_filter_shows_only_copies_past_their_return_date(client, owner, colleague, officer):
    """GIVEN two copies out: one due back yesterday, one next month
    WHEN the 保密员 opens the register with ?overdue=1
    THEN only the overdue one is listed, highlighted; without the filter both are, the overdue one
    flagged."""
    carrier = register(owner, level=Level.SECRET)
    today = timezone.localdate()
    with time_machine.travel("2026-04-30 10:00 +0800"):  # issued ten days ago, due back yesterday
        late = services.copy_issue(
            actor=owner.user, record=carrier, holder_person=colleague, due_back=today - timedelta(1)
        )
    services.copy_issue(actor=owner.user, record=carrier, holder_person=owner, due_back=today + timedelta(30))
    client.force_login(officer.user)

    overdue = page_of(client.get(COPIES_URL, {"overdue": "1"}))
    everything = page_of(client.get(COPIES_URL))

    assert overdue.count('data-testid="copy-row"') == 1
    assert late.number_display in overdue and "000002" not in overdue
    assert 'class="table-danger overdue"' in overdue and 'data-testid="overdue"' in overdue
    assert everything.count('data-testid="copy-row"') == 2
    assert everything.count('data-testid="overdue"') == 1


def test_destruction_on_the_page_takes_two_people(client, owner, colleague, officer, second_officer):
    """GIVEN a returned copy put up for destruction by one 保密员
    WHEN the same 保密员 confirms it, and then a second 保密员 does
    THEN the first is refused with the two-person message and the copy waits; the second destroys it
    and the register names both."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(officer.user)
    client.post(f"/confidentiality/copies/{copy.pk}/return/")
    client.post(f"/confidentiality/copies/{copy.pk}/request-destruction/", {"note": "年度清理"})
    copy.refresh_from_db()
    assert copy.state == CopyState.DESTRUCTION_REQUESTED

    same = client.post(f"/confidentiality/copies/{copy.pk}/confirm-destruction/", follow=True)
    copy.refresh_from_db()
    assert "销毁须由两人办理：经办人不能同时担任监销人。" in messages_of(same)
    assert copy.state == CopyState.DESTRUCTION_REQUESTED

    client.force_login(second_officer.user)
    done = client.post(f"/confidentiality/copies/{copy.pk}/confirm-destruction/", follow=True)
    copy.refresh_from_db()
    assert copy.state == CopyState.DESTROYED
    assert copy.destruction_requested_by == officer and copy.destruction_confirmed_by == second_officer
    assert "吴敏" in page_of(done) and "郑洁" in page_of(done)


def test_a_move_the_copy_does_not_allow_shows_its_message(client, owner, colleague, officer):
    """GIVEN a copy already returned WHEN the 保密员 posts 清退 again THEN the page says why and
    nothing changes."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    services.copy_return(actor=officer.user, copy=copy)
    client.force_login(officer.user)

    response = client.post(f"/confidentiality/copies/{copy.pk}/return/", follow=True)

    assert "份号000001当前为“已清退”，不能办理此项。" in messages_of(response)


def test_the_copy_register_stays_at_a_fixed_number_of_queries(
    client, owner, colleague, officer, django_assert_max_num_queries
):
    """GIVEN 2 and then 20 copies WHEN the 保密员 opens the register THEN the query count does not grow."""
    carrier = register(owner, level=Level.SECRET)
    for _ in range(2):
        services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(officer.user)
    with django_assert_max_num_queries(50) as few:
        client.get(COPIES_URL)
    for _ in range(18):
        services.copy_issue(actor=owner.user, record=carrier, holder_unit=colleague.unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = page_of(client.get(COPIES_URL))
    assert page.count('data-testid="copy-row"') == 20


# --- Copy and excerpt requests ---------------------------------------------------------------------


def test_a_copy_request_from_the_page_is_decided_by_a_leader(client, owner, colleague, leader):
    """GIVEN a 机密 carrier the colleague may read
    WHEN the colleague asks to copy it on the carrier's page and a leader approves it on the
    requests page
    THEN the request is 已批准 by the leader, and the colleague sees the decision."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    client.post(f"{detail_url(carrier)}copy-request/", {"kind": "copy", "copies": "2", "reason": "分送防汛办"})
    request = CopyRequest.objects.get()
    assert request.requested_by == colleague and request.copies == 2

    client.force_login(leader.user)
    listing = page_of(client.get(REQUESTS_URL))
    assert 'data-testid="decide-form"' in listing and "分送防汛办" in listing
    client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve", "note": "同意"})
    request.refresh_from_db()
    assert request.state == CopyRequestState.APPROVED and request.decided_by == leader

    client.force_login(colleague.user)
    mine = page_of(client.get(REQUESTS_URL))
    assert "已批准" in mine and 'data-testid="decide-form"' not in mine


def test_a_top_secret_copy_needs_the_classifying_organs_approval(client, owner, leader, officer):
    """GIVEN a pending request to copy a 绝密 carrier
    WHEN a leader approves it without the classifying organ's approval, then with it
    THEN the first is refused with the message and the request stays pending; the second approves it."""
    carrier = register(owner, level=Level.TOP_SECRET)
    services.grant(actor=owner.user, record=carrier, person=officer, reason="保密检查")
    request = services.copy_request_submit(actor=officer.user, record=carrier, kind="excerpt", reason="检查摘录")
    client.force_login(leader.user)
    assert 'name="originating_organ_approval"' in page_of(client.get(REQUESTS_URL))

    refused = client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve"}, follow=True)
    request.refresh_from_db()
    assert "绝密级事项的复制摘抄须经定密机关批准，请写明批准情况。" in messages_of(refused)
    assert request.state == CopyRequestState.PENDING

    client.post(
        f"/confidentiality/copy-requests/{request.pk}/decide/",
        {"decision": "approve", "originating_organ_approval": "市保密局批复〔2026〕1号"},
    )
    request.refresh_from_db()
    assert request.state == CopyRequestState.APPROVED
    assert request.originating_organ_approval == "市保密局批复〔2026〕1号"


def test_a_person_who_is_not_a_leader_cannot_decide(client, owner, colleague, outsider):
    """GIVEN a colleague's pending request WHEN a person who is neither the requester nor a leader
    posts a decision THEN 404 and the request stays pending."""
    carrier = register(owner, level=Level.SECRET)
    request = services.copy_request_submit(actor=colleague.user, record=carrier, kind="copy", reason="x")
    client.force_login(outsider.user)

    assert (
        client.post(f"/confidentiality/copy-requests/{request.pk}/decide/", {"decision": "approve"}).status_code == 404
    )
    request.refresh_from_db()
    assert request.state == CopyRequestState.PENDING


# --- Declassification worklist ---------------------------------------------------------------------


def test_the_worklist_shows_an_expired_term_and_declassifying_needs_a_reason(client, owner, officer):
    """GIVEN a 秘密 carrier classified for 1 year in January 2025
    WHEN the 保密员 opens the worklist in March 2026, declassifies it without a reason, then with one
    THEN the carrier is listed with its due date; the first is refused with a message and changes
    nothing; the second makes it 内部, writes a ``declassify`` event, and the worklist is empty."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, title="年度考核方案", level=Level.CONFIDENTIAL, term_amount=1)
    assert carrier.declassify_due.isoformat() == "2026-01-10"

    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(officer.user)
        listing = page_of(client.get(WORKLIST_URL))
        assert listing.count('data-testid="worklist-row"') == 1
        assert "年度考核方案" in listing and "秘密★1年" in listing and "2026-01-10" in listing

        prefix = f"d{ContentType.objects.get_for_model(Carrier).pk}-{carrier.pk}"
        url = f"/confidentiality/declassification/{ContentType.objects.get_for_model(Carrier).pk}/{carrier.pk}/"
        refused = client.post(url, {"decision": "declassify", f"{prefix}-classification": Level.INTERNAL}, follow=True)
        carrier.refresh_from_db()
        assert carrier.level == Level.CONFIDENTIAL
        assert any("解密理由" in message for message in messages_of(refused))

        client.post(
            url,
            {
                "decision": "declassify",
                f"{prefix}-classification": Level.INTERNAL,
                f"{prefix}-reason": "期限届满，经审核不再需要保密",
            },
        )
        carrier.refresh_from_db()
        assert carrier.level == Level.INTERNAL
        assert events(AuditAction.DECLASSIFY, carrier).get().detail["reason"] == "期限届满，经审核不再需要保密"
        assert 'data-testid="worklist-row"' not in page_of(client.get(WORKLIST_URL))


def test_extending_a_term_from_the_worklist(client, owner, officer):
    """GIVEN a 秘密 carrier whose one-year term has run out
    WHEN the 保密员 extends it to 5 years with a reason
    THEN it is 秘密★5年 counted from the date first marked (2025-01-10) and leaves the worklist."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, level=Level.CONFIDENTIAL, term_amount=1)
    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(officer.user)
        content_type = ContentType.objects.get_for_model(Carrier).pk
        prefix = f"c{content_type}-{carrier.pk}"
        client.post(
            f"/confidentiality/declassification/{content_type}/{carrier.pk}/",
            {
                "decision": "change",
                f"{prefix}-classification": Level.CONFIDENTIAL,
                f"{prefix}-secrecy_term_unit": "years",
                f"{prefix}-secrecy_term_amount": "5",
                f"{prefix}-reason": "相关工作尚未完成",
            },
        )
        carrier.refresh_from_db()
        assert carrier.level_mark == "秘密★5年"
        assert carrier.declassify_due.isoformat() == "2030-01-10"
        assert 'data-testid="worklist-row"' not in page_of(client.get(WORKLIST_URL))


def test_the_worklist_is_for_security_officers_only(client, owner):
    """GIVEN an expired 秘密 carrier WHEN its owner (not a 保密员) opens the worklist or posts a
    declassification THEN 403 and nothing changes."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, title="年度考核方案", level=Level.CONFIDENTIAL, term_amount=1)
    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(owner.user)
        response = client.get(WORKLIST_URL)
        content_type = ContentType.objects.get_for_model(Carrier).pk
        posted = client.post(f"/confidentiality/declassification/{content_type}/{carrier.pk}/", {"decision": "x"})
    assert response.status_code == 403 and "年度考核方案" not in page_of(response)
    assert posted.status_code == 403
    carrier.refresh_from_db()
    assert carrier.level == Level.CONFIDENTIAL


# --- The access log and its export -----------------------------------------------------------------


def test_the_access_log_and_its_export_are_for_security_officers_only(client, owner, colleague):
    """GIVEN reads of a 机密 carrier in the log
    WHEN a person who is not a 保密员 opens the log or its export
    THEN 403 both times, no spreadsheet and no log rows in the answers, and no export is recorded."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))

    page = client.get(LOG_URL)
    export = client.get(EXPORT_URL)

    assert page.status_code == 403 and export.status_code == 403
    assert "防汛指挥部署" not in page_of(page) and "防汛指挥部署" not in page_of(export)
    assert export["Content-Type"].startswith("text/html")
    assert not events(AuditAction.EXPORT).exists()


def test_the_access_log_filters_and_pages_by_fifty(client, owner, colleague, officer):
    """GIVEN 55 reads of a 机密 carrier by a colleague and one by its owner
    WHEN the 保密员 filters the log by the colleague's name and the ``view`` action
    THEN 55 rows match, 50 on the first page and 5 on the second, none of the owner's."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    for _ in range(55):
        client.get(detail_url(carrier))
    client.force_login(owner.user)
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    first = client.get(LOG_URL, {"actor": "晓静", "action": "view"})
    second = client.get(LOG_URL, {"actor": "晓静", "action": "view", "page": "2"})

    assert first.context["page"].paginator.count == 55
    assert page_of(first).count('data-testid="log-row"') == 50
    assert page_of(second).count('data-testid="log-row"') == 5
    assert "李明华" not in "".join(re.findall(r'data-testid="log-row".*?</tr>', page_of(first), re.S))
    assert "actor=%E6%99%93%E9%9D%99&amp;action=view&amp;page=2" in page_of(first)


def test_the_access_log_filters_by_date_and_record(client, owner, colleague, officer):
    """GIVEN a read yesterday and a read today of two carriers
    WHEN the 保密员 filters by today's date, then by the first carrier's id
    THEN only today's read, then only the first carrier's events, are listed."""
    first = register(owner, title="第一件", level=Level.SECRET)
    second = register(owner, title="第二件", level=Level.SECRET)
    client.force_login(colleague.user)
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        client.get(detail_url(first))
    client.get(detail_url(second))
    client.force_login(officer.user)
    today = timezone.localdate().isoformat()
    content_type = ContentType.objects.get_for_model(Carrier).pk

    by_date = client.get(LOG_URL, {"action": "view", "date_from": today, "date_to": today})
    by_record = client.get(LOG_URL, {"content_type": content_type, "object_id": first.pk})

    assert [event.object_repr for event in by_date.context["page"].object_list] == ["第二件"]
    assert {event.object_repr for event in by_record.context["page"].object_list} == {"第一件"}


def test_the_export_holds_the_filtered_rows_and_is_itself_audited(client, owner, colleague, officer):
    """GIVEN reads of a 机密 carrier titled like a spreadsheet formula
    WHEN the 保密员 exports the log filtered to ``view``
    THEN an .xlsx comes back with a header and one row per read (the title as text, never a formula),
    and an ``export`` event records what was exported with which filters."""
    carrier = register(owner, title='=HYPERLINK("http://x")', level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    response = client.get(EXPORT_URL, {"action": "view"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间", "操作人", "操作")
    assert len(rows) == 3
    assert all(row[2] == "陈晓静" and row[3] == "查看" and row[7] == "机密" for row in rows[1:])
    assert rows[1][6] == '=HYPERLINK("http://x")'
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "s"
    export = events(AuditAction.EXPORT).get()
    assert export.actor == officer.user
    assert export.detail == {"what": "access_log", "filters": {"action": "view"}, "rows": 2}


def test_the_log_never_names_records_above_the_officers_clearance(client, owner, second_officer):
    """GIVEN a read of a 绝密 carrier in the log and a 保密员 cleared only for 机密
    WHEN they open the log and export it
    THEN the 绝密 carrier's event is in neither."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET)
    client.force_login(owner.user)
    client.get(detail_url(carrier))
    client.force_login(second_officer.user)

    page = page_of(client.get(LOG_URL))
    export = load_workbook(BytesIO(client.get(EXPORT_URL).content)).active

    assert "核心部署" not in page
    assert all("核心部署" not in str(value) for row in export.iter_rows(values_only=True) for value in row)


def test_the_export_drops_control_characters_a_spreadsheet_cannot_hold(client, owner, colleague, officer):
    """GIVEN a read of a 机密 carrier whose title carries a control character (pasted from elsewhere)
    WHEN the 保密员 exports the log
    THEN the workbook comes back with the title minus that character, not a server error."""
    carrier = register(owner, title="值班\x07安排", level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    response = client.get(EXPORT_URL, {"action": "view"})

    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][6] == "值班安排"


@pytest.mark.parametrize(
    ("forwarded", "logged"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
        ("198.51.100.66, 203.0.113.9", "203.0.113.9"),
        # Junk in the header must neither fail the read nor reach the log.
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_the_read_logs_the_address_the_proxy_saw(client, owner, colleague, settings, forwarded, logged):
    """GIVEN the app behind the TLS proxy and a 机密 carrier
    WHEN a colleague opens it with a given X-Forwarded-For
    THEN the page opens and its ``view`` event names the address the proxy added (the last hop),
    never one the client made up, and falls back to the connection's address on junk."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    carrier = register(owner, title="值班安排", level=Level.SECRET)
    client.force_login(colleague.user)

    response = client.get(detail_url(carrier), HTTP_X_FORWARDED_FOR=forwarded)

    assert response.status_code == 200
    assert events(AuditAction.VIEW, carrier).get().ip_address == logged
