"""The append-only, hash-chained access and security log.

Every insert locks the single chain-head row, takes the next id, hashes its own content together
with the previous row's hash, and moves the head: the chain has no gaps and no forks under any
concurrency. PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the table and keeps the head on
the chain's last row (plain triggers no session setting switches off, migration 0004).
``verify()`` walks the chain; ``write_anchor()`` copies the head outside the database (daily or
hourly, to a file and the ``shuniu.audit`` log), so that even a rewrite of the whole chain by a
database superuser shows against the anchors.

Search terms are secrets of their own: a row whose detail holds what someone typed in a search box
(``q``, at the top or under ``filters``) carries the searcher's clearance and a random nonce, and
``shown_detail()`` hides the terms from every reader but a 安全审计员 cleared as high.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditChainHead, AuditEvent

__all__ = ["AuditAction", "record", "record_read", "shown_detail", "verify", "write_anchor"]

GENESIS = "0" * 64
HEAD_REBUILD_LOCK = 0x5368756E6975  # "Shuniu": the advisory lock a head rebuild holds
logger = logging.getLogger("shuniu.audit")

SEARCH_TERMS = "q"  # the search box, wherever a list is filtered (pages, API, exports)
TERMS_HIDDEN = _("（检索词已隐藏）")


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    # Behind the TLS proxy the client is the last X-Forwarded-For hop, the one the proxy added:
    # earlier hops are whatever the client chose to send. Anything that is not an address (junk
    # would fail the log's inet column, and with it the read) falls back to REMOTE_ADDR.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.SECURE_PROXY_SSL_HEADER else ""
    address = _address(forwarded.rsplit(",", 1)[-1]) or _address(request.META.get("REMOTE_ADDR", ""))
    return address, request.META.get("HTTP_USER_AGENT", "")[:200]


def client_address(request) -> str | None:
    """The client's address as this log records it (login lockouts count by the same one)."""
    return _client(request)[0]


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _digest(event: AuditEvent) -> str:
    payload = {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "content_type": event.content_type_id,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "classification": event.classification,
        "organ": event.organ_id,
        "ip": event.ip_address,
        "user_agent": event.user_agent,
        "detail": event.detail,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _organ_of(obj) -> int | None:
    """The organ a classifiable record belongs to (its model's ``organ_field``), if any."""
    path = getattr(obj, "organ_field", None)
    if obj is None or not path:
        return None
    value = obj
    for step in path.split("__"):
        value = getattr(value, step, None)
        if value is None:
            return None
    return value.pk


def _locked_head() -> AuditChainHead:
    """The chain head, locked. A missing head (a new database, one a test has just emptied, or one
    a database superuser removed behind the trigger) is rebuilt from the chain's last row, never
    from the genesis hash while rows exist, and the rebuild is itself logged."""
    head = AuditChainHead.objects.select_for_update().filter(singleton=True).first()
    if head is not None:
        return head
    # One rebuilder at a time: the others wait here, then find the head rebuilt. (An advisory
    # lock, not LOCK TABLE: every writer already holds the table's row-share lock from the
    # SELECT ... FOR UPDATE above, and two of them upgrading would deadlock.)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEAD_REBUILD_LOCK])
    head = AuditChainHead.objects.select_for_update().filter(singleton=True).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if last is None:
        return AuditChainHead.objects.create(singleton=True, last_id=0, last_hash=GENESIS)
    head = AuditChainHead.objects.create(singleton=True, last_id=last["id"], last_hash=last["hash"])
    logger.warning("audit chain head was missing; rebuilt from row #%s %s", last["id"], last["hash"])
    _append(head, action=AuditAction.CHAIN_HEAD_REBUILT, detail={"last_id": last["id"], "last_hash": last["hash"]})
    return head


def _append(
    head: AuditChainHead, *, user=None, person=None, obj=None, action: str, detail: dict, client=(None, "")
) -> AuditEvent:
    """Write the next row after ``head`` (locked by the caller) and move the head onto it."""
    event = AuditEvent(
        id=head.last_id + 1,
        at=timezone.now(),
        actor=user,
        actor_name=(person.name if person else getattr(user, "username", "")) or "",
        action=AuditAction(action),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        classification=getattr(obj, "classification", None),
        organ_id=_organ_of(obj) or (person.unit.organ_id if person else None),
        ip_address=client[0],
        user_agent=client[1],
        detail=detail,
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    event.save(force_insert=True)
    head.last_id, head.last_hash = event.id, event.hash
    head.save(update_fields=["last_id", "last_hash"])
    return event


def _has_search_terms(detail: dict) -> bool:
    filters = detail.get("filters")
    return bool(detail.get(SEARCH_TERMS)) or (isinstance(filters, dict) and bool(filters.get(SEARCH_TERMS)))


def record(user, action: str, *, obj=None, request=None, detail: dict | None = None) -> AuditEvent:
    """Append one event. Runs in its own (possibly nested) transaction.

    A detail holding search terms gains the searcher's clearance (who may read the terms later)
    and a random nonce (so the row's published hash cannot confirm a guessed term)."""
    actor = user if user is not None and user.is_authenticated else None
    person = getattr(actor, "person", None)
    detail = dict(detail or {})
    if _has_search_terms(detail):
        detail["clearance"] = Level(person.clearance if person else Level.PUBLIC).code
        detail["nonce"] = secrets.token_hex(16)
    client = _client(request)
    with transaction.atomic():
        head = _locked_head()
        event = _append(head, user=actor, person=person, obj=obj, action=action, detail=detail, client=client)
    return event


def record_read(user, obj, *, request=None, action: str = AuditAction.VIEW) -> AuditEvent | None:
    """Log a read (view, download, export, print) of a record above 内部; others are not logged."""
    if getattr(obj, "classification", Level.PUBLIC) <= Level.INTERNAL:
        return None
    return record(user, action, obj=obj, request=request)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""


def verify(*, anchors: Path | None = None, batch: int = 2000) -> Verification:
    """Walk the chain from the first row; report the first broken link, then check the anchors."""
    expected_id, prev_hash, checked = 1, GENESIS, 0
    hashes_at: dict[int, str] = {}
    anchor_ids = {anchor["last_id"] for anchor in _read_anchors(anchors)}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch):
        if event.id != expected_id:
            return Verification(False, checked, event.id, f"missing rows before #{event.id} (expected #{expected_id})")
        if event.prev_hash != prev_hash:
            return Verification(False, checked, event.id, f"#{event.id} does not link to the previous row's hash")
        if _digest(event) != event.hash:
            return Verification(False, checked, event.id, f"#{event.id} content does not match its hash")
        if event.id in anchor_ids:
            hashes_at[event.id] = event.hash
        prev_hash, expected_id, checked = event.hash, expected_id + 1, checked + 1
    head = AuditChainHead.objects.filter(singleton=True).first()
    if head is not None and (head.last_id, head.last_hash) != (checked, prev_hash) and checked:
        return Verification(False, checked, head.last_id, "the chain head does not match the last row")
    for anchor in _read_anchors(anchors):
        if hashes_at.get(anchor["last_id"]) != anchor["last_hash"]:
            return Verification(
                False,
                checked,
                anchor["last_id"],
                f"row #{anchor['last_id']} differs from the anchor written at {anchor['at']} (chain rewritten?)",
            )
    return Verification(True, checked)


def anchor_file() -> Path:
    return Path(settings.SHUNIU_AUDIT_ANCHOR_FILE)


def _read_anchors(path: Path | None) -> list[dict]:
    path = path or anchor_file()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_anchor(path: Path | None = None) -> dict | None:
    """Append the chain head to a file outside the database and to the log."""
    head = AuditChainHead.objects.filter(singleton=True).first()
    if head is None and AuditEvent.objects.exists():
        # Only a database superuser can have removed it: say so where the database cannot reach.
        logger.warning("audit chain head is missing; the next audited write rebuilds it from the last row")
    if head is None or head.last_id == 0:
        return None
    anchor = {"at": timezone.now().isoformat(), "last_id": head.last_id, "last_hash": head.last_hash}
    path = path or anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write(json.dumps(anchor) + "\n")
    # The same line to the log (and through it to the organ's syslog host, SHUNIU_AUDIT_SYSLOG):
    # a second copy the database's administrators cannot reach.
    logger.info("audit anchor %s", json.dumps(anchor))
    return anchor


def terms_readable_up_to(user) -> int | None:
    """The highest searcher clearance whose search terms ``user`` may read in the log: a 安全审计员
    reads those of searchers cleared no higher than himself; nobody else reads any (None)."""
    from office.confidentiality.visibility import is_auditor, person_of

    return person_of(user).clearance if is_auditor(user) else None


def shown_detail(detail: dict, *, terms_up_to: int | None) -> dict:
    """A row's detail as a reader sees it: search terms (and the nonce that guards them) hidden
    unless the searcher's clearance is within ``terms_up_to`` (from ``terms_readable_up_to``).
    A row without a recorded clearance counts as 绝密."""
    if not detail or not _has_search_terms(detail):
        return detail
    try:
        searcher = Level.from_code(str(detail.get("clearance", "")))
    except ValueError:
        searcher = Level.TOP_SECRET
    if terms_up_to is not None and searcher <= terms_up_to:
        return detail
    shown = {key: value for key, value in detail.items() if key != "nonce"}
    if shown.get(SEARCH_TERMS):
        shown[SEARCH_TERMS] = str(TERMS_HIDDEN)
    if isinstance(shown.get("filters"), dict) and shown["filters"].get(SEARCH_TERMS):
        shown["filters"] = {**shown["filters"], SEARCH_TERMS: str(TERMS_HIDDEN)}
    return shown
