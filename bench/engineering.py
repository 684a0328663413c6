"""`postdesk bench engineering`: a room down reaching the board, and timecode throughput.

Run: postdesk bench engineering [--rounds 30] [--database-url postgres://...] [--keep]

Like `bench scheduling`, never touches the configured database: a fresh SQLite file (or a
new PostgreSQL database on the server named, dropped afterwards), and a child process
pointed at it that prints one JSON object on stdout:

- room_down_to_board_ms: over HTTP against `postdesk serve`, from sending the room-down
  report (POST /api/v1/engineering/tickets) until GET /api/v1/board has answered with
  the block on the room; the median of --rounds reports, each on a fresh room with two
  confirmed bookings in its span. Target ≤ 200.
- timecode_conversions_per_s: frames → label → frames round trips per second through
  core/timecode (both directions counted), at 29.97 drop frame, the costliest notation.

- qc_overhead_ratio: the whole QC task's wall time (claim, ffprobe, the one ffmpeg pass
  with progress read and the cancel flag polled, the checks, the report written), as the
  worker calls it, divided by a bare `ffmpeg` run with the same filters on the same file
  (qc_media.analysis_command without -progress), both timed in this run on a generated
  --qc-minutes (default 10) 1080p25 file (MPEG-2 picture, PCM stereo at -23 LUFS, made
  with lavfi before timing). The two runs alternate --qc-rounds times; medians. Target
  ≤ 1.15.
- qc_realtime_factor: the file's duration divided by the QC task's wall time (how many
  times faster than real time a check runs on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from bench.child import CHILD_ENV, bench_actor, bench_main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="postdesk bench engineering")
    parser.add_argument("--rounds", type=int, default=30, help="room-down reports to time")
    parser.add_argument("--database-url", default=None, help="a postgres:// server to use")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--qc-minutes", type=float, default=10.0, help="QC file length")
    parser.add_argument("--qc-rounds", type=int, default=1, help="bare/QC run pairs to time")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    bench_main("engineering", parse_args(argv), argv, run)


def timecode_rate(seconds: float = 2.0) -> float:
    from postdesk.core import timecode as tc

    day = tc.frames_per_day("29.97", True)
    step = 7919  # a prime: the labels walk the whole day
    done, frame = 0, 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for _ in range(1000):
            label = tc.frames_to_timecode(frame, "29.97", True)
            tc.timecode_to_frames(label, "29.97")
            frame = (frame + step) % day
        done += 2000
    return round(done / (time.perf_counter() - began))


def make_rooms(rounds: int):
    """A room per round plus a spare, each with two confirmed bookings tomorrow; a
    bookings user and a runner (who reports) with API tokens."""
    from postdesk.core.services import create_site, create_user, issue_token
    from postdesk.productions import services as productions
    from postdesk.scheduling import services as scheduling

    BENCH = bench_actor()
    site = create_site(name="Bench Soho", code="bench-soho", actor=BENCH)
    client = productions.create_client(actor=BENCH, name="Bench Pictures")
    production = productions.create_production(actor=BENCH, client=client, title="Bench")
    job = productions.create_job(actor=BENCH, production=production, description="Bench")
    tomorrow = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    rooms = []
    for i in range(rounds + 1):
        room = scheduling.create_resource(
            actor=BENCH, kind="room", name=f"Suite {i:03d}", site=site
        )
        for hours in ((9, 13), (14, 18)):
            scheduling.create_booking(
                actor=BENCH,
                job=job,
                resources=[room.pk],
                status="confirmed",
                start=tomorrow + timedelta(hours=hours[0]),
                end=tomorrow + timedelta(hours=hours[1]),
            )
        rooms.append(room.pk)
    tokens = {}
    for role in ("bookings", "runner"):
        user = create_user(username=f"bench-{role}", role=role, password=None, actor=BENCH)
        tokens[role] = issue_token(user=user, actor=BENCH)[1]
    return rooms, tokens, tomorrow


def room_down_rounds(port: int, rooms, tokens, tomorrow) -> list[float]:
    from bench.httpbench import Client

    reporter, reader = Client(port, tokens["runner"]), Client(port, tokens["bookings"])
    until = (tomorrow + timedelta(hours=20)).isoformat()
    board = "/api/v1/board?" + urlencode(
        {"start": tomorrow.isoformat(), "end": (tomorrow + timedelta(days=1)).isoformat()}
    )
    times = []
    for room in rooms:
        began = time.perf_counter()
        status, body, _ = reporter.call(
            "POST",
            "/api/v1/engineering/tickets",
            {
                "severity": "room_down",
                "room": room,
                "description": "Bench",
                "estimate_until": until,
            },
        )
        if status != 201:
            raise RuntimeError(f"report answered {status}: {body[:300]!r}")
        status, body, _ = reader.call("GET", board)
        data = json.loads(body)
        fields = data["allocation_fields"]
        kinds = [dict(zip(fields, row, strict=True)) for row in data["allocations"]]
        if not any(a["resource"] == room and a["kind"] == "maintenance" for a in kinds):
            raise RuntimeError(f"the block on room {room} is not on the board")
        times.append(time.perf_counter() - began)
    reporter.close()
    reader.close()
    return times


def run(args: argparse.Namespace) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.httpbench import Server

    log(f"{connection.vendor}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    rooms, tokens, tomorrow = make_rooms(args.rounds)
    env = dict(os.environ)
    env.pop(CHILD_ENV, None)
    server = Server(env, 1, Path(settings.VAR_DIR) / "serve.log")
    connection.close()
    server.start(tokens["bookings"])
    try:
        log(f"{args.rounds} room-down reports, each then read back from the board")
        room_down_rounds(server.port, rooms[:1], tokens, tomorrow)  # warm-up
        times = room_down_rounds(server.port, rooms[1:], tokens, tomorrow)
    finally:
        server.stop()
    log("timecode round trips for 2 s")
    rate = timecode_rate()
    qc = qc_figures(args.qc_minutes, args.qc_rounds)
    return {
        "database": connection.vendor,
        "room_down_to_board_ms": round(statistics.median(times) * 1000, 1),
        "room_down_to_board_p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 1),
        "rounds": len(times),
        "timecode_conversions_per_s": rate,
        **qc,
    }


def qc_figures(minutes: float, rounds: int) -> dict:
    """qc_overhead_ratio and qc_realtime_factor (see the module's docstring)."""
    import subprocess

    from django.conf import settings

    from postdesk.core.services import create_user
    from postdesk.engineering import qc_checks, qc_media
    from postdesk.engineering.models import DeliverySpec
    from postdesk.engineering.qc_generate import Media, generate
    from postdesk.engineering.services import start_check
    from postdesk.engineering.tasks import run_qc

    if not qc_media.tools_available():
        return {"qc_overhead_ratio": None, "qc_realtime_factor": None, "qc_note": "no ffmpeg"}
    root = Path(settings.QC_MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    path = root / "bench-1080p25.mkv"
    seconds = round(minutes * 60, 3)
    log(f"QC: generating a {seconds:g} s 1080p25 file with lavfi")
    began = time.perf_counter()
    generate(path, Media(seconds=seconds, size="1920x1080", codec="mpeg2"))
    log(f"QC: generated in {time.perf_counter() - began:.1f} s")
    engineer = create_user(
        username="bench-engineer", role="engineer", password=None, actor=bench_actor()
    )
    spec = DeliverySpec.objects.get(slug="house-prores-mezzanine")
    data = qc_media.probe(path)
    duration = qc_checks.facts(data)["duration_s"]
    bare_command = qc_media.analysis_command(path, data, spec.body["detect"], progress=False)
    bare, task = [], []
    for i in range(rounds):
        log(f"QC round {i + 1}/{rounds}: bare ffmpeg")
        began = time.perf_counter()
        subprocess.run(bare_command, check=True, capture_output=True)
        bare.append(time.perf_counter() - began)
        log(f"QC round {i + 1}/{rounds}: the QC task ({bare[-1]:.1f} s bare)")
        report = start_check(actor=engineer, spec=spec, path=path.name)
        began = time.perf_counter()
        outcome = run_qc.call(report.pk)
        task.append(time.perf_counter() - began)
        log(f"QC task {task[-1]:.1f} s: {outcome}")
    return {
        "qc_overhead_ratio": round(statistics.median(task) / statistics.median(bare), 3),
        "qc_realtime_factor": round(duration / statistics.median(task), 2),
        "qc_file_seconds": duration,
        "qc_bare_ffmpeg_s": round(statistics.median(bare), 2),
        "qc_task_s": round(statistics.median(task), 2),
        "qc_rounds": rounds,
    }
