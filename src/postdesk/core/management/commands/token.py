from django.core.management.base import BaseCommand, CommandError

from postdesk.core import audit
from postdesk.core.models import User


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API token (cli)")

    def handle(self, *args, username, name, **options):
        from postdesk.core.services import issue_token

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        _, token = issue_token(user=user, name=name, actor=audit.CLI)
        self.stdout.write(token)
