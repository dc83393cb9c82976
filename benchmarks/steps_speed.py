"""Steps and summaries at 10M rows on the benchmark frame (issue 15), pandas.

    PYTHONPATH=. python3 benchmarks/steps_speed.py [rows]

Each figure is the median of 3 runs (1 for the slow ones) through the data layer (the same code
the routes run; the route adds a JSON answer of the steps and code). The memory growth of one
edit is the process's RSS after the edit minus before it, with the stepped frame kept alive.
"""
from __future__ import annotations

import gc
import statistics
import sys
import time

import psutil

from dtale_lite.frames.benchframe import bench_frame
from dtale_lite.frames.source import PandasSource
from dtale_lite.frames.steps.history import StepHistory
from dtale_lite.frames.steps.summaries import summarize

TARGETS_MS = {"arithmetic column": 150, "datetime_part": 500, "convert s_lo to category": 2000,
              "edit one cell": 50, "next page after the edit": 10, "groupby s_lo, 3 aggs of f1":
              1000, "pivot s_lo x flag, mean f1": 1000, "resample ts by day": 1000,
              "drop_duplicates s_lo, i_small": 2000}


def timed(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(rows: int) -> None:
    frame = bench_frame(rows)
    print(f"benchmark frame: {rows:,} rows")
    results = {}

    def step(body):
        return lambda: StepHistory(frame).apply(body)

    results["arithmetic column"] = timed(step({"op": "add_column", "name": "g", "kind":
                                               "arithmetic", "left": "f1", "operator": "*",
                                               "right": "f2"}))
    results["datetime_part"] = timed(step({"op": "add_column", "name": "m", "kind":
                                           "datetime_part", "column": "ts", "part": "month"}))
    results["convert s_lo to category"] = timed(step({"op": "convert", "column": "s_lo",
                                                      "to": "category"}), runs=1)
    process = psutil.Process()
    history = StepHistory(frame)
    gc.collect()
    before = process.memory_info().rss
    start = time.perf_counter()
    history.apply({"op": "edit", "row": 5, "column": "f1", "value": 1.5})
    results["edit one cell"] = (time.perf_counter() - start) * 1000
    source = PandasSource(history.frame)  # what the route serves next
    start = time.perf_counter()
    source.rows(__import__("numpy").arange(100, 200), range(12))
    results["next page after the edit"] = (time.perf_counter() - start) * 1000
    growth = (process.memory_info().rss - before) / 1e6
    column_mb = frame["f1"].memory_usage(index=False) / 1e6
    frame_mb = frame.memory_usage(index=False, deep=False).sum() / 1e6

    def summary(body):
        return lambda: summarize(frame, body)

    results["groupby s_lo, 3 aggs of f1"] = timed(summary({"kind": "groupby", "by": ["s_lo"],
                                                           "aggregations": {"f1": [
                                                               "mean", "sum", "max"]}}))
    results["pivot s_lo x flag, mean f1"] = timed(summary({
        "kind": "pivot", "index": "s_lo", "columns": "flag", "values": "f1",
        "aggregation": "mean"}))
    results["resample ts by day"] = timed(summary({"kind": "resample", "on": "ts", "freq": "day",
                                                   "aggregations": {"f1": ["mean"]}}))
    results["drop_duplicates s_lo, i_small"] = timed(step({"op": "drop_duplicates", "columns":
                                                           ["s_lo", "i_small"]}), runs=1)
    for name, ms in results.items():
        target = TARGETS_MS[name]
        print(f"{name:32} {ms:9.1f} ms   target <= {target} ms  "
              f"{'ok' if ms <= target else 'MISSED'}")
    print(f"memory growth of one edit: {growth:.0f} MB (one column of f1: {column_mb:.0f} MB; "
          f"the frame without its strings' data: {frame_mb:.0f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
