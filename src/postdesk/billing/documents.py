"""PDFs of quotes, job sheets, invoices and credit notes (WeasyPrint: HTML and CSS to PDF).

Every document has the same letterhead (the supplier: the facility, or for an issued invoice
or credit note the details it was issued with) and the same line and total layout.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.billing import presentation, supplier, vat
from postdesk.billing.models import VatTreatment
from postdesk.core import facility
from postdesk.core.money_display import locale_scope

# The last lines printed in one block with the totals, so the totals never stand alone.
LINES_KEPT_WITH_TOTALS = 3


def _render(template: str, doc, build) -> bytes:
    """Render `template` for `doc` with the letterhead and what `build(settings)` adds
    (its "rows" are split into those that may break across pages and the last few)."""
    from weasyprint import HTML

    settings = facility.current()
    details = supplier.of(doc)
    with locale_scope(settings.locale):
        context = build(settings)
        rows = context.pop("rows")
        split = max(len(rows) - LINES_KEPT_WITH_TOTALS, 0)
        context.update(
            {
                "doc": doc,
                "supplier": details,
                "supplier_address": presentation.address_block(
                    details["name"], details["address"], details["country"], with_name=False
                ),
                "logo": facility.logo_data_uri(settings),
                "head_rows": rows[:split],
                "tail_rows": rows[split:],
            }
        )
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def _customer(name: str, address: str, country: str, vat_number: str = "") -> dict:
    return {"lines": presentation.address_block(name, address, country), "vat_number": vat_number}


def quote_pdf(quote) -> bytes:
    client = quote.job.client
    lines = list(quote.lines.select_related("booking"))

    def build(settings):
        treatment = vat.treatment_of_client(client, home=settings.country)
        shown_vat = client.vat_number if treatment == VatTreatment.REVERSE_CHARGE else ""
        return {
            "title": f"Quote {quote.reference}",
            "total_label": "Total quoted",
            "job": quote.job,
            "customer": _customer(client.name, client.billing_address, client.country, shown_vat),
            "treatment": VatTreatment(treatment),
            "vat_note": vat.note(treatment),
            "rows": presentation.rows(lines, quote.currency, mark_pencils=True),
            "vat_totals": presentation.vat_totals(lines),
        }

    return _render("billing/pdf/quote.html", quote, build)


def invoice_pdf(invoice) -> bytes:
    issued = invoice.status == invoice.Status.ISSUED
    client = invoice.client
    lines = list(invoice.lines.all())

    def build(settings):
        if issued:
            treatment = invoice.vat_treatment
            customer = _customer(
                invoice.client_name,
                invoice.client_address,
                invoice.client_country,
                invoice.client_vat_number,
            )
        else:
            treatment = vat.treatment_of_client(client, home=settings.country)
            customer = _customer(
                client.name, client.billing_address, client.country, client.vat_number
            )
        return {
            "title": f"Invoice {invoice.number}" if issued else "Draft invoice",
            "total_label": "Total due",
            "job": invoice.job,
            "issued": issued,
            "customer": customer,
            "tax_point": tax_point(invoice),
            "terms_days": (invoice.due_date - invoice.issue_date).days if issued else None,
            "treatment": VatTreatment(treatment),
            "vat_note": vat.note(treatment),
            "rows": presentation.rows(lines, invoice.currency),
            "vat_totals": presentation.vat_totals(lines),
        }

    return _render("billing/pdf/invoice.html", invoice, build)


def tax_point(invoice):
    """The tax point, when it is not the invoice's date: postdesk's tax point is the day
    the invoice was issued (DOMAIN rule 10), and an invoice may be dated otherwise."""
    if invoice.issued_at is None or invoice.issue_date is None:
        return None
    issued_on = timezone.localdate(invoice.issued_at)
    return issued_on if issued_on != invoice.issue_date else None


def credit_note_pdf(note) -> bytes:
    invoice = note.invoice
    lines = list(note.lines.all())

    def build(settings):
        return {
            "title": f"Credit note {note.number}",
            "total_label": "Total credited",
            "invoice": invoice,
            "customer": _customer(
                invoice.client_name,
                invoice.client_address,
                invoice.client_country,
                invoice.client_vat_number,
            ),
            "vat_note": vat.note(invoice.vat_treatment),
            "rows": [
                {"line": x, "vat_rate": presentation.vat_rate_label(x.vat_code, x.vat_rate)}
                for x in lines
            ],
            "table_class": "credit",
            "head_template": "billing/pdf/_credit_head.html",
            "row_template": "billing/pdf/_credit_row.html",
            "vat_totals": presentation.vat_totals(lines),
        }

    return _render("billing/pdf/credit_note.html", note, build)


def job_sheet_pdf(sheet) -> bytes:
    client = sheet.job.client
    lines = list(sheet.lines.all())

    def build(settings):
        return {
            "title": f"Job sheet {sheet.pk}",
            "job": sheet.job,
            "customer": _customer(client.name, client.billing_address, client.country),
            "rows": presentation.rows(lines, sheet.currency),
            "vat_totals": presentation.vat_totals(lines),
        }

    return _render("billing/pdf/job_sheet.html", sheet, build)
