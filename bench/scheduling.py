"""`postdesk bench scheduling`: booking creates, board, availability and a race, as JSON.

Run: postdesk bench scheduling [--resources 300] [--bookings 1000000]
                               [--database-url postgres://...] [--quick] [--keep]

Never touches the configured database: it makes a fresh one (a temporary SQLite file, or,
when --database-url names a PostgreSQL server, a new database postdesk_bench_run_<pid> on
that server, dropped afterwards), then re-runs itself in a child process whose Django
settings point there, so that the in-process service calls, the bulk loader and the
`postdesk serve` subprocess all share it. The child prints one JSON object on stdout;
progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from bench.child import CHILD_ENV, bench_main

WEEK = timedelta(days=7)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SIZE_SMALL = 10_000
AVAILABILITY_RESOURCES = 500
BOARD_WEEK_RESOURCES = 100


@dataclass
class Plan:
    """How many samples each measurement takes: full run or --quick smoke run."""

    creates: int
    http_creates: int
    rps_seconds: float
    reads: int
    race_rounds: int
    race_clients: int = 16
    rps_clients: int = 8
    warmup: int = 40


FULL = Plan(creates=400, http_creates=1000, rps_seconds=10, reads=30, race_rounds=10)
QUICK = Plan(creates=30, http_creates=40, rps_seconds=2, reads=3, race_rounds=3, warmup=12)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="postdesk bench scheduling",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--resources",
        type=int,
        default=300,
        help="resources on the main site, all booked (default 300)",
    )
    parser.add_argument(
        "--bookings",
        type=int,
        default=None,
        help="historical bookings to load (default 1,000,000; 20,000 quick)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgres://... server to create the bench database on "
        "(default: a temporary SQLite file)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small smoke run: 20k bookings, few samples, short durations",
    )
    parser.add_argument("--workers", type=int, default=4, help="postdesk serve --workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="postdesk serve --threads (default: serve's own default; 1 runs sync workers, "
        "which close each connection, above 1 gthread workers, which keep them alive)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database and temporary directory"
    )
    args = parser.parse_args(argv)
    if args.bookings is None:
        args.bookings = 20_000 if args.quick else 1_000_000
    if args.resources < 3 or args.bookings < 1:
        parser.error("need at least 3 resources and 1 booking")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    bench_main("scheduling", parse_args(argv), argv, run)


# --- parent: a fresh database and a child process pointed at it ---------------------------


# --- child: everything below runs with Django pointed at the bench database ---------------


@dataclass
class Facility:
    main_site_id: int
    main_resources: list  # Resource instances on the main site, all bookable
    all_resource_ids: list[int]
    job_ids: list[int]
    job: object
    user: object
    token: str


def make_facility(resources: int) -> Facility:
    """Sites, resources, clients, jobs and a bookings user with an API token."""
    from postdesk.core.audit import SystemActor
    from postdesk.core.services import create_site, create_user, issue_token
    from postdesk.productions import services as productions
    from postdesk.scheduling.models import Resource, Skill

    bench = SystemActor("bench")  # the audit log's name for the benchmark's own writes
    main = create_site(name="Bench Soho", code="bench-soho", actor=bench)
    annex = create_site(name="Bench Annex", code="bench-annex", actor=bench)
    skills = Skill.objects.bulk_create(
        Skill(name=name) for name in ("Avid", "Baselight", "Dolby Atmos", "ADR", "Pro Tools")
    )

    def resource(site, index: int) -> Resource:
        # The first 100 on the main site are rooms (the 100-room board week); then people
        # and equipment in turn.
        if site is main and index < BOARD_WEEK_RESOURCES:
            kind, name = "room", f"Suite {index + 1:03d}"
        elif index % 2:
            kind, name = "person", f"Editor {index + 1:03d}"
        else:
            kind, name = "equipment", f"Deck {index + 1:03d}"
        return Resource(kind=kind, name=name, site=site, sort_order=index)

    rows = [resource(main, i) for i in range(resources)]
    rows += [resource(annex, i) for i in range(max(0, AVAILABILITY_RESOURCES - resources))]
    created = Resource.objects.bulk_create(rows)
    through = Resource.skills.through
    through.objects.bulk_create(
        through(resource_id=r.pk, skill_id=skills[i % len(skills)].pk)
        for i, r in enumerate(created)
    )
    job_ids, job = [], None
    for c in range(10):
        client = productions.create_client(actor=bench, name=f"Bench Client {c + 1}")
        for p in range(3):
            production = productions.create_production(
                actor=bench,
                client=client,
                title=f"Bench Production {c + 1}.{p + 1}",
                kind="feature",
            )
            for j in range(3):
                job = productions.create_job(
                    actor=bench, production=production, description=f"Edit {j + 1}"
                )
                job_ids.append(job.pk)
    user = create_user(username="bench", role="bookings", actor=bench)
    _, token = issue_token(user=user, name="bench", actor=bench)
    main_resources = [r for r in created if r.site_id == main.pk]
    return Facility(
        main_site_id=main.pk,
        main_resources=main_resources,
        all_resource_ids=[r.pk for r in created],
        job_ids=job_ids,
        job=job,
        user=user,
        token=token,
    )


class FutureSlots:
    """Free one-hour slots after the history, round-robin over resources; thread-safe."""

    def __init__(self, resources: list, begin: datetime):
        self.resources = resources
        self.begin = begin
        self.index = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            i = self.index
            self.index += 1
        start = self.begin + (i // len(self.resources)) * HOUR
        return self.resources[i % len(self.resources)], start, start + HOUR


def open_database():
    from django.conf import settings

    from bench.dataload import PostgresDatabase, SqliteDatabase

    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("postgresql"):
        conninfo = {
            "dbname": config["NAME"],
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
            "options": "-c timezone=UTC",
        }
        return PostgresDatabase({k: v for k, v in conninfo.items() if v is not None})
    return SqliteDatabase(str(config["NAME"]))


def load_history(db, plan, count: int) -> float:
    from django.db import connection

    connection.close()  # the loader writes on its own connection
    began = time.perf_counter()
    db.load(plan.take(count))
    db.analyze()
    return time.perf_counter() - began


CREATE_BLOCK = 50


def measure_creates(
    facility: Facility, slots: FutureSlots, raw_slots: FutureSlots, raw, n: int
) -> tuple[list, list]:
    """n service creates and n raw-SQL creates, in alternating blocks of CREATE_BLOCK so
    noise hits both alike.

    Blocks rather than one of each in turn: on SQLite a commit by the other connection
    empties this connection's page cache (WAL mode), so strict alternation timed a cache
    refill per create, growing with the size of the indexes, on both sides (bench/RESULTS.md).

    An untimed first pass books every resource once with each: PostgreSQL writes a full
    page image to the WAL on the first change of a page after a checkpoint, and with a
    million rows each resource's index entries sit on pages of their own. Timing starts
    in the steady state between checkpoints, the same way at every table size.
    """
    from postdesk.scheduling.services import create_booking

    job = facility.job

    def service_create() -> float:
        resource, start, end = slots.next()
        began = time.perf_counter()
        create_booking(
            job=job,
            resources=[resource],
            start=start,
            end=end,
            status="confirmed",
            actor=facility.user,
            title="Bench",
        )
        return time.perf_counter() - began

    def raw_create() -> float:
        resource, start, end = raw_slots.next()
        return raw.create(
            resource_id=resource.pk, job_id=job.pk, start=start, end=end, actor=facility.user
        )

    for _ in range(len(facility.main_resources)):
        service_create()
        raw_create()
    service_times, raw_times = [], []
    while len(service_times) < n:
        block = min(CREATE_BLOCK, n - len(service_times))
        service_times += [service_create() for _ in range(block)]
        raw_times += [raw_create() for _ in range(block)]
    return service_times, raw_times


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def booking_body(job_id: int, resource_ids: list[int], start: datetime, end: datetime) -> dict:
    return {
        "job": job_id,
        "resources": resource_ids,
        "start": iso(start),
        "end": iso(end),
        "status": "confirmed",
        "title": "Bench",
        "notes": "",
    }


def count_items(payload, key: str = "allocations") -> int:
    """Allocations in a board response, wherever the API nests them."""
    if isinstance(payload, dict):
        total = 0
        for name, value in payload.items():
            if name == key and isinstance(value, list):
                total += len(value)
            else:
                total += count_items(value, key)
        return total
    if isinstance(payload, list):
        return sum(count_items(item, key) for item in payload)
    return 0


def count_resources(payload) -> int:
    if isinstance(payload, dict):
        for name in ("resources", "items", "results"):
            if isinstance(payload.get(name), list):
                return len(payload[name])
    return len(payload) if isinstance(payload, list) else 0


def http_creates(port: int, facility: Facility, slots: FutureSlots, n: int) -> dict:
    from bench.httpbench import Client

    client = Client(port, facility.token)
    times, failures = [], {}
    for _ in range(n):
        resource, start, end = slots.next()
        status, body, elapsed = client.call(
            "POST", "/api/v1/bookings", booking_body(facility.job.pk, [resource.pk], start, end)
        )
        if status == 201:
            times.append(elapsed)
        else:
            failures[str(status)] = failures.get(str(status), 0) + 1
            if len(failures) == 1 and sum(failures.values()) == 1:
                log(f"create over HTTP answered {status}: {body[:300]!r}")
    client.close()
    return {"times": times, "failures": failures}


def http_rps(port: int, facility: Facility, slots: FutureSlots, clients: int, seconds: float):
    from bench.httpbench import Client

    counts: dict[str, int] = {}
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker():
        client = Client(port, facility.token)
        local: dict[str, int] = {}
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            resource, start, end = slots.next()
            status, _, _ = client.call(
                "POST",
                "/api/v1/bookings",
                booking_body(facility.job.pk, [resource.pk], start, end),
            )
            local[str(status)] = local.get(str(status), 0) + 1
        client.close()
        with lock:
            for k, v in local.items():
                counts[k] = counts.get(k, 0) + v

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return round(counts.get("201", 0) / elapsed, 1), counts


def timed_gets(port: int, token: str, path: str, params: dict, n: int):
    from bench.httpbench import Client

    client = Client(port, token)
    url = f"{path}?{urlencode(params)}"
    times, payload = [], None
    for i in range(n + 2):
        status, body, elapsed = client.call("GET", url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}: {body[:300]!r}")
        if i >= 2:  # the first fill the server's and the database's caches
            times.append(elapsed)
        payload = body
    client.close()
    return times, json.loads(payload)


def race(port: int, facility: Facility, begin: datetime, rounds: int, clients: int) -> dict:
    """Each round: `clients` threads at once POST confirmed bookings that all clash.

    Every request holds the round's first resource plus a random choice of two others, in
    random order (so lock order matters), over spans that share a common hour.
    """
    from bench.httpbench import Client

    rng = random.Random(11)
    resources = facility.main_resources
    winners, server_errors, statuses = [], 0, {}
    for r in range(rounds):
        picked = rng.sample(resources, 3)
        base = begin + r * DAY
        bodies = []
        for c in range(clients):
            held = [picked[0]] + [x for x in picked[1:] if rng.random() < 0.6]
            rng.shuffle(held)
            start = base + timedelta(minutes=15 * (c % 4))
            end = base + 2 * HOUR + timedelta(minutes=15 * (c % 3))
            bodies.append(booking_body(facility.job.pk, [x.pk for x in held], start, end))
        gate = threading.Barrier(clients)
        results: list[int] = [0] * clients

        def attempt(i: int, body: dict, gate=gate, results=results) -> None:
            client = Client(port, facility.token)
            client.connect()
            gate.wait()
            results[i], _, _ = client.call("POST", "/api/v1/bookings", body)
            client.close()

        threads = [threading.Thread(target=attempt, args=(i, bodies[i])) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners.append(sum(1 for s in results if s == 201))
        server_errors += sum(1 for s in results if s >= 500 or s == 0)
        for s in results:
            statuses[str(s)] = statuses.get(str(s), 0) + 1
    return {
        "rounds": rounds,
        "clients": clients,
        "winners_per_round": winners,
        "server_errors": server_errors,
        "statuses": statuses,
    }


def warm_up(port: int, facility: Facility, slots: FutureSlots, t0: datetime, n: int) -> None:
    """Every gunicorn worker imports lazily and opens its database connection once."""
    from bench.httpbench import Client

    client = Client(port, facility.token)
    board = "/api/v1/board?" + urlencode(
        {"start": iso(t0 - DAY), "end": iso(t0), "site": facility.main_site_id}
    )
    for _ in range(n):
        client.call("GET", board)
        resource, start, end = slots.next()
        client.call(
            "POST", "/api/v1/bookings", booking_body(facility.job.pk, [resource.pk], start, end)
        )
    client.close()


def serve_default_threads() -> int:
    from postdesk.core.management.commands.serve import DEFAULT_THREADS

    return int(os.environ.get("WEB_THREADS", DEFAULT_THREADS))


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def run(args: argparse.Namespace) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.dataload import HistoryPlan
    from bench.httpbench import Server, p50_ms, p95_ms

    plan = QUICK if args.quick else FULL
    load_before = os.getloadavg()[0]
    total = args.bookings
    small = min(SIZE_SMALL, total)
    vendor = connection.vendor
    log(f"{vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    facility = make_facility(args.resources)
    db = open_database()
    # History ends at the start of today (UTC); new bookings go from tomorrow on.
    t0 = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    history = HistoryPlan(resource_ids=facility.all_resource_ids, job_ids=facility.job_ids, t0=t0)
    # Separate stretches of the future for each writer, so each books every resource in
    # turn; within 90 days of the history, so every overlap check reads real rows.
    slots = FutureSlots(facility.main_resources, t0 + DAY)
    raw_slots = FutureSlots(facility.main_resources, t0 + 3 * DAY)
    http_slots = FutureSlots(facility.main_resources, t0 + 5 * DAY)
    max_span = timedelta(days=settings.POSTDESK.get("MAX_BOOKING_DAYS", 90))
    create_p50, raw_p50, create_p95, load_seconds = {}, {}, {}, {}

    loaded = 0
    for size in dict.fromkeys((small, total)):
        log(f"loading history up to {size:,} bookings")
        load_seconds[str(size)] = round(load_history(db, history, size - loaded), 1)
        loaded = size
        log(f"timing {plan.creates} service and raw creates at {size:,}")
        raw = db.raw_creator(max_span)
        service_times, raw_times = measure_creates(facility, slots, raw_slots, raw, plan.creates)
        raw.close()
        create_p50[str(size)] = p50_ms(service_times)
        create_p95[str(size)] = p95_ms(service_times)
        raw_p50[str(size)] = p50_ms(raw_times)
    if total < SIZE_SMALL:
        create_p50[str(SIZE_SMALL)] = create_p50[str(total)]

    env = dict(os.environ)
    env.pop(CHILD_ENV, None)
    server = Server(env, args.workers, Path(settings.VAR_DIR) / "serve.log", args.threads)
    log(f"starting postdesk serve --workers {args.workers} on port {server.port}")
    connection.close()
    server.start(facility.token)
    try:
        warm_up(server.port, facility, http_slots, t0, plan.warmup)
        log(f"{plan.http_creates} sequential creates over HTTP")
        sequential = http_creates(server.port, facility, http_slots, plan.http_creates)
        log(f"{plan.rps_clients} clients creating for {plan.rps_seconds}s")
        rps, rps_statuses = http_rps(
            server.port, facility, http_slots, plan.rps_clients, plan.rps_seconds
        )
        log("board and availability reads")
        week_times, week = timed_gets(
            server.port,
            facility.token,
            "/api/v1/board",
            {
                "start": iso(t0 - WEEK),
                "end": iso(t0),
                "site": facility.main_site_id,
                "kind": "room",
            },
            plan.reads,
        )
        board_times, board = timed_gets(
            server.port,
            facility.token,
            "/api/v1/board",
            {"start": iso(t0 - 4 * WEEK), "end": iso(t0), "site": facility.main_site_id},
            plan.reads,
        )
        availability_times, availability = timed_gets(
            server.port,
            facility.token,
            "/api/v1/availability",
            {"start": iso(t0 - 12 * WEEK), "end": iso(t0)},
            plan.reads,
        )
        log(f"race: {plan.race_clients} clients x {plan.race_rounds} rounds")
        race_result = race(
            server.port, facility, t0 + 400 * DAY, plan.race_rounds, plan.race_clients
        )
    finally:
        server.stop()

    full = str(total)
    http_times = sequential["times"] or [float("nan")]
    return {
        "database": vendor,
        "database_version": database_version(),
        "resources": args.resources,
        "resources_total": len(facility.all_resource_ids),
        "bookings": total,
        "quick": args.quick,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_seconds": load_seconds,
        "create_p50_ms": {str(SIZE_SMALL): create_p50[str(SIZE_SMALL)], full: create_p50[full]},
        "create_p95_ms": create_p95,
        "create_growth": round(create_p50[full] / create_p50[str(SIZE_SMALL)], 3),
        "raw_create_p50_ms": raw_p50[full],
        "raw_create_p50_ms_by_size": raw_p50,
        "create_vs_raw": round(create_p50[full] / raw_p50[full], 3),
        "http_create_p50_ms": p50_ms(http_times),
        "http_create_p95_ms": p95_ms(http_times),
        "http_create_failures": sequential["failures"],
        "http_create_rps": rps,
        "http_create_rps_statuses": rps_statuses,
        "board_week_100_p50_ms": p50_ms(week_times),
        "board_week_100_items": count_items(week),
        "board_week_100_resources": count_resources(week),
        "board_p50_ms": p50_ms(board_times),
        "board_items": count_items(board),
        "board_resources": count_resources(board),
        "availability_p50_ms": p50_ms(availability_times),
        # Over all 500 resources; in a fully booked past window few or none are free.
        "availability_resources": len(facility.all_resource_ids),
        "availability_free": count_resources(availability),
        "race": race_result,
        "serve_workers": args.workers,
        "serve_threads": args.threads or serve_default_threads(),
        # The machine is shared: the 1-minute load average says how noisy the figures are.
        "cpus": os.cpu_count(),
        "load_average_start_end": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
