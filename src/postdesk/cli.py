"""The `postdesk` console command: every manage.py command, plus serve/demo/worker/token/bench.

The extra verbs are ordinary Django management commands in postdesk.core.management, so
`postdesk help` lists them beside migrate, createsuperuser and the rest. After `make run`
it takes the demo's settings from `var/postdesk.env` for what the environment does not
set (postdesk.envfile), so the README's commands work in a fresh shell.
"""

import os
import sys

from postdesk import envfile


def main() -> None:
    envfile.load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
