"""What billing's lists may be searched, sorted and filtered by (core/listing.ListSpec),
declared once for the API and the pages."""

from postdesk.billing import queries
from postdesk.billing.models import Invoice, JobSheet, Quote
from postdesk.core.listing import Filter, ListSpec

PAYMENT_STATUSES = ("unpaid", "part_paid", "paid", "overdue", "draft")


def _payment_status(text: str) -> str:
    if text not in PAYMENT_STATUSES:
        raise ValueError(f"must be one of {', '.join(PAYMENT_STATUSES)}")
    return text


RATE_CARDS = ListSpec(search=("name",), sorts={"name": "name", "id": "pk"}, default_sort="name")

QUOTES = ListSpec(
    search=("job__number", "job__client__name"),
    sorts={
        "created": "created_at",
        "job": "job__number",
        "net": "net",
        "status": "status",
        "id": "pk",
    },
    default_sort="-created",
    filters={"job": Filter("job_id", parse=int), "status": Filter("status", parse=Quote.Status)},
)

JOB_SHEETS = ListSpec(
    search=("job__number",),
    sorts={"created": "created_at", "start": "actual_start", "id": "pk"},
    default_sort="-created",
    filters={
        "job": Filter("job_id", parse=int),
        "status": Filter("status", parse=JobSheet.Status),
    },
)

# Invoices come from queries.invoices_with_amounts(), whose paid and credited sums the
# payment status is computed from.
INVOICES = ListSpec(
    search=("number", "client__name"),
    sorts={
        "number": "number",
        "issued": "issue_date",
        "due": "due_date",
        "gross": "gross",
        "created": "created_at",
        "id": "pk",
    },
    default_sort="-created",
    filters={
        "job": Filter("job_id", parse=int),
        "client": Filter("client_id", parse=int),
        "status": Filter("status", parse=Invoice.Status),
        "payment_status": Filter(method=queries.filter_payment_status, parse=_payment_status),
    },
)

CREDIT_NOTES = ListSpec(
    search=("number",),
    sorts={"number": "number", "issued": "issue_date", "id": "pk"},
    default_sort="-number",
    filters={"invoice": Filter("invoice_id", parse=int)},
)

# One rate per pair and day (a unique constraint), so the order is total.
EXCHANGE_RATES = ListSpec(
    sorts={"currency": "currency", "to_currency": "to_currency", "valid_from": "valid_from"},
    default_sort="currency,to_currency,-valid_from",
    filters={"currency": Filter("currency"), "to_currency": Filter("to_currency")},
)
