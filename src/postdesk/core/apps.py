from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "postdesk.core"
    label = "core"
    verbose_name = "Core: users, roles, sites, audit"

    def ready(self):
        # Registers core's menu entries (the facility page) with the shell.
        from postdesk.core import (
            checks,  # noqa: F401  (registers them)
            shell,  # noqa: F401
        )
