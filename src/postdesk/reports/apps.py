from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "postdesk.reports"
    label = "reports"
    verbose_name = "Reports with charts"

    def ready(self):
        # Registers the reports' menu entry.
        from postdesk.reports import shell  # noqa: F401
