"""A load test: several clients use one viewer at once while its frame is updated.

    python -m dtale_lite.bench.loadtest --rows 1000000 --clients 8 --seconds 60

The viewer serves the benchmark frame and a 20,000-row frame. By default it runs in this
process, as it runs in a notebook's kernel: the clients, the server and the user's frames
share one process and its memory (``--child`` runs it in a child process instead). A thread
updates the big frame every few seconds (every cached view is dropped) and, every 0.5 s,
updates the small frame and shows and kills small named frames. The clients are threads,
each one a browser page with its own client id: mostly page reads at random offsets of its
current view, and now and then a new sort, a new filter, a describe, a chart, an export of
two columns, the schema, a named row count, a wrong key or a malformed filter. It prints one
JSON line:

- ``errors``: answers other than expected (200, or the 401/403/400 a wrong key or a
  malformed filter must get), and 409 for a request its own page had replaced
  (``superseded``, which is the point of admission control, counted apart);
- ``cached_page_p50_ms`` / ``p99``: page reads whose view was cached (the server says so in
  its ``Server-Timing`` header), the reads that must never wait behind heavy work;
- ``rss_*_mb``: the viewer process's resident memory before (frames loaded), at peak and a
  few seconds after the load, and the limits it is held to: growth at peak <= the cache
  budget + one frame, and back under the cache budget afterwards.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time

PAGE = 100
SORTS = ['[["f1", "asc"]]', '[["f1", "desc"]]', '[["ts", "asc"]]', '[["s_lo", "asc"], '
         '["f1", "desc"]]', '[["i_big", "desc"]]', '[["cat", "asc"]]', '[["flag", "desc"]]',
         '[["s_hi", "asc"]]', ""]
FILTERS = ["", "f1 > 1", "s_lo == \"cat_03\"", "f2 < 100 and flag == true", "i_small in [1, 2, 3]",
           "ts >= \"2022-01-01\""]
DESCRIBE = ["f1", "f2", "s_lo", "s_hi", "ts", "cat", "i_big", "flag"]
CHARTS = [{"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"},
          {"type": "histogram", "x": "f3"}, {"type": "scatter", "x": "f1", "y": "f3"},
          {"type": "line", "x": "ts", "y": "f1", "freq": "month"}]
# Weights of what a client does next.
ACTIONS = [("page", 55), ("sort", 12), ("filter", 8), ("describe", 7), ("chart", 5),
           ("export", 3), ("schema", 3), ("rowcount", 3), ("badkey", 2), ("badfilter", 2)]
SMALL_ROWS = 20_000
SMALL_EVERY = 0.5  # seconds between the small frames' updates, shows and kills


class Viewed:
    """The viewer under load and the thread that changes its frames, in this process."""

    def __init__(self, rows: int, cache_bytes: int, update_every: float):
        import dtale_lite.app.viewer
        from dtale_lite.frames.benchframe import bench_frame

        self.frame = bench_frame(rows)
        self.small = bench_frame(SMALL_ROWS, seed=1)
        self.viewer = dtale_lite.app.viewer.Viewer(cache_bytes=cache_bytes)
        self.inst = self.viewer.show(self.frame, "load", reaper_timeout=None)
        self.small_inst = self.viewer.show(self.small, "small")
        self.frame_bytes = int(self.frame.memory_usage(deep=True).sum())
        self.update_every = update_every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._changes, daemon=True)

    def start(self) -> "Viewed":
        self.thread.start()
        return self

    def _changes(self) -> None:
        i, last_big = 0, time.monotonic()
        while not self.stop.wait(SMALL_EVERY):
            i += 1
            self.small_inst.update(self.small)
            shown = self.viewer.show(self.small.head(1000 + i), name=f"small_{i % 3}")
            if i % 2:
                shown.kill()
            if time.monotonic() - last_big >= self.update_every:
                last_big = time.monotonic()
                self.inst.update(self.frame)  # a new version: every cached view is dropped

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.viewer.shutdown()


def serve(rows: int, cache_bytes: int, update_every: float) -> None:
    """The child (``--child``): show the frames, print where, change them until stdin closes."""
    import os

    import psutil

    viewed = Viewed(rows, cache_bytes, update_every)
    print(json.dumps({"base": viewed.inst.base_url, "key": viewed.inst.key, "pid": os.getpid(),
                      "frame_bytes": viewed.frame_bytes,
                      "rss": psutil.Process().memory_info().rss}), flush=True)
    viewed.start()
    sys.stdin.read()  # until the parent closes it
    viewed.close()


class Page:
    """One simulated browser page (a client thread)."""

    def __init__(self, base: str, key: str, name: str, seed: int):
        import requests

        self.session = requests.Session()
        self.session.headers.update({"X-Dtale-Lite-Key": key, "X-Dtale-Lite-Client": name})
        self.base = base
        self.rng = random.Random(seed)
        self.sort, self.filter, self.total = "", "", 0
        self.timings: dict[str, list[float]] = {}
        self.cached_pages: list[float] = []
        self.errors: list[str] = []
        self.superseded = 0

    def get(self, what: str, path: str, params: dict, stream: bool = False, expect: int = 200,
            headers: dict | None = None):
        start = time.perf_counter()
        try:
            response = self.session.get(self.base + path, params=params, timeout=120,
                                        stream=stream, headers=headers)
            if stream and response.status_code == 200:
                for _ in response.iter_content(1 << 16):
                    pass
        except Exception as error:  # noqa: BLE001: counted, the load goes on
            self.errors.append(f"{what}: {type(error).__name__}: {error}"[:300])
            return None
        ms = (time.perf_counter() - start) * 1000
        if response.status_code == 409:
            self.superseded += 1
            return None
        if response.status_code != expect:
            self.errors.append(f"{what} {params} -> {response.status_code}: "
                               f"{response.text[:200]}")
            return None
        self.timings.setdefault(what, []).append(ms)
        return response, ms

    def view_params(self, offset: int) -> dict:
        params = {"offset": offset, "limit": PAGE}
        if self.sort:
            params["sort"] = self.sort
        if self.filter:
            params["filter"] = self.filter
        return params

    def read_page(self, what: str, offset: int) -> None:
        answer = self.get(what, "/api/frames/load/rows", self.view_params(offset))
        if answer is None:
            return
        response, ms = answer
        self.total = response.json()["total"]
        if "desc=cached" in response.headers.get("Server-Timing", ""):
            self.cached_pages.append(ms)

    def step(self) -> None:
        action = self.rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
        if action == "page":
            self.read_page("page", self.rng.randrange(max(self.total - PAGE, 0) + 1))
        elif action == "sort":
            self.sort = self.rng.choice(SORTS)
            self.read_page("sort", 0)
        elif action == "filter":
            self.filter = self.rng.choice(FILTERS)
            self.read_page("filter", 0)
        elif action == "describe":
            params = {"column": self.rng.choice(DESCRIBE)}
            if self.filter:
                params["filter"] = self.filter
            self.get("describe", "/api/frames/load/describe", params)
        elif action == "chart":
            params = dict(self.rng.choice(CHARTS))
            if self.filter:
                params["filter"] = self.filter
            self.get("chart", "/api/frames/load/chart", params)
        elif action == "export":
            params = {**self.view_params(0), "columns": '["id", "f1"]', "format": "csv"}
            del params["offset"], params["limit"]
            self.get("export", "/api/frames/load/export", params, stream=True)
        elif action == "schema":
            self.get("schema", f"/api/frames/{self.rng.choice(['load', 'small'])}/schema", {})
        elif action == "rowcount":
            self.get("rowcount", f"/row-count/{self.rng.choice(['load', 'small'])}", {})
        elif action == "badkey":
            self.get("badkey", "/api/frames/load/rows", {"limit": 5}, expect=403,
                     headers={"X-Dtale-Lite-Key": "not-the-key"})
        else:
            self.get("badfilter", "/api/frames/small/rows", {"filter": "f1 >", "limit": 5},
                     expect=400)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def run(rows: int = 1_000_000, clients: int = 8, seconds: float = 60.0,
        cache_bytes: int = 512 * 1024 * 1024, update_every: float = 3.0,
        settle: float = 3.0, child: bool = False) -> dict:
    """Run the load and return its figures (see the module's docstring)."""
    import os

    import psutil

    viewed = process = None
    if child:
        server = subprocess.Popen(
            [sys.executable, "-m", "dtale_lite.bench.loadtest", "--serve", str(rows),
             "--cache-bytes", str(cache_bytes), "--update-every", str(update_every)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        info = json.loads(server.stdout.readline())
    else:
        viewed = Viewed(rows, cache_bytes, update_every)
        info = {"base": viewed.inst.base_url, "key": viewed.inst.key, "pid": os.getpid(),
                "frame_bytes": viewed.frame_bytes}
    try:
        process = psutil.Process(info["pid"])
        before = process.memory_info().rss
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.wait(0.01):
                try:
                    peak[0] = max(peak[0], process.memory_info().rss)
                except psutil.Error:
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if viewed is not None:
            viewed.start()
        pages = [Page(info["base"], info["key"], f"page-{i}", seed=i) for i in range(clients)]
        deadline = time.monotonic() + seconds

        def drive(page: Page) -> None:
            while time.monotonic() < deadline:
                page.step()

        threads = [threading.Thread(target=drive, args=(p,)) for p in pages]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if viewed is not None:
            viewed.stop.set()  # the frames stop changing with the load; the server stays up
        for page in pages:
            page.session.close()
        time.sleep(settle)  # idle: what the process keeps once the load is over
        after = process.memory_info().rss
        done.set()
        sampler.join()
    finally:
        if child:
            server.stdin.close()
            server.wait(timeout=30)
        else:
            viewed.close()
    return figures_of(pages, info, rows, clients, seconds, cache_bytes, before, peak[0], after,
                      "child" if child else "in-process")


def figures_of(pages, info, rows, clients, seconds, cache_bytes, before, peak, after,
               where) -> dict:
    mb = 1024 * 1024
    timings: dict[str, list[float]] = {}
    for p in pages:
        for what, values in p.timings.items():
            timings.setdefault(what, []).extend(values)
    cached = [ms for p in pages for ms in p.cached_pages]
    errors = [e for p in pages for e in p.errors]
    return {
        "rows": rows, "clients": clients, "seconds": seconds, "viewer": where,
        "requests": sum(len(v) for v in timings.values()),
        "errors": len(errors), "error_samples": errors[:5],
        "superseded": sum(p.superseded for p in pages),
        "cached_pages": len(cached),
        "cached_page_p50_ms": percentile(cached, 50),
        "cached_page_p99_ms": percentile(cached, 99),
        **{f"{what}_p50_ms": percentile(v, 50) for what, v in sorted(timings.items())},
        **{f"{what}_count": len(v) for what, v in sorted(timings.items())},
        "frame_mb": round(info["frame_bytes"] / mb, 1),
        "cache_budget_mb": round(cache_bytes / mb, 1),
        "rss_before_mb": round(before / mb, 1),
        "rss_peak_mb": round(peak / mb, 1),
        "rss_after_mb": round(after / mb, 1),
        "growth_peak_mb": round((peak - before) / mb, 1),
        "growth_after_mb": round((after - before) / mb, 1),
        "peak_limit_mb": round((cache_bytes + info["frame_bytes"]) / mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dtale_lite.bench.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cache-bytes", type=int, default=512 * 1024 * 1024)
    parser.add_argument("--update-every", type=float, default=3.0)
    parser.add_argument("--child", action="store_true",
                        help="run the viewer in a child process (default: in this process, "
                             "as in a notebook's kernel)")
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds of idle after the load before memory is read again")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server child
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve, args.cache_bytes, args.update_every)
        return 0
    figures = run(args.rows, args.clients, args.seconds, args.cache_bytes, args.update_every,
                  settle=args.settle, child=args.child)
    print(json.dumps(figures), flush=True)
    ok = (figures["errors"] == 0
          and figures["growth_peak_mb"] <= figures["peak_limit_mb"]
          and figures["growth_after_mb"] <= figures["cache_budget_mb"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
