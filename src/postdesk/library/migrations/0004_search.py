"""Full-text search over media items (library/search.py): title, barcode, reel and notes.

Each database gets its own index, and only its own: PostgreSQL a generated tsvector column
with a GIN index; SQLite an FTS5 table over library_mediaitem (external content, so the
text is not stored twice) kept in step by triggers. Both use no stemming ('simple' and
unicode61), so that the two databases find the same items for the same words, and
search.py matches every word as a prefix (a barcode typed in part).

Production and client names are not copied in: search.py matches them in their own (small)
tables, so renaming a production needs no re-indexing of its items.
"""

from django.db import migrations

# Notes are unbounded; a tsvector is limited to 1 MB, so only their start is indexed.
# Everything but letters and digits becomes a space first, as FTS5's unicode61 tokeniser
# does: PostgreSQL's own parser would read "LIB-000123" as "lib" and the number -000123.
POSTGRES_FORWARD = [
    """
    ALTER TABLE library_mediaitem ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS (
        to_tsvector('simple', regexp_replace(
            title || ' ' || barcode || ' ' || reel || ' ' || left(notes, 20000),
            '[^[:alnum:]]+', ' ', 'g'))
    ) STORED
    """,
    "CREATE INDEX library_mediaitem_search ON library_mediaitem USING gin (search_document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_mediaitem_search",
    "ALTER TABLE library_mediaitem DROP COLUMN IF EXISTS search_document",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE library_item_fts USING fts5(
        title, barcode, reel, notes,
        content='library_mediaitem', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER library_item_fts_insert AFTER INSERT ON library_mediaitem BEGIN
        INSERT INTO library_item_fts(rowid, title, barcode, reel, notes)
        VALUES (new.id, new.title, new.barcode, new.reel, new.notes);
    END
    """,
    """
    CREATE TRIGGER library_item_fts_delete AFTER DELETE ON library_mediaitem BEGIN
        INSERT INTO library_item_fts(library_item_fts, rowid, title, barcode, reel, notes)
        VALUES ('delete', old.id, old.title, old.barcode, old.reel, old.notes);
    END
    """,
    # Only when an indexed column changes: every custody move updates the item's row.
    """
    CREATE TRIGGER library_item_fts_update
    AFTER UPDATE OF title, barcode, reel, notes ON library_mediaitem BEGIN
        INSERT INTO library_item_fts(library_item_fts, rowid, title, barcode, reel, notes)
        VALUES ('delete', old.id, old.title, old.barcode, old.reel, old.notes);
        INSERT INTO library_item_fts(rowid, title, barcode, reel, notes)
        VALUES (new.id, new.title, new.barcode, new.reel, new.notes);
    END
    """,
    "INSERT INTO library_item_fts(library_item_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_item_fts_update",
    "DROP TRIGGER IF EXISTS library_item_fts_delete",
    "DROP TRIGGER IF EXISTS library_item_fts_insert",
    "DROP TABLE IF EXISTS library_item_fts",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_movements_append_only")]

    operations = [migrations.RunPython(forward, backward)]
