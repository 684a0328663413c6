from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "postdesk.productions"
    label = "productions"
    verbose_name = "Clients, productions and jobs"

    def ready(self):
        # Registers the app's menu entries and home cards with the shell.
        from postdesk.productions import shell  # noqa: F401
