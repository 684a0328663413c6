from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "postdesk.core"
    label = "core"
    verbose_name = "Core: users, roles, sites, audit"
