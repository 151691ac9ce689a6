"""``manage.py seed_demo`` loads incoming documents (收文) at every step: from outside the system and
from the demo office's own issued documents, walked there through the services, once however
often it runs."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from documents.models import (
    Assignment,
    Channel,
    CirculationReader,
    IncomingDocument,
    IncomingState,
    IncomingTransition,
    ReaderState,
)
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent
from office.reminders.models import Deadline, Notification

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "incoming": IncomingDocument.objects.count(),
        "transitions": IncomingTransition.objects.count(),
        "assignments": Assignment.objects.count(),
        "readers": CirculationReader.objects.count(),
        "deadlines": Deadline.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@override_settings(SHUNIU_DEMO=True)
def test_seed_demo_puts_an_incoming_document_at_every_step_and_running_it_again_changes_nothing():
    """GIVEN an empty database in demo mode WHEN seed_demo runs twice THEN there is an incoming
    document in every state, from outside the system and from the internal exchange, and the
    second run adds nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    assert set(IncomingDocument.objects.values_list("state", flat=True)) == set(IncomingState.values)
    senders = set(IncomingDocument.objects.values_list("sender_organ", flat=True))
    assert {"江东省人民政府办公厅", "国务院办公厅"} <= senders
    internal = IncomingDocument.objects.filter(channel=Channel.INTERNAL)
    assert internal.filter(state=IncomingState.PENDING).exists()
    assert internal.exclude(state=IncomingState.PENDING).exists()
    assert all(d.source_outgoing_id for d in internal)


@override_settings(SHUNIU_DEMO=True)
def test_demo_incoming_documents_were_moved_by_the_people_whose_step_it_was():
    """GIVEN the demo office WHEN we read the 收文 THEN the clerk signs for and registers (收〔YYYY〕N号
    from 1), the mayor instructs with lead units, 传阅 has readers in every state with one still
    pending for the 商务局 staff, some handling deadlines are overdue and the chaser has chased."""
    call_command("seed_demo", stdout=io.StringIO())
    year = timezone.localdate().year
    at_city = IncomingDocument.objects.filter(receiving_unit__code="LJ").exclude(registration_sequence=None)
    assert sorted(at_city.values_list("registration_sequence", flat=True)) == list(range(1, at_city.count() + 1))
    assert all(d.registration_text.startswith(f"收〔{year}〕") for d in at_city)
    assert IncomingTransition.objects.filter(action="签收", actor__username="clerk").exists()
    assert IncomingTransition.objects.filter(action="批示", actor__username="director").exists()
    assert IncomingTransition.objects.filter(action="催办", actor__username="supervisor").exists()
    assert set(CirculationReader.objects.values_list("state", flat=True)) >= {
        ReaderState.SENT,
        ReaderState.OPENED,
        ReaderState.READ,
    }
    assert CirculationReader.objects.filter(person__user__username="staff", state=ReaderState.SENT).exists()
    today = timezone.localdate()
    overdue = Deadline.objects.filter(kind="document", state="open", due_date__lt=today)
    assert overdue.count() >= 2
    due_soon = Deadline.objects.filter(kind="document", state="open", due_date__gte=today)
    assert due_soon.exists()
    done = IncomingDocument.objects.get(title="江东省财政厅关于报送2025年度财政决算报表的通知")
    assert done.state == IncomingState.DONE and done.reply and done.done_on_time
    assert Assignment.objects.filter(document=done, role="assist").exclude(done_at=None).exists()


@override_settings(SHUNIU_DEMO=True)
def test_the_classified_demo_incoming_document_keeps_only_its_register_below_the_ceiling(settings):
    """GIVEN the demo office WHEN seeded under a ceiling below 机密 THEN the 机密 incoming document
    is registered with its mark, waiting for the mayor's 批示, and carries no body."""
    call_command("seed_demo", stdout=io.StringIO())

    secret = IncomingDocument.objects.get(classification=Level.SECRET)
    assert secret.state == IncomingState.INSTRUCTION
    assert secret.instructing_leader.user.username == "director"
    assert Level(settings.SHUNIU_CLASSIFICATION_CEILING) < Level.SECRET
    assert secret.body == ""
