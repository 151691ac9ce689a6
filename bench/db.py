"""The benchmark database: its own database (``shuniu_bench``) on the server ``DATABASE_URL`` (or the
embedded PostgreSQL) points at, selected before Django opens a connection."""

from __future__ import annotations

import os

BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "shuniu_bench")
_ORIGINAL: dict = {}


def original_settings() -> dict:
    """The connection settings as configured (before ``use_bench_database``)."""
    if not _ORIGINAL:
        from django.conf import settings

        return dict(settings.DATABASES["default"])
    return _ORIGINAL


def use_bench_database() -> dict:
    """Point Django's default database at the bench database and set Django up. Returns the
    original connection settings (to reach the server's maintenance database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
    from django.conf import settings

    original = dict(settings.DATABASES["default"])
    _ORIGINAL.update(original)
    settings.DATABASES["default"]["NAME"] = BENCH_DB
    # Threads (the numbering figure) each open their own connection: no reuse across runs.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Pages render from the finders (as tests do): the bench needs no collectstatic manifest.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    import django

    django.setup()
    return original


def _server_connection(original: dict):
    import psycopg2

    params = {
        "dbname": "postgres",
        "user": original.get("USER") or None,
        "password": original.get("PASSWORD") or None,
        "host": original.get("HOST") or None,
        "port": original.get("PORT") or None,
    }
    params.update(original.get("OPTIONS") or {})  # the embedded server's socket is an option
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v not in (None, "")})
    connection.autocommit = True
    return connection


def database_exists(original: dict) -> bool:
    with _server_connection(original) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        return cursor.fetchone() is not None


def recreate_database(original: dict) -> None:
    """Drop and create the bench database (never the configured one)."""
    if original.get("NAME") == BENCH_DB:
        raise SystemExit(f"refusing to recreate {BENCH_DB!r}: it is the application's own database")
    from django.db import connections

    connections.close_all()
    connection = _server_connection(original)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [BENCH_DB],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    finally:
        connection.close()
