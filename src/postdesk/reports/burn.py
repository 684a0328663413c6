"""A production's burn against its budget: the actual cost (net of its job sheets' lines,
as billing's cost report counts "actual") added up week by week, against the budget.

A sheet's cost falls in the week its work started (the sheet's actual start, or when the
sheet was made if it has none), in the facility's zone. Cost from before the first week
shown is carried in as the opening figure, so the line is the true running total.
Amounts are in the client's billing currency; others are converted at today's rates as
the cost report converts them, and where a currency has no rate the running total stops
(None) rather than read short, and the report names the missing rate.

One aggregate query for the cost (per week and currency) and one for the budget."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from postdesk.billing.exchange import Converter
from postdesk.billing.models import BudgetLine, JobSheetLine
from postdesk.core.errors import NotFound
from postdesk.core.timeutil import facility_zone
from postdesk.productions.models import Production

from .periods import Bucket

ZERO = Decimal("0.00")


def default_production() -> int | None:
    """The newest production with a budget: the one a manager most likely asks about."""
    return (
        BudgetLine.objects.order_by("-production_id").values_list("production_id", flat=True)
    ).first()


def _production(production_id: int | None) -> Production | None:
    if production_id is None:
        production_id = default_production()
        if production_id is None:
            return None
    found = Production.objects.select_related("client").filter(pk=production_id).first()
    if found is None:
        raise NotFound(f"No production {production_id}")
    return found


def weekly_cost(production: Production, periods: list[Bucket]) -> tuple[dict, dict]:
    """({currency: cost before the first week}, {(week index, currency): cost})."""
    zone = facility_zone()
    weeks = {p.first_day: p.index for p in periods}
    opening: dict = defaultdict(lambda: ZERO)
    cost: dict = defaultdict(lambda: ZERO)
    rows = (
        JobSheetLine.objects.filter(sheet__job__production=production)
        .annotate(at=Coalesce("sheet__actual_start", "sheet__created_at"))
        .filter(at__lt=periods[-1].end)
        .annotate(week=TruncWeek("at", tzinfo=zone))
        .values("week", "sheet__currency")
        .annotate(net=Sum("net"))
        .order_by()
    )
    for row in rows:
        day = row["week"].astimezone(zone).date()
        currency = row["sheet__currency"]
        if day in weeks:
            cost[(weeks[day], currency)] += row["net"]
        elif day < periods[0].first_day:
            opening[currency] += row["net"]
    return opening, cost


def burn(periods: list[Bucket], production_id: int | None = None) -> dict:
    """{"production": {id, title, client} or None, "currency", "budget", "opening",
    "periods", "cells": [{"period", "actual": that week's cost, "cumulative", "remaining": budget
    less cumulative}], "missing": [rates not kept]}; amounts Decimal, None where a rate
    is missing."""
    production = _production(production_id)
    labels = [p.label for p in periods]
    if production is None:
        empty = {"actual": ZERO, "cumulative": ZERO, "remaining": None}
        return {
            "production": None,
            "currency": None,
            "budget": None,
            "opening": ZERO,
            "periods": labels,
            "cells": [{"period": p.label, **empty} for p in periods],
            "missing": [],
        }
    currency = production.client.currency
    converter = Converter(currency, timezone.localdate())
    budget_rows = (
        BudgetLine.objects.filter(production=production)
        .values("currency")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    budget = converter.total({r["currency"]: r["s"] for r in budget_rows})
    opening_parts, cost = weekly_cost(production, periods)
    opening = converter.total(dict(opening_parts))
    running = opening
    cells = []
    for p in periods:
        week = converter.total({cur: v for (i, cur), v in cost.items() if i == p.index})
        running = None if running is None or week is None else running + week
        remaining = None if budget is None or running is None else budget - running
        cells.append(
            {"period": p.label, "actual": week, "cumulative": running, "remaining": remaining}
        )
    return {
        "production": {
            "id": production.pk,
            "title": production.title,
            "client": production.client.name,
        },
        "currency": currency,
        "budget": budget,
        "opening": opening,
        "periods": labels,
        "cells": cells,
        "missing": converter.missing_pairs(),
    }
