"""`postdesk bench library`: scans over HTTP, search, lineage, a stock-take and an import.

Run: postdesk bench library [--items 100000] [--database-url postgres://...] [--quick]

Like `postdesk bench scheduling` it never touches the configured database: it makes a
fresh one (a temporary SQLite file, or a new PostgreSQL database on the server named by
--database-url, dropped afterwards) and re-runs itself in a child process pointed there;
the scans go through `postdesk serve` on a loopback port, as the scheduling bench's HTTP
figures do. The child prints one JSON object on stdout; progress goes to stderr.

The catalogue is generated in bulk through the import service (library/importing.py),
100,000 rows a file, the last of which is the timed `import_100k_s`; lineage trees and the
stock-take's shelf are laid on top.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime

from bench.child import CHILD_ENV, bench_actor, bench_main
from bench.scheduling import (
    database_version,
    log,
)

IMPORT_BLOCK = 100_000
SHELF_ITEMS = 500  # the stock-take's shelf
RACKS, SHELVES_PER_RACK = 20, 25
TREES, TREE_DEPTH, TREE_FANOUT = 200, 5, 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="postdesk bench library",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--items", type=int, default=None, help="items (default 1,000,000)")
    parser.add_argument("--database-url", default=None, help="postgres://... server")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5,000 items")
    parser.add_argument("--workers", type=int, default=2, help="postdesk serve --workers")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args(argv)
    if args.items is None:
        args.items = 5_000 if args.quick else 1_000_000
    if args.items < 2 * SHELF_ITEMS:
        parser.error(f"need at least {2 * SHELF_ITEMS} items")
    return args


def main(argv: list[str]) -> None:
    bench_main("library", parse_args(argv), argv, run)


# --- child -----------------------------------------------------------------------------


def make_facility():
    """A librarian with an API token, 10 clients × 3 productions, and a vault of RACKS
    racks × SHELVES_PER_RACK shelves, plus the stock-take's shelf and a scan shelf pair."""
    from postdesk.core.audit import SYSTEM
    from postdesk.core.services import create_site, create_user, issue_token
    from postdesk.library import services
    from postdesk.productions import services as productions

    BENCH = bench_actor()
    site = create_site(name="Bench Soho", code="bench-soho", actor=BENCH)
    user = create_user(username="bench-librarian", role="library", actor=BENCH)
    _, token = issue_token(user=user, name="bench", actor=BENCH)
    titles = []
    for c in range(10):
        client = productions.create_client(actor=BENCH, name=f"Bench Client {c + 1}")
        for p in range(3):
            title = f"Feature {c + 1}.{p + 1}"
            productions.create_production(actor=BENCH, client=client, title=title, kind="feature")
            titles.append(title)

    def loc(name, kind, parent=None, barcode=""):
        return services.create_location(
            actor=SYSTEM, name=name, kind=kind, parent=parent, barcode=barcode, site=site
        )

    root = loc("Bench Soho", "site", barcode="LOC-BENCH")
    vault = loc("Vault", "vault", root, "LOC-V")
    shelves = []
    for r in range(RACKS):
        rack = loc(f"Rack {r + 1}", "rack", vault, f"LOC-V-R{r + 1}")
        for s in range(SHELVES_PER_RACK):
            shelves.append(loc(f"Shelf {s + 1}", "shelf", rack, f"LOC-V-R{r + 1}-S{s + 1}"))
    special = loc("Bench rack", "rack", vault, "LOC-V-BENCH")
    stock_shelf = loc("Stock-take shelf", "shelf", special, "LOC-V-STOCK")
    scan_shelves = [loc(f"Scan shelf {i}", "shelf", special, f"LOC-V-SCAN{i}") for i in (1, 2)]
    return user, token, titles, shelves, stock_shelf, scan_shelves


FORMATS = ["HDCAM SR", "HDCAM", "Digibeta", "LTO-8", "SSD", "HDD", "XDCAM"]
GENERATIONS = ["Master", "Protection master", "Dub", "Clone", "Archive copy", "Sub-master"]
WORDS = [
    "night",
    "tide",
    "harbour",
    "winter",
    "signal",
    "echo",
    "orchard",
    "ember",
    "falcon",
    "river",
    "lantern",
]


def catalogue_csv(start: int, count: int, titles: list[str], shelves: list[str]) -> bytes:
    """`count` rows numbered from `start`: barcodes BENCH-0000001..., varied formats,
    generations, titles and productions; rates and timecodes on a third of them."""
    rng = random.Random(start)
    lines = ["Barcode,Title,Format,Generation,Location,Production,Reel,FPS,Start TC,Notes"]
    for n in range(start, start + count):
        words = " ".join(rng.sample(WORDS, 2))
        timed = n % 3 == 0
        lines.append(
            ",".join(
                [
                    f"BENCH-{n:07d}",
                    f"{words} ep{n % 40 + 1}",
                    FORMATS[n % len(FORMATS)],
                    GENERATIONS[n % len(GENERATIONS)],
                    shelves[n % len(shelves)],
                    titles[n % len(titles)],
                    f"R{n % 997:03d}",
                    "25" if timed else "",
                    "10:00:00:00" if timed else "",
                    "box damaged" if n % 50 == 0 else "",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


MAPPING = {
    "Barcode": "barcode",
    "Title": "title",
    "Format": "format",
    "Generation": "generation",
    "Location": "location",
    "Production": "production",
    "Reel": "reel",
    "FPS": "frame_rate",
    "Start TC": "start_timecode",
    "Notes": "notes",
}


def load_catalogue(user, titles, shelves, stock_shelf, total: int) -> float:
    """The stock-take's SHELF_ITEMS items first, then the rest in blocks of IMPORT_BLOCK;
    answers the seconds the last full block took."""
    from postdesk.library.importing import import_catalogue

    def one(start: int, count: int, codes: list[str]) -> float:
        data = catalogue_csv(start, count, titles, codes)
        began = time.perf_counter()
        report = import_catalogue(
            actor=user, data=data, filename="bench.csv", mapping=MAPPING, dry_run=False
        )
        if not report.ok:
            raise RuntimeError(f"bench import refused: {report.as_dict()['report'][:3]}")
        return time.perf_counter() - began

    one(1, SHELF_ITEMS, [stock_shelf.barcode])
    codes = [s.barcode for s in shelves]
    done, last = SHELF_ITEMS, 0.0
    while done < total:
        count = min(IMPORT_BLOCK, total - done)
        last = one(done + 1, count, codes)
        done += count
        log(f"imported {done:,} items ({count:,} in {last:.1f}s)")
    return last


def make_lineage(trees: int) -> tuple[list[int], list[int]]:
    """`trees` copy trees TREE_DEPTH deep (each item TREE_FANOUT copies) over items of the
    catalogue; answers the roots and the deepest leaves."""
    from postdesk.library.models import Derivation, MediaItem

    size = sum(TREE_FANOUT**d for d in range(TREE_DEPTH + 1))
    ids = list(MediaItem.objects.order_by("id").values_list("id", flat=True)[: trees * size])
    roots, leaves, links = [], [], []
    for t in range(len(ids) // size):
        nodes = ids[t * size : (t + 1) * size]
        roots.append(nodes[0])
        level = [nodes[0]]
        used = 1
        for _ in range(TREE_DEPTH):
            below = []
            for parent in level:
                for child in nodes[used : used + TREE_FANOUT]:
                    links.append(Derivation(parent_id=parent, child_id=child))
                    below.append(child)
                used += TREE_FANOUT
            level = below
        leaves.append(level[0])
    Derivation.objects.bulk_create(links, batch_size=5000)
    return roots, leaves


def measure_lineage(roots: list[int], leaves: list[int], n: int) -> list[float]:
    from postdesk.library import queries
    from postdesk.library.models import MediaItem

    times = []
    for i in range(n):
        down = i % 2 == 0
        item = MediaItem.objects.get(pk=(roots if down else leaves)[i % len(roots)])
        began = time.perf_counter()
        found = queries.descendants(item) if down else queries.ancestors(item)
        times.append(time.perf_counter() - began)
        expected = sum(TREE_FANOUT**d for d in range(1, TREE_DEPTH + 1)) if down else TREE_DEPTH
        if len(found) != expected:
            raise RuntimeError(f"lineage of {item.pk} found {len(found)}, not {expected}")
    return times


def search_cases(shelves) -> list[tuple[str, dict]]:
    from postdesk.library.models import Location

    rack = Location.objects.get(barcode="LOC-V-R5")
    return [
        ("BENCH-00001", {}),  # a barcode typed in part
        ("harbour ember", {}),  # two title words
        ("winter ep7", {"kind": "tape"}),
        ("night", {"location": rack.pk}),  # a rack's subtree
        ("signal", {"generation": "master"}),
        ("r123", {}),  # a reel
        ("box damaged", {}),  # notes
    ]


def measure_search(cases, rounds: int) -> tuple[list[float], dict, dict]:
    """Times of a page (50) of each case, `rounds` times; the hits and each case's times."""
    from postdesk.library.search import Filters, search_items

    times, hits, by_case = [], {}, {}
    for r in range(rounds + 1):
        for q, filters in cases:
            began = time.perf_counter()
            page = list(search_items(q, Filters(**filters))[:50].values_list("id", "barcode"))
            if r:  # the first round fills the caches
                times.append(time.perf_counter() - began)
                by_case.setdefault(q, []).append(times[-1])
            hits[q] = len(page)
    return times, hits, by_case


def measure_stocktake(user, stock_shelf, elsewhere: list[str]) -> tuple[float, dict]:
    """A stock-take of the 500-item shelf: its code, 480 of its items, 10 items recorded
    elsewhere (misplaced) and 5 codes nobody knows, scanned in 50-code sessions; answers
    the seconds `close_stocktake` took and the sizes of its classes."""
    from postdesk.library import services
    from postdesk.library.models import MediaItem

    on_shelf = list(
        MediaItem.objects.filter(location_id=stock_shelf.pk)
        .order_by("barcode")
        .values_list("barcode", flat=True)
    )
    found = on_shelf[: len(on_shelf) - 20]
    codes = found + elsewhere[:10] + [f"NOBODY-{i}" for i in range(5)]
    stocktake = services.start_stocktake(stock_shelf, actor=user)
    for i in range(0, len(codes), 50):
        services.record_scans(stocktake, [stock_shelf.barcode, *codes[i : i + 50]], actor=user)
    began = time.perf_counter()
    closed = services.close_stocktake(stocktake, actor=user)
    seconds = time.perf_counter() - began
    result = closed.result
    return seconds, {k: len(v) for k, v in result.items() if isinstance(v, list)}


def measure_scans(port: int, token: str, codes: list[str], shelves: list, n: int):
    """`n` scans over HTTP, one request each: an item then a shelf, each item going back
    and forth between the two scan shelves (every scan a real move)."""
    from bench.httpbench import Client

    client = Client(port, token)
    times, statuses = [], {}
    for i in range(n + 20):
        body = {"codes": [codes[i % len(codes)], shelves[(i // len(codes)) % 2].barcode]}
        status, payload, elapsed = client.call("POST", "/api/v1/scan", body)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status != 200:
            if statuses[str(status)] == 1:
                log(f"scan answered {status}: {payload[:300]!r}")
            continue
        if i >= 20:  # warm-up: every worker's imports and connection
            times.append(elapsed)
    client.close()
    return times, statuses


def run(args: argparse.Namespace) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.httpbench import Server, p50_ms, p95_ms
    from postdesk.library.models import MediaItem

    quick = args.quick
    load_before = os.getloadavg()[0]
    vendor = connection.vendor
    log(f"{vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    user, token, titles, shelves, stock_shelf, scan_shelves = make_facility()
    log(f"importing {args.items:,} items")
    import_seconds = load_catalogue(user, titles, shelves, stock_shelf, args.items)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    roots, leaves = make_lineage(max(1, min(TREES, args.items // 200)))
    if vendor == "postgresql":
        # The copy trees were laid after the first ANALYZE: without fresh statistics the
        # planner takes the derivation table for empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_derivation")
    log(f"lineage: {len(roots)} trees {TREE_DEPTH} deep")
    lineage_times = measure_lineage(roots, leaves, 20 if quick else 200)
    log("search")
    search_times, search_hits, search_cases_times = measure_search(
        search_cases(shelves), 3 if quick else 20
    )
    log("stock-take of a 500-item shelf")
    elsewhere = list(
        MediaItem.objects.filter(location_id=shelves[1].pk).values_list("barcode", flat=True)[:10]
    )
    stocktake_seconds, stocktake_classes = measure_stocktake(user, stock_shelf, elsewhere)

    scan_codes = list(
        MediaItem.objects.filter(location_id=shelves[2].pk).values_list("barcode", flat=True)[:50]
    )
    env = dict(os.environ)
    env.pop(CHILD_ENV, None)
    from pathlib import Path

    server = Server(env, args.workers, Path(settings.VAR_DIR) / "serve.log")
    log(f"starting postdesk serve --workers {args.workers} on port {server.port}")
    connection.close()
    server.start(token)
    try:
        scan_times, scan_statuses = measure_scans(
            server.port, token, scan_codes, scan_shelves, 50 if quick else 1000
        )
    finally:
        server.stop()
    scan_times = scan_times or [float("nan")]
    return {
        "database": vendor,
        "database_version": database_version(),
        "items": MediaItem.objects.count(),
        "quick": quick,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scan_move_http_p50_ms": p50_ms(scan_times),
        "scan_move_http_p95_ms": p95_ms(scan_times),
        "scan_move_http_statuses": scan_statuses,
        "search_p50_ms": p50_ms(search_times),
        "search_p95_ms": p95_ms(search_times),
        "search_hits": search_hits,
        "search_p50_ms_by_case": {q: p50_ms(t) for q, t in search_cases_times.items()},
        "lineage_p50_ms": p50_ms(lineage_times),
        "lineage_tree": {"depth": TREE_DEPTH, "fanout": TREE_FANOUT, "trees": len(roots)},
        "stocktake_close_ms": round(stocktake_seconds * 1000, 1),
        "stocktake_shelf_items": SHELF_ITEMS,
        "stocktake_classes": stocktake_classes,
        "import_100k_s": round(import_seconds, 2) if args.items >= IMPORT_BLOCK else None,
        "import_rows_timed": min(IMPORT_BLOCK, args.items - SHELF_ITEMS),
        "import_last_block_s": round(import_seconds, 2),
        "serve_workers": args.workers,
        "cpus": os.cpu_count(),
        "load_average_start_end": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
