"""D-Tale 3.22.0's grid and dtale_lite's, side by side, on one machine in one run.

    PYTHONPATH=. python benchmarks/dtale_grid_side_by_side.py --rows 1000000 --rows 5000000
        [--venv benchmarks/.venv-dtale]

1. Makes a virtualenv (default ``benchmarks/.venv-dtale``, gitignored) with ``dtale==3.22.0`` and
   this interpreter's pandas, numpy, pyarrow and psutil versions (``_sidebyside.ensure_venv``).
2. For each size, one fresh process per side, one after the other, on the same frame
   (``dtale_lite/frames/benchframe.py``, loaded by path in D-Tale's virtualenv):
   - D-Tale: ``dtale.show(df, host="127.0.0.1")`` starts its server in a thread of that process;
     then real HTTP on 127.0.0.1, calling what its grid calls (read in its bundled TypeScript,
     ``static/dist/dtale_bundle.js.map``): rows come from ``/dtale/data/<id>?ids=["a-b"]``, and a
     sort is NOT set through ``update-settings``: the grid keeps ``sortInfo`` client-side and sends
     ``sort=[["f1","ASC"]]`` with every data request; the route sorts and stores the sorted frame
     when that differs from the last sort it saw. A custom query (``/dtale/test-filter?query=...
     &save=true``, what the filter panel calls) is refused unless D-Tale was started with
     ``enable_custom_filters=True``; the refusal is reported and the filter is set the way the
     default D-Tale lets a user: the column menu's numeric filter, ``/dtale/save-column-filter``
     with ``{"type": "float", "operand": ">", "value": 1}``, which becomes the query ``f1 > 1``
     run by the same data route. Describe is ``/dtale/describe/<id>?col=...&filtered=false``
     (the whole frame, as its Describe popup asks with "filtered" off).
   - dtale_lite: ``dtale_lite.bench.benchmark.run_one`` (the shipped benchmark's measurements, through its
     JSON API with the key header).
   Each side's process is both the server and the client; a psutil thread samples its RSS
   (the peak's growth over the run; D-Tale's later show() calls come last and are left out
   of it, since each loads another copy of the frame, and reported apart).
3. Prints one JSON line per side and size, then a table with the ratio D-Tale / dtale_lite.

Each D-Tale answer is checked (totals, sort order, the filter against pandas). A D-Tale call that
fails or refuses is reported with its own error text. D-Tale calls over 5 s are not repeated.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _sidebyside import (DEFAULT_VENV, DTALE_VERSION, REPO, SLOW_MS, dist_version, ensure_venv,
                         import_seconds, load_benchframe, load_by_path, machine_line, run_child,
                         secs, venv_env)
from _sidebyside import log as _log

LATER_SHOWS = 3  # each later D-Tale show() loads another copy of the frame
SORT = json.dumps([["f1", "ASC"]])
COLUMN_FILTER = json.dumps({"type": "float", "operand": ">", "value": 1})


def log(message: str) -> None:
    _log("grid_side_by_side", message)


class DtaleRefused(Exception):
    """D-Tale answered with an error (it does so with HTTP 200 and an "error" key)."""


class DtaleClient:
    """GETs to one D-Tale data instance through one keep-alive session: (answer, ms)."""

    def __init__(self, instance):
        import requests

        self.session = requests.Session()
        self.url, self.data_id = instance._url, instance._data_id

    def get(self, route: str, **params) -> tuple[dict, float]:
        start = time.perf_counter()
        response = self.session.get(f"{self.url}/dtale/{route}/{self.data_id}", params=params,
                                    timeout=900)
        text = response.text
        elapsed = (time.perf_counter() - start) * 1000
        try:
            body = json.loads(text)
        except ValueError:
            body = {"error": f"not JSON: {text[:200]!r}"}
        if response.status_code != 200 or "error" in body:
            raise DtaleRefused(f"/dtale/{route} -> HTTP {response.status_code}: "
                               + " ".join(str(body.get("error")).split())[:400])
        return body, elapsed

    def rows(self, offset: int, page: int, **params) -> tuple[dict, float]:
        return self.get("data", ids=json.dumps([f"{offset}-{offset + page - 1}"]), **params)

    def wait_until_up(self, deadline_s: float = 900) -> None:
        import requests

        stop = time.monotonic() + deadline_s
        while time.monotonic() < stop:
            try:
                if self.session.get(f"{self.url}/health", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.005)
        raise DtaleRefused(f"{self.url}/health did not answer within {deadline_s:.0f} s")


def f1_values(body: dict) -> list:
    """f1 of each row, in row order; D-Tale sends floats rounded to 6 places, NaN as 'nan'."""
    return [body["results"][k]["f1"] for k in sorted(body["results"], key=int)]


def timed_pages(fetch, offsets) -> list[float]:
    """Times fetch(offset) for each offset; stops after a call over SLOW_MS."""
    times = []
    for offset in offsets:
        times.append(fetch(offset))
        if times[-1] > SLOW_MS:
            break
    return times


def dtale_child(rows: int) -> dict:
    import numpy as np

    bench = load_by_path("dtale_lite_bench", "dtale_lite/bench/benchmark.py")
    page = bench.PAGE
    log(f"D-Tale, {rows:,} rows: building the frame")
    frame = load_benchframe().bench_frame(rows)
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    expected_min = round(float(frame["f1"].min()), 6)
    expected_filtered = int((frame["f1"] > 1).sum())
    import dtale  # import time is measured separately, in fresh interpreters

    out = {"side": "dtale", "rows": rows, "frame_mb": frame_bytes / bench.MB,
           "dtale": dist_version("dtale")}
    errors, checks = {}, bench.Checks()
    rng = np.random.default_rng(7)
    gc.collect()
    sampler = bench.RssSampler().start()
    rss_before = sampler.rss()
    log("D-Tale: show()")
    start = time.perf_counter()
    try:
        instance = dtale.show(frame, host="127.0.0.1", open_browser=False, reaper_on=False)
        out["show_returns_ms"] = (time.perf_counter() - start) * 1000
        client = DtaleClient(instance)
        client.wait_until_up()
    except Exception as exc:  # nothing else can run; report D-Tale's own words
        sampler.stop()
        return {**out, "errors": {"show()": f"{type(exc).__name__}: {exc}"[:500]},
                "checks": "not run"}
    out["show_first_ms"] = (time.perf_counter() - start) * 1000
    out["rss_show_mb"] = (sampler.rss() - rss_before) / bench.MB

    def phase(name: str, work) -> None:
        sampler.phase = name
        log(f"D-Tale: {name}")
        try:
            work()
        except (DtaleRefused, KeyError, ValueError) as exc:  # a failure is a result
            errors[name] = f"{type(exc).__name__}: {exc}"[:500]

    def pages():
        body, out["first_page_ms"] = client.rows(0, page)
        checks.expect(body["total"] == rows and len(body["results"]) == min(page, rows),
                      "D-Tale first page: total and rows")
        times = timed_pages(lambda o: client.rows(o, page)[1],
                            bench.random_offsets(rng, rows, bench.RANDOM_WINDOWS))
        out.update(page_median_ms=statistics.median(times), page_p95_ms=bench.p95(times))

    def sort():
        body, out["sort_first_ms"] = client.rows(0, page, sort=SORT)
        firsts = f1_values(body)
        checks.expect(firsts[0] == expected_min and firsts == sorted(firsts),
                      "D-Tale sorted: first page ascending from the minimum")
        body, next_ms = client.rows(page, page, sort=SORT)
        times = [next_ms] + timed_pages(lambda o: client.rows(o, page, sort=SORT)[1],
                                        bench.random_offsets(rng, rows, bench.RANDOM_VIEW_PAGES))
        body, _ = client.rows(max(rows - page, 0), page, sort=SORT)
        checks.expect(f1_values(body)[-1] == "nan", "D-Tale sorted: missing values last")
        out.update(sort_next_ms=next_ms, sort_pages_median_ms=statistics.median(times),
                   sort_pages_p95_ms=bench.p95(times))
        # The grid with the sort cleared asks without `sort`: D-Tale restores its frame's order
        # (sort_index) on that request. Timed apart so the filter figures do not carry it.
        out["sort_cleared_ms"] = client.rows(0, page)[1]

    def filtered():
        try:  # what the filter panel calls; D-Tale 3.22.0 refuses it by default
            _, set_ms = client.get("test-filter", query="f1 > 1", save="true")
            out["filter_set_by"] = "custom query (test-filter)"
        except DtaleRefused as exc:
            out["filter_custom_query_refused"] = str(exc)
            _, set_ms = client.get("save-column-filter", col="f1", cfg=COLUMN_FILTER)
            out["filter_set_by"] = "column filter (save-column-filter)"
        body, first_ms = client.rows(0, page)
        total = body["total"]
        checks.expect(total == expected_filtered,
                      f"D-Tale filter total {total} == pandas' {expected_filtered}")
        times = []
        for offset in bench.random_offsets(rng, total, bench.RANDOM_VIEW_PAGES):
            body, ms = client.rows(offset, page)
            times.append(ms)
            checks.expect(all(v > 1 for v in f1_values(body)), "D-Tale filtered pages: f1 > 1")
            if ms > SLOW_MS:
                break
        out.update(filter_set_ms=set_ms, filter_first_ms=set_ms + first_ms, filter_total=total,
                   filter_pages_median_ms=statistics.median(times),
                   filter_pages_p95_ms=bench.p95(times) if len(times) > 1 else times[0])

    def describe(column):
        def work():
            body, ms = client.get("describe", col=column, filtered="false")
            out[f"describe_{column}_ms"] = ms
            checks.expect("describe" in body, f"D-Tale describe {column}")
        return work

    phase("pages", pages)
    phase("sort", sort)
    phase("filter", filtered)
    for column in ("f1", "s_lo", "s_hi"):
        # filtered=false as its Describe popup sends when "filtered" is off: the whole frame
        # (the column filter is still set), like dtale_lite's describe
        phase(f"describe {column}", describe(column))
    grid_peak = sampler.peak

    def later_shows():
        # Last, because each loads another copy of the frame: the peak above is the grid's.
        times = []
        while len(times) < LATER_SHOWS and (not times or times[0] < SLOW_MS):
            start = time.perf_counter()
            dtale.show(frame, host="127.0.0.1", open_browser=False, reaper_on=False)
            times.append((time.perf_counter() - start) * 1000)
        out.update(show_later_ms=statistics.median(times), show_later_all_ms=times)

    phase("later show()", later_shows)
    peak = sampler.stop()
    out.update(rss_peak_growth_mb=(grid_peak - rss_before) / bench.MB,
               rss_peak_ratio=(grid_peak - rss_before) / frame_bytes,
               rss_peak_with_later_shows_mb=(peak - rss_before) / bench.MB,
               rss_peak_during=sampler.peak_phase, errors=errors, checks=checks.summary())
    return out


def lite_child(rows: int) -> dict:
    sys.path.insert(0, str(REPO))
    from dtale_lite.bench.benchmark import run_one

    return {"side": "dtale_lite", **run_one(rows)}


# ------------------------------------------------------------------------------ the table
ROWS = [  # (label, figure, how to show it)
    ("frame size (memory_usage deep)", "frame_mb", "mb"),
    ("import (after pandas)", "import_s", "s"),
    ("show(), first call, until the server answers", "show_first_ms", "ms"),
    ("show(), later calls, median", "show_later_ms", "ms"),
    ("first page after show()", "first_page_ms", "ms"),
    ("random 100-row pages, median", "page_median_ms", "ms"),
    ("random 100-row pages, p95", "page_p95_ms", "ms"),
    ("sort by f1: first page", "sort_first_ms", "ms"),
    ("sort by f1: later pages, median", "sort_pages_median_ms", "ms"),
    ("filter f1 > 1: first page", "filter_first_ms", "ms"),
    ("filter f1 > 1: later pages, median", "filter_pages_median_ms", "ms"),
    ("describe f1", "describe_f1_ms", "ms"),
    ("describe s_lo", "describe_s_lo_ms", "ms"),
    ("describe s_hi", "describe_s_hi_ms", "ms"),
    ("RSS growth at show()", "rss_show_mb", "mb"),
    ("peak RSS growth over the run", "rss_peak_growth_mb", "mb"),
]


def shown(value, how: str) -> str:
    if value is None:
        return "-"
    if how == "s":
        return f"{value:.2f} s"
    if how == "mb":
        return f"{value:,.1f} MB" if value < 10 else f"{value:,.0f} MB"
    return secs(value)


def ratio(d, lite) -> str:
    if d is None or lite is None or lite <= 0:
        return "-"
    r = d / lite
    if r >= 1000:  # e.g. a 10 ms call against one of 0.01 ms: more digits would be noise
        return ">1000x"
    return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x"


def print_table(results: list[tuple[int, dict, dict]]) -> None:
    width, cell = 46, 11
    head = f"{'':{width}}"
    for rows, _, _ in results:
        d_head = f"D-Tale {rows:,}"
        head += f" | {d_head:>{cell + 4}} {'dtale_lite':>{cell}} {'ratio':>7}"
    print(head)
    print("-" * len(head))
    for label, key, how in ROWS:
        line = f"{label:{width}}"
        for _, d, lite in results:
            dv = d.get(key) if "failed" not in d else None
            if key in d.get("errors", {}):
                dv = None
            line += (f" | {shown(dv, how):>{cell + 4}} {shown(lite.get(key), how):>{cell}} "
                     f"{ratio(dv, lite.get(key)):>7}")
        print(line)
    for rows, d, lite in results:
        for side in (d, lite):
            if "failed" in side:
                print(f"{rows:,} rows, {side['side']}: {side['failed']}")
        for name, text in d.get("errors", {}).items():
            print(f"{rows:,} rows, D-Tale {name} FAILED: {text}")
        if d.get("filter_custom_query_refused"):
            print(f"{rows:,} rows, D-Tale refused the custom query f1 > 1: "
                  f"{d['filter_custom_query_refused']}; the filter was set by "
                  f"{d.get('filter_set_by')}")
        if "show_returns_ms" in d:
            print(f"{rows:,} rows, D-Tale: show() returned after {secs(d['show_returns_ms'])}, "
                  f"its server answered after {secs(d['show_first_ms'])}; clearing the sort "
                  f"took {secs(d.get('sort_cleared_ms'))}; peak RSS growth "
                  f"{d['rss_peak_ratio']:.1f}x the frame, "
                  f"{d['rss_peak_with_later_shows_mb']:,.0f} MB with the later show() calls "
                  f"(each loads a copy)")
        if "rss_peak_ratio" in lite:
            print(f"{rows:,} rows, dtale_lite: peak RSS growth {lite['rss_peak_ratio']:.2f}x "
                  f"the frame; checks {lite.get('checks')}")
        print(f"{rows:,} rows, D-Tale checks: {d.get('checks', '-')}")


# ------------------------------------------------------------------------------ the parent
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append",
                        help="frame size (repeat for several; default 1000000)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--dtale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--lite-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dtale_child:
        print(json.dumps(dtale_child(args.dtale_child), default=str), flush=True)
        return 0
    if args.lite_child:
        print(json.dumps(lite_child(args.lite_child), default=str), flush=True)
        return 0

    sizes = args.rows or [1_000_000]
    print(f"# D-Tale {DTALE_VERSION} and dtale_lite, the grid side by side, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(machine_line())
    print("# frame: dtale_lite/frames/benchframe.py bench_frame(n); each side and size in its own fresh "
          "process, one after the other; real HTTP to each tool's own server on 127.0.0.1; "
          "100-row pages; import = median of 3 fresh interpreters")
    python, how = ensure_venv(args.venv.resolve())
    print(f"# D-Tale venv: {how}", flush=True)
    me = str(Path(__file__).resolve())
    imports = {"dtale_lite": import_seconds(sys.executable, "dtale_lite")}
    if python is not None:
        imports["dtale"] = import_seconds(str(python), "dtale", env=venv_env())
    results = []
    for rows in sizes:
        if python is None:
            d = {"side": "dtale", "rows": rows, "failed": "D-Tale could not be installed: " + how}
        else:
            d = run_child([str(python), me, "--dtale-child", str(rows)], "dtale", env=venv_env())
            d["import_s"] = imports["dtale"]
        print(json.dumps(d, default=str), flush=True)
        lite = run_child([sys.executable, me, "--lite-child", str(rows)], "dtale_lite")
        lite["import_s"] = imports["dtale_lite"]
        print(json.dumps(lite, default=str), flush=True)
        results.append((rows, d, lite))
    print()
    print_table(results)
    print("load average at the end (1/5/15 min): "
          + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
