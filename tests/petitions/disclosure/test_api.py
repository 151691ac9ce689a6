"""``/api/v1/petitions/disclosure-requests/``, ``publications/`` and ``annual-report/``: 登记, the
依申请公开台账, a request in full (clocks with their derivation, 征求意见, 保密审查, the steps offered),
each step of ``rules.REQUEST`` as an action — its happy path, a refusal (409 a state or a moment
that does not allow it, 403 a person whose step it is not) and bad input (400 with the message in
Chinese, nothing changed) — the 已主动公开 search, the 主动公开 steps and the portal's feed (published
only), and the 年度报告's tables.

Requests are registered and moved through ``petitions.disclosure.services``; the API is under test."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
import schemathesis
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from schemathesis.core.transport import Response as SchemaResponse

from office.confidentiality.models import AuditAction, AuditEvent
from petitions.disclosure import publication as publishing
from petitions.disclosure import services
from petitions.disclosure.models import (
    Consultation,
    DisclosureRequest,
    Publication,
    RequestChannel,
    RequestState,
    SecrecyReview,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/petitions/disclosure-requests/"
PUBLICATIONS = "/api/v1/petitions/publications/"
FEED = f"{PUBLICATIONS}feed/"
REPORT = "/api/v1/petitions/annual-report/"
DESCRIPTION = "2026年城东片区旧城改造项目的征收补偿方案"


def today():
    return timezone.localdate()


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def url(record, action: str = "") -> str:
    return f"{BASE}{record.pk}/{action + '/' if action else ''}"


def post(person, record, action: str, body: dict | None = None):
    return as_(person).post(url(record, action), body or {}, format="json")


def fresh(record: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.get(pk=record.pk)


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def refused(response, status: int, field: str | None = None) -> dict:
    """A refusal with a Chinese message (under ``field`` for a 400)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert chinese(body["detail"]), body
    if field is not None:
        assert field in body["errors"], body
        assert chinese(" ".join(str(message) for message in body["errors"][field])), body
    return body


def clock(body: dict, kind: str) -> dict | None:
    return next((c for c in body["clocks"] if c["kind"] == kind and c["state"] == "open"), None)


def publication_of(document) -> Publication:
    return Publication.objects.get(document=document)


@pytest.fixture(scope="module")
def schema():
    """The schema as the API serves it (generating it reads no table)."""
    return schemathesis.openapi.from_dict(Client().get("/api/schema/", {"format": "json"}).json())


def conforms(schema, method: str, template: str, response) -> None:
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


# --- 登记, list, detail -----------------------------------------------------------------------------


def registration(**extra) -> dict:
    return {
        "applicant_kind": "person",
        "applicant_name": "陈申请",
        "id_document": "居民身份证 330102199001011234",
        "contact_phone": "13900001111",
        "description": DESCRIPTION,
        "medium": "electronic",
        "delivery": "email",
        "channel": "in_person",
        "arrived_on": today().isoformat(),
        **extra,
    }


def test_the_officer_registers_a_request_and_reads_it_in_full(disclosure_city, schema):
    """GIVEN the 政务公开员 WHEN she posts a 当面 request THEN it is registered (201) with its 登记号, the
    applicant whole, the 20-working-day and 7-working-day clocks with how they were counted, and 补正
    offered — and the answer keeps to the schema."""
    response = as_(disclosure_city.officer).post(BASE, registration(), format="json")

    body = ok(response, 201)
    assert body["number"] == f"测依申〔{today().year}〕1号"
    assert body["state"] == RequestState.HANDLING
    assert (body["applicant_name"], body["contact_phone"]) == ("陈申请", "13900001111")
    assert body["received_on"] == today().isoformat()
    assert clock(body, "disclosure")["derivation"]
    assert clock(body, "disclosure-correction")["due_date"]
    assert "correct" in {offer["step"] for offer in body["offered"]}
    conforms(schema, "POST", BASE, response)


def test_registration_refusals_change_nothing(disclosure_city):
    """GIVEN a registration WHEN it lacks the applicant, has an unknown field or control characters,
    or comes from someone who is no 政务公开员 THEN 400 by field in Chinese / 403, and nothing is
    registered."""
    officer = as_(disclosure_city.officer)
    refused(officer.post(BASE, registration(applicant_name=""), format="json"), 400, "applicant_name")
    refused(officer.post(BASE, registration(secret_note="x"), format="json"), 400, "secret_note")
    refused(officer.post(BASE, registration(description="内容\x07"), format="json"), 400, "description")
    refused(officer.post(BASE, registration(channel="pigeon"), format="json"), 400, "channel")
    refused(as_(disclosure_city.bystander).post(BASE, registration(), format="json"), 403)
    assert DisclosureRequest.objects.count() == 0


def test_the_list_filters_searches_and_counts_the_visible_requests(disclosure_city, schema, disclosure_flow):
    """GIVEN three requests, one by 网络 (待确认收到) WHEN the officer lists, filters and searches THEN she
    gets those matching with a capped count; an unknown filter is a 400."""
    disclosure_flow.register(description="城东片区旧城改造补偿方案")
    disclosure_flow.register(description="2025年财政预算执行情况")
    online = disclosure_flow.register(channel=RequestChannel.ONLINE, description="道路修缮计划")
    officer = as_(disclosure_city.officer)

    everything = officer.get(BASE)
    body = ok(everything)
    assert body["count"] == 3 and body["count_exact"] is True
    conforms(schema, "GET", BASE, everything)
    assert [r["id"] for r in ok(officer.get(BASE, {"state": "received"}))["results"]] == [online.pk]
    assert ok(officer.get(BASE, {"q": "财政预算"}))["count"] == 1
    assert ok(officer.get(BASE, {"channel": "online", "q": "财政"}))["count"] == 0
    refused(officer.get(BASE, {"colour": "red"}), 400, "colour")


def test_a_detail_is_logged_and_keeps_to_the_schema(disclosure_city, schema, disclosure_flow):
    """GIVEN a request WHEN the officer reads it THEN an access-log ``view`` row names it (even at 内部)."""
    record = disclosure_flow.register()
    before = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(record.pk)).count()

    response = as_(disclosure_city.officer).get(url(record))

    body = ok(response)
    assert body["description"] == DESCRIPTION and body["events"]
    conforms(schema, "GET", f"{BASE}{{id}}/", response)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(record.pk)).count() == before + 1


# --- 收到 and 补正 ------------------------------------------------------------------------------------


def test_confirm(disclosure_city, disclosure_flow):
    """GIVEN a 网络 request (no clock yet) WHEN the officer confirms it THEN it is 办理中 with both clocks;
    a date in the future is a 400 and leaves it 待确认; the head may not (403); again is a 409."""
    record = disclosure_flow.register(channel=RequestChannel.ONLINE)
    assert fresh(record).state == RequestState.RECEIVED

    refused(post(disclosure_city.officer, record, "confirm", {"on": str(today() + timedelta(days=3))}), 400)
    assert fresh(record).state == RequestState.RECEIVED
    refused(post(disclosure_city.head, record, "confirm", {"on": str(today())}), 403)

    body = ok(post(disclosure_city.officer, record, "confirm", {"on": str(today())}))
    assert body["state"] == RequestState.HANDLING and body["received_on"] == today().isoformat()
    assert clock(body, "disclosure") and clock(body, "disclosure-correction")
    refused(post(disclosure_city.officer, record, "confirm", {"on": str(today())}), 409)


def test_correct_and_receive_correction(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the officer asks a 补正 THEN it is 待补正 with the answer clock stopped; a
    补正期限 not after the day asked is a 400 and changes nothing; a second 补正 is a 409; the 补正
    received restarts the clock (missing its day: a 400)."""
    record = disclosure_flow.register()
    until = today() + timedelta(days=15)

    refused(post(disclosure_city.officer, record, "correct", {"items": "请补充身份证明", "until": str(today())}), 400)
    assert fresh(record).state == RequestState.HANDLING and fresh(record).correction_asked_on is None
    refused(post(disclosure_city.head, record, "correct", {"items": "请补充身份证明", "until": str(until)}), 403)

    body = ok(post(disclosure_city.officer, record, "correct", {"items": "请补充身份证明", "until": str(until)}))
    assert body["state"] == RequestState.CORRECTING
    assert (body["correction_items"], body["correction_until"]) == ("请补充身份证明", until.isoformat())
    assert clock(body, "disclosure")["suspended"] is True
    refused(post(disclosure_city.officer, record, "correct", {"items": "再补", "until": str(until)}), 409)

    refused(post(disclosure_city.officer, record, "receive-correction", {}), 400, "on")
    assert fresh(record).state == RequestState.CORRECTING
    body = ok(post(disclosure_city.officer, record, "receive-correction", {"on": str(today())}))
    assert body["state"] == RequestState.HANDLING and body["corrected_on"] == today().isoformat()
    assert clock(body, "disclosure")["suspended"] is False
    refused(post(disclosure_city.officer, record, "receive-correction", {"on": str(today())}), 409)


def test_abandon(disclosure_city, disclosure_flow):
    """GIVEN a request sent back for 补正 WHEN the officer takes it as given up before the 补正期限 THEN
    409; with a body THEN 400; once the 期限 has passed THEN 视为放弃, its clocks cancelled."""
    record = disclosure_flow.register()
    services.request_correct(
        actor=disclosure_city.officer.user, request=record, items="请补充", until=today() + timedelta(days=10)
    )
    refused(post(disclosure_city.officer, record, "abandon"), 409)
    DisclosureRequest.objects.filter(pk=record.pk).update(correction_until=today() - timedelta(days=1))
    refused(post(disclosure_city.officer, record, "abandon", {"reason": "x"}), 400, "reason")
    assert fresh(record).state == RequestState.CORRECTING

    body = ok(post(disclosure_city.officer, record, "abandon"))
    assert body["state"] == RequestState.ABANDONED and body["closed_reason"] == "abandoned"
    assert clock(body, "disclosure") is None


# --- 办理 ---------------------------------------------------------------------------------------------


def test_consult_and_opinion(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the officer consults a third party THEN its 15-working-day clock opens and
    the answer clock stops; an unknown party is a 400; the head may not (403); an opinion for another
    request's consultation is a 400; the opinion resumes the clock; none open is a 409."""
    record = disclosure_flow.register()
    other = disclosure_flow.register()
    refused(
        post(disclosure_city.officer, record, "opinion", {"consultation": 1, "on": str(today()), "opinion": "x"}), 409
    )
    consulted = {"party": "third_party", "name": "城东建设公司", "sent_on": str(today())}
    refused(post(disclosure_city.officer, record, "consult", {**consulted, "party": "neighbour"}), 400, "party")
    refused(post(disclosure_city.head, record, "consult", consulted), 403)
    assert not Consultation.objects.exists()

    body = ok(post(disclosure_city.officer, record, "consult", consulted))
    assert [c["name"] for c in body["consultations"]] == ["城东建设公司"] and body["consultation"]
    assert clock(body, "disclosure-third-party") and clock(body, "disclosure")["suspended"] is True

    elsewhere = services.request_consult(
        actor=disclosure_city.officer.user, request=other, party="organ", name="市自然资源局", sent_on=today()
    )
    answer = {"on": str(today()), "opinion": "不同意公开", "agrees": False}
    refused(
        post(disclosure_city.officer, record, "opinion", {**answer, "consultation": elsewhere.pk}), 400, "consultation"
    )
    assert Consultation.objects.get(pk=body["consultation"]).answered_on is None

    body = ok(post(disclosure_city.officer, record, "opinion", {**answer, "consultation": body["consultation"]}))
    assert body["consultations"][0]["opinion"] == "不同意公开" and body["consultations"][0]["agrees"] is False
    assert clock(body, "disclosure")["suspended"] is False and clock(body, "disclosure-third-party") is None


def test_extend(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the head approves 10 more working days THEN the answer clock is due later;
    more than 20 is a 400; the officer may not (403); a second extension is a 409."""
    record = disclosure_flow.register()
    due = clock(ok(as_(disclosure_city.officer).get(url(record))), "disclosure")["due_date"]
    refused(post(disclosure_city.head, record, "extend", {"days": 21, "reason": "需调取档案"}), 400, "days")
    refused(post(disclosure_city.officer, record, "extend", {"days": 10, "reason": "需调取档案"}), 403)

    body = ok(post(disclosure_city.head, record, "extend", {"days": 10, "reason": "需调取档案", "notice": "延期告知"}))
    assert clock(body, "disclosure")["due_date"] > due
    refused(post(disclosure_city.head, record, "extend", {"days": 5, "reason": "再延"}), 409)


def test_ask_review_and_secrecy_review(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the officer sends it to the 保密员 THEN he is named and may review it; a
    reviewer who is no 保密员 is a 400; the head may not send it (403); the officer may not review
    (403); a bad conclusion is a 400; the review is listed."""
    record = disclosure_flow.register()
    refused(
        post(disclosure_city.officer, record, "ask-review", {"reviewer": disclosure_city.bystander.pk}), 400, "reviewer"
    )
    assert fresh(record).secrecy_reviewer is None
    refused(post(disclosure_city.head, record, "ask-review", {"reviewer": disclosure_city.security.pk}), 403)

    body = ok(post(disclosure_city.officer, record, "ask-review", {"reviewer": disclosure_city.security.pk}))
    assert body["secrecy_reviewer"] == disclosure_city.security.pk
    refused(post(disclosure_city.officer, record, "secrecy-review", {"conclusion": "public", "note": "可公开"}), 403)
    refused(
        post(disclosure_city.security, record, "secrecy-review", {"conclusion": "maybe", "note": "x"}),
        400,
        "conclusion",
    )
    assert not SecrecyReview.objects.exists()

    body = ok(
        post(disclosure_city.security, record, "secrecy-review", {"conclusion": "public", "note": "不涉密，可公开"})
    )
    assert [r["conclusion"] for r in body["secrecy_reviews"]] == ["public"]


def test_fee(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the officer sends a 收费通知 THEN its 缴费期限 is set; a payment before the
    notice is a 400; the head may not (403); once paid, another fee step is a 409."""
    record = disclosure_flow.register()
    refused(
        post(disclosure_city.head, record, "fee", {"mode": "per_item", "amount": "100.00", "notice_on": str(today())}),
        403,
    )
    body = ok(
        post(
            disclosure_city.officer, record, "fee", {"mode": "per_item", "amount": "100.00", "notice_on": str(today())}
        )
    )
    assert body["fee_notice_on"] == today().isoformat() and body["fee_until"] > today().isoformat()

    refused(post(disclosure_city.officer, record, "fee", {"paid_on": str(today() - timedelta(days=5))}), 400)
    assert fresh(record).fee_paid_on is None
    body = ok(post(disclosure_city.officer, record, "fee", {"paid_on": str(today())}))
    assert body["fee_paid_on"] == today().isoformat()
    refused(post(disclosure_city.officer, record, "fee", {"paid_on": str(today())}), 409)


def test_abnormal(disclosure_city, disclosure_flow):
    """GIVEN a request WHEN the officer records it as beyond a reasonable volume THEN it is marked; an
    empty note is a 400; a second time is a 409."""
    record = disclosure_flow.register()
    refused(post(disclosure_city.officer, record, "abnormal", {"note": ""}), 400, "note")
    assert fresh(record).abnormal is False
    body = ok(post(disclosure_city.officer, record, "abnormal", {"note": "一个月内提出同类申请120件"}))
    assert body["abnormal"] is True and body["abnormal_note"] == "一个月内提出同类申请120件"
    refused(post(disclosure_city.officer, record, "abnormal", {"note": "再次"}), 409)


# --- The answer ---------------------------------------------------------------------------------------


def test_answer_deliver_close_and_outcome(disclosure_city, sign_letter, disclosure_flow):
    """GIVEN a request WHEN the officer drafts a 不予公开 answer without its reason THEN 400 and no 告知书;
    the head may not answer (403); a 予以公开 answer makes a restricted 信函 draft for the applicant;
    a second is a 409; 送达 before it is signed is a 409, in the future a 400; signed and delivered
    today it is 已答复 on time; 办结 before that is a 409; after 办结 the 复议 result is recorded (a
    bad one is a 400)."""
    record = disclosure_flow.register()
    series = disclosure_city.letter_series.pk
    refused(
        post(
            disclosure_city.officer, record, "answer", {"answer_type": "refused", "text": "不予公开", "series": series}
        ),
        400,
        "reason",
    )
    assert fresh(record).document_id is None
    refused(
        post(disclosure_city.head, record, "answer", {"answer_type": "granted", "text": "予以公开", "series": series}),
        403,
    )
    refused(post(disclosure_city.officer, record, "close"), 409)

    body = ok(
        post(
            disclosure_city.officer,
            record,
            "answer",
            {"answer_type": "granted", "text": "予以公开，见附件。", "series": series},
        )
    )
    draft = fresh(record).document
    assert body["draft_document"] == draft.pk and body["answer_type"] == "granted"
    assert (draft.kind, draft.restricted, draft.main_to_external) == ("letter", True, "陈申请")
    refused(
        post(disclosure_city.officer, record, "answer", {"answer_type": "granted", "text": "再答", "series": series}),
        409,
    )
    refused(post(disclosure_city.officer, record, "deliver", {"on": str(today()), "method": "email"}), 409)

    sign_letter(draft)
    refused(
        post(disclosure_city.officer, record, "deliver", {"on": str(today() + timedelta(days=2)), "method": "email"}),
        400,
    )
    assert fresh(record).state == RequestState.HANDLING
    body = ok(post(disclosure_city.officer, record, "deliver", {"on": str(today()), "method": "email"}))
    assert body["state"] == RequestState.ANSWERED and body["answered_on_time"] is True
    assert clock(body, "disclosure") is None

    refused(post(disclosure_city.officer, record, "close", {"note": "x"}), 400, "note")
    body = ok(post(disclosure_city.officer, record, "close"))
    assert body["state"] == RequestState.CLOSED
    refused(post(disclosure_city.officer, record, "outcome", {"review": "won"}), 400, "review")
    body = ok(post(disclosure_city.officer, record, "outcome", {"review": "upheld"}))
    assert body["review_outcome"] == "upheld"
    refused(post(disclosure_city.officer, disclosure_flow.register(), "outcome", {"review": "upheld"}), 409)


def test_already_public_finds_a_proactive_document(disclosure_city, schema, issue_document):
    """GIVEN a 主动公开 通知 核发 WHEN the officer searches its words THEN it is found; no words is a 400."""
    document = issue_document()
    officer = as_(disclosure_city.officer)

    response = officer.get(f"{BASE}already-public/", {"q": "旧城改造"})
    assert [row["id"] for row in ok(response)] == [document.pk]
    conforms(schema, "GET", f"{BASE}already-public/", response)
    assert ok(officer.get(f"{BASE}already-public/", {"q": "财政预算"})) == []
    refused(officer.get(f"{BASE}already-public/"), 400, "q")


# --- 主动公开 ------------------------------------------------------------------------------------------


def test_publication_review_publish_and_repeal(disclosure_city, schema, issue_document):
    """GIVEN a 主动公开 通知 核发 WHEN the 保密员 clears it, the officer publishes and then repeals it THEN
    each step moves it; the officer may not review (403); publishing before the review is a 409; a bad
    conclusion or URL is a 400 and changes nothing."""
    publication = publication_of(issue_document())
    path = f"{PUBLICATIONS}{publication.pk}/"
    security, officer = as_(disclosure_city.security), as_(disclosure_city.officer)

    refused(officer.post(f"{path}review/", {"conclusion": "public", "note": "可公开"}, format="json"), 403)
    refused(officer.post(f"{path}publish/", {"on": str(today())}, format="json"), 409)
    refused(security.post(f"{path}review/", {"conclusion": "perhaps", "note": "x"}, format="json"), 400, "conclusion")
    assert Publication.objects.get(pk=publication.pk).state == "pending"

    body = ok(security.post(f"{path}review/", {"conclusion": "public", "note": "不涉密"}, format="json"))
    assert body["state"] == "cleared" and [r["conclusion"] for r in body["secrecy_reviews"]] == ["public"]
    refused(officer.post(f"{path}publish/", {"on": str(today()), "url": "not a url"}, format="json"), 400, "url")
    assert Publication.objects.get(pk=publication.pk).state == "cleared"
    response = officer.post(
        f"{path}publish/",
        {"on": str(today()), "url": "https://www.example.gov.cn/zwgk/1.html", "index_number": "CS-2026-001"},
        format="json",
    )
    body = ok(response)
    assert body["state"] == "published" and body["published_on"] == today().isoformat()
    conforms(schema, "POST", f"{PUBLICATIONS}{{id}}/publish/", response)
    assert ok(officer.get(path))["index_number"] == "CS-2026-001"

    refused(officer.post(f"{path}repeal/", {}, format="json"), 400, "on")
    body = ok(officer.post(f"{path}repeal/", {"on": str(today())}, format="json"))
    assert body["state"] == "repealed"


def test_the_feed_lists_only_what_is_published(disclosure_city, schema, issue_document):
    """GIVEN three 主动公开 通知: one pending, one published, one published then repealed WHEN an API user
    (a bystander) reads the feed THEN only the published one is there, with its 索引号 and address;
    an unknown parameter is a 400."""
    pending = issue_document(title="关于一般事项的通知")
    shown = publication_of(issue_document(title="关于公布收费目录的通知"))
    gone = publication_of(issue_document(title="关于旧办法的通知"))
    security, officer = disclosure_city.security.user, disclosure_city.officer.user
    for publication in (shown, gone):
        publishing.publication_review(actor=security, publication=publication, conclusion="public", note="可公开")
        publishing.publication_publish(
            actor=officer,
            publication=publication_of(publication.document),
            on=today(),
            url="https://www.example.gov.cn/a.html",
            index_number=f"CS-{publication.pk}",
        )
    publishing.publication_repeal(actor=officer, publication=publication_of(gone.document), on=today())

    response = as_(disclosure_city.bystander).get(FEED)
    body = ok(response)
    assert [row["title"] for row in body["results"]] == ["关于公布收费目录的通知"]
    row = body["results"][0]
    assert (row["organ"], row["index_number"], row["url"]) == (
        "测试市人民政府",
        f"CS-{shown.pk}",
        "https://www.example.gov.cn/a.html",
    )
    assert row["published_on"] == today().isoformat()
    conforms(schema, "GET", FEED, response)
    assert publication_of(pending).state == "pending"
    refused(as_(disclosure_city.bystander).get(FEED, {"colour": "red"}), 400, "colour")


# --- 年度报告 ------------------------------------------------------------------------------------------


def test_the_officer_reads_the_annual_report(disclosure_city, schema, disclosure_flow):
    """GIVEN two requests received this year (a person's, a business's) WHEN the officer asks for this
    year's 年度报告 THEN its tables come as JSON: 本年新收 counts one in each column and two in 总计,
    both carried to next year; a year out of range is a 400; the answer keeps to the schema."""
    disclosure_flow.register()
    disclosure_flow.register(applicant_kind="business")
    officer = as_(disclosure_city.officer)

    response = officer.get(REPORT, {"year": today().year})
    body = ok(response)
    assert (body["organ"]["name"], body["year"]) == ("测试市人民政府", today().year)
    assert body["requests"]["columns"] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    rows = {row["code"]: row["counts"] for row in body["requests"]["rows"]}
    assert rows["new"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["carried_out"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["total"][-1] == 0
    assert [group["code"] for group in body["outcomes"]["groups"]] == ["review", "direct", "after_review"]
    conforms(schema, "GET", REPORT, response)
    refused(officer.get(REPORT, {"year": 1800}), 400, "year")
    assert ok(officer.get(REPORT, {"year": today().year - 1}))["requests"]["rows"][0]["counts"][-1] == 0
