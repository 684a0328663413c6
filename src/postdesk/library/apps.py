from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "postdesk.library"
    label = "library"
    verbose_name = "Media library"

    def ready(self):
        # Registers the app's menu entries and home cards with the shell.
        from postdesk.library import shell  # noqa: F401
