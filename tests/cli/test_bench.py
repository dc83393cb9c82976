"""The shipped benchmark runs end to end and its correctness checks pass (never timing)."""
from __future__ import annotations

import json
import subprocess
import sys


def test_bench_prints_one_json_line_whose_checks_pass():
    out = subprocess.run([sys.executable, "-m", "dtale_lite.bench.benchmark", "--rows", "20000"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    figures = json.loads(lines[0])
    assert figures["checks"] == "ok"
    assert figures["rows"] == 20000
    assert figures["filter_total"] > 0
    assert figures["fresh_sort_slowest_ms"] >= figures["fresh_sort_pages_median_ms"] > 0
    assert all(isinstance(v, bool) for k, v in figures.items() if k.endswith("_pass"))
