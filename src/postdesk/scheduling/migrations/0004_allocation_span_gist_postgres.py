"""PostgreSQL only: a GiST index on (resource, span) for window reads.

The b-tree form of an overlap test (`start < :end AND start > :start - 90 days AND end >
:start`) bounds only one side, so a week of the board read every resource's last 97 days
of rows (90,200 rows for 1,306 kept at 1M allocations; bench/RESULTS.md). With this index
`queries.overlapping` asks `tstzrange(start, end) && tstzrange(:start, :end)` and reads only
the rows in the window. SQLite keeps the b-tree form.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS allocation_resource_span_gist
    ON scheduling_allocation USING gist (resource_id, tstzrange("start", "end", '[)'));
"""

BACKWARD = "DROP INDEX IF EXISTS allocation_resource_span_gist;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_board_etag_fields")]

    operations = [migrations.RunPython(forward, backward)]
