from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "postdesk.coordination"
    label = "coordination"
    verbose_name = "Post coordination: deliverables, milestones, crew"

    def ready(self):
        # Registers the app's menu entries, home cards and the coordinator's home page,
        # the crew rates billing's cost report asks for, the screenings' NDAs the front
        # desk enforces at sign-in and the milestones drawn on the board (none of them can
        # import us).
        from postdesk.coordination import board, crew, screening_ndas, shell  # noqa: F401

        crew.register_with_billing()
        screening_ndas.register_with_frontdesk()
        board.register_with_scheduling()
