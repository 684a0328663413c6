"""The README's commands work as written after `make run` (issue 10), in a fresh shell
that has only PATH and HOME: `make run` leaves the demo's settings in
`<var dir>/postdesk.env` and the `postdesk` command reads them."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from postdesk import envfile

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def fresh_shell(var_dir: Path) -> dict:
    """PATH and HOME; POSTDESK_VAR_DIR stands in for the checkout's own `var/`."""
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": str(var_dir)}
    if os.environ.get("PYTHONPATH"):  # a checkout run with PYTHONPATH=src
        env["PYTHONPATH"] = os.pathsep.join(
            str(Path(p).resolve()) for p in os.environ["PYTHONPATH"].split(os.pathsep)
        )
    env["POSTDESK_VAR_DIR"] = str(var_dir)
    return env


def as_written(command: str) -> str:
    """The README's `.venv/bin/postdesk`, here the virtualenv running the tests."""
    if (PROJECT / ".venv" / "bin" / "postdesk").exists():
        return command
    return re.sub(r"(^|\s)\.venv/bin/", rf"\g<1>{BIN}/", command)


def sh(command: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", "-c", as_written(command)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def readme_block(heading: str) -> list[str]:
    """The command lines of the first ```sh block after `heading` in the README."""
    readme = (PROJECT / "README.md").read_text()
    block = readme.split(heading, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory):
    """A var dir as `make run` leaves it: the settings file (written by the Makefile's
    own target), the database migrated and the demo loaded, as its recipe does."""
    shell = fresh_shell(tmp_path_factory.mktemp("var"))
    make = subprocess.run(
        ["make", "-s", "-C", str(PROJECT), "demo-env", f"BIN={BIN}"],
        env=shell,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert make.returncode == 0, make.stderr
    for step in ("postdesk migrate --no-input -v 0", "postdesk demo"):
        result = sh(f"POSTDESK_DEMO=1 .venv/bin/{step}", shell)
        assert result.returncode == 0, result.stderr
    return shell


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make, as `make run` does")
def test_readme_api_commands_work_as_written_after_make_run(after_make_run):
    shell = after_make_run
    token_command, curl_command = readme_block("## API")
    assert token_command == ".venv/bin/postdesk token bookings"
    assert curl_command.startswith('curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/')

    token = sh(token_command, shell)

    assert token.returncode == 0, token.stderr
    assert re.fullmatch(r"pd_[\w-]{40,}", token.stdout.strip())

    port = free_port()
    server = subprocess.Popen(
        [f"{BIN}/postdesk", "serve", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=shell,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        curl = sh(
            curl_command.replace("127.0.0.1:8000", f"127.0.0.1:{port}") + " --fail --silent",
            {**shell, "TOKEN": token.stdout.strip()},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert curl.returncode == 0, curl.stderr
    assert '"count":' in curl.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make, as `make run` does")
def test_readme_user_commands_work_as_written_after_make_run(after_make_run):
    shell = after_make_run

    created = sh(
        "POSTDESK_PASSWORD=a-long-password postdesk createuser rita --role reception", shell
    )
    again = sh("postdesk demo", shell)
    token = sh("postdesk token rita", shell)

    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Created rita (reception)"
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    assert token.returncode == 0, token.stderr


def test_without_the_settings_file_a_fresh_shell_still_needs_a_secret_key(tmp_path):
    result = sh(".venv/bin/postdesk token bookings", fresh_shell(tmp_path))

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


# --- the settings file ------------------------------------------------------------------


def test_the_file_lives_in_the_var_dir_the_settings_use(settings, tmp_path):
    assert envfile.var_dir({}) == PROJECT / "var"
    assert envfile.var_dir({"POSTDESK_VAR_DIR": str(tmp_path)}) == tmp_path
    assert Path(settings.VAR_DIR) == envfile.var_dir(os.environ)


def test_the_file_records_the_demo_and_the_database_but_no_process_details(tmp_path):
    environ = {
        "POSTDESK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postdesk@localhost/demo",
        "POSTDESK_TIME_ZONE": "Europe/Paris",
        "POSTDESK_TESTING": "1",
        "SECRET_KEY": "from the shell",
        "HOME": "/home/someone",
    }

    path = envfile.write(environ)

    assert path == tmp_path / "postdesk.env"
    assert [line for line in path.read_text().splitlines() if not line.startswith("#")] == [
        "DATABASE_URL=postgres://postdesk@localhost/demo",
        "POSTDESK_TIME_ZONE=Europe/Paris",
        "POSTDESK_DEMO=1",
    ]
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_environment_wins_over_the_file(tmp_path):
    envfile.write({"POSTDESK_VAR_DIR": str(tmp_path), "POSTDESK_TIME_ZONE": "Europe/Paris"})
    environ = {"POSTDESK_VAR_DIR": str(tmp_path), "POSTDESK_TIME_ZONE": "Europe/Dublin"}

    applied = envfile.load(environ)

    assert applied == ["POSTDESK_DEMO"]
    assert environ == {
        "POSTDESK_VAR_DIR": str(tmp_path),
        "POSTDESK_TIME_ZONE": "Europe/Dublin",
        "POSTDESK_DEMO": "1",
    }


def test_a_configured_deployment_never_takes_the_demo_settings(tmp_path):
    envfile.write({"POSTDESK_VAR_DIR": str(tmp_path)})
    environ = {"POSTDESK_VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}

    assert envfile.load(environ) == []
    assert "POSTDESK_DEMO" not in environ
