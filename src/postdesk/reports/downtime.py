"""Downtime per room by week or month: the hours each room could not be used, split into
faults (engineering's room-down tickets, from opening to resolution, or to now while
open) and maintenance (blocking maintenance bookings on the room, planned or placed by a
maintenance schedule).

A room-down ticket blocks the room with maintenance bookings of its own (FaultTicket.
blocks); those are left out of "maintenance", since the ticket's own span already counts
that time. One aggregate SQL statement, the two sources as a UNION ALL clipped to each
period by a join with the periods as a VALUES list, as utilisation.py does."""

from collections import defaultdict

from django.db import connection
from django.utils import timezone

from postdesk.core import hotsql
from postdesk.engineering.models import FaultTicket
from postdesk.scheduling.models import Allocation, Booking, Resource

from .periods import Bucket

CATEGORIES = ("fault", "maintenance")


def _sql(vendor: str, count: int) -> str:
    a, b, r = Allocation._meta.db_table, Booking._meta.db_table, Resource._meta.db_table
    t = FaultTicket._meta.db_table
    blocks = FaultTicket.blocks.through._meta.db_table
    blocked = hotsql.column(FaultTicket.blocks.through, "booking")
    col = lambda model, field: hotsql.column(model, field)  # noqa: E731
    if vendor == "postgresql":
        row = "(%s::int, %s::timestamptz, %s::timestamptz)"
        hours = "EXTRACT(EPOCH FROM (LEAST(d.e, p.e) - GREATEST(d.s, p.s))) / 3600.0"
        now = "%s::timestamptz"
    else:
        row = "(%s, %s, %s)"
        hours = "(julianday(MIN(d.e, p.e)) - julianday(MAX(d.s, p.s))) * 24.0"
        now = "%s"
    faults = (
        f"SELECT t.{col(FaultTicket, 'room')} AS room, 'fault' AS cat, t.opened_at AS s, "
        f"COALESCE(t.resolved_at, t.closed_at, {now}) AS e FROM {t} t "
        "WHERE t.severity = 'room_down' AND t.room_id IS NOT NULL"
    )
    maintenance = (
        f'SELECT a.{col(Allocation, "resource")}, \'maintenance\', a."start", a."end" '
        f"FROM {a} a JOIN {b} k ON k.id = a.{col(Allocation, 'booking')} "
        f"JOIN {r} r ON r.id = a.{col(Allocation, 'resource')} "
        "WHERE k.kind = 'maintenance' AND a.blocking AND r.kind = 'room' "
        f"AND NOT EXISTS (SELECT 1 FROM {blocks} x WHERE x.{blocked} = k.id)"
    )
    return (
        f"WITH p(i, s, e) AS (VALUES {', '.join([row] * count)}), "
        f"d(room, cat, s, e) AS ({faults} UNION ALL {maintenance}) "
        f"SELECT d.room, p.i, d.cat, SUM({hours}) FROM d "
        "JOIN p ON d.s < p.e AND d.e > p.s GROUP BY 1, 2, 3"
    )


def down_hours(periods: list[Bucket], now=None) -> dict[tuple[int, int, str], float]:
    """{(room id, period index, category): hours} for every room down in a period."""
    params = []
    for p in periods:
        params += [p.index, hotsql.instant(p.start), hotsql.instant(p.end)]
    params.append(hotsql.instant(now or timezone.now()))
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, len(periods)), params)
        return {(room, i, cat): float(h or 0) for room, i, cat, h in cursor.fetchall()}


def downtime(periods: list[Bucket], *, now=None) -> dict:
    """{"periods": [first days], "rows": [{"key": room id, "label", "cells": [{fault,
    maintenance, total} per period], "total": hours}], "totals": [cells summed]}: every
    room in use during the periods, down or not, so a room never down reads as 0."""
    down = down_hours(periods, now)
    rooms = (
        Resource.objects.filter(kind=Resource.Kind.ROOM)
        .exclude(archived_at__lt=periods[0].start)
        .order_by("name")
        .values_list("id", "name")
    )
    totals = [defaultdict(float) for _ in periods]
    rows = []
    for room_id, name in rooms:
        cells = []
        for p in periods:
            cell = {c: round(down.get((room_id, p.index, c), 0.0), 2) for c in CATEGORIES}
            cell["total"] = round(cell["fault"] + cell["maintenance"], 2)
            for field, value in cell.items():
                totals[p.index][field] += value
            cells.append(cell)
        total = round(sum(c["total"] for c in cells), 2)
        rows.append({"key": room_id, "label": name, "cells": cells, "total": total})
    return {
        "periods": [p.label for p in periods],
        "rows": rows,
        "totals": [{f: round(t[f], 2) for f in (*CATEGORIES, "total")} for t in totals],
    }
