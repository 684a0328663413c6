"""The postdesk command, the demo facility, health checks, request logs and settings."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from postdesk.core.audit import SYSTEM
from postdesk.core.models import User
from postdesk.core.roles import ROLE_NAMES, role_of

POSTDESK = str(Path(sys.executable).with_name("postdesk"))


# --- createuser -----------------------------------------------------------------------


@pytest.mark.django_db
def test_createuser_with_a_role(monkeypatch):
    monkeypatch.setenv("POSTDESK_PASSWORD", "a-long-password")
    out = StringIO()

    call_command("createuser", "rita", role="reception", stdout=out)

    user = User.objects.get(username="rita")
    assert role_of(user) == "reception"
    assert user.check_password("a-long-password")
    assert user.client is None
    assert out.getvalue().strip() == "Created rita (reception)"


@pytest.mark.django_db
def test_createuser_client_role_belongs_to_a_company(client_company):
    call_command(
        "createuser",
        "hannah",
        role="client",
        client=client_company.pk,
        no_password=True,
        stdout=StringIO(),
    )

    user = User.objects.get(username="hannah")
    assert (role_of(user), user.client) == ("client", client_company)
    assert not user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"role": "client"}, "A client user must belong to a client company"),
        ({"role": "client", "client": 99999}, "No client with id 99999"),
        ({"role": "runner", "client": "{client}"}, "Only client users belong to a client"),
    ],
)
def test_createuser_refuses_bad_company_links(args, message, client_company):
    if args.get("client") == "{client}":
        args = {**args, "client": client_company.pk}

    with pytest.raises(CommandError, match=message):
        call_command("createuser", "x", no_password=True, stdout=StringIO(), **args)

    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_createuser_refuses_a_duplicate(users):
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createuser", "RUNNER-user", role="runner", no_password=True, stdout=StringIO()
        )


def test_createuser_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice: 'producer'"):
        call_command("createuser", "x", role="producer", no_password=True)


# --- demo -----------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


@pytest.mark.django_db
def test_demo_is_idempotent():
    call_command("demo", stdout=StringIO())
    after_first = row_counts()

    out = StringIO()
    call_command("demo", stdout=out)

    assert row_counts() == after_first
    assert "already loaded" in out.getvalue()


@pytest.mark.django_db
def test_demo_has_one_user_per_role_with_password_demo(settings):
    call_command("demo", stdout=StringIO())

    for role in ROLE_NAMES:
        user = User.objects.get(username=role)
        assert role_of(user) == role
        assert user.check_password("demo")
    assert User.objects.get(username="client").client.name == "Northlight Pictures"


@pytest.mark.django_db
def test_demo_bookings_user_lists_demo_jobs_through_the_api(client):
    from postdesk.core.services import issue_token

    call_command("demo", stdout=StringIO())
    _, token = issue_token(user=User.objects.get(username="bookings"), actor=SYSTEM)

    response = client.get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["count"] >= 20


# --- request log ----------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.mark.django_db
def test_one_log_line_per_request_with_status_and_duration(client):
    handler = Collect()
    logger = logging.getLogger("postdesk.request")
    logger.addHandler(handler)
    try:
        client.get("/healthz")
        client.get("/api/v1/me")
    finally:
        logger.removeHandler(handler)

    assert len(handler.lines) == 2
    method, path, status, duration, who = handler.lines[0].split(" ")
    assert (method, path, status, who) == ("GET", "/healthz", "200", "user=-")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0
    assert handler.lines[1].split(" ")[2] == "401"


def test_logs_go_to_stdout(settings):
    assert settings.LOGGING["handlers"]["stdout"]["stream"] == "ext://sys.stdout"


# --- settings in a fresh process --------------------------------------------------------


def clean_env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "POSTDESK_DEMO", "POSTDESK_TESTING", "DATABASE_URL"}
    }
    env.update(POSTDESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="postdesk.settings")
    env.update(extra)
    return env


SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.TIME_ZONE)"
)


def test_missing_secret_key_outside_demo_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_demo_mode_generates_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env=clean_env(tmp_path, POSTDESK_DEMO="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").read_text().strip()


def test_production_settings_are_secure_by_default(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env=clean_env(tmp_path, SECRET_KEY="x" * 50, POSTDESK_TIME_ZONE="Europe/Paris"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "Europe/Paris"]


# --- serving ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_worker_and_serve_start_on_a_fresh_database(tmp_path):
    env = clean_env(
        tmp_path,
        SECRET_KEY="s" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    )
    subprocess.run([POSTDESK, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=180)
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [POSTDESK, "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status, body = None, b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        api_status, api_body = get(f"http://127.0.0.1:{port}/api/v1/jobs")
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    output = log.read()

    assert status == 200, output
    assert b'"status": "ok"' in body
    assert api_status == 401
    assert b'"unauthenticated"' in api_body
    assert "with 2 workers" in output
    assert output.count("Booting worker") == 2
    assert "GET /healthz 200" in output
