"""Time the chart routes on the benchmark frame (issue 6, "Speed").

    PYTHONPATH=. python benchmarks/chart_speed.py [--rows 5000000] [--repeats 3]

Builds the frame of ``shared/bench-frame.md`` at ``--rows`` rows, ``show()``s it and times each
chart through the real HTTP route (``GET /api/frames/<frame>/chart`` and ``.../correlations``)
of the real threaded server on 127.0.0.1 with ``requests``.

The chart service keeps built charts in the frame's cache, so an identical second request is a
cache hit. For each chart the script reports the first call (cold), the median of it and
``--repeats`` more cold calls (each on the same frame object shown again under a new name, so
nothing is cached) and one cached call. Next to each: the target of the issue, the figure's
JSON size (must stay under 1 MB), the marks sent and the reduction the server reports.

Answers are checked against plain pandas (bar and grouped-bar means, pie counts, histogram
total, the daily line against ``resample("D").mean()``, heatmap cells, Pearson against
``corr()``, Spearman against ``corr(method="spearman")`` on a 200k-row prefix); a wrong answer
prints ``CHECK FAILED`` and the exit status is 1. Timing never changes the exit status.

Last, pages of 100 rows are fetched while an uncached chart is computed on another connection
(a Spearman matrix, a box plot), to show the grid is not blocked by a chart.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

# This checkout, not an installed (e.g. editable, elsewhere) dtale_lite.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 1024 * 1024

# (label, route, query parameters, target in ms or None)
CASES = [
    ("bar: mean f1 by s_lo", "chart", {"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"}, 300),
    ("bar: mean f2 by cat, group s_lo", "chart",
     {"type": "bar", "x": "cat", "y": "f2", "agg": "mean", "group": "s_lo"}, 300),
    ("pie: count by cat", "chart", {"type": "pie", "x": "cat", "agg": "count"}, 300),
    ("box: f1 by s_lo", "chart", {"type": "box", "x": "s_lo", "y": "f1"}, 300),
    ("line: mean f1 over ts, daily", "chart",
     {"type": "line", "x": "ts", "y": "f1", "agg": "mean", "freq": "day"}, 300),
    ("histogram: f1", "chart", {"type": "histogram", "x": "f1"}, 150),
    ("density: f1 x f3", "chart", {"type": "density", "x": "f1", "y": "f3"}, 300),
    ("heatmap: mean f1 by s_lo x cat", "chart",
     {"type": "heatmap", "x": "s_lo", "y": "cat", "z": "f1", "agg": "mean"}, 500),
    ("scatter: f1 x f3 (raw)", "chart", {"type": "scatter", "x": "f1", "y": "f3"}, None),
    ("line: f1 over ts (raw)", "chart", {"type": "line", "x": "ts", "y": "f1"}, None),
    ("correlations: Pearson", "correlations", {"method": "pearson"}, 600),
    ("correlations: Spearman", "correlations", {"method": "spearman"}, 3000),
]


def log(message: str) -> None:
    print(f"[chart_speed] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- figures
def decode(value):
    """A Plotly typed array ``{"dtype", "bdata"[, "shape"]}`` as numpy; lists as numpy too."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if value.get("shape"):
            shape = value["shape"]
            if isinstance(shape, str):
                shape = [int(s) for s in shape.split(",")]
            array = array.reshape(shape)
        return array
    if isinstance(value, list):
        return np.asarray(value, dtype=object if any(isinstance(v, str) for v in value[:5])
                          else None)
    return value


def json_size(obj) -> int:
    return len(json.dumps(obj, separators=(",", ":"), allow_nan=True).encode())


def trace_points(trace: dict) -> int:
    """Marks drawn by one trace: cells of a z matrix, else the length of x / y / values."""
    for key in ("z", "values", "x", "y", "lat"):
        value = trace.get(key)
        if value is None:
            continue
        array = decode(value)
        try:
            return int(np.size(array)) if key == "z" else len(array)
        except TypeError:
            continue
    return 0


def figure_points(figure: dict) -> int:
    return sum(trace_points(t) for t in figure.get("data", []))


# ------------------------------------------------------------------------------- the client
class Client:
    def __init__(self, instance):
        import requests

        self.session = requests.Session()
        self.session.headers["X-Dtale-Lite-Key"] = instance.key
        self.base = instance.base_url

    def get(self, path: str, params: dict, timeout: float = 600):
        """(status, body, ms, bytes on the wire)."""
        start = time.perf_counter()
        response = self.session.get(self.base + path, params=params, timeout=timeout)
        content = response.content
        try:
            body = response.json()
        except ValueError:
            body = {"ok": False, "error": content[:300].decode(errors="replace")}
        elapsed = (time.perf_counter() - start) * 1000
        return response.status_code, body, elapsed, len(content)


def run_case(client, frame: str, route: str, params: dict, repeats: int, fresh=None) -> dict:
    """Cold and cached timings of one chart.

    The chart service keeps built charts in the registry's cache, so a second identical request
    is a cache hit. The first call on ``frame`` is cold; then the same call again (cached); then
    ``repeats`` cold calls, each on the same frame object ``show()``n again under a new name by
    ``fresh()`` (a new entry: a new source, nothing cached), which is killed afterwards."""
    path = f"/api/frames/{frame}/{route}"
    status, body, first, wire = client.get(path, params)
    out = {"status": status, "first_ms": first, "bytes": wire, "body": body}
    if status != 200 or not body.get("ok"):
        out["error"] = body.get("error") or body.get("message") or str(body)[:300]
        return out
    out["cached_ms"] = client.get(path, params)[2]
    cold = [first]
    for _ in range(repeats if fresh else 0):
        name, instance = fresh()
        status, again, ms, _ = client.get(f"/api/frames/{name}/{route}", params)
        instance.kill()
        if status == 200 and again.get("ok"):
            cold.append(ms)
    out["median_ms"] = statistics.median(cold)
    out["all_ms"] = cold
    if route == "chart" or "figure" in body and route != "correlations":
        # the chart route, and issue 16's analysis routes (their answers carry a figure too)
        out["figure_bytes"] = json_size(body["figure"])
        out["points"] = body.get("points", figure_points(body["figure"]))
        out["points_in_figure"] = figure_points(body["figure"])
        out["reduction"] = body.get("reduction")
        out["rows"] = body.get("rows")
        out["note"] = body.get("note")
    else:
        out["figure_bytes"] = json_size(body)
        out["points"] = len(body["columns"]) ** 2
        out["rows"] = body.get("rows")
    return out


def fresh_shower(dtale_lite, frame):
    """``fresh()`` for run_case: the frame shown again under a new name."""
    counter = iter(range(1, 10**9))

    def fresh():
        name = f"bench_cold_{next(counter)}"
        return name, dtale_lite.show(frame, name=name)

    return fresh


# ------------------------------------------------------------------------------- the checks
class Checks:
    def __init__(self):
        self.failed: list[str] = []
        self.passed: list[str] = []

    def expect(self, condition: bool, what: str) -> None:
        (self.passed if condition else self.failed).append(what)
        if not condition:
            log(f"CHECK FAILED: {what}")


def _xy_trace(figure: dict):
    trace = figure["data"][0]
    return decode(trace.get("x")), decode(trace.get("y")), trace


def check_results(frame, results: dict, checks: Checks) -> None:
    import pandas as pd

    def close(a, b, rtol=1e-6):
        return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol,
                           atol=1e-9, equal_nan=True)

    r = results.get("bar: mean f1 by s_lo")
    if r and "median_ms" in r:
        x, y, _ = _xy_trace(r["body"]["figure"])
        want = frame.groupby("s_lo")["f1"].mean()
        got = pd.Series(np.asarray(y, dtype=float), index=[str(v) for v in x])
        checks.expect(len(got) == len(want) and close(got.reindex(want.index), want),
                      "bar: the means equal frame.groupby('s_lo')['f1'].mean()")
        checks.expect(r["rows"] == len(frame), "bar: rows equal the frame's length")

    r = results.get("bar: mean f2 by cat, group s_lo")
    if r and "median_ms" in r:
        want = frame.groupby(["s_lo", "cat"], observed=True)["f2"].mean()
        ok = True
        traces = r["body"]["figure"]["data"]
        for trace in traces:
            name = str(trace.get("name"))
            if name not in want.index.get_level_values(0):
                continue  # e.g. an "Other" trace
            got = pd.Series(np.asarray(decode(trace["y"]), dtype=float),
                            index=[str(v) for v in decode(trace["x"])])
            ref = want.loc[name]
            ref.index = [str(v) for v in ref.index]
            ok = ok and close(got.reindex(ref.index), ref)
        checks.expect(ok and len(traces) >= 20,
                      "grouped bar: every group's means equal groupby(['s_lo','cat']).mean()")

    r = results.get("pie: count by cat")
    if r and "median_ms" in r:
        trace = r["body"]["figure"]["data"][0]
        got = pd.Series(np.asarray(decode(trace["values"]), dtype=float),
                        index=[str(v) for v in decode(trace["labels"])])
        want = frame["cat"].value_counts()
        want.index = [str(v) for v in want.index]
        named = [label for label in got.index if label in want.index]
        rest = want.drop(named).sum()
        other = got.drop(named).sum()
        checks.expect(close(got[named], want[named]) and other == rest
                      and got.sum() == len(frame),
                      f"pie: {len(named)} slices equal frame['cat'].value_counts(), the rest "
                      f"({len(got) - len(named)} slice) holds the others")

    r = results.get("histogram: f1")
    if r and "median_ms" in r:
        total = 0
        for trace in r["body"]["figure"]["data"]:
            y = trace.get("y")
            if y is not None:
                total += float(np.nansum(np.asarray(decode(y), dtype=float)))
        want = int(frame["f1"].notna().sum())
        checks.expect(abs(total - want) < 0.5,
                      f"histogram: bin counts add up to the non-null f1 count ({total} vs {want})")

    r = results.get("line: mean f1 over ts, daily")
    if r and "median_ms" in r:
        x, y, _ = _xy_trace(r["body"]["figure"])
        want = frame.set_index("ts")["f1"].resample("D").mean().dropna()
        # datetimes travel as epoch milliseconds in a typed array (or as ISO text)
        when = (pd.to_datetime(np.asarray(x, dtype="f8"), unit="ms")
                if np.asarray(x).dtype.kind in "fiu" else pd.to_datetime(list(x)))
        got = pd.Series(np.asarray(y, dtype=float), index=when)
        got = got.dropna()
        checks.expect(len(got) == len(want) and close(got.values, want.values)
                      and (got.index.normalize() == want.index).all(),
                      f"line daily: {len(got)} daily means equal resample('D').mean() "
                      f"({len(want)} days)")

    r = results.get("heatmap: mean f1 by s_lo x cat")
    if r and "median_ms" in r:
        trace = r["body"]["figure"]["data"][0]
        z = np.asarray(decode(trace["z"]), dtype=float)
        xs = [str(v) for v in decode(trace["x"])]
        ys = [str(v) for v in decode(trace["y"])]
        want = frame.groupby(["cat", "s_lo"], observed=True)["f1"].mean().unstack()
        want.index = [str(v) for v in want.index]
        checks.expect(z.shape == (len(ys), len(xs))
                      and close(z, want.reindex(index=ys, columns=xs).values),
                      "heatmap: cells equal groupby(['cat','s_lo'])['f1'].mean()")

    numeric = frame.select_dtypes(include=["number", "bool"])
    for method in ("pearson", "spearman"):
        r = results.get(f"correlations: {method.capitalize()}")
        if r and "median_ms" in r:
            body = r["body"]
            got = np.array([[np.nan if v is None else v for v in row] for row in body["matrix"]],
                           dtype=float)
            cols = body["columns"]
            if method == "pearson":  # Spearman is checked at 200k rows (check_spearman_small)
                checks.expect(close(got, numeric[cols].corr().values, rtol=1e-6),
                              f"pearson: the matrix equals frame.corr() over {cols}")
            checks.expect(np.allclose(np.diag(got), 1.0) and np.allclose(got, got.T,
                                                                         equal_nan=True),
                          f"{method}: unit diagonal, symmetric")


def check_spearman_small(client, instance_module, frame, checks: Checks) -> None:
    """Spearman against pandas on a 200k-row frame (pandas needs ~35 s at 5M)."""
    small = frame.iloc[:200_000].reset_index(drop=True)
    instance_module.show(small, name="bench_small")
    status, body, _, _ = client.get("/api/frames/bench_small/correlations",
                                    {"method": "spearman"})
    if status != 200:
        checks.expect(False, f"spearman (200k rows): HTTP {status} {body}")
        return
    cols = body["columns"]
    got = np.array([[np.nan if v is None else v for v in row] for row in body["matrix"]],
                   dtype=float)
    want = small[cols].corr(method="spearman").values
    checks.expect(np.allclose(got, want, rtol=1e-6, atol=1e-9, equal_nan=True),
                  "spearman: the matrix at 200k rows equals frame.corr(method='spearman')")


# ------------------------------------------------------------------------ grid not blocked
def grid_while_chart(client, frame: str, params: dict, route: str = "chart",
                     chart_frame: str | None = None, total: int = 1_000_000) -> dict:
    """Pages of rows of ``frame`` fetched while a chart request (on ``chart_frame``, a frame not
    charted yet, so nothing is cached) runs on another connection."""
    import requests

    chart_session = requests.Session()
    chart_session.headers.update(client.session.headers)
    done = {}

    def chart():
        start = time.perf_counter()
        chart_session.get(f"{client.base}/api/frames/{chart_frame or frame}/{route}",
                          params=params,
                          timeout=600)
        done["ms"] = (time.perf_counter() - start) * 1000

    thread = threading.Thread(target=chart, daemon=True)
    thread.start()
    time.sleep(0.05)  # let the chart start computing
    pages = []
    offset = 0
    while thread.is_alive() and len(pages) < 5000:
        status, body, ms, _ = client.get(f"/api/frames/{frame}/rows",
                                         {"offset": offset, "limit": 100})
        if thread.is_alive():
            pages.append(ms)
        offset = (offset + 100_003) % max(total - 100, 1)
    thread.join()
    # the same pages with nothing else running
    idle = [client.get(f"/api/frames/{frame}/rows",
                       {"offset": o * 100_003 % max(total - 100, 1), "limit": 100})[2]
            for o in range(50)]
    return {"chart_ms": done.get("ms"), "pages_during": len(pages),
            "page_median_ms_during": statistics.median(pages) if pages else None,
            "page_max_ms_during": max(pages) if pages else None,
            "page_median_ms_idle": statistics.median(idle)}


# ------------------------------------------------------------------------------------ main
def fmt_ms(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def fmt_bytes(n) -> str:
    if n is None:
        return "-"
    return f"{n / 1024:,.1f} KB" if n < MB else f"{n / MB:,.2f} MB"


def machine() -> str:
    import pandas as pd
    import psutil

    return (f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
            f", pandas {pd.__version__}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", help="run only the cases whose label contains this text")
    parser.add_argument("--no-checks", action="store_true")
    args = parser.parse_args(argv)

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    print(f"# chart_speed {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    log(f"building the {args.rows:,}-row frame")
    start = time.perf_counter()
    frame = bench_frame(args.rows)
    log(f"built in {time.perf_counter() - start:.1f} s")
    instance = dtale_lite.show(frame, name="bench")
    client = Client(instance)
    checks = Checks()
    fresh = fresh_shower(dtale_lite, frame)

    results = {}
    for label, route, params, target in CASES:
        if args.only and args.only not in label:
            continue
        log(label)
        results[label] = run_case(client, "bench", route, params, args.repeats, fresh)
        results[label]["target_ms"] = target

    print(f"# ms through the route; first = first call (cold); median = of the first and "
          f"{args.repeats} more cold calls (the frame shown again under a new name each time: "
          f"the service caches built charts per frame); cached = the same call again")
    header = (f"{'chart (' + format(args.rows, ',') + ' rows)':34} {'first':>7} "
              f"{'median':>7} {'cached':>7} {'target':>7} {'ok?':>4} {'JSON':>10} {'points':>8}"
              f"  reduction")
    print(header)
    print("-" * len(header))
    misses = []
    for label, r in results.items():
        target = r["target_ms"]
        if "error" in r:
            print(f"{label:34} FAILED: HTTP {r['status']} {r['error']}")
            checks.expect(False, f"{label}: HTTP {r['status']} {r['error']}")
            continue
        verdict = "-" if target is None else ("yes" if r["median_ms"] <= target else "NO")
        if verdict == "NO":
            misses.append(f"{label}: median {r['median_ms']:.0f} ms, target {target} ms "
                          f"(+{r['median_ms'] - target:.0f} ms)")
        print(f"{label:34} {fmt_ms(r['first_ms']):>7} {fmt_ms(r['median_ms']):>7} "
              f"{fmt_ms(r['cached_ms']):>7} {('<= ' + str(target)) if target else '':>7} "
              f"{verdict:>4} "
              f"{fmt_bytes(r['figure_bytes']):>10} {r['points']:>8,}  {r.get('reduction') or ''}")
        checks.expect(r["figure_bytes"] < MB, f"{label}: figure JSON under 1 MB")
        if r.get("note"):
            print(f"{'':34}   note: {r['note']}")
    print("cold times (ms, first then repeats): " + json.dumps(
        {k: [round(t, 1) for t in r.get("all_ms", [r["first_ms"]])] for k, r in results.items()}))

    if not args.no_checks:
        log("checking answers against pandas")
        check_results(frame, results, checks)
        if not args.only or "Spearman" in args.only:
            check_spearman_small(client, dtale_lite, frame, checks)

    if not args.only:
        log("pages while a chart is computed")
        for label, route, params in [
                ("Spearman correlations", "correlations", {"method": "spearman"}),
                ("box of f1 by s_lo", "chart", {"type": "box", "x": "s_lo", "y": "f1"})]:
            name, instance = fresh()
            g = grid_while_chart(client, "bench", params, route, chart_frame=name,
                                 total=len(frame))
            instance.kill()
            print(f"grid during a chart ({label}, {fmt_ms(g['chart_ms'])} ms): "
                  f"{g['pages_during']} pages of 100 rows answered while it ran, median "
                  f"{fmt_ms(g['page_median_ms_during'])} ms, max {fmt_ms(g['page_max_ms_during'])}"
                  f" ms (idle median {fmt_ms(g['page_median_ms_idle'])} ms)")

    print(f"targets missed: {'; '.join(misses) if misses else 'none'}")
    print("load average at the end (1/5/15 min; other work on the machine slows every figure): "
          + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"checks: {'ok (' + str(len(checks.passed)) + ')' if not checks.failed else 'FAILED: ' + '; '.join(checks.failed)}")
    dtale_lite.shutdown()
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
