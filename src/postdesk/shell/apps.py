from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "postdesk.shell"
    label = "shell"
    verbose_name = "Shell: menu, home page, sign-in"

    def ready(self):
        from postdesk.shell import menu  # noqa: F401  (registers the home page's entry)
