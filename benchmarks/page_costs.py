"""The cost model of ``dtale_lite/frames/pagecost.py``, measured on this machine:
``python benchmarks/page_costs.py [rows ...]`` (default 1,000,000 and 10,000,000).

For each key kind the model knows (numbers: f1, floats with 5% NaN, the slowest numeric key
of the benchmark frame; strings: s_hi, about rows/2 distinct values, and s_lo, 20), on the
benchmark frame, in-process through the data layer:

- the full order's build (``stable_order``, what the background runs), median of a few runs,
  and the model's unit: ns per row x log2(rows);
- a selection around a window at 20 random offsets (``sortwindow.window_rows``), median and
  max, in ns per row; the first use of a key (its sorted sample) is timed apart.

Prints one line per (rows, column) and the medians the model should carry. Machine load is
printed before and after (``/proc/loadavg``): figures move with it.
"""
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from dtale_lite.frames.benchframe import bench_frame  # noqa: E402
from dtale_lite.frames.sortkeys import stable_order  # noqa: E402
from dtale_lite.frames.sortwindow import window_rows  # noqa: E402
from dtale_lite.frames.source import PandasSource  # noqa: E402

COLUMNS = [("f1", "number"), ("s_hi", "string"), ("s_lo", "string")]
PAGE = 100


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0]


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(n: int, builds: int = 3) -> list[tuple]:
    frame = bench_frame(n)
    source = PandasSource(frame)
    rng = np.random.default_rng(11)
    lines = []
    for name, kind in COLUMNS:
        key = source.sort_key(list(frame.columns).index(name))
        keys = [(key, True)]
        first = seconds(lambda: window_rows(keys, None, n, n // 3, PAGE))  # builds the sample
        picks = [seconds(lambda o=int(o): window_rows(keys, None, n, o, PAGE))
                 for o in rng.integers(0, n - PAGE, 20)]
        built = [seconds(lambda: stable_order(keys, None, n)) for _ in range(builds)]
        build_ns = statistics.median(built) * 1e9 / (n * math.log2(n))
        select_ns = statistics.median(picks) * 1e9 / n
        lines.append((n, name, kind, statistics.median(built), build_ns,
                      statistics.median(picks), max(picks), select_ns, first))
        print(f"{n:>11,} {name:5} {kind:6}  build {statistics.median(built) * 1000:8.1f} ms "
              f"({build_ns:5.2f} ns/row.log2)  select median {statistics.median(picks) * 1000:6.2f}"
              f" max {max(picks) * 1000:6.2f} ms ({select_ns:5.2f} ns/row)  first use "
              f"{first * 1000:6.2f} ms", flush=True)
    return lines


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000, 10_000_000]
    print(f"# load before: {Path('/proc/loadavg').read_text().strip()}")
    lines = [line for n in sizes for line in measure(n)]
    print(f"# load after: {Path('/proc/loadavg').read_text().strip()}")
    for kind in ("number", "string"):
        mine = [line for line in lines if line[2] == kind]
        print(f"# {kind}: build ns/row.log2 median {statistics.median(l[4] for l in mine):.2f} "
              f"max {max(l[4] for l in mine):.2f}; select ns/row median "
              f"{statistics.median(l[7] for l in mine):.2f} max {max(l[7] for l in mine):.2f}")


if __name__ == "__main__":
    main()
