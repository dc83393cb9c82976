"""Sorted pages and describe, in-process through the data layer (the Planner the rows route
uses): ``python benchmarks/sort_speed.py [rows]`` (default 1,000,000).

Per sort: the first page (rows 0..100, selected around the window while the full order is
built in the background), a page in the middle asked for right after it (selected around its
own window while the build runs, unless the build ends sooner: see frames/pagecost.py), the
full order's build time alone, and the median of 20 later pages once it exists. Then
describe of every column. Every sort is on a fresh registry, so nothing is cached from the
one before. Each first page is checked against the full order it precedes.
"""
import statistics
import sys
import time
from pathlib import Path

# This checkout, not an installed (e.g. editable, elsewhere) dtale_lite.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from dtale_lite.frames.benchframe import bench_frame  # noqa: E402
from dtale_lite.server.registry import Registry  # noqa: E402
from dtale_lite.frames.view import Planner, parse_view  # noqa: E402

PAGE = 100
SORTS = [
    ("int i_big", [["i_big", "asc"]], None),
    ("int i_small", [["i_small", "asc"]], None),
    ("float f1", [["f1", "asc"]], None),
    ("float f1 desc", [["f1", "desc"]], None),
    ("string s_hi", [["s_hi", "asc"]], None),
    ("string s_hi desc", [["s_hi", "desc"]], None),
    ("string s_lo", [["s_lo", "asc"]], None),
    ("category cat", [["cat", "asc"]], None),
    ("datetime ts", [["ts", "asc"]], None),
    ("bool flag", [["flag", "asc"]], None),
    ("2 cols s_lo, f1", [["s_lo", "asc"], ["f1", "asc"]], None),
    ("2 cols cat desc, ts", [["cat", "desc"], ["ts", "asc"]], None),
    ("3 cols flag, s_lo, f1", [["flag", "asc"], ["s_lo", "asc"], ["f1", "desc"]], None),
    ("3 cols s_lo, cat, i_small", [["s_lo", "asc"], ["cat", "asc"], ["i_small", "asc"]], None),
    ("filtered f1 > 1, s_hi", [["s_hi", "asc"]], "f1 > 1"),
]


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def view(registry, name, sort, filter_text):
    import json

    entry = registry.snapshot(name)
    args = {"sort": json.dumps(sort)}
    if filter_text:
        args["filter"] = filter_text
    return entry, parse_view(args, entry.source.columns())


def measure_sort(frame, label, sort, filter_text, rng) -> tuple[str, bool]:
    n = len(frame)
    # 1. the first page, then a middle page right after it (while the full order is built)
    registry = Registry()
    registry.add(frame, "b")
    entry, spec = view(registry, "b", sort, filter_text)
    planner = Planner.of(registry)
    start = time.perf_counter()
    first, total = planner.window(entry, spec, 0, PAGE)
    first_ms = ms(start)
    start = time.perf_counter()
    middle, _ = planner.window(entry, spec, total // 2, PAGE)
    middle_ms = ms(start)
    full = planner.positions(entry, spec)
    ok = np.array_equal(first, full[:PAGE]) and np.array_equal(middle, full[total // 2:][:PAGE])
    times = []
    for offset in rng.integers(0, max(total - PAGE, 0) + 1, 20):
        start = time.perf_counter()
        planner.window(entry, spec, int(offset), PAGE)
        entry.source.rows(planner.window(entry, spec, int(offset), PAGE)[0], range(12))
        times.append(ms(start))
    registry.clear()
    # 2. the full order alone, on a fresh registry (nothing else running)
    registry = Registry()
    registry.add(frame, "b")
    entry, spec = view(registry, "b", sort, filter_text)
    start = time.perf_counter()
    Planner.of(registry).positions(entry, spec)
    full_ms = ms(start)
    registry.clear()
    line = (f"{label:28} first page {first_ms:7.0f} ms | middle page right after "
            f"{middle_ms:7.0f} ms | full order {full_ms:7.0f} ms | later pages (with rows) "
            f"median {statistics.median(times):5.1f} ms | {'ok' if ok else 'MISMATCH'}")
    return line, ok


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    frame = bench_frame(n)
    print(f"{n:,} rows, frame built in {ms(start) / 1000:.1f} s", flush=True)
    rng = np.random.default_rng(7)
    good = True
    for label, sort, filter_text in SORTS:
        line, ok = measure_sort(frame, label, sort, filter_text, rng)
        good &= ok
        print(line, flush=True)
    registry = Registry()
    entry = registry.add(frame, "b")
    for column in entry.source.columns():
        start = time.perf_counter()
        entry.source.describe(column.position, None)
        print(f"describe {column.name:8} {ms(start):7.0f} ms", flush=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
