from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "postdesk.billing"
    label = "billing"
    verbose_name = "Billing: rates, quotes, job sheets, invoices"
