"""Append-only guards that no session setting switches off.

pgtrigger's Protect trigger skips itself when a session sets ``pgtrigger.ignore``, which any role
may do. These are plain PL/pgSQL triggers with no such escape: only the table's owner (``ALTER
TABLE ... DISABLE TRIGGER``) or a database superuser can get past them, and the hash chain and
its anchors outside the database catch that (docs/operations.md, "The audit chain").

* ``shuniu_refuse_change()`` refuses UPDATE and DELETE, row by row (a statement that touches no
  row passes, so deleting a record that has no events stays possible).
* ``shuniu_refuse_truncate()`` refuses TRUNCATE unless the current role is a database superuser:
  Django's test flush truncates every table as the superuser, and a superuser can disable
  triggers anyway.
* ``shuniu_audit_head_guard()`` keeps the chain head on the chain's last row: never deleted,
  never moved back, only onto the row that exists with that id and hash.

The triggers are ``ENABLE ALWAYS``: they fire under ``session_replication_role = replica`` too.
The documents and supervision apps put the first two on their 流转记录 tables.
"""

import pgtrigger.migrations
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

CREATE OR REPLACE FUNCTION shuniu_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- The log lives beside the head; naming its schema keeps a temporary table of the same name
    -- (pg_temp comes first in a search path) from answering for it.
    events text := pg_catalog.format('%I.confidentiality_auditevent', TG_TABLE_SCHEMA);
    named boolean;
    beyond boolean;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'shuniu: the audit chain head cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.last_id < OLD.last_id THEN
            RAISE EXCEPTION 'shuniu: the audit chain head cannot move back from #% to #%', OLD.last_id, NEW.last_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.last_id = OLD.last_id AND NEW.last_hash = OLD.last_hash THEN
            RETURN NEW;
        END IF;
    END IF;
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND hash = $2)', events)
        INTO named USING NEW.last_id, NEW.last_hash;
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s WHERE id > $1)', events)
        INTO beyond USING NEW.last_id;
    IF NOT beyond AND (named OR (NEW.last_id = 0 AND NEW.last_hash = pg_catalog.repeat('0', 64))) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'shuniu: the audit chain head must name the last row of the chain, not #% %', NEW.last_id, NEW.last_hash
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS shuniu_audit_head_guard();
DROP FUNCTION IF EXISTS shuniu_refuse_truncate();
DROP FUNCTION IF EXISTS shuniu_refuse_change();
"""

TRIGGERS = """
CREATE TRIGGER shuniu_audit_append_only BEFORE UPDATE OR DELETE ON confidentiality_auditevent
    FOR EACH ROW EXECUTE FUNCTION shuniu_refuse_change();
CREATE TRIGGER shuniu_audit_no_truncate BEFORE TRUNCATE ON confidentiality_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION shuniu_refuse_truncate();
CREATE TRIGGER shuniu_audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON confidentiality_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION shuniu_audit_head_guard();
CREATE TRIGGER shuniu_audit_head_no_truncate BEFORE TRUNCATE ON confidentiality_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION shuniu_refuse_truncate();
ALTER TABLE confidentiality_auditevent ENABLE ALWAYS TRIGGER shuniu_audit_append_only;
ALTER TABLE confidentiality_auditevent ENABLE ALWAYS TRIGGER shuniu_audit_no_truncate;
ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_guard;
ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_no_truncate;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS shuniu_audit_head_no_truncate ON confidentiality_auditchainhead;
DROP TRIGGER IF EXISTS shuniu_audit_head_guard ON confidentiality_auditchainhead;
DROP TRIGGER IF EXISTS shuniu_audit_no_truncate ON confidentiality_auditevent;
DROP TRIGGER IF EXISTS shuniu_audit_append_only ON confidentiality_auditevent;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("confidentiality", "0003_admin_actions"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="auditevent", name="audit_append_only"),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
