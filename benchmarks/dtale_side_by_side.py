"""D-Tale 3.22.0's charts and dtale_lite's, side by side, on one machine in one run.

    PYTHONPATH=. python benchmarks/dtale_side_by_side.py [--rows 1000000] [--repeats 3]
        [--venv benchmarks/.venv-dtale] [--cases charts|analysis]

``--cases analysis`` runs issue 16's chart kinds and analysis pages where D-Tale has one
(3D scatter, surface, treemap, funnel, candlestick; missing values, outliers, duplicates,
time series) instead of the first nine charts.

1. Makes a virtualenv (default ``benchmarks/.venv-dtale``, gitignored) and installs
   ``dtale==3.22.0`` there, with the pandas, numpy and pyarrow versions of this interpreter so
   both sides compute with the same libraries. An install failure is reported, not hidden.
2. In a fresh process of that virtualenv, builds the benchmark frame (``dtale_lite/frames/benchframe.py``
   loaded by path: it needs only numpy and pandas), loads it into D-Tale in-process
   (``dtale.views.startup`` on ``dtale.app.build_app``, no server) and times D-Tale's own chart
   builder, ``dtale.dash_application.charts.build_chart`` (what its Dash callback calls), plus
   the JSON serialization of its output (what the callback sends), and its correlation and
   scatter routes through Flask's test client.
3. In a fresh process of this interpreter, ``dtale_lite.show()``s the same frame and times the
   same charts through the real HTTP chart route on 127.0.0.1.
4. Prints both side by side: first call and median of it and the repeats, the JSON size, the points,
   and each failure or refusal with D-Tale's own error text.

Calls slower than 5 s are not repeated (their first call is reported).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _sidebyside import (DEFAULT_VENV, DTALE_VERSION, HERE, REPO, SLOW_MS, dist_version,
                         ensure_venv, load_benchframe, machine_line, run_child, secs, venv_env)
from _sidebyside import log as _log

# label -> (D-Tale build_chart inputs or a route, dtale_lite route and parameters)
CASES = [
    ("bar: mean f1 by s_lo",
     {"chart_type": "bar", "x": "s_lo", "y": ["f1"], "agg": "mean"},
     ("chart", {"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"})),
    ("line: f1 over ts (raw)",
     {"chart_type": "line", "x": "ts", "y": ["f1"], "agg": "raw"},
     ("chart", {"type": "line", "x": "ts", "y": "f1"})),
    ("line: mean f1 over ts, daily",
     {"chart_type": "line", "x": "ts||D", "y": ["f1"], "agg": "mean"},
     ("chart", {"type": "line", "x": "ts", "y": "f1", "agg": "mean", "freq": "day"})),
    ("scatter: f1 x f3 (raw)",
     {"chart_type": "scatter", "x": "f1", "y": ["f3"], "agg": "raw"},
     ("chart", {"type": "scatter", "x": "f1", "y": "f3"})),
    ("scatter: f1 x f3 from correlations",
     {"route": "/dtale/scatter/1", "query": {"cols": json.dumps(["f1", "f3"])}},
     ("chart", {"type": "scatter", "x": "f1", "y": "f3"})),
    ("bar: mean f2 by cat, group s_lo",
     {"chart_type": "bar", "x": "cat", "y": ["f2"], "agg": "mean", "group": ["s_lo"]},
     ("chart", {"type": "bar", "x": "cat", "y": "f2", "agg": "mean", "group": "s_lo"})),
    ("heatmap: mean f1 by s_lo x cat",
     {"chart_type": "heatmap", "x": "s_lo", "y": ["cat"], "z": "f1", "agg": "mean"},
     ("chart", {"type": "heatmap", "x": "s_lo", "y": "cat", "z": "f1", "agg": "mean"})),
    ("correlations: Pearson",
     {"route": "/dtale/correlations/1", "query": {}},
     ("correlations", {"method": "pearson"})),
]

# Issue 16: the chart kinds and analysis pages that D-Tale also has (``--cases analysis``).
# D-Tale refuses a 3D scatter over 15,000 points; a refusal is a result.
ANALYSIS_CASES = [
    ("3D scatter: f1, f2, f3",
     {"chart_type": "3d_scatter", "x": "f1", "y": ["f2"], "z": "f3", "agg": "raw"},
     ("chart", {"type": "scatter3d", "x": "f1", "y": "f2", "z": "f3"})),
    ("surface: mean f1 over f2 x f3",
     {"chart_type": "surface", "x": "f2", "y": ["f3"], "z": "f1", "agg": "mean"},
     ("chart", {"type": "surface", "x": "f2", "y": "f3", "z": "f1", "agg": "mean"})),
    ("treemap: sum of f1 by s_lo",
     {"chart_type": "treemap", "treemap_value": "f1", "treemap_label": "s_lo", "agg": "sum"},
     ("chart", {"type": "treemap", "path": "s_lo", "y": "f1", "agg": "sum"})),
    ("funnel: sum of f1 by s_lo",
     {"chart_type": "funnel", "funnel_value": "f1", "funnel_label": "s_lo", "agg": "sum"},
     ("chart", {"type": "funnel", "x": "s_lo", "y": "f1", "agg": "sum"})),
    ("candlestick: f1..f4 over ts",
     {"chart_type": "candlestick", "cs_x": "ts", "cs_open": "f1", "cs_high": "f2",
      "cs_low": "f3", "cs_close": "f4", "agg": "raw"},
     ("chart", {"type": "candlestick", "x": "ts", "open": "f1", "high": "f2", "low": "f3",
                "close": "f4"})),
    ("missing values (matrix)",
     {"route": "/dtale/missingno/matrix/1", "query": {}},
     ("missing", {})),
    ("outliers of f1 (IQR)",
     {"route": "/dtale/outliers/1", "query": {"col": "f1"}},
     ("outliers", {"column": "f1", "method": "iqr"})),
    ("duplicates over s_lo, i_small",
     {"route": "/dtale/duplicates/1", "query": {
         "type": "show", "action": "test", "cfg": json.dumps({"group": ["s_lo", "i_small"]})}},
     ("duplicates", {"columns": json.dumps(["s_lo", "i_small"])})),
    ("time series: f1 over ts, decomposed",
     {"route": "/dtale/timeseries-analysis/1", "query": {
         "type": "seasonal_decompose",
         "cfg": json.dumps({"index": "ts", "col": "f1", "agg": "mean", "model": "additive"})}},
     ("timeseries", {"x": "ts", "y": "f1", "freq": "day", "window": 7})),
]
CASE_SETS = {"charts": CASES, "analysis": ANALYSIS_CASES}
# D-Tale's surface pivots every distinct x against every distinct y: at 20,000 rows of f2 x f3
# it took 101 s and answered 1.1 GB of JSON (2026-12-07), so larger runs do not call it.
SURFACE_ROWS = 20_000
SURFACE_SKIPPED = ("not run: D-Tale's surface makes a cell per distinct (x, y) pair, {rows:,}^2 "
                   "cells here (at 20,000 rows: 101 s and 1.1 GB of JSON)")


def log(message: str) -> None:
    _log("side_by_side", message)


# ------------------------------------------------------------------------ the D-Tale child
def _components(node):
    """Every Dash component in a build_chart answer (a component, a list, or None)."""
    if node is None:
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _components(child)
        return
    if hasattr(node, "_type") or hasattr(node, "to_plotly_json"):
        yield node
        yield from _components(getattr(node, "children", None))


def _figure_of(graph):
    figure = getattr(graph, "figure", None)
    if figure is None:
        return None
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return figure


def _points(figures) -> int:
    import numpy as np

    total = 0
    for figure in figures:
        for trace in figure.get("data", []):
            if hasattr(trace, "to_plotly_json"):
                trace = trace.to_plotly_json()
            for key in ("z", "values", "x", "y"):
                value = trace.get(key)
                if value is None:
                    continue
                if isinstance(value, dict) and "bdata" in value:
                    import base64
                    value = np.frombuffer(base64.b64decode(value["bdata"]),
                                          dtype=np.dtype(value["dtype"]))
                total += int(np.size(np.asarray(value, dtype=object))) if key == "z" \
                    else len(value)
                break
    return total


def _error_text(chart) -> str | None:
    """D-Tale answers a failure with an alert Div (ico-error icon + a Span of text)."""
    for component in _components(chart):
        class_name = getattr(component, "className", "") or ""
        if "ico-error" in class_name or "alert-danger" in class_name:
            texts = [c.children for c in _components(getattr(component, "children", None))
                     if type(c).__name__ == "Span" and isinstance(c.children, str)]
            if not texts and isinstance(getattr(component, "children", None), list):
                texts = [c for c in component.children if isinstance(c, str)]
            return " ".join(t.strip() for t in texts) or "error (no text)"
        # build_error from dash_application/layout: I(ico-error) next to a Span
        children = getattr(component, "children", None)
        if isinstance(children, list) and any(
                "ico-error" in (getattr(c, "className", "") or "") for c in children):
            spans = [c.children for c in children if type(c).__name__ == "Span"]
            return " ".join(str(s).strip() for s in spans) or "error (no text)"
    return None


def dtale_child(rows: int, repeats: int, cases: list) -> dict:
    import numpy as np  # noqa: F401
    import pandas as pd

    out = {"side": "dtale", "rows": rows, "pandas": pd.__version__}
    bench_frame = load_benchframe().bench_frame
    log(f"D-Tale: building the {rows:,}-row frame")
    frame = bench_frame(rows)
    start = time.perf_counter()
    import dtale
    from dtale.app import build_app
    from dtale.dash_application.charts import build_chart
    from dtale.views import startup
    from plotly.io.json import to_json_plotly

    out["dtale"] = getattr(dtale, "__version__", None) or dist_version("dtale")
    out["import_s"] = time.perf_counter() - start
    app = build_app(reaper_on=False)
    start = time.perf_counter()
    with app.app_context():
        startup("", data=frame, data_id="1", ignore_duplicate=True)
    out["startup_s"] = time.perf_counter() - start
    client = app.test_client()
    base = dict(cpg=False, cpy=False, load=None, query=None, animate_by=None, trendline=None,
                scale="linear", extended_aggregation=[], yaxis={})

    build_ms: list[float] = []  # build_chart alone, without the JSON serialization

    def one_chart(inputs):
        start = time.perf_counter()
        if "route" in inputs:
            response = client.get(inputs["route"], query_string=inputs["query"])
            raw = response.get_data()
            elapsed = (time.perf_counter() - start) * 1000
            # missingno answers a PNG, not JSON
            text = raw.decode() if response.mimetype == "application/json" else ""
            body = json.loads(text) if text else {}
            error = body.get("error")
            if response.status_code != 200 and not error:
                error = f"HTTP {response.status_code}"
            points = 0
            if "corr" in inputs["route"] and not error:
                points = len(body.get("data", [])) * max(len(body.get("data", [])), 1)
            elif not error:
                points = sum(len(v.get("x", [])) for v in body.get("data", {}).values())
            return elapsed, len(raw), points, error
        if inputs.get("chart_type") == "surface" and rows > SURFACE_ROWS:
            raise RuntimeError(SURFACE_SKIPPED.format(rows=rows))
        with app.test_request_context():
            chart, _, _, _ = build_chart(data_id="1", **base, **inputs)
            built = (time.perf_counter() - start) * 1000
            text = to_json_plotly(chart)
        elapsed = (time.perf_counter() - start) * 1000
        build_ms.append(built)
        error = _error_text(chart)
        figures = [f for f in (_figure_of(g) for g in _components(chart)) if f]
        if chart is None:
            error = "no chart (build_chart returned None)"
        elif not figures and not error:
            error = "no figure in the answer"
        return elapsed, len(text.encode()), _points(figures), error

    results = {}
    for label, inputs, _ in cases:
        log(f"D-Tale: {label}")
        build_ms.clear()
        try:
            first, size, points, error = one_chart(inputs)
        except Exception as exc:  # a failure is a result: report it
            results[label] = {"error": f"{type(exc).__name__}: {exc}"[:400]}
            continue
        result = {"first_ms": first, "bytes": size, "points": points}
        if error:
            result["error"] = " ".join(error.split())[:400]
        elif first < SLOW_MS:
            times = [one_chart(inputs)[0] for _ in range(repeats)]
            result["median_ms"] = statistics.median([first] + times)
            result["all_ms"] = [first] + times
        if build_ms:
            result["build_only_ms"] = [round(b, 1) for b in build_ms]
        results[label] = result
    out["results"] = results
    return out


# --------------------------------------------------------------------- the dtale_lite child
def lite_child(rows: int, repeats: int, cases: list) -> dict:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(HERE))
    import dtale_lite
    from chart_speed import Client, fresh_shower, run_case
    from dtale_lite.frames.benchframe import bench_frame

    import pandas as pd

    out = {"side": "dtale_lite", "rows": rows, "pandas": pd.__version__}
    log(f"dtale_lite: building the {rows:,}-row frame")
    frame = bench_frame(rows)
    start = time.perf_counter()
    instance = dtale_lite.show(frame, name="bench")
    out["startup_s"] = time.perf_counter() - start
    client = Client(instance)
    fresh = fresh_shower(dtale_lite, frame)
    results = {}
    for label, _, (route, params) in cases:
        log(f"dtale_lite: {label}")
        # A frame of its own per case: two cases with the same spec (the scatter, opened from
        # the grid or from the correlations) must not find the other's chart in the cache.
        name, own = fresh()
        r = run_case(client, name, route, params, repeats, fresh)
        own.kill()
        result = {"first_ms": r["first_ms"], "bytes": r["bytes"]}
        if "error" in r:
            result["error"] = f"HTTP {r['status']}: {r['error']}"[:400]
        else:
            result.update(median_ms=r["median_ms"], all_ms=r["all_ms"], cached_ms=r["cached_ms"],
                          bytes=r["figure_bytes"], points=r["points"],
                          reduction=r.get("reduction"))
        results[label] = result
    out["results"] = results
    dtale_lite.shutdown()
    return out


# -------------------------------------------------------------------------------- parent
def run_side(python: str, side: str, rows: int, repeats: int, cases: str, env=None) -> dict:
    return run_child([python, str(Path(__file__).resolve()), f"--{side}-child", str(rows),
                      "--repeats", str(repeats), "--cases", cases], side, env=env)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", choices=sorted(CASE_SETS), default="charts",
                        help="charts (issue 6) or analysis (issue 16's kinds and pages)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--dtale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dtale_lite-child", dest="lite_child", type=int,
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dtale_child:
        print(json.dumps(dtale_child(args.dtale_child, args.repeats, CASE_SETS[args.cases])), flush=True)
        return 0
    if args.lite_child:
        print(json.dumps(lite_child(args.lite_child, args.repeats, CASE_SETS[args.cases])), flush=True)
        return 0

    print(f"# D-Tale {DTALE_VERSION} and dtale_lite, charts side by side, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(machine_line())
    print(f"# frame: shared/bench-frame.md, {args.rows:,} rows; each side in its own fresh "
          f"process, one after the other; first call, and the median of it and {args.repeats} "
          f"more (calls over {SLOW_MS / 1000:.0f} s are not repeated)")
    python, how = ensure_venv(args.venv.resolve())
    print(f"# D-Tale venv: {how}")
    if python is None:
        dtale = {"failed": "D-Tale could not be installed: " + how}
    else:
        dtale = run_side(str(python), "dtale", args.rows, args.repeats, args.cases,
                         env=venv_env())
    lite = run_side(sys.executable, "dtale_lite", args.rows, args.repeats, args.cases)
    for side in (dtale, lite):
        if "failed" in side:
            print(f"# {side.get('side', 'dtale')}: {side['failed']}")
    if "dtale" in dtale:
        print(f"# D-Tale {dtale['dtale']} (pandas {dtale['pandas']}): import "
              f"{dtale['import_s']:.1f} s, startup (load the frame) {dtale['startup_s']:.1f} s; "
              "chart time = dtale.dash_application.charts.build_chart + to_json_plotly of its "
              "answer; correlations and the correlations scatter through its Flask routes "
              "(test client)")
    if "startup_s" in lite:
        print(f"# dtale_lite (pandas {lite['pandas']}): show() {lite['startup_s'] * 1000:.0f} ms;"
              " chart time = GET of the chart route over HTTP on 127.0.0.1 (requests), "
              "JSON parsed; cold: its service caches built charts per frame, so each repeat "
              "charts the same frame shown again under a new name")
    width = 36
    notes = []

    def cols(result: dict | None, who: str, label: str) -> str:
        if result is None:
            return f"{'not run':>43}"
        if "error" in result:
            notes.append(f"{who}, {label}: {result['error']}")
            return f"{'FAILS [' + str(len(notes)) + ']':>43}"
        first, median = result["first_ms"], result.get("median_ms")
        size = result.get("bytes") or 0
        return (f"{secs(first):>9} {secs(median):>9} "
                f"{(f'{size / 1024:,.0f} KB' if size < 2**20 else f'{size / 2**20:,.1f} MB'):>11} "
                f"{result.get('points', 0):>11,}")

    print()
    print(f"{'':{width}}   {'D-Tale ' + DTALE_VERSION:^43}   {'dtale_lite':^43}")
    sub = f"{'first':>9} {'median':>9} {'JSON':>11} {'points':>11}"
    print(f"{'chart, ' + format(args.rows, ',') + ' rows':{width}} | {sub} | {sub} | reduction")
    print("-" * (width + 112))
    for label, _, _ in CASE_SETS[args.cases]:
        d = dtale.get("results", {}).get(label)
        l_ = lite.get("results", {}).get(label)
        line = f"{label:{width}} | {cols(d, 'D-Tale', label)} | {cols(l_, 'dtale_lite', label)} |"
        if l_ and l_.get("reduction"):
            line += f" {l_['reduction']}"
        print(line)
    for number, note in enumerate(notes, 1):
        print(f"[{number}] {note}")
    for label, _, _ in CASE_SETS[args.cases]:
        d = dtale.get("results", {}).get(label) or {}
        if d.get("build_only_ms") and d.get("first_ms", 0) >= 1000:
            print(f"D-Tale, {label}: build_chart alone took "
                  f"{d['build_only_ms'][0] / 1000:.2f} s of the {d['first_ms'] / 1000:.2f} s "
                  f"(the rest: serializing its figure to JSON)")
    print("load average at the end (1/5/15 min): " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print()
    print("raw: " + json.dumps({"dtale": dtale, "dtale_lite": lite}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
