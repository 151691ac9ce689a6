"""The access and security log: append-only in PostgreSQL, hash-chained, anchored outside."""

import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from office.confidentiality import audit
from office.confidentiality.models import AuditAction, AuditChainHead, AuditEvent
from office.confidentiality.tasks import write_audit_anchor

pytestmark = pytest.mark.django_db


def _events(person, n=3):
    return [audit.record(person.user, AuditAction.VIEW, detail={"n": i}) for i in range(n)]


def _untriggered(sql: str, params=()) -> None:
    """What a database superuser could do: switch the protection off, write, switch it on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred checks
        cursor.execute("ALTER TABLE confidentiality_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE confidentiality_auditevent ENABLE TRIGGER USER")


def test_postgresql_refuses_updates_to_the_log(person):
    """GIVEN a logged event WHEN anyone tries to UPDATE it, even in raw SQL THEN PostgreSQL refuses."""
    event = _events(person, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_name="篡改")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE confidentiality_auditevent SET detail = '{}' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.actor_name == person.name


def test_postgresql_refuses_deletes_from_the_log(person):
    """GIVEN logged events WHEN anyone tries to DELETE them THEN PostgreSQL refuses and they stay."""
    events = _events(person, 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM confidentiality_auditevent")
    assert AuditEvent.objects.count() == 2


def test_the_chain_links_every_row_to_the_one_before(person):
    """GIVEN three events WHEN they are read back THEN ids run 1, 2, 3 and each carries the previous hash."""
    first, second, third = _events(person)
    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit.verify().ok and audit.verify().checked == 3


def test_verify_audit_reports_the_first_row_whose_hash_no_longer_matches(person, capsys):
    """GIVEN a chain WHEN row 2's content is changed behind the trigger's back THEN verify_audit
    fails and names row 2."""
    _events(person, 4)
    call_command("verify_audit")
    assert "4 rows verified" in capsys.readouterr().out

    _untriggered("UPDATE confidentiality_auditevent SET actor_name = '他人' WHERE id = 2")

    with pytest.raises(CommandError, match=r"BROKEN at #2: #2 content does not match its hash"):
        call_command("verify_audit")


def test_verify_audit_notices_a_deleted_row(person):
    """GIVEN a chain WHEN a row in the middle disappears THEN the gap is reported."""
    _events(person, 3)
    _untriggered("DELETE FROM confidentiality_auditevent WHERE id = 2")
    result = audit.verify()
    assert not result.ok and result.broken_at == 3 and "missing rows" in result.problem


def test_a_wholesale_rewrite_shows_against_the_anchor_written_outside(person, tmp_path):
    """GIVEN an anchor of the chain head written to a file WHEN a superuser rewrites a row and
    recomputes every hash after it (an internally consistent chain) THEN the chain alone looks
    intact, but checked against the anchor the rewrite shows."""
    _events(person, 3)
    anchors = tmp_path / "anchors.log"
    anchor = audit.write_anchor(anchors)
    assert anchor["last_id"] == 3

    _untriggered("UPDATE confidentiality_auditevent SET actor_name = '他人' WHERE id = 1")
    prev = audit.GENESIS
    for event in AuditEvent.objects.order_by("id"):
        event.prev_hash = prev
        new_hash = audit._digest(event)
        _untriggered(
            "UPDATE confidentiality_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", (prev, new_hash, event.id)
        )
        prev = new_hash
    AuditChainHead.objects.filter(singleton=True).update(last_hash=prev)

    assert audit.verify(anchors=tmp_path / "none.log").ok
    result = audit.verify(anchors=anchors)
    assert not result.ok and result.broken_at == 3 and "anchor" in result.problem


def test_the_daily_task_writes_the_head_to_the_file_and_the_log(person, settings, tmp_path, caplog):
    """GIVEN events WHEN the daily anchor task runs THEN the file gains a line with the last id and hash."""
    settings.SHUNIU_AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    last = _events(person, 2)[-1]
    with caplog.at_level("INFO", logger="shuniu.audit"):
        write_audit_anchor()
    line = json.loads((tmp_path / "anchors.log").read_text().splitlines()[-1])
    assert (line["last_id"], line["last_hash"]) == (last.id, last.hash)
    assert last.hash in caplog.text


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """GIVEN four threads each logging 15 events at once WHEN they finish THEN the chain has 60
    rows with consecutive ids and verifies."""
    from tests.factories import make_person

    actor = make_person(username="writer").user
    errors = []

    def write():
        try:
            for i in range(15):
                audit.record(actor, AuditAction.VIEW, detail={"i": i})
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == list(range(1, 61))
    assert audit.verify().ok
