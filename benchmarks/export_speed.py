"""Time export_chunks() on the benchmark frame: python benchmarks/export_speed.py [rows] [fmt ...].

Peak RSS is sampled every 5 ms on a thread, relative to the RSS after the frame is built. For
peak-RSS figures measure one format per run: memory an earlier format freed is reused by the next.
"""
import sys
import threading
import time
from pathlib import Path

import psutil

# This checkout, not an installed (e.g. editable, elsewhere) dtale_lite.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtale_lite.frames.benchframe import bench_frame  # noqa: E402
from dtale_lite.frames.columns import api_names  # noqa: E402
from dtale_lite.frames.export import export_chunks  # noqa: E402


def measure(frame, fmt, rows=None):
    process = psutil.Process()
    base = process.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    size = 0
    columns = list(range(frame.shape[1]))
    for chunk in export_chunks(frame, rows, columns, api_names(frame.columns), fmt):
        size += len(chunk)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, size, peak[0] - base


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    formats = sys.argv[2:] or ["csv", "parquet"]
    frame = bench_frame(n)
    frame_mb = frame.memory_usage(deep=True).sum() / 1e6
    print(f"{n} rows, frame {frame_mb:.0f} MB")
    for fmt in formats:
        elapsed, size, growth = measure(frame, fmt)
        print(f"{fmt:8} {elapsed:6.1f} s  file {size / 1e6:7.0f} MB  "
              f"peak RSS growth {growth / 1e6:6.0f} MB ({growth / 1e6 / frame_mb:.0%} of frame)")
