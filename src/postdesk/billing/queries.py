"""Reads shared by the pages and the API: payment status, lists, comparisons, exports."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from postdesk.billing.models import CreditNote, Invoice, InvoiceLine, JobSheet, Payment, Quote
from postdesk.core.exports import csv_text
from postdesk.core.roles import role_of, scope_to_client

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum_of(model, field: str):
    return Coalesce(
        Subquery(
            model.objects.filter(invoice=OuterRef("pk"))
            .order_by()
            .values("invoice")
            .annotate(s=Sum(field))
            .values("s")[:1]
        ),
        ZERO,
    )


def hide_drafts_from_clients(user, qs):
    """Quotes and invoices reach a client user only once sent or issued: a draft is the
    facility's work in progress and may still change."""
    if role_of(user) == "client":
        return qs.exclude(status="draft")
    return qs


def invoices_with_amounts(user=None):
    """Invoices with paid and credited sums annotated (two subqueries, no N+1)."""
    qs = Invoice.objects.select_related("job", "client").annotate(
        paid=_sum_of(Payment, "amount"), credited=_sum_of(CreditNote, "gross")
    )
    return scope_to_client(user, qs, "client") if user is not None else qs


def outstanding(gross, paid, credited):
    """What is still owed on an invoice: its gross less payments and credit notes. Works on
    numbers and on query expressions alike, so the list filter and the pages agree."""
    return gross - paid - credited


def filter_payment_status(qs, status: str, today: datetime.date | None = None):
    """Narrow invoices_with_amounts() to one payment status, in the database."""
    from django.db.models import F

    today = today or timezone.localdate()
    if status == "draft":
        return qs.filter(status="draft")
    qs = qs.filter(status="issued").annotate(
        outstanding=outstanding(F("gross"), F("paid"), F("credited"))
    )
    if status == "paid":
        return qs.filter(outstanding__lte=0)
    owing = qs.filter(outstanding__gt=0)
    if status == "overdue":
        return owing.filter(due_date__lt=today)
    current = owing.filter(due_date__gte=today)
    if status == "part_paid":
        return current.filter(Q(paid__gt=0) | Q(credited__gt=0))
    return current.filter(paid=0, credited=0)


def status_from(*, gross, paid, credited, due_date, issued: bool, today) -> tuple[str, Decimal]:
    """(payment status, outstanding). Drafts are not owed yet; overdue beats part paid."""
    owed = outstanding(gross, paid, credited)
    if not issued:
        return "draft", owed
    if owed <= 0:
        return "paid", owed
    if due_date is not None and due_date < today:
        return "overdue", owed
    if paid > 0 or credited > 0:
        return "part_paid", owed
    return "unpaid", owed


def invoice_amounts(invoice: Invoice, *, today: datetime.date | None = None) -> dict:
    """{paid, credited, outstanding, status} of an invoice: the sums annotated by
    invoices_with_amounts() when the invoice came from it, else two aggregates."""
    if hasattr(invoice, "paid"):
        paid, credited = invoice.paid, invoice.credited
    else:
        paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
        credited = invoice.credit_notes.aggregate(s=Sum("gross"))["s"] or Decimal("0.00")
    status, owed = status_from(
        gross=invoice.gross,
        paid=paid,
        credited=credited,
        due_date=invoice.due_date,
        issued=invoice.status == Invoice.Status.ISSUED,
        today=today or timezone.localdate(),
    )
    return {"paid": paid, "credited": credited, "outstanding": owed, "status": status}


def payment_status(invoice: Invoice, *, today: datetime.date | None = None) -> dict:
    return {**invoice_amounts(invoice, today=today), "due_date": invoice.due_date}


def overdue_invoices(user):
    today = timezone.localdate()
    return [
        inv
        for inv in invoices_with_amounts(user).filter(status="issued", due_date__lt=today)
        if outstanding(inv.gross, inv.paid, inv.credited) > 0
    ]


def quote_comparison(sheet) -> dict:
    """What a job sheet charges against what was quoted, per resource (quoted = the job's
    accepted quote, else its latest sent one)."""
    quote = (
        Quote.objects.filter(job_id=sheet.job_id, status="accepted").order_by("-version").first()
        or Quote.objects.filter(job_id=sheet.job_id, status="sent").order_by("-version").first()
    )
    actual: dict[str, Decimal] = {}
    for line in sheet.lines.all():
        key = line.resource.name if line.resource_id else line.description
        actual[key] = actual.get(key, Decimal(0)) + line.net
    quoted: dict[str, Decimal] = {}
    if quote is not None:
        lines = quote.lines.select_related("resource")
        if sheet.booking_id:
            lines = lines.filter(booking_id=sheet.booking_id)
        for line in lines:
            key = line.resource.name if line.resource_id else line.description
            quoted[key] = quoted.get(key, Decimal(0)) + line.net
    rows = [
        {
            "item": key,
            "quoted": quoted.get(key, Decimal("0.00")),
            "actual": actual.get(key, Decimal("0.00")),
            "difference": actual.get(key, Decimal(0)) - quoted.get(key, Decimal(0)),
        }
        for key in dict.fromkeys([*quoted, *actual])
    ]
    return {
        "quote": quote.reference if quote else None,
        "rows": rows,
        "quoted": sum((r["quoted"] for r in rows), Decimal("0.00")),
        "actual": sum((r["actual"] for r in rows), Decimal("0.00")),
    }


EXPORT_HEADER = [
    "invoice_number",
    "issue_date",
    "due_date",
    "customer",
    "customer_vat_number",
    "currency",
    "line",
    "description",
    "nominal_code",
    "vat_code",
    "vat_rate",
    "net",
    "vat",
    "gross",
    "reverse_charge",
]


def invoice_export_rows(invoices):
    """One row per line of each issued invoice, the layout accounting packages import."""
    lines = (
        InvoiceLine.objects.filter(invoice__in=invoices, invoice__status="issued")
        .select_related("invoice")
        .order_by("invoice__number", "position", "pk")
    )
    for i, line in enumerate(lines):
        inv = line.invoice
        yield [
            inv.number,
            inv.issue_date.isoformat(),
            inv.due_date.isoformat(),
            inv.client_name,
            inv.client_vat_number,
            inv.currency,
            line.position + 1 if line.position is not None else i + 1,
            line.description,
            line.nominal_code,
            line.vat_code,
            line.vat_rate,
            line.net,
            line.vat,
            line.gross,
            "yes" if inv.reverse_charge else "no",
        ]


def invoice_export_csv(invoices) -> str:
    return csv_text([EXPORT_HEADER, *invoice_export_rows(invoices)])


def quotes_awaiting_approval():
    """Drafts over the approval threshold that no supervisor has approved yet."""
    from django.conf import settings

    threshold = Decimal(str(settings.POSTDESK["QUOTE_APPROVAL_THRESHOLD"]))
    return (
        Quote.objects.filter(status="draft", approved_at__isnull=True, net__gt=threshold)
        .select_related("job__production")
        .order_by("created_at", "pk")
    )


# --- the money roles' home cards: each a count and a few rows, in fixed queries ------------


def overdue_invoices_qs(user):
    """Issued invoices past their due date with something still owed, oldest due first,
    with `outstanding` annotated: the database does what overdue_invoices() does in Python,
    so a home card counts and lists them in one query each."""
    return filter_payment_status(invoices_with_amounts(user), "overdue").order_by("due_date", "pk")


def invoices_to_issue(user):
    """Draft invoices, oldest first: written, not yet numbered or sent."""
    drafts = invoices_with_amounts(user).filter(status=Invoice.Status.DRAFT)
    return drafts.order_by("created_at", "pk")


def sheets_to_invoice():
    """Job sheets signed off and not yet invoiced, oldest first."""
    return (
        JobSheet.objects.filter(status=JobSheet.Status.SIGNED_OFF)
        .select_related("job__production")
        .order_by("created_at", "pk")
    )


def quotes_awaiting_answer(user):
    """Quotes sent to the client and not yet accepted or declined, the soonest to lapse
    first: the ones to chase."""
    sent = Quote.objects.filter(status=Quote.Status.SENT).select_related("job__production")
    return scope_to_client(user, sent, "job__client").order_by("valid_until", "pk")
