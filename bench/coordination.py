"""`postdesk bench coordination`: the supervisor's desk for a supervisor of 10 productions
with 40 deliverables each.

Run: postdesk bench coordination [--rounds 30] [--database-url postgres://...] [--keep]

Like the other benches it never touches the configured database: a fresh SQLite file (or
a new PostgreSQL database on the server named, dropped afterwards), and a child process
pointed at it that prints one JSON object on stdout:

- supervisor_desk_ms: the median of --rounds builds of the supervisor's desk page (its
  queries, coordination.queries.supervisor_desk, and the template rendered), for a
  supervisor of 10 productions × 40 deliverables (7 milestones each, a deal memo each,
  one slipped milestone, some deliverables at risk). Target ≤ 150.
- supervisor_desk_queries: the SQL statements one build issues (bounded: it does not
  grow with the productions).

- cue_import_1000_ms: a 1,000-cue CSV imported into an ADR session (every timecode
  checked through engineering.timecode, the cues written in one bulk insert), the
  median of 5 imports into fresh sessions. Target ≤ 500.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench.child import bench_actor, bench_main

PRODUCTIONS = 10
DELIVERABLES = 40


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="postdesk bench coordination")
    parser.add_argument("--rounds", type=int, default=30, help="desk builds to time")
    parser.add_argument("--database-url", default=None, help="a postgres:// server to use")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--quick", action="store_true", help="few rounds (smoke run)")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(
        f"[bench coordination {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True
    )


def main(argv: list[str]) -> None:
    bench_main("coordination", parse_args(argv), argv, run)


def make_world():
    """A supervisor and a coordinator, and the supervisor's productions, written through
    the services."""
    import datetime
    from decimal import Decimal

    from postdesk.coordination import crew_services, services
    from postdesk.coordination.queries import today
    from postdesk.core.services import create_site, create_user
    from postdesk.productions import services as productions
    from postdesk.scheduling import services as scheduling

    actor = bench_actor()
    site = create_site(name="Soho", code="soho", actor=actor)
    supervisor = create_user(
        username="bench-supervisor", role="supervisor", password="x" * 12, actor=actor
    )
    coordinator = create_user(
        username="bench-coordinator", role="coordinator", password="x" * 12, actor=actor
    )
    client = productions.create_client(actor=actor, name="Bench Pictures")
    on = today()
    for n in range(PRODUCTIONS):
        production = productions.create_production(
            actor=actor, client=client, title=f"Bench production {n:02d}", supervisor=supervisor
        )
        job = productions.create_job(actor=actor, production=production, description="Offline")
        services.create_from_template(
            production=production, template="uk_broadcaster", actor=coordinator, due=on
        )
        for i in range(DELIVERABLES - 7):
            services.add_deliverable(
                production=production,
                name=f"Deliverable {i:02d}",
                due=on + datetime.timedelta(days=i - 5),
                actor=coordinator,
            )
        for k, kind in enumerate(
            ["turnover", "picture_lock", "online", "grade", "mix", "qc", "delivery"]
        ):
            planned = on + datetime.timedelta(days=4 * k - 8)
            services.set_milestone(
                production=production,
                kind=kind,
                planned=planned,
                revised=planned + datetime.timedelta(days=3) if kind == "grade" else None,
                actor=coordinator,
            )
        person = scheduling.create_resource(
            actor=actor,
            kind="person",
            name=f"Freelancer {n:02d}",
            site=site,
            employment="freelance",
        )
        memo = crew_services.offer_memo(
            production=production,
            job=job,
            person=person,
            role="Assistant editor",
            start=on + datetime.timedelta(days=3),
            end=on + datetime.timedelta(days=7),
            day_rate=Decimal("350.00"),
            actor=supervisor,
        )
        crew_services.accept_memo(memo, actor=supervisor)
    return supervisor


def cue_csv(count: int) -> str:
    from postdesk.core import timecode as tc

    lines = ["cue,character,tc_in,tc_out,line"]
    for n in range(count):
        start = 90000 + n * 100
        lines.append(
            f"{n + 1},ANNA,{tc.frames_to_timecode(start, '25')},"
            f"{tc.frames_to_timecode(start + 60, '25')},Line number {n + 1}"
        )
    return "\n".join(lines) + "\n"


def cue_import_times(rounds: int = 5) -> list[float]:
    import datetime

    from postdesk.coordination import adr
    from postdesk.coordination.queries import today
    from postdesk.core.models import Site, User
    from postdesk.core.timeutil import facility_zone, local_at
    from postdesk.productions import services as productions
    from postdesk.productions.models import Production
    from postdesk.scheduling import services as scheduling

    actor = bench_actor()
    coordinator = User.objects.get(username="bench-coordinator")
    site = Site.objects.get(code="soho")
    production = Production.objects.order_by("id").first()
    job = productions.create_job(
        actor=actor, production=production, description="ADR", work_type="adr"
    )
    mixer = scheduling.create_resource(
        actor=actor, kind="person", name="Bench mixer", site=site, employment="staff"
    )
    text = cue_csv(1000)
    times = []
    for n in range(rounds):
        stage = scheduling.create_resource(
            actor=actor, kind="room", name=f"ADR stage {n}", site=site
        )
        day = today() + datetime.timedelta(days=20 + n)
        session = adr.book_session(
            job=job,
            stage=stage,
            mixer=mixer,
            start=local_at(day, datetime.time(10), facility_zone()),
            end=local_at(day, datetime.time(12), facility_zone()),
            talent="Bench talent",
            actor=coordinator,
        )
        began = time.perf_counter()
        report = adr.import_cues(session, text=text, actor=coordinator)
        times.append(time.perf_counter() - began)
        assert report["imported"] == 1000, report
    return times


def run(args: argparse.Namespace) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from postdesk.coordination import queries

    log(f"{connection.vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    log(f"{PRODUCTIONS} productions × {DELIVERABLES} deliverables")
    supervisor = make_world()
    rounds = 5 if args.quick else args.rounds

    def build() -> str:
        desk = queries.supervisor_desk(supervisor)
        return render_to_string("coordination/supervisor_desk.html", {"desk": desk})

    build()  # warm-up: templates compiled, connection open
    with CaptureQueriesContext(connection) as captured:
        page = build()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        build()
        times.append(time.perf_counter() - began)
    desk = queries.supervisor_desk(supervisor)
    log("1,000-cue imports")
    cue_times = cue_import_times(3 if args.quick else 5)
    return {
        "database": connection.vendor,
        "supervisor_desk_ms": round(statistics.median(times) * 1000, 1),
        "supervisor_desk_p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 1),
        "supervisor_desk_queries": len(captured.captured_queries),
        "rounds": rounds,
        "productions": len(desk["productions"]),
        "deliverables_at_risk": len(desk["at_risk"]),
        "milestones_due": len(desk["milestones"]),
        "pencils_waiting": len(desk["pencils"]),
        "hires_pending": len(desk["hires"]),
        "page_bytes": len(page),
        "cue_import_1000_ms": round(statistics.median(cue_times) * 1000, 1),
    }
