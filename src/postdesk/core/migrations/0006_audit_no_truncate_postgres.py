"""On PostgreSQL the audit table also refuses TRUNCATE (0004 refuses UPDATE and DELETE of
its rows; TRUNCATE empties a table without firing row triggers).

The one caller that must empty every table is the test suite's flush between
transactional tests (Django flushes with TRUNCATE on PostgreSQL). It says so for its own
session with `SET postdesk.allow_audit_truncate = 'on'` (tests/conftest.py); nothing in
the application sets it. SQLite has no TRUNCATE.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('postdesk.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: it cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_no_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_actor_protect")]

    operations = [migrations.RunPython(forward, backward)]
