"""DuckDB over a Parquet file larger than the process may hold (issue 9), under a real cap.

    python benchmarks/backend_duckdb.py [--rows 100000000] [--cap-gb 2] [--memory-limit 1GB]
        [--threads N]

Writes the benchmark frame (dtale_lite/frames/benchframe.py) as one Parquet file in chunks of 10M
rows if the file is missing (default /work/data/bench-<rows>.parquet, never inside the repo),
then measures in a child process that the parent kills if its resident set passes the cap
(``watch``); the kernel's exact high-water mark of the child's RSS is printed at the end.
Why not RLIMIT_AS: DuckDB reserves address space it does not touch (a 1 GiB mapping for a
1GB memory_limit, more per sort), so a 2 GiB and even a 3 GiB address-space limit failed
allocations at 0.6-1.2 GiB resident; no cgroup is ours to set here. DuckDB's memory_limit is
--memory-limit and its threads --threads (default: what the backend chooses from the file and
the machine, duckdb/resources.py: 1 GiB for the 100M-row file; the runs before issue 14
passed --memory-limit 1GB); sorts spill to the backend's temp directory.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# This checkout, not an installed (e.g. editable, elsewhere) dtale_lite.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHUNK_ROWS = 10_000_000
ROW_GROUP_ROWS = 122_880  # DuckDB's and Polars' default; pyarrow's is 1Mi rows


def write_file(path: Path, rows: int, chunk_rows: int = CHUNK_ROWS) -> None:
    """The benchmark frame of ``rows`` rows, chunk by chunk, into one Parquet file.

    Chunk k is bench_frame(chunk_rows, seed=42 + k) with ``id`` running on and ``s_hi`` drawn
    from rows // 2 labels over the whole file (as bench_frame(rows) would), so the file has
    the frame's shape at full size while only one chunk is ever in memory."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from dtale_lite.frames.benchframe import bench_frame

    tmp = path.with_suffix(".partial")
    writer = None
    start, k = 0, 0
    while start < rows:
        n = min(chunk_rows, rows - start)
        t0 = time.perf_counter()
        frame = bench_frame(n, seed=42 + k)
        frame["id"] += start
        codes = np.random.default_rng(1000 + k).integers(0, max(rows // 2, 1), n)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        labels = pc.binary_join_element_wise("user_", pc.cast(pa.array(codes), pa.string()), "")
        table = table.set_column(table.schema.get_field_index("s_hi"), "s_hi",
                                 labels.cast(table.schema.field("s_hi").type))
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema, compression="snappy")
        writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        del frame, table
        start += n
        k += 1
        print(f"  wrote {start:,} rows ({time.perf_counter() - t0:.1f} s)", flush=True)
    writer.close()
    tmp.rename(path)


def watch(child: subprocess.Popen, cap_bytes: int) -> int:
    """Kill ``child`` when its resident set passes ``cap_bytes`` (polled every 20 ms); the
    highest RSS it reached, as polled. The kernel's own high-water mark (VmHWM, ru_maxrss) is
    printed too: it is exact, so a peak under the cap proves the cap held between polls."""
    status, highest = Path(f"/proc/{child.pid}/status"), 0
    while child.poll() is None:
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            now = int(fields["VmRSS"].split()[0]) * 1024
        except (OSError, KeyError, ValueError):
            now = 0
        highest = max(highest, now)
        if now > cap_bytes:
            child.kill()
            print(f"KILLED: resident set {now / 2**30:.2f} GiB passed the cap", flush=True)
        time.sleep(0.02)
    return highest


def rss() -> tuple[float, float]:
    """(current, peak) resident set of this process in GiB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return tuple(int(fields[k].split()[0]) / 2**20 for k in ("VmRSS", "VmHWM"))


LAST_CPU = [0.0]  # CPU seconds of this process (every thread) during the last timed() call


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn, repeat: int = 1):
    """(median seconds, last result) of ``repeat`` calls; LAST_CPU gets the CPU seconds per
    call (all threads: background work running meanwhile counts too)."""
    times, result, cpu = [], None, cpu_seconds()
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    LAST_CPU[0] = (cpu_seconds() - cpu) / repeat
    return statistics.median(times), result


def report(label: str, seconds: float, target: float | None = None, note: str = "") -> None:
    verdict = "" if target is None else ("  ok" if seconds <= target else
                                         f"  MISS (target {target * 1000:.0f} ms)")
    now, peak = rss()
    print(f"{label:58} {seconds * 1000:9.1f} ms{verdict:26} cpu {LAST_CPU[0]:6.2f} s  "
          f"rss {now:.2f}/{peak:.2f} GiB load {os.getloadavg()[0]:.1f} {note}", flush=True)
    LAST_CPU[0] = 0.0


def measure(path: Path, args) -> None:
    from dtale_lite.backends.duckdb import DuckDBBackend
    from dtale_lite.frames.filters import parse

    print(f"child pid {os.getpid()}: load {os.getloadavg()}. Columns: wall time, verdict, CPU "
          f"seconds of the process meanwhile (both cores: an idle 2-core machine needs at least "
          f"cpu/2 of wall time), RSS now/peak", flush=True)
    options = {"memory_limit": args.memory_limit, "threads": args.threads}
    print(f"DuckDBBackend options {options} (None: the backend's own choice)")
    t0 = time.perf_counter()
    backend = DuckDBBackend(path, **options)
    print(f"DuckDB settings: {backend.settings}", flush=True)
    plain = backend.view()
    rows = plain.count().rows
    report(f"open + count ({rows:,} rows)", time.perf_counter() - t0, 0.2)
    width = len(backend.columns())
    every = list(range(width))
    for offset in (0, rows // 2, rows - 100, 7 * rows // 9):
        seconds, _ = timed(lambda: plain.window(offset, 100, every), 3)
        report(f"page 100x{width} at {offset:,} (median of 3)", seconds, 0.1)

    for text in ("f1 > 1", 's_lo == "cat_07" and i_small < 100'):
        view = backend.view(parse(text))
        report(f"first page of filter {text!r}",
               timed(lambda: view.window(0, 100, every))[0], 1.0)
        report("  count", timed(lambda: view.count())[0], None, f"{view.count().rows:,}")
        for offset in (100_000, view.count().rows // 2):
            report(f"  page at {offset:,} (first / median of next 3)",
                   timed(lambda: view.window(offset, 100, every))[0], 0.3)
            report("", timed(lambda: view.window(offset + 100, 100, every), 3)[0], 0.3)
        view.close()

    for keys, label in ((((3, True),), "f1 asc"), (((8, False), (0, True)), "s_hi desc, id"),
                        (((1, True),), "i_small asc")):
        view = backend.view(None, keys)
        report(f"first sorted page, {label} (top-k)",
               timed(lambda: view.window(0, 100, every))[0], 3.0)
        report("  second page, right away", timed(lambda: view.window(100, 100, every))[0], 0.3)
        time.sleep(1)
        report("  third page, 1 s later", timed(lambda: view.window(200, 100, every))[0], 0.3)
        t0 = time.perf_counter()
        while not view.order_ready():
            time.sleep(0.05)
        report("  full order built in the background", time.perf_counter() - t0, None,
               "(waited after the third page)")
        for offset in (1_000, rows // 2, rows - 300, 12_345_678):
            report(f"  sorted page at {offset:,} (a jump)",
                   timed(lambda: view.window(offset, 100, every))[0], 0.3)
            report("    next page, right away",
                   timed(lambda: view.window(offset + 100, 100, every))[0], 0.3)
            time.sleep(1)
            report("    next page, 1 s later (read ahead)",
                   timed(lambda: view.window(offset + 200, 100, every))[0], 0.3)
        for asked in ([3], [0, 3, 7, 10]):
            report(f"  sorted page at 23,456,789, columns {asked} (a jump)",
                   timed(lambda: view.window(23_456_789, 100, asked))[0], 0.3)
        view.close()

    for column in backend.columns():
        report(f"describe {column.name}", timed(lambda: plain.describe(column.position))[0], 3.0)

    view = backend.view(parse("f1 > 0"))
    stream = view.export(every, [c.name for c in backend.columns()], "csv")
    start = rss()[0]
    t0, written, marks = time.perf_counter(), 0, []
    for chunk in stream:
        written += len(chunk)
        if time.perf_counter() - t0 > len(marks) * 10:
            marks.append((round(time.perf_counter() - t0), written // 2**20, round(rss()[0], 2)))
        if time.perf_counter() - t0 > 30:
            break
    stream.close()
    report(f"export csv of 'f1 > 0', first {written / 2**30:.2f} GiB",
           time.perf_counter() - t0, None,
           f"rss at start {start:.2f} GiB; (s, MiB written, rss GiB): {marks}")
    backend.close()
    print(f"child peak RSS {rss()[1]:.2f} GiB; load {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--cap-gb", type=float, default=2.0)
    parser.add_argument("--path", type=Path)
    parser.add_argument("--memory-limit", default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.path or Path(f"/work/data/bench-{args.rows}.parquet")
    if args.child:
        measure(path, args)
        return
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, args.rows)
    print(f"file {path}: {path.stat().st_size / 1e9:.2f} GB on disk")
    cap = int(args.cap_gb * 2**30)
    child = [sys.executable, __file__, "--child", "--rows", str(args.rows), "--path", str(path)]
    if args.memory_limit:
        child += ["--memory-limit", args.memory_limit]
    if args.threads:
        child += ["--threads", str(args.threads)]
    print(f"measuring in a child process killed if its resident set passes {args.cap_gb:g} GiB",
          flush=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    process = subprocess.Popen(child, env=env)
    polled = watch(process, cap)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"child exit code {process.returncode}; child peak RSS: {usage.ru_maxrss / 2**20:.2f} "
          f"GiB (kernel's ru_maxrss), {polled / 2**30:.2f} GiB polled; cap {args.cap_gb:g} GiB")
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
