"""Append-only guards that no session setting switches off, on the audit log and its chain head.

Creates the guard functions of :mod:`office.confidentiality.append_only` (which says why
pgtrigger's Protect trigger is not enough) and puts them on ``confidentiality_auditevent`` as
``shuniu_audit_append_only`` and ``shuniu_audit_no_truncate``. The chain head has its own guard,
``shuniu_audit_head_guard()``, which keeps it on the chain's last row: never deleted, never moved
back, only onto the row that exists with that id and hash; TRUNCATE of the head is refused as for
the log.

The triggers are ``ENABLE ALWAYS``: they fire under ``session_replication_role = replica`` too.
The documents and supervision apps guard their 流转记录 tables after this migration.
"""

import pgtrigger.migrations
from django.db import migrations

from office.confidentiality import append_only

HEAD_GUARD = r"""
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

DROP_HEAD_GUARD = """
DROP FUNCTION IF EXISTS shuniu_audit_head_guard();
"""

HEAD_TRIGGERS = """
CREATE TRIGGER shuniu_audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON confidentiality_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION shuniu_audit_head_guard();
CREATE TRIGGER shuniu_audit_head_no_truncate BEFORE TRUNCATE ON confidentiality_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION shuniu_refuse_truncate();
ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_guard;
ALTER TABLE confidentiality_auditchainhead ENABLE ALWAYS TRIGGER shuniu_audit_head_no_truncate;
"""

DROP_HEAD_TRIGGERS = """
DROP TRIGGER IF EXISTS shuniu_audit_head_no_truncate ON confidentiality_auditchainhead;
DROP TRIGGER IF EXISTS shuniu_audit_head_guard ON confidentiality_auditchainhead;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("confidentiality", "0003_admin_actions"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="auditevent", name="audit_append_only"),
        append_only.create_functions(),
        migrations.RunSQL(HEAD_GUARD, DROP_HEAD_GUARD),
        append_only.guard("confidentiality_auditevent", prefix="shuniu_audit"),
        migrations.RunSQL(HEAD_TRIGGERS, DROP_HEAD_TRIGGERS),
    ]
