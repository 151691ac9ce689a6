"""The 信访事项 page and the forms of its steps (petitions/views/case.py), as the people of
``petition_org`` see them: the 信访员 孙信访 who registered the case, the 住建局's 赵科员 who handles
it, 王局长 the bureau's head (who approves the extension), 周副市长 granted the case (a leader: the
identity masked, 批示 offered) and the 财政局 accused in a 检举控告 (nothing at all).

The walk 登记 → 转送 → 受理 → 答复 → 送达 → 评价 → 办结 → 归档 goes through the page's POSTs only; the
答复意见书 is 核稿, 签发 and 登记 in ``documents`` (by the bureau's 文秘 and a leader of the bureau)
so that it may be served. Everything happens on Monday 3 March 2025, a working day.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from documents.models import DocumentSeries
from documents.outgoing import services as documents
from office.confidentiality import services as secrecy
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from petitions import services
from petitions.models import CaseAttachment, CaseNote, CaseReply, CaseState, Kind, PetitionCase, RoutingRule
from petitions.rules import CASE
from tests.factories import make_person
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 3)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def bureau(petition_org):
    """The 住建局 as an answering organ: 王局长 its head, a 文秘 who runs its letters (核稿, 登记), a
    leader who signs them, and its 信函 series."""
    org = petition_org
    org.bureau.head = org.bureau_head
    org.bureau.save(update_fields=["head"])
    secretary = make_person(username="pt-wen", name="冯文秘", unit=org.bureau, roles=(Role.SECRETARY,))
    signer = make_person(username="pt-chen", name="陈副局长", unit=org.bureau, roles=(Role.LEADER,))
    series = DocumentSeries.objects.create(
        organ=org.bureau, office=org.bureau, code="测建函", issuer_name="测试市住房和城乡建设局", template="letter"
    )
    return {"secretary": secretary, "signer": signer, "series": series}


def register(org, category, **overrides):
    arguments = {
        "actor": org.registrar.user,
        "channel": "letter",
        "received_on": TODAY,
        "kind": Kind.CLAIM,
        "category": category,
        "title": "关于小区房屋漏水的来信",
        "content": "楼顶防水层破损，雨天漏水，请求维修。",
        "petitioners": [
            services.PetitionerSpec(
                name="张建国", id_number="330102198001011234", phone="13812345678", address="幸福路1号"
            )
        ],
    }
    arguments.update(overrides)
    return services.case_register(**arguments)


@pytest.fixture
def case(petition_org, petition_category):
    return register(petition_org, petition_category)


def page(client, person, case):
    client.force_login(person.user)
    return client.get(reverse("petitions:case", args=[case.pk]))


def post(client, person, case, action, data, *, confirmed=True):
    client.force_login(person.user)
    data = {**data, **({"confirmed": "1"} if confirmed else {})}
    return client.post(reverse("petitions:case_action", args=[case.pk, action]), data)


def shown_actions(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def assert_offers_exactly(response, person, case):
    ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
    assert len(ids) == len(set(ids)), "every form's fields have their own ids (the 常用语 picker finds its box)"
    case.refresh_from_db()
    offered = set(CASE.offered(person.user, case))
    # link and merge appear beside each suggested repeat; there are none in these tests.
    assert shown_actions(response) == offered - {"link", "merge"}
    return offered


def fresh(case) -> PetitionCase:
    return PetitionCase.objects.get(pk=case.pk)


# --- The page, as each person sees it ------------------------------------------------------------------


def test_the_petition_officer_sees_the_case_with_identity_and_the_routing_form(client, petition_org, case):
    response = page(client, petition_org.registrar, case)

    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html and "关于小区房屋漏水的来信" in html
    assert "张建国" in html and "330102198001011234" in html  # the handler's own case: unmasked
    assert "楼顶防水层破损" in html
    assert 'data-kind="petition-route"' in html and "起算日" in html and "期限届满日为2025年3月18日" in html
    assert "no-store" in response["Cache-Control"]
    assert assert_offers_exactly(response, petition_org.registrar, case) >= {"route"}
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=case.pk).count() == 1
    page(client, petition_org.registrar, case)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=case.pk).count() == 2


def test_the_routing_form_proposes_the_unit_of_the_routing_table(client, petition_org, petition_category):
    RoutingRule.objects.create(category=petition_category.parent, unit=petition_org.finance)
    RoutingRule.objects.create(category=petition_category, unit=petition_org.bureau)
    case = register(petition_org, petition_category)

    html = page(client, petition_org.registrar, case).content.decode()

    form = html.split('data-action="route"')[1].split("</form>")[0]
    assert re.search(rf'<option value="{petition_org.bureau.pk}"[^>]*selected', form)
    assert "分流规则建议：测试市住房和城乡建设局" in form


def test_the_handler_sees_accept_and_object_after_the_transfer(client, petition_org, case):
    post(client, petition_org.registrar, case, "route", {"route": "transfer", "unit": petition_org.bureau.pk})

    response = page(client, petition_org.bureau_clerk, case)

    assert response.status_code == 200
    assert assert_offers_exactly(response, petition_org.bureau_clerk, case) == {"accept", "object", "attach"}
    assert "张建国" in response.content.decode()


def test_the_organ_head_is_offered_the_extension(client, petition_org, bureau, case):
    post(client, petition_org.registrar, case, "route", {"route": "transfer", "unit": petition_org.bureau.pk})
    post(client, petition_org.bureau_clerk, case, "accept", {"handler": petition_org.bureau_clerk.pk})
    response = post(client, petition_org.bureau_clerk, case, "ask_extension", {"days": 20, "reason": "需现场勘验"})
    assert response.status_code == 302

    response = page(client, petition_org.bureau_head, case)

    assert "extend" in assert_offers_exactly(response, petition_org.bureau_head, case)
    asked = post(
        client, petition_org.bureau_head, case, "extend", {"days": 20, "reason": "需现场勘验"}, confirmed=False
    )
    assert asked.status_code == 200 and b'data-testid="confirm-page"' in asked.content
    assert not fresh(case).notes.exists()  # nothing stored before the confirmation

    response = post(client, petition_org.bureau_head, case, "extend", {"days": 20, "reason": "需现场勘验"})

    assert response.status_code == 302
    html = page(client, petition_org.bureau_head, case).content.decode()
    assert 'data-testid="clock-extension"' in html and "需现场勘验" in html
    assert "extend" not in CASE.offered(petition_org.bureau_head.user, fresh(case))


def test_a_leader_granted_the_case_sees_it_masked_and_may_instruct(client, petition_org, case):
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="报领导阅示")

    response = page(client, petition_org.leader, case)

    html = response.content.decode()
    assert response.status_code == 200
    assert "张建国" not in html and "330102198001011234" not in html and "13812345678" not in html
    assert "张**" in html and 'data-testid="masked-notice"' in html
    assert assert_offers_exactly(response, petition_org.leader, case) == {"instruct"}

    response = post(client, petition_org.leader, case, "instruct", {"text": "请住建局尽快核实处理。"})

    assert response.status_code == 302
    assert fresh(case).events.filter(action="领导批示", comment="请住建局尽快核实处理。").exists()


def test_the_instruction_may_open_a_supervision_item(client, petition_org, case):
    from supervision.models import SupervisionItem

    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="报领导阅示")
    make_person(username="pt-du", name="杜督查", unit=petition_org.general_office, roles=(Role.SUPERVISOR,))

    response = post(
        client,
        petition_org.leader,
        case,
        "instruct",
        {"text": "请督查室跟踪督办。", "supervise": "on", "due": (TODAY + timedelta(days=30)).isoformat()},
    )

    assert response.status_code == 302
    item = SupervisionItem.objects.get(source_id=case.pk)
    assert item.due == TODAY + timedelta(days=30)


def test_the_accused_units_people_get_a_404_on_the_page_and_the_material(client, petition_org, petition_category):
    case = register(petition_org, petition_category, kind=Kind.ACCUSATION, accused_unit=petition_org.finance)
    upload = CaseAttachment.objects.create(
        case=case,
        file=SimpleUploadedFile("letter.txt", "检举信原件".encode()),
        name="检举信.txt",
        uploaded_by=petition_org.registrar,
    )
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.finance_official, reason="误授")

    for person in (petition_org.finance_official, petition_org.finance_clerk):
        client.force_login(person.user)
        assert client.get(reverse("petitions:case", args=[case.pk])).status_code == 404
        assert client.get(reverse("petitions:attachment", args=[case.pk, upload.pk])).status_code == 404
        response = client.post(reverse("petitions:case_action", args=[case.pk, "note"]), {"kind": "other"})
        assert response.status_code == 404

    client.force_login(petition_org.registrar.user)
    response = client.get(reverse("petitions:attachment", args=[case.pk, upload.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "检举信原件".encode()
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=case.pk).count() == 1
    html = page(client, petition_org.registrar, case).content.decode()
    assert reverse("petitions:attachment", args=[case.pk, upload.pk]) in html


def test_a_step_not_offered_is_refused_and_changes_nothing(client, petition_org, case):
    response = post(client, petition_org.bureau_clerk, case, "accept", {})
    assert response.status_code == 404  # the bureau does not see a case not yet sent to it

    response = post(client, petition_org.registrar, case, "close", {})

    assert response.status_code == 409
    assert "信访事项处于“待处理”，不能办结。" in response.content.decode()
    assert fresh(case).state == CaseState.REGISTERED

    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="报领导阅示")
    response = post(client, petition_org.leader, case, "route", {"route": "direct"})
    assert response.status_code == 403
    assert "信访事项由登记部门的信访员分流。" in response.content.decode()
    assert fresh(case).route == ""

    response = post(client, petition_org.intake_colleague, case, "serve", {"on": TODAY, "method": "post"})
    assert response.status_code == 409
    assert not CaseReply.objects.exists()


# --- The walk --------------------------------------------------------------------------------------------


def sign_and_register(bureau, document):
    document = documents.outgoing_submit(actor=document.drafter.user, document=document)
    document = documents.outgoing_review(actor=bureau["secretary"].user, document=document, approve=True)
    document = documents.outgoing_sign(actor=bureau["signer"].user, document=document, approve=True)
    return documents.outgoing_register(actor=bureau["secretary"].user, document=document)


def test_the_walk_from_registration_to_archive_through_the_page(client, petition_org, bureau, case):
    org = petition_org

    # 转送 to the 住建局, the 承办人 named.
    response = post(
        client,
        org.registrar,
        case,
        "route",
        {"route": "transfer", "unit": org.bureau.pk, "handler": org.bureau_clerk.pk},
    )
    assert response.status_code == 302
    assert fresh(case).state == CaseState.TRANSFERRED and fresh(case).handling_unit == org.bureau

    # 受理.
    assert post(client, org.bureau_clerk, case, "accept", {"note": "已书面告知信访人受理"}).status_code == 302
    assert fresh(case).state == CaseState.HANDLING

    # 调查核实.
    response = post(client, org.bureau_clerk, case, "note", {"kind": "investigation", "on": TODAY, "text": "现场查看"})
    assert response.status_code == 302
    # 听证 and its end.
    assert post(client, org.bureau_clerk, case, "hearing", {"on": TODAY, "text": "维修责任"}).status_code == 302
    html = page(client, org.bureau_clerk, case).content.decode()
    assert 'data-testid="clock-suspended"' in html
    assert post(client, org.bureau_clerk, case, "hearing_end", {"on": TODAY, "text": "已听证"}).status_code == 302

    # 答复: the 处理意见 and its 答复意见书 in a letter series.
    response = page(client, org.bureau_clerk, case)
    assert "reply" in assert_offers_exactly(response, org.bureau_clerk, case)
    response = post(
        client,
        org.bureau_clerk,
        case,
        "reply",
        {
            "opinion": "support",
            "facts": "楼顶防水层确已破损。",
            "basis": "《物业管理条例》",
            "series": bureau["series"].pk,
        },
    )
    assert response.status_code == 302
    reply = CaseReply.objects.get(case=case)
    assert reply.document.series == bureau["series"]
    html = page(client, org.bureau_clerk, case).content.decode()
    assert reverse("documents:outgoing_detail", args=[reply.document_id]) in html
    assert "serve" not in CASE.offered(org.bureau_clerk.user, fresh(case))  # not signed yet

    sign_and_register(bureau, reply.document)

    # 送达: asked to confirm first, nothing stored; then served.
    data = {"on": TODAY, "method": "post", "receipt": "EMS1234567890"}
    asked = post(client, org.bureau_clerk, case, "serve", data, confirmed=False)
    assert b'data-testid="confirm-page"' in asked.content and "no-store" in asked["Cache-Control"]
    assert fresh(case).state == CaseState.HANDLING
    assert post(client, org.bureau_clerk, case, "serve", data).status_code == 302
    assert fresh(case).state == CaseState.REPLIED
    html = page(client, org.registrar, case).content.decode()
    assert "EMS1234567890" in html and "邮寄送达" in html

    # 评价 with its 回访.
    response = page(client, org.registrar, case)
    assert {"rate", "review_request"} <= assert_offers_exactly(response, org.registrar, case)
    response = post(
        client, org.registrar, case, "rate", {"satisfaction": "satisfied", "on": TODAY, "revisit": "电话回访"}
    )
    assert response.status_code == 302
    assert fresh(case).satisfaction == "satisfied"

    # 办结 and 归档, each confirmed.
    assert post(client, org.registrar, case, "close", {}).status_code == 302
    assert fresh(case).state == CaseState.CLOSED
    assert post(client, org.registrar, case, "archive", {"retention": "30年"}).status_code == 302
    archived = fresh(case)
    assert archived.archived_at is not None and archived.retention == "30年"

    response = page(client, org.registrar, case)
    assert assert_offers_exactly(response, org.registrar, case) == set()
    assert 'data-testid="no-actions"' in response.content.decode()
    actions = list(archived.events.values_list("action", flat=True))
    assert actions[:3] == ["登记", "分流", "受理"] and actions[-2:] == ["办结", "归档"]


def test_a_review_request_goes_to_the_reviewing_organ(client, petition_org, bureau, case):
    org = petition_org
    post(client, org.registrar, case, "route", {"route": "transfer", "unit": org.bureau.pk})
    post(client, org.bureau_clerk, case, "accept", {})
    post(
        client,
        org.bureau_clerk,
        case,
        "reply",
        {"opinion": "reject", "facts": "不属实", "basis": "条例", "series": bureau["series"].pk},
    )
    sign_and_register(bureau, CaseReply.objects.get(case=case).document)
    post(client, org.bureau_clerk, case, "serve", {"on": TODAY, "method": "in_person"})

    response = post(
        client,
        org.registrar,
        case,
        "review_request",
        {"on": TODAY, "reviewing_unit": org.city.pk, "reason": "不服处理意见"},
    )

    assert response.status_code == 302
    reviewed = fresh(case)
    assert reviewed.state == CaseState.REVIEWING and reviewed.reviewing_unit == org.city


# --- Bad input --------------------------------------------------------------------------------------------


@pytest.fixture
def handling(client, petition_org, case):
    post(client, petition_org.registrar, case, "route", {"route": "transfer", "unit": petition_org.bureau.pk})
    post(client, petition_org.bureau_clerk, case, "accept", {})
    return fresh(case)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "investigation", "on": TODAY + timedelta(days=1), "text": "现场查看"}, "日期不能晚于今天。"),
        ({"kind": "investigation", "on": TODAY, "text": "   "}, "该字段是必填项。"),
        ({"kind": "investigation", "on": TODAY, "text": "现场\x01查看"}, "含有不可见的控制字符（U+0001）"),
        ({"kind": "hearing", "on": TODAY, "text": "现场查看"}, "选择一个有效的选项"),
    ],
    ids=["future-date", "empty-text", "control-character", "not-a-note-kind"],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client, petition_org, handling, data, message):
    response = post(client, petition_org.bureau_clerk, handling, "note", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'data-action="note"' in html  # the form again, in place
    assert not CaseNote.objects.filter(case=handling).exists()


def test_a_route_without_its_unit_is_refused_on_the_field(client, petition_org, case):
    response = post(client, petition_org.registrar, case, "route", {"route": "transfer"})

    assert response.status_code == 400
    assert "请选择转送、交办的单位。" in response.content.decode()
    assert fresh(case).state == CaseState.REGISTERED


def test_an_accusation_is_never_routed_to_the_accused(client, petition_org, petition_category):
    case = register(petition_org, petition_category, kind=Kind.ACCUSATION, accused_unit=petition_org.finance)
    html = page(client, petition_org.registrar, case).content.decode()
    form = html.split('data-action="route"')[1].split("</form>")[0]
    assert f'<option value="{petition_org.bureau.pk}"' in form
    assert f'<option value="{petition_org.finance.pk}"' not in form  # the accused unit is not offered

    response = post(
        client, petition_org.registrar, case, "route", {"route": "transfer", "unit": petition_org.finance.pk}
    )

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert fresh(case).handling_unit is None
    with pytest.raises(ValidationError, match="检举控告事项不得转送、交办给被检举单位"):
        services.case_route(actor=petition_org.registrar.user, case=case, route="transfer", unit=petition_org.finance)


def test_a_serve_date_in_the_future_is_refused(client, petition_org, bureau, handling):
    post(
        client,
        petition_org.bureau_clerk,
        handling,
        "reply",
        {"opinion": "support", "facts": "属实", "basis": "条例", "series": bureau["series"].pk},
    )
    sign_and_register(bureau, CaseReply.objects.get(case=handling).document)

    response = post(
        client, petition_org.bureau_clerk, handling, "serve", {"on": TODAY + timedelta(days=2), "method": "post"}
    )

    assert response.status_code == 400
    assert "送达日期不能晚于今天。" in response.content.decode()
    assert fresh(handling).state == CaseState.HANDLING
    assert CaseReply.objects.get(case=handling).served_on is None


def test_an_unknown_action_is_a_404(client, petition_org, case):
    assert post(client, petition_org.registrar, case, "destroy", {}).status_code == 404


def test_an_assignment_needs_a_report_back_date_after_today(client, petition_org, case):
    data = {"route": "assign", "unit": petition_org.bureau.pk, "report_back_due": TODAY.isoformat()}

    response = post(client, petition_org.registrar, case, "route", data)

    assert response.status_code == 400
    assert "交办须定明晚于今天的报送结果时限。" in response.content.decode()
    assert fresh(case).state == CaseState.REGISTERED


def test_the_handler_picker_follows_the_unit_chosen(client, petition_org, case):
    html = page(client, petition_org.registrar, case).content.decode()

    form = html.split('data-action="route"')[1].split("</form>")[0]
    assert 'data-unit-field="unit"' in form


# --- Repeats ------------------------------------------------------------------------------------------------


def test_a_repeat_is_suggested_linked_and_shown(client, petition_org, petition_category, case):
    again = register(petition_org, petition_category, title="再次反映房屋漏水")

    response = page(client, petition_org.registrar, again)

    html = response.content.decode()
    assert f'data-testid="candidate" data-case="{case.pk}"' in html
    assert shown_actions(response) == set(CASE.offered(petition_org.registrar.user, again))
    assert {"link", "merge"} <= shown_actions(response)

    response = post(client, petition_org.registrar, again, "link", {"original": case.pk})

    assert response.status_code == 302
    assert fresh(again).repeat_of_id == case.pk and fresh(case).repeat_count == 1
    html = page(client, petition_org.registrar, again).content.decode()
    assert f'href="{reverse("petitions:case", args=[case.pk])}" data-testid="repeat-of"' in html


def test_a_merge_is_confirmed_and_shown_on_both_cases(client, petition_org, petition_category, case):
    again = register(petition_org, petition_category, title="再次反映房屋漏水")

    asked = post(client, petition_org.registrar, again, "merge", {"into": case.pk}, confirmed=False)
    assert b'data-testid="confirm-page"' in asked.content
    assert fresh(again).state == CaseState.REGISTERED

    response = post(client, petition_org.registrar, again, "merge", {"into": case.pk, "reason": "同一事项"})

    assert response.status_code == 302
    assert fresh(again).state == CaseState.MERGED
    assert 'data-testid="merged-into"' in page(client, petition_org.registrar, again).content.decode()
    assert 'data-testid="merged-case"' in page(client, petition_org.registrar, case).content.decode()


def test_a_repeat_of_a_case_the_reader_does_not_see_is_not_linked(client, petition_org, petition_category, case):
    again = register(petition_org, petition_category, title="再次反映房屋漏水")
    post(client, petition_org.registrar, again, "link", {"original": case.pk})
    secrecy.grant(actor=petition_org.registrar.user, record=again, person=petition_org.leader, reason="报领导阅示")

    html = page(client, petition_org.leader, again).content.decode()

    assert 'data-testid="repeat-of"' not in html
    assert reverse("petitions:case", args=[case.pk]) not in html


# --- The 处理笺 ---------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_handling_slip_prints_masked_for_a_leader_and_is_logged(client, petition_org, case):
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="报领导阅示")
    client.force_login(petition_org.leader.user)

    response = client.get(reverse("petitions:case_sheet", args=[case.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "信访事项处理笺" in text and case.number in text
    assert "张建国" not in text and "330102198001011234" not in text
    assert AuditEvent.objects.filter(action=AuditAction.PRINT, object_id=case.pk).count() == 1
    client.force_login(petition_org.finance_clerk.user)
    assert client.get(reverse("petitions:case_sheet", args=[case.pk])).status_code == 404


def test_papers_are_added_on_the_page_checked_and_recorded(client, petition_org, case):
    """GIVEN a registered case WHEN the 信访员 uploads a scan of the letter on its page THEN it is listed
    and downloadable, and the 流转记录 says so; a file that is not what its name says is refused in
    Chinese and nothing is stored; the accused or an outsider is never offered the form."""
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    registrar = petition_org.registrar
    assert "attach" in CASE.offered(registrar.user, case)
    client.force_login(registrar.user)
    url = reverse("petitions:case_action", args=[case.pk, "attach"])

    response = client.post(url, {"file": SimpleUploadedFile("来信扫描.pdf", pdf), "name": "来信原件"}, follow=True)

    assert response.status_code == 200
    attachment = CaseAttachment.objects.get(case=case)
    assert (attachment.name, attachment.uploaded_by_id) == ("来信原件", registrar.pk)
    assert case.events.filter(action="上传材料", comment="来信原件").exists()
    assert reverse("petitions:attachment", args=[case.pk, attachment.pk]) in response.content.decode()

    bad = client.post(url, {"file": SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00not a pdf")})
    assert bad.status_code == 400 and "不支持上传可执行程序" in bad.content.decode()
    assert CaseAttachment.objects.filter(case=case).count() == 1


def test_the_service_receipt_is_masked_for_whom_the_identity_is(client, petition_org, bureau, case):
    """GIVEN a served answer whose 送达回证 names who signed for it WHEN a leader granted the case (the
    identity masked for him) reads the page THEN the 回证 is masked too; the 信访员 reads it."""
    from petitions.models import CaseReply

    reply = CaseReply(case=case, stage="first", opinion="support", facts="属实", basis="条例", receipt="张建国签收")
    reply.written_by = petition_org.registrar
    reply.served_on, reply.served_method = TODAY, "in_person"
    reply.save()
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="阅知")

    assert "张建国签收" not in page(client, petition_org.leader, case).content.decode()
    assert "张建国签收" in page(client, petition_org.registrar, case).content.decode()
