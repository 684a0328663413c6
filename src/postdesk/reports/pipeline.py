"""How work is won: pencils that became confirmed or were let go (and how long they were
held), and the quotes that were accepted, declined or expired, month by month.

A pencil's fate is read from the audit log, where every booking transition is recorded
with its old and new status (scheduling.services.records): a transition out of "pencil"
into "confirmed" is a conversion, into "released" or "cancelled" a loss. Held time is
from the booking's creation to that transition."""

import statistics
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from postdesk.billing.models import Quote
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Booking

from .periods import Bucket

WON = ("confirmed",)
LOST = ("released", "cancelled")


def _index(periods: list[Bucket], instant) -> int | None:
    for p in periods:
        if p.start <= instant < p.end:
            return p.index
    return None


def pencil_conversion(periods: list[Bucket]) -> dict:
    """{"periods", "cells": [{confirmed, released, conversion, median_hours_held,
    mean_hours_held}], "open_now": pencils standing today}."""
    decided = list(
        AuditEntry.objects.filter(
            object_type="scheduling.booking",
            action=AuditEntry.Action.TRANSITION,
            at__gte=periods[0].start,
            at__lt=periods[-1].end,
            changes__status__0="pencil",
            changes__status__1__in=WON + LOST,
        )
        .order_by()
        .values_list("object_id", "at", "changes__status__1")
    )
    created = dict(
        Booking.objects.filter(pk__in={int(pk) for pk, _, _ in decided})
        .order_by()
        .values_list("pk", "created_at")
    )
    counts = defaultdict(lambda: {"confirmed": 0, "released": 0, "held": []})
    for pk, at, outcome in decided:
        i = _index(periods, at)
        if i is None:
            continue
        cell = counts[i]
        cell["confirmed" if outcome in WON else "released"] += 1
        if int(pk) in created:
            cell["held"].append((at - created[int(pk)]).total_seconds() / 3600)
    cells = []
    for p in periods:
        cell = counts[p.index]
        decided_n = cell["confirmed"] + cell["released"]
        held = cell["held"]
        cells.append(
            {
                "period": p.label,
                "confirmed": cell["confirmed"],
                "released": cell["released"],
                "conversion": round(cell["confirmed"] / decided_n, 4) if decided_n else None,
                "median_hours_held": round(statistics.median(held), 2) if held else None,
                "mean_hours_held": round(statistics.fmean(held), 2) if held else None,
            }
        )
    open_now = Booking.objects.filter(status=Booking.Status.PENCIL).count()
    return {"periods": [p.label for p in periods], "cells": cells, "open_now": open_now}


def quote_win_rate(periods: list[Bucket]) -> dict:
    """Quotes by the month they were sent: {sent, accepted, declined, expired, open,
    win_rate = accepted / (accepted + declined + expired)}."""
    rows = {
        (r["m"].date() if hasattr(r["m"], "date") else r["m"]): r
        for r in Quote.objects.filter(sent_at__gte=periods[0].start, sent_at__lt=periods[-1].end)
        .annotate(m=TruncMonth("sent_at"))
        .values("m")
        .annotate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status="accepted")),
            declined=Count("id", filter=Q(status="declined")),
            expired=Count("id", filter=Q(status="expired")),
            open=Count("id", filter=Q(status="sent")),
        )
        .order_by()
    }
    cells = []
    for p in periods:
        r = rows.get(p.first_day, {})
        got = {"period": p.label}
        got.update({k: r.get(k, 0) for k in ("sent", "accepted", "declined", "expired", "open")})
        decided = got["accepted"] + got["declined"] + got["expired"]
        got["win_rate"] = round(got["accepted"] / decided, 4) if decided else None
        cells.append(got)
    return {"periods": [p.label for p in periods], "cells": cells}
