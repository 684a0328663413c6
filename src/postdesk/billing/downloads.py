"""The files billing hands out, built one way for the pages and the API alike, so a PDF or
a cost report downloads under the same name and type wherever it is asked for."""

from django.http import HttpResponse

from postdesk.billing import documents, queries, reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes | str, *, content_type: str, name: str, inline: bool = False):
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _pdf(data: bytes, name: str) -> HttpResponse:
    # Inline: browsers show the PDF and still offer to save it under this name.
    return _file(data, content_type="application/pdf", name=name, inline=True)


def quote_pdf(quote) -> HttpResponse:
    return _pdf(documents.quote_pdf(quote), f"quote-{quote.job.number}-v{quote.version}.pdf")


def job_sheet_pdf(sheet) -> HttpResponse:
    return _pdf(documents.job_sheet_pdf(sheet), f"job-sheet-{sheet.pk}.pdf")


def invoice_pdf(invoice) -> HttpResponse:
    return _pdf(documents.invoice_pdf(invoice), f"{invoice.number or f'draft-{invoice.pk}'}.pdf")


def credit_note_pdf(note) -> HttpResponse:
    return _pdf(documents.credit_note_pdf(note), f"{note.number}.pdf")


def invoice_export_csv(invoices) -> HttpResponse:
    return _file(queries.invoice_export_csv(invoices), content_type="text/csv", name="invoices.csv")


def cost_report_file(report: dict, production_pk: int, fmt: str) -> HttpResponse | None:
    """The report as a CSV or XLSX download; None for any other format (the caller shows it)."""
    name = f"cost-report-{production_pk}"
    if fmt == "csv":
        return _file(reports.cost_report_csv(report), content_type="text/csv", name=f"{name}.csv")
    if fmt == "xlsx":
        return _file(reports.cost_report_xlsx(report), content_type=XLSX, name=f"{name}.xlsx")
    return None
