"""The settings `make run` served the demo with, kept as `<var dir>/postdesk.env`, so that
the README's commands (`.venv/bin/postdesk token bookings`) work as written in a fresh
shell: the `postdesk` command reads the file for any variable the environment lacks.

`python -m postdesk.envfile` writes it (the Makefile does, in `make run`).
"""

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

NAME = "postdesk.env"
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
# Not recorded: where the file is decides the var dir, and these belong to one process.
NOT_RECORDED = {"POSTDESK_VAR_DIR", "POSTDESK_TESTING", "POSTDESK_PROCESS", "POSTDESK_PASSWORD"}


def var_dir(environ: MutableMapping[str, str] = os.environ) -> Path:
    """The var directory: POSTDESK_VAR_DIR, or `var/` in the project (settings use this)."""
    return Path(environ.get("POSTDESK_VAR_DIR") or PROJECT_DIR / "var")


def load(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Set each variable of the file that `environ` does not have; the names set.

    A shell with SECRET_KEY set is configured already (a deployment, where the demo's
    POSTDESK_DEMO=1 must never creep in), so the file is left alone there.
    """
    path = var_dir(environ) / NAME
    if environ.get("SECRET_KEY") or not path.is_file():
        return []
    applied = []
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#") and name not in environ:
            environ[name] = value
            applied.append(name)
    return applied


def recorded(environ: MutableMapping[str, str]) -> dict[str, str]:
    """The demo mode plus the database and postdesk settings `environ` holds."""
    names = sorted(
        n
        for n in environ
        if (n == "DATABASE_URL" or n.startswith("POSTDESK_")) and n not in NOT_RECORDED
    )
    return {**{n: environ[n] for n in names}, "POSTDESK_DEMO": "1"}


def write(environ: MutableMapping[str, str] = os.environ) -> Path:
    path = var_dir(environ) / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written by `make run`: the settings of the demo, read by the postdesk command",
        "# for any variable the environment does not set (src/postdesk/envfile.py).",
        *(f"{name}={value}" for name, value in recorded(environ).items()),
    ]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)  # it may hold a database password: for its owner only
    return path


if __name__ == "__main__":
    print(f"Settings for the postdesk command: {write()}", file=sys.stderr)
