"""Cost report per production, for the production accountant and the supervisor: budget,
quoted (committed), actual (job sheets), invoiced (less credits), to complete and at
completion, variance; the pencils apart; and the freelancers booked on it at their cost,
so the supervisor sees the margin; then the sections other apps register
(billing.cost_sections: coordination's deliverables), each converted and totalled.

Every figure is in the client's billing currency. Nothing in another currency is added as
it is: such amounts are converted at the exchange rates in force on the report's date,
each rate named in the report; where a pair has no rate the figure it would go into is
left empty (None) and the report says which rate is missing (billing.exchange).

Lines of work land in the category their resource maps to (billing.categories); lines
without a resource keep the category the rate card gave them.
"""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils import timezone

from postdesk.billing import cost_sections
from postdesk.billing.categories import CategoryMap
from postdesk.billing.crew_rates import agreed_rates
from postdesk.billing.exchange import Converter
from postdesk.billing.forecast import booked_work
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
CENT = Decimal("0.01")
# The columns of each category row, in the order the page and the files show them.
COLUMNS = [
    "budget",
    "quoted",
    "actual",
    "invoiced",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
    "pencilled",
]
HEADER = [
    "Category",
    "Budget",
    "Quoted",
    "Actual",
    "Invoiced",
    "To complete",
    "At completion",
    "Variance",
    "Pencilled (not in forecast)",
]
NOTES = {
    "to_complete": "To complete: confirmed bookings not yet on a job sheet (work still to "
    "come, and work done whose sheet is not made yet), priced by the rate card as their job "
    "sheets will be. At completion = actual + to complete; variance = budget - at completion.",
    "pencilled": "Pencilled: pencils priced the same way, listed apart and not in the "
    "forecast, since they are not committed.",
    "categories": "Work lands in the budget category its resource maps to (Budget "
    "categories page); lines without a resource keep their rate card's category.",
}

# (resource id or None, card category, currency, amount)
Row = tuple[int | None, str, str, Decimal]


def _rows(qs, *, amount="net", category="category", currency, resource=None) -> list[Row]:
    """Sums of `amount` per (resource, category, currency), straight from the database."""
    fields = [category, currency] + ([resource] if resource else [])
    return [
        (row[resource] if resource else None, row[category], row[currency], row["s"] or ZERO)
        for row in qs.order_by().values(*fields).annotate(s=Sum(amount))
    ]


def _bucket(rows: list[Row], cmap: CategoryMap, sign: int = 1) -> dict[str, dict[str, Decimal]]:
    """{category: {currency: amount}}, each line in the category its resource maps to."""
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for resource_id, category, currency, amount in rows:
        out[cmap.category(resource_id, category)][currency] += sign * amount
    return out


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
    in their own currency (a local day of 5 hours or less counts as half)."""
    from postdesk.scheduling.models import Allocation

    allocations = Allocation.objects.filter(
        booking__job__production=production,
        booking__status__in=["confirmed", "completed"],
        resource__employment="freelance",
    ).select_related("resource__site")
    # A rate agreed for this production (a crew deal memo) is the actual cost, not the
    # resource's default day rate.
    agreed = agreed_rates(production)
    rows: dict[int, dict] = {}
    for allocation in allocations:
        resource = allocation.resource
        day_rate, currency = agreed.get(resource.pk, (resource.day_rate or ZERO, resource.currency))
        row = rows.setdefault(
            resource.pk,
            {
                "resource": resource.pk,
                "name": resource.name,
                "days": Decimal(0),
                "day_rate": day_rate,
                "currency": currency,
                "agreed": resource.pk in agreed,
            },
        )
        # Counting walks the span day by day: refuse one no booking may have (issue 10).
        require_priceable(allocation.booking_id, allocation.start, allocation.end)
        for _day, start, end in split_by_local_day(
            allocation.start, allocation.end, resource.site.zone
        ):
            row["days"] += Decimal("0.5") if elapsed_hours(end - start) <= 5 else Decimal(1)
    for row in rows.values():
        row["cost"] = (row["days"] * row["day_rate"]).quantize(CENT)
    return sorted(rows.values(), key=lambda r: r["name"])


def _plus(*values):
    if any(v is None for v in values):
        return None
    return sum(values, ZERO)


def _cell(converter: Converter, parts: dict[str, Decimal] | None) -> Decimal | None:
    total = converter.total(dict(parts or {}))
    return None if total is None else total.quantize(CENT)


def _document_rows(production) -> dict[str, list[tuple]]:
    """The (resource, category, currency, net) rows of the production's budget, committed
    quotes, job sheets, issued invoices and credit notes, one query each."""
    return {
        "budget": _rows(
            BudgetLine.objects.filter(production=production), amount="amount", currency="currency"
        ),
        "quoted": _rows(
            _committed_quote_lines(production), currency="quote__currency", resource="resource_id"
        ),
        "actual": _rows(
            JobSheetLine.objects.filter(sheet__job__production=production),
            currency="sheet__currency",
            resource="resource_id",
        ),
        "invoiced": _rows(
            InvoiceLine.objects.filter(
                invoice__job__production=production, invoice__status="issued"
            ),
            currency="invoice__currency",
            resource="resource_id",
        ),
        "credited": _rows(
            CreditNoteLine.objects.filter(credit_note__invoice__job__production=production),
            category="invoice_line__category",
            currency="credit_note__currency",
            resource="invoice_line__resource_id",
        ),
    }


def _category_rows(buckets: dict[str, dict], converter: Converter) -> list[dict]:
    """One row per category any column has an amount in, in Category order: each column
    of `buckets` ({column: {category: {currency: amount}}}) converted, then the estimate
    at completion and the variance from the budget."""
    used = set().union(*buckets.values())
    rows = []
    for value, label in Category.choices:
        if value not in used:
            continue
        row = {"category": value, "label": label}
        row.update((column, _cell(converter, b.get(value))) for column, b in buckets.items())
        row["estimate_at_completion"] = _plus(row["actual"], row["estimate_to_complete"])
        at_completion = row["estimate_at_completion"]
        row["variance"] = (
            None
            if row["budget"] is None or at_completion is None
            else row["budget"] - at_completion
        )
        rows.append(row)
    return rows


def _freelance_margin(freelancers: list[dict], cmap, converter: Converter, revenue):
    """Each freelancer's category and cost in the report's currency (in place), and the
    (freelance cost, margin, margin percent) they leave of `revenue`."""
    for f in freelancers:
        f["category"] = cmap.category(f["resource"], Category.OTHER)
        converted = converter.convert(f["cost"], f["currency"])
        f["cost_converted"] = None if converted is None else converted.quantize(CENT)
    freelance_cost = _plus(*(f["cost_converted"] for f in freelancers))
    margin = _plus(revenue, None if freelance_cost is None else -freelance_cost)
    margin_percent = (
        (margin * 100 / revenue).quantize(Decimal("0.1"))
        if margin is not None and revenue
        else None
    )
    return freelance_cost, margin, margin_percent


def _sections(production, converter: Converter) -> list[dict]:
    """The registered sections, each line with its amount in the report's currency and
    each section's total (None when a rate is missing)."""
    out = []
    for title, lines in cost_sections.sections(production):
        rows = []
        for label, amount, currency in lines:
            converted = converter.convert(amount, currency)
            rows.append(
                {
                    "label": label,
                    "amount": amount,
                    "currency": currency,
                    "converted": None if converted is None else converted.quantize(CENT),
                }
            )
        total = _plus(*(r["converted"] for r in rows))
        out.append({"title": title, "lines": rows, "total": total})
    return out


def _conversion(production, converter: Converter, rates_on: datetime.date) -> dict:
    """What the report says of its currencies: the rates it used and those missing."""
    currency = production.client.currency
    return {
        "text": f"All amounts in {currency}, {production.client.name}'s billing "
        f"currency. Amounts in other currencies are converted at the rates in force on "
        f"{rates_on:%d %b %Y}, listed here; amounts in a currency without a rate are left "
        "out and the figures they would go into are empty.",
        "rates": [rate.out() for _, rate in sorted(converter.used.items())],
        "missing": converter.missing_pairs(),
    }


def cost_report(production, *, rates_on: datetime.date | None = None) -> dict:
    currency = production.client.currency
    rates_on = rates_on or timezone.localdate()
    converter = Converter(currency, rates_on)

    docs = _document_rows(production)
    work = booked_work(production)
    freelancers = freelancer_costs(production)

    resource_ids = {
        r[0] for r in docs["quoted"] + docs["actual"] + docs["invoiced"] + docs["credited"]
    }
    resource_ids |= work.resource_ids | {f["resource"] for f in freelancers}
    cmap = CategoryMap(resource_ids - {None})

    # In the order of the report's columns, which is the order of each row's keys.
    buckets = {
        "budget": _bucket(docs["budget"], cmap),
        "quoted": _bucket(docs["quoted"], cmap),
        "actual": _bucket(docs["actual"], cmap),
        "invoiced": _bucket(docs["invoiced"] + [(*r[:3], -r[3]) for r in docs["credited"]], cmap),
        "estimate_to_complete": _bucket(
            [(r, c, currency, net) for r, c, net in work.to_complete], cmap
        ),
        "pencilled": _bucket([(r, c, currency, net) for r, c, net in work.pencilled], cmap),
    }
    rows = _category_rows(buckets, converter)
    total = {
        "category": "total",
        "label": "Total",
        **{c: _plus(*(r[c] for r in rows)) for c in COLUMNS},
    }
    freelance_cost, margin, margin_percent = _freelance_margin(
        freelancers, cmap, converter, total["estimate_at_completion"]
    )
    return {
        "production": {
            "id": production.pk,
            "title": production.title,
            "client": production.client.name,
        },
        "currency": currency,
        "rates_on": rates_on,
        "categories": rows,
        "total": total,
        "freelancers": freelancers,
        "freelance_cost": freelance_cost,
        "margin": margin,
        "margin_percent": margin_percent,
        "sections": _sections(production, converter),
        "conversion": _conversion(production, converter, rates_on),
        "unpriced": work.unpriced,
        "notes": NOTES,
    }


# --- files --------------------------------------------------------------------------------

MISSING = "no rate"


def _shown(value):
    """A figure for a file: the amount, or words saying why there is none."""
    return MISSING if value is None else value


def _table(report) -> list[list]:
    return [
        [r["label"], *[_shown(r[c]) for c in COLUMNS]]
        for r in [*report["categories"], report["total"]]
    ]


def _after_table(report) -> list[list]:
    """Freelancers, margin, the rates used or missing, and what the columns mean."""
    currency = report["currency"]
    out = [
        [],
        [
            "Freelancer",
            "Category",
            "Days",
            "Day rate",
            "Currency",
            "Cost",
            f"Cost in {currency}",
        ],
    ]
    for f in report["freelancers"]:
        out.append(
            [
                f["name"],
                Category(f["category"]).label,
                f["days"],
                f["day_rate"],
                f["currency"],
                f["cost"],
                _shown(f["cost_converted"]),
            ]
        )
    out.append(
        [f"Freelancers at cost ({currency})", "", "", "", "", "", _shown(report["freelance_cost"])]
    )
    out.append(
        [f"Margin after freelancers ({currency})", "", "", "", "", "", _shown(report["margin"])]
    )
    for section in report["sections"]:
        out.append([])
        out.append([section["title"], "", "", "", "Currency", "Cost", f"Cost in {currency}"])
        for line in section["lines"]:
            converted = _shown(line["converted"])
            out.append([line["label"], "", "", "", line["currency"], line["amount"], converted])
        total = _shown(section["total"])
        out.append([f"{section['title']} at cost ({currency})", "", "", "", "", "", total])
    out.append([])
    out.append([f"Exchange rates in force on {report['rates_on']:%d %b %Y}"])
    for rate in report["conversion"]["rates"]:
        out.append([rate["text"]])
    for missing in report["conversion"]["missing"]:
        out.append([missing["text"]])
    if not report["conversion"]["rates"] and not report["conversion"]["missing"]:
        out.append([f"None needed: every amount is in {currency}"])
    for item in report["unpriced"]:
        out.append([f"Not priced: booking {item['booking']}: {item['message']}"])
    out.append([])
    out.append([report["conversion"]["text"]])
    out.extend([text] for text in report["notes"].values())
    return out


def _title(report) -> str:
    production = report["production"]
    return f"{production['title']} ({production['client']}), {report['currency']}"


def cost_report_csv(report) -> str:
    return csv_text([[_title(report)], HEADER, *_table(report), *_after_table(report)])


def cost_report_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Cost report"
    append_xlsx_row(sheet, [_title(report)])
    sheet["A1"].font = Font(bold=True)
    append_xlsx_row(sheet, HEADER)
    for row in _table(report):
        append_xlsx_row(sheet, row)
    money_format = "#,##0.00"
    for cells in sheet.iter_rows(min_row=3, min_col=2):
        for cell in cells:
            cell.number_format = money_format
    for row in _after_table(report):
        append_xlsx_row(sheet, row)
    sheet.column_dimensions["A"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
