"""Billing in the admin is read-only: money changes go through the services (audited, with
the issued-invoice rules); the admin is for looking things up."""

from django.contrib import admin

from postdesk.billing.models import (
    BudgetLine,
    ClientDeal,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    JobSheet,
    Payment,
    Quote,
    RateCard,
    RateEntry,
)
from postdesk.core.service_admin import ReadOnlyAdmin, ReadOnlyInline


class RateEntryInline(ReadOnlyInline):
    model = RateEntry


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ("description", "quantity", "net", "vat_code", "vat", "gross", "nominal_code")


class PaymentInline(ReadOnlyInline):
    model = Payment


class CreditNoteLineInline(ReadOnlyInline):
    model = CreditNoteLine


@admin.register(RateCard)
class RateCardAdmin(ReadOnlyAdmin):
    list_display = ("name", "is_standard", "currency", "valid_from")
    inlines = [RateEntryInline]


@admin.register(ClientDeal)
class ClientDealAdmin(ReadOnlyAdmin):
    list_display = ("client", "card", "discount_percent")


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "net", "currency", "valid_until")
    list_filter = ("status",)
    search_fields = ("job__number",)


@admin.register(JobSheet)
class JobSheetAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "actual_start", "net")
    list_filter = ("status",)


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "client", "status", "issue_date", "gross", "currency")
    list_filter = ("status",)
    search_fields = ("number", "client__name")
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("number", "invoice", "issue_date", "gross")
    inlines = [CreditNoteLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ("production", "category", "amount", "currency")
