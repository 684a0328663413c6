"""When two allocations overlap: the longest allowed span and the overlap predicate.

Spans are half-open, [start, end). A (resource, start) b-tree bounds only one side of
`start < :end AND end > :start`, so the other side is bounded by the longest allowed span
(`start > :start - max_span`): without it the test scans every earlier row of a resource.
The clash check's hand-written SQL (services/conflicts._clash_sql) spells the same predicate.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value


def max_span() -> datetime.timedelta:
    """The longest a booking may last (setting MAX_BOOKING_DAYS)."""
    return datetime.timedelta(days=settings.POSTDESK["MAX_BOOKING_DAYS"])


def overlaps(start, end) -> Q:
    """Rows whose [start, end) overlaps [start, end), bounded on both sides of the b-tree."""
    return Q(start__lt=end, start__gt=start - max_span(), end__gt=start)


class SpanOverlaps(Func):
    """PostgreSQL: tstzrange(start, end, '[)') && tstzrange(:lo, :hi, '[)'), which the
    (resource, span) GiST index of migration 0004 answers without reading older rows."""

    arity = 4
    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        parts = [compiler.compile(expr) for expr in self.get_source_expressions()]
        (start, end, lo, hi) = (sql for sql, _ in parts)
        params = [p for _, ps in parts for p in ps]
        return f"tstzrange({start}, {end}, '[)') && tstzrange({lo}, {hi}, '[)')", params


def overlapping(qs, start, end):
    """Rows of an allocation queryset overlapping [start, end).

    On SQLite the (resource, start) b-tree is bounded on both sides by the longest allowed
    span; on PostgreSQL a range overlap uses the GiST index instead.
    """
    if connection.vendor == "postgresql":
        return qs.filter(SpanOverlaps(F("start"), F("end"), Value(start), Value(end)))
    return qs.filter(overlaps(start, end))
