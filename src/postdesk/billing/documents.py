"""PDFs of quotes, job sheets, invoices and credit notes (WeasyPrint: HTML and CSS to PDF)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        template, {**context, "facility_name": settings.POSTDESK["FACILITY_NAME"]}
    )
    return HTML(string=html).write_pdf()


def quote_pdf(quote) -> bytes:
    return render_pdf(
        "billing/pdf/quote.html",
        {
            "doc": quote,
            "title": f"Quote {quote.reference}",
            "job": quote.job,
            "client": quote.job.client,
            "lines": list(quote.lines.select_related("resource")),
        },
    )


def invoice_pdf(invoice) -> bytes:
    return render_pdf(
        "billing/pdf/invoice.html",
        {
            "doc": invoice,
            "title": f"Invoice {invoice.number}" if invoice.number else "Draft invoice",
            "job": invoice.job,
            "lines": list(invoice.lines.all()),
        },
    )


def credit_note_pdf(note) -> bytes:
    return render_pdf(
        "billing/pdf/credit_note.html",
        {
            "doc": note,
            "title": f"Credit note {note.number}",
            "invoice": note.invoice,
            "lines": list(note.lines.all()),
        },
    )


def job_sheet_pdf(sheet) -> bytes:
    return render_pdf(
        "billing/pdf/job_sheet.html",
        {
            "doc": sheet,
            "title": f"Job sheet {sheet.pk}",
            "job": sheet.job,
            "lines": list(sheet.lines.all()),
        },
    )
