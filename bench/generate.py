# ruff: noqa: E501, S311, S608 — SQL built from this module's own constants and integers, kept on long lines
"""Fill the bench database with an office at scale, in SQL (``generate_series``, ``INSERT … SELECT``).

``BENCH_SCALE=full``: a city government and its bureaus (40 organs), 10,000 people with logins,
1,000,000 发文 with numbers, countersigns, 1.65M person grants (one person holding 30,000) and unit
grants, 200,000 收文 with 承办 assignments, 20,000 督办 items with tasks, 100,000 open deadlines.
``BENCH_SCALE=small``: the same shape at 2,000 documents and 200 people (seconds).

The generated scale, a version stamp (this file and the migrations) and the four personas' user
ids are kept in ``bench_meta``: a second ``make bench`` reuses the data.

Rows are inserted with ``session_replication_role = replica`` (no triggers: no pghistory events,
no deferred foreign-key checks). A table that the application keeps by trigger would therefore
stay empty here — the runner's row-equality checks against the raw-SQL floor would show it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

from django.db import connection, transaction

from bench.gen_documents import Documents
from bench.gen_org import Organisation
from bench.gen_supervision import SupervisionAndDeadlines
from bench.shape import GENERATOR_VERSION, ROOT, SCALES, SEARCH_2, SEARCH_4


def stamp() -> str:
    """The generator's version (bump ``GENERATOR_VERSION`` when the data it makes changes) and
    every migration: data made by another version or for another schema is made again."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    for path in sorted(Path(__file__).parent.glob("[gs]*.py")):  # the generator: generate, gen_*, shape
        digest.update(path.read_bytes())
    for path in sorted(ROOT.glob("**/migrations/[0-9]*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- The meta row -----------------------------------------------------------------------------


def read_meta(cursor) -> dict | None:
    cursor.execute("SELECT to_regclass('bench_meta')")
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute("SELECT scale, stamp, personas, counts, seconds FROM bench_meta WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return None
    personas, counts = (value if isinstance(value, dict) else json.loads(value) for value in row[2:4])
    return {"scale": row[0], "stamp": row[1], "personas": personas, "counts": counts, "seconds": row[4]}


def _write_meta(cursor, scale: str, version: str, personas: dict, counts: dict, seconds: float) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_meta (id int PRIMARY KEY, scale text NOT NULL, stamp text NOT NULL, "
        "personas jsonb NOT NULL, counts jsonb NOT NULL, seconds double precision, generated_at timestamptz)"
    )
    cursor.execute(
        "INSERT INTO bench_meta VALUES (1, %s, %s, %s, %s, %s, now()) ON CONFLICT (id) DO UPDATE SET "
        "scale = EXCLUDED.scale, stamp = EXCLUDED.stamp, personas = EXCLUDED.personas, counts = EXCLUDED.counts, "
        "seconds = EXCLUDED.seconds, generated_at = EXCLUDED.generated_at",
        [scale, version, json.dumps(personas), json.dumps(counts), seconds],
    )


# --- Inserting --------------------------------------------------------------------------------


class Generator(Organisation, Documents, SupervisionAndDeadlines):
    def __init__(self, cursor, scale: str, *, seed: int = 14, log=print):
        self.stamp = stamp()  # of the schema the data is made for
        self.cursor = cursor
        self.scale = scale
        self.p = SCALES[scale]
        self.rng = random.Random(seed)
        self.log = log
        self.started = time.monotonic()

    def sql(self, statement: str, params=None) -> None:
        self.cursor.execute(statement, params)

    def scalar(self, statement: str, params=None):
        self.cursor.execute(statement, params)
        return self.cursor.fetchone()[0]

    def base(self, table: str) -> int:
        return self.scalar(f"SELECT COALESCE(max(id), 0) FROM {table}")

    def insert(self, table: str, columns: dict[str, str], source: str, *, conflict: str = "") -> int:
        """``INSERT INTO table (columns) SELECT expressions FROM source``; refuses to run when a NOT
        NULL column without a default is not given (a column added to the model since)."""
        self.cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
            "AND column_default IS NULL",
            [table],
        )
        missing = {row[0] for row in self.cursor.fetchall()} - set(columns) - {"id"}
        if missing:
            raise RuntimeError(f"bench/generate.py fills no value for {table}.{', '.join(sorted(missing))}")
        names = ", ".join(f'"{name}"' for name in columns)
        expressions = ",\n  ".join(f'{expression} AS "{name}"' for name, expression in columns.items())
        started = time.monotonic()
        self.cursor.execute(f"INSERT INTO {table} ({names})\nSELECT {expressions}\nFROM {source} {conflict}")
        count = self.cursor.rowcount
        self.log(f"  {table}: {count:,} rows ({time.monotonic() - started:.1f} s)")
        return count

    def values(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        quoted = ", ".join(f'"{column}"' for column in columns)
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            self.cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )
        self.log(f"  {table}: {len(rows):,} rows")

    def derived(self) -> None:
        """What the application derives from rows after they are loaded by SQL: its post-migrate
        hooks (today: ``office.confidentiality.access.fill_missing`` computes ``access_keys``), as
        ``manage.py migrate`` would run them. Whatever the app keeps this way is then filled."""
        from django.core.management.sql import emit_post_migrate_signal

        started = time.monotonic()
        with transaction.atomic():
            try:  # the access keys of whole tables in one statement each (not a list of a million ids)
                from office.confidentiality import access

                for model in access.classified_models():
                    access.refresh(model)
                self.log(f"  access keys of every record ({time.monotonic() - started:.1f} s)")
            except (ImportError, AttributeError):
                pass
            emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        self.log(f"  post-migrate hooks (derived columns) ({time.monotonic() - started:.1f} s)")

    def claim_reminders(self) -> None:
        """The steady state of a running office: every reminder due up to today already claimed and
        sent (the app's own scan, once), so a measured tick finds what a real one does."""
        from office.reminders import services

        started = time.monotonic()
        try:
            with transaction.atomic():
                ids = services.scan()
        except Exception as error:
            self.log(f"  reminders: the app's scan failed ({error!r}); no reminders pre-claimed")
            return
        self.sql("UPDATE reminders_reminder SET state = 'sent', sent_at = claimed_at, attempts = 1")
        self.log(f"  reminders: {len(ids):,} claimed by one scan and marked sent ({time.monotonic() - started:.1f} s)")

    # --- All of it ------------------------------------------------------------------------------

    def run(self) -> dict:
        self.log(f"generating the {self.scale} bench office …")
        with transaction.atomic():
            self.sql("SET LOCAL session_replication_role = replica")
            self.organisation()
            self.lookups()
            self.outgoing()
            self.outgoing_grants()
            self.incoming()
            self.supervision()
            self.deadlines()
            self.sql("SET LOCAL session_replication_role = DEFAULT")
            self.reset_sequences()
        self.derived()
        started = time.monotonic()
        self.sql("VACUUM (ANALYZE)")
        self.log(f"  vacuum analyze ({time.monotonic() - started:.1f} s)")
        with transaction.atomic():
            self.claim_reminders()
        personas = {
            "wide": self.heads[self.city["id"]]["user"],
            "clerk": self.clerks[self.general_office["id"]][0]["user"],
            "narrow": self.narrow["user"],
            "grants": self.grants_person["user"],
        }
        numbering = {
            "series": self.numbering_series,
            "clerks": [row["user"] for row in self.numbering_clerks],
            "drafter": self.numbering_clerks[0]["id"],
            "unit": self.archive_office["id"],
        }
        counts = {"numbering": numbering, "search": {"2": SEARCH_2, "4": SEARCH_4}}
        for table in (
            "org_person",
            "documents_outgoingdocument",
            "documents_outgoingusergrant",
            "documents_outgoinggroupgrant",
            "documents_countersign",
            "documents_incomingdocument",
            "documents_assignment",
            "supervision_supervisionitem",
            "supervision_supervisiontask",
            "reminders_deadline",
            "reminders_reminder",
        ):
            counts[table] = self.scalar(f"SELECT count(*) FROM {table}")
        counts["open_deadlines"] = self.scalar("SELECT count(*) FROM reminders_deadline WHERE state = 'open'")
        counts["max_user_grants"] = self.scalar(
            "SELECT max(n) FROM (SELECT count(*) n FROM documents_outgoingusergrant GROUP BY user_id) g"
        )
        counts["database_size"] = self.scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
        seconds = time.monotonic() - self.started
        _write_meta(self.cursor, self.scale, self.stamp, personas, counts, seconds)
        for temp in (
            "bench_lineage",
            "bench_unit_people",
            "bench_organ_units",
            "bench_cleared",
            "bench_cleared_n",
            "bench_vocab",
            "bench_series",
            "bench_o",
            "bench_o2",
            "bench_o3",
            "bench_i",
            "bench_i2",
            "bench_sorgans",
            "bench_s",
            "bench_subjects",
        ):
            self.sql(f"DROP TABLE IF EXISTS {temp}")
        self.log(
            f"generated in {seconds:.0f} s: {json.dumps({k: v for k, v in counts.items() if k != 'numbering'}, ensure_ascii=False)}"
        )
        return {"scale": self.scale, "personas": personas, "counts": counts, "seconds": seconds}

    def reset_sequences(self) -> None:
        self.cursor.execute(
            """SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'id'"""
        )
        for table, column, sequence in self.cursor.fetchall():
            if sequence:
                self.sql(f"SELECT setval('{sequence}', GREATEST(1, (SELECT COALESCE(max({column}), 0) FROM {table})))")


def generate(scale: str, *, log=print) -> dict:
    """Generate into the current database (the bench one, or a test database)."""
    with connection.cursor() as cursor:
        return Generator(cursor, scale, log=log).run()


def ensure(scale: str, *, regenerate: bool = False, log=print) -> dict:
    """The bench database holding ``scale``'s data of this version: made (dropped, created, migrated,
    generated) only when missing, of another scale or stamp, or when asked."""
    from django.core.management import call_command

    from bench import db

    original = db.original_settings()
    meta = None
    if db.database_exists(original):
        with connection.cursor() as cursor:
            meta = read_meta(cursor)
    if meta and meta["scale"] == scale and meta["stamp"] == stamp() and not regenerate:
        log(f"bench data: {scale}, stamp {meta['stamp']} — reused (BENCH_REGENERATE=1 makes it again)")
        return meta
    why = "asked" if regenerate else "none yet" if meta is None else f"was {meta['scale']}/{meta['stamp']}"
    log(f"bench data: making {scale} ({why}) in database {db.BENCH_DB}")
    db.recreate_database(original)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated ({time.monotonic() - started:.1f} s)")
    return generate(scale, log=log)


def main() -> int:
    from bench import db

    db.use_bench_database()
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}", file=sys.stderr)
        return 2
    ensure(scale, regenerate=os.environ.get("BENCH_REGENERATE") == "1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
