"""``/api/v1/petitions/``: the 信访台账, a case in full, 登记, each action of ``rules.CASE`` (its happy
path and its refusals: 400 bad input, 403 a person whose step it is not, 404 a case outside one's
reach, 409 a state that does not allow it), the masking of the 信访人 for a granted leader, the
access log of every read, the intake endpoint's idempotency and the schema the answers keep to.

Cases are registered and moved through ``petitions.services`` (the ``flow`` fixture of conftest);
the API is what is under test."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from schemathesis.core.transport import Response as SchemaResponse

from office.confidentiality import services as secrecy
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from petitions import services
from petitions.models import CaseNote, CaseState, Channel, PetitionCase, PetitionEvent
from tests.factories import make_person
from tests.petitions.conftest import PETITIONER_ID, PETITIONER_NAME

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/cases/"
INTAKE = "/api/v1/petitions/intake/"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(case, action: str = "") -> str:
    return f"{BASE}{case.pk}/{action + '/' if action else ''}"


def post(person, case, action: str, body: dict | None = None):
    return as_(person).post(url(case, action), body or {}, format="json")


def state_of(case) -> str:
    return PetitionCase.objects.values_list("state", flat=True).get(pk=case.pk)


def assert_refused(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    if code:
        assert body["code"] == code
    return body


@pytest.fixture(scope="module")
def schema():
    """The schema as the API serves it (generating it reads no table)."""
    return schemathesis.openapi.from_dict(Client().get("/api/schema/", {"format": "json"}).json())


def conforms(schema, method: str, template: str, response) -> None:
    """The answer is one the schema declares for the operation: status, content type and body."""
    request = requests.Request(method, f"http://testserver{template}").prepare()
    answer = SchemaResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    schema[template][method].validate_response(answer)


# --- Create, list, detail ---------------------------------------------------------------------------


def registration(petition_category, **extra) -> dict:
    return {
        "channel": "letter",
        "received_on": timezone.localdate().isoformat(),
        "kind": "claim",
        "category": petition_category.pk,
        "title": "关于拖欠工程款的来信",
        "content": "某公司拖欠农民工工资三个月，请求督促支付。",
        "petitioners": [{"name": "李四", "id_number": "330102199001011234", "phone": "13900001111"}],
        **extra,
    }


def test_a_petition_officer_registers_a_case_and_reads_it_in_full(petition_org, petition_category, schema):
    """GIVEN 孙信访 (信访员) WHEN he posts a registration THEN a case is registered (201) with its 登记号,
    its 信访人 unmasked for him, the routing clock and ``route`` offered — and the answer keeps to
    the schema."""
    response = as_(petition_org.registrar).post(BASE, registration(petition_category), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    case = PetitionCase.objects.get(pk=body["id"])
    assert body["number"] == case.number == f"测信〔{timezone.localdate().year}〕1号"
    assert body["state"] == "registered"
    assert body["petitioners"][0]["name"] == "李四"
    assert body["petitioners"][0]["id_number"] == "330102199001011234"
    assert body["petitioners"][0]["masked"] is False
    assert [clock["kind"] for clock in body["clocks"]] == ["petition-route"]
    assert body["clocks"][0]["derivation"]
    assert "route" in {offer["step"] for offer in body["offered"]}
    conforms(schema, "POST", BASE, response)


def test_registration_refusals(petition_org, petition_category):
    """GIVEN a registration WHEN it has no 信访人, an unknown field, or comes from someone who is no
    信访员 THEN 400 with field errors / 403, and nothing is registered."""
    officer = as_(petition_org.registrar)
    no_one = officer.post(BASE, registration(petition_category, petitioners=[]), format="json")
    assert "petitioners" in assert_refused(no_one, 400, "invalid")["errors"]
    unknown = officer.post(BASE, registration(petition_category, secret_note="x"), format="json")
    assert "secret_note" in assert_refused(unknown, 400, "invalid")["errors"]
    control = officer.post(BASE, registration(petition_category, title="标题\x07"), format="json")
    assert "title" in assert_refused(control, 400, "invalid")["errors"]
    future = officer.post(BASE, registration(petition_category, received_on="2999-01-01"), format="json")
    assert "received_on" in assert_refused(future, 400, "invalid")["errors"]

    clerk = as_(petition_org.bureau_clerk).post(BASE, registration(petition_category), format="json")
    assert_refused(clerk, 403)
    assert PetitionCase.objects.count() == 0


def test_the_list_filters_searches_and_pages_the_visible_cases(petition_org, new_case, flow, schema):
    """GIVEN three cases of 孙信访, one of them transferred WHEN he lists with filters and a search
    THEN he gets those matching, in pages; 郑科员 (uninvolved) gets none; an unknown filter is a 400."""
    leak = new_case(title="关于道路积水的来信")
    new_case(title="关于噪声扰民的来信")
    moved = flow.transfer(new_case(title="关于物业收费的来信"))
    officer = as_(petition_org.registrar)

    everything = officer.get(BASE)
    assert everything.status_code == 200
    assert everything.json()["count"] == 3
    conforms(schema, "GET", BASE, everything)
    row = everything.json()["results"][0]
    assert row["petitioner_names"] == PETITIONER_NAME
    assert "content" not in row

    transferred = officer.get(BASE, {"state": "transferred"}).json()
    assert [r["id"] for r in transferred["results"]] == [moved.pk]
    searched = officer.get(BASE, {"q": "积水"}).json()
    assert [r["id"] for r in searched["results"]] == [leak.pk]
    assert officer.get(BASE, {"q": PETITIONER_NAME}).json()["count"] == 0  # never by identity
    paged = officer.get(BASE, {"page_size": 2}).json()
    assert len(paged["results"]) == 2 and paged["next"]
    keyset = officer.get(BASE, {"cursor": "", "page_size": 2}).json()
    rest = officer.get(keyset["next"]).json()
    assert len({r["id"] for r in keyset["results"] + rest["results"]}) == 3 and rest["next"] is None

    assert as_(petition_org.finance_clerk).get(BASE).json()["count"] == 0
    assert_refused(officer.get(BASE, {"colour": "red"}), 400, "invalid")


def test_a_detail_is_logged_and_an_invisible_case_is_a_404(petition_org, new_case, schema):
    """GIVEN a case WHEN 孙信访 reads it THEN an access-log ``view`` row names it (even at 内部), and
    the answer keeps to the schema; 郑科员 of 财政局 gets 404 and no log of a read."""
    case = new_case()
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()

    response = as_(petition_org.registrar).get(url(case))

    assert response.status_code == 200
    conforms(schema, "GET", f"{BASE}{{id}}/", response)
    logged = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("-id")
    assert logged.count() == before + 1
    assert (logged.first().object_id, logged.first().actor_id) == (str(case.pk), petition_org.registrar.user_id)
    outsider = as_(petition_org.finance_clerk).get(url(case))
    assert_refused(outsider, 404)
    assert logged.count() == before + 1


def test_a_granted_leader_sees_the_petitioner_masked(petition_org, new_case, flow):
    """GIVEN a case granted to 周副市长 (a leader, not a handler) WHEN he reads it or lists it THEN the
    信访人's name, ID number and phone are masked, while 孙信访 (the registrar) sees them."""
    case = new_case()
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="领导阅知")

    leader = as_(petition_org.leader).get(url(case)).json()
    officer = as_(petition_org.registrar).get(url(case)).json()

    shown = leader["petitioners"][0]
    assert shown["masked"] is True
    assert shown["name"] == "张**" and PETITIONER_NAME not in str(leader)
    assert shown["id_number"] == "3301**********1234" and PETITIONER_ID not in str(leader)
    assert shown["phone"] == "138****5678"
    listed = as_(petition_org.leader).get(BASE).json()["results"]
    assert listed[0]["petitioner_names"] == "张**"
    assert officer["petitioners"][0]["name"] == PETITIONER_NAME
    assert {offer["step"] for offer in leader["offered"]} == {"instruct"}


def test_repeat_candidates_carry_no_identity(petition_org, new_case):
    """GIVEN two letters of 张大山 WHEN 孙信访 asks for the second's repeats THEN the first is listed by
    number, summary and state, with no 信访人 at all."""
    first = new_case(title="关于小区房屋漏水的来信")
    second = new_case(title="再次反映小区房屋漏水")

    response = as_(petition_org.registrar).get(url(second, "repeats"))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [first.pk]
    assert set(response.json()[0]) == {"id", "number", "title", "received_on", "state", "state_label", "repeat_count"}
    assert_refused(as_(petition_org.finance_clerk).get(url(second, "repeats")), 404)


# --- Actions ----------------------------------------------------------------------------------------


def test_route_accept_and_their_refusals(petition_org, new_case, schema):
    """GIVEN a registered case WHEN 孙信访 routes it to 城建科 and 赵科员 accepts it THEN each answers the
    case as it now is; a bad route is a 400, the leader (who sees it) a 403, 郑科员 a 404, routing twice
    a 409."""
    case = new_case()
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="领导阅知")
    transfer = {"route": "transfer", "unit": petition_org.bureau_section.pk}

    assert "unit" in assert_refused(post(petition_org.registrar, case, "route", {"route": "transfer"}), 400)["errors"]
    assert_refused(post(petition_org.leader, case, "route", transfer), 403)
    assert_refused(post(petition_org.finance_clerk, case, "route", transfer), 404)
    assert state_of(case) == CaseState.REGISTERED

    routed = post(petition_org.registrar, case, "route", transfer)
    assert routed.status_code == 200, routed.content
    assert routed.json()["state"] == "transferred"
    conforms(schema, "POST", f"{BASE}{{id}}/route/", routed)
    assert_refused(post(petition_org.registrar, case, "route", transfer), 409, "transition_not_allowed")

    assert_refused(post(petition_org.registrar, case, "accept"), 403)
    accepted = post(petition_org.bureau_clerk, case, "accept", {"handler": petition_org.bureau_clerk.pk})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "handling"
    assert accepted.json()["petitioners"][0]["masked"] is False  # the 承办人 handles it
    assert_refused(post(petition_org.bureau_clerk, case, "accept"), 409, "transition_not_allowed")


def test_an_objection_sends_the_case_back(petition_org, new_case, flow):
    """GIVEN a case transferred to 城建科 WHEN 赵科员 objects with a reason THEN it is registered again
    (and out of his unit's reach: 204); without a reason a 400."""
    case = flow.transfer(new_case())
    assert "reason" in assert_refused(post(petition_org.bureau_clerk, case, "object", {}), 400)["errors"]

    response = post(petition_org.bureau_clerk, case, "object", {"reason": "不属于本单位职责"})

    assert response.status_code == 204  # no longer his unit's: nothing of it is shown
    assert state_of(case) == CaseState.REGISTERED
    assert_refused(as_(petition_org.bureau_clerk).get(url(case)), 404)
    assert_refused(post(petition_org.registrar, case, "object", {"reason": "x"}), 409, "transition_not_allowed")


def test_handling_notes_hearing_and_the_extension(petition_org, petition_city, new_case, flow):
    """GIVEN a case in hand at 住建局 WHEN 赵科员 (城建科) records a note, holds a 听证 and ends it, asks for the
    extension and 王局长 (the organ head) grants it THEN each is recorded; 孙信访 may not hold a
    听证 (403), a second 听证-end is a 409, the clerk may not grant the extension (403)."""
    case = flow.accept(flow.transfer(new_case(), unit=petition_org.bureau))
    clerk, today = petition_org.bureau_clerk, timezone.localdate().isoformat()

    noted = post(clerk, case, "note", {"kind": "investigation", "on": today, "text": "现场查看"})
    assert noted.status_code == 200, noted.content
    assert [n["kind"] for n in noted.json()["notes"]] == ["investigation"]
    assert (
        "kind"
        in assert_refused(post(clerk, case, "note", {"kind": "hearing", "on": today, "text": "x"}), 400)["errors"]
    )

    assert_refused(post(petition_org.registrar, case, "hearing", {"on": today, "text": "听证"}), 403)
    heard = post(clerk, case, "hearing", {"on": today, "text": "就维修责任举行听证"})
    assert heard.status_code == 200, heard.content
    assert any(clock["suspended"] for clock in heard.json()["clocks"])
    assert_refused(post(clerk, case, "hearing", {"on": today, "text": "再次听证"}), 409, "transition_not_allowed")
    ended = post(clerk, case, "hearing-end", {"on": today})
    assert ended.status_code == 200, ended.content
    assert not any(clock["suspended"] for clock in ended.json()["clocks"])
    assert_refused(post(clerk, case, "hearing-end", {"on": today}), 409, "transition_not_allowed")

    asked = post(clerk, case, "ask-extension", {"days": 20, "reason": "需补充调查"})
    assert asked.status_code == 200, asked.content
    assert "days" in assert_refused(post(clerk, case, "ask-extension", {"days": 31, "reason": "x"}), 400)["errors"]
    assert_refused(post(clerk, case, "extend", {"days": 20, "reason": "需补充调查"}), 403)
    due_before = PetitionCase.objects.get(pk=case.pk).due
    extended = post(petition_org.bureau_head, case, "extend", {"days": 20, "reason": "需补充调查"})
    assert extended.status_code == 200, extended.content
    assert PetitionCase.objects.get(pk=case.pk).due > due_before
    again = post(petition_org.bureau_head, case, "extend", {"days": 5, "reason": "再延"})
    assert_refused(again, 409, "transition_not_allowed")
    assert CaseNote.objects.filter(case=case).count() >= 3


def test_reply_serve_rate_close_archive(petition_org, petition_city, new_case, flow, sign_reply, schema):
    """GIVEN a case in hand WHEN 赵科员 writes the 答复意见 THEN the answer carries the draft 答复意见书;
    serving it before it is signed is a 409, after 登记 it is served; then 孙信访 rates, closes and
    archives it, each refused once done (409)."""
    case = flow.accept(flow.transfer(new_case()))
    clerk, officer, today = petition_org.bureau_clerk, petition_org.registrar, timezone.localdate().isoformat()
    series = petition_city.series[petition_org.bureau.pk]
    body = {"opinion": "support", "facts": "经查属实。", "basis": "《物业管理条例》", "series": series.pk}

    assert_refused(post(officer, case, "reply", body), 403)
    assert "series" in assert_refused(post(clerk, case, "reply", {**body, "series": 999999}), 400)["errors"]
    replied = post(clerk, case, "reply", body)
    assert replied.status_code == 200, replied.content
    draft = replied.json()["draft_document"]
    assert draft == replied.json()["replies"][0]["document"]
    conforms(schema, "POST", f"{BASE}{{id}}/reply/", replied)
    assert_refused(post(clerk, case, "reply", body), 409, "transition_not_allowed")

    serve = {"on": today, "method": "in_person"}
    assert_refused(post(clerk, case, "serve", serve), 409, "transition_not_allowed")
    sign_reply(case)
    assert "method" in assert_refused(post(clerk, case, "serve", {"on": today, "method": "pigeon"}), 400)["errors"]
    served = post(clerk, case, "serve", serve)
    assert served.status_code == 200, served.content
    assert served.json()["state"] == "replied"

    assert_refused(post(officer, case, "archive", {"retention": "10年"}), 409, "transition_not_allowed")
    assert_refused(post(clerk, case, "rate", {"satisfaction": "satisfied", "on": today}), 403)
    rated = post(officer, case, "rate", {"satisfaction": "satisfied", "on": today, "revisit": "电话回访"})
    assert rated.status_code == 200 and rated.json()["satisfaction"] == "satisfied"
    assert_refused(post(officer, case, "close", {"force": True}), 400, "invalid")
    closed = post(officer, case, "close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert_refused(post(officer, case, "close"), 409, "transition_not_allowed")
    assert "retention" in assert_refused(post(officer, case, "archive", {"retention": "100年"}), 400)["errors"]
    archived = post(officer, case, "archive", {"retention": "10年"})
    assert archived.status_code == 200 and archived.json()["archived_at"]
    assert_refused(post(officer, case, "archive", {"retention": "10年"}), 409, "transition_not_allowed")


def test_review_request(petition_org, new_case, flow):
    """GIVEN an answered case WHEN 孙信访 registers the 信访人's request for 复查 by the city THEN it is
    复查中; asking for it to be reviewed by the unit that answered is a 400; once under review a 409."""
    case = flow.to(new_case(), "replied")
    officer, today = petition_org.registrar, timezone.localdate().isoformat()
    same = {"on": today, "reviewing_unit": petition_org.bureau_section.pk, "reason": "不服"}

    assert "reviewing_unit" in assert_refused(post(officer, case, "review-request", same), 400)["errors"]
    asked = post(officer, case, "review-request", {**same, "reviewing_unit": petition_org.city.pk})
    assert asked.status_code == 200, asked.content
    assert asked.json()["state"] == "reviewing" and asked.json()["stage"] == "review"
    again = post(officer, case, "review-request", {**same, "reviewing_unit": petition_org.city.pk})
    assert_refused(again, 409, "transition_not_allowed")


def test_link_and_merge(petition_org, new_case, flow):
    """GIVEN two letters WHEN 孙信访 links the second to the first THEN it counts as a repeat and links
    to the first by number; a case he cannot see is a 400 under its field; merging a third into the
    first ends it as 已并案; merging a routed case is a 409."""
    first, second, third = new_case(), new_case(), new_case()
    officer = petition_org.registrar
    finance_officer = make_person(username="pt-fo", unit=petition_org.finance, roles=(Role.PETITION_OFFICER,))
    hidden = new_case(actor=finance_officer.user)

    assert "original" in assert_refused(post(officer, second, "link", {"original": hidden.pk}), 400)["errors"]
    linked = post(officer, second, "link", {"original": first.pk})
    assert linked.status_code == 200, linked.content
    assert linked.json()["repeat_of"] == {"id": first.pk, "number": first.number}
    assert_refused(post(officer, second, "link", {"original": first.pk}), 409, "transition_not_allowed")

    merged = post(officer, third, "merge", {"into": first.pk, "reason": "同一事项"})
    assert merged.status_code == 200, merged.content
    assert merged.json()["state"] == "merged"
    assert merged.json()["merged_into"]["number"] == first.number
    routed = flow.transfer(second)
    assert_refused(post(officer, routed, "merge", {"into": first.pk}), 409, "transition_not_allowed")


def test_a_leaders_instruction_opens_a_supervision_item(petition_org, petition_city, new_case):
    """GIVEN a case granted to 周副市长 WHEN he instructs with ``supervise`` THEN the 批示 is recorded and a
    督办 item is opened from the case; 孙信访 (no leader) gets 403; without text a 400."""
    from supervision.models import SupervisionItem

    case = new_case()
    secrecy.grant(actor=petition_org.registrar.user, record=case, person=petition_org.leader, reason="领导阅知")

    assert_refused(post(petition_org.registrar, case, "instruct", {"text": "抓紧办理"}), 403)
    assert "text" in assert_refused(post(petition_org.leader, case, "instruct", {}), 400)["errors"]
    response = post(petition_org.leader, case, "instruct", {"text": "请住建局抓紧办理", "supervise": True})

    assert response.status_code == 200, response.content
    assert PetitionEvent.objects.filter(case=case, action="领导批示").exists()
    assert SupervisionItem.objects.filter(source_id=case.pk).count() == 1


# --- Intake -----------------------------------------------------------------------------------------


@pytest.fixture
def hotline(petition_org):
    """The 12345 platform's API account: a 信访员 of the 信访科."""
    return make_person(username="pt-hotline", name="热线平台", unit=petition_org.intake, roles=(Role.PETITION_OFFICER,))


def intake_body(petition_category, **extra) -> dict:
    body = registration(petition_category, channel="hotline", external_id="GD20260001")
    body.pop("received_on")
    return {**body, **extra}


def test_intake_registers_once_per_external_number(petition_org, petition_category, hotline, schema):
    """GIVEN the 12345 account WHEN it sends a 工单 THEN it is registered (201) with the 工单号 kept;
    sent again (even changed) THEN the first case answers (200) and nothing new is registered."""
    client = as_(hotline)

    first = client.post(INTAKE, intake_body(petition_category), format="json")
    assert first.status_code == 201, first.content
    conforms(schema, "POST", INTAKE, first)
    case = PetitionCase.objects.get(pk=first.json()["id"])
    assert case.channel == Channel.HOTLINE and case.superior_number == "GD20260001"
    assert case.received_on == timezone.localdate()

    again = client.post(INTAKE, intake_body(petition_category, title="重复推送"), format="json")
    assert again.status_code == 200, again.content
    assert again.json()["id"] == case.pk
    conforms(schema, "POST", INTAKE, again)
    other = client.post(INTAKE, intake_body(petition_category, external_id="GD20260002"), format="json")
    assert other.status_code == 201
    assert PetitionCase.objects.count() == 2


def test_intake_refusals(petition_org, petition_category, hotline):
    """GIVEN the intake endpoint WHEN a channel it does not take, no external number, or a caller who is
    no 信访员 THEN 400 / 400 / 403 and nothing registered."""
    client = as_(hotline)
    visit = client.post(INTAKE, intake_body(petition_category, channel="visit"), format="json")
    assert "channel" in assert_refused(visit, 400, "invalid")["errors"]
    body = intake_body(petition_category)
    body.pop("external_id")
    assert "external_id" in assert_refused(client.post(INTAKE, body, format="json"), 400)["errors"]
    superior = client.post(INTAKE, intake_body(petition_category, superior_number="X"), format="json")
    assert "superior_number" in assert_refused(superior, 400)["errors"]
    stranger = as_(petition_org.bureau_clerk).post(INTAKE, intake_body(petition_category), format="json")
    assert_refused(stranger, 403)
    assert PetitionCase.objects.count() == 0


def test_the_schema_documents_every_petition_operation(schema):
    """GIVEN the served schema WHEN another system reads it THEN it finds the list, detail, create,
    intake, repeats and every action, each action with its 400/403/404/409 answers."""
    raw = schema.raw_schema["paths"]
    actions = [
        "route", "accept", "object", "note", "hearing", "hearing-end", "ask-extension", "extend", "reply",
        "serve", "review-request", "rate", "close", "archive", "link", "merge", "instruct",
    ]  # fmt: skip
    assert {"get", "post"} <= set(raw[BASE])
    assert "get" in raw[f"{BASE}{{id}}/"] and "get" in raw[f"{BASE}{{id}}/repeats/"]
    assert {"200", "201", "400", "403"} <= set(raw[INTAKE]["post"]["responses"])
    for name in actions:
        answers = set(raw[f"{BASE}{{id}}/{name}/"]["post"]["responses"])
        assert {"200", "400", "401", "403", "404", "409"} <= answers, name


def test_services_and_api_agree_on_offered(petition_org, new_case):
    """GIVEN a registered case WHEN 孙信访 reads it THEN ``offered`` is exactly ``CASE.offered`` (the
    steps, the route options and the confirmations of irreversible steps)."""
    from petitions.rules import CASE

    case = new_case()
    offered = as_(petition_org.registrar).get(url(case)).json()["offered"]

    expected = CASE.offered(petition_org.registrar.user, case)
    assert [offer["step"] for offer in offered] == list(expected)
    route = next(offer for offer in offered if offer["step"] == "route")
    assert route["options"] == expected["route"]
    merge = next(offer for offer in offered if offer["step"] == "merge")
    assert merge["confirmation"] and merge["path"] == "merge"
    assert services.may_register(petition_org.registrar.user)


def test_papers_are_uploaded_and_downloaded_through_the_api(petition_org, petition_category, schema):
    """GIVEN a registered case WHEN the 信访员 uploads a PDF (multipart) THEN the detail lists it and it
    downloads byte for byte, logged; an executable is a 400 and stores nothing; the accused bureau's
    people get a 404 on both."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from petitions.models import CaseAttachment, Kind

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    officer = as_(petition_org.registrar)
    created = officer.post(
        BASE, registration(petition_category, kind=Kind.ACCUSATION, accused_unit=petition_org.finance.pk), format="json"
    )
    case = PetitionCase.objects.get(pk=created.json()["id"])

    response = officer.post(url(case, "attach"), {"file": SimpleUploadedFile("检举信.pdf", pdf), "name": "检举信原件"})

    assert response.status_code == 200, response.content
    listed = response.json()["attachments"]
    assert [paper["name"] for paper in listed] == ["检举信原件"]
    conforms(schema, "POST", f"{BASE}{{id}}/attach/", response)
    download = officer.get(f"{url(case)}attachments/{listed[0]['id']}/")
    assert download.status_code == 200 and download.content == pdf
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=case.pk).count() == 1

    bad = officer.post(url(case, "attach"), {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00program")})
    assert_refused(bad, 400)
    assert CaseAttachment.objects.filter(case=case).count() == 1
    accused = as_(petition_org.finance_official)
    assert accused.get(f"{url(case)}attachments/{listed[0]['id']}/").status_code == 404
    assert accused.post(url(case, "attach"), {"file": SimpleUploadedFile("y.pdf", pdf)}).status_code == 404
