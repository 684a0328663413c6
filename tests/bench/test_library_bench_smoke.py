"""The library benchmark runs end to end (--quick) and prints every figure it promises.

Timings are not asserted (a benchmark is not a test); the stock-take's classes are, since
they are correctness: 480 of the shelf's 500 found, 20 missing, 5 unknown codes.
"""

import json
import os
import subprocess
import sys

import pytest

FIGURES = (
    "scan_move_http_p50_ms",
    "scan_move_http_p95_ms",
    "search_p50_ms",
    "lineage_p50_ms",
    "stocktake_close_ms",
    "import_last_block_s",
)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_quick_library_bench_prints_every_figure(database):
    extra = []
    if database == "postgresql":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            pytest.skip("the PostgreSQL smoke run needs DATABASE_URL=postgres://...")
        extra = ["--database-url", url]
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.setdefault("POSTDESK_DEMO", "1")
    done = subprocess.run(
        [sys.executable, "-m", "postdesk.cli", "bench", "library", "--quick", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert (result["database"], result["items"]) == (database, 5000)
    for name in FIGURES:
        assert isinstance(result[name], float) and result[name] > 0, name
    assert result["scan_move_http_statuses"] == {"200": 70}
    classes = result["stocktake_classes"]
    assert (classes["found"], classes["missing"], classes["unknown"]) == (480, 20, 5)
