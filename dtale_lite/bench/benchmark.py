"""The shipped benchmark: ``python -m dtale_lite.bench --rows 1000000 [--rows 5000000 ...]``.

Measures what ``shared/bench-frame.md`` lists, through the real HTTP API of the real threaded
server on 127.0.0.1 (a ``requests.Session`` in the same process), and prints one JSON line per
frame size on stdout and nothing else; progress goes to stderr. Each figure sits next to a
``*_pass`` boolean for its target from the issue. The sort, filter and describe targets are
set at 5M rows, the pages right after a new sort's first page (``fresh_sort_*``, issue 14)
at 1M (median) and 10M (the slowest against the first page); the same thresholds are applied
at every size, except those in ``TARGET_FROM_ROWS`` below the size they concern.

Each size runs in a fresh subprocess (this script re-invokes itself with ``--one N``), so the
first ``show()`` really starts the server and RSS figures belong to that size alone. Every
answer is checked for correctness; ``"checks"`` is ``"ok"`` or lists what failed, and the exit
status is 1 if any check failed. Timing never changes the exit status.
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import threading
import time

PY = sys.executable
IMPORT_PROBE = ("import pandas, time; t=time.perf_counter(); import dtale_lite; "
                "print(time.perf_counter()-t)")
PAGE = 100
RANDOM_WINDOWS = 50
RANDOM_VIEW_PAGES = 20
LATER_SHOWS = 10
FRESH_SORT_ROUNDS = 5
FRESH_SORT_PAGES = 5

# Targets from the issue, in seconds/milliseconds/MB as named.
TARGETS = {
    "import_s": 0.3,
    "show_first_ms": 50, "show_later_ms": 5,
    "first_page_ms": 50, "page_median_ms": 5, "page_p95_ms": 10,
    "sort_first_ms": 1500, "sort_pages_median_ms": 6,
    # issue 14: pages right after a new sort's first page (<= 3 ms set at 1M), and none of
    # them slower than that first page (set at 10M)
    "fresh_sort_pages_median_ms": 3, "fresh_sort_slowest_over_first": 1.0,
    "filter_first_ms": 250, "filter_pages_median_ms": 6,
    "describe_f1_ms": 600, "describe_s_lo_ms": 3000, "describe_s_hi_ms": 3000,
    "rss_show_mb": 5, "rss_peak_ratio": 1.0,
}
MB = 1024 * 1024


# Targets that hold only from a size up. The slowest page after a new sort's first page against
# that first page (set at 10M) concerns views whose full order is too long to wait for
# (frames/pagecost.py: CostModel.short_build_s, ~1.3M rows of one number key here); the pages
# of a smaller view wait once for its short build instead.
TARGET_FROM_ROWS = {"fresh_sort_slowest_over_first": 2_000_000}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def rounded(value: float) -> float:
    """Sensible precision: 0.01 below 10, 0.1 below 100, whole numbers above."""
    if value < 10:
        return round(value, 2)
    if value < 100:
        return round(value, 1)
    return round(value)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


class RssSampler:
    """Samples this process's RSS every ``interval`` seconds in a daemon thread; keeps the peak."""

    def __init__(self, interval: float = 0.005):
        import psutil

        self._process = psutil.Process()
        self.interval = interval
        self.peak = self.rss()
        self.phase = "show"  # what the benchmark is doing; the peak's phase is reported
        self.peak_phase = self.phase
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)

    def rss(self) -> int:
        return self._process.memory_info().rss

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        rss = self.rss()
        if rss > self.peak:
            self.peak, self.peak_phase = rss, self.phase

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        self._sample()
        return self.peak


class Client:
    """GETs through one keep-alive session; every call returns (answer, milliseconds)."""

    def __init__(self, instance):
        import requests

        self.session = requests.Session()
        self.session.headers["X-Dtale-Lite-Key"] = instance.key
        self.base = instance.base_url

    def get(self, path: str, **params) -> tuple[dict, float]:
        start = time.perf_counter()
        response = self.session.get(self.base + path, params=params, timeout=600)
        body = response.json()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200 or not body.get("ok"):
            raise RuntimeError(f"GET {path} {params} -> {response.status_code}: {body}")
        return body, elapsed

    def rows(self, frame: str, offset: int, **params) -> tuple[dict, float]:
        return self.get(f"/api/frames/{frame}/rows", offset=offset, limit=PAGE, **params)


class Checks:
    def __init__(self):
        self.failed: list[str] = []

    def expect(self, condition: bool, what: str) -> None:
        if not condition:
            self.failed.append(what)
            log(f"CHECK FAILED: {what}")

    def summary(self) -> str:
        return "ok" if not self.failed else "failed: " + "; ".join(self.failed)


def same_values(api_values: list, expected) -> bool:
    """API values equal pandas values, with NaN/NaT/NA sent as null."""
    import pandas as pd

    wanted = [None if pd.isna(v) else v for v in expected.tolist()]
    return api_values == wanted


def column_of(body: dict, name: str) -> list:
    at = body["columns"].index(name)
    return [row[at] for row in body["data"]]


def random_offsets(rng, total: int, count: int) -> list[int]:
    return [int(o) for o in rng.integers(0, max(total - PAGE, 0) + 1, count)]


def run_one(n: int) -> dict:
    """Every measurement for one frame size, in this (fresh) process."""
    import numpy as np

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    log(f"{n:,} rows: building the frame")
    frame = bench_frame(n)
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    expected_min = float(frame["f1"].min())
    expected_filtered = int((frame["f1"] > 1).sum())
    checks = Checks()
    rng = np.random.default_rng(7)
    out: dict = {"rows": n, "frame_mb": rounded(frame_bytes / MB)}
    gc.collect()

    sampler = RssSampler().start()
    rss_before = sampler.rss()
    start = time.perf_counter()
    instance = dtale_lite.show(frame, name="bench")
    show_first_ms = (time.perf_counter() - start) * 1000
    rss_after_show = sampler.rss()
    client = Client(instance)
    body, first_page_ms = client.rows("bench", 0)
    checks.expect(body["total"] == n and len(body["data"]) == min(PAGE, n)
                  and body["index"] == list(range(min(PAGE, n))), "first page: rows and index")

    later = []
    for i in range(LATER_SHOWS):
        start = time.perf_counter()
        dtale_lite.show(frame, name=f"bench_again_{i}")
        later.append((time.perf_counter() - start) * 1000)
    count, _ = client.get("/row-count/bench_again_0")
    checks.expect(count["rows"] == n, "row-count of a frame shown again")
    out.update(show_first_ms=show_first_ms, show_later_ms=statistics.median(later),
               first_page_ms=first_page_ms)

    log("random windows")
    sampler.phase = "pages"
    times, cpu = [], 0.0
    for offset in random_offsets(rng, n, RANDOM_WINDOWS):
        cpu_start = time.process_time()
        body, ms = client.rows("bench", offset)
        cpu += time.process_time() - cpu_start
        times.append(ms)
        window = frame.iloc[offset:offset + PAGE]
        checks.expect(body["index"] == window.index.tolist()
                      and all(same_values(column_of(body, c), window[c])
                              for c in ("id", "i_big", "f1", "s_lo", "flag")),
                      f"window at {offset} equals df.iloc")
    # CPU of this whole process (client, server and sampler threads) during the requests: next
    # to the wall times it shows how much of them was spent waiting for a core.
    out.update(page_median_ms=statistics.median(times), page_p95_ms=p95(times),
               page_cpu_ms=cpu * 1000 / RANDOM_WINDOWS)

    log("sort by f1")
    sampler.phase = "sort"
    sort = json.dumps([["f1", "asc"]])
    body, out["sort_first_ms"] = client.rows("bench", 0, sort=sort)
    firsts = column_of(body, "f1")
    checks.expect(body["total"] == n and firsts[0] == expected_min,
                  "sorted: first value is the column minimum")
    checks.expect(all(a <= b for a, b in zip(firsts, firsts[1:])), "sorted: first page ascending")
    body, next_ms = client.rows("bench", PAGE, sort=sort)
    # Pages of the sort once its full order is built (a grid a user keeps scrolling). The
    # pages right after a new sort's first page, while the order may still be building, are
    # the fresh_sort_* figures below (issue 14).
    from dtale_lite.app.viewer import default_viewer

    default_viewer().registry.background.wait_idle(600)
    times = []
    for offset in random_offsets(rng, n, RANDOM_VIEW_PAGES):
        times.append(client.rows("bench", offset, sort=sort)[1])
    body, _ = client.rows("bench", max(n - PAGE, 0), sort=sort)
    checks.expect(column_of(body, "f1")[-1] is None, "sorted: missing values last (null)")
    out.update(sort_next_ms=next_ms, sort_pages_median_ms=statistics.median(times),
               sort_pages_p95_ms=p95(times))

    log("pages right after a new sort's first page")
    sampler.phase = "fresh sort"
    out.update(fresh_sort_pages(client, frame, checks, rng))

    log("filter f1 > 1")
    sampler.phase = "filter"
    body, out["filter_first_ms"] = client.rows("bench", 0, filter="f1 > 1")
    total = body["total"]
    checks.expect(total == expected_filtered, f"filter total {total} == pandas' "
                                              f"{expected_filtered}")
    times = []
    for offset in random_offsets(rng, total, RANDOM_VIEW_PAGES):
        body, ms = client.rows("bench", offset, filter="f1 > 1")
        times.append(ms)
        checks.expect(all(v > 1 for v in column_of(body, "f1")), "filtered pages: f1 > 1")
    out.update(filter_total=total, filter_pages_median_ms=statistics.median(times),
               filter_pages_p95_ms=p95(times))

    for column in ("f1", "s_lo", "s_hi"):
        log(f"describe {column}")
        sampler.phase = f"describe {column}"
        body, out[f"describe_{column}_ms"] = client.get("/api/frames/bench/describe",
                                                        column=column)
        checks.expect(body["column"] == column, f"describe {column}")

    log("default chart")
    sampler.phase = "default chart"
    # No settings: the chart page's first chart, judged on the data (issue 14: not the id).
    body, out["default_chart_ms"] = client.get("/api/frames/bench/chart")
    out["default_chart_note"] = body["note"]
    checks.expect(body["note"].startswith("Default chart: the histogram of 'i_small'")
                  and "'id'" in body["note"], "default chart: the first non-key number")

    peak = sampler.stop()
    out.update(rss_show_mb=(rss_after_show - rss_before) / MB,
               rss_peak_growth_mb=(peak - rss_before) / MB,
               rss_peak_ratio=(peak - rss_before) / frame_bytes,
               rss_peak_during=sampler.peak_phase)
    dtale_lite.shutdown()
    out["checks"] = checks.summary()
    return out


def fresh_sort_pages(client, frame, checks: Checks, rng) -> dict:
    """A user sorts by f1, then drags the scrollbar: the first page of a new sort, then
    FRESH_SORT_PAGES pages at random offsets right after it, while the view's full order may
    still be being built. Each of FRESH_SORT_ROUNDS rounds shows the frame under a new name
    (nothing of an earlier sort is cached) after the round before's background work ended (it
    does not share the cores), and kills it after. Median and p95 over every such page; the
    slowest page against its own round's first page (issue 14: no page slower than that)."""
    import dtale_lite
    from dtale_lite.app.viewer import default_viewer

    n = len(frame)
    expected = frame["f1"].sort_values(kind="stable", na_position="last").index.to_numpy()
    sort = json.dumps([["f1", "asc"]])
    firsts, pages, ratios = [], [], []
    for round_ in range(FRESH_SORT_ROUNDS):
        default_viewer().registry.background.wait_idle(600)
        name = f"bench_fresh_{round_}"
        instance = dtale_lite.show(frame, name=name)
        body, first_ms = client.rows(name, 0, sort=sort)
        checks.expect(body["index"] == expected[:PAGE].tolist(), "fresh sort: first page")
        times = []
        for offset in random_offsets(rng, n, FRESH_SORT_PAGES):
            body, ms = client.rows(name, offset, sort=sort)
            times.append(ms)
            checks.expect(body["index"] == expected[offset:offset + PAGE].tolist(),
                          f"fresh sort: page at {offset} equals pandas' stable sort")
        instance.kill()
        firsts.append(first_ms)
        pages.extend(times)
        ratios.append(max(times) / first_ms)
        log(f"  round {round_}: first {first_ms:.1f} ms, pages "
            + ", ".join(f"{t:.1f}" for t in times))
    return {"fresh_sort_first_ms": statistics.median(firsts),
            "fresh_sort_pages_median_ms": statistics.median(pages),
            "fresh_sort_pages_p95_ms": p95(pages), "fresh_sort_slowest_ms": max(pages),
            "fresh_sort_slowest_over_first": max(ratios)}


def with_verdicts(figures: dict) -> dict:
    """Round every figure and put its target's pass/fail boolean right after it."""
    result = {}
    for name, value in figures.items():
        if isinstance(value, float):
            value = round(value, 2) if name == "rss_peak_ratio" else rounded(value)
        result[name] = value
        if name in TARGETS and figures.get("rows", 0) >= TARGET_FROM_ROWS.get(name, 0):
            result[name.removesuffix("_ms").removesuffix("_mb").removesuffix("_s")
                   + "_pass"] = value <= TARGETS[name]
    return result


def import_seconds() -> float:
    """Median of 3 fresh interpreters: what ``import dtale_lite`` adds after pandas."""
    runs = [float(subprocess.run([PY, "-c", IMPORT_PROBE], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dtale_lite.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append",
                        help="frame size (repeat for several; default 1000000)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the per-size child
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(run_one(args.one)), flush=True)
        return 0

    log("import time")
    imported = import_seconds()
    status = 0
    for n in args.rows or [1_000_000]:
        child = subprocess.run([PY, "-m", "dtale_lite.bench", "--one", str(n)],
                               stdout=subprocess.PIPE, text=True)
        if child.returncode != 0:
            log(f"{n:,} rows: the benchmark process failed (exit {child.returncode})")
            return 1
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        line = with_verdicts({"rows": figures.pop("rows"), "import_s": imported, **figures})
        if line["checks"] != "ok":
            status = 1
        print(json.dumps(line), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
