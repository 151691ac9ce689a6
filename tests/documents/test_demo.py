"""``manage.py seed_demo`` loads the outgoing documents of the demo office: its four series and a
document in every state, walked there through the services, once however often it runs."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from documents.models import (
    Countersign,
    DocumentNumber,
    DocumentSeries,
    DocumentState,
    OutgoingDocument,
    Transition,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent
from office.org.models import Person
from office.reminders.models import Deadline

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "series": DocumentSeries.objects.count(),
        "documents": OutgoingDocument.objects.count(),
        "numbers": DocumentNumber.objects.count(),
        "transitions": Transition.objects.count(),
        "countersigns": Countersign.objects.count(),
        "deadlines": Deadline.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@override_settings(SHUNIU_DEMO=True)
def test_seed_demo_puts_a_document_in_every_state_and_running_it_again_changes_nothing():
    """GIVEN an empty database in demo mode WHEN seed_demo runs twice THEN the four series exist,
    there is an outgoing document in every state, and the second run adds nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    assert set(OutgoingDocument.objects.values_list("state", flat=True)) == set(DocumentState.values)
    assert set(DocumentSeries.objects.values_list("code", "template")) == {
        ("临府发", "standard"),
        ("临府办发", "standard"),
        ("临府办函", "letter"),
        ("临建函", "letter"),  # 住建局's answers to 信访 (petitions.demo)
        ("临发改函", "letter"),  # 发改局's and 财政局's 答复件 to 建议提案 (petitions.proposals.demo)
        ("临财函", "letter"),
        ("临府函", "letter"),  # the 市政府's 政府信息公开 告知书 (petitions.disclosure.demo)
        ("临府纪要", "minutes"),
    }


@override_settings(SHUNIU_DEMO=True)
def test_demo_documents_were_moved_by_the_people_whose_step_it_was():
    """GIVEN the demo office WHEN we read the 流转记录 THEN the clerk drafts in 秘书科, 黄蕾 reviews,
    the 督查科 head countersigns, the office director signs 临府办发 and the mayor 临府发; numbers
    are 代字〔YYYY〕N号 from 1 per series."""
    call_command("seed_demo", stdout=io.StringIO())
    people = {p.user.username: p for p in Person.objects.select_related("user")}
    documents = OutgoingDocument.objects.select_related("series", "drafter", "drafting_unit", "signed_by", "number")

    drafted_by_clerk = documents.filter(drafter=people["clerk"])
    assert drafted_by_clerk.count() >= 10
    assert set(drafted_by_clerk.values_list("drafting_unit__name", flat=True)) == {"秘书科"}
    assert Transition.objects.filter(action="核稿通过", actor=people["ms_chief"].user).exists()
    assert Countersign.objects.filter(decided_by=people["dc_chief"], state="agreed").exists()
    assert Countersign.objects.filter(unit__code="LJ-BGS-DC", state="pending", document__state="countersign").exists()
    signed = documents.exclude(signed_by=None)
    assert {d.signed_by.user.username for d in signed if d.series.code == "临府办发"} == {"office_chief"}
    assert {d.signed_by.user.username for d in signed if d.series.code == "临府发"} == {"director"}
    numbers = sorted(d.number.sequence for d in documents.filter(series__code="临府办发").exclude(number=None))
    assert numbers == list(range(1, len(numbers) + 1))
    assert all("〔" in d.number_text and d.number_text.endswith("号") for d in documents.exclude(number=None))


@override_settings(SHUNIU_DEMO=True)
def test_demo_has_an_upward_request_and_a_classified_document_with_copies(settings):
    """GIVEN the demo office WHEN seeded THEN a 上行文 请示 goes to 市委 (outside the system) with the
    mayor as its signer, and a 机密 document has its copies and term; its body is kept only when the
    deployment's ceiling allows 机密 content (the test settings do not)."""
    call_command("seed_demo", stdout=io.StringIO())

    request = OutgoingDocument.objects.get(kind="request", direction="up")
    assert request.main_to_external == "中共临江市委"
    assert request.designated_signer.user.username == "director"
    assert "请批示" in request.body

    secret = OutgoingDocument.objects.get(classification=Level.SECRET)
    assert secret.copies == 5 and secret.level_mark == "机密★20年"
    assert secret.number_id is not None
    assert Level(settings.SHUNIU_CLASSIFICATION_CEILING) < Level.SECRET
    assert secret.body == ""
