"""``/api/v1/documents/incoming/``: 传阅 per reader as actions — sending a document round, each reader
opening then reading his copy with a comment, and the recall that releases the pending readers —
each done, refused by the workflow with 409, refused to the wrong person with 403, given bad
input with 400, or naming a row of another document with 404, and nothing changed.

The receiving bureau, its people and the ``receive`` / ``advance`` / ``circulating`` fixtures come
from ``conftest.py`` (``circulating``: a 阅件 sent round to the two readers of 政策研究室); the
client, URL, ``snapshot``, ``reader_of`` and answer checks from ``incoming_api_helpers.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Circulation, ReaderState
from office.confidentiality.levels import Level
from tests.documents.incoming_api_helpers import (
    S,
    assert_conflict,
    assert_forbidden,
    assert_invalid,
    post,
    reader_of,
    snapshot,
)

pytestmark = pytest.mark.django_db


# --- 传阅 ---------------------------------------------------------------------------------------------


def test_circulate_sends_it_round_to_each_reader(bureau, receive, advance):
    """GIVEN a 阅件 WHEN the 文秘 circulates it THEN each reader has it (已送达) with the due date,
    and the document is 传阅中."""
    document = advance(receive(), S.CIRCULATING)
    due = timezone.localdate() + timedelta(days=5)

    response = post(
        bureau.clerk,
        document,
        "circulate",
        {"readers": [bureau.reader.pk, bureau.second_reader.pk], "note": "请研阅", "due": due.isoformat()},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["circulating"] is True
    [circulation] = body["circulations"]
    assert circulation["note"] == "请研阅" and circulation["due"] == due.isoformat()
    assert [(r["person_name"], r["state"]) for r in circulation["readers"]] == [
        ("尤研究员", "sent"),
        ("许研究员", "sent"),
    ]


def test_circulate_refusals_change_nothing(bureau, receive, advance):
    """GIVEN a 机密 阅件 and a signed document WHEN the signed one is circulated (409), 预算处's head
    circulates (403), a reader's clearance is too low or no reader is named (400) THEN nothing
    changes."""
    signed = receive()
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.CIRCULATING)
    before = snapshot(document)

    assert_conflict(post(bureau.clerk, signed, "circulate", {"readers": [bureau.reader.pk], "note": "请阅"}))
    assert_forbidden(post(bureau.budget_head, document, "circulate", {"readers": [bureau.reader.pk], "note": "请阅"}))
    too_low = post(bureau.clerk, document, "circulate", {"readers": [bureau.low_reader.pk], "note": "请阅"})
    assert "何科员" in str(assert_invalid(too_low, "readers"))
    assert_invalid(post(bureau.clerk, document, "circulate", {"readers": [], "note": "请阅"}), "readers")
    assert snapshot(document) == before


def test_a_reader_receives_then_reads_with_a_comment(bureau, circulating):
    """GIVEN a circulation WHEN a reader opens it and then reads it with a comment THEN their row
    shows 已收到 then 已阅 with the times and comment; the other reader is still pending."""
    reader = reader_of(circulating, bureau.reader)

    opened = post(bureau.reader, circulating, f"readers/{reader.pk}/open")
    read = post(bureau.reader, circulating, f"readers/{reader.pk}/read", {"comment": "已阅，同意。"})

    assert opened.status_code == 200, opened.content
    assert read.status_code == 200, read.content
    rows = {r["person_name"]: r for r in read.json()["circulations"][0]["readers"]}
    assert rows["尤研究员"]["state"] == "read" and rows["尤研究员"]["comment"] == "已阅，同意。"
    assert rows["尤研究员"]["opened_at"] and rows["尤研究员"]["read_at"]
    assert rows["许研究员"]["state"] == "sent"
    assert read.json()["circulating"] is True


def test_reader_refusals_change_nothing(bureau, circulating):
    """GIVEN a circulation WHEN a reader reads before opening (409), opens someone else's copy (403),
    sends an overlong comment (400) or names a reader of another document (404) THEN nothing
    changes."""
    mine, theirs = reader_of(circulating, bureau.reader), reader_of(circulating, bureau.second_reader)
    before = snapshot(circulating)

    assert_conflict(post(bureau.reader, circulating, f"readers/{mine.pk}/read"))
    assert_forbidden(post(bureau.reader, circulating, f"readers/{theirs.pk}/open"))
    post(bureau.reader, circulating, f"readers/{mine.pk}/open")
    opened = snapshot(circulating)
    assert_invalid(post(bureau.reader, circulating, f"readers/{mine.pk}/read", {"comment": "阅" * 301}), "comment")
    assert post(bureau.reader, circulating, f"readers/{999_999}/open").status_code == 404
    assert snapshot(circulating) == opened
    assert before != opened  # only the open went through
    assert reader_of(circulating, bureau.reader).state == ReaderState.OPENED


def test_recall_releases_the_pending_readers(bureau, circulating):
    """GIVEN a circulation with one reader done WHEN the 文秘 recalls it THEN the other reader is
    已收回 and the document is no longer 传阅中; recalling again is a 409."""
    mine = reader_of(circulating, bureau.reader)
    post(bureau.reader, circulating, f"readers/{mine.pk}/open")
    post(bureau.reader, circulating, f"readers/{mine.pk}/read")
    circulation = Circulation.objects.get(document=circulating)

    response = post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {"reason": "误送"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["circulating"] is False and body["circulations"][0]["recalled_at"]
    assert {r["person_name"]: r["state"] for r in body["circulations"][0]["readers"]} == {
        "尤研究员": "read",
        "许研究员": "recalled",
    }
    assert_conflict(post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {"reason": "再收"}))


def test_recall_refusals_change_nothing(bureau, circulating):
    """GIVEN a circulation WHEN a reader recalls it (403), the reason is missing (400) or the
    circulation belongs to another document (404) THEN nothing changes."""
    circulation = Circulation.objects.get(document=circulating)
    before = snapshot(circulating)

    assert_forbidden(post(bureau.reader, circulating, f"circulations/{circulation.pk}/recall", {"reason": "收"}))
    assert_invalid(post(bureau.clerk, circulating, f"circulations/{circulation.pk}/recall", {}), "reason")
    assert post(bureau.clerk, circulating, "circulations/999999/recall", {"reason": "收"}).status_code == 404
    assert snapshot(circulating) == before
