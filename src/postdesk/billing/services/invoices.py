"""Invoices: a draft from signed-off job sheets, changed while a draft, then issued
(numbered, VAT levied at the tax point, frozen) and paid."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from postdesk.billing import limits, queries, supplier, vat
from postdesk.billing import lines as L
from postdesk.billing.models import (
    Invoice,
    InvoiceLine,
    JobSheet,
    JobSheetLine,
    Payment,
    VatTreatment,
)
from postdesk.billing.pricing import vat_on, vat_rate
from postdesk.billing.services.document_lines import (
    _append_free_line,
    _retotal,
    _save_lines,
    _totals_of,
)
from postdesk.billing.services.records import _insert_entries, _transition, _user
from postdesk.core import audit, events, facility
from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.money import round_money
from postdesk.core.roles import role_of
from postdesk.core.sequences import next_value
from postdesk.core.timeutil import require_date_in_window


class AlreadyIssued(InvalidTransition):
    code = "already_issued"


@transaction.atomic
def create_invoice(*, job, sheets, actor, notes: str = "") -> Invoice:
    """A draft invoice from signed-off job sheets of one job (one, several, or all)."""

    ids = sorted({s.pk for s in sheets})
    if not ids:
        raise InvalidInput.field("job_sheets", "Choose at least one signed-off job sheet")
    limits.require_line_count(len(ids), "job_sheets")
    locked = list(JobSheet.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise InvalidInput.field("job_sheets", "Unknown job sheet")
    for sheet in locked:
        if sheet.job_id != job.pk:
            raise InvalidInput.field("job_sheets", f"Job sheet {sheet.pk} is for another job")
        if sheet.status != JobSheet.Status.SIGNED_OFF:
            raise InvalidTransition(
                f"Job sheet {sheet.pk} is {sheet.get_status_display().lower()}; only signed-off "
                "sheets not yet invoiced can be invoiced",
                code="job_sheet_not_ready",
            )
    client = job.client
    invoice = Invoice.objects.create(
        job=job, client=client, currency=client.currency, notes=notes, created_by=_user(actor)
    )
    copied = [
        L.copy_line(line)
        for line in JobSheetLine.objects.filter(sheet__in=locked).order_by(
            "sheet_id", "position", "pk"
        )
    ]
    for i, line in enumerate(copied):
        line["position"] = i
    _save_lines(InvoiceLine, "invoice", invoice, copied)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.save()
    JobSheet.objects.filter(pk__in=ids).update(status=JobSheet.Status.INVOICED, invoice=invoice)
    audit.record_create(actor, invoice, summary=f"Draft invoice for job {job.number}")
    _record_sheets_moved(actor, locked, JobSheet.Status.INVOICED, invoice.pk, "invoice")
    return invoice


def _record_sheets_moved(actor, sheets, status: str, invoice_id, verb: str) -> None:
    """One transition per job sheet that a bulk update moved on or off an invoice."""
    _insert_entries(
        [
            audit.entry(
                actor,
                sheet,
                AuditEntry.Action.TRANSITION,
                {"status": [sheet.status, status], "invoice_id": [sheet.invoice_id, invoice_id]},
                verb,
            )
            for sheet in sheets
        ]
    )


def _draft_invoice(invoice: Invoice) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.DRAFT:
        raise AlreadyIssued(f"Invoice {invoice.number} is issued and can never be changed")
    return invoice


@transaction.atomic
def update_invoice(invoice: Invoice, *, actor, notes: str) -> Invoice:
    invoice = _draft_invoice(invoice)
    before = audit.snapshot(invoice)
    invoice.notes = notes
    invoice.save()
    audit.record_update(actor, invoice, before)
    return invoice


@transaction.atomic
def add_invoice_line(invoice: Invoice, *, actor, **line) -> InvoiceLine:
    invoice = _draft_invoice(invoice)
    before = _totals_of(invoice)
    obj = _append_free_line(invoice, InvoiceLine, "invoice", client=invoice.client, line=line)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.save()
    audit.record_create(actor, obj, summary=f"Line on draft invoice {invoice.pk}")
    audit.record_update(actor, invoice, before)
    return obj


@transaction.atomic
def delete_invoice(invoice: Invoice, *, actor) -> None:
    """Only a draft can go; its job sheets become invoiceable again."""
    invoice = _draft_invoice(invoice)
    before = audit.snapshot(invoice)
    sheets = list(invoice.job_sheets.select_for_update().order_by("pk"))
    invoice.job_sheets.update(status=JobSheet.Status.SIGNED_OFF, invoice=None)
    _record_sheets_moved(actor, sheets, JobSheet.Status.SIGNED_OFF, None, "release from invoice")
    invoice.lines.all().delete()
    invoice.delete()
    audit.record_delete(actor, invoice, before)


def format_number(fmt: str, *, year: int, number: int) -> str:
    # Numbers read INV-YYYY-NNNNNN: the date window keeps years at four digits, and a year
    # outside them would make numbers that sort and parse wrongly (INV-1-000001).
    if not 1000 <= year <= 9999:
        raise InvalidInput.field("issue_date", f"Year {year} cannot number a document")
    return fmt.format(year=year, number=number)


def require_issue_date(issue_date: datetime.date, *, actor, reason: str) -> None:
    """An issue date in the window, not far ahead, and far back only with an
    administrator's say-so and a reason (which the audit keeps)."""
    require_date_in_window(issue_date, "issue_date")
    today = timezone.localdate()
    ahead = settings.POSTDESK["INVOICE_FUTURE_DAYS"]
    if issue_date > today + datetime.timedelta(days=ahead):
        raise InvalidInput.field(
            "issue_date", f"An invoice may be dated at most {ahead} days ahead"
        )
    back = settings.POSTDESK["INVOICE_BACKDATE_DAYS"]
    if issue_date >= today - datetime.timedelta(days=back):
        return
    if _user(actor) is None:
        # System actors (the demo loader, management commands) are the operator's own code,
        # not a person at a screen; the audit still records the date and any reason.
        return
    if role_of(actor) != "admin":
        raise Forbidden(
            f"Dating an invoice more than {back} days back needs an administrator",
            details={"needs": "admin"},
        )
    if not reason.strip():
        raise InvalidInput.field(
            "reason", f"Say why the invoice is dated more than {back} days back"
        )


def _levy_vat_at_tax_point(invoice: Invoice, treatment: str, actor) -> None:
    """Apply to each line the VAT that the treatment decided at the tax point gives its own
    code (billing/vat.py). A draft priced when the client belonged elsewhere, or at another
    rate, is corrected here; each corrected line is saved and audited."""
    changed, entries = [], []
    for line in invoice.lines.all():
        code = vat.line_code(treatment, vat.supply_code_of(line))
        rate = vat_rate(code)
        amount = vat_on(line.net, code, invoice.currency)
        if (line.vat_code, line.vat_rate, line.vat) == (code, rate, amount):
            continue
        before = audit.snapshot(line, ["vat_code", "vat_rate", "vat", "gross"])
        line.vat_code, line.vat_rate, line.vat = code, rate, amount
        line.gross = line.net + amount
        changed.append(line)
        entries.append(
            audit.entry(
                actor,
                line,
                AuditEntry.Action.UPDATE,
                audit.diff(before, audit.snapshot(line, before.keys())),
                f"VAT at the tax point: {VatTreatment(treatment).label}",
            )
        )
    if changed:
        InvoiceLine.objects.bulk_update(changed, ["vat_code", "vat_rate", "vat", "gross"])
    _insert_entries(entries)


@transaction.atomic
def issue_invoice(
    invoice: Invoice, *, actor, issue_date: datetime.date | None = None, reason: str = ""
) -> Invoice:
    """Number and freeze a draft: the next number of the year's series, in this transaction."""
    issue_date = issue_date or timezone.localdate()
    require_issue_date(issue_date, actor=actor, reason=reason)
    invoice = _draft_invoice(invoice)
    if not invoice.lines.exists():
        raise InvalidInput("An invoice with no lines cannot be issued")
    before = audit.snapshot(invoice)
    client = invoice.client
    home = facility.current()
    treatment = vat.treatment_of_client(client, home=home.country)
    _levy_vat_at_tax_point(invoice, treatment, actor)
    _retotal(invoice, InvoiceLine, "invoice")
    invoice.client_name = client.name
    invoice.client_address = client.billing_address
    invoice.client_country = client.country
    invoice.client_vat_number = client.vat_number
    invoice.vat_treatment = treatment
    invoice.reverse_charge = treatment == VatTreatment.REVERSE_CHARGE
    invoice.supplier = supplier.snapshot(home)
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + datetime.timedelta(days=client.payment_terms_days)
    invoice.issued_at = timezone.now()
    year = issue_date.year
    invoice.number = format_number(
        settings.POSTDESK["INVOICE_NUMBER_FORMAT"], year=year, number=next_value(f"invoice-{year}")
    )
    invoice.status = Invoice.Status.ISSUED
    invoice.save()
    _transition(
        actor,
        invoice,
        f"issue {invoice.number}",
        {"reason": reason.strip()} if reason.strip() else None,
        before=before,
    )
    events.publish(events.INVOICE_ISSUED, subject=invoice, actor=actor)
    return invoice


@transaction.atomic
def announce_overdue_invoices(*, actor=audit.WORKER, today: datetime.date | None = None) -> int:
    """Say of each issued invoice past its due date with money still owed that it is
    overdue; returns how many. Run daily by the worker (billing.tasks): the invoice itself
    does not change, and the notifications app tells each person of an invoice once."""
    from postdesk.billing.queries import filter_payment_status, invoices_with_amounts

    today = today or timezone.localdate()
    overdue = filter_payment_status(invoices_with_amounts(), "overdue", today=today)
    count = 0
    for invoice in overdue.order_by("pk"):
        events.publish(events.INVOICE_OVERDUE, subject=invoice, actor=actor)
        count += 1
    return count


@transaction.atomic
def record_payment(
    invoice: Invoice, *, actor, amount: Decimal, received_on: datetime.date, reference: str = ""
) -> Payment:
    require_date_in_window(received_on, "received_on")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.ISSUED:
        raise InvalidTransition("Payments are recorded against issued invoices only")
    if received_on < invoice.issue_date:
        raise InvalidInput.field(
            "received_on",
            f"{invoice.number} was issued on {invoice.issue_date}; a payment cannot be "
            "received before that",
        )
    amount = Decimal(amount)
    if amount <= 0 or amount != round_money(amount, invoice.currency):
        raise InvalidInput.field("amount", "Amount must be positive, in whole minor units")
    outstanding = queries.invoice_amounts(invoice)["outstanding"]
    if amount > outstanding:
        raise InvalidInput.field(
            "amount", f"Only {outstanding} {invoice.currency} is outstanding on {invoice.number}"
        )
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        reference=reference,
        created_by=_user(actor),
    )
    audit.record_create(actor, payment, summary=f"Payment on {invoice.number}")
    return payment
