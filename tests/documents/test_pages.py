"""The 发文 pages: the register with its filters and search, 我的待办, the drafting form, and a
document's page (the GB/T 9704 preview, the 核稿 findings, the 流转记录, 会签, and the actions each
person may take in each state).

The office, its people and the ``make_document`` / ``walk`` helpers come from ``conftest.py``."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import DocumentState, OutgoingDocument, Transition
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

S = DocumentState
LIST_URL = "/documents/outgoing/"
INBOX_URL = "/documents/outgoing/inbox/"
NEW_URL = "/documents/outgoing/new/"
ALL_ACTIONS = {"submit", "withdraw", "review", "countersign", "sign", "register", "issue", "archive", "end", "void"}


def detail_url(document) -> str:
    return f"/documents/outgoing/{document.pk}/"


def action_url(document, action: str) -> str:
    return f"/documents/outgoing/{document.pk}/{action}/"


def page_of(response) -> str:
    return response.content.decode()


def rows(html: str) -> int:
    return html.count('data-testid="document-row"')


def actions_offered(html: str) -> set[str]:
    """The action forms on a document's page, plus ``edit`` when the edit link is there."""
    found = set(re.findall(r'data-testid="action-([a-z]+)"', html))
    if 'data-testid="edit-link"' in html:
        found.add("edit")
    return found


@pytest.fixture
def outsider(db):
    """Someone in another organ altogether, cleared for 绝密: need-to-know, not clearance, keeps
    them out."""
    return make_person(
        username="doc-outsider",
        name="吴外人",
        unit=UnitFactory(parent=OrganFactory(name="乙市人民政府")),
        clearance=Level.TOP_SECRET,
    )


# --- The pages render ------------------------------------------------------------------------------


def test_register_inbox_detail_and_form_render_for_the_drafter(client, office, make_document):
    """GIVEN a draft
    WHEN its drafter opens the register, 我的待办, the document's page and the drafting form
    THEN each answers in Chinese: the row with its state badge, the draft waiting in 我的草稿, the
    page laid out as a GB/T 9704 preview with its 流转记录, and the form with the heading hint."""
    document = make_document(urgency="urgent")
    client.force_login(office.drafter.user)

    listing = page_of(client.get(LIST_URL))
    assert rows(listing) == 1
    assert document.title in listing
    assert 'data-state="draft"' in listing and "拟稿" in listing

    inbox = page_of(client.get(INBOX_URL))
    assert 'data-testid="inbox-drafts"' in inbox and document.title in inbox

    response = client.get(detail_url(document))
    assert response.status_code == 200
    detail = page_of(response)
    assert 'data-testid="preview-issuer">测试办公室文件<' in detail
    assert "测办发〔　　〕　号" in detail  # not numbered before 登记
    assert 'data-testid="preview-main-to">测试市财政局：<' in detail
    assert 'class="gb-p gb-h1">一、高度重视年终工作<' in detail
    assert 'data-testid="preview-urgency">加急<' in detail
    assert 'data-testid="transition"' in detail and "拟稿" in detail

    form = page_of(client.get(NEW_URL))
    assert 'data-testid="document-form"' in form
    assert "以“一、”“（一）”“1.”“（1）”开头的行为各级标题" in form


def test_an_upward_document_shows_its_signer_beside_the_number(client, office, make_document):
    """GIVEN a 上行文 请示 naming the office director as its signer
    WHEN its page is opened
    THEN the number line carries 签发人 on the right, as GB/T 9704 lays out upward documents."""
    document = make_document(
        title="测试办公室关于申请专项经费的请示",
        kind="request",
        direction="up",
        designated_signer=office.director,
        main_to_units=[],
        main_to_external="测试市人民政府",
        body="一、申请事由\n妥否，请批示。",
    )
    client.force_login(office.drafter.user)

    detail = page_of(client.get(detail_url(document)))

    assert "gb-number-up" in detail
    assert re.search(r'data-testid="preview-signer">签发人：<span class="gb-signer">赵主任<', detail)


# --- Need-to-know ----------------------------------------------------------------------------------


def test_a_person_outside_the_scope_gets_404_and_finds_nothing(client, office, make_document, outsider):
    """GIVEN a draft of the office
    WHEN a person of another organ opens its page, the register, or searches for its title
    THEN the page is a 404 (logged as denied) and the register and the search are empty."""
    document = make_document()
    client.force_login(outsider.user)

    response = client.get(detail_url(document))
    listing = page_of(client.get(LIST_URL))
    searched = page_of(client.get(LIST_URL, {"q": "年终工作"}))

    assert response.status_code == 404
    assert document.title not in page_of(response)
    assert rows(listing) == 0 and document.title not in listing
    assert rows(searched) == 0 and 'data-testid="no-documents"' in searched
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(document.pk)).count() == 1
    for action in ("submit", "review", "issue"):
        assert client.post(action_url(document, action)).status_code == 404


def test_a_recipient_unit_sees_the_document_only_once_it_is_issued(client, office, make_document, walk):
    """GIVEN a document to the 财政局
    WHEN a person of the 财政局 looks before and after 核发
    THEN before it is a 404 and absent from the register; after, it is listed with its number."""
    document = walk(make_document(), S.REGISTERED)
    client.force_login(office.bureau_staff.user)
    assert client.get(detail_url(document)).status_code == 404
    assert rows(page_of(client.get(LIST_URL))) == 0

    document = walk(document, S.ISSUED)

    listing = page_of(client.get(LIST_URL, {"q": "年终"}))
    assert rows(listing) == 1 and document.number_text in listing
    assert client.get(detail_url(document)).status_code == 200


def test_search_and_filters_narrow_the_register(client, office, make_document, walk):
    """GIVEN a notice and a registered 函
    WHEN the drafter searches by words of the title and filters by kind, state and year
    THEN only the matching document is listed."""
    make_document()
    letter = walk(make_document(title="测试办公室关于商请提供统计数据的函", kind="letter"), S.REGISTERED)
    client.force_login(office.drafter.user)

    assert rows(page_of(client.get(LIST_URL, {"q": "统计数据"}))) == 1
    assert rows(page_of(client.get(LIST_URL, {"kind": "letter"}))) == 1
    assert rows(page_of(client.get(LIST_URL, {"state": "draft"}))) == 1
    by_year = page_of(client.get(LIST_URL, {"year": timezone.localdate().year, "series": office.series.pk}))
    assert rows(by_year) == 2
    assert rows(page_of(client.get(LIST_URL, {"classification": Level.SECRET}))) == 0
    assert letter.number_text in page_of(client.get(LIST_URL, {"state": "registered"}))


# --- Drafting ----------------------------------------------------------------------------------------


def _form_data(office, **overrides) -> dict:
    data = {
        "series": office.series.pk,
        "title": "测试办公室关于开展节能宣传周活动的通知",
        "kind": "notice",
        "direction": "down",
        "urgency": "",
        "main_to_units": [office.bureau.pk],
        "main_to_external": "",
        "cc_units": [],
        "cc_external": "",
        "countersign_units": [office.countersign_unit.pk],
        "designated_signer": "",
        "body": "一、活动时间\n2026年6月1日至6月7日。\n二、活动内容\n（一）节能知识进机关。",
        "attachment_note": "",
        "in_reply_to": "",
        "note": "",
        "disclosure": "proactive",
        "disclosure_reason": "",
        "copies": "0",
        "classification": Level.INTERNAL.value,
        "secrecy_term_unit": "",
        "secrecy_term_amount": "",
        "classification_basis": "",
    }
    data.update(overrides)
    return data


def test_the_drafting_form_creates_a_draft_in_the_persons_unit(client, office):
    """GIVEN the drafter
    WHEN they fill in the drafting form and save
    THEN a draft exists in their unit with its recipients and countersign unit, its first 流转记录
    row, and the browser is on its page with a message."""
    client.force_login(office.drafter.user)

    response = client.post(NEW_URL, _form_data(office), follow=True)

    document = OutgoingDocument.objects.get(title="测试办公室关于开展节能宣传周活动的通知")
    assert response.redirect_chain[-1][0] == detail_url(document)
    assert "草稿已保存" in page_of(response)
    assert document.state == S.DRAFT
    assert document.drafter == office.drafter and document.drafting_unit == office.general_section
    assert list(document.main_to_units.all()) == [office.bureau]
    assert [c.unit for c in document.countersigns.all()] == [office.countersign_unit]
    assert Transition.objects.filter(document=document, action="拟稿").count() == 1


def test_the_form_offers_only_levels_within_the_clearance_and_refuses_content_above_the_ceiling(client, office):
    """GIVEN the office director, cleared for 绝密, on a network whose ceiling is 内部
    WHEN they draft a 机密 document with a body
    THEN the form comes back with the ceiling's message on the body and nothing is stored; and the
    drafter (内部) is offered 公开 and 内部 only."""
    client.force_login(office.director.user)
    before = OutgoingDocument.objects.count()

    response = client.post(
        NEW_URL, _form_data(office, classification=Level.SECRET.value, classification_basis="保密事项范围第1项")
    )

    assert response.status_code == 200
    assert "本系统的密级上限为“内部”" in str(response.context["form"].errors["body"])
    assert OutgoingDocument.objects.count() == before

    client.force_login(office.drafter.user)
    offered = [label for _, label in client.get(NEW_URL).context["form"].fields["classification"].choices]
    assert offered == ["公开", "内部"]


def test_the_drafter_edits_the_draft(client, office, make_document):
    """GIVEN a draft WHEN the drafter changes its title through the edit form THEN it is saved."""
    document = make_document()
    client.force_login(office.drafter.user)
    form = client.get(f"{detail_url(document)}edit/").context["form"]
    data = _form_data(office, title="测试办公室关于做好岁末年初工作的通知")
    data["countersign_units"] = []

    response = client.post(f"{detail_url(document)}edit/", data, follow=True)

    document.refresh_from_db()
    assert "classification" not in form.fields  # the level is changed in 保密管理, not here
    assert document.title == "测试办公室关于做好岁末年初工作的通知"
    assert "已保存修改" in page_of(response)


# --- The 核稿 findings ------------------------------------------------------------------------------


def test_a_checker_error_shows_red_on_the_page_and_the_check_can_be_run_again(client, office, make_document):
    """GIVEN a draft whose 附件说明 lists an attachment it does not have, and a title without 关于
    WHEN its page is opened (and the check run again through htmx)
    THEN the error is in red and the warning in yellow, each naming its element."""
    document = make_document(attachment_note="1.年终工作安排表", title="测试办公室年终工作的通知")
    client.force_login(office.drafter.user)

    detail = page_of(client.get(detail_url(document)))
    again = page_of(client.get(f"{detail_url(document)}check/", HTTP_HX_REQUEST="true"))

    for html in (detail, again):
        error = re.search(r'<li class="list-group-item list-group-item-danger"[^>]*data-rule="attachments_match"', html)
        warning = re.search(r'<li class="list-group-item list-group-item-warning"[^>]*data-rule="title_shape"', html)
        assert error and warning
        assert "附件说明列出1件，实际附件0件。" in html
    assert "<html" not in again  # the panel alone


# --- The actions: who sees which, in which state ----------------------------------------------------

# (state, the document has a countersign unit, person, the actions that person is offered)
EXPECTED_ACTIONS = [
    (S.DRAFT, False, "drafter", {"edit", "submit", "void"}),
    (S.DRAFT, False, "clerk", set()),
    (S.DRAFT, False, "director", set()),
    (S.REVIEW, False, "drafter", {"withdraw"}),
    (S.REVIEW, False, "clerk", {"edit", "review"}),
    (S.REVIEW, False, "director", {"edit", "review"}),  # 办公室主任 of the series' office
    (S.REVIEW, False, "deputy", set()),
    (S.COUNTERSIGN, True, "countersign_head", {"countersign"}),
    (S.COUNTERSIGN, True, "drafter", set()),
    (S.COUNTERSIGN, True, "clerk", set()),
    (S.SIGNOFF, False, "director", {"sign"}),
    (S.SIGNOFF, False, "deputy", {"sign"}),
    (S.SIGNOFF, False, "clerk", set()),
    (S.SIGNOFF, False, "drafter", set()),
    (S.RECHECK, False, "clerk", {"edit", "register"}),
    (S.RECHECK, False, "drafter", set()),
    (S.REGISTERED, False, "clerk", {"issue"}),
    (S.REGISTERED, False, "deputy", set()),
    (S.ISSUED, False, "clerk", {"archive"}),
    (S.ISSUED, False, "director", {"archive", "end"}),
    (S.ISSUED, False, "deputy", {"end"}),
    (S.ISSUED, False, "bureau_staff", set()),
    (S.ARCHIVED, False, "director", {"end"}),
    (S.ARCHIVED, False, "clerk", set()),
    (S.REVOKED, False, "director", set()),
    (S.VOIDED, False, "drafter", set()),
]


@pytest.mark.parametrize(("state", "countersigned", "who", "expected"), EXPECTED_ACTIONS)
def test_each_action_is_offered_only_to_the_right_person_in_the_right_state(
    client, office, make_document, walk, state, countersigned, who, expected
):
    """GIVEN a document walked to a state
    WHEN a person of the office opens its page
    THEN exactly the actions their step allows are offered."""
    extra = {"countersign_units": [office.countersign_unit]} if countersigned else {}
    document = walk(make_document(**extra), state)
    client.force_login(getattr(office, who).user)

    response = client.get(detail_url(document))

    assert response.status_code == 200
    assert actions_offered(page_of(response)) == expected
    if not expected:
        assert 'data-testid="no-actions"' in page_of(response)


def test_only_the_principal_leader_is_offered_to_sign_an_important_document(client, office, make_document, walk):
    """GIVEN an important document waiting for 签发
    WHEN the deputy and the office director open it
    THEN only the director (the office's head) is offered 签发."""
    document = walk(make_document(important=True), S.SIGNOFF)

    client.force_login(office.deputy.user)
    deputy_sees = actions_offered(page_of(client.get(detail_url(document))))
    client.force_login(office.director.user)
    director_sees = actions_offered(page_of(client.get(detail_url(document))))

    assert deputy_sees == set() and director_sees == {"sign"}


def test_posting_actions_moves_the_document_and_says_so(client, office, make_document, walk):
    """GIVEN a draft with a countersign unit
    WHEN the drafter submits, the clerk passes 核稿, the unit's head agrees, the director signs and
    the clerk registers — each from the page
    THEN each step moves the state, shows its message, and registration shows the number."""
    document = make_document(countersign_units=[office.countersign_unit])
    year = timezone.localdate().year
    steps = [
        ("drafter", "submit", {"submit-comment": "请审核"}, S.REVIEW, "已送核稿。"),
        (
            "clerk",
            "review",
            {"review-decision": "approve", "review-comment": ""},
            S.COUNTERSIGN,
            "核稿通过，已送会签。",
        ),
        (
            "countersign_head",
            "countersign",
            {"countersign-unit": office.countersign_unit.pk, "countersign-decision": "approve"},
            S.SIGNOFF,
            "政策法规处已会签同意。",
        ),
        (
            "director",
            "sign",
            {"sign-decision": "approve", "sign-comment": "同意", "confirmed": "1"},  # 签发 is confirmed
            S.RECHECK,
            "已签发，成文日期",
        ),
        ("clerk", "register", {"register-copies": "", "confirmed": "1"}, S.REGISTERED, f"测办发〔{year}〕1号"),
    ]
    for who, action, data, state, message in steps:
        client.force_login(getattr(office, who).user)
        response = client.post(action_url(document, action), data, follow=True)
        document.refresh_from_db()
        assert document.state == state, (action, document.state)
        assert response.redirect_chain[-1][0] == detail_url(document)
        assert message in page_of(response)

    detail = page_of(response)
    assert f'data-testid="preview-number">测办发〔{year}〕1号<' in detail
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in detail  # 成文日期, unpadded
    assert 'data-testid="countersign-row"' in detail and "同意" in detail


def test_an_illegal_action_shows_the_reason_and_changes_nothing(client, office, make_document, walk):
    """GIVEN a document already in 核稿
    WHEN the drafter posts 送核稿 again, and the clerk posts 核发 on it
    THEN the page answers with the workflow's message (409) and neither the state nor the 流转记录
    changes."""
    document = walk(make_document(), S.REVIEW)
    transitions = Transition.objects.filter(document=document).count()

    client.force_login(office.drafter.user)
    again = client.post(action_url(document, "submit"), {"submit-comment": ""})
    client.force_login(office.clerk.user)
    too_early = client.post(action_url(document, "issue"), {})

    assert again.status_code == 409
    assert "公文处于“核稿”，不能送核稿。" in page_of(again)
    assert too_early.status_code == 409
    assert "公文须先登记编号再核发。" in page_of(too_early)
    document.refresh_from_db()
    assert document.state == S.REVIEW
    assert Transition.objects.filter(document=document).count() == transitions


def test_a_person_who_may_not_act_is_refused_and_a_return_needs_its_reason(client, office, make_document, walk):
    """GIVEN a document in 核稿
    WHEN the drafter posts 核稿通过, and the clerk returns it without a reason
    THEN the drafter is refused (403) with the service's message, the clerk's form asks for the
    reason, and the document stays in 核稿."""
    document = walk(make_document(), S.REVIEW)

    client.force_login(office.drafter.user)
    refused = client.post(action_url(document, "review"), {"review-decision": "approve"})
    client.force_login(office.clerk.user)
    no_reason = client.post(action_url(document, "review"), {"review-decision": "return", "review-comment": " "})

    assert refused.status_code == 403 and "核稿由发文机关办公室办理。" in page_of(refused)
    assert no_reason.status_code == 400 and "退回请写明意见。" in page_of(no_reason)
    document.refresh_from_db()
    assert document.state == S.REVIEW


def test_the_open_steps_deadline_shows_on_the_timeline(client, office, make_document, walk):
    """GIVEN a document in 核稿 WHEN its page is opened THEN the step's deadline badge is shown."""
    document = walk(make_document(), S.REVIEW)
    client.force_login(office.clerk.user)

    detail = page_of(client.get(detail_url(document)))

    open_step = detail[detail.index('data-testid="open-step"') :]
    assert 'data-testid="deadline-badge"' in open_step[: open_step.index("</div>")]


def test_issue_end_and_archive_from_the_page(client, office, make_document, walk):
    """GIVEN an issued document
    WHEN the clerk archives it for 10 years and the director then abolishes it with a reason
    THEN it is 已归档 then 已废止, the reason on its page."""
    document = walk(make_document(), S.ISSUED)
    client.force_login(office.clerk.user)
    client.post(action_url(document, "archive"), {"archive-retention": "10年"})
    document.refresh_from_db()
    assert document.state == S.ARCHIVED and document.retention == "10年"

    client.force_login(office.director.user)
    response = client.post(
        action_url(document, "end"),
        {"end-how": "abolish", "end-reason": "已被新规定替代", "confirmed": "1"},
        follow=True,
    )

    document.refresh_from_db()
    assert document.state == S.ABOLISHED
    assert "公文已废止。" in page_of(response) and "已被新规定替代" in page_of(response)


# --- Classified documents and downloads ---------------------------------------------------------------


def test_a_classified_document_is_watermarked_with_the_reader_and_its_read_logged(client, office, make_document):
    """GIVEN a 机密 document (register only: the test ceiling is 内部)
    WHEN the director opens it
    THEN the watermark names him, the body says it is kept elsewhere, and the read is logged."""
    document = make_document(
        actor=office.director.user, level=Level.SECRET, basis="保密事项范围第1项", copies=3, body=""
    )
    client.force_login(office.director.user)

    response = client.get(detail_url(document))

    detail = page_of(response)
    assert "赵主任" in detail[detail.index('data-testid="watermark"') :]
    assert 'data-testid="register-only"' in detail
    assert 'data-testid="preview-level">机密★20年<' in detail
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(document.pk)).count() == 1


def test_downloads_are_offered_but_never_for_top_secret(client, office, make_document):
    """GIVEN an internal document and a 绝密 one
    WHEN the director opens them and asks for the files
    THEN the internal one comes as a Word file; the 绝密 one offers no download and refuses it."""
    internal = make_document(actor=office.director.user)
    top_secret = make_document(actor=office.director.user, level=Level.TOP_SECRET, basis="范围第2项", body="")
    client.force_login(office.director.user)

    assert 'data-testid="download-docx"' in page_of(client.get(detail_url(internal)))
    docx = client.get(f"{detail_url(internal)}render/", {"format": "docx"})
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert docx["Content-Disposition"].startswith("attachment;")

    assert 'data-testid="download-' not in page_of(client.get(detail_url(top_secret)))
    refused = client.get(f"{detail_url(top_secret)}render/", {"format": "pdf"}, follow=True)
    assert "绝密公文不能导出" in page_of(refused)


# --- Query counts ----------------------------------------------------------------------------------


def _list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL)
    return len(captured), page_of(response)


def test_the_register_takes_the_same_number_of_queries_for_5_and_25_documents(client, office, make_document, walk):
    """GIVEN 5 and then 25 documents visible to the clerk, some numbered
    WHEN the register is opened
    THEN the number of queries is the same (no query per row)."""
    for index in range(5):
        document = make_document(title=f"测试办公室关于第{index}项工作的通知")
        if index < 2:
            walk(document, S.REGISTERED)
    client.force_login(office.clerk.user)
    few, page = _list_queries(client)
    assert rows(page) == 5

    for index in range(5, 25):
        document = make_document(title=f"测试办公室关于第{index}项工作的通知")
        if index < 8:
            walk(document, S.REGISTERED)
    many, page = _list_queries(client)

    assert rows(page) == 25
    assert many == few


def test_the_inbox_groups_what_waits_for_each_person(client, office, make_document, walk):
    """GIVEN a draft, a document in 核稿, one in 会签 and one waiting for 签发
    WHEN the drafter, the clerk, the countersign head and the director open 我的待办
    THEN each sees their own group."""
    make_document(title="测试办公室关于草稿事项的通知")
    walk(make_document(title="测试办公室关于核稿事项的通知"), S.REVIEW)
    walk(
        make_document(title="测试办公室关于会签事项的通知", countersign_units=[office.countersign_unit]), S.COUNTERSIGN
    )
    walk(make_document(title="测试办公室关于签发事项的通知"), S.SIGNOFF)

    def inbox(who):
        client.force_login(getattr(office, who).user)
        return page_of(client.get(INBOX_URL))

    assert "草稿事项" in inbox("drafter") and 'data-testid="inbox-drafts"' in inbox("drafter")
    clerk = inbox("clerk")
    assert 'data-testid="inbox-review"' in clerk and "核稿事项" in clerk and "签发事项" not in clerk
    head = inbox("countersign_head")
    assert 'data-testid="inbox-countersign"' in head and "会签事项" in head
    director = inbox("director")
    assert 'data-testid="inbox-signoff"' in director and "签发事项" in director


def test_the_navigation_and_the_desk_lead_to_the_register(client, office):
    """GIVEN a logged-in person WHEN the desk is opened THEN the top bar and a card lead to 发文."""
    client.force_login(office.clerk.user)

    home = page_of(client.get("/"))

    assert f'href="{LIST_URL}"' in home and ">发文<" in home
    assert 'data-testid="module-documents"' in home


def test_the_register_exports_to_excel_when_the_export_is_available(client, office, make_document):
    """GIVEN the 发文登记簿 export WHEN the clerk follows the register's export link THEN an .xlsx
    comes back and the export is in the access log."""
    make_document()
    client.force_login(office.clerk.user)
    listing = page_of(client.get(LIST_URL))
    assert 'data-testid="register-export"' in listing

    response = client.get("/documents/outgoing/register.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_an_export_with_a_bad_filter_exports_nothing(client, office, make_document):
    """GIVEN a document WHEN the clerk asks for the register with a state that does not exist THEN
    no file and no access-log row: back to the list (same filters) with a message."""
    make_document()
    client.force_login(office.clerk.user)

    response = client.get("/documents/outgoing/register.xlsx", {"state": "nonsense"})

    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?state=nonsense"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_admin_lists_series_numbers_and_only_the_documents_the_administrator_may_see(
    client, office, make_document, walk, outsider
):
    """GIVEN a registered document of the office and an administrator of another organ
    WHEN the administrator opens the admin's 发文 pages
    THEN the series and the number ledger are shown (the ledger read-only), and the document list
    holds nothing: need-to-know has no administrator exemption."""
    document = walk(make_document(), S.REGISTERED)
    from office.org.models import Role
    from office.org.services import administrator_assign

    administrator_assign(user=outsider.user, role=Role.SYSTEM_ADMIN)
    client.force_login(outsider.user)

    series = page_of(client.get("/admin/documents/documentseries/"))
    numbers = page_of(client.get("/admin/documents/documentnumber/"))
    documents = page_of(client.get("/admin/documents/outgoingdocument/"))

    assert "测办发" in series
    assert document.number_text in numbers and "/admin/documents/documentnumber/add/" not in numbers
    assert document.title not in documents
    assert client.get(f"/admin/documents/outgoingdocument/{document.pk}/change/").status_code in (302, 404)
