from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "postdesk.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Hears the events the domain services publish (core/events.py), and registers
        # the menu entry and the header's unread count with the shell.
        from postdesk.core import events
        from postdesk.notifications import services, shell  # noqa: F401

        events.subscribe(services.notify)
