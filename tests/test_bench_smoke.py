"""The benchmark keeps working: ``bench/run.py --quick`` runs and prints its table.

Nothing is asserted about speed: the figures belong to ``bench/README.md``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"
ROWS = [
    "orjson.loads (the floor)",
    "json.loads + json_normalize + to_datetime (the peer)",
    "oa.parse_usage, five frames",
    "peer / parse_usage",
    "peak memory rise, orjson.loads",
    "peak memory rise, peer",
    "peak memory rise, parse_usage",
    "half_hours bytes per row",
    "python -c pass (interpreter start-up)",
    "import pandas (fresh process)",
    "import ocean_analytics (fresh process)",
    "ocean-analytics --help (fresh process)",
    "import ocean_analytics, every public name resolved",
    "fetch_usage 20 x 10, serial (8 requests of <= 5 x 5)",
    "fetch_usage, 4 workers, 10 ms latency",
    "fetch_usage with cache=, first run (fills it)",
    "fetch_usage with cache=, re-run",
]


@pytest.mark.slow
def test_the_quick_benchmark_prints_its_table():
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick"], check=False, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Machine: ") and "pandas" in lines[0]
    payload = r"Payload: 20 vehicles x 10 days, [\d.]+ MB of JSON, [\d,]+ half hours$"
    assert re.match(payload, lines[1])
    table = [line for line in lines if line.startswith("| ")]
    measures = [line.split("|")[1].strip() for line in table[1:]]
    assert sorted(next((r for r in ROWS if m.startswith(r)), m) for m in measures) == sorted(ROWS)
    rerun = next(line for line in table if "re-run" in line)
    assert ", 0 requests" in rerun
    per_row = next(line for line in table if "bytes per row" in line)
    assert re.search(r"\| [\d.]+ B +\|", per_row)
