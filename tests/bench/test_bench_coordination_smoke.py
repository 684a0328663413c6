"""The coordination benchmark runs end to end (--quick) and prints its figures.

Timings are not asserted (a benchmark is not a test); the desk's query count is: it must
not grow with the supervisor's productions."""

import json
import os
import subprocess
import sys


def test_bench_coordination_quick_prints_the_desk_figures():
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.setdefault("POSTDESK_DEMO", "1")
    done = subprocess.run(
        [sys.executable, "-m", "postdesk.cli", "bench", "coordination", "--quick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert isinstance(result["supervisor_desk_ms"], float) and result["supervisor_desk_ms"] > 0
    assert result["supervisor_desk_queries"] == 8
    assert (result["productions"], result["hires_pending"], result["pencils_waiting"]) == (
        10,
        10,
        10,
    )
    assert isinstance(result["cue_import_1000_ms"], float) and result["cue_import_1000_ms"] > 0
