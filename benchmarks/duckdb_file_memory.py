"""Peak memory of ``dtale-lite big.parquet`` over a page, a sort, a filter and a describe
(issue 14, part 3), through the real HTTP API.

    python benchmarks/duckdb_file_memory.py [--rows 10000000] [--memory-limit 1GB]
        [--threads 2] [--checkout DIR] [--in-process]

Writes the benchmark frame (bench-frame.md) as Parquet in 1M-row chunks if the file is missing
(default /work/data/bench-<rows>.parquet, outside the repo). Then, in a separate process, reads
the file into pandas once to take the size it would cost loaded (``memory_usage(deep=True)``)
and the figures the answers are checked against; that process ends before the viewer starts.

Default mode: starts ``python -m dtale_lite FILE --no-browser`` (the command a user types; with
``--checkout DIR`` the package comes from DIR, e.g. the code before issue 14:
``git worktree add --detach /work/wt-duck-base 686384e``) and
samples the server process's RSS every 5 ms with psutil, noting the phase each peak fell in; the
kernel's exact high-water mark (VmHWM) is read before the server stops.

``--in-process``: ``show_file`` in this process, and a sampler that also reads DuckDB's own
accounting (``duckdb_memory()`` by tag, ``current_setting('memory_limit')``, threads) on the
backend's connection: that is how the peak is split between DuckDB's buffer pool and the rest
(Python, Arrow, the allocator). The client shares the process, so its memory counts too.

The run: 50 random pages of 100 rows; sort by f1 (first page, the next one, 20 random pages, the
last one, then the full order's build waited for); the filter ``f1 > 1`` (first page, its
total, 20 random pages); describe f1, s_lo and s_hi. Every answer is checked (the total, the
first sorted value equals the column's minimum, filtered values > 1).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOADAVG = Path("/proc/loadavg")
MB = 2**20
PAGE = 100
EXPECTED = """
import json, sys
import pyarrow.parquet as pq
import pyarrow.compute as pc
table = pq.read_table(sys.argv[1])
f1 = table.column("f1")
figures = {"rows": table.num_rows, "f1_min": pc.min(f1).as_py(),
           "f1_above_1": pc.sum(pc.greater(f1, 1.0)).as_py()}
frame = table.to_pandas()
del table
figures["frame_bytes"] = int(frame.memory_usage(deep=True).sum())
print(json.dumps(figures))
"""


def expected_figures(path: Path) -> dict:
    """The file as pandas would hold it, measured in a process of its own."""
    out = subprocess.run([sys.executable, "-c", EXPECTED, str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


class Sampler:
    """RSS of one process every 5 ms (and DuckDB's accounting when ``duckdb_cursor`` is
    given); the peak, the phase it fell in, and each phase's own peak."""

    def __init__(self, pid: int, duckdb_cursor=None):
        import psutil

        self.process = psutil.Process(pid)
        self.cursor = duckdb_cursor
        self.phase, self.peak, self.peak_phase = "open", 0, "open"
        self.phase_peaks: dict[str, int] = {}
        self.duckdb_peak: dict = {"total": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        ticks = 0
        while not self._stop.wait(0.005):
            self.sample(with_duckdb=ticks % 10 == 0)
            ticks += 1

    def sample(self, with_duckdb: bool = False) -> None:
        try:
            rss = self.process.memory_info().rss
        except Exception:  # noqa: BLE001 - the process ended
            return
        if rss > self.peak:
            self.peak, self.peak_phase = rss, self.phase
        self.phase_peaks[self.phase] = max(self.phase_peaks.get(self.phase, 0), rss)
        if with_duckdb and self.cursor is not None:
            rows = self.cursor.execute("SELECT tag, memory_usage_bytes, temporary_storage_bytes "
                                       "FROM duckdb_memory()").fetchall()
            total = sum(r[1] for r in rows)
            if total > self.duckdb_peak["total"]:
                self.duckdb_peak = {"total": total, "rss": rss, "phase": self.phase,
                                    "by_tag": {t: m for t, m, _ in rows if m},
                                    "spilled": sum(r[2] for r in rows)}

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


class Client:
    def __init__(self, base: str, key: str, frame: str):
        import requests

        self.session = requests.Session()
        self.session.headers["X-Dtale-Lite-Key"] = key
        self.base, self.frame = base, frame

    def get(self, route: str, **params) -> tuple[dict, float]:
        start = time.perf_counter()
        response = self.session.get(f"{self.base}/api/frames/{self.frame}/{route}",
                                    params=params, timeout=900)
        body = response.json()
        if response.status_code != 200 or not body.get("ok"):
            raise RuntimeError(f"{route} {params} -> {response.status_code}: {body}")
        return body, (time.perf_counter() - start) * 1000

    def rows(self, offset: int, **params) -> tuple[dict, float]:
        return self.get("rows", offset=offset, limit=PAGE, **params)


def column_of(body: dict, name: str) -> list:
    at = body["columns"].index(name)
    return [row[at] for row in body["data"]]


def run(client: Client, sampler: Sampler, expected: dict, failed: list, wait_order) -> dict:
    """The page, sort, filter and describe of the issue; milliseconds per step."""
    import numpy as np

    rng = np.random.default_rng(7)
    n, out = expected["rows"], {}

    def expect(condition: bool, what: str) -> None:
        if not condition:
            failed.append(what)

    def randoms(total: int, count: int) -> list[int]:
        return [int(o) for o in rng.integers(0, max(total - PAGE, 0) + 1, count)]

    sampler.phase = "pages"
    body, out["first_page_ms"] = client.rows(0)
    expect(body["total"] == n and body["index"] == list(range(PAGE)), "first page")
    times = [client.rows(o)[1] for o in randoms(n, 50)]
    out["page_median_ms"] = statistics.median(times)

    sampler.phase = "sort"
    sort = json.dumps([["f1", "asc"]])
    body, out["sort_first_ms"] = client.rows(0, sort=sort)
    expect(column_of(body, "f1")[0] == expected["f1_min"], "sorted: first value is the min")
    times = [client.rows(PAGE, sort=sort)[1]] + [client.rows(o, sort=sort)[1]
                                                for o in randoms(n, 20)]
    body, _ = client.rows(n - PAGE, sort=sort)
    expect(column_of(body, "f1")[-1] is None, "sorted: missing values last")
    out["sort_pages_median_ms"] = statistics.median(times)
    sampler.phase = "sort: order built"
    started = time.perf_counter()
    wait_order()
    out["sort_order_wait_ms"] = (time.perf_counter() - started) * 1000

    sampler.phase = "filter"
    body, out["filter_first_ms"] = client.rows(0, filter="f1 > 1")
    expect(body["total"] == expected["f1_above_1"], f"filter total {body['total']}")
    times = []
    for offset in randoms(body["total"], 20):
        body, ms = client.rows(offset, filter="f1 > 1")
        times.append(ms)
        expect(all(v > 1 for v in column_of(body, "f1")), "filtered values > 1")
    out["filter_pages_median_ms"] = statistics.median(times)

    for column in ("f1", "s_lo", "s_hi"):
        sampler.phase = f"describe {column}"
        body, out[f"describe_{column}_ms"] = client.get("describe", column=column)
        expect(body["column"] == column and body.get("count", 0) > 0, f"describe {column}")
    sampler.phase = "after"
    return out


def kernel_peak(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024


def measure_cli(path: Path, args, expected: dict, failed: list) -> tuple[Sampler, dict, int]:
    command = [sys.executable, "-m", "dtale_lite", str(path), "--no-browser", "--name", "big"]
    if args.memory_limit:
        command += ["--memory-limit", args.memory_limit]
    if args.threads:
        command += ["--threads", str(args.threads)]
    # Run from the checkout: ``python -m`` puts the working directory first on sys.path.
    env = {**os.environ, "PYTHONPATH": str(args.checkout)}
    where = subprocess.run([sys.executable, "-c", "import dtale_lite; print(dtale_lite.__file__)"],
                           env=env, cwd=args.checkout, capture_output=True, text=True,
                           check=True).stdout
    print(f"server: {' '.join(command[1:])} (dtale_lite from {where.strip()})", flush=True)
    server = subprocess.Popen(command, env=env, cwd=args.checkout, stdout=subprocess.PIPE,
                              text=True, stderr=subprocess.DEVNULL)
    sampler = Sampler(server.pid).start()
    try:
        for line in server.stdout:  # "all frames: http://127.0.0.1:PORT/?key=KEY"
            if line.startswith("all frames:"):
                break
        match = re.search(r"(http://[^/\s]+)\S*\?key=([\w-]+)", line)
        client = Client(match.group(1), match.group(2), "big")
        out = run(client, sampler, expected, failed,
                  lambda: _wait_for_idle_cpu(sampler.process))
        time.sleep(2)  # what the process holds once the work is done
        sampler.sample()
        out["rss_after_mb"] = sampler.process.memory_info().rss / MB
        hwm = kernel_peak(server.pid)
    finally:
        sampler.stop()
        server.terminate()
        server.wait(30)
    return sampler, out, hwm


def _wait_for_idle_cpu(process, timeout: float = 600) -> None:
    """Wait until the server's background work (the sorted view's full order) is done: from
    outside the process, that is its CPU going quiet."""
    deadline = time.monotonic() + timeout
    last = sum(process.cpu_times()[:2])
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = sum(process.cpu_times()[:2])
        if now - last < 0.05:
            return
        last = now


def measure_in_process(path: Path, args, expected: dict, failed: list
                       ) -> tuple[Sampler, dict, int]:
    sys.path.insert(0, str(args.checkout))
    import dtale_lite

    print(f"in process: dtale_lite from {dtale_lite.__file__}", flush=True)

    options = {k: v for k, v in (("memory_limit", args.memory_limit),
                                 ("threads", args.threads)) if v}
    instance = dtale_lite.show_file(str(path), "big", **options)
    source = instance._entry.source  # the BackendSource: its backend and its views
    backend = source.backend
    cursor = backend._con.cursor()
    settings = cursor.execute("SELECT current_setting('memory_limit'), "
                              "current_setting('threads')").fetchall()[0]
    print(f"DuckDB settings: memory_limit {settings[0]}, threads {settings[1]}", flush=True)
    sampler = Sampler(os.getpid(), cursor).start()
    try:
        client = Client(instance.base_url, instance.key, "big")

        def wait_order():
            for view in list(source._views.values()):
                while view.keys and not view.order_ready():
                    time.sleep(0.05)
            backend.join_background()

        out = run(client, sampler, expected, failed, wait_order)
        time.sleep(2)
        sampler.sample(with_duckdb=True)
        out["rss_after_mb"] = sampler.process.memory_info().rss / MB
        hwm = kernel_peak(os.getpid())
    finally:
        sampler.stop()
        dtale_lite.shutdown()
    return sampler, out, hwm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--path", type=Path)
    parser.add_argument("--memory-limit", default=None,
                        help="passed on (default: the viewer's own default)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--checkout", type=Path, default=HERE.parent.resolve(),
                        help="the dtale_lite checkout to run (default: this one)")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    path = args.path or Path(f"/work/data/bench-{args.rows}.parquet")
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from backend_duckdb import write_file

        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, args.rows, chunk_rows=1_000_000)
    expected = expected_figures(path)
    frame_mb = expected["frame_bytes"] / MB
    print(f"{path}: {path.stat().st_size / MB:,.0f} MiB on disk, {expected['rows']:,} rows, "
          f"{frame_mb:,.0f} MiB as a pandas frame; checkout {args.checkout}; "
          f"memory_limit {args.memory_limit or 'default'}, threads {args.threads or 'default'}; "
          f"load {LOADAVG.read_text().strip()}", flush=True)
    failed: list[str] = []
    measure = measure_in_process if args.in_process else measure_cli
    started = time.perf_counter()
    sampler, out, hwm = measure(path, args, expected, failed)
    for name, value in out.items():
        print(f"  {name:24} {value:10.1f}")
    print("  peak RSS per phase (MiB): " + ", ".join(
        f"{phase} {rss / MB:.0f}" for phase, rss in sampler.phase_peaks.items()))
    if sampler.cursor is not None:
        d = sampler.duckdb_peak
        print(f"  DuckDB's own peak (duckdb_memory): {d['total'] / MB:.0f} MiB during "
              f"{d.get('phase')} (RSS then {d.get('rss', 0) / MB:.0f} MiB); by tag "
              + ", ".join(f"{t} {m / MB:.0f}" for t, m in sorted(
                  d.get("by_tag", {}).items(), key=lambda kv: -kv[1])))
    ratio = sampler.peak / expected["frame_bytes"]
    print(f"PEAK RSS {sampler.peak / MB:,.0f} MiB polled ({sampler.peak_phase}), "
          f"{hwm / MB:,.0f} MiB kernel VmHWM = {hwm / expected['frame_bytes']:.2f} x the pandas "
          f"frame ({frame_mb:,.0f} MiB); target < 0.5 x: "
          f"{'met' if hwm < expected['frame_bytes'] / 2 else 'MISSED'}; polled/frame {ratio:.2f}; "
          f"{time.perf_counter() - started:.0f} s; load {LOADAVG.read_text().strip()}")
    print("checks: " + ("ok" if not failed else "FAILED: " + "; ".join(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
