"""A PostgreSQL role that is not a superuser, for tests that prove what the application's own
database role cannot do even with every privilege on a table.

Roles are cluster-wide and other test runs share the server: each role gets a unique name, is
created inside the test's transaction (so a crashed or failed test rolls it back with everything
else) and is dropped again at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet


@contextmanager
def database_role(*tables: str) -> Iterator[str]:
    """A fresh NOLOGIN, non-superuser role holding ALL privileges on ``tables``."""
    name = f"shuniu_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB")
        for table in tables:
            cursor.execute(f"GRANT ALL ON TABLE {table} TO {name}")
    try:
        yield name
    finally:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
                cursor.execute(f"DROP OWNED BY {name}")  # every privilege granted to it here
                cursor.execute(f"DROP ROLE IF EXISTS {name}")
        except DatabaseError:
            pass  # an aborted transaction: the test's rollback takes the role away with it


def trigger_names(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        return [row[0] for row in cursor.fetchall()]


def refused_as(role: str, sql: str, params=(), *, ignore_table: str | None = None) -> str:
    """Run ``sql`` as ``role`` (``SET ROLE`` in this connection), after asking pgtrigger to ignore
    every trigger of ``ignore_table``; expect a database error and return its message. The
    savepoint's rollback puts the role and the setting back."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # or TRUNCATE stops at pending deferred checks
        cursor.execute(f"SET ROLE {role}")
        if ignore_table:
            cursor.execute(
                "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(trigger_names(ignore_table)) + "}"]
            )
        cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    return str(refusal.value)


def refused(sql: str, params=()) -> str:
    """Run ``sql`` as the test's own (superuser) connection; expect a database error."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)
    return str(refusal.value)


def assert_append_only(rows: QuerySet, **change) -> None:
    """PostgreSQL refuses, as append-only, the ORM's UPDATE (setting ``change``) and DELETE of
    ``rows``, and the same UPDATE, a DELETE and a TRUNCATE of their table by a role holding ALL
    privileges on it with pgtrigger.ignore naming every trigger of the table."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.delete()
    meta = rows.model._meta
    table = meta.db_table  # table and column names from the model, never from input
    columns = ", ".join(f"{meta.get_field(name).column} = %s" for name in change)
    with database_role(table) as role:
        for sql, params in (
            (f"UPDATE {table} SET {columns}", list(change.values())),  # noqa: S608
            (f"DELETE FROM {table}", []),  # noqa: S608
            (f"TRUNCATE {table}", []),
        ):
            assert "append-only" in refused_as(role, sql, params, ignore_table=table)
