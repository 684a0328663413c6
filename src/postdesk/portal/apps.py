from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "postdesk.portal"
    label = "portal"
    verbose_name = "Client portal and calendar feeds"

    def ready(self):
        # Registers the portal's menu entries and the client's home page.
        from postdesk.portal import shell  # noqa: F401
