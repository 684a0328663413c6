"""The front desk benchmark runs end to end (--quick) and prints every figure it promises.

Timings are not asserted (a benchmark is not a test); the claim race is correctness:
exactly one winner each round, no server error."""

import json
import os
import subprocess
import sys


def test_bench_frontdesk_quick_prints_its_figures_and_one_winner_per_round():
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.setdefault("POSTDESK_DEMO", "1")
    done = subprocess.run(
        [sys.executable, "-m", "postdesk.cli", "bench", "frontdesk", "--quick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for key in ("roll_call_ms", "kiosk_sign_in_http_p50_ms", "runner_poll_304_p50_ms"):
        assert isinstance(result[key], float) and result[key] > 0, key
    race = result["runner_claim_race"]
    assert race["winners_per_round"] == [1] * race["rounds"]
    assert race["server_errors"] == 0
    assert race["statuses"] == {"200": race["rounds"], "409": 15 * race["rounds"]}
