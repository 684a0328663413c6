"""`postdesk bench frontdesk`: the roll call at 300 on site, kiosk sign-in and runner
board polls over HTTP, and the runner claim race, as JSON.

Run: postdesk bench frontdesk [--database-url postgres://...] [--quick] [--keep]

Like `postdesk bench scheduling` it never touches the configured database: a fresh SQLite
file (or a new PostgreSQL database on the server named, dropped afterwards), then a child
process pointed there that prints one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.child import CHILD_ENV, bench_main

ON_SITE = 300


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="postdesk bench frontdesk", description=__doc__)
    parser.add_argument("--database-url", default=None, help="postgres://... server")
    parser.add_argument("--quick", action="store_true", help="few samples (smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    parser.add_argument("--rounds", type=int, default=None, help="claim race rounds (20)")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench frontdesk] {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    bench_main("frontdesk", parse_args(argv), argv, run)


def setup(runners: int) -> dict:
    """Users with tokens, 300 people on site (visitors, contractors, staff in)."""
    from postdesk.core.audit import SYSTEM
    from postdesk.core.services import create_user, issue_token
    from postdesk.frontdesk.models import StaffPresence, Visit

    def user(name, role):
        made = create_user(
            username=name, role=role, password=secrets.token_urlsafe(12), actor=SYSTEM
        )
        return made, issue_token(user=made, actor=SYSTEM)[1]

    reception, reception_token = user("bench-reception", "reception")
    _poster, poster_token = user("bench-poster", "engineer")
    runner_tokens = [user(f"bench-runner-{i}", "runner")[1] for i in range(runners)]
    now = datetime.now(UTC)
    Visit.objects.bulk_create(
        Visit(
            name=f"Visitor {i}",
            company="Bench Films",
            kind="contractor" if i % 10 == 0 else "visitor",
            signed_in_at=now - timedelta(minutes=i),
            signed_in_by=reception,
            host=reception,
        )
        for i in range(ON_SITE - 20)
    )
    staff = [user(f"bench-staff-{i}", "engineer")[0] for i in range(20)]
    StaffPresence.objects.bulk_create(StaffPresence(user=u, in_at=now) for u in staff)
    return {
        "reception": reception,
        "reception_token": reception_token,
        "poster_token": poster_token,
        "runner_tokens": runner_tokens,
    }


def measure_roll_call(reception, samples: int) -> float:
    from bench.httpbench import p50_ms
    from postdesk.frontdesk import rollcall

    times, count = [], 0
    for _ in range(samples):
        began = time.perf_counter()
        count = len(rollcall.roll_call(reception)["on_site"])
        times.append(time.perf_counter() - began)
    assert count == ON_SITE, count
    return p50_ms(times)


def claim_race(port: int, poster_token: str, tokens: list[str], rounds: int) -> dict:
    from bench.httpbench import Client

    winners, server_errors, statuses = [], 0, {}
    poster = Client(port, poster_token)
    for r in range(rounds):
        status, body, _ = poster.call(
            "POST", "/api/v1/runner-tasks", {"title": f"Race {r}", "place": "Suite 1"}
        )
        assert status == 201, body
        task = json.loads(body)["id"]
        gate = threading.Barrier(len(tokens))
        results = [0] * len(tokens)

        def attempt(i: int, gate=gate, results=results, task=task) -> None:
            client = Client(port, tokens[i])
            client.connect()
            gate.wait()
            results[i], _, _ = client.call("POST", f"/api/v1/runner-tasks/{task}/claim")
            client.close()

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(tokens))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners.append(sum(1 for s in results if s == 200))
        server_errors += sum(1 for s in results if s >= 500 or s == 0)
        for s in results:
            statuses[str(s)] = statuses.get(str(s), 0) + 1
    poster.close()
    return {
        "rounds": rounds,
        "clients": len(tokens),
        "winners_per_round": winners,
        "exactly_one_winner_each_round": all(w == 1 for w in winners),
        "server_errors": server_errors,
        "statuses": statuses,
    }


def http_figures(port: int, ctx: dict, samples: int) -> dict:
    from bench.httpbench import Client, p50_ms

    desk = Client(port, ctx["reception_token"])
    sign_ins = []
    for i in range(samples + 5):
        status, body, took = desk.call(
            "POST", "/api/v1/frontdesk/visits", {"name": f"Kiosk {i}", "company": "Walk-in"}
        )
        assert status == 201, body
        if i >= 5:  # the first few warm the server up
            sign_ins.append(took)
    runner = Client(port, ctx["runner_tokens"][0])
    status, _, _ = runner.call("GET", "/api/v1/runner-tasks")
    assert status == 200
    runner.headers["If-None-Match"] = _last_etag(runner)
    polls = []
    for _ in range(samples * 4):
        status, _, took = runner.call("GET", "/api/v1/runner-tasks")
        assert status == 304, status
        polls.append(took)
    desk.close()
    runner.close()
    return {
        "kiosk_sign_in_http_p50_ms": p50_ms(sign_ins),
        "runner_poll_304_p50_ms": p50_ms(polls),
    }


def _last_etag(client) -> str:
    """The board's ETag, read with a plain GET on the client's connection."""
    client.conn.request("GET", "/api/v1/runner-tasks", headers=client.headers)
    response = client.conn.getresponse()
    response.read()
    return response.getheader("ETag")


def run(args: argparse.Namespace) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.httpbench import Server

    samples = 5 if args.quick else 50
    rounds = args.rounds or (3 if args.quick else 20)
    log(f"{connection.vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    ctx = setup(16)
    log(f"roll call at {ON_SITE} on site")
    roll_call_ms = measure_roll_call(ctx["reception"], samples)
    env = dict(os.environ)
    env.pop(CHILD_ENV, None)
    server = Server(env, args.workers, Path(settings.VAR_DIR) / "serve.log")
    connection.close()
    server.start(ctx["reception_token"])
    try:
        log("kiosk sign-ins and runner polls over HTTP")
        figures = http_figures(server.port, ctx, samples)
        log(f"claim race: 16 runners, {rounds} rounds")
        race = claim_race(server.port, ctx["poster_token"], ctx["runner_tokens"], rounds)
    finally:
        server.stop()
    return {
        "database": connection.vendor,
        "on_site": ON_SITE,
        "roll_call_ms": roll_call_ms,
        **figures,
        "runner_claim_race": race,
    }
