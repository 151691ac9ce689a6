"""The 督办流转记录 and the 延期审批 decisions are append-only: UPDATE, DELETE and (unless a database
superuser) TRUNCATE are refused by the plain PL/pgSQL guards of
``office.confidentiality.append_only`` (functions created by confidentiality 0004), which no
session setting switches off. The triggers are ENABLE ALWAYS (they fire under
session_replication_role = replica too)."""

from django.db import migrations

from office.confidentiality import append_only

TABLES = ("supervision_supervisionevent", "supervision_extensiondecision")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [append_only.guard(table) for table in TABLES]
