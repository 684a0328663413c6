"""Cost report per production, for the production accountant: budget, quoted (committed),
actual (job sheets), invoiced (less credits), estimate to complete, variance; and the
freelancers booked on it at their cost rate, so the supervisor sees the margin."""

import io
from decimal import Decimal

from django.db.models import Max, Q, Sum

from postdesk.billing.lines import require_priceable
from postdesk.billing.models import (
    BudgetLine,
    Category,
    CreditNoteLine,
    InvoiceLine,
    JobSheetLine,
    QuoteLine,
)
from postdesk.core.exports import append_xlsx_row, csv_text
from postdesk.core.timeutil import hours as elapsed_hours
from postdesk.core.timeutil import split_by_local_day

ZERO = Decimal("0.00")
COLUMNS = [
    "budget",
    "quoted",
    "actual",
    "invoiced",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
]


def _by_category(qs, field="net", category="category") -> dict[str, Decimal]:
    # Sums come back as stored (SQLite drops trailing zeros): show them in minor units.
    return {
        row[category]: (row["s"] or ZERO).quantize(ZERO)
        for row in qs.order_by().values(category).annotate(s=Sum(field))
    }


def _committed_quote_lines(production):
    """Lines of each job's latest accepted quote."""
    from postdesk.billing.models import Quote

    latest = (
        Quote.objects.filter(job__production=production, status="accepted")
        .values("job_id")
        .annotate(v=Max("version"))
    )
    condition = Q(pk__in=[])
    for row in latest:
        condition |= Q(quote__job_id=row["job_id"], quote__version=row["v"])
    return QuoteLine.objects.filter(condition)


def freelancer_costs(production) -> list[dict]:
    """Freelancers on the production's confirmed/completed bookings: days × their day rate
    (a local day of 5 hours or less counts as half)."""
    from postdesk.scheduling.models import Allocation

    allocations = Allocation.objects.filter(
        booking__job__production=production,
        booking__status__in=["confirmed", "completed"],
        resource__employment="freelance",
    ).select_related("resource__site")
    rows: dict[int, dict] = {}
    for allocation in allocations:
        resource = allocation.resource
        row = rows.setdefault(
            resource.pk,
            {
                "resource": resource.pk,
                "name": resource.name,
                "days": Decimal(0),
                "day_rate": resource.day_rate or ZERO,
                "currency": resource.currency,
            },
        )
        # Counting walks the span day by day: refuse one no booking may have (issue 10).
        require_priceable(allocation.booking_id, allocation.start, allocation.end)
        for _day, start, end in split_by_local_day(
            allocation.start, allocation.end, resource.site.zone
        ):
            row["days"] += Decimal("0.5") if elapsed_hours(end - start) <= 5 else Decimal(1)
    for row in rows.values():
        row["cost"] = (row["days"] * row["day_rate"]).quantize(Decimal("0.01"))
    return sorted(rows.values(), key=lambda r: r["name"])


def cost_report(production) -> dict:
    budget = _by_category(BudgetLine.objects.filter(production=production), field="amount")
    quoted = _by_category(_committed_quote_lines(production))
    actual = _by_category(JobSheetLine.objects.filter(sheet__job__production=production))
    invoiced = _by_category(
        InvoiceLine.objects.filter(invoice__job__production=production, invoice__status="issued")
    )
    credited = _by_category(
        CreditNoteLine.objects.filter(credit_note__invoice__job__production=production),
        category="invoice_line__category",
    )
    used = set(budget) | set(quoted) | set(actual) | set(invoiced)
    rows = []
    for value, label in Category.choices:
        if value not in used:
            continue
        row = {
            "category": value,
            "label": label,
            "budget": budget.get(value, ZERO),
            "quoted": quoted.get(value, ZERO),
            "actual": actual.get(value, ZERO),
            "invoiced": invoiced.get(value, ZERO) - credited.get(value, ZERO),
        }
        row["estimate_to_complete"] = max(row["quoted"] - row["actual"], ZERO)
        row["estimate_at_completion"] = row["actual"] + row["estimate_to_complete"]
        row["variance"] = row["budget"] - row["estimate_at_completion"]
        rows.append(row)
    total = {
        "category": "total",
        "label": "Total",
        **{c: sum((r[c] for r in rows), ZERO) for c in COLUMNS},
    }
    freelancers = freelancer_costs(production)
    freelance_cost = sum((f["cost"] for f in freelancers), ZERO)
    return {
        "production": {
            "id": production.pk,
            "title": production.title,
            "client": production.client.name,
        },
        "currency": production.client.currency,
        "categories": rows,
        "total": total,
        "freelancers": freelancers,
        "freelance_cost": freelance_cost,
        "margin": total["estimate_at_completion"] - freelance_cost,
    }


HEADER = [
    "Category",
    "Budget",
    "Quoted",
    "Actual",
    "Invoiced",
    "Estimate to complete",
    "Estimate at completion",
    "Variance",
]


def _table(report) -> list[list]:
    return [
        [r["label"], *[r[c] for c in COLUMNS]] for r in [*report["categories"], report["total"]]
    ]


def cost_report_csv(report) -> str:
    return csv_text(
        [
            HEADER,
            *_table(report),
            [],
            ["Freelancer", "Days", "Day rate", "Cost"],
            *[[f["name"], f["days"], f["day_rate"], f["cost"]] for f in report["freelancers"]],
            ["Margin", "", "", report["margin"]],
        ]
    )


def cost_report_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Cost report"
    append_xlsx_row(
        sheet,
        [
            f"{report['production']['title']} ({report['production']['client']}), "
            f"{report['currency']}"
        ],
    )
    sheet["A1"].font = Font(bold=True)
    append_xlsx_row(sheet, HEADER)
    for row in _table(report):
        append_xlsx_row(sheet, row)
    money_format = "#,##0.00"
    for cells in sheet.iter_rows(min_row=3, min_col=2):
        for cell in cells:
            cell.number_format = money_format
    sheet.append([])
    append_xlsx_row(sheet, ["Freelancer", "Days", "Day rate", "Cost"])
    for f in report["freelancers"]:
        append_xlsx_row(sheet, [f["name"], f["days"], f["day_rate"], f["cost"]])
    append_xlsx_row(sheet, ["Margin", None, None, report["margin"]])
    sheet.column_dimensions["A"].width = 26
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
