"""Plain SQL on the hottest paths (booking writes, their audit, the API's token and job
lookups), run on the database driver's own cursor.

Measured (bench/RESULTS.md, "What the third session changed"): on SQLite, in a booking
create, the lock read went from 23 to 7 us, the clash check from 44 to 27 us and each
INSERT from 75-97 to 40-47 us; with the models built positionally (core/inserts.new) the
service create went from 0.54 to 0.38 ms. Django's cursor wrapper was that difference:
the thread-local connection proxy looked up on every attribute, a cursor and two wrappers
per statement, and SQLite's paramstyle converted by regular expression each time. So
`fetch` looks the connection up once, converts a statement's text once, and wraps driver
errors in Django's exceptions exactly as Django does.

While queries are being logged (DEBUG, or a test capturing them) statements go through
Django's cursor instead, so they are logged and counted like any other.

Column and table names in hand-written SQL come from the models' _meta (`column`), so the
SQL follows the schema; tests/core/test_hot_paths.py pins the texts (prepared statements
and the measured plans depend on them) and proves both branches of `fetch` agree.
"""

import datetime
import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX


def column(model, field: str) -> str:
    """The database column of `model`'s field `field` (by name: "job" gives job_id)."""
    return model._meta.get_field(field).column


def database():
    """The default database's connection wrapper itself, not the `connection` proxy."""
    return connections[DEFAULT_DB_ALIAS]


@functools.lru_cache(maxsize=512)
def _qmark(sql: str) -> str:
    """Django's own SQLite conversion ("%s" to "?", "%%" to "%"), once per text."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def fetch(sql: str, params: Sequence = (), db=None) -> list[tuple]:
    """Run one statement (with "%s" placeholders) and return all its rows."""
    db = db or database()
    if db.connection is None or db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    db.close_if_health_check_failed()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        if db.vendor == "sqlite":
            return db.connection.execute(_qmark(sql), params).fetchall()
        cursor = db.create_cursor()  # PostgreSQL: the backend's cursor, time zone and all
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()


def instant(value: datetime.datetime | None, db=None):
    """An aware datetime as the database driver takes it: as it is for PostgreSQL, naive
    UTC text for SQLite (what Django's adapt_datetimefield_value gives, without its
    settings lookups: part of the 0.54 -> 0.38 ms above). Naive values go to Django,
    which warns and converts."""
    if value is None:
        return None
    db = db or database()
    if value.tzinfo is None:
        return _django(value, db)
    if db.vendor != "sqlite":
        return value
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


def _django(value: datetime.datetime, db):
    from django.db.models import DateTimeField

    return DateTimeField().get_db_prep_value(value, db)
