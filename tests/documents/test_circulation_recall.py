"""收回传阅 takes back the access the round gave: a reader who had not read the document no longer
sees it — its page and its API are a 404, it is gone from his lists and his 待阅 — while a reader
who had read it keeps it (he knows it already). Access that rests on something else (another
round, a 知悉范围 grant by the registrar) is not taken with it.

And a reader whose access is gone is not told the title: a 催办 names the document for each reader
as he may see it.

The bureau, ``receive`` and ``advance`` come from ``conftest.py``. The document is 机密 and signed
for by the bureau's 办公室, so the readers of 政策研究室 see it only through the round (内部 would be
open to the whole bureau, and a document received by the organ itself to everyone cleared in it).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from rest_framework.test import APIClient

from documents.incoming import services as incoming
from documents.models import IncomingDocument, IncomingState
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.reminders.models import Notification

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)
SECRET_TITLE = "关于某专项资金绩效评价问题线索的通报"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def document(bureau, receive, advance, time_machine) -> IncomingDocument:
    """A 机密 阅件 signed for by the bureau's 办公室 (its receiving unit: the readers of 政策研究室 are
    outside it), taken in for 传阅 on Monday 2 March 2026."""
    time_machine.move_to(at(MONDAY), tick=False)
    received = receive(title=SECRET_TITLE, level=Level.SECRET, basis="来文标注", receiving_unit=bureau.office)
    return advance(received, IncomingState.CIRCULATING)


def circulate(bureau, document, readers, note="请研究室阅知"):
    return incoming.circulation_start(
        actor=bureau.clerk.user, document=document, readers=readers, note=note, due=date(2026, 3, 5)
    )


def read(person, circulation):
    row = incoming.circulation_open(actor=person.user, reader=circulation.readers.get(person=person))
    return incoming.circulation_read(actor=person.user, reader=row, comment="已阅")


def recall(bureau, circulation):
    return incoming.circulation_recall(actor=bureau.clerk.user, circulation=circulation, reason="来文单位已撤回")


class Reader:
    """What a reader finds of the document: its page, its API, the register, the API list, 待阅."""

    def __init__(self, person, document):
        self.document = document
        self.browser = Client()
        self.browser.force_login(person.user)
        self.api = APIClient()
        self.api.force_authenticate(user=person.user)

    def detail_page(self) -> int:
        return self.browser.get(f"/documents/incoming/{self.document.pk}/").status_code

    def detail_api(self) -> int:
        return self.api.get(f"/api/v1/documents/incoming/{self.document.pk}/").status_code

    def in_register(self) -> bool:
        return SECRET_TITLE in self.browser.get("/documents/incoming/").content.decode()

    def in_api_list(self) -> bool:
        rows = self.api.get("/api/v1/documents/incoming/").json()["results"]
        return self.document.pk in {row["id"] for row in rows}

    def in_inbox(self) -> bool:
        return SECRET_TITLE in self.browser.get("/documents/incoming/inbox/").content.decode()


def test_a_recall_takes_the_document_away_from_a_reader_who_had_not_read_it(bureau, document):
    """GIVEN a 机密 document sent round to a reader who has it in his 待阅 and has received it
    (已收到) but not read it
    WHEN the 文秘 recalls the round
    THEN its page and its API are a 404 for him, and it is gone from the register, the API list and
    his 待阅 — where before the recall he found it everywhere."""
    circulation = circulate(bureau, document, [bureau.reader])
    incoming.circulation_open(actor=bureau.reader.user, reader=circulation.readers.get())
    reader = Reader(bureau.reader, document)
    before = (reader.detail_page(), reader.detail_api(), reader.in_register(), reader.in_api_list())
    assert before == (200, 200, True, True) and reader.in_inbox()

    recall(bureau, circulation)

    assert (reader.detail_page(), reader.detail_api()) == (404, 404)
    assert not reader.in_register() and not reader.in_api_list() and not reader.in_inbox()


def test_a_reader_who_had_read_it_keeps_it_after_the_recall(bureau, document):
    """GIVEN a round to two readers, the first of whom has read the document, the second not
    WHEN the round is recalled
    THEN the first still opens its page and its API and finds it in the register; the second does not."""
    circulation = circulate(bureau, document, [bureau.reader, bureau.second_reader])
    read(bureau.reader, circulation)

    recall(bureau, circulation)

    first, second = Reader(bureau.reader, document), Reader(bureau.second_reader, document)
    assert (first.detail_page(), first.detail_api(), first.in_register(), first.in_api_list()) == (200, 200, True, True)
    assert (second.detail_page(), second.detail_api(), second.in_register()) == (404, 404, False)


def test_a_reader_of_another_round_keeps_it_when_one_round_is_recalled(bureau, document):
    """GIVEN a reader in two rounds of the same document, neither read yet
    WHEN the first round is recalled
    THEN he still sees it (the second round is his to read) and it is still in his 待阅; once the
    second round is recalled too, it is gone."""
    first_round = circulate(bureau, document, [bureau.reader], note="请阅知")
    second_round = circulate(bureau, document, [bureau.reader], note="请结合本处工作提出意见")
    reader = Reader(bureau.reader, document)

    recall(bureau, first_round)
    assert (reader.detail_page(), reader.in_inbox()) == (200, True)

    recall(bureau, second_round)
    assert (reader.detail_page(), reader.in_register()) == (404, False)


def test_a_reader_granted_the_document_keeps_it_after_the_recall(bureau, document):
    """GIVEN a reader the registrar had brought into the document's 知悉范围 (a grant, with a reason)
    before sending it round to him
    WHEN the round is recalled before he reads it
    THEN he still sees it: the recall takes back what the round gave, not the registrar's grant."""
    secrecy.grant(actor=bureau.clerk.user, record=document, person=bureau.reader, reason="承办相关工作")
    circulation = circulate(bureau, document, [bureau.reader])

    recall(bureau, circulation)

    reader = Reader(bureau.reader, document)
    assert (reader.detail_page(), reader.detail_api(), reader.in_register()) == (200, 200, True)
    assert not reader.in_inbox()  # nothing left to read in the recalled round


def test_a_chase_names_the_document_to_each_reader_as_he_may_see_it(bureau, document):
    """GIVEN a round to two readers, and the registrar takes the second out of the document's
    知悉范围 before either reads it
    WHEN the 文秘 chases the readers
    THEN both are chased with the 文秘's words; the first is told 一项涉密事项 (a classified title
    stays in the system), the second 一项您无权查看的事项 — neither text holds the title."""
    circulate(bureau, document, [bureau.reader, bureau.second_reader])
    secrecy.revoke(actor=bureau.clerk.user, record=document, person=bureau.second_reader, reason="调整知悉范围")

    incoming.incoming_chase(actor=bureau.clerk.user, document=document, message="请于周四前阅毕")

    verbs = dict(Notification.objects.filter(verb__startswith="催办").values_list("recipient__username", "verb"))
    assert verbs == {
        "in-reader": "催办：一项涉密事项（请登录系统查看）。请于周四前阅毕",
        "in-reader2": "催办：一项您无权查看的事项。请于周四前阅毕",
    }
    assert not Notification.objects.filter(subject_repr__contains=SECRET_TITLE).exists()
