import os
import sys

from django.core.management.base import BaseCommand

# gthread workers keep HTTP connections alive (sync workers close them after each
# response): an API client or a polling board then skips a TCP handshake per request,
# about 1 ms of a booking create measured on this machine (bench/RESULTS.md).
DEFAULT_THREADS = 2


class Command(BaseCommand):
    help = "Serve postdesk with gunicorn (a production server with several worker processes)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument(
            "--bind",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="HOST:PORT to listen on (default 127.0.0.1:$PORT or 8000)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", DEFAULT_THREADS)),
            help=f"threads per worker (default {DEFAULT_THREADS}); above 1 gunicorn runs "
            "gthread workers, which keep client connections alive between requests",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=60,
            help="seconds a request may take before its worker is restarted (default 60; "
            "see postdesk/gunicorn_conf.py)",
        )

    def handle(self, *args, workers, bind, threads, timeout, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "postdesk.wsgi:application",
            # Hooks that make --timeout bound each request, which gthread workers do not.
            "--config",
            "python:postdesk.gunicorn_conf",
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
            # gunicorn 27 opens a control socket at one path per user ($HOME/.gunicorn), so a
            # second server on the host (a bench, the fuzz run, a second site) would take it
            # over; postdesk does not use it.
            "--no-control-socket",
            # Request lines come from postdesk's own middleware (status and duration).
            "--error-logfile",
            "-",
        ]
        self.stdout.write(f"postdesk serving on http://{bind} with {workers} workers")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
