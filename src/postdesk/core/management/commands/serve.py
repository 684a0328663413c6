import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve postdesk with gunicorn (a production server with several worker processes)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument(
            "--bind",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="HOST:PORT to listen on (default 127.0.0.1:$PORT or 8000)",
        )
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, workers, bind, threads, timeout, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "postdesk.wsgi:application",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            bind,
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "10",
            # Request lines come from postdesk's own middleware (status and duration).
            "--error-logfile",
            "-",
        ]
        self.stdout.write(f"postdesk serving on http://{bind} with {workers} workers")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
