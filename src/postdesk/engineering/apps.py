from django.apps import AppConfig


class EngineeringConfig(AppConfig):
    name = "postdesk.engineering"
    label = "engineering"
    verbose_name = "Engineering: equipment, faults, maintenance, PAT, timecode"

    def ready(self):
        # Registers the app's menu entries and home cards with the shell, and its
        # "room down" banners with the board.
        from postdesk.engineering import board, shell  # noqa: F401
