"""Append-only guards that no session setting switches off, as SQL for migrations.

pgtrigger's Protect trigger skips itself when a session sets ``pgtrigger.ignore``, which any role
may do. These are plain PL/pgSQL triggers with no such escape: only the table's owner (``ALTER
TABLE ... DISABLE TRIGGER``) or a database superuser can get past them, and the hash chain and
its anchors outside the database catch that (docs/operations.md, "The audit chain").

* ``shuniu_refuse_change()`` refuses UPDATE and DELETE, row by row (a statement that touches no
  row passes, so deleting a record that has no events stays possible).
* ``shuniu_refuse_truncate()`` refuses TRUNCATE unless the current role is a database superuser:
  Django's test flush truncates every table as the superuser, and a superuser can disable
  triggers anyway.

:func:`guard` puts both on a table, ``ENABLE ALWAYS`` (they fire under
``session_replication_role = replica`` too). Confidentiality 0004 creates the functions and
guards the audit log; the documents and supervision apps guard their 流转记录 tables after it.

Migrations run this code, so it is part of their history: a guard that must change gets a new
function or trigger name and a new migration, never an edit here.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION shuniu_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shuniu: % on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE FUNCTION shuniu_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT COALESCE((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false) THEN
        RAISE EXCEPTION 'shuniu: TRUNCATE of % refused: the table is append-only', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS shuniu_refuse_truncate();
DROP FUNCTION IF EXISTS shuniu_refuse_change();
"""


def create_functions() -> migrations.RunSQL:
    """The two guard functions (and, reversed, their removal)."""
    return migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS)


def guard_sql(table: str, *, prefix: str = "shuniu") -> str:
    """Triggers ``<prefix>_append_only`` (UPDATE, DELETE) and ``<prefix>_no_truncate`` on ``table``."""
    return f"""
CREATE TRIGGER {prefix}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION shuniu_refuse_change();
CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION shuniu_refuse_truncate();
ALTER TABLE {table} ENABLE ALWAYS TRIGGER {prefix}_append_only;
ALTER TABLE {table} ENABLE ALWAYS TRIGGER {prefix}_no_truncate;
"""


def unguard_sql(table: str, *, prefix: str = "shuniu") -> str:
    """What :func:`guard_sql` created on ``table``, dropped."""
    return f"""
DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {prefix}_append_only ON {table};
"""


def guard(table: str, *, prefix: str = "shuniu") -> migrations.RunSQL:
    """The migration operation that makes ``table`` append-only (reversible)."""
    return migrations.RunSQL(guard_sql(table, prefix=prefix), unguard_sql(table, prefix=prefix))
