"""The 流转记录 of 发文 and 收文 are append-only: UPDATE, DELETE and (unless a database superuser)
TRUNCATE are refused by the plain PL/pgSQL functions of confidentiality 0004, which no session
setting switches off. The triggers are ENABLE ALWAYS (they fire under session_replication_role =
replica too)."""

from django.db import migrations

TABLES = ("documents_transition", "documents_incomingtransition")


def _create(table: str) -> str:
    return f"""
CREATE TRIGGER shuniu_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION shuniu_refuse_change();
CREATE TRIGGER shuniu_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION shuniu_refuse_truncate();
ALTER TABLE {table} ENABLE ALWAYS TRIGGER shuniu_append_only;
ALTER TABLE {table} ENABLE ALWAYS TRIGGER shuniu_no_truncate;
"""


def _drop(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS shuniu_no_truncate ON {table};
DROP TRIGGER IF EXISTS shuniu_append_only ON {table};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_incoming"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [migrations.RunSQL(_create(table), _drop(table)) for table in TABLES]
