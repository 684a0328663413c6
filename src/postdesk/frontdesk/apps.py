from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "postdesk.frontdesk"
    label = "frontdesk"
    verbose_name = "Front desk: the runner board"

    def ready(self):
        # Registers the app's menu entries, home cards and the runner's home page.
        from postdesk.frontdesk import shell  # noqa: F401
