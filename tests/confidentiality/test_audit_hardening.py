"""The audit chain holds against the application's own database role: no session setting switches
the append-only triggers off, TRUNCATE is refused, the chain head neither rewinds nor disappears,
a head a superuser removed is rebuilt from the last row, and the anchor can go out hourly and to
a syslog host."""

import json
import logging
import socket

import pytest
from celery.schedules import crontab
from django.db import DatabaseError, connection, transaction

from office.celery import app, audit_anchor_entry
from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditChainHead, AuditEvent
from office.confidentiality.syslog import AuditSyslogHandler, handler_config
from tests.db_roles import database_role, refused, refused_as

pytestmark = pytest.mark.django_db

EVENTS = "confidentiality_auditevent"
HEAD = "confidentiality_auditchainhead"
GUARDED = [
    EVENTS,
    HEAD,
    "documents_transition",
    "documents_incomingtransition",
    "supervision_supervisionevent",
    "supervision_extensiondecision",
]


def _events(person, n=3):
    return [audit.record(person.user, AuditAction.VIEW, detail={"n": i}) for i in range(n)]


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.get(singleton=True)
    return head.last_id, head.last_hash


def test_every_guarded_table_refuses_changes_whatever_the_replication_role():
    """GIVEN the migrated database WHEN its triggers are listed THEN the audit tables and every
    流转记录 table carry a guard that fires ALWAYS (also under session_replication_role = replica)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'shuniu_%' AND NOT t.tgisinternal"
        )
        modes = {}
        for table, mode in cursor.fetchall():
            modes.setdefault(table, set()).add(mode)
    assert {table: modes.get(table) for table in GUARDED} == {table: {"A"} for table in GUARDED}


def test_the_application_role_cannot_update_delete_or_truncate_the_log(person):
    """GIVEN a role with ALL privileges on the log, not a superuser WHEN it sets pgtrigger.ignore
    to every trigger of the table and tries UPDATE, DELETE and TRUNCATE THEN each is refused and
    the rows stay as written."""
    written = _events(person, 2)
    with database_role(EVENTS) as role:
        for sql in (
            "UPDATE confidentiality_auditevent SET actor_name = '篡改' WHERE id = 1",
            "DELETE FROM confidentiality_auditevent WHERE id = 2",
            "TRUNCATE confidentiality_auditevent",
        ):
            assert "append-only" in refused_as(role, sql, ignore_table=EVENTS)
    assert [(e.id, e.actor_name, e.hash) for e in AuditEvent.objects.order_by("id")] == [
        (e.id, person.name, e.hash) for e in written
    ]
    assert audit.verify().ok


def test_the_application_role_cannot_switch_the_guard_off(person):
    """GIVEN the same role WHEN it tries to disable the table's triggers or to become a
    replication session THEN PostgreSQL refuses both: only the owner or a superuser could."""
    _events(person, 1)
    with database_role(EVENTS) as role:
        assert "owner" in refused_as(role, "ALTER TABLE confidentiality_auditevent DISABLE TRIGGER ALL")
        assert "permission denied" in refused_as(role, "SET session_replication_role = replica")


def test_even_a_replication_session_of_the_superuser_cannot_delete(person):
    """GIVEN a superuser session with session_replication_role = replica (which skips ordinary
    triggers) WHEN it deletes from the log THEN the ALWAYS trigger still refuses."""
    _events(person, 1)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        assert "append-only" in refused("DELETE FROM confidentiality_auditevent")
        transaction.set_rollback(True)  # and with it the replication role
    assert AuditEvent.objects.count() == 1


def test_a_database_superuser_may_still_truncate(person):
    """GIVEN the log WHEN the database superuser truncates it (as Django's test flush does) THEN
    it is allowed: a superuser can disable triggers anyway, and the anchors catch that."""
    _events(person, 2)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred checks
            cursor.execute("TRUNCATE confidentiality_auditevent")
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == 2


def test_the_chain_head_cannot_be_rewound(person):
    """GIVEN three events WHEN the head is moved back onto row 1 (by the application role or by
    the ORM) THEN PostgreSQL refuses; the head still names row 3."""
    first, _, third = _events(person)
    with database_role(HEAD) as role:
        message = refused_as(
            role,
            "UPDATE confidentiality_auditchainhead SET last_id = %s, last_hash = %s",
            [first.id, first.hash],
            ignore_table=HEAD,
        )
    assert "cannot move back" in message
    with pytest.raises(DatabaseError, match="cannot move back"), transaction.atomic():
        AuditChainHead.objects.filter(singleton=True).update(last_id=first.id, last_hash=first.hash)
    assert _head() == (third.id, third.hash)


def test_the_chain_head_moves_only_onto_the_last_row(person):
    """GIVEN two events WHEN the head is moved forward onto a row that does not exist, or given a
    hash no row has THEN PostgreSQL refuses."""
    _, second = _events(person, 2)
    assert "last row" in refused("UPDATE confidentiality_auditchainhead SET last_id = 7, last_hash = %s", [second.hash])
    assert "last row" in refused("UPDATE confidentiality_auditchainhead SET last_hash = %s", ["f" * 64])
    assert _head() == (second.id, second.hash)


def test_the_chain_head_cannot_be_deleted(person):
    """GIVEN a chain WHEN the application role (with pgtrigger.ignore set) or the ORM deletes the
    head THEN PostgreSQL refuses, as it does a TRUNCATE by the role."""
    last = _events(person, 2)[-1]
    with database_role(HEAD) as role:
        assert "cannot be deleted" in refused_as(role, "DELETE FROM confidentiality_auditchainhead", ignore_table=HEAD)
        assert "append-only" in refused_as(role, "TRUNCATE confidentiality_auditchainhead")
    assert "cannot be deleted" in refused("DELETE FROM confidentiality_auditchainhead")
    assert _head() == (last.id, last.hash)


def test_a_head_a_superuser_removed_is_rebuilt_from_the_last_row(security_officer, register, api_as):
    """GIVEN a chain whose head a superuser deleted behind the trigger WHEN the next audited read
    happens (a 机密 carrier opened in the API) THEN it succeeds; the head is rebuilt from the last
    row (not from the genesis hash), the rebuild is itself logged, and the chain verifies."""
    carrier = register(security_officer, level=Level.SECRET, title="机密载体")
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE confidentiality_auditchainhead DISABLE TRIGGER shuniu_audit_head_guard")
        cursor.execute("DELETE FROM confidentiality_auditchainhead")
        cursor.execute("ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_guard")
    assert not AuditChainHead.objects.exists()

    response = api_as(security_officer).get(f"/api/v1/confidentiality/carriers/{carrier.pk}/")

    assert response.status_code == 200
    rebuilt, read = AuditEvent.objects.filter(id__gt=last.id).order_by("id")
    assert (rebuilt.id, rebuilt.action, rebuilt.prev_hash) == (last.id + 1, AuditAction.CHAIN_HEAD_REBUILT, last.hash)
    assert rebuilt.detail == {"last_id": last.id, "last_hash": last.hash}
    assert (read.action, read.object_id) == (AuditAction.VIEW, str(carrier.pk))
    assert _head() == (read.id, read.hash)
    assert audit.verify().ok and audit.verify().checked == read.id


def test_the_documented_application_role_appends_and_reads_but_changes_nothing(person):
    """GIVEN a role set up as docs/operations.md says (all tables read-write, then UPDATE, DELETE
    and TRUNCATE revoked on the log and DELETE, TRUNCATE on the head) WHEN the application works
    as that role THEN audited writes succeed, a missing head is rebuilt, and changing a row is
    refused by the privileges before the trigger even runs."""
    first = _events(person, 1)[0]
    with database_role() as role, connection.cursor() as cursor:
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON confidentiality_auditevent FROM {role}")
        cursor.execute(f"REVOKE DELETE, TRUNCATE ON confidentiality_auditchainhead FROM {role}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE confidentiality_auditchainhead DISABLE TRIGGER shuniu_audit_head_guard")
        cursor.execute("DELETE FROM confidentiality_auditchainhead")  # as the superuser, behind the trigger
        cursor.execute("ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_guard")

        cursor.execute(f"SET ROLE {role}")
        try:
            second = audit.record(person.user, AuditAction.VIEW, detail={"n": 2})
        finally:
            cursor.execute("RESET ROLE")
        assert "permission denied" in refused_as(role, "DELETE FROM confidentiality_auditevent")

    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        AuditAction.VIEW,
        AuditAction.CHAIN_HEAD_REBUILT,
        AuditAction.VIEW,
    ]
    assert _head() == (second.id, second.hash) and first.id == 1
    assert audit.verify().ok


def test_an_empty_database_still_starts_from_the_genesis_hash(person):
    """GIVEN no head and no events WHEN the first event is written THEN the chain starts at #1
    from the genesis hash and no rebuild is logged."""
    assert not AuditChainHead.objects.exists()
    first = audit.record(person.user, AuditAction.VIEW)
    assert (first.id, first.prev_hash) == (1, audit.GENESIS)
    assert not AuditEvent.objects.filter(action=AuditAction.CHAIN_HEAD_REBUILT).exists()


# --- The anchor: daily or hourly, to the file and to syslog ------------------------------------


def test_the_anchor_runs_daily_by_default_and_hourly_when_asked():
    """GIVEN the beat schedule WHEN nothing is set THEN the anchor runs at 23:55; WHEN
    SHUNIU_AUDIT_ANCHOR_EVERY=hourly THEN at five to every hour, expiring within the hour; an
    unknown value stops the start."""
    daily = app.conf.beat_schedule["audit-anchor"]
    assert daily["task"] == "office.confidentiality.tasks.write_audit_anchor"
    assert daily["schedule"] == crontab(hour=23, minute=55)

    hourly = audit_anchor_entry("hourly")
    assert hourly["task"] == daily["task"]
    assert hourly["schedule"].hour == set(range(24)) and hourly["schedule"].minute == {55}
    assert hourly["options"]["expires"] < 3600
    with pytest.raises(ValueError, match="daily or hourly"):
        audit_anchor_entry("weekly")


@pytest.fixture
def audit_logger():
    """Attach a handler to the ``shuniu.audit`` logger for the test (as LOGGING does in use)."""
    logger = logging.getLogger("shuniu.audit")
    level, added = logger.level, []
    logger.setLevel(logging.INFO)

    def attach(handler: logging.Handler) -> None:
        logger.addHandler(handler)
        added.append(handler)

    yield attach
    for handler in added:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


def _syslog_handler(url: str) -> AuditSyslogHandler:
    config = handler_config(url)
    handler = AuditSyslogHandler(address=config["address"], socktype=config["socktype"], facility=config["facility"])
    handler.setFormatter(logging.Formatter("shuniu.audit: %(levelname)s %(message)s"))
    return handler


def test_the_anchor_reaches_the_syslog_host_over_udp(person, settings, tmp_path, audit_logger):
    """GIVEN SHUNIU_AUDIT_SYSLOG=udp://127.0.0.1:<port> WHEN the anchor is written THEN the log
    host receives one datagram with the anchor's id and hash, as the file has it."""
    settings.SHUNIU_AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    last = _events(person, 2)[-1]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        audit_logger(_syslog_handler(f"udp://127.0.0.1:{server.getsockname()[1]}?facility=local3"))
        audit.write_anchor()
        message = server.recv(65536).decode()
    anchor = json.loads(message.split("audit anchor ", 1)[1].rstrip("\x00"))
    assert (anchor["last_id"], anchor["last_hash"]) == (last.id, last.hash)
    assert message.startswith(f"<{19 * 8 + 6}>")  # local3.info
    assert json.loads((tmp_path / "anchors.log").read_text().splitlines()[-1]) == anchor


def test_the_anchor_reaches_the_syslog_host_over_tcp_and_a_dead_host_stops_nothing(
    person, settings, tmp_path, audit_logger
):
    """GIVEN a syslog host over TCP WHEN the anchor is written THEN it arrives as one
    newline-terminated line; GIVEN a host that is down THEN the handler is still created and the
    anchor still reaches the file."""
    settings.SHUNIU_AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    last = _events(person, 1)[-1]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(5)
        audit_logger(_syslog_handler(f"tcp://127.0.0.1:{server.getsockname()[1]}"))
        connection_, _ = server.accept()
        with connection_:
            audit.write_anchor()
            connection_.settimeout(5)
            line = connection_.recv(65536).decode()
    assert line.endswith("\n") and last.hash in line

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    dead = _syslog_handler(f"tcp://127.0.0.1:{dead_port}")
    dead.handleError = lambda record: None  # the failure would be reported on stderr
    audit_logger(dead)
    assert audit.write_anchor()["last_hash"] == last.hash


@pytest.mark.parametrize(
    "url", ["10.0.0.5:514", "http://10.0.0.5/", "udp://", "udp://10.0.0.5:99999", "udp://h?facility=nope"]
)
def test_a_malformed_syslog_address_is_refused(url):
    """GIVEN SHUNIU_AUDIT_SYSLOG that is not udp:// or tcp://host[:port] WHEN settings load it
    THEN a ValueError names the problem (settings turn it into ImproperlyConfigured)."""
    with pytest.raises(ValueError, match="SHUNIU_AUDIT_SYSLOG"):
        handler_config(url)
