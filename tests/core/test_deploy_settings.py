"""Deployment defaults (issue 10): a long secret key outside demo and debug, proxy
headers believed only behind a proxy, HSTS with the HTTPS redirect, no caching of pages
and API answers, and a clean `postdesk check --deploy` with the README's settings."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from postdesk.core.checks import ssl_redirect_needs_a_proxy

PROJECT = Path(__file__).resolve().parents[2]
POSTDESK = str(Path(sys.executable).with_name("postdesk"))
WEEK = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-09T00:00:00Z"}


def minimal_env(tmp_path, **extra) -> dict:
    """A fresh shell: PATH and HOME, a var directory of its own, and what the test sets."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path))}
    if os.environ.get("PYTHONPATH"):  # a checkout run with PYTHONPATH=src
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    env.update(POSTDESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="postdesk.settings")
    env.update(extra)
    return env


def settings_in_a_fresh_process(tmp_path, names: str, **env) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(*[repr(getattr(s, n)) for n in {names.split()!r}], sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=minimal_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def a_key() -> str:
    return secrets.token_urlsafe(50)


# --- SECRET_KEY -------------------------------------------------------------------------


def test_a_short_secret_key_is_refused_outside_demo_and_debug(tmp_path):
    result = settings_in_a_fresh_process(tmp_path, "DEBUG", SECRET_KEY="k" * 49)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is 49 characters long; use at least 50" in (
        result.stderr
    )


@pytest.mark.parametrize("mode", ["POSTDESK_DEMO", "DEBUG"])
def test_demo_and_debug_accept_a_short_secret_key(tmp_path, mode):
    result = settings_in_a_fresh_process(tmp_path, "SECRET_KEY", SECRET_KEY="short", **{mode: "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'short'"


def test_a_secret_key_of_50_characters_is_accepted(tmp_path):
    key = a_key()

    result = settings_in_a_fresh_process(tmp_path, "SECRET_KEY", SECRET_KEY=key)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(key)


# --- proxy header, HSTS -----------------------------------------------------------------


def test_x_forwarded_proto_is_believed_only_behind_a_proxy(tmp_path):
    names = "SECURE_PROXY_SSL_HEADER AXES_CLIENT_IP_CALLABLE"

    direct = settings_in_a_fresh_process(tmp_path, names, SECRET_KEY=a_key())
    proxied = settings_in_a_fresh_process(
        tmp_path, names, SECRET_KEY=a_key(), POSTDESK_BEHIND_PROXY="1"
    )

    assert direct.stdout.strip() == "None|None", direct.stderr
    assert proxied.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https')|'postdesk.core.throttle.client_address'"
    ), proxied.stderr


def test_a_forged_x_forwarded_proto_does_not_make_a_request_secure(settings):
    # The test settings are those of a server without a proxy.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")

    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert request.is_secure() is False


@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({}, "0"),
        ({"POSTDESK_SSL_REDIRECT": "1"}, "31536000"),
        ({"POSTDESK_SSL_REDIRECT": "1", "POSTDESK_HSTS_SECONDS": "600"}, "600"),
        ({"POSTDESK_SSL_REDIRECT": "1", "POSTDESK_HSTS_SECONDS": "0"}, "0"),
    ],
)
def test_hsts_is_on_whenever_the_https_redirect_is(tmp_path, env, seconds):
    result = settings_in_a_fresh_process(tmp_path, "SECURE_HSTS_SECONDS", SECRET_KEY=a_key(), **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == seconds


def test_the_https_redirect_without_a_proxy_is_flagged():
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None):
        warnings = ssl_redirect_needs_a_proxy()
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        behind_a_proxy = ssl_redirect_needs_a_proxy()

    assert [w.id for w in warnings] == ["postdesk.W001"]
    assert behind_a_proxy == []


# --- Cache-Control ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/jobs/", "/clients/", "/billing/quotes/", "/board/"])
def test_pages_are_not_stored_by_any_cache(page_as, path):
    response = page_as("bookings").get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["jobs", "invoices", "me", "nowhere"])
def test_api_answers_are_not_stored_by_any_cache(api_as, path):
    response = api_as("bookings").get(path)

    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_board_poll_is_private_and_still_answers_304(api_as):
    api = api_as("bookings")
    first = api.get("board", **WEEK)

    again = api.http.get("/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=first["ETag"], **api.headers)

    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/web/app.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]


# --- postdesk check --deploy -------------------------------------------------------------


def readme_production_settings() -> dict:
    """The variables the README's "Running on PostgreSQL" block exports."""
    readme = (PROJECT / "README.md").read_text()
    block = readme.split("## Running on PostgreSQL", 1)[1].split("```sh", 1)[1]
    env = {}
    for line in block.split("```", 1)[0].splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            env.update(word.split("=", 1) for word in words[1:])
    return env


def test_check_deploy_with_the_readme_settings_notes_only_hsts_preload(tmp_path):
    env = readme_production_settings()
    assert env["SECRET_KEY"] == "..."  # the README leaves the key to the reader
    env["SECRET_KEY"] = a_key()
    assert {"DATABASE_URL", "ALLOWED_HOSTS", "POSTDESK_SSL_REDIRECT"} <= set(env)

    result = subprocess.run(
        [POSTDESK, "check", "--deploy"],
        env=minimal_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )

    reported = re.findall(r"^\?: \(([\w.]+)\)", result.stdout + result.stderr, re.MULTILINE)
    assert result.returncode == 0, result.stderr
    assert reported == ["security.W005", "security.W021"], result.stderr
    assert "System check identified 2 issues (0 silenced)." in result.stdout + result.stderr
