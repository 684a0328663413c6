from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.billing.views import (
    cost_reports,
    credit_notes,
    invoices,
    job_sheets,
    jobs,
    quotes,
    rate_cards,
    reference,
)

app_name = "billing"

# One view per button, each at its own URL: the paths are those of the former
# `<pk>/<action>/` dispatchers, so bookmarks and forms posted from open pages still work.
urlpatterns = [
    path("quotes/", quotes.quote_list, name="quotes"),
    path("quotes/new/", quotes.quote_new, name="quote_new"),
    path("quotes/<id:pk>/", quotes.quote_detail, name="quote"),
    path("quotes/<id:pk>/pdf/", quotes.quote_pdf, name="quote_pdf"),
    path("quotes/<id:pk>/approve/", quotes.quote_approve, name="quote_approve"),
    path("quotes/<id:pk>/send/", quotes.quote_send, name="quote_send"),
    path("quotes/<id:pk>/accept/", quotes.quote_accept, name="quote_accept"),
    path("quotes/<id:pk>/decline/", quotes.quote_decline, name="quote_decline"),
    path("quotes/<id:pk>/add-line/", quotes.quote_add_line, name="quote_add_line"),
    path("job-sheets/", job_sheets.sheet_list, name="sheets"),
    path("job-sheets/new/", job_sheets.sheet_new, name="sheet_new"),
    path("job-sheets/<id:pk>/", job_sheets.sheet_detail, name="sheet"),
    path("job-sheets/<id:pk>/pdf/", job_sheets.sheet_pdf, name="sheet_pdf"),
    path("job-sheets/<id:pk>/times/", job_sheets.sheet_times, name="sheet_times"),
    path("job-sheets/<id:pk>/add-line/", job_sheets.sheet_add_line, name="sheet_add_line"),
    path("job-sheets/<id:pk>/sign/", job_sheets.sheet_sign, name="sheet_sign"),
    path("invoices/", invoices.invoice_list, name="invoices"),
    path("invoices/new/", invoices.invoice_new, name="invoice_new"),
    path("invoices/export.csv", invoices.invoice_export, name="invoice_export"),
    path("invoices/<id:pk>/", invoices.invoice_detail, name="invoice"),
    path("invoices/<id:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<id:pk>/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/<id:pk>/delete/", invoices.invoice_delete, name="invoice_delete"),
    path("invoices/<id:pk>/add-line/", invoices.invoice_add_line, name="invoice_add_line"),
    path("invoices/<id:pk>/payment/", invoices.invoice_payment, name="invoice_payment"),
    path("invoices/<id:pk>/credit/", invoices.invoice_credit, name="invoice_credit"),
    path("credit-notes/", credit_notes.credit_note_list, name="credit_notes"),
    path("credit-notes/<id:pk>/", credit_notes.credit_note_detail, name="credit_note"),
    path("credit-notes/<id:pk>/pdf/", credit_notes.credit_note_pdf, name="credit_note_pdf"),
    path("rate-cards/", rate_cards.rate_card_list, name="rate_cards"),
    path("rate-cards/new/", rate_cards.rate_card_new, name="rate_card_new"),
    path("rate-cards/<id:pk>/", rate_cards.rate_card_detail, name="rate_card"),
    path("rate-cards/<id:pk>/archive/", rate_cards.rate_card_archive, name="rate_card_archive"),
    path("jobs/<id:pk>/invoice/", jobs.job_invoice, name="job_invoice"),
    path("exchange-rates/", reference.exchange_rate_list, name="exchange_rates"),
    path("exchange-rates/new/", reference.exchange_rate_new, name="exchange_rate_new"),
    path(
        "exchange-rates/<id:pk>/delete/",
        reference.exchange_rate_delete,
        name="exchange_rate_delete",
    ),
    path("categories/", reference.category_rule_list, name="category_rules"),
    path("categories/new/", reference.category_rule_new, name="category_rule_new"),
    path(
        "categories/<id:pk>/change/",
        reference.category_rule_change,
        name="category_rule_change",
    ),
    path(
        "categories/<id:pk>/delete/",
        reference.category_rule_delete,
        name="category_rule_delete",
    ),
    path("cost-reports/", cost_reports.cost_report_list, name="cost_reports"),
    path("cost-reports/<id:pk>/", cost_reports.cost_report_page, name="cost_report"),
]
