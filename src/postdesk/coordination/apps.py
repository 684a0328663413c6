from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "postdesk.coordination"
    label = "coordination"
    verbose_name = "Post coordination: deliverables, milestones, crew"

    def ready(self):
        # Registers the app's menu entries, home cards and the coordinator's home page,
        # and the crew rates billing's cost report asks for (billing cannot import us).
        from postdesk.coordination import crew, shell  # noqa: F401

        crew.register_with_billing()
