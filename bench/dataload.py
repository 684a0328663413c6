"""Bulk history for the scheduling benchmark, and the same booking transaction in plain SQL.

History is written straight to the tables (COPY on PostgreSQL, executemany on SQLite), not
through services: a million audited service calls would take hours and measure nothing we
report. Rows are confirmed, non-overlapping, one resource each, at a board-like density
(about 1.86 allocations per resource per day), laid down backwards in time from `t0` so
that the first 10,000 rows are the most recent days and later rows only add older history.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# Share of resource-days holding two sessions (morning + afternoon) instead of one long
# day: 0.86 gives ~1.86 allocations per resource-day, i.e. ~1,300 for 100 resources in a
# week and ~15,600 for 300 resources over four weeks, the densities the issue asks for.
TWO_SESSION_SHARE = 0.86
CHUNK = 50_000
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SESSIONS_TWO = ((9, 13), (14, 19))
SESSIONS_ONE = ((9, 19),)


@dataclass
class Span:
    resource_id: int
    job_id: int
    start: datetime
    end: datetime


@dataclass
class HistoryPlan:
    """Deterministic historical bookings, newest day first, handed out in batches."""

    resource_ids: list[int]
    job_ids: list[int]
    t0: datetime
    seed: int = 7
    _iter: Iterator[Span] | None = field(default=None, init=False, repr=False)
    oldest: datetime | None = field(default=None, init=False)

    def _generate(self) -> Iterator[Span]:
        rng = random.Random(self.seed)
        jobs = self.job_ids
        day_index = 0
        while True:
            day = self.t0 - (day_index + 1) * DAY
            self.oldest = day
            for position, resource_id in enumerate(self.resource_ids):
                # A job keeps a resource for a working week or so, as real bookings do.
                job_id = jobs[(position * 7 + day_index // 5) % len(jobs)]
                sessions = SESSIONS_TWO if rng.random() < TWO_SESSION_SHARE else SESSIONS_ONE
                for first, last in sessions:
                    yield Span(resource_id, job_id, day + first * HOUR, day + last * HOUR)
            day_index += 1

    def take(self, count: int) -> Iterator[Span]:
        if self._iter is None:
            self._iter = self._generate()
        for _ in range(count):
            yield next(self._iter)


def default_for(model_field) -> Any:
    """A value for a column the loader does not know about (added by a later migration)."""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return datetime.now(UTC)
    raise RuntimeError(f"bench loader: no value for required column {model_field.column}")


class TableShape:
    """Column list of a model's table: known attributes first, defaults for the rest."""

    def __init__(self, model, known: list[str]):
        fields = model._meta.concrete_fields
        by_attname = {f.attname: f for f in fields}
        missing = [name for name in known if name not in by_attname]
        if missing:
            raise RuntimeError(f"bench loader: {model.__name__} has no {missing}")
        self.table = model._meta.db_table
        self.extra_fields = [f for f in fields if f.attname not in known]
        self.columns = [by_attname[a].column for a in known] + [f.column for f in self.extra_fields]
        self.extra_values = tuple(default_for(f) for f in self.extra_fields)

    def column_sql(self) -> str:
        return ", ".join(f'"{c}"' for c in self.columns)


BOOKING_KNOWN = [
    "id",
    "kind",
    "job_id",
    "status",
    "title",
    "notes",
    "start",
    "end",
    "created_at",
    "updated_at",
]
ALLOCATION_KNOWN = [
    "id",
    "booking_id",
    "resource_id",
    "start",
    "end",
    "status",
    "blocking",
    "created_at",
]


AUDIT_KNOWN = [
    "id",
    "at",
    "actor_id",
    "actor_label",
    "object_type",
    "object_id",
    "action",
    "changes",
    "summary",
]


def shapes():
    from postdesk.core.models import AuditEntry
    from postdesk.scheduling.models import Allocation, Booking

    return (
        TableShape(Booking, BOOKING_KNOWN),
        TableShape(Allocation, ALLOCATION_KNOWN),
        TableShape(AuditEntry, AUDIT_KNOWN),
    )


def history_rows(spans, first_booking_id: int, first_allocation_id: int, now: datetime):
    """(booking row, allocation row) pairs in the order of BOOKING_KNOWN / ALLOCATION_KNOWN."""
    booking_id, allocation_id = first_booking_id, first_allocation_id
    for span in spans:
        yield (
            (
                booking_id,
                "job",
                span.job_id,
                "confirmed",
                "Session",
                "",
                span.start,
                span.end,
                now,
                now,
            ),
            (
                allocation_id,
                booking_id,
                span.resource_id,
                span.start,
                span.end,
                "confirmed",
                True,
                now,
            ),
        )
        booking_id += 1
        allocation_id += 1


def sqlite_value(value: Any) -> Any:
    """Python value -> what Django's SQLite backend stores (naive UTC text, 0/1, JSON text)."""
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).replace(tzinfo=None))
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def postgres_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


class PostgresDatabase:
    """Bulk loading and raw booking transactions through psycopg on the bench database."""

    vendor = "postgresql"

    def __init__(self, conninfo: dict[str, Any]):
        import psycopg

        self.psycopg = psycopg
        self.conninfo = conninfo
        self.booking, self.allocation, self.audit = shapes()

    def connect(self, **kwargs):
        return self.psycopg.connect(**self.conninfo, **kwargs)

    def load(self, spans) -> int:
        now = datetime.now(UTC)
        extra_b = tuple(postgres_value(v) for v in self.booking.extra_values)
        extra_a = tuple(postgres_value(v) for v in self.allocation.extra_values)
        loaded = 0
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM scheduling_booking")
            first_b = cur.fetchone()[0] + 1
            cur.execute("SELECT coalesce(max(id), 0) FROM scheduling_allocation")
            first_a = cur.fetchone()[0] + 1
            rows = history_rows(spans, first_b, first_a, now)
            while True:
                batch = [pair for pair, _ in zip(rows, range(CHUNK), strict=False)]
                if not batch:
                    break
                with cur.copy(
                    f"COPY {self.booking.table} ({self.booking.column_sql()}) FROM STDIN"
                ) as copy:
                    for booking_row, _ in batch:
                        copy.write_row(booking_row + extra_b)
                with cur.copy(
                    f"COPY {self.allocation.table} ({self.allocation.column_sql()}) FROM STDIN"
                ) as copy:
                    for _, allocation_row in batch:
                        copy.write_row(allocation_row + extra_a)
                conn.commit()
                loaded += len(batch)
            for table in (self.booking.table, self.allocation.table):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            conn.commit()
        return loaded

    def analyze(self) -> None:
        # Autovacuum would get there on a live system; the bench cannot wait for it.
        # Then a checkpoint, so the timed writes do not queue behind the load's dirty pages.
        with self.connect(autocommit=True) as conn:
            conn.execute(f"VACUUM {self.booking.table}")
            conn.execute(f"VACUUM {self.allocation.table}")
            conn.execute("ANALYZE")  # every table: the small ones steer the join plans
            conn.execute("CHECKPOINT")

    def raw_creator(self, max_span: timedelta) -> RawCreator:
        return RawCreator(self, self.connect(), max_span)


class SqliteDatabase:
    vendor = "sqlite"

    def __init__(self, path: str):
        self.path = path
        self.booking, self.allocation, self.audit = shapes()

    def connect(self) -> sqlite3.Connection:
        # Exactly postdesk's pragmas (settings' init_command: WAL, synchronous, page cache,
        # memory map), so the raw baseline reads and writes the file the same way;
        # autocommit so BEGIN IMMEDIATE is explicit.
        from django.conf import settings

        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        conn.executescript(settings.DATABASES["default"]["OPTIONS"]["init_command"])
        return conn

    def load(self, spans) -> int:
        now = datetime.now(UTC)
        extra_b = tuple(sqlite_value(v) for v in self.booking.extra_values)
        extra_a = tuple(sqlite_value(v) for v in self.allocation.extra_values)
        b_sql = (
            f"INSERT INTO {self.booking.table} ({self.booking.column_sql()}) VALUES "
            f"({', '.join('?' * len(self.booking.columns))})"
        )
        a_sql = (
            f"INSERT INTO {self.allocation.table} ({self.allocation.column_sql()}) VALUES "
            f"({', '.join('?' * len(self.allocation.columns))})"
        )
        conn = self.connect()
        loaded = 0
        try:
            first_b = conn.execute("SELECT coalesce(max(id), 0) FROM scheduling_booking")
            first_b = first_b.fetchone()[0] + 1
            first_a = conn.execute("SELECT coalesce(max(id), 0) FROM scheduling_allocation")
            first_a = first_a.fetchone()[0] + 1
            rows = history_rows(spans, first_b, first_a, now)
            while True:
                batch = [pair for pair, _ in zip(rows, range(CHUNK), strict=False)]
                if not batch:
                    break
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(b_sql, (tuple(map(sqlite_value, b)) + extra_b for b, _ in batch))
                conn.executemany(a_sql, (tuple(map(sqlite_value, a)) + extra_a for _, a in batch))
                conn.execute("COMMIT")
                loaded += len(batch)
        finally:
            conn.close()
        return loaded

    def analyze(self) -> None:
        # What `PRAGMA optimize` does on a long-lived database: planner statistics.
        conn = self.connect()
        try:
            conn.execute("ANALYZE")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()

    def raw_creator(self, max_span: timedelta) -> RawCreator:
        return RawCreator(self, self.connect(), max_span)


class Clash(Exception):
    pass


class RawCreator:
    """The service's booking transaction in plain SQL, for the create_vs_raw baseline.

    begin; lock the resource row; bounded overlap check on blocking allocations; insert
    the booking, its allocation and its audit entry (every service write records one, in
    the same transaction); commit.
    """

    def __init__(self, db, conn, max_span: timedelta):
        from postdesk.scheduling.models import CLASH_INDEX

        self.db = db
        self.conn = conn
        self.max_span = max_span
        self.pg = db.vendor == "postgresql"
        b, a, e = db.booking, db.allocation, db.audit
        mark = "%s" if self.pg else "?"
        self.insert_booking = self._insert_sql(b, mark) + " RETURNING id"
        self.insert_allocation = self._insert_sql(a, mark)
        self.insert_audit = self._insert_sql(e, mark)
        self.lock = f"SELECT id FROM scheduling_resource WHERE id = {mark}" + (
            " FOR UPDATE" if self.pg else ""
        )
        # The service's overlap check, index hint included (on SQLite it reads the partial
        # index on blocking allocations, which holds "end", rather than the table).
        hint = "" if self.pg else f" INDEXED BY {CLASH_INDEX}"
        self.check = (
            f"SELECT id FROM scheduling_allocation{hint} WHERE resource_id = {mark} AND blocking "
            f'AND start < {mark} AND start > {mark} AND "end" > {mark} LIMIT 1'
        )
        self.adapt = postgres_value if self.pg else sqlite_value
        self.b_extra = tuple(map(self.adapt, b.extra_values))
        self.a_extra = tuple(map(self.adapt, a.extra_values))
        self.e_extra = tuple(map(self.adapt, e.extra_values))

    @staticmethod
    def _insert_sql(shape: TableShape, mark: str) -> str:
        columns = [c for c in shape.columns if c != "id"]
        names = ", ".join(f'"{c}"' for c in columns)
        return f"INSERT INTO {shape.table} ({names}) VALUES ({', '.join([mark] * len(columns))})"

    def create(
        self, *, resource_id: int, job_id: int, start: datetime, end: datetime, actor
    ) -> float:
        """Run one booking transaction for `actor` (a user); returns its duration in seconds."""
        ad = self.adapt
        now = datetime.now(UTC)
        booking = tuple(
            map(ad, ("job", job_id, "confirmed", "Raw bench", "", start, end, now, now))
        )
        changes = {
            "kind": [None, "job"],
            "job_id": [None, job_id],
            "status": [None, "confirmed"],
            "title": [None, "Raw bench"],
            "notes": [None, ""],
            "start": [None, start.isoformat()],
            "end": [None, end.isoformat()],
            "resources": [None, [resource_id]],
        }
        began = time.perf_counter()
        if self.pg:
            with self.conn.transaction(), self.conn.cursor() as cur:
                self._run(cur, resource_id, job_id, start, end, now, booking, changes, actor)
        else:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                self._run(cur, resource_id, job_id, start, end, now, booking, changes, actor)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return time.perf_counter() - began

    def _run(self, cur, resource_id, job_id, start, end, now, booking, changes, actor) -> None:
        ad = self.adapt
        cur.execute(self.lock, (resource_id,))
        cur.fetchone()
        cur.execute(self.check, (resource_id, ad(end), ad(start - self.max_span), ad(start)))
        if cur.fetchone() is not None:
            raise Clash(f"raw create clashed on resource {resource_id} at {start}")
        cur.execute(self.insert_booking, (*booking, *self.b_extra))
        booking_id = cur.fetchone()[0]
        allocation = (booking_id, resource_id, start, end, "confirmed", True, now)
        cur.execute(self.insert_allocation, (*map(ad, allocation), *self.a_extra))
        audit = (
            now,
            actor.pk,
            actor.get_username(),
            "scheduling.booking",
            str(booking_id),
            "create",
            changes,
            f"Created job booking {booking_id} (confirmed)",
        )
        cur.execute(self.insert_audit, (*map(ad, audit), *self.e_extra))

    def close(self) -> None:
        self.conn.close()
