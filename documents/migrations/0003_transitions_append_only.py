"""The 流转记录 of 发文 and 收文 are append-only: UPDATE, DELETE and (unless a database superuser)
TRUNCATE are refused by the plain PL/pgSQL guards of ``office.confidentiality.append_only``
(functions created by confidentiality 0004), which no session setting switches off. The triggers
are ENABLE ALWAYS (they fire under session_replication_role = replica too)."""

from django.db import migrations

from office.confidentiality import append_only

TABLES = ("documents_transition", "documents_incomingtransition")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_incoming"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [append_only.guard(table) for table in TABLES]
