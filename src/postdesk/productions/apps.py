from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "postdesk.productions"
    label = "productions"
    verbose_name = "Clients, productions and jobs"
