from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "postdesk.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling: resources and bookings"
