"""The `postdesk` console command: every manage.py command, plus serve/demo/worker/token/bench.

The extra verbs are ordinary Django management commands in postdesk.core.management, so
`postdesk help` lists them beside migrate, createsuperuser and the rest.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
