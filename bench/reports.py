"""`postdesk bench reports`: calendar feeds, reports and the client portal, as JSON.

Run: postdesk bench reports [--database-url postgres://...] [--quick] [--keep]

Figures (p50 of repeated runs, in-process through Django's test client, middleware and
all, on a fresh database like every bench here, see bench/child.py):
- ical_room_year_ms: a room's feed holding a year of bookings (~2,500 events), built;
- ical_304_ms: the same feed asked again with its ETag (a 304);
- utilisation_300x12_ms: utilisation of 300 resources over 12 months, per resource;
- revenue_year_ms: revenue per client and month over a year of invoices;
- portal_home_ms: a client user's portal home page.
History is bulk-inserted (not through the services: that would take minutes and measure
nothing reported here).
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from decimal import Decimal

from bench.child import bench_actor, bench_main

RESOURCES = 300
ROOM_EVENTS_PER_DAY = 10  # 09:00 to 19:00, hourly: ~2,500 events in the feed window


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="postdesk bench reports", description=__doc__)
    parser.add_argument("--database-url", default=None, help="postgres://... server")
    parser.add_argument("--quick", action="store_true", help="few samples, less history")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print (to stderr) where the 304 and the portal home spend their time",
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench reports] {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    bench_main("reports", parse_args(argv), argv, run)


def p50(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[len(ordered) // 2] * 1000, 2)


def _bulk(model, rows, size=5000):
    for i in range(0, len(rows), size):
        model.objects.bulk_create(rows[i : i + size])


def setup(resources: int, quick: bool) -> dict:
    from django.utils import timezone

    from postdesk.core.models import Site
    from postdesk.core.services import create_user
    from postdesk.productions import services as productions
    from postdesk.scheduling.models import Allocation, Booking, Resource

    actor = bench_actor()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    site = Site.objects.create(name="Bench", code="bench")
    client = productions.create_client(actor=actor, name="Bench Pictures")
    production = productions.create_production(actor=actor, client=client, title="Bench Feature")
    job = productions.create_job(actor=actor, production=production, description="Bench work")
    staff = create_user(username="bench-bookings", role="bookings", password="x" * 20, actor=actor)
    portal_user = create_user(
        username="bench-client", role="client", password="x" * 20, client=client, actor=actor
    )
    rooms = Resource.objects.bulk_create(
        Resource(kind=("room", "equipment", "person")[i % 3], name=f"Bench {i}", site=site)
        for i in range(resources)
    )
    log(f"{len(rooms)} resources; laying down a year of bookings")
    day0 = (now - datetime.timedelta(days=60)).replace(hour=9)
    bookings, allocations = [], []
    rng = random.Random(17)
    next_id = (Booking.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    days = 30 if quick else 365
    for d in range(days):
        day = day0 + datetime.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for r, room in enumerate(rooms):
            slots = ROOM_EVENTS_PER_DAY if r == 0 else 1
            for s in range(slots):
                start = day + datetime.timedelta(hours=s if r == 0 else 0)
                end = start + datetime.timedelta(hours=1 if r == 0 else rng.choice((5, 10)))
                status = "pencil" if rng.random() < 0.15 else "confirmed"
                bookings.append(
                    Booking(id=next_id, kind="job", job=job, status=status, start=start, end=end)
                )
                allocations.append(
                    Allocation(
                        booking_id=next_id,
                        resource=room,
                        start=start,
                        end=end,
                        status=status,
                        blocking=status == "confirmed",
                        hold_rank=1 if status == "pencil" else None,
                    )
                )
                next_id += 1
    _bulk(Booking, bookings)
    _bulk(Allocation, allocations)
    log(f"{len(bookings)} bookings; a year of invoices")
    _invoices(job, client, now.date(), 40 if quick else 400)
    return {"room": rooms[0], "staff": staff, "portal_user": portal_user, "job": job}


def _invoices(job, client, today, count: int) -> None:
    from postdesk.billing.models import CreditNote, Invoice, Payment

    rng = random.Random(5)
    invoices = []
    for i in range(count):
        net = Decimal(rng.randrange(50_000, 500_000)) / 100
        vat = (net * Decimal("0.2")).quantize(Decimal("0.01"))
        invoices.append(
            Invoice(
                job=job,
                client=client,
                status="issued",
                number=f"BENCH-{i:05d}",
                issue_date=today - datetime.timedelta(days=rng.randrange(0, 360)),
                net=net,
                vat=vat,
                gross=net + vat,
                client_name=client.name,
            )
        )
    _bulk(Invoice, invoices)
    made = list(Invoice.objects.filter(number__startswith="BENCH-"))
    _bulk(
        Payment,
        [
            Payment(invoice=inv, amount=inv.gross / 2, received_on=inv.issue_date)
            for inv in made[::2]
        ],
    )
    _bulk(
        CreditNote,
        [
            CreditNote(
                invoice=inv,
                number=f"BENCH-CN-{n}",
                issue_date=inv.issue_date,
                reason="bench",
                net=Decimal("10.00"),
                vat=Decimal("2.00"),
                gross=Decimal("12.00"),
            )
            for n, inv in enumerate(made[::10])
        ],
    )


def timed(call, samples: int) -> float:
    call()  # warm
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return p50(times)


def run(args: argparse.Namespace) -> dict:
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from postdesk.portal import feeds
    from postdesk.portal import services as portal
    from postdesk.reports import queries

    # The request log line goes to stdout, which carries this bench's JSON.
    logging.getLogger("postdesk.request").setLevel(logging.WARNING)
    samples = 3 if args.quick else 15
    log(f"{connection.vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    ctx = setup(30 if args.quick else RESOURCES, args.quick)
    _, token = portal.create_feed(kind="resource", resource=ctx["room"], actor=ctx["staff"])
    http = Client(HTTP_HOST="localhost")
    url = f"/feeds/{token}.ics"
    first = http.get(url)
    assert first.status_code == 200, first.status_code
    events = first.content.count(b"BEGIN:VEVENT")
    log(f"room feed: {events} events")
    figures = {
        "database": connection.vendor,
        "room_feed_events": events,
        "ical_room_year_ms": timed(lambda: http.get(url), samples),
    }
    etag = first["ETag"]

    def not_modified():
        answer = http.get(url, HTTP_IF_NONE_MATCH=etag)
        assert answer.status_code == 304, answer.status_code

    figures["ical_304_ms"] = timed(not_modified, samples * 4)
    params = queries.Params(start=queries.default_start(), months=12, group="resource")
    figures["utilisation_resources"] = 30 if args.quick else RESOURCES
    figures["utilisation_300x12_ms"] = timed(lambda: queries.report("utilisation", params), samples)
    figures["revenue_year_ms"] = timed(lambda: queries.report("revenue", params), samples)
    assert feeds.open_feed(token) is not None
    portal = Client(HTTP_HOST="localhost")
    portal.force_login(ctx["portal_user"])

    def home():
        answer = portal.get("/portal/")
        assert answer.status_code == 200, answer.status_code

    figures["portal_home_ms"] = timed(home, samples)
    if args.profile:
        profile("ical_304", not_modified)
        profile("portal_home", home)
    return figures


def profile(name: str, call, runs: int = 20) -> None:
    """The call's queries (count and text) and its top functions by own time, to stderr."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    log(f"{name}: {len(queries)} queries")
    for q in queries.captured_queries:
        log(f"  {q['time']}s {q['sql'][:300]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    log(f"{name}, {runs} runs:\n{out.getvalue()}")
