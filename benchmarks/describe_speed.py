"""Time describe() on the benchmark frame: python benchmarks/describe_speed.py [rows ...]."""
import sys
import time
from pathlib import Path

# This checkout, not an installed (e.g. editable, elsewhere) dtale_lite.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtale_lite.frames.benchframe import bench_frame  # noqa: E402
from dtale_lite.frames.columns import kind_of  # noqa: E402
from dtale_lite.frames.describe import describe  # noqa: E402

for n in [int(a) for a in sys.argv[1:]] or [1_000_000, 5_000_000]:
    frame = bench_frame(n)
    for name in frame.columns:
        series = frame[name]
        best = min(
            (lambda t0: (describe(series, kind_of(series.dtype)), time.perf_counter() - t0)[1])(
                time.perf_counter())
            for _ in range(3))
        print(f"{n:>9} {name:8} {best:6.3f} s")
