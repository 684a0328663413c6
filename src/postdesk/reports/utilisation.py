"""Utilisation: booked hours against working hours per resource (or kind of resource) by
week or month, split into confirmed, pencilled and down (maintenance and leave).

The booked hours are one aggregate SQL statement over the allocations, clipped to each
period by a join with the periods as a VALUES list; Python only adds up the ~3 rows per
resource and period it returns. Working hours come from each resource's working hours in
its site's zone, computed once per distinct (hours, zone) and period, since most
resources share the default hours.

What counts:
- confirmed: blocking allocations of client work and internal use (confirmed, completed);
- down: blocking maintenance and leave (a room being serviced, a person away);
- pencilled: first-ranked pencils only (hold_rank 1): pencils below the first overlap it,
  and counting them would count one hour twice.
Hours outside working hours count too (overtime), so a figure can exceed 100%.
"""

import datetime
import json
from collections import defaultdict

from django.db import connection

from postdesk.core import hotsql
from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import zone_or_facility
from postdesk.scheduling import spans
from postdesk.scheduling.models import Allocation, Booking, Resource

from .periods import Bucket

GROUPS = ("resource", "kind")
KINDS = tuple(Resource.Kind.values)
CATEGORIES = ("confirmed", "pencilled", "down")


def _sql(vendor: str, count: int) -> str:
    a = Allocation._meta.db_table
    b = Booking._meta.db_table
    col = lambda field: hotsql.column(Allocation, field)  # noqa: E731
    if vendor == "postgresql":
        row = "(%s::int, %s::timestamptz, %s::timestamptz)"
        hours = 'EXTRACT(EPOCH FROM (LEAST(a."end", p.e) - GREATEST(a."start", p.s))) / 3600.0'
    else:
        row = "(%s, %s, %s)"
        hours = '(julianday(MIN(a."end", p.e)) - julianday(MAX(a."start", p.s))) * 24.0'
    return (
        f"WITH p(i, s, e) AS (VALUES {', '.join([row] * count)}) "
        f"SELECT a.{col('resource')}, p.i, "
        "CASE WHEN k.kind IN ('maintenance', 'leave') THEN 'down' "
        "WHEN a.blocking THEN 'confirmed' ELSE 'pencilled' END, "
        f"SUM({hours}) "
        f"FROM {a} a JOIN {b} k ON k.id = a.{col('booking')} "
        'JOIN p ON a."start" < p.e AND a."end" > p.s '
        'WHERE a."start" < %s AND a."end" > %s '
        "AND (a.blocking OR (a.status = 'pencil' AND a.hold_rank = 1)) "
        "GROUP BY 1, 2, 3"
    )


def booked_hours(periods: list[Bucket]) -> dict[tuple[int, int, str], float]:
    """{(resource id, period index, category): hours} for every resource with any."""
    params = []
    for p in periods:
        params += [p.index, hotsql.instant(p.start), hotsql.instant(p.end)]
    params += [hotsql.instant(periods[-1].end), hotsql.instant(periods[0].start)]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, len(periods)), params)
        return {(r, i, cat): float(h or 0) for r, i, cat, h in cursor.fetchall()}


def _working_hours(hours_json: dict, zone_name: str | None, period: Bucket, memo: dict) -> float:
    key = (json.dumps(hours_json or {}, sort_keys=True), zone_name, period.index)
    found = memo.get(key)
    if found is None:
        zone = zone_or_facility(zone_name)
        total = sum(
            (
                (hi - lo)
                for lo, hi in spans.working_spans(hours_json or {}, period.start, period.end, zone)
            ),
            datetime.timedelta(0),
        )
        found = memo[key] = total.total_seconds() / 3600
    return found


def _resources(periods: list[Bucket], kind: str | None) -> list[dict]:
    rows = Resource.objects.exclude(archived_at__lt=periods[0].start).order_by("kind", "name")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values("id", "name", "kind", "working_hours", "site__time_zone"))


def _cell(working: float, hours: dict) -> dict:
    cell = {"working": round(working, 2), **{c: round(hours.get(c, 0.0), 2) for c in CATEGORIES}}
    cell["utilisation"] = round(hours.get("confirmed", 0.0) / working, 4) if working else None
    return cell


def utilisation(periods: list[Bucket], *, group: str = "resource", kind: str | None = None) -> dict:
    """{"periods": [first days], "group", "kind", "rows": [{"key", "label", "kind",
    "cells": [{working, confirmed, pencilled, down, utilisation} per period]}],
    "totals": [the same cells summed over the rows]}."""
    if group not in GROUPS:
        raise InvalidInput.field("group", f"group is one of {', '.join(GROUPS)}")
    if kind is not None and kind not in KINDS:
        raise InvalidInput.field("kind", f"kind is one of {', '.join(KINDS)}")
    booked = booked_hours(periods)
    memo: dict = {}
    sums: dict = defaultdict(lambda: defaultdict(float))  # (key, period) -> {field: hours}
    labels: dict = {}
    for res in _resources(periods, kind):
        key = res["id"] if group == "resource" else res["kind"]
        labels[key] = (
            (res["name"], res["kind"])
            if group == "resource"
            else (Resource.Kind(res["kind"]).label, res["kind"])
        )
        for p in periods:
            cell = sums[(key, p.index)]
            cell["working"] += _working_hours(res["working_hours"], res["site__time_zone"], p, memo)
            for c in CATEGORIES:
                cell[c] += booked.get((res["id"], p.index, c), 0.0)
    rows = []
    totals = [defaultdict(float) for _ in periods]
    for key, (label, res_kind) in labels.items():
        cells = []
        for p in periods:
            hours = sums[(key, p.index)]
            for field, value in hours.items():
                totals[p.index][field] += value
            cells.append(_cell(hours["working"], hours))
        rows.append({"key": key, "label": label, "kind": res_kind, "cells": cells})
    return {
        "periods": [p.label for p in periods],
        "group": group,
        "kind": kind,
        "rows": rows,
        "totals": [_cell(t["working"], t) for t in totals],
    }
