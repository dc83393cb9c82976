"""The chart page benchmark (``python -m dtale_lite.bench.chart_page``) runs end to end in
headless Chromium and prints its figures (their values are never judged here)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser


def test_the_chart_page_benchmark_prints_cold_and_warm_loads(browser):
    out = subprocess.run([sys.executable, "-m", "dtale_lite.bench.chart_page", "--runs", "1",
                          "--rows", "5000"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    run, summary = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert run["rows"] == summary["rows"] == 5000
    assert run["cold_ms"] > 0 and run["warm_ms"] > 0
    names = [request[0] for request in run["cold_breakdown"]["requests"]]
    assert "plotly.min.js" in names and "_dash-layout" in names
    assert isinstance(summary["cold_pass"], bool) and isinstance(summary["warm_pass"], bool)
