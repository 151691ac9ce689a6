"""``/api/v1/documents/outgoing/``: the reads — the detail with its findings (never a 绝密 body),
``check/``, the list with its filters, rows without bodies, full-text search of titles and
numbers at a fixed query count, the series and each person's inbox — and the 发文登记簿 export.

The people are those of the ``office`` fixture, with ``make_document`` / ``walk`` to draft and move
a document, ``cleared_clerk`` (a 文秘 cleared for 机密) and ``ceiling_top_secret`` (``conftest.py``);
the client, URLs, ``audit_events`` and answer checks come from ``outgoing_api_helpers.py``."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from documents.models import Attachment
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from tests.documents.outgoing_api_helpers import BASE, XLSX, S, as_, assert_invalid, audit_events, url
from tests.factories import make_person

pytestmark = pytest.mark.django_db


# --- Reads --------------------------------------------------------------------------------------


def test_detail_shows_the_record_and_its_findings(office, make_document, walk):
    """GIVEN a document with an attachment its 附件说明 does not list WHEN its detail is read THEN
    it carries the countersigns, the 流转记录, the attachment's name and the checker's finding."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), S.COUNTERSIGN)
    Attachment.objects.create(
        document=document,
        name="年终工作安排表.xlsx",
        file="documents/2026/01/a.xlsx",
        size=1024,
        content_type=XLSX,
        uploaded_by=office.drafter,
    )

    data = as_(office.clerk).get(url(document)).json()

    assert [a["name"] for a in data["attachments"]] == ["年终工作安排表.xlsx"]
    assert "file" not in data["attachments"][0]
    assert data["countersigns"][0]["unit_name"] == "政策法规处"
    assert [t["action"] for t in data["transitions"]] == ["拟稿", "送核稿", "核稿通过"]
    assert data["transitions"][1]["actor_name"] == "李拟稿"
    assert {f["rule"] for f in data["findings"]} >= {"attachments_match"}
    assert data["state_label"] == "会签" and data["kind_label"] == "通知"


def test_check_lists_the_findings(office, make_document):
    """GIVEN a 批复 that does not name its 请示 WHEN ``check/`` is read THEN the error is listed."""
    document = make_document(kind="reply", title="测试办公室关于同意调整的批复")

    response = as_(office.drafter).get(url(document, "check"))

    assert response.status_code == 200
    assert {"rule": "reply_answers_request", "severity": "error"}.items() <= next(
        f for f in response.json() if f["rule"] == "reply_answers_request"
    ).items()


def test_top_secret_detail_never_carries_the_body(office, make_document, ceiling_top_secret):
    """GIVEN a 绝密 document with a body (the ceiling allows it) WHEN its drafter reads the detail
    THEN the body is null, the mark is shown and the read is in the access log."""
    document = make_document(
        actor=office.director.user,
        title="测试办公室关于重要事项的通知",
        level=Level.TOP_SECRET,
        basis="保密事项范围第1项",
        term_amount=30,
        copies=2,
    )

    response = as_(office.director).get(url(document))

    assert response.status_code == 200
    assert response.json()["body"] is None
    assert response.json()["level_mark"] == "绝密★30年"
    assert len(audit_events(AuditAction.VIEW, document)) == 1


def test_list_filters(office, make_document, walk, cleared_clerk):
    """GIVEN documents of different states, kinds and levels WHEN the list is filtered THEN each
    filter keeps exactly its documents; a bad value or an unknown parameter is a 400."""
    notice = make_document()
    request = walk(make_document(kind="request", title="测试办公室关于增加经费的请示", body="妥否，请批示。"), S.REVIEW)
    secret = make_document(
        actor=make_person(username="doc-secret", unit=office.general_section, clearance=Level.SECRET).user,
        title="测试办公室关于内部审计的通知",
        level=Level.SECRET,
        basis="保密事项范围第2项",
        body="",
    )
    issued = walk(make_document(title="测试办公室关于节日值班的通知"), S.ISSUED)
    client = as_(cleared_clerk)

    def ids(**params) -> set[int]:
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {notice.pk, request.pk, secret.pk, issued.pk}
    assert ids(state="review") == {request.pk}
    assert ids(kind="request") == {request.pk}
    assert ids(classification="secret") == {secret.pk}
    assert ids(series=office.series.pk, drafting_unit=office.general_section.pk) == ids()
    assert ids(year=timezone.localdate().year) == ids()
    assert ids(year=2001) == set()
    today = timezone.localdate().isoformat()
    assert ids(date_from=today, date_to=today) == {issued.pk}
    assert ids(state="") == ids()  # an emptied filter is no filter

    assert_invalid(client.get(BASE, {"state": "lost"}), "state")
    assert_invalid(client.get(BASE, {"classification": "ultra"}), "classification")
    assert_invalid(client.get(BASE, {"date_from": "2026-02-01", "date_to": "2026-01-01"}), "date_to")
    assert_invalid(client.get(BASE, {"colour": "red"}), "colour")


def test_list_rows_carry_no_body(office, make_document):
    """GIVEN a document WHEN it is listed THEN its row has the register fields but not the body."""
    make_document()

    row = as_(office.drafter).get(BASE).json()["results"][0]

    assert "body" not in row
    assert row["series_code"] == "测办发" and row["drafter_name"] == "李拟稿"


def test_full_text_search_finds_words_inside_the_title(office, make_document):
    """GIVEN a document titled 关于做好防汛抗旱工作的通知 WHEN the list is searched for 防汛, for
    抗旱工作 and for 地震 THEN the first two find it and the third does not."""
    document = make_document(title="关于做好防汛抗旱工作的通知")
    make_document(title="关于开展安全生产检查的通知")
    client = as_(office.drafter)

    def found(text: str) -> list[int]:
        return [row["id"] for row in client.get(BASE, {"q": text}).json()["results"]]

    assert found("防汛") == [document.pk]
    assert found("抗旱工作") == [document.pk]
    assert found("地震") == []


def test_full_text_search_finds_the_number(office, make_document, walk):
    """GIVEN a registered document WHEN the list is searched for its number THEN it is found."""
    document = walk(make_document(), S.REGISTERED)
    other = make_document(title="测试办公室关于其他事项的通知")

    rows = as_(office.clerk).get(BASE, {"q": document.number.text}).json()["results"]

    assert [row["id"] for row in rows] == [document.pk]
    assert other.pk not in [row["id"] for row in rows]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE, {"page_size": 200})
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_documents(office, make_document, walk):
    """GIVEN 5 then 25 documents (some registered and signed, with recipients and countersigns)
    WHEN the clerk lists them THEN the list costs the same number of queries."""
    client = as_(office.clerk)

    def grow(n: int) -> None:
        for i in range(n):
            document = make_document(
                title=f"测试办公室关于第{i}项工作的通知",
                countersign_units=[office.countersign_unit],
                cc_units=[office.organ],
            )
            if i % 5 == 0:
                walk(document, S.REGISTERED)

    grow(5)
    client.get(BASE)  # the caller's person and unit chain, loaded once per login
    small = _list_queries(client)
    grow(20)
    large = _list_queries(client)

    assert client.get(BASE).json()["count"] == 25
    assert small == large


# --- The 发文登记簿 export -------------------------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_register_export_lays_out_the_register(office, make_document, walk):
    """GIVEN an issued document and a draft whose title starts with = WHEN the 登记簿 is exported
    THEN the sheet has the register's columns, the number, the Chinese 成文日期, the recipients and
    the state; the formula-like title stays text; the export is in the audit log."""
    issued = walk(make_document(), S.ISSUED)
    make_document(title='=HYPERLINK("http://example.com","点此")')

    response = as_(office.clerk).get(f"{BASE}register/")
    rows = _sheet(response)

    assert rows[0] == (
        "序号",
        "发文字号",
        "标题",
        "文种",
        "密级",
        "拟稿单位",
        "签发人",
        "成文日期",
        "主送",
        "份数",
        "状态",
    )
    by_title = {row[2]: row for row in rows[1:]}
    row = by_title[issued.title]
    day = issued.written_date
    assert row[1] == issued.number.text
    assert row[3:] == (
        "通知",
        "内部",
        "综合科",
        "赵主任",
        f"{day.year}年{day.month}月{day.day}日",
        "测试市财政局",
        None,
        "已核发",
    )
    assert re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", row[7])
    assert [r[0] for r in rows[1:]] == [1, 2]
    workbook = load_workbook(BytesIO(response.content))
    formula_cell = next(c for c in workbook.active["C"] if str(c.value).startswith("="))
    assert formula_cell.data_type == "s"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.detail["what"] == "outgoing_register" and event.detail["rows"] == 2


def test_register_export_follows_the_list_filters(office, make_document, walk):
    """GIVEN an issued document and a draft WHEN the 登记簿 is exported for state=issued, also as
    ``register.xlsx`` THEN only the issued one is in it; a bad filter is a 400 in JSON."""
    issued = walk(make_document(), S.ISSUED)
    make_document(title="测试办公室关于草稿事项的通知")
    client = as_(office.clerk)

    rows = _sheet(client.get(f"{BASE}register/", {"state": "issued"}))
    suffixed = _sheet(client.get(f"{BASE}register.xlsx", {"state": "issued"}))

    assert [row[2] for row in rows[1:]] == [issued.title]
    assert suffixed[1:] == rows[1:]
    assert_invalid(client.get(f"{BASE}register/", {"state": "lost"}), "state")


# --- Series and the inbox -----------------------------------------------------------------------


def test_series_are_listed_for_drafters(office):
    """GIVEN the office's series WHEN a drafter lists the series THEN it is there with its organ."""
    rows = as_(office.drafter).get("/api/v1/documents/series/").json()["results"]

    assert [(row["code"], row["organ_name"]) for row in rows] == [("测办发", "测试市人民政府办公室")]


def test_inbox_shows_what_waits_for_the_caller(office, make_document, walk):
    """GIVEN a draft and a document in 核稿 WHEN the drafter and the clerk open their inbox THEN
    the drafter sees the draft and the clerk the one to review."""
    draft = make_document()
    in_review = walk(make_document(title="测试办公室关于另一事项的通知"), S.REVIEW)

    mine = as_(office.drafter).get(f"{BASE}inbox/").json()
    clerks = as_(office.clerk).get(f"{BASE}inbox/").json()

    assert [row["id"] for row in mine["drafts"]["results"]] == [draft.pk]
    assert clerks["review"]["count"] == 1
    assert [row["id"] for row in clerks["review"]["results"]] == [in_review.pk]
