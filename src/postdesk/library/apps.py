from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "postdesk.library"
    label = "library"
    verbose_name = "Media library"
