from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "postdesk.billing"
    label = "billing"
    verbose_name = "Billing: rates, quotes, job sheets, invoices"

    def ready(self):
        # Registers the app's menu entries and home cards with the shell.
        from postdesk.billing import shell  # noqa: F401
