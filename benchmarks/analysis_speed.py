"""The analysis pages (issue 16) at 10M rows on the benchmark frame, pandas, cold.

    PYTHONPATH=. python3 benchmarks/analysis_speed.py [rows] [runs]

Each figure is the median of ``runs`` (default 3) cold computations through the analysis
service (``charts/analysis/service.py``, the code each route and page runs: the engine's
primitives, the answer, its figure and its code), each on a fresh registry so nothing is
cached; the route adds only the JSON encoding of the answer. A few answers are checked against
plain pandas (``CHECK FAILED`` and exit status 1 on a wrong one).
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtale_lite.charts.analysis.service import Analysis  # noqa: E402
from dtale_lite.charts.service import Charts  # noqa: E402
from dtale_lite.frames.benchframe import bench_frame  # noqa: E402
from dtale_lite.server.registry import Registry  # noqa: E402

TARGET_MS = 1000
CASES = [
    ("missing: 12 columns", "missing", {}),
    ("missing: 12 columns, filter f1 > 0", "missing", {"filter_text": "f1 > 0"}),
    ("outliers: f1, IQR", "outliers", {"column": "f1", "method": "iqr"}),
    ("outliers: f4, z-score", "outliers", {"column": "f4", "method": "zscore"}),
    ("duplicates: s_lo, i_small", "duplicates", {"columns_text": '["s_lo", "i_small"]'}),
    ("duplicates: s_hi (43% distinct strings)", "duplicates", {"columns_text": '["s_hi"]'}),
    ("duplicates: all 12 (id: a rising row id)", "duplicates", {}),
    ("duplicates: the 11 columns but id", "duplicates", {"columns_text": json.dumps(
        ["i_small", "i_big", "f1", "f2", "f3", "f4", "s_lo", "s_hi", "cat", "ts", "flag"])}),
    ("timeseries: f1 by day, window 7", "timeseries",
     {"x": "ts", "y": "f1", "freq": "day", "window": "7"}),
    ("timeseries: f1, auto period", "timeseries", {"x": "ts", "y": "f1"}),
]


def cold(frame, page: str, params: dict) -> tuple[float, dict]:
    registry = Registry()
    registry.add(frame, "bench")
    service = Analysis(Charts(registry))
    start = time.perf_counter()
    answer = getattr(service, page)("bench", **params)
    elapsed = (time.perf_counter() - start) * 1000
    registry.clear()
    return elapsed, answer


def check(frame, label: str, answer: dict) -> bool:
    if label == "duplicates: s_lo, i_small":
        return answer["rows"] == int(frame.duplicated(["s_lo", "i_small"]).sum())
    if label.startswith("duplicates: s_hi"):
        return answer["rows"] == int(frame.duplicated(["s_hi"]).sum())
    if label == "outliers: f1, IQR":
        q1, q3 = frame.f1.quantile([0.25, 0.75])
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        return answer["count"] == int(((frame.f1 < low) | (frame.f1 > high)).sum())
    if label == "missing: 12 columns":
        return [c["missing"] for c in answer["columns"]] == frame.isna().sum().tolist()
    return True


def main(rows: int, runs: int) -> int:
    start = time.perf_counter()
    frame = bench_frame(rows)
    print(f"benchmark frame: {rows:,} rows (built in {time.perf_counter() - start:.1f} s); "
          f"median of {runs} cold runs each")
    start = time.perf_counter()
    import statsmodels.tsa.seasonal  # noqa: F401 - timed apart: once per process

    print(f"import of statsmodels (the first decomposition in a process): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms, not counted below")
    failed = 0
    for label, page, params in CASES:
        times, answer = [], None
        for _ in range(runs):
            ms, answer = cold(frame, page, params)
            times.append(ms)
        ok = check(frame, label, answer)
        failed += not ok
        median = statistics.median(times)
        runs_text = ", ".join(f"{t:.0f}" for t in times)
        print(f"{label:42} {median:8.0f} ms  (runs: {runs_text})  target <= {TARGET_MS} ms "
              f"{'ok' if median <= TARGET_MS else 'MISSED'}{'' if ok else '  CHECK FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000,
                  int(sys.argv[2]) if len(sys.argv) > 2 else 3))
