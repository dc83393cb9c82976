"""Time describe() on the benchmark frame: python benchmarks/describe_speed.py [rows ...]."""
import sys
import time

from dtale_lite.benchframe import bench_frame
from dtale_lite.columns import kind_of
from dtale_lite.describe import describe

for n in [int(a) for a in sys.argv[1:]] or [1_000_000, 5_000_000]:
    frame = bench_frame(n)
    for name in frame.columns:
        series = frame[name]
        best = min(
            (lambda t0: (describe(series, kind_of(series.dtype)), time.perf_counter() - t0)[1])(
                time.perf_counter())
            for _ in range(3))
        print(f"{n:>9} {name:8} {best:6.3f} s")
