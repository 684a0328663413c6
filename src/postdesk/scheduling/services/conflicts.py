"""Clashes between bookings, and the messages that name them.

A blocking allocation (confirmed, completed, maintenance, leave) refuses any other that
overlaps it on the same resource: the check is one hand-written query (`_clash_sql`), and
a clash becomes a BookingConflict whose message names the resource, what holds it and
when, in the site's local time. A pencil that may not be confirmed while an earlier one
stands is a HigherPencil, named the same way.
"""

import datetime
import functools
from collections.abc import Iterable

from django.db import connection

from postdesk.core import hotsql
from postdesk.core.errors import Conflict
from postdesk.core.timeutil import zone_or_facility
from postdesk.scheduling.models import CLASH_INDEX, Allocation, Booking
from postdesk.scheduling.overlap import max_span, overlaps

Kind = Booking.Kind


class BookingConflict(Conflict):
    code = "booking_conflict"


class HigherPencil(Conflict):
    code = "higher_pencil"


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


@functools.cache
def _clash_sql(count: int, exclude_booking: bool, vendor: str) -> str:
    # SQLite's planner picks the (resource, start) index, which has no "end" and so reads
    # every row of the last 90 days; the partial index answers from the index alone, in
    # under half the time at a million bookings (bench/RESULTS.md: 66 -> 29 us warm,
    # 250 -> 100 us cold).
    hint = f" INDEXED BY {CLASH_INDEX}" if vendor == "sqlite" else ""
    qn, col = connection.ops.quote_name, functools.partial(hotsql.column, Allocation)
    start, end = qn(col("start")), qn(col("end"))  # quoted: both are SQL keywords
    other = f" AND {col('booking')} <> %s" if exclude_booking else ""
    return (
        f"SELECT {Allocation._meta.pk.column} FROM {Allocation._meta.db_table}{hint} "
        f"WHERE {col('resource')} IN ({_marks(count)}) "
        f"AND {col('blocking')} AND {start} < %s AND {start} > %s AND {end} > %s{other} "
        f"ORDER BY {start} LIMIT 20"
    )


def _check_blocking_clashes(resource_ids, start, end, exclude_booking: int | None = None):
    """Raise BookingConflict if a blocking allocation of these resources overlaps
    [start, end): resource IN (...) AND blocking AND start < :end
    AND start > :start - max_span AND end > :start (both sides of the index bounded)."""
    ids = sorted(set(resource_ids))
    db = hotsql.database()
    params = [*ids, *(hotsql.instant(t, db) for t in (end, start - max_span(), start))]
    if exclude_booking is not None:
        params.append(exclude_booking)
    sql = _clash_sql(len(ids), exclude_booking is not None, db.vendor)
    clashes = [row[0] for row in hotsql.fetch(sql, params, db)]
    if clashes:
        _raise_conflicts(clashes)


def _overlapping(resource_ids, start, end):
    """Allocations of these resources overlapping [start, end), index-friendly."""
    return Allocation.objects.filter(overlaps(start, end), resource_id__in=resource_ids)


def _when(start: datetime.datetime, end: datetime.datetime, zone) -> str:
    """ "from 10:00 to 19:00 on Mon 2 Mar" in the site's local time."""
    lo, hi = start.astimezone(zone), end.astimezone(zone)

    def day(d):
        return f"{d:%a} {d.day} {d:%b}"

    if lo.date() == hi.date():
        return f"from {lo:%H:%M} to {hi:%H:%M} on {day(lo)}"
    return f"from {lo:%H:%M} on {day(lo)} to {hi:%H:%M} on {day(hi)}"


def _for(row: dict) -> str:
    kind = row["booking__kind"]
    if kind == Kind.JOB:
        client = row["booking__job__client__name"]
        return f"for {client} / {row['booking__job__production__title']}"
    if kind == Kind.INTERNAL:
        title = row["booking__title"]
        return "for internal use" + (f" ({title})" if title else "")
    return f"for {kind}"


def _predicate(row: dict) -> str:
    kind = row["booking__kind"]
    if kind == Kind.MAINTENANCE:
        return "is blocked for maintenance"
    if kind == Kind.LEAVE:
        return "is on leave"
    return f"is confirmed {_for(row)}"


DETAIL_FIELDS = (
    "id",
    "booking_id",
    "resource_id",
    "resource__name",
    "resource__site__time_zone",
    "start",
    "end",
    "hold_rank",
    "booking__kind",
    "booking__title",
    "booking__status",
    "booking__job_id",
    "booking__job__number",
    "booking__job__client__name",
    "booking__job__production__title",
    "booking__owner__username",
)


def _details(allocation_ids: Iterable[int]) -> list[dict]:
    return list(
        Allocation.objects.filter(pk__in=list(allocation_ids))
        .order_by("start", "resource_id")
        .values(*DETAIL_FIELDS)
    )


def _conflict_item(row: dict) -> dict:
    return {
        "booking": row["booking_id"],
        "resource": row["resource_id"],
        "resource_name": row["resource__name"],
        "start": row["start"],
        "end": row["end"],
        "kind": row["booking__kind"],
        "status": row["booking__status"],
        "job": row["booking__job_id"],
        "job_number": row["booking__job__number"],
        "client": row["booking__job__client__name"],
        "production": row["booking__job__production__title"],
    }


def _raise_conflicts(allocation_ids: list[int]) -> None:
    rows = _details(allocation_ids)
    first = rows[0]
    zone = zone_or_facility(first["resource__site__time_zone"])
    message = (
        f"{first['resource__name']} {_predicate(first)} {_when(first['start'], first['end'], zone)}"
    )
    if len(rows) > 1:
        message += f" (and {len(rows) - 1} more clash{'es' if len(rows) > 2 else ''})"
    raise BookingConflict(message, details={"conflicts": [_conflict_item(r) for r in rows]})


def _ordinal(n: int | None) -> str:
    if n is None:
        return "a"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _raise_higher_pencil(allocation_ids: list[int]) -> None:
    """Refuse to confirm a pencil while the pencils `allocation_ids` stand above it: the
    message names the first (its booking, job, rank, holder and when)."""
    rows = _details(allocation_ids)
    first = rows[0]
    zone = zone_or_facility(first["resource__site__time_zone"])
    holder = first["booking__owner__username"]
    message = (
        f"{first['resource__name']} has a higher pencil: booking {first['booking_id']} "
        f"{_for(first)} ({_ordinal(first['hold_rank'])} pencil"
        f"{', held by ' + holder if holder else ''}) "
        f"{_when(first['start'], first['end'], zone)}. Challenge it or wait for its release."
    )
    raise HigherPencil(
        message,
        details={
            "pencils": [
                {
                    **_conflict_item(r),
                    "hold_rank": r["hold_rank"],
                    "owner": r["booking__owner__username"],
                }
                for r in rows
            ]
        },
    )
