"""How every `postdesk bench <name>` runs: never on the configured database.

The parent makes a fresh database (a temporary SQLite file, or, when --database-url names
a PostgreSQL server, a new database postdesk_bench_run_<pid> on that server, dropped
afterwards), then re-runs the same command in a child process whose Django settings point
there, so that in-process service calls, bulk loaders and any `postdesk serve` subprocess
share it. The child prints one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

CHILD_ENV = "POSTDESK_BENCH_CHILD"


def bench_actor():
    """The audit log's name for a benchmark's own writes (imported late: the parent runs
    before Django is set up for the bench database)."""
    from postdesk.core.audit import SystemActor

    return SystemActor("bench")


def bench_main(name: str, args: argparse.Namespace, argv: list[str], run: Callable) -> None:
    """In the child, `run(args)` and print its JSON; in the parent, make the database and
    start the child."""
    if os.environ.get(CHILD_ENV) == "1":
        sys.stdout.write(json.dumps(run(args), indent=2) + "\n")
        sys.stdout.flush()
        return
    orchestrate(name, args, argv)


def create_postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    import psycopg

    name = f"postdesk_bench_run_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = urlsplit(server_url)._replace(path=f"/{name}").geturl()

    def drop() -> None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return url, drop


def orchestrate(name: str, args: argparse.Namespace, argv: list[str]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"postdesk-bench-{name}-"))
    drop = None
    if args.database_url and args.database_url.split(":", 1)[0] in ("postgres", "postgresql"):
        url, drop = create_postgres_database(args.database_url)
    elif args.database_url and not args.database_url.startswith("sqlite"):
        raise SystemExit("--database-url: a postgres:// server, or leave it out for SQLite")
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = dict(os.environ)
    for var in ("POSTDESK_TESTING", "DJANGO_SETTINGS_MODULE"):
        env.pop(var, None)
    env.update(
        {
            CHILD_ENV: "1",
            "DATABASE_URL": url,
            "POSTDESK_VAR_DIR": str(workdir / "var"),
            # Production-like: no debug query log, no demo mode, a throwaway key.
            "POSTDESK_DEMO": "0",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
    )
    if getattr(args, "workers", None):
        env["WEB_CONCURRENCY"] = str(args.workers)
    print(f"[bench {name}] database {url}; work directory {workdir}", file=sys.stderr, flush=True)
    try:
        code = subprocess.run(
            [sys.executable, "-m", "postdesk.cli", "bench", name, *argv], env=env, check=False
        ).returncode
    finally:
        if not getattr(args, "keep", False):
            if drop is not None:
                drop()
            shutil.rmtree(workdir, ignore_errors=True)
    if code:
        raise SystemExit(code)
