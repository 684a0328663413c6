"""Revenue per client and month: invoiced (net of issued invoices, by issue date),
credited (net of credit notes, by their issue date) and outstanding (what is still owed
today on the invoices issued that month: gross less payments and credit notes, as
billing.queries.outstanding says). Amounts stay Decimal and per currency: a client
billed in two currencies has a row for each. Four aggregate queries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from postdesk.billing.models import CreditNote, Invoice, Payment
from postdesk.billing.queries import outstanding

from .periods import Bucket

ZERO = Decimal("0.00")
FIELDS = ("invoiced", "credited", "outstanding")


def _month_index(periods: list[Bucket]) -> dict:
    return {p.first_day: p.index for p in periods}


def _collect(periods: list[Bucket]) -> tuple[dict, dict]:
    """({(client, currency, month index): {invoiced, gross, paid, credited_gross,
    credited}}, {client id: name}) from four aggregate queries."""
    first, after = periods[0].first_day, periods[-1].next_day
    months = _month_index(periods)
    cells: dict = defaultdict(lambda: defaultdict(lambda: ZERO))  # (client, cur, i) -> {}
    names: dict[int, str] = {}

    def month_of(value) -> int | None:
        return months.get(value if not hasattr(value, "date") else value.date())

    issued = Invoice.objects.filter(status="issued", issue_date__gte=first, issue_date__lt=after)
    for row in (
        issued.annotate(m=TruncMonth("issue_date"))
        .values("client_id", "client__name", "currency", "m")
        .annotate(net_sum=Sum("net"), gross_sum=Sum("gross"))
        .order_by()
    ):
        names[row["client_id"]] = row["client__name"]
        cell = cells[(row["client_id"], row["currency"], month_of(row["m"]))]
        cell["invoiced"] += row["net_sum"]
        cell["gross"] += row["gross_sum"]
    for row in (
        Payment.objects.filter(invoice__in=issued)
        .annotate(m=TruncMonth("invoice__issue_date"))
        .values("invoice__client_id", "invoice__currency", "m")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        cells[(row["invoice__client_id"], row["invoice__currency"], month_of(row["m"]))][
            "paid"
        ] += row["s"]
    for row in (
        CreditNote.objects.filter(invoice__in=issued)
        .annotate(m=TruncMonth("invoice__issue_date"))
        .values("invoice__client_id", "invoice__currency", "m")
        .annotate(s=Sum("gross"))
        .order_by()
    ):
        cells[(row["invoice__client_id"], row["invoice__currency"], month_of(row["m"]))][
            "credited_gross"
        ] += row["s"]
    for row in (
        CreditNote.objects.filter(issue_date__gte=first, issue_date__lt=after)
        .annotate(m=TruncMonth("issue_date"))
        .values("invoice__client_id", "invoice__client__name", "currency", "m")
        .annotate(s=Sum("net"))
        .order_by()
    ):
        names[row["invoice__client_id"]] = row["invoice__client__name"]
        cells[(row["invoice__client_id"], row["currency"], month_of(row["m"]))]["credited"] += row[
            "s"
        ]
    return cells, names


def revenue(periods: list[Bucket]) -> dict:
    """{"periods", "rows": [{"client", "label", "currency", "cells": [{invoiced, credited,
    outstanding} per month], "total": {...}}], "totals": {currency: [cells]}}."""
    cells, names = _collect(periods)
    keys = sorted({(c, cur) for c, cur, _ in cells}, key=lambda k: (names[k[0]].lower(), k[1]))
    rows = []
    totals: dict = {}
    for client_id, currency in keys:
        row_cells = []
        for p in periods:
            got = cells.get((client_id, currency, p.index), {})
            row_cells.append(
                {
                    "invoiced": got.get("invoiced", ZERO),
                    "credited": got.get("credited", ZERO),
                    "outstanding": outstanding(
                        got.get("gross", ZERO),
                        got.get("paid", ZERO),
                        got.get("credited_gross", ZERO),
                    ),
                }
            )
        cur_totals = totals.setdefault(currency, [{f: ZERO for f in FIELDS} for _ in periods])
        for i, cell in enumerate(row_cells):
            for f in FIELDS:
                cur_totals[i][f] += cell[f]
        rows.append(
            {
                "client": client_id,
                "label": names[client_id],
                "currency": currency,
                "cells": row_cells,
                "total": {f: sum((c[f] for c in row_cells), ZERO) for f in FIELDS},
            }
        )
    return {"periods": [p.label for p in periods], "rows": rows, "totals": totals}
