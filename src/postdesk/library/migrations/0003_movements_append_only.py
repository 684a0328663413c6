"""The movement history is never edited: the database refuses UPDATE and DELETE of
library_movement rows, on PostgreSQL and on SQLite.

PostgreSQL: a row trigger, as for the audit log (core 0004). TRUNCATE fires no row
trigger, so the test suite's flush between transactional tests still empties the table.

SQLite: UPDATE is always refused. DELETE is refused while foreign-key enforcement is on,
which it always is on Django's connections: the one caller that must empty the table,
the test suite's flush (a DELETE on SQLite), first deletes the movements with
enforcement switched off for its own connection (tests/conftest.py). A media item with
movements therefore cannot be deleted either (Django deletes its movements first): items
are archived or destroyed, never deleted.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION library_movement_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the movement history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER library_movement_append_only
    BEFORE UPDATE OR DELETE ON library_movement
    FOR EACH ROW EXECUTE FUNCTION library_movement_append_only();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS library_movement_append_only ON library_movement;
DROP FUNCTION IF EXISTS library_movement_append_only();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER library_movement_no_update BEFORE UPDATE ON library_movement
    BEGIN SELECT RAISE(ABORT, 'the movement history is append-only'); END
    """,
    """
    CREATE TRIGGER library_movement_no_delete BEFORE DELETE ON library_movement
    WHEN (SELECT foreign_keys FROM pragma_foreign_keys) = 1
    BEGIN SELECT RAISE(ABORT, 'the movement history is append-only'); END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_movement_no_update",
    "DROP TRIGGER IF EXISTS library_movement_no_delete",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_capabilities")]

    operations = [migrations.RunPython(forward, backward)]
