from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "postdesk.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling: resources and bookings"

    def ready(self):
        # Registers the app's menu entries and home cards with the shell.
        from postdesk.scheduling import shell  # noqa: F401
