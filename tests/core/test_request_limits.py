"""No request may hold the server (issue 10): web connections to PostgreSQL run with a
statement timeout, a cancelled statement answers 503 rather than 500, and `postdesk
serve` bounds each request's time even with threaded workers."""

import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client as HttpClient
from psycopg import errors as pg_errors

from postdesk.productions.models import Job

PROJECT = Path(__file__).resolve().parents[2]
on_postgres = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="statement_timeout is PostgreSQL's",
)


def cancelled_by_the_server(*args, **kwargs):
    """What Django raises when PostgreSQL cancels a statement at statement_timeout."""
    message = "canceling statement due to statement timeout"
    try:
        raise pg_errors.QueryCanceled(message)
    except pg_errors.QueryCanceled as exc:
        raise OperationalError(message) from exc


@pytest.mark.django_db
def test_a_cancelled_statement_answers_503_in_the_api_error_format(api_as, monkeypatch):
    monkeypatch.setattr("postdesk.productions.api.scope_to_client", cancelled_by_the_server)

    response = api_as("bookings").get("jobs")

    assert response.status_code == 503
    assert response.json() == {
        "code": "timeout",
        "message": "The database took too long to answer; please try again in a moment",
        "details": {},
    }
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_a_cancelled_statement_answers_503_on_a_page(page_as, monkeypatch):
    monkeypatch.setattr("postdesk.productions.queries.jobs_for", cancelled_by_the_server)

    response = page_as("bookings").get("/jobs/")

    assert response.status_code == 503
    assert response.content.decode().startswith("The database took too long")


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(users, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("postdesk.productions.queries.jobs_for", broken)
    http = HttpClient(raise_request_exception=False)
    http.force_login(users["bookings"], backend="django.contrib.auth.backends.ModelBackend")

    assert http.get("/jobs/").status_code == 500


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_waiting_past_the_statement_timeout_answers_503(api_as, job):
    """A lock held elsewhere makes the request wait; the timeout ends the wait."""
    locked, release = threading.Event(), threading.Event()

    def hold_the_job():
        try:
            with transaction.atomic():
                Job.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_job)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 200")
        response = api_as("bookings").patch(f"jobs/{job.pk}", {"description": "Conform"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        release.set()
        holder.join(30)

    assert response.status_code == 503
    assert response.json()["code"] == "timeout"
    job.refresh_from_db()
    assert job.description == "Offline edit"


SHOW_TIMEOUT = (
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    c.execute('SHOW statement_timeout')\n"
    "    print(c.fetchone()[0])\n"
)


def show_timeout(preamble: str, **env) -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", preamble + SHOW_TIMEOUT],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "postdesk.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@on_postgres
@pytest.mark.django_db
def test_web_connections_have_a_statement_timeout_and_commands_do_not():
    web = "import postdesk.wsgi\n"
    command = "import django; django.setup()\n"

    assert show_timeout(web) == "30s"
    assert show_timeout(web, POSTDESK_STATEMENT_TIMEOUT_MS="1500") == "1500ms"
    assert show_timeout(web, POSTDESK_STATEMENT_TIMEOUT_MS="0") == "0"
    assert show_timeout(command) == "0"


# --- the request time limit of `postdesk serve` ------------------------------------------


def test_serve_runs_gunicorn_with_the_request_time_limit(monkeypatch):
    from django.core.management import call_command

    started = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(argv))

    call_command("serve", "--timeout", "45", "--threads", "2", "--workers", "1")

    argv = started[0]
    assert argv[argv.index("--config") + 1] == "python:postdesk.gunicorn_conf"
    assert argv[argv.index("--timeout") + 1] == "45"
    assert argv[argv.index("--threads") + 1] == "2"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """The body, or the name of what went wrong (URLError, RemoteDisconnected...)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode()
    except Exception as exc:
        return type(exc).__name__


def test_a_request_past_the_timeout_restarts_its_threaded_worker(tmp_path):
    """A thread cannot be stopped, so the worker holding a request past --timeout is
    replaced, as a silent sync worker would be; the server goes on answering."""
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.core.slow_wsgi:application",
            "--config",
            "python:postdesk.gunicorn_conf",
            "--workers",
            "1",
            "--threads",
            "2",
            "--timeout",
            "2",
            "--graceful-timeout",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",  # another gunicorn may hold $HOME/.gunicorn/gunicorn.ctl
        ],
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "src"), str(PROJECT)])},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        first = "URLError"
        for _ in range(100):
            first = fetch(f"http://127.0.0.1:{port}/fast")
            if first == "fast":
                break
            threading.Event().wait(0.2)
        slow = fetch(f"http://127.0.0.1:{port}/slow")
        after = fetch(f"http://127.0.0.1:{port}/fast")
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    output = log.read()

    assert first == "fast", output
    assert slow == "RemoteDisconnected", output
    assert after == "fast", output
    assert "GET /slow has run for" in output
    assert "past the 2 s timeout: restarting worker" in output
    assert output.count("Booting worker") == 2
