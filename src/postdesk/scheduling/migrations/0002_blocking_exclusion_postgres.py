"""PostgreSQL only: the database refuses overlapping blocking allocations on a resource.

SQLite cannot parse EXCLUDE; there the service's check inside an IMMEDIATE transaction
keeps the same rule (scheduling.services).
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE scheduling_allocation
    ADD CONSTRAINT allocation_blocking_no_overlap
    EXCLUDE USING gist (resource_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (blocking);
"""

BACKWARD = """
ALTER TABLE scheduling_allocation DROP CONSTRAINT IF EXISTS allocation_blocking_no_overlap;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
