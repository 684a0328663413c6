"""`postdesk bench board`: how fast the booking board draws in headless Chromium.

Loads 150 resources and 2,000 bookings in one week into a fresh database (a temporary
SQLite file unless --database-url names another; never the demo database), serves it
with gunicorn, signs in as a bookings coordinator and measures, in the page itself:

- board_first_draw_ms: navigation start to the first painted board with all its data;
- board_week_switch_ms: "next week" click to the painted board (median of --switches).

Prints one JSON object. Timings are for this machine; tests never assert them.
"""

import argparse
import datetime
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DB_FLAG = "POSTDESK_BENCH_BOARD_DB"


def parse(argv):
    parser = argparse.ArgumentParser(prog="postdesk bench board")
    parser.add_argument("--resources", type=int, default=150)
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--switches", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--chromium", default=os.environ.get("POSTDESK_CHROMIUM", "/usr/bin/chromium")
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def this_monday(zone) -> datetime.date:
    today = datetime.datetime.now(zone).date()
    return today - datetime.timedelta(days=today.weekday())


def load(resources: int, bookings: int, seed: int) -> dict:
    """Fill the current database (settings) through the services. Returns what it made."""
    from postdesk.core.audit import SystemActor
    from postdesk.core.services import create_site, create_user
    from postdesk.core.timeutil import facility_zone, local_at
    from postdesk.productions import services as productions
    from postdesk.scheduling import services as scheduling
    from postdesk.scheduling.services import BookingConflict

    bench = SystemActor("bench")  # the audit log's name for the benchmark's own writes
    rnd = random.Random(seed)
    zone = facility_zone()
    sites = [
        create_site(name="Soho", code="soho", actor=bench),
        create_site(name="Fitzrovia", code="fitz", actor=bench),
    ]
    skills = [
        scheduling.create_skill(actor=bench, name=n)
        for n in ("Avid", "Baselight", "Pro Tools", "Dolby Atmos", "Resolve", "ADR")
    ]
    kinds = ["room"] * 5 + ["person"] * 4 + ["equipment"]
    made = []
    for i in range(resources):
        kind = kinds[i % len(kinds)]
        made.append(
            scheduling.create_resource(
                actor=bench,
                kind=kind,
                site=sites[i % 2],
                name=f"{kind.title()} {i + 1:03d}",
                skills=rnd.sample(skills, 2),
            )
        )
    jobs = []
    for c in range(20):
        client = productions.create_client(
            actor=bench,
            name=f"Client {c + 1:02d}",
            colour=f"#{rnd.randrange(0x202020, 0xD0D0D0):06x}",
        )
        for p in range(2):
            production = productions.create_production(
                actor=bench, client=client, title=f"Production {c + 1}-{p + 1}", kind="feature"
            )
            jobs.append(
                productions.create_job(actor=bench, production=production, description="Post")
            )
    monday = this_monday(zone)
    # Each resource's week is cut into spans; most are confirmed, some pencilled over
    # others so that ranks (2nd, 3rd) appear as they do in a real week.
    count = 0
    attempts = 0
    while count < bookings and attempts < bookings * 3:
        attempts += 1
        resource = made[attempts % len(made)]
        day = monday + datetime.timedelta(days=rnd.randrange(7))
        start_hour = rnd.choice((7, 9, 10, 13, 14, 16, 19))
        length = rnd.choice((1, 2, 3, 4, 5))
        start = local_at(day, datetime.time(start_hour), zone)
        end = start + datetime.timedelta(hours=length)
        status = "pencil" if rnd.random() < 0.3 else "confirmed"
        try:
            scheduling.create_booking(
                actor=bench,
                job=rnd.choice(jobs),
                resources=[resource],
                start=start,
                end=end,
                status=status,
            )
        except BookingConflict:
            continue
        count += 1
    create_user(username="bench", role="bookings", password="bench-password", actor=bench)
    return {"resources": len(made), "bookings": count, "week": monday.isoformat()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def measure(base: str, week: str, chromium: str, switches: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", "bench")
        page.fill("input[name=password]", "bench-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        board_requests = []
        page.on(
            "request", lambda r: board_requests.append(r.url) if "/api/v1/board" in r.url else None
        )
        # Warm the server's code paths once, as a coordinator's browser would be warm.
        # (The page's CSP forbids eval, so waits use selectors: data-drawn counts paints.)
        page.goto(f"{base}/board/?view=week&date={week}")
        page.wait_for_selector("#board-app[data-drawn]", state="attached")
        first = []
        for _ in range(3):
            page.goto(f"{base}/board/?view=week&date={week}")
            page.wait_for_selector("#board-app[data-drawn]", state="attached")
            first.append(page.evaluate("window.postdeskBoard.firstDrawMs"))
        blocks = page.evaluate("document.querySelectorAll('#board-rows .block').length")
        rows = page.evaluate("document.querySelectorAll('#board-rows .row').length")
        # Switch into the loaded week from the (empty) week before it, and back again.
        before_week = (datetime.date.fromisoformat(week) - datetime.timedelta(days=7)).isoformat()
        page.goto(f"{base}/board/?view=week&date={before_week}")
        page.wait_for_selector("#board-app[data-drawn]", state="attached")
        into, away, per_switch, fetches, draws = [], [], [], [], []
        for i in range(switches * 2):
            drawn = int(page.get_attribute("#board-app", "data-drawn"))
            sent = len(board_requests)
            page.click("#board-next" if i % 2 == 0 else "#board-prev")
            while int(page.get_attribute("#board-app", "data-drawn")) <= drawn:
                page.wait_for_timeout(5)
            (into if i % 2 == 0 else away).append(
                page.evaluate("window.postdeskBoard.lastSwitchMs")
            )
            per_switch.append(len(board_requests) - sent)
        # The same switch without the look-ahead: from the week after, "previous" is a
        # window the page has not fetched yet (a fresh page each time: nothing cached).
        after_week = (datetime.date.fromisoformat(week) + datetime.timedelta(days=7)).isoformat()
        uncached = []
        for _ in range(3):
            page.goto(f"{base}/board/?view=week&date={after_week}")
            page.wait_for_selector("#board-app[data-drawn]", state="attached")
            drawn = int(page.get_attribute("#board-app", "data-drawn"))
            page.click("#board-prev")
            while int(page.get_attribute("#board-app", "data-drawn")) <= drawn:
                page.wait_for_timeout(5)
            uncached.append(page.evaluate("window.postdeskBoard.lastSwitchMs"))
            fetches.append(page.evaluate("window.postdeskBoard.lastFetchMs"))
            draws.append(page.evaluate("window.postdeskBoard.lastRenderMs"))
        server = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/board'))"
            ".filter(e => e.transferSize > 1000).map(e => e.responseEnd - e.requestStart)"
        )
        page.goto(f"{base}/board/?view=week&date={week}")
        page.wait_for_selector("#board-app[data-drawn]", state="attached")
        allocations = page.evaluate("window.postdeskBoard.allocations")
        browser.close()
    return {
        "board_first_draw_ms": round(statistics.median(first), 1),
        "board_first_draw_runs_ms": [round(v, 1) for v in first],
        "board_week_switch_ms": round(statistics.median(into), 1),
        "board_week_switch_runs_ms": [round(v, 1) for v in into],
        "board_week_switch_to_empty_week_ms": round(statistics.median(away), 1),
        "board_week_switch_uncached_ms": round(statistics.median(uncached), 1),
        # Full (unconditional) board requests per view change, look-ahead included.
        "board_requests_per_switch": max(per_switch),
        "board_response_ms": round(statistics.median(server), 1) if server else None,
        "board_switch_fetch_ms": round(statistics.median(fetches), 1),
        "board_switch_render_ms": round(statistics.median(draws), 1),
        "rows_in_dom": rows,
        "blocks_in_dom": blocks,
        "allocations_in_week": allocations,
    }


def main(argv=None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.load_only:
        if os.environ.get(BENCH_DB_FLAG) != "1":
            raise SystemExit("--load-only is run by the benchmark itself on its own database")
        print(json.dumps(load(args.resources, args.bookings, args.seed)))
        return
    project = Path(__file__).resolve().parent.parent
    tmp = tempfile.mkdtemp(prefix="postdesk-bench-board-")
    url = args.database_url or f"sqlite:///{tmp}/board.sqlite3"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        POSTDESK_VAR_DIR=tmp,
        POSTDESK_DEMO="1",
        DJANGO_SETTINGS_MODULE="postdesk.settings",
        **{BENCH_DB_FLAG: "1"},
    )
    env.pop("POSTDESK_TESTING", None)
    cli = [sys.executable, "-m", "postdesk.cli"]
    started = time.monotonic()
    subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=project)
    out = subprocess.run(
        [
            *cli,
            "bench",
            "board",
            "--load-only",
            "--resources",
            str(args.resources),
            "--bookings",
            str(args.bookings),
            "--seed",
            str(args.seed),
        ],
        env=env,
        check=True,
        cwd=project,
        capture_output=True,
        text=True,
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    load_s = time.monotonic() - started
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        result = measure(base, loaded["week"], args.chromium, args.switches)
    finally:
        server.terminate()
        server.wait(timeout=15)
    result.update(
        resources=loaded["resources"],
        bookings=loaded["bookings"],
        load_seconds=round(load_s, 1),
        database=url.split(":", 1)[0],
    )
    if args.keep and not args.database_url:
        result["kept_database"] = url
    print(json.dumps(result, indent=2))
    if not args.keep and not args.database_url:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
