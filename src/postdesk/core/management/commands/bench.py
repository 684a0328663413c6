import importlib
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a benchmark from bench/ (e.g. `postdesk bench scheduling --resources 300`)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="scheduling | board")
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv):
        # Hand everything after the benchmark's name to the benchmark's own parser.
        if len(argv) < 3:
            raise CommandError("usage: postdesk bench NAME [options]")
        self._bench(argv[2], argv[3:])

    def handle(self, *args, name, **options):
        self._bench(name, list(args))

    def _bench(self, name: str, argv: list[str]) -> None:
        project = str(settings.PROJECT_DIR)
        if project not in sys.path:
            sys.path.insert(0, project)
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            raise CommandError(f"No benchmark {name!r} in bench/") from exc
        module.main(argv)
