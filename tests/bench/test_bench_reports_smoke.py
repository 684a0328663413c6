"""The reports benchmark runs end to end (--quick) and prints every figure it promises.
Timings are not asserted (a benchmark is not a test)."""

import json
import os
import subprocess
import sys


def test_bench_reports_quick_prints_its_figures():
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.setdefault("POSTDESK_DEMO", "1")
    done = subprocess.run(
        [sys.executable, "-m", "postdesk.cli", "bench", "reports", "--quick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for key in (
        "ical_room_year_ms",
        "ical_304_ms",
        "utilisation_300x12_ms",
        "revenue_year_ms",
        "portal_home_ms",
    ):
        assert isinstance(result[key], float) and result[key] > 0, key
    assert result["room_feed_events"] > 0
