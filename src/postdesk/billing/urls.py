from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.billing import job_views, reference_views, views

app_name = "billing"

urlpatterns = [
    path("quotes/", views.quote_list, name="quotes"),
    path("quotes/new/", views.quote_new, name="quote_new"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote"),
    path("quotes/<int:pk>/pdf/", views.quote_pdf, name="quote_pdf"),
    path("quotes/<int:pk>/<slug:action>/", views.quote_action, name="quote_action"),
    path("job-sheets/", views.sheet_list, name="sheets"),
    path("job-sheets/new/", views.sheet_new, name="sheet_new"),
    path("job-sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("job-sheets/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("job-sheets/<int:pk>/<slug:action>/", views.sheet_action, name="sheet_action"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/new/", views.invoice_new, name="invoice_new"),
    path("invoices/export.csv", views.invoice_export, name="invoice_export"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/<slug:action>/", views.invoice_action, name="invoice_action"),
    path("credit-notes/", views.credit_note_list, name="credit_notes"),
    path("credit-notes/<int:pk>/", views.credit_note_detail, name="credit_note"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("rate-cards/", views.rate_card_list, name="rate_cards"),
    path("rate-cards/new/", views.rate_card_new, name="rate_card_new"),
    path("rate-cards/<int:pk>/", views.rate_card_detail, name="rate_card"),
    path("rate-cards/<int:pk>/<slug:action>/", views.rate_card_action, name="rate_card_action"),
    path("jobs/<id:pk>/invoice/", job_views.job_invoice, name="job_invoice"),
    path("exchange-rates/", reference_views.exchange_rate_list, name="exchange_rates"),
    path("exchange-rates/new/", reference_views.exchange_rate_new, name="exchange_rate_new"),
    path(
        "exchange-rates/<id:pk>/delete/",
        reference_views.exchange_rate_delete,
        name="exchange_rate_delete",
    ),
    path("categories/", reference_views.category_rule_list, name="category_rules"),
    path("categories/new/", reference_views.category_rule_new, name="category_rule_new"),
    path(
        "categories/<id:pk>/<slug:action>/",
        reference_views.category_rule_action,
        name="category_rule_action",
    ),
    path("cost-reports/", views.cost_report_list, name="cost_reports"),
    path("cost-reports/<int:pk>/", views.cost_report_page, name="cost_report"),
]
