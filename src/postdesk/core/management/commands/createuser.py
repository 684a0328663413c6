import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from postdesk.core import audit
from postdesk.core.errors import DomainError
from postdesk.core.roles import ROLE_NAMES


class Command(BaseCommand):
    help = "Create a user with a role. The password is asked for, or read from POSTDESK_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLE_NAMES)
        parser.add_argument("--email", default="")
        parser.add_argument("--client", type=int, help="Client id (client role only)")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="API-only user: no password, sign in with tokens",
        )

    def handle(self, *args, username, role, email, client, no_password, **options):
        from postdesk.core.services import create_user
        from postdesk.productions.models import Client

        password = None
        if not no_password:
            password = os.environ.get("POSTDESK_PASSWORD")
            if password is None:
                if not sys.stdin.isatty():
                    raise CommandError("Set POSTDESK_PASSWORD or pass --no-password")
                password = getpass.getpass(f"Password for {username}: ")
        client_obj = None
        if client is not None:
            client_obj = Client.objects.filter(pk=client).first()
            if client_obj is None:
                raise CommandError(f"No client with id {client}")
        try:
            user = create_user(
                username=username,
                role=role,
                password=password,
                email=email,
                client=client_obj,
                actor=audit.CLI,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {user.username} ({role})")
