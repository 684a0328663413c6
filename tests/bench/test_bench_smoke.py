"""The scheduling benchmark runs end to end (--quick) and prints every figure it promises.

Timings are not asserted (DESIGN: a benchmark is not a test); only that each key is
there with a sane type, and the race figures, which are correctness, not speed.
"""

import json
import os
import subprocess
import sys

import pytest

SCALAR_FIGURES = (
    "create_growth",
    "raw_create_p50_ms",
    "create_vs_raw",
    "http_create_p50_ms",
    "http_create_p95_ms",
    "http_create_rps",
    "board_week_100_p50_ms",
    "board_p50_ms",
    "availability_p50_ms",
)


def run_quick(*extra: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.setdefault("POSTDESK_DEMO", "1")
    done = subprocess.run(
        [sys.executable, "-m", "postdesk.cli", "bench", "scheduling", "--quick", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL smoke run needs DATABASE_URL=postgres://... (CI sets it)")
    return url


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_quick_run_prints_every_figure(database):
    # given a fresh bench database of the kind asked for
    extra = () if database == "sqlite" else ("--database-url", postgres_server())

    # when the quick benchmark runs
    result = run_quick(*extra)

    # then the JSON names the database and sizes, and has every figure as a number
    assert result["database"] == database
    assert result["resources"] == 300
    assert result["bookings"] == 20_000
    assert set(result["create_p50_ms"]) == {"10000", "20000"}
    assert all(isinstance(v, float) and v > 0 for v in result["create_p50_ms"].values())
    for key in SCALAR_FIGURES:
        assert isinstance(result[key], float), key
        assert result[key] > 0, key
    assert isinstance(result["board_items"], int)
    assert result["board_items"] > 0
    assert result["board_week_100_resources"] == 100
    assert result["board_resources"] == 300
    assert result["http_create_failures"] == {}
    # and the race had exactly one winner per round and no server error
    race = result["race"]
    assert race["clients"] == 16
    assert race["winners_per_round"] == [1] * race["rounds"]
    assert race["server_errors"] == 0
