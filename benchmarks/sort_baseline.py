"""The first sorted page before issue 8 (a full sort first), for comparison in the same run:
``PYTHONPATH=<checkout of the old code> python benchmarks/sort_baseline.py [rows]``.

Uses only what the old Planner offers (``Planner(cache).positions``), so it runs on either
version of the code; in the new one it measures the full order built on the spot.
"""
import json
import sys
import time

from dtale_lite.frames.benchframe import bench_frame
from dtale_lite.server.registry import Registry
from dtale_lite.frames.view import Planner, parse_view

SORTS = [["i_big"], ["f1"], ["s_hi"], ["s_lo"], ["cat"], ["ts"], ["flag"], ["s_lo", "f1"],
         ["flag", "s_lo", "f1"]]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = bench_frame(n)
    for names in SORTS:
        registry = Registry()
        entry = registry.snapshot(registry.add(frame, "b").id)
        spec = parse_view({"sort": json.dumps([[c, "asc"] for c in names])},
                          entry.source.columns())
        start = time.perf_counter()
        Planner(registry.cache).positions(entry, spec)[:100]
        elapsed = (time.perf_counter() - start) * 1000
        print(f"old first page {', '.join(names):18} {elapsed:7.0f} ms", flush=True)
        registry.clear()
    entry = Registry().add(frame, "b")
    for column in entry.source.columns():
        start = time.perf_counter()
        entry.source.describe(column.position, None)
        print(f"old describe {column.name:8} {(time.perf_counter() - start) * 1000:7.0f} ms",
              flush=True)


if __name__ == "__main__":
    main()
